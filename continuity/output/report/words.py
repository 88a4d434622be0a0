"""The words the site and the teaching tables show for the codes of the data (fates,
relations, kinds of change, levels, genres), in English, marked for translation.

The codes themselves (`emerges`, `reworded`, `province`) stay as they are in the CSV
exports, the page addresses (`?fate=emerges`) and the data attributes the filters read:
they are a data contract. Only what a reader sees is translated (`i18n`).
"""

from __future__ import annotations

from ...i18n import N_, translations

#: Each fate in a word, for tables (the teaching tables' fate column).
FATE_WORDS = {
    "emerges": N_("emerges"),
    "persists": N_("persists"),
    "evolves": N_("evolves"),
    "disappears": N_("disappears"),
    "review": N_("review"),
    "context": N_("context"),
    "procedural": N_("procedural"),
    "heading": N_("heading"),
    "unaligned": N_("unaligned"),
}
#: How each fate is named on the page, with its mark (text, so colour is never the only signal).
FATE_LABELS = {
    "emerges": N_("新 emerges"),
    "persists": N_("= persists"),
    "evolves": N_("~ evolves"),
    "disappears": N_("× disappears"),
    "review": N_("回顾 review"),
    "context": N_("context"),
    "procedural": N_("procedural"),
    "heading": N_("heading"),
    "unaligned": N_("unaligned"),
}
#: A counterpart's relation to its passage.
RELATION_LABELS = {"same": N_("same"), "reworded": N_("reworded"), "absent": N_("absent"),
                   "first": N_("first"), "new": N_("new")}
#: What changed in a reworded counterpart (`continuity.analysis.changes`): kind, then direction.
CHANGE_KINDS = {"number": N_("number"), "verb": N_("verb"), "qualifier": N_("qualifier"),
                "object": N_("object"), "order": N_("order")}
CHANGE_DIRECTIONS = {
    "raised": N_("raised"), "lowered": N_("lowered"), "strengthened": N_("strengthened"),
    "weakened": N_("weakened"), "changed": N_("changed"), "added": N_("added"),
    "dropped": N_("dropped"),
}
#: A kind of change and its direction in one label ("number lowered").
CHANGE_LABEL = N_("%(kind)s %(direction)s")
ORDER_CHANGED = N_("word order changed")
#: How a target compares with the last earlier statement of its indicator (targets page).
TARGET_CHANGES = {"raised": N_("raised"), "lowered": N_("lowered"), "unchanged": N_("unchanged"),
                  "changed": N_("changed"), "new": N_("new"), "dropped": N_("dropped")}
#: A target's kind (continuity.analysis.targets; `table` and `text` are translated as section kinds
#: and column names are).
TARGET_KINDS = {"headline": N_("headline"), "table": N_("table"), "baseline": N_("baseline"),
                "text": N_("text")}
#: A section's kind that no data file names (an indicator table; the others are the
#: kinds of data/section_kinds.toml, extracted from it).
TABLE_KIND = N_("table")
#: The manifest's administrative levels and genres (a value not listed is shown as written).
LEVELS = {"national": N_("national"), "province": N_("province"), "city": N_("city"),
          "county": N_("county")}
GENRES = {"decision": N_("decision"), "work-report": N_("work-report"),
          "five-year-plan": N_("five-year-plan"), "communique": N_("communique"),
          "opinion": N_("opinion"), "plan": N_("plan"), "other": N_("other")}


def word(words: dict[str, str], code: str, lang: str) -> str:
    """The word for `code` in `lang` (a code with no word is shown as it is)."""
    return translations(lang).gettext(words[code]) if code in words else code


def change_label(kind: str, direction: str, lang: str) -> str:
    """A change in words: "number lowered", 数值下调."""
    gettext = translations(lang).gettext
    if kind == "order":
        return gettext(ORDER_CHANGED)
    return gettext(CHANGE_LABEL) % {"kind": word(CHANGE_KINDS, kind, lang),
                                    "direction": word(CHANGE_DIRECTIONS, direction, lang)}

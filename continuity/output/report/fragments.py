"""The HTML pieces repeated on every row of the big pages (badges, change labels, redlines,
links), as jinja filters made in Python with markupsafe.

Why filters: a compiled template calls a filter directly, while a global function goes
through jinja's `Context.call` (which inspects the function on every call) and a macro
builds a new context per call; on the history, pair and theme pages, with thousands
of rows, those calls were most of the rendering time. Document text stays data: every
piece is escaped here (`markupsafe.escape`) before it is marked safe.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from functools import lru_cache
from typing import Any

import jinja2
import markupsafe

from ...i18n import translate_all
from .words import FATE_LABELS, RELATION_LABELS, change_label

#: The element marking each kind of change in a redline.
REDLINE_TAGS = {"delete": "del", "insert": "ins"}

#: Helpers of the site (`render.Site.globals`) that the hottest loops call as filters
#: too (`{{ clause|clause_link }}`): the same function, without `Context.call`.
SITE_FILTERS = ("clause_link", "history_link", "cite", "theme_of", "doc_mark")

Markup = markupsafe.Markup


def fast_escaper(inner: Callable[[str], str]) -> Callable[[Any], Markup]:
    """`markupsafe.escape` made on markupsafe's escaping of a string (`inner`, in C), the
    same result in half the time: the Markup is made without the Python-level
    `Markup.__new__`. Every `{{ … }}` of a page calls it (about 350,000 calls for the
    bundled corpus's site: a tenth of the rendering time)."""
    make = str.__new__

    def fast_escape(value: Any) -> Markup:
        if type(value) is str:
            return make(Markup, inner(value))
        if hasattr(value, "__html__"):
            return make(Markup, value.__html__())
        return make(Markup, inner(str(value)))

    return fast_escape


#: markupsafe 3 escapes a string in C inside a Python `escape`; markupsafe 2's `escape`
#: is all in C, and has no `_escape_inner`.
_inner: Callable[[str], str] | None = getattr(markupsafe, "_escape_inner", None)
escape: Callable[[Any], Markup] = markupsafe.escape if _inner is None else fast_escaper(_inner)


def redline(spans: Any, keep: str) -> Markup:
    """One side of a word-level redline: equal runs as text, `keep` runs (deletions on the
    old side, insertions on the new) struck through or underlined."""
    tag = REDLINE_TAGS[keep]
    parts = []
    for span in spans:
        if span.op == "equal":
            parts.append(str(escape(span.text)))
        elif span.op == keep:
            parts.append(f"<{tag}>{escape(span.text)}</{tag}>")
    return Markup("".join(parts))


def change_labels(changes: Iterable[Any], lang: str = "en") -> Markup:
    """The kinds of change of a reworded pair (`continuity.changes`) as labels in words
    ("number lowered", "verb strengthened"; in `lang`), each with the words involved as
    its title."""
    return Markup(" ".join(
        f'<span class="change change-{escape(c.kind)} change-{escape(c.direction or "moved")}"'
        f' title="{escape(c.detail)}">{_change_label(c.kind, c.direction, lang)}</span>'
        for c in changes))


@lru_cache(maxsize=256)
def _change_label(kind: str, direction: str, lang: str) -> Markup:
    return escape(change_label(kind, direction, lang))


def fate_badges(lang: str) -> dict[str, Markup]:
    """Each fate's badge in `lang` (empty for a fate with no label)."""
    return {fate: Markup(f'<span class="fate fate-{escape(fate)}">{escape(label)}</span>')
            if label else Markup("")
            for fate, label in translate_all(FATE_LABELS, lang).items()}


def relation_badges(lang: str) -> dict[str, Markup]:
    """Each relation's badge in `lang`."""
    return {relation: Markup(f'<span class="rel rel-{escape(relation)}">{escape(label)}</span>')
            for relation, label in translate_all(RELATION_LABELS, lang).items()}


def in_state(steps: Iterable[Any], state: str) -> list[Any]:
    """The steps of a history in `state` (what `selectattr("state", "equalto", state)`
    selects, without its per-item dispatch)."""
    return [s for s in steps if s.state == state]


def site_filter(name: str) -> Callable[..., Any]:
    """A filter calling the site helper `name` of the environment's globals (so one
    environment serves any site: `render.Site` installs the helpers)."""

    @jinja2.pass_environment
    def call(env: jinja2.Environment, value: Any) -> Any:
        return env.globals[name](value)  # type: ignore[operator]

    return call


def filters(lang: str) -> Mapping[str, Callable[..., Any]]:
    """The filters of this module for an environment in `lang`."""
    return {
        "redline": redline,
        "in_state": in_state,
        "changes": lambda changes: change_labels(changes, lang),
        "fate_badge": fate_badges(lang).__getitem__,
        "relation_badge": relation_badges(lang).__getitem__,
        **{name: site_filter(name) for name in SITE_FILTERS},
    }

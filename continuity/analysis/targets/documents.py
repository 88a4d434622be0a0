"""A document's targets: its commitments' statements and its indicator tables' rows.

Every target is a frozen `Target` with its document, clause, canonical indicator name,
value, measure, qualifier, stated year, kind and text: the rows of `targets.csv` and of
the targets page. Last year's results are not targets: review passages, a result cue
(过去一年, 去年) in the sentence, a stated year before the document's.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from ...records import TARGET_KINDS, Clause, Corpus, Document, TableRow
from ...text.normalize import normalize
from ..functions import CONTEXT, PROCEDURAL, REVIEW
from .rules import Rules, indicator_name, read_rules, shipped_rules, split_measure
from .shapes import find_statements, stated_year, strip_frames

#: Where a target was stated (`records.TARGET_KINDS`): the headline targets, an indicator
#: table, elsewhere in the text; a table's base-year value is a baseline.
KINDS = TARGET_KINDS
HEADLINE, TABLE, TEXT, BASELINE = KINDS
#: Clause functions that state no targets: a result, an assessment, meeting framing (a
#: bullet heading, ——地区生产总值增长6%左右, can be one).
NOT_TARGETS = frozenset({REVIEW, CONTEXT, PROCEDURAL})
#: Section kinds whose text states no targets (a review's figures are results).
NO_TARGET_KINDS = frozenset({"review", "glossary", "table"})
_DIGIT = re.compile(r"\d")
_PLAIN_NUMBER = re.compile(r"^[\d,]+(?:\.\d+)?$")
_TRAILING_UNIT = re.compile(r"\(([^()]{1,8})\)$")
#: How many list items before a clause may separate it from the cue that opens the list.
_LIST_REACH = 20


@dataclass(frozen=True, slots=True)
class Target:
    """One quantitative target (or a table's baseline) as a document states it.

    `unit` is the clause stating it; `indicator` its canonical name (the same across
    documents and levels), `phrase` the indicator as written; `value` the number as
    written ("5.5", "2至3"), empty for a target in words; `measure` its unit with any
    magnitude ("%", "万人", "亿斤"); `qualifier` 左右, 以上, 不少于…, or the words of a
    target in words (与GDP增长同步); `year` the year stated for it, if any; `kind` one of
    KINDS; `text` the clause's text.
    """

    doc_id: str
    unit: str
    indicator: str
    phrase: str
    value: str
    measure: str
    qualifier: str
    year: str
    kind: str
    text: str

    @property
    def is_target(self) -> bool:
        return self.kind != BASELINE


def quantity(target: Target, rules: Rules | None = None) -> tuple[str, float] | None:
    """A target's value in its measure's base unit, to compare targets; None when it has
    no single number (a range, a target in words)."""
    if not _PLAIN_NUMBER.match(target.value):
        return None
    unit, factor = split_measure(target.measure, rules)
    return unit, float(target.value.replace(",", "")) * factor


def stated(target: Target, rules: Rules | None = None) -> str:
    """A target as it reads: 5.5%以上, 不少于23万人, 累计6百分点, 与GDP增长同步."""
    rules = rules or shipped_rules()
    if not target.value:
        return target.qualifier
    if target.qualifier in rules.before:
        return f"{target.qualifier}{target.value}{target.measure}"
    return f"{target.value}{target.measure}{target.qualifier}"


#: How a target changed from an earlier document's, in words.
RAISED, LOWERED, UNCHANGED, CHANGED, NEW, DROPPED = (
    "raised", "lowered", "unchanged", "changed", "new", "dropped")


def compare(before: Target, after: Target, rules: Rules | None = None) -> str:
    """raised, lowered or unchanged when the two numbers can be compared (in one unit:
    725亿斤 < 3750万吨); unchanged for the same words; otherwise changed."""
    a, b = quantity(before, rules), quantity(after, rules)
    if a is not None and b is not None and a[0] == b[0]:
        if abs(a[1] - b[1]) <= 1e-9 * max(abs(a[1]), abs(b[1]), 1.0):
            return UNCHANGED
        return RAISED if b[1] > a[1] else LOWERED
    same = (before.value, before.measure, before.qualifier) == \
        (after.value, after.measure, after.qualifier)
    return UNCHANGED if same else CHANGED


def corpus_targets(corpus: Corpus, rules: Rules | None = None) -> tuple[Target, ...]:
    """Every document's targets, documents in timeline order."""
    rules = rules or read_rules(corpus.root)
    return tuple(t for doc in corpus.documents for t in document_targets(doc, rules))


def document_targets(doc: Document, rules: Rules | None = None) -> tuple[Target, ...]:
    """A document's targets in text order: its commitments' statements and its indicator
    tables' rows (a table row's targets after its baseline)."""
    rules = rules or shipped_rules()
    year = doc.meta.date.year
    rows = {r.start: r for r in doc.table_rows}
    starts = [p.start for p in doc.clean.paragraphs]
    out: list[Target] = []
    sentence: list[Clause] = []
    for clause in doc.clauses:
        if sentence and sentence[-1].unit_id != clause.unit_id:
            sentence = []
        sentence.append(clause)
        if clause.start in rows and clause.role == "row":
            out.extend(table_targets(doc, rows[clause.start], clause, rules))
            continue
        if clause.function in NOT_TARGETS or clause.kind in NO_TARGET_KINDS \
                or not _DIGIT.search(clause.norm):
            continue
        statements = find_statements(clause.norm, rules)
        if not statements:
            continue
        before = "".join(c.norm for c in sentence[:-1])
        if rules.results.search(before + clause.norm):
            continue
        kind = HEADLINE if _headline(doc, starts, clause, rules) else TEXT
        for s in statements:
            stated = s.year or stated_year(before, rules)
            if stated and int(stated) < year:
                continue  # a result of an earlier year
            out.append(Target(doc.id, clause.id, indicator_name(s.phrase, s.change, s.verb,
                                                                 s.measure, rules),
                              s.phrase, s.value, s.measure, s.qualifier, stated, kind,
                              clause.text))
    return tuple(out)


def _headline(doc: Document, starts: list[int], clause: Clause, rules: Rules) -> bool:
    """Whether a clause states headline targets: in a targets section, or after the cue
    that opens them (今年…的主要预期目标是:) in its paragraph or in the paragraph that
    opens the list of items (——地区生产总值增长6%左右;) it belongs to."""
    if clause.kind == "targets":
        return True
    paragraphs = doc.clean.paragraphs
    k = bisect.bisect_right(starts, clause.start) - 1
    text = doc.clean.text
    if rules.headline.search(normalize(text[paragraphs[k].start:clause.start])):
        return True
    for p in reversed(paragraphs[max(0, k - _LIST_REACH):k]):
        before = normalize(text[p.start:p.end])
        if before.endswith(":"):
            return rules.headline.search(before) is not None
        if not rules.list_item.search(before):
            return False
    return False


def table_targets(doc: Document, row: TableRow, clause: Clause,
                  rules: Rules | None = None) -> list[Target]:
    """The baseline and targets of an indicator-table row: a value under a year up to the
    document's is the baseline, under a later year or 年均/累计 a target."""
    rules = rules or shipped_rules()
    phrase, measure = _table_indicator(row.indicator, rules)
    phrase = strip_frames(phrase, rules)
    verb, change = "", ""
    if (v := rules.verb_at_end.search(phrase)) is not None and rules.changes[v.group("verb")]:
        verb, phrase = v.group("verb"), phrase[:v.start()]
        change = rules.changes[verb]
    name = indicator_name(phrase, change, verb, measure, rules)
    out = []
    for header, cell in row.values:
        if any(p.search(header) for p in rules.skip_columns):
            continue
        text = rules.note_marks.sub("", normalize(cell))
        if rules.empty_cell.match(text):
            continue
        qualifier = ""
        if (m := rules.cumulative.match(text)) is not None:
            text, qualifier = m.group(1), rules.cumulative_qualifier
        years = re.findall(r"(?:19|20)\d\d", header)
        base = bool(years) and int(years[-1]) <= doc.meta.date.year
        value = _table_value(text, rules)
        if value is None:
            if base:
                continue  # a baseline in words says nothing to compare
            number, qualifier, unit = "", text, ""
        else:
            number, qualifier, unit = value[0], value[1] or qualifier, measure
        out.append(Target(doc.id, clause.id, name, phrase, number, unit, qualifier,
                          years[-1] if years else "", BASELINE if base else TABLE, clause.text))
    return out


def _table_indicator(cell: str, rules: Rules) -> tuple[str, str]:
    """An indicator cell's phrase and measure: 地区生产总值(GDP)增长(%) → 地区生产总值(GDP)
    增长, %; a sub-indicator (每千人口拥有医护人员数 执业医师数(人)) keeps the shared head."""
    parts = cell.split()
    text = normalize(cell)
    measure = ""
    m = _TRAILING_UNIT.search(text)
    if m is not None and split_measure(m.group(1), rules)[0] in rules.measures:
        measure, text = m.group(1), text[:m.start()]
    if len(parts) > 1:
        head, sub = normalize(parts[0]), normalize("".join(parts[1:]))
        sub = _TRAILING_UNIT.sub("", sub)
        shared = rules.shared_heads.match(head)
        text = (shared.group(0) if shared else head) + sub
    return text, measure


def _table_value(text: str, rules: Rules) -> tuple[str, str] | None:
    """A table cell's number and qualifier (5.5左右 → 5.5, 左右), or None for words."""
    m = rules.quantity.fullmatch(text)
    if m is None or m.group("measure"):
        return None
    return m.group("num"), m.group("pre") or m.group("post") or ""

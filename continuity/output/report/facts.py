"""The facts the report pages show, computed from an analysis (pure functions, no HTML).

Pair counts, the theme × document matrix, threads by theme, formulations with
their frequencies and contexts, and the quantitative targets. Each is a plain
record so the pages, the teaching tables and the tests read the same numbers.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

from ...analysis.fate import COMMITMENT_FATES, NOT_COMMITMENTS
from ...analysis.run import Analysis
from ...analysis.targets import (
    DROPPED,
    HEADLINE,
    NEW,
    TABLE,
    TEXT,
    Rules,
    Target,
    compare,
    corpus_targets,
    read_rules,
    stated,
)
from ...analysis.vectors import WORD
from ...corpus.plan import Plan, comparison_plan
from ...i18n import DEFAULT_LANG, translations
from ...records import Clause, Document
from ...text.terms import domain_terms, quoted_formulations
from .words import LEVELS, TARGET_CHANGES, word

#: Contexts shown per formulation and document.
KWIC_PER_DOC = 2
KWIC_WIDTH = 18


def most_specific(analysis: Analysis, clauses: list[Clause],
                  weights: dict[str, float | None] | None = None) -> list[Clause]:
    """Commitments ordered for a highlight list: those naming the most distinctive things
    (projects, formulations, numbers) first. `weights`: each evidence word's idf where it
    counts (None where it does not), filled as words are met: a caller ordering many
    lists (the overview) passes one, so each word is looked up once."""
    result = analysis.result
    vectors, floor = result.vectors, result.settings.evidence_idf
    if weights is None:
        weights = {}

    def weight(word: str) -> float | None:
        k = vectors.vocab.get(WORD + word)
        found = weights[word] = (float(vectors.idf[k]) if k is not None
                                 and vectors.idf[k] >= floor else None)
        return found

    def specificity(clause: Clause) -> float:
        words = result.words[result.row(clause.id)] if result.words else ()
        idfs = [v for w in words
                if (v := weights[w] if w in weights else weight(w)) is not None]
        return sum(idfs)

    return sorted(clauses, key=lambda c: (-round(specificity(c), 6), c.index))


def site_plan(analysis: Analysis) -> Plan:
    """The comparison plan the analysis followed (`continuity.corpus.plan`)."""
    return comparison_plan(analysis.corpus, analysis.result.settings)


def consecutive_pairs(analysis: Analysis) -> tuple[tuple[str, str], ...]:
    """The pairs the site shows as pair pages, in timeline order: every two consecutive
    documents of the timeline when the plan compares every pair (a small corpus), else
    every two consecutive documents of each series (what a series' timeline follows), so
    the pages grow with the documents and never pair documents the plan does not compare."""
    ids = analysis.corpus.ids
    plan = site_plan(analysis)
    if plan.rule == "all-pairs":
        return tuple(zip(ids, ids[1:], strict=False))
    position = {doc_id: n for n, doc_id in enumerate(ids)}
    found = {pair for series in plan.series for pair in pairwise(series.documents)}
    return tuple(sorted(found, key=lambda p: (position[p[0]], position[p[1]])))


@dataclass(frozen=True, slots=True)
class MatrixCell:
    """Commitments of one theme in one document, the most representative of them, and how
    many have each fate (in the order of COMMITMENT_FATES, for the printable table)."""

    theme: str
    doc_id: str
    count: int
    example: Clause | None
    fates: tuple[tuple[str, int], ...] = ()


def theme_matrix(analysis: Analysis) -> tuple[tuple[MatrixCell, ...], ...]:
    """Rows: themes in taxonomy order; columns: documents in timeline order."""
    rows = []
    themes = analysis.themes.clauses
    # each document's commitments by theme (in text order), read in one pass: a pass per
    # theme and document was most of the work (the overview, the printable matrix and the
    # teaching table each ask)
    by_theme: list[dict[str, list[Clause]]] = []
    for doc in analysis.corpus.documents:
        found: dict[str, list[Clause]] = {}
        for c in analysis.commitments(doc.id):
            found.setdefault(themes[c.id].theme, []).append(c)
        by_theme.append(found)
    for theme in analysis.themes.taxonomy:
        cells = []
        for doc, found in zip(analysis.corpus.documents, by_theme, strict=True):
            mine = found.get(theme.id, [])
            best = max(mine, key=lambda c: (themes[c.id].score, -c.index), default=None)
            fates = Counter(analysis.fate(c.id).fate for c in mine)
            cells.append(MatrixCell(theme.id, doc.id, len(mine), best,
                                    tuple((f, fates[f]) for f in COMMITMENT_FATES)))
        rows.append(tuple(cells))
    return tuple(rows)


@dataclass(frozen=True, slots=True)
class ThreadRow:
    """One commitment followed along the timeline: its clauses, each at the position of its
    document in the timeline (`columns`, ascending) of `width` documents. Sparse: a thread
    is in a few documents of hundreds, and the rows of every thread with a cell for each
    document were 576 MB at 300 documents, held by every process making pages."""

    id: str
    theme: str
    fate: str
    columns: tuple[int, ...]
    clauses: tuple[Clause, ...]
    width: int
    #: How sure its fate is (`records.Fate.confidence`): tentative when it rests on
    #: tentative counterparts alone.
    confidence: str = ""

    @property
    def cells(self) -> tuple[Clause | None, ...]:
        """Its clause in each document (or None), as a row of a page shows them."""
        cells: list[Clause | None] = [None] * self.width
        for n, clause in zip(self.columns, self.clauses, strict=True):
            cells[n] = clause
        return tuple(cells)

    @property
    def span(self) -> int:
        return len(self.columns)

    @property
    def first(self) -> Clause:
        return self.clauses[0]


def thread_rows(analysis: Analysis) -> tuple[ThreadRow, ...]:
    """Every thread of commitments, its theme and fate taken from its earliest clause."""
    position = {doc_id: n for n, doc_id in enumerate(analysis.corpus.ids)}
    rows = []
    for thread in analysis.threads:
        first = analysis.clause(thread.clauses[0])
        record = analysis.fate(first.id)
        fate = record.fate
        if fate in NOT_COMMITMENTS:
            continue
        placed: dict[int, Clause] = {}  # a later clause of the same document replaces one
        for clause_id in thread.clauses:
            clause = analysis.clause(clause_id)
            placed[position[clause.doc_id]] = clause
        columns = tuple(sorted(placed))
        rows.append(ThreadRow(thread.id, analysis.themes.clauses[first.id].theme, fate,
                              columns, tuple(placed[n] for n in columns), len(position),
                              record.confidence))
    return tuple(rows)


@dataclass(frozen=True, slots=True)
class Context:
    """A keyword in context: the text before, the keyword, the text after, and its clause."""

    clause: Clause
    before: str
    keyword: str
    after: str


@dataclass(frozen=True, slots=True)
class Formulation:
    """A formulation (提法) or domain term and how each document uses it."""

    term: str
    quoted: bool
    counts: tuple[int, ...]
    per_10k: tuple[float, ...]
    first_doc: str
    last_doc: str
    contexts: tuple[Context, ...]
    definition: str | None


def formulations(analysis: Analysis) -> tuple[Formulation, ...]:
    """Every quoted formulation of the corpus and every domain term it uses, most used first."""
    docs = analysis.corpus.documents
    quoted: set[str] = set()
    for doc in docs:
        quoted.update(quoted_formulations(doc.clean.text))
    indexes = [TermIndex(d.clean.text) for d in docs]
    glossary = {g.term.strip("“”"): g.definition for d in docs for g in d.glossary}
    starts = [[c.start for c in d.clauses] for d in docs]
    chars = [max(1, len(d.clean.text) - d.clean.text.count("\n")) for d in docs]
    out = []
    for term in sorted(quoted | set(domain_terms())):
        places = [index.find_all(term) for index in indexes]
        counts = tuple(len(p) for p in places)
        if not any(counts):
            continue
        present = [d.id for d, n in zip(docs, counts, strict=True) if n]
        out.append(Formulation(
            term=term,
            quoted=term in quoted,
            counts=counts,
            per_10k=tuple(round(n * 10000 / c, 2) for n, c in zip(counts, chars, strict=True)),
            first_doc=present[0],
            last_doc=present[-1],
            contexts=tuple(_contexts(docs, starts, places, term)),
            definition=glossary.get(term),
        ))
    out.sort(key=lambda f: (-sum(f.counts), f.term))
    return tuple(out)


def shared_formulations(analysis: Analysis) -> tuple[tuple[str, int], ...]:
    """The quoted formulations that every document uses, with their occurrences in all
    (non-overlapping, as `formulations` counts them), the least used first: the
    `formulations` rows that are quoted and in every document, found without their
    contexts (the overview needs only these)."""
    texts = [d.clean.text for d in analysis.corpus.documents]
    quoted: set[str] = set()
    for text in texts:
        quoted.update(quoted_formulations(text))
    shared = ((sum(t.count(term) for t in texts), term) for term in quoted
              if all(term in t for t in texts))
    return tuple((term, total) for total, term in sorted(shared))


class TermIndex:
    """Where a text's character pairs start, to find many terms in it quickly: one pass over
    the text instead of one per term."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._pairs: dict[str, list[int]] = {}
        for i in range(len(text) - 1):
            self._pairs.setdefault(text[i:i + 2], []).append(i)

    def find_all(self, term: str) -> list[int]:
        """Start offsets of `term`, left to right, not overlapping (as `str.count` counts)."""
        if len(term) < 2:
            return [m.start() for m in re.finditer(re.escape(term), self.text)] if term else []
        found: list[int] = []
        end = 0
        for at in self._pairs.get(term[:2], ()):
            if at >= end and self.text.startswith(term, at):
                found.append(at)
                end = at + len(term)
        return found


def _contexts(docs: tuple[Document, ...], clause_starts: list[list[int]],
              places: list[list[int]], term: str) -> list[Context]:
    """The first occurrences of `term` in each document, with the clause each lies in."""
    out = []
    for doc, starts, found in zip(docs, clause_starts, places, strict=True):
        shown = 0
        for at in found:
            k = bisect.bisect_right(starts, at) - 1
            if k >= 0 and at + len(term) <= doc.clauses[k].end:
                clause = doc.clauses[k]
                local = at - clause.start
                out.append(Context(clause, clause.text[max(0, local - KWIC_WIDTH):local], term,
                                   clause.text[local + len(term):local + len(term) + KWIC_WIDTH]))
                shown += 1
                if shown >= KWIC_PER_DOC:
                    break
    return out


#: Which of a document's targets for an indicator its cell shows first (and compares).
_TARGET_ORDER = {HEADLINE: 0, TABLE: 1, TEXT: 2}


@dataclass(frozen=True, slots=True)
class StatedTarget:
    """A target, its clause (to link to) and how it reads (5.5%以上, 不少于23万人)."""

    target: Target
    clause: Clause
    shown: str


@dataclass(frozen=True, slots=True)
class TargetCell:
    """One indicator in one document: its targets there (the one compared first); the
    indicator table's baseline; and how it changed from the last earlier document that
    stated it (`change`: raised, lowered, unchanged, changed, new, dropped, or "" for the
    first statement of all), said in words in `note`."""

    doc_id: str
    targets: tuple[StatedTarget, ...]
    baseline: StatedTarget | None
    change: str
    note: str


@dataclass(frozen=True, slots=True)
class TargetRow:
    """One indicator across the documents. `headline`: some document states it among its
    headline targets or in an indicator table."""

    indicator: str
    headline: bool
    cells: tuple[TargetCell, ...]


def read_indicators(corpus_dir: Path) -> Rules:
    """The target recognition rules and indicator names for a corpus (the shipped data
    file and the corpus's own `indicators.toml`, if any)."""
    return read_rules(corpus_dir)


def targets(analysis: Analysis, rules: Rules | None = None, lang: str = DEFAULT_LANG
            ) -> tuple[TargetRow, ...]:
    """The targets table: one row per indicator (headline indicators first, then those
    stated in most documents), one cell per document; the notes in `lang`.

    A value is compared with the last earlier statement of the indicator at the same
    level (a city's grain output says nothing of a province's); the first statement at a
    level says where another level stated it. A document setting headline targets drops
    an indicator that the last such document of its level set among its own.
    """
    rules = rules or read_rules(analysis.corpus.root)
    grouped: dict[str, dict[str, list[Target]]] = {}
    for target in corpus_targets(analysis.corpus, rules):
        grouped.setdefault(target.indicator, {}).setdefault(target.doc_id, []).append(target)
    setters = {t.doc_id for by_doc in grouped.values() for ts in by_doc.values() for t in ts
               if t.kind in (HEADLINE, TABLE)}
    rows = []
    for order, (indicator, by_doc) in enumerate(grouped.items()):
        firsts = {d: first for d, ts in by_doc.items() if (first := _first(ts)) is not None}
        cells = []
        for n, doc in enumerate(analysis.corpus.documents):
            mine = sorted((t for t in by_doc.get(doc.id, ()) if t.is_target),
                          key=lambda t: _TARGET_ORDER[t.kind])
            base = next((t for t in by_doc.get(doc.id, ()) if not t.is_target), None)
            change, note = _change(analysis, n, mine[0] if mine else None, firsts, setters,
                                   rules, lang)
            cells.append(TargetCell(
                doc.id, tuple(_stated(analysis, t, rules) for t in mine),
                _stated(analysis, base, rules) if base else None, change, note))
        headline = any(t.kind in (HEADLINE, TABLE) for ts in by_doc.values() for t in ts)
        rows.append((not headline, -len(firsts), order,
                     TargetRow(indicator, headline, tuple(cells))))
    return tuple(row for *_, row in sorted(rows, key=lambda r: r[:3]))


def _change(analysis: Analysis, n: int, target: Target | None, firsts: dict[str, Target],
            setters: set[str], rules: Rules, lang: str = DEFAULT_LANG) -> tuple[str, str]:
    """How document n's statement of an indicator (`target`, or None) changed, and why
    (in `lang`)."""
    _ = translations(lang).gettext
    docs = analysis.corpus.documents
    level = docs[n].meta.level
    earlier = [d.id for d in docs[:n] if d.id in firsts]
    same = [d for d in earlier if analysis.corpus.document(d).meta.level == level]

    def where(t: Target) -> str:
        return _("%(value)s in %(doc)s") % {
            "value": stated(t, rules), "doc": analysis.corpus.document(t.doc_id).meta.short_title}

    if target is not None:
        if same:
            change = compare(firsts[same[-1]], target, rules)
            return change, _("%(change)s: %(where)s") % {
                "change": word(TARGET_CHANGES, change, lang), "where": where(firsts[same[-1]])}
        if earlier:
            other = firsts[earlier[-1]]
            other_level = analysis.corpus.document(other.doc_id).meta.level
            return "", _("first at %(level)s level (%(other_level)s: %(where)s)") % {
                "level": word(LEVELS, level, lang), "other_level": word(LEVELS, other_level, lang),
                "where": where(other)}
        if any(d.id in setters for d in docs[:n]):
            return NEW, _("new: no earlier document states it")
        return "", ""
    if docs[n].id not in setters:
        return "", ""
    before = [d.id for d in docs[:n] if d.id in setters and d.meta.level == level]
    last = firsts.get(before[-1]) if before else None
    if last is None or last.kind not in (HEADLINE, TABLE):
        return "", ""
    return DROPPED, _("dropped: %(where)s, not stated here") % {"where": where(last)}


def _first(targets: list[Target]) -> Target | None:
    """The target a document's cell compares: headline first, then table, then text."""
    return min((t for t in targets if t.is_target), key=lambda t: _TARGET_ORDER[t.kind],
               default=None)


def _stated(analysis: Analysis, target: Target, rules: Rules) -> StatedTarget:
    shown = stated(target, rules)
    if target.year:
        shown = f"{target.year}年 {shown}"
    return StatedTarget(target, analysis.clause(target.unit), shown)

"""The facts the report pages show, computed from an analysis (pure functions, no HTML).

Pair counts, the theme × document matrix, threads by theme, formulations with
their frequencies and contexts, and the quantitative targets. Each is a plain
record so the pages, the teaching tables and the tests read the same numbers.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from pathlib import Path

from ..analysis import Analysis
from ..errors import ManifestError
from ..fate import NOT_COMMITMENTS, REVIEW
from ..manifest import read_toml
from ..normalize import normalize
from ..records import Clause, Document
from ..terms import domain_terms, quoted_formulations
from ..vectors import WORD

#: Contexts shown per formulation and document.
KWIC_PER_DOC = 2
KWIC_WIDTH = 18


def most_specific(analysis: Analysis, clauses: list[Clause]) -> list[Clause]:
    """Commitments ordered for a highlight list: those naming the most distinctive things
    (projects, formulations, numbers) first."""
    result = analysis.result
    vectors, settings = result.vectors, result.settings

    def specificity(clause: Clause) -> float:
        words = result.words[result.row(clause.id)] if result.words else frozenset()
        idfs = [float(vectors.idf[k]) for w in words
                if (k := vectors.vocab.get(WORD + w)) is not None
                and vectors.idf[k] >= settings.evidence_idf]
        return sum(idfs)

    return sorted(clauses, key=lambda c: (-round(specificity(c), 6), c.index))


def consecutive_pairs(analysis: Analysis) -> tuple[tuple[str, str], ...]:
    ids = analysis.corpus.ids
    return tuple(zip(ids, ids[1:], strict=False))


@dataclass(frozen=True, slots=True)
class MatrixCell:
    """Commitments of one theme in one document, and the most representative of them."""

    theme: str
    doc_id: str
    count: int
    example: Clause | None


def theme_matrix(analysis: Analysis) -> tuple[tuple[MatrixCell, ...], ...]:
    """Rows: themes in taxonomy order; columns: documents in timeline order."""
    rows = []
    themes = analysis.themes.clauses
    for theme in analysis.themes.taxonomy:
        cells = []
        for doc in analysis.corpus.documents:
            mine = [c for c in analysis.commitments(doc.id) if themes[c.id].theme == theme.id]
            best = max(mine, key=lambda c: (analysis.themes.clauses[c.id].score, -c.index),
                       default=None)
            cells.append(MatrixCell(theme.id, doc.id, len(mine), best))
        rows.append(tuple(cells))
    return tuple(rows)


@dataclass(frozen=True, slots=True)
class ThreadRow:
    """One commitment followed along the timeline: its clause in each document (or None)."""

    id: str
    theme: str
    fate: str
    cells: tuple[Clause | None, ...]

    @property
    def span(self) -> int:
        return sum(1 for c in self.cells if c is not None)

    @property
    def first(self) -> Clause:
        return next(c for c in self.cells if c is not None)


def thread_rows(analysis: Analysis) -> tuple[ThreadRow, ...]:
    """Every thread of commitments, its theme and fate taken from its earliest clause."""
    position = {doc_id: n for n, doc_id in enumerate(analysis.corpus.ids)}
    rows = []
    for thread in analysis.threads:
        first = analysis.clause(thread.clauses[0])
        fate = analysis.fate(first.id).fate
        if fate in NOT_COMMITMENTS:
            continue
        cells: list[Clause | None] = [None] * len(position)
        for clause_id in thread.clauses:
            clause = analysis.clause(clause_id)
            cells[position[clause.doc_id]] = clause
        rows.append(ThreadRow(thread.id, analysis.themes.clauses[first.id].theme, fate,
                              tuple(cells)))
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


@dataclass(frozen=True, slots=True)
class Indicator:
    name: str
    patterns: tuple[re.Pattern[str], ...]
    table: str | None


@dataclass(frozen=True, slots=True)
class TargetRow:
    """One indicator across the documents: the passage stating it in each (or None)."""

    name: str
    cells: tuple[Clause | None, ...]
    table_values: tuple[tuple[str, str], ...]
    table_clause: Clause | None


def read_indicators(corpus_dir: Path) -> tuple[Indicator, ...]:
    """The indicators of the targets page (`indicators.toml`; none when the corpus has none)."""
    path = Path(corpus_dir) / "indicators.toml"
    if not path.is_file():
        return ()
    data = read_toml(path, "indicators")
    try:
        return tuple(Indicator(e["name"], tuple(re.compile(p) for p in e["patterns"]),
                               e.get("table")) for e in data.get("indicator", []))
    except (KeyError, TypeError, re.error) as exc:
        raise ManifestError(f"{path}: not a valid indicator list ({exc!r})") from exc


def targets(analysis: Analysis, indicators: tuple[Indicator, ...]) -> tuple[TargetRow, ...]:
    """Each indicator's stated target in each document, and its indicator-table row."""
    rows = []
    for indicator in indicators:
        cells = []
        for doc in analysis.corpus.documents:
            cells.append(next(
                (c for c in doc.clauses
                 if analysis.fate(c.id).fate != REVIEW and c.role != "row"
                 and re.search(r"\d", c.norm)
                 and any(p.search(c.norm) for p in indicator.patterns)),
                None))
        values: tuple[tuple[str, str], ...] = ()
        table_clause = None
        if indicator.table:
            for doc in analysis.corpus.documents:
                row = next((r for r in doc.table_rows if indicator.table in normalize(r.indicator)),
                           None)
                if row is not None:
                    values = (("指标", row.indicator), *row.values)
                    table_clause = next((c for c in doc.clauses if c.start == row.start), None)
                    break
        rows.append(TargetRow(indicator.name, tuple(cells), values, table_clause))
    return tuple(rows)

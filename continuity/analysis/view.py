"""An analysis as one page sees it: restricted to some documents and clauses, so that a page
job sent to another machine carries what its page reads instead of the whole analysis
(issue 14: every dask worker unpickled the whole, 1.7 GiB at 300 synthetic documents).

`Views(analysis).of(documents, clauses)` is an `Analysis` of the same class, which the
pages' code reads unchanged. A page job's part is the view as cut (`Views.cut`: a
`View`), made an Analysis where the page is made, with what every view shares
(`Common`, sent to a worker once). What it holds:

- every document of the corpus, in order (positions, marks and the navigation read
  them): those of `documents` whole, the others as their records without text,
  sections or clauses (`light`);
- as the alignment's clauses, those of `documents` and the `clauses` named (the view's
  own clauses), each with its rank-1 counterpart in every document (what pages show),
  and the counterparts' clauses as well (without counterparts of their own, nor their
  normalised text and words: `wordless`): whatever
  the pages ask of an own clause (its relation and rank-1 counterpart in any document,
  its fate and theme, the later review passages reporting on it, its thread) is
  answered as the whole analysis answers it; its counterparts of lower ranks, which no
  page shows, are left out;
- the fates and themes of every clause it holds, the threads they belong to, the
  corresponding sections between its whole documents, and the redlines read beforehand
  between its own clauses (a clause and its rank-1 counterpart).

The comparison plan, the settings and the aliases are the whole analysis's (small). It
holds no vectors (an empty matrix of its rows, no vocabulary) nor the evidence words
read with them: `alignment` (counterparts with their shared terms), `explain`, `trace`
and the overview's most specific passages need the whole analysis. Asked about a
clause that is not its own (a counterpart's relations, a light document's
commitments), it answers for what it holds, not as the whole would: pages ask only
about their own clauses.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import scipy.sparse as sp

from ..records import (
    Clause,
    CleanText,
    CompareTable,
    Corpus,
    Document,
    Fate,
    ReviewReport,
    Thread,
)
from ..settings import AlignSettings
from ..text.aliases import AliasMatcher
from .align import AlignmentResult
from .changes import Redline
from .run import Analysis
from .section_align import SectionMatch
from .themes import Theme, ThemeAssignment, ThemeMap
from .vectors import Vectors


def light(doc: Document) -> Document:
    """A document's record without its text, sections, units or clauses: what a page that
    only names it (navigation, legends, links) reads."""
    return replace(doc, clean=CleanText(doc.id, "", (), (), (), 0), sections=(),
                   table_rows=(), glossary=(), units=(), clauses=())


def wordless(clause: Clause) -> Clause:
    """A clause without its normalised text and words: what a page that shows it as a
    counterpart (its text, a link to it) reads."""
    return replace(clause, norm="", tokens=())


@dataclass(frozen=True, eq=False)
class Common:
    """What every view of one analysis shares, the same for all (sent once to a worker,
    not in each page's part): the corpus's folder, its documents' light records and
    `[compare]` table, the documents' ids and levels, the comparison plan, the
    alignment's settings and aliases, the theme taxonomy."""

    root: Path
    documents: tuple[Document, ...]
    compare: CompareTable
    doc_ids: tuple[str, ...]
    levels: tuple[str, ...]
    compared: np.ndarray
    settings: AlignSettings
    aliases: AliasMatcher
    taxonomy: tuple[Theme, ...]


@dataclass(frozen=True, slots=True, eq=False)
class View:
    """A view as cut from the whole analysis (`Views.cut`), without what every view
    shares (`Common`): `analysis(common)` makes it an Analysis. What a page job's part
    carries: its documents whole, its clauses (the counterparts' wordless), the rank-1
    counterparts as the alignment's arrays (rows of `clauses`), fates, threads, themes of
    the clauses and of the documents' sections, corresponding sections, redlines and
    review reports."""

    documents: tuple[Document, ...]
    clauses: tuple[Clause, ...]
    counterparts: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray,
                        np.ndarray, np.ndarray]
    fates: tuple[Fate, ...]
    threads: tuple[Thread, ...]
    themes: dict[str, ThemeAssignment]
    section_themes: dict[str, ThemeAssignment]
    sections: tuple[SectionMatch, ...]
    redlines: dict[tuple[tuple[str, ...], tuple[str, ...]], Redline]
    reports: dict[str, dict[str, tuple[ReviewReport, ...]]]

    def analysis(self, common: Common) -> Analysis:
        """The view as an Analysis (see the module's docstring)."""
        mine = {d.id: d for d in self.documents}
        corpus = Corpus(common.root, tuple(mine.get(d.id, d) for d in common.documents),
                        common.compare)
        result = AlignmentResult(
            self.clauses, common.doc_ids, common.levels, common.compared, *self.counterparts,
            common.settings,
            Vectors(sp.csr_matrix((len(self.clauses), 0)), np.zeros(0), {},
                    np.zeros(0, np.int64)),
            (), common.aliases)
        themes = ThemeMap(common.taxonomy, self.themes, self.section_themes)
        return Analysis(corpus, result, themes, self.sections, self.fates, self.threads,
                        redlines=self.redlines, _reports=self.reports)


class Views:
    """Makes restricted views of one analysis (`of`, or `cut` and `View.analysis`); what
    every view shares is made once (`common`), and the corresponding sections are
    indexed by source document."""

    def __init__(self, analysis: Analysis) -> None:
        self.analysis = analysis
        result = analysis.result
        self.common = Common(analysis.corpus.root,
                             tuple(light(d) for d in analysis.corpus.documents),
                             analysis.corpus.compare, result.doc_ids, result.levels,
                             result.compared, result.settings, result.aliases,
                             analysis.themes.taxonomy)
        self._matches: dict[str, list[SectionMatch]] | None = None

    def matches(self, doc_id: str) -> list[SectionMatch]:
        """The corresponding sections whose source is in `doc_id`, in the analysis's order."""
        if self._matches is None:
            by_doc: dict[str, list[SectionMatch]] = {}
            for m in self.analysis.sections:
                by_doc.setdefault(m.source_doc, []).append(m)
            self._matches = by_doc
        return self._matches.get(doc_id, [])

    def of(self, documents: Collection[str] = (), clauses: Iterable[str] = (),
           targets: Collection[str] | None = None) -> Analysis:
        """The analysis as a page showing `documents` whole and the clauses `clauses` sees
        it (see the module's docstring). `targets`: the documents whose counterparts it
        holds (default: every document; a pair page asks about its two documents alone,
        a theme page about none)."""
        return self.cut(documents, clauses, targets).analysis(self.common)

    def cut(self, documents: Collection[str] = (), clauses: Iterable[str] = (),
            targets: Collection[str] | None = None) -> View:
        """The view `of` makes, as cut from the whole (without what views share)."""
        whole = self.analysis
        result = whole.result
        own = _own_rows(result, documents, clauses)
        lo = np.searchsorted(result.cp_source, own, "left")
        hi = np.searchsorted(result.cp_source, own, "right")
        cps = _rank_one(result, _ranges(lo, hi))
        if targets is not None:
            wanted = np.zeros(len(result.doc_ids), dtype=bool)
            wanted[[result.doc_index(d) for d in targets]] = True
            cps = cps[wanted[result.cp_doc[cps]]]
        rows = np.union1d(own, result.cp_target[cps])  # ascending: the whole's order
        renumber = _renumbering(rows)
        mine = np.isin(rows, own).tolist()
        kept = tuple(result.clauses[i] if is_own else wordless(result.clauses[i])
                     for i, is_own in zip(rows.tolist(), mine, strict=True))
        counterparts = (renumber(result.cp_source[cps]), result.cp_doc[cps],
                        renumber(result.cp_target[cps]), result.cp_score[cps],
                        result.cp_margin[cps], result.cp_similarity[cps], result.cp_same[cps])
        shown = [d for d in whole.corpus.ids if d in set(documents)]
        fates = tuple(whole.fate(c.id) for c in kept)
        threads = tuple(whole.thread(t) for t in dict.fromkeys(f.thread for f in fates))
        sections = [s.id for d in shown for s in whole.corpus.document(d).sections]
        matches = tuple(m for d in shown for m in self.matches(d) if m.target_doc in shown)
        reports: dict[str, dict[str, tuple[ReviewReport, ...]]] = {}
        ids = {result.clauses[i].id: result.clauses[i].doc_id for i in own.tolist()}
        for doc_id in dict.fromkeys(ids.values()):
            reports[doc_id] = {c: found for c, found in whole.reports_in(doc_id).items()
                               if c in ids}
        redlines = {}
        between = cps[np.isin(result.cp_target[cps], own)]  # own clauses on both sides
        for i, j in zip(result.cp_source[between].tolist(),
                        result.cp_target[between].tolist(), strict=True):
            key = (result.clauses[i].tokens, result.clauses[j].tokens)
            line = whole.redlines.get(key)
            if line is not None:
                redlines[key] = line
        return View(tuple(whole.corpus.document(d) for d in shown), kept, counterparts, fates,
                    threads, {c.id: whole.themes.clauses[c.id] for c in kept},
                    {s: whole.themes.sections[s] for s in sections
                     if s in whole.themes.sections},
                    matches, redlines, reports)


def _own_rows(result: AlignmentResult, documents: Collection[str],
              clauses: Iterable[str]) -> np.ndarray:
    """The rows of a view's own clauses: every clause of `documents`, and `clauses`."""
    spans = [np.arange(r.start, r.stop) for d in documents if (r := result.doc_rows(d))]
    named = np.array([result.row(c) for c in clauses], dtype=np.int64)
    return np.unique(np.concatenate([*spans, named])).astype(np.int64)


def _rank_one(result: AlignmentResult, cps: np.ndarray) -> np.ndarray:
    """Of the counterparts at positions `cps` (ascending), the rank-1 ones: each clause's
    first in each document."""
    keys = result.cp_source[cps].astype(np.int64) * len(result.doc_ids) + result.cp_doc[cps]
    first = np.ones(len(cps), dtype=bool)
    first[1:] = keys[1:] != keys[:-1]
    return cps[first]


def _ranges(lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """The positions lo[k] ≤ p < hi[k] of every k, in order."""
    counts = hi - lo
    if not counts.sum():
        return np.zeros(0, dtype=np.int64)
    starts = np.repeat(lo - (np.cumsum(counts) - counts), counts)
    return (starts + np.arange(int(counts.sum()))).astype(np.int64)


def _renumbering(rows: np.ndarray) -> Callable[[np.ndarray], np.ndarray]:
    """Row numbers of the whole → their positions in `rows` (ascending, holding them)."""
    return lambda found: np.searchsorted(rows, found).astype(found.dtype)

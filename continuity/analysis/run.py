"""Run the comparison stages on a loaded corpus: align → themes → sections → fates.

`analyse` returns one record with everything the exports and reports read, and
indexes to look things up by id, so notebooks need no joins of their own.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import ContinuityError, UnknownClauseError, UnknownDocumentError
from ..records import Clause, Corpus, Unit
from ..settings import AlignSettings

if TYPE_CHECKING:  # the stages are imported when they run: numpy, scipy, jieba
    import numpy as np

    from ..engine import Engine
    from ..records import ReviewReport
    from .align import Alignment, AlignmentResult
    from .changes import Redline
    from .fate import Fate, Thread
    from .features import DocumentFeatures
    from .section_align import SectionMatch
    from .themes import ThemeMap
    from .vectors import Vectors


class Lookups:
    """Lookups by id of an analysis, made or read from the store (`store.StoredAnalysis`):
    an id it does not have is a ContinuityError saying which ids there are, never a bare
    KeyError. A subclass holds the indexes and says which documents it knows."""

    __slots__ = ()
    corpus: Corpus
    result: Any  # an AlignmentResult, or the store's StoredResult: the same lookups
    _clauses: dict[str, Clause]
    _fates: dict[str, Fate]
    _commitments: dict[str, tuple[Clause, ...]]

    def known_documents(self) -> tuple[str, ...]:
        """Every document id of the corpus, in timeline order."""
        raise NotImplementedError

    def commitments(self, doc_id: str) -> tuple[Clause, ...]:
        """A document's commitments: the clauses that have a fate (action, target and
        principle clauses long enough to align), in text order."""
        if doc_id not in self._commitments:
            raise UnknownDocumentError(doc_id, self.known_documents())
        return self._commitments[doc_id]

    def clause(self, clause_id: str) -> Clause:
        if clause_id not in self._clauses:
            raise UnknownClauseError(clause_id)
        return self._clauses[clause_id]

    def alignment(self, clause_id: str, target_doc: str) -> Alignment:
        """The clause against another document: its counterparts there, with evidence."""
        check_other_document(self.clause(clause_id), target_doc, self.known_documents())
        found: Alignment = self.result.alignment(clause_id, target_doc)
        return found

    def fate(self, clause_id: str) -> Fate:
        if clause_id not in self._fates:
            raise UnknownClauseError(clause_id)
        return self._fates[clause_id]

    def reports_on(self, clause_id: str) -> tuple[ReviewReport, ...]:
        """The later review passages that report on a clause: evidence of follow-through,
        no counterparts (`continuity.analysis.followup`)."""
        raise NotImplementedError

    def alignment_rows(self, clause_id: str) -> list[tuple[object, ...]]:
        """The clause's rows of alignments.csv (`export.alignment_rows_of`; the store reads
        them from its table)."""
        from ..output.export import alignment_rows_of

        return alignment_rows_of(self, clause_id)  # type: ignore[arg-type]

    def sentences(self, doc_id: str) -> tuple[Unit, ...]:
        """A document's sentences (its `units`: the store may read them only when asked)."""
        return self.corpus.document(doc_id).units

    def word_pieces(self, token: str) -> tuple[str, ...]:
        """The dictionary words a long token is made of, where a redline looks inside it
        (`diffing.word_pieces`, from jieba's dictionary; the store reads them back)."""
        from ..text.diffing import word_pieces

        return word_pieces(token)

    def redline(self, a: Clause, b: Clause) -> Redline:
        """How clause A's wording became clause B's (`changes.redline`), with the word
        pieces of this analysis."""
        from .changes import redline

        return redline(a.tokens, b.tokens, self.word_pieces)


@dataclass(frozen=True, slots=True)
class Analysis(Lookups):
    """The corpus and all it was found to contain, across documents."""

    corpus: Corpus
    result: AlignmentResult
    themes: ThemeMap
    sections: tuple[SectionMatch, ...]
    fates: tuple[Fate, ...]
    threads: tuple[Thread, ...]
    _clauses: dict[str, Clause] = field(default_factory=dict, repr=False)
    _fates: dict[str, Fate] = field(default_factory=dict, repr=False)
    _threads: dict[str, Thread] = field(default_factory=dict, repr=False)
    _commitments: dict[str, tuple[Clause, ...]] = field(default_factory=dict, repr=False)
    #: Redlines read beforehand, by the words of both sides (A's, B's): the build reads
    #: them for the exports (`export.counterpart_words`) and keeps those its pages show,
    #: which `redline` then reads instead of making them again.
    redlines: dict[tuple[tuple[str, ...], tuple[str, ...]], Redline] = field(
        default_factory=dict, repr=False, compare=False)
    #: Later review passages reporting on each document's clauses, made when first asked.
    _reports: dict[str, dict[str, tuple[ReviewReport, ...]]] = field(
        default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        from .fate import NOT_COMMITMENTS

        self._clauses.update((c.id, c) for c in self.result.clauses)
        self._fates.update((f.clause, f) for f in self.fates)
        self._threads.update((t.id, t) for t in self.threads)
        self._commitments.update(
            (d.id, tuple(c for c in d.clauses if self._fates[c.id].fate not in NOT_COMMITMENTS))
            for d in self.corpus.documents)

    def known_documents(self) -> tuple[str, ...]:
        return self.corpus.ids

    def redline(self, a: Clause, b: Clause) -> Redline:
        """As `Lookups.redline`, read from `redlines` when the build made it beforehand."""
        found = self.redlines.get((a.tokens, b.tokens))
        return found if found is not None else Lookups.redline(self, a, b)

    def reports_on(self, clause_id: str) -> tuple[ReviewReport, ...]:
        """The later review passages that report on a clause (`followup.review_reports`):
        evidence of follow-through, no counterparts."""
        return self.reports_in(self.clause(clause_id).doc_id).get(clause_id, ())

    def reports_in(self, doc_id: str) -> dict[str, tuple[ReviewReport, ...]]:
        """Clause id → the later review passages reporting on it, for the clauses of
        `doc_id` that have any (`reports_on`)."""
        from .followup import review_reports

        if doc_id not in self._reports:
            self._reports[doc_id] = review_reports(self.result, doc_id)
        return self._reports[doc_id]

    def thread(self, thread_id: str) -> Thread:
        if thread_id not in self._threads:
            raise ContinuityError(f"unknown thread {thread_id!r}: thread ids are those of the "
                                  "`thread` column of fates.csv")
        return self._threads[thread_id]


def check_other_document(source: Clause, target_doc: str, doc_ids: tuple[str, ...]) -> None:
    """A clause is aligned with the documents other than its own: an error naming them
    for its own document or an unknown one."""
    if target_doc not in doc_ids:
        raise UnknownDocumentError(target_doc, doc_ids)
    if target_doc == source.doc_id:
        raise ContinuityError(
            f"clause {source.id!r} is in {target_doc!r} itself: a clause is aligned with "
            f"the other documents ({', '.join(d for d in doc_ids if d != target_doc)})")


def analyse(corpus: Corpus, settings: AlignSettings | None = None,
            themes_file: Path | None = None, workers: int | None = None,
            engine: Engine | None = None,
            features: Sequence[DocumentFeatures] | None = None) -> Analysis:
    """Everything across documents: counterparts, themes, corresponding sections, fates,
    threads. Alignment is shared out between `workers` processes (default: one per core),
    or run by `engine` (`continuity.engine`); `features`: the clauses' features read
    beforehand with the same settings (`features.corpus_features`)."""
    from ..pipeline import fewer_collections

    with fewer_collections():
        return follow_fates(corpus, *aligned(corpus, settings, themes_file, workers, engine,
                                            features))


def aligned(corpus: Corpus, settings: AlignSettings | None = None,
            themes_file: Path | None = None, workers: int | None = None,
            engine: Engine | None = None, features: Sequence[DocumentFeatures] | None = None
            ) -> tuple[AlignmentResult, ThemeMap, tuple[SectionMatch, ...]]:
    """The alignment (as `analyse`), and the themes and corresponding sections, which
    this process makes while the alignment's jobs run: they need the vectors and the
    planned pairs of documents, not the counterparts. The fates follow
    (`follow_fates`)."""
    from .align import align
    from .section_align import align_sections
    from .themes import assign_themes, read_themes

    taxonomy = read_themes(themes_file.parent if themes_file else corpus.root)
    clauses = tuple(c for doc in corpus.documents for c in doc.clauses)
    found: list[tuple[ThemeMap, tuple[SectionMatch, ...]]] = []

    def beside(vectors: Vectors, compared: np.ndarray) -> None:
        found.append((assign_themes(corpus, clauses, vectors, taxonomy),
                      align_sections(corpus, clauses, vectors, compared=compared)))

    result = align(corpus, settings, workers, engine, features, meanwhile=beside)
    ((themes, sections),) = found
    return result, themes, sections


def follow_fates(corpus: Corpus, result: AlignmentResult, themes: ThemeMap,
                 sections: tuple[SectionMatch, ...]) -> Analysis:
    """The analysis of an alignment (`aligned`): each clause's fate and the threads."""
    from .fate import follow

    fates, threads = follow(corpus, result)
    return Analysis(corpus, result, themes, sections, fates, threads)

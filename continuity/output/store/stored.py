"""An analysis read back from the store: what `diff`, `trace` and `history` read of an
`Analysis` (documents, commitments, counterparts, fates, threads, themes, the redlines the
build read and the pieces of long words that other redlines look inside), answered from
its tables instead of aligning the corpus again (and without numpy, scipy or jieba).

Counterparts are read per clause and document as they are asked for (the alignments
table is indexed by source unit and target document), so a command reads only the
rows it shows. Scores are those of alignments.csv (four decimals).
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any

from ...analysis.run import Lookups
from ...errors import ContinuityError, UnknownClauseError, UnknownDocumentError
from ...records import (
    ABSENT,
    COMMITMENT_FATES,
    REVIEW,
    UNCOMPARED,
    Alignment,
    Clause,
    Corpus,
    Counterpart,
    Fate,
    ReviewReport,
    Thread,
    Unit,
)
from .read import read_sentences

if TYPE_CHECKING:
    from ...analysis.changes import Redline

#: A clause's counterparts in one document, best first.
_SELECT_ROWS = ('SELECT "target_unit", "rank", "score", "relation", "similarity", '
                '"shared_terms", "cross_level", "confidence" FROM "alignments" '
                'WHERE "source_unit" = ? AND "target_doc" = ? AND "target_unit" IS NOT NULL '
                'ORDER BY "rank"')
#: The counterparts of a document's clauses in another, each clause's best first.
_SELECT_PAIR = ('SELECT "source_unit", "target_unit", "rank", "score", "relation", '
                '"similarity", "shared_terms", "cross_level", "confidence" FROM "alignments" '
                'WHERE "source_doc" = ? AND "target_doc" = ? AND "target_unit" IS NOT NULL '
                'ORDER BY "source_unit", "rank"')
#: The redline the build kept from one clause to another.
_SELECT_REDLINE = ('SELECT "spans", "changes" FROM "redlines" WHERE "source_unit" = ? AND '
                   '"target_unit" = ?')
#: The redlines kept from a document's clauses to another's.
_SELECT_REDLINES = ('SELECT "source_unit", "target_unit", "spans", "changes" FROM "redlines" '
                    'WHERE "source_doc" = ? AND "target_doc" = ?')
#: Clauses of one document asked about in another one at a time (a query each, fast for
#: `trace` and `history`) before all their rows are read at once (`diff` asks of each).
ONE_BY_ONE = 32


@dataclass(frozen=True, slots=True)
class StoredTheme:
    """A clause's theme, as `themes.ThemeAssignment` names it."""

    theme: str


class StoredThemes:
    """The themes of the clauses read (`analysis.themes.clauses[id].theme`)."""

    def __init__(self, clauses: dict[str, StoredTheme]) -> None:
        self.clauses = clauses


class StoredAnalysis(Lookups):
    """An analysis as the store holds it (module docstring). `corpus` holds the documents
    read (all, or those a command needs); every document of the corpus is known by id."""

    def __init__(self, db: sqlite3.Connection, corpus: Corpus) -> None:
        self.db, self.corpus = db, corpus
        self._clauses = {c.id: c for d in corpus.documents for c in d.clauses}
        self._marks = ", ".join("?" * len(corpus.ids))  # the documents read, in SQL
        self._fates = {}  # read as they are asked for: a command shows few
        self._commitments = {}
        self._sentences: dict[str, tuple[Unit, ...]] = {}
        self.result = StoredResult(self)

    def fate(self, clause_id: str) -> Fate:
        """As `Lookups.fate`, for the clauses read: its row of fates.csv, read when asked."""
        if clause_id not in self._fates:
            row = self.db.execute(
                'SELECT "doc", "unit", "fate", "first_doc", "last_doc", "thread", '
                "coalesce(\"confidence\", '') FROM \"fates\" "
                'WHERE "unit" = ?', (clause_id,)).fetchone() if clause_id in self._clauses else None
            if row is None:
                raise UnknownClauseError(clause_id)
            self._fates[clause_id] = Fate(*row)  # an empty confidence is stored as NULL
        return self._fates[clause_id]

    def commitments(self, doc_id: str) -> tuple[Clause, ...]:
        """As `Lookups.commitments`, for the documents read: read when asked."""
        if doc_id not in self._commitments:
            if doc_id not in self.corpus.ids:
                raise UnknownDocumentError(doc_id, self.known_documents())
            marks = ", ".join("?" * len(COMMITMENT_FATES))
            have = {unit for (unit,) in self.db.execute(
                f'SELECT "unit" FROM "fates" WHERE "doc" = ? AND "fate" IN ({marks})',
                (doc_id, *COMMITMENT_FATES))}
            self._commitments[doc_id] = tuple(c for c in self.corpus.document(doc_id).clauses
                                              if c.id in have)
        return self._commitments[doc_id]

    def reports_on(self, clause_id: str) -> tuple[ReviewReport, ...]:
        """As `Analysis.reports_on`: the review passages of later documents (among those
        read) whose rank-1 row in alignments names the clause."""
        own = self.result.doc_index(self.clause(clause_id).doc_id)
        found = []
        for doc, unit, score, sure in self.db.execute(
                'SELECT a."source_doc", a."source_unit", a."score", a."confidence" '
                'FROM "alignments" a JOIN "fates" f ON f."unit" = a."source_unit" '
                'WHERE a."target_unit" = ? AND a."rank" = 1 AND f."fate" = ?',
                (clause_id, REVIEW)):
            later = self.result.doc_index(doc)
            if later > own and unit in self._clauses:
                review = self._clauses[unit]
                found.append((later, -score, review.index,
                              ReviewReport(doc, review, float(score), str(sure))))
        return tuple(r[-1] for r in sorted(found, key=lambda r: r[:3]))

    def alignment_rows(self, clause_id: str) -> list[tuple[object, ...]]:
        """The clause's rows of alignments.csv, as its table holds them."""
        from ..datapackage import TABLE_OF

        self.clause(clause_id)  # an unknown clause is an error, not an empty answer
        columns = ", ".join(f'"{c}"' for c in TABLE_OF["alignments.csv"].columns)
        return self.db.execute(f'SELECT {columns} FROM "alignments" WHERE "source_unit" = ? '
                               'ORDER BY rowid', (clause_id,)).fetchall()

    def sentences(self, doc_id: str) -> tuple[Unit, ...]:
        """As `Lookups.sentences`; read now when the corpus was read without them."""
        document = self.corpus.document(doc_id)
        if document.units or not document.clauses:
            return document.units
        if doc_id not in self._sentences:
            self._sentences[doc_id] = read_sentences(self.db, doc_id, words=True)
        return self._sentences[doc_id]

    @cached_property
    def themes(self) -> StoredThemes:
        """The themes of the clauses read (only `--json` shows them: read when asked)."""
        return StoredThemes({unit: StoredTheme(theme) for unit, theme in self.db.execute(
            f'SELECT "unit", "theme" FROM "units" WHERE "doc" IN ({self._marks}) '
            'ORDER BY rowid', self.corpus.ids)})

    @cached_property
    def levels(self) -> dict[str, str]:
        """Every document's level, in timeline order."""
        return dict(self.db.execute('SELECT "doc", "level" FROM "documents" ORDER BY rowid'))

    def known_documents(self) -> tuple[str, ...]:
        return tuple(self.levels)

    @cached_property
    def _pieces(self) -> dict[str, tuple[str, ...]]:
        return {word: tuple(pieces.split(" ")) for word, pieces
                in self.db.execute('SELECT "word", "pieces" FROM "word_pieces"')}

    def word_pieces(self, token: str) -> tuple[str, ...]:
        """As `diffing.word_pieces` cuts it, read from the `word_pieces` table (which holds
        every word of the stored units that has pieces), so redlines need no jieba."""
        return self._pieces.get(token, (token,))

    def redline(self, a: Clause, b: Clause) -> Redline:
        """As `Lookups.redline`: the one the build read, from the `redlines` table, when
        it holds one for this pair of clauses (a store `align` wrote holds none); else
        made now, with the stored word pieces."""
        found = self._redlines.get(a, b)
        return found if found is not None else Lookups.redline(self, a, b)

    @cached_property
    def _redlines(self) -> StoredRedlines:
        return StoredRedlines(self.db)

    def thread(self, thread_id: str) -> Thread:
        rows = self.db.execute('SELECT "doc", "unit" FROM "threads" WHERE "thread" = ? '
                               'ORDER BY "position"', (thread_id,)).fetchall()
        if not rows:
            raise ContinuityError(f"unknown thread {thread_id!r}: thread ids are those of the "
                                  "`thread` column of fates.csv")
        return Thread(thread_id, tuple(u for _, u in rows), tuple(d for d, _ in rows))


class StoredRedlines:
    """The `redlines` table, read as `StoredResult` reads counterparts: a pair of clauses
    alone until ONE_BY_ONE pairs of its two documents have been asked for (`history`
    asks for a few), then all of that pair of documents' rows at once (`diff` asks for
    each of its rows); each decoded when asked."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db
        self._asked: Counter[tuple[str, str]] = Counter()
        self._pairs: dict[tuple[str, str], dict[tuple[str, str], tuple[str, str]]] = {}

    def get(self, a: Clause, b: Clause) -> Redline | None:
        """The stored redline from clause A to clause B; None when there is none."""
        from .redlines import decode

        pair = (a.doc_id, b.doc_id)
        self._asked[pair] += 1
        if self._asked[pair] <= ONE_BY_ONE:
            row = self.db.execute(_SELECT_REDLINE, (a.id, b.id)).fetchone()
        else:
            if pair not in self._pairs:
                self._pairs[pair] = {(source, target): (spans, changes) for
                                     source, target, spans, changes
                                     in self.db.execute(_SELECT_REDLINES, pair)}
            row = self._pairs[pair].get((a.id, b.id))
        return decode(*row) if row is not None else None


class StoredResult:
    """What commands read of an `AlignmentResult`: clauses by row, documents by index,
    relations, counterparts and rank-1 counterparts."""

    def __init__(self, analysis: StoredAnalysis) -> None:
        self.analysis = analysis
        self.clauses = tuple(analysis._clauses.values())
        self.doc_ids = tuple(analysis.levels)
        self.levels = tuple(analysis.levels.values())
        self._row = {c.id: i for i, c in enumerate(self.clauses)}
        self._doc = {d: n for n, d in enumerate(self.doc_ids)}
        pairs = set(analysis.db.execute('SELECT "source_doc", "target_doc" FROM "pairs"'))
        #: compared[a, b]: documents a and b (by index) are compared (pairs.csv).
        self.compared = {(a, b): (x, y) in pairs for a, x in enumerate(self.doc_ids)
                         for b, y in enumerate(self.doc_ids)}
        self._asked: Counter[tuple[str, str]] = Counter()
        self._pairs: dict[tuple[str, str], dict[str, list[tuple[Any, ...]]]] = {}

    def row(self, clause_id: str) -> int:
        try:
            return self._row[clause_id]
        except KeyError:
            raise UnknownClauseError(clause_id) from None

    def doc_index(self, doc_id: str) -> int:
        try:
            return self._doc[doc_id]
        except KeyError:
            raise UnknownDocumentError(doc_id, self.doc_ids) from None

    def _rows(self, clause_id: str, doc_id: str) -> list[tuple[Any, ...]]:
        """The clause's rows for a document, read alone until its document's rows for
        that one have been asked for ONE_BY_ONE times, then with all of those at once."""
        self.doc_index(doc_id)
        clause = self.analysis._clauses.get(clause_id)
        pair = (clause.doc_id if clause is not None else "", doc_id)
        self._asked[pair] += 1
        if clause is None or self._asked[pair] <= ONE_BY_ONE:
            return self.analysis.db.execute(_SELECT_ROWS, (clause_id, doc_id)).fetchall()
        if pair not in self._pairs:
            by_clause: dict[str, list[tuple[Any, ...]]] = {}
            for source, *row in self.analysis.db.execute(_SELECT_PAIR, pair):
                by_clause.setdefault(source, []).append(tuple(row))
            self._pairs[pair] = by_clause
        return self._pairs[pair].get(clause_id, [])

    def relation(self, clause_id: str, doc_id: str) -> str:
        rows = self._rows(clause_id, doc_id)
        return str(rows[0][3]) if rows else self._none(clause_id, doc_id)

    def _none(self, clause_id: str, doc_id: str) -> str:
        """The relation where a clause has no counterpart: absent, or uncompared."""
        own = self.doc_index(self.analysis.clause(clause_id).doc_id)
        return ABSENT if self.compared[own, self.doc_index(doc_id)] else UNCOMPARED

    def top(self, clause_id: str, doc_id: str) -> tuple[Clause, float, str, str] | None:
        rows = self._rows(clause_id, doc_id)
        if not rows:
            return None
        target, _, score, relation, *_, sure = rows[0]
        return self.analysis.clause(str(target)), float(score), str(relation), str(sure)

    def alignment(self, clause_id: str, doc_id: str) -> Alignment:
        source = self.analysis.clause(clause_id)
        if source.doc_id == doc_id:
            raise ContinuityError(f"clause {clause_id} is in {doc_id}: compare it with another "
                                  "document")
        rows = self._rows(clause_id, doc_id)
        counterparts = tuple(
            Counterpart(str(target), doc_id, int(rank), float(score), float(similarity),
                        str(relation), tuple(str(terms).split(" ")) if terms else (),
                        str(sure))
            for target, rank, score, relation, similarity, terms, _, sure in rows)
        cross = self.levels[self.doc_index(source.doc_id)] != self.levels[self.doc_index(doc_id)]
        return Alignment(source.doc_id, source.id, doc_id,
                         counterparts[0].relation if counterparts else self._none(clause_id,
                                                                                  doc_id),
                         counterparts, cross)

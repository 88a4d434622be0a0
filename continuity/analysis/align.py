"""Align clauses across documents: for each clause and each other document, its counterparts.

Candidates come from the distinctive features two clauses share (sparse TF-IDF
restricted to features of limited document frequency, so the search stays
sparse on large corpora); each candidate is then scored by the exact cosine
over all features (words + character bigrams) plus, weighted, the cosine of
the sentences around the two clauses (neighbouring commitments that also
correspond make it surer), and judged on its evidence: the score, the
distinctive terms both sides share (frame words such as 更加注重 never count; one
term needs the full `min_score`, each further distinct term a little less), and
its edit similarity, which with the numbers of both sides decides `same` against
`reworded`. A thin match is `absent`: a wrong "reworded" costs more trust than an
honest "absent".

Results are kept compact (arrays of counterparts, and the comparison plan: a clause's
relation to a document is read from them), so memory grows with the counterparts kept,
not with the clauses × documents grid; `Alignment` records are made when asked for.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache, partial
from typing import overload

import numpy as np
import scipy.sparse as sp

from ..corpus.aliases import corpus_aliases
from ..corpus.plan import Plan, comparison_plan
from ..engine import Engine, Job, LocalEngine, Part
from ..errors import ContinuityError, UnknownClauseError, UnknownDocumentError

# The relations and the records alignment makes live in `records` (light to import, for the
# commands that answer from the store); named here as well, for the modules that use them.
from ..records import ABSENT as ABSENT
from ..records import CODES as CODES
from ..records import RELATIONS as RELATIONS
from ..records import REWORDED as REWORDED
from ..records import SAME as SAME
from ..records import UNCOMPARED as UNCOMPARED
from ..records import Alignment as Alignment
from ..records import Clause, Corpus, confidence
from ..records import Counterpart as Counterpart
from ..settings import AlignSettings
from ..text.aliases import AliasMatcher
from ..text.diffing import similarities
from ..text.normalize import normalize, wording
from ..text.terms import data_lines
from .evidence import (
    Lexicon,
    Side,
    action_verbs,
    count_evidence,
    measure_words,
    shared_terms,
    weigh,
)
from .features import DocumentFeatures, corpus_features, stop_pattern
from .features import evidence_words as evidence_words
from .features import stop_phrases as stop_phrases
from .vectors import (
    WORD,
    Vectors,
    l2_rows,
    top_pairs_by_group,
    vectors_of,
)

OWN = -1
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_WORD_CHAR = re.compile(r"[0-9A-Za-z\u4e00-\u9fff]")
#: Distinctive terms shared beyond the first that still lower the score a pair needs.
EXTRA_TERMS = 2
#: Candidates fetched per clause and document before exact rescoring.
CANDIDATES = 6
#: Features in more than this share of the corpus's clauses (and at least MIN_COMMON
#: clauses, for small corpora) are too common to find candidates with; they still count
#: in the exact score. The cut-off grows with the corpus, never a fixed count: a feature
#: in 1 % of the clauses is as common in 100 documents as in 5, and a fixed count would
#: drop a large corpus's ordinary distinctive words from the search (losing recall). The
#: search stays sparse because each source document is searched only against the
#: documents the plan compares it with (`align.candidates`).
COMMON_SHARE = 0.01
MIN_COMMON = 60


@dataclass(frozen=True, slots=True)
class PairEvidence:
    """Everything alignment weighs for one pair of clauses: the clauses' cosine, their
    sentences' cosine, the score made of both and the score the pair needs, the shared
    distinctive terms naming the same object and those naming different ones, whether
    the thresholds accept the pair, and its rank among the counterparts kept (None when
    it is not one: refused, outranked by three better ones, or never a candidate)."""

    source: str
    target: str
    similarity: float
    context: float
    score: float
    needed: float
    terms: tuple[str, ...]
    conflicts: tuple[str, ...]
    accepted: bool
    rank: int | None


@dataclass(frozen=True)
class AlignmentResult:
    """Everything alignment produced, compactly.

    Counterparts are parallel arrays sorted by (source, document, rank). The relation code
    of clause i in document d (OWN for its own document) is read from them and the plan
    (`relation_code`, `relation_codes`), not stored: a clauses × documents matrix would be
    1.8 GB at 1,000 documents, in every process that holds the result, though only the
    planned pairs' cells say more than "not compared".
    """

    clauses: tuple[Clause, ...]
    doc_ids: tuple[str, ...]
    levels: tuple[str, ...]
    #: compared[a, b]: documents a and b are compared (the comparison plan), both ways.
    compared: np.ndarray
    cp_source: np.ndarray
    cp_doc: np.ndarray
    cp_target: np.ndarray
    cp_score: np.ndarray
    cp_margin: np.ndarray
    cp_similarity: np.ndarray
    cp_same: np.ndarray
    settings: AlignSettings
    vectors: Vectors
    #: Each clause's words that can be evidence (`evidence_words`), sorted: a tuple, not
    #: the frozenset alignment used, which is five times the size (354 MiB at 300 documents).
    words: tuple[tuple[str, ...], ...]
    #: The names alignment read every form of (shipped and the corpus's aliases.toml).
    aliases: AliasMatcher

    def __post_init__(self) -> None:
        object.__setattr__(self, "_row", {c.id: i for i, c in enumerate(self.clauses)})
        object.__setattr__(self, "_doc", {d: n for n, d in enumerate(self.doc_ids)})
        object.__setattr__(self, "_doc_of", np.array(
            [self._doc[c.doc_id] for c in self.clauses], dtype=np.int32))  # type: ignore[attr-defined]
        keys = self.cp_source.astype(np.int64) * len(self.doc_ids) + self.cp_doc
        object.__setattr__(self, "_keys", keys)

    def row(self, clause_id: str) -> int:
        """The row of a clause (UnknownClauseError for an id the corpus does not have)."""
        try:
            return self._row[clause_id]  # type: ignore[attr-defined, no-any-return]
        except KeyError:
            raise UnknownClauseError(clause_id) from None

    def doc_index(self, doc_id: str) -> int:
        """The position of a document (UnknownDocumentError names the known ones)."""
        try:
            return self._doc[doc_id]  # type: ignore[attr-defined, no-any-return]
        except KeyError:
            raise UnknownDocumentError(doc_id, self.doc_ids) from None

    def doc_rows(self, doc_id: str) -> range:
        """The rows of a document's clauses (together, in text order; empty for a document
        with none)."""
        spans: dict[str, range] | None = getattr(self, "_spans", None)
        if spans is None:
            starts: dict[str, int] = {}
            ends: dict[str, int] = {}
            for i, c in enumerate(self.clauses):
                starts.setdefault(c.doc_id, i)
                ends[c.doc_id] = i + 1
            spans = {d: range(starts[d], ends[d]) for d in starts}
            object.__setattr__(self, "_spans", spans)
        self.doc_index(doc_id)  # an unknown id is an error, not an empty range
        return spans.get(doc_id, range(0))

    def relation(self, clause_id: str, doc_id: str) -> str:
        return RELATIONS[self.relation_code(self.row(clause_id), self.doc_index(doc_id))]

    def relation_code(self, i: int, d: int) -> int:
        """The relation code of the clause at row `i` in the document at index `d`: its
        rank-1 counterpart's (SAME or REWORDED), else OWN in its own document, ABSENT in a
        document the plan compares its own with, UNCOMPARED in any other."""
        k = self._rank_one().get(i * len(self.doc_ids) + d)
        if k is not None:
            return CODES[SAME] if self.cp_same[k] else CODES[REWORDED]
        return self._code_without_counterpart(i, d)

    def _code_without_counterpart(self, i: int, d: int) -> int:
        own = int(self._doc_of[i])  # type: ignore[attr-defined]
        if d == own:
            return OWN
        return CODES[ABSENT] if self.compared[own, d] else CODES[UNCOMPARED]

    def relation_codes(self, rows: np.ndarray | range) -> np.ndarray:
        """The relation codes (`relation_code`) of the clauses at `rows`, a row of int8 per
        clause, a column per document: made for these rows only, as a page or a document's
        fates need them."""
        rows = np.asarray(rows, dtype=np.int64)
        own = self._doc_of[rows]  # type: ignore[attr-defined]
        codes = np.where(self.compared[own], np.int8(CODES[ABSENT]),
                         np.int8(CODES[UNCOMPARED])).reshape(len(rows), len(self.doc_ids))
        codes[np.arange(len(rows)), own] = OWN
        which, at = self._rank_one_of(rows)
        codes[which, self.cp_doc[at]] = np.where(
            self.cp_same[at], np.int8(CODES[SAME]), np.int8(CODES[REWORDED]))
        return codes

    def firm_rank_one(self, rows: np.ndarray | range) -> np.ndarray:
        """Whether the rank-1 counterpart of each clause at `rows` in each document is firm
        (`records.confidence`): a row of booleans per clause, a column per document
        (False where it has none)."""
        rows = np.asarray(rows, dtype=np.int64)
        firm = np.zeros((len(rows), len(self.doc_ids)), dtype=bool)
        which, at = self._rank_one_of(rows)
        firm[which, self.cp_doc[at]] = (np.round(self.cp_margin[at], 4)
                                        >= self.settings.firm_margin)
        return firm

    def _rank_one_of(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The rank-1 counterparts of the clauses at `rows`: for each, the position in
        `rows` of its clause and its own in the counterpart arrays."""
        lo = np.searchsorted(self.cp_source, rows, "left")
        counts = np.searchsorted(self.cp_source, rows, "right") - lo
        which = np.repeat(np.arange(len(rows)), counts)
        at = lo[which] + np.arange(len(which)) - np.repeat(np.cumsum(counts) - counts, counts)
        keys = self._keys  # type: ignore[attr-defined]
        first = at == lo[which]  # a row's first counterpart, and each next document's
        first[~first] = keys[at[~first]] != keys[at[~first] - 1]
        return which[first], at[first]

    def alignment(self, clause_id: str, doc_id: str) -> Alignment:
        """The clause against one other document, with its counterparts and their evidence."""
        i, d = self.row(clause_id), self.doc_index(doc_id)
        source = self.clauses[i]
        if source.doc_id == doc_id:
            raise ContinuityError(f"clause {clause_id} is in {doc_id}: compare it with another "
                                  "document")
        key = i * len(self.doc_ids) + d
        keys = self._keys  # type: ignore[attr-defined]
        lo, hi = np.searchsorted(keys, key, "left"), np.searchsorted(keys, key, "right")
        counterparts = tuple(self._counterpart(source, k, rank)
                             for rank, k in enumerate(range(lo, hi), start=1))
        code = (self._code_without_counterpart(i, d) if lo == hi
                else CODES[SAME] if self.cp_same[lo] else CODES[REWORDED])
        return Alignment(source.doc_id, source.id, doc_id, RELATIONS[code], counterparts,
                         self.levels[self.doc_index(source.doc_id)] != self.levels[d])

    @property
    def alignments(self) -> Alignments:
        """Every clause against every other document, clauses in order, documents in order
        (a lazy sequence: records are made as they are read)."""
        return Alignments(self)

    def top(self, clause_id: str, doc_id: str) -> tuple[Clause, float, str, str] | None:
        """The rank-1 counterpart in a document, its score, the relation and its confidence
        (`records.confidence`); None when absent. (Cheaper than `alignment`: no evidence is
        computed.)"""
        k = self._rank_one().get(self.row(clause_id) * len(self.doc_ids) + self.doc_index(doc_id))
        if k is None:
            return None
        relation = SAME if self.cp_same[k] else REWORDED
        return (self.clauses[int(self.cp_target[k])], float(self.cp_score[k]), relation,
                confidence(float(self.cp_margin[k]), self.settings.firm_margin))

    def _rank_one(self) -> dict[int, int]:
        """(clause row × documents + document index) → the position of its rank-1
        counterpart in the counterpart arrays; made on first use. The pages ask `top`
        tens of thousands of times, and a dict answers in a tenth of the time of a
        binary search of the array (`np.searchsorted` on one value)."""
        found: dict[int, int] | None = getattr(self, "_first", None)
        if found is None:
            keys = self._keys  # type: ignore[attr-defined]
            first = np.ones(len(keys), dtype=bool)
            first[1:] = keys[1:] != keys[:-1]
            found = dict(zip(keys[first].tolist(), np.flatnonzero(first).tolist(), strict=True))
            object.__setattr__(self, "_first", found)
        return found

    def best(self, rows: range | None = None) -> dict[tuple[int, int], tuple[int, float]]:
        """(clause row, document index) → (row of its rank-1 counterpart there, the margin by
        which its score clears the score needed: what ranks counterparts), for the clauses
        of `rows` (default: all). A document's page asks for its own clauses' only: the
        whole corpus's is 290 MB at 300 documents."""
        keys = self._keys  # type: ignore[attr-defined]
        lo, hi = 0, len(keys)
        if rows is not None:
            n = len(self.doc_ids)
            lo, hi = np.searchsorted(keys, [rows.start * n, rows.stop * n]).tolist()
        keys = keys[lo:hi]
        first = np.ones(len(keys), dtype=bool)
        first[1:] = keys[1:] != keys[:-1]
        at = np.flatnonzero(first) + lo
        places = zip(self.cp_source[at].tolist(), self.cp_doc[at].tolist(), strict=True)
        found = zip(self.cp_target[at].tolist(), self.cp_margin[at].tolist(), strict=True)
        return dict(zip(places, found, strict=True))

    def explain(self, source_id: str, target_id: str) -> PairEvidence:
        """Why two clauses are or are not counterparts: every figure alignment weighs for
        them (also for a pair that never became a candidate)."""
        i, j = self.row(source_id), self.row(target_id)
        sentences: tuple[sp.csr_matrix, np.ndarray] | None = getattr(self, "_sentences", None)
        if sentences is None:
            sentences = _sentence_vectors(self.clauses, self.vectors.matrix)
            object.__setattr__(self, "_sentences", sentences)
        matrix, (units, unit_of) = self.vectors.matrix, sentences
        rows, cols = np.array([i]), np.array([j])
        cosine = _rowwise_dot(matrix, rows, cols)
        context = _rowwise_dot(units, unit_of[rows], unit_of[cols])
        a, b = self.clauses[i], self.clauses[j]
        found = weigh(Side.of(*self.aliases.view(a.norm, a.tokens)),
                      Side.of(*self.aliases.view(b.norm, b.tokens)),
                      frozenset(self.words[i]), frozenset(self.words[j]), self.lexicon)
        n_terms, n_conflicts = found.counted
        terms = np.array([n_terms], dtype=np.float64)
        conflicts = np.array([n_conflicts], dtype=np.float64)
        score = combine(cosine, context, self.settings)
        rank = next((cp.rank for cp in self.alignment(source_id, b.doc_id).counterparts
                     if cp.clause == target_id), None)
        return PairEvidence(
            source_id, target_id, round(float(cosine[0]), 4), round(float(context[0]), 4),
            round(float(score[0]), 4),
            round(float(needed_score(terms, conflicts, self.settings)[0]), 4),
            found.terms, found.conflicts,
            bool(accepted(cosine, score, terms, conflicts, self.settings,
                          formula_free_similarity([a.norm], [b.norm], terms))[0])
            and alignable(a, self.settings) and alignable(b, self.settings)
            and b.kind not in self.settings.excluded_target_kinds
            and b.function not in self.settings.excluded_target_functions,
            rank)

    def shared_terms(self, row: int, target_row: int) -> tuple[str, ...]:
        """The distinctive words two clauses (by row) share, each once, most distinctive
        first: a counterpart's evidence."""
        return shared_terms(frozenset(self.words[row]), frozenset(self.words[target_row]),
                            self.lexicon)

    @property
    def lexicon(self) -> Lexicon:
        found: Lexicon | None = getattr(self, "_lexicon", None)
        if found is None:
            found = evidence_lexicon(self.vectors, self.settings)
            object.__setattr__(self, "_lexicon", found)
        return found

    def _counterpart(self, source: Clause, k: int, rank: int) -> Counterpart:
        target_row = int(self.cp_target[k])
        target = self.clauses[target_row]
        return Counterpart(
            target.id, target.doc_id, rank, round(float(self.cp_score[k]), 4),
            round(float(self.cp_similarity[k]), 4), SAME if self.cp_same[k] else REWORDED,
            self.shared_terms(self.row(source.id), target_row),
            confidence(float(self.cp_margin[k]), self.settings.firm_margin))


class Alignments(Sequence[Alignment]):
    """A read-only sequence of all alignments of a result, made on demand."""

    def __init__(self, result: AlignmentResult) -> None:
        self._result = result
        self._per_clause = max(0, len(result.doc_ids) - 1)

    def __len__(self) -> int:
        return len(self._result.clauses) * self._per_clause

    @overload
    def __getitem__(self, index: int) -> Alignment: ...

    @overload
    def __getitem__(self, index: slice) -> list[Alignment]: ...

    def __getitem__(self, index: int | slice) -> Alignment | list[Alignment]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError(index)
        clause = self._result.clauses[index // self._per_clause]
        others = [d for d in self._result.doc_ids if d != clause.doc_id]
        return self._result.alignment(clause.id, others[index % self._per_clause])

    def __iter__(self) -> Iterator[Alignment]:
        for clause in self._result.clauses:
            for doc_id in self._result.doc_ids:
                if doc_id != clause.doc_id:
                    yield self._result.alignment(clause.id, doc_id)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))

    __hash__ = None  # type: ignore[assignment]


@cache
def frame_words() -> frozenset[str]:
    """Words that frame a commitment rather than name it: never evidence (data file)."""
    return frozenset(normalize(x) for x in data_lines("frame_words.txt"))


def content_chars(norm: str) -> int:
    """Word characters of a clause once the stop phrases are taken out."""
    return len(_WORD_CHAR.findall(formula_free(norm)))


def framed_formula(norm: str) -> bool:
    """Whether a clause says a formula and, besides it, only who is to act and how
    (data/formula_framing.txt, frame words, verbs of undertaking: 全省上下必须 +
    深刻领悟“两个确立”的决定性意义). Such a clause is as formulaic as the formula alone: it
    takes no part in alignment, so it can never "disappear" while later documents repeat
    the formula verbatim."""
    return _only_framing(formula_free(norm), norm)


def _only_framing(rest: str, norm: str) -> bool:
    """`framed_formula` of a clause `norm` whose text without formulas is `rest`."""
    return rest != norm and not _WORD_CHAR.search(_framing_pattern().sub("", rest))


@cache
def _framing_pattern() -> re.Pattern[str]:
    """The words of formula framing, frame words and verbs of undertaking, longest first
    (全省上下 before 全省)."""
    framing = {normalize(w) for w in data_lines("formula_framing.txt")}
    words = sorted(framing | frame_words() | action_verbs(), key=lambda w: (-len(w), w))
    return re.compile("|".join(re.escape(w) for w in words))


def alignable(clause: Clause, settings: AlignSettings) -> bool:
    """Whether a clause can take part in alignment at all (as source or as counterpart):
    commitments and headings (`aligned_functions`; a clause read without the functions
    stage has none and takes part), outside excluded sections, long enough, more than a
    formula with its framing."""
    if not (clause.role in ("text", "lead", "row", "heading")
            and (not clause.function or clause.function in settings.aligned_functions)
            and clause.kind not in settings.excluded_source_kinds):
        return False
    rest = formula_free(clause.norm)  # read once for both tests
    return (len(_WORD_CHAR.findall(rest)) >= settings.min_chars
            and not _only_framing(rest, clause.norm))


def align(corpus: Corpus, settings: AlignSettings | None = None,
          workers: int | None = None, engine: Engine | None = None,
          features: Sequence[DocumentFeatures] | None = None,
          meanwhile: Callable[[Vectors, np.ndarray], object] | None = None) -> AlignmentResult:
    """Counterparts of every clause in every other document of the corpus. Source
    documents are jobs for `engine` (default: the local one, with `workers` processes,
    one per core unless given), made from the corpus-wide vectors computed first from
    each document's clause features (`features`, read beforehand with the same settings,
    or read here, a job per document); the result is the same for any engine and
    number of workers. `meanwhile(vectors, compared)` is this process's own work while
    the jobs have started (`analyse`: the themes and corresponding sections, which need
    the vectors and the planned pairs of documents, not the counterparts)."""
    settings = settings or AlignSettings()
    clauses = tuple(c for doc in corpus.documents for c in doc.clauses)
    doc_ids = corpus.ids
    compared = compared_documents(comparison_plan(corpus, settings), doc_ids)
    runner = engine or LocalEngine(workers)
    aliases = AliasMatcher.of(corpus_aliases(corpus.root))
    if features is None:
        features = corpus_features(corpus, settings, runner, aliases=aliases)
    # the clauses that write a form of a name, as alignment reads them (the name instead)
    renamed: dict[int, tuple[str, Sequence[str]]] = {}
    offset = 0
    for doc, read in zip(corpus.documents, features, strict=True):
        renamed.update((offset + i, seen) for i, seen in read.views.items())
        offset += len(doc.clauses)

    def view(row: int) -> tuple[str, Sequence[str]]:
        return renamed.get(row) or (clauses[row].norm, clauses[row].tokens)

    vectors, words = vectors_of(features, settings.word_weight, settings.char_weight,
                                settings.char_min_idf)
    matrix = vectors.matrix
    sentences, sentence_of = _sentence_vectors(clauses, matrix)
    search, common = _split_matrix(vectors)
    ok = np.array([alignable(c, settings) for c in clauses], dtype=bool)
    target_ok = ok & np.array([c.kind not in settings.excluded_target_kinds
                               and c.function not in settings.excluded_target_functions
                               for c in clauses])
    position = {doc_id: n for n, doc_id in enumerate(doc_ids)}
    doc_of = np.array([position[c.doc_id] for c in clauses], dtype=np.int64)
    wordings = [wording(c.norm) for c in clauses]
    shared = SharedAlignment(settings, evidence_lexicon(vectors, settings), len(doc_ids),
                             max(CANDIDATES, 3 * settings.max_counterparts))
    eligible = _presence(vectors, shared.lexicon)

    def part(d_src: int) -> DocumentPart:
        """What aligning document `d_src` reads: its alignable clauses, its planned
        targets' eligible ones, and theirs alone of the corpus-wide arrays."""
        src = np.flatnonzero((doc_of == d_src) & ok)
        tgt = np.flatnonzero(compared[d_src][doc_of] & target_ok)
        rows = np.union1d(src, tgt)
        used, sentence = np.unique(sentence_of[rows], return_inverse=True)
        listed = rows.tolist()
        return DocumentPart(
            rows=rows, src=np.searchsorted(rows, src), tgt=np.searchsorted(rows, tgt),
            doc_of=doc_of[rows], search=search[rows], common=common[rows],
            eligible=eligible[rows], sentences=sentences[used],
            sentence_of=sentence.reshape(-1).astype(np.int64),
            views=tuple(view(i) for i in listed), words=tuple(words[i] for i in listed),
            norms=tuple(clauses[i].norm for i in listed),
            wordings=tuple(wordings[i] for i in listed))

    n_docs = len(doc_ids)
    sizes = np.bincount(doc_of[ok], minlength=n_docs)
    biggest_first = sorted(range(n_docs), key=lambda d: (-int(sizes[d]), d))
    jobs = [Job(f"aligning {doc_ids[d]}", Part(document_candidates, shared, partial(part, d)))
            for d in biggest_first]
    first = partial(meanwhile, vectors, compared) if meanwhile else None
    found = [cols for cols in runner.run(jobs, first=first) if cols is not None]
    return _compact(clauses, corpus, found, settings, vectors, words, compared, aliases)


@dataclass(frozen=True, slots=True)
class SharedAlignment:
    """What every source document's alignment reads, corpus-wide (computed first, sent to
    each worker once): the settings, the evidence lexicon (each word's idf), how many
    documents, and how many candidates to fetch per clause and document."""

    settings: AlignSettings
    lexicon: Lexicon
    n_docs: int
    keep: int


@dataclass(frozen=True, slots=True, eq=False)
class DocumentPart:
    """What aligning one source document reads, and no more: the clauses of the part (its
    own alignable clauses and its planned targets' eligible ones, `rows`: their rows in
    the corpus, ascending), which of them are sources (`src`) and targets (`tgt`, both
    positions in `rows`), each one's document, its rows of the corpus-wide vectors
    (`search`: distinctive features; `common`; `eligible`: words that could be
    evidence), its sentence's vector (`sentences`, by `sentence_of`), the text and words
    alignment reads (`views`: text and tokens with names as aliases read them), its
    evidence words, normalised text and wording. The rows of the corpus-wide arrays are
    copied as they are, so the job's arithmetic, and its result, is the same as on the
    whole."""

    rows: np.ndarray
    src: np.ndarray
    tgt: np.ndarray
    doc_of: np.ndarray
    search: sp.csr_matrix
    common: sp.csr_matrix
    eligible: sp.csr_matrix
    sentences: sp.csr_matrix
    sentence_of: np.ndarray
    views: tuple[tuple[str, Sequence[str]], ...]
    words: tuple[frozenset[str], ...]
    norms: tuple[str, ...]
    wordings: tuple[str, ...]


def document_candidates(shared: SharedAlignment, part: DocumentPart
                        ) -> tuple[np.ndarray, ...] | None:
    """The counterparts of one document's clauses in the documents it is compared with,
    at most `max_counterparts` per clause and document, as columns (source row, target
    document, target row, margin, score, similarity, same) of corpus rows."""
    settings = shared.settings
    src_rows, tgt_rows, doc_of = part.src, part.tgt, part.doc_of
    if not len(src_rows) or not len(tgt_rows):
        return None
    sides: dict[int, Side] = {}

    def side(row: int) -> Side:
        found = sides.get(row)
        if found is None:
            found = sides[row] = Side.of(*part.views[row])
        return found

    def weigh_pairs(rows: np.ndarray, cols: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """For each pair: the distinct distinctive terms both clauses share, and how many of
        them name different objects when all do (else 0: see `accepted`)."""
        terms = np.zeros(len(rows))
        conflicts = np.zeros(len(rows))
        for k, (i, j) in enumerate(zip(rows.tolist(), cols.tolist(), strict=True)):
            n, differ = count_evidence(side(i), side(j), part.words[i], part.words[j],
                                       shared.lexicon)
            terms[k] = n
            conflicts[k] = n if differ else 0
        return terms, conflicts

    norms = part.norms
    r, t, distinct_dot = top_pairs_by_group(part.search[src_rows], part.search[tgt_rows],
                                            doc_of[tgt_rows], shared.keep, floor=1e-9)
    rows, cols = src_rows[r], tgt_rows[t]
    exact = distinct_dot + _rowwise_dot(part.common, rows, cols)  # the full cosine, in two parts
    floor = exact >= settings.min_clause_score
    rows, cols, exact = rows[floor], cols[floor], exact[floor]
    context = _rowwise_dot(part.sentences, part.sentence_of[rows], part.sentence_of[cols])
    combined = combine(exact, context, settings)
    # At most as many terms as shared distinctive word features (a nested word counts
    # once, a term may name other objects): a bound that spares most pairs the check.
    most = _rowwise_dot(part.eligible, rows, cols)
    keep_pair = accepted(exact, combined, most, np.zeros(len(most)), settings)
    rows, cols, exact, combined = (a[keep_pair] for a in (rows, cols, exact, combined))
    terms, conflicts = weigh_pairs(rows, cols)
    plain = formula_free_similarity([norms[i] for i in rows.tolist()],
                                    [norms[j] for j in cols.tolist()], terms)
    keep_pair = accepted(exact, combined, terms, conflicts, settings, plain)
    margin = combined - needed_score(terms, conflicts, settings)
    rows, cols, combined, margin = (a[keep_pair] for a in (rows, cols, combined, margin))
    sims = similarities([norms[i] for i in rows.tolist()], [norms[j] for j in cols.tolist()])
    same = np.array([part.wordings[i] == part.wordings[j]
                     for i, j in zip(rows.tolist(), cols.tolist(), strict=True)], dtype=bool)
    return _best_per_key((part.rows[rows], doc_of[cols], part.rows[cols], np.round(margin, 4),
                          np.round(combined, 4), np.round(sims, 4), same),
                         shared.n_docs, settings.max_counterparts)


def combine(clause_cosine: np.ndarray, context_cosine: np.ndarray,
            settings: AlignSettings) -> np.ndarray:
    """A pair's score: its clauses' cosine, weighted with their sentences' cosine."""
    return ((clause_cosine + settings.context_weight * context_cosine)
            / (1.0 + settings.context_weight))


def needed_score(terms: np.ndarray, conflicts: np.ndarray, settings: AlignSettings
                 ) -> np.ndarray:
    """The score a pair needs, from the distinct distinctive terms it shares (each further
    term up to EXTRA_TERMS lowers it) and how many of them name different objects (all of
    them: `conflict_penalty` more; the only one: `lone_conflict_penalty` more again)."""
    differ = (terms > 0) & (conflicts == terms)
    needed: np.ndarray = (settings.min_score
                          - settings.evidence_step * np.clip(terms - 1, 0, EXTRA_TERMS)
                          + settings.conflict_penalty * differ
                          + settings.lone_conflict_penalty * (differ & (terms == 1)))
    return needed


def accepted(clause_cosine: np.ndarray, score: np.ndarray, terms: np.ndarray,
             conflicts: np.ndarray, settings: AlignSettings,
             plain: np.ndarray | None = None) -> np.ndarray:
    """Which pairs are counterparts: enough score for their evidence, clauses at least
    `min_clause_score` similar, and either a shared distinctive term or clauses
    `strong_score` similar by themselves, also once the formulas are taken out (`plain`,
    `formula_free_similarity`; None: not checked, an upper bound)."""
    strong = clause_cosine >= settings.strong_score
    if plain is not None:
        strong &= plain >= settings.strong_score
    return ((score >= needed_score(terms, conflicts, settings))
            & (clause_cosine >= settings.min_clause_score)
            & (strong | (terms >= 1)))


def formula_free(norm: str) -> str:
    """A clause's text without the formulas every document repeats (stop phrases)."""
    return stop_pattern().sub("", norm)


def formula_free_similarity(left: Sequence[str], right: Sequence[str],
                            terms: np.ndarray) -> np.ndarray:
    """For each pair of texts sharing no distinctive term, their similarity once the
    formulas are taken out; 1 for the others, which their terms vouch for. Two clauses
    alike only in 以习近平新时代中国特色社会主义思想为指导 are not one commitment
    (坚定以…为指导 / 深化对…的宣传阐释)."""
    plain = np.ones(len(terms))
    bare = np.flatnonzero(terms == 0)
    if len(bare):
        plain[bare] = similarities([formula_free(left[k]) for k in bare.tolist()],
                                   [formula_free(right[k]) for k in bare.tolist()])
    return plain


def _sentence_vectors(clauses: tuple[Clause, ...], matrix: sp.csr_matrix
                      ) -> tuple[sp.csr_matrix, np.ndarray]:
    """Each sentence unit's vector (the normalised sum of its clauses') and each clause's
    sentence row."""
    units: dict[str, int] = {}
    sentence_of = np.array([units.setdefault(c.unit_id, len(units)) for c in clauses],
                           dtype=np.int64)
    membership = sp.csr_matrix((np.ones(len(clauses)), (sentence_of, np.arange(len(clauses)))),
                               shape=(len(units), len(clauses)))
    return l2_rows((membership @ matrix).tocsr()), sentence_of


#: Candidate pairs scored per chunk, bounding the temporary matrices of row-wise products.
PAIR_CHUNK = 50_000


def _rowwise_dot(m: sp.csr_matrix, rows: np.ndarray, cols: np.ndarray,
                 other: sp.csr_matrix | None = None) -> np.ndarray:
    """m[rows[k]] · other[cols[k]] (other defaults to m) for every k, without forming the
    full product (in chunks)."""
    other = m if other is None else other
    out = np.zeros(len(rows))
    for start in range(0, len(rows), PAIR_CHUNK):
        r, c = rows[start:start + PAIR_CHUNK], cols[start:start + PAIR_CHUNK]
        out[start:start + len(r)] = np.asarray(m[r].multiply(other[c]).sum(axis=1)).ravel()
    return out


def _compact(clauses: tuple[Clause, ...], corpus: Corpus, found: list[tuple[np.ndarray, ...]],
             settings: AlignSettings, vectors: Vectors, words: tuple[frozenset[str], ...],
             compared: np.ndarray,
             aliases: AliasMatcher) -> AlignmentResult:
    """Keep the best `max_counterparts` per clause and document.

    Ranks follow the margin by which a pair's score clears the score its evidence needs
    (of two pairs as similar, the one sharing more named things comes first), ties broken
    by the counterpart's position in the corpus.
    """
    n_docs = len(corpus.ids)
    if found:
        columns = zip(*found, strict=True)
        source, doc, target, margin, score, sim, same = (np.concatenate(c) for c in columns)
    else:
        source = doc = target = np.zeros(0, dtype=np.int64)
        margin = score = sim = np.zeros(0)
        same = np.zeros(0, dtype=bool)
    source, doc, target, margin, score, sim, same = _best_per_key(
        (source, doc, target, margin, score, sim, same), n_docs, settings.max_counterparts)
    return AlignmentResult(
        clauses=clauses,
        doc_ids=corpus.ids,
        levels=tuple(d.meta.level for d in corpus.documents),
        compared=compared,
        cp_source=source.astype(np.int64),
        cp_doc=doc.astype(np.int64),
        cp_target=target.astype(np.int64),
        cp_score=score.astype(np.float64),
        cp_margin=margin.astype(np.float64),
        cp_similarity=sim.astype(np.float64),
        cp_same=same.astype(bool),
        settings=settings,
        vectors=vectors,
        words=tuple(tuple(sorted(w)) for w in words),
        aliases=aliases,
    )


def compared_documents(plan: Plan, doc_ids: tuple[str, ...]) -> np.ndarray:
    """compared[a, b]: whether documents a and b (positions in `doc_ids`) are compared."""
    position = {doc_id: n for n, doc_id in enumerate(doc_ids)}
    compared = np.zeros((len(doc_ids), len(doc_ids)), dtype=bool)
    for pair in plan.pairs:
        a, b = position[pair.earlier], position[pair.later]
        compared[a, b] = compared[b, a] = True
    return compared


def _best_per_key(columns: tuple[np.ndarray, ...], n_docs: int, limit: int
                  ) -> tuple[np.ndarray, ...]:
    """Counterpart columns (source, doc, target, margin, …) sorted by source, document,
    falling margin, then target, keeping the first `limit` of each source and document.
    Sorting on every key makes the result independent of the input's order."""
    source, doc, target, margin = columns[:4]
    order = np.lexsort((target, -margin, doc, source))
    columns = tuple(a[order] for a in columns)
    key = columns[0].astype(np.int64) * n_docs + columns[1]
    first_of_key = np.searchsorted(key, key, side="left")
    kept = (np.arange(len(key)) - first_of_key) < limit
    return tuple(a[kept] for a in columns)


def _presence(vectors: Vectors, lexicon: Lexicon) -> sp.csr_matrix:
    """1 where a clause holds a word that could be evidence (distinctive, not a frame word or
    a verb of undertaking), so that presence[i] · presence[j] bounds the terms i and j share."""
    keep = np.zeros(len(vectors.idf))
    for key, k in vectors.vocab.items():
        if key.startswith(WORD) and lexicon.distinctive(key[len(WORD):]):
            keep[k] = 1.0
    presence = (vectors.matrix @ sp.diags(keep)).tocsr()
    presence.eliminate_zeros()
    presence.data[:] = 1.0
    return presence


def _split_matrix(vectors: Vectors) -> tuple[sp.csr_matrix, sp.csr_matrix]:
    """The vectors split by feature: (distinctive features, to find candidates with and
    sparse; common features). The two parts' dot products add up to the full cosine."""
    distinct = vectors.df <= common_limit(vectors.matrix.shape[0])
    parts = []
    for keep in (distinct, ~distinct):
        part = (vectors.matrix @ sp.diags(keep.astype(np.float64))).tocsr()
        part.eliminate_zeros()
        parts.append(part)
    return parts[0], parts[1]


def common_limit(n_clauses: int) -> float:
    """The most clauses a feature may be found in and still find candidates: a share of
    the corpus (`COMMON_SHARE`), at least MIN_COMMON."""
    return max(MIN_COMMON, COMMON_SHARE * n_clauses)


def evidence_lexicon(vectors: Vectors, settings: AlignSettings) -> Lexicon:
    """What decides evidence for a corpus: each word's idf, the least idf of a distinctive
    word, and the words never counted (frame words, verbs of undertaking, units of measure)."""
    idf = {key[len(WORD):]: float(vectors.idf[k]) for key, k in vectors.vocab.items()
           if key.startswith(WORD)}
    return Lexicon(idf, settings.evidence_idf, frame_words() | action_verbs() | measure_words())


def numbers(text: str) -> tuple[str, ...]:
    """The numbers a text states, in order: a pair whose numbers differ is never `same`."""
    return tuple(_NUMBER.findall(text))

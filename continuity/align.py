"""Align clauses across documents: for each clause and each other document, its counterparts.

Candidates come from TF-IDF cosine over sparse vectors (words + character
bigrams); each candidate is then judged on its evidence: the score, the
distinctive terms both sides share, and its edit similarity, which with the
numbers of both sides decides `same` against `reworded`. A thin match is
`absent`: a wrong "reworded" costs more trust than an honest "absent".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

import numpy as np

from .diffing import similarity
from .records import Clause, Corpus
from .settings import AlignSettings
from .vectors import Vectors, build_vectors, clause_features, top_pairs

SAME, REWORDED, ABSENT = "same", "reworded", "absent"
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_PERCENT = re.compile(r"\d(?:\.\d+)?%")
_WORD_CHAR = re.compile(r"[0-9A-Za-z\u4e00-\u9fff]")


@dataclass(frozen=True, slots=True)
class Counterpart:
    """One counterpart of a clause in another document, with the evidence for it."""

    clause: str
    doc_id: str
    rank: int
    score: float
    similarity: float
    relation: str
    shared_terms: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Alignment:
    """A clause against one other document: its relation there and its counterparts (best first).

    `cross_level` marks pairs of documents of different levels (province → city).
    """

    source_doc: str
    source: str
    target_doc: str
    relation: str
    counterparts: tuple[Counterpart, ...]
    cross_level: bool


@dataclass(frozen=True, slots=True)
class AlignmentResult:
    """Everything alignment produced: the clauses, and one Alignment per clause × other document."""

    clauses: tuple[Clause, ...]
    alignments: tuple[Alignment, ...]
    settings: AlignSettings
    vectors: Vectors


@cache
def stop_phrases() -> tuple[str, ...]:
    text = resources.files("continuity").joinpath("data/stop_phrases.txt").read_text("utf-8")
    from .normalize import normalize

    lines = (line.split("#", 1)[0].strip() for line in text.splitlines())
    return tuple(sorted({normalize(x) for x in lines if x}, key=len, reverse=True))


@cache
def _stop_pattern() -> re.Pattern[str]:
    return re.compile("|".join(re.escape(p) for p in stop_phrases()) or "(?!)")


def content_chars(norm: str) -> int:
    """Word characters of a clause once the stop phrases are taken out."""
    return len(_WORD_CHAR.findall(_stop_pattern().sub("", norm)))


def alignable(clause: Clause, settings: AlignSettings) -> bool:
    """Whether a clause can take part in alignment at all (as source or as counterpart)."""
    return (clause.role in ("text", "lead", "row")
            and clause.kind not in settings.excluded_source_kinds
            and content_chars(clause.norm) >= settings.min_chars)


def align(corpus: Corpus, settings: AlignSettings | None = None) -> AlignmentResult:
    """Counterparts of every clause in every other document of the corpus."""
    settings = settings or AlignSettings()
    clauses = tuple(c for doc in corpus.documents for c in doc.clauses)
    features = [clause_features(c.tokens, c.norm) for c in clauses]
    vectors = build_vectors(features, settings.word_weight)
    levels = {d.id: d.meta.level for d in corpus.documents}
    ok = np.array([alignable(c, settings) for c in clauses], dtype=bool)
    target_ok = ok & np.array([c.kind not in settings.excluded_target_kinds for c in clauses])
    rows_of: dict[str, np.ndarray] = {}
    for doc in corpus.documents:
        rows_of[doc.id] = np.array([i for i, c in enumerate(clauses) if c.doc_id == doc.id])
    word_sets = [set(word_list) for word_list, _ in features]
    judged: dict[tuple[int, str], list[Counterpart]] = {}
    for source in corpus.documents:
        src_rows = rows_of[source.id][ok[rows_of[source.id]]]
        for target in corpus.documents:
            if target.id == source.id:
                continue
            tgt_rows = rows_of[target.id][target_ok[rows_of[target.id]]]
            if not len(src_rows) or not len(tgt_rows):
                continue
            pairs = top_pairs(vectors.matrix[src_rows], vectors.matrix[tgt_rows],
                              settings.max_counterparts, floor=settings.min_score)
            for r, t, score in pairs:
                i, j = int(src_rows[r]), int(tgt_rows[t])
                found = _judge(clauses[i], clauses[j], score, word_sets[i] & word_sets[j],
                               vectors, settings)
                if found is not None:
                    judged.setdefault((i, target.id), []).append(found)
    alignments = []
    for i, clause in enumerate(clauses):
        for target in corpus.documents:
            if target.id == clause.doc_id:
                continue
            found = sorted(judged.get((i, target.id), []), key=lambda c: (-c.score, c.clause))
            ranked = tuple(
                Counterpart(c.clause, c.doc_id, rank, c.score, c.similarity, c.relation,
                            c.shared_terms)
                for rank, c in enumerate(found[:settings.max_counterparts], start=1)
            )
            relation = ranked[0].relation if ranked else ABSENT
            alignments.append(Alignment(clause.doc_id, clause.id, target.id, relation, ranked,
                                        levels[clause.doc_id] != levels[target.id]))
    return AlignmentResult(clauses, tuple(alignments), settings, vectors)


def _judge(source: Clause, target: Clause, score: float, shared: set[str], vectors: Vectors,
           settings: AlignSettings) -> Counterpart | None:
    """A counterpart if the evidence holds, with its relation; None for a mere related topic."""
    if score < settings.min_score:
        return None
    distinctive = sorted(
        (w for w in shared if (k := vectors.vocab.get("w:" + w)) is not None
         and vectors.idf[k] >= settings.evidence_idf),
        key=lambda w: (-float(vectors.idf[vectors.vocab["w:" + w]]), w),
    )
    if score < settings.strong_score and not distinctive:
        return None
    source_numbers, target_numbers = numbers(source.norm), numbers(target.norm)
    if _PERCENT.search(source.norm) and not target_numbers:
        return None  # a percentage target is only matched by a passage that states a number
    sim = similarity(source.norm, target.norm)
    same = sim >= settings.same_similarity and source_numbers == target_numbers
    return Counterpart(target.id, target.doc_id, 0, round(score, 4), round(sim, 4),
                       SAME if same else REWORDED, tuple(distinctive[:8]))


def numbers(text: str) -> tuple[str, ...]:
    """The numbers a text states, in order: a pair whose numbers differ is never `same`."""
    return tuple(_NUMBER.findall(text))


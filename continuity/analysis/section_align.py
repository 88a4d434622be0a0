"""Align sections between the documents the comparison plan compares, many-to-many.

A section's profile is the sum of its clauses' TF-IDF vectors (subsections
included); two sections correspond as far as their profiles do, so 2022's
(十) 构建现代化产业体系 lines up with the plan's 第三篇 and its chapters.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..records import Clause, Corpus
from .membership import section_membership
from .vectors import Vectors, l2_rows, top_pairs

#: Sections below this profile similarity are not shown as corresponding.
MIN_SECTION_SCORE = 0.35
#: Corresponding sections kept per section and other document.
MAX_SECTION_MATCHES = 3


@dataclass(frozen=True, slots=True)
class SectionMatch:
    source_doc: str
    source: str
    target_doc: str
    target: str
    score: float


def align_sections(corpus: Corpus, clauses: tuple[Clause, ...], vectors: Vectors,
                   excluded_kinds: tuple[str, ...] = ("preamble", "glossary"),
                   min_score: float = MIN_SECTION_SCORE,
                   keep: int = MAX_SECTION_MATCHES,
                   compared: np.ndarray | None = None) -> tuple[SectionMatch, ...]:
    """Corresponding sections for every section and every other document it is compared
    with (`compared[a, b]`, positions in the corpus: the plan's pairs, as
    `AlignmentResult.compared`; default every pair), best first. The work follows the
    planned pairs, not the square of the corpus."""
    section_ids, members = section_membership(corpus, clauses)
    profiles = l2_rows((members @ vectors.matrix).tocsr())
    has_clauses = np.asarray(members.sum(axis=1)).ravel() > 0
    kinds = {s.id: s.kind for doc in corpus.documents for s in doc.sections}
    doc_of = {s.id: doc.id for doc in corpus.documents for s in doc.sections}
    found: dict[str, list[int]] = {doc.id: [] for doc in corpus.documents}
    for i, sid in enumerate(section_ids):
        if has_clauses[i] and kinds[sid] not in excluded_kinds:
            found[doc_of[sid]].append(i)
    rows_of = {doc_id: np.array(rows, dtype=int) for doc_id, rows in found.items()}
    documents = corpus.documents
    matches: list[SectionMatch] = []
    for a, source in enumerate(documents):
        partners = (range(len(documents)) if compared is None
                    else np.flatnonzero(compared[a]).tolist())
        for b in partners:
            target = documents[b]
            src, tgt = rows_of[source.id], rows_of[target.id]
            if source.id == target.id or not len(src) or not len(tgt):
                continue
            for r, t, score in top_pairs(profiles[src], profiles[tgt], keep, min_score):
                matches.append(SectionMatch(source.id, section_ids[src[r]], target.id,
                                            section_ids[tgt[t]], round(score, 4)))
    return tuple(matches)

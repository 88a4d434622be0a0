"""Align sections between every pair of documents, many-to-many, with scores.

A section's profile is the sum of its clauses' TF-IDF vectors (subsections
included); two sections correspond as far as their profiles do, so 2022's
(十) 构建现代化产业体系 lines up with the plan's 第三篇 and its chapters.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from .records import Clause, Corpus
from .vectors import Vectors, top_pairs

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
                   keep: int = MAX_SECTION_MATCHES) -> tuple[SectionMatch, ...]:
    """Corresponding sections for every section and every other document, best first."""
    row_of = {c.id: i for i, c in enumerate(clauses)}
    ids: dict[str, list[str]] = {}
    profiles: dict[str, sp.csr_matrix] = {}
    for doc in corpus.documents:
        parents = {s.id: s.parent for s in doc.sections}
        members: dict[str, list[int]] = {s.id: [] for s in doc.sections}
        for clause in doc.clauses:
            section: str | None = clause.section_id
            while section is not None:
                members[section].append(row_of[clause.id])
                section = parents[section]
        chosen = [s.id for s in doc.sections if members[s.id] and s.kind not in excluded_kinds]
        ids[doc.id] = chosen
        rows = [sp.csr_matrix(vectors.matrix[members[sid]].sum(axis=0)) for sid in chosen]
        profiles[doc.id] = _l2(sp.vstack(rows).tocsr()) if rows else sp.csr_matrix((0, 0))
    matches: list[SectionMatch] = []
    for source in corpus.documents:
        for target in corpus.documents:
            if source.id == target.id or not ids[source.id] or not ids[target.id]:
                continue
            for r, t, score in top_pairs(profiles[source.id], profiles[target.id], keep, min_score):
                matches.append(SectionMatch(source.id, ids[source.id][r], target.id,
                                            ids[target.id][t], round(score, 4)))
    return tuple(matches)


def _l2(m: sp.csr_matrix) -> sp.csr_matrix:
    norms = np.sqrt(np.asarray(m.multiply(m).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return (sp.diags(1.0 / norms) @ m).tocsr()

"""Later review passages that report on a commitment: evidence of follow-through.

A review passage (成都's 2023年工作回顾, the plan's 规划背景) is no counterpart: it says
what was done, not what will be, so a commitment it reports on may still "disappear"
(全面落实田长制 in the 2022 decision; the 2024 Chengdu report's review says 全面落实田长制
too). Alignment already looks for the commitment each review passage reports on (review
clauses are aligned as sources, `AlignSettings.aligned_functions`); this reads those
links the other way, so the commitment's page can show where a later document reports it.
"""

from __future__ import annotations

from ..records import ReviewReport
from .align import AlignmentResult
from .fate import REVIEW, kept_apart_as


def review_reports(result: AlignmentResult, doc_id: str,
                   review_kinds: tuple[str, ...] = ("review",)
                   ) -> dict[str, tuple[ReviewReport, ...]]:
    """Clause id of `doc_id` → the review passages of later documents compared with it
    that report on it (each one whose rank-1 counterpart in `doc_id` it is): documents in
    timeline order, within one the highest score first, then text order."""
    here = result.doc_index(doc_id)
    clauses = result.clauses
    found: dict[str, list[tuple[int, float, int, ReviewReport]]] = {}
    for later in range(here + 1, len(result.doc_ids)):
        if not result.compared[here, later]:
            continue
        rows = result.doc_rows(result.doc_ids[later])
        for (row, doc), (target, _) in result.best(rows).items():
            review = clauses[row]
            if doc != here or kept_apart_as(review, result, review_kinds) != REVIEW:
                continue
            top = result.top(review.id, doc_id)
            assert top is not None
            _, score, _, sure = top
            report = ReviewReport(result.doc_ids[later], review, score, sure)
            found.setdefault(clauses[target].id, []).append((later, -score, review.index,
                                                             report))
    return {clause_id: tuple(r[-1] for r in sorted(reports, key=lambda r: r[:3]))
            for clause_id, reports in found.items()}

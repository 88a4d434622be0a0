"""Later review passages that report on a commitment: evidence of follow-through.

A review passage (成都's 2023年工作回顾, the plan's 规划背景) is no counterpart: it says
what was done, not what will be, so a commitment it reports on may still "disappear"
(全面落实田长制 in the 2022 decision; the 2024 Chengdu report's review says 全面落实田长制
too). Alignment already looks for the commitment each review passage reports on (review
clauses are aligned as sources, `AlignSettings.aligned_functions`); this reads those
links the other way, so the commitment's page can show where a later document reports it.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..records import FIRM, Clause, confidence
from .align import AlignmentResult
from .fate import REVIEW, kept_apart_as


@dataclass(frozen=True, slots=True)
class ReviewReport:
    """A later document's review passage whose best counterpart in the commitment's own
    document is that commitment; `confidence` is that link's (firm or tentative)."""

    doc_id: str
    review: Clause
    confidence: str

    @property
    def firm(self) -> bool:
        return self.confidence == FIRM


def review_reports(result: AlignmentResult, doc_id: str,
                   review_kinds: tuple[str, ...] = ("review",)
                   ) -> dict[str, tuple[ReviewReport, ...]]:
    """Clause id of `doc_id` → the review passages of later documents compared with it
    that report on it (each one whose rank-1 counterpart in `doc_id` it is), the most
    sure first within each document, documents in timeline order."""
    here = result.doc_index(doc_id)
    clauses = result.clauses
    firm = result.settings.firm_margin
    found: dict[str, list[tuple[int, float, Clause]]] = {}
    for later in range(here + 1, len(result.doc_ids)):
        if not result.compared[here, later]:
            continue
        rows = result.doc_rows(result.doc_ids[later])
        for (row, doc), (target, margin) in result.best(rows).items():
            if doc != here or kept_apart_as(clauses[row], result, review_kinds) != REVIEW:
                continue
            found.setdefault(clauses[target].id, []).append((later, -margin, clauses[row]))
    return {
        clause_id: tuple(ReviewReport(result.doc_ids[later], review, confidence(-neg, firm))
                         for later, neg, review in sorted(reports, key=_order))
        for clause_id, reports in found.items()}


def _order(report: tuple[int, float, Clause]) -> tuple[int, float, int]:
    later, neg_margin, review = report
    return later, neg_margin, review.index

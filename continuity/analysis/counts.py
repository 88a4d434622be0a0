"""The counts the site, the exports and the commands show, each defined once, here.

A researcher who asks "how many commitments of the 2022 decision disappeared?" must get
one number wherever they look, and be able to compute it from the CSV exports:

- Per document (`FateCounts`): its commitments by fate along the whole timeline, and its
  clauses kept apart by what they are. From fates.csv: the rows of that document, by
  `fate`. Among those that persist or evolve, those whose fate rests on tentative
  counterparts alone: the rows whose `confidence` is tentative.
- Per pair of documents A → B (`PairCounts`): A's commitments by their relation in B
  (same words, reworded, or no counterpart there), and B's commitments with no
  counterpart in A. From fates.csv (which clauses are commitments) and alignments.csv
  (the rank-1 row of each; absent when it has none for the other document of the pair,
  pairs.csv listing the pairs compared). Among A's commitments with a counterpart, those
  whose rank-1 counterpart is tentative (that row's `confidence`): worth checking.

A pair count is not a fate: a 2022 commitment absent from the 2025 report may still
reappear in the 15th plan, so it "disappears" only if no later document has it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Container
from dataclasses import dataclass

# From `records`, not `align` and `fate`: `continuity diff` counts from the store, without numpy.
from ..records import ABSENT, COMMITMENT_FATES, FATES, REWORDED, SAME, TENTATIVE
from .run import Analysis

#: What each fate counts, in the words every page and command uses.
FATE_MEANINGS = {
    "emerges": "commitments with no counterpart in any earlier document",
    "persists": "commitments with a counterpart in every later document, in the same words",
    "evolves": "commitments with counterparts later, reworded or not in every later document",
    "disappears": "commitments with no counterpart in any later document",
    "review": "retrospective passages: what was done, not a commitment",
    "context": "assessments and situation: no commitment",
    "procedural": "meeting and document framing: no commitment",
    "heading": "headings and titles",
    "unaligned": "commitments too short or too formulaic to align",
}
#: What the count of fates resting on tentative counterparts counts (`FateCounts.tentative`).
FATE_CONFIDENCE_MEANINGS = {
    "tentative": "commitments that persist or evolve on tentative counterparts alone: "
                 "their fate may be wrong, check them",
}
#: What a pair count counts (A → B).
PAIR_MEANINGS = {
    "same": "commitments of A with a counterpart in B in the same words",
    "reworded": "commitments of A with a reworded counterpart in B",
    "absent": "commitments of A with no counterpart in B",
    "new": "commitments of B with no counterpart in A",
    "tentative": "commitments of A whose counterpart in B is tentative: check them",
}


@dataclass(frozen=True, slots=True)
class FateCounts:
    """One document's clauses by fate (FATE_MEANINGS says what each counts)."""

    doc_id: str
    by_fate: tuple[tuple[str, int], ...]
    #: Of those that persist or evolve: whose fate rests on tentative counterparts alone.
    tentative: int = 0

    def __getitem__(self, fate: str) -> int:
        return dict(self.by_fate)[fate]

    @property
    def commitments(self) -> int:
        return sum(self[f] for f in COMMITMENT_FATES)


@dataclass(frozen=True, slots=True)
class PairCounts:
    """From document A to document B (PAIR_MEANINGS says what each counts)."""

    a: str
    b: str
    same: int
    reworded: int
    absent: int
    new: int
    #: Of the same and reworded: those whose rank-1 counterpart is tentative.
    tentative: int = 0

    @property
    def commitments(self) -> int:
        """A's commitments: same + reworded + absent."""
        return self.same + self.reworded + self.absent


def fate_counts(analysis: Analysis, doc_id: str) -> FateCounts:
    """A document's clauses by fate (fates.csv, its rows by `fate`)."""
    analysis.corpus.document(doc_id)  # an unknown id is an error naming the known ones
    mine = [f for f in analysis.fates if f.doc_id == doc_id]
    found = Counter(f.fate for f in mine)
    return FateCounts(doc_id, tuple((fate, found[fate]) for fate in FATES),
                      sum(1 for f in mine if f.confidence == TENTATIVE))


def pair_counts(analysis: Analysis, a: str, b: str,
                section_ids: Container[str] | None = None) -> PairCounts:
    """A's commitments by their rank-1 relation in B, and B's commitments absent from A.
    `section_ids`: only A's commitments in these sections (`continuity diff --section`);
    B's are counted whole."""
    result = analysis.result
    mine = [c for c in analysis.commitments(a)
            if section_ids is None or c.section_id in section_ids]
    relations = Counter(result.relation(c.id, b) for c in mine)
    tentative = sum(1 for c in mine if (top := result.top(c.id, b)) and top[3] == TENTATIVE)
    new = sum(1 for c in analysis.commitments(b) if result.relation(c.id, a) == ABSENT)
    return PairCounts(a, b, relations[SAME], relations[REWORDED], relations[ABSENT], new,
                      tentative)

"""How two documents differ: each commitment of one beside its counterpart in the other
(where a phrase goes across the timeline is `continuity.analysis.trace`).

Pure functions returning records; `console` and the HTML reports render them.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import ContinuityError
from ..records import (
    ABSENT,
    DELETE,
    EQUAL,
    INSERT,
    NEW_NUMBERING,
    OLD_NUMBERING,
    REWORDED,
    Clause,
    DiffSpan,
    ReviewReport,
)
from ..text.normalize import normalize_with_offsets
from .changes import Change
from .run import Analysis


@dataclass(frozen=True, slots=True)
class PairRow:
    """One clause of document A against document B: relation, counterpart and word diff.

    `diff` runs over the normalised words of both sides; `a_spans` and `b_spans` are
    the same diff in each side's display text (A: equal and deleted runs; B: equal
    and inserted runs), so pages show the original wording and punctuation. `changes`
    says how a reworded counterpart's wording changed (`continuity.analysis.changes`);
    `confidence`, whether the counterpart is firm or tentative (empty when absent).
    `reports`: when absent, B's review passages that report on the clause (B later than
    A: follow-through, no counterpart; `continuity.analysis.followup`).
    """

    clause: Clause
    relation: str
    counterpart: Clause | None
    score: float
    diff: tuple[DiffSpan, ...]
    a_spans: tuple[DiffSpan, ...] = ()
    b_spans: tuple[DiffSpan, ...] = ()
    changes: tuple[Change, ...] = ()
    confidence: str = ""
    reports: tuple[ReviewReport, ...] = ()


def display_spans(text: str, spans: tuple[DiffSpan, ...], keep: str) -> tuple[DiffSpan, ...]:
    """The runs of `spans` on one side (ops `equal` and `keep`), cut from display `text`.

    Span texts are normalised; each boundary is mapped back to a display offset, so
    the runs cover `text` exactly, whitespace and full-width punctuation included. The
    side's leading numbering, when the other side does not keep it (`OLD_NUMBERING`,
    `NEW_NUMBERING`), is no change: an equal run.
    """
    mapping = normalize_with_offsets(text)
    neutral = OLD_NUMBERING if keep == DELETE else NEW_NUMBERING
    side = [s for s in spans if s.op in (EQUAL, keep, neutral)]
    out: list[DiffSpan] = []
    position, cut = 0, 0
    for n, span in enumerate(side):
        position += len(span.text)
        end = len(text) if n == len(side) - 1 else (
            mapping.offsets[position] if position < len(mapping.offsets) else len(text))
        op = EQUAL if span.op == neutral else span.op
        if out and out[-1].op == op:  # the numbering, then the kept words after it
            out[-1] = DiffSpan(op, out[-1].text + text[cut:end])
        else:
            out.append(DiffSpan(op, text[cut:end]))
        cut = end
    return tuple(s for s in out if s.text)


def compare_documents(analysis: Analysis, a: str, b: str,
                      section_ids: set[str] | None = None) -> tuple[tuple[PairRow, ...],
                                                                      tuple[Clause, ...]]:
    """A row for every commitment of A (optionally only some sections): its relation in B,
    rank-1 counterpart and word diff; and B's commitments with no counterpart in A (new in
    B, or gone if B is the earlier document). Without sections, the rows and the list
    are what `counts.pair_counts` counts."""
    analysis.corpus.document(a)
    analysis.corpus.document(b)
    if a == b:
        raise ContinuityError(f"compare two different documents (both are {a!r})")
    rows = []
    for clause in analysis.commitments(a):
        if section_ids is not None and clause.section_id not in section_ids:
            continue
        top = analysis.result.top(clause.id, b)
        if top is not None:
            other, score, relation, sure = top
            line = analysis.redline(clause, other)
            rows.append(PairRow(clause, relation, other, score, line.spans,
                                display_spans(clause.text, line.spans, DELETE),
                                display_spans(other.text, line.spans, INSERT),
                                line.changes if relation == REWORDED else (), sure))
        else:
            rows.append(PairRow(clause, ABSENT, None, 0.0, (), reports=tuple(
                r for r in analysis.reports_on(clause.id) if r.doc_id == b)))
    unmatched = tuple(c for c in analysis.commitments(b)
                      if analysis.result.relation(c.id, a) == ABSENT)
    return tuple(rows), unmatched

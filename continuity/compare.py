"""Questions people ask of an analysis: how do two documents differ, where does a phrase go.

Pure functions returning records; `console` and the HTML reports render them.
"""

from __future__ import annotations

from dataclasses import dataclass

from .align import ABSENT, REWORDED
from .analysis import Analysis
from .changes import Change, changes_in
from .diffing import DELETE, EQUAL, INSERT, DiffSpan, word_runs
from .errors import ContinuityError
from .normalize import normalize, normalize_with_offsets
from .records import Clause


@dataclass(frozen=True, slots=True)
class PairRow:
    """One clause of document A against document B: relation, counterpart and word diff.

    `diff` runs over the normalised words of both sides; `a_spans` and `b_spans` are
    the same diff in each side's display text (A: equal and deleted runs; B: equal
    and inserted runs), so pages show the original wording and punctuation. `changes`
    says how a reworded counterpart's wording changed (`continuity.changes`).
    """

    clause: Clause
    relation: str
    counterpart: Clause | None
    score: float
    diff: tuple[DiffSpan, ...]
    a_spans: tuple[DiffSpan, ...] = ()
    b_spans: tuple[DiffSpan, ...] = ()
    changes: tuple[Change, ...] = ()


def display_spans(text: str, spans: tuple[DiffSpan, ...], keep: str) -> tuple[DiffSpan, ...]:
    """The runs of `spans` on one side (ops `equal` and `keep`), cut from display `text`.

    Span texts are normalised; each boundary is mapped back to a display offset, so
    the runs cover `text` exactly, whitespace and full-width punctuation included.
    """
    mapping = normalize_with_offsets(text)
    side = [s for s in spans if s.op in (EQUAL, keep)]
    out = []
    position, cut = 0, 0
    for n, span in enumerate(side):
        position += len(span.text)
        end = len(text) if n == len(side) - 1 else (
            mapping.offsets[position] if position < len(mapping.offsets) else len(text))
        out.append(DiffSpan(span.op, text[cut:end]))
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
            other, score, relation = top
            runs = word_runs(clause.tokens, other.tokens)
            diff = tuple(DiffSpan(run.op, run.text) for run in runs)
            rows.append(PairRow(clause, relation, other, score, diff,
                                display_spans(clause.text, diff, DELETE),
                                display_spans(other.text, diff, INSERT),
                                changes_in(runs) if relation == REWORDED else ()))
        else:
            rows.append(PairRow(clause, ABSENT, None, 0.0, ()))
    unmatched = tuple(c for c in analysis.commitments(b)
                      if analysis.result.relation(c.id, a) == ABSENT)
    return tuple(rows), unmatched


@dataclass(frozen=True, slots=True)
class TraceStep:
    """Where a traced commitment stands in one document."""

    doc_id: str
    relation: str
    clauses: tuple[Clause, ...]
    scores: tuple[float, ...]


def trace(analysis: Analysis, text: str) -> tuple[Clause | None, tuple[Clause, ...],
                                                  tuple[TraceStep, ...]]:
    """The clause that best carries `text` (earliest containing it, else most similar), every
    clause containing it, and the anchor's counterparts document by document."""
    query = normalize(text)
    clauses = analysis.result.clauses
    containing = tuple(c for c in clauses if query and query in c.norm)
    anchor = containing[0] if containing else _most_similar(analysis, query)
    if anchor is None:
        return None, (), ()
    steps = []
    for doc in analysis.corpus.documents:
        if doc.id == anchor.doc_id:
            steps.append(TraceStep(doc.id, "source", (anchor,), (1.0,)))
            continue
        alignment = analysis.alignment(anchor.id, doc.id)
        steps.append(TraceStep(doc.id, alignment.relation,
                               tuple(analysis.clause(c.clause) for c in alignment.counterparts),
                               tuple(c.score for c in alignment.counterparts)))
    return anchor, containing, tuple(steps)


def _most_similar(analysis: Analysis, query: str) -> Clause | None:
    from .segment import segment
    from .vectors import clause_features, feature_keys

    vectors = analysis.result.vectors
    keys = feature_keys(clause_features(segment(query), query))
    cols = [vectors.vocab[k] for k in keys if k in vectors.vocab]
    if not cols:
        return None
    scores = vectors.matrix[:, cols].sum(axis=1)
    best = int(scores.argmax())
    return analysis.result.clauses[best] if float(scores[best, 0]) > 0 else None

"""One commitment's history: its wording in each document of the timeline, and how it changed.

A history follows one thread (`fate.Thread`: counterparts linked document to document,
cut where they drift), so every step is a counterpart of the step before and the first
and last steps are counterparts of each other. Each document of the timeline is a step:
the passage that carries the commitment there, with the word-level redline against its
previous appearance, or `absent` where no passage does.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..records import DELETE, INSERT, REWORDED, UNCOMPARED, Clause, DiffSpan, ReviewReport
from .changes import Change
from .compare import display_spans
from .run import Analysis
from .trace import carriers

PRESENT, ELSEWHERE, ABSENT = "present", "elsewhere", "absent"


@dataclass(frozen=True, slots=True)
class Step:
    """The commitment in one document. `state` is `present`: the thread's passage there,
    its relation to the previous appearance (`first`, `same` or `reworded`) and the
    redline from that appearance (`previous`) to this one, old and new side, with its
    kinds of change (`continuity.analysis.changes`) when reworded; `elsewhere`:
    the thread's first passage has a counterpart there (`clause`, with its relation) that
    carries on another thread (a passage takes one thread, and a document may repeat a
    commitment); or `absent`: the first passage has no counterpart there. `confidence`:
    whether the counterpart that links this step is firm or tentative (empty for the
    first step and an absent one). `reports`: where the commitment is absent, this
    document's review passages that report on its earlier passages (follow-through,
    `continuity.analysis.followup`)."""

    doc_id: str
    state: str
    clause: Clause | None = None
    relation: str = ""
    diff: tuple[DiffSpan, ...] = ()
    old: tuple[DiffSpan, ...] = ()
    new: tuple[DiffSpan, ...] = ()
    previous: Clause | None = None
    changes: tuple[Change, ...] = ()
    confidence: str = ""
    reports: tuple[ReviewReport, ...] = ()


@dataclass(frozen=True, slots=True)
class History:
    """A commitment followed through the timeline: its thread, its fate (that of its first
    appearance) and a step per document compared with its first appearance's (the
    comparison plan), in timeline order."""

    thread: str
    fate: str
    steps: tuple[Step, ...]
    #: How sure that fate is (`records.Fate.confidence`: tentative when it rests on
    #: tentative counterparts alone).
    confidence: str = ""

    @property
    def clauses(self) -> tuple[Clause, ...]:
        """The thread's own passages (not counterparts followed elsewhere)."""
        return tuple(s.clause for s in self.steps if s.state == PRESENT and s.clause is not None)

    @property
    def first(self) -> Clause:
        return self.clauses[0]


def history(analysis: Analysis, clause_id: str) -> History:
    """The history of the commitment a clause carries (the thread it belongs to)."""
    thread = analysis.thread(analysis.fate(clause_id).thread)
    return thread_history(analysis, thread.id, thread.clauses)


def thread_history(analysis: Analysis, thread_id: str, clause_ids: tuple[str, ...]) -> History:
    """The history of a thread given its clauses (timeline order)."""
    by_doc = {analysis.clause(c).doc_id: analysis.clause(c) for c in clause_ids}
    first = analysis.clause(clause_ids[0])
    result = analysis.result
    steps: list[Step] = []
    previous: Clause | None = None
    seen: list[Clause] = []  # the thread's passages before this document
    for doc_id in analysis.corpus.ids:
        clause = by_doc.get(doc_id)
        if clause is None:  # the commitment as it began: asking a later step could drift
            if result.relation(first.id, doc_id) == UNCOMPARED:
                continue  # not compared with the first passage's document: nothing known
            top = result.top(first.id, doc_id)
            if top is not None:
                steps.append(Step(doc_id, ELSEWHERE, top[0], top[2], confidence=top[3]))
            else:
                steps.append(Step(doc_id, ABSENT, reports=_reports(analysis, seen, doc_id)))
            continue
        seen.append(clause)
        if previous is None:
            steps.append(Step(doc_id, PRESENT, clause, "first"))
        else:
            line = analysis.redline(previous, clause)
            # a thread's link is the previous passage's rank-1 counterpart here
            link = result.top(previous.id, doc_id)
            relation = result.relation(previous.id, doc_id)
            steps.append(Step(doc_id, PRESENT, clause, relation, line.spans,
                              display_spans(previous.text, line.spans, DELETE),
                              display_spans(clause.text, line.spans, INSERT), previous,
                              line.changes if relation == REWORDED else (),
                              link[3] if link is not None and link[0] == clause else ""))
        previous = clause
    fate = analysis.fate(first.id)
    return History(thread_id, fate.fate, tuple(steps), fate.confidence)


def _reports(analysis: Analysis, earlier: list[Clause], doc_id: str
             ) -> tuple[ReviewReport, ...]:
    """The review passages of `doc_id` that report on any of the earlier passages, each
    once, in the order `reports_on` gives them (latest passage first)."""
    found: dict[str, ReviewReport] = {}
    for clause in reversed(earlier):
        for report in analysis.reports_on(clause.id):
            if report.doc_id == doc_id:
                found.setdefault(report.review.id, report)
    return tuple(found.values())


def find_clauses(analysis: Analysis, query: str) -> tuple[Clause, ...]:
    """The clauses a query names: a clause id (as in the exports), a sentence id (its
    clauses), text some passages contain (each of them), or a sentence copied whole (its
    clauses), read as `continuity trace` reads it. Raises ContinuityError when nothing
    matches."""
    passages, _ = carriers(analysis, query)
    return passages

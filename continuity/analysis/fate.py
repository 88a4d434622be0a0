"""Follow each clause along the timeline: its fate, and the thread of counterparts it belongs to.

Only commitments (clauses whose function is action, target or principle) have a fate
(the documents' timeline order comes from the manifest dates; only the documents compared
with the clause's own count, `continuity.corpus.plan`):
- `emerges`: no counterpart in any earlier document (and there is an earlier one);
- `persists`: a counterpart in every later document, all in the same words;
- `evolves`: counterparts later, but reworded or not in every later document
  (in the last document: carried over from an earlier one);
- `disappears`: no counterpart in any later document.
Every other clause is kept apart and its record says what it is instead: `review`
(a retrospective passage: evidence of follow-through), `context`, `procedural`,
`heading` (its function, `continuity.analysis.functions`), or `unaligned` (a commitment too short
or too formulaic to align).
Threads chain each clause to its best counterpart in the nearest later document
that has one, so one commitment can be read from 2022 to 2026 in one row; a chain is
cut where it drifts, so that the first and last clauses of every thread are themselves
counterparts.
"""

from __future__ import annotations

import hashlib

import numpy as np

# The fates and the records following makes live in `records` (light to import, for the
# commands that answer from the store); named here as well, for the modules that use them.
from ..records import COMMITMENT_FATES as COMMITMENT_FATES
from ..records import CONTEXT as CONTEXT
from ..records import DISAPPEARS as DISAPPEARS
from ..records import EMERGES as EMERGES
from ..records import EVOLVES as EVOLVES
from ..records import FATES as FATES
from ..records import HEADING as HEADING
from ..records import NOT_COMMITMENTS as NOT_COMMITMENTS
from ..records import PERSISTS as PERSISTS
from ..records import PROCEDURAL as PROCEDURAL
from ..records import REVIEW as REVIEW
from ..records import UNALIGNED as UNALIGNED
from ..records import Clause, Corpus
from ..records import Fate as Fate
from ..records import Thread as Thread
from .align import ABSENT, CODES, SAME, UNCOMPARED, AlignmentResult, alignable
from .functions import COMMITMENTS


def follow(corpus: Corpus, result: AlignmentResult, review_kinds: tuple[str, ...] = ("review",)
           ) -> tuple[tuple[Fate, ...], tuple[Thread, ...]]:
    """Fates of every clause and the threads that connect them."""
    ids = result.doc_ids
    relations = result.relations
    threads = _threads(result, review_kinds)
    thread_of: dict[str, Thread] = {cid: t for t in threads for cid in t.clauses}
    order = {doc_id: n for n, doc_id in enumerate(ids)}
    fates = []
    for i, clause in enumerate(result.clauses):
        thread = thread_of[clause.id]
        first = min(thread.docs, key=order.__getitem__)
        last = max(thread.docs, key=order.__getitem__)
        kept_apart = kept_apart_as(clause, result, review_kinds)
        if kept_apart:
            fate = kept_apart
        else:
            here = order[clause.doc_id]
            fate = fate_of(relations[i, :here], relations[i, here + 1:])
        fates.append(Fate(clause.doc_id, clause.id, fate, first, last, thread.id))
    return tuple(fates), threads


def kept_apart_as(clause: Clause, result: AlignmentResult,
                  review_kinds: tuple[str, ...] = ("review",)) -> str | None:
    """What a clause that is not a commitment is (one of NOT_COMMITMENTS); None for a
    commitment. A clause read without the functions stage (no `function`) falls back on
    its section's kind and its role."""
    if clause.function and clause.function not in COMMITMENTS:
        return clause.function
    if clause.kind in review_kinds:
        return REVIEW
    if clause.role == "heading":
        return HEADING
    if not alignable(clause, result.settings):
        return UNALIGNED
    return None


def fate_of(earlier: np.ndarray, later: np.ndarray) -> str:
    """A fate from the relation codes of a clause in the earlier and the later documents.
    Documents its own is not compared with (the comparison plan) say nothing and are left
    out: a commitment followed along its series disappears only from what follows it there."""
    uncompared = CODES[UNCOMPARED]
    earlier, later = earlier[earlier != uncompared], later[later != uncompared]
    absent, same = CODES[ABSENT], CODES[SAME]
    if len(earlier) and (earlier == absent).all():
        return EMERGES
    if not len(later):
        if not len(earlier):
            return EMERGES  # a corpus of one document: everything in it is new
        return PERSISTS if earlier[-1] == same else EVOLVES
    if (later == absent).all():
        return DISAPPEARS
    if (later == same).all():
        return PERSISTS
    return EVOLVES


def _threads(result: AlignmentResult, review_kinds: tuple[str, ...]) -> tuple[Thread, ...]:
    """Chains: each clause links forward to its best counterpart in the nearest later document
    that has one; a clause takes at most one link from behind (the strongest: the largest
    margin over the score its evidence needs)."""
    ids = result.doc_ids
    clauses = result.clauses
    doc_index = {doc_id: n for n, doc_id in enumerate(ids)}
    best = result.best()
    proposals = []
    for i, clause in enumerate(clauses):
        if kept_apart_as(clause, result, review_kinds):
            continue  # threads follow commitments (a heading may still end one)
        for d in range(doc_index[clause.doc_id] + 1, len(ids)):
            found = best.get((i, d))
            if found is not None:
                row, margin = found
                proposals.append((-margin, clause.id, clauses[row].id))
                break
    proposals.sort()
    forward: dict[str, str] = {}
    backward: dict[str, str] = {}
    for _, source, target in proposals:
        if source in forward or target in backward:
            continue
        forward[source] = target
        backward[target] = source
    linked = counterpart_pairs(result)
    row_of = {c.id: i for i, c in enumerate(clauses)}
    threads = []
    doc_of = {c.id: c.doc_id for c in clauses}
    for clause in clauses:
        if clause.id in backward:
            continue
        chain = [clause.id]
        while chain[-1] in forward:
            chain.append(forward[chain[-1]])
        for part in split_drift([row_of[c] for c in chain], linked):
            ids = tuple(clauses[k].id for k in part)
            digest = hashlib.sha1("\x1f".join(ids).encode("utf-8")).hexdigest()[:10]
            threads.append(Thread(f"t{digest}", ids, tuple(doc_of[c] for c in ids)))
    return tuple(threads)


def counterpart_pairs(result: AlignmentResult) -> frozenset[tuple[int, int]]:
    """Every (clause row, counterpart row) of the result, kept ranks only, both ways round:
    two clauses are counterparts when either is among the other's."""
    forward = zip(result.cp_source.tolist(), result.cp_target.tolist(), strict=True)
    pairs = set(forward)
    return frozenset(pairs | {(b, a) for a, b in pairs})


def split_drift(chain: list[int], linked: frozenset[tuple[int, int]]) -> list[list[int]]:
    """A chain of counterparts cut where it drifts: a thread grows only while each new clause
    is itself a counterpart of the thread's first clause, so that one thread carries one
    commitment from its first document to its last (A → B → C where C no longer carries
    A's commitment becomes A → B and C → …)."""
    parts: list[list[int]] = []
    for row in chain:
        if parts and (parts[-1][0], row) in linked:
            parts[-1].append(row)
        else:
            parts.append([row])
    return parts

"""Follow each clause along the timeline: its fate, and the thread of counterparts it belongs to.

Fates (the documents' timeline order comes from the manifest dates):
- `emerges`: no counterpart in any earlier document (and there is an earlier one);
- `persists`: a counterpart in every later document, all in the same words;
- `evolves`: counterparts later, but reworded or not in every later document
  (in the last document: carried over from an earlier one);
- `disappears`: no counterpart in any later document;
- `review`: a retrospective passage (工作回顾, 规划背景): evidence of follow-through,
  not a commitment, so kept apart;
- `unaligned`: a heading or a passage too short or too formulaic to align.
Threads chain each clause to its best counterpart in the nearest later document
that has one, so one commitment can be read from 2022 to 2026 in one row.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from .align import ABSENT, SAME, Alignment, AlignmentResult, alignable
from .records import Corpus

EMERGES, PERSISTS, EVOLVES, DISAPPEARS = "emerges", "persists", "evolves", "disappears"
REVIEW, UNALIGNED = "review", "unaligned"
FATES = (EMERGES, PERSISTS, EVOLVES, DISAPPEARS, REVIEW, UNALIGNED)


@dataclass(frozen=True, slots=True)
class Fate:
    """A clause's fate; `first_doc`/`last_doc` are the ends of its thread on the timeline."""

    doc_id: str
    clause: str
    fate: str
    first_doc: str
    last_doc: str
    thread: str


@dataclass(frozen=True, slots=True)
class Thread:
    """A chain of counterparts, one clause per document at most, in timeline order."""

    id: str
    clauses: tuple[str, ...]
    docs: tuple[str, ...]


def follow(corpus: Corpus, result: AlignmentResult, review_kinds: tuple[str, ...] = ("review",)
           ) -> tuple[tuple[Fate, ...], tuple[Thread, ...]]:
    """Fates of every clause and the threads that connect them."""
    order = {doc_id: n for n, doc_id in enumerate(corpus.ids)}
    by_pair: dict[tuple[str, str], Alignment] = {(a.source, a.target_doc): a
                                                for a in result.alignments}
    clauses = {c.id: c for c in result.clauses}
    threads = _threads(corpus.ids, result, by_pair, review_kinds)
    thread_of = {cid: t for t in threads for cid in t.clauses}
    fates = []
    for clause in result.clauses:
        thread = thread_of[clause.id]
        first = min(thread.docs, key=order.__getitem__)
        last = max(thread.docs, key=order.__getitem__)
        if clause.kind in review_kinds:
            fate = REVIEW
        elif not alignable(clause, result.settings):
            fate = UNALIGNED
        else:
            fate = _fate(clause.doc_id, clause.id, corpus.ids, order, by_pair)
        fates.append(Fate(clause.doc_id, clause.id, fate, first, last, thread.id))
    assert len(clauses) == len(fates)
    return tuple(fates), threads


def _fate(doc_id: str, clause_id: str, ids: tuple[str, ...], order: dict[str, int],
          by_pair: dict[tuple[str, str], Alignment]) -> str:
    here = order[doc_id]
    earlier = [by_pair[(clause_id, d)] for d in ids[:here]]
    later = [by_pair[(clause_id, d)] for d in ids[here + 1:]]
    if earlier and all(a.relation == ABSENT for a in earlier):
        return EMERGES
    if not later:
        if not earlier:
            return EMERGES  # a corpus of one document: everything in it is new
        return PERSISTS if earlier[-1].relation == SAME else EVOLVES
    if all(a.relation == ABSENT for a in later):
        return DISAPPEARS
    if all(a.relation == SAME for a in later):
        return PERSISTS
    return EVOLVES


def _threads(ids: tuple[str, ...], result: AlignmentResult,
             by_pair: dict[tuple[str, str], Alignment],
             review_kinds: tuple[str, ...]) -> tuple[Thread, ...]:
    """Chains: each clause links forward to its best counterpart in the nearest later document
    that has one; a clause takes at most one link from behind (the strongest)."""
    order = {doc_id: n for n, doc_id in enumerate(ids)}
    proposals = []
    for clause in result.clauses:
        if clause.kind in review_kinds:
            continue
        for target in ids[order[clause.doc_id] + 1:]:
            alignment = by_pair[(clause.id, target)]
            if alignment.counterparts:
                best = alignment.counterparts[0]
                proposals.append((-best.score, clause.id, best.clause))
                break
    proposals.sort()
    forward: dict[str, str] = {}
    backward: dict[str, str] = {}
    for _, source, target in proposals:
        if source in forward or target in backward:
            continue
        forward[source] = target
        backward[target] = source
    threads = []
    doc_of = {c.id: c.doc_id for c in result.clauses}
    for clause in result.clauses:
        if clause.id in backward:
            continue
        chain = [clause.id]
        while chain[-1] in forward:
            chain.append(forward[chain[-1]])
        digest = hashlib.sha1("\x1f".join(chain).encode("utf-8")).hexdigest()[:10]
        threads.append(Thread(f"t{digest}", tuple(chain), tuple(doc_of[c] for c in chain)))
    return tuple(threads)

"""Follow each clause along the timeline: its fate, and the thread of counterparts it belongs to.

Only commitments (clauses whose function is action, target or principle) have a fate
(the documents' timeline order comes from the manifest dates; only the documents compared
with the clause's own count, `continuity.corpus.plan`):
- `emerges`: no counterpart in any earlier document (and there is an earlier one);
- `persists`: a counterpart in every later document, all in the same words;
- `evolves`: counterparts later, but reworded or not in every later document
  (in the last document: carried over from an earlier one);
- `disappears`: no counterpart in any later document.
A fate that persists or evolves rests on rank-1 counterparts, and says how sure it is: firm
when one of them is firm, tentative when all are (`fate_confidences`).
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
from collections.abc import Container

import numpy as np

# The fates and the records following makes live in `records` (light to import, for the
# commands that answer from the store); named here as well, for the modules that use them.
from ..corpus.unique_ids import unique_name
from ..records import COMMITMENT_FATES as COMMITMENT_FATES
from ..records import CONTEXT as CONTEXT
from ..records import DISAPPEARS as DISAPPEARS
from ..records import EMERGES as EMERGES
from ..records import EVOLVES as EVOLVES
from ..records import FATES as FATES
from ..records import FIRM, TENTATIVE, Clause, Corpus
from ..records import HEADING as HEADING
from ..records import NOT_COMMITMENTS as NOT_COMMITMENTS
from ..records import PERSISTS as PERSISTS
from ..records import PROCEDURAL as PROCEDURAL
from ..records import REVIEW as REVIEW
from ..records import UNALIGNED as UNALIGNED
from ..records import Fate as Fate
from ..records import Thread as Thread
from .align import ABSENT, CODES, OWN, SAME, UNCOMPARED, AlignmentResult, alignable
from .functions import COMMITMENTS


def follow(corpus: Corpus, result: AlignmentResult, review_kinds: tuple[str, ...] = ("review",)
           ) -> tuple[tuple[Fate, ...], tuple[Thread, ...]]:
    """Fates of every clause and the threads that connect them. Each clause is read once
    for what it is (`kept_apart_as`), and the commitments' fates a source document at a
    time, from the relation codes of its clauses together (`fates_of`)."""
    ids = result.doc_ids
    clauses = result.clauses
    apart = [kept_apart_as(c, result, review_kinds) for c in clauses]
    threads = _threads(result, apart)
    order = {doc_id: n for n, doc_id in enumerate(ids)}
    ends = {t.id: (min(t.docs, key=order.__getitem__), max(t.docs, key=order.__getitem__))
            for t in threads}
    thread_of: dict[str, str] = {cid: t.id for t in threads for cid in t.clauses}
    doc_of = np.array([order[c.doc_id] for c in clauses], dtype=np.int64)
    found: list[str | None] = list(apart)
    confidences = [""] * len(clauses)
    rows_by_doc = np.argsort(doc_of, kind="stable")
    bounds = np.searchsorted(doc_of[rows_by_doc], np.arange(len(ids) + 1))
    for here in range(len(ids)):
        rows = rows_by_doc[bounds[here]:bounds[here + 1]]
        rows = rows[[apart[r] is None for r in rows.tolist()]] if len(rows) else rows
        if len(rows):
            codes = result.relation_codes(rows)
            names = fates_of(codes, here)
            sure = fate_confidences(codes, result.firm_rank_one(rows), here, names)
            for r, name, how in zip(rows.tolist(), names, sure, strict=True):
                found[r] = name
                confidences[r] = how
    fates = []
    for clause, fate, how in zip(clauses, found, confidences, strict=True):
        thread = thread_of[clause.id]
        first, last = ends[thread]
        assert fate is not None  # a commitment's fate was found with its document's
        fates.append(Fate(clause.doc_id, clause.id, fate, first, last, thread, how))
    return tuple(fates), threads


def fate_confidences(relations: np.ndarray, firm: np.ndarray, here: int,
                     fates: list[str]) -> list[str]:
    """How sure each fate of `fates_of` is: a commitment that persists or evolves rests on
    its rank-1 counterparts in the later documents (in the last document of its
    timeline: the earlier ones), and is `firm` when one of them is, `tentative` when all
    are (`firm`: rank-1 firmness, a row per clause, a column per document). Any other
    fate rests on no counterpart: ''. About a third of tentative counterparts carry the
    same commitment, so a fate resting on them alone is worth checking."""
    uncompared, absent = CODES[UNCOMPARED], CODES[ABSENT]
    has = (relations != uncompared) & (relations != absent) & (relations != OWN)
    later_compared = (relations[:, here + 1:] != uncompared).any(axis=1)
    columns = np.arange(relations.shape[1])
    side = np.where(later_compared[:, None], columns > here, columns < here)
    sure = (has & side & firm).any(axis=1)
    return [(FIRM if s else TENTATIVE) if fate in (PERSISTS, EVOLVES) else ""
            for fate, s in zip(fates, sure.tolist(), strict=True)]


def fates_of(relations: np.ndarray, here: int) -> list[str]:
    """`fate_of` for several clauses of the document at timeline position `here`, read
    together: `relations` holds their rows of relation codes, one column per document."""
    uncompared, absent, same = CODES[UNCOMPARED], CODES[ABSENT], CODES[SAME]
    earlier, later = relations[:, :here], relations[:, here + 1:]
    n_earlier = (earlier != uncompared).sum(axis=1)
    n_later = (later != uncompared).sum(axis=1)
    emerges = (n_earlier > 0) & ((earlier == absent).sum(axis=1) == n_earlier)
    compared = earlier != uncompared
    last = here - 1 - np.argmax(compared[:, ::-1], axis=1) if here else np.zeros(
        len(relations), dtype=np.int64)
    last_same = (earlier[np.arange(len(relations)), last] == same) if here else np.zeros(
        len(relations), dtype=bool)
    codes = np.select(
        [emerges, (n_later == 0) & (n_earlier == 0), (n_later == 0) & last_same, n_later == 0,
         (later == absent).sum(axis=1) == n_later, (later == same).sum(axis=1) == n_later],
        [0, 0, 1, 2, 3, 1], default=2)
    names = (EMERGES, PERSISTS, EVOLVES, DISAPPEARS)
    return [names[c] for c in codes.tolist()]


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


def _threads(result: AlignmentResult, apart: list[str | None]) -> tuple[Thread, ...]:
    """Chains: each clause links forward to its best counterpart in the nearest later document
    that has one; a clause takes at most one link from behind (the strongest: the largest
    margin over the score its evidence needs). `apart`: what each clause is when it is
    not a commitment (`kept_apart_as`): threads follow commitments (a heading may still
    end one)."""
    ids = result.doc_ids
    clauses = result.clauses
    doc_index = {doc_id: n for n, doc_id in enumerate(ids)}
    own = [doc_index[c.doc_id] for c in clauses]
    nearest: dict[int, tuple[int, int, float]] = {}  # row: (document, counterpart, margin)
    for (i, d), (row, margin) in result.best().items():
        if d > own[i] and apart[i] is None and (i not in nearest or d < nearest[i][0]):
            nearest[i] = (d, row, margin)
    proposals = sorted((-margin, clauses[i].id, clauses[row].id)
                       for i, (_, row, margin) in nearest.items())
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
    named: set[str] = set()  # thread ids: unique, as the store's key needs
    doc_of = {c.id: c.doc_id for c in clauses}
    for clause in clauses:
        if clause.id in backward:
            continue
        chain = [clause.id]
        while chain[-1] in forward:
            chain.append(forward[chain[-1]])
        for part in split_drift([row_of[c] for c in chain], linked):
            ids = tuple(clauses[k].id for k in part)
            digest = hashlib.sha1("\x1f".join(ids).encode("utf-8")).hexdigest()
            threads.append(Thread(unique_name("t", digest, named), ids,
                                  tuple(doc_of[c] for c in ids)))
    return tuple(threads)


class Linked(Container[tuple[int, int]]):
    """Pairs of clause rows (a, b), both ways round, held as the numbers a * n + b (n: the
    number of clauses), which take a tenth of the memory and time of a set of pairs."""

    def __init__(self, sources: np.ndarray, targets: np.ndarray, n: int) -> None:
        a, b = sources.astype(np.int64), targets.astype(np.int64)
        self.n = n
        self.keys = set((a * n + b).tolist()) | set((b * n + a).tolist())

    def __contains__(self, pair: object) -> bool:
        if not isinstance(pair, tuple) or len(pair) != 2:
            return False
        return pair[0] * self.n + pair[1] in self.keys


def counterpart_pairs(result: AlignmentResult) -> Linked:
    """Every (clause row, counterpart row) of the result, kept ranks only, both ways round:
    two clauses are counterparts when either is among the other's."""
    return Linked(result.cp_source, result.cp_target, len(result.clauses))


def split_drift(chain: list[int], linked: Container[tuple[int, int]]) -> list[list[int]]:
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

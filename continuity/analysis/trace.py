"""Where a phrase, a sentence or a unit of the exports goes across the timeline.

An editor pastes what they have: a phrase (every passage carrying it is listed and the
earliest is followed), a whole sentence copied from a document (its clauses are followed
one by one, since alignment works clause by clause), or a unit id from the CSV exports.
Text that no passage carries is an error, never quietly replaced by a look-alike: the
nearest passages may be offered, as suggestions.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import ContinuityError
from ..records import Clause, ReviewReport
from ..text.normalize import normalize
from .run import Analysis

#: Nearest passages offered when a text is carried by none.
SUGGESTIONS = 5


class PassageNotFound(ContinuityError):
    """No passage of the corpus carries the text; `suggestions` are the nearest passages
    (none from an analysis read from the store, which keeps no vectors: `nearest(analysis,
    norm)` on one made now gives them), `norm` the text's comparison form."""

    def __init__(self, query: str, suggestions: tuple[Clause, ...], norm: str = "") -> None:
        super().__init__(f"no passage of the corpus carries {query!r}")
        self.query = query
        self.suggestions = suggestions
        self.norm = norm


@dataclass(frozen=True, slots=True)
class TraceStep:
    """Where a traced clause stands in one document: `source` (its own document), or its
    relation there with its counterparts (best first), their scores and confidences
    ("" for the source itself)."""

    doc_id: str
    relation: str
    clauses: tuple[Clause, ...]
    scores: tuple[float, ...]
    confidences: tuple[str, ...] = ()
    #: This document's review passages that report on the clause (a later document's:
    #: `followup.review_reports`), no counterparts.
    reports: tuple[ReviewReport, ...] = ()


@dataclass(frozen=True, slots=True)
class Trace:
    """A query followed: `passages` are the clauses that carry it (for a sentence, the clauses
    of the sentence that holds it), `followed` the clauses traced, each with its steps."""

    query: str
    passages: tuple[Clause, ...]
    followed: tuple[tuple[Clause, tuple[TraceStep, ...]], ...]


def trace(analysis: Analysis, query: str) -> Trace:
    """Follow a phrase, a copied sentence or a unit id across the timeline (module
    docstring); PassageNotFound when nothing carries it."""
    passages, followed = carriers(analysis, query)
    return Trace(query, passages, tuple((c, steps(analysis, c)) for c in followed))


def carriers(analysis: Analysis, query: str) -> tuple[tuple[Clause, ...], tuple[Clause, ...]]:
    """(the passages that carry the query, the clauses to follow)."""
    wanted = query.strip()
    clauses = analysis.result.clauses
    for key in ("id", "unit_id"):  # a clause id, or a sentence id: its clauses
        found = tuple(c for c in clauses if getattr(c, key) == wanted)
        if found:
            return found, found
    norm = normalize(wanted)
    if not norm:
        raise ContinuityError("give a phrase, a sentence or a unit id to trace")
    containing = tuple(c for c in clauses if norm in c.norm)
    if containing:
        return containing, containing[:1]
    for doc in analysis.corpus.documents:  # a sentence copied whole, or a run of clauses
        for unit in analysis.sentences(doc.id):
            at = unit.norm.find(norm)
            if at < 0:
                continue
            mine = [c for c in doc.clauses if c.unit_id == unit.id]
            spans, offset = [], 0
            for c in mine:
                spans.append((offset, offset + len(c.norm)))
                offset += len(c.norm)
            if offset != len(unit.norm):  # clauses not additive here: take them all
                chosen = tuple(mine)
            else:
                chosen = tuple(c for c, (a, b) in zip(mine, spans, strict=True)
                               if a < at + len(norm) and b > at)
            return chosen, chosen
    vectors = getattr(analysis.result, "vectors", None)
    raise PassageNotFound(query, nearest(analysis, norm) if vectors is not None else (), norm)


def steps(analysis: Analysis, clause: Clause) -> tuple[TraceStep, ...]:
    """The clause's own document, then its counterparts in every other one (and the
    review passages there that report on it)."""
    out = []
    reports = analysis.reports_on(clause.id)
    for doc in analysis.corpus.documents:
        if doc.id == clause.doc_id:
            out.append(TraceStep(doc.id, "source", (clause,), (1.0,), ("",)))
            continue
        alignment = analysis.alignment(clause.id, doc.id)
        out.append(TraceStep(doc.id, alignment.relation,
                             tuple(analysis.clause(c.clause) for c in alignment.counterparts),
                             tuple(c.score for c in alignment.counterparts),
                             tuple(c.confidence for c in alignment.counterparts),
                             tuple(r for r in reports if r.doc_id == doc.id)))
    return tuple(out)


def nearest(analysis: Analysis, norm: str, limit: int = SUGGESTIONS) -> tuple[Clause, ...]:
    """The clauses most similar to a text (by the alignment's vectors), best first."""
    import numpy as np

    from ..text.segment import segment
    from .features import clause_features, feature_keys

    vectors = analysis.result.vectors
    text, words = analysis.result.aliases.view(norm, segment(norm))
    keys = feature_keys(clause_features(words, text))
    cols = sorted({vectors.vocab[k] for k in keys if k in vectors.vocab})
    if not cols:
        return ()
    scores = np.asarray(vectors.matrix[:, cols].sum(axis=1)).ravel()
    order = np.lexsort((np.arange(len(scores)), -scores))[:limit]
    return tuple(analysis.result.clauses[int(k)] for k in order if scores[k] > 0)

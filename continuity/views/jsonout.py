"""What `corpus`, `trace`, `history`, `diff` and `evaluate` show, as one JSON document each
(`--json`), for scripts.

Records carry the fields of the CSV exports where they correspond, typed as
datapackage.json types them (integers, numbers, true/false; an empty cell is null): a
document is its row of documents.csv, a passage its row of units.csv (listed once, under
`units`, and named elsewhere by its `unit` id), a counterpart its row of alignments.csv.
What a command adds (a history's steps, a pair's word diff) uses the same names:
`doc`, `unit`, `relation`, `score`, `changes`.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from ..output.datapackage import TABLE_OF
from ..records import Clause, Corpus, DiffSpan

if TYPE_CHECKING:
    from ..analysis.compare import PairRow
    from ..analysis.history import History
    from ..analysis.run import Analysis
    from ..analysis.trace import Trace
    from ..evaluation.alignment import Evaluation, Miss, Score


#: One encoder for every row (json.dumps with options makes a new one per call).
_ENCODER = json.JSONEncoder(ensure_ascii=False, allow_nan=False)


def dumps(document: dict[str, Any]) -> str:
    """The JSON text: UTF-8 characters as they are (no \\u escapes), keys in the order
    given, so the same result prints the same bytes. Each top-level key on a line of its
    own, and each item of a top-level list on a line of its own (a row, one object per
    line, as a reader scans them): the items are encoded by json's C encoder, which an
    indented dump cannot use (it took 0.2 s of a diff's 0.37 s)."""
    one = _ENCODER.encode

    def block(value: Any) -> str:
        if isinstance(value, list) and value:
            return "[\n" + ",\n".join(f"    {one(item)}" for item in value) + "\n  ]"
        return one(value)

    if not document:
        return "{}"
    return "{\n" + ",\n".join(f"  {one(key)}: {block(value)}"
                               for key, value in document.items()) + "\n}"


def record(file: str, row: Sequence[object]) -> dict[str, Any]:
    """A row of an export file as a JSON object: its columns, typed as its data package
    types them (the value a CSV cell reads as), an empty cell null."""
    out: dict[str, Any] = {}
    for field, cell in zip(TABLE_OF[file].fields, row, strict=True):
        if cell == "" or cell is None:
            out[field.name] = None
        elif field.type == "integer":
            out[field.name] = int(str(cell))
        elif field.type == "number":
            out[field.name] = float(str(cell))
        elif field.type == "boolean":
            out[field.name] = str(cell) in ("1", "True")
        else:
            out[field.name] = str(cell)
    return out


def corpus_document(corpus: Corpus) -> dict[str, Any]:
    """`continuity corpus`: each document's row of documents.csv, with its short title, the
    encoding its file was read in, its sentences and what cleaning removed and joined."""
    from ..corpus.structure import structure_warning
    from ..output.rows import document_row

    return {"documents": [
        {**record("documents.csv", document_row(d)), "short_title": d.meta.short_title,
         "encoding": d.encoding, "sentences": len(d.units), "removed_lines": len(d.clean.removed),
         "joins": len(d.clean.joins), "warning": structure_warning(d.sections) or None}
        for d in corpus.documents]}


class _Units:
    """The passages a document names, each once, in the order first named."""

    def __init__(self, analysis: Analysis) -> None:
        self.analysis = analysis
        self.seen: dict[str, Clause] = {}

    def __call__(self, clause: Clause | None) -> str | None:
        if clause is None:
            return None
        self.seen.setdefault(clause.id, clause)
        return clause.id

    def records(self) -> list[dict[str, Any]]:
        from ..output.rows import unit_row

        themes = self.analysis.themes.clauses
        return [record("units.csv", unit_row(c, themes[c.id].theme)) for c in self.seen.values()]


def _spans(spans: Iterable[DiffSpan]) -> list[dict[str, str]]:
    return [{"op": s.op, "text": s.text} for s in spans]


def _fate(analysis: Analysis, unit: str) -> dict[str, Any]:
    f = analysis.fate(unit)
    return record("fates.csv", (f.doc_id, f.clause, f.fate, f.first_doc, f.last_doc, f.thread,
                                        f.confidence))


def trace_document(analysis: Analysis, found: Trace) -> dict[str, Any]:
    """`continuity trace`: the passages carrying the query, and for each clause followed
    its fate, its rows of alignments.csv (its counterparts in every other document, best
    first), the documents it was compared with but has none in (`absent`, as pairs.csv
    and alignments.csv say it), and the rows of alignments.csv by which later review
    passages report on it (`reported_in`: follow-through, no counterparts)."""
    from ..records import ABSENT

    units = _Units(analysis)
    passages = [units(c) for c in found.passages]
    followed = []
    for clause, _ in found.followed:
        rows = [record("alignments.csv", row) for row in analysis.alignment_rows(clause.id)]
        for row in rows:
            units(analysis.clause(row["target_unit"]))
        absent = [d for d in analysis.corpus.ids if d != clause.doc_id
                  and analysis.result.relation(clause.id, d) == ABSENT]
        reported = [row for r in analysis.reports_on(clause.id)
                    for row in (record("alignments.csv", x)
                                for x in analysis.alignment_rows(r.review.id))
                    if row["target_unit"] == clause.id and row["rank"] == 1]
        for row in reported:
            units(analysis.clause(row["source_unit"]))
        followed.append({"unit": units(clause), "fate": _fate(analysis, clause.id),
                         "alignments": rows, "absent": absent, "reported_in": reported})
    return {"query": found.query, "passages": passages, "followed": followed,
            "units": units.records()}


def history_document(analysis: Analysis, query: str,
                     histories: Sequence[History]) -> dict[str, Any]:
    """`continuity history`: each history (its thread, its fate, a step per document in
    timeline order: `state` present, elsewhere or absent, the passage, its relation to the
    previous appearance, the kinds of change as alignments.csv writes them, the word
    diff from the previous appearance, and where it is absent the review passages there
    that report on it: `reported_by`, follow-through, no counterparts)."""
    from ..analysis.changes import codes

    units = _Units(analysis)
    out = []
    for h in histories:
        steps = [{"doc": s.doc_id, "state": s.state, "unit": units(s.clause),
                  "relation": s.relation or None, "previous_unit": units(s.previous),
                  "changes": codes(s.changes) or None, "diff": _spans(s.diff),
                  "reported_by": [units(r.review) for r in s.reports]}
                 for s in h.steps]
        out.append({"thread": h.thread, "fate": h.fate,
                    "fate_confidence": h.confidence or None, "steps": steps})
    return {"query": query, "histories": out, "units": units.records()}


def diff_document(analysis: Analysis, source_doc: str, target_doc: str, section: str | None,
                  rows: Sequence[PairRow], unmatched: Sequence[Clause] | None) -> dict[str, Any]:
    """`continuity diff`: a row per commitment of the first document (its rank-1
    counterpart in the second, relation, score, kinds of change, word diff, and where it
    has none the second's review passages reporting on it, `reported_by`), then the
    second's commitments with no counterpart in the first (null for one section of the
    first, as the command shows none then)."""
    from ..analysis.changes import codes

    units = _Units(analysis)
    out = [{"source_unit": units(r.clause), "target_unit": units(r.counterpart),
            "relation": r.relation,
            "score": float(f"{r.score:.4f}") if r.counterpart is not None else None,
            "changes": codes(r.changes) or None, "diff": _spans(r.diff),
            "reported_by": [units(x.review) for x in r.reports]} for r in rows]
    return {"source_doc": source_doc, "target_doc": target_doc, "section_path": section,
            "rows": out, "unmatched": None if unmatched is None else [units(c) for c in unmatched],
            "units": units.records()}


def _score(score: Score) -> dict[str, Any]:
    accuracy = score.accuracy
    return {"correct": score.correct, "total": score.total,
            "accuracy": None if math.isnan(accuracy) else round(accuracy, 4)}


def evaluation_document(analysis: Analysis, evaluation: Evaluation,
                        misses: Sequence[Miss] | None = None) -> dict[str, Any]:
    """`continuity evaluate`: the figures (overall, absent and present targets, per target
    document, relation agreement) and each probe's verdict; with `misses`, each wrong one
    with the clauses involved and the evidence alignment weighed for them."""
    out: dict[str, Any] = {
        "overall": _score(evaluation.overall), "absent": _score(evaluation.absent),
        "present": _score(evaluation.present),
        "per_target": {doc: _score(s) for doc, s in evaluation.per_target().items()},
        "relation_agreement": _score(evaluation.relation_agreement),
        "probes": [{"probe": r.probe, "source_doc": r.source_doc, "source_unit": r.source_clause,
                    "source_units": list(r.source_clauses or (r.source_clause,)),
                    "target_doc": r.target_doc, "gold": r.gold, "predicted": r.predicted,
                    "correct": r.correct, "target_unit": r.matched_clause,
                    "relation": r.matched_relation} for r in evaluation.results],
    }
    if misses is not None:
        units = _Units(analysis)
        out["misses"] = [_miss(analysis, m, units) for m in misses]
        out["units"] = units.records()
    return out


def _miss(analysis: Analysis, miss: Miss, units: _Units) -> dict[str, Any]:
    """A wrong verdict: the source passages, the counterparts the tool gave and the passages
    holding the expected quote, each with the evidence alignment weighed (as
    `evaluate.misses_text` shows it)."""
    result = analysis.result

    def evidence(source: Clause, target: Clause) -> dict[str, Any]:
        e = result.explain(source.id, target.id)
        return {"source_unit": units(source), "target_unit": units(target), "rank": e.rank,
                "score": e.score, "needed": e.needed, "similarity": e.similarity,
                "context": e.context, "shared_terms": " ".join(e.terms),
                "conflicts": " ".join(e.conflicts), "accepted": e.accepted}

    def best_source(target: Clause) -> Clause:
        return max(miss.sources, key=lambda s: result.explain(s.id, target.id).score)

    r = miss.result
    return {"probe": r.probe, "target_doc": r.target_doc, "gold": r.gold,
            "predicted": r.predicted, "source_units": [units(c) for c in miss.sources],
            "found": [{**evidence(source, clause), "relation": cp.relation}
                      for source, clause, cp in miss.found],
            "target_quote": r.target_quote or None,
            "expected": [evidence(best_source(c), c) for c in miss.expected]}

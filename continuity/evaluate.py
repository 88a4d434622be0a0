"""Score an alignment against annotated probes (format and rule: shared/gold-format.md).

For each probe and each target document not marked `retro`: locate the source
clause (the one whose normalised text contains the quote, else the one sharing
the longest run of characters with it); gold `absent` is right when that clause
has no counterpart in the target document; gold `same`/`reworded` is right when
one counterpart contains the target quote or shares a run of at least half of it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any

from .align import ABSENT, AlignmentResult
from .errors import ContinuityError
from .normalize import normalize
from .records import Clause


@dataclass(frozen=True, slots=True)
class ProbeResult:
    """The verdict on one probe × target document."""

    probe: str
    source_doc: str
    source_clause: str
    target_doc: str
    gold: str
    predicted: str
    correct: bool
    matched_clause: str | None
    matched_relation: str | None = None


@dataclass(frozen=True, slots=True)
class Score:
    correct: int
    total: int

    @property
    def accuracy(self) -> float:
        return self.correct / self.total if self.total else float("nan")


@dataclass(frozen=True, slots=True)
class Evaluation:
    results: tuple[ProbeResult, ...]

    def score(self, keep: Any = None) -> Score:
        chosen = [r for r in self.results if keep is None or keep(r)]
        return Score(sum(r.correct for r in chosen), len(chosen))

    @property
    def overall(self) -> Score:
        return self.score()

    @property
    def absent(self) -> Score:
        return self.score(lambda r: r.gold == ABSENT)

    @property
    def present(self) -> Score:
        return self.score(lambda r: r.gold != ABSENT)

    def per_target(self) -> dict[str, Score]:
        docs = sorted({r.target_doc for r in self.results})
        return {d: self.score(lambda r, d=d: r.target_doc == d) for d in docs}

    @property
    def relation_agreement(self) -> Score:
        """Among present targets found: how often the relation of the counterpart that carries
        the target quote (same / reworded) equals the label."""
        found = [r for r in self.results if r.gold != ABSENT and r.correct]
        return Score(sum(r.gold == r.matched_relation for r in found), len(found))


def read_probes(path: Path | str) -> list[dict[str, Any]]:
    """The probes of a JSONL file; a malformed line is an error naming file and line."""
    probes = []
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise ContinuityError(f"{path}: cannot read probes: {exc}") from exc
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            probe = json.loads(line)
            problem = probe_problem(probe)
        except json.JSONDecodeError as exc:
            raise ContinuityError(f"{path}:{number}: not a probe: not valid JSON ({exc})") from exc
        if problem:
            raise ContinuityError(f"{path}:{number}: not a probe: {problem}")
        probes.append(probe)
    return probes


LABELS = ("same", "reworded", "absent")


def probe_problem(probe: Any) -> str | None:
    """What is wrong with a probe (None when it is well-formed), per gold-format.md."""
    if not isinstance(probe, dict):
        return "expected a JSON object"
    for key in ("source", "quote", "targets"):
        if key not in probe:
            return f"missing {key!r}"
    if not isinstance(probe["quote"], str) or not probe["quote"].strip():
        return "'quote' must be a non-empty string"
    if not isinstance(probe["targets"], dict):
        return "'targets' must be an object"
    for doc, target in probe["targets"].items():
        if not isinstance(target, dict) or target.get("label") not in LABELS:
            return f"target {doc!r} needs a label: one of {', '.join(LABELS)}"
        quote = target.get("quote")
        if target["label"] != "absent" and not target.get("retro") and (
                not isinstance(quote, str) or not quote.strip()):
            return f"target {doc!r} is {target['label']} but has no quote"
    return None


def evaluate(result: AlignmentResult, probes: Iterable[dict[str, Any]]) -> Evaluation:
    """Verdicts for every scored probe target."""
    by_doc: dict[str, list[Clause]] = {}
    for clause in result.clauses:
        by_doc.setdefault(clause.doc_id, []).append(clause)
    clauses = {c.id: c for c in result.clauses}
    verdicts = []
    for probe in probes:
        if probe["source"] not in by_doc:
            raise ContinuityError(f"probe {probe.get('id')}: unknown source {probe['source']!r}")
        source = locate(by_doc[probe["source"]], probe["quote"])
        for target_doc, target in sorted(probe["targets"].items()):
            if target.get("retro") or target_doc not in by_doc:
                continue
            alignment = result.alignment(source.id, target_doc)
            found = [c for c in alignment.counterparts] if alignment else []
            gold = target["label"]
            matched = None
            if gold == ABSENT:
                correct = not found
            else:
                quote = normalize(target["quote"])
                matched = next((c for c in found
                                if contains_or_overlaps(clauses[c.clause].norm, quote)), None)
                correct = matched is not None
            predicted = alignment.relation if alignment else ABSENT
            verdicts.append(ProbeResult(
                probe.get("id", "?"), probe["source"], source.id, target_doc, gold, predicted,
                correct, matched.clause if matched else None,
                matched.relation if matched else None))
    return Evaluation(tuple(verdicts))


def locate(clauses: Sequence[Clause], quote: str) -> Clause:
    """The clause containing the quote, else the one sharing its longest run of characters."""
    q = normalize(quote)
    for clause in clauses:
        if q in clause.norm:
            return clause
    return max(clauses, key=lambda c: longest_run(c.norm, q))


def longest_run(a: str, b: str) -> int:
    return SequenceMatcher(None, a, b, autojunk=False).find_longest_match(0, len(a), 0, len(b)).size


def contains_or_overlaps(text: str, quote: str) -> bool:
    return quote in text or longest_run(text, quote) * 2 >= len(quote)


def report(evaluation: Evaluation) -> str:
    """The figures as text, per target document too."""
    def line(name: str, s: Score) -> str:
        return f"{name:<22} {s.accuracy:6.3f}  ({s.correct}/{s.total})"

    out = [line("overall", evaluation.overall), line("absent targets", evaluation.absent),
           line("present targets", evaluation.present)]
    out += [line(f"  → {doc}", s) for doc, s in evaluation.per_target().items()]
    out.append(line("relation agreement", evaluation.relation_agreement))
    return "\n".join(out)

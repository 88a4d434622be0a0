"""Score an alignment against annotated probes (format and scoring rule v2: shared/gold-format.md).

Each document's normalised text is rebuilt from its clauses in offset order, so every
clause and every quote has a span in it. For each probe and each target document not
marked `retro`: the source clauses are those the source quote overlaps by at least four
characters (the main clause overlaps it most); gold `absent` is right when the main
clause has no counterpart (rank 1–3) in the target document; gold `same`/`reworded` is
right when the counterparts of the source clauses together cover at least half of the
target quote's span, or one of them shares a run of at least half the quote with it.
"""

from __future__ import annotations

import bisect
import json
from collections.abc import Iterable
from dataclasses import dataclass
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any

from ..analysis.align import ABSENT, AlignmentResult, Counterpart
from ..errors import ContinuityError
from ..records import Clause
from ..text.normalize import normalize


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
    source_clauses: tuple[str, ...] = ()
    target_quote: str = ""


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
    """The probes of a JSONL file (UTF-8, one JSON object a line, blank lines skipped).
    A line that is not UTF-8, not JSON or not a probe is an error naming file and line;
    so is a file with no probes at all (it would score nothing and report nan)."""
    probes = []
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ContinuityError(f"{path}: cannot read probes: {exc}") from exc
    data = data.removeprefix(b"\xef\xbb\xbf")
    for number, raw in enumerate(data.splitlines(), start=1):
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise ContinuityError(
                f"{path}:{number}: not UTF-8 text ({exc.reason} at byte {exc.start + 1}); "
                "save the probe file as UTF-8") from exc
        if not line.strip():
            continue
        try:
            probe = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ContinuityError(f"{path}:{number}: not a probe: not valid JSON ({exc})") from exc
        problem = probe_problem(probe)
        if problem:
            raise ContinuityError(f"{path}:{number}: not a probe: {problem}")
        probes.append(probe)
    if not probes:
        raise ContinuityError(f"{path}: no probes: the file has no lines with a probe "
                              "(one JSON object a line, as shared/gold-format.md describes)")
    return probes


LABELS = ("same", "reworded", "absent")


def probe_problem(probe: Any) -> str | None:
    """What is wrong with a probe (None when it is well-formed), per gold-format.md."""
    if not isinstance(probe, dict):
        return "expected a JSON object"
    for key in ("source", "quote", "targets"):
        if key not in probe:
            return f"missing {key!r}"
    for key in ("source", "quote"):
        if not isinstance(probe[key], str) or not probe[key].strip():
            return f"{key!r} must be a non-empty string, not {_shown(probe[key])}"
    if "id" in probe and not isinstance(probe["id"], str | int):
        return f"'id' must be a string, not {_shown(probe['id'])}"
    if not isinstance(probe["targets"], dict):
        return f"'targets' must be an object, not {_shown(probe['targets'])}"
    for doc, target in probe["targets"].items():
        if not isinstance(target, dict) or target.get("label") not in LABELS:
            return f"target {doc!r} needs a label: one of {', '.join(LABELS)}"
        quote, retro = target.get("quote"), target.get("retro", False)
        if not isinstance(retro, bool):
            return f"target {doc!r}: 'retro' must be true or false, not {_shown(retro)}"
        if quote is not None and not isinstance(quote, str):
            return f"target {doc!r}: 'quote' must be a string or null, not {_shown(quote)}"
        if target["label"] != "absent" and not retro and not (quote or "").strip():
            return f"target {doc!r} is {target['label']} but has no quote"
    return None


def _shown(value: Any) -> str:
    """A JSON value as the probe file has it, cut short."""
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 40 else text[:39] + "…"


def evaluate(result: AlignmentResult, probes: Iterable[dict[str, Any]]) -> Evaluation:
    """Verdicts for every scored probe target, by scoring rule v2 (gold-format.md): a quote
    may span clauses, so every clause it overlaps takes part."""
    texts = {doc_id: DocumentText.of(c for c in result.clauses if c.doc_id == doc_id)
             for doc_id in result.doc_ids}
    verdicts = []
    for probe in probes:
        if probe["source"] not in texts:
            raise ContinuityError(f"probe {probe.get('id')}: unknown source {probe['source']!r}")
        sources = source_clauses(texts[probe["source"]], probe["quote"])
        main = sources[0]
        for target_doc, target in sorted(probe["targets"].items()):
            if target.get("retro") or target_doc not in texts:
                continue
            gold = target["label"]
            found = {c.id: tuple(_found(result, c.id, target_doc)) for c in sources}
            matched: Counterpart | None = None
            if gold == ABSENT:
                correct = not found[main.id]
            else:
                matched, correct = present_verdict(
                    texts[target_doc], normalize(target["quote"]),
                    [cp for cps in found.values() for cp in cps])
            predicted = result.relation(main.id, target_doc)
            verdicts.append(ProbeResult(
                probe.get("id", "?"), probe["source"], main.id, target_doc, gold, predicted,
                correct, matched.clause if matched else None,
                matched.relation if matched else None,
                tuple(c.id for c in sources), target.get("quote") or ""))
    return Evaluation(tuple(verdicts))


def _found(result: AlignmentResult, clause_id: str, target_doc: str) -> list[Counterpart]:
    """A clause's counterparts in the target document (rank 1 to 3, never `absent`)."""
    return [c for c in result.alignment(clause_id, target_doc).counterparts if c.rank <= 3]


@dataclass(frozen=True, slots=True)
class DocumentText:
    """A document's normalised text rebuilt from its clauses in offset order, and where each
    clause lies in it: the frame in which quotes and clauses are compared."""

    text: str
    clauses: tuple[Clause, ...]
    starts: tuple[int, ...]

    @classmethod
    def of(cls, clauses: Iterable[Clause]) -> DocumentText:
        """The text of one document's clauses."""
        clauses = tuple(sorted(clauses, key=lambda c: (c.start, c.end)))
        starts, at = [], 0
        for clause in clauses:
            starts.append(at)
            at += len(clause.norm)
        return cls("".join(c.norm for c in clauses), clauses, tuple(starts))

    def span(self, clause: Clause) -> tuple[int, int]:
        k = self.clauses.index(clause)
        return self.starts[k], self.starts[k] + len(clause.norm)

    def occurrences(self, quote: str) -> list[tuple[int, int]]:
        """Every span of `quote` in the text; where it is nowhere verbatim, the span of the
        longest run it shares with the text (so a slightly misquoted probe still counts)."""
        spans, at = [], self.text.find(quote)
        while quote and at >= 0:
            spans.append((at, at + len(quote)))
            at = self.text.find(quote, at + 1)
        if spans or not quote:
            return spans
        match = SequenceMatcher(None, self.text, quote, autojunk=False).find_longest_match(
            0, len(self.text), 0, len(quote))
        return [(match.a, match.a + match.size)] if match.size else []

    def overlapping(self, start: int, end: int) -> list[tuple[int, Clause]]:
        """(characters of overlap, clause) for each clause overlapping [start, end)."""
        k = max(0, bisect.bisect_right(self.starts, start) - 1)
        out = []
        while k < len(self.clauses) and self.starts[k] < end:
            a, b = self.starts[k], self.starts[k] + len(self.clauses[k].norm)
            overlap = min(b, end) - max(a, start)
            if overlap > 0:
                out.append((overlap, self.clauses[k]))
            k += 1
        return out


#: A clause overlapping a source quote by at least this many characters takes part.
MIN_OVERLAP = 4


def source_clauses(text: DocumentText, quote: str) -> tuple[Clause, ...]:
    """The clauses a source quote lies in (rule v2, step 1): those overlapping its first
    occurrence by at least MIN_OVERLAP characters or lying wholly inside it, the main clause
    (longest overlap, earliest on ties) first."""
    q = normalize(quote)
    spans = text.occurrences(q)
    if not spans:
        raise ContinuityError(f"quote {quote!r} is nowhere in the source document")
    start, end = spans[0]
    chosen = [(overlap, c) for overlap, c in text.overlapping(start, end)
              if overlap >= MIN_OVERLAP or overlap == len(c.norm)]
    if not chosen:  # a quote shorter than MIN_OVERLAP: the clause it lies in
        chosen = text.overlapping(start, end)[:1]
    ordered = sorted(chosen, key=lambda pair: (-pair[0], text.span(pair[1])))
    return tuple(c for _, c in ordered)


def present_verdict(text: DocumentText, quote: str, found: list[Counterpart]
                     ) -> tuple[Counterpart | None, bool]:
    """Rule v2, step 3 for a present target: the counterparts together cover at least half of
    the quote's span at some occurrence, or one shares a run of half the quote with it.
    Returns the counterpart covering most of the quote (for relation agreement)."""
    if not found:
        return None, False
    by_id = {c.id: c for c in text.clauses}
    mine = [cp for cp in found if cp.clause in by_id]
    best: tuple[int, Counterpart] | None = None
    for start, end in text.occurrences(quote):
        covered = [False] * (end - start)
        for cp in mine:
            a, b = text.span(by_id[cp.clause])
            for k in range(max(a, start), min(b, end)):
                covered[k - start] = True
            overlap = min(b, end) - max(a, start)
            if overlap > 0 and (best is None or overlap > best[0]):
                best = (overlap, cp)
        if 2 * sum(covered) >= len(quote) and best is not None:
            return best[1], True
    runs = [(longest_run(by_id[cp.clause].norm, quote), cp) for cp in mine]
    top = max(runs, key=lambda pair: pair[0], default=None)
    if top is not None and 2 * top[0] >= len(quote):
        return top[1], True
    return None, False


def longest_run(a: str, b: str) -> int:
    return SequenceMatcher(None, a, b, autojunk=False).find_longest_match(0, len(a), 0, len(b)).size


def report(evaluation: Evaluation) -> str:
    """The figures as text, per target document too."""
    def line(name: str, s: Score) -> str:
        return f"{name:<22} {s.accuracy:6.3f}  ({s.correct}/{s.total})"

    out = [line("overall", evaluation.overall), line("absent targets", evaluation.absent),
           line("present targets", evaluation.present)]
    out += [line(f"  → {doc}", s) for doc, s in evaluation.per_target().items()]
    out.append(line("relation agreement", evaluation.relation_agreement))
    return "\n".join(out)


@dataclass(frozen=True, slots=True)
class Miss:
    """A wrong verdict and what it involved: the source clauses, the counterparts the tool
    gave (source clause, counterpart clause, counterpart), and (for a present target) the
    clauses that hold the target quote."""

    result: ProbeResult
    sources: tuple[Clause, ...]
    found: tuple[tuple[Clause, Clause, Counterpart], ...]
    expected: tuple[Clause, ...]


def misses(evaluation: Evaluation, result: AlignmentResult) -> tuple[Miss, ...]:
    """Every wrong verdict with the clauses involved, in probe order."""
    clauses = {c.id: c for c in result.clauses}
    texts: dict[str, DocumentText] = {}
    out = []
    for r in evaluation.results:
        if r.correct:
            continue
        sources = tuple(clauses[c] for c in r.source_clauses or (r.source_clause,))
        asked = sources[:1] if r.gold == ABSENT else sources
        found = tuple((source, clauses[cp.clause], cp) for source in asked
                      for cp in _found(result, source.id, r.target_doc))
        expected: tuple[Clause, ...] = ()
        if r.gold != ABSENT and r.target_quote:
            text = texts.setdefault(r.target_doc, DocumentText.of(
                c for c in result.clauses if c.doc_id == r.target_doc))
            spans = text.occurrences(normalize(r.target_quote))
            expected = tuple(c for s, e in spans[:1] for _, c in text.overlapping(s, e))
        out.append(Miss(r, sources, found, expected))
    return tuple(out)


def misses_text(found: Iterable[Miss], result: AlignmentResult) -> str:
    """Each wrong verdict with the clauses involved and why the tool decided: for every
    counterpart it gave, and every clause holding the expected quote, the score and the
    score needed, the shared terms naming the same object and those naming others."""
    def where(clause: Clause) -> str:
        return f"{clause.doc_id} {clause.section_path}: {clause.text}"

    def why(source: Clause, target: Clause) -> str:
        e = result.explain(source.id, target.id)
        rank = f"rank {e.rank}" if e.rank else ("accepted, outranked or not a candidate"
                                                if e.accepted else "refused")
        objects = f"; names other objects: {' '.join(e.conflicts)}" if e.conflicts else ""
        return (f"score {e.score:.3f} (needs {e.needed:.3f}; clauses {e.similarity:.3f}, "
                f"sentences {e.context:.3f}); shared terms: {' '.join(e.terms) or '—'}"
                f"{objects}; {rank}")

    lines = []
    for miss in found:
        r = miss.result
        lines.append(f"{r.probe} → {r.target_doc}: gold {r.gold}, tool {r.predicted}")
        for source in miss.sources:
            lines.append(f"  source    {where(source)}")
        for source, clause, cp in miss.found:
            lines.append(f"  found     #{cp.rank} {cp.relation}  {where(clause)}")
            lines.append(f"            {why(source, clause)}")
        if r.gold != ABSENT:
            lines.append(f"  expected  “{r.target_quote}”")
            for clause in miss.expected:
                best = max(miss.sources, key=lambda s: result.explain(s.id, clause.id).score)
                lines.append(f"  in        {where(clause)}")
                lines.append(f"            {why(best, clause)}")
        lines.append("")
    return "\n".join(lines).rstrip()

"""Score clause functions against hand-labelled clauses (shared/gold-format.md §2).

A gold row `{"doc", "start", "text", "label", …}` is matched to the clause of its
document with the same normalised text (the nearest to `start` when several have it),
else to the clause holding most of the gold text (found in the document's clauses
joined in offset order, at the occurrence nearest `start`). Over rows whose gold label
is not heading or fragment, the figures are commitment-vs-not accuracy (commitments:
action, target, principle; any other prediction, heading included, counts as "not")
and the recall and precision of the non-commitment side; the confusion table counts
every matched row, gold label × predicted function.
"""

from __future__ import annotations

import bisect
import json
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..analysis.functions import COMMITMENTS, FUNCTIONS
from ..errors import ContinuityError
from ..records import Clause, Corpus
from ..text.normalize import normalize

#: Gold labels left out of the commitment figures: nothing to judge.
UNSCORED = frozenset({"heading", "fragment"})
#: Gold labels in the order the confusion table lists them.
GOLD_LABELS = (*FUNCTIONS, "fragment")


@dataclass(frozen=True, slots=True)
class GoldClause:
    """One hand-labelled clause: document, offset when labelled, text, label."""

    doc: str
    start: int
    text: str
    label: str
    confidence: str = ""


@dataclass(frozen=True, slots=True)
class Judged:
    """A gold clause, the clause it matched (None: its text is not in the document) and
    the function the pipeline gave that clause."""

    gold: GoldClause
    clause_id: str | None
    predicted: str | None

    @property
    def scored(self) -> bool:
        return self.gold.label not in UNSCORED and self.predicted is not None

    @property
    def gold_commitment(self) -> bool:
        return self.gold.label in COMMITMENTS

    @property
    def predicted_commitment(self) -> bool:
        return self.predicted in COMMITMENTS


@dataclass(frozen=True, slots=True)
class FunctionScore:
    """The verdicts on a gold file and the figures of the scoring rule."""

    judged: tuple[Judged, ...]

    @property
    def scored(self) -> tuple[Judged, ...]:
        return tuple(j for j in self.judged if j.scored)

    @property
    def unmatched(self) -> tuple[Judged, ...]:
        return tuple(j for j in self.judged if j.predicted is None)

    @property
    def accuracy(self) -> float:
        """Commitment-vs-not accuracy over the scored rows."""
        rows = self.scored
        right = sum(j.gold_commitment == j.predicted_commitment for j in rows)
        return _ratio(right, len(rows))

    @property
    def noncommitment_recall(self) -> float:
        """Of the scored rows gold calls non-commitments, the share predicted so."""
        rows = [j for j in self.scored if not j.gold_commitment]
        return _ratio(sum(not j.predicted_commitment for j in rows), len(rows))

    @property
    def noncommitment_precision(self) -> float:
        """Of the scored rows predicted non-commitments, the share gold calls so."""
        rows = [j for j in self.scored if not j.predicted_commitment]
        return _ratio(sum(not j.gold_commitment for j in rows), len(rows))

    def confusion(self) -> Counter[tuple[str, str]]:
        """(gold label, predicted function) → how many matched rows."""
        return Counter((j.gold.label, j.predicted) for j in self.judged
                       if j.predicted is not None)

    def confusion_text(self) -> str:
        """The confusion table as aligned text: gold labels down, predictions across."""
        table = self.confusion()
        golds = [g for g in GOLD_LABELS if any(k[0] == g for k in table)]
        golds += sorted({g for g, _ in table} - set(golds))
        width = max([len(g) for g in golds] + [len("gold \\ predicted")])
        head = "gold \\ predicted".ljust(width) + "".join(f"{f[:5]:>7}" for f in FUNCTIONS)
        lines = [head + f"{'total':>7}"]
        for g in golds:
            counts = [table[(g, f)] for f in FUNCTIONS]
            lines.append(g.ljust(width) + "".join(f"{n:>7}" for n in counts)
                         + f"{sum(counts):>7}")
        return "\n".join(lines)


def _ratio(part: int, whole: int) -> float:
    return part / whole if whole else float("nan")


def read_gold(path: Path | str) -> list[GoldClause]:
    """The gold clauses of a JSON-lines file (one object per line, blank lines skipped)."""
    rows = []
    for n, line in enumerate(Path(path).read_text("utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            rows.append(gold_clause(json.loads(line)))
        except (ValueError, KeyError, TypeError) as err:
            raise ContinuityError(f"{path}, line {n}: not a gold clause ({err})") from err
    return rows


def gold_clause(row: Mapping[str, Any]) -> GoldClause:
    return GoldClause(doc=str(row["doc"]), start=int(row["start"]), text=str(row["text"]),
                      label=str(row["label"]), confidence=str(row.get("confidence", "")))


def score_functions(corpus: Corpus, gold: Iterable[GoldClause]) -> FunctionScore:
    """Match each gold clause to a clause of `corpus` and compare functions."""
    indexes: dict[str, _ClauseIndex] = {}
    judged = []
    for row in gold:
        if row.doc not in indexes:
            indexes[row.doc] = _ClauseIndex(corpus.document(row.doc).clauses)
        clause = indexes[row.doc].match(row.text, row.start)
        judged.append(Judged(row, clause.id if clause else None,
                             clause.function if clause else None))
    return FunctionScore(tuple(judged))


class _ClauseIndex:
    """A document's clauses by normalised text, and their spans in the joined text."""

    def __init__(self, clauses: Iterable[Clause]) -> None:
        self.clauses = sorted(clauses, key=lambda c: c.start)
        self.by_norm: dict[str, list[Clause]] = {}
        self.bounds: list[int] = []
        total = 0
        for clause in self.clauses:
            self.by_norm.setdefault(clause.norm, []).append(clause)
            self.bounds.append(total)
            total += len(clause.norm)
        self.ends = self.bounds[1:] + [total]
        self.joined = "".join(c.norm for c in self.clauses)

    def match(self, text: str, start: int) -> Clause | None:
        norm = normalize(text)
        if not norm:
            return None
        same = self.by_norm.get(norm)
        if same:
            return min(same, key=lambda c: (abs(c.start - start), c.start))
        best: tuple[int, int, Clause] | None = None  # (distance, -overlap, clause)
        at = self.joined.find(norm)
        while at >= 0:
            clause, overlap = self._holding_most(at, at + len(norm))
            key = (abs(clause.start - start), -overlap)
            if best is None or key < best[:2]:
                best = (*key, clause)
            at = self.joined.find(norm, at + 1)
        return best[2] if best else None

    def _holding_most(self, a: int, b: int) -> tuple[Clause, int]:
        """The clause covering most of joined[a:b], and how much of it."""
        i = bisect.bisect_right(self.bounds, a) - 1
        best, most = self.clauses[i], -1
        while i < len(self.clauses) and self.bounds[i] < b:
            overlap = min(b, self.ends[i]) - max(a, self.bounds[i])
            if overlap > most:
                best, most = self.clauses[i], overlap
            i += 1
        return best, most

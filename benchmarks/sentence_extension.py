"""What if a counterpart stood for its whole sentence? A measure, not a feature.

Several probe targets quote a sentence of which the tool's rank-1 counterpart is one
clause (纵深推进治本攻坚，强化矿山、危险化学品…: the tool finds the first clause only), so
scoring rule v2 sees less than half the quote covered. This replays `continuity
evaluate` with each rank-1 counterpart extended, for scoring only, to the other clauses
of its sentence (`sentence`), to the first sentence after it when it is a heading
(`heading`), or both, and prints the figures beside the tool's own (`none`).

    python benchmarks/sentence_extension.py ../shared/gold-dev.jsonl \
        benchmarks/data/probes-check.jsonl

Extension can only help present targets (an absent target looks at whether the main
clause has any counterpart, which extension never adds). The catch is precision: a
sentence in these documents often chains distinct tasks (加快建设现代水网，推进引大济岷…，
实施…灌区…), so listing every clause of a counterpart's sentence as a counterpart would
put many wrong ones before a researcher. Read the figures as the ceiling of that idea.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from continuity.analysis.align import AlignmentResult, align  # noqa: E402
from continuity.evaluation import alignment as scoring  # noqa: E402
from continuity.pipeline import load_corpus  # noqa: E402

MODES = ("none", "sentence", "heading", "both")


def extended(result: AlignmentResult, mode: str) -> Callable[..., list[Any]]:
    """A replacement for the scorer's `_found` that adds the extension's clauses at rank 2."""
    clauses = result.clauses
    row = {c.id: n for n, c in enumerate(clauses)}
    by_sentence: dict[str, list[Any]] = {}
    for c in clauses:
        by_sentence.setdefault(c.id.rsplit(".", 1)[0], []).append(c)
    found = scoring._found

    def with_extension(res: AlignmentResult, clause_id: str, doc: str) -> list[Any]:
        got = found(res, clause_id, doc)
        if not got or mode == "none":
            return got
        best = clauses[row[got[0].clause]]
        more = []
        if mode in ("sentence", "both"):
            more += [c for c in by_sentence[best.id.rsplit(".", 1)[0]] if c.id != best.id]
        if mode in ("heading", "both") and best.function == "heading":
            after = row[best.id] + 1
            if after < len(clauses) and clauses[after].doc_id == best.doc_id:
                more += by_sentence[clauses[after].id.rsplit(".", 1)[0]]
        have = {cp.clause for cp in got}
        return got + [dataclasses.replace(got[0], clause=c.id, rank=2)
                      for c in more if c.id not in have]

    return with_extension


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("gold", nargs="+", type=Path, help="probe files (JSONL, rule v2)")
    args = parser.parse_args()
    result = align(load_corpus())
    found = scoring._found
    for path in args.gold:
        probes = scoring.read_probes(path)
        print(path)
        for mode in MODES:
            scoring._found = extended(result, mode)
            try:
                evaluation = scoring.evaluate(result, probes)
            finally:
                scoring._found = found
            overall, absent, present = (evaluation.overall, evaluation.absent,
                                        evaluation.present)
            print(f"  {mode:9} overall {overall.accuracy:.3f} ({overall.correct}/{overall.total})"
                  f"  absent {absent.accuracy:.3f}  present {present.accuracy:.3f} "
                  f"({present.correct}/{present.total})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

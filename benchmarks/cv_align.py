"""Cross-validated alignment accuracy: do the default thresholds generalise beyond the probes?

For every combination of a grid of settings (default: min_score × evidence_step ×
conflict_penalty around the defaults; `--grid NAME=V1,V2,...` replaces or adds a line),
the corpus is aligned once (`continuity.align.align`, the alignment `analyse` makes) and
each probe is scored. Leave-one-probe-out: for each probe, the combination scoring best on all
the *other* probes (ties: the one nearest the defaults) is chosen and scored on the probe
left out. The summed held-out verdicts are the cross-validated figures; printed beside the
figures of the defaults, fitted on all probes. A default that generalises has both equal.

    python benchmarks/cv_align.py ../shared/gold-dev.jsonl [more.jsonl ...]
    python benchmarks/cv_align.py ../shared/gold-dev.jsonl --grid evidence_idf=5,5.5,6
"""

from __future__ import annotations

import argparse
import itertools
import time
from collections import Counter, defaultdict
from dataclasses import fields, replace

import continuity
from continuity.analysis.align import align
from continuity.evaluation.alignment import evaluate, read_probes
from continuity.settings import AlignSettings

GRID = {
    "min_score": (0.28, 0.30, 0.32),
    "evidence_step": (0.03, 0.04, 0.05),
    "conflict_penalty": (0.0, 0.04, 0.08, 0.15),
}


def tally(results) -> dict[str, list[int]]:
    """Per probe: [correct, scored, absent correct, absent, present correct, present]."""
    out: dict[str, list[int]] = defaultdict(lambda: [0] * 6)
    for r in results:
        absent = r.gold == "absent"
        row = out[r.probe]
        for k, add in enumerate((r.correct, 1, r.correct and absent, absent,
                                 r.correct and not absent, not absent)):
            row[k] += int(add)
    return out


def figures(rows) -> str:
    t = [sum(r[k] for r in rows) for k in range(6)]
    return (f"overall {t[0] / t[1]:.3f} ({t[0]}/{t[1]})  absent {t[2] / t[3]:.3f} ({t[2]}/{t[3]})"
            f"  present {t[4] / t[5]:.3f} ({t[4]}/{t[5]})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("gold", nargs="+", help="probe files (gold-format.md)")
    parser.add_argument("--grid", action="append", default=[], metavar="NAME=V1,V2,...",
                        help="values of one setting to try (replaces that line of the grid)")
    args = parser.parse_args()
    grid = dict(GRID)
    for line in args.grid:
        name, _, values = line.partition("=")
        grid[name] = tuple(float(v) for v in values.split(","))
    started = time.perf_counter()
    corpus = continuity.load_corpus()
    default = AlignSettings()
    names = list(grid)
    combos = list(itertools.product(*grid.values()))
    probe_sets = {path: read_probes(path) for path in args.gold}
    per: dict[tuple[float, ...], dict[str, dict[str, list[int]]]] = {}
    for combo in combos:
        settings = replace(default, **dict(zip(names, combo, strict=True)))
        result = align(corpus, settings)
        per[combo] = {path: tally(evaluate(result, probes).results)
                      for path, probes in probe_sets.items()}
    here = tuple(getattr(default, n) for n in names)

    def distance(combo: tuple[float, ...]) -> float:
        return sum(abs(a - b) for a, b in zip(combo, here, strict=True))

    print("grid: " + ", ".join(f"{n} {grid[n]}" for n in names)
          + f"  ({len(combos)} alignments, {time.perf_counter() - started:.0f} s)")
    print("defaults: " + ", ".join(f"{f.name}={getattr(default, f.name)}" for f in fields(default)
                                   if f.name in grid))
    for path, probes in probe_sets.items():
        held_out = []
        chosen: Counter[tuple[float, ...]] = Counter()
        for probe in probes:
            pid = probe.get("id", "?")

            def train(combo: tuple[float, ...], pid: str = pid, path: str = path) -> int:
                return sum(v[0] for k, v in per[combo][path].items() if k != pid)

            best = max(combos, key=lambda c: (train(c), -distance(c)))
            chosen[best] += 1
            held_out.append(per[best][path].get(pid, [0] * 6))
        print(f"\n{path}  ({len(probes)} probes)")
        print(f"  defaults, on all probes      {figures(per[here][path].values())}")
        print(f"  leave-one-probe-out          {figures(held_out)}")
        print("  settings chosen per fold     " + "; ".join(
            f"{dict(zip(names, c, strict=True))} ×{n}" for c, n in chosen.most_common(3)))


if __name__ == "__main__":
    main()

"""A random sample of rank-1 counterparts to judge by hand: how precise is alignment?

Probes measure what annotators thought to ask; a random sample measures what a
researcher meets in the exports. From an `alignments.csv` (and the `units.csv` beside
it), draw `--per-pair` rank-1 counterparts of every ordered pair of documents with
`random.Random(seed)`, and print each with the sentence around both clauses, so it can
be judged against the documents (grep in the seeds):

    continuity align --out /tmp/x && python benchmarks/sample_counterparts.py /tmp/x --seed 7

With `--judged FILE` (tab-separated: source_unit, target_unit, verdict right|partial|wrong,
why), judged counterparts show their verdict, and the sample's precision (right / judged;
partial counts as not right) and its partial-credit figure ((right + partial/2) / judged)
are printed at the end, with the counterparts still to judge, and the precision of every
judged pair that is a counterpart in the build, firm and tentative ones apart.
"""

from __future__ import annotations

import argparse
import csv
import random
from collections import defaultdict
from pathlib import Path


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def sentence(units: dict[str, dict[str, str]], by_sentence: dict[str, list[str]],
             unit: str) -> str:
    """The clause in its sentence: [clause] marked among its neighbours."""
    parts = by_sentence[unit.rsplit(".", 1)[0]]
    return "".join(f"【{units[u]['text']}】" if u == unit else units[u]["text"] for u in parts)


def sample(alignments: list[dict[str, str]], seed: int, per_pair: int) -> list[dict[str, str]]:
    """`per_pair` rank-1 rows of each ordered pair of documents, pairs in sorted order."""
    by_pair: dict[tuple[str, str], list[dict[str, str]]] = defaultdict(list)
    for row in alignments:
        if row["rank"] == "1":
            by_pair[row["source_doc"], row["target_doc"]].append(row)
    rng = random.Random(seed)
    drawn = []
    for pair in sorted(by_pair):
        rows = by_pair[pair]
        drawn.extend(rng.sample(rows, min(per_pair, len(rows))))
    return drawn


def read_judged(path: Path | None) -> dict[tuple[str, str], tuple[str, str]]:
    if path is None or not path.exists():
        return {}
    found = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            source, target, verdict, *why = line.split("\t")
            found[source, target] = (verdict, why[0] if why else "")
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="an --out folder of continuity align/build")
    parser.add_argument("--seed", type=int, required=True)
    parser.add_argument("--per-pair", type=int, default=2)
    parser.add_argument("--judged", type=Path, help="verdicts (tab-separated, see above)")
    args = parser.parse_args()
    data = args.out / "data"
    units = {u["unit"]: u for u in read_csv(data / "units.csv")}
    by_sentence: dict[str, list[str]] = defaultdict(list)
    for unit in units:
        by_sentence[unit.rsplit(".", 1)[0]].append(unit)
    judged = read_judged(args.judged)
    tally: dict[str, int] = defaultdict(int)
    todo = 0
    for n, row in enumerate(sample(read_csv(data / "alignments.csv"), args.seed, args.per_pair),
                            start=1):
        key = (row["source_unit"], row["target_unit"])
        verdict, why = judged.get(key, ("?", ""))
        tally[verdict] += 1
        todo += verdict == "?"
        print(f"#{n} {row['source_doc']} → {row['target_doc']}  score {row['score']}  "
              f"{row['relation']}  terms {row['shared_terms'] or '-'}  [{verdict}] {why}")
        print(f"  {key[0]}\t{key[1]}")
        print(f"  S {units[key[0]]['section_path']} | {sentence(units, by_sentence, key[0])}")
        print(f"  T {units[key[1]]['section_path']} | {sentence(units, by_sentence, key[1])}")
    done = sum(v for k, v in tally.items() if k != "?")
    if done:
        right, partial = tally["right"], tally["partial"]
        print(f"\nseed {args.seed}: {done} judged: right {right}, partial {partial}, "
              f"wrong {tally['wrong']}; precision {right / done:.3f}, "
              f"with half credit for partial {(right + partial / 2) / done:.3f}")
    if todo:
        print(f"{todo} still to judge")
    if judged:
        print(by_confidence(read_csv(data / "alignments.csv"), judged))


def by_confidence(alignments: list[dict[str, str]],
                  judged: dict[tuple[str, str], tuple[str, str]]) -> str:
    """How often the judged pairs that are counterparts in this build (at any rank) carry
    the same commitment, firm and tentative ones apart (alignments.csv's `confidence`)."""
    found = {(r["source_unit"], r["target_unit"]): r.get("confidence", "?") for r in alignments}
    tally: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for pair, (verdict, _) in judged.items():
        if pair in found:
            tally[found[pair]][verdict] += 1
    lines = [f"every judged pair that is a counterpart in this build ("
             f"{sum(sum(t.values()) for t in tally.values())} of {len(judged)} judged), by "
             "confidence:"]
    for sure in sorted(tally):
        t = tally[sure]
        n = sum(t.values())
        lines.append(f"  {sure:<10} {n:>4}: right {t['right']}, partial {t['partial']}, wrong "
                     f"{t['wrong']}; precision {t['right'] / n:.3f}")
    return "\n".join(lines)


if __name__ == "__main__":
    main()

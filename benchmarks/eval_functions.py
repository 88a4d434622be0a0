"""Score clause functions against hand-labelled clauses, and time the functions stage.

Run it from the repository root:

    python benchmarks/eval_functions.py GOLD.jsonl [GOLD2.jsonl …] [--corpus DIR] [--errors]

For each gold file (format and rule: shared/gold-format.md §2) it prints the
commitment-vs-not accuracy, the recall and precision of the non-commitment side,
the same per document, and the confusion table (gold labels down, predicted functions
across); `--errors` lists the scored rows where commitment-vs-not is wrong. Then the
time `continuity.analysis.functions.assign_functions` takes over the whole corpus (best of five).
It prints figures and asserts nothing.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from continuity import load_corpus  # noqa: E402
from continuity.analysis.functions import assign_functions  # noqa: E402
from continuity.evaluation.functions import FunctionScore, read_gold, score_functions  # noqa: E402
from continuity.records import Corpus  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("gold", nargs="+", type=Path, help="gold JSON-lines files")
    parser.add_argument("--corpus", type=Path, default=None, help="corpus folder")
    parser.add_argument("--errors", action="store_true", help="list commitment-vs-not errors")
    args = parser.parse_args()
    corpus = load_corpus(args.corpus)
    for path in args.gold:
        result = score_functions(corpus, read_gold(path))
        print(f"== {path}")
        report(result, args.errors)
        print()
    print(f"functions stage over the corpus: {stage_time(corpus) * 1000:.1f} ms "
          f"({sum(len(d.clauses) for d in corpus.documents)} clauses, best of 5)")


def report(result: FunctionScore, errors: bool) -> None:
    scored = result.scored
    print(f"rows {len(result.judged)}, scored {len(scored)} (gold not heading/fragment), "
          f"unmatched {len(result.unmatched)}")
    print(f"commitment-vs-not accuracy  {result.accuracy:.3f}")
    print(f"non-commitment recall       {result.noncommitment_recall:.3f}")
    print(f"non-commitment precision    {result.noncommitment_precision:.3f}")
    for doc in sorted({j.gold.doc for j in result.judged}):
        part = FunctionScore(tuple(j for j in result.judged if j.gold.doc == doc))
        print(f"  {doc:<14} n={len(part.scored):<4} accuracy {part.accuracy:.3f}  "
              f"recall {part.noncommitment_recall:.3f}  "
              f"precision {part.noncommitment_precision:.3f}")
    print(result.confusion_text())
    if errors:
        for j in scored:
            if j.gold_commitment != j.predicted_commitment:
                print(f"  {j.gold.doc} {j.gold.start:>6} gold {j.gold.label:<10} "
                      f"got {j.predicted:<10} {j.gold.text}")


def stage_time(corpus: Corpus, repeat: int = 5) -> float:
    """Best wall time of assigning functions to every clause of the corpus."""
    best = float("inf")
    for _ in range(repeat):
        began = time.perf_counter()
        for doc in corpus.documents:
            assign_functions(doc.clauses, doc.sections, doc.clean.paragraphs)
        best = min(best, time.perf_counter() - began)
    return best


if __name__ == "__main__":
    main()

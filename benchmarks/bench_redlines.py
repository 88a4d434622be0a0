"""How much of what stayed do the redlines show? Issue 11's measure for readable redlines.

Among the reworded rows of the pair pages (consecutive documents, each commitment of A
against its rank-1 counterpart in B, as `compare.compare_documents` gives them) whose
character similarity (`diffing.similarity` of the two normalised texts) is at least
`--min-similarity` (default 0.4), the share whose redline shows no equal word at all:
one deletion of all of A and one insertion of all of B (punctuation alone kept equal
does not count as a word). Issue 11's bar is at most 5 %. Then the same share for
every reworded row, a few examples, the change kinds counted (`changes.changes`) and
the time the redlines and their change kinds take.

Figures, not assertions: run it and read them.

    python benchmarks/bench_redlines.py [--corpus DIR] [--min-similarity 0.4] [--examples N]
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

#: A span that holds a word: a letter, digit or CJK character (not punctuation alone).
_WORD = re.compile(r"[0-9A-Za-z\u4e00-\u9fff]")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=None,
                        help="corpus folder (default: bundled)")
    parser.add_argument("--min-similarity", type=float, default=0.4,
                        help="character similarity a row needs to be counted (default 0.4)")
    parser.add_argument("--examples", type=int, default=5,
                        help="rows with no equal word to print per pair (default 5)")
    args = parser.parse_args()

    import continuity
    from continuity.analysis.compare import compare_documents
    from continuity.analysis.run import analyse
    from continuity.output.report.facts import consecutive_pairs
    from continuity.text.diffing import EQUAL, similarity

    analysis = analyse(continuity.load_corpus(args.corpus) if args.corpus
                       else continuity.load_corpus())
    print(f"Reworded rows of the pair pages whose redline shows no equal word "
          f"(character similarity ≥ {args.min_similarity}; issue 11's bar: ≤ 5 %)\n")
    total = Counter[str]()
    kinds = Counter[str]()
    seconds = 0.0
    for a, b in consecutive_pairs(analysis):
        started = time.perf_counter()
        rows, _ = compare_documents(analysis, a, b)
        seconds += time.perf_counter() - started
        pair = Counter[str]()
        examples = []
        for row in rows:
            if row.relation != "reworded" or row.counterpart is None:
                continue
            kinds.update(c.code for c in getattr(row, "changes", ()))
            kept = any(s.op == EQUAL and _WORD.search(s.text) for s in row.diff)
            pair["reworded"] += 1
            pair["reworded, none kept"] += not kept
            if similarity(row.clause.norm, row.counterpart.norm) >= args.min_similarity:
                pair["similar"] += 1
                if not kept:
                    pair["similar, none kept"] += 1
                    examples.append(row)
        total.update(pair)
        every = _share(pair["reworded, none kept"], pair["reworded"])
        print(f"  {a} → {b}: {_share(pair['similar, none kept'], pair['similar'])} of "
              f"{pair['similar']} similar rows ({every} of all {pair['reworded']} reworded)")
        for row in examples[:args.examples]:
            print(f"      {_redline(row.diff)}")
    print(f"\n  all four pages: {_share(total['similar, none kept'], total['similar'])} of "
          f"{total['similar']} similar reworded rows show no equal word "
          f"({total['similar, none kept']}); of all {total['reworded']} reworded rows: "
          f"{_share(total['reworded, none kept'], total['reworded'])}")
    if kinds:
        print("\nKinds of change on the reworded rows of the pair pages:")
        for code, n in sorted(kinds.items(), key=lambda x: (-x[1], x[0])):
            print(f"  {code:<26} {n:>5}")
    print(f"\ncompare_documents for the four pairs (diffs and change kinds): "
          f"{seconds * 1000:.0f} ms")
    return 0


def _share(part: int, whole: int) -> str:
    return f"{100 * part / whole:5.1f} %" if whole else "    – "


def _redline(spans: tuple[object, ...]) -> str:
    from continuity.views.console import redline

    return redline(spans, color=False)


if __name__ == "__main__":
    raise SystemExit(main())

"""Wall time of loading a corpus, stage by stage, with jieba's share measured apart from ours.

Run it in a fresh process, from the repository root:

    python benchmarks/bench_ingest.py [--corpus DIR] [--repeat N]

It loads every document of the corpus (default: the bundled one) the way
`continuity.pipeline.load_document` does, timing each stage with
`time.perf_counter`: import of continuity, manifest read, read + decode, clean,
structure (outline + tables + glossary), units, and jieba, split into its
one-time initialisation (`continuity.text.segment.tokenizer()`, called explicitly
first) and its word cutting. Cut time is measured, not estimated: the `segment`
name that `continuity.text.units` imported is replaced by a timing wrapper for the
duration of the run, and that time is taken out of the units stage.

Why: to know where loading time goes, and how much of it is ours to improve
rather than jieba's. The first (cold) run pays one-time costs; `--repeat N`
further (warm) runs in the same process give a best and a median, which are the
figures to compare between changes. Nothing here asserts on timings.
"""

from __future__ import annotations

import argparse
import importlib
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent

# (key, label) of each row, in print order; "one-time" rows have no warm figure.
ONE_TIME = [
    ("import", "import continuity (all)"),
    ("import_jieba", "  of which import jieba"),
    ("jieba_init", "jieba init (tokenizer + domain dict)"),
]
STAGES = [
    ("manifest", "manifest read"),
    ("read", "read + decode"),
    ("clean", "clean"),
    ("structure", "structure (outline+tables+glossary)"),
    ("units", "units, excluding jieba"),
    ("jieba_cut", "jieba cut (segment)"),
]
TOTALS = [
    ("total", "total"),
    ("jieba", "jieba share"),
    ("ours", "ours (total - jieba)"),
]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=None,
                        help="corpus folder with a manifest.toml (default: the bundled corpus)")
    parser.add_argument("--repeat", type=int, default=3,
                        help="warm runs after the cold one, for best and median (default: 3)")
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")

    if "continuity" in sys.modules or "jieba" in sys.modules:
        print("warning: continuity or jieba already imported; import time is not cold",
              file=sys.stderr)
    # Benchmark the checkout this script lives in, installed or not.
    sys.path.insert(0, str(REPO))

    # --- one-time costs: imports (jieba first, so its part is measured), then jieba init
    t0 = time.perf_counter()
    jieba = importlib.import_module("jieba")
    t1 = time.perf_counter()
    continuity = importlib.import_module("continuity")
    t2 = time.perf_counter()
    # Modules by their import path: `continuity.clean` and `continuity.segment` as attributes are
    # the functions re-exported by continuity/__init__.py, not the modules.
    manifest = importlib.import_module("continuity.corpus.manifest")
    ingest = importlib.import_module("continuity.corpus.ingest")
    clean_mod = importlib.import_module("continuity.corpus.clean")
    structure = importlib.import_module("continuity.corpus.structure")
    units_mod = importlib.import_module("continuity.text.units")
    segment_mod = importlib.import_module("continuity.text.segment")

    cache_file = Path(tempfile.gettempdir()) / "jieba.cache"
    cache_was_present = cache_file.is_file()
    t3 = time.perf_counter()
    segment_mod.tokenizer()
    t4 = time.perf_counter()
    one_time = {"import": t2 - t0, "import_jieba": t1 - t0, "jieba_init": t4 - t3}

    corpus_dir = args.corpus if args.corpus is not None else manifest.bundled_corpus()
    mods = (manifest, ingest, clean_mod, structure, units_mod)
    cold, stats = run_once(corpus_dir, *mods)
    warm = [run_once(corpus_dir, *mods)[0] for _ in range(args.repeat)]

    # Cold column: everything this process paid, imports and jieba init included.
    cold_row = dict(cold)
    cold_row.update(one_time)
    cold_row["total"] = cold["total"] + one_time["import"] + one_time["jieba_init"]
    cold_row["jieba"] = cold["jieba_cut"] + one_time["import_jieba"] + one_time["jieba_init"]
    cold_row["ours"] = cold_row["total"] - cold_row["jieba"]

    print_report(args, corpus_dir, continuity, jieba, stats, cold_row, warm,
                 cache_file, cache_was_present)
    return 0


def run_once(corpus_dir: Path, manifest: Any, ingest: Any, clean_mod: Any, structure: Any,
             units_mod: Any) -> tuple[dict[str, float], dict[str, int]]:
    """Load every document once, as pipeline.load_document does; seconds per stage."""
    pc = time.perf_counter
    cut = {"seconds": 0.0, "calls": 0}
    original = units_mod.segment

    def timed_segment(text: str) -> tuple[str, ...]:
        start = pc()
        try:
            return original(text)
        finally:
            cut["seconds"] += pc() - start
            cut["calls"] += 1

    times = {key: 0.0 for key, _ in STAGES}
    loaded: list[tuple[Any, Any, Any]] = []
    units_mod.segment = timed_segment
    try:
        run_start = pc()
        metas = manifest.read_manifest(Path(corpus_dir))
        times["manifest"] = pc() - run_start
        for meta in metas:
            t = pc()
            source = ingest.read_source(meta)
            times["read"] += pc() - t

            t = pc()
            cleaned = clean_mod.clean(source)
            times["clean"] += pc() - t

            t = pc()
            outline = structure.build_outline(cleaned, meta.title)
            structure.parse_tables(cleaned, outline)
            structure.parse_glossary(cleaned, outline)
            times["structure"] += pc() - t

            cut_before = cut["seconds"]
            t = pc()
            units = units_mod.split_units(cleaned, outline)
            elapsed = pc() - t
            in_jieba = cut["seconds"] - cut_before
            times["units"] += elapsed - in_jieba
            times["jieba_cut"] += in_jieba

            loaded.append((meta, cleaned, units))
        times["total"] = pc() - run_start
    finally:
        units_mod.segment = original
    stats = {
        "documents": len(loaded),
        "bytes": sum(meta.file.stat().st_size for meta, _, _ in loaded),
        "clean_chars": sum(len(cleaned.text) for _, cleaned, _ in loaded),
        "units": sum(len(units) for _, _, units in loaded),
        "tokens": sum(len(u.tokens) for _, _, units in loaded for u in units),
    }
    if cut["calls"] != stats["units"]:
        # Not a timing check: if units.py stops calling `segment` by that name, the split is void.
        raise SystemExit(f"timing wrapper saw {cut['calls']} segment calls for "
                         f"{stats['units']} units; jieba cut time would be wrong")
    times["jieba"] = times["jieba_cut"]
    times["ours"] = times["total"] - times["jieba"]
    return times, stats


def print_report(args: argparse.Namespace, corpus_dir: Path, continuity: Any, jieba: Any,
                 stats: dict[str, int], cold: dict[str, float], warm: list[dict[str, float]],
                 cache_file: Path, cache_was_present: bool) -> None:
    impl = platform.python_implementation()
    print("continuity ingest benchmark")
    print(f"  machine : {os.cpu_count()} CPUs (os.cpu_count), {impl} {platform.python_version()}, "
          f"{platform.system()} {platform.machine()}")
    print(f"  code    : continuity from {Path(continuity.__file__).parent}, "
          f"jieba {getattr(jieba, '__version__', '?')}")
    print(f"  corpus  : {Path(corpus_dir).resolve()}")
    print(f"            {stats['documents']} documents, {stats['bytes']:,} bytes, "
          f"{stats['clean_chars']:,} clean chars, {stats['units']:,} units, "
          f"{stats['tokens']:,} tokens")
    print(f"  runs    : 1 cold + {len(warm)} warm (--repeat {args.repeat}); "
          "best and median over the warm runs")
    print()

    def ms(value: float | None) -> str:
        return "—" if value is None else f"{value * 1000:,.1f}"

    def pct(value: float | None, total: float) -> str:
        return "" if value is None else f"{100 * value / total:.0f}%"

    label_w = max(len(label) for _, label in ONE_TIME + STAGES + TOTALS)
    header = (f"{'stage':<{label_w}}  {'cold ms':>9} {'':>4}  {'best ms':>9}  "
              f"{'median ms':>9} {'':>4}")
    print(header.rstrip())
    print("-" * len(header))
    median_total = statistics.median(w["total"] for w in warm)

    def row(key: str, label: str, warm_too: bool) -> None:
        values = [w[key] for w in warm] if warm_too else []
        best = min(values) if values else None
        med = statistics.median(values) if values else None
        line = (f"{label:<{label_w}}  {ms(cold[key]):>9} {pct(cold[key], cold['total']):>4}  "
                f"{ms(best):>9}  {ms(med):>9} {pct(med, median_total):>4}")
        print(line.rstrip())

    for key, label in ONE_TIME:
        row(key, label, warm_too=False)
    for key, label in STAGES:
        row(key, label, warm_too=True)
    print("-" * len(header))
    for key, label in TOTALS:
        row(key, label, warm_too=True)
    print()
    print("notes:")
    print("  - cold = first load in this process, including import and jieba init; its jieba")
    print("    share is import jieba + jieba init + jieba cut. Warm runs repeat only the")
    print("    per-load stages, so their jieba share is the cut alone.")
    print("  - best and median are taken row by row, so the rows need not add up to the total.")
    print("  - % is of the cold total (cold column) or of the median warm total (median column).")
    print("  - cold stages also pay first-use costs: reading the boilerplate and section-kind")
    print("    rules (cached), compiling regexes, reading files into the OS page cache.")
    state = "was present" if cache_was_present else "was ABSENT: this run built it"
    print("  - jieba caches its dictionary in the temp dir, so the very first run on a machine")
    print("    (or after the temp dir is cleared) has a slower jieba init.")
    print(f"    Cache {cache_file}: {state}.")


if __name__ == "__main__":
    sys.exit(main())

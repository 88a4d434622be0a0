"""Wall time and peak memory of alignment: on the bundled corpus, and on N synthetic documents.

Run it in a fresh process, from the repository root:

    python benchmarks/bench_align.py [--repeat N] [--docs N] [--perturb P] [--seed S]
                                     [--skip-synthetic] [--no-tracemalloc]

Part 1, the bundled corpus (`continuity.load_corpus()`): the wall time of
`continuity.analysis.align.align(corpus)` (one cold run, then `--repeat N` warm runs for
a best and a median); the wall time of `continuity.analysis.run.analyse(corpus)`
split by stage, done as `analyse` does it (align, themes = read_themes +
assign_themes, section alignment, fates = follow, and the Analysis record with
its indexes), beside `analyse()` called as one; how many clauses, alignments
(clause × other document) and counterparts (candidate pairs kept, the sum of
`len(a.counterparts)`) alignment produces; and its memory: the tracemalloc peak
of one alignment (a separate, untimed run: tracing slows it down) and the
process's `ru_maxrss` (high-water mark of resident memory) before and after the
cold run.

Part 2, a synthetic corpus of `--docs N` documents (default 100), built in
memory by `synthetic.build_synthetic` from the bundled documents without touching
files: document k copies bundled document k mod 5 under a new id (`syn-042`) and
a date one week after document k-1's, its section, unit and clause ids prefixed
with that id (section ids must be unique across the corpus: themes and section
alignment key dicts on them), its clauses shuffled (`random.Random(seed + k)`) and, with probability
`--perturb P` (default 0.3) per clause, perturbed once: a token dropped, two
adjacent tokens swapped, two tokens anywhere swapped, a number replaced, or a
word replaced by another word of the same document. A perturbed clause gets
text = its new tokens joined, norm = `normalize(text)` (checked: "".join(tokens)
== norm). Sections, units, tables and glossary are kept (ids remapped); offsets
still point into the source document's cleaned text. Then one alignment of
that corpus is timed (wall time, `ru_maxrss` before/after), and another is run
under tracemalloc for its peak (about five times slower than the timed run;
`--no-tracemalloc` skips it, e.g. for 100 documents). The targets, ≤ 60 s and ≤ 2 GiB for 100
documents, are printed beside the measured figures.

Why: alignment compares every document with every other, so its cost grows
with the square of the number of documents (and with the clauses of each).
Five documents say little about a hundred; the synthetic corpus has the real
documents' size, vocabulary and structure, with enough rewording to give
`same`, `reworded` and `absent` relations their real share of work. Perturbed
copies of the same document match each other closely, so the synthetic corpus
is a heavy case for candidate judging (many pairs above the score floor), not
a light one. Nothing here asserts on timings or memory.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import os
import platform
import statistics
import subprocess
import sys
import time
import tracemalloc
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

try:
    import resource
except ImportError:  # not on Windows
    resource = None  # type: ignore[assignment]

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
from synthetic import PERTURBATIONS, build_synthetic, check_synthetic  # noqa: E402

#: Targets for 100 documents (printed beside the figures, never asserted).
TARGET_DOCS = 100
TARGET_SECONDS = 60.0
TARGET_BYTES = 2 * 1024 ** 3

# (key, label) of each analyse stage, in print order.
ANALYSE_STAGES = [
    ("align", "align"),
    ("themes", "themes (read + assign)"),
    ("sections", "section alignment"),
    ("fates", "fates + threads (follow)"),
    ("record", "Analysis record (indexes)"),
]



def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3,
                        help="warm runs after the cold one on the bundled corpus (default: 3)")
    parser.add_argument("--docs", type=int, default=TARGET_DOCS,
                        help=f"documents in the synthetic corpus (default: {TARGET_DOCS})")
    parser.add_argument("--perturb", type=float, default=0.3,
                        help="probability that a synthetic clause is perturbed (default: 0.3)")
    parser.add_argument("--seed", type=int, default=0,
                        help="seed of the synthetic corpus; document k uses seed + k (default: 0)")
    parser.add_argument("--skip-synthetic", action="store_true",
                        help="only measure the bundled corpus")
    parser.add_argument("--workers", type=int, default=None,
                        help="processes align shares the source documents between "
                             "(default: one per core, as the command runs)")
    parser.add_argument("--no-tracemalloc", action="store_true",
                        help="skip the synthetic corpus's tracemalloc run (about 5 times slower "
                             "than the timed run); ru_maxrss is still reported")
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    if args.docs < 2:
        parser.error("--docs must be at least 2")
    if not 0.0 <= args.perturb <= 1.0:
        parser.error("--perturb must be between 0 and 1")

    # Benchmark the checkout this script lives in, installed or not.
    sys.path.insert(0, str(REPO))
    continuity = importlib.import_module("continuity")
    mods = {name: importlib.import_module(f"continuity.{path}")
            for name, path in (("align", "analysis.align"), ("analysis", "analysis.run"),
                               ("themes", "analysis.themes"),
                               ("section_align", "analysis.section_align"),
                               ("fate", "analysis.fate"), ("normalize", "text.normalize"),
                               ("segment", "text.segment"))}

    print_machine(continuity)
    pc = time.perf_counter
    mods["segment"].tokenizer()  # jieba init first, so that the load time is ours
    t = pc()
    corpus = continuity.load_corpus()
    load_seconds = pc() - t
    bundled(args, corpus, load_seconds, mods)
    if not args.skip_synthetic:
        gc.collect()
        synthetic(args, corpus, mods)
    return 0


# --- part 1: the bundled corpus ---------------------------------------------------------------

def bundled(args: argparse.Namespace, corpus: Any, load_seconds: float,
            mods: dict[str, Any]) -> None:
    align = mods["align"].align
    pc = time.perf_counter

    gc.collect()
    rss_before = maxrss()
    t = pc()
    result = align(corpus)
    cold = pc() - t
    rss_after = maxrss()
    warm = []
    for _ in range(args.repeat):
        t = pc()
        align(corpus)
        warm.append(pc() - t)
    counts = result_counts(result)
    del result

    stage_cold = analyse_stages(corpus, mods)
    stage_warm = [analyse_stages(corpus, mods) for _ in range(args.repeat)]
    whole = []
    for _ in range(args.repeat):
        t = pc()
        mods["analysis"].analyse(corpus)
        whole.append(pc() - t)

    gc.collect()
    traced = traced_align(align, corpus)

    print(f"bundled corpus: {corpus.root}")
    print(f"  {len(corpus.documents)} documents, {counts['clauses']:,} clauses "
          f"({counts['alignable']:,} alignable), loaded in {load_seconds:.2f} s "
          "(after jieba init)")
    print(f"  runs: 1 cold + {args.repeat} warm (--repeat {args.repeat}); "
          "best and median over the warm runs")
    print()
    label_w = max(len(label) for _, label in ANALYSE_STAGES) + 2
    label_w = max(label_w, len("analyse(), one call"), len("align(corpus)"))
    header = f"{'wall time':<{label_w}}  {'cold s':>8}  {'best s':>8}  {'median s':>8} {'':>4}"
    print(header.rstrip())
    print("-" * len(header))
    print(f"{'align(corpus)':<{label_w}}  {cold:>8.3f}  {min(warm):>8.3f}  "
          f"{statistics.median(warm):>8.3f}")
    print("analyse, by stage:")
    median_total = statistics.median(w["total"] for w in stage_warm)
    for key, label in ANALYSE_STAGES + [("total", "total")]:
        values = [w[key] for w in stage_warm]
        med = statistics.median(values)
        print(f"{'  ' + label:<{label_w}}  {stage_cold[key]:>8.3f}  {min(values):>8.3f}  "
              f"{med:>8.3f} {100 * med / median_total:>3.0f}%")
    print(f"{'analyse(), one call':<{label_w}}  {'—':>8}  {min(whole):>8.3f}  "
          f"{statistics.median(whole):>8.3f}")
    print()
    print_counts(counts)
    print()
    print_memory(rss_before, rss_after, "cold align", traced)
    print()
    print("notes:")
    print("  - the cold align is the first in this process: it also pays first-use costs")
    print("    (stop-phrase pattern, sub-word cache of jieba words, rapidfuzz import paths).")
    print("  - analyse by stage is run after the align runs, so its cold column is warm for")
    print("    align; best and median are taken row by row, so rows need not add up.")
    print("  - % is of the median total of the staged runs.")
    print()


def analyse_stages(corpus: Any, mods: dict[str, Any]) -> dict[str, float]:
    """analysis.analyse, stage by stage (same calls, same order); seconds per stage."""
    pc = time.perf_counter
    times: dict[str, float] = {}
    start = t = pc()
    result = mods["align"].align(corpus)
    times["align"] = pc() - t
    t = pc()
    taxonomy = mods["themes"].read_themes(corpus.root)
    themes = mods["themes"].assign_themes(corpus, result.clauses, result.vectors, taxonomy)
    times["themes"] = pc() - t
    t = pc()
    sections = mods["section_align"].align_sections(corpus, result.clauses, result.vectors)
    times["sections"] = pc() - t
    t = pc()
    fates, threads = mods["fate"].follow(corpus, result)
    times["fates"] = pc() - t
    t = pc()
    mods["analysis"].Analysis(corpus, result, themes, sections, fates, threads)
    times["record"] = pc() - t
    times["total"] = pc() - start
    return times


def result_counts(result: Any) -> dict[str, Any]:
    """Counts read from the result's compact arrays (building 17 million Alignment records
    just to count them would take longer than aligning)."""
    align_module = importlib.import_module("continuity.analysis.align")
    alignable = align_module.alignable
    import numpy as np

    # (clause, document) cells with a counterpart: the distinct keys of the counterparts
    cells = np.unique(result.cp_source.astype(np.int64) * len(result.doc_ids) + result.cp_doc)
    with_counterparts = len(cells)
    same = int(result.cp_same.sum())
    return {
        "clauses": len(result.clauses),
        "alignable": sum(1 for c in result.clauses if alignable(c, result.settings)),
        "alignments": len(result.alignments),
        "with_counterparts": with_counterparts,
        "counterparts": len(result.cp_source),
        "relations": Counter({"same": same, "reworded": len(result.cp_source) - same}),
        "sources": len(np.unique(result.cp_source)),
        "features": result.vectors.matrix.shape[1],
        "nnz": result.vectors.matrix.nnz,
    }


def print_counts(counts: dict[str, Any]) -> None:
    rel = counts["relations"]
    print(f"  clauses                      {counts['clauses']:>12,}  "
          f"({counts['alignable']:,} alignable)")
    print(f"  alignments (clause × doc)    {counts['alignments']:>12,}  "
          f"({counts['with_counterparts']:,} with a counterpart, "
          f"{counts['alignments'] - counts['with_counterparts']:,} absent)")
    print(f"  counterparts kept            {counts['counterparts']:>12,}  "
          f"(same {rel.get('same', 0):,}, reworded {rel.get('reworded', 0):,}; "
          f"{counts['sources']:,} clauses have one)")
    print(f"  vectors                      {counts['features']:>12,}  features, "
          f"{counts['nnz']:,} non-zeros")


def traced_align(align: Callable[[Any], Any], corpus: Any) -> tuple[int, int, float]:
    """(current, peak) bytes traced during one alignment, and that run's (slowed) wall time."""
    tracemalloc.start()
    try:
        t = time.perf_counter()
        result = align(corpus)
        seconds = time.perf_counter() - t
        current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    del result
    return current, peak, seconds


def print_memory(rss_before: int | None, rss_after: int | None, what: str,
                 traced: tuple[int, int, float] | None, targets: bool = False) -> None:
    target = f"  target ≤ {mib(TARGET_BYTES)} (2 GiB)" if targets else ""
    if traced is None:
        print("  tracemalloc peak, one align           —  (skipped: --no-tracemalloc)")
    else:
        current, peak, seconds = traced
        print(f"  tracemalloc peak, one align  {mib(peak):>12}{target}")
        print(f"  tracemalloc at its end       {mib(current):>12}  (the result, still alive)")
        print(f"  traced run wall time         {seconds:>10.2f} s  (slowed by tracing)")
    if rss_before is None or rss_after is None:
        print("  ru_maxrss                    not available on this platform")
        return
    print(f"  ru_maxrss before {what:<12}{mib(rss_before):>12}")
    print(f"  ru_maxrss after {what:<13}{mib(rss_after):>12}  "
          f"(+{mib(rss_after - rss_before)}){target if targets else ''}")


# --- part 2: the synthetic corpus -------------------------------------------------------------

def synthetic(args: argparse.Namespace, corpus: Any, mods: dict[str, Any]) -> None:
    align = mods["align"].align
    pc = time.perf_counter
    t = pc()
    syn, stats = build_synthetic(corpus, args.docs, args.perturb, args.seed,
                                 mods["normalize"].normalize, mods["segment"].segment)
    build_seconds = pc() - t
    check_synthetic(syn)

    gc.collect()
    rss_current = current_rss()
    rss_before = maxrss()
    sampler = PssSampler.start()
    t = pc()
    result = align(syn, workers=args.workers)
    seconds = pc() - t
    pss_peak = sampler.stop() if sampler else None
    rss_after = maxrss()
    rss_workers = maxrss("children")
    counts = result_counts(result)
    del result
    gc.collect()
    traced = None if args.no_tracemalloc else traced_align(align, syn)

    n_src = len(corpus.documents)
    clauses = sum(len(d.clauses) for d in syn.documents)
    print(f"synthetic corpus: {args.docs} documents (bundled documents round robin), "
          f"--perturb {args.perturb}, --seed {args.seed}")
    print(f"  {clauses:,} clauses, {sum(len(d.sections) for d in syn.documents):,} sections, "
          f"{sum(len(d.units) for d in syn.documents):,} units; built in memory in "
          f"{build_seconds:.2f} s")
    ops = ", ".join(f"{op} {stats[op]:,}" for op in PERTURBATIONS)
    print(f"  perturbed clauses: {stats['perturbed']:,} ({ops}); "
          f"{stats['unperturbable']:,} drawn but left as is (no token to change), "
          f"{stats['resegmented']:,} re-segmented")
    low, high = args.docs // n_src, -(-args.docs // n_src)
    print(f"  each bundled document appears {low if low == high else f'{low}–{high}'} times; "
          f"resident memory before aligning {mib(rss_current) if rss_current else '?'}")
    print()
    scale = "" if args.docs == TARGET_DOCS else f" (targets are for {TARGET_DOCS} documents)"
    print(f"  align(synthetic), wall time  {seconds:>10.2f} s  target ≤ {TARGET_SECONDS:.0f} s"
          f"{scale}")
    print_memory(rss_before, rss_after, "align", traced, targets=True)
    if rss_workers and rss_after:
        print(f"  ru_maxrss of the largest worker {mib(rss_workers):>9}  (forked: shares the "
              "parent's pages until written)")
        print(f"  both together, at most   {mib(rss_after + rss_workers):>16}  "
              "(an upper bound: shared pages are counted twice)")
    if pss_peak:
        print(f"  PSS of process + workers, peak {mib(pss_peak):>10}  target ≤ 2,048 MiB "
              f"(sampled every {PssSampler.INTERVAL} s: shared pages split between sharers)")
    print(f"  documents                    {len(syn.documents):>12,}  "
          f"({len(syn.documents) * (len(syn.documents) - 1):,} ordered document pairs)")
    print_counts(counts)
    print()
    print("notes:")
    print("  - one timed run (no tracing), then one run under tracemalloc for the peak (unless")
    print("    --no-tracemalloc). The peak counts memory allocated during align (numpy/scipy")
    print("    arrays included), not the corpus it reads. ru_maxrss is the whole process's")
    print("    high-water mark: its growth is what align added above all this process held.")
    print("  - synthetic documents are perturbed copies of 5 real ones, so each clause has")
    print("    close counterparts in a fifth of the corpus: more candidates to judge than in")
    print("    a corpus of unrelated documents.")


# --- machine and memory helpers ---------------------------------------------------------------

def print_machine(continuity: Any) -> None:
    impl = platform.python_implementation()
    versions = []
    for name in ("numpy", "scipy", "rapidfuzz", "jieba"):
        try:
            versions.append(f"{name} {getattr(importlib.import_module(name), '__version__', '?')}")
        except ImportError:
            versions.append(f"{name} missing")
    print("continuity align benchmark")
    print(f"  machine : {os.cpu_count()} CPUs (os.cpu_count), {total_ram()} RAM, "
          f"{impl} {platform.python_version()}, {platform.system()} {platform.machine()}")
    print(f"  code    : continuity from {Path(continuity.__file__).parent}{git_state()}")
    print(f"            {', '.join(versions)}")
    print()


def git_state() -> str:
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO,
                              capture_output=True, text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--", "continuity"], cwd=REPO,
                               capture_output=True, text=True, check=True).stdout.split("\n")
    except (OSError, subprocess.CalledProcessError):
        return ""
    changed = [line[3:] for line in dirty if line.strip()]
    return f", commit {head}" + (f" + uncommitted changes to {', '.join(changed)}"
                                 if changed else "")


class PssSampler:
    """Peak total PSS (proportional set size: a page shared by n processes counts 1/n to
    each) of this process and its descendants, sampled by a separate process so that
    this one stays single-threaded (align forks workers only then). Linux only."""

    INTERVAL = 0.1
    CODE = r"""
import os, select, sys
root, interval, me, peak = int(sys.argv[1]), float(sys.argv[2]), os.getpid(), 0
def pss(pid):
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            return next(int(l.split()[1]) * 1024 for l in f if l.startswith("Pss:"))
    except (OSError, StopIteration, ValueError):
        return 0
def family():
    children = {}
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                with open(f"/proc/{name}/stat") as f:
                    ppid = int(f.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(name))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(children.get(pid, ()))
    return [p for p in found if p != me]
while True:
    peak = max(peak, sum(pss(p) for p in family()))
    if select.select([sys.stdin], [], [], interval)[0] and not sys.stdin.read(1):
        print(peak)
        break
"""

    def __init__(self, proc: subprocess.Popen[str]) -> None:
        self.proc = proc

    @classmethod
    def start(cls) -> PssSampler | None:
        if not Path("/proc/self/smaps_rollup").exists():
            return None
        proc = subprocess.Popen([sys.executable, "-c", cls.CODE, str(os.getpid()),
                                 str(cls.INTERVAL)], stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE, text=True)
        time.sleep(cls.INTERVAL)  # let it take a first sample
        return cls(proc)

    def stop(self) -> int | None:
        out, _ = self.proc.communicate("", timeout=60)
        try:
            return int(out.strip())
        except ValueError:
            return None


def maxrss(who: str = "self") -> int | None:
    """Peak resident memory so far, in bytes: of this process, or ("children") of the
    largest of its finished child processes (align's workers)."""
    if resource is None:
        return None
    target = resource.RUSAGE_SELF if who == "self" else resource.RUSAGE_CHILDREN
    peak = resource.getrusage(target).ru_maxrss
    return peak if sys.platform == "darwin" else peak * 1024  # bytes on macOS, KiB elsewhere


def current_rss() -> int | None:
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
    except (OSError, IndexError, ValueError):
        return None
    return pages * os.sysconf("SC_PAGE_SIZE")


def total_ram() -> str:
    try:
        return mib(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES"))
    except (ValueError, OSError, AttributeError):
        return "? MiB"


def mib(n: int | None) -> str:
    return "?" if n is None else f"{n / 1024 ** 2:,.0f} MiB"


if __name__ == "__main__":
    sys.exit(main())

"""`continuity build` on a synthetic corpus of N documents in series: time, memory, size.

    python benchmarks/bench_scale.py [--docs 25] [--years 10] [--seed 0] [--workers N]
                                     [--keep DIR]

Writes a corpus of `--docs N` documents (`synthetic.write_corpus`: series of `--years`
annual documents, each year a perturbation of the year before, national, province and
city series; the manifest gives series, levels and dates) to a temporary folder (or
`--keep DIR`, which keeps the corpus and the site), then runs `continuity build` on it
in a fresh process, as a user would, and prints:

- the wall time of the build;
- its peak memory: all its processes together (PSS, sampled every 0.1 s: a page shared
  by n processes counts 1/n to each) and its largest process (RSS, ru_maxrss);
- the site's size and page count, and its largest page;
- the comparison plan's size (`continuity.plan`): pairs planned, by reason, against
  every pair, which is what today's engine still compares.

Issue 14's targets (2 cores): 100 documents ≤ 4 GB and ≤ 2 minutes, 300 documents
(30 series × 10 years) ≤ 8 GB and ≤ 10 minutes. Figures, never assertions.
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

try:
    import resource
except ImportError:  # not Unix
    resource = None  # type: ignore[assignment]

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_align import PssSampler, git_state  # noqa: E402
from synthetic import YEARS, write_corpus  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=25,
                        help="documents in the synthetic corpus (default: 25)")
    parser.add_argument("--years", type=int, default=YEARS,
                        help=f"documents (years) per series (default: {YEARS})")
    parser.add_argument("--seed", type=int, default=0, help="seed of the perturbations")
    parser.add_argument("--workers", type=int, default=None,
                        help="build --workers (default: one per core)")
    parser.add_argument("--keep", type=Path, default=None,
                        help="write the corpus to DIR/corpus and the site to DIR/reports, "
                             "and keep them")
    args = parser.parse_args(argv)
    if args.docs < 2 or args.years < 1:
        parser.error("--docs must be at least 2 and --years at least 1")
    if args.keep is not None:
        return scale(args, args.keep)
    with tempfile.TemporaryDirectory() as tmp:
        return scale(args, Path(tmp))


def scale(args: argparse.Namespace, folder: Path) -> int:
    corpus, out = folder / "corpus", folder / "reports"
    started = time.perf_counter()
    documents = write_corpus(corpus, args.docs, args.years, args.seed)
    made = time.perf_counter() - started
    chars = sum(len(p.read_text(encoding="utf-8")) for p in corpus.glob("*.txt"))
    print(f"synthetic corpus: {len(documents)} documents in "
          f"{len({d.series for d in documents})} series of up to {args.years} years "
          f"({dict(sorted(Counter(d.level for d in documents).items()))}), "
          f"{chars / 1e6:.1f} M characters, written in {made:.1f} s to {corpus}")
    print_plan(corpus)

    argv = [sys.executable, "-c", "from continuity.cli import main; main()", "build",
            "--corpus", str(corpus), "--out", str(out), "--force"]
    if args.workers:
        argv += ["--workers", str(args.workers)]
    load = os.getloadavg()[0]
    sampler = PssSampler.start()
    started = time.perf_counter()
    done = subprocess.run(argv, capture_output=True, text=True, cwd=ROOT)
    seconds = time.perf_counter() - started
    pss = sampler.stop() if sampler else None
    if done.returncode:
        sys.exit(f"continuity build failed ({done.returncode}):\n{done.stderr}")
    rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss if resource else None
    files = [p for p in out.rglob("*") if p.is_file()]
    pages = [p for p in files if p.suffix == ".html"]
    biggest = max(pages, key=lambda p: p.stat().st_size, default=None)
    print(f"continuity build (today's engine: every pair), one fresh process on "
          f"{os.cpu_count()} CPUs (Python {platform.python_version()}, "
          f"{platform.system()} {platform.machine()}); load average before: {load:.1f}")
    print(f"  code: continuity in {ROOT}{git_state()}")
    print(f"  wall time:                            {seconds:8.1f} s")
    if pss is not None:
        print(f"  peak memory, all processes (PSS):     {pss / 1024 ** 3:8.2f} GiB")
    if rss is not None:
        scale_kib = 1 if sys.platform == "darwin" else 1024
        print(f"  peak memory, largest process (RSS):   {rss * scale_kib / 1024 ** 3:8.2f} GiB")
    print(f"  site: {len(files)} files, {sum(p.stat().st_size for p in files) / 1e6:.0f} MB; "
          f"{len(pages)} pages" + (f", the largest {biggest.relative_to(out)} "
                                   f"{biggest.stat().st_size / 1e6:.1f} MB" if biggest else ""))
    print("  progress:")
    print("".join(f"    {line}\n" for line in done.stderr.splitlines()), end="")
    return 0


def print_plan(corpus: Path) -> None:
    """The comparison plan's size beside every pair's."""
    from continuity.manifest import read_corpus_manifest
    from continuity.plan import REASONS, comparison_plan

    plan = comparison_plan(read_corpus_manifest(corpus))
    reasons = Counter(r for pair in plan.pairs for r in pair.reasons)
    by = ", ".join(f"{r} {reasons[r]}" for r in REASONS if reasons[r])
    print(f"comparison plan ({plan.rule}: {plan.why}): {len(plan.pairs):,} of "
          f"{plan.all_pairs:,} pairs ({100 * len(plan.pairs) / plan.all_pairs:.0f} %); "
          f"a pair counts once, its reasons: {by or 'none'}")


if __name__ == "__main__":
    sys.exit(main())

"""`continuity build` on a synthetic corpus of N documents in series: time, memory, size.

    python benchmarks/bench_scale.py [--docs 25] [--years 10] [--seed 0] [--workers N]
                                     [--engine local|dask] [--scheduler ADDRESS]
                                     [--memory-limit SIZE] [--timeout SECONDS] [--keep DIR]

Writes a corpus of `--docs N` documents (`synthetic.write_corpus`: series of `--years`
annual documents, each year a perturbation of the year before, national, province and
city series; the manifest gives series, levels and dates) to a temporary folder (or
`--keep DIR`, which keeps the corpus and the site), then runs `continuity build` on it
in a fresh process, as a user would, and prints:

- the wall time of the build;
- its processor time (user and system, all its processes);
- its peak memory: all its processes together (PSS, sampled every 0.25 s: a page shared
  by n processes counts 1/n to each), each process's own peak PSS and processor time
  (the building process and its workers), and its largest process (RSS, ru_maxrss);
- its progress messages, each stage's end (a run of jobs' results in one line);
- the store's size (continuity.db), the site's size and page count (pair pages apart),
  and its largest page (the issue's bound: 5 MB);
- the comparison plan's size (`continuity.corpus.plan`): pairs planned, by reason, against
  every pair (the alignment searches only the planned pairs).

`--engine dask` builds on a LocalCluster, or on the cluster at `--scheduler ADDRESS`;
`--memory-limit SIZE` (build --memory-limit: 4GiB, 3.5GB…) bounds each of the
LocalCluster's workers.
`--timeout SECONDS` stops a build that runs longer (its process group: the build and a
LocalCluster's workers), says so and exits with status 3, so that a loop of builds
counts hangs instead of waiting on one (issue 14: the dask engine's hang).

Issue 14's targets (2 cores): 100 documents ≤ 4 GB and ≤ 2 minutes, 300 documents
(30 series × 10 years) ≤ 8 GB and ≤ 10 minutes. Figures, never assertions.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
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


class ProcessPssSampler(PssSampler):
    """PssSampler of the processes this one starts (not itself: writing the synthetic
    corpus is not the build's memory) that also keeps, for each process, its own peak
    PSS and its processor time (user + system, as of its last sample: a process's time
    counts until it ends, up to one interval after its last sample). Prints the peak
    total, then one line per process: pid, parent pid, peak PSS in bytes, processor
    seconds, its command line's last words. Every 0.25 s, not 0.1 s: reading a large
    process's smaps_rollup takes the kernel a while, and the sampler shares the build's
    cores."""

    INTERVAL = 0.25
    CODE = r"""
import os, select, sys
root, interval, me = int(sys.argv[1]), float(sys.argv[2]), os.getpid()
tick = os.sysconf("SC_CLK_TCK")
peak, each = 0, {}  # pid: [parent, peak PSS, processor seconds, command]
""" + PssSampler.CODE[PssSampler.CODE.index("def pss("):PssSampler.CODE.index("def family(")
                      ] + r"""def stat(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
def family():
    children = {}
    for name in os.listdir("/proc"):
        if name.isdigit():
            fields = stat(name)
            if fields:
                children.setdefault(int(fields[1]), []).append(int(name))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(children.get(pid, ()))
    return [p for p in found if p not in (me, root)]
while True:
    total = 0
    for p in family():
        fields = stat(p)
        if not fields:
            continue
        n = pss(p)
        total += n
        if p not in each:
            try:
                with open(f"/proc/{p}/cmdline", "rb") as f:
                    what = f.read().replace(b"\0", b" ").decode(errors="replace")
            except OSError:
                what = "?"
            each[p] = [int(fields[1]), 0, 0.0, " ".join(what.split()[-3:])]
        each[p][1] = max(each[p][1], n)
        each[p][2] = (int(fields[11]) + int(fields[12])) / tick
    peak = max(peak, total)
    if select.select([sys.stdin], [], [], interval)[0] and not sys.stdin.read(1):
        print(peak)
        for p, (parent, n, cpu, what) in sorted(each.items(), key=lambda e: -e[1][1]):
            print(p, parent, n, f"{cpu:.2f}", what)
        break
"""

    def stop_each(self) -> tuple[int | None, list[tuple[int, int, int, float, str]]]:
        """(peak total PSS, [(pid, parent pid, peak PSS, processor seconds, command) of
        each process, the largest peak first])."""
        out, _ = self.proc.communicate("", timeout=60)
        lines = out.strip().splitlines()
        if not lines or not lines[0].strip().isdigit():
            return None, []
        each = []
        for line in lines[1:]:
            pid, parent, n, cpu, *what = line.split(" ", 4)
            each.append((int(pid), int(parent), int(n), float(cpu), what[0] if what else ""))
        return int(lines[0]), each


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=25,
                        help="documents in the synthetic corpus (default: 25)")
    parser.add_argument("--years", type=int, default=YEARS,
                        help=f"documents (years) per series (default: {YEARS})")
    parser.add_argument("--seed", type=int, default=0, help="seed of the perturbations")
    parser.add_argument("--workers", type=int, default=None,
                        help="build --workers (default: one per core)")
    parser.add_argument("--engine", choices=("local", "dask"), default="local",
                        help="build --engine (default: local)")
    parser.add_argument("--scheduler", metavar="ADDRESS", default=None,
                        help="build --scheduler: an existing dask cluster (with --engine dask)")
    parser.add_argument("--memory-limit", metavar="SIZE", default=None,
                        help="build --memory-limit: each LocalCluster worker's memory, e.g. "
                             "4GiB (with --engine dask)")
    parser.add_argument("--timeout", type=float, metavar="SECONDS", default=None,
                        help="stop the build after SECONDS and exit with status 3 (a hang)")
    parser.add_argument("--keep", type=Path, default=None,
                        help="write the corpus to DIR/corpus and the site to DIR/reports, "
                             "and keep them")
    args = parser.parse_args(argv)
    if args.docs < 2 or args.years < 1:
        parser.error("--docs must be at least 2 and --years at least 1")
    if args.scheduler and args.engine != "dask":
        parser.error("--scheduler is for --engine dask")
    if args.memory_limit and (args.engine != "dask" or args.scheduler):
        parser.error("--memory-limit is for --engine dask on a LocalCluster (no --scheduler)")
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
    argv += ["--engine", args.engine]
    if args.scheduler:
        argv += ["--scheduler", args.scheduler]
    if args.memory_limit:
        argv += ["--memory-limit", args.memory_limit]
    load = os.getloadavg()[0]
    sampler = ProcessPssSampler.start()
    started = time.perf_counter()
    done = run_build(argv, args.timeout)
    seconds = time.perf_counter() - started
    used = resource.getrusage(resource.RUSAGE_CHILDREN) if resource else None  # the build's
    pss, each = sampler.stop_each() if sampler else (None, [])
    if done.returncode is None:
        print(f"continuity build did not finish within {args.timeout:g} s: stopped (a hang, "
              f"or too slow); load average before: {load:.1f}, now: {os.getloadavg()[0]:.1f}")
        print_memory(pss, each)  # what it had reached: the figures of a run cut short
        print("  its progress:\n" + "".join(f"    {line}\n"
                                            for line in done.stderr.splitlines()), end="")
        return 3
    if done.returncode:
        sys.exit(f"continuity build failed ({done.returncode}):\n{done.stderr}")
    rss = used.ru_maxrss if used else None
    files = [p for p in out.rglob("*") if p.is_file()]
    pages = [p for p in files if p.suffix == ".html"]
    pair_pages = [p for p in pages if p.name.startswith("pair-")]
    biggest = max(pages, key=lambda p: p.stat().st_size, default=None)
    db = out / "continuity.db"
    print(f"continuity build (the plan's pairs), one fresh process on "
          f"{os.cpu_count()} CPUs (Python {platform.python_version()}, "
          f"{platform.system()} {platform.machine()}); load average before: {load:.1f}")
    print(f"  code: continuity in {ROOT}{git_state()}")
    print(f"  wall time:                            {seconds:8.1f} s")
    if used is not None:  # on a machine others share, the steadier figure
        print(f"  processor time, all processes:        {used.ru_utime + used.ru_stime:8.1f} s "
              f"(user {used.ru_utime:.1f} s, system {used.ru_stime:.1f} s)")
    print_memory(pss, each)
    if rss is not None:
        scale_kib = 1 if sys.platform == "darwin" else 1024
        print(f"  peak memory, largest process (RSS):   {rss * scale_kib / 1024 ** 3:8.2f} GiB")
    if db.is_file():
        print(f"  store: {db.name} {db.stat().st_size / 1e6:.0f} MB")
    print(f"  site: {len(files)} files, {sum(p.stat().st_size for p in files) / 1e6:.0f} MB "
          f"(the store included); {len(pages)} pages, {len(pair_pages)} of them pair pages"
          + (f"; the largest {biggest.relative_to(out)} "
             f"{biggest.stat().st_size / 1e6:.1f} MB" if biggest else ""))
    print("  progress (the build's own messages; a job's result is counted when it "
          "reaches the building process):")
    print("".join(f"    {line}\n" for line in stages(done.stderr.splitlines())), end="")
    return 0


def print_memory(pss: int | None, each: list[tuple[int, int, int, float, str]]) -> None:
    """The peak PSS of all the build's processes together, then of each (the largest
    first), with its processor time."""
    if pss is not None:
        print(f"  peak memory, all processes (PSS):     {pss / 1024 ** 3:8.2f} GiB")
    build = {pid for pid, parent, *_ in each if parent == os.getpid()}
    for pid, parent, n, cpu, what in each[:MAX_PROCESSES]:
        role = "the build" if pid in build else f"worker of {parent}"
        print(f"    process {pid:>7}: peak PSS {n / 1024 ** 3:6.2f} GiB, processor "
              f"{cpu:6.1f} s  ({role}: {what})")
    if len(each) > MAX_PROCESSES:
        rest = each[MAX_PROCESSES:]
        print(f"    and {len(rest)} more processes, each smaller, processor "
              f"{sum(e[3] for e in rest):.1f} s together")


def stages(progress: list[str]) -> Iterator[str]:
    """The build's progress lines, each run of "made <a job>" lines as one line."""
    run: list[str] = []
    for line in [*progress, ""]:
        if JOB_DONE.match(line):
            run.append(line)
            continue
        if run:
            yield (run[0] if len(run) == 1 else
                   f"{run[0].split('made', 1)[0]}made {len(run)} jobs' results, the last "
                   f"at {run[-1].split('made', 1)[0].strip()}: {run[0].split('made', 1)[1].strip()}"
                   f" … {run[-1].split('made', 1)[1].strip()}")
            run = []
        if line:
            yield line


#: A line of the build's progress saying a job's result arrived (not "made N files").
JOB_DONE = re.compile(r"^\s*[\d.]+s\s+made (?!\d+ files$)")


def run_build(argv: list[str], timeout: float | None) -> subprocess.CompletedProcess[str]:
    """The build's outcome; with `timeout`, the build runs in a process group of its own
    (its workers with it), killed whole past the timeout: returncode None."""
    if timeout is None:
        return subprocess.run(argv, capture_output=True, text=True, cwd=ROOT)
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            cwd=ROOT, start_new_session=True)
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        out, err = proc.communicate()
        return subprocess.CompletedProcess(argv, None, out, err)  # type: ignore[arg-type]
    return subprocess.CompletedProcess(argv, proc.returncode, out, err)


#: Processes listed by their own peak memory (the largest first).
MAX_PROCESSES = 6


def print_plan(corpus: Path) -> None:
    """The comparison plan's size beside every pair's."""
    from continuity.corpus.manifest import read_corpus_manifest
    from continuity.corpus.plan import REASONS, comparison_plan

    plan = comparison_plan(read_corpus_manifest(corpus))
    reasons = Counter(r for pair in plan.pairs for r in pair.reasons)
    by = ", ".join(f"{r} {reasons[r]}" for r in REASONS if reasons[r])
    print(f"comparison plan ({plan.rule}: {plan.why}): {len(plan.pairs):,} of "
          f"{plan.all_pairs:,} pairs ({100 * len(plan.pairs) / plan.all_pairs:.0f} %); "
          f"a pair counts once, its reasons: {by or 'none'}")


if __name__ == "__main__":
    sys.exit(main())

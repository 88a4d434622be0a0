"""Time the commands that answer from the store, each in a fresh process, as a user runs them.

For each command (`corpus`, `outline`, `units`, `diff`, `trace`, `history`, their
`--json` forms, and `--help` and `settings`, which must import neither jieba nor numpy):
the wall time with a fresh store in OUT (`continuity build --out OUT` wrote it first,
not counted, with the redlines its pages show, which `diff` and `history` read;
`--store-by align` times a store `align` wrote, which holds none: they diff on the spot)
and without one (an empty OUT: the command builds the store first, then answers), median
of `--runs` fresh processes each (default 5), and the floor: a fresh Python that does
nothing. Beside the wall time, the processor time the process used (user + system): on a
machine others load too, the wall time grows with the queue for the cores and the
processor time much less, so the load average is printed before and after. Issue 13: on
the bundled corpus each command answers from the store in at most 0.3 s. Figures, not
assertions: run it and read them (tests/test_store.py checks that these commands import
neither jieba, numpy nor scipy).

Python's bytecode is cached (in a folder of the run's own, PYTHONPYCACHEPREFIX) and each
command runs once before it is timed, as an installed package runs: with
PYTHONDONTWRITEBYTECODE=1 in the environment every start would compile each of
continuity's modules it imports again. `--no-bytecode-cache` times that instead.

    python benchmarks/bench_commands.py [--corpus DIR] [--runs N] [--without-runs N]
                                        [--store-by build|align]
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

#: The commands timed, as a user types them (after `continuity`), on the bundled corpus.
COMMANDS = (
    ("--help",),
    ("settings",),
    ("corpus",),
    ("outline", "15th-plan"),
    ("units", "2025-report", "--clauses"),
    ("diff", "2025-report", "15th-plan"),
    ("trace", "天府粮仓"),
    ("history", "天府粮仓"),
    ("corpus", "--json"),
    ("diff", "2025-report", "15th-plan", "--json"),
    ("trace", "天府粮仓", "--json"),
    ("history", "天府粮仓", "--json"),
)
#: Commands that read no store.
NO_STORE = {("--help",), ("settings",)}
#: The console script's body, run by this Python.
SCRIPT = "import sys; from continuity.cli import main; sys.argv[0] = 'continuity'; main()"


def run(args: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall and processor time of one fresh process running `continuity ARGS` (it must
    succeed)."""
    return timed([sys.executable, "-c", SCRIPT, *args], env)


def timed(command: list[str], env: dict[str, str] | None = None) -> tuple[float, float]:
    """(wall time, processor time: user + system) of one process running `command`."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(command, check=True, env=env, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def median(times: list[tuple[float, float]]) -> str:
    """Median wall and processor times, as printed."""
    return (f"{statistics.median(w for w, _ in times):7.3f} s "
            f"{statistics.median(c for _, c in times):7.3f} s")


def load() -> str:
    """The load average over 1, 5 and 15 minutes."""
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=None,
                        help="corpus folder (default: bundled)")
    parser.add_argument("--runs", type=int, default=5,
                        help="fresh processes per command with a store")
    parser.add_argument("--without-runs", type=int, default=3,
                        help="fresh processes per command without a store (each builds it)")
    parser.add_argument("--store-by", choices=("build", "align"), default="build",
                        help="the command that writes the store timed (default: build)")
    parser.add_argument("--no-bytecode-cache", action="store_true",
                        help="keep the environment's bytecode setting (compiled at each start "
                             "under PYTHONDONTWRITEBYTECODE=1), no warm-up run")
    options = parser.parse_args()
    env = {**os.environ, "PAGER": "cat", "NO_COLOR": "1"}
    corpus = ["--corpus", str(options.corpus)] if options.corpus else []
    work = Path(tempfile.mkdtemp(prefix="bench-commands-"))
    cached = not options.no_bytecode_cache
    if cached:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(work / "pycache")
    try:
        stored = work / "stored"
        subprocess.run([sys.executable, "-c", SCRIPT, options.store_by, "--out", str(stored),
                        *corpus], check=True, env=env, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)
        floor = [timed([sys.executable, "-c", "pass"]) for _ in range(options.runs)]
        print(f"python {platform.python_version()}, {os.cpu_count()} cores, load average "
              f"{load()}; median of {options.runs} fresh processes with a store, "
              f"{options.without_runs} without; store by `{options.store_by}`; bytecode "
              + ("cached, one warm-up run each" if cached else "as the environment says"))
        print(f"{'':<46} {'with a store':^19} {'no store':>10}")
        print(f"{'command':<46} {'wall':>9} {'cpu':>9} {'wall':>10}")
        print(f"{'floor: python -c pass':<46} {median(floor)}")
        for command in COMMANDS:
            args = list(command) + ([] if command in NO_STORE else [*corpus])
            answer = args + ([] if command in NO_STORE else ["--out", str(stored)])
            if cached:
                run(answer, env)  # writes the bytecode of what it imports
            with_store = [run(answer, env) for _ in range(options.runs)]
            without = "-"
            if command not in NO_STORE and options.without_runs:
                times = []
                for n in range(options.without_runs):
                    empty = work / f"empty-{n}"
                    times.append(run([*args, "--out", str(empty)], env)[0])
                    shutil.rmtree(empty, ignore_errors=True)
                without = f"{statistics.median(times):8.3f} s"
            print(f"{'continuity ' + ' '.join(command):<46} {median(with_store)} "
                  f"{without:>10}")
        print(f"load average {load()}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()

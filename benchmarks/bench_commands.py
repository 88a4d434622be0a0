"""Time the commands that answer from the store, each in a fresh process, as a user runs them.

For each command (`corpus`, `outline`, `units`, `diff`, `trace`, `history`, and
`--help` and `settings`, which must import neither jieba nor numpy): the wall time
with a fresh store in OUT (`continuity align --out OUT` wrote it first, not counted)
and without one (an empty OUT: the command builds the store first, then answers),
median of `--runs` fresh processes each (default 5, taking turns), and the floor: a
fresh Python that does nothing. Issue 13: on the bundled corpus each command answers
from the store in at most 0.3 s. Figures, not assertions: run it and read them.

    python benchmarks/bench_commands.py [--corpus DIR] [--runs N] [--without-runs N]
"""

from __future__ import annotations

import argparse
import os
import platform
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
)
#: Commands that read no store.
NO_STORE = {("--help",), ("settings",)}
#: The console script's body, run by this Python.
SCRIPT = "import sys; from continuity.cli import main; sys.argv[0] = 'continuity'; main()"


def run(args: list[str], env: dict[str, str]) -> float:
    """Wall time of one fresh process running `continuity ARGS` (it must succeed)."""
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", SCRIPT, *args], check=True, env=env,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=None,
                        help="corpus folder (default: bundled)")
    parser.add_argument("--runs", type=int, default=5,
                        help="fresh processes per command with a store")
    parser.add_argument("--without-runs", type=int, default=3,
                        help="fresh processes per command without a store (each builds it)")
    options = parser.parse_args()
    env = {**os.environ, "PAGER": "cat", "NO_COLOR": "1"}
    corpus = ["--corpus", str(options.corpus)] if options.corpus else []
    work = Path(tempfile.mkdtemp(prefix="bench-commands-"))
    try:
        stored = work / "stored"
        subprocess.run([sys.executable, "-c", SCRIPT, "align", "--out", str(stored), *corpus],
                       check=True, env=env, stdout=subprocess.DEVNULL)
        floor = [run_floor() for _ in range(options.runs)]
        print(f"python {platform.python_version()}, {os.cpu_count()} cores; median of "
              f"{options.runs} fresh processes with a store, {options.without_runs} without")
        print(f"{'floor: python -c pass':<42} {statistics.median(floor):7.3f} s")
        print(f"{'command':<42} {'store':>9} {'no store':>10}")
        for command in COMMANDS:
            args = list(command) + ([] if command in NO_STORE else [*corpus])
            with_store = [run(args + ([] if command in NO_STORE else ["--out", str(stored)]),
                              env) for _ in range(options.runs)]
            without = "-"
            if command not in NO_STORE and options.without_runs:
                times = []
                for n in range(options.without_runs):
                    empty = work / f"empty-{n}"
                    times.append(run([*args, "--out", str(empty)], env))
                    shutil.rmtree(empty, ignore_errors=True)
                without = f"{statistics.median(times):8.3f} s"
            print(f"{'continuity ' + ' '.join(command):<42} "
                  f"{statistics.median(with_store):7.3f} s {without:>10}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


def run_floor() -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", "pass"], check=True)
    return time.perf_counter() - started


if __name__ == "__main__":
    main()

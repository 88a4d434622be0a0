"""Faults: a real `continuity build` killed at several moments, stopped by SIGTERM or
Ctrl-C, or given an output it cannot write. Each run is a subprocess in a session of its
own, its output read as `continuity build 2>&1 | cat` reads it. After a kill: the
previous site is at --out byte for byte (or, once swapped, the new one, complete), no
process of the build remains, the output pipe ends, and the next build removes what the
killed one left. Runs that cannot write say so in one line, before any work, and leave
nothing behind."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers import THEMES_FILE, entry
from processes import group, read_to_end, unprivileged, wait_for, wait_until

from continuity.build import build
from continuity.output import MANIFEST
from continuity.output.manifest import read_manifest, strangers

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists() or os.name != "posix",
                                reason="needs Linux (/proc, signals, fork)")

TINY_A = "某某省委决定\n一、主要任务\n坚持和发展新时代“枫桥经验”，健全城乡社区治理体系。\n"
TINY_B = "某某市政府工作报告\n一、重点工作\n坚持和发展新时代“枫桥经验”，健全城乡社区治理体系。\n"

#: What the console script runs.
MAIN = "from continuity.cli import main; main()"

#: Runs the console script after arranging to SIGKILL itself at one step of writing the
#: output: AT is "write" (the STEP-th file written into a hidden work folder beside
#: --out), "move" (just before the STEP-th rename or exchange that moves --out or puts a
#: folder there) or "moved" (just after it). With ONE_STEP_SWAP off, the atomic exchange
#: is made unavailable (as on systems without it): two renames instead.
KILLED_AT = """
import os, signal, sys
from pathlib import Path

AT, STEP, EXCHANGE = sys.argv.pop(1), int(sys.argv.pop(1)), sys.argv.pop(1) == "exchange"
OUT = Path(os.path.realpath(sys.argv[sys.argv.index("--out") + 1]))
seen = {"write": 0, "move": 0}

def step(kind, when):
    if when == "before":
        seen[kind] += 1
    if seen[kind] == STEP and AT == (kind if when == "before" else "moved"):
        sys.stdout.flush()
        os.kill(os.getpid(), signal.SIGKILL)

def in_work_folder(path):
    parts = Path(os.path.realpath(path)).parts
    top = len(OUT.parent.parts)
    return parts[:top] == OUT.parent.parts and len(parts) > top + 1 \\
        and parts[top].startswith(".")

for name in ("write_bytes", "write_text"):
    def wrapped(self, *args, _real=getattr(Path, name), **kwargs):
        if in_work_folder(self):
            step("write", "before")
        return _real(self, *args, **kwargs)
    setattr(Path, name, wrapped)

def moves_out(*paths):
    return any(Path(os.path.realpath(p)) == OUT for p in paths)

real_rename = os.rename
def rename(a, b, **kwargs):
    if not moves_out(a, b):
        return real_rename(a, b, **kwargs)
    step("move", "before")
    real_rename(a, b, **kwargs)
    step("move", "after")
os.rename = rename

try:
    from continuity.output import swap
except ImportError:
    swap = None
if swap is not None:
    real_exchange = swap.exchange
    def exchange(a, b):
        if not EXCHANGE:
            return False
        step("move", "before")
        done = real_exchange(a, b)
        step("move", "after")
        return done
    swap.exchange = exchange

from continuity.cli import main
main()
"""


#: Runs the console script with its work held back until the file named by its first
#: argument exists: it has checked and claimed --out (its work folder is there), and waits
#: before reading the corpus.
HELD = """
import sys, time
from pathlib import Path

import continuity.build

GO, load = Path(sys.argv.pop(1)), continuity.build.load_corpus

def held(*args, **kwargs):
    while not GO.exists():
        time.sleep(0.02)
    return load(*args, **kwargs)

continuity.build.load_corpus = held
from continuity.cli import main
main()
"""


#: Runs the console script with its pair pages slow to make (a minute each), so that a
#: build of the tiny corpus is still making pages, in this process or in its workers,
#: when a test stops it (as a build of a long corpus would be).
SLOW_PAGES = """
import time

import continuity.output.report.render as render

made = render.render_pair

def slow(*args, **kwargs):
    time.sleep(60)
    return made(*args, **kwargs)

render.render_pair = slow
from continuity.cli import main
main()
"""


def files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def complete_site(out: Path) -> bool:
    """`out` is a whole site: every file its manifest lists is there, unchanged, and
    nothing else (the new site of a build killed after the swap)."""
    listed = read_manifest(out)
    return (len(listed) > 5 and all((out / name).is_file() for name in listed)
            and strangers(out, listed) == [])


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A two-document corpus: its site stands for "the previous site", quick to build."""
    from helpers import manifest_text

    root = tmp_path_factory.mktemp("tiny")
    entries = [entry(id="a", date="2023-01-01", level="province"),
               entry(id="b", date="2024-01-01", level="city")]
    for item, text in zip(entries, (TINY_A, TINY_B), strict=True):
        (root / str(item["file"])).write_text(text, encoding="utf-8")
    (root / "manifest.toml").write_text(manifest_text(entries), encoding="utf-8")
    (root / "themes.toml").write_text(THEMES_FILE.read_text(encoding="utf-8"), encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def previous_site(tiny: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(tiny, tmp_path_factory.mktemp("previous") / "reports", workers=1).parent


@pytest.fixture
def out(previous_site: Path, tmp_path: Path) -> Path:
    """tmp_path/parent/reports: a copy of the previous site, alone in its folder."""
    target = tmp_path / "parent" / "reports"
    shutil.copytree(previous_site, target)
    return target


class Run:
    """A `continuity build` subprocess (or another command) in a session of its own, its
    stdout and stderr in one pipe."""

    def __init__(self, *args: str, code: str = MAIN, before: tuple[str, ...] = (),
                 cwd: Path | None = None, unprivileged_: bool = False) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-c", code, *before, *args], stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT, start_new_session=True, cwd=cwd,
            preexec_fn=unprivileged() if unprivileged_ else None)
        assert self.proc.stdout is not None
        self.stdout = self.proc.stdout
        self.output = b""

    def wait_for(self, *texts: str) -> None:
        self.output += wait_for(self.stdout, *texts, seconds=120)

    def signal(self, signum: int) -> None:
        os.kill(self.proc.pid, signum)

    def ends(self, seconds: float = 20) -> int:
        """Wait for the end of the output pipe (every process holding it is gone) and for
        the process; returns its exit status."""
        rest, ended = read_to_end(self.stdout, seconds)
        self.output += rest
        assert ended, f"something still holds the build's output: {self.text}"
        status = self.proc.wait(timeout=seconds)
        assert wait_until(lambda: group(self.proc.pid) == [], 5), group(self.proc.pid)
        return status

    @property
    def text(self) -> str:
        return self.output.decode(errors="replace")

    def close(self) -> None:
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.proc.wait()
        self.stdout.close()


@pytest.fixture
def runs() -> Iterator[list[Run]]:
    made: list[Run] = []
    yield made
    for run in made:
        run.close()


def start(runs: list[Run], *args: str, **options: object) -> Run:
    run = Run(*args, **options)  # type: ignore[arg-type]
    runs.append(run)
    return run


def leftovers(out: Path) -> list[str]:
    return sorted(p.name for p in out.parent.iterdir() if p.name != out.name)


def next_build_cleans_up(tiny: Path, out: Path) -> None:
    build(tiny, out, workers=1)
    assert leftovers(out) == []
    assert complete_site(out)


# --------------------------------------------------------------------------- killed


def test_a_build_killed_while_workers_make_pages_leaves_the_previous_site(
        tiny: Path, out: Path, runs: list[Run]) -> None:
    before = files(out)
    run = start(runs, "build", "--corpus", str(tiny), "--out", str(out), code=SLOW_PAGES)
    run.wait_for("made ")
    run.signal(signal.SIGKILL)
    assert run.ends() == -signal.SIGKILL
    assert files(out) == before
    next_build_cleans_up(tiny, out)


@pytest.mark.parametrize(("at", "step", "exchange"), [
    ("write", 1, "exchange"), ("write", 8, "exchange"), ("move", 1, "exchange"),
    ("moved", 1, "exchange"), ("moved", 2, "exchange"), ("moved", 1, "two renames")])
def test_a_build_killed_while_writing_leaves_a_whole_site(
        tiny: Path, out: Path, runs: list[Run], at: str, step: int, exchange: str) -> None:
    """SIGKILL at a step of writing the site: while writing files, just before the site is
    swapped in, just after. With the atomic exchange, --out always holds the previous
    site or the new one; with two renames, a build killed between them leaves none, and
    the next run puts the previous one back before it does anything else. (The tiny
    corpus: this is about the writing, not the work.)"""
    before = files(out)
    run = start(runs, "build", "--corpus", str(tiny), "--out", str(out), code=KILLED_AT,
                before=(at, str(step), exchange))
    status = run.ends(seconds=120)
    if exchange == "two renames" and not out.exists():
        from continuity.output import output_folder

        with pytest.raises(RuntimeError), output_folder(out):  # any later run
            raise RuntimeError("a run that fails")
    assert status in (-signal.SIGKILL, 0), run.text
    assert files(out) == before or complete_site(out), at
    if at in ("write", "move"):
        assert files(out) == before
    next_build_cleans_up(tiny, out)


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["TERM", "INT"])
def test_a_stopped_build_ends_at_once_and_cleans_up(tiny: Path, out: Path, runs: list[Run],
                                                    signum: int) -> None:
    """`kill`, a CI timeout or Ctrl-C (sent to the whole process group, as a terminal
    does) while workers make the pages: the build ends within seconds, its workers too,
    with no traceback; the previous site stays and nothing is left beside it. (SIGHUP,
    a closed terminal, takes the same way: test_output.py.)"""
    before = files(out)
    run = start(runs, "build", "--corpus", str(tiny), "--out", str(out), code=SLOW_PAGES)
    run.wait_for("made ")
    stopped = time.monotonic()
    os.killpg(run.proc.pid, signum) if signum == signal.SIGINT else run.signal(signum)
    assert run.ends() == 1, run.text
    assert time.monotonic() - stopped < 10
    assert "Traceback" not in run.text and "Aborted!" in run.text
    assert files(out) == before
    assert leftovers(out) == []


def test_ctrl_c_of_a_dask_build_stops_the_cluster_it_started(out: Path, runs: list[Run]
                                                            ) -> None:
    """SIGINT to the build alone (not its process group: the build itself must stop what
    it started) while its LocalCluster's workers run: the build ends within seconds with
    its scheduler, nannies and workers, the previous site stays, nothing is left beside
    it."""
    before = files(out)
    run = start(runs, "build", "--out", str(out), "--engine", "dask", "--workers", "2")
    run.wait_for("aligned ")
    started = group(run.proc.pid)
    assert len(started) >= 3, started  # the build, and at least two workers with nannies
    stopped = time.monotonic()
    run.signal(signal.SIGINT)
    assert run.ends(seconds=60) == 1, run.text  # and no process of its group is left
    assert time.monotonic() - stopped < 60
    assert "Aborted!" in run.text
    assert files(out) == before
    assert leftovers(out) == []


# --------------------------------------------------------------------------- cannot write


def refused(run: Run, *texts: str) -> str:
    """The run ended with exit status 1 and one line saying why, before any work."""
    status = run.ends()
    lines = run.text.strip().splitlines()
    assert status == 1 and len(lines) == 1 and lines[0].startswith("Error: "), run.text
    assert "loaded" not in run.text and "Traceback" not in run.text
    for text in texts:
        assert text in lines[0]
    return lines[0]


def test_a_read_only_site_is_refused_before_the_work(out: Path, runs: list[Run]) -> None:
    before = files(out)
    os.chmod(out, 0o555)
    try:
        run = start(runs, "build", "--out", str(out), unprivileged_=True)
        refused(run, f"{out} is read-only")
    finally:
        os.chmod(out, 0o755)
    assert files(out) == before and leftovers(out) == []


def test_a_read_only_folder_inside_the_site_is_refused(out: Path, runs: list[Run]) -> None:
    before = files(out)
    os.chmod(out / "data", 0o555)
    try:
        run = start(runs, "build", "--out", str(out), unprivileged_=True)
        refused(run, f"{out / 'data'} is read-only")
    finally:
        os.chmod(out / "data", 0o755)
    assert files(out) == before and leftovers(out) == []


@pytest.mark.parametrize("exists", [True, False], ids=["replacing a site", "a new folder"])
def test_a_read_only_parent_is_refused_before_the_work(out: Path, runs: list[Run],
                                                       exists: bool) -> None:
    target = out if exists else out.parent / "new" / "reports"
    before = files(out.parent)
    os.chmod(out.parent, 0o555)
    try:
        run = start(runs, "build", "--out", str(target), unprivileged_=True)
        line = refused(run)
        assert "Permission denied" in line and str(out.parent) in line
    finally:
        os.chmod(out.parent, 0o755)
    assert files(out.parent) == before and sorted(os.listdir(out.parent)) == ["reports"]


@pytest.mark.parametrize("what", ["empty", "site"])
def test_out_dot_is_refused_before_the_work(out: Path, runs: list[Run], what: str) -> None:
    here = out if what == "site" else out.parent / "empty"
    here.mkdir(exist_ok=True)
    before = files(out.parent)
    run = start(runs, "build", "--out", ".", cwd=here)
    refused(run, ". is the current folder or holds it")
    assert files(out.parent) == before and sorted(os.listdir(here.parent)) == sorted(
        {"reports", here.name})


def test_a_folder_under_a_file_is_refused_before_the_work(tmp_path: Path,
                                                          runs: list[Run]) -> None:
    (tmp_path / "afile").write_text("x")
    run = start(runs, "build", "--out", "afile/sub", cwd=tmp_path)
    refused(run, "afile is a file, not a folder")
    assert os.listdir(tmp_path) == ["afile"]


def test_a_second_build_into_the_same_folder_is_refused_at_once(
        tiny: Path, out: Path, tmp_path: Path, runs: list[Run]) -> None:
    """Two builds racing for one folder: the second is refused before its work, the first
    finishes, and nothing is left beside the site. (The first, of the tiny corpus, holds
    back its work until the second has been refused: no race to win.)"""
    go = tmp_path / "go"
    first = start(runs, "build", "--corpus", str(tiny), "--out", str(out), code=HELD,
                  before=(str(go),))
    assert wait_until(lambda: leftovers(out) != [], 60)  # its work folder: it has begun
    second = start(runs, "build", "--out", str(out))
    refused(second, "another continuity run is writing")
    assert first.proc.poll() is None  # still held
    go.touch()
    assert first.ends(seconds=120) == 0, first.text
    assert complete_site(out) and leftovers(out) == []
    assert MANIFEST in os.listdir(out)

"""Engines (continuity/engine): one interface, the same output from every engine and
worker count, and jobs that fail ending the run with an error that names them.

Everything that uses dask runs in a child process: a dask client leaves a thread behind
(distributed's offload thread), and a process with other threads no longer forks, which
would turn the local engine's tests in this process into one-process runs."""

from __future__ import annotations

import json
import os
import pickle
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from helpers import EXTRA_PAIR

from continuity.cli import cli
from continuity.engine import (
    ContinuityError,
    Job,
    JobError,
    LocalEngine,
    Part,
    memory_limit_bytes,
    open_engine,
)
from continuity.engine.cluster import _Jobs
from continuity.output import MANIFEST
from continuity.output.store import STORE
from continuity.output.store.read import connect

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))

from processes import group, read_to_end, wait_for, wait_until  # noqa: E402
from synthetic import write_corpus  # noqa: E402

PARENT = os.getpid()

#: What the console script runs.
MAIN = "from continuity.cli import main; main()"


def square(n: int) -> int:
    return n * n


def fail(n: int) -> int:
    if n == 3:
        raise ValueError(f"no square for {n}")
    return n * n


def raise_own(message: str) -> None:
    raise ContinuityError(message)


# ------------------------------------------------------------------ the local engine


def test_local_results_come_back_in_job_order_with_progress_for_each() -> None:
    seen: list[int] = []
    jobs = [Job(f"square {n}", partial(square, n)) for n in range(12)]
    assert LocalEngine(workers=2).run(jobs, done=seen.append) == [n * n for n in range(12)]
    assert sorted(seen) == list(range(12))


def test_a_local_job_of_a_part_reads_the_whole_when_given_else_its_part() -> None:
    """The local engine's forked workers share the whole a part is cut from: a `Part`
    given `whole` reads it there instead of cutting its part."""
    cut: list[int] = []

    def part(n: int) -> int:
        cut.append(n)
        return n

    jobs = [Job("whole", Part(pow, 2, partial(part, 3), partial(int, 3))),
            Job("part", Part(pow, 2, partial(part, 4)))]
    assert LocalEngine(1).run(jobs) == [8, 16] and cut == [4]


def test_a_local_job_that_raises_is_named() -> None:
    jobs = [Job(f"square {n}", partial(fail, n)) for n in range(6)]
    with pytest.raises(JobError, match=r"^square 3 failed: ValueError: no square for 3"):
        LocalEngine(workers=2).run(jobs)


def test_continuitys_own_error_keeps_its_message_and_names_the_job() -> None:
    with pytest.raises(ContinuityError) as info:
        LocalEngine(workers=1).run([Job("the reading", partial(raise_own, "a bad manifest"))])
    assert str(info.value) == "a bad manifest" and not isinstance(info.value, JobError)
    assert "(while making the reading)" in info.value.__notes__


def test_unknown_engines_and_misplaced_schedulers_are_refused() -> None:
    with pytest.raises(ContinuityError, match="unknown engine 'spark'"), open_engine("spark"):
        pass
    with pytest.raises(ContinuityError, match="for the dask engine"), \
            open_engine("local", scheduler="tcp://127.0.0.1:1"):
        pass


def test_the_cli_refuses_a_scheduler_without_the_dask_engine(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["build", "--out", str(tmp_path / "out"),
                                      "--scheduler", "tcp://127.0.0.1:1"])
    assert result.exit_code == 1 and "for the dask engine (--engine dask)" in result.output
    result = CliRunner().invoke(cli, ["align", "--engine", "spark"])
    assert result.exit_code == 2 and "'spark' is not one of 'local', 'dask'" in result.output


# ------------------------------------------------------------------- the dask engine


def pages_of_a_template() -> list[Job[str]]:
    """Jobs as the build's recipe makes them: closures over what pickle cannot take (a
    lock, as compiled templates hold)."""
    import threading

    lock = threading.Lock()
    return [Job(f"page {n}", lambda n=n: f"{n} {lock.locked()}") for n in range(3)]


def test_what_a_dask_worker_holds_pickles_as_it_was_sent_after_its_jobs_ran() -> None:
    """Dask may send a worker's copy of the jobs to another worker at any moment (its
    Active Memory Manager drops the copies a broadcast made): jobs a recipe made must
    not go into it. They did once, and the worker fetching it waited forever."""
    payload = _Jobs(None, pages_of_a_template)
    sent = pickle.dumps(payload)
    assert payload.job(2).make() == "2 False"
    assert pickle.dumps(payload) == sent
    copy = pickle.loads(sent)
    assert copy.job(0).make() == "0 False" and copy.job(0) is copy.job(0)  # made once
    with pytest.raises(AttributeError):
        payload.jobs = ()  # type: ignore[misc]


class FlakyClient:
    """A dask client whose scatter fails the first `closed` times as a worker being
    restarted makes it fail (CommClosedError is an OSError), then works."""

    def __init__(self, closed: int) -> None:
        self.closed, self.scatters, self.waits = closed, 0, 0

    def scatter(self, data: list[object], broadcast: bool, hash: bool) -> list[object]:
        self.scatters += 1
        assert broadcast and not hash
        if self.scatters <= self.closed:
            raise OSError("in <TCP (closed) ConnectionPool.scatter>: Stream is closed")
        return ["shared"]

    def wait_for_workers(self, n: int, timeout: float) -> None:
        self.waits += 1


def test_a_scatter_cut_by_a_restarting_worker_is_tried_again(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from continuity.engine import cluster

    monkeypatch.setattr(cluster, "SCATTER_PAUSE", 0.0)
    client = FlakyClient(closed=2)
    assert cluster._scatter(client, "jobs") == "shared"
    assert (client.scatters, client.waits) == (3, 2)
    hopeless = FlakyClient(closed=cluster.SCATTER_TRIES)
    with pytest.raises(OSError, match="Stream is closed"):
        cluster._scatter(hopeless, "jobs")
    assert hopeless.scatters == cluster.SCATTER_TRIES


#: The dask engine's checks, run in a child process on one LocalCluster of two workers
#: (a worker that dies fails its task at once: no retries). Prints one JSON object:
#: each check's result, or the error it raised as "Type: message".
DASK_CHECKS = """
import json, os, sys, time
from functools import partial
import dask
from continuity.engine import Job, Part, open_engine

def square(n): return n * n
class Shared:  # what every job of a run shares: counts how often this process pickles it
    pickled = 0
    def __reduce__(self):
        Shared.pickled += 1
        return (Shared, ())
def pid(): return os.getpid()
def with_part(shared, part): return [part, os.getpid(), type(shared).__name__]
def die_once(marker, part):  # the first task to run kills its worker
    if not os.path.exists(marker):
        open(marker, "w").close()
        os._exit(9)
    return part
def fail(n):
    if n == 3: raise ValueError(f"no square for {n}")
    return n * n
def die(n): os._exit(7)
def own():
    from continuity.errors import ContinuityError
    raise ContinuityError("a bad manifest")
def template_pages():  # closures over what pickle cannot take, as compiled templates
    import threading
    lock = threading.Lock()
    return [Job(f"page {n}", lambda n=n: (n, lock.locked())) for n in range(2)]

def outcome(run):
    try:
        return run()
    except BaseException as exc:
        return f"{type(exc).__name__}: {exc}" + "".join(getattr(exc, "__notes__", []))

if __name__ == "__main__":
    import continuity.engine.cluster
    from distributed import LocalCluster
    # seconds, not the minutes a user's cluster gets: the errors are the same
    waits = continuity.engine.cluster.SCHEDULER_WAIT, continuity.engine.cluster.WORKER_WAIT
    continuity.engine.cluster.SCHEDULER_WAIT = continuity.engine.cluster.WORKER_WAIT = 1
    found = {"no scheduler": outcome(lambda: open_engine(
        "dask", scheduler="tcp://127.0.0.1:9").__enter__())}
    with LocalCluster(n_workers=0, dashboard_address=None) as empty:
        found["no workers"] = outcome(lambda: open_engine(
            "dask", scheduler=empty.scheduler_address).__enter__())
    # the user's waits again: after "dies", the run waits for a worker its nanny restarts,
    # which takes more than 1 s on a busy machine (the check failed so at load 5 to 8)
    continuity.engine.cluster.SCHEDULER_WAIT, continuity.engine.cluster.WORKER_WAIT = waits
    with dask.config.set({"distributed.scheduler.allowed-failures": 0}), \\
            open_engine("dask", workers=2, memory_limit=3 * 2**30) as engine:
        import gc
        found["gc callbacks"] = [getattr(c, "__qualname__", repr(c)) for c in gc.callbacks]
        found["memory limits"] = sorted(
            w["memory_limit"] for w in engine.client.scheduler_info()["workers"].values())
        shared = Shared()
        found["parts"] = engine.run([*(Job(f"part {n}", Part(with_part, shared, pid))
                                       for n in range(12)), Job("square 3", partial(square, 3))])
        found["shared pickled"] = Shared.pickled
        # parts keep going out while this process does its own work (`first`): every
        # result arrives before it ends (12 parts, 4 sent ahead at the start)
        arrived, meanwhile = [], []
        def wait_for_parts():
            deadline = time.monotonic() + 60
            while len(arrived) < 12 and time.monotonic() < deadline:
                time.sleep(0.05)
            meanwhile.append(len(arrived))
        engine.run([Job(f"part {n}", Part(with_part, shared, pid)) for n in range(12)],
                   done=arrived.append, first=wait_for_parts)
        found["arrived meanwhile"] = meanwhile
        seen = []
        found["order"] = engine.run([Job(f"square {n}", partial(square, n)) for n in range(12)],
                                    done=seen.append)
        found["done"] = sorted(seen)
        found["here"] = engine.run([Job("pid", os.getpid, here=True), Job("pid", os.getpid)])
        found["this process"] = os.getpid()
        found["kept"] = engine.run([Job("pid", os.getpid, here=True), Job("pid", os.getpid)],
                                   keep=lambda pid: [pid, os.getpid()])
        found["raises"] = outcome(lambda: engine.run(
            [Job(f"square {n}", partial(fail, n)) for n in range(6)]))
        found["own"] = outcome(lambda: engine.run([Job("the reading", own)]))
        # The jobs of a recipe, on one worker that follows it, then fetched by the other
        # from that worker (as a task does where dask dropped its copy): never a hang.
        from continuity.engine.cluster import _Jobs, _run_job
        def fetched():
            engine.client.wait_for_workers(2, timeout=120)
            a, b = sorted(engine.client.scheduler_info()["workers"])
            [shared] = engine.client.scatter([_Jobs(None, template_pages)], workers=[a],
                                             hash=False)
            there = engine.client.submit(_run_job, shared, 0, workers=[a], pure=False)
            return [there.result(timeout=120), outcome(lambda: engine.client.submit(
                _run_job, shared, 1, workers=[b], pure=False).result(timeout=60))]
        found["fetched"] = outcome(fetched)
        started = time.monotonic()
        found["dies"] = outcome(lambda: engine.run([Job(f"job {n}", partial(die, n))
                                                    for n in range(4)]))
        found["dies within"] = time.monotonic() - started
        found["after"] = engine.run([Job("square 5", partial(square, 5))])
    # dask's own retries (allowed-failures 3): a part's task whose worker died runs again
    marker = os.path.join(os.path.dirname(os.path.abspath(__file__)), "died")
    with open_engine("dask", workers=2) as engine:
        found["part again"] = outcome(lambda: engine.run(
            [Job(f"part {n}", Part(die_once, marker, partial(square, n))) for n in range(4)]))
        found["died once"] = os.path.exists(marker)
    print(json.dumps(found))
"""


@pytest.fixture(scope="module")
def dask_checks(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    script = tmp_path_factory.mktemp("dask") / "checks.py"  # spawned workers re-read it
    script.write_text(DASK_CHECKS, encoding="utf-8")
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                          timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def test_parts_keep_going_out_while_this_process_does_its_own_work(
        dask_checks: dict[str, Any]) -> None:
    """The next part is sent as each result arrives, also while this process does its
    own work (the exports, the pages kept here): workers never wait for it to end."""
    assert dask_checks["arrived meanwhile"] == [12]


def test_dask_results_come_back_in_job_order_with_progress_for_each(
        dask_checks: dict[str, Any]) -> None:
    assert dask_checks["order"] == [n * n for n in range(12)]
    assert dask_checks["done"] == list(range(12))


def test_a_dask_job_kept_here_runs_in_this_process_and_the_others_on_workers(
        dask_checks: dict[str, Any]) -> None:
    here, there = dask_checks["here"]
    assert here == dask_checks["this process"] != there


def test_what_dask_keeps_of_a_result_is_made_here_as_it_arrives(
        dask_checks: dict[str, Any]) -> None:
    """A page goes to this machine's disk as it arrives (`keep`), wherever it was made."""
    (here, kept_here), (there, kept_there) = dask_checks["kept"]
    assert here == kept_here == kept_there == dask_checks["this process"] != there


def test_a_job_of_a_part_is_sent_its_part_made_here_and_what_all_share_once(
        dask_checks: dict[str, Any]) -> None:
    """A `Part` job (a source document's alignment): its part is made in this process as
    its task is sent, the work runs on a worker, and what every job shares is pickled
    here at most once per worker, not once per job (12 here)."""
    *parts, square = dask_checks["parts"]
    assert square == 9 and len(parts) == 12
    assert {part for part, _, _ in parts} == {dask_checks["this process"]}
    assert dask_checks["this process"] not in {worker for _, worker, _ in parts}
    assert {name for _, _, name in parts} == {"Shared"}
    assert 1 <= dask_checks["shared pickled"] <= 2


def test_a_part_whose_worker_died_runs_again_on_another(dask_checks: dict[str, Any]) -> None:
    """A worker past its memory limit is restarted by its nanny: the task it was running
    runs again, its part with it (the scheduler keeps a part until its task is done)."""
    assert dask_checks["died once"]
    assert dask_checks["part again"] == [0, 1, 4, 9]


def test_no_collector_callback_can_swallow_a_stop(dask_checks: dict[str, Any]) -> None:
    """The LocalCluster's scheduler, in this process, adds distributed's GC diagnosis to
    the collector's callbacks; Ctrl-C arriving while it runs was "ignored" and the build
    ran to its end. The engine takes it out."""
    assert not [c for c in dask_checks["gc callbacks"] if "GCDiagnosis" in c]


def test_the_memory_limit_reaches_each_worker_of_the_cluster(
        dask_checks: dict[str, Any]) -> None:
    assert dask_checks["memory limits"] == [3 * 2**30, 3 * 2**30]


@pytest.mark.parametrize("text, size", [
    ("4GiB", 4 * 2**30), ("3.5GB", 3_500_000_000), ("800 MB", 800_000_000),
    ("0.5gib", 2**29), ("268435456", 2**28)])
def test_a_memory_limit_is_read_as_dask_writes_sizes(text: str, size: int) -> None:
    assert memory_limit_bytes(text) == size


@pytest.mark.parametrize("text, error", [
    ("lots", "is not a size"), ("4 parsecs", "is not a size"), ("", "is not a size"),
    ("-4GiB", "is not a size"), ("nan", "is not a size"),
    ("100MB", "below the least a worker needs, 256MiB"), ("0", "below the least")])
def test_a_memory_limit_that_is_no_size_or_too_small_is_refused(text: str, error: str) -> None:
    with pytest.raises(ContinuityError, match=error):
        memory_limit_bytes(text)


def test_the_cli_refuses_a_memory_limit_the_engine_cannot_use(tmp_path: Path) -> None:
    """Before any work: with the local engine, with an existing cluster (its workers have
    their own), or below the least a worker needs."""
    out = str(tmp_path / "out")
    result = CliRunner().invoke(cli, ["build", "--out", out, "--memory-limit", "4GiB"])
    assert result.exit_code == 1 and "for the dask engine's workers" in result.output
    result = CliRunner().invoke(cli, ["align", "--out", out, "--engine", "dask",
                                      "--scheduler", "tcp://127.0.0.1:1",
                                      "--memory-limit", "4GiB"])
    assert result.exit_code == 1 and "an existing cluster's workers have their own" in \
        result.output
    result = CliRunner().invoke(cli, ["build", "--out", out, "--engine", "dask",
                                      "--memory-limit", "10MB"])
    assert result.exit_code == 2 and "below the least a worker needs" in result.output
    assert not (tmp_path / "out").exists()


def test_a_dask_job_that_raises_is_named(dask_checks: dict[str, Any]) -> None:
    assert dask_checks["raises"].startswith("JobError: square 3 failed: ValueError: no "
                                            "square for 3")
    assert dask_checks["own"] == "ContinuityError: a bad manifest(while making the reading)"


def test_a_dask_worker_that_dies_is_named_never_a_hang(dask_checks: dict[str, Any]) -> None:
    assert dask_checks["dies"].startswith("JobError: job ")
    assert "failed: KilledWorker" in dask_checks["dies"]
    assert dask_checks["after"] == [25]  # the cluster still works


def test_a_worker_fetches_the_jobs_another_worker_followed_a_recipe_for(
        dask_checks: dict[str, Any]) -> None:
    assert dask_checks["fetched"] == [[0, False], [1, False]]


def test_no_scheduler_at_the_address_is_an_error(dask_checks: dict[str, Any]) -> None:
    assert dask_checks["no scheduler"].startswith(
        "ContinuityError: no dask scheduler answers at tcp://127.0.0.1:9")


def test_a_cluster_without_workers_is_an_error_not_a_hang(dask_checks: dict[str, Any]) -> None:
    assert re.match(r"ContinuityError: the dask cluster at tcp://\S+ has no workers \(waited "
                    r"1 s\)", dask_checks["no workers"]), dask_checks["no workers"]


# ----------------------------------------------------------- the same output, every engine


def folder_bytes(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` by its relative path, with its bytes (the store too)."""
    return {str(p.relative_to(folder)): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def differences(a: Path, b: Path) -> list[str]:
    """What `diff -r a b` would list: files only in one, or with other bytes."""
    left, right = folder_bytes(a), folder_bytes(b)
    return sorted(name for name in left.keys() | right.keys()
                  if left.get(name) != right.get(name))


def continuity(*args: str) -> None:
    """The console script in a process of its own (see the module docstring)."""
    done = subprocess.run([sys.executable, "-c", MAIN, *args], capture_output=True,
                          text=True, timeout=600, check=False)
    assert done.returncode == 0, done.stderr


def builds_agree(corpus: Path | None, out: Path, reference: Path | None = None,
                 *more: str) -> Path:
    """Build with local workers=1, local workers=2 and a dask LocalCluster of 2 workers
    (with options `more`): the folders hold the same bytes, continuity.db included.
    `reference`: the local workers=1 build, made already. Returns it."""
    where = ["--corpus", str(corpus)] if corpus else []
    runs = {"local-1": ["--workers", "1"], "local-2": ["--workers", "2"],
            "dask": ["--engine", "dask", "--workers", "2"]}
    if reference is not None:
        del runs["local-1"]
    for label, options in runs.items():
        continuity("build", "--out", str(out / label), *where, *options, *more)
    reference = reference or out / "local-1"
    assert (reference / "continuity.db").is_file() and (reference / "index.html").is_file()
    assert len(folder_bytes(reference)) > 20
    for label in ("local-2", "dask"):
        assert differences(reference, out / label) == [], label
    return reference


def test_the_bundled_corpus_builds_the_same_with_every_engine(tmp_path: Path,
                                                              bundled_site: Path) -> None:
    """The local workers=1 build is the session's (conftest.py: `build(corpus, out,
    workers=1, pairs=...)`, what `continuity build --workers 1 --pairs ...` writes)."""
    builds_agree(None, tmp_path, bundled_site, "--pairs", ":".join(EXTRA_PAIR))


@pytest.mark.slow
def test_25_documents_build_the_same_with_every_engine(tmp_path: Path) -> None:
    """A synthetic corpus of 25 documents in series (benchmarks/synthetic.py), each cut to
    the first 30 % of its bundled document's lines: as many jobs as the full length (a
    page per document, pair and theme; series pages; paged formulations), of a third of
    the work (9,764 commitments instead of 31,996), so the three builds take about 22 s
    of processor time instead of 75. Slow all the same, run by `pytest` and
    CI. Each build has 600 s (`continuity`): a dask build that hangs fails the test, it
    does not block CI (one did in about two runs of five, before the jobs a recipe made
    stopped going into the payload dask sends between workers)."""
    write_corpus(tmp_path / "corpus", 25, share=0.3)
    reference = builds_agree(tmp_path / "corpus", tmp_path / "out")
    names = {p.name for p in reference.iterdir()}
    assert len({n for n in names if re.fullmatch(r"doc-syn-\d\d-\d{4}\.html", n)}) == 25
    assert len({n for n in names if n.startswith("pair-")}) >= 22  # two neighbours in a series
    assert {"series-1.html", "series-2.html", "series-3.html",
            "formulations.2.html"} <= names  # the scale's pages: series, a table in pages


@pytest.fixture
def cluster(tmp_path: Path) -> Iterator[str]:
    """An existing dask cluster (one worker) in a process of its own: its scheduler's
    address."""
    script = tmp_path / "cluster.py"
    script.write_text(
        "import sys\nfrom distributed import LocalCluster\nif __name__ == '__main__':\n"
        "    with LocalCluster(n_workers=1, threads_per_worker=1, dashboard_address=None)"
        " as cluster:\n        print(cluster.scheduler_address, flush=True)\n"
        "        sys.stdin.read()\n", encoding="utf-8")
    proc = subprocess.Popen([sys.executable, str(script)], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    assert proc.stdout is not None and proc.stdin is not None
    try:
        yield proc.stdout.readline().strip()
    finally:
        proc.stdin.close()  # the cluster closes at the end of its input
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        proc.stdout.close()


def test_align_on_an_existing_cluster_writes_what_the_local_engine_writes(
        tmp_path: Path, cluster: str, bundled_site: Path) -> None:
    """What the local engine writes: the session's site (conftest.py), whose data/ and
    continuity.db are what `continuity align` writes (its manifest, which lists them,
    aside), but for the redlines the build keeps for its pages (align keeps none)."""
    assert cluster.startswith("tcp://")
    started = time.monotonic()
    continuity("align", "--out", str(tmp_path / "dask"), "--engine", "dask",
               "--scheduler", cluster)
    assert time.monotonic() - started < 600
    written = folder_bytes(tmp_path / "dask")
    assert written.pop(MANIFEST) and written.pop(STORE) and len(written) > 5
    local = bundled_site
    assert [name for name, data in written.items()
            if not (local / name).is_file() or (local / name).read_bytes() != data] == []
    assert _rows(tmp_path / "dask" / STORE) == _rows(local / STORE, but="redlines")


def _rows(path: Path, but: str = "") -> list[str]:
    """A store's schema and rows as SQL, without the rows of the table `but`."""
    with connect(path) as db:
        return [line for line in db.iterdump()
                if not line.startswith(f'INSERT INTO "{but}"')]


# ------------------------------------------------------------- a dask build stopped


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux (/proc)")
@pytest.mark.parametrize("signum, whole_group", [(signal.SIGTERM, False), (signal.SIGINT, True)],
                         ids=["TERM to the build", "Ctrl-C to its process group"])
def test_a_stopped_dask_build_ends_its_cluster_and_workers(tmp_path: Path, signum: int,
                                                          whole_group: bool) -> None:
    """`kill` (SIGTERM, to the build alone: it must stop what it started), or Ctrl-C in a
    terminal (SIGINT to the whole process group, workers included), while the
    LocalCluster's workers make the pages: the build ends with status 1 within a minute,
    and with it its scheduler, nannies and workers (no process of its session is left,
    none holds its output open), with no traceback (the workers leave Ctrl-C to the
    build); no site is written."""
    out = tmp_path / "reports"
    proc = subprocess.Popen([sys.executable, "-c", MAIN, "build", "--out", str(out),
                             "--engine", "dask", "--workers", "2"], stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, start_new_session=True)
    assert proc.stdout is not None
    try:
        seen = wait_for(proc.stdout, "aligned ", seconds=300)
        assert len(group(proc.pid)) >= 3, group(proc.pid)  # the build and two workers
        os.killpg(proc.pid, signum) if whole_group else proc.send_signal(signum)
        rest, ended = read_to_end(proc.stdout, 60)
        text = (seen + rest).decode(errors="replace")
        assert ended, f"something still holds the build's output: {text}"
        assert proc.wait(timeout=60) == 1, text
        assert wait_until(lambda: group(proc.pid) == [], 10), group(proc.pid)
        assert "Aborted!" in text and "Traceback" not in text  # none from the workers
        assert not out.exists()
    finally:
        if group(proc.pid):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        proc.stdout.close()

"""Jobs shared out between forked workers: the local engine (continuity/engine/local.py)."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from functools import partial
from pathlib import Path

import pytest
from processes import alive, read_to_end, wait_for, wait_until

from continuity.engine import local
from continuity.engine.jobs import JobError
from continuity.engine.local import WorkerError, run_jobs
from continuity.errors import ContinuityError

PARENT = os.getpid()


def square(n: int) -> int:
    return n * n


def slow_pid(n: int) -> tuple[int, int]:
    time.sleep(0.03)
    return n, os.getpid()


@pytest.mark.parametrize("workers", [None, 1, 2, 3, 50])
def test_results_come_back_in_job_order(workers: int | None) -> None:
    jobs = [partial(square, n) for n in range(20)]
    assert run_jobs(jobs, workers) == [n * n for n in range(20)]


@pytest.mark.skipif(not local.can_fork(), reason="needs fork")
@pytest.mark.parametrize("workers", [1, 2])
def test_keep_runs_where_each_job_ran_and_only_what_it_keeps_comes_back(workers: int) -> None:
    """A page is written to disk by the process that made it: `keep` runs in the worker,
    and the parent receives only what it returned."""
    results = run_jobs([partial(slow_pid, n) for n in range(8)], workers,
                       keep=lambda made: (made[0], made[1] == os.getpid()))
    assert [n for n, _ in results] == list(range(8))
    assert all(same for _, same in results)  # kept in the process that made it


def test_the_objects_here_are_frozen_only_while_workers_run() -> None:
    """gc.freeze keeps a worker's collections off the pages it shares with this process;
    the objects go back to the collector when the workers are done."""
    import gc

    frozen = run_jobs([gc.get_freeze_count for _ in range(4)], 2)
    assert frozen[0] > 0 or not local.can_fork()
    assert gc.get_freeze_count() == 0


def inner_jobs(n: int) -> tuple[list[int], int]:
    """A job that runs jobs of its own, then says whether objects are still frozen."""
    import gc

    return run_jobs([partial(square, k) for k in range(n)], 2), gc.get_freeze_count()


@pytest.mark.skipif(not local.can_fork(), reason="needs fork")
def test_a_job_may_run_jobs_of_its_own() -> None:
    """Wherever it runs (here or in a worker, which may not start workers of its own), a
    job's own jobs come back, and leave the objects of the run around them frozen."""
    import gc

    results = run_jobs([partial(inner_jobs, n) for n in range(2, 8)], 2)
    assert [made for made, _ in results] == [[k * k for k in range(n)] for n in range(2, 8)]
    assert all(frozen > 0 for _, frozen in results)
    assert gc.get_freeze_count() == 0


def test_no_jobs() -> None:
    assert run_jobs([], 2) == []


@pytest.mark.skipif(not local.can_fork(), reason="needs fork")
def test_two_workers_share_the_jobs() -> None:
    results = run_jobs([partial(slow_pid, n) for n in range(10)], 2)
    assert [n for n, _ in results] == list(range(10))
    pids = {pid for _, pid in results}
    assert PARENT in pids and len(pids) == 2


def test_one_worker_runs_everything_here() -> None:
    results = run_jobs([partial(slow_pid, n) for n in range(3)], 1)
    assert {pid for _, pid in results} == {PARENT}


def test_a_threaded_process_does_not_fork(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(local.threading, "active_count", lambda: 2)
    results = run_jobs([partial(slow_pid, n) for n in range(4)], 2)
    assert {pid for _, pid in results} == {PARENT}


def test_done_reports_every_job_once() -> None:
    seen: list[int] = []
    run_jobs([partial(slow_pid, n) for n in range(6)], 2, done=seen.append)
    assert sorted(seen) == list(range(6))
    seen.clear()
    run_jobs([partial(square, n) for n in range(4)], 1, done=seen.append)
    assert seen == [0, 1, 2, 3]


def fail_in_child(exc: BaseException) -> int:
    if os.getpid() != PARENT:
        raise exc
    # the parent is slow, so that a worker takes a job even when a loaded machine is slow
    # to start it (seen: in 8 jobs of 0.03 s the parent did them all first, and nothing
    # was raised, while a 1,000-document build kept both cores busy)
    time.sleep(0.5)
    return 0


@pytest.mark.skipif(not local.can_fork(), reason="needs fork")
def test_a_workers_exception_is_raised_here_with_its_trace() -> None:
    with pytest.raises(ValueError, match="bad input") as info:
        run_jobs([partial(fail_in_child, ValueError("bad input")) for _ in range(8)], 2)
    assert any("worker process" in note for note in info.value.__notes__)


class Unpicklable(Exception):
    def __reduce__(self) -> tuple[object, ...]:
        raise TypeError("cannot pickle")


@pytest.mark.skipif(not local.can_fork(), reason="needs fork")
def test_an_unpicklable_exception_becomes_a_worker_error() -> None:
    with pytest.raises(WorkerError, match="Unpicklable"):
        run_jobs([partial(fail_in_child, Unpicklable("x")) for _ in range(8)], 2)


def die_in_child() -> int:
    if os.getpid() != PARENT:
        os._exit(3)
    # the parent is slow, so that the worker takes a job even when a loaded machine is
    # slow to start it (in 8 jobs of 0.03 s the parent could do them all first)
    time.sleep(0.5)
    return 0


@pytest.mark.skipif(not local.can_fork(), reason="needs fork")
def test_a_worker_that_dies_is_reported() -> None:
    with pytest.raises(WorkerError, match="ended without"):
        run_jobs([die_in_child for _ in range(8)], 2)


@pytest.mark.skipif(not local.can_fork(), reason="needs fork")
def test_a_worker_that_dies_is_named_with_its_job() -> None:
    names = [f"page {n}" for n in range(8)]
    with pytest.raises(WorkerError, match=r"ended without sending its results while making "
                                          r"page \d"):
        run_jobs([die_in_child for _ in range(8)], 2, names=names)


@pytest.mark.skipif(not local.can_fork(), reason="needs fork")
def test_a_named_job_that_raises_in_a_worker_is_a_job_error() -> None:
    names = [f"page {n}" for n in range(8)]
    with pytest.raises(JobError, match=r"page \d failed: ValueError: bad input") as info:
        run_jobs([partial(fail_in_child, ValueError("bad input")) for _ in range(8)], 2,
                 names=names)
    assert isinstance(info.value.__cause__, ValueError)


def test_a_named_job_keeps_continuitys_own_error() -> None:
    def own() -> int:
        raise ContinuityError("unreadable")

    with pytest.raises(ContinuityError) as info:
        run_jobs([own], 1, names=["reading"])
    assert str(info.value) == "unreadable" and "(while making reading)" in info.value.__notes__


def test_an_exception_here_is_raised_as_is() -> None:
    def boom() -> int:
        raise KeyError("here")

    with pytest.raises(KeyError):
        run_jobs([boom, boom], 2)


@pytest.mark.parametrize("workers", [1, 2])
def test_first_runs_here_once_before_this_process_takes_jobs(workers: int) -> None:
    log: list[object] = []
    results = run_jobs([partial(square, n) for n in range(5)], workers,
                       done=lambda i: log.append(i), first=lambda: log.append("first"))
    assert results == [n * n for n in range(5)]
    assert log[0] == "first" and log.count("first") == 1


@pytest.mark.skipif(not local.can_fork(), reason="needs fork")
def test_buffered_output_is_not_written_twice() -> None:
    import subprocess
    import sys

    code = ("import sys; from functools import partial;"
            "from continuity.engine.local import run_jobs;"
            "sys.stdout.write('once'); run_jobs([partial(abs, -n) for n in range(6)], 2)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env={"PATH": "", "PYTHONPATH": ":".join(sys.path)}, check=True).stdout
    assert out == "once"


# A parent that dies (SIGKILL, or SIGTERM with Python's default handler) takes its workers
# with it: they do not go on holding the pipe of `continuity build 2>&1 | cat` open.

ORPHANS = """
import os, sys, time
from functools import partial
from continuity.engine.local import run_jobs
parent = os.getpid()
def job(n, big):
    if os.getpid() == parent:
        print("parent", flush=True)
        time.sleep(60)
        return b""
    print(f"worker {os.getpid()}", flush=True)
    time.sleep(0.2)
    if big:  # more than a pipe holds: sending it waits for the parent to read
        return b"x" * 1_000_000
    time.sleep(60)
    return b""
run_jobs([partial(job, n, BIG) for n in range(10)], 2)
"""


@pytest.mark.skipif(not local.can_fork() or not Path("/proc/self/stat").exists(),
                    reason="needs fork and /proc")
@pytest.mark.parametrize("big", [True, False], ids=["sending its results", "in a long job"])
@pytest.mark.parametrize("signum", [signal.SIGKILL, signal.SIGTERM], ids=["KILL", "TERM"])
def test_workers_end_when_their_parent_is_killed(big: bool, signum: int) -> None:
    proc = subprocess.Popen([sys.executable, "-c", ORPHANS.replace("BIG", str(big))],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            start_new_session=True)
    assert proc.stdout is not None
    try:
        seen = wait_for(proc.stdout, "parent", "worker", seconds=60)
        workers = [int(pid) for pid in re.findall(rb"worker (\d+)", seen)]
        time.sleep(0.5)  # the worker is in its job, or waiting to send
        os.kill(proc.pid, signum)
        _, ended = read_to_end(proc.stdout, 10)
        assert ended, "a worker still holds the parent's output open"
        assert wait_until(lambda: not any(alive(pid) for pid in workers), 5)
    finally:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.wait()
        proc.stdout.close()

"""Run independent jobs on several cores: forked workers that share the parent's memory.

Rendering a report is many independent pieces (pages, tables) made from one read-only
analysis. Forked workers inherit that analysis without copying or pickling it; they
take jobs one at a time from a shared counter (so no cost estimates are needed) and
send back only what they made. Results come back in job order, whoever made them, so
the output never depends on the number of workers. Workers end with the process that
started them, however it ends (even by SIGKILL): each watches a lifeline pipe whose
only writer is that process, and holds no read end of a results pipe, so a worker
neither outlives a killed build nor blocks forever sending to it (holding the
terminal's or a `| cat` pipe open). Where fork is not available
(Windows), with `workers=1`, or when this process runs other threads (a notebook
kernel: forking a threaded process can deadlock the child), the same jobs run one
after another in this process.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import signal
import threading
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any, Generic, TypeVar

from .errors import ContinuityError

T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)


@dataclass(frozen=True, slots=True)
class Job(Generic[T_co]):
    """A named piece of independent work (a page, a table): its name for progress
    messages, and the function that makes its result."""

    name: str
    make: Callable[[], T_co]


class WorkerError(ContinuityError):
    """A job failed in a worker process (the message carries the worker's traceback)."""


def available_workers() -> int:
    """How many cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def can_fork() -> bool:
    """Fork is available and safe: no other thread could hold a lock the child needs."""
    return "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1


def run_jobs(jobs: Sequence[Callable[[], T]], workers: int | None = None,
             done: Callable[[int], None] | None = None,
             first: Callable[[], object] | None = None) -> list[T]:
    """Every job's result, in job order. `workers` processes share the jobs (default: one
    per available core); this process is one of them. `done(i)` is called in this
    process for each job it finished itself (for progress messages). `first` is work of
    this process's own, done before it joins in (such as importing what the next stage
    needs), while the workers have already started."""
    wanted = available_workers() if workers is None else workers
    wanted = min(wanted, len(jobs))
    if wanted <= 1 or not can_fork():
        if first:
            first()
        results = []
        for i, job in enumerate(jobs):
            results.append(job())
            if done:
                done(i)
        return results
    ctx = multiprocessing.get_context("fork")
    counter = ctx.Value("i", 0)

    def take() -> int:
        with counter.get_lock():
            i = int(counter.value)
            counter.value = i + 1
        return i

    children: list[tuple[Connection, Any]] = []
    lifeline, lifeline_end = os.pipe()  # this process alone holds the writing end
    try:
        for _ in range(wanted - 1):
            reader, writer = ctx.Pipe(duplex=False)
            readers = [r for r, _ in children] + [reader]
            proc = ctx.Process(target=_work, daemon=True,
                               args=(jobs, take, writer, readers, lifeline, lifeline_end))
            proc.start()
            writer.close()
            children.append((reader, proc))
        if first:
            first()
        mine: dict[int, T] = {}
        while (i := take()) < len(jobs):
            mine[i] = jobs[i]()
            if done:
                done(i)
        for reader, proc in children:
            mine.update(_receive(reader))
            proc.join()
    finally:
        for reader, proc in children:
            reader.close()
            if proc.is_alive():
                proc.terminate()
                proc.join()
        os.close(lifeline_end)
        os.close(lifeline)
    return [mine[i] for i in range(len(jobs))]


def _work(jobs: Sequence[Callable[[], Any]], take: Callable[[], int], out: Connection,
          readers: Sequence[Connection], lifeline: int, lifeline_end: int) -> None:
    """A worker: make jobs until none are left, then send them home in one message."""
    _bound_to_parent(readers, lifeline, lifeline_end)
    try:
        made = {}
        while (i := take()) < len(jobs):
            made[i] = jobs[i]()
        message: tuple[str, Any, str] = ("ok", made, "")
    except BaseException as exc:  # report anything: the parent raises it
        message = ("error", exc if _picklable(exc) else None, traceback.format_exc())
    out.send(message)
    out.close()


def _bound_to_parent(readers: Sequence[Connection], lifeline: int, lifeline_end: int) -> None:
    """Make this forked worker end with its parent. It drops what it inherited and must
    not hold: the read ends of the results pipes (holding its own, a send to a dead
    parent would block forever instead of failing) and the lifeline's writing end. A
    thread then waits on the lifeline, which reaches its end only when the parent has
    gone, and ends the worker at once. The parent's stop handlers are not a worker's:
    Ctrl-C (sent to the whole process group) is the parent's to handle, and it ends its
    workers with SIGTERM, which ends them at once."""
    for reader in readers:
        reader.close()
    os.close(lifeline_end)
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        for name in ("SIGTERM", "SIGHUP"):
            if hasattr(signal, name):
                signal.signal(getattr(signal, name), signal.SIG_DFL)

    def watch() -> None:
        while True:
            try:
                if not os.read(lifeline, 1):
                    break
            except InterruptedError:  # pragma: no cover (retried by Python itself)
                continue
            except OSError:
                break
        os._exit(1)

    threading.Thread(target=watch, name="lifeline", daemon=True).start()


def _picklable(exc: BaseException) -> bool:
    try:
        pickle.dumps(exc)
    except Exception:
        return False
    return True


def _receive(reader: Connection) -> dict[int, Any]:
    """A worker's results; its exception raised here, as if the job had run here."""
    try:
        status, payload, trace = reader.recv()
    except EOFError:
        raise WorkerError("a worker process ended without sending its results") from None
    if status == "ok":
        return payload  # type: ignore[no-any-return]
    if payload is None:
        raise WorkerError(f"a job failed in a worker process:\n{trace}")
    payload.add_note(f"(raised in a worker process)\n{trace}")
    raise payload

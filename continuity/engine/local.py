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

import gc
import multiprocessing
import os
import pickle
import signal
import threading
import traceback
from collections.abc import Callable, Sequence
from multiprocessing.connection import Connection
from typing import Any, TypeVar, overload

from .jobs import Job, WorkerError, job_failed, kept

__all__ = ["Job", "WorkerError", "available_workers", "can_fork", "run_jobs"]

T = TypeVar("T")
K = TypeVar("K")


def available_workers() -> int:
    """How many cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def can_fork() -> bool:
    """Fork is available and safe: no other thread could hold a lock the child needs, and
    this process is not itself a worker (a worker may not have workers of its own: a job
    that runs jobs runs them in its own process)."""
    return ("fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1
            and not multiprocessing.current_process().daemon)


@overload
def run_jobs(jobs: Sequence[Callable[[], T]], workers: int | None = None,
             done: Callable[[int], None] | None = None,
             first: Callable[[], object] | None = None,
             names: Sequence[str] | None = None, *, keep: None = None) -> list[T]: ...


@overload
def run_jobs(jobs: Sequence[Callable[[], T]], workers: int | None = None,
             done: Callable[[int], None] | None = None,
             first: Callable[[], object] | None = None,
             names: Sequence[str] | None = None, *,
             keep: Callable[[T], K]) -> list[K]: ...


def run_jobs(jobs: Sequence[Callable[[], Any]], workers: int | None = None,
             done: Callable[[int], None] | None = None,
             first: Callable[[], object] | None = None,
             names: Sequence[str] | None = None, *,
             keep: Callable[[Any], Any] | None = None) -> list[Any]:
    """Every job's result, in job order. `workers` processes share the jobs (default: one
    per available core); this process is one of them. `done(i)` is called in this
    process for each job, as it finishes one itself or receives a worker's results
    (for progress messages). `first` is work of
    this process's own, done before it joins in (such as importing what the next stage
    needs), while the workers have already started. With `names` (one per job), a job
    that fails or whose worker dies is named in the error (`job_failed`); without, its
    exception is raised as it is. `keep(result)` is what is kept of each result, made
    by whichever process made it as soon as it has (a page written to disk, its digest
    kept), so that no worker holds its results until the end.

    The objects this process holds are frozen out of the garbage collector's reach
    (`gc.freeze`) while the workers run: a collection in a worker would otherwise write
    to every inherited object's header and so copy every page of the analysis it
    shares with this process."""
    wanted = available_workers() if workers is None else workers
    wanted = min(wanted, len(jobs))

    def make(i: int) -> Any:
        try:
            return kept(jobs[i](), keep)
        except BaseException as exc:
            if names is None:
                raise
            error = job_failed(names[i], exc, traceback.format_exc())
            if error is exc:
                raise
            raise error from exc

    if wanted <= 1 or not can_fork():
        if first:
            first()
        results = []
        for i in range(len(jobs)):
            results.append(make(i))
            if done:
                done(i)
        return results
    ctx = multiprocessing.get_context("fork")
    counter = ctx.Value("i", 0)
    current = ctx.Array("i", [-1] * (wanted - 1), lock=False)  # each worker's job in hand

    def take() -> int:
        with counter.get_lock():
            i = int(counter.value)
            counter.value = i + 1
        return i

    children: list[tuple[Connection, Any]] = []
    lifeline, lifeline_end = os.pipe()  # this process alone holds the writing end
    outer = gc.get_freeze_count() > 0  # a run around this one froze first, and unfreezes
    gc.freeze()
    try:
        for k in range(wanted - 1):
            reader, writer = ctx.Pipe(duplex=False)
            readers = [r for r, _ in children] + [reader]
            proc = ctx.Process(target=_work, daemon=True,
                               args=(jobs, take, writer, readers, lifeline, lifeline_end,
                                     current, k, keep))
            proc.start()
            writer.close()
            children.append((reader, proc))
        if first:
            first()
        mine: dict[int, Any] = {}
        while (i := take()) < len(jobs):
            mine[i] = make(i)
            if done:
                done(i)
        for k, (reader, proc) in enumerate(children):
            theirs = _receive(reader, names, current[k])
            mine.update(theirs)
            proc.join()
            if done:
                for i in sorted(theirs):
                    done(i)
    finally:
        for reader, proc in children:
            reader.close()
            if proc.is_alive():
                proc.terminate()
                proc.join()
        os.close(lifeline_end)
        os.close(lifeline)
        if not outer:
            gc.unfreeze()
    return [mine[i] for i in range(len(jobs))]



def _work(jobs: Sequence[Callable[[], Any]], take: Callable[[], int], out: Connection,
          readers: Sequence[Connection], lifeline: int, lifeline_end: int,
          current: Any, k: int, keep: Callable[[Any], Any] | None) -> None:
    """Worker `k`: make jobs until none are left (noting in `current[k]` the one in hand,
    for the parent to name if this worker dies), keeping what `keep` makes of each, then
    send them home in one message."""
    _bound_to_parent(readers, lifeline, lifeline_end)
    i = -1
    try:
        made = {}
        while (i := take()) < len(jobs):
            current[k] = i
            made[i] = kept(jobs[i](), keep)
        message: tuple[str, Any, str, int] = ("ok", made, "", i)
    except BaseException as exc:  # report anything: the parent raises it
        message = ("error", exc if _picklable(exc) else None, traceback.format_exc(), i)
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


def _receive(reader: Connection, names: Sequence[str] | None, in_hand: int
             ) -> dict[int, Any]:
    """A worker's results; its exception raised here, as if the job had run here.
    `in_hand`: the job the worker last took, named if it died making it."""
    try:
        status, payload, trace, i = reader.recv()
    except EOFError:
        what = f" while making {_name(names, in_hand)}" if in_hand >= 0 else ""
        raise WorkerError(f"a worker process ended without sending its results{what}"
                          ) from None
    if status == "ok":
        return payload  # type: ignore[no-any-return]
    if names is not None:
        error = job_failed(names[i], payload, trace)
        if error is payload:
            raise error
        raise error from payload
    if payload is None:
        raise WorkerError(f"a job failed in a worker process:\n{trace}")
    payload.add_note(f"(raised in a worker process)\n{trace}")
    raise payload


def _name(names: Sequence[str] | None, i: int) -> str:
    return names[i] if names is not None else f"job {i + 1}"

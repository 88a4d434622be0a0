"""Engines: where independent jobs run. One interface, `Engine.run`, and two engines:
`local` (forked workers on this machine, the default) and `dask` (dask.distributed: a
LocalCluster, or an existing cluster at a scheduler's address).

Alignment (a job per source document) and the build (a job per page, table, the store)
hand their jobs to an engine; every engine returns the results in job order and names
the job that failed, so the output is the same whichever engine made it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, Protocol, TypeVar, overload

from ..errors import ContinuityError
from .jobs import Job, JobError, WorkerError

__all__ = ["ENGINES", "Engine", "Job", "JobError", "LocalEngine", "WorkerError", "open_engine"]

T = TypeVar("T")
K = TypeVar("K")

#: The engines `open_engine` knows, the default first.
ENGINES = ("local", "dask")


class Engine(Protocol):
    """Runs jobs, returning their results in job order; `done(i)` is called here as job
    i's result arrives (progress), `first` is this process's own work, done while the
    workers have started. A failed job raises a ContinuityError naming it. `recipe`, if
    given, makes the same jobs again from what they were made of and can be pickled: an
    engine whose workers are other programs sends it instead of jobs whose closures hold
    what pickle cannot take (compiled templates). `keep`, if given, is what is kept of
    each result instead of the result itself: it runs on this machine as soon as the
    result is made (in a local worker) or arrives (from a dask worker), so that a big
    result, a page, goes to disk at once and only its digest is held."""

    name: str

    @overload
    def run(self, jobs: Sequence[Job[T]], done: Callable[[int], None] | None = None,
            first: Callable[[], object] | None = None,
            recipe: Callable[[], Sequence[Job[T]]] | None = None) -> list[T]: ...

    @overload
    def run(self, jobs: Sequence[Job[T]], done: Callable[[int], None] | None = None,
            first: Callable[[], object] | None = None,
            recipe: Callable[[], Sequence[Job[T]]] | None = None, *,
            keep: Callable[[T], K]) -> list[K]: ...


class LocalEngine:
    """Forked workers on this machine sharing this process's memory (`local.run_jobs`);
    `workers`: how many processes, this one included (default: one per core)."""

    name = "local"

    def __init__(self, workers: int | None = None) -> None:
        self.workers = workers

    def run(self, jobs: Sequence[Job[T]], done: Callable[[int], None] | None = None,
            first: Callable[[], object] | None = None,
            recipe: Callable[[], Sequence[Job[T]]] | None = None, *,
            keep: Callable[[T], Any] | None = None) -> list[Any]:
        from .local import run_jobs  # multiprocessing: not for the CLI's --help

        return run_jobs([job.make for job in jobs], self.workers, done=done, first=first,
                        names=[job.name for job in jobs], keep=keep)


@contextmanager
def open_engine(name: str = "local", workers: int | None = None,
                scheduler: str | None = None) -> Iterator[Engine]:
    """The engine called `name`, ready for as many runs as are made inside; what it
    started (a dask LocalCluster) is stopped on the way out, however the way out is
    taken (Ctrl-C included). `scheduler`: the address of an existing dask cluster."""
    if name not in ENGINES:
        raise ContinuityError(f"unknown engine {name!r}: choose one of {', '.join(ENGINES)}")
    if scheduler and name != "dask":
        raise ContinuityError("a scheduler address is for the dask engine (--engine dask)")
    if name == "local":
        yield LocalEngine(workers)
        return
    from .cluster import dask_engine

    with dask_engine(workers, scheduler) as engine:
        yield engine

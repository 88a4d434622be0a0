"""Engines: where independent jobs run. One interface, `Engine.run`, and two engines:
`local` (forked workers on this machine, the default) and `dask` (dask.distributed: a
LocalCluster, or an existing cluster at a scheduler's address).

Alignment (a job per source document) and the build (a job per page, table, the store)
hand their jobs to an engine; every engine returns the results in job order and names
the job that failed, so the output is the same whichever engine made it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, Protocol, TypeVar, overload

from ..errors import ContinuityError
from .jobs import Job, JobError, Part, WorkerError

__all__ = ["ENGINES", "MIN_MEMORY_LIMIT", "Engine", "Job", "JobError", "LocalEngine", "Part",
           "WorkerError", "check_engine_options", "memory_limit_bytes", "open_engine"]

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


#: The least memory limit a dask worker may be given (bytes): a worker that has imported
#: continuity and its libraries holds about 200 MB before any job.
MIN_MEMORY_LIMIT = 256 * 2**20

_UNITS = {"": 1, "b": 1, "kb": 10**3, "mb": 10**6, "gb": 10**9, "tb": 10**12,
          "kib": 2**10, "mib": 2**20, "gib": 2**30, "tib": 2**40}
_SIZE = re.compile(r"\s*(\d+(?:\.\d*)?|\.\d+)\s*([a-z]*)\s*", re.IGNORECASE)


def memory_limit_bytes(text: str) -> int:
    """A dask worker's memory limit in bytes, from a size as dask writes one (`4GiB`,
    `3.5GB`, `800MB`, or bytes), at least MIN_MEMORY_LIMIT; else a ContinuityError
    saying what is wanted."""
    found = _SIZE.fullmatch(text)
    unit = _UNITS.get(found.group(2).lower()) if found else None
    if found is None or unit is None:
        raise ContinuityError(f"memory limit {text!r} is not a size: write it as 4GiB, 3.5GB, "
                              f"800MB or a number of bytes")
    size = int(float(found.group(1)) * unit)
    if size < MIN_MEMORY_LIMIT:
        raise ContinuityError(f"memory limit {text!r} is below the least a worker needs, "
                              f"{MIN_MEMORY_LIMIT // 2**20}MiB")
    return size


@contextmanager
def open_engine(name: str = "local", workers: int | None = None,
                scheduler: str | None = None, memory_limit: int | None = None
                ) -> Iterator[Engine]:
    """The engine called `name`, ready for as many runs as are made inside; what it
    started (a dask LocalCluster) is stopped on the way out, however the way out is
    taken (Ctrl-C included). `scheduler`: the address of an existing dask cluster;
    `memory_limit`: bytes each worker of the dask LocalCluster may hold (`memory_limit_bytes`
    reads one from text; default: dask's, this machine's memory shared out between the
    workers)."""
    if name not in ENGINES:
        raise ContinuityError(f"unknown engine {name!r}: choose one of {', '.join(ENGINES)}")
    check_engine_options(name, scheduler, memory_limit)
    if name == "local":
        yield LocalEngine(workers)
        return
    from .cluster import dask_engine

    with dask_engine(workers, scheduler, memory_limit) as engine:
        yield engine


def check_engine_options(name: str, scheduler: str | None = None,
                         memory_limit: int | None = None) -> None:
    """Refuse options that the engine `name` does not take (before any work starts)."""
    if scheduler and name != "dask":
        raise ContinuityError("a scheduler address is for the dask engine (--engine dask)")
    if memory_limit is not None and name != "dask":
        raise ContinuityError("a memory limit is for the dask engine's workers "
                              "(--engine dask)")
    if memory_limit is not None and scheduler:
        raise ContinuityError("a memory limit is for the LocalCluster the dask engine starts: "
                              "an existing cluster's workers have their own (dask worker "
                              "--memory-limit)")
    if memory_limit is not None and memory_limit < MIN_MEMORY_LIMIT:
        raise ContinuityError(f"a memory limit of {memory_limit} bytes is below the least a "
                              f"worker needs, {MIN_MEMORY_LIMIT} bytes")

"""The dask engine: jobs as tasks on dask.distributed, on a LocalCluster it starts and
stops, or on an existing cluster given by its scheduler's address.

A job made of a part (`jobs.Part`: aligning one source document, reading the words of
some counterparts, making a page from its view of the analysis) is sent as what it
reads alone: what every job of the run shares (the corpus-wide idf and settings, the
site's index) is scattered to every worker once, and each job's part (its document's
clauses and vectors, and its planned targets'; a page's documents and clauses) is made
and pickled here and sent in its task as the task is submitted, a few tasks ahead of the workers
(`AHEAD` per worker thread), and dropped once its result is here: no worker holds the
whole that the parts are cut from. The scheduler keeps a part until its task is done,
so a task whose worker dies (past its memory limit) runs again on another. Other jobs
share what they were made from: their whole list is pickled once, so that shared state
is sent once, and scattered to every worker; each task then runs one job of that list.
Jobs that pickle cannot take (closures over compiled templates) come with a recipe,
which each worker follows once to make the same list for itself, kept beside what was
scattered, never in it: dask may send what a worker holds to another worker at any
moment (its Active Memory Manager drops the copies a broadcast made, and a task on a
worker without one fetches it from a peer), so a task must leave its inputs as they
came (dask's "don't mutate inputs"). Jobs marked `here` (writing to this machine's
disk, or reading what only this process holds: the pages that sum up the whole
analysis) run in this process meanwhile. Results
are gathered in job order. A task that raises, or whose worker dies more often than the
scheduler allows (`distributed.scheduler.allowed-failures`), ends the run with a
ContinuityError naming the job; the other tasks are cancelled.
"""

from __future__ import annotations

import logging
import pickle
import threading
import uuid
import weakref
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

from ..errors import ContinuityError
from .jobs import Job, Part, job_failed, kept
from .local import available_workers

T = TypeVar("T")

#: Seconds to keep trying to reach the scheduler of an existing cluster.
SCHEDULER_WAIT = 10.0

#: Seconds to wait for an existing cluster to have a worker: its tasks would wait forever.
WORKER_WAIT = 60.0


@dataclass(frozen=True, eq=False)
class _Jobs:
    """The jobs to run elsewhere as one object, so that scattering it sends one pickle
    (their shared parts once), not one per job: the jobs themselves (those kept here
    left out), or the recipe that makes them, followed once per worker (`_made`).
    Frozen: it pickles as it was scattered, whenever dask sends it on (a copy of jobs
    made from a recipe, closures over compiled templates, would not pickle, and the
    worker waiting for it would wait forever)."""

    jobs: tuple[Job[Any] | None, ...] | None
    recipe: Callable[[], Sequence[Job[Any]]] | None = None

    @classmethod
    def of(cls, jobs: Sequence[Job[Any]]) -> _Jobs:
        """The jobs sent whole: neither those kept here nor those sent as parts."""
        return cls(tuple(None if job.here or isinstance(job.make, Part) else job
                         for job in jobs))

    def job(self, i: int) -> Job[Any]:
        job = (self.jobs if self.jobs is not None else _made(self))[i]
        assert job is not None and not job.here, "a job kept here was sent to a worker"
        return job


#: The jobs each recipe made in this worker process, by the payload holding the recipe,
#: for as long as the worker holds that payload (a weak key: the entry goes with it).
_MADE: weakref.WeakKeyDictionary[_Jobs, tuple[Job[Any], ...]] = weakref.WeakKeyDictionary()
_MAKING = threading.Lock()  # a worker of several threads follows a recipe once


def _made(payload: _Jobs) -> tuple[Job[Any], ...]:
    with _MAKING:
        made = _MADE.get(payload)
        if made is None:
            assert payload.recipe is not None
            made = _MADE[payload] = tuple(payload.recipe())
        return made


def _run_job(jobs: _Jobs, i: int) -> Any:
    return jobs.job(i).make()


def _run_part(func: Callable[[Any, Any], Any], shared: Any, part: bytes) -> Any:
    """A job made of a part (`Part`), on a worker: its function, of what every job
    shares and its part, sent pickled."""
    return func(shared, pickle.loads(part))


class DaskEngine:
    """Runs jobs as tasks through a dask.distributed client."""

    name = "dask"

    def __init__(self, client: Any) -> None:
        self.client = client

    def run(self, jobs: Sequence[Job[T]], done: Callable[[int], None] | None = None,
            first: Callable[[], object] | None = None,
            recipe: Callable[[], Sequence[Job[T]]] | None = None, *,
            keep: Callable[[T], Any] | None = None) -> list[Any]:
        """The engine's `run`; each result is released on its worker as soon as it is
        here (and `keep` has made what is kept of it), so the cluster never holds them
        all."""
        import dask
        from distributed import as_completed

        remote = [i for i, job in enumerate(jobs) if not job.here]
        parts = [i for i in remote if isinstance(jobs[i].make, Part)]
        whole = [i for i in remote if not isinstance(jobs[i].make, Part)]
        run = uuid.uuid4().hex[:12]
        futures: dict[Any, int] = {}
        if whole:
            payload = _Jobs(None, recipe) if recipe else _Jobs.of(jobs)
            shared = _scatter(self.client, payload)
            futures = {self.client.submit(_run_job, shared, i, pure=False,
                                          key=f"job-{i}-{shared.key}"): i for i in whole}
        arriving = as_completed(list(futures))  # type: ignore[no-untyped-call]
        scattered: dict[int, Any] = {}  # each distinct shared object's future, by its id
        waiting = iter(parts)
        sent: Counter[int] = Counter()  # how many times each part's job was submitted

        def send(again: int | None = None) -> None:
            """Submit the next job sent as a part, if any is left (`again`: that job once
            more, its task having been cancelled)."""
            i = next(waiting, None) if again is None else again
            if i is None:
                return
            made = jobs[i].make
            assert isinstance(made, Part)
            if id(made.shared) not in scattered:
                scattered[id(made.shared)] = _scatter(self.client, made.shared)
            # The part goes in the task itself, not scattered to one worker: the scheduler
            # keeps it until the task is done, so a task whose worker dies (past its
            # memory limit) runs again elsewhere; scattered, the part would die with it.
            # Pickled here, it goes as bytes, which the scheduler passes on as they are:
            # as objects, it would unpickle the part and pickle it again for the worker.
            part = pickle.dumps(made.part(), protocol=pickle.HIGHEST_PROTOCOL)
            with dask.config.set({"distributed.admin.large-graph-warning-threshold": PART_MAX}):
                future = self.client.submit(_run_part, made.func, scattered[id(made.shared)],
                                            part, pure=False, key=f"part-{i}-{run}-{sent[i]}")
            sent[i] += 1
            futures[future] = i
            arriving.add(future)  # type: ignore[no-untyped-call]

        for _ in range(AHEAD * max(1, sum(self.client.nthreads().values()))):
            send()
        results: dict[int, Any] = {}
        failed: list[BaseException] = []
        stop = threading.Event()
        sending = threading.Lock()  # the futures in hand change in the collector alone

        def collect() -> None:
            """Gather the workers' results as they arrive, sending the next part for
            each: in a thread of its own, so that parts keep going out while this
            process does its own work (`first`, the jobs kept here), which at 100
            documents is a minute of exports and the pages that sum up the corpus."""
            try:
                for future in arriving:
                    with sending:
                        if stop.is_set():
                            return
                        i = futures[future]
                        if (future.status == "cancelled" and isinstance(jobs[i].make, Part)
                                and sent[i] <= RESUBMITS):
                            # the scheduler forgot the task while its worker died (a race
                            # in distributed): the part is still here, so it is sent again
                            del futures[future]
                            send(again=i)
                            continue
                        if future.status == "error":
                            raise _failed(jobs[i].name, future)
                    results[i] = kept(future.result(), keep)
                    with sending:
                        del futures[future]
                        future.release()
                        if isinstance(jobs[i].make, Part):
                            send()
                    if done:
                        done(i)
            except BaseException as exc:  # raised by the caller's thread
                failed.append(exc)
                with sending:
                    stop.set()
                    self.client.cancel(list(futures))

        collector = threading.Thread(target=collect, name="continuity-results", daemon=True)
        collector.start()
        try:
            if first:
                first()
            for i, job in enumerate(jobs):
                if job.here and not failed:
                    results[i] = kept(_here(job), keep)
                    if done:
                        done(i)
            while collector.is_alive():  # waiting in short turns: Ctrl-C reaches us
                collector.join(0.2)
            if failed:
                raise failed[0]
        finally:
            with sending:
                stop.set()
                self.client.cancel(list(futures))
            collector.join(COLLECTOR_WAIT)
        return [results[i] for i in range(len(jobs))]


#: Seconds to wait for the thread gathering results to end, once the run has ended.
COLLECTOR_WAIT = 10.0

#: How many times a part's job whose task the cluster cancelled is sent again.
RESUBMITS = 3
#: Jobs sent as parts ahead of the workers, per worker thread: enough that none waits
#: for its next part, few enough that the parts sent at once stay small.
AHEAD = 2

#: The size of a task above which dask warns ("Sending large graph"), for tasks that
#: carry their part (19 MiB at most at 300 synthetic documents): a part is sent once,
#: to the worker that runs it, which is what the warning's advice is for.
PART_MAX = "1GiB"


#: Tries at scattering the jobs to every worker, and the wait before each new try (s).
SCATTER_TRIES, SCATTER_PAUSE = 5, 0.5


def _scatter(client: Any, payload: object) -> Any:
    """Scatter `payload` to every worker. A worker that is being restarted (its nanny
    brings it back after it died) closes its connection mid-scatter (CommClosedError, an
    OSError): wait for the workers and try again, a few times, before giving up."""
    import time

    for attempt in range(1, SCATTER_TRIES):
        try:
            return client.scatter([payload], broadcast=True, hash=False)[0]
        except OSError:
            time.sleep(SCATTER_PAUSE * attempt)
            client.wait_for_workers(1, timeout=WORKER_WAIT)
    return client.scatter([payload], broadcast=True, hash=False)[0]  # the last: errors pass



def _here(job: Job[T]) -> T:
    try:
        return job.make()
    except Exception as exc:
        import traceback

        error = job_failed(job.name, exc, traceback.format_exc())
        if error is exc:
            raise
        raise error from exc


def _failed(name: str, future: Any) -> BaseException:
    """The error for a task that failed: its exception, named by its job."""
    import traceback

    exc = future.exception()
    trace = "".join(traceback.format_tb(future.traceback())) if future.traceback() else ""
    return job_failed(name, exc, trace)


@contextmanager
def dask_engine(workers: int | None = None, scheduler: str | None = None,
                memory_limit: int | None = None) -> Iterator[DaskEngine]:
    """A dask engine on the cluster at `scheduler` (its own workers: `workers` and
    `memory_limit` are not used), or on a LocalCluster of `workers` single-threaded
    worker processes (default: one per core) that is stopped on the way out, Ctrl-C
    included, each allowed `memory_limit` bytes (default: dask's "auto", this machine's
    memory shared out between them). Past the limit dask spills what a worker holds to
    disk, pauses it, and at 95 % restarts it (its task is tried again, then fails the
    run naming its job): `distributed.worker.memory` in dask's configuration."""
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise ContinuityError("the dask engine needs dask.distributed: "
                              "pip install 'continuity[dask]'") from None
    if scheduler:
        try:
            client = Client(scheduler,  # type: ignore[no-untyped-call]
                            timeout=f"{SCHEDULER_WAIT:g}s")
        except OSError as exc:
            raise ContinuityError(f"no dask scheduler answers at {scheduler}: {exc}") from exc
        with client:
            try:
                client.wait_for_workers(1, timeout=WORKER_WAIT)
            except TimeoutError:
                raise ContinuityError(f"the dask cluster at {scheduler} has no workers (waited "
                                      f"{WORKER_WAIT:g} s): start some with `dask worker "
                                      f"{scheduler}`") from None
            yield DaskEngine(client)
        return
    with _scheduler_quiet():
        cluster = LocalCluster(  # type: ignore[no-untyped-call]
            n_workers=workers or available_workers(), threads_per_worker=1, processes=True,
            memory_limit=memory_limit if memory_limit is not None else "auto",
            dashboard_address=None, silence_logs=logging.CRITICAL,
            # No dashboard, and the scheduler's plain HTTP routes on a free port: on 8787,
            # its default, a second cluster on this machine warns that the port is taken.
            scheduler_kwargs={"dashboard_address": ":0"})
        with cluster, Client(cluster) as client:  # type: ignore[no-untyped-call]
            client.register_plugin(_ctrl_c_is_ours())
            _stops_reach_the_build()
            yield DaskEngine(client)


def _stops_reach_the_build() -> None:
    """Take out the garbage collector callback that the LocalCluster's scheduler adds to
    this process (distributed's GC diagnosis: it logs long collections, and its logs are
    silenced here). Ctrl-C or `kill` raise in whatever Python code runs when the signal
    arrives; raised in a collector callback, Python prints the exception as "ignored" and
    the build went on to the end (seen once in two test runs, at load 5, as the build
    made parts of the counterparts' words, many small objects, many collections)."""
    from distributed.gc import disable_gc_diagnosis

    disable_gc_diagnosis(force=True)  # type: ignore[no-untyped-call]


@contextmanager
def _scheduler_quiet() -> Iterator[None]:
    """While this process runs a LocalCluster's scheduler, asyncio's own log is as quiet
    as the cluster's (`silence_logs`): a build stopped mid-scatter leaves the scheduler a
    message for a worker that has gone, and asyncio would print its KeyError traceback
    ("Task exception was never retrieved") under "Aborted!"."""
    log = logging.getLogger("asyncio")
    level = log.level
    log.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        log.setLevel(level)


def _ctrl_c_is_ours() -> Any:
    """A worker plugin for the LocalCluster this process starts: its workers ignore
    SIGINT. Ctrl-C in a terminal reaches the whole process group; this process takes it
    and closes the cluster, which ends the workers (each would otherwise print its own
    KeyboardInterrupt traceback as it goes). A plugin, so a worker its nanny restarts
    ignores it too; dask runs `setup` in the worker's main thread, as signals need."""
    import signal

    from distributed import WorkerPlugin

    class CtrlCIsTheBuilds(WorkerPlugin):
        name = "continuity-ctrl-c"

        def setup(self, worker: Any) -> None:
            signal.signal(signal.SIGINT, signal.SIG_IGN)

    return CtrlCIsTheBuilds()

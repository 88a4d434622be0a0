"""What every engine runs and raises: named jobs (some made of a part: what they read of a
whole that every job shares), what is kept of their results, and errors that name the job
that failed."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from ..errors import ContinuityError

T_co = TypeVar("T_co", covariant=True)
S = TypeVar("S")
P = TypeVar("P")


@dataclass(frozen=True, slots=True)
class Job(Generic[T_co]):
    """A named piece of independent work (a page, a table, a document's alignment): its
    name for progress and error messages, and the function that makes its result.
    `here`: it must run in the process that started the work (it writes to this
    machine's disk, or reads what that process alone holds: the whole analysis), so an
    engine whose workers may be elsewhere keeps it here."""

    name: str
    make: Callable[[], T_co]
    here: bool = False


@dataclass(frozen=True, slots=True)
class Part(Generic[S, P, T_co]):
    """A job's work as `func(shared, part())`: `shared`, what every job of the run reads
    (corpus-wide: the vocabulary's idf, the settings), and `part()`, what this job alone
    reads (one document's clauses and vectors, and its planned targets'). Called, it is
    the job: the local engine's forked workers make the part from the memory they share
    with the building process, or, given `whole`, read what `whole()` gives instead (the
    whole the part is cut from, in the form `func` takes it: cutting a page's view of
    the analysis there would only cost time). An engine whose workers are elsewhere
    (dask) sends each worker `shared` once and each task only its part, made in the
    building process as the task is sent, instead of the whole that the parts are cut
    from. `func` is a module's function (pickled by name), `shared` and what `part`
    makes pickle; `func` makes the same result of `whole()` as of `part()`."""

    func: Callable[[S, P], T_co]
    shared: S
    part: Callable[[], P]
    whole: Callable[[], P] | None = None

    def __call__(self) -> T_co:
        return self.func(self.shared, (self.whole or self.part)())


class WorkerError(ContinuityError):
    """A job failed in a worker process (the message carries the worker's traceback)."""


class JobError(WorkerError):
    """A job raised an error that is not continuity's own (a bug, a worker that died): the
    message names the job and carries its traceback."""


def job_failed(name: str, exc: BaseException | None, trace: str) -> BaseException:
    """What to raise for job `name`, which raised `exc` (None: it could not be sent back)
    with traceback `trace`: continuity's own errors as they are, saying which job; Ctrl-C
    and exits as they are; anything else as a JobError naming the job."""
    if isinstance(exc, ContinuityError):
        exc.add_note(f"(while making {name})")
        return exc
    if exc is not None and not isinstance(exc, Exception):
        return exc
    what = f"{type(exc).__name__}: {exc}" if exc is not None else "an error"
    error = JobError(f"{name} failed: {what}\n{trace}".rstrip())
    error.__cause__ = exc
    return error


def kept(result: Any, keep: Callable[[Any], Any] | None) -> Any:
    """What an engine keeps of a job's result: all of it, or what `keep` makes of it (a
    page written to disk, its digest)."""
    return keep(result) if keep is not None else result

"""Where the local engine used to live: its names, for the modules that import them here."""

from .engine.local import Job, WorkerError, available_workers, can_fork, run_jobs

__all__ = ["Job", "WorkerError", "available_workers", "can_fork", "run_jobs"]

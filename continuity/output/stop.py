"""Stopping cleanly: SIGTERM and SIGHUP end a run the way Ctrl-C does, so it cleans up.

Python's default for SIGTERM (what `kill`, a CI timeout or a service manager send) and
SIGHUP (a closed terminal) is to end the process on the spot: no `finally` runs, a
half-written work folder and forked workers are left behind. While output is being
prepared, these signals raise `Interrupted` instead, as SIGINT raises
KeyboardInterrupt: the work folder is deleted, workers are ended, the previous output
stays where it was.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

#: The signals turned into Interrupted (those the platform has).
SIGNALS = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name))


class Interrupted(KeyboardInterrupt):
    """The process was asked to stop (SIGTERM, SIGHUP); handled as Ctrl-C is."""

    def __init__(self, signum: int) -> None:
        super().__init__(f"stopped by {signal.Signals(signum).name}")
        self.signum = signum


def _raise(signum: int, frame: FrameType | None) -> None:
    raise Interrupted(signum)


@contextmanager
def stoppable() -> Iterator[None]:
    """While inside, SIGTERM and SIGHUP raise Interrupted in the main thread. Only signals
    left at Python's default are taken (a notebook's or a server's own handlers are
    kept), and the previous handlers come back on the way out."""
    taken = {}
    if threading.current_thread() is threading.main_thread():
        for signum in SIGNALS:
            if signal.getsignal(signum) == signal.SIG_DFL:
                taken[signum] = signal.signal(signum, _raise)
    try:
        yield
    finally:
        for signum, before in taken.items():
            signal.signal(signum, before)

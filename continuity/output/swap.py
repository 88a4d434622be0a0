"""Replace a folder in one step, and clean up after a run that was killed.

New output is written into a hidden work folder beside its destination
(`.NAME.continuity-new-XXXX`) and swapped with the old one by one atomic exchange
(Linux `renameat2(RENAME_EXCHANGE)`): at every moment the destination holds the old
output or the new one. Where the exchange is not available, the old folder is
renamed aside (`.NAME.continuity-old-XXXX`) and the new one into place; a run killed
between the two renames leaves no destination, and the next run puts the old folder
back. A work folder is locked (`flock`) by the run that owns it, so the next run
knows a leftover (unlocked: its run was killed) from the work of a run still going,
and the short steps that look at or move these folders take a lock on the parent
folder, so two runs never interleave them.
"""

from __future__ import annotations

import errno
import functools
import os
import shutil
import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import ctypes

try:
    import fcntl
except ImportError:  # pragma: no cover (Windows: no locks, the rest works)
    fcntl = None  # type: ignore[assignment]

NEW = "new-"
OLD = "old-"
#: Signals that stop a run: held back while a step that must not be cut in two runs.
STOP_SIGNALS = tuple(getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP")
                     if hasattr(signal, name))

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


class Busy(Exception):
    """Another run is writing the same destination (it holds the work folder `path`)."""

    def __init__(self, path: Path) -> None:
        super().__init__(str(path))
        self.path = path


def work_prefix(target: Path) -> str:
    """The start of the names of `target`'s work folders and leftovers."""
    return f".{target.name}.continuity-"


@functools.cache
def _renameat2() -> ctypes._NamedFuncPointer | None:
    """The C library's renameat2, where there is one (ctypes imported only then: only a
    swap needs it, not the commands that read the store)."""
    if not sys.platform.startswith("linux"):
        return None
    import ctypes

    try:
        return ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):  # an old C library
        return None


def exchange(a: Path, b: Path) -> bool:
    """Swap what the paths `a` and `b` name, in one atomic step. False (nothing done)
    where the system or the file system cannot."""
    call = _renameat2()
    if call is None:
        return False
    if call(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    import ctypes

    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(b))


def replace(staging: Path, target: Path) -> Path | None:
    """Put the folder `staging` at `target`; returns where the old `target` now is (to be
    deleted), or None if there was none."""
    if not os.path.lexists(target):
        os.rename(staging, target)
        return None
    if exchange(staging, target):
        return staging
    aside = staging.with_name(staging.name.replace(NEW, OLD, 1))
    os.rename(target, aside)
    try:
        os.rename(staging, target)
    except BaseException:
        os.rename(aside, target)
        raise
    return aside


def remove(path: Path) -> None:
    """Delete a file or folder (what it links to is never followed), as far as possible."""
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        try:
            path.unlink()
        except FileNotFoundError:
            pass


def hold(path: Path) -> int | None:
    """An open descriptor holding an exclusive lock on `path` (a file or folder), or None
    if another process holds it. Released by `os.close`, or when the process ends."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    if fcntl is None:  # pragma: no cover (no locks: nobody can tell)
        return fd
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        return None
    except OSError:  # a file system without locks: nobody can tell, go on
        pass
    return fd


@contextmanager
def parent_locked(folder: Path) -> Iterator[None]:
    """Hold the lock on `folder` (the parent of a destination) while inside, waiting for
    it if another run holds it (only ever for a short step)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        fd = -1
    try:
        if fd >= 0 and fcntl is not None:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX)
            except OSError:
                pass
        yield
    finally:
        if fd >= 0:
            os.close(fd)


def recover(target: Path) -> None:
    """Clean up after runs into `target` that were killed (call with the parent locked):
    put back an old folder that a run moved aside and could not replace, then delete
    every leftover. Raises Busy if a run still going owns one of them."""
    prefix = work_prefix(target)
    try:
        names = sorted(p.name for p in target.parent.iterdir() if p.name.startswith(prefix))
    except OSError:
        return
    held: dict[Path, int] = {}
    try:
        for name in names:
            path = target.parent / name
            try:
                fd = hold(path)
            except OSError:  # gone meanwhile, or not ours to open: left alone
                continue
            if fd is None:
                raise Busy(path)
            held[path] = fd
        old = [p for p in held if p.name.startswith(prefix + OLD)]
        if old and not os.path.lexists(target):
            latest = max(old, key=lambda p: p.lstat().st_ctime)
            os.rename(latest, target)
            del held[latest]
        for path in held:
            remove(path)
    finally:
        for fd in held.values():
            os.close(fd)


@contextmanager
def signals_held() -> Iterator[None]:
    """Hold back SIGINT, SIGTERM and SIGHUP while inside: each is acted on, as it would
    have been, on the way out (for steps that must not be cut in two). Python acts on
    signals in the main thread only, so this is done there, by handlers that note a
    signal (blocking it would not do: the kernel hands a signal to any thread that does
    not block it, such as a numerical library's, and Python still acts on it)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    noted: list[int] = []
    before = {signum: signal.signal(signum, lambda signum, frame: noted.append(signum))
              for signum in STOP_SIGNALS}
    try:
        yield
    finally:
        for signum, handler in before.items():
            signal.signal(signum, handler)
        for signum in dict.fromkeys(noted):
            signal.raise_signal(signum)

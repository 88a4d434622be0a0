"""Helpers for tests that run real processes and stop them with real signals.

`alive` and `group` look at /proc (Linux); `read_to_end` reads a pipe until its end, as
`| cat` does, with a deadline; `unprivileged` makes a subprocess subject to file
permissions even when the tests run as root.
"""

from __future__ import annotations

import ctypes
import os
import selectors
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import IO

import pytest

PROC = Path("/proc")


def state(pid: int) -> str | None:
    """The process's state letter (R, S, Z…), or None if there is no such process."""
    try:
        return (PROC / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return None


def alive(pid: int) -> bool:
    """The process exists and has not ended (a zombie has ended: only its parent's
    acknowledgement is missing)."""
    return state(pid) not in (None, "Z", "X")


def group(pgid: int) -> list[int]:
    """The live processes of process group `pgid`."""
    found = []
    for entry in PROC.iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except (OSError, IndexError):
                continue
            if int(fields[2]) == pgid and fields[0] not in ("Z", "X"):
                found.append(int(entry.name))
    return found


def wait_until(condition: Callable[[], bool], seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


def read_to_end(stream: IO[bytes], seconds: float) -> tuple[bytes, bool]:
    """What `stream` (a pipe) gives until its end or the deadline; True if the end came,
    that is, every process holding the other end has closed it."""
    chunks = []
    deadline = time.monotonic() + seconds
    with selectors.DefaultSelector() as selector:
        selector.register(stream, selectors.EVENT_READ)
        while (left := deadline - time.monotonic()) > 0:
            if selector.select(timeout=left):
                chunk = os.read(stream.fileno(), 65536)
                if not chunk:
                    return b"".join(chunks), True
                chunks.append(chunk)
    return b"".join(chunks), False


def wait_for(stream: IO[bytes], *texts: str, seconds: float = 60) -> bytes:
    """Read `stream` until every one of `texts` has arrived; returns what was read."""
    seen = b""
    deadline = time.monotonic() + seconds
    with selectors.DefaultSelector() as selector:
        selector.register(stream, selectors.EVENT_READ)
        while not all(text.encode() in seen for text in texts):
            left = deadline - time.monotonic()
            if left <= 0 or not selector.select(timeout=left):
                raise AssertionError(f"no {texts!r} in {seen.decode(errors='replace')}")
            chunk = os.read(stream.fileno(), 65536)
            if not chunk:
                raise AssertionError(f"ended before {texts!r}: {seen.decode(errors='replace')}")
            seen += chunk
    return seen


#: Linux capabilities that let root ignore file permissions (capability.h).
CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER = 1, 2, 3
PR_CAPBSET_DROP = 24


def unprivileged() -> Callable[[], None] | None:
    """A `preexec_fn` that makes a subprocess subject to file permissions: as root, the
    capabilities that override them are dropped from its bounding set, so the program
    it runs starts without them (it stays root and can read what root owns, such as a
    Python installed under /root). None when not root; skips the test when root cannot
    drop them (no prctl, or no CAP_SETPCAP in this container)."""
    if os.geteuid() != 0:
        return None
    libc = ctypes.CDLL(None, use_errno=True)

    def drop() -> None:
        for cap in (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER):
            if libc.prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0:
                raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")

    with tempfile.TemporaryDirectory() as folder:
        os.chmod(folder, 0o500)
        try:
            done = subprocess.run(
                [sys.executable, "-c", f"import os, sys; sys.exit(os.access({folder!r}, os.W_OK))"],
                preexec_fn=drop, check=False)
        except (OSError, subprocess.SubprocessError) as exc:
            pytest.skip("running as root, which ignores file permissions, and cannot drop the "
                        f"capabilities that make it ({exc}): the read-only cases need them dropped")
        finally:
            os.chmod(folder, 0o700)
    if done.returncode != 0:
        pytest.skip("running as root, and dropping CAP_DAC_OVERRIDE did not make file "
                    "permissions apply: the read-only cases need them to")
    return drop

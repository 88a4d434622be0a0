"""The user's cache folder for things that only make start-up faster.

Two caches live there: jieba's prefix dictionary in a faster format
(`continuity.text.segment`) and jinja's compiled templates (`continuity.output.report.render`).
Both are keyed on what they were made from and rebuilt when that changes, so
deleting the folder only costs time. It is private to the user (mode 0700):
compiled templates are code.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def default_cache_dir() -> Path:
    """$XDG_CACHE_HOME/continuity (default ~/.cache/continuity), else in the temp folder."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    if base.startswith("~"):  # no home folder to expand
        return Path(tempfile.gettempdir()) / "continuity-cache"
    return Path(base) / "continuity"


def usable_cache_dir(sub: str, root: Path | None = None) -> Path | None:
    """The folder `sub` of the cache, created if needed; None when it cannot be made."""
    folder = (root or default_cache_dir()) / sub
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError:
        return None
    return folder

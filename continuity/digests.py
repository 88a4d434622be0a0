"""Digests of what decides an analysis: continuity's code, its data files and its version.

Light to import (no jieba, no numpy): the store's fingerprint (`output.store.fingerprints`)
and the cache of documents read before (`corpus.document_cache`) both start from them.
"""

from __future__ import annotations

import hashlib
from importlib import metadata
from pathlib import Path

#: continuity's package: its Python files are the code that decides what an analysis holds.
CODE = Path(__file__).resolve().parent
#: continuity's data files: with the code, they decide what an analysis holds.
DATA = CODE / "data"


def folder_digest(root: Path, pattern: str = "*") -> str:
    """SHA-256 over every file under `root` whose name matches `pattern` (each file's path
    relative to it, then its bytes), in path order; hidden files and folders and caches
    are skipped."""
    hasher = hashlib.sha256()
    for path in sorted(_files(root, pattern), key=lambda p: p.relative_to(root).as_posix()):
        name = path.relative_to(root).as_posix().encode("utf-8")
        data = path.read_bytes()
        hasher.update(b"%d:%s%d:" % (len(name), name, len(data)))
        hasher.update(data)
    return hasher.hexdigest()


def _files(root: Path, pattern: str) -> list[Path]:
    return [path for path in root.rglob(pattern)
            if path.is_file() and not any(p.startswith(".") or p == "__pycache__"
                                          for p in path.relative_to(root).parts)]


def version() -> str:
    """continuity's installed version ("unknown" when it is not installed)."""
    try:
        return metadata.version("continuity")
    except metadata.PackageNotFoundError:
        return "unknown"

"""What produced an analysis, cheaply: digests of the corpus folder's files, of
continuity's data files (cue lists, dictionaries, rules: `continuity/data/`) and of its
code (the package's Python files), the settings and continuity's version.

A store (`continuity.db`) is read only when its fingerprint equals the one computed now,
so a changed document, manifest, theme file, data file, line of code, setting or version
is never answered from (a working copy edited since the store was made rebuilds it).
Computing it reads and hashes files and imports nothing heavy (no jieba, no numpy): it
is what every command pays first.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict
from importlib import metadata
from pathlib import Path

from ...settings import AlignSettings

#: continuity's package: its Python files are the code that decides what an analysis holds.
CODE = Path(__file__).resolve().parents[2]
#: continuity's data files: with the code, they decide what an analysis holds.
DATA = CODE / "data"
#: The fingerprint's parts; `corpus`, `data` and `version` decide the documents' records
#: (corpus, outline, units), `settings` the alignment too.
CORPUS_PARTS = ("corpus", "data", "code", "version")
ALL_PARTS = (*CORPUS_PARTS, "settings")


def fingerprint(corpus_root: Path, settings: AlignSettings | None = None) -> dict[str, str]:
    """The fingerprint of an analysis of the corpus folder with these settings."""
    return {"corpus": folder_digest(corpus_root), "data": folder_digest(DATA),
            "code": folder_digest(CODE, "*.py"), "version": version(),
            "settings": json.dumps(asdict(settings or AlignSettings()), sort_keys=True,
                                   ensure_ascii=False)}


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

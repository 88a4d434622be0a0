"""The SQLite store: one database, `OUT/continuity.db`, holding the whole analysis.

`continuity build` and `align` write it (`write.write_store`) beside the CSV exports,
from the same rows; `corpus`, `outline`, `units`, `diff`, `trace` and `history` answer
from it (`read`, `stored`) when its fingerprint (`fingerprints`) equals that of the
corpus, settings and data files now, and otherwise rebuild it first. A stale store is never
read. Researchers open it as it is (sqlite3, pandas, R, DuckDB, datasette).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from .fingerprints import ALL_PARTS, CORPUS_PARTS, fingerprint
from .layout import APPLICATION_ID, STORE
from .read import stamp

if TYPE_CHECKING:
    from ...analysis.run import Analysis

__all__ = ["ALL_PARTS", "CORPUS_PARTS", "STORE", "fingerprint", "is_store", "staleness",
           "stamp", "write_store"]


def staleness(path: Path, wanted: dict[str, str], parts: tuple[str, ...] = ALL_PARTS
              ) -> str | None:
    """Why the store at `path` cannot answer for the fingerprint `wanted` (its `parts`):
    missing, not continuity's, or made from another corpus, data files, code, settings or
    version; None when it can."""
    found = stamp(path)
    if found is None:
        return ("there is none" if not path.exists()
                else "it is not a store this version of continuity wrote")
    changed = [part for part in parts if found.get(part) != wanted[part]]
    if not changed:
        return None
    names = {"corpus": "the corpus", "data": "continuity's data files",
             "code": "continuity's code", "version": "the version", "settings": "the settings"}
    return " and ".join(names[p] for p in changed) + " changed since it was made"


def write_store(path: Path, analysis: Analysis, stamp: dict[str, str]) -> Path:
    """Write the analysis to a new store at `path` (`write.write_store`)."""
    from .write import write_store as write

    return write(path, analysis, stamp)


def is_store(content: bytes) -> bool:
    """Whether a file's bytes are a database continuity wrote (its application id)."""
    return (content[:16] == b"SQLite format 3\x00"
            and int.from_bytes(content[68:72], "big") == APPLICATION_ID)

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

import json
from dataclasses import asdict
from pathlib import Path

from ...digests import CODE, DATA, folder_digest, version
from ...settings import AlignSettings

__all__ = ["ALL_PARTS", "CODE", "CORPUS_PARTS", "DATA", "fingerprint", "folder_digest",
           "version"]

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


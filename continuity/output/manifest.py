"""The manifest of an output folder: every file continuity wrote there, with its SHA-256.

It is how continuity knows that a folder is its own to replace: a folder is replaced
only when every file in it is listed, unchanged, by its manifest. A report folder's
manifest is `.continuity-manifest` inside it; `continuity align --out OUT` replaces
only OUT/data, and lists it in OUT's manifest (a built site's, or one of its own), so
the data folder holds nothing but the exports. The format is that of `sha256sum`, so
`sha256sum -c .continuity-manifest` checks a report folder by hand. A path may be
listed with two digests for a moment, while a folder is swapped: either content is
continuity's.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Mapping
from pathlib import Path

#: The manifest's file name.
MANIFEST = ".continuity-manifest"

#: Files a file manager leaves in any folder it shows (Finder, Explorer): nobody's work,
#: and no reason to refuse a folder.
LITTER = frozenset({".DS_Store", "Thumbs.db", "desktop.ini", "Desktop.ini"})

#: What a manifest says: relative path (with `/`) → the SHA-256 digests of its content.
Entries = Mapping[str, Iterable[str]]


def digest(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def digests(files: Mapping[str, bytes]) -> dict[str, frozenset[str]]:
    """Manifest entries for `files` (relative path → content)."""
    return {name: frozenset({digest(content)}) for name, content in files.items()}


def manifest_text(entries: Entries) -> str:
    """`sha256  path` lines, sorted by path."""
    return "".join(f"{value}  {name}\n" for name in sorted(entries)
                   for value in sorted(entries[name]))


def read_manifest(folder: Path) -> dict[str, frozenset[str]]:
    """What `folder`'s manifest lists; nothing if it has none."""
    try:
        text = (folder / MANIFEST).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return {}
    entries: dict[str, set[str]] = {}
    for line in text.splitlines():
        value, sep, name = line.partition("  ")
        if sep and len(value) == 64:
            entries.setdefault(name, set()).add(value)
    return {name: frozenset(values) for name, values in entries.items()}


def write_manifest(folder: Path, entries: Entries) -> None:
    """Replace `folder`'s manifest whole (written beside it, then renamed)."""
    temporary = folder / f"{MANIFEST}.{os.getpid()}"
    try:
        temporary.write_text(manifest_text(entries), encoding="utf-8")
        os.replace(temporary, folder / MANIFEST)
    finally:
        temporary.unlink(missing_ok=True)


def relisted(folder: Path, under: str, files: Entries, keep_old: bool = False) -> None:
    """Set what `folder`'s manifest lists under the path prefix `under` ("" for all, or
    "data/") to `files` (paths relative to the prefix), or add them to what it lists
    there (`keep_old`: both the old and the new content count as continuity's)."""
    entries: dict[str, set[str]] = {}
    for name, values in read_manifest(folder).items():
        if keep_old or not name.startswith(under):
            entries[name] = set(values)
    for name, new in files.items():
        entries.setdefault(under + name, set()).update(new)
    write_manifest(folder, entries)


def add_to_manifest(folder: Path, name: str, content: bytes, keep_old: bool = False) -> None:
    """List the file `name` of `folder` with `content` (also with what it listed before:
    `keep_old`), creating the manifest if need be."""
    entries = {k: set(v) for k, v in read_manifest(folder).items()}
    values = entries.setdefault(name, set())
    if not keep_old:
        values.clear()
    values.add(digest(content))
    write_manifest(folder, entries)


#: What a walk learnt of each file it read: the file's size, modification time and
#: inode, and what it was checked against (digests listed, known content) → verdict.
Memo = dict[str, tuple[tuple[object, ...], str | None]]


def strangers(folder: Path, entries: Entries, known: Mapping[str, bytes] | None = None,
              budget: int = 1000, memo: Memo | None = None) -> list[str]:
    """What under `folder` continuity did not make, or changed since it did, by the
    manifest `entries` (paths relative to `folder`): none means the folder is
    continuity's to replace. Files by relative path (with `/`); a folder holding nothing
    of continuity's as one entry, `name/ (N files)`; a file changed since it was written,
    or not a regular file (a link, a socket), with why. `known` names files continuity
    may have left without a manifest, with their exact content (the report folder's
    note). What a file manager leaves (`.DS_Store`, `Thumbs.db`) is nobody's. The walk
    stops after `budget` strange files (the last entry is then `…`), so a home folder
    given by mistake is refused quickly. `memo`, kept from one walk of a folder to the
    next, spares reading again a file that has not changed since (the check before the
    work and the one before the swap: a big site is read once)."""
    scan = _Scan({k: frozenset(v) for k, v in entries.items()}, known or {}, budget,
                 {} if memo is None else memo)
    found, _ = scan.folder(folder, "")
    if scan.budget <= 0:
        found.append(("…", 0))
    return [name for name, _ in found]


class _Scan:
    """One walk of an output folder for `strangers`."""

    def __init__(self, entries: Mapping[str, frozenset[str]], known: Mapping[str, bytes],
                 budget: int, memo: Memo) -> None:
        self.entries, self.known, self.budget, self.memo = entries, known, budget, memo

    def verdict(self, entry: os.DirEntry[str], path: str) -> str | None:
        """Why the file is a stranger (see `_why_stranger`), read once while unchanged."""
        info = entry.stat(follow_symlinks=False)
        listed, known = self.entries.get(path, frozenset()), self.known.get(path)
        signature = (info.st_size, info.st_mtime_ns, info.st_ino, listed, known)
        remembered = self.memo.get(path)
        if remembered is not None and remembered[0] == signature:
            return remembered[1]
        why = _why_stranger(Path(entry.path), listed, known)
        self.memo[path] = (signature, why)
        return why

    def folder(self, folder: Path, relative: str) -> tuple[list[tuple[str, int]], int]:
        """(strange entries with their number of files, number of continuity's files)."""
        with os.scandir(folder) as scan:
            entries = sorted(scan, key=lambda e: e.name)
        found: list[tuple[str, int]] = []
        ours = 0
        for entry in entries:
            if self.budget <= 0:
                break
            path = f"{relative}{entry.name}"
            if entry.is_dir(follow_symlinks=False):
                inner, inner_ours = self.folder(Path(entry.path), f"{path}/")
                files = sum(n for _, n in inner)
                if inner and not inner_ours and len(inner) > 1:
                    found.append((f"{path}/ ({files} files)", files))
                else:
                    found.extend(inner)
                ours += inner_ours
                continue
            if not entry.is_file(follow_symlinks=False):
                why: str | None = "not a regular file"
            elif entry.name in LITTER or entry.name.startswith("._"):
                continue
            elif path == MANIFEST:
                why = None
            else:
                why = self.verdict(entry, path)
            if why is None:
                ours += 1
            else:
                found.append((f"{path} ({why})" if why else path, 1))
                self.budget -= 1
        return found, ours


def _why_stranger(path: Path, listed: frozenset[str], known: bytes | None) -> str | None:
    """None if the file is continuity's, else why not ("" when it never was)."""
    if not listed and known is None:
        return ""
    try:
        with path.open("rb") as handle:
            value = hashlib.file_digest(handle, "sha256").hexdigest()
    except OSError:
        return "unreadable"
    if value in listed or (known is not None and value == digest(known)):
        return None
    return "changed since continuity wrote it"

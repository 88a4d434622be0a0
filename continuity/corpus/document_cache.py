"""Documents read before, kept in the user's cache folder under what they were made from.

Reading a document (clean, structure, units, jieba's segmentation, clause functions) is
a third of a build's work, and it gives the same record as long as the document and the
code that reads it are unchanged. Each record read is kept in the cache under a digest
of everything that decides it: the file's bytes, its manifest entry, continuity's code,
data files and version, and jieba's version and dictionary. A later load whose digest
matches unpickles the record instead (the bundled five: 0.1 s instead of about 1 s);
any change gives another digest, so a stale record is never read. A researcher who adds
one document to a corpus of hundreds has only that one read.

Beside them, for each corpus folder, is what the segmenter answered after its documents
were read, in the last build that had to ask it anything (`segment.Answers`: the words of
aliases' names and targets' phrases, the dictionary words inside tokens): a build whose
documents all come from the cache takes those answers too, and so never loads jieba or
its dictionary (about 0.7 s). Answers are kept under the same reader digest; they do
not depend on the documents, so the folder's answers from an earlier build are right,
only perhaps incomplete (a question they do not answer loads jieba as before).

The cache is the user's private folder (0700), like jinja's compiled templates (pickles
are code as much as those are); a record that cannot be read back is read afresh, and a
folder that cannot be written only costs the time. Records unused for `UNUSED_DAYS` are
removed, and the least recently used beyond `MAX_BYTES` (a synthetic corpus of 300
documents keeps about 230 MB).
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
import time
from dataclasses import dataclass, replace
from pathlib import Path

from ..cachedir import usable_cache_dir
from ..digests import CODE, DATA, folder_digest, version
from ..records import Document, DocumentMeta
from ..text.segment import Answers

#: The cache's subfolder; bump the digit when the record's layout changes.
SUBFOLDER = "documents-1"
#: Records not read for this many days are removed when documents are next loaded.
UNUSED_DAYS = 30
#: ...and the least recently used ones while the records take more than this many bytes.
MAX_BYTES = 2 << 30
_SUFFIX = ".pickle"
#: The ending of a corpus folder's segmenter answers (`DocumentCache.answers_path`).
_ANSWERS = ".answers"


@dataclass(frozen=True, slots=True)
class DocumentCache:
    """Where records are kept (`folder`) and the digest of the code that made them
    (`reader`: continuity's code, data and version, jieba's version and dictionary)."""

    folder: Path
    reader: str

    @classmethod
    def open(cls, root: Path | None = None) -> DocumentCache | None:
        """The cache in the user's cache folder (`root`: another one); None when no folder
        can be made. Records unused for UNUSED_DAYS are removed first."""
        folder = usable_cache_dir(SUBFOLDER, root)
        if folder is None:
            return None
        remove_unused(folder)
        return cls(folder, reader_digest())

    def path(self, meta: DocumentMeta) -> Path | None:
        """Where the record of this document as it is now belongs; None when its file
        cannot be read (reading it then reports why)."""
        try:
            data = meta.file.read_bytes()
        except OSError:
            return None
        hasher = hashlib.sha256(self.reader.encode())
        # where the file lies is no part of what it says: a copied corpus folder is read once
        hasher.update(repr(replace(meta, file=Path(meta.file.name))).encode("utf-8"))
        hasher.update(data)
        return self.folder / (hasher.hexdigest() + _SUFFIX)

    def get(self, path: Path, meta: DocumentMeta) -> Document | None:
        """The record kept at `path`, given `meta` (the entry it was found for, with its
        file's place now), or None when there is none or it cannot be read."""
        found = _read(path)
        return replace(found, meta=meta) if isinstance(found, Document) else None

    def put(self, path: Path, document: Document) -> None:
        """Keep `document` at `path`, atomically (a reader never sees half a record); a
        folder that cannot be written is left alone."""
        _write(self.folder, path, document)

    def answers_path(self, root: Path) -> Path:
        """Where the segmenter's answers for the corpus folder `root` are kept."""
        hasher = hashlib.sha256(self.reader.encode())
        hasher.update(str(Path(root).resolve()).encode("utf-8"))
        return self.folder / (hasher.hexdigest() + _ANSWERS)

    def get_answers(self, path: Path) -> tuple[dict[str, tuple[str, ...]],
                                               dict[str, tuple[str, ...]]] | None:
        """The answers kept at `path` (the words of phrases, the subwords of tokens), or
        None when there are none or they cannot be read."""
        found = _read(path)
        if (isinstance(found, tuple) and len(found) == 2
                and all(isinstance(part, dict) for part in found)):
            return found
        return None

    def put_answers(self, path: Path, answers: Answers) -> None:
        """Keep `answers` at `path`, atomically, as `put` keeps a record."""
        _write(self.folder, path, (answers.words, answers.subwords))


def _read(path: Path) -> object:
    """What is pickled at `path`, marked as used; None when it cannot be read."""
    try:
        with path.open("rb") as stream:
            found = pickle.load(stream)
        os.utime(path)  # used: not removed as unused
    except Exception:  # noqa: BLE001 - missing, cut short or from another layout
        return None
    return found


def _write(folder: Path, path: Path, value: object) -> None:
    """Pickle `value` to `path` atomically (a reader never sees half of it); a folder
    that cannot be written is left alone."""
    try:
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-")
    except OSError:
        return
    try:
        with os.fdopen(fd, "wb") as out:
            pickle.dump(value, out, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except OSError:
        Path(tmp).unlink(missing_ok=True)


def reader_digest() -> str:
    """What decides a document's record besides the document: continuity's code, data
    files and version, and jieba's version and dictionary (`segment.prefix_cache_path`
    names them)."""
    from ..text.segment import prefix_cache_path

    parts = (folder_digest(CODE, "*.py"), folder_digest(DATA), version(),
             prefix_cache_path().name)
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def remove_unused(folder: Path, days: int = UNUSED_DAYS, most: int = MAX_BYTES) -> None:
    """Remove the records (and work files a stopped write left) not used for `days` days,
    then the least recently used while they take more than `most` bytes; best effort."""
    before = time.time() - days * 86400
    entries = []
    try:
        with os.scandir(folder) as scan:  # closed however the reading ends
            for entry in scan:
                try:
                    if entry.is_file():
                        info = entry.stat()
                        entries.append((info.st_mtime, info.st_size, entry.path))
                except OSError:
                    continue  # removed meanwhile by another build sharing the cache
    except OSError:
        return
    total = sum(size for _, size, _ in entries)
    for used, size, path in sorted(entries):
        if used >= before and total <= most:
            break
        try:
            os.unlink(path)
        except OSError:
            continue
        total -= size

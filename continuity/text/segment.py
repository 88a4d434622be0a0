"""The one wrapper around jieba: word segmentation with the domain dictionary loaded once.

jieba keeps its prefix dictionary (≈500,000 words and prefixes) in a marshal cache
that takes about 0.75 s to load, half of a build's start-up. We keep the same
dictionary in a flat file (words, then their counts as an int64 array) that loads
in about 0.15 s; it holds only strings and integers, never code, and it is rebuilt
from jieba whenever jieba or its dictionary changes. Segmentation is unchanged.

jieba itself (its import alone takes about 0.25 s, through pkg_resources) is imported
only when a text must be cut. What the later stages ask of the dictionary (the words of
a name or a phrase, the dictionary words inside a token) is answered from `ANSWERS`
when it holds the answer: a build keeps them beside the documents it read
(`corpus.document_cache`), so a build whose documents all come from the cache needs
neither jieba nor its dictionary.
"""

from __future__ import annotations

import array
import hashlib
import importlib.metadata
import importlib.util
import itertools
import logging
import os
import struct
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from ..cachedir import default_cache_dir
from .terms import domain_terms

if TYPE_CHECKING:
    import jieba

#: Domain terms get at least this frequency, so the segmenter keeps them whole in context.
MIN_TERM_FREQ = 1000
#: First bytes of a prefix-dictionary cache file; bump the digit when the layout changes.
_MAGIC = b"continuity-prefix-dict-1\n"
_HEADER = struct.Struct("<qqq")  # total, number of words, bytes of words


@cache
def tokenizer() -> jieba.Tokenizer:
    """A jieba tokenizer with the domain dictionary added (built on first use, then reused)."""
    import jieba

    jieba.setLogLevel(logging.WARNING)
    tk = jieba.Tokenizer()
    load_prefix_dict(tk)
    for term in domain_terms():
        tk.add_word(term, freq=max(tk.suggest_freq(term, False), MIN_TERM_FREQ))
    return tk


def load_prefix_dict(tk: jieba.Tokenizer, cache_dir: Path | None = None) -> None:
    """Give `tk` jieba's default prefix dictionary, from our cache when there is a fresh one;
    otherwise let jieba build it and write the cache for next time (best effort)."""
    path = prefix_cache_path(cache_dir)
    loaded = read_prefix_dict(path)
    if loaded is not None:
        tk.FREQ, tk.total = loaded
        tk.initialized = True
        return
    tk.initialize()
    try:
        write_prefix_dict(path, tk.FREQ, tk.total)
    except OSError:
        pass  # a read-only home or temp folder only costs the faster start-up


def prefix_cache_path(cache_dir: Path | None = None) -> Path:
    """Where the cache of this jieba's dictionary lives: a name that changes with jieba's
    version, its dictionary file and the machine's byte order (read without importing
    jieba)."""
    jieba_version, dictionary = _jieba_release()
    stat = dictionary.stat()
    key = "|".join(map(str, (jieba_version, dictionary, stat.st_size, stat.st_mtime_ns,
                             sys.byteorder, _MAGIC)))
    digest = hashlib.sha256(key.encode()).hexdigest()[:16]
    return (cache_dir or default_cache_dir()) / f"jieba-prefix-{digest}.bin"


def _jieba_release() -> tuple[str, Path]:
    """jieba's version and the path of its dictionary file, from its installed metadata
    when it has any (jieba unimported), else from jieba itself."""
    spec = importlib.util.find_spec("jieba")
    if spec is not None and spec.origin:
        try:
            return importlib.metadata.version("jieba"), Path(spec.origin).with_name("dict.txt")
        except importlib.metadata.PackageNotFoundError:
            pass
    import jieba

    return jieba.__version__, Path(jieba.__file__).with_name("dict.txt")


def write_prefix_dict(path: Path, freq: dict[str, int], total: int) -> None:
    """Write the dictionary atomically (a reader never sees half a file)."""
    words = "\n".join(freq).encode("utf-8")
    counts = array.array("q", freq.values())
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(_MAGIC + _HEADER.pack(total, len(freq), len(words)))
            out.write(words)
            out.write(counts.tobytes())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def read_prefix_dict(path: Path) -> tuple[dict[str, int], int] | None:
    """The cached dictionary and its total, or None when the file is missing or not whole."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    head = len(_MAGIC) + _HEADER.size
    if not data.startswith(_MAGIC) or len(data) < head:
        return None
    total, n, size = _HEADER.unpack_from(data, len(_MAGIC))
    counts = array.array("q")
    if len(data) != head + size + n * counts.itemsize:
        return None
    try:
        words = data[head:head + size].decode("utf-8").split("\n") if n else []
    except UnicodeDecodeError:
        return None
    counts.frombytes(data[head + size:])
    if len(words) != n:
        return None
    return dict(zip(words, counts, strict=True)), total


def segment(text: str) -> tuple[str, ...]:
    """Words of `text`, in order; concatenated they give `text` back exactly. Each word is
    interned: a corpus repeats a few tens of thousands of words millions of times (300
    documents: 9.6 million tokens), and one string per word instead of one per token is
    a third of the documents' memory; a worker's documents also come back pickled with
    each word once."""
    return tuple(map(sys.intern, tokenizer().cut(text)))


@dataclass(slots=True)
class Answers:
    """What the segmenter answered after the documents were read: the words of names and
    phrases (`phrase_words`) and the dictionary words inside tokens (`subwords`), and
    how many of them were found since they were last kept (`new`)."""

    words: dict[str, tuple[str, ...]] = field(default_factory=dict)
    subwords: dict[str, tuple[str, ...]] = field(default_factory=dict)
    new: int = 0

    def remember(self, words: dict[str, tuple[str, ...]],
                 subwords: dict[str, tuple[str, ...]]) -> None:
        """Take answers kept before (by this jieba, dictionary and domain terms)."""
        self.words.update(words)
        self.subwords.update(subwords)

    def found_since(self, size: int) -> dict[str, tuple[str, ...]]:
        """The subwords found after the first `size` (`len(subwords)` before some work):
        what a worker sends back with its results, so that the building process keeps
        them (`learn`) though it never asked."""
        return dict(itertools.islice(self.subwords.items(), size, None))

    def learn(self, subwords: dict[str, tuple[str, ...]]) -> None:
        """Take subwords a worker found (`found_since`): those this process lacks are new."""
        for token, found in subwords.items():
            if self.subwords.setdefault(token, found) is found:
                self.new += 1


#: This process's answers (a forked worker inherits them).
ANSWERS = Answers()


def phrase_words(text: str) -> tuple[str, ...]:
    """`segment(text)`, remembered in ANSWERS: for the short texts the later stages cut (an
    alias's name, a target's phrase), not for documents."""
    return _remembered(ANSWERS.words, text, segment)


def subwords(token: str) -> tuple[str, ...]:
    """Dictionary words inside a longer token (提质倍增 → 提质, 倍增), as jieba's search mode
    finds them, so that a coined formulation still shares its parts with plainer wording.
    Remembered in ANSWERS."""
    if len(token) <= 2:
        return ()
    return _remembered(ANSWERS.subwords, token, _subwords)


def _remembered(answers: dict[str, tuple[str, ...]], key: str,
                find: Callable[[str], tuple[str, ...]]) -> tuple[str, ...]:
    """`find(key)`, asked once and kept in `answers` (counted as new, to be kept)."""
    found = answers.get(key)
    if found is None:
        found = answers[key] = find(key)
        ANSWERS.new += 1
    return found


def _subwords(token: str) -> tuple[str, ...]:
    freq = tokenizer().FREQ
    found = []
    for n in (2, 3):
        for i in range(len(token) - n + 1):
            gram = token[i:i + n]
            if gram != token and freq.get(gram):
                found.append(gram)
    return tuple(found)

"""Diffs and edit similarity: the one place diff-match-patch and rapidfuzz are used.

Word diffs are rapidfuzz's longest common subsequence of two token sequences (in C,
exact, no deadline): every shared word that can stay in order is kept as equal text,
words are never split, and numbers are tokens of their own (`word_tokens`), so a
redline marks 5.5% → 5% and not the whole phrase around it. No semantic cleanup:
diff-match-patch's `diff_cleanupSemantic` folds short equalities into the edits around
them, which at word level swallowed shared words such as 扩大 and 投资.

Character diffs use diff-match-patch with timeout 0 (no deadline) so results are
identical on every machine: with the library's default of one second a slow machine
silently gets "delete all, insert all". Only ever called on candidate pairs, never
on whole documents.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import cast

import numpy as np
from diff_match_patch import diff_match_patch
from rapidfuzz import process
from rapidfuzz.distance import Indel, Levenshtein

from .segment import subwords

EQUAL, INSERT, DELETE = "equal", "insert", "delete"
_OPS = {0: EQUAL, 1: INSERT, -1: DELETE}

#: A number: digits, a decimal part, a percent sign; not part of a code such as 5G, G318,
#: PM2.5 or 1+N, which stays one word.
_NUMBER = re.compile(r"(?<![A-Za-z0-9.+])\d+(?:\.\d+)?%?(?![A-Za-z0-9+])")
_DIGIT = re.compile(r"\d")
#: A token made of Chinese characters only: one that may be cut into dictionary words.
_HANZI = re.compile(r"^[\u4e00-\u9fff]{4,}$")
#: A run holding a word: a letter, digit or Chinese character, not punctuation alone.
_WORDLIKE = re.compile(r"[0-9A-Za-z\u4e00-\u9fff]")


@dataclass(frozen=True, slots=True)
class DiffSpan:
    """A run of text that is kept (`equal`), added (`insert`) or removed (`delete`)."""

    op: str
    text: str


@dataclass(frozen=True, slots=True)
class WordRun:
    """A run of whole words that is kept (`equal`), added (`insert`) or removed (`delete`)."""

    op: str
    words: tuple[str, ...]

    @property
    def text(self) -> str:
        return "".join(self.words)


@cache
def _engine() -> diff_match_patch:
    dmp = diff_match_patch()
    dmp.Diff_Timeout = 0
    return dmp


def char_diff(a: str, b: str) -> tuple[DiffSpan, ...]:
    """Character-level diff of two strings, cleaned up for people to read."""
    dmp = _engine()
    diffs = dmp.diff_main(a, b, False)
    dmp.diff_cleanupSemantic(diffs)
    return tuple(DiffSpan(_OPS[op], text) for op, text in diffs)


def word_tokens(tokens: Sequence[str]) -> tuple[str, ...]:
    """`tokens` with every number a token of its own: jieba keeps some numbers inside
    words (创建韧性城市2030, 15分钟社区幸福生活圈); a diff must see them apart."""
    if not _DIGIT.search("".join(tokens)):
        return tuple(tokens)
    out: list[str] = []
    for token in tokens:
        if not _DIGIT.search(token):
            out.append(token)
            continue
        cut = 0
        for match in _NUMBER.finditer(token):
            out.extend(x for x in (token[cut:match.start()], match.group()) if x)
            cut = match.end()
        if cut < len(token):
            out.append(token[cut:])
    return tuple(out)


def word_runs(a: Sequence[str], b: Sequence[str]) -> tuple[WordRun, ...]:
    """The word diff of two token sequences: the longest common subsequence of their words
    kept as equal runs, and between two equal runs the words of A removed, then the
    words of B added.

    Numbers are split off first (`word_tokens`). Where the words of A and B differ, the
    diff looks inside them once more, at the dictionary words they are made of
    (`word_pieces`: 有效投资 → 有效 投资), and keeps what those share, so a redline
    shows 投资 kept even when jieba cut 有效投资 / 有 效益 的 投资. Of two equally long
    common subsequences, the one keeping more characters is chosen."""
    runs = _lcs_runs(word_tokens(a), word_tokens(b))
    out: list[WordRun] = []
    k = 0
    while k < len(runs):
        run = runs[k]
        if (run.op == DELETE and k + 1 < len(runs) and runs[k + 1].op == INSERT):
            out.extend(_refine(run.words, runs[k + 1].words))
            k += 2
            continue
        out.append(run)
        k += 1
    return _merged(out)


def word_pieces(token: str) -> tuple[str, ...]:
    """The dictionary words a Chinese token of four or more characters is made of, as many
    as cover it whole with words of two or three characters (生态保护修复 → 生态 保护
    修复); the token itself when there is no such cover. Never single characters: a
    diff over pieces still never cuts 建设 into 建 and 设."""
    return _pieces(token) if _HANZI.match(token) else (token,)


@cache
def _pieces(token: str) -> tuple[str, ...]:
    words = set(subwords(token))
    best: list[tuple[str, ...] | None] = [None] * (len(token) + 1)
    best[0] = ()
    for i in range(len(token)):
        so_far = best[i]
        if so_far is None:
            continue
        for size in (2, 3):
            word = token[i:i + size]
            if len(word) == size and word in words:
                found = best[i + size]
                if found is None or len(so_far) + 1 > len(found):
                    best[i + size] = (*so_far, word)
    whole = best[-1]
    return whole if whole is not None and len(whole) > 1 else (token,)


def _refine(deleted: tuple[str, ...], inserted: tuple[str, ...]) -> tuple[WordRun, ...]:
    """A replacement diffed again over the dictionary words of its tokens, when that
    keeps a shared word; else the replacement as it was."""
    coarse = (WordRun(DELETE, deleted), WordRun(INSERT, inserted))
    pa = tuple(p for t in deleted for p in word_pieces(t))
    pb = tuple(p for t in inserted for p in word_pieces(t))
    if len(pa) == len(deleted) and len(pb) == len(inserted):
        return coarse
    fine = _lcs_runs(pa, pb)
    if any(run.op == EQUAL and _WORDLIKE.search(run.text) for run in fine):
        return fine
    return coarse


def _lcs_runs(a: tuple[str, ...], b: tuple[str, ...]) -> tuple[WordRun, ...]:
    """Runs of the longest common subsequence of `a` and `b` (computed forwards and
    backwards, keeping the one with more characters equal)."""
    forward = _opcodes(a, b)
    if a and b:
        backward = _reversed_opcodes(a, b)
        if _kept(a, backward) > _kept(a, forward):
            return _runs(a, b, backward)
    return _runs(a, b, forward)


def _merged(runs: list[WordRun]) -> tuple[WordRun, ...]:
    """Adjacent runs of the same kind joined; between two equal runs, deletions first."""
    out: list[WordRun] = []
    for run in runs:
        if out and out[-1].op == run.op:
            out[-1] = WordRun(run.op, out[-1].words + run.words)
        else:
            out.append(run)
    return tuple(out)


def word_diff(a: Sequence[str], b: Sequence[str]) -> tuple[DiffSpan, ...]:
    """Diff of two token sequences as text spans: words are never split (`word_runs`)."""
    return tuple(DiffSpan(run.op, run.text) for run in word_runs(a, b))


_Opcode = tuple[str, int, int, int, int]


def _opcodes(a: tuple[str, ...], b: tuple[str, ...]) -> list[_Opcode]:
    return cast(list[_Opcode], Indel.opcodes(a, b).as_list())  # tuples, made in C


def _reversed_opcodes(a: tuple[str, ...], b: tuple[str, ...]) -> list[_Opcode]:
    """Opcodes of the reversed sequences, mapped back to positions in `a` and `b`: where
    several subsequences are longest, the diff backwards keeps another of them."""
    n, m = len(a), len(b)
    return [(tag, n - i2, n - i1, m - j2, m - j1)
            for tag, i1, i2, j1, j2 in reversed(_opcodes(a[::-1], b[::-1]))]


def _runs(a: tuple[str, ...], b: tuple[str, ...], opcodes: list[_Opcode]) -> tuple[WordRun, ...]:
    out: list[WordRun] = []
    deleted: list[str] = []
    inserted: list[str] = []

    def flush() -> None:
        if deleted:
            out.append(WordRun(DELETE, tuple(deleted)))
        if inserted:
            out.append(WordRun(INSERT, tuple(inserted)))
        deleted.clear()
        inserted.clear()

    for tag, i1, i2, j1, j2 in opcodes:
        if tag == "equal":
            flush()
            out.append(WordRun(EQUAL, a[i1:i2]))
        else:
            deleted.extend(a[i1:i2])
            inserted.extend(b[j1:j2])
    flush()
    return tuple(out)


def _kept(a: tuple[str, ...], opcodes: list[_Opcode]) -> int:
    """How many characters of `a` the opcodes keep."""
    return sum(len(w) for tag, i1, i2, _, _ in opcodes if tag == "equal" for w in a[i1:i2])


def similarity(a: str, b: str) -> float:
    """1 − Levenshtein distance / length of the longer string (1.0 for identical text).

    Computed by rapidfuzz (C, exact): alignment asks this of every candidate pair,
    where a diff-match-patch diff per pair would cost seconds.
    """
    return float(Levenshtein.normalized_similarity(a, b))


def similarities(left: Sequence[str], right: Sequence[str]) -> np.ndarray:
    """`similarity` of each pair (left[k], right[k]), computed in C for all pairs at once."""
    if not len(left):
        return np.zeros(0)
    scores = process.cpdist(left, right, scorer=Levenshtein.normalized_similarity, workers=1)
    return np.asarray(scores, dtype=np.float64)

"""Word diffs and edit similarity: the one place rapidfuzz is used.

Word diffs are rapidfuzz's longest common subsequence of two token sequences (in C,
exact, no deadline): every shared word that can stay in order is kept as equal text,
words are never split, and numbers are tokens of their own (`word_tokens`), so a
redline marks 5.5% → 5% and not the whole phrase around it. No semantic cleanup:
diff-match-patch's `diff_cleanupSemantic` folds short equalities into the edits around
them, which at word level swallowed shared words such as 扩大 and 投资.
Only ever called on candidate pairs, never on whole documents.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from functools import cache
from types import ModuleType
from typing import TYPE_CHECKING, cast

# The spans and runs live in `records` (light to import, for the commands that answer from
# the store); named here as well, for the modules that use them.
from ..records import DELETE as DELETE
from ..records import EQUAL as EQUAL
from ..records import INSERT as INSERT
from ..records import DiffSpan as DiffSpan
from ..records import WordRun as WordRun

if TYPE_CHECKING:  # numpy only for alignment's `similarities`, jieba only for `word_pieces`
    import numpy as np


@cache
def _distance() -> ModuleType:
    """rapidfuzz's distances, imported when a diff or a similarity is first made: the
    commands that answer from the store read the redlines the build kept and make none
    (importing rapidfuzz was 8 ms of each of their starts)."""
    from rapidfuzz import distance

    return distance

#: How a diff finds the dictionary words a long token is made of (`word_pieces`); the
#: store reads them from its `word_pieces` table instead, without loading jieba.
Pieces = Callable[[str], tuple[str, ...]]

#: A number: digits, a decimal part, a percent sign; not part of a code such as 5G, G318,
#: PM2.5 or 1+N, which stays one word.
_NUMBER = re.compile(r"(?<![A-Za-z0-9.+])\d+(?:\.\d+)?%?(?![A-Za-z0-9+])")
_DIGIT = re.compile(r"\d")
#: A token made of Chinese characters only: one that may be cut into dictionary words.
_HANZI = re.compile(r"^[\u4e00-\u9fff]{4,}$")
#: A run holding a word: a letter, digit or Chinese character, not punctuation alone.
_WORDLIKE = re.compile(r"[0-9A-Za-z\u4e00-\u9fff]")


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


def word_runs(a: Sequence[str], b: Sequence[str], pieces: Pieces | None = None
              ) -> tuple[WordRun, ...]:
    """The word diff of two token sequences: the longest common subsequence of their words
    kept as equal runs, and between two equal runs the words of A removed, then the
    words of B added.

    Numbers are split off first (`word_tokens`). Where the words of A and B differ, the
    diff looks inside them once more, at the dictionary words they are made of
    (`word_pieces`: 有效投资 → 有效 投资), and keeps what those share, so a redline
    shows 投资 kept even when jieba cut 有效投资 / 有 效益 的 投资. Of two equally long
    common subsequences, the one keeping more characters is chosen. `pieces` finds those
    dictionary words (default `word_pieces`)."""
    out: list[WordRun] = []
    for deleted, inserted in _blocks(word_tokens(a), word_tokens(b)):
        changed = deleted is not inserted
        refined = (_refine(deleted, inserted, pieces or word_pieces)
                   if changed and deleted and inserted else None)
        if refined is not None:
            for fine_deleted, fine_inserted in refined:
                _add(out, fine_deleted, fine_inserted)
        else:
            _add(out, deleted, inserted)
    return tuple(out)


def word_diff(a: Sequence[str], b: Sequence[str], pieces: Pieces | None = None
              ) -> tuple[DiffSpan, ...]:
    """Diff of two token sequences as text spans: words are never split (`word_runs`)."""
    return tuple(DiffSpan(run.op, run.text) for run in word_runs(a, b, pieces))


@cache
def word_pieces(token: str) -> tuple[str, ...]:
    """The dictionary words a Chinese token of four or more characters is made of, as many
    as cover it whole with words of two or three characters (生态保护修复 → 生态 保护
    修复); the token itself when there is no such cover. Never single characters: a
    diff over pieces still never cuts 建设 into 建 and 设."""
    if not _HANZI.match(token):
        return (token,)
    from .segment import subwords  # jieba's dictionary: loaded on first use

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


#: A block of a diff: the words kept (deleted is inserted), or the words of A removed and
#: the words of B added between two kept blocks (either may be empty).
_Block = tuple[tuple[str, ...], tuple[str, ...]]
_Opcode = tuple[str, int, int, int, int]


def _add(out: list[WordRun], deleted: tuple[str, ...], inserted: tuple[str, ...]) -> None:
    """Append a block to runs, joining it to a run of the same kind before it."""
    for op, words in (((EQUAL, deleted),) if deleted is inserted
                      else ((DELETE, deleted), (INSERT, inserted))):
        if not words:
            continue
        if out and out[-1].op == op:
            out[-1] = WordRun(op, out[-1].words + words)
        else:
            out.append(WordRun(op, words))


def _refine(deleted: tuple[str, ...], inserted: tuple[str, ...], pieces: Pieces
            ) -> list[_Block] | None:
    """A replacement diffed again over the dictionary words of its tokens, when that keeps
    a shared word; None when it does not."""
    if all(len(t) < 4 for t in deleted) and all(len(t) < 4 for t in inserted):
        return None  # only tokens of four characters or more are made of pieces
    pa = tuple(p for t in deleted for p in pieces(t))
    pb = tuple(p for t in inserted for p in pieces(t))
    if len(pa) == len(deleted) and len(pb) == len(inserted):
        return None
    fine = _blocks(pa, pb)
    if any(d is i and _WORDLIKE.search("".join(d)) for d, i in fine):
        return fine
    return None


def _blocks(a: tuple[str, ...], b: tuple[str, ...]) -> list[_Block]:
    """The blocks of the longest common subsequence of `a` and `b`: computed forwards and
    backwards (where several are longest, the other direction keeps another), keeping
    the one with more characters equal."""
    opcodes = _opcodes(a, b)
    if a and b and len(opcodes) > 1:
        n, m = len(a), len(b)
        backward = [(tag, n - i2, n - i1, m - j2, m - j1)
                    for tag, i1, i2, j1, j2 in reversed(_opcodes(a[::-1], b[::-1]))]
        if _kept(a, backward) > _kept(a, opcodes):
            opcodes = backward
    out: list[_Block] = []
    i_start = j_start = 0  # where the change since the last kept block began
    for tag, i1, i2, j1, j2 in opcodes:
        if tag == "equal":
            if i1 > i_start or j1 > j_start:
                out.append((a[i_start:i1], b[j_start:j1]))
            kept = a[i1:i2]
            out.append((kept, kept))
            i_start, j_start = i2, j2
    if i_start < len(a) or j_start < len(b):
        out.append((a[i_start:], b[j_start:]))
    return out


def _opcodes(a: tuple[str, ...], b: tuple[str, ...]) -> list[_Opcode]:
    return cast(list[_Opcode], _distance().Indel.opcodes(a, b).as_list())  # tuples, in C


def _kept(a: tuple[str, ...], opcodes: list[_Opcode]) -> int:
    """How many characters of `a` the opcodes keep."""
    return sum(len(w) for tag, i1, i2, _, _ in opcodes if tag == "equal" for w in a[i1:i2])


def similarity(a: str, b: str) -> float:
    """1 − Levenshtein distance / length of the longer string (1.0 for identical text).

    Computed by rapidfuzz (C, exact): alignment asks this of every candidate pair,
    where a diff-match-patch diff per pair would cost seconds.
    """
    return float(_distance().Levenshtein.normalized_similarity(a, b))


def similarities(left: Sequence[str], right: Sequence[str]) -> np.ndarray:
    """`similarity` of each pair (left[k], right[k]), computed in C for all pairs at once."""
    import numpy as np
    from rapidfuzz import process

    if not len(left):
        return np.zeros(0)
    scores = process.cpdist(left, right, scorer=_distance().Levenshtein.normalized_similarity,
                            workers=1)
    return np.asarray(scores, dtype=np.float64)

"""Diffs and edit similarity: the one place diff-match-patch and rapidfuzz are used.

Timeout 0 (no deadline) so results are identical on every machine: with the
library's default of one second a slow machine silently gets "delete all,
insert all". Only ever called on candidate pairs, never on whole documents.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

import numpy as np
from diff_match_patch import diff_match_patch
from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

EQUAL, INSERT, DELETE = "equal", "insert", "delete"
_OPS = {0: EQUAL, 1: INSERT, -1: DELETE}


@dataclass(frozen=True, slots=True)
class DiffSpan:
    """A run of text that is kept (`equal`), added (`insert`) or removed (`delete`)."""

    op: str
    text: str


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


def word_diff(a: Sequence[str], b: Sequence[str]) -> tuple[DiffSpan, ...]:
    """Diff of two token sequences: words are never split (one character stands for a token)."""
    table: dict[str, str] = {}

    def encode(tokens: Sequence[str]) -> str:
        return "".join(table.setdefault(t, chr(0xE000 + len(table))) if len(table) < 6400
                       else table.setdefault(t, chr(0xF0000 + len(table))) for t in tokens)

    ea, eb = encode(a), encode(b)
    decode = {v: k for k, v in table.items()}
    dmp = _engine()
    diffs = dmp.diff_main(ea, eb, False)
    dmp.diff_cleanupSemantic(diffs)
    return tuple(DiffSpan(_OPS[op], "".join(decode[c] for c in text)) for op, text in diffs)


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

"""TF-IDF vectors of clauses over sparse matrices (the only module that uses numpy/scipy).

Features are jieba words (two characters or more) and character bigrams, each
block TF-IDF weighted (sublinear tf, smoothed idf over all clauses of the
corpus) and L2-normalised, then mixed. Built directly on scipy.sparse:
scikit-learn's vectoriser would do the same but costs more than a second to import.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

_CONTENT = re.compile(r"[0-9A-Za-z\u4e00-\u9fff]")
_STRIP = re.compile(r"[^0-9A-Za-z\u4e00-\u9fff]+")


def words(tokens: Sequence[str]) -> list[str]:
    """Content words: tokens of two or more characters with a letter, digit or CJK character."""
    return [t for t in tokens if len(t) >= 2 and _CONTENT.search(t)]


def bigrams(norm: str) -> list[str]:
    """Character bigrams of the text with punctuation removed."""
    plain = _STRIP.sub("", norm)
    return [plain[i:i + 2] for i in range(len(plain) - 1)]


@dataclass(frozen=True, slots=True)
class Vectors:
    """Row i is clause i: `matrix` (L2-normalised TF-IDF), `idf` per feature, `vocab` names."""

    matrix: sp.csr_matrix
    idf: np.ndarray
    vocab: dict[str, int]
    df: np.ndarray


def build_vectors(token_lists: Sequence[Sequence[str]], norms: Sequence[str],
                  word_weight: float = 0.6) -> Vectors:
    """TF-IDF vectors of clauses given their tokens and normalised texts."""
    feature_lists = [
        [("w", w) for w in words(toks)] + [("c", b) for b in bigrams(norm)]
        for toks, norm in zip(token_lists, norms, strict=True)
    ]
    vocab: dict[str, int] = {}
    rows, cols, vals = [], [], []
    for i, feats in enumerate(feature_lists):
        counts = Counter(f"{kind}:{name}" for kind, name in feats)
        for key, n in counts.items():
            j = vocab.setdefault(key, len(vocab))
            rows.append(i)
            cols.append(j)
            vals.append(1.0 + math.log(n))
    n_rows = len(feature_lists)
    tf = sp.csr_matrix((vals, (rows, cols)), shape=(n_rows, len(vocab)), dtype=np.float64)
    df = np.bincount(tf.indices, minlength=len(vocab)).astype(np.float64)
    idf = np.log((1.0 + n_rows) / (1.0 + df)) + 1.0
    weighted = tf.multiply(idf.reshape(1, -1)).tocsr()
    is_word = np.array([k.startswith("w:") for k in vocab], dtype=bool)
    blocks = []
    for mask, weight in ((is_word, word_weight), (~is_word, 1.0 - word_weight)):
        block = weighted.multiply(mask.reshape(1, -1)).tocsr()
        blocks.append(_l2(block) * math.sqrt(weight))
    matrix = _l2(blocks[0] + blocks[1])
    return Vectors(matrix=matrix.tocsr(), idf=idf, vocab=vocab, df=df)


def _l2(m: sp.csr_matrix) -> sp.csr_matrix:
    norms = np.sqrt(np.asarray(m.multiply(m).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sp.diags(1.0 / norms) @ m


def top_pairs(left: sp.csr_matrix, right: sp.csr_matrix, keep: int,
              floor: float) -> list[tuple[int, int, float]]:
    """(row of left, row of right, dot) for each left row's `keep` best right rows above `floor`.

    Computed in row blocks so memory grows with the pairs kept, not with left × right.
    """
    out: list[tuple[int, int, float]] = []
    right_t = right.T.tocsc()
    block = 512
    for start in range(0, left.shape[0], block):
        product = (left[start:start + block] @ right_t).tocsr()
        for r in range(product.shape[0]):
            lo, hi = product.indptr[r], product.indptr[r + 1]
            if lo == hi:
                continue
            data = product.data[lo:hi]
            idx = product.indices[lo:hi]
            good = data >= floor
            if not good.any():
                continue
            data, idx = data[good], idx[good]
            if len(data) > keep:
                part = np.argpartition(-data, keep - 1)[:keep]
                data, idx = data[part], idx[part]
            for j, v in zip(idx.tolist(), data.tolist(), strict=True):
                out.append((start + r, j, v))
    return out

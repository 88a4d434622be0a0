"""TF-IDF vectors of clauses over sparse matrices (the only module that uses numpy/scipy).

Features are jieba words (two characters or more, plus the dictionary words
inside longer ones), character bigrams of the whole clause and its rare single
characters, each block TF-IDF weighted (sublinear tf, smoothed idf over all
clauses of the corpus) and L2-normalised, then mixed. Rare characters carry
abbreviations that share no word or bigram with the full name (成眉线 and
成都至眉山线 share 眉; 军民 and 军地 share 军); common characters say nothing and are
left out of that block. Built directly on scipy.sparse:
scikit-learn's vectoriser would do the same but costs more than a second to import.
"""

from __future__ import annotations

import array
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from ..text.segment import subwords

_CONTENT = re.compile(r"[0-9A-Za-z\u4e00-\u9fff]")
_STRIP = re.compile(r"[^0-9A-Za-z\u4e00-\u9fff]+")
_CJK = re.compile(r"[\u4e00-\u9fff]")
#: Feature-name prefixes of the three blocks.
WORD, BIGRAM, CHAR = "w:", "c:", "u:"


def words(tokens: Sequence[str]) -> list[str]:
    """Content words: tokens of two or more characters with a letter, digit or CJK character."""
    return [t for t in tokens if len(t) >= 2 and _CONTENT.search(t)]


def word_features(tokens: Sequence[str]) -> list[str]:
    """Content words plus the dictionary words inside the longer ones (提质倍增 → 倍增)."""
    out = []
    for word in words(tokens):
        out.append(word)
        out.extend(subwords(word))
    return out


def text_bigrams(norm: str) -> list[str]:
    """Character bigrams of the text with punctuation removed."""
    plain = _STRIP.sub("", norm)
    return [plain[i:i + 2] for i in range(len(plain) - 1)]


def text_characters(norm: str) -> list[str]:
    """The CJK characters of the text (a block of their own: see `build_vectors`)."""
    return _CJK.findall(norm)


#: A clause's features: (words, character bigrams, single characters).
Features = tuple[Sequence[str], Sequence[str], Sequence[str]]


def clause_features(tokens: Sequence[str], norm: str) -> tuple[list[str], list[str], list[str]]:
    """(word features, bigram features, character features) of one clause."""
    return word_features(tokens), text_bigrams(norm), text_characters(norm)


def feature_keys(features: Features, chars: bool = True) -> list[str]:
    """The vocabulary keys of a clause's features: the block's prefix and the feature."""
    words, bigrams, characters = features
    keys = [WORD + w for w in words] + [BIGRAM + b for b in bigrams]
    return keys + [CHAR + ch for ch in characters] if chars else keys


@dataclass(frozen=True, slots=True)
class Vectors:
    """Row i is clause i: `matrix` (L2-normalised TF-IDF), `idf` per feature, `vocab` names."""

    matrix: sp.csr_matrix
    idf: np.ndarray
    vocab: dict[str, int]
    df: np.ndarray


def build_vectors(features: Iterable[Features], word_weight: float = 0.3,
                  char_weight: float = 0.0, char_min_idf: float = 0.0) -> Vectors:
    """TF-IDF vectors from each clause's (word, bigram, character) features. `features` may
    be a generator: each clause's lists are read once and can be dropped, and feature
    ids are kept as machine integers, so memory stays near the size of the matrix.

    The character block weighs `char_weight` and keeps only characters of idf ≥
    `char_min_idf`; words and bigrams share the rest as `word_weight` says.
    """
    vocab: dict[str, int] = {}
    add = vocab.setdefault
    cols = array.array("q")
    lengths = array.array("q")
    for found in features:
        keys = feature_keys(found, chars=char_weight > 0)
        cols.extend([add(k, len(vocab)) for k in keys])
        lengths.append(len(keys))
    n_rows = len(lengths)
    rows = np.repeat(np.arange(n_rows, dtype=np.int64), np.frombuffer(lengths, dtype=np.int64))
    counts = sp.csr_matrix((np.ones(len(cols)), (rows, np.frombuffer(cols, dtype=np.int64))),
                           shape=(n_rows, len(vocab)), dtype=np.float64)  # duplicates summed
    counts.sum_duplicates()
    tf = sp.csr_matrix((1.0 + np.log(counts.data), counts.indices, counts.indptr),
                       shape=counts.shape)
    df = np.bincount(tf.indices, minlength=len(vocab)).astype(np.float64)
    idf = np.log((1.0 + n_rows) / (1.0 + df)) + 1.0
    weighted = sp.csr_matrix(tf.multiply(idf.reshape(1, -1)))
    kinds = np.array([k[:2] for k in vocab], dtype="<U2")
    blocks = []
    for mask, weight in ((kinds == WORD, word_weight * (1.0 - char_weight)),
                         (kinds == BIGRAM, (1.0 - word_weight) * (1.0 - char_weight)),
                         ((kinds == CHAR) & (idf >= char_min_idf), char_weight)):
        if weight > 0:
            block = weighted.multiply(mask.reshape(1, -1)).tocsr()
            blocks.append(l2_rows(block) * math.sqrt(weight))
    matrix = l2_rows(sum(blocks[1:], blocks[0]) if blocks else weighted)
    matrix.eliminate_zeros()  # the common characters' columns
    return Vectors(matrix=matrix.tocsr(), idf=idf, vocab=vocab, df=df)


def l2_rows(m: sp.csr_matrix) -> sp.csr_matrix:
    """Each row scaled to unit length (empty rows stay empty), so dot products are cosines."""
    norms = np.sqrt(np.asarray(m.multiply(m).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sp.csr_matrix(sp.diags(1.0 / norms) @ m)


def top_pairs(left: sp.csr_matrix, right: sp.csr_matrix, keep: int,
              floor: float) -> list[tuple[int, int, float]]:
    """(row of left, row of right, dot) for each left row's `keep` best right rows at or above
    `floor`, ties broken by lower right row (one group: see `top_pairs_by_group`)."""
    rows, cols, data = top_pairs_by_group(left, right, np.zeros(right.shape[0], dtype=np.int64),
                                          keep, floor)
    return list(zip(rows.tolist(), cols.tolist(), data.tolist(), strict=True))


def top_pairs_by_group(left: sp.csr_matrix, right: sp.csr_matrix, groups: np.ndarray,
                       keep: int, floor: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For each left row and each group of right rows (`groups[j]` is row j's group): the
    `keep` best right rows by dot product at or above `floor`, ties broken by lower row.

    One sparse product per block of left rows against all right rows, so a corpus of
    many documents costs one product per source document, not one per pair of them.
    Returns parallel arrays (left row, right row, dot).
    """
    out_rows, out_cols, out_data = [], [], []
    right_t = right.T.tocsc()
    n_groups = int(groups.max()) + 1 if len(groups) else 1
    block = 2048
    for start in range(0, left.shape[0], block):
        product = sp.csr_matrix(left[start:start + block] @ right_t)
        product.sort_indices()  # each row's columns in order, so a key's entries are too
        found = product.tocoo()
        good = found.data >= floor
        rows, cols, data = found.row[good], found.col[good], found.data[good]
        if not len(data):
            continue
        key = rows.astype(np.int64) * n_groups + groups[cols]
        # by key, then falling dot, ties by lower right row: the entries of a key are in
        # row order already and lexsort is stable, so two keys order them as three would
        # (in half the time: this sort was a sixth of alignment's time)
        order = np.lexsort((-data, key))
        key, rows, cols, data = key[order], rows[order], cols[order], data[order]
        first = np.searchsorted(key, key, side="left")
        mask = (np.arange(len(key)) - first) < keep
        out_rows.append(rows[mask].astype(np.int64) + start)
        out_cols.append(cols[mask].astype(np.int64))
        out_data.append(data[mask])
    if not out_rows:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, np.zeros(0)
    return np.concatenate(out_rows), np.concatenate(out_cols), np.concatenate(out_data)

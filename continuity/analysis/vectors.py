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
import itertools
import math
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from .features import BIGRAM as BIGRAM
from .features import CHAR as CHAR
from .features import WORD as WORD
from .features import DocumentFeatures, feature_keys
from .features import Features as Features
from .features import clause_features as clause_features
from .features import text_bigrams as text_bigrams
from .features import text_characters as text_characters
from .features import word_features as word_features
from .features import words as words


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
    return _weighted(vocab, np.frombuffer(cols, dtype=np.int64),
                     np.frombuffer(lengths, dtype=np.int64), word_weight, char_weight,
                     char_min_idf)


def vectors_of(documents: Sequence[DocumentFeatures], word_weight: float = 0.3,
               char_weight: float = 0.0, char_min_idf: float = 0.0
               ) -> tuple[Vectors, tuple[frozenset[str], ...]]:
    """`build_vectors` from the documents' features read apart (`features.corpus_features`,
    with the same `char_weight`), and each clause's evidence words. Each document's
    vocabulary is merged in document order, so every key takes the column it takes when
    the clauses are read one after another: the same vectors."""
    vocab: dict[str, int] = {}
    add = vocab.setdefault
    cols: list[np.ndarray] = []
    chosen: list[list[int]] = []  # each document's evidence words, as columns
    for document in documents:
        local = np.array([add(k, len(vocab)) for k in document.keys()], dtype=np.int64)
        cols.append(local[np.frombuffer(document.cols, dtype=np.int64)])
        chosen.append(local[np.frombuffer(document.evidence, dtype=np.int64)].tolist())
    # each column's key less its prefix (a word key's word): one string per word of the
    # corpus, however many clauses have it
    word_at = [k[len(WORD):] for k in vocab]
    evidence: list[frozenset[str]] = []
    for document, columns in zip(documents, chosen, strict=True):
        names = list(map(word_at.__getitem__, columns))
        evidence.extend(frozenset(names[a:b]) for a, b in _spans(document.evidence_lengths))
    lengths = [np.frombuffer(d.lengths, dtype=np.int64) for d in documents]
    vectors = _weighted(vocab, np.concatenate(cols) if cols else np.zeros(0, dtype=np.int64),
                        np.concatenate(lengths) if lengths else np.zeros(0, dtype=np.int64),
                        word_weight, char_weight, char_min_idf)
    return vectors, tuple(evidence)


def _spans(lengths: Iterable[int]) -> Iterator[tuple[int, int]]:
    """(start, end) of consecutive runs of these lengths."""
    return itertools.pairwise(itertools.accumulate(lengths, initial=0))


def _weighted(vocab: dict[str, int], cols: np.ndarray, lengths: np.ndarray,
              word_weight: float, char_weight: float, char_min_idf: float) -> Vectors:
    """The vectors of rows whose features are `cols` (vocabulary ids, row after row;
    `lengths`: how many each row has)."""
    n_rows = len(lengths)
    rows = np.repeat(np.arange(n_rows, dtype=np.int64), lengths)
    counts = sp.csr_matrix((np.ones(len(cols)), (rows, cols)),
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

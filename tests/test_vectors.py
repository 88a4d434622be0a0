"""TF-IDF vectors and the best-pairs search over them (continuity/analysis/vectors.py)."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import given
from hypothesis import strategies as st

from continuity.analysis.vectors import (
    build_vectors,
    clause_features,
    text_bigrams,
    text_characters,
    top_pairs,
    top_pairs_by_group,
    word_features,
    words,
)
from continuity.text.segment import segment


@pytest.mark.parametrize(
    ("tokens", "expected"),
    [
        (("加快", "建设", "网络", "强省", "、", "数字", "四川", "。"),
         ["加快", "建设", "网络", "强省", "数字", "四川"]),
        # one character, punctuation: out
        (("的", "和", "5G", "A", ",", "——", "2030"), ["5G", "2030"]),
        ((), []),
    ],
)
def test_words(tokens: tuple[str, ...], expected: list[str]) -> None:
    assert words(tokens) == expected


def test_word_features_add_dictionary_words_inside_longer_ones() -> None:
    features = word_features(("推动", "高质量发展"))
    assert features[:2] == ["推动", "高质量发展"]
    assert "发展" in features and "质量" in features
    assert word_features(("推动",)) == ["推动"]  # two characters: nothing inside


def test_text_bigrams_ignore_punctuation() -> None:
    assert text_bigrams("数字四川,") == ["数字", "字四", "四川"]
    assert text_bigrams("网络、强省") == ["网络", "络强", "强省"]
    assert text_bigrams("。") == [] and text_bigrams("川") == []


def test_text_characters_are_the_cjk_ones() -> None:
    assert text_characters("成眉线(S5)、5G。") == ["成", "眉", "线"]


def test_clause_features() -> None:
    norm = "加快建设数字四川。"
    assert clause_features(segment(norm), norm) == (word_features(segment(norm)),
                                                     text_bigrams(norm), text_characters(norm))


def features_of(*texts: str) -> list[tuple[list[str], list[str], list[str]]]:
    return [clause_features(segment(t), t) for t in texts]


def test_vectors_rows_are_unit_length_and_identical_texts_identical() -> None:
    vectors = build_vectors(features_of("加快建设数字四川。", "加快建设数字四川。",
                                        "提高粮食综合生产能力。", "。"))
    m = vectors.matrix
    norms = np.sqrt(np.asarray(m.multiply(m).sum(axis=1)).ravel())
    assert norms[:3] == pytest.approx([1.0, 1.0, 1.0])
    assert norms[3] == 0.0  # a clause with no features is a zero row, not NaN
    cos = (m @ m.T).toarray()
    assert cos[0, 1] == pytest.approx(1.0)
    assert cos[0, 2] == pytest.approx(0.0)
    assert not np.isnan(m.toarray()).any()


def test_rarer_features_weigh_more() -> None:
    vectors = build_vectors([(["建设"], [], []), (["建设"], [], []), (["建设", "枫桥"], [], [])])
    idf = {k: vectors.idf[i] for k, i in vectors.vocab.items()}
    assert idf["w:枫桥"] > idf["w:建设"]
    assert vectors.df[vectors.vocab["w:建设"]] == 3


@pytest.mark.parametrize("weight", [0.0, 0.3, 1.0])
def test_word_weight_mixes_the_two_blocks(weight: float) -> None:
    vectors = build_vectors(features_of("加快建设数字四川。", "加快建设网络强省。"),
                            word_weight=weight)
    row = vectors.matrix.getrow(0).toarray().ravel()
    is_word = np.array([k.startswith("w:") for k in vectors.vocab])
    assert float((row[is_word] ** 2).sum()) == pytest.approx(weight)
    assert float((row[~is_word] ** 2).sum()) == pytest.approx(1.0 - weight)


def test_rare_characters_link_an_abbreviation_to_its_full_name() -> None:
    texts = ("建设成眉线。", "建成成都至眉山线。", "建设成德线。", "建设数字四川。")
    without = build_vectors(features_of(*texts)).matrix
    with_chars = build_vectors(features_of(*texts), char_weight=0.2, char_min_idf=1.5).matrix
    assert (without @ without.T).toarray()[0, 1] == 0.0  # no shared word or bigram
    assert (with_chars @ with_chars.T).toarray()[0, 1] > 0.0  # 眉 and 线


def test_common_characters_are_left_out() -> None:
    vectors = build_vectors(features_of("建设眉山。", "建设德阳。", "建设乐山。"),
                            char_weight=0.2, char_min_idf=1.5)
    used = {k for k, i in vectors.vocab.items() if vectors.matrix[:, i].nnz}
    assert "u:眉" in used and "u:建" not in used  # 建 is in every clause


@pytest.mark.parametrize("char_weight", [0.0, 0.15, 0.5])
def test_char_weight_is_the_share_of_the_character_block(char_weight: float) -> None:
    vectors = build_vectors(features_of("建设眉山。", "建设德阳。"), word_weight=0.3,
                            char_weight=char_weight, char_min_idf=1.2)
    row = vectors.matrix.getrow(0).toarray().ravel()
    kinds = np.array([k[:2] for k in vectors.vocab])
    assert float((row[kinds == "u:"] ** 2).sum()) == pytest.approx(char_weight)
    assert float((row[kinds == "w:"] ** 2).sum()) == pytest.approx(0.3 * (1 - char_weight))


def brute_force(left: np.ndarray, right: np.ndarray, keep: int, floor: float) -> list:
    product = left @ right.T
    out = []
    for i in range(product.shape[0]):
        order = sorted((j for j in range(product.shape[1])
                        if product[i, j] != 0 and product[i, j] >= floor),
                       key=lambda j: (-product[i, j], j))
        out.extend((i, j, product[i, j]) for j in order[:keep])
    return out


@given(st.integers(0, 10_000), st.integers(1, 4), st.sampled_from([0.0, 0.2, 0.5]))
def test_top_pairs_equals_brute_force(seed: int, keep: int, floor: float) -> None:
    rng = np.random.default_rng(seed)
    left = np.where(rng.random((7, 5)) < 0.5, rng.integers(0, 3, (7, 5)), 0).astype(float)
    right = np.where(rng.random((6, 5)) < 0.5, rng.integers(0, 3, (6, 5)), 0).astype(float)
    got = top_pairs(sp.csr_matrix(left), sp.csr_matrix(right), keep, floor)
    want = brute_force(left, right, keep, floor)
    assert [(i, j) for i, j, _ in got] == [(i, j) for i, j, _ in want]
    assert [s for *_, s in got] == pytest.approx([s for *_, s in want])


def test_top_pairs_ties_go_to_the_lower_right_row_and_blocks_keep_row_numbers() -> None:
    n = 2048 + 5  # more than one block of left rows
    left = sp.csr_matrix(np.ones((n, 1)))
    right = sp.csr_matrix(np.ones((4, 1)))
    pairs = top_pairs(left, right, keep=2, floor=0.5)
    assert len(pairs) == 2 * n
    assert pairs[-2:] == [(n - 1, 0, 1.0), (n - 1, 1, 1.0)]
    assert {(i, j) for i, j, _ in pairs} == {(i, j) for i in range(n) for j in (0, 1)}
    assert top_pairs(left, right, keep=2, floor=1.5) == []


@given(st.integers(0, 10_000), st.integers(1, 4), st.integers(1, 3))
def test_top_pairs_by_group_equals_brute_force(seed: int, keep: int, n_groups: int) -> None:
    """Each left row's best right rows in each group, ties to the lower right row, in
    order of left row, group, falling dot: as sorting every pair would give, whatever
    order the sparse product holds its columns in (many ties: small integer vectors)."""
    rng = np.random.default_rng(seed)
    left = np.where(rng.random((9, 12)) < 0.4, rng.integers(1, 3, (9, 12)), 0).astype(float)
    right = np.where(rng.random((30, 12)) < 0.4, rng.integers(1, 3, (30, 12)), 0).astype(float)
    groups = rng.integers(0, n_groups, 30)
    rows, cols, dots = top_pairs_by_group(sp.csr_matrix(left), sp.csr_matrix(right), groups,
                                          keep, floor=1e-9)
    product = left @ right.T
    want = []
    for i in range(len(left)):
        for g in range(int(groups.max()) + 1):
            best = sorted((j for j in range(len(right)) if groups[j] == g and product[i, j] > 0),
                          key=lambda j: (-product[i, j], j))[:keep]
            want.extend((i, j) for j in best)
    assert list(zip(rows.tolist(), cols.tolist(), strict=True)) == want
    assert dots.tolist() == pytest.approx([product[i, j] for i, j in want])

"""Word segmentation through the one jieba wrapper (continuity/segment.py)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from continuity.segment import segment, tokenizer
from continuity.terms import domain_terms


@pytest.mark.parametrize(
    ("text", "term"),
    [
        ("推动新质生产力发展", "新质生产力"),
        ("成渝地区双城经济圈建设", "成渝地区双城经济圈"),
        ("加快建设“天府粮仓”", "天府粮仓"),
        ("四化同步城乡融合五区共兴", "五区共兴"),
        ("深入实施重点产业建圈强链", "建圈强链"),
    ],
)
def test_domain_terms_stay_whole_in_context(text: str, term: str) -> None:
    words = segment(text)
    assert term in words
    assert "".join(words) == text


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("四化同步城乡融合五区共兴", ("四化同步", "城乡融合", "五区共兴")),
        ("", ()),
    ],
)
def test_segment(text: str, words: tuple[str, ...]) -> None:
    assert segment(text) == words


def test_every_dictionary_term_is_one_word() -> None:
    split = [t for t in domain_terms() if segment(t) != (t,)]
    assert split == []


def test_tokenizer_is_built_once() -> None:
    assert tokenizer() is tokenizer()


@given(st.text(st.one_of(
    st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF),
    st.characters(min_codepoint=0x21, max_codepoint=0x7E),
    st.sampled_from(list("，。、；：“”（）《》—…·％")),
), max_size=60))
def test_words_concatenate_to_the_input(text: str) -> None:
    words = segment(text)
    assert "".join(words) == text
    assert all(words)

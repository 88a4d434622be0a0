"""The comparison form of text and its offsets (continuity/text/normalize.py)."""

from __future__ import annotations

import unicodedata

import pytest
from helpers import entry
from hypothesis import given
from hypothesis import strategies as st

from continuity.analysis.run import analyse
from continuity.text.normalize import (
    normalize,
    normalize_with_offsets,
    visible,
    visible_offsets,
    wording,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("１ 万美元，", "1万美元,"),
        ("（一）实施前沿科技攻坚突破行动。", "(一)实施前沿科技攻坚突破行动。"),
        ("ＧＤＰ增长５．５％左右", "GDP增长5.5%左右"),
        ("　全角空格　与\t制表符\n换行", "全角空格与制表符换行"),
        ("不间断\xa0空格", "不间断空格"),
        ("⑴ 条目", "(1)条目"),
        ("“天府粮仓”", "“天府粮仓”"),  # curly quotes have no compatibility form
        ("专栏 1", "专栏1"),
        ("", ""),
        (" \t\u3000\n", ""),
        # invisible format characters: zero-width space, U+FEFF inside text, word joiner,
        # zero-width joiner, soft hyphen, left-to-right mark
        ("天府\u200b粮仓", "天府粮仓"),
        ("\ufeff正文\u2060。", "正文。"),
        ("一\u200d、总体\u00ad要求\u200e", "一、总体要求"),
    ],
)
def test_normalize(text: str, expected: str) -> None:
    assert normalize(text) == expected


@pytest.mark.parametrize(
    ("text", "expected", "offsets"),
    [
        ("１ 万", "1万", (0, 2)),
        ("⑴条", "(1)条", (0, 0, 0, 1)),  # one display character, three compared ones
        ("\u3000甲\n乙 ", "甲乙", (1, 3)),
        ("甲\u200b\ufeff乙\u00ad", "甲乙", (0, 3)),
        ("", "", ()),
    ],
)
def test_normalize_with_offsets(text: str, expected: str, offsets: tuple[int, ...]) -> None:
    result = normalize_with_offsets(text)
    assert (result.text, result.offsets) == (expected, offsets)


@pytest.mark.parametrize(
    ("text", "start", "end", "span"),
    [
        ("甲 乙丙", 1, 3, (2, 4)),      # 乙丙 in the comparison form are display 2..4
        ("⑴条", 0, 3, (0, 1)),          # "(1)" all comes from display character 0
        ("⑴条", 3, 4, (1, 2)),
        ("甲 乙丙", 1, 1, (2, 2)),      # empty span: anchored where it would start
        ("甲 乙丙", 3, 3, (4, 4)),      # empty span at the end: just past the last character
        ("", 0, 0, (0, 0)),
    ],
)
def test_display_span(text: str, start: int, end: int, span: tuple[int, int]) -> None:
    assert normalize_with_offsets(text).display_span(start, end) == span


# CJK ideographs and punctuation, ASCII, full-width forms and whitespace: what documents
# hold. Combining marks (category M, and the half-width katakana sound marks U+FF9E/F)
# are left out on purpose: `normalize` composes them with the character before
# ("e" + U+0301 → "é", "ｶﾞ" → "ガ") while `normalize_with_offsets` folds one character at
# a time and cannot, so the two legitimately differ there (checked; irrelevant to the
# Chinese documents continuity reads).
DOCUMENT_TEXT = st.text(
    st.one_of(
        st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF),
        st.characters(min_codepoint=0x3000, max_codepoint=0x303F, exclude_categories=("M",)),
        st.characters(min_codepoint=0x20, max_codepoint=0x7E),
        st.characters(min_codepoint=0xFF01, max_codepoint=0xFF9D),
        st.characters(min_codepoint=0x2460, max_codepoint=0x24FF),  # ①⑴⒈ enclosed numbers
        st.sampled_from(" \t\n\r\xa0\u3000“”‘’—…·"),
    ),
    max_size=80,
)


#: Invisible format characters (category Cf): what copies from web pages and word
#: processors leave in text.
INVISIBLE = st.one_of(st.sampled_from("\u200b\u200c\u200d\u2060\ufeff\u00ad\u200e\u200f"),
                      st.characters(categories=("Cf",)))


@st.composite
def with_invisible(draw: st.DrawFn, texts: st.SearchStrategy[str] = DOCUMENT_TEXT
                   ) -> tuple[str, str]:
    """(text, the same text with invisible characters inserted anywhere)."""
    text = draw(texts)
    out = list(text)
    for _ in range(draw(st.integers(1, 5))):
        out.insert(draw(st.integers(0, len(out))), draw(INVISIBLE))
    return text, "".join(out)


@given(with_invisible())
def test_invisible_characters_never_reach_the_comparison_form(pair: tuple[str, str]) -> None:
    text, hidden = pair
    assert normalize(hidden) == normalize(text)
    assert normalize_with_offsets(hidden).text == normalize(text)
    assert wording(normalize(hidden)) == wording(normalize(text))
    assert not any(unicodedata.category(ch) == "Cf" for ch in normalize(hidden))


@given(with_invisible())
def test_visible_leaves_display_text_but_its_invisible_characters(pair: tuple[str, str]) -> None:
    text, hidden = pair
    assert visible(hidden) == visible(text)
    seen, offsets = visible_offsets(hidden)
    assert seen == visible(hidden)
    if offsets is not None:
        assert "".join(hidden[i] for i in offsets) == seen


@given(st.one_of(DOCUMENT_TEXT, with_invisible().map(lambda pair: pair[1])))
def test_offsets_version_agrees_with_normalize(text: str) -> None:
    result = normalize_with_offsets(text)
    assert result.text == normalize(text)
    assert len(result.offsets) == len(result.text)
    assert list(result.offsets) == sorted(result.offsets)
    for char, offset in zip(result.text, result.offsets, strict=True):
        assert char in normalize(text[offset])  # each character comes from its display one


@given(DOCUMENT_TEXT)
def test_normalize_is_idempotent_and_drops_all_whitespace(text: str) -> None:
    once = normalize(text)
    assert normalize(once) == once
    assert not any(ch.isspace() for ch in once)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("（三）加快建设农业强省。", "加快建设农业强省"),
     ("第二节 推进安宁河流域高质量发展", "推进安宁河流域高质量发展"),
     ("专栏12 重大工程", "重大工程"),
     ("一、坚持党的全面领导", "坚持党的全面领导"),
     ("1．加快建设", "加快建设"),
     ("——必须旗帜鲜明讲政治。", "必须旗帜鲜明讲政治"),
     ("地区生产总值增长5.5%以上，", "地区生产总值增长5.5%以上"),  # the number stays whole
     ("“四化同步、城乡融合”", "四化同步城乡融合"),
     ("加快建成农业强省", "加快建成农业强省"),
     ("（三）\u200b加快\ufeff建设农业强省。", "加快建设农业强省"),
     ("一\u200b、坚持党的全面领导", "坚持党的全面领导"),
     # the enumerator of running text: 四是 numbers the point, it is no word of it
     ("四是坚持以人民为中心的发展思想,", "坚持以人民为中心的发展思想"),
     ("十二是加强党的建设。", "加强党的建设"),
     ("是一项系统工程", "是一项系统工程")],  # 是 itself stays
)
def test_wording(text: str, expected: str) -> None:
    assert wording(normalize(text)) == expected


# --------------------------------------------------------------------------- through alignment

COMMITMENT = "加快建设现代化产业体系，推动制造业高端化智能化绿色化发展。"


def test_identical_text_with_invisible_characters_is_the_same(compare_corpus) -> None:
    hidden = ("一\u200b、\ufeff主要任务\n"
              "加快建设\u200b现代化产业体系，推动制造业\u2060高端化智能化绿色化发展。\n")
    corpus = compare_corpus([
        (entry(id="a", date="2024-01-01"), "一、主要任务\n" + COMMITMENT + "\n"),
        (entry(id="b", date="2025-01-01"), hidden),
    ])
    b = corpus.document("b")
    assert [s.path_text for s in b.sections] == ["一"]  # the heading is found
    assert b.clean.text == hidden.rstrip("\n")         # and the text shown as it was
    analysis = analyse(corpus)
    (clause,) = [c for c in analysis.commitments("a") if "产业体系" in c.text]
    assert analysis.alignment(clause.id, "b").relation == "same"

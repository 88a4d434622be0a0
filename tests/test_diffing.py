"""Word and character diffs, edit similarity (continuity/text/diffing.py)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from continuity.text.diffing import (
    DELETE,
    EQUAL,
    INSERT,
    DiffSpan,
    WordRun,
    similarity,
    word_diff,
    word_pieces,
    word_runs,
    word_tokens,
)
from continuity.text.segment import segment


def side(spans: tuple[DiffSpan, ...], keep: str) -> str:
    return "".join(s.text for s in spans if s.op in (EQUAL, keep))


def boundaries(tokens) -> set[int]:
    """Offsets in the joined text where one word ends and the next begins: between tokens,
    numbers split off, and the dictionary words a long token is made of."""
    out, pos = {0}, 0
    for token in word_tokens(tokens):
        for piece in word_pieces(token):
            pos += len(piece)
            out.add(pos)
    return out


def cuts(spans: tuple[DiffSpan, ...], keep: str) -> set[int]:
    """Offsets in one side's text where the diff's spans of that side begin and end."""
    out, pos = {0}, 0
    for span in spans:
        if span.op in (EQUAL, keep):
            pos += len(span.text)
            out.add(pos)
    return out


def test_word_diff_of_a_reworded_commitment() -> None:
    a = segment("加快建设世界级航空航天产业集群。")
    b = segment("大力培育壮大世界级航空航天产业集群。")
    spans = word_diff(a, b)
    assert side(spans, DELETE) == "".join(a) and side(spans, INSERT) == "".join(b)
    assert any(s.op == EQUAL and "航空航天" in s.text for s in spans)
    assert {s.op for s in spans} == {EQUAL, DELETE, INSERT}


def test_word_diff_never_cuts_a_word_that_shares_characters() -> None:
    # 建设 → 建成 share 建: a character diff would keep it, a word diff must not
    spans = word_diff(("加快", "建设", "强省"), ("加快", "建成", "强省"))
    assert spans == (DiffSpan(EQUAL, "加快"), DiffSpan(DELETE, "建设"),
                     DiffSpan(INSERT, "建成"), DiffSpan(EQUAL, "强省"))


def test_word_diff_keeps_the_shared_words_of_a_rewritten_clause() -> None:
    # issue 11: this was one whole deletion and one whole insertion
    spans = word_diff(segment("做实项目支撑扩大有效投资。"), segment("扩大有效益的投资,"))
    assert [s.text for s in spans if s.op == EQUAL] == ["扩大", "投资"]
    assert spans[0] == DiffSpan(DELETE, "做实项目支撑")


def test_word_diff_keeps_short_shared_words_between_changes() -> None:
    # a semantic cleanup would fold 战略 into the edits around it
    spans = word_diff(segment("大力实施制造强省战略,"), segment("实施制造强市战略。"))
    assert [s.text for s in spans if s.op == EQUAL] == ["实施", "战略"]


def test_numbers_are_words_of_their_own() -> None:
    spans = word_diff(segment("城镇调查失业率5.5%左右"), segment("城镇调查失业率5%左右"))
    assert spans == (DiffSpan(EQUAL, "城镇调查失业率"), DiffSpan(DELETE, "5.5%"),
                     DiffSpan(INSERT, "5%"), DiffSpan(EQUAL, "左右"))
    assert word_tokens(("创建韧性城市2030", "15分钟社区幸福生活圈")) == (
        "创建韧性城市", "2030", "15", "分钟社区幸福生活圈")
    # codes stay whole
    assert word_tokens(("5G", "G318", "PM2.5", "1+N", "5.5%", "以上")) == (
        "5G", "G318", "PM2.5", "1+N", "5.5%", "以上")


def test_word_pieces_are_dictionary_words_never_single_characters() -> None:
    assert word_pieces("有效投资") == ("有效", "投资")
    assert word_pieces("生态保护修复") == ("生态", "保护", "修复")
    assert word_pieces("建设") == ("建设",) and word_pieces("城镇化") == ("城镇化",)
    assert word_pieces("5.5%") == ("5.5%",)


def test_pieces_are_used_only_where_they_keep_a_shared_word() -> None:
    # 倍增计划 → 提质倍增行动: the programme's shared word stays
    spans = word_diff(("实施", "倍增", "计划"), ("实施", "提质倍增", "行动"))
    assert spans == (DiffSpan(EQUAL, "实施"), DiffSpan(INSERT, "提质"), DiffSpan(EQUAL, "倍增"),
                     DiffSpan(DELETE, "计划"), DiffSpan(INSERT, "行动"))
    assert word_diff(("有效投资",), ("天府粮仓",)) == (DiffSpan(DELETE, "有效投资"),
                                                  DiffSpan(INSERT, "天府粮仓"))


def test_of_two_longest_diffs_the_one_keeping_more_characters() -> None:
    runs = word_runs(("甲", "乙乙乙"), ("乙乙乙", "甲"))
    assert WordRun(EQUAL, ("乙乙乙",)) in runs


def test_word_diff_of_empty_sides() -> None:
    assert word_diff((), ()) == ()
    assert word_diff(("数字", "四川"), ()) == (DiffSpan(DELETE, "数字四川"),)
    assert word_diff((), ("数字",)) == (DiffSpan(INSERT, "数字"),)


_TOKENS = st.lists(st.sampled_from(["加快", "建设", "建成", "数字", "四川", "数字四川", "、", "，",
                                    "新", "高质量", "发展", "5.5%", "a", "ab"]), max_size=25)


@given(_TOKENS, _TOKENS)
def test_word_diff_rebuilds_both_sides_from_whole_tokens(a: list[str], b: list[str]) -> None:
    spans = word_diff(a, b)
    assert side(spans, DELETE) == "".join(a)
    assert side(spans, INSERT) == "".join(b)
    assert all(span.op in (EQUAL, INSERT, DELETE) and span.text for span in spans)
    assert cuts(spans, DELETE) <= boundaries(a)  # every span starts and ends between tokens
    assert cuts(spans, INSERT) <= boundaries(b)


def test_word_diff_with_more_distinct_tokens_than_the_private_use_area() -> None:
    a = [f"词{n}" for n in range(7000)]
    b = a[:3000] + ["新词"] + a[3000:]
    spans = word_diff(a, b)
    assert side(spans, DELETE) == "".join(a) and side(spans, INSERT) == "".join(b)
    assert [s for s in spans if s.op != EQUAL] == [DiffSpan(INSERT, "新词")]


@given(st.text(max_size=40))
def test_similarity_of_a_text_with_itself_is_one(a: str) -> None:
    assert similarity(a, a) == 1.0


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [("数字四川", "数字四川", 1.0), ("数字四川", "", 0.0), ("数字四川", "数字强省", 0.5),
     ("建设", "建设成", 2 / 3), ("", "", 1.0)],
)
def test_similarity(a: str, b: str, expected: float) -> None:
    assert similarity(a, b) == pytest.approx(expected)
    assert similarity(b, a) == pytest.approx(expected)


@given(st.text(max_size=30), st.text(max_size=30))
def test_similarity_is_in_unit_interval(a: str, b: str) -> None:
    assert 0.0 <= similarity(a, b) <= 1.0


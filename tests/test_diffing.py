"""Word and character diffs, edit similarity (continuity/diffing.py)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from continuity.diffing import (
    DELETE,
    EQUAL,
    INSERT,
    DiffSpan,
    _engine,
    char_diff,
    similarity,
    word_diff,
)
from continuity.segment import segment


def side(spans: tuple[DiffSpan, ...], keep: str) -> str:
    return "".join(s.text for s in spans if s.op in (EQUAL, keep))


def boundaries(tokens) -> set[int]:
    """Offsets in the joined text where one token ends and the next begins."""
    out, pos = {0}, 0
    for token in tokens:
        pos += len(token)
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


@given(st.text(max_size=40), st.text(max_size=40))
def test_char_diff_rebuilds_both_sides(a: str, b: str) -> None:
    spans = char_diff(a, b)
    assert side(spans, DELETE) == a and side(spans, INSERT) == b


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


def test_no_timeout_so_results_never_depend_on_machine_speed() -> None:
    assert _engine().Diff_Timeout == 0

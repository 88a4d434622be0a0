"""Terminal text (continuity/views/console.py): widths measured in terminal columns."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from continuity.views.console import display_width, wrap


def test_wrap_counts_chinese_characters_as_two_columns() -> None:
    lines = wrap("实施特色优势产业倍增计划，深入实施六大优势产业提质倍增行动", 20, "  ")
    assert lines == ["  实施特色优势产业倍", "  增计划，深入实施六",
                     "  大优势产业提质倍增", "  行动"]
    assert all(display_width(line) <= 20 for line in lines)


def test_wrap_breaks_latin_text_at_spaces() -> None:
    assert wrap("score 0.35 shared terms", 12) == ["score 0.35", "shared terms"]


@given(st.text(alphabet=st.sampled_from("天府粮仓建设 abc,。1"), max_size=200),
       st.integers(min_value=8, max_value=60))
def test_wrap_never_loses_text_or_overflows(text: str, width: int) -> None:
    lines = wrap(text, width, "  ")
    assert all(display_width(line) <= width or len(line.split()) == 1 for line in lines)
    assert "".join(line[2:] for line in lines).replace(" ", "") == text.replace(" ", "")

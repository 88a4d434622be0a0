"""Finding cue lists in a document's clauses (continuity/analysis/function_cues.py)."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from continuity.analysis.function_cues import CueSpec, compile_cues, top_level_alternatives


def names(cues_hit: list[int], names: tuple[str, ...]) -> list[set[str]]:
    return [{n for i, n in enumerate(names) if mask >> i & 1} for mask in cues_hit]


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        ("必须|务必", ["必须", "务必"]),
        ("(审议|讨论)通过", ["(审议|讨论)通过"]),  # | inside a group stays
        ("[|,]x|y", ["[|,]x", "y"]),  # | inside a class stays
        (r"a\|b|c", [r"a\|b", "c"]),  # an escaped | stays
        ("[^]|]x|y", ["[^]|]x", "y"]),  # ] first in a class is a member
        ("面临", ["面临"]),
    ],
)
def test_top_level_alternatives(pattern: str, expected: list[str]) -> None:
    assert top_level_alternatives(pattern) == expected


def test_hits_anchored_unanchored_within_and_unless() -> None:
    cues = compile_cues([[
        CueSpec("start", ("^当前",)),
        CueSpec("word", ("面临",)),
        CueSpec("modal", ("要(?!求)|必须",), within=6, unless=("强调要",)),
    ]])
    norms = ["当前外部环境复杂", "我国发展面临深刻变化", "全省上下要坚持", "要求各地",
             "坚持稳中求进工作总基调和发展理念必须", "总书记强调要推动"]
    assert names(cues.hits(norms), cues.names) == [
        {"start"}, {"word"}, {"modal"}, set(), set(), set()]


def test_only_the_first_anchored_list_of_a_family_is_reported() -> None:
    """Anchored lists of one family are tried in order; unanchored hits all count."""
    first, second = CueSpec("first", ("^坚持",)), CueSpec("second", ("^坚持稳中求进", "稳中"))
    cues = compile_cues([[first, second]])
    assert names(cues.hits(["坚持稳中求进"]), cues.names) == [{"first", "second"}]
    alone = compile_cues([[first, CueSpec("second", ("^坚持稳中求进",))]])
    assert names(alone.hits(["坚持稳中求进"]), alone.names) == [{"first"}]
    assert alone.all_hits("坚持稳中求进") == alone.bit("first") | alone.bit("second")
    # separate families each report their first anchored list
    apart = compile_cues([[first], [CueSpec("second", ("^坚持稳中求进",))]])
    assert names(apart.hits(["坚持稳中求进"]), apart.names) == [{"first", "second"}]


def test_a_negated_class_never_reaches_into_the_next_clause() -> None:
    cues = compile_cues([[CueSpec("goal", ("实现[^,]{0,8}目标",))]])
    # "实现" ends one clause and "目标" opens the next: no hit in either
    assert cues.hits(["加快实现", "目标任务"]) == [0, 0]
    assert cues.hits(["加快实现发展目标"]) == [cues.bit("goal")]


def test_end_anchors_mean_the_clause_end() -> None:
    cues = compile_cues([[CueSpec("held", ("举行[。,]?$",))]])
    assert cues.hits(["在成都举行。", "举行系列活动", "会议举行"]) == [1, 0, 1]


@given(st.lists(st.text(alphabet="当前面临要求必须坚持强调,。", max_size=12), max_size=8))
def test_hits_agree_with_searching_each_clause(norms: list[str]) -> None:
    """Scanning the joined document finds what searching clause by clause finds."""
    specs = [CueSpec("word", ("面临|必须",)), CueSpec("start", ("^当前",)),
             CueSpec("modal", ("要(?!求)",), within=3, unless=("强调要",))]
    cues = compile_cues([specs])
    expected = []
    for norm in norms:
        mask = 0
        if re.search("面临|必须", norm):
            mask |= cues.bit("word")
        if norm.startswith("当前"):
            mask |= cues.bit("start")
        hit = re.search("要(?!求)", norm)
        if hit and hit.start() < 3 and "强调要" not in norm:
            mask |= cues.bit("modal")
        expected.append(mask)
    assert cues.hits(norms) == expected

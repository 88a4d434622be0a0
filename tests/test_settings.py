"""Named alignment thresholds and their overrides (continuity/settings.py)."""

from __future__ import annotations

import dataclasses

import pytest

from continuity.settings import AlignSettings, descriptions


def test_defaults_are_sane() -> None:
    s = AlignSettings()
    assert 0 < s.min_score <= s.strong_score <= 1
    assert 0 <= s.conflict_penalty < s.min_score
    assert 0 <= s.word_weight <= 1
    assert s.max_counterparts >= 1 and isinstance(s.max_counterparts, int)
    assert "review" in s.excluded_target_kinds


def test_settings_are_frozen() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        AlignSettings().min_score = 0.9  # type: ignore[misc]


@pytest.mark.parametrize(
    ("pairs", "expected"),
    [
        ({"min_score": "0.9"}, {"min_score": 0.9}),
        ({"max_counterparts": "1"}, {"max_counterparts": 1}),
        ({"min_chars": "10", "word_weight": "0.5"}, {"min_chars": 10, "word_weight": 0.5}),
        ({"excluded_target_kinds": "review, glossary,"},
         {"excluded_target_kinds": ("review", "glossary")}),
        ({"excluded_target_kinds": ""}, {"excluded_target_kinds": ()}),
        ({}, {}),
    ],
)
def test_with_overrides_parses_text_values(pairs: dict[str, str], expected: dict) -> None:
    base = AlignSettings()
    changed = base.with_overrides(pairs)
    assert changed == dataclasses.replace(base, **expected)
    for name, value in expected.items():
        assert type(getattr(changed, name)) is type(value)
    assert base == AlignSettings()  # the original is untouched


def test_unknown_setting_names_the_known_ones() -> None:
    with pytest.raises(KeyError) as caught:
        AlignSettings().with_overrides({"nope": "1"})
    message = str(caught.value)
    assert "nope" in message
    for f in dataclasses.fields(AlignSettings):
        assert f.name in message


@pytest.mark.parametrize("pairs", [{"min_score": "abc"}, {"max_counterparts": "2.5"}])
def test_bad_values_raise_value_error(pairs: dict[str, str]) -> None:
    with pytest.raises(ValueError):
        AlignSettings().with_overrides(pairs)


def test_every_setting_says_what_it_means() -> None:
    meaning = descriptions()
    assert set(meaning) == {f.name for f in dataclasses.fields(AlignSettings)}
    assert meaning["strong_score"].startswith("A counterpart whose clause similarity")

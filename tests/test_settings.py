"""Named alignment thresholds and their overrides (continuity/settings.py)."""

from __future__ import annotations

import dataclasses
import math
import re

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from continuity.cli import cli
from continuity.errors import ContinuityError
from continuity.settings import (
    AlignSettings,
    SettingError,
    UnknownSettingError,
    descriptions,
    valid_range,
)


def test_defaults_are_sane() -> None:
    s = AlignSettings()
    assert 0 < s.min_score <= s.strong_score <= 1
    assert 0 <= s.conflict_penalty < s.min_score
    assert 0 <= s.word_weight <= 1
    assert s.max_counterparts >= 1 and isinstance(s.max_counterparts, int)
    assert "review" in s.excluded_target_kinds


def test_the_defaults_name_known_values() -> None:
    """AlignSettings() takes its default lists of names as valid, unchecked: they must be."""
    named = {f.name: tuple(list(f.default)) for f in dataclasses.fields(AlignSettings)
             if "known" in f.metadata}  # new tuples, checked as given values are
    assert named and AlignSettings(**named) == AlignSettings()


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
    with pytest.raises(UnknownSettingError) as caught:
        AlignSettings().with_overrides({"nope": "1"})
    message = str(caught.value)
    assert message.startswith("unknown setting 'nope'; known: ")
    for f in dataclasses.fields(AlignSettings):
        assert f.name in message
    # one family with every other input error (and still the KeyError it used to be)
    assert isinstance(caught.value, ContinuityError) and isinstance(caught.value, KeyError)


# Each case: a value that made every commitment emerge or disappear, or divided by zero,
# and the message that now refuses it.
BAD_VALUES = [
    ({"min_score": "nan"}, "setting min_score must be from 0 to 1, not nan"),
    ({"min_score": "inf"}, "setting min_score must be from 0 to 1, not inf"),
    ({"min_score": "-0.1"}, "setting min_score must be from 0 to 1, not -0.1"),
    ({"strong_score": "1.5"}, "setting strong_score must be from 0 to 1, not 1.5"),
    ({"context_weight": "-1"}, "setting context_weight must be at least 0, not -1.0"),
    ({"evidence_idf": "-inf"}, "setting evidence_idf must be at least 0, not -inf"),
    ({"char_min_idf": "nan"}, "setting char_min_idf must be at least 0, not nan"),
    ({"max_counterparts": "-3"}, "setting max_counterparts must be a whole number, at least 1, "
                                 "not -3"),
    ({"max_counterparts": "0"}, "must be a whole number, at least 1, not 0"),
    ({"min_chars": "0"}, "setting min_chars must be a whole number, at least 1, not 0"),
    ({"max_counterparts": "2.5"}, "setting max_counterparts takes a whole number, not '2.5' "
                                  "(valid: a whole number, at least 1)"),
    ({"min_score": "abc"}, "setting min_score takes a number, not 'abc' (valid: from 0 to 1)"),
    ({"aligned_functions": "action,actoin"}, "setting aligned_functions names unknown clause "
                                             "functions 'actoin'; valid: some of action, "),
    ({"excluded_source_kinds": "preambel"}, "setting excluded_source_kinds names unknown "
                                            "section kinds 'preambel'; valid: some of "),
]


@pytest.mark.parametrize(("pairs", "message"), BAD_VALUES)
def test_values_out_of_range_are_refused(pairs: dict[str, str], message: str) -> None:
    with pytest.raises(SettingError) as caught:
        AlignSettings().with_overrides(pairs)
    assert message in str(caught.value)
    assert isinstance(caught.value, ContinuityError) and isinstance(caught.value, ValueError)


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"min_score": float("nan")}, "setting min_score must be from 0 to 1, not nan"),
        ({"context_weight": -1}, "setting context_weight must be at least 0, not -1"),
        ({"max_counterparts": -3}, "must be a whole number, at least 1, not -3"),
        ({"max_counterparts": 2.0}, "setting max_counterparts must be a whole number, not 2.0"),
        ({"min_score": True}, "setting min_score must be a number, not True"),
        ({"min_score": "0.3"}, "setting min_score must be a number, not '0.3'"),
        ({"excluded_target_kinds": "review"},
         "setting excluded_target_kinds must be a tuple of section kinds, not 'review'"),
        ({"aligned_functions": ("action", 1)}, "must be a tuple of clause functions"),
    ],
)
def test_settings_made_in_python_are_checked_too(values: dict, message: str) -> None:
    with pytest.raises(SettingError, match=re.escape(message)):
        AlignSettings(**values)


@pytest.mark.parametrize("name", [f.name for f in dataclasses.fields(AlignSettings)])
def test_every_setting_has_its_valid_values_beside_its_default(name: str) -> None:
    f = {f.name: f for f in dataclasses.fields(AlignSettings)}[name]
    assert "range" in f.metadata or "known" in f.metadata
    assert valid_range(name) == valid_range(f)
    assert valid_range(f)


@given(st.sampled_from([f for f in dataclasses.fields(AlignSettings) if "range" in f.metadata]),
       st.floats(allow_nan=True, allow_infinity=True))
def test_a_number_is_accepted_exactly_when_it_is_in_range(f: dataclasses.Field,
                                                          value: float) -> None:
    low, high = f.metadata["range"]
    if f.type in (int, "int"):
        value = int(value) if math.isfinite(value) else 0 if math.isnan(value) else -1
    valid = math.isfinite(value) and low <= value and (high is None or value <= high)
    try:
        made = AlignSettings(**{f.name: value})
    except SettingError as exc:
        assert not valid, exc
        assert str(exc).startswith(f"setting {f.name} must be ")
    else:
        assert valid and getattr(made, f.name) == value


def test_the_settings_command_shows_each_range() -> None:
    output = CliRunner().invoke(cli, ["settings"], catch_exceptions=False).output
    assert "min_score = 0.3  (from 0 to 1)" in output
    assert "max_counterparts = 3  (a whole number, at least 1)" in output
    assert "context_weight = 0.5  (at least 0)" in output


@pytest.mark.parametrize(("pairs", "message"), [BAD_VALUES[0], BAD_VALUES[7]])
def test_the_command_line_refuses_them_with_the_same_message(pairs: dict[str, str],
                                                             message: str) -> None:
    ((name, value),) = pairs.items()
    result = CliRunner().invoke(cli, ["align", "--set", f"{name}={value}"])
    assert result.exit_code == 2
    assert f"Invalid value for --set: {message}" in " ".join(result.output.split())


def test_every_setting_says_what_it_means() -> None:
    meaning = descriptions()
    assert set(meaning) == {f.name for f in dataclasses.fields(AlignSettings)}
    assert meaning["strong_score"].startswith("A counterpart whose clause similarity")

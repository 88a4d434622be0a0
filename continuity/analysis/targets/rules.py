"""The data of the targets stage: what a target looks like and what its indicator is named.

`continuity/data/indicators.toml` holds the shape of a target (measures, magnitudes,
qualifiers, verbs, the words that frame a phrase, the cue of headline targets, how an
indicator table is read) and the names that make one indicator the same across
documents and levels; a corpus may add its own `indicators.toml` ([[indicator]] entries
tried first, [terms] added). `Rules` is that file compiled once.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from ...corpus.manifest import read_toml
from ...errors import ManifestError

#: What a verb makes of the indicator: a rate of change, a reduction, or (neither) a level.
GROWTH, REDUCTION = "growth", "reduction"
#: A corpus's own additions to the shipped indicator names (and the shipped file's name).
CORPUS_FILE = "indicators.toml"
#: A number as written: 5.5, 1,200, 2至3.
NUMBER = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:[至~]\d+(?:\.\d+)?)?"


@dataclass(frozen=True, slots=True)
class Alias:
    """An indicator's canonical name and the phrases that name it (one pattern: the
    entry's patterns as alternatives, each matching a whole phrase)."""

    name: str
    pattern: re.Pattern[str]
    measures: frozenset[str]


@dataclass(frozen=True, slots=True)
class Rules:
    """The compiled contents of the indicators data files (see data/indicators.toml)."""

    quantity: re.Pattern[str]
    before: frozenset[str]
    trailing: tuple[str, ...]
    verb_at_end: re.Pattern[str]
    verb_at_start: re.Pattern[str]
    changes: Mapping[str, str]
    measures: frozenset[str]
    magnitudes: tuple[tuple[str, float], ...]
    conversions: Mapping[str, tuple[str, float]]
    frames: re.Pattern[str]
    abbreviation: re.Pattern[str]
    index_phrase: re.Pattern[str]
    bare_heads: frozenset[str]
    complete: re.Pattern[str]
    shared_heads: re.Pattern[str]
    action_words: re.Pattern[str]
    year: re.Pattern[str]
    results: re.Pattern[str]
    headline: re.Pattern[str]
    list_item: re.Pattern[str]
    skip_columns: tuple[re.Pattern[str], ...]
    empty_cell: re.Pattern[str]
    cumulative: re.Pattern[str]
    cumulative_qualifier: str
    note_marks: re.Pattern[str]
    terms: Mapping[str, str]
    term_pattern: re.Pattern[str] | None
    aliases: tuple[Alias, ...]


@cache
def _shipped() -> dict[str, Any]:
    text = resources.files("continuity").joinpath("data", CORPUS_FILE).read_text("utf-8")
    return tomllib.loads(text)


def read_rules(corpus_dir: Path | str | None = None) -> Rules:
    """The shipped recognition rules and indicator names, with a corpus's own
    `indicators.toml` added when `corpus_dir` has one (its indicators tried first)."""
    extra: dict[str, Any] = {}
    if corpus_dir is not None and (Path(corpus_dir) / CORPUS_FILE).is_file():
        extra = read_toml(Path(corpus_dir) / CORPUS_FILE, "indicators")
        where = str(Path(corpus_dir) / CORPUS_FILE)
    else:
        where = "continuity/data/indicators.toml"
    try:
        return compile_rules(_shipped(), extra)
    except (KeyError, TypeError, ValueError, re.error) as exc:
        raise ManifestError(f"{where}: not a valid indicators file ({exc!r})") from exc


@cache
def shipped_rules() -> Rules:
    """The shipped rules alone (for a corpus without its own indicators file)."""
    return compile_rules(_shipped(), {})


def compile_rules(data: Mapping[str, Any], extra: Mapping[str, Any]) -> Rules:
    """Rules from the shipped data and a corpus's additions ([[indicator]] and [terms])."""
    shape, table = data["shape"], data["table"]
    measures = [str(m) for m in shape["measures"]]
    magnitudes = sorted(((str(k), float(v)) for k, v in shape["magnitudes"].items()),
                        key=lambda kv: -len(kv[0]))
    mag = _alternatives(k for k, _ in magnitudes)
    unit = _alternatives(measures)
    approx = _alternatives(shape["approximate"])
    quantity = re.compile(
        rf"(?P<pre>{_alternatives(shape['before'])})?(?P<num>{NUMBER})(?:{approx})?"
        rf"(?P<measure>(?:(?:{mag}){{0,2}}(?:{unit})|(?:{mag}){{1,2}})(?:/年)?)?"
        rf"(?P<post>{_alternatives(shape['after'])})?")
    changes = {v: GROWTH for v in shape["growth"]}
    changes.update({v: REDUCTION for v in shape["reduction"]})
    changes.update({v: "" for v in shape["level"]})
    verbs = _alternatives(changes)
    terms = {str(v): str(k) for k, variants in data.get("terms", {}).items() for v in variants}
    terms.update({str(v): str(k) for k, variants in extra.get("terms", {}).items()
                  for v in variants})
    aliases = tuple(
        Alias(str(e["name"]), re.compile("|".join(f"(?:{p})" for p in e["patterns"])),
              frozenset(e.get("measures", ())))
        for e in [*extra.get("indicator", []), *data.get("indicator", [])])
    conversions = {str(k): (str(v[0]), float(v[1])) for k, v in shape["conversions"].items()}
    return Rules(
        quantity=quantity,
        before=frozenset([*shape["before"], table["cumulative_qualifier"]]),
        trailing=tuple(shape.get("trailing", ())),
        verb_at_end=re.compile(rf"(?:分别)?(?P<verb>{verbs})$"),
        verb_at_start=re.compile(rf"(?P<verb>{verbs})"),
        changes=changes,
        measures=frozenset(measures),
        magnitudes=tuple(magnitudes),
        conversions=conversions,
        frames=re.compile(shape["frames"]),
        abbreviation=re.compile(shape["abbreviation"]),
        index_phrase=re.compile(shape["index_phrase"]),
        bare_heads=frozenset(shape["bare_heads"]),
        complete=re.compile(shape["complete_phrase"]),
        shared_heads=re.compile(shape["shared_heads"]),
        action_words=re.compile(rf"^(?:{_alternatives(shape['action_words'])}|[、和及])+"),
        year=re.compile(shape["year"]),
        results=re.compile(shape["results"]),
        headline=re.compile(data["headline"]["cue"]),
        list_item=re.compile(data["headline"]["list_item"]),
        skip_columns=tuple(re.compile(p) for p in table["skip_columns"]),
        empty_cell=re.compile(table["empty_cells"]),
        cumulative=re.compile(table["cumulative"]),
        cumulative_qualifier=str(table["cumulative_qualifier"]),
        note_marks=re.compile(table["note_marks"]),
        terms=terms,
        term_pattern=re.compile(_alternatives(terms)) if terms else None,
        aliases=aliases,
    )


def _alternatives(words: Iterable[str]) -> str:
    """A regex alternation of literal words, longest first (so 个百分点 wins over 个)."""
    return "|".join(re.escape(w) for w in sorted(set(words), key=lambda w: (-len(w), w)))


def indicator_name(phrase: str, change: str, verb: str, measure: str,
                   rules: Rules | None = None) -> str:
    """The canonical name of an indicator phrase with its verb: terms unified (国内生产总值
    → GDP), the verb's change added (增长, 降低), then the first alias that matches."""
    rules = rules or shipped_rules()
    name = rules.abbreviation.sub("", phrase)
    if rules.term_pattern is not None:
        name = rules.term_pattern.sub(lambda m: rules.terms[m.group(0)], name)
    unit = split_measure(measure, rules)[0]
    if change == GROWTH:
        name += "增长" if unit == "%" else "提高" if unit == "百分点" else verb
    elif change == REDUCTION:
        name += "降低" if unit in ("%", "百分点") else verb
    for alias in rules.aliases:
        if alias.measures and unit not in alias.measures:
            continue
        if alias.pattern.fullmatch(name):
            return alias.name
    return name


def split_measure(measure: str, rules: Rules | None = None) -> tuple[str, float]:
    """A measure's unit and factor: 万人 → (人, 1e4); 万吨 → (斤, 2e7) via the conversions."""
    rules = rules or shipped_rules()
    factor = 1.0
    rest = measure
    while rest and rest not in rules.measures:
        mag = next(((k, v) for k, v in rules.magnitudes if rest.startswith(k)), None)
        if mag is None:
            break
        rest, factor = rest[len(mag[0]):], factor * mag[1]
    if rest in rules.conversions:
        base, times = rules.conversions[rest]
        rest, factor = base, factor * times
    return rest, factor

"""Named thresholds of alignment and fates, with the defaults tuned on the dev probes.

Every field can be overridden from the command line (`continuity align --set
min_score=0.4`) or in Python (`AlignSettings(min_score=0.4)`). Each has a valid range,
kept in its field's metadata beside its default and checked whenever settings are made,
so a value that would silently make every commitment emerge or disappear (`nan`, a
negative weight, no counterparts at all) is refused with a message instead.
"""

from __future__ import annotations

import inspect
import math
import re
from collections.abc import Callable
from dataclasses import Field, dataclass, field, fields, replace
from typing import Any

from .errors import SettingError, UnknownSettingError

__all__ = ["AlignSettings", "SettingError", "UnknownSettingError", "descriptions",
           "valid_range"]


def _number(default: float, low: float, high: float | None = None) -> Any:
    """A numeric setting, valid from `low` to `high` (None: no upper bound, but finite)."""
    return field(default=default, metadata={"range": (low, high)})


def _names(default: tuple[str, ...], known: Callable[[], frozenset[str]], what: str) -> Any:
    """A setting naming some of the `known()` values (clause functions, section kinds)."""
    return field(default=default, metadata={"known": known, "what": what})


def _functions() -> frozenset[str]:
    from .records import FUNCTIONS

    return frozenset(FUNCTIONS)


def _kinds() -> frozenset[str]:
    from .corpus.structure.tree import known_kinds

    return known_kinds()


@dataclass(frozen=True, slots=True)
class AlignSettings:
    """Thresholds of clause alignment."""

    #: A pair sharing one distinctive term is a counterpart only at or above this score
    #: (0–1): the clauses' similarity plus `context_weight` times their sentences'
    #: similarity, over 1 + context_weight.
    min_score: float = _number(0.30, 0, 1)
    #: ...and only if the clauses themselves are at least this similar (0–1).
    min_clause_score: float = _number(0.20, 0, 1)
    #: Each further distinctive term a pair shares (up to two more) lowers the score it
    #: needs by this much: thin evidence needs more similarity, several named things less.
    evidence_step: float = _number(0.04, 0, 1)
    #: A pair whose every shared distinctive term names a different object in each clause
    #: (西部中试中心 / 西部金融中心: what follows 西部 differs on both sides) needs this much
    #: more score: thin evidence that the two are one commitment.
    conflict_penalty: float = _number(0.04, 0, 1)
    #: ...and this much more when that term is the only one they share (智慧国资监管体系 /
    #: 智慧城市; 青年发展型城市 / 青年发展型省份): one name qualifying two different heads
    #: is no evidence at all, however similar the rest (1: never a counterpart).
    lone_conflict_penalty: float = _number(1.0, 0, 1)
    #: How much the similarity of the sentences around two clauses adds to their score:
    #: a commitment whose neighbours also correspond is more surely the same commitment.
    context_weight: float = _number(0.5, 0)
    #: Counterparts kept per clause and target document.
    max_counterparts: int = _number(3, 1)
    #: Clauses with fewer word characters than this are too short to align.
    min_chars: int = _number(6, 1)
    #: Weight of jieba words against character bigrams in the vectors (0–1).
    word_weight: float = _number(0.3, 0, 1)
    #: Weight of rare single characters in the vectors (0–1), taken from words and bigrams
    #: alike: abbreviations share them with full names (成眉线, 成都至眉山线).
    char_weight: float = _number(0.15, 0, 1)
    #: Characters less distinctive than this (idf) are left out of the vectors.
    char_min_idf: float = _number(6.0, 0)
    #: A shared term at least this distinctive (idf) counts as evidence.
    evidence_idf: float = _number(5.0, 0)
    #: A counterpart whose clause similarity is below `strong_score` needs a shared term of
    #: idf ≥ evidence_idf that is not a frame word (data/frame_words.txt: 更加, 注重, …).
    strong_score: float = _number(0.6, 0, 1)
    #: A counterpart whose score clears the score its evidence needs by at least this much
    #: is firm; one that clears it by less is tentative, and pages and exports say so. In
    #: hand checks of random rank-1 counterparts (benchmarks/data/judged-counterparts.tsv)
    #: 0.85 of firm ones and 0.29 of tentative ones carried the same commitment.
    firm_margin: float = _number(0.1, 0, 1)
    #: Clause functions that take part in alignment: commitments, headings (a plan's 节
    #: title states its commitment) and review passages (which look for the commitment they
    #: report on); context and procedural clauses do not.
    aligned_functions: tuple[str, ...] = _names(
        ("action", "target", "principle", "heading", "review"), _functions, "clause functions")
    #: Clause functions never used as counterparts: a report of past work is not a commitment.
    excluded_target_functions: tuple[str, ...] = _names(
        ("review",), _functions, "clause functions")
    #: Section kinds never used as counterparts: retrospective and reference parts.
    excluded_target_kinds: tuple[str, ...] = _names(
        ("review", "glossary", "preamble"), _kinds, "section kinds")
    #: Section kinds whose clauses are not aligned at all: title blocks and glossaries.
    excluded_source_kinds: tuple[str, ...] = _names(
        ("glossary", "preamble"), _kinds, "section kinds")
    #: A corpus of at most this many documents compares every pair; a bigger one compares
    #: each document with its series neighbours, the level above and its peers
    #: (`continuity plan`; the manifest's [compare] table can change the rule).
    all_pairs_max_docs: int = _number(12, 0)
    #: ...and with at most this many peers (documents of its level and year): its
    #: neighbours on either side in the group's timeline order, taken round the group
    #: (2: the one before and the one after). Every peer would grow the plan with the
    #: square of the documents of a level and year (34,600 pairs at 1,000 synthetic
    #: documents, 853,000 at 5,000).
    max_peers: int = _number(2, 0)

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if "known" in f.metadata and value is f.default:
                # A default names known values (tests/test_settings.py checks each); checking
                # it again would load the outliner and the cue lists for every command.
                continue
            problem = _problem(f, value)
            if problem:
                raise SettingError(f"setting {f.name} {problem}")

    def with_overrides(self, pairs: dict[str, str]) -> AlignSettings:
        """A copy with fields set from text values (as given on the command line)."""
        known = {f.name: f for f in fields(self)}
        changes: dict[str, object] = {}
        for name, text in pairs.items():
            if name not in known:
                raise UnknownSettingError(
                    f"unknown setting {name!r}; known: {', '.join(sorted(known))}")
            current = getattr(self, name)
            if isinstance(current, tuple):
                changes[name] = tuple(p.strip() for p in text.split(",") if p.strip())
                continue
            try:
                changes[name] = type(current)(text)
            except ValueError as exc:
                raise SettingError(
                    f"setting {name} takes {_KIND[type(current)]}, not {text!r} "
                    f"(valid: {valid_range(known[name])})") from exc
        return replace(self, **changes)  # type: ignore[arg-type]


_KIND = {int: "a whole number", float: "a number", tuple: "a comma-separated list"}


def valid_range(setting: Field[Any] | str) -> str:
    """The values a setting takes, as `continuity settings` shows them: "from 0 to 1",
    "at least 0", "a whole number, at least 1", "some of action, heading, …"."""
    f = setting if isinstance(setting, Field) else {x.name: x for x in fields(AlignSettings)}[
        setting]
    if "known" in f.metadata:
        return f"some of {', '.join(sorted(f.metadata['known']()))}"
    low, high = f.metadata["range"]
    span = f"from {low:g} to {high:g}" if high is not None else f"at least {low:g}"
    return f"a whole number, {span}" if _whole(f) else span


def _whole(f: Field[Any]) -> bool:
    return f.type in (int, "int")


def _problem(f: Field[Any], value: object) -> str | None:
    """What is wrong with `value` for setting `f` (None when it is valid)."""
    if "known" in f.metadata:
        if not isinstance(value, tuple) or not all(isinstance(v, str) for v in value):
            return f"must be a tuple of {f.metadata['what']}, not {value!r}"
        unknown = sorted(set(value) - f.metadata["known"]())
        if unknown:
            return (f"names unknown {f.metadata['what']} {', '.join(map(repr, unknown))}; "
                    f"valid: {valid_range(f)}")
        return None
    low, high = f.metadata["range"]
    whole = _whole(f)
    if isinstance(value, bool) or not isinstance(value, int if whole else (int, float)):
        return f"must be {'a whole number' if whole else 'a number'}, not {value!r}"
    if not math.isfinite(value) or value < low or (high is not None and value > high):
        return f"must be {valid_range(f)}, not {value!r}"
    return None


def descriptions() -> dict[str, str]:
    """What each setting means: the `#:` comments above its field in AlignSettings (so the
    code's documentation and `continuity settings` cannot drift apart)."""
    try:
        source = inspect.getsource(AlignSettings)
    except (OSError, TypeError):
        return {}
    found: dict[str, str] = {}
    comment: list[str] = []
    for line in source.splitlines():
        line = line.strip()
        if line.startswith("#:"):
            comment.append(line[2:].strip())
        elif match := re.match(r"(\w+)\s*:", line):
            if comment:
                found[match.group(1)] = " ".join(comment)
            comment = []
        else:
            comment = []
    return found

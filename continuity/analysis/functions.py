"""Decide what each clause does: action, target, principle, review, context, procedural, heading.

Only the first three are commitments (shared/gold-format.md §2); a retrospective
sentence, an assessment of the world or a note on who attended a meeting commits the
issuer to nothing, and alignment and fates should not treat it as if it did.

A clause rarely says on its own what it does: "坚持稳中求进工作总基调" is a principle
in a plan and a report of past work in a review; "召开的一次十分重要的大会" is context
because its sentence opened with "全会指出，党的二十大是…". So the decision reads,
in this order: the clause's role (headings, numbered leads, the title block); the
signals in its text (data/functions.toml: meeting framing, descriptions of the centre,
retrospect, assessment, a modal that opens an undertaking …), the first that matches
winning; what earlier clauses of its sentence, and for retrospect of its paragraph,
established; and its section (a review section is review, a situation section context).
A commitment is then a target (a figure with a measure, a dated goal), a principle (a
stance: 坚持…, 以…为指导, 必须…) or an action. Everything is cue lists and regular
expressions over the clause's normalised text: the whole corpus takes milliseconds.
"""

from __future__ import annotations

import bisect
import operator
import re
import tomllib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, fields
from functools import cache
from importlib import resources
from typing import Any, NamedTuple

# the functions (every one, commitments first: FUNCTIONS) are named in `records`
from ..records import ACTION as ACTION
from ..records import CONTEXT as CONTEXT
from ..records import FUNCTIONS as FUNCTIONS
from ..records import HEADING as HEADING
from ..records import PRINCIPLE as PRINCIPLE
from ..records import PROCEDURAL as PROCEDURAL
from ..records import REVIEW as REVIEW
from ..records import TARGET as TARGET
from ..records import Clause, Paragraph, Section
from .function_cues import CueSet, CueSpec, compile_cues

#: The functions that commit the issuer to something.
COMMITMENTS = frozenset({ACTION, TARGET, PRINCIPLE})
#: A state, not a function: "one of the commitments, decided clause by clause".
COMMITMENT = "commitment"

_CARRIES = ("none", "sentence", "paragraph")


@dataclass(frozen=True, slots=True)
class Signal:
    """A cue in a clause's text and what it makes of the clause.

    `function` is a function or COMMITMENT; `carry` how far it reaches ("none", "sentence",
    "paragraph"); `ends_at` the cue mask of the lists that, opening a later clause (a
    later sentence, for "paragraph"), end what it carried; `back`, when its clause
    matches it, makes the sentence's earlier clauses without a signal take it too (they
    are the subject of a copula); `skip_in` states in which it does not apply;
    `only_after` the states it applies in (empty: all); `bit` its bit in a clause's mask.
    """

    name: str
    function: str
    carry: str
    ends_at: int
    back: re.Pattern[str] | None
    skip_in: frozenset[str]
    only_after: frozenset[str]
    bit: int

    def applies(self, state: str) -> bool:
        return state not in self.skip_in and (not self.only_after or state in self.only_after)


@dataclass(frozen=True, slots=True)
class FunctionCues:
    """The rules of data/functions.toml, compiled."""

    kind_functions: dict[str, str]
    context_titles: re.Pattern[str] | None
    principle_titles: re.Pattern[str] | None
    target_titles: re.Pattern[str] | None
    running_punctuation: re.Pattern[str]
    content_lead_styles: frozenset[str]
    title_block_kinds: frozenset[str]
    box_styles: frozenset[str]
    header_row: re.Pattern[str]
    fixed_kinds: frozenset[str]
    run_on: frozenset[str]
    signals: tuple[Signal, ...]
    signal_bits: int
    cues: CueSet
    target: int
    principle: int
    action_openers: int
    goal_openers: int
    goal_outcomes: int


@cache
def default_cues() -> FunctionCues:
    """The cues shipped in `continuity/data/functions.toml`."""
    text = resources.files("continuity").joinpath("data/functions.toml").read_text("utf-8")
    return parse_cues(text)


def parse_cues(text: str) -> FunctionCues:
    """Compile the rules of a functions.toml text."""
    data = tomllib.loads(text)
    sections = data.get("sections", {})
    heading = data.get("heading", {})
    commitment = data.get("commitment", {})
    raw_signals = data.get("signal", [])
    signal_specs = [CueSpec(name=r["name"], patterns=tuple(r["patterns"]),
                            within=r.get("within"), unless=tuple(r.get("unless", ())))
                    for r in raw_signals]
    kinds = [CueSpec(name=name, patterns=tuple(commitment.get(name, ())))
             for name in ("target", "principle", "action_openers")]
    goals = [CueSpec(name=name, patterns=tuple(commitment.get(name, ())))
             for name in ("goal_openers", "goal_outcomes")]
    cues = compile_cues([signal_specs, kinds, *([g] for g in goals)])
    return FunctionCues(
        kind_functions=dict(sections.get("kinds", {})),
        context_titles=_optional(sections.get("context_titles")),
        principle_titles=_optional(sections.get("principle_titles")),
        target_titles=_optional(sections.get("target_titles")),
        running_punctuation=re.compile(heading.get("running_punctuation", "[,;:。!?]")),
        content_lead_styles=frozenset(heading.get("content_lead_styles", ("lead",))),
        title_block_kinds=frozenset(heading.get("title_block_kinds", ("preamble",))),
        box_styles=frozenset(heading.get("box_styles", ("box",))),
        header_row=re.compile(heading.get("header_row", r"^\D*$")),
        fixed_kinds=frozenset(sections.get("fixed_kinds", ())),
        run_on=frozenset(data.get("sentence", {}).get("run_on", ";")),
        signals=tuple(_signal(raw, i, cues) for i, raw in enumerate(raw_signals)),
        signal_bits=sum(cues.bit(raw["name"]) for raw in raw_signals),
        cues=cues,
        target=cues.bit("target"),
        principle=cues.bit("principle"),
        action_openers=cues.bit("action_openers"),
        goal_openers=cues.bit("goal_openers"),
        goal_outcomes=cues.bit("goal_outcomes"),
    )


def _signal(raw: dict[str, Any], index: int, cues: CueSet) -> Signal:
    carry = raw.get("carry", "sentence")
    if carry not in _CARRIES:
        raise ValueError(f"signal {raw['name']!r}: carry must be one of {_CARRIES}")
    return Signal(
        name=raw["name"],
        function=raw["function"],
        carry=carry,
        ends_at=sum(cues.bit(name) for name in raw.get("ends_at", ())),
        back=re.compile(raw["back"]) if "back" in raw else None,
        skip_in=frozenset(raw.get("skip_in", ())),
        only_after=frozenset(raw.get("only_after", ())),
        bit=cues.bit(raw["name"]),
    )


def _optional(patterns: Sequence[str] | None) -> re.Pattern[str] | None:
    return re.compile("|".join(f"(?:{p})" for p in patterns)) if patterns else None


def assign_functions(clauses: Sequence[Clause], sections: Sequence[Section],
                     paragraphs: Sequence[Paragraph],
                     cues: FunctionCues | None = None) -> tuple[Clause, ...]:
    """`clauses` (one document's, in text order) each with its `function` set."""
    functions = decide_functions(clauses, sections, paragraphs, cues)
    return tuple(_with_function(c, f) for c, f in zip(clauses, functions, strict=True))


def decide_functions(clauses: Sequence[Clause], sections: Sequence[Section],
                     paragraphs: Sequence[Paragraph],
                     cues: FunctionCues | None = None) -> list[str]:
    """The function of each of `clauses` (one document's, in text order)."""
    cues = cues or default_cues()
    by_id = {s.id: s for s in sections}
    defaults: dict[str, str] = {}
    starts = [p.start for p in paragraphs]
    masks = cues.cues.hits([c.norm for c in clauses])
    out: list[str] = []
    carried = _FRESH
    paragraph = -1
    for first, last in _sentences(clauses):
        sentence = clauses[first:last]
        here = bisect.bisect_right(starts, sentence[0].start) - 1
        if here != paragraph:
            carried, paragraph = _FRESH, here
        section_id = sentence[0].section_id
        if section_id not in defaults:
            defaults[section_id] = section_function(by_id[section_id], by_id, cues)
        labels, carried = sentence_functions(sentence, masks[first:last], defaults[section_id],
                                             carried, by_id, cues)
        out.extend(labels)
    return out


#: Every field of a clause but its function, in constructor order.
_CLAUSE_FIELDS = operator.attrgetter(*(f.name for f in fields(Clause) if f.name != "function"))


def _with_function(clause: Clause, function: str) -> Clause:
    """`dataclasses.replace(clause, function=function)`, twice as fast (it is done for
    every clause of a corpus: 20 ms instead of 40)."""
    # mypy cannot count the fields the getter returns
    return Clause(*_CLAUSE_FIELDS(clause), function)  # type: ignore[call-arg]


def _sentences(clauses: Sequence[Clause]) -> Iterator[tuple[int, int]]:
    """[first, last) of each run of clauses sharing a sentence unit."""
    first = 0
    for k in range(1, len(clauses) + 1):
        if k == len(clauses) or clauses[k].unit_id != clauses[first].unit_id:
            yield first, k
            first = k


def section_function(section: Section, by_id: dict[str, Section],
                     cues: FunctionCues) -> str:
    """What a section's clauses do unless they say otherwise: by its own title (面临环境 →
    context, 总体要求 → principle), else by its kind when that says more than
    "commitment" (review, table notes), else by its nearest ancestor's title."""
    own = _title_function(section.title, cues)
    if own is not None:
        return own
    by_kind = cues.kind_functions.get(section.kind, COMMITMENT)
    if by_kind != COMMITMENT:
        return by_kind
    node = by_id.get(section.parent) if section.parent else None
    while node is not None:
        inherited = _title_function(node.title, cues)
        if inherited is not None:
            return inherited
        node = by_id.get(node.parent) if node.parent else None
    return COMMITMENT


def _title_function(title: str, cues: FunctionCues) -> str | None:
    for function, pattern in ((CONTEXT, cues.context_titles),
                              (PRINCIPLE, cues.principle_titles),
                              (TARGET, cues.target_titles)):
        if pattern is not None and pattern.search(title):
            return function
    return None


class _Carry(NamedTuple):
    """What a sentence hands on to the next one of its paragraph: a state that carries
    over the paragraph (`paragraph`: a retrospect) and the cues that end it
    (`paragraph_ends`), its own state when it runs on into the next unit (`run_on`: it
    ended with ；) and the cues that end that (`ends_at`), and whether a run of dated
    goals is open."""

    paragraph: str | None
    paragraph_ends: int
    run_on: str | None
    ends_at: int
    goals: bool


_FRESH = _Carry(None, 0, None, 0, False)


def sentence_functions(sentence: Sequence[Clause], masks: Sequence[int], default: str,
                       carried: _Carry, by_id: dict[str, Section],
                       cues: FunctionCues) -> tuple[list[str], _Carry]:
    """The functions of one sentence's clauses, and what it carries into the next."""
    paragraph_state, paragraph_ends = carried.paragraph, carried.paragraph_ends
    if paragraph_state and masks and masks[0] & paragraph_ends:
        paragraph_state = None  # the paragraph has moved on ("过去一年…。加快建设…")
    state = carried.run_on or paragraph_state or _state(default)
    ends_at = carried.ends_at if carried.run_on else 0
    goals = carried.goals
    found = [_first_signal(mask, cues) for mask in masks]
    backward: dict[int, Signal] = {}
    for i, signal in enumerate(found):
        if signal is not None and signal.back is not None and \
                signal.back.match(sentence[i].norm):
            for j in range(i):
                if found[j] is None:
                    backward[j] = signal
    labels = []
    for i, clause in enumerate(sentence):
        if clause.role != "text":
            if is_heading(clause, by_id[clause.section_id], by_id, cues):
                labels.append(HEADING)
                continue
            if clause.role == "row":  # a row of an indicator table
                labels.append(TARGET)
                continue
        if clause.kind in cues.fixed_kinds:
            labels.append(_state(default))
            continue
        signal = found[i]
        if signal is not None and not signal.applies(state):
            signal = _applicable_signal(clause.norm, state, cues)
        if _is_title_line(clause, cues) and (signal is None or signal.function != PROCEDURAL):
            labels.append(HEADING)
            continue
        if signal is not None:
            function = signal.function
            if signal.carry == "paragraph":
                state, ends_at = function, 0
                paragraph_state, paragraph_ends = function, signal.ends_at
            elif signal.carry == "sentence":
                state, ends_at, paragraph_state = function, signal.ends_at, None
        elif found[i] is None and i in backward and backward[i].applies(state):
            function = backward[i].function
        else:
            if masks[i] & ends_at:  # back to what the section does
                state, ends_at, paragraph_state = _state(default), 0, None
            function = state
        if function == COMMITMENT:
            if masks[i] & cues.goal_openers:
                goals = True
            function = commitment_function(masks[i], default, goals, cues)
        labels.append(function)
    runs_on = bool(sentence) and sentence[-1].norm[-1:] in cues.run_on
    keeps = paragraph_state is not None and paragraph_state == state
    return labels, _Carry(paragraph_state if keeps else None, paragraph_ends if keeps else 0,
                          state if runs_on else None, ends_at, goals)


def _state(default: str) -> str:
    """The narrative state a section starts its sentences in."""
    return default if default in (REVIEW, CONTEXT, PROCEDURAL) else COMMITMENT


def _first_signal(mask: int, cues: FunctionCues) -> Signal | None:
    """The first signal, in order of precedence, among a clause's cues."""
    mask &= cues.signal_bits
    if mask:
        for signal in cues.signals:
            if mask & signal.bit:
                return signal
    return None


def _applicable_signal(norm: str, state: str, cues: FunctionCues) -> Signal | None:
    """The first signal of a clause that applies in `state` (the first one found did not)."""
    mask = cues.cues.all_hits(norm)
    for signal in cues.signals:
        if mask & signal.bit and signal.applies(state):
            return signal
    return None


def commitment_function(mask: int, default: str, goals: bool, cues: FunctionCues) -> str:
    """Target, principle or action: a figure or dated goal makes a target, and so does an
    outcome among goals ("…取得新进展"); a stance makes a principle; in a guideline or goal
    section the rest is a principle or a target; among dated goals a clause no verb opens
    is a target; the rest are actions."""
    among_goals = goals or default == TARGET
    if mask & cues.target or among_goals and mask & cues.goal_outcomes:
        return TARGET
    if mask & cues.principle:
        return PRINCIPLE
    if default in (PRINCIPLE, TARGET):
        return default
    if goals and not mask & cues.action_openers:
        return TARGET
    return ACTION


def is_heading(clause: Clause, section: Section, by_id: dict[str, Section],
               cues: FunctionCues) -> bool:
    """A heading line, a numbered or boxed run-in lead, or a table's header row.
    An unnumbered lead in running text ("提升防灾减灾救灾能力。…") says what its
    paragraph does, so it is judged by its words."""
    if clause.role == "heading":
        return True
    if clause.role == "lead":
        return section.style not in cues.content_lead_styles or _in_box(section, by_id, cues)
    if clause.role == "row":
        return cues.header_row.match(clause.norm) is not None
    return False


def _in_box(section: Section, by_id: dict[str, Section], cues: FunctionCues) -> bool:
    """Whether the section or one of its ancestors is a box (专栏): its items name projects."""
    node: Section | None = section
    while node is not None:
        if node.style in cues.box_styles:
            return True
        node = by_id.get(node.parent) if node.parent else None
    return False


def _is_title_line(clause: Clause, cues: FunctionCues) -> bool:
    """A line of the title block: front matter with no running-text punctuation."""
    return clause.kind in cues.title_block_kinds and \
        not cues.running_punctuation.search(clause.norm)

"""Named thresholds of alignment and fates, with the defaults tuned on the dev probes.

Every field can be overridden from the command line (`continuity align --set
min_score=0.4`) or in Python (`AlignSettings(min_score=0.4)`).
"""

from __future__ import annotations

import inspect
import re
from dataclasses import dataclass, fields, replace


class UnknownSettingError(KeyError):
    """A setting name that AlignSettings does not have (the message lists the known ones)."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


@dataclass(frozen=True, slots=True)
class AlignSettings:
    """Thresholds of clause alignment."""

    #: A pair sharing one distinctive term is a counterpart only at or above this score
    #: (0–1): the clauses' similarity plus `context_weight` times their sentences'
    #: similarity, over 1 + context_weight.
    min_score: float = 0.30
    #: ...and only if the clauses themselves are at least this similar (0–1).
    min_clause_score: float = 0.20
    #: Each further distinctive term a pair shares (up to two more) lowers the score it
    #: needs by this much: thin evidence needs more similarity, several named things less.
    evidence_step: float = 0.04
    #: A pair whose every shared distinctive term names a different object in each clause
    #: (西部中试中心 / 西部金融中心: what follows 西部 differs on both sides) needs this much
    #: more score: thin evidence that the two are one commitment.
    conflict_penalty: float = 0.04
    #: How much the similarity of the sentences around two clauses adds to their score:
    #: a commitment whose neighbours also correspond is more surely the same commitment.
    context_weight: float = 0.5
    #: Counterparts kept per clause and target document.
    max_counterparts: int = 3
    #: Clauses with fewer word characters than this are too short to align.
    min_chars: int = 6
    #: Weight of jieba words against character bigrams in the vectors (0–1).
    word_weight: float = 0.3
    #: Weight of rare single characters in the vectors (0–1), taken from words and bigrams
    #: alike: abbreviations share them with full names (成眉线, 成都至眉山线).
    char_weight: float = 0.15
    #: Characters less distinctive than this (idf) are left out of the vectors.
    char_min_idf: float = 6.0
    #: A shared term at least this distinctive (idf) counts as evidence.
    evidence_idf: float = 5.0
    #: A counterpart whose clause similarity is below `strong_score` needs a shared term of
    #: idf ≥ evidence_idf that is not a frame word (data/frame_words.txt: 更加, 注重, …).
    strong_score: float = 0.6
    #: Clause functions that take part in alignment: commitments, headings (a plan's 节
    #: title states its commitment) and review passages (which look for the commitment they
    #: report on); context and procedural clauses do not.
    aligned_functions: tuple[str, ...] = ("action", "target", "principle", "heading", "review")
    #: Clause functions never used as counterparts: a report of past work is not a commitment.
    excluded_target_functions: tuple[str, ...] = ("review",)
    #: Section kinds never used as counterparts: retrospective and reference parts.
    excluded_target_kinds: tuple[str, ...] = ("review", "glossary", "preamble")
    #: Section kinds whose clauses are not aligned at all: title blocks and glossaries.
    excluded_source_kinds: tuple[str, ...] = ("glossary", "preamble")

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
                kind = type(current).__name__
                raise ValueError(f"setting {name} takes a {kind}, not {text!r}") from exc
        return replace(self, **changes)  # type: ignore[arg-type]


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

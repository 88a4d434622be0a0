"""Find where the cue lists of data/functions.toml match in a document's clauses, fast.

The functions stage asks of every clause which of a dozen cue lists (about a hundred
regular expressions) it matches. Searching each clause for each list costs a Python call
per clause and list, and joining patterns by | loses the regex engine's fast search for
a literal start. So the lists come in families, ordered by precedence (the signals; the
kinds of commitment), and:

- the patterns anchored at the clause start (^…) of a family are joined in order into
  one regex matched once per clause, which names the first list that matches;
- every other pattern is split at its outermost | and each part searched once over the
  whole document (its clauses joined by newlines; negated classes [^…] may not cross
  them), every hit mapped back to its clause.

A list may require that a hit starts within the first `within` characters of the clause,
and name `unless` patterns that cancel its hits. The bundled corpus takes about 20 ms.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class CueSpec:
    """One cue list as the data file gives it: regular expressions over a clause's
    normalised text; a hit must start within `within` characters of the clause start
    (None: anywhere); a clause matching an `unless` pattern has no hit."""

    name: str
    patterns: tuple[str, ...]
    within: int | None = None
    unless: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class CueSet:
    """Compiled families of cue lists. `hits` gives each clause a bit mask (bit i: list i
    of `names`) holding every list with an unanchored hit and, of each family, the first
    list in order whose anchored patterns match; `all_hits` gives one clause the full
    mask, for the rare caller that must look past the first."""

    names: tuple[str, ...]
    heads: tuple[tuple[re.Pattern[str], dict[str, int]], ...]
    scans: tuple[tuple[int, re.Pattern[str]], ...]
    within: tuple[int | None, ...]
    unless: tuple[re.Pattern[str] | None, ...]
    anchored: tuple[re.Pattern[str] | None, ...]

    def bit(self, name: str) -> int:
        return 1 << self.names.index(name)

    def hits(self, norms: Sequence[str]) -> list[int]:
        masks = [0] * len(norms)
        for head, bits in self.heads:
            match = head.match
            for k, norm in enumerate(norms):
                found = match(norm)
                if found is not None:
                    masks[k] |= bits[found.lastgroup]  # type: ignore[index]
        if self.scans:
            joined = "\n".join(norms)
            starts, total = [], 0
            for norm in norms:
                starts.append(total)
                total += len(norm) + 1
            for i, pattern in self.scans:
                bit, within = 1 << i, self.within[i]
                for found in pattern.finditer(joined):
                    k = bisect.bisect_right(starts, found.start()) - 1
                    if within is None or found.start() - starts[k] < within:
                        masks[k] |= bit
        for i, unless in enumerate(self.unless):
            if unless is not None:
                bit = 1 << i
                for k, norm in enumerate(norms):
                    if masks[k] & bit and unless.search(norm):
                        masks[k] &= ~bit
        return masks

    def all_hits(self, norm: str) -> int:
        """Every list one clause matches, anchored ones past the first included."""
        mask = self.hits([norm])[0]
        for i, anchored in enumerate(self.anchored):
            if anchored is not None and anchored.match(norm):
                unless = self.unless[i]
                if unless is None or not unless.search(norm):
                    mask |= 1 << i
        return mask


def compile_cues(families: Sequence[Sequence[CueSpec]]) -> CueSet:
    """Compile families of cue lists, each in order of precedence. A pattern starting with
    ^ is anchored at the clause start (and must have no outermost |); `within` applies to
    the other patterns."""
    specs = [spec for family in families for spec in family]
    heads = []
    scans: list[tuple[int, re.Pattern[str]]] = []
    anchored: list[re.Pattern[str] | None] = []
    i = 0
    for family in families:
        branches, bits = [], {}
        for spec in family:
            starts = [p[1:] for p in spec.patterns if p.startswith("^")]
            anchored.append(re.compile(_either(starts)) if starts else None)
            if starts:
                branches.append(f"(?P<cue{i}>{_either(starts)})")
                bits[f"cue{i}"] = 1 << i
            for p in spec.patterns:
                if not p.startswith("^"):
                    scans.extend((i, re.compile(_NEGATED_CLASS.sub(r"[^\\n", part),
                                                re.MULTILINE))
                                 for part in top_level_alternatives(p))
            i += 1
        if branches:
            heads.append((re.compile("|".join(branches)), bits))
    return CueSet(
        names=tuple(s.name for s in specs),
        heads=tuple(heads),
        scans=tuple(scans),
        within=tuple(s.within for s in specs),
        unless=tuple(re.compile(_either(s.unless)) if s.unless else None for s in specs),
        anchored=tuple(anchored),
    )


def _either(patterns: Sequence[str]) -> str:
    return "|".join(f"(?:{p})" for p in patterns)


def top_level_alternatives(pattern: str) -> list[str]:
    """The alternatives of a pattern's outermost |: "必须|务必" → ["必须", "务必"].
    Searched one by one, each keeps the regex engine's fast search for a literal start,
    which a joined alternation loses (several times faster over a document)."""
    parts, depth, in_class, begin, i = [], 0, False, 0, 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            i += 2
            continue
        if in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
            if pattern[i + 1:i + 2] == "^":
                i += 1
            if pattern[i + 1:i + 2] == "]":
                i += 1
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "|" and depth == 0:
            parts.append(pattern[begin:i])
            begin = i + 1
        i += 1
    parts.append(pattern[begin:])
    return parts


#: A negated class in a scanned pattern must not run across the newline between clauses.
_NEGATED_CLASS = re.compile(r"(?<!\\)\[\^")

"""Aliases: one name under its full form and its abbreviation, read as one word.

Policy documents name a programme in full in one year and by its abbreviation in the
next (中国特色高水平高职学校和专业建设计划 / “双高计划”). The two share almost no
characters, so without help alignment cannot see one commitment. The equivalences are
data (`continuity/data/aliases.toml`, each with the published document that states it);
alignment compares a clause's *aliased* view, in which every form of a name is the name,
as one word, while display and `same` / `reworded` keep the clause's own text.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from .normalize import normalize

#: Quotes a form may carry anywhere inside it (“双高”计划 is 双高计划).
_QUOTE_CHARS = frozenset("“”‘’\"'")
_QUOTES = re.compile("[“”‘’\"']")


@dataclass(frozen=True, slots=True)
class Alias:
    """A name, its other forms, and where their equivalence is published."""

    name: str
    forms: tuple[str, ...]
    source: str


def parse_aliases(text: str, where: str = "aliases",
                  known: Sequence[Alias] = ()) -> tuple[Alias, ...]:
    """The aliases of a TOML text (the shape of `data/aliases.toml`): `aliases_of` its
    tables. Errors (ValueError) begin with `where`."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ValueError(f"{where}: not valid TOML: {exc}") from exc
    return aliases_of(data, where, known)


def aliases_of(data: Mapping[str, Any], where: str,
               known: Sequence[Alias] = ()) -> tuple[Alias, ...]:
    """The `[[alias]]` tables of a parsed aliases file, checked: every entry has a name,
    at least one form and a source, and no form belongs to two names (here or among the
    `known` aliases)."""
    found: list[Alias] = []
    owner = {form: alias.name for alias in known for form in (alias.name, *alias.forms)}
    tables = data.get("alias", [])
    if not isinstance(tables, list):
        raise ValueError(f"{where}: aliases are [[alias]] tables")
    for n, table in enumerate(tables, 1):
        if not isinstance(table, dict):
            raise ValueError(f"{where}: entry {n} needs a name, a list of forms and a source")
        name, forms, source = table.get("name"), table.get("forms"), table.get("source")
        if not (isinstance(name, str) and name.strip() and isinstance(source, str)
                and source.strip() and isinstance(forms, list) and forms
                and all(isinstance(f, str) and f.strip() for f in forms)):
            raise ValueError(f"{where}: entry {n} needs a name, a list of forms and a source")
        alias = Alias(normalize(name), tuple(normalize(f) for f in forms), source.strip())
        for form in (alias.name, *alias.forms):
            if owner.setdefault(form, alias.name) != alias.name:
                raise ValueError(f"{where}: {form} is a form of both {owner[form]} and "
                                 f"{alias.name}")
        found.append(alias)
    return tuple(found)


@cache
def shipped_aliases() -> tuple[Alias, ...]:
    """The aliases shipped in `continuity/data/aliases.toml`."""
    text = resources.files("continuity").joinpath("data", "aliases.toml").read_text("utf-8")
    return parse_aliases(text, "continuity/data/aliases.toml")


@dataclass(frozen=True)
class AliasMatcher:
    """Finds the forms of every alias in a normalised text (longest form first) and
    rewrites a clause's words so that each form found is its name, segmented as the
    documents' own text is (so 双高计划 written out and rewritten give the same words)."""

    #: The aliases it reads, in their files' order.
    aliases: tuple[Alias, ...]
    pattern: re.Pattern[str] | None
    #: The name each form stands for (its own name too).
    names: dict[str, str]
    #: Each name's words.
    name_words: dict[str, tuple[str, ...]]

    @classmethod
    def of(cls, aliases: Sequence[Alias],
           segmenter: Callable[[str], tuple[str, ...]] | None = None) -> AliasMatcher:
        """The matcher of `aliases`; `segmenter` cuts names into words (default: jieba with
        the domain dictionary, `text.segment`, its answers remembered)."""
        if segmenter is None:
            from .segment import phrase_words

            segmenter = phrase_words
        names = {form: alias.name for alias in aliases for form in (alias.name, *alias.forms)}
        if not names:
            return cls(tuple(aliases), None, {}, {})
        # one alternation of plain forms, longest first: no groups, so it is searched fast
        forms = sorted(names, key=lambda form: (-len(form), form))
        pattern = re.compile("|".join(_form_pattern(form) for form in forms))
        return cls(tuple(aliases), pattern, names,
                   {name: tuple(segmenter(name)) for name in sorted(set(names.values()))})

    def spans(self, norm: str) -> list[tuple[int, int, str]]:
        """(start, end, name) of each form found in `norm`, left to right; the name itself,
        written as it is, is no form to rewrite. Quotes inside a form are read through:
        the search runs on the text without quotes, its spans mapped back."""
        if self.pattern is None:
            return []
        if not _QUOTES.search(norm):
            found = ((m.start(), m.end(), self.names[m.group()])
                     for m in self.pattern.finditer(norm))
        else:
            kept = [k for k, ch in enumerate(norm) if ch not in _QUOTE_CHARS]
            bare = "".join(norm[k] for k in kept)
            found = ((kept[m.start()], kept[m.end() - 1] + 1, self.names[m.group()])
                     for m in self.pattern.finditer(bare))
        return [(a, b, name) for a, b, name in found if norm[a:b] != name]

    def view(self, norm: str, tokens: Sequence[str]) -> tuple[str, tuple[str, ...]]:
        """A clause's text and words with every form of a name replaced by the name's words
        (a word the form cuts keeps its part outside the form). Unchanged, and the same
        objects, when the clause writes no form."""
        spans = self.spans(norm)
        if not spans:
            return norm, tuple(tokens)
        out_tokens: list[str] = []
        pieces, at, k = [], 0, 0
        bounds = _token_bounds(tokens)
        for start, end, name in spans:
            pieces.append(norm[at:start])
            while k < len(bounds) and bounds[k][1] <= start:
                out_tokens.append(tokens[k])
                k += 1
            if k < len(bounds) and bounds[k][0] < start:  # a word cut by the form's start
                out_tokens.append(norm[bounds[k][0]:start])
            out_tokens.extend(self.name_words[name])
            pieces.append(name)
            while k < len(bounds) and bounds[k][1] <= end:
                k += 1
            if k < len(bounds) and bounds[k][0] < end:  # a word cut by the form's end
                out_tokens.append(norm[end:bounds[k][1]])
                k += 1
            at = end
        pieces.append(norm[at:])
        out_tokens.extend(tokens[k:])
        return "".join(pieces), tuple(out_tokens)


def _form_pattern(form: str) -> str:
    """A form as a pattern (searched in text without quotes): a form that begins or ends
    in a Latin letter is never part of a longer Latin word (AI is not the AI of MAIL)."""
    found = re.escape(form)
    if form[:1].isascii() and form[:1].isalpha():
        found = "(?<![A-Za-z])" + found
    if form[-1:].isascii() and form[-1:].isalpha():
        found += "(?![A-Za-z])"
    return found


def _token_bounds(tokens: Sequence[str]) -> list[tuple[int, int]]:
    bounds, at = [], 0
    for token in tokens:
        bounds.append((at, at + len(token)))
        at += len(token)
    return bounds

"""The comparison form of text: Unicode NFKC (full/half-width unified), whitespace and
invisible format characters removed.

Matching always happens on this form and display always on the original, so
each normalised character keeps the offset of the display character it came from.
Invisible characters (zero-width spaces, joiners, U+FEFF inside text, soft hyphens,
direction marks: Unicode category Cf) show nothing on screen but survive copying
from web pages and word processors; left in, they make identical passages differ.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Normalized:
    """`text` in comparison form; `offsets[i]` is the display offset `text[i]` came from."""

    text: str
    offsets: tuple[int, ...]

    def display_span(self, start: int, end: int) -> tuple[int, int]:
        """The display span [a, b) covering normalised characters [start, end)."""
        if start >= end:
            anchor = self.offsets[start] if start < len(self.offsets) else self._end
            return anchor, anchor
        return self.offsets[start], self.offsets[end - 1] + 1

    @property
    def _end(self) -> int:
        return self.offsets[-1] + 1 if self.offsets else 0


def invisible(ch: str) -> bool:
    """Whether a character shows nothing: a format character (Unicode category Cf), such
    as U+200B zero-width space, U+200D zero-width joiner, U+FEFF, U+00AD soft hyphen."""
    return unicodedata.category(ch) == "Cf"


def visible(text: str) -> str:
    """`text` without its invisible characters (whitespace stays)."""
    if text.isprintable():  # the common case, checked in C: no Cf (nor Cc, Zs…) at all
        return text
    return "".join(ch for ch in text if not invisible(ch))


def visible_offsets(text: str) -> tuple[str, tuple[int, ...] | None]:
    """`visible(text)` and, for each of its characters, its offset in `text` (None when
    nothing was removed, so offsets are the same)."""
    kept = visible(text)
    if len(kept) == len(text):
        return text, None
    return kept, tuple(i for i, ch in enumerate(text) if not invisible(ch))


def normalize(text: str) -> str:
    """NFKC with all whitespace and invisible characters removed: "１ 万美元，" → "1万美元,"."""
    return visible("".join(unicodedata.normalize("NFKC", text).split()))


def normalize_with_offsets(text: str) -> Normalized:
    """Like `normalize`, keeping for every output character its source offset."""
    chars: list[str] = []
    offsets: list[int] = []
    check = not text.isprintable()  # else there is nothing invisible to leave out
    for i, ch in enumerate(text):
        if ch.isspace():
            continue
        folded = unicodedata.normalize("NFKC", ch) if not ch.isascii() else ch
        for out in folded:
            if not out.isspace() and not (check and invisible(out)):
                chars.append(out)
                offsets.append(i)
    return Normalized("".join(chars), tuple(offsets))


#: Numbering that opens a heading, item or paragraph, in comparison form (after NFKC):
#: 第三篇 / 第七章 / 第一节, 专栏12, (一), 一、, 1. / 1、, ——, and the enumerator of running
#: text 一是 / 四是 (the conventions of official documents, as `structure.headings` reads
#: them): 四是坚持以人民为中心的发展思想 says what 坚持以人民为中心的发展思想 says.
LEADING_NUMBER = re.compile(
    r"^(?:第[一二三四五六七八九十百零〇0-9]+[篇章节]|专栏\d+|\([一二三四五六七八九十百零〇0-9]+\)"
    r"|[一二三四五六七八九十百]+、|[一二三四五六七八九十]{1,2}是(?=[\u4e00-\u9fff])"
    r"|\d{1,3}[.、](?![\d%])|[—─-]{2})")
#: Punctuation: everything but letters, digits, CJK, a decimal point and a percent sign.
_NOT_WORD = re.compile(r"[^0-9A-Za-z\u4e00-\u9fff.%]+|(?<![0-9])\.|\.(?![0-9])")


def wording(norm: str) -> str:
    """What `same` compares: the comparison form without leading numbering and without
    punctuation, so "（三）加快建设农业强省。" and "加快建设农业强省，" have the same wording
    and "加快建成农业强省" does not."""
    return _NOT_WORD.sub("", LEADING_NUMBER.sub("", norm, count=1))

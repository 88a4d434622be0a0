"""Recognise the heading conventions of Chinese official documents in one paragraph.

Conventions (GB/T 9704 and common practice for plans and reports), outermost first:
an unnumbered part heading ("2023年工作回顾", "名词解释"), 第X篇, 第X章, 第X节,
一、, （一）/(一), 专栏N boxes, 1. items, —— bullets, and run-in lead sentences
("做实项目支撑扩大有效投资。…") that act as a paragraph's sub-heading.
Numbered headings may stand alone or run in: "（一）实施…行动。瞄准…" titles the
paragraph it opens. Invisible characters (a zero-width space in "一\u200b、") are looked
through: a heading is found as it is seen, and its offsets are those of the paragraph.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace

from ...text.normalize import visible, visible_offsets

CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
             "六": 6, "七": 7, "八": 8, "九": 9}
CN_UNITS = {"十": 10, "百": 100}
_CN = "零〇一二两三四五六七八九十百"

#: Outer-to-inner rank of each style; a heading closes every open section of equal or inner rank.
RANKS = {
    "heading": 0,
    "pian": 1,
    "zhang": 2,
    "jie": 3,
    "cn-number": 4,
    "paren-number": 5,
    "box": 6,
    "item": 7,
    "bullet": 8,
    "lead": 9,
    "paragraph": 10,
}
#: Styles whose section is the one paragraph they open (a `paragraph` section is body
#: text under no heading: see `tree`).
PARAGRAPH_SCOPED = frozenset({"item", "bullet", "lead", "paragraph"})

SENTENCE_END = "。！？；!?;"
#: Closing quotes and brackets that belong to the sentence before them.
CLOSERS = "”’」』）)》"
#: Punctuation that marks running text: a line with any of these is not a bare heading.
_RUNNING_PUNCT = set("。，,；;：:！!？?")
_CHAPTER = re.compile(rf"^第([{_CN}]+)([篇章节])\s*(.*)$")
_BOX = re.compile(r"^专栏\s*(\d+)\s*(.*)$")
_CN_NUMBER = re.compile(rf"^([{_CN}]+)、\s*(.*)$")
_PAREN_NUMBER = re.compile(rf"^[（(]([{_CN}]+)[）)]\s*(.*)$")
_ITEM = re.compile(r"^(\d{1,3})[.．、](?![\d%])\s*(.*)$")
_BULLET = re.compile(r"^[—─－-]{2}\s*(.*)$")
_CHAPTER_STYLES = {"篇": "pian", "章": "zhang", "节": "jie"}

#: A bare heading is at most this long (characters); longer lines are running text.
MAX_BARE_HEADING = 60
#: A run-in lead sentence is this long at most, and the paragraph goes on for at least
#: MIN_LEAD_BODY characters after it.
MAX_LEAD = 22
MIN_LEAD_BODY = 30


@dataclass(frozen=True, slots=True)
class HeadingMatch:
    """What a paragraph's heading is: its style, number, title, and where the title stops.

    `title_end` is an offset into the paragraph: the whole paragraph for a
    standalone heading, the end of the first sentence for a run-in one.
    """

    style: str
    marker: str
    number: int | None
    title: str
    title_end: int
    standalone: bool

    @property
    def rank(self) -> int:
        return RANKS[self.style]


def cn_to_int(text: str) -> int | None:
    """Chinese numeral to int (一 → 1, 十二 → 12, 六十四 → 64, 一百零三 → 103).

    None when `text` has a character that is not a numeral.
    """
    total, current = 0, 0
    if not text:
        return None
    for ch in text:
        if ch in CN_DIGITS:
            current = CN_DIGITS[ch]
        elif ch in CN_UNITS:
            total += (current or 1) * CN_UNITS[ch]
            current = 0
        else:
            return None
    return total + current


def has_running_punct(text: str) -> bool:
    return any(ch in _RUNNING_PUNCT for ch in text)


def is_bare_heading(text: str) -> bool:
    """A short line with no sentence punctuation: an unnumbered heading or a title line."""
    stripped = visible(text).strip()
    return (
        0 < len(stripped) <= MAX_BARE_HEADING
        and "\t" not in stripped
        and not has_running_punct(stripped)
        and not (stripped[0] in "(（" and stripped[-1] in ")）")
    )


def numbered_heading(text: str) -> HeadingMatch | None:
    """The numbered heading a paragraph opens with (第X章, 一、, （一）, 专栏N, 1., ——), if any."""
    return _through_invisible(_numbered_heading, text)


def lead_sentence(text: str) -> HeadingMatch | None:
    """A short first sentence that titles the rest of its paragraph ("强化‘一老一小’服务。…")."""
    return _through_invisible(_lead_sentence, text)


def _through_invisible(find: Callable[[str], HeadingMatch | None],
                       text: str) -> HeadingMatch | None:
    """`find` on the visible characters of `text`, its `title_end` mapped back to `text`
    (invisible characters just after the title stay with the body)."""
    seen, offsets = visible_offsets(text)
    found = find(seen)
    if found is None or offsets is None:
        return found
    if found.title_end >= len(seen):
        return replace(found, title_end=len(text))
    return replace(found, title_end=offsets[found.title_end - 1] + 1 if found.title_end else 0)


def _numbered_heading(text: str) -> HeadingMatch | None:
    if "\t" in text:
        return None
    m = _CHAPTER.match(text)
    if m:
        style = _CHAPTER_STYLES[m.group(2)]
        marker = f"第{m.group(1)}{m.group(2)}"
        return _standalone(style, marker, cn_to_int(m.group(1)), m.group(3), text)
    m = _BOX.match(text)
    if m:
        return _standalone("box", f"专栏{m.group(1)}", int(m.group(1)), m.group(2), text)
    for style, pattern, to_int in (
        ("paren-number", _PAREN_NUMBER, cn_to_int),
        ("cn-number", _CN_NUMBER, cn_to_int),
        ("item", _ITEM, int),
        ("bullet", _BULLET, None),
    ):
        m = pattern.match(text)
        if m:
            number = to_int(m.group(1)) if to_int else None
            if to_int and number is None:
                continue
            body = m.group(m.lastindex or 1)
            marker = {"paren-number": f"({m.group(1)})", "bullet": "——"}.get(style, m.group(1))
            return _run_in(style, marker, number, text, len(text) - len(body),
                           glossary_colon=style == "item")
    return None


def _lead_sentence(text: str) -> HeadingMatch | None:
    found = _first_sentence_end(text)
    if found is None:
        return None
    mark, end = found
    lead = text[:mark]
    if not (2 <= len(lead) <= MAX_LEAD) or has_running_punct(lead) or "\t" in lead:
        return None
    if "是" in lead:  # "X是Y" states a fact; sub-heading leads are imperative phrases
        return None
    if len(text) - end < MIN_LEAD_BODY:
        return None
    return HeadingMatch("lead", "", None, lead, end, standalone=False)


def _standalone(style: str, marker: str, number: int | None, title: str, text: str) -> HeadingMatch:
    return HeadingMatch(style, marker, number, title.strip(), len(text), standalone=True)


def _run_in(style: str, marker: str, number: int | None, text: str, body_start: int,
            glossary_colon: bool) -> HeadingMatch:
    body = text[body_start:]
    found = _first_sentence_end(body)
    if glossary_colon:
        colon = min((i for i in (body.find(":"), body.find("：")) if i >= 0), default=-1)
        if 0 < colon <= 30 and (found is None or colon < found[0]):
            return HeadingMatch(style, marker, number, body[:colon].strip(),
                                body_start + colon + 1, False)
    if found is None:
        return HeadingMatch(style, marker, number, body.strip(), len(text), standalone=True)
    mark, end = found
    standalone = end == len(body)
    return HeadingMatch(style, marker, number, body[:mark].strip(), body_start + end, standalone)


def _first_sentence_end(text: str) -> tuple[int, int] | None:
    """(offset of the first sentence-ending mark, offset just past it and any closing quotes)."""
    for i, ch in enumerate(text):
        if ch in SENTENCE_END:
            j = i + 1
            while j < len(text) and text[j] in CLOSERS:
                j += 1
            return i, j
    return None

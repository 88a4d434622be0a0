"""Build a document's section tree from its cleaned paragraphs.

A stack of open sections: each heading closes the open sections of equal or
inner rank and opens its own; body paragraphs belong to the innermost open
section. Items, bullets and lead sentences title only the paragraph they open.

A title block (title lines, then at most a few opening sentences before the first
heading) is the `front` section. Body text under no heading at all (a document with
no recognised headings, or a paragraph after a top-level 1. or —— item) falls back
to paragraph-level sections, one per paragraph, so that it is aligned like the rest.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

from ...records import CleanText, Outline, Section
from .headings import (
    PARAGRAPH_SCOPED,
    RANKS,
    HeadingMatch,
    has_running_punct,
    is_bare_heading,
    lead_sentence,
    numbered_heading,
)

FRONT_LABEL = "题头"
#: Style and label of a paragraph-level section: body text under no heading (¶1, ¶2, …).
PARAGRAPH_STYLE = "paragraph"
PARAGRAPH_LABEL = "¶"
#: The title block may end with this many body paragraphs before the first heading (an
#: opening sentence, the adoption formula); a longer stretch of body text is body.
MAX_OPENING_BODY = 3
#: A paragraph this long with sentence punctuation is running text, not a title line,
#: even without a 。 (English text, text punctuated with full stops only).
MAX_TITLE_LINE = 60
#: Rows of a table are tab-separated; a section with this many is a table.
MIN_TABLE_ROWS = 2
_LABEL_CHARS = 20


@dataclass(frozen=True, slots=True)
class KindRules:
    """How sections get their kind: title patterns, the top-level default, and the kind of
    the title block."""

    default: str
    front: str
    rules: tuple[tuple[str, tuple[re.Pattern[str], ...]], ...]

    def match(self, title: str) -> str | None:
        for kind, patterns in self.rules:
            if any(p.search(title) for p in patterns):
                return kind
        return None


#: The kind of a section holding an indicator table (tab-separated rows).
TABLE_KIND = "table"


@cache
def known_kinds(rules: KindRules | None = None) -> frozenset[str]:
    """Every kind a section can have under `rules` (default: the shipped ones)."""
    rules = rules or default_kind_rules()
    return frozenset({rules.default, rules.front, TABLE_KIND, *(k for k, _ in rules.rules)})


@cache
def default_kind_rules() -> KindRules:
    """The rules shipped in `continuity/data/section_kinds.toml`."""
    text = resources.files("continuity").joinpath("data/section_kinds.toml").read_text("utf-8")
    return parse_kind_rules(text)


def parse_kind_rules(text: str) -> KindRules:
    data = tomllib.loads(text)
    return KindRules(
        default=data.get("default", "plan"),
        front=data.get("front", "preamble"),
        rules=tuple(
            (r["kind"], tuple(re.compile(p) for p in r["titles"])) for r in data.get("rule", [])
        ),
    )


@dataclass(slots=True)
class _Children:
    """The labels taken under one parent, so that each new one is unique among them."""

    labels: set[str] = field(default_factory=set)
    styles: Counter[str] = field(default_factory=Counter)
    last: dict[str, int] = field(default_factory=dict)

    def claim(self, base: str, style: str) -> str:
        """`base`, or `base#2`, `base#3`… when a sibling has it already."""
        n = self.last.get(base, 1)
        label = base if n == 1 else f"{base}#{n}"
        while label in self.labels:
            n += 1
            label = f"{base}#{n}"
        self.last[base] = n
        self.labels.add(label)
        self.styles[style] += 1
        return label


@dataclass(slots=True)
class _Open:
    """A section while the tree is being built (mutable; frozen into `Section` at the end)."""

    path: tuple[str, ...]
    parent: _Open | None
    style: str
    number: int | None
    title: str
    kind: str
    start: int
    heading_end: int
    end: int
    rank: int
    children: _Children = field(default_factory=_Children)
    table_rows: int = 0


def build_outline(clean: CleanText, title: str, rules: KindRules | None = None) -> Outline:
    """The section tree of a cleaned document; `title` names the title block, if any."""
    rules = rules or default_kind_rules()
    texts = [clean.text[p.start:p.end] for p in clean.paragraphs]
    opened: list[_Open] = []
    stack: list[_Open] = []
    top = _Children()  # the labels of top-level sections
    places: list[_Open] = []
    heads: list[int] = []
    front_count = _front_block_length(texts)
    title_block = _title_block_length(texts, front_count)

    for index, paragraph in enumerate(clean.paragraphs):
        text = texts[index]
        if index == 0 and front_count:
            section = _open(stack, opened, top, "front", FRONT_LABEL, None, title, rules.front,
                            paragraph.start, paragraph.start, -1)
            places.append(section)
            heads.append(0)
            continue
        # lead sentences sub-title numbered sections only, not communiques or title blocks
        in_numbered = bool(stack) and stack[-1].style not in ("front", "heading")
        heading = _heading(text, in_section=in_numbered, in_front=index < front_count)
        if heading is None:
            if index < title_block:  # opening text before the first heading: the title block
                if not stack:
                    _open(stack, opened, top, "front", FRONT_LABEL, None, title, rules.front,
                          paragraph.start, paragraph.start, -1)
            elif not stack or stack[-1].style == "front":  # body text under no heading
                stack.clear()
                before = next((s for s in reversed(opened)
                               if s.parent is None and s.style != "front"), None)
                label = f"{PARAGRAPH_LABEL}{top.styles[PARAGRAPH_STYLE] + 1}"
                _open(stack, opened, top, PARAGRAPH_STYLE, label, None, "",
                      before.kind if before else rules.default, paragraph.start,
                      paragraph.start, RANKS[PARAGRAPH_STYLE])
            owner = stack[-1]
            if "\t" in text:
                owner.table_rows += 1
            places.append(owner)
            heads.append(0)
        else:
            while stack and (stack[-1].rank >= heading.rank or stack[-1].style == "front"):
                stack.pop()
            parent = stack[-1] if stack else None
            kind = rules.match(heading.title) or (parent.kind if parent else rules.default)
            siblings = parent.children if parent else top
            section = _open(stack, opened, top, heading.style, _label(heading, siblings),
                            heading.number, heading.title, kind, paragraph.start,
                            paragraph.start + heading.title_end, heading.rank)
            places.append(section)
            heads.append(heading.title_end)
        for section in stack:
            section.end = paragraph.end
        if stack and stack[-1].style in PARAGRAPH_SCOPED:
            stack.pop()
    return _freeze(clean.doc_id, opened, places, heads)


def _front_block_length(texts: list[str]) -> int:
    """How many leading paragraphs form a title block (titles, dates, adoption notes).

    A lone bare line before the body is an ordinary unnumbered heading ("总体要求"),
    not a title block.
    """
    count = 0
    for text in texts:
        if "。" in text or numbered_heading(text) is not None or _running_text(text):
            break
        count += 1
    if count == 1 and is_bare_heading(texts[0]):
        return 0
    return count


def _running_text(text: str) -> bool:
    return len(text) > MAX_TITLE_LINE and has_running_punct(text)


def _title_block_length(texts: list[str], front_count: int) -> int:
    """How many leading paragraphs make the title block: its title lines, then the body
    paragraphs before the first heading when there are at most MAX_OPENING_BODY of them
    (with no heading at all, or more of them, the body is not a title block's)."""
    first = next((i for i in range(front_count, len(texts))
                  if numbered_heading(texts[i]) is not None or is_bare_heading(texts[i])), None)
    if first is not None and first - front_count <= MAX_OPENING_BODY:
        return first
    return front_count


def _heading(text: str, in_section: bool, in_front: bool) -> HeadingMatch | None:
    if in_front:
        return None
    numbered = numbered_heading(text)
    if numbered is not None:
        return numbered
    if is_bare_heading(text):
        return HeadingMatch("heading", "", None, text.strip(), len(text), standalone=True)
    if in_section:
        return lead_sentence(text)
    return None


def _label(heading: HeadingMatch, siblings: _Children) -> str:
    if heading.style == "bullet":
        return f"——{siblings.styles['bullet'] + 1}"
    if heading.style in ("lead", "heading"):
        return heading.title[:_LABEL_CHARS] or "·"
    return heading.marker


def _open(stack: list[_Open], opened: list[_Open], top: _Children, style: str, base: str,
          number: int | None, title: str, kind: str, start: int, heading_end: int,
          rank: int) -> _Open:
    """Open a section under the innermost open one; its label is `base`, with a #n
    suffix when a sibling already has it, so that paths (and ids) are unique."""
    parent = stack[-1] if stack else None
    label = (parent.children if parent else top).claim(base, style)
    path = (parent.path if parent else ()) + (label,)
    section = _Open(path, parent, style, number, title, kind, start, heading_end, heading_end,
                    rank if rank >= 0 else RANKS["heading"])
    stack.append(section)
    opened.append(section)
    return section


def _freeze(doc_id: str, opened: list[_Open], places: list[_Open],
            heads: list[int]) -> Outline:
    ids = {id(s): section_id(doc_id, s.path) for s in opened}
    sections = tuple(
        Section(
            id=ids[id(s)],
            doc_id=doc_id,
            path=s.path,
            parent=ids[id(s.parent)] if s.parent else None,
            depth=len(s.path) - 1,
            style=s.style,
            number=s.number,
            title=s.title,
            kind=TABLE_KIND if s.table_rows >= MIN_TABLE_ROWS else s.kind,
            start=s.start,
            heading_end=s.heading_end,
            end=s.end,
        )
        for s in opened
    )
    return Outline(
        sections=sections,
        paragraph_sections=tuple(ids[id(p)] for p in places),
        paragraph_heads=tuple(heads),
    )


def structure_warning(sections: Sequence[Section]) -> str | None:
    """What a reader should know when a document's headings were not (all) recognised:
    its body, or part of it, has paragraph-level sections instead. None otherwise."""
    count = sum(1 for s in sections if s.style == PARAGRAPH_STYLE)
    if not count:
        return None
    if all(s.style in ("front", PARAGRAPH_STYLE) for s in sections):
        return (f"no recognised headings (第X章, 一、, （一）, 1., ——, short title lines): each "
                f"of its {count} paragraph(s) is a section of its own")
    return f"{count} paragraph(s) under no recognised heading, each a section of its own"


def section_id(doc_id: str, path: tuple[str, ...]) -> str:
    """A short stable id for a section: the same document and path give the same id."""
    digest = hashlib.sha1("\x1f".join((doc_id, *path)).encode("utf-8")).hexdigest()
    return f"s{digest[:10]}"

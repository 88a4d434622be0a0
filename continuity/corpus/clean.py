"""Clean a raw document: drop web and print boilerplate, rejoin PDF-broken paragraphs.

The result is one paragraph per line. Every dropped line is recorded with its
reason and every rejoined break with its place, so a researcher can audit what
cleaning did (`continuity clean DOC --removed`). The rules are data
(`data/boilerplate.toml`); this module only applies them.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from importlib import resources

from ..errors import DocumentError
from ..records import CleanText, Join, Paragraph, RemovedLine, SourceText
from ..text.normalize import normalize, visible
from .ingest import has_text
from .structure.headings import CLOSERS, SENTENCE_END, has_running_punct, numbered_heading

#: A line that stops mid-sentence is at least this long: shorter ones are titles, not wrapped text.
MIN_WRAPPED_LINE = 20
#: Lines whose end does not break a sentence.
_LINE_END_OK = set(SENTENCE_END + CLOSERS + "：:…】")
#: A full stop after a Latin letter ends an English sentence ("...industrial system.").
_ENGLISH_END = re.compile(r"[A-Za-z]\.$")
_Drop = Callable[[int, str], None]
#: Removed lines a sentence may run across (a page number or caption printed mid-sentence);
#: other removals (page chrome, a title block's metadata) end the paragraph.
JOINABLE_REASONS = frozenset({"print page number", "figure caption without its figure"})
DUPLICATE_TITLE_REASON = "web page title, repeated by the document's own title below"


@dataclass(frozen=True, slots=True)
class Rules:
    """Compiled boilerplate rules: per-line patterns, to-the-end blocks, table of contents."""

    lines: tuple[tuple[str, tuple[re.Pattern[str], ...]], ...]
    blocks: tuple[tuple[str, tuple[re.Pattern[str], ...]], ...]
    contents_reason: str
    contents_start: tuple[re.Pattern[str], ...]


@cache
def default_rules() -> Rules:
    """The rules shipped in `continuity/data/boilerplate.toml`."""
    text = resources.files("continuity").joinpath("data/boilerplate.toml").read_text("utf-8")
    return parse_rules(text)


def parse_rules(text: str) -> Rules:
    data = tomllib.loads(text)

    def compiled(patterns: list[str]) -> tuple[re.Pattern[str], ...]:
        return tuple(re.compile(p) for p in patterns)

    contents = data.get("contents", {})
    return Rules(
        lines=tuple((r["reason"], compiled(r["patterns"])) for r in data.get("line", [])),
        blocks=tuple((r["reason"], compiled(r["start"])) for r in data.get("block", [])),
        contents_reason=contents.get("reason", "table of contents"),
        contents_start=compiled(contents.get("start", [])),
    )


def clean(source: SourceText, rules: Rules | None = None) -> CleanText:
    """The cleaned text of a document, with what was removed and joined. A document with
    no text left (all of it boilerplate, or nothing there at all) is a DocumentError:
    compared with the others, it would make all their commitments disappear."""
    rules = rules or default_rules()
    lines = source.text.splitlines()
    stripped = [_stripped(line) for line in lines]
    removed = _removed_lines(stripped, rules)
    kept = [(i + 1, text) for i, text in enumerate(stripped) if text and (i + 1) not in removed]
    cleaned = _assemble(source.meta.id, kept, removed, len(lines))
    if not has_text(cleaned.text):
        name = f"{source.meta.file} ({source.meta.id})"
        if not has_text(source.text):
            raise DocumentError(f"{name}: the document is empty")
        reasons = "; ".join(sorted({r.reason for r in cleaned.removed})) or "none"
        raise DocumentError(
            f"{name}: no text is left after cleaning ({len(cleaned.removed)} line(s) removed "
            f"as boilerplate: {reasons}); if that is wrong, the rules are in "
            "continuity/data/boilerplate.toml")
    return cleaned


def _stripped(line: str) -> str:
    """A raw line without surrounding whitespace; "" for a blank line, one with nothing
    visible (only spaces and zero-width or other invisible characters)."""
    text = line.strip()
    return text if visible(text).strip() else ""


def _removed_lines(stripped: list[str], rules: Rules) -> dict[int, RemovedLine]:
    removed: dict[int, RemovedLine] = {}

    def drop(line_no: int, reason: str) -> None:
        removed.setdefault(line_no, RemovedLine(line_no, stripped[line_no - 1], reason))

    for i, text in enumerate(stripped):
        if not text:
            continue
        for reason, patterns in rules.blocks:
            if any(p.search(text) for p in patterns):
                for j in range(i, len(stripped)):
                    if stripped[j]:
                        drop(j + 1, reason)
                return _finish(stripped, removed, rules, drop)
        for reason, patterns in rules.lines:
            if any(p.search(text) for p in patterns):
                drop(i + 1, reason)
                break
    return _finish(stripped, removed, rules, drop)


def _finish(stripped: list[str], removed: dict[int, RemovedLine], rules: Rules,
            drop: _Drop) -> dict[int, RemovedLine]:
    _drop_contents(stripped, removed, rules, drop)
    _drop_duplicate_title(stripped, removed, drop)
    return removed


def _drop_contents(stripped: list[str], removed: dict[int, RemovedLine], rules: Rules,
                   drop: _Drop) -> None:
    """Drop a table of contents: its title line and the heading lines listed under it."""
    for i, text in enumerate(stripped):
        if not text or (i + 1) in removed or not any(p.search(text) for p in rules.contents_start):
            continue
        entries: list[int] = []
        first = None
        for j in range(i + 1, len(stripped)):
            entry = stripped[j]
            if not entry:
                continue
            heading = numbered_heading(entry)
            if heading is None or not heading.standalone:
                break
            if first is None:
                first = normalize(entry)
            elif normalize(entry) == first:
                break  # the contents are over: the first entry appears again as the real heading
            entries.append(j)
        if entries:
            drop(i + 1, rules.contents_reason)
            for j in entries:
                drop(j + 1, rules.contents_reason)
        return


def _drop_duplicate_title(stripped: list[str], removed: dict[int, RemovedLine],
                          drop: _Drop) -> None:
    """Drop a page's own title line where the document repeats it, split over 1–4 lines."""
    head = [i for i, t in enumerate(stripped) if t and (i + 1) not in removed]
    for pos, i in enumerate(head):
        if "。" in stripped[i]:
            return  # the document's body has begun
        target = normalize(stripped[i])
        joined = ""
        for j in head[pos + 1:pos + 5]:
            if has_running_punct(stripped[j]):
                break
            joined += normalize(stripped[j])
            if joined == target:
                drop(i + 1, DUPLICATE_TITLE_REASON)
                break
            if not target.startswith(joined):
                break


def _assemble(doc_id: str, kept: list[tuple[int, str]], removed: dict[int, RemovedLine],
              raw_line_count: int) -> CleanText:
    """Paragraphs from kept lines, joining a line that stops mid-sentence to the next one."""
    paragraphs: list[Paragraph] = []
    joins: list[Join] = []
    parts: list[str] = []
    offset = 0
    current: list[int] = []
    buffer = ""
    previous_line = 0
    for line_no, text in kept:
        crossed_removed = any(n in removed and removed[n].reason not in JOINABLE_REASONS
                              for n in range(previous_line + 1, line_no))
        if current and not crossed_removed and _continues(buffer, text):
            joins.append(Join(current[-1], line_no, offset + len(buffer)))
            buffer += text
            current.append(line_no)
        else:
            if current:
                offset = _close(paragraphs, parts, buffer, current, offset)
            buffer, current = text, [line_no]
        previous_line = line_no
    if current:
        _close(paragraphs, parts, buffer, current, offset)
    return CleanText(
        doc_id=doc_id,
        text="\n".join(parts),
        paragraphs=tuple(paragraphs),
        removed=tuple(sorted(removed.values(), key=lambda r: r.line_no)),
        joins=tuple(joins),
        raw_line_count=raw_line_count,
    )


def _close(paragraphs: list[Paragraph], parts: list[str], text: str, lines: list[int],
           offset: int) -> int:
    paragraphs.append(Paragraph(len(paragraphs), offset, offset + len(text), tuple(lines)))
    parts.append(text)
    return offset + len(text) + 1


def _continues(previous: str, line: str) -> bool:
    """True when `previous` stops mid-sentence and `line` carries on the same sentence."""
    if "\t" in previous or "\t" in line:
        return False
    seen = visible(previous)
    if seen[-1] in _LINE_END_OK or _ENGLISH_END.search(seen):
        return False
    if len(previous) < MIN_WRAPPED_LINE or not has_running_punct(previous):
        return False
    heading = numbered_heading(previous)
    if heading is not None and heading.standalone:
        return False
    return numbered_heading(line) is None

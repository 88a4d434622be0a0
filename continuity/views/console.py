"""Plain-text views of records for the terminal: aligned tables and outlines.

Chinese characters take two terminal columns, so widths are measured with
`unicodedata.east_asian_width`, not `len`; colour codes take none. Each view takes the
width to wrap its lines to and whether to colour them (`continuity.views.terminal` decides
both); by default lines are not wrapped and nothing is coloured.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from collections.abc import Iterable, Sequence
from functools import cache
from typing import TYPE_CHECKING

from ..errors import UnknownSectionError
from ..records import TENTATIVE, Corpus, Document, Passage, Section

if TYPE_CHECKING:
    from ..analysis.counts import PairCounts

#: Lines that are not wrapped (the same as `terminal.UNWRAPPED`).
UNWRAPPED = sys.maxsize

#: A colour or style code (ANSI SGR), which takes no column.
_SGR = re.compile(r"\x1b\[[0-9;]*m")
_RESET = "\x1b[0m"
_TRAILING = re.compile(r"\s+((?:\x1b\[[0-9;]*m)*)$")
_WORDS = re.compile(r"\x1b\[[0-9;]*m|[\x21-\x7e]+ ?|.", re.S)

#: What each kind of text looks like in colour (click.style's arguments), after git's
#: diff colours: deletions red, insertions green, headings bold, places cyan.
STYLES: dict[str, dict[str, object]] = {
    "heading": {"bold": True},
    "doc": {"fg": "yellow"},
    "path": {"fg": "cyan"},
    "delete": {"fg": "red", "strikethrough": True},
    "insert": {"fg": "green", "underline": True},
    "same": {"fg": "green"},
    "reworded": {"fg": "yellow"},
    "absent": {"fg": "red"},
    "dim": {"dim": True},
}


#: Punctuation that never begins a line of Chinese text (the line-breaking rules of
#: W3C's "Requirements for Chinese Text Layout", §3.1.7): the character before it
#: moves down with it.
NO_LINE_START = frozenset("，。、；：！？）】》」』〕〉”’…,.;:!?)]%")


def paint(text: str, kind: str, color: bool) -> str:
    """`text` styled as `kind` (a key of STYLES, e.g. a relation) when `color` is set."""
    style = STYLES.get(kind)
    if not color or not style or not text:
        return text
    import click

    return click.style(text, **style)  # type: ignore[arg-type]


def display_width(text: str) -> int:
    """Terminal columns `text` takes: two for a wide (Chinese) character, none for a
    colour code."""
    if "\x1b" in text:
        text = _SGR.sub("", text)
    return sum(map(_char_width, text))


@cache
def _char_width(ch: str) -> int:
    """Columns one character takes (asked of every character wrapped: remembered)."""
    return 2 if unicodedata.east_asian_width(ch) in "WF" else 1


def wrap(text: str, width: int, indent: str = "", subsequent: str | None = None) -> list[str]:
    """`text` in lines of at most `width` terminal columns (Chinese characters take two),
    each line starting with `indent` (later lines with `subsequent`, default the same).
    Lines break between any two characters of Chinese text, at spaces in other text.
    Colours are closed at the end of a line and opened again after the next indent, so
    an indent is never struck through or underlined."""
    if width >= UNWRAPPED and "\n" not in text:
        return [(indent + text).rstrip()] if text.strip() else []
    later = indent if subsequent is None else subsequent
    lines: list[str] = []
    active: list[str] = []  # colour codes in force
    line, used, shown = indent, display_width(indent), 0  # shown: characters after indent
    wide_at = -1  # where the line's last character starts, if it is a wide one
    for word in _WORDS.findall(text):
        if word[0] == "\x1b" and _SGR.fullmatch(word):
            active = [] if word == _RESET else [*active, word]
            line += word
            wide_at = -1
            continue
        if len(word) == 1:  # most words: a Chinese character
            full = _char_width(word)
            w = 0 if word.isspace() else full
        else:
            w, full = display_width(word.rstrip()), display_width(word)
        if (used + w > width or word == "\n") and shown:
            carried = ""
            if word[:1] in NO_LINE_START and wide_at >= 0 and shown > 1:
                line, carried = line[:wide_at], line[wide_at:]  # 。 never starts a line
            lines.append(_rstrip(line) + (_RESET if active else ""))
            line = later + "".join(active) + carried
            used, shown = display_width(line), len(carried)
            word = word.lstrip()
            full = display_width(word)
        if word == "\n":
            continue
        wide_at = len(line) if len(word) == 1 and full == 2 else -1
        line += word
        used += full
        shown += bool(word.strip())
    if shown:
        lines.append(_rstrip(line))
    return lines


def _rstrip(line: str) -> str:
    """`line` without trailing spaces, also those before closing colour codes."""
    return _TRAILING.sub(r"\1", line)


def wrap_text(text: str, width: int, hanging: str = "") -> str:
    """Every line of `text` wrapped to `width` columns, under its own indent (plus
    `hanging` on the lines it wraps to); blank lines kept."""
    if width >= UNWRAPPED:
        return text
    out = []
    for line in text.split("\n"):
        body = line.lstrip(" ")
        indent = line[:len(line) - len(body)]
        out.append("\n".join(wrap(body, width, indent, indent + hanging)))
    return "\n".join(out)


def table(headers: Sequence[str], rows: Iterable[Sequence[object]],
          right: Sequence[int] = (), width: int = UNWRAPPED, color: bool = False) -> str:
    """An aligned text table; columns whose index is in `right` are right-aligned. A table
    wider than `width` is laid out to fit: a text (last) column wraps under itself, or,
    with under 20 columns left for it, goes under each row, indented; a table of short
    columns is cut into several, each beginning with the first column."""
    cells = [[str(h) for h in headers]] + [["" if c is None else str(c) for c in r] for r in rows]
    widths = [max(display_width(row[i]) for row in cells) for i in range(len(headers))]
    if sum(widths) + 2 * (len(widths) - 1) <= width or len(widths) == 1:
        return _table(cells, widths, right, width, color)
    before = sum(widths[:-1]) + 2 * (len(widths) - 1)  # where the last column starts
    if width - before >= 20:
        return _table(cells, widths, right, width, color)
    if widths[-1] > 20:  # a text column: under each row
        lines = []
        for n, row in enumerate(cells):
            lines += _table([row[:-1]], widths[:-1], right, width, False).split("\n")
            lines += wrap(row[-1], width, "    ")
            if n == 0:
                lines = [paint(line, "heading", color) for line in lines]
                lines.append("-" * min(width, before - 2))
        return "\n".join(lines)
    groups: list[list[int]] = [[0]]
    for i in range(1, len(widths)):
        used = sum(widths[j] + 2 for j in groups[-1])
        if used + widths[i] > width and len(groups[-1]) > 1:
            groups.append([0])
        groups[-1].append(i)
    return "\n\n".join(
        _table([[row[i] for i in group] for row in cells], [widths[i] for i in group],
               [n for n, i in enumerate(group) if i in right], width, color)
        for group in groups)


def _table(cells: list[list[str]], widths: list[int], right: Sequence[int], width: int,
           color: bool) -> str:
    """`cells` (the header first) aligned in columns of `widths`; a line wider than `width`
    has its last column wrapped under itself."""
    before = sum(widths[:-1]) + 2 * (len(widths) - 1)
    lines = []
    for n, row in enumerate(cells):
        parts = []
        for i, cell in enumerate(row):
            pad = " " * (widths[i] - display_width(cell))
            parts.append(pad + cell if i in right else cell + pad)
        line = "  ".join(parts).rstrip()
        if display_width(line) <= width:
            lines.append(line)
        elif width - before >= 20:
            lines += wrap(row[-1], width, "  ".join(parts[:-1]) + "  ", " " * before)
        else:
            lines += wrap(line, width, "", "    ")
        if n == 0 and len(cells) > 1:
            lines[0] = paint(lines[0], "heading", color)
            lines.append("  ".join("-" * w for w in widths[:-1])
                         + ("  " if len(widths) > 1 else "")
                         + "-" * min(widths[-1], max(1, width - before)))
    return "\n".join(lines)


def corpus_table(corpus: Corpus, width: int = UNWRAPPED, color: bool = False) -> str:
    rows = [
        (d.id, d.meta.date_text, d.meta.level, d.meta.genre,
         len(d.clean.text) - d.clean.text.count("\n"), len(d.sections), len(d.units),
         len(d.clean.removed), d.encoding)
        for d in corpus.documents
    ]
    headers = ("id", "date", "level", "genre", "characters", "sections", "units", "removed",
               "encoding")
    from ..corpus.structure import structure_warning  # the outliner: for this table only

    warnings = [line for d in corpus.documents if (warning := structure_warning(d.sections))
                for line in wrap(f"warning: {d.id}: {warning}", width, "", "  ")]
    return "\n".join([table(headers, rows, right=(4, 5, 6, 7), width=width, color=color),
                      *warnings])


def unit_counts(doc: Document) -> dict[str, int]:
    """Units per section, counting every unit of its subsections too."""
    parents = {s.id: s.parent for s in doc.sections}
    counts: dict[str, int] = {s.id: 0 for s in doc.sections}
    for unit in doc.units:
        section: str | None = unit.section_id
        while section is not None:
            counts[section] += 1
            section = parents[section]
    return counts


def outline_text(doc: Document, width: int = UNWRAPPED, color: bool = False) -> str:
    """The section tree, indented, with each section's kind and unit count; a long title
    wraps under itself."""
    counts = unit_counts(doc)
    lines = wrap(paint(f"{doc.id}  {doc.meta.title}", "heading", color)
                 + f"  ({len(doc.sections)} sections, {len(doc.units)} units)", width, "", "  ")
    for s in doc.sections:
        indent = "  " * s.depth
        title = "" if s.title == s.label else "  " + s.title
        tail = paint(f"  [{s.kind}, {counts[s.id]} units]", "dim", color)
        lines += wrap(paint(s.label, "path", color) + title + tail, width, indent,
                      indent + "    ")
    return "\n".join(lines)


def select_section(doc: Document, path: str) -> tuple[Section, ...]:
    """The section at `path` (e.g. 第三篇/第七章) and its subsections; error if none."""
    wanted = path.strip().strip("/")
    chosen = tuple(s for s in doc.sections
                   if s.path_text == wanted or s.path_text.startswith(wanted + "/"))
    if not chosen:
        top = ", ".join(s.path_text for s in doc.sections if s.depth == 0)
        raise UnknownSectionError(f"{doc.id} has no section {path!r}; top-level sections: {top}")
    return chosen


def units_text(doc: Document, units: Sequence[Passage], width: int = UNWRAPPED,
               color: bool = False) -> str:
    """Sentence units, or clauses, one a row: id, section, kind, role, what they do (a
    sentence's clause functions in order, each once), offsets and text (wrapped under
    itself, never cut)."""
    functions: dict[str, list[str]] = {}
    for clause in doc.clauses:
        found = functions.setdefault(clause.unit_id, [])
        if clause.function not in found:
            found.append(clause.function)
    rows = [(u.id, u.section_path, u.kind, u.role,
             getattr(u, "function", "") or "+".join(functions.get(u.id, ())) or "-",
             f"{u.start}-{u.end}", u.text) for u in units]
    return table(("unit", "section", "kind", "role", "function", "offsets", "text"), rows,
                 width=width, color=color)


def removed_text(doc: Document, width: int = UNWRAPPED, color: bool = False) -> str:
    rows = [(r.line_no, r.reason, r.text) for r in doc.clean.removed]
    return table(("line", "reason", "text"), rows, right=(0,), width=width, color=color)


def joins_text(doc: Document, width: int = UNWRAPPED, color: bool = False) -> str:
    text = doc.clean.text
    rows = [(j.line_no, j.next_line_no, text[max(0, j.offset - 12):j.offset] + " ⏎ " +
             text[j.offset:j.offset + 12]) for j in doc.clean.joins]
    return table(("line", "joined to", "where"), rows, right=(0, 1), width=width, color=color)


def redline(spans: Sequence[object], color: bool) -> str:
    """A diff as text: [-deleted-] and {+inserted+}, also coloured when `color` is set."""
    from ..records import DELETE, INSERT, DiffSpan

    out = []
    for span in spans:
        assert isinstance(span, DiffSpan)
        if span.op == DELETE:
            out.append(paint(f"[-{span.text}-]", "delete", color))
        elif span.op == INSERT:
            out.append(paint(f"{{+{span.text}+}}", "insert", color))
        else:
            out.append(span.text)
    return "".join(out)


def change_text(changes: Sequence[object]) -> str:
    """Kinds of change in words, each with the words involved: "number lowered (5.5% →
    5%); verb strengthened (推进 → 加快)"."""
    return "; ".join(f"{c.label} ({c.detail})" for c in changes)  # type: ignore[attr-defined]


def settings_text(settings: object, width: int = UNWRAPPED, color: bool = False) -> str:
    """Each setting, its value, its valid values and what it means (in lines of at most 92
    columns, fewer on a narrower terminal)."""
    from dataclasses import fields

    from ..settings import descriptions, valid_range

    meaning = descriptions()
    out = []
    for f in fields(settings):  # type: ignore[arg-type]
        value = getattr(settings, f.name)
        shown = ",".join(value) if isinstance(value, tuple) else value
        out += wrap(paint(f"{f.name} = {shown}", "heading", color) + f"  ({valid_range(f)})",
                    width, "", "    ")
        out += wrap(meaning.get(f.name, ""), min(92, width), "    ")
    return "\n".join(out)


def fates_table(analysis: object, width: int = UNWRAPPED, color: bool = False) -> str:
    """Clauses per document and fate (`counts.fate_counts`), with what each fate counts."""
    from ..analysis.counts import FATE_CONFIDENCE_MEANINGS, FATE_MEANINGS, fate_counts
    from ..analysis.fate import COMMITMENT_FATES, FATES

    ids = analysis.corpus.ids  # type: ignore[attr-defined]
    counts = [fate_counts(analysis, d) for d in ids]  # type: ignore[arg-type]
    rows = [(c.doc_id, *(c[f] for f in FATES), c.tentative) for c in counts]
    text = table(("doc", *FATES, "tentative"), rows, right=tuple(range(1, len(FATES) + 2)),
                 width=width, color=color)
    meanings = [line for f, meaning in [*((f, FATE_MEANINGS[f]) for f in COMMITMENT_FATES),
                                        ("tentative", FATE_CONFIDENCE_MEANINGS["tentative"])]
                for line in wrap(f"{f:<11} {meaning}", width, "  ", " " * 14)]
    return "\n".join([text, "", *wrap("Fates of commitments along the whole timeline "
                                      "(fates.csv):", width), *meanings,
                      *wrap("The other columns count clauses kept apart: not commitments.",
                            width)])


def diff_text(rows: Sequence[object], unmatched: Sequence[object], a: str, b: str,
              counts: PairCounts, show_unmatched: bool = True, width: int = UNWRAPPED,
              color: bool = False) -> str:
    """A's commitments beside their counterparts in B (relation, section paths, score, the
    redline and its kinds of change; a tentative counterpart says so), then B's
    commitments with no counterpart in A; first, how many of each (`counts`: the pair's
    `counts.PairCounts`, for the rows shown). A score is shown as alignments.csv (and the
    store) has it, four decimals, to two."""
    lines = wrap(paint(f"{a} → {b}:", "heading", color)
                 + f" {counts.commitments} commitments of {a}: "
                 f"{counts.same} with a counterpart in {b} in the same words, "
                 f"{counts.reworded} reworded, {counts.absent} with no counterpart in {b}"
                 f" ({counts.tentative} of the counterparts tentative: check them)"
                 + (f"; {counts.new} commitments of {b} with no counterpart in {a}"
                    if show_unmatched else "")
                 + ". (Pair counts: whether a commitment disappears for good is its fate "
                   "along the whole timeline, `continuity align`.)", width)
    for row in rows:
        clause = row.clause  # type: ignore[attr-defined]
        relation = row.relation  # type: ignore[attr-defined]
        where = paint(clause.section_path, "path", color)
        lines.append("")
        if row.counterpart is None:  # type: ignore[attr-defined]
            lines += wrap(paint(f"{'absent':<8}", "absent", color) + f" {where}", width,
                          "  ", " " * 11)
            lines += wrap(clause.text, width, "    ")
            for report in row.reports:  # type: ignore[attr-defined]
                flag = ", tentative: check it" if report.confidence == TENTATIVE else ""
                lines += wrap(f"a review of {b} reporting it{flag}: "
                              f"{paint(report.review.section_path, 'path', color)}: "
                              f"{report.review.text}", width, "    ", " " * 6)
            continue
        other = row.counterpart  # type: ignore[attr-defined]
        lines += wrap(paint(f"{relation:<8}", relation, color)
                      + f" {where}  →  {paint(other.section_path, 'path', color)}"
                      f"  (score {round(row.score, 4):.2f}"  # type: ignore[attr-defined]
                      + (", tentative: check it" if row.confidence == TENTATIVE else "")  # type: ignore[attr-defined]
                      + ")", width, "  ", " " * 11)
        lines += wrap(redline(row.diff, color), width, "    ")  # type: ignore[attr-defined]
        if row.changes:  # type: ignore[attr-defined]
            lines += wrap("changes: " + change_text(row.changes), width, "    ",  # type: ignore[attr-defined]
                          " " * 6)
    if show_unmatched:
        lines.append("")
        lines += wrap(paint(f"In {b} with no counterpart in {a}: {len(unmatched)}", "heading",
                            color), width)
        for clause in unmatched:
            lines += wrap(f"{paint(clause.section_path, 'path', color)}: {clause.text}",  # type: ignore[attr-defined]
                          width, "  ", "    ")
    return "\n".join(lines)


def trace_text(found: object, width: int = 100, color: bool = False) -> str:
    """A trace: the passages carrying the query, then each clause followed through the
    documents with its counterparts and scores (a tentative one says so). Section paths
    are wrapped, never cut."""
    def wrapped(text: str, indent: str) -> list[str]:
        return wrap(text, max(20, width), indent, indent + "  ")

    def path(text: str) -> str:
        return paint(text, "path", color)

    passages = found.passages  # type: ignore[attr-defined]
    lines = wrapped(paint(f"“{found.query}”: in {len(passages)} passage(s)", "heading",  # type: ignore[attr-defined]
                          color), "")
    for clause in passages:
        lines += wrapped(f"{paint(clause.doc_id, 'doc', color)}  {path(clause.section_path)}: "
                         f"{clause.text}", "  ")
    for clause, steps in found.followed:  # type: ignore[attr-defined]
        lines.append("")
        lines += wrapped(paint(f"Following {clause.doc_id} {clause.id}:", "heading", color)
                         + f" {clause.text}", "")
        for step in steps:
            lines.append(f"  {paint(f'{step.doc_id:<14}', 'doc', color)} "
                         f"{paint(step.relation, step.relation, color)}")
            if step.relation == "source":
                continue
            for other, score, sure in zip(step.clauses, step.scores, step.confidences,
                                          strict=True):
                flag = " (tentative: check it)" if sure == TENTATIVE else ""
                lines += wrapped(f"{score:.2f}  {path(other.section_path)}: {other.text}{flag}",
                                 "      ")
            for report in step.reports:  # follow-through, no counterpart
                flag = ", tentative: check it" if report.confidence == TENTATIVE else ""
                lines += wrapped(f"{report.score:.2f}  {path(report.review.section_path)}: "
                                 f"{report.review.text} (a review reporting it{flag})", "      ")
    return "\n".join(lines)


def suggestions_text(clauses: Sequence[object], width: int = 100) -> str:
    """Nearest passages offered for a text no passage carries, marked as suggestions."""
    lines = ["Suggestions (nearest passages; none of them carries the text):"]
    for clause in clauses:
        lines += wrap(f"{clause.doc_id} {clause.id}  {clause.section_path}: {clause.text}",  # type: ignore[attr-defined]
                      max(20, width), "  ? ", "    ")
    return "\n".join(lines)


def history_text(found: object, width: int = 100, color: bool = False) -> str:
    """A commitment's history: each document in timeline order, the passage there (cited by
    section path, wrapped, never cut) and its word changes since the previous appearance;
    a step linked by a tentative counterpart says so."""
    from ..analysis.history import ABSENT, ELSEWHERE

    first = found.first  # type: ignore[attr-defined]
    lines = wrap(paint(f"History of “{first.text}” ({first.doc_id} {first.id}):", "heading",
                       color) + f" {found.fate}"  # type: ignore[attr-defined]
                 + (" (on tentative counterparts alone: check them)"
                    if found.confidence == "tentative" else "")  # type: ignore[attr-defined]
                 + f", thread {found.thread}", width, "", "  ")  # type: ignore[attr-defined]
    indent = " " * 4
    for step in found.steps:  # type: ignore[attr-defined]
        doc = paint(f"{step.doc_id:<14}", "doc", color)
        if step.state == ABSENT:
            lines += wrap(f"{doc} {paint('absent', 'absent', color)}: no counterpart of the "
                          "first passage", width, "  ", indent)
            for report in step.reports:  # follow-through, no counterpart
                flag = ", tentative: check it" if report.confidence == TENTATIVE else ""
                lines += wrap(f"a review reporting it{flag}: "
                              f"{paint(report.review.section_path, 'path', color)}: "
                              f"{report.review.text}", width, indent, indent + "  ")
            continue
        clause = step.clause
        label = (f"{step.relation} counterpart, followed in another thread"
                 if step.state == ELSEWHERE else step.relation)
        flag = ", tentative: check it" if step.confidence == TENTATIVE else ""
        lines += wrap(f"{doc} {paint(label, step.relation, color)}{flag}  [{clause.id}]",
                      width, "  ", indent)
        lines.extend(wrap(paint(clause.section_path, "path", color), width, indent))
        text = redline(step.diff, color) if step.diff else clause.text
        lines.extend(wrap(text, width, indent))
        if step.changes:
            lines.extend(wrap(change_text(step.changes), width, indent))
    return "\n".join(lines)

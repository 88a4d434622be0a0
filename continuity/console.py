"""Plain-text views of records for the terminal: aligned tables and outlines.

Chinese characters take two terminal columns, so widths are measured with
`unicodedata.east_asian_width`, not `len`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence

from .errors import UnknownSectionError
from .records import Corpus, Document, Passage, Section
from .structure import structure_warning


def display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def wrap(text: str, width: int, indent: str = "", subsequent: str | None = None) -> list[str]:
    """`text` in lines of at most `width` terminal columns (Chinese characters take two),
    each line starting with `indent` (later lines with `subsequent`, default the same).
    Lines break between any two characters of Chinese text, at spaces in other text."""
    later = indent if subsequent is None else subsequent
    lines: list[str] = []
    line, used = indent, display_width(indent)
    for word in re.findall(r"[\x21-\x7e]+ ?|.", text):
        w = display_width(word.rstrip())
        if used + w > width and line.strip():
            lines.append(line.rstrip())
            line, used = later, display_width(later)
            word = word.lstrip()
        line += word
        used += display_width(word)
    if line.strip():
        lines.append(line.rstrip())
    return lines


def clip(text: str, width: int) -> str:
    """`text` cut to at most `width` terminal columns, with … when cut."""
    if display_width(text) <= width:
        return text
    out, used = [], 0
    for ch in text:
        w = display_width(ch)
        if used + w > width - 1:
            break
        out.append(ch)
        used += w
    return "".join(out) + "…"


def table(headers: Sequence[str], rows: Iterable[Sequence[object]],
          right: Sequence[int] = ()) -> str:
    """An aligned text table; columns whose index is in `right` are right-aligned."""
    cells = [[str(h) for h in headers]] + [["" if c is None else str(c) for c in r] for r in rows]
    widths = [max(display_width(row[i]) for row in cells) for i in range(len(headers))]
    lines = []
    for n, row in enumerate(cells):
        parts = []
        for i, cell in enumerate(row):
            pad = " " * (widths[i] - display_width(cell))
            parts.append(pad + cell if i in right else cell + pad)
        lines.append("  ".join(parts).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def corpus_table(corpus: Corpus) -> str:
    rows = [
        (d.id, d.meta.date_text, d.meta.level, d.meta.genre,
         len(d.clean.text) - d.clean.text.count("\n"), len(d.sections), len(d.units),
         len(d.clean.removed), d.encoding)
        for d in corpus.documents
    ]
    headers = ("id", "date", "level", "genre", "characters", "sections", "units", "removed",
               "encoding")
    warnings = [f"warning: {d.id}: {warning}" for d in corpus.documents
                if (warning := structure_warning(d.sections))]
    return "\n".join([table(headers, rows, right=(4, 5, 6, 7)), *warnings])


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


def outline_text(doc: Document, width: int = 100) -> str:
    """The section tree, indented, with each section's kind and unit count."""
    counts = unit_counts(doc)
    lines = [f"{doc.id}  {doc.meta.title}  ({len(doc.sections)} sections, {len(doc.units)} units)"]
    for s in doc.sections:
        head = "  " * s.depth + s.label
        title = "" if s.title == s.label else "  " + s.title
        tail = f"  [{s.kind}, {counts[s.id]} units]"
        lines.append(clip(head + title, width - display_width(tail)) + tail)
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


def units_text(doc: Document, units: Sequence[Passage], width: int = 120) -> str:
    """Sentence units, or clauses, one a line: id, section, kind, role, what they do (a
    sentence's clause functions in order, each once), offsets and text."""
    functions: dict[str, list[str]] = {}
    for clause in doc.clauses:
        found = functions.setdefault(clause.unit_id, [])
        if clause.function not in found:
            found.append(clause.function)
    rows = [(u.id, u.section_path, u.kind, u.role,
             getattr(u, "function", "") or "+".join(functions.get(u.id, ())) or "-",
             f"{u.start}-{u.end}", u.text) for u in units]
    rendered = table(("unit", "section", "kind", "role", "function", "offsets", "text"), rows)
    return "\n".join(clip(line, width) for line in rendered.splitlines())


def removed_text(doc: Document) -> str:
    rows = [(r.line_no, r.reason, r.text) for r in doc.clean.removed]
    return table(("line", "reason", "text"), rows, right=(0,))


def joins_text(doc: Document) -> str:
    text = doc.clean.text
    rows = [(j.line_no, j.next_line_no, text[max(0, j.offset - 12):j.offset] + " ⏎ " +
             text[j.offset:j.offset + 12]) for j in doc.clean.joins]
    return table(("line", "joined to", "where"), rows, right=(0, 1))


def redline(spans: Sequence[object], color: bool) -> str:
    """A diff as text: [-deleted-] and {+inserted+}, also coloured when `color` is set."""
    import click

    from .diffing import DELETE, INSERT, DiffSpan

    out = []
    for span in spans:
        assert isinstance(span, DiffSpan)
        if span.op == DELETE:
            out.append(click.style(f"[-{span.text}-]", fg="red", strikethrough=True)
                       if color else f"[-{span.text}-]")
        elif span.op == INSERT:
            out.append(click.style(f"{{+{span.text}+}}", fg="green", underline=True)
                       if color else f"{{+{span.text}+}}")
        else:
            out.append(span.text)
    return "".join(out)


def change_text(changes: Sequence[object]) -> str:
    """Kinds of change in words, each with the words involved: "number lowered (5.5% →
    5%); verb strengthened (推进 → 加快)"."""
    return "; ".join(f"{c.label} ({c.detail})" for c in changes)  # type: ignore[attr-defined]


def settings_text(settings: object) -> str:
    """Each setting, its value, its valid values and what it means."""
    import textwrap
    from dataclasses import fields

    from .settings import descriptions, valid_range

    meaning = descriptions()
    out = []
    for f in fields(settings):  # type: ignore[arg-type]
        value = getattr(settings, f.name)
        shown = ",".join(value) if isinstance(value, tuple) else value
        out.append(f"{f.name} = {shown}  ({valid_range(f)})")
        out.extend(textwrap.wrap(meaning.get(f.name, ""), 88, initial_indent="    ",
                                 subsequent_indent="    "))
    return "\n".join(out)


def fates_table(analysis: object) -> str:
    """Clauses per document and fate (`counts.fate_counts`), with what each fate counts."""
    from .counts import FATE_MEANINGS, fate_counts
    from .fate import COMMITMENT_FATES, FATES

    ids = analysis.corpus.ids  # type: ignore[attr-defined]
    counts = [fate_counts(analysis, d) for d in ids]  # type: ignore[arg-type]
    rows = [(c.doc_id, *(c[f] for f in FATES)) for c in counts]
    text = table(("doc", *FATES), rows, right=tuple(range(1, len(FATES) + 1)))
    meanings = [f"  {f:<11} {FATE_MEANINGS[f]}" for f in COMMITMENT_FATES]
    return (text + "\n\nFates of commitments along the whole timeline (fates.csv):\n"
            + "\n".join(meanings)
            + "\nThe other columns count clauses kept apart: not commitments.")


def diff_text(rows: Sequence[object], unmatched: Sequence[object], a: str, b: str,
              show_unmatched: bool = True) -> str:
    relations = [row.relation for row in rows]  # type: ignore[attr-defined]
    lines = [f"{a} → {b}: {len(rows)} commitments of {a}: "
             f"{relations.count('same')} with a counterpart in {b} in the same words, "
             f"{relations.count('reworded')} reworded, {relations.count('absent')} with no "
             f"counterpart in {b}"
             + (f"; {len(unmatched)} commitments of {b} with no counterpart in {a}"
                if show_unmatched else "")
             + ". (Pair counts: whether a commitment disappears for good is its fate along "
               "the whole timeline, `continuity align`.)"]
    for row in rows:
        clause = row.clause  # type: ignore[attr-defined]
        where = f"{clause.section_path}"
        if row.counterpart is None:  # type: ignore[attr-defined]
            lines.append(f"\n  absent   {where}\n    {clause.text}")
            continue
        other = row.counterpart  # type: ignore[attr-defined]
        lines.append(f"\n  {row.relation:<8} {where}  →  {other.section_path}"  # type: ignore[attr-defined]
                     f"  (score {row.score:.2f})")  # type: ignore[attr-defined]
        lines.append("    " + redline(row.diff, color=True))  # type: ignore[attr-defined]
        if row.changes:  # type: ignore[attr-defined]
            lines.append("    changes: " + change_text(row.changes))  # type: ignore[attr-defined]
    if show_unmatched:
        lines.append(f"\nIn {b} with no counterpart in {a}: {len(unmatched)}")
        for clause in unmatched:
            lines.append(f"  {clause.section_path}: {clause.text}")  # type: ignore[attr-defined]
    return "\n".join(lines)


def trace_text(found: object, width: int = 100) -> str:
    """A trace: the passages carrying the query, then each clause followed through the
    documents with its counterparts and scores. Section paths are wrapped, never cut."""
    def wrapped(text: str, indent: str) -> list[str]:
        return wrap(text, max(20, width), indent, indent + "  ")

    passages = found.passages  # type: ignore[attr-defined]
    lines = wrap(f"“{found.query}”: in {len(passages)} passage(s)", width)  # type: ignore[attr-defined]
    for clause in passages:
        lines += wrapped(f"{clause.doc_id}  {clause.section_path}: {clause.text}", "  ")
    for clause, steps in found.followed:  # type: ignore[attr-defined]
        lines.append("")
        lines += wrapped(f"Following {clause.doc_id} {clause.id}: {clause.text}", "")
        for step in steps:
            lines.append(f"  {step.doc_id:<14} {step.relation}")
            if step.relation == "source":
                continue
            for other, score in zip(step.clauses, step.scores, strict=True):
                lines += wrapped(f"{score:.2f}  {other.section_path}: {other.text}", "      ")
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
    section path, wrapped, never cut) and its word changes since the previous appearance."""
    from .history import ABSENT, ELSEWHERE

    first = found.first  # type: ignore[attr-defined]
    lines = [f"History of “{first.text}” ({first.doc_id} {first.id}): "
             f"{found.fate}, thread {found.thread}"]  # type: ignore[attr-defined]
    indent = " " * 4
    for step in found.steps:  # type: ignore[attr-defined]
        if step.state == ABSENT:
            lines.append(f"  {step.doc_id:<14} absent: no counterpart of the first passage")
            continue
        clause = step.clause
        label = (f"{step.relation} counterpart, followed in another thread"
                 if step.state == ELSEWHERE else step.relation)
        lines.append(f"  {step.doc_id:<14} {label}  [{clause.id}]")
        lines.extend(wrap(clause.section_path, width, indent))
        text = redline(step.diff, color=False) if step.diff else clause.text
        lines.extend(wrap(text, width, indent))
        if step.changes:
            lines.extend(wrap(change_text(step.changes), width, indent))
    return "\n".join(lines)

"""Parse tab-separated indicator tables (the plan's 专栏1) into rows.

The first tab-separated line of a table section is its header: the first column
is the category, the second the indicator, the rest are values named by their
header (2025年, 2030年, 年均/累计, 属性…). Real tables are ragged: a category
cell is left empty under the one above it, a row may carry a sub-indicator in an
extra column (13. 每千人口拥有医护人员数 → 执业医师数), and a continuation row
has only the sub-indicator; each case is handled from the cells themselves.
"""

from __future__ import annotations

import re

from ...records import CleanText, Outline, TableRow

#: A numbered indicator cell ("15.3岁以下婴幼儿入托率…"): a number, a dot, then words;
#: not a value like "4.19*".
_NUMBERED = re.compile(r"^(\d{1,3})[.．]\s*(.*[\u4e00-\u9fff].*)$")
#: The indicator is in the first column (no category) or the second.
_INDICATOR_COLUMNS = 2


def parse_tables(clean: CleanText, outline: Outline) -> tuple[TableRow, ...]:
    """Rows of every section of kind `table`, in document order."""
    tables = {s.id for s in outline.sections if s.kind == "table"}
    rows: list[TableRow] = []
    header: list[str] | None = None
    current_section = ""
    category = ""
    last: tuple[int | None, str] = (None, "")
    for paragraph, section_id in zip(clean.paragraphs, outline.paragraph_sections, strict=True):
        text = clean.text[paragraph.start:paragraph.end]
        if section_id not in tables or "\t" not in text:
            continue
        if section_id != current_section:
            current_section, header, category, last = section_id, None, "", (None, "")
        cells = [c.strip() for c in text.split("\t")]
        while cells and not cells[-1]:
            cells.pop()
        if header is None:
            header = cells
            continue
        row, category, last = _row(cells, header, category, last)
        rows.append(TableRow(section_id, row[0], row[1], row[2], row[3],
                             paragraph.start, paragraph.end))
    return tuple(rows)


_Row = tuple[int | None, str, str, tuple[tuple[str, str], ...]]


def _row(cells: list[str], header: list[str], category: str,
         last: tuple[int | None, str]) -> tuple[_Row, str, tuple[int | None, str]]:
    value_names = header[2:]
    index = next((i for i, c in enumerate(cells[:_INDICATOR_COLUMNS]) if _NUMBERED.match(c)), None)
    if index is None:  # continuation row: [sub-indicator, values...] under the last indicator
        cells = [c for c in cells if c] if cells and not cells[0] else cells
        number, indicator = last
        sub, values = cells[0], cells[1:]
        full = f"{indicator} {sub}".strip()
    else:
        if index > 0 and cells[index - 1]:
            category = cells[index - 1]
        match = _NUMBERED.match(cells[index])
        assert match is not None
        number, indicator = int(match.group(1)), match.group(2).strip()
        rest = cells[index + 1:]
        if len(rest) > len(value_names):  # an extra column: a sub-indicator
            full, values = f"{indicator} {rest[0]}", rest[1:]
        else:
            full, values = indicator, rest
        last = (number, indicator)
    pairs = tuple(zip(value_names, values + [""] * (len(value_names) - len(values)), strict=False))
    return (number, category, full, pairs), category, last

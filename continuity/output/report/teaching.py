"""Teaching tables: the theme × document matrix and the thread table, as CSV and Excel.

CSV is written UTF-8 with a byte-order mark so Excel opens the Chinese correctly. The
.xlsx files are written by XlsxWriter, set up to be printed as handouts: every sheet A4
landscape, one page wide, the header row repeated on each page, text wrapped at set
column widths, the header frozen and filterable, gridlines printed, page numbers in the
footer. The workbook's dates are fixed (and XlsxWriter stamps its zip entries with a
fixed time), so two builds of the same input give the same bytes.

The thread table has one row per passage (a thread's passages in timeline order, each
with its document, section path and unit id): it is as wide for five documents as for
fifty, so it still prints one page wide at full size, and every passage can be cited.

These tables are made for spreadsheets, which run a cell beginning with `=`, `+`, `-`
or `@` (or a tab or carriage return) as a formula: a document's text must never do
that (`=HYPERLINK(…)` sends the reader elsewhere). In the CSV files such a text starts
with an apostrophe, as a spreadsheet user types it to mean "text"; in the .xlsx files
it is stored as text, unchanged. The data exports (data/*.csv) stay exact.
"""

from __future__ import annotations

import datetime as dt
import io
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ...analysis.run import Analysis
from ...i18n import DEFAULT_LANG, N_, translations
from ...records import TENTATIVE
from ...views.console import display_width
from ..export import csv_text
from . import facts
from .words import FATE_WORDS, word

#: The first characters that make a spreadsheet read a cell as a formula (OWASP's list).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

#: A fixed date for the workbook's properties (reproducible builds).
FIXED_TIME = dt.datetime(2000, 1, 1)

#: Points per line of wrapped 11-point text (Chinese fonts are taller than Latin ones).
LINE_HEIGHT = 15.5

#: Paper size code of the Office Open XML page setup (ECMA-376 §18.3.1.63): 9 is A4.
A4 = 9


@dataclass(frozen=True, slots=True)
class Table:
    """A teaching table: its file name, the title printed above each page, the header,
    the rows, each column's width in spreadsheet character units (a Chinese character
    takes two) and the rows that open a group (a thread), ruled above when printed."""

    name: str
    title: str
    header: tuple[str, ...]
    rows: tuple[tuple[object, ...], ...]
    widths: tuple[int, ...]
    group_starts: frozenset[int] = frozenset()


def theme_matrix_table(analysis: Analysis, lang: str = DEFAULT_LANG
                       ) -> tuple[list[str], list[list[object]]]:
    """Themes × documents: each theme's commitments in each document, then the most
    typical of them; the header in `lang`."""
    _ = translations(lang).gettext
    docs = analysis.corpus.documents
    header = [_("theme")] \
        + [_("%(doc)s (%(id)s) commitments") % {"doc": d.meta.short_title, "id": d.id}
           for d in docs] \
        + [_("%(doc)s example") % {"doc": d.meta.short_title} for d in docs]
    rows: list[list[object]] = []
    for row in facts.theme_matrix(analysis):
        name = analysis.themes.name(row[0].theme)
        cells: list[object] = [name]
        cells += [c.count for c in row]
        cells += [c.example.text if c.example else "" for c in row]
        rows.append(cells)
    return header, rows


#: The thread table's columns (translated in its header; the ids in them are the exports').
THREAD_HEADER = [N_("thread"), N_("theme"), N_("fate"), N_("doc"), N_("section"), N_("unit"),
                 N_("text")]


def thread_table(analysis: Analysis, lang: str = DEFAULT_LANG
                 ) -> tuple[list[str], list[list[object]]]:
    """Commitments followed through two documents or more (single-document commitments
    are in data/fates.csv): one row per passage, a thread's passages together in timeline
    order, each cited by document, section path and unit id. Threads are ordered by
    theme, the longest first. The header and the fates are in `lang`."""
    _ = translations(lang).gettext
    rows: list[list[object]] = []
    threads = [t for t in facts.thread_rows(analysis) if t.span >= 2]
    for t in sorted(threads, key=lambda t: (t.theme, -t.span, t.id)):
        theme = analysis.themes.name(t.theme)
        for clause in t.clauses:
            fate = word(FATE_WORDS, t.fate, lang)
            if t.confidence == TENTATIVE:
                fate = _("%(fate)s (tentative: check it)") % {"fate": fate}
            rows.append([t.id, theme, fate, clause.doc_id,
                         clause.section_path, clause.id, clause.text])
    return [_(h) for h in THREAD_HEADER], rows


def teaching_tables(analysis: Analysis, lang: str = DEFAULT_LANG) -> tuple[Table, Table]:
    """Both tables with their print layout, in `lang`."""
    _ = translations(lang).gettext
    header, rows = theme_matrix_table(analysis, lang)
    n = len(analysis.corpus.documents)
    matrix = Table(
        "theme_matrix", _("Commitments per theme and document, with the most typical example"),
        tuple(header), tuple(map(tuple, rows)),
        (fit(header[0], [r[0] for r in rows], 10, 24),) + (12,) * n + (24,) * n)
    header, rows = thread_table(analysis, lang)
    columns = list(zip(*rows, strict=True)) if rows else [()] * len(header)
    limits = ((10, 16), (10, 20), (9, 12), (10, 18), (12, 44), (10, 18), (20, 50))
    threads = Table(
        "threads", _("Commitments followed through the documents (one passage a row)"),
        tuple(header), tuple(map(tuple, rows)),
        tuple(fit(h, col, least, most)
              for h, col, (least, most) in zip(header, columns, limits, strict=True)),
        frozenset(i for i, r in enumerate(rows) if i == 0 or r[0] != rows[i - 1][0]))
    return matrix, threads


def fit(header: str, values: Sequence[object], least: int, most: int) -> int:
    """A column width: its widest value (or the header's longest word) plus a margin,
    kept between `least` and `most` (longer text wraps)."""
    widest = max([display_width(w) for w in header.split()]
                 + [display_width(str(v)) for v in values if v is not None], default=0)
    return max(least, min(most, widest + 2))


def teaching_files(analysis: Analysis, lang: str = DEFAULT_LANG) -> dict[str, str | bytes]:
    """tables/*.csv (UTF-8 with BOM) and tables/*.xlsx, in `lang`."""
    out: dict[str, str | bytes] = {}
    for table in teaching_tables(analysis, lang):
        out[f"tables/{table.name}.csv"] = "\ufeff" + csv_text(
            list(table.header), ([as_csv_text(cell) for cell in row] for row in table.rows))
        out[f"tables/{table.name}.xlsx"] = xlsx_bytes(table)
    return out


def as_csv_text(cell: object) -> object:
    """A cell for a CSV file a spreadsheet opens: a text that would start a formula gets
    an apostrophe in front; anything else is unchanged."""
    if isinstance(cell, str) and cell.startswith(FORMULA_STARTS):
        return "'" + cell
    return cell


#: Rows a worksheet holds below its header (Excel's limit is 1,048,576 rows in all; past
#: it XlsxWriter ignores a row without an error, so a longer table goes on over more sheets).
SHEET_ROWS = 1_048_575


def xlsx_bytes(table: Table, sheet_rows: int = SHEET_ROWS) -> bytes:
    """A workbook laid out for print (see the module docstring): one sheet, or as many as
    the rows take at `sheet_rows` a sheet, each with the header (名 (2), 名 (3), …). Every
    text is written as a string, never as the formula, number or link XlsxWriter's `write`
    would make of it; numbers as numbers."""
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False,
                                        "strings_to_numbers": False, "strings_to_urls": False})
    book.set_properties({"created": FIXED_TIME})  # also the `modified` date
    styles = (book.add_format({"bold": True, "text_wrap": True, "valign": "top", "bottom": 1,
                               "bg_color": "#E8E8E8"}),
              book.add_format({"text_wrap": True, "valign": "top"}),
              book.add_format({"text_wrap": True, "valign": "top", "top": 2}))
    for first in range(0, max(len(table.rows), 1), sheet_rows):
        part = first // sheet_rows
        name = table.name[:31] if not part else f"{table.name[:24]} ({part + 1})"
        _write_sheet(book.add_worksheet(name), table, first, sheet_rows, styles)
    book.close()
    return buffer.getvalue()


def _write_sheet(sheet: Any, table: Table, first: int, count: int,
                 styles: tuple[Any, Any, Any]) -> None:
    """The header and rows first … first + count of `table` on one worksheet, for print."""
    head, body, ruled = styles
    rows = table.rows[first:first + count]
    for n, width in enumerate(table.widths):
        sheet.set_column(n, n, width, body)
    for n, name in enumerate(table.header):
        sheet.write_string(0, n, name, head)
    sheet.set_row(0, row_height(table.header, table.widths))
    for r, row in enumerate(rows):
        style = ruled if first + r in table.group_starts and r else body
        sheet.set_row(r + 1, row_height(row, table.widths))
        for n, cell in enumerate(row):
            if cell is None or cell == "":
                sheet.write_blank(r + 1, n, None, style)
            elif isinstance(cell, bool) or not isinstance(cell, int | float):
                sheet.write_string(r + 1, n, str(cell), style)
            else:
                sheet.write_number(r + 1, n, cell, style)
    last = len(table.header) - 1
    sheet.freeze_panes(1, 1 if table.name == "theme_matrix" else 0)
    sheet.autofilter(0, 0, len(rows), last)
    sheet.set_landscape()
    sheet.set_paper(A4)
    sheet.fit_to_pages(1, 0)  # one page wide, as many pages tall as it takes
    sheet.repeat_rows(0)
    sheet.hide_gridlines(0)  # gridlines shown and printed
    sheet.set_margins(left=0.5, right=0.5, top=0.75, bottom=0.6)
    sheet.set_header("&L&\"-,Bold\"" + _header_text(table.title) + "&R&F")
    sheet.set_footer("&C&P / &N")


def row_height(row: Sequence[object], widths: Sequence[int]) -> float:
    """The height in points that shows a row's wrapped text whole. Spreadsheets fit a
    row's height to its wrapped text only when asked (LibreOffice not even on opening a
    file), so the height is set: the most lines a cell of the row wraps to, each line as
    tall as a line of Chinese at 11 points, full-width characters about 2.1 of the width
    units (the width of "0") that a column is measured in."""
    lines = 1
    for cell, width in zip(row, widths, strict=True):
        if cell is None:
            continue
        wrapped = sum(math.ceil(display_width(part) * 1.05 / max(1, width - 1)) or 1
                      for part in str(cell).split("\n"))
        lines = max(lines, wrapped)
    return math.ceil((LINE_HEIGHT * lines + 2) / 0.75) * 0.75  # whole pixels, as stored


def _header_text(text: str) -> str:
    """Text for a page header: `&` doubled, as the header codes (&P, &F…) require."""
    return text.replace("&", "&&")

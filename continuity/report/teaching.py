"""Teaching tables: the theme × document matrix and the thread table, as CSV and Excel.

CSV is written UTF-8 with a byte-order mark so Excel opens the Chinese correctly;
the .xlsx files are written by openpyxl with fixed document properties, so two
builds of the same input give the same bytes.

These tables are made for spreadsheets, which run a cell beginning with `=`, `+`, `-`
or `@` (or a tab or carriage return) as a formula: a document's text must never do
that (`=HYPERLINK(…)` sends the reader elsewhere). In the CSV files such a text starts
with an apostrophe, as a spreadsheet user types it to mean "text"; in the .xlsx files
it is stored as text, unchanged. The data exports (data/*.csv) stay exact.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Sequence
from typing import Any

from ..analysis import Analysis
from ..export import csv_text
from . import facts

#: The first characters that make a spreadsheet read a cell as a formula (OWASP's list).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

#: A fixed timestamp for the workbook's properties and zip entries (reproducible builds).
FIXED_TIME = dt.datetime(2000, 1, 1)
_MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")


def theme_matrix_table(analysis: Analysis) -> tuple[list[str], list[list[object]]]:
    docs = analysis.corpus.documents
    header = ["theme"] + [f"{d.meta.short_title} ({d.id}) commitments" for d in docs] \
        + [f"{d.meta.short_title} example" for d in docs]
    rows: list[list[object]] = []
    for row in facts.theme_matrix(analysis):
        name = analysis.themes.name(row[0].theme)
        cells: list[object] = [name]
        cells += [c.count for c in row]
        cells += [c.example.text if c.example else "" for c in row]
        rows.append(cells)
    return header, rows


def thread_table(analysis: Analysis) -> tuple[list[str], list[list[object]]]:
    """Commitments followed through two documents or more, one row each (single-document
    commitments are in data/fates.csv)."""
    docs = analysis.corpus.documents
    header = ["thread", "theme", "fate"] + [f"{d.meta.short_title} ({d.id})" for d in docs]
    rows: list[list[object]] = []
    threads = [t for t in facts.thread_rows(analysis) if t.span >= 2]
    for t in sorted(threads, key=lambda t: (t.theme, -t.span, t.id)):
        cells: list[object] = [t.id, analysis.themes.name(t.theme), t.fate]
        cells += [c.text if c else "" for c in t.cells]
        rows.append(cells)
    return header, rows


def teaching_files(analysis: Analysis) -> dict[str, str | bytes]:
    """tables/*.csv (UTF-8 with BOM) and tables/*.xlsx."""
    out: dict[str, str | bytes] = {}
    for name, (header, rows) in (("theme_matrix", theme_matrix_table(analysis)),
                                 ("threads", thread_table(analysis))):
        out[f"tables/{name}.csv"] = "\ufeff" + csv_text(
            header, ([as_csv_text(cell) for cell in row] for row in rows))
        out[f"tables/{name}.xlsx"] = xlsx_bytes(name, header, rows)
    return out


def as_csv_text(cell: object) -> object:
    """A cell for a CSV file a spreadsheet opens: a text that would start a formula gets
    an apostrophe in front; anything else is unchanged."""
    if isinstance(cell, str) and cell.startswith(FORMULA_STARTS):
        return "'" + cell
    return cell


def xlsx_bytes(title: str, header: Sequence[str], rows: Sequence[Sequence[object]]) -> bytes:
    """A one-sheet workbook with a bold, frozen header row and sensible column widths
    (written in openpyxl's streaming mode: tables with thousands of rows stay quick)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title[:31])
    for n in range(len(header)):
        widest = max([len(str(header[n]))] + [len(str(r[n] or "")) for r in rows[:200]])
        sheet.column_dimensions[get_column_letter(n + 1)].width = min(60, max(10, widest * 1.6))
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    head = []
    for name in header:
        cell = WriteOnlyCell(sheet, value=name)
        cell.font = bold
        head.append(cell)
    sheet.append(head)
    for row in rows:
        sheet.append([_text_cell(sheet, cell) for cell in row])
    book.properties.created = FIXED_TIME
    book.properties.modified = FIXED_TIME
    buffer = io.BytesIO()
    book.save(buffer)
    return _fixed_zip_times(buffer.getvalue())


def _text_cell(sheet: Any, value: object) -> object:
    """`value` as openpyxl should write it: a text beginning with `=` as text (typed so),
    not as the formula openpyxl would make of it. Other starts of a formula are safe
    in a text cell: spreadsheets read them as formulas only when typed in or in CSV."""
    if isinstance(value, str) and value.startswith("="):
        from openpyxl.cell import WriteOnlyCell

        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"
        return cell
    return value


def _fixed_zip_times(data: bytes) -> bytes:
    """Rewrite the zip with fixed times: openpyxl stamps the zip entries, and the workbook's
    `modified` property, with the time of saving."""
    source = zipfile.ZipFile(io.BytesIO(data))
    stamp = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = _MODIFIED.sub(rb"\g<1>" + stamp + rb"\g<2>", content)
            fixed = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            target.writestr(fixed, content)
    return out.getvalue()

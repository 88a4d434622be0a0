"""Teaching tables: the theme × document matrix and the thread table, as CSV and Excel.

CSV is written UTF-8 with a byte-order mark so Excel opens the Chinese correctly;
the .xlsx files are written by openpyxl with fixed document properties, so two
builds of the same input give the same bytes.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Sequence

from ..analysis import Analysis
from ..export import csv_text
from . import facts

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
        out[f"tables/{name}.csv"] = "\ufeff" + csv_text(header, rows)
        out[f"tables/{name}.xlsx"] = xlsx_bytes(name, header, rows)
    return out


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
        sheet.append(list(row))
    book.properties.created = FIXED_TIME
    book.properties.modified = FIXED_TIME
    buffer = io.BytesIO()
    book.save(buffer)
    return _fixed_zip_times(buffer.getvalue())


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

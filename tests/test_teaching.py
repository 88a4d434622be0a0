"""continuity.report.teaching: tables for class, as CSV (with BOM) and .xlsx."""

from __future__ import annotations

import csv
import io

from openpyxl import load_workbook

from continuity.analysis import Analysis
from continuity.report.teaching import teaching_files, theme_matrix_table, thread_table


def test_csv_tables_open_in_excel_with_chinese(analysis: Analysis) -> None:
    files = teaching_files(analysis)
    for name in ("tables/theme_matrix.csv", "tables/threads.csv"):
        text = files[name]
        assert isinstance(text, str) and text.startswith("\ufeff")
        rows = list(csv.reader(io.StringIO(text[1:])))
        assert len({len(r) for r in rows}) == 1


def test_xlsx_tables_hold_the_same_cells(analysis: Analysis) -> None:
    files = teaching_files(analysis)
    header, rows = theme_matrix_table(analysis)
    book = load_workbook(io.BytesIO(files["tables/theme_matrix.xlsx"]))  # type: ignore[arg-type]
    sheet = book.active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0] == header
    assert [v[:1 + len(analysis.corpus.ids)] for v in values[1:]] == \
        [r[:1 + len(analysis.corpus.ids)] for r in rows]
    assert sheet.freeze_panes == "A2"


def test_xlsx_is_reproducible(analysis: Analysis) -> None:
    assert teaching_files(analysis)["tables/threads.xlsx"] == \
        teaching_files(analysis)["tables/threads.xlsx"]


def test_thread_table_rows_follow_commitments_across_documents(analysis: Analysis) -> None:
    header, rows = thread_table(analysis)
    assert header[:3] == ["thread", "theme", "fate"]
    assert rows and all(sum(1 for cell in r[3:] if cell) >= 2 for r in rows)
    names = {t.name for t in analysis.themes.taxonomy}
    assert {r[1] for r in rows} <= names

"""continuity.output.report.teaching: tables for class, as CSV (with BOM) and .xlsx laid out for
print (A4 landscape, one page wide, header repeated, text wrapped, panes frozen)."""

from __future__ import annotations

import csv
import io
import math
from typing import Any

import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from continuity.analysis.run import Analysis
from continuity.output.report.teaching import (
    A4,
    FIXED_TIME,
    LINE_HEIGHT,
    SHEET_ROWS,
    Table,
    row_height,
    teaching_files,
    teaching_tables,
    theme_matrix_table,
    thread_table,
    xlsx_bytes,
)
from continuity.views.console import display_width

NAMES = ("theme_matrix", "threads")


@pytest.fixture(scope="module")
def files(analysis: Analysis) -> dict[str, str | bytes]:
    return teaching_files(analysis)


def workbook(files: dict[str, str | bytes], name: str) -> Any:
    data = files[f"tables/{name}.xlsx"]
    assert isinstance(data, bytes)
    return load_workbook(io.BytesIO(data))


def csv_rows(files: dict[str, str | bytes], name: str) -> list[list[str]]:
    text = files[f"tables/{name}.csv"]
    assert isinstance(text, str) and text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def test_csv_tables_open_in_excel_with_chinese(files: dict[str, str | bytes]) -> None:
    for name in NAMES:
        rows = csv_rows(files, name)
        assert len({len(r) for r in rows}) == 1


@pytest.mark.parametrize("name", NAMES)
def test_xlsx_and_csv_hold_the_same_cells(files: dict[str, str | bytes], name: str) -> None:
    book = workbook(files, name)
    assert book.sheetnames == [name]
    values = [["" if c.value is None else str(c.value) for c in row]
              for row in book.active.iter_rows()]
    assert values == csv_rows(files, name)


def test_theme_matrix_counts_are_numbers(analysis: Analysis,
                                         files: dict[str, str | bytes]) -> None:
    header, rows = theme_matrix_table(analysis)
    sheet = workbook(files, "theme_matrix").active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    n = 1 + len(analysis.corpus.ids)
    assert values[0] == header
    assert [v[:n] for v in values[1:]] == [r[:n] for r in rows]
    assert all(isinstance(v, int) for row in values[1:] for v in row[1:n])


@pytest.mark.parametrize("name", NAMES)
def test_every_sheet_prints_a4_landscape_one_page_wide(files: dict[str, str | bytes],
                                                       name: str) -> None:
    for sheet in workbook(files, name).worksheets:
        setup = sheet.page_setup
        assert setup.orientation == "landscape"
        assert int(setup.paperSize) == A4
        assert sheet.sheet_properties.pageSetUpPr.fitToPage
        assert (setup.fitToWidth or 1) == 1  # absent means 1 (ECMA-376 §18.3.1.63)
        assert setup.fitToHeight == 0  # as many pages tall as it takes
        assert sheet.print_title_rows == "$1:$1"  # the header row on every page
        assert sheet.print_options.gridLines
        assert "&P" in sheet.oddFooter.center.text  # page numbers
        assert sheet.auto_filter.ref == f"A1:{get_column_letter(sheet.max_column)}" \
                                        f"{sheet.max_row}"


def test_panes_frozen_below_the_header(files: dict[str, str | bytes]) -> None:
    assert workbook(files, "theme_matrix").active.freeze_panes == "B2"  # and the theme names
    assert workbook(files, "threads").active.freeze_panes == "A2"


@pytest.mark.parametrize("name", NAMES)
def test_columns_have_widths_and_text_wraps_in_rows_tall_enough(
        analysis: Analysis, files: dict[str, str | bytes], name: str) -> None:
    table = next(t for t in teaching_tables(analysis) if t.name == name)
    sheet = workbook(files, name).active
    for n, width in enumerate(table.widths, start=1):
        # equal neighbours share one <col> entry; widths are stored as Excel shows them,
        # rounded to whole pixels
        [stored] = [d.width for d in sheet.column_dimensions.values() if d.min <= n <= d.max]
        assert width <= stored <= width + 1
    for number, row in enumerate(sheet.iter_rows(), start=1):
        assert all(cell.alignment.wrap_text for cell in row), number
        height = sheet.row_dimensions[number].height
        assert height == row_height([c.value for c in row], table.widths)
        longest = max(display_width(str(c.value or "")) / (w - 1)
                      for c, w in zip(row, table.widths, strict=True))
        assert height >= LINE_HEIGHT * longest  # every line of the longest cell shown


def test_row_height_counts_the_lines_a_cell_wraps_to() -> None:
    def lines(n: int) -> float:  # whole pixels (0.75 points)
        return math.ceil((LINE_HEIGHT * n + 2) / 0.75) * 0.75

    assert row_height(["短"], [10]) == lines(1)
    assert row_height(["四川" * 10], [45]) == lines(1)  # 40 columns
    assert row_height(["四川" * 10], [41]) == lines(2)  # a Chinese character is a bit wider
    assert row_height(["四川" * 10], [11]) == lines(5)
    assert row_height(["a\nb\nc", 5, None], [10, 8, 8]) == lines(3)


def test_xlsx_is_reproducible(analysis: Analysis, files: dict[str, str | bytes]) -> None:
    again = teaching_files(analysis)
    for name in NAMES:
        assert again[f"tables/{name}.xlsx"] == files[f"tables/{name}.xlsx"]
        book = workbook(files, name)
        assert book.properties.created == FIXED_TIME == book.properties.modified


def test_thread_table_cites_every_passage(analysis: Analysis) -> None:
    header, rows = thread_table(analysis, lang="en")
    assert header == ["thread", "theme", "fate", "doc", "section", "unit", "text"]
    fates = {"emerges", "persists", "evolves", "disappears"}
    assert {r[2] for r in rows} <= fates | {f"{f} (tentative: check it)" for f in fates}
    for thread, _theme, _fate, doc_id, section, unit, text in rows:
        clause = analysis.clause(str(unit))
        assert (clause.doc_id, clause.section_path, clause.text) == (doc_id, section, text)
        assert analysis.fate(clause.id).thread == thread
    names = {t.name for t in analysis.themes.taxonomy}
    assert {r[1] for r in rows} <= names


def test_thread_table_follows_each_commitment_in_timeline_order(analysis: Analysis) -> None:
    _, rows = thread_table(analysis)
    order = {doc_id: n for n, doc_id in enumerate(analysis.corpus.ids)}
    threads: dict[object, list[list[object]]] = {}
    for row in rows:
        threads.setdefault(row[0], []).append(row)
    starts = [n for n, r in enumerate(rows) if n == 0 or r[0] != rows[n - 1][0]]
    assert len(starts) == len(threads)  # each thread's rows together
    for passages in threads.values():
        assert len(passages) >= 2  # single-document commitments are in data/fates.csv
        positions = [order[str(r[3])] for r in passages]
        assert positions == sorted(set(positions))  # one per document, timeline order
        assert len({(r[1], r[2]) for r in passages}) == 1  # one theme and fate a thread


def test_tables_are_in_the_sites_language(analysis: Analysis) -> None:
    """Chinese by default (headers, titles, fates), English on request; the cells that are
    data (ids, section paths, text, counts) are the same in both."""
    chinese, english = teaching_tables(analysis), teaching_tables(analysis, "en")
    matrix, threads = chinese
    assert matrix.header[0] == "主题" and threads.header == (
        "沿革编号", "主题", "去向", "文件", "章节", "分句编号", "原文")
    assert "承诺" in matrix.title and "承诺" in threads.title
    fates = {"新增", "延续", "演变", "消失"}
    assert {r[2] for r in threads.rows} <= fates | {f"{f}（待核，请核实）" for f in fates}
    assert english[0].header[0] == "theme" and english[0].title.startswith("Commitments")
    for zh, en in zip(chinese, english, strict=True):
        assert [r[:2] + r[3:] for r in zh.rows] == [r[:2] + r[3:] for r in en.rows] \
            if zh.name == "threads" else zh.rows == en.rows


def test_a_table_longer_than_a_sheet_goes_on_over_more_sheets() -> None:
    # Excel holds 1,048,576 rows a sheet, and XlsxWriter drops a row past it without an
    # error: a thread table of a thousand documents is about that long
    assert SHEET_ROWS == 1_048_576 - 1
    rows = tuple((f"t{n}", n, "文本" * n) for n in range(5))
    table = Table("threads", "沿革", ("thread", "n", "text"), rows, (10, 6, 20),
                  frozenset({0, 3}))
    book = load_workbook(io.BytesIO(xlsx_bytes(table, sheet_rows=2)))
    assert book.sheetnames == ["threads", "threads (2)", "threads (3)"]
    read = []
    for sheet in book.worksheets:
        values = list(sheet.iter_rows(values_only=True))
        assert values[0] == ("thread", "n", "text")  # each sheet has the header
        assert sheet.freeze_panes == "A2" and sheet.print_title_rows == "$1:$1"
        read += values[1:]
    assert read == [(a, b, c or None) for a, b, c in rows]  # every row, in order
    # the thread opening on the second sheet's second row is ruled, a sheet's first is not
    second = book["threads (2)"]
    assert second["A3"].border.top.style == "medium" and not second["A2"].border.top.style


@pytest.mark.parametrize(("lang", "mark"),
                         [("en", "(tentative: check it)"), ("zh", "（待核，请核实）")])
def test_thread_table_says_when_a_fate_rests_on_tentative_counterparts(
        analysis: Analysis, lang: str, mark: str) -> None:
    """A thread's fate is its first passage's, with how sure it is (fates.csv's confidence)."""
    _, rows = thread_table(analysis, lang)
    firsts = {}
    for row in rows:
        firsts.setdefault(row[0], row)
    tentative = {t for t, row in firsts.items() if str(row[2]).endswith(mark)}
    assert tentative == {t for t, row in firsts.items()
                         if analysis.fate(str(row[5])).confidence == "tentative"}
    assert tentative

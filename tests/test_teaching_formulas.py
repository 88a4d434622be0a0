"""The teaching tables never hand a spreadsheet a formula (continuity/output/report/teaching.py;
its other tests are in test_teaching.py): a document whose text begins with `=`, `+`,
`-` or `@` reaches the CSV tables with an apostrophe in front and the .xlsx tables as
text, while the data exports keep it exactly."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

import pytest
from helpers import entry
from openpyxl import load_workbook

from continuity.analysis.run import Analysis, analyse
from continuity.output.export import export_files
from continuity.output.report.teaching import as_csv_text, teaching_files
from continuity.records import Corpus

#: Commitments that a spreadsheet would run as formulas, shared by both documents so
#: that they appear in the thread table and as theme examples.
HOSTILE = ('=HYPERLINK("http://example.com","坚持和发展新时代枫桥经验")，健全城乡社区治理体系。',
           "@SUM(1+1)坚持和发展新时代“枫桥经验”，健全城乡社区治理体系。",
           "+1+1坚持推进乡村振兴，加快建设农业强省。",
           "-2+3坚持推进乡村振兴，全面建设农业强省。")


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Analysis:
    from helpers import THEMES_FILE, manifest_text

    import continuity

    root = tmp_path_factory.mktemp("hostile")
    entries = [entry(id="a", date="2023-01-01", level="province"),
               entry(id="b", date="2024-01-01", level="city")]
    for item, title in zip(entries, ("某某省委决定", "某某市政府工作报告"), strict=True):
        text = f"{title}\n一、主要任务\n" + "\n".join(HOSTILE) + "\n"
        (root / str(item["file"])).write_text(text, encoding="utf-8")
    (root / "manifest.toml").write_text(manifest_text(entries), encoding="utf-8")
    (root / "themes.toml").write_text(THEMES_FILE.read_text(encoding="utf-8"), encoding="utf-8")
    corpus: Corpus = continuity.load_corpus(root)
    return analyse(corpus)


def cells(text: str | bytes) -> list[str]:
    assert isinstance(text, str)
    return [cell for row in csv.reader(io.StringIO(text.lstrip("\ufeff"))) for cell in row]


def starts_a_formula(cell: object) -> bool:
    return isinstance(cell, str) and cell[:1] in ("=", "+", "-", "@", "\t", "\r")


@pytest.mark.parametrize("cell", ["=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1"])
def test_a_text_that_starts_a_formula_gets_an_apostrophe(cell: str) -> None:
    assert as_csv_text(cell) == "'" + cell


@pytest.mark.parametrize("cell", ["坚持", "'=1", " =1", "＝1", 5, -5, 0.5, None, ""])
def test_anything_else_is_unchanged(cell: object) -> None:
    assert as_csv_text(cell) == cell


def test_csv_tables_hold_no_formula(hostile: Analysis) -> None:
    files = teaching_files(hostile)
    for name in ("tables/theme_matrix.csv", "tables/threads.csv"):
        found = cells(files[name])
        assert not [c for c in found if starts_a_formula(c)], name
    threads = cells(files["tables/threads.csv"])
    assert "'" + HOSTILE[0][:17] in {c[:18] for c in threads}  # there, apostrophe first


def test_xlsx_tables_hold_the_exact_text_as_text(hostile: Analysis) -> None:
    files = teaching_files(hostile)
    seen = []
    for name in ("tables/theme_matrix.xlsx", "tables/threads.xlsx"):
        book = load_workbook(io.BytesIO(files[name]))  # type: ignore[arg-type]
        for row in book.active.iter_rows():
            for cell in row:
                if starts_a_formula(cell.value):
                    assert cell.data_type == "s", (name, cell.value)
                    seen.append(cell.value)
    assert any(value.startswith("=HYPERLINK(") for value in seen)
    assert any(value.startswith("@SUM") for value in seen)


def test_data_exports_keep_the_text_exactly(hostile: Analysis) -> None:
    units = cells(export_files(hostile)["units.csv"])
    for text in HOSTILE:
        assert any(text.startswith(cell) and len(cell) > 5 for cell in units), text


def test_ordinary_tables_are_unchanged(analysis: Analysis,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """On the bundled corpus no text starts a formula: the tables are as they were."""
    from continuity.output.report import teaching

    neutral: Callable[[object], object] = lambda cell: cell  # noqa: E731
    monkeypatch.setattr(teaching, "as_csv_text", neutral)
    plain = teaching_files(analysis)
    monkeypatch.undo()
    assert teaching_files(analysis) == plain

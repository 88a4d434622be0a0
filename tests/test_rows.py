"""The rows of documents.csv and units.csv made from the records alone (`output.rows`): the
exports write them, and the `--json` views list documents and units as they read there."""

from __future__ import annotations

from collections.abc import Callable

from continuity.output.datapackage import COLUMNS
from continuity.output.rows import document_row, unit_row
from continuity.records import Document


def test_a_document_row_names_its_columns(doc: Callable[[str], Document]) -> None:
    plan = doc("15th-plan")
    row = dict(zip(COLUMNS["documents.csv"], document_row(plan), strict=True))
    assert row["doc"] == "15th-plan" and row["date"] == plan.meta.date_text
    assert row["chars"] == len(plan.clean.text.replace("\n", ""))  # the line breaks left out
    assert (row["sections"], row["units"]) == (len(plan.sections), len(plan.clauses))


def test_a_unit_row_names_its_columns(doc: Callable[[str], Document]) -> None:
    clause = doc("2025-report").clauses[7]
    row = dict(zip(COLUMNS["units.csv"], unit_row(clause, "rural"), strict=True))
    assert row["doc"] == "2025-report" and row["unit"] == clause.id
    assert (row["theme"], row["function"]) == ("rural", clause.function)
    assert (row["start"], row["end"], row["text"]) == (clause.start, clause.end, clause.text)
    assert row["section"] == clause.section_id

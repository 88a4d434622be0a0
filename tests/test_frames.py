"""Records as pandas DataFrames (continuity/frames.py)."""

from __future__ import annotations

import pytest
from helpers import BUNDLED_IDS

import continuity

REMOVED_COLUMNS = ["doc", "line", "action", "reason", "text"]


def test_corpus_frame(corpus) -> None:
    frame = continuity.corpus_frame(corpus)
    assert list(frame.columns) == ["id", "date", "level", "genre", "title", "encoding",
                                   "characters", "sections", "units", "removed_lines", "joins"]
    assert tuple(frame["id"]) == BUNDLED_IDS
    row = frame.set_index("id").loc["15th-plan"]
    plan = corpus.document("15th-plan")
    assert (row["date"], row["level"], row["genre"]) == ("2026-02-07", "province", "five-year-plan")
    assert row["characters"] == len(plan.clean.text.replace("\n", ""))
    sizes = (row["sections"], row["units"], row["removed_lines"], row["joins"])
    assert sizes == (516, 1990, 90, 59)
    assert frame.set_index("id").loc["2025-report", "date"] == "2025-01"


@pytest.mark.parametrize("doc_id", BUNDLED_IDS)
def test_sections_frame(doc, doc_id: str) -> None:
    document = doc(doc_id)
    frame = continuity.sections_frame(document)
    assert list(frame["section"]) == [s.id for s in document.sections]
    assert list(frame["path"]) == [s.path_text for s in document.sections]
    assert frame["units"].sum() == len(document.units)
    roots = frame[frame["depth"] == 0]
    assert set(roots["parent"]) == {""}


def test_sections_frame_counts_units_per_section(doc) -> None:
    frame = continuity.sections_frame(doc("15th-plan")).set_index("path")
    assert frame.loc["第一篇/第三章/专栏1", "units"] == 30
    assert frame.loc["第一篇/第三章/专栏1", "kind"] == "table"


@pytest.mark.parametrize("doc_id", BUNDLED_IDS)
def test_units_frame(doc, doc_id: str) -> None:
    document = doc(doc_id)
    frame = continuity.units_frame(document)
    assert list(frame["index"]) == list(range(len(document.units)))
    assert list(frame["unit"]) == [u.id for u in document.units]
    assert list(frame["text"]) == [u.text for u in document.units]
    assert list(frame["tokens"]) == [" ".join(u.tokens) for u in document.units]


def test_clauses_frame_has_the_ids_and_functions_of_units_csv(doc) -> None:
    document = doc("2022-decision")
    frame = continuity.clauses_frame(document)
    assert list(frame["unit"]) == [c.id for c in document.clauses]
    assert list(frame["sentence"]) == [c.unit_id for c in document.clauses]
    assert set(frame["function"]) <= {"action", "target", "principle", "review", "context",
                                      "procedural", "heading"}
    row = frame[frame["text"].str.contains("省委委员79人")]
    assert list(row["function"]) == ["procedural"]


def test_removed_frame_lists_removals_and_joins_by_line(doc) -> None:
    frame = continuity.removed_frame(doc("15th-plan"))
    assert list(frame.columns) == REMOVED_COLUMNS
    assert len(frame) == 90 + 59
    assert list(frame["line"]) == sorted(frame["line"])
    assert frame["action"].value_counts().to_dict() == {"removed": 90, "joined": 59}
    join = frame[frame["line"] == 681].iloc[0]
    assert join["action"] == "joined"
    assert join["reason"] == "line broken mid-sentence, continued on line 683"
    first = frame.iloc[0]
    assert (first["line"], first["action"]) == (7, "removed")
    assert first["text"] == "2026年04月13日 07时38分 来源: 四川日报"


def test_removed_frame_of_a_document_that_needed_no_cleaning(doc) -> None:
    frame = continuity.removed_frame(doc("2025-report"))
    assert list(frame.columns) == REMOVED_COLUMNS
    assert len(frame) == 0

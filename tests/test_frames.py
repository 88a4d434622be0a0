"""Records and exports as pandas DataFrames (continuity/output/frames.py)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd
import pytest
from helpers import BUNDLED_IDS
from pandas.testing import assert_frame_equal

import continuity
from continuity.analysis.align import ABSENT, CODES
from continuity.errors import ContinuityError
from continuity.output.datapackage import TABLE_OF, TABLES
from continuity.output.export import COLUMNS, write_exports

REMOVED_COLUMNS = ["doc", "line", "action", "reason", "text"]


@pytest.fixture
def frames(bundled_frames) -> dict[str, pd.DataFrame]:
    """The session's frames of the bundled analysis (conftest.py): read only."""
    return bundled_frames


@pytest.fixture
def files(export_texts) -> dict[str, str]:
    """The session's CSV exports of the bundled analysis (conftest.py)."""
    return export_texts


# --------------------------------------------------------------------------- the exports


def test_one_frame_per_export_with_exactly_its_columns(frames, files) -> None:
    assert list(frames) == [t.name for t in TABLES] == [
        "documents", "sections", "units", "pairs", "alignments", "fates", "threads",
        "section_alignments", "targets", "aliases"]
    for table in TABLES:
        frame = frames[table.name]
        assert tuple(frame.columns) == COLUMNS[table.file]
        assert len(frame) == files[table.file].count("\n") - 1 > 0  # no newline in any cell
        assert {c: str(t) for c, t in frame.dtypes.items()} == table.dtypes()


def test_frames_hold_the_values_of_the_csv_files(frames, files) -> None:
    """Cell by cell: an empty cell is <NA>, every other one its text, typed."""
    for table in TABLES:
        frame = frames[table.name]
        rows = list(csv.reader(io.StringIO(files[table.file])))[1:]
        for n in range(0, len(rows), max(1, len(rows) // 200)):
            for field, cell in zip(table.fields, rows[n], strict=True):
                value = frame[field.name].iloc[n]
                if cell == "":
                    assert value is pd.NA, (table.file, n, field.name)
                elif field.type == "integer":
                    assert value == int(cell)
                elif field.type == "number":
                    assert value == float(cell)
                elif field.type == "boolean":
                    assert value == (cell == "1")
                else:
                    assert value == cell


def test_frames_round_trip_through_the_files(analysis, frames, tmp_path: Path) -> None:
    data = write_exports(analysis, tmp_path)
    again = continuity.read_frames(data)
    assert list(again) == list(frames)
    for name, frame in frames.items():
        assert_frame_equal(again[name], frame, check_exact=True)
    # what a researcher without continuity gets from pandas alone, with the same types
    plain = pd.read_csv(data / "alignments.csv", dtype=TABLE_OF["alignments.csv"].dtypes(),
                        keep_default_na=False, na_values=[""])
    assert_frame_equal(plain, frames["alignments"])


def test_read_frames_of_a_folder_that_is_not_an_export(tmp_path: Path) -> None:
    with pytest.raises(ContinuityError, match=r"lacks documents\.csv, sections\.csv"):
        continuity.read_frames(tmp_path)


def test_frames_join_on_their_ids(analysis, frames) -> None:
    """The questions of the README answered with joins: every id column joins its table."""
    units, fates, threads = frames["units"], frames["fates"], frames["threads"]
    joined = fates.merge(units, on=["doc", "unit"], validate="one_to_one")
    assert len(joined) == len(units) == len(fates)
    on_threads = threads.merge(fates, on=["doc", "unit", "thread"], validate="one_to_one")
    assert len(on_threads) == len(units)
    sections = frames["sections"].set_index("section")
    assert (sections.loc[units["section"], "section_path"].to_numpy()
            == units["section_path"].to_numpy()).all()
    rank1 = frames["alignments"][frames["alignments"]["rank"] == 1]
    assert rank1.groupby(["source_unit", "target_doc"]).size().max() == 1
    assert frames["alignments"]["cross_level"].dtype == "boolean"
    # absence: the units of each compared pair's source with no row for its target
    compared = frames["pairs"].merge(units, left_on="source_doc", right_on="doc")
    found = compared.merge(rank1[["source_unit", "target_doc"]], how="left", indicator=True,
                           left_on=["unit", "target_doc"], right_on=["source_unit", "target_doc"])
    absent = found[found["_merge"] == "left_only"]
    result = analysis.result
    codes = result.relation_codes(range(len(result.clauses)))
    assert len(absent) == int((codes == CODES[ABSENT]).sum()) > 0
    assert all(result.relation(u, d) == ABSENT
               for u, d in zip(absent["unit"], absent["target_doc"], strict=True))
    # a commitment of 2022 that disappears is last seen in 2022 and has no later unit
    gone = fates[(fates["doc"] == "2022-decision") & (fates["fate"] == "disappears")]
    assert len(gone) > 0 and set(gone["last_doc"]) == {"2022-decision"}


def test_fates_frame_names_its_columns_as_fates_csv(frames) -> None:
    """pd.DataFrame(analysis.fates) names them doc_id and clause: the frame does not."""
    assert list(frames["fates"].columns) == ["doc", "unit", "fate", "first_doc", "last_doc",
                                             "thread", "confidence"]


# --------------------------------------------------------------------------- one document


def test_corpus_frame(corpus, frames) -> None:
    frame = continuity.corpus_frame(corpus)
    assert list(frame.columns) == [*COLUMNS["documents.csv"], "short_title", "encoding",
                                   "sentences", "removed_lines", "joins"]
    assert_frame_equal(frame[list(COLUMNS["documents.csv"])], frames["documents"])
    assert tuple(frame["doc"]) == BUNDLED_IDS
    row = frame.set_index("doc").loc["15th-plan"]
    plan = corpus.document("15th-plan")
    assert (row["date"], row["level"], row["genre"]) == ("2026-02-07", "province", "five-year-plan")
    assert row["chars"] == len(plan.clean.text.replace("\n", ""))
    sizes = (row["sections"], row["units"], row["sentences"], row["removed_lines"], row["joins"])
    assert sizes == (516, len(plan.clauses), 1990, 90, 59)
    assert row["short_title"] == plan.meta.short_title
    assert frame.set_index("doc").loc["2025-report", "date"] == "2025-01"


def without(columns: tuple[str, ...], *left_out: str) -> list[str]:
    return [c for c in columns if c not in left_out]


@pytest.mark.parametrize("doc_id", BUNDLED_IDS)
def test_sections_frame(doc, frames, doc_id: str) -> None:
    document = doc(doc_id)
    frame = continuity.sections_frame(document)
    shared = without(COLUMNS["sections.csv"], "theme")
    assert list(frame.columns) == [*shared, "style", "heading_end", "units"]
    exported = frames["sections"][frames["sections"]["doc"] == doc_id][shared]
    assert_frame_equal(frame[shared], exported.reset_index(drop=True))
    assert list(frame["section_path"]) == [s.path_text for s in document.sections]
    assert frame["units"].sum() == len(document.clauses)
    roots = frame[frame["depth"] == 0]
    assert roots["parent"].isna().all()


def test_sections_frame_counts_units_per_section(doc) -> None:
    frame = continuity.sections_frame(doc("15th-plan")).set_index("section_path")
    box = frame.loc["第一篇/第三章/专栏1"]
    assert (box["label"], box["number"], box["kind"]) == ("专栏1", 1, "table")
    assert box["units"] == sum(1 for c in doc("15th-plan").clauses
                               if c.section_path == "第一篇/第三章/专栏1")


@pytest.mark.parametrize("doc_id", BUNDLED_IDS)
def test_units_frame_has_the_rows_of_units_csv(doc, frames, doc_id: str) -> None:
    document = doc(doc_id)
    frame = continuity.units_frame(document)
    shared = without(COLUMNS["units.csv"], "theme")
    assert list(frame.columns) == [*shared, "sentence", "index", "role", "tokens"]
    exported = frames["units"][frames["units"]["doc"] == doc_id][shared]
    assert_frame_equal(frame[shared], exported.reset_index(drop=True))
    assert list(frame["sentence"]) == [c.unit_id for c in document.clauses]
    assert list(frame["tokens"]) == [" ".join(c.tokens) for c in document.clauses]


def test_units_frame_says_what_each_clause_does(doc) -> None:
    frame = continuity.units_frame(doc("2022-decision"))
    assert set(frame["function"]) <= {"action", "target", "principle", "review", "context",
                                      "procedural", "heading"}
    row = frame[frame["text"].str.contains("省委委员79人")]
    assert list(row["function"]) == ["procedural"]


@pytest.mark.parametrize("doc_id", BUNDLED_IDS)
def test_sentences_frame(doc, doc_id: str) -> None:
    document = doc(doc_id)
    frame = continuity.sentences_frame(document)
    assert list(frame["index"]) == list(range(len(document.units)))
    assert list(frame["sentence"]) == [u.id for u in document.units]
    assert list(frame["text"]) == [u.text for u in document.units]
    assert list(frame["tokens"]) == [" ".join(u.tokens) for u in document.units]
    assert set(continuity.units_frame(document)["sentence"]) == set(frame["sentence"])


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

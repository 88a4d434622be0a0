"""`--json` on corpus, trace, history, diff and evaluate (continuity/views/jsonout.py): one JSON
document each, parsed here, whose records are the rows of the CSV exports."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from click.testing import CliRunner
from helpers import BUNDLED_IDS

import continuity.cli as cli_module
from continuity.cli import cli
from continuity.settings import AlignSettings
from continuity.views.jsonout import dumps, record

QUOTE = "坚持和发展新时代“枫桥经验”"


@pytest.fixture(autouse=True)
def reuse_session_analysis(monkeypatch, store_cwd, corpus, analysis):
    """The commands read the session's corpus, analysis and store (as in test_cli), in a
    folder of their own (`store_cwd`)."""
    def run_analysis(given, settings=None, engine=None):
        assert given is corpus and (settings or AlignSettings()) == AlignSettings()
        return analysis

    # cli imports load_corpus where a command needs it (jieba is not imported for --help)
    monkeypatch.setattr("continuity.pipeline.load_corpus",
                        lambda corpus_dir=None, workers=None: corpus)
    monkeypatch.setattr(cli_module, "load_corpus", lambda corpus_dir=None, workers=None: corpus,
                        raising=False)
    monkeypatch.setattr(cli_module, "analyse", run_analysis)


@pytest.fixture(scope="module")
def rows(bundled_frames) -> dict[str, dict[str, dict[str, Any]]]:
    """Rows of units.csv and fates.csv by unit, as JSON reads them: from the frames (the
    session's, conftest.py)."""
    return {name: {r["unit"]: r for r in records(bundled_frames[name])}
            for name in ("units", "fates")}


@pytest.fixture(scope="module")
def alignments(bundled_frames) -> dict[str, list[dict[str, Any]]]:
    """Rows of alignments.csv by source unit, as JSON reads them."""
    out: dict[str, list[dict[str, Any]]] = {}
    for r in records(bundled_frames["alignments"]):
        out.setdefault(r["source_unit"], []).append(r)
    return out


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """A frame's rows with <NA> as None and numpy scalars as Python values."""
    return [{k: (None if v is pd.NA else v.item() if hasattr(v, "item") else v)
             for k, v in row.items()} for row in frame.astype(object).to_dict("records")]


def run_json(*args: str) -> Any:
    result = CliRunner().invoke(cli, [*args, "--json"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)  # what a script reads: a note would be on stderr


def test_record_types_each_cell_as_the_data_package_does() -> None:
    row = ("a", "u1.1", "b", "u2.1", 2, "0.5000", "same", "0.2500", "", 1, "", "tentative")
    assert record("alignments.csv", row) == {
        "source_doc": "a", "source_unit": "u1.1", "target_doc": "b", "target_unit": "u2.1",
        "rank": 2, "score": 0.5, "relation": "same", "similarity": 0.25,
        "shared_terms": None, "cross_level": True, "changes": None, "confidence": "tentative"}
    assert record("pairs.csv", ("a", "b", 0)) == {"source_doc": "a", "target_doc": "b",
                                                  "cross_level": False}
    assert record("section_alignments.csv", ("a", "s1", "b", "s2", "0.5000"))["score"] == 0.5


def test_corpus_json_holds_the_rows_of_documents_csv(corpus, bundled_frames) -> None:
    found = run_json("corpus")
    documents = records(bundled_frames["documents"])
    assert [{k: d[k] for k in documents[0]} for d in found["documents"]] == documents
    plan = found["documents"][-1]
    short_title = corpus.document("15th-plan").meta.short_title
    assert (plan["short_title"], plan["encoding"]) == (short_title, "utf-8")
    assert (plan["sentences"], plan["removed_lines"], plan["joins"], plan["warning"]) == (
        1990, 90, 59, None)


def test_trace_json(rows, alignments) -> None:
    found = run_json("trace", "天府粮仓")
    assert found["query"] == "天府粮仓"
    units = {u["unit"]: u for u in found["units"]}
    assert len(units) == len(found["units"])  # each passage once
    assert all(units[u] == rows["units"][u] for u in units)
    assert all("天府粮仓" in units[u]["text"] for u in found["passages"])
    (followed,) = found["followed"]
    unit = followed["unit"]
    assert followed["fate"] == rows["fates"][unit]
    assert followed["alignments"] == alignments[unit]
    assert {a["target_unit"] for a in followed["alignments"]} <= set(units)
    source = rows["units"][unit]["doc"]
    assert followed["absent"] == [d for d in BUNDLED_IDS if d != source and not any(
        a["target_doc"] == d for a in alignments[unit])]
    assert followed["reported_in"] == []  # 天府粮仓 (2022): no later review reports on it


def test_trace_json_lists_the_review_passages_reporting_on_a_clause(rows, alignments) -> None:
    (followed,) = run_json("trace", "全面落实田长制")["followed"]
    unit = followed["unit"]
    assert rows["fates"][unit]["fate"] == "disappears"
    (report,) = followed["reported_in"]  # the row of alignments.csv that says so
    assert report in alignments[report["source_unit"]]
    assert (report["target_unit"], report["rank"], report["source_doc"]) == (
        unit, 1, "2024-chengdu")
    assert rows["fates"][report["source_unit"]]["fate"] == "review"


def test_history_json_names_the_review_reporting_on_an_absent_step(rows) -> None:
    (found,) = run_json("history", "uad45d6c1d2.2")["histories"]  # 全面落实田长制
    steps = {s["doc"]: s for s in found["steps"]}
    (review,) = steps["2024-chengdu"]["reported_by"]
    assert steps["2024-chengdu"]["state"] == "absent"
    assert rows["fates"][review]["fate"] == "review"
    assert rows["units"][review]["text"] == "全面落实田长制,"
    assert all(not s["reported_by"] for d, s in steps.items() if d != "2024-chengdu")


def test_diff_json_names_the_reviews_reporting_on_an_absent_row(analysis, rows) -> None:
    found = run_json("diff", "2022-decision", "2024-chengdu")
    reported = [r for r in found["rows"] if r["reported_by"]]
    assert reported and all(r["relation"] == "absent" for r in reported)
    for r in reported:
        assert r["reported_by"] == [x.review.id for x in analysis.reports_on(r["source_unit"])
                                    if x.doc_id == "2024-chengdu"]
        assert all(rows["fates"][u]["fate"] == "review" for u in r["reported_by"])


def test_history_json(analysis, rows) -> None:
    found = run_json("history", "天府粮仓")
    units = {u["unit"]: u for u in found["units"]}
    assert found["histories"]
    threads = [h["thread"] for h in found["histories"]]
    assert len(threads) == len(set(threads))
    for h in found["histories"]:
        assert [s["doc"] for s in h["steps"]] == list(analysis.corpus.ids)
        present = [s for s in h["steps"] if s["state"] == "present"]
        assert [s["unit"] for s in present] == list(analysis.thread(h["thread"]).clauses)
        assert present[0]["relation"] == "first" and present[0]["previous_unit"] is None
        for before, step in zip(present, present[1:], strict=False):
            assert step["previous_unit"] == before["unit"]
            assert step["relation"] in ("same", "reworded")
            assert (step["changes"] is None) == (step["relation"] == "same")
            assert {s["op"] for s in step["diff"]} <= {"equal", "insert", "delete", "old-numbering",
                                                        "new-numbering"}
        assert all(s["unit"] is None for s in h["steps"] if s["state"] == "absent")
        assert h["fate"] == rows["fates"][present[0]["unit"]]["fate"]
    assert all(units[u] == rows["units"][u] for u in units)


def test_diff_json(analysis, rows, alignments) -> None:
    found = run_json("diff", "2024-decision", "15th-plan")
    assert (found["source_doc"], found["target_doc"], found["section_path"]) == (
        "2024-decision", "15th-plan", None)
    commitments = analysis.commitments("2024-decision")
    assert [r["source_unit"] for r in found["rows"]] == [c.id for c in commitments]
    for row in found["rows"]:
        absent = {"target_unit": None, "relation": "absent", "score": None, "changes": None}
        first = next((a for a in alignments.get(row["source_unit"], [])
                      if a["target_doc"] == "15th-plan" and a["rank"] == 1), absent)
        assert (row["target_unit"], row["relation"], row["score"], row["changes"]) == (
            first["target_unit"], first["relation"], first["score"], first["changes"])
    new = [u for u, unit in rows["units"].items()
           if unit["doc"] == "15th-plan"
           and rows["fates"][u]["fate"] in ("emerges", "persists", "evolves", "disappears")
           and not any(a["target_doc"] == "2024-decision" for a in alignments.get(u, []))]
    assert found["unmatched"] == new
    assert {u["unit"] for u in found["units"]} == (
        {r["source_unit"] for r in found["rows"]} | {r["target_unit"] for r in found["rows"]}
        | {u for r in found["rows"] for u in r["reported_by"]} | set(new)) - {None}


def test_diff_json_of_a_section_and_with_html() -> None:
    found = run_json("diff", "2024-decision", "15th-plan", "--section", "二/(一)")
    assert found["section_path"] == "二/(一)" and found["rows"]
    units = {u["unit"]: u for u in found["units"]}
    paths = {units[r["source_unit"]]["section_path"] for r in found["rows"]}
    assert all(p == "二/(一)" or p.startswith("二/(一)/") for p in paths)
    assert found["unmatched"] is None  # the second document's new commitments: not per section
    result = CliRunner().invoke(cli, ["diff", "2024-decision", "15th-plan", "--json", "--html"])
    assert result.exit_code == 2 and "--html or --json" in result.output


def gold(tmp_path: Path, label: str) -> Path:
    path = tmp_path / "gold.jsonl"
    path.write_text(json.dumps({"id": "g1", "source": "2022-decision", "quote": QUOTE,
                                "targets": {"15th-plan": {"label": label,
                                                          "quote": QUOTE if label != "absent"
                                                          else None}}},
                               ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def test_evaluate_json(tmp_path: Path) -> None:
    found = run_json("evaluate", str(gold(tmp_path, "same")))
    assert found["overall"] == {"correct": 1, "total": 1, "accuracy": 1.0}
    assert found["absent"] == {"correct": 0, "total": 0, "accuracy": None}  # not NaN
    assert found["per_target"] == {"15th-plan": {"correct": 1, "total": 1, "accuracy": 1.0}}
    (probe,) = found["probes"]
    assert (probe["probe"], probe["gold"], probe["predicted"], probe["correct"]) == (
        "g1", "same", "same", True)
    assert probe["target_unit"] and probe["relation"] == "same"
    assert "misses" not in found


def test_evaluate_json_with_misses(tmp_path: Path, rows) -> None:
    found = run_json("evaluate", str(gold(tmp_path, "absent")), "--misses")
    assert found["overall"]["accuracy"] == 0.0
    (miss,) = found["misses"]
    assert (miss["probe"], miss["gold"], miss["predicted"]) == ("g1", "absent", "same")
    first = miss["found"][0]
    assert first["rank"] == 1 and first["relation"] == "same" and first["accepted"]
    assert "枫桥经验" in first["shared_terms"] and first["score"] >= first["needed"]
    units = {u["unit"]: u for u in found["units"]}
    assert {first["source_unit"], first["target_unit"]} <= set(units)
    assert units[first["target_unit"]] == rows["units"][first["target_unit"]]


@pytest.mark.parametrize("args", [("corpus",), ("trace", "天府粮仓"), ("history", "天府粮仓"),
                                  ("diff", "2025-report", "15th-plan")])
def test_json_is_the_same_every_time_and_utf8(args: tuple[str, ...]) -> None:
    first = CliRunner().invoke(cli, [*args, "--json"], catch_exceptions=False).output
    second = CliRunner().invoke(cli, [*args, "--json"], catch_exceptions=False).output
    assert first == second and "\\u" not in first
    assert isinstance(json.loads(first), dict)


def test_dumps_writes_one_row_a_line_and_reads_back_the_same() -> None:
    document = {"pair": {"a": "甲", "b": None}, "rows": [{"n": 1, "text": "天府粮仓"},
                                                          {"n": 2.5, "diff": [1, [2]]}],
                "empty": [], "count": 3}
    text = dumps(document)
    assert json.loads(text) == document
    assert list(json.loads(text)) == list(document)  # keys in the order given
    assert text.splitlines() == [
        "{",
        '  "pair": {"a": "甲", "b": null},',
        '  "rows": [',
        '    {"n": 1, "text": "天府粮仓"},',
        '    {"n": 2.5, "diff": [1, [2]]}',
        "  ],",
        '  "empty": [],',
        '  "count": 3',
        "}"]
    assert dumps({}) == "{}"
    with pytest.raises(ValueError):
        dumps({"x": float("nan")})

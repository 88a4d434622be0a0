"""Scoring an alignment against annotated probes (continuity/evaluation/alignment.py,
shared/gold-format.md)."""

from __future__ import annotations

import json
import math
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

from continuity.analysis.align import Counterpart
from continuity.cli import cli
from continuity.errors import ContinuityError
from continuity.evaluation.alignment import (
    DocumentText,
    Score,
    evaluate,
    longest_run,
    present_verdict,
    read_probes,
    report,
    source_clauses,
)
from continuity.records import Clause

FENGQIAO = "坚持和发展新时代“枫桥经验”"
AI_ACADEMY = "建好四川省人工智能学院等平台"

PROBES = [
    # present everywhere; 2025-report deliberately labelled reworded (the tool says same)
    {"id": "p1", "source": "2022-decision", "quote": FENGQIAO, "targets": {
        "2024-chengdu": {"label": "same", "quote": FENGQIAO, "retro": False},
        "2024-decision": {"label": "same", "quote": FENGQIAO, "retro": False},
        "2025-report": {"label": "reworded", "quote": FENGQIAO, "retro": False},
        "15th-plan": {"label": "same", "quote": FENGQIAO},
    }},
    # absent from the plan (right); a retro target (not scored)
    {"id": "p2", "source": "2024-decision", "quote": AI_ACADEMY, "targets": {
        "15th-plan": {"label": "absent", "quote": None},
        "2024-chengdu": {"label": "same", "quote": AI_ACADEMY, "retro": True},
    }},
    # two wrong labels: absent where there is a counterpart, a quote that is nowhere
    {"id": "p3", "source": "2022-decision", "quote": FENGQIAO, "targets": {
        "15th-plan": {"label": "absent", "quote": None},
        "2025-report": {"label": "same", "quote": "火星基地建设全面提速并实现载人登陆"},
    }},
]


def write_probes(path: Path, probes=PROBES, extra: str = "") -> Path:
    path.write_text("\n".join(json.dumps(p, ensure_ascii=False) for p in probes) + "\n" + extra,
                    encoding="utf-8")
    return path


def test_figures_follow_the_scoring_rule(analysis, tmp_path: Path) -> None:
    probes = read_probes(write_probes(tmp_path / "gold.jsonl"))
    evaluation = evaluate(analysis.result, probes)
    verdicts = {(r.probe, r.target_doc): r for r in evaluation.results}
    assert len(verdicts) == len(evaluation.results) == 7  # the retro target is skipped
    assert ("p2", "2024-chengdu") not in verdicts
    assert [verdicts["p1", d].correct for d in ("2024-chengdu", "2024-decision", "2025-report",
                                               "15th-plan")] == [True] * 4
    assert verdicts["p2", "15th-plan"].correct
    assert not verdicts["p3", "15th-plan"].correct
    assert not verdicts["p3", "2025-report"].correct
    assert (evaluation.overall.correct, evaluation.overall.total) == (5, 7)
    assert (evaluation.absent.correct, evaluation.absent.total) == (1, 2)
    assert (evaluation.present.correct, evaluation.present.total) == (4, 5)
    assert {d: (s.correct, s.total) for d, s in evaluation.per_target().items()} == {
        "15th-plan": (2, 3), "2024-chengdu": (1, 1), "2024-decision": (1, 1),
        "2025-report": (1, 2)}
    agreement = evaluation.relation_agreement
    assert (agreement.correct, agreement.total) == (3, 4)  # p1's 2025-report: same ≠ reworded
    assert evaluation.overall.accuracy == pytest.approx(5 / 7)
    for r in evaluation.results:
        source = analysis.clause(r.source_clause)
        assert source.doc_id == r.source_doc
        if r.correct and r.gold != "absent":
            assert FENGQIAO in analysis.clause(r.matched_clause).norm


def test_report_text(analysis, tmp_path: Path) -> None:
    evaluation = evaluate(analysis.result, read_probes(write_probes(tmp_path / "gold.jsonl")))
    text = report(evaluation)
    assert "overall" in text and "(5/7)" in text and "0.714" in text
    assert "→ 15th-plan" in text and "(2/3)" in text
    assert "relation agreement" in text and "(3/4)" in text


def test_empty_scores_are_nan() -> None:
    assert math.isnan(Score(0, 0).accuracy)
    assert Score(1, 4).accuracy == 0.25


def test_blank_lines_are_skipped(tmp_path: Path) -> None:
    path = write_probes(tmp_path / "gold.jsonl", PROBES[:1], extra="\n   \n")
    assert [p["id"] for p in read_probes(path)] == ["p1"]


@pytest.mark.parametrize(
    "bad",
    ['{"source": "2022-decision", "quote": "x"', '{"source": "2022-decision", "quote": "x"}',
     '["2022-decision"]', "null", "42"],
)
def test_malformed_lines_name_file_and_line(tmp_path: Path, bad: str) -> None:
    path = write_probes(tmp_path / "gold.jsonl", PROBES[:1], extra=bad + "\n")
    with pytest.raises(ContinuityError, match=r"gold\.jsonl:2: not a probe"):
        read_probes(path)


def test_missing_probe_file(tmp_path: Path) -> None:
    with pytest.raises(ContinuityError, match="cannot read probes"):
        read_probes(tmp_path / "nope.jsonl")


PROBE = {"id": "x", "source": "2022-decision", "quote": FENGQIAO,
         "targets": {"15th-plan": {"label": "same", "quote": FENGQIAO, "retro": False}}}


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"source": ["2022-decision"]},
         "'source' must be a non-empty string, not [\"2022-decision\"]"),
        ({"source": 2022}, "'source' must be a non-empty string, not 2022"),
        ({"quote": ["坚持"]}, "'quote' must be a non-empty string, not [\"坚持\"]"),
        ({"id": {"n": 1}}, "'id' must be a string, not {\"n\": 1}"),
        ({"targets": ["15th-plan"]}, "'targets' must be an object, not [\"15th-plan\"]"),
        ({"targets": {"15th-plan": {"label": "same", "quote": 42}}},
         "target '15th-plan': 'quote' must be a string or null, not 42"),
        ({"targets": {"15th-plan": {"label": "absent", "quote": None, "retro": "no"}}},
         "target '15th-plan': 'retro' must be true or false, not \"no\""),
    ],
)
def test_values_of_the_wrong_type_name_file_and_line(tmp_path: Path, changes: dict,
                                                     problem: str) -> None:
    path = write_probes(tmp_path / "gold.jsonl", [PROBE, {**PROBE, **changes}])
    with pytest.raises(ContinuityError) as info:
        read_probes(path)
    assert str(info.value) == f"{path}:2: not a probe: {problem}"


def test_a_line_that_is_not_utf8_names_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "gold.jsonl"
    path.write_bytes(json.dumps(PROBE, ensure_ascii=False).encode("utf-8") + b"\n"
                     + json.dumps(PROBE, ensure_ascii=False).encode("gb18030") + b"\n")
    with pytest.raises(ContinuityError, match=r"gold\.jsonl:2: not UTF-8 text \(.* at byte \d+\);"):
        read_probes(path)


def test_a_byte_order_mark_and_crlf_lines_are_read(tmp_path: Path) -> None:
    path = tmp_path / "gold.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(PROBE).encode() + b"\r\n\r\n"
                     + json.dumps({**PROBE, "id": "y"}).encode() + b"\r\n")
    assert [p["id"] for p in read_probes(path)] == ["x", "y"]


@pytest.mark.parametrize("text", ["", "\n  \n\t\n"])
def test_a_file_without_probes_is_an_error(tmp_path: Path, text: str) -> None:
    path = tmp_path / "gold.jsonl"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ContinuityError, match=r"gold\.jsonl: no probes"):
        read_probes(path)


@pytest.mark.parametrize(
    ("data", "message"),
    [(b"", "gold.jsonl: no probes"),
     (json.dumps({**PROBE, "source": ["2022-decision"]}).encode(), "gold.jsonl:1: not a probe"),
     (json.dumps(PROBE, ensure_ascii=False).encode("gb18030"), "gold.jsonl:1: not UTF-8 text")],
    ids=["empty", "source-a-list", "gb18030"],
)
def test_the_evaluate_command_reports_them_without_a_traceback(tmp_path: Path, data: bytes,
                                                               message: str) -> None:
    path = tmp_path / "gold.jsonl"
    path.write_bytes(data)
    result = CliRunner().invoke(cli, ["evaluate", str(path)])
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert message in result.output and "Traceback" not in result.output


def test_unknown_source_document(analysis) -> None:
    probe = {"id": "x", "source": "2023-nope", "quote": "x", "targets": {}}
    with pytest.raises(ContinuityError, match="2023-nope"):
        evaluate(analysis.result, [probe])


def test_unknown_target_documents_are_skipped(analysis) -> None:
    probe = {"id": "x", "source": "2022-decision", "quote": FENGQIAO,
             "targets": {"2030-future": {"label": "absent", "quote": None}}}
    assert evaluate(analysis.result, [probe]).results == ()


def test_a_target_without_label_is_a_malformed_line(analysis, tmp_path: Path) -> None:
    probe = {"id": "x", "source": "2022-decision", "quote": FENGQIAO,
             "targets": {"15th-plan": {"quote": FENGQIAO}}}
    path = write_probes(tmp_path / "gold.jsonl", [probe])
    with pytest.raises(ContinuityError, match=r"gold\.jsonl:1"):
        evaluate(analysis.result, read_probes(path))


# --------------------------------------------------------------------------- rule v2


def clause(cid: str, norm: str) -> Clause:
    return Clause(id=cid, doc_id="d", unit_id="u", index=0, section_id="s", section_path="一",
                  kind="plan", role="text", start=0, end=len(norm), text=norm, norm=norm,
                  tokens=(norm,))


def document(*norms: str) -> DocumentText:
    """A document of consecutive clauses c0, c1, … with these texts."""
    out, at = [], 0
    for n, norm in enumerate(norms):
        c = clause(f"c{n}", norm)
        out.append(replace(c, start=at, end=at + len(norm)))
        at += len(norm) + 1
    return DocumentText.of(out)


def found(*ids: str) -> list[Counterpart]:
    return [Counterpart(cid, "d", 1, 0.5, 0.5, "reworded", (), "firm") for cid in ids]


def test_source_clauses_are_every_clause_the_quote_overlaps() -> None:
    text = document("加快建设网络强省,", "推动数字经济和实体经济深度融合。", "建设数字四川。")
    assert [c.id for c in source_clauses(text, "建设数字四川")] == ["c2"]
    assert [c.id for c in source_clauses(text, "建设 数字四川")] == ["c2"]  # normalised form
    # a quote spanning two clauses takes both, the one it overlaps most first
    assert [c.id for c in source_clauses(text, "网络强省，推动数字经济和实体经济")] == ["c1", "c0"]
    # fewer than four characters of overlap do not count
    assert [c.id for c in source_clauses(text, "强省，推动数字经济和实体经济")] == ["c1"]


def test_a_quote_nowhere_in_the_source_is_an_error() -> None:
    with pytest.raises(ContinuityError, match="nowhere"):
        source_clauses(document("加快建设网络强省,"), "火星")


def test_present_counterparts_together_cover_half_the_quote() -> None:
    text = document("加快建设现代水网,", "推进引大济岷等骨干水网工程建设,", "加强农田水利。")
    quote = "加快建设现代水网,推进引大济岷等骨干水网工程建设"
    assert present_verdict(text, quote, found("c0"))[1] is False  # 9 of 25 characters
    assert present_verdict(text, quote, found("c1"))[1] is True  # 16 of 25
    matched, correct = present_verdict(text, quote, found("c0", "c2"))
    assert correct is False and matched is None
    assert present_verdict(text, "加快建设现代水网", found("c0", "c1"))[0].clause == "c0"


def test_present_counterpart_sharing_a_run_of_half_the_quote() -> None:
    text = document("加快建设数字四川。", "推动数字经济发展。")
    assert present_verdict(text, "数字四川网络强省", found("c0"))[1] is True  # 4 of 8
    assert present_verdict(text, "数字四川网络强省建", found("c0"))[1] is False  # 4 of 9
    assert present_verdict(text, "数字四川", [])[1] is False


def test_longest_run() -> None:
    assert longest_run("加快建设数字四川", "建设数字") == 4
    assert longest_run("abc", "xyz") == 0

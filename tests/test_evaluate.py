"""Scoring an alignment against annotated probes (continuity/evaluate.py, shared/gold-format.md)."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from continuity.errors import ContinuityError
from continuity.evaluate import (
    Score,
    contains_or_overlaps,
    evaluate,
    locate,
    longest_run,
    read_probes,
    report,
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


# --------------------------------------------------------------------------- locate


def clause(cid: str, norm: str) -> Clause:
    return Clause(id=cid, doc_id="d", unit_id="u", index=0, section_id="s", section_path="一",
                  kind="plan", role="text", start=0, end=len(norm), text=norm, norm=norm,
                  tokens=(norm,))


def test_locate_prefers_the_clause_containing_the_quote() -> None:
    clauses = [clause("a", "加快建设网络强省,"), clause("b", "加快建设数字四川。"),
               clause("c", "建设数字四川。")]
    assert locate(clauses, "建设数字四川").id == "b"  # the first that contains it
    assert locate(clauses, "建设 数字四川").id == "b"  # matched on the normalised form


def test_locate_falls_back_to_the_longest_shared_run() -> None:
    clauses = [clause("a", "加快建设网络强省,"), clause("b", "推动数字经济和实体经济深度融合。")]
    # the quote spans two clauses: the one sharing the longer run wins
    assert locate(clauses, "网络强省，推动数字经济和实体经济").id == "b"
    assert locate(clauses, "加快建设网络强省，推动数字").id == "a"


def test_locate_on_the_bundled_corpus(analysis, corpus) -> None:
    clauses = corpus.document("2022-decision").clauses
    found = locate(clauses, "并且" + FENGQIAO + "并且")
    assert FENGQIAO in found.text


@pytest.mark.parametrize(
    ("text", "quote", "expected"),
    [("加快建设数字四川。", "数字四川", True),
     ("加快建设数字四川。", "数字四川网络强省", True),  # a run of 4 of 8 characters: half
     ("加快建设数字四川。", "数字四川网络强省建", False),  # 4 of 9: less than half
     ("加快建设数字四川。", "", True)],
)
def test_contains_or_overlaps(text: str, quote: str, expected: bool) -> None:
    assert contains_or_overlaps(text, quote) is expected


def test_longest_run() -> None:
    assert longest_run("加快建设数字四川", "建设数字") == 4
    assert longest_run("abc", "xyz") == 0

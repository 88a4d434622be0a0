"""Scoring clause functions against hand-labelled clauses (continuity/evaluation/functions.py)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from helpers import entry

import continuity
from continuity.errors import ContinuityError
from continuity.evaluation.functions import GoldClause, read_gold, score_functions

#: Clauses and their functions (the pipeline's, checked first):
#: 12 加快建设天府粮仓，action | 21 地区生产总值增长5%。target | 32 当前外部环境复杂严峻，context
#: 43 经济运行面临困难。context | 53 过去一年，我们成功举办大运会。review
#: 68 加快建设天府粮仓，action | 77 深化国资国企改革。action
TEXT = ("测试文件\n一、重点工作\n"
        "加快建设天府粮仓，地区生产总值增长5%。当前外部环境复杂严峻，经济运行面临困难。\n"
        "过去一年，我们成功举办大运会。加快建设天府粮仓，深化国资国企改革。\n")

GOLD = [
    # the same text twice in the document: the occurrence nearest the offset
    GoldClause("test-doc", 12, "加快建设天府粮仓，", "action"),
    GoldClause("test-doc", 70, "加快建设天府粮仓,", "review"),  # width differs: same norm
    # no clause has this text: the clause holding most of it
    GoldClause("test-doc", 30, "当前外部环境复杂严峻，经济运行", "context"),
    GoldClause("test-doc", 53, "过去一年，我们成功举办大运会。", "review"),
    GoldClause("test-doc", 21, "地区生产总值增长5%。", "context"),
    GoldClause("test-doc", 43, "经济运行面临困难。", "action"),
    # not scored: a heading; not found at all
    GoldClause("test-doc", 5, "一、重点工作", "heading"),
    GoldClause("test-doc", 0, "不存在的句子", "action"),
]


@pytest.fixture
def tiny(write_corpus: Callable[..., Path]) -> continuity.Corpus:
    return continuity.load_corpus(write_corpus([(entry(), TEXT)]))


def test_the_tiny_document_is_as_described(tiny: continuity.Corpus) -> None:
    found = [(c.start, c.function) for c in tiny.documents[0].clauses if c.role == "text"]
    assert found == [(12, "action"), (21, "target"), (32, "context"), (43, "context"),
                     (53, "review"), (68, "action"), (77, "action")]


def test_matching(tiny: continuity.Corpus) -> None:
    result = score_functions(tiny, GOLD)
    starts = {c.id: c.start for c in tiny.documents[0].clauses}
    matched = [starts[j.clause_id] if j.clause_id else None for j in result.judged]
    assert matched == [12, 68, 32, 53, 21, 43, 5, None]


def test_figures_follow_the_rule(tiny: continuity.Corpus) -> None:
    result = score_functions(tiny, GOLD)
    # scored: gold not heading/fragment and matched — the first six rows
    assert [j.gold.start for j in result.scored] == [12, 70, 30, 53, 21, 43]
    # commitment-vs-not right on rows 1, 3, 4 (action/action, context/context, review/review)
    assert result.accuracy == pytest.approx(3 / 6)
    # gold non-commitments: rows 2, 3, 4, 5; predicted so: rows 3 and 4
    assert result.noncommitment_recall == pytest.approx(2 / 4)
    # predicted non-commitments: rows 3, 4, 6; gold so: rows 3 and 4
    assert result.noncommitment_precision == pytest.approx(2 / 3)
    assert [j.gold.text for j in result.unmatched] == ["不存在的句子"]
    assert result.confusion() == {
        ("action", "action"): 1, ("review", "action"): 1, ("context", "context"): 1,
        ("review", "review"): 1, ("context", "target"): 1, ("action", "context"): 1,
        ("heading", "heading"): 1,
    }
    table = result.confusion_text().splitlines()
    assert table[0].split()[-1] == "total"
    assert [line.split()[0] for line in table[1:]] == ["action", "review", "context", "heading"]
    assert table[2].split()[1:] == ["1", "0", "0", "1", "0", "0", "0", "2"]


def test_no_rows_gives_nan(tiny: continuity.Corpus) -> None:
    result = score_functions(tiny, [])
    assert result.accuracy != result.accuracy  # nan


def test_read_gold(tmp_path: Path) -> None:
    path = tmp_path / "gold.jsonl"
    rows = [{"doc": "test-doc", "start": 12, "text": "加快建设天府粮仓，", "label": "action",
             "confidence": "high", "why": "a task"}]
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n\n",
                    encoding="utf-8")
    assert read_gold(path) == [GoldClause("test-doc", 12, "加快建设天府粮仓，", "action", "high")]
    path.write_text('{"doc": "test-doc"}\n', encoding="utf-8")
    with pytest.raises(ContinuityError, match="line 1"):
        read_gold(path)


def test_the_dev_gold_matches_every_row(corpus: continuity.Corpus) -> None:
    """The shared dev annotations, when present, all find their clause."""
    path = Path(__file__).resolve().parents[2] / "shared" / "gold-functions-dev.jsonl"
    if not path.exists():
        pytest.skip("no shared gold file next to the checkout")
    result = score_functions(corpus, read_gold(path))
    assert not result.unmatched
    assert len(result.scored) > 300

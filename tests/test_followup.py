"""Later review passages that report on a commitment (continuity/analysis/followup.py), and
the document page's 回 links to them."""

from __future__ import annotations

import re

import pytest
from helpers import entry

from continuity.analysis.fate import DISAPPEARS, REVIEW
from continuity.analysis.followup import review_reports
from continuity.analysis.run import analyse
from continuity.errors import UnknownDocumentError
from continuity.output.report import render_site

D1 = """\
某某省委决定
一、主要任务
全面推进大熊猫国家公园体制试点。
加快建设世界级航空航天产业集群。
"""
D2 = """\
某某市2024年政府工作报告
一、2023年工作回顾
全面推进大熊猫国家公园体制试点。
二、2024年重点工作
大力培育壮大世界级航空航天产业集群。
"""


@pytest.fixture
def timeline(compare_corpus):
    return analyse(compare_corpus([
        (entry(id="d1", date="2022-01-01", level="province"), D1),
        (entry(id="d2", date="2024-01-01", level="city"), D2),
    ]))


def clause(analysis, doc_id: str, text: str):
    return next(c for c in analysis.result.clauses if c.doc_id == doc_id and text in c.text)


def test_a_commitment_a_later_review_reports_on_disappears_and_is_reported(timeline) -> None:
    promised = clause(timeline, "d1", "大熊猫国家公园")
    done = clause(timeline, "d2", "大熊猫国家公园")
    assert timeline.fate(promised.id).fate == DISAPPEARS  # a report is no restatement
    assert timeline.fate(done.id).fate == REVIEW
    reports = review_reports(timeline.result, "d1")
    assert [(r.doc_id, r.review.id) for r in reports[promised.id]] == [("d2", done.id)]
    # a commitment restated as a commitment has a counterpart, not a report
    assert clause(timeline, "d1", "航空航天").id not in reports
    # the later document's own clauses have no later review to report on them
    assert review_reports(timeline.result, "d2") == {}
    with pytest.raises(UnknownDocumentError):
        review_reports(timeline.result, "d9")


def test_the_document_page_links_a_commitment_to_the_review_reporting_it(timeline) -> None:
    promised = clause(timeline, "d1", "大熊猫国家公园")
    done = clause(timeline, "d2", "大熊猫国家公园")
    page = render_site(timeline)["doc-d1.html"]
    marks = re.search(rf'id="{re.escape(promised.id)}".*?</sup>', page, re.S)
    assert marks is not None
    assert f'href="doc-d2.html#{done.id}"' in marks.group(0)
    assert re.search(r">②回\??</a>", marks.group(0))


def test_every_report_on_the_bundled_corpus_is_a_later_review_pointing_back(analysis) -> None:
    result = analysis.result
    order = {d: n for n, d in enumerate(result.doc_ids)}
    seen = 0
    for doc_id in result.doc_ids:
        for clause_id, reports in review_reports(result, doc_id).items():
            for r in reports:
                seen += 1
                assert order[r.doc_id] > order[doc_id]
                assert analysis.fate(r.review.id).fate == REVIEW
                top = result.top(r.review.id, doc_id)
                assert top is not None and top[0].id == clause_id
    assert seen > 100
    # 全面落实田长制 (2022 decision) "disappears": the Chengdu report's 2023 review says it
    tian = next(c for c in analysis.result.clauses
                if c.doc_id == "2022-decision" and c.text.startswith("全面落实田长制"))
    assert analysis.fate(tian.id).fate == DISAPPEARS
    (report,) = review_reports(result, "2022-decision")[tian.id]
    assert report.doc_id == "2024-chengdu" and report.review.text.startswith("全面落实田长制")


def test_the_store_answers_as_the_analysis(analysis, session_store) -> None:
    from continuity.output.store.read import connect, read_corpus
    from continuity.output.store.stored import StoredAnalysis

    with connect(session_store) as db:
        back = StoredAnalysis(db, read_corpus(db, analysis.corpus.root))
        seen = 0
        for doc_id in analysis.corpus.ids:
            for clause in analysis.corpus.document(doc_id).clauses:
                mine = analysis.reports_on(clause.id)
                assert [(r.doc_id, r.review.id, r.score, r.confidence)  # words not read
                        for r in back.reports_on(clause.id)] == [
                    (r.doc_id, r.review.id, r.score, r.confidence) for r in mine]
                seen += len(mine)
    assert seen == sum(len(r) for d in analysis.corpus.ids
                       for r in review_reports(analysis.result, d).values()) > 100

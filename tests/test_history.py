"""One commitment's history through the timeline (continuity/analysis/history.py)."""

from __future__ import annotations

import pytest
from helpers import entry

from continuity.analysis.history import ABSENT, ELSEWHERE, PRESENT, find_clauses, history
from continuity.analysis.run import analyse
from continuity.errors import ContinuityError
from continuity.settings import AlignSettings

D1 = """\
某某省委决定
一、主要任务
实施特色优势产业倍增计划。
全面推进大熊猫国家公园体制试点。
"""
D2 = """\
某某市2024年政府工作报告
一、2024年重点工作
深入实施六大优势产业提质倍增行动。
"""
D3 = """\
某某省十五五规划纲要
一、主要任务
持续实施六大优势产业提质倍增行动。
"""


@pytest.fixture
def timeline(compare_corpus):
    corpus = compare_corpus([(entry(id="d1", date="2022-01-01"), D1),
                             (entry(id="d2", date="2024-01-01"), D2),
                             (entry(id="d3", date="2026-01-01"), D3)])
    # a corpus this small has no word of idf 5: every shared word counts as distinctive
    return analyse(corpus, AlignSettings(evidence_idf=1.0, min_score=0.3))


def test_a_renamed_programme_read_through_the_timeline(timeline) -> None:
    [start] = find_clauses(timeline, "倍增计划")
    h = history(timeline, start.id)
    assert [s.state for s in h.steps] == [PRESENT, PRESENT, PRESENT]
    assert [s.relation for s in h.steps] == ["first", "reworded", "reworded"]
    assert h.first == start and h.fate == "evolves"
    last = h.steps[2]
    assert last.previous == h.steps[1].clause
    # the redline from the previous appearance: 深入 out, 持续 in, the rest kept
    assert [x.text for x in last.diff if x.op == "delete"] == ["深入"]
    assert [x.text for x in last.diff if x.op == "insert"] == ["持续"]
    assert "".join(x.text for x in last.new) == last.clause.text  # display text, whole
    assert last.changes and {c.kind for c in last.changes} <= {"verb", "qualifier"}  # 深入 → 持续
    assert h.steps[0].changes == ()  # the first appearance changed nothing


def test_a_history_shows_the_redlines_read_beforehand(analysis) -> None:
    """A step's redline is the one the build read beforehand (`Analysis.redlines`, here
    the same redline made apart): read, not made again."""
    from continuity.analysis.changes import redline
    from continuity.analysis.run import Analysis

    thread = next(t for t in analysis.threads if len(t.clauses) > 2)
    steps = [analysis.clause(c) for c in thread.clauses]
    read = {(x.tokens, y.tokens): redline(x.tokens, y.tokens)
            for x, y in zip(steps, steps[1:], strict=False)}
    kept = Analysis(analysis.corpus, analysis.result, analysis.themes, analysis.sections,
                    analysis.fates, analysis.threads, redlines=read)
    h = history(kept, thread.clauses[0])
    linked = [s for s in h.steps if s.previous is not None]
    assert len(linked) == len(steps) - 1
    for s in linked:
        assert s.previous is not None and s.clause is not None
        line = read[(s.previous.tokens, s.clause.tokens)]
        assert s.diff is line.spans
        assert s.changes is line.changes or (s.relation != "reworded" and s.changes == ())
    assert h == history(analysis, thread.clauses[0])  # the same history as made afresh


def test_absent_where_no_counterpart(timeline) -> None:
    [panda] = find_clauses(timeline, "大熊猫")
    h = history(timeline, panda.id)
    assert [s.state for s in h.steps] == [PRESENT, ABSENT, ABSENT]
    assert h.fate == "disappears"


def test_find_clauses_by_id_sentence_or_text(timeline) -> None:
    [plan] = find_clauses(timeline, "倍增计划")
    assert find_clauses(timeline, plan.id) == (plan,)
    assert plan in find_clauses(timeline, plan.unit_id)
    assert find_clauses(timeline, " 倍增 计划 ") == (plan,)  # compared on the normalised form
    with pytest.raises(ContinuityError, match="no passage"):
        find_clauses(timeline, "火星基地")


def test_tianfu_granary_on_the_bundled_corpus(analysis) -> None:
    [start] = find_clauses(analysis, "以打造新时代更高水平“天府粮仓”为引领")
    h = history(analysis, start.id)
    assert all(s.state == PRESENT for s in h.steps)  # in every document
    assert all("天府粮仓" in s.clause.norm for s in h.steps)
    ids = [s.clause.id for s in h.steps]
    assert ids == list(analysis.thread(analysis.fate(start.id).thread).clauses)


def test_renamed_programme_on_the_bundled_corpus(analysis) -> None:
    [start] = find_clauses(analysis, "实施特色优势产业倍增计划")
    h = history(analysis, start.id)
    texts = {s.doc_id: s.clause.text for s in h.steps if s.state == PRESENT}
    assert "提质倍增行动" in texts["2024-decision"] and "提质倍增行动" in texts["15th-plan"]


def test_elsewhere_names_a_counterpart_on_another_thread(analysis) -> None:
    for thread in analysis.threads:
        h = history(analysis, thread.clauses[0])
        for s in h.steps:
            if s.state == ELSEWHERE:
                assert s.clause.id not in thread.clauses
                assert s.clause.doc_id == s.doc_id
                assert analysis.result.relation(h.first.id, s.doc_id) == s.relation
            elif s.state == ABSENT:
                assert analysis.result.relation(h.first.id, s.doc_id) == "absent"


def test_a_history_steps_only_through_the_documents_compared(compare_corpus) -> None:
    # Beyond all_pairs_max_docs the plan compares a report with its series' neighbours
    # only: the other series' plan is neither a step nor "absent".
    report = "某某省{}年政府工作报告\n一、任务\n建设天府粮仓核心示范区。\n推进城乡融合发展改革。\n"
    other = "某某市2025年规划纲要\n一、任务\n推进川南渝西融合发展试验区建设。\n"
    corpus = compare_corpus([
        (entry(id="r2023", date="2023-01-01", series="reports"), report.format(2023)),
        (entry(id="r2024", date="2024-01-01", series="reports"), report.format(2024)),
        (entry(id="plan", date="2025-01-01", series="plans"), other),
    ])
    analysis = analyse(corpus, AlignSettings(all_pairs_max_docs=2))
    granary = next(c for c in analysis.result.clauses
                   if c.doc_id == "r2023" and "天府粮仓" in c.norm)
    steps = history(analysis, granary.id).steps
    assert [(s.doc_id, s.state) for s in steps] == [("r2023", PRESENT), ("r2024", PRESENT)]
    everything = analyse(corpus, AlignSettings())  # every pair: the plan is a step, absent
    assert [(s.doc_id, s.state) for s in history(everything, granary.id).steps][-1] == (
        "plan", ABSENT)


def test_each_step_says_how_sure_its_link_is(analysis) -> None:
    """A step after the first is linked by the previous passage's rank-1 counterpart (or,
    elsewhere, the first passage's): its confidence is that counterpart's."""
    from continuity.views.console import history_text

    seen = set()
    for thread in analysis.threads[:400]:
        h = history(analysis, thread.clauses[0])
        previous = None
        for s in h.steps:
            if s.state == ABSENT:
                assert s.confidence == ""
                continue
            if s.state == ELSEWHERE:
                [best, *_] = analysis.alignment(h.first.id, s.doc_id).counterparts
            elif previous is None:
                assert s.confidence == ""
                previous = s.clause
                continue
            else:
                [best, *_] = analysis.alignment(previous.id, s.doc_id).counterparts
                previous = s.clause
            assert best.clause == s.clause.id and s.confidence == best.confidence
            seen.add(s.confidence)
        if any(s.confidence == "tentative" and s.state == PRESENT for s in h.steps):
            assert ", tentative: check it" in history_text(h)
    assert seen == {"firm", "tentative"}


def test_an_absent_step_names_the_review_passages_reporting_on_it(analysis) -> None:
    tian = next(c for c in analysis.result.clauses
                if c.doc_id == "2022-decision" and c.text.startswith("全面落实田长制"))
    steps = {s.doc_id: s for s in history(analysis, tian.id).steps}
    chengdu = steps["2024-chengdu"]
    assert chengdu.state == ABSENT
    assert [(r.doc_id, r.review.section_path.split("/")[0], r.review.text) for r in
            chengdu.reports] == [("2024-chengdu", "2023年工作回顾", "全面落实田长制,")]
    assert all(s.reports == () for s in steps.values() if s.doc_id != "2024-chengdu")
    # and every report of every history is one the analysis gives for an earlier passage
    for thread in analysis.threads[:400]:
        for step in history(analysis, thread.clauses[0]).steps:
            for report in step.reports:
                assert step.state == ABSENT and report.doc_id == step.doc_id
                assert any(report in analysis.reports_on(c) for c in thread.clauses)


def test_a_history_says_when_its_fate_rests_on_tentative_counterparts_alone(
        analysis, english_pages) -> None:
    """Its fate is its first passage's, and so is how sure it is: in the terminal, in
    --json and on the history pages."""
    from continuity.views.console import history_text
    from continuity.views.jsonout import history_document

    found = {}
    for thread in analysis.threads:
        fate = analysis.fate(thread.clauses[0])
        if fate.fate == "evolves":
            found.setdefault(fate.confidence, thread)
    for confidence, thread in found.items():
        h = history(analysis, thread.clauses[0])
        assert h.confidence == confidence
        said = "(on tentative counterparts alone: check them)" in history_text(h, width=10_000)
        assert said is (confidence == "tentative")
        [record] = history_document(analysis, thread.clauses[0], [h])["histories"]
        assert record["fate_confidence"] == confidence
    assert set(found) == {"firm", "tentative"}
    pages = "".join(text for name, text in english_pages.items() if name.startswith("history-"))
    marked = pages.count('<span class="tentative" title="commitments that persist or evolve')
    assert marked == sum(1 for t in analysis.threads
                         if analysis.fate(t.clauses[0]).confidence == "tentative"
                         and f'id="{t.id}"' in pages)

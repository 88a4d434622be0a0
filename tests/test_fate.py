"""Fates of clauses along the timeline, and the threads that connect them
(continuity/analysis/fate.py)."""

from __future__ import annotations

from collections import Counter

import pytest
from helpers import entry

from continuity.analysis.align import ABSENT, REWORDED, SAME, UNCOMPARED, alignable
from continuity.analysis.fate import (
    COMMITMENT_FATES,
    CONTEXT,
    DISAPPEARS,
    EMERGES,
    EVOLVES,
    FATES,
    HEADING,
    NOT_COMMITMENTS,
    PERSISTS,
    PROCEDURAL,
    REVIEW,
    UNALIGNED,
    fate_confidences,
    fate_of,
    fates_of,
    follow,
    split_drift,
)
from continuity.analysis.functions import COMMITMENTS
from continuity.analysis.run import analyse
from continuity.output.export import pair_rows
from continuity.settings import AlignSettings
from continuity.text.normalize import normalize

D1 = """\
某某省委决定
一、主要任务
坚持和发展新时代“枫桥经验”，健全城乡社区治理体系。
加快建设世界级航空航天产业集群。
实施长江黄河上游生态屏障建设工程。
全面推进大熊猫国家公园体制试点。
"""
D2 = """\
某某市2024年政府工作报告
一、2023年工作回顾
全面推进大熊猫国家公园体制试点。
二、2024年重点工作
坚持和发展新时代“枫桥经验”，健全城乡社区治理体系。
大力培育壮大世界级航空航天产业集群。
实施长江黄河上游生态屏障建设工程。
建设成都国际消费中心城市核心承载区。
"""
D3 = """\
某某省十五五规划纲要
一、主要任务
坚持和发展新时代“枫桥经验”，健全城乡社区治理体系。
大力培育壮大世界级航空航天产业集群。
建设成都国际消费中心城市核心承载区。
推进低空经济产业高质量发展试点。
"""


@pytest.fixture
def timeline(compare_corpus):
    """Three documents, listed out of order in the manifest (dates decide the timeline)."""
    corpus = compare_corpus([
        (entry(id="d3", date="2026-01-01", level="province"), D3),
        (entry(id="d1", date="2022-01-01", level="province"), D1),
        (entry(id="d2", date="2024-01-01", level="city"), D2),
    ])
    assert corpus.ids == ("d1", "d2", "d3")
    return analyse(corpus)


def fate_in(analysis, doc_id: str, text: str):
    found = [c for c in analysis.result.clauses
             if c.doc_id == doc_id and normalize(text) in c.norm]
    assert len(found) == 1, f"{len(found)} clauses of {doc_id} contain {text!r}"
    return analysis.fate(found[0].id)


@pytest.mark.parametrize(
    ("doc_id", "text", "fate", "first", "last"),
    [
        # the same words in every later document
        ("d1", "坚持和发展新时代“枫桥经验”", PERSISTS, "d1", "d3"),
        ("d2", "坚持和发展新时代“枫桥经验”", PERSISTS, "d1", "d3"),
        ("d3", "坚持和发展新时代“枫桥经验”", PERSISTS, "d1", "d3"),
        # reworded later
        ("d1", "加快建设世界级航空航天产业集群", EVOLVES, "d1", "d3"),
        # kept in d2, gone from d3: d1's clause evolves, d2's is where it was last seen
        ("d1", "实施长江黄河上游生态屏障建设工程", EVOLVES, "d1", "d2"),
        ("d2", "实施长江黄河上游生态屏障建设工程", DISAPPEARS, "d1", "d2"),
        # only in d1's plan (d2 mentions it in its review of the past year)
        ("d1", "全面推进大熊猫国家公园体制试点", DISAPPEARS, "d1", "d1"),
        ("d2", "全面推进大熊猫国家公园体制试点", REVIEW, "d2", "d2"),
        # new in d2 and carried on, new in the last document
        ("d2", "建设成都国际消费中心城市核心承载区", EMERGES, "d2", "d3"),
        ("d3", "推进低空经济产业高质量发展试点", EMERGES, "d3", "d3"),
        # headings are kept apart, not commitments
        ("d1", "一、主要任务", HEADING, "d1", "d1"),
        ("d2", "二、2024年重点工作", HEADING, "d2", "d2"),
        ("d2", "一、2023年工作回顾", HEADING, "d2", "d2"),
    ],
)
def test_fates_on_a_tiny_timeline(timeline, doc_id, text, fate, first, last) -> None:
    found = fate_in(timeline, doc_id, text)
    assert (found.fate, found.first_doc, found.last_doc) == (fate, first, last)
    assert found.doc_id == doc_id


LEADING = "以习近平新时代中国特色社会主义思想为指导，健全城乡社区治理体系。\n"


def test_short_or_formulaic_clauses_are_unaligned(compare_corpus) -> None:
    corpus = compare_corpus([
        (entry(id="a", date="2023-01-01"), "某某决定\n一、主要任务\n" + LEADING),
        (entry(id="b", date="2024-01-01"), "某某报告\n一、主要任务\n" + LEADING),
    ])
    analysis = analyse(corpus)
    assert fate_in(analysis, "a", "思想为指导").fate == UNALIGNED
    assert fate_in(analysis, "a", "健全城乡社区治理体系").fate == PERSISTS


def test_threads_on_a_tiny_timeline(timeline) -> None:
    by_text = {}
    for thread in timeline.threads:
        texts = tuple(timeline.clause(c).text for c in thread.clauses)
        by_text[thread.docs[0], texts[0]] = (texts, thread.docs)
    assert by_text["d1", "加快建设世界级航空航天产业集群。"] == (
        ("加快建设世界级航空航天产业集群。", "大力培育壮大世界级航空航天产业集群。",
         "大力培育壮大世界级航空航天产业集群。"), ("d1", "d2", "d3"))
    assert by_text["d2", "建设成都国际消费中心城市核心承载区。"][1] == ("d2", "d3")
    assert by_text["d1", "全面推进大熊猫国家公园体制试点。"][1] == ("d1",)
    assert by_text["d2", "全面推进大熊猫国家公园体制试点。"][1] == ("d2",)  # review: alone


def test_fates_and_threads_are_deterministic(timeline) -> None:
    again = follow(timeline.corpus, timeline.result)
    assert again == (timeline.fates, timeline.threads)


def test_a_single_document_corpus_has_fates(compare_corpus) -> None:
    corpus = compare_corpus([(entry(id="only"), D1)])
    analysis = analyse(corpus)
    assert analysis.result.alignments == ()
    assert [f.clause for f in analysis.fates] == [c.id for c in analysis.result.clauses]
    assert {f.fate for f in analysis.fates} <= set(FATES)


# --------------------------------------------------------------------------- invariants


def check_threads(analysis) -> None:
    order = {d: n for n, d in enumerate(analysis.corpus.ids)}
    clause_ids = [c.id for c in analysis.result.clauses]
    placed = Counter(c for t in analysis.threads for c in t.clauses)
    assert set(placed) == set(clause_ids) and set(placed.values()) == {1}  # exactly one each
    for thread in analysis.threads:
        assert thread.docs == tuple(analysis.clause(c).doc_id for c in thread.clauses)
        positions = [order[d] for d in thread.docs]
        assert positions == sorted(set(positions))  # one clause per document, timeline order
        for a, b in zip(thread.clauses, thread.clauses[1:], strict=False):
            doc_a, doc_b = analysis.clause(a).doc_id, analysis.clause(b).doc_id
            assert analysis.alignment(a, doc_b).counterparts[0].clause == b  # its best match
            for between in analysis.corpus.ids[order[doc_a] + 1:order[doc_b]]:
                assert not analysis.alignment(a, between).counterparts  # the nearest one
        if len(thread.docs) >= 3:  # one commitment from end to end: the ends correspond
            first, last = thread.clauses[0], thread.clauses[-1]
            assert (last in counterpart_ids(analysis, first, analysis.clause(last).doc_id)
                    or first in counterpart_ids(analysis, last, analysis.clause(first).doc_id))
    ids = [t.id for t in analysis.threads]
    assert len(ids) == len(set(ids))


def counterpart_ids(analysis, clause_id: str, doc_id: str) -> set[str]:
    return {cp.clause for cp in analysis.alignment(clause_id, doc_id).counterparts}


@pytest.mark.parametrize(
    ("chain", "links", "expected"),
    [([1, 2, 3], {(1, 2), (2, 3), (1, 3)}, [[1, 2, 3]]),
     # 3 is 2's counterpart but not 1's: the thread drifts there and is cut
     ([1, 2, 3], {(1, 2), (2, 3)}, [[1, 2], [3]]),
     ([1, 2, 3, 4], {(1, 2), (2, 3), (3, 4), (3, 1)}, [[1, 2, 3], [4]]),
     ([1, 2, 3, 4], {(1, 2), (2, 3), (3, 4), (3, 4)}, [[1, 2], [3, 4]]),
     ([5], set(), [[5]])],
)
def test_split_drift(chain, links, expected) -> None:
    both = frozenset(links | {(b, a) for a, b in links})
    assert split_drift(chain, both) == expected


def check_fates(analysis) -> None:
    ids = analysis.corpus.ids
    order = {d: n for n, d in enumerate(ids)}
    assert [f.clause for f in analysis.fates] == [c.id for c in analysis.result.clauses]
    threads = {t.id: t for t in analysis.threads}
    for f in analysis.fates:
        clause = analysis.clause(f.clause)
        assert f.doc_id == clause.doc_id and f.fate in FATES
        if clause.role == "heading":
            assert f.fate == HEADING
        thread = threads[f.thread]
        assert f.clause in thread.clauses
        assert (f.first_doc, f.last_doc) == (thread.docs[0], thread.docs[-1])
        here = order[f.doc_id]
        earlier = [analysis.alignment(f.clause, d).relation for d in ids[:here]]
        later = [analysis.alignment(f.clause, d).relation for d in ids[here + 1:]]
        if clause.function not in COMMITMENTS:  # kept apart as what it is
            assert f.fate == clause.function
        elif clause.kind == "review":
            assert f.fate == REVIEW
        elif not alignable(clause, analysis.result.settings):
            assert f.fate == UNALIGNED
        elif f.fate == EMERGES:
            assert earlier and set(earlier) == {ABSENT}
        elif f.fate == DISAPPEARS:
            assert later and set(later) == {ABSENT} and set(earlier) != {ABSENT}
        elif f.fate == PERSISTS:
            assert set(later) <= {SAME} and (later or earlier[-1] == SAME)
        else:
            assert f.fate == EVOLVES
            assert set(later) != {ABSENT} and (not later or set(later) != {SAME})


def test_tiny_timeline_invariants(timeline) -> None:
    check_threads(timeline)
    check_fates(timeline)


def test_bundled_threads(analysis) -> None:
    check_threads(analysis)


def test_bundled_fates(analysis) -> None:
    check_fates(analysis)
    counts = Counter(f.fate for f in analysis.fates)
    assert set(counts) == set(FATES)  # every fate occurs on the real corpus
    assert not any(f.fate == EMERGES and f.doc_id == analysis.corpus.ids[0]
                   for f in analysis.fates)  # nothing emerges in the first document


def test_fate_of_review_passages_in_the_bundled_corpus(analysis) -> None:
    reviews = [f for f in analysis.fates if analysis.clause(f.clause).kind == "review"]
    assert reviews and all(f.fate in NOT_COMMITMENTS for f in reviews)
    assert {f.doc_id for f in reviews if f.fate == REVIEW} >= {"2024-chengdu", "15th-plan"}


@pytest.mark.parametrize(
    ("doc_id", "text", "fate"),
    [("2022-decision", "省委委员79人", PROCEDURAL),
     ("2022-decision", "于2022年11月28日至29日在成都举行", PROCEDURAL),
     ("2022-decision", "全会指出，党的二十大是在全党全国各族人民迈上", CONTEXT)],
)
def test_meeting_facts_and_assessments_have_no_fate(analysis, doc_id, text, fate) -> None:
    [clause] = [c for c in analysis.result.clauses
                if c.doc_id == doc_id and normalize(text) in c.norm]
    assert analysis.fate(clause.id).fate == fate
    assert clause not in analysis.commitments(doc_id)


@pytest.mark.parametrize(("doc_id", "text"), [
    ("2022-decision", "全省上下必须深刻领悟“两个确立”的决定性意义"),
    ("2025-report", "全省政府系统要深刻领悟“两个确立”的决定性意义"),
    ("2022-decision", "坚定以习近平新时代中国特色社会主义思想和习近平总书记对四川工作系列"),
    ("2022-decision", "为深入学习贯彻党的二十大精神")])
def test_a_formula_with_its_framing_neither_disappears_nor_emerges(analysis, doc_id,
                                                                   text) -> None:
    # the formula is verbatim in three documents; said with who is to act and how firmly
    # it is as formulaic as alone, and unaligned like it
    [clause] = [c for c in analysis.result.clauses
                if c.doc_id == doc_id and normalize(text) in c.norm]
    assert analysis.fate(clause.id).fate == UNALIGNED


def test_only_commitments_have_a_fate(analysis) -> None:
    for f in analysis.fates:
        clause = analysis.clause(f.clause)
        if f.fate in COMMITMENT_FATES:
            assert clause.function in COMMITMENTS
        else:
            assert f.fate in NOT_COMMITMENTS


def test_four_modernisations_thread_runs_from_2022_to_the_plan(analysis) -> None:
    phrase = normalize("四化同步、城乡融合、五区共兴")
    clauses = [c for c in analysis.result.clauses
               if c.doc_id == "2022-decision" and phrase in c.norm]
    assert clauses
    spans = {(analysis.fate(c.id).first_doc, analysis.fate(c.id).last_doc) for c in clauses}
    assert ("2022-decision", "15th-plan") in spans
    [thread] = {t for t in analysis.threads
                if t.docs[0] == "2022-decision" and t.docs[-1] == "15th-plan"
                and any(c.id == t.clauses[0] for c in clauses)}
    assert all("四化同步" in analysis.clause(c).norm for c in thread.clauses)


def test_counts_on_a_tiny_timeline(timeline) -> None:
    """The counts of continuity.analysis.counts, checked by hand on three tiny documents (D1–D3)."""
    from continuity.analysis.counts import fate_counts, pair_counts

    d1 = fate_counts(timeline, "d1")
    # 枫桥经验 persists; 航空航天, 生态屏障 evolve; 大熊猫 disappears; 社区治理体系 persists
    assert (d1["persists"], d1["evolves"], d1["disappears"], d1["emerges"]) == (2, 2, 1, 0)
    assert d1["heading"] == 2 and d1.commitments == 5
    d1_d2 = pair_counts(timeline, "d1", "d2")
    # in d2: 枫桥经验 and 治理体系 same, 航空航天 reworded, 生态屏障 same, 大熊猫 only in the review
    assert (d1_d2.same, d1_d2.reworded, d1_d2.absent) == (3, 1, 1)
    assert d1_d2.new == 1  # 成都国际消费中心城市核心承载区
    d2_d3 = pair_counts(timeline, "d2", "d3")
    assert (d2_d3.same, d2_d3.reworded, d2_d3.absent, d2_d3.new) == (4, 0, 1, 1)


PLANNED_2023 = """\
某某省2023年政府工作报告
一、任务
建设天府粮仓核心示范区。
实施成都平原经济区一体化发展行动。
"""

PLANNED_2024 = """\
某某省2024年政府工作报告
一、任务
建设天府粮仓核心示范区。
推进川南渝西融合发展试验区建设。
"""

PLANNED_OTHER = """\
某某市2025年规划纲要
一、任务
实施成都平原经济区一体化发展行动。
推进川南渝西融合发展试验区建设。
"""


def test_fates_follow_only_the_documents_compared(compare_corpus) -> None:
    # Beyond all_pairs_max_docs, a document is compared with its series neighbours (and
    # the level above, its peers): the plan's other documents say nothing of its fate.
    corpus = compare_corpus([
        (entry(id="r2023", date="2023-01-01", series="reports"), PLANNED_2023),
        (entry(id="r2024", date="2024-01-01", series="reports"), PLANNED_2024),
        (entry(id="plan", date="2025-01-01", series="plans"), PLANNED_OTHER),
    ])
    settings = AlignSettings(all_pairs_max_docs=2)
    analysis = analyse(corpus, settings)
    result = analysis.result
    fates = {f.clause: f.fate for f in analysis.fates}

    def clause(doc_id: str, text: str) -> str:
        return next(c.id for c in result.clauses if c.doc_id == doc_id and text in c.norm)

    granary = clause("r2023", "天府粮仓")
    assert result.relation(granary, "r2024") == SAME
    assert result.relation(granary, "plan") == UNCOMPARED
    assert fates[granary] == PERSISTS  # r2024 has it; the plan is not compared with it
    plain = clause("r2023", "成都平原")
    found = result.alignment(plain, "plan")  # the same words, but not compared
    assert found.relation == UNCOMPARED and not found.counterparts
    assert fates[plain] == DISAPPEARS  # gone from the next report of its series
    # pairs.csv lists what was compared: absence is read only there
    assert list(pair_rows(result)) == [("r2023", "r2024", 0), ("r2024", "r2023", 0)]
    # every pair compared: the plan is compared too, and the granary no longer persists
    everything = analyse(corpus, AlignSettings())
    assert everything.result.relation(plain, "plan") == SAME
    assert everything.result.compared[0, 2] and not result.compared[0, 2]
    assert {f.clause: f.fate for f in everything.fates}[granary] == EVOLVES


@pytest.mark.parametrize("seed", range(4))
def test_a_documents_fates_read_together_are_each_clauses_own(seed: int) -> None:
    """`fates_of` (a document's clauses at once) gives `fate_of` of each clause, whatever
    its codes: uncompared documents anywhere, none before or after it, a document first
    or last on the timeline."""
    import numpy as np

    from continuity.analysis.align import CODES

    rng = np.random.default_rng(seed)
    values = np.array(sorted(CODES.values()), dtype=np.int8)
    for n_docs in (1, 2, 3, 7):
        relations = rng.choice(values, size=(60, n_docs)).astype(np.int8)
        relations[::5] = CODES[UNCOMPARED]
        for here in range(n_docs):
            rows = relations.copy()
            rows[:, here] = -1  # OWN
            assert fates_of(rows, here) == [fate_of(r[:here], r[here + 1:]) for r in rows]


def test_a_fate_resting_on_tentative_counterparts_alone_is_tentative() -> None:
    """Persists and evolves rest on the rank-1 counterparts later (in the last document
    of a timeline: earlier); one firm among them makes the fate firm. Other fates rest on
    no counterpart."""
    import numpy as np

    from continuity.analysis.align import CODES

    own, reworded = -1, CODES[REWORDED]
    absent, uncompared = CODES[ABSENT], CODES[UNCOMPARED]
    relations = np.array([
        [own, reworded, absent],      # evolves on one tentative counterpart later
        [own, reworded, reworded],    # evolves on two, the second firm
        [own, absent, absent],        # disappears
        [reworded, own, uncompared],  # the last of its timeline: rests on the earlier one
    ], dtype=np.int8)
    firm = np.array([[False, False, False], [False, False, True],
                     [False, False, False], [False, False, False]])
    firm_first = firm.copy()
    firm_first[3, 0] = True
    assert fate_confidences(relations[:3], firm[:3], 0, [EVOLVES, EVOLVES, DISAPPEARS]) == [
        "tentative", "firm", ""]
    assert fate_confidences(relations[3:], firm[3:], 1, [EVOLVES]) == ["tentative"]
    assert fate_confidences(relations[3:], firm_first[3:], 1, [EVOLVES]) == ["firm"]
    # a counterpart that is not what the fate rests on says nothing: an earlier firm one
    # for a commitment followed into later documents
    earlier_firm = np.array([[True, False, False]])
    assert fate_confidences(np.array([[reworded, own, reworded]], dtype=np.int8),
                            earlier_firm, 1, [EVOLVES]) == ["tentative"]


def test_bundled_fate_confidence_follows_the_rank_one_counterparts(analysis) -> None:
    """As a researcher computes it from the exports: a commitment that evolves or
    persists is firm when a rank-1 row of alignments.csv towards a later document (for
    the last document's commitments: an earlier one) is firm."""
    result = analysis.result
    order = {d: n for n, d in enumerate(result.doc_ids)}
    last = result.doc_ids[-1]
    firm_rows: set[str] = set()
    for a in result.alignments:
        top = a.counterparts[0] if a.counterparts else None
        if top is None or top.confidence != "firm":
            continue
        later = order[a.target_doc] > order[a.source_doc]
        if later != (a.source_doc == last):
            firm_rows.add(a.source)
    found = Counter()
    for f in analysis.fates:
        if f.fate in (PERSISTS, EVOLVES):
            assert f.confidence == ("firm" if f.clause in firm_rows else "tentative")
        else:
            assert f.confidence == ""
        found[f.fate, f.confidence] += 1
    assert found[EVOLVES, "tentative"] > 100 and found[EVOLVES, "firm"] > found[
        EVOLVES, "tentative"]

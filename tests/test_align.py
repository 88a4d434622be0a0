"""Clause alignment across documents (continuity/analysis/align.py).

Edge cases on tiny inline corpora; on the bundled corpus only facts that must hold
whatever the thresholds (the lead tunes those), never counts or scores.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from helpers import BUNDLED_IDS, entry

from continuity.analysis.align import (
    ABSENT,
    EXTRA_TERMS,
    REWORDED,
    SAME,
    align,
    alignable,
    content_chars,
    evidence_words,
    formula_free_similarity,
    frame_words,
    framed_formula,
    numbers,
    stop_phrases,
)
from continuity.analysis.evidence import measure_words
from continuity.analysis.vectors import word_features
from continuity.settings import AlignSettings
from continuity.text.normalize import normalize, wording

BOILERPLATE = "以习近平新时代中国特色社会主义思想为指导，"

PROVINCE = """\
中共某某省委关于推动高质量发展的决定
一、总体要求
以习近平新时代中国特色社会主义思想为指导，推动经济实现质的有效提升和量的合理增长。
二、推进乡村全面振兴加快建设农业强省
坚持和发展新时代“枫桥经验”，健全城乡社区治理体系。
加快建设世界级航空航天产业集群。
地区生产总值增长5.5%以上。
实施长江黄河上游生态屏障建设工程。
加快发展低空经济和商业航天。
"""

CITY = """\
某某市2024年政府工作报告
一、2023年工作回顾
实施长江黄河上游生态屏障建设工程。
二、推进乡村全面振兴加快建设农业强省
以习近平新时代中国特色社会主义思想为指导，
坚持和发展新时代“枫桥经验”，健全城乡社区治理体系。
大力培育壮大世界级航空航天产业集群。
地区生产总值增长6%左右。
深入推进城市更新和老旧小区改造。
"""


@pytest.fixture
def pair(compare_corpus):
    """A province decision (2023) and a city work report (2024)."""
    return compare_corpus([
        (entry(id="prov", date="2023-01-01", level="province"), PROVINCE),
        (entry(id="city", date="2024-01-01", level="city"), CITY),
    ])


def clause_with(result, doc_id: str, text: str):
    found = [c for c in result.clauses if c.doc_id == doc_id and normalize(text) in c.norm]
    assert len(found) == 1, f"{len(found)} clauses of {doc_id} contain {text!r}"
    return found[0]


def alignment_of(result, clause_id: str, target: str):
    found = [a for a in result.alignments if a.source == clause_id and a.target_doc == target]
    assert len(found) == 1
    return found[0]


def texts(result, alignment) -> list[str]:
    by_id = {c.id: c for c in result.clauses}
    return [by_id[cp.clause].text for cp in alignment.counterparts]


# --------------------------------------------------------------------------- tiny corpora


def test_identical_commitment_is_same(pair) -> None:
    result = align(pair)
    source = clause_with(result, "prov", "坚持和发展新时代“枫桥经验”")
    a = alignment_of(result, source.id, "city")
    assert a.relation == SAME
    assert texts(result, a)[0] == "坚持和发展新时代“枫桥经验”，"
    best = a.counterparts[0]
    assert (best.rank, best.relation, best.similarity) == (1, SAME, 1.0)
    # identical clauses; the score also weighs their sentences, which differ around them
    assert 0.9 < best.score < 1.0


def test_changed_verb_with_shared_terms_is_reworded(pair) -> None:
    result = align(pair)
    source = clause_with(result, "prov", "加快建设世界级航空航天产业集群")
    a = alignment_of(result, source.id, "city")
    assert a.relation == REWORDED
    assert texts(result, a)[0] == "大力培育壮大世界级航空航天产业集群。"


def test_different_numbers_are_never_same(pair) -> None:
    result = align(pair)
    for doc, other, text in (("prov", "city", "地区生产总值增长5.5%以上"),
                             ("city", "prov", "地区生产总值增长6%左右")):
        a = alignment_of(result, clause_with(result, doc, text).id, other)
        assert a.relation != SAME
        assert all(cp.relation != SAME for cp in a.counterparts)


def test_same_words_with_other_numbers_is_still_not_same(compare_corpus) -> None:
    corpus = compare_corpus([
        (entry(id="a", date="2023-01-01"), "某某报告\n一、目标\n全年新增城镇就业50万人以上。\n"),
        (entry(id="b", date="2024-01-01"), "某某报告\n一、目标\n全年新增城镇就业60万人以上。\n"),
    ])
    result = align(corpus)
    a = alignment_of(result, clause_with(result, "a", "城镇就业").id, "b")
    assert a.counterparts and a.counterparts[0].similarity > 0.9
    assert a.relation == REWORDED  # one character changed, but it is the number: 50 ≠ 60


def test_unrelated_sentence_is_absent(pair) -> None:
    result = align(pair)
    source = clause_with(result, "prov", "加快发展低空经济和商业航天")
    a = alignment_of(result, source.id, "city")
    assert (a.relation, a.counterparts) == (ABSENT, ())
    target = clause_with(result, "city", "深入推进城市更新和老旧小区改造")
    assert alignment_of(result, target.id, "prov").relation == ABSENT


def test_boilerplate_alone_has_no_counterpart(pair) -> None:
    result = align(pair)
    alone = clause_with(result, "city", BOILERPLATE)
    assert alone.text == BOILERPLATE
    assert not alignable(alone, result.settings)
    assert alignment_of(result, alone.id, "prov").counterparts == ()
    assert all(cp.clause != alone.id for a in result.alignments for cp in a.counterparts)
    assert content_chars(normalize(BOILERPLATE)) == 0


def test_review_sections_are_never_counterparts_but_headings_can_be(pair) -> None:
    result = align(pair)
    by_id = {c.id: c for c in result.clauses}
    for a in result.alignments:
        for cp in a.counterparts:
            assert by_id[cp.clause].kind != "review"
    # a heading that states a commitment (a plan's 节 title) carries it like any clause
    heading = clause_with(result, "prov", "推进乡村全面振兴加快建设农业强省")
    assert heading.role == "heading"
    assert texts(result, alignment_of(result, heading.id, "city")) == [
        "二、推进乡村全面振兴加快建设农业强省"]
    # the province's commitment is only in the city's review of last year
    ecology = clause_with(result, "prov", "实施长江黄河上游生态屏障建设工程")
    assert alignment_of(result, ecology.id, "city").relation == ABSENT
    review = clause_with(result, "city", "实施长江黄河上游生态屏障建设工程")
    assert review.kind == "review"  # a review passage may still look for its source
    assert texts(result, alignment_of(result, review.id, "prov")) == [ecology.text]


def test_every_clause_has_one_alignment_per_other_document(pair) -> None:
    result = align(pair)
    keys = [(a.source, a.target_doc) for a in result.alignments]
    assert len(keys) == len(set(keys))
    expected = {(c.id, other) for c in result.clauses for other in pair.ids if other != c.doc_id}
    assert set(keys) == expected
    by_id = {c.id: c for c in result.clauses}
    for a in result.alignments:
        assert a.source_doc == by_id[a.source].doc_id
        assert a.cross_level  # province ↔ city
        assert a.relation == (a.counterparts[0].relation if a.counterparts else ABSENT)


REPEATS = """\
某某市2024年政府工作报告
一、重点工作
加快建设世界级航空航天产业集群。
大力培育壮大世界级航空航天产业集群。
培育壮大世界级航空航天产业集群。
打造世界级航空航天产业集群。
推动世界级航空航天产业集群建设。
"""


@pytest.mark.parametrize("keep", [1, 2, 3, 4])
def test_at_most_max_counterparts_ranked_by_score(compare_corpus, keep: int) -> None:
    corpus = compare_corpus([
        (entry(id="prov", date="2023-01-01", level="province"), PROVINCE),
        (entry(id="city", date="2024-01-01", level="province"), REPEATS),
    ])
    result = align(corpus, AlignSettings(max_counterparts=keep))
    source = clause_with(result, "prov", "加快建设世界级航空航天产业集群")
    a = alignment_of(result, source.id, "city")
    assert len(a.counterparts) == keep  # five candidates, `keep` kept
    assert [cp.rank for cp in a.counterparts] == list(range(1, keep + 1))
    scores = [cp.score for cp in a.counterparts]
    assert scores == sorted(scores, reverse=True)
    assert texts(result, a)[0] == "加快建设世界级航空航天产业集群。"
    assert not any(al.cross_level for al in result.alignments)  # province ↔ province


def test_alignment_is_deterministic(pair) -> None:
    first, second = align(pair), align(pair)
    assert first.clauses == second.clauses
    assert first.alignments == second.alignments


def test_a_higher_min_score_keeps_fewer_counterparts(pair) -> None:
    loose = align(pair)
    strict = align(pair, AlignSettings().with_overrides({"min_score": "0.9"}))
    loose_pairs = {(a.source, cp.clause) for a in loose.alignments for cp in a.counterparts}
    strict_pairs = {(a.source, cp.clause) for a in strict.alignments for cp in a.counterparts}
    assert strict_pairs < loose_pairs
    lowest = 0.9 - EXTRA_TERMS * strict.settings.evidence_step
    assert all(cp.score >= lowest for a in strict.alignments for cp in a.counterparts)


def needed_score(settings: AlignSettings, shared_terms: tuple[str, ...]) -> float:
    """The score a counterpart with these distinctive shared terms must reach (rounded as
    counterpart scores are)."""
    extra = min(max(len(shared_terms) - 1, 0), EXTRA_TERMS)
    return round(settings.min_score - settings.evidence_step * extra, 4) - 1e-4


RENAMED = """\
某某报告
一、任务
实施特色优势产业倍增计划。
推进乡村全面振兴。
"""

RENAMED_LATER = """\
某某报告
一、任务
深入实施优势产业提质倍增行动。
深入推进城市更新。
"""


def test_more_shared_distinctive_terms_need_less_score(compare_corpus) -> None:
    corpus = compare_corpus([(entry(id="a", date="2023-01-01"), RENAMED),
                             (entry(id="b", date="2024-01-01"), RENAMED_LATER)])
    # a corpus this small has no word of idf 5: every shared word counts as distinctive
    base = AlignSettings(evidence_idf=1.0, min_score=0.45, min_clause_score=0.1)
    flat = align(corpus, replace(base, evidence_step=0.0))
    stepped = align(corpus, replace(base, evidence_step=0.1))
    plan = clause_with(flat, "a", "倍增计划")
    assert alignment_of(flat, plan.id, "b").relation == ABSENT  # below min_score
    a = alignment_of(stepped, plan.id, "b")
    assert texts(stepped, a) == ["深入实施优势产业提质倍增行动。"]
    best = a.counterparts[0]
    # 实施 is a verb of undertaking: no evidence
    assert len(best.shared_terms) >= 2 and best.score < base.min_score
    rural = clause_with(stepped, "a", "推进乡村全面振兴")  # shares only the verb 推进
    assert alignment_of(stepped, rural.id, "b").relation == ABSENT


SMART = "某某报告\n一、任务\n加快建设智慧城市。\n"
SMART_LATER = "某某规划\n一、任务\n加快建设智慧国资监管体系。\n"


def test_a_lone_shared_term_naming_other_objects_is_no_counterpart(compare_corpus) -> None:
    corpus = compare_corpus([(entry(id="a", date="2023-01-01"), SMART),
                             (entry(id="b", date="2024-01-01"), SMART_LATER)])
    loose = AlignSettings(evidence_idf=1.0, min_score=0.05, min_clause_score=0.05,
                          lone_conflict_penalty=0.0)
    city = clause_with(align(corpus, loose), "a", "智慧城市")
    # without the rule the pair is a counterpart: 智慧 is shared and distinctive here
    assert alignment_of(align(corpus, loose), city.id, "b").relation == REWORDED
    result = align(corpus, replace(loose, lone_conflict_penalty=1.0))
    assert alignment_of(result, city.id, "b").relation == ABSENT
    found = result.explain(city.id, clause_with(result, "b", "智慧国资").id)
    assert found.conflicts == ("智慧",) and found.needed > 1


VOCATIONAL = """\
某某规划
一、教育
深入实施中国特色高水平高职学校和专业建设计划。
"""

VOCATIONAL_LATER = """\
某某报告
一、教育
高质量实施“双高计划”。
"""


def test_a_full_name_and_its_abbreviation_are_one_term(compare_corpus) -> None:
    # data/aliases.toml: 双高计划 is 中国特色高水平高职学校和专业建设计划, two texts that
    # share almost no characters
    corpus = compare_corpus([(entry(id="a", date="2023-01-01"), VOCATIONAL),
                             (entry(id="b", date="2024-01-01"), VOCATIONAL_LATER)])
    result = align(corpus, AlignSettings(evidence_idf=1.0))  # two clauses: every idf is low
    source = clause_with(result, "a", "高职学校")
    target = clause_with(result, "b", "双高计划")
    assert texts(result, alignment_of(result, source.id, "b")) == [target.text]
    assert result.explain(source.id, target.id).terms == ("双高计划",)


COVER = """\
某某规划
一、保障
全面推行城乡居民补充医疗保险。
"""

COVER_LATER = """\
某某报告
一、保障
全面推行“惠民保”。
"""

COVER_ALIASES = """\
[[alias]]
name = "惠民保"
forms = ["城乡居民补充医疗保险"]
source = "某某市医疗保障局关于城乡居民补充医疗保险（惠民保）的通知"
"""


def test_a_corpus_names_its_own_abbreviations_in_its_aliases_file(compare_corpus) -> None:
    docs = [(entry(id="a", date="2023-01-01"), COVER), (entry(id="b", date="2024-01-01"),
                                                      COVER_LATER)]
    loose = AlignSettings(evidence_idf=1.0)  # two clauses: every idf is low
    corpus = compare_corpus(docs)
    source = clause_with(align(corpus, loose), "a", "补充医疗保险")
    assert alignment_of(align(corpus, loose), source.id, "b").relation == ABSENT
    (corpus.root / "aliases.toml").write_text(COVER_ALIASES, encoding="utf-8")
    result = align(corpus, loose)
    assert alignment_of(result, source.id, "b").relation == REWORDED
    # the name's words as the segmenter cuts them (惠民 / 保): 惠民 is now shared
    assert "惠民" in result.explain(source.id, clause_with(result, "b", "惠民保").id).terms


FRAMED = """\
某某报告
一、任务
更加注重扩大内需。
更加注重改善民生。
"""

FRAMED_LATER = """\
某某规划
一、任务
更加注重源头治理。
注重在发展中保障和改善民生。
"""


def test_frame_words_are_never_evidence(compare_corpus) -> None:
    corpus = compare_corpus([(entry(id="a", date="2023-01-01"), FRAMED),
                             (entry(id="b", date="2024-01-01"), FRAMED_LATER)])
    settings = AlignSettings(evidence_idf=1.0, min_score=0.2, min_clause_score=0.1)
    assert {"更加", "注重"} <= frame_words()
    result = align(corpus, settings)
    demand = clause_with(result, "a", "扩大内需")
    assert alignment_of(result, demand.id, "b").relation == ABSENT  # only 更加注重 in common
    livelihood = alignment_of(result, clause_with(result, "a", "改善民生").id, "b")
    assert texts(result, livelihood) == ["注重在发展中保障和改善民生。"]
    assert "民生" in livelihood.counterparts[0].shared_terms
    assert not {"更加", "注重"} & set(livelihood.counterparts[0].shared_terms)


FORMULAS = """\
某某决定
一、任务
坚定以习近平新时代中国特色社会主义思想和习近平总书记对四川工作系列重要指示精神为指导。
全力以赴拼经济搞建设。
"""

FORMULAS_LATER = """\
某某规划
一、任务
深化对习近平新时代中国特色社会主义思想、习近平总书记对四川工作系列重要指示精神和党中央决策部署的宣传阐释。
全力以赴拼经济、搞建设。
"""


def test_clauses_alike_only_in_their_formulas_are_no_counterparts(compare_corpus) -> None:
    # no distinctive term either way (evidence_idf out of reach): the clauses must be
    # strong_score alike by themselves, and still once the formulas are taken out
    corpus = compare_corpus([(entry(id="a", date="2023-01-01"), FORMULAS),
                             (entry(id="b", date="2024-01-01"), FORMULAS_LATER)])
    settings = AlignSettings(evidence_idf=99.0, strong_score=0.5, min_score=0.2)
    result = align(corpus, settings)
    guide = clause_with(result, "a", "为指导")
    later = clause_with(result, "b", "宣传阐释")
    assert alignment_of(result, guide.id, "b").relation == ABSENT
    why = result.explain(guide.id, later.id)
    assert why.similarity >= settings.strong_score and not why.accepted  # the formula alone
    effort = alignment_of(result, clause_with(result, "a", "拼经济").id, "b")
    assert texts(result, effort) == ["全力以赴拼经济、搞建设。"]


@pytest.mark.parametrize(("text", "framed"), [
    ("全省上下必须深刻领悟“两个确立”的决定性意义，", True),
    ("全省政府系统要深刻领悟“两个确立”的决定性意义,", True),
    ("持续深化落实习近平总书记对四川工作系列重要指示精神，", True),
    ("深刻领悟“两个确立”的决定性意义，", True),
    ("深入学习贯彻党的二十大精神，", True),
    ("坚定以习近平新时代中国特色社会主义思想和习近平总书记对四川工作系列重要指示精神"
     "为指导，", True),
    ("要将党的二十大精神与习近平总书记对四川工作系列重要指示精神贯通起来，", False),
    ("组织实施深刻领悟“两个确立”的决定性意义宣讲计划", False),  # a programme of its own
    ("全面落实田长制", False),  # no formula at all
])
def test_a_formula_with_only_its_framing_is_formulaic(text: str, framed: bool) -> None:
    assert framed_formula(normalize(text)) is framed


def test_formula_free_similarity_only_for_pairs_without_terms() -> None:
    left = ["坚定以习近平新时代中国特色社会主义思想为指导", "全力以赴拼经济搞建设"]
    right = ["深化对习近平新时代中国特色社会主义思想的宣传阐释", "全力以赴拼经济、搞建设"]
    plain = formula_free_similarity(left, right, np.array([0, 0]))
    assert plain[0] < 0.5 < 0.9 < plain[1]
    assert formula_free_similarity(left, right, np.array([1, 2])).tolist() == [1.0, 1.0]


MEASURED = """\
某某报告
一、任务
天府绿道超7000公里。
新增城市绿地100万亩。
"""

MEASURED_LATER = """\
某某规划
一、任务
完成高速公路数字化改造2000公里以上。
建设高标准农田50万亩。
"""


def test_units_of_measure_are_never_evidence(compare_corpus) -> None:
    # 公里 and 万亩 are units (data/indicators.toml), not objects the two clauses share
    corpus = compare_corpus([(entry(id="a", date="2023-01-01"), MEASURED),
                             (entry(id="b", date="2024-01-01"), MEASURED_LATER)])
    settings = AlignSettings(evidence_idf=0.0, min_score=0.05, min_clause_score=0.01)
    assert {"公里", "万亩", "亿元"} <= measure_words()
    result = align(corpus, settings)
    for text in ("天府绿道", "城市绿地"):
        clause = clause_with(result, "a", text)
        assert alignment_of(result, clause.id, "b").relation == ABSENT
        target = clause_with(result, "b", "公里" if text == "天府绿道" else "万亩")
        assert not result.explain(clause.id, target.id).terms


def test_excluded_target_kinds_can_be_overridden(pair) -> None:
    result = align(pair, AlignSettings().with_overrides({"excluded_target_kinds": "glossary",
                                                         "excluded_target_functions": ""}))
    ecology = clause_with(result, "prov", "实施长江黄河上游生态屏障建设工程")
    a = alignment_of(result, ecology.id, "city")
    assert a.relation == SAME  # the review passage now counts


def test_a_target_restated_without_its_number_is_reworded(compare_corpus) -> None:
    # 常住人口城镇化率达80.5% → 常住人口城镇化率增幅高于全国: the same target, its figure dropped
    corpus = compare_corpus([
        (entry(id="a", date="2023-01-01"), "某某报告\n一、目标\n城镇居民人均可支配收入增长6%。\n"),
        (entry(id="b", date="2024-01-01"),
         "某某报告\n一、目标\n城镇居民人均可支配收入稳步增长。\n"),
    ])
    result = align(corpus)
    a = alignment_of(result, clause_with(result, "a", "人均可支配收入").id, "b")
    assert a.relation == REWORDED


def test_unknown_setting_raises_key_error_naming_known_settings() -> None:
    with pytest.raises(KeyError, match="min_score"):
        AlignSettings().with_overrides({"minscore": "0.5"})


@pytest.mark.parametrize(
    ("text", "expected"),
    [("增长5.5%以上", ("5.5",)), ("2025年到2030年", ("2025", "2030")), ("稳步增长", ())],
)
def test_numbers(text: str, expected: tuple[str, ...]) -> None:
    assert numbers(text) == expected


# --------------------------------------------------------------------------- the bundled corpus


def phrase_clauses(analysis, phrase: str, doc_id: str | None = None):
    query = normalize(phrase)
    return [c for c in analysis.result.clauses
            if query in c.norm and (doc_id is None or c.doc_id == doc_id)]


def explain_texts(analysis, text: str, doc: str, target_text: str, other: str):
    """Alignment's evidence for the one clause of `doc` holding `text` and the one of
    `other` holding `target_text`."""
    [source] = phrase_clauses(analysis, text, doc)
    [target] = phrase_clauses(analysis, target_text, other)
    return analysis.result.explain(source.id, target.id)


def test_fengqiao_is_same_in_every_document_that_has_it(analysis) -> None:
    phrase = "坚持和发展新时代“枫桥经验”"
    [source] = phrase_clauses(analysis, phrase, "2022-decision")
    others = {c.doc_id for c in phrase_clauses(analysis, phrase)} - {"2022-decision"}
    assert others == set(BUNDLED_IDS) - {"2022-decision"}
    for target in others:
        a = analysis.alignment(source.id, target)
        same = [cp for cp in a.counterparts if cp.relation == SAME
                and normalize(phrase) in analysis.clause(cp.clause).norm]
        assert same, f"no same counterpart of the 枫桥经验 clause in {target}"


def test_digital_sichuan_carries_into_the_plan(analysis) -> None:
    phrase = normalize("加快建设网络强省、数字四川")
    [source] = phrase_clauses(analysis, phrase, "2022-decision")
    a = analysis.alignment(source.id, "15th-plan")
    assert any(phrase in analysis.clause(cp.clause).norm for cp in a.counterparts)


def test_the_plan_names_in_full_what_earlier_documents_abbreviate(analysis) -> None:
    [source] = phrase_clauses(analysis, "中国特色高水平高职学校和专业建设计划", "15th-plan")
    for doc in ("2022-decision", "2024-decision", "2025-report"):
        a = analysis.alignment(source.id, doc)
        [first] = [analysis.clause(cp.clause) for cp in a.counterparts[:1]]
        assert "双高" in first.norm, (doc, first.text)
        assert analysis.result.explain(source.id, first.id).terms == ("双高计划",)


def test_verbs_of_improving_something_are_no_evidence_in_the_corpus(analysis) -> None:
    # 提档升级 upgrades the grid in one clause and rural roads in the other; 扩容提质 public
    # services and childcare: the verb says what is done, not to what
    for text, doc, target_text, other in (
            ("加快电网主网架提档升级", "2022-decision", "提档升级“四好农村路”", "2024-chengdu"),
            ("公共服务扩容提质", "2024-chengdu", "普惠托育扩容提质工程", "15th-plan")):
        found = explain_texts(analysis, text, doc, target_text, other)
        assert not found.terms and not found.conflicts and not found.accepted, found
    # the object they improve still is: 开放平台
    found = explain_texts(analysis, "实施开放平台提能工程", "2022-decision",
                          "赋能提升开放平台能级", "15th-plan")
    assert found.terms == ("开放平台",)


def test_ai_academy_has_no_counterpart_in_the_plan(analysis) -> None:
    [source] = phrase_clauses(analysis, "建好四川省人工智能学院等平台", "2024-decision")
    assert analysis.alignment(source.id, "15th-plan").relation == ABSENT
    assert analysis.alignment(source.id, "15th-plan").counterparts == ()


def test_one_name_qualifying_other_heads_is_no_counterpart_in_the_corpus(analysis) -> None:
    # 智慧 / 青年发展型 are the only distinctive words these pairs share, and they qualify
    # different heads: a state-assets supervision system is not a smart city, a youth-
    # friendly city not a youth-friendly province
    for text, doc, other, target_text in (
            ("加快建设智慧国资监管体系", "2024-chengdu", "2024-decision", "加快建设智慧城市"),
            ("建好青年发展型城市", "2024-chengdu", "2022-decision", "建设青年发展型省份")):
        found = explain_texts(analysis, text, doc, target_text, other)
        assert found.terms == () and len(found.conflicts) == 1
        assert not found.accepted and found.rank is None


def test_outcome_words_alone_are_no_counterpart_in_the_corpus(analysis) -> None:
    # the second batch of Chengdu-Chongqing cooperation items and major reforms share only
    # 事项落地见效; progress in new productive forces and in the rule of law, 取得新进展
    [source] = phrase_clauses(analysis, "全面推进第二批50项合作事项落地见效", "2024-chengdu")
    [target] = phrase_clauses(analysis, "扎实推动重大改革事项落地见效", "2025-report")
    found = analysis.result.explain(source.id, target.id)
    assert not found.accepted and found.rank is None, found
    assert not {"落地", "见效", "落地见效"} & set(found.terms + found.conflicts)
    [progress] = phrase_clauses(analysis, "发展新质生产力取得新进展")
    for doc in set(analysis.result.doc_ids) - {progress.doc_id}:
        for cp in analysis.alignment(progress.id, doc).counterparts:
            assert "新质生产力" in analysis.clause(cp.clause).norm, cp


def test_the_second_batch_of_labs_is_not_the_labs_there_are(analysis) -> None:
    [source] = phrase_clauses(analysis, "规划布局第二批天府实验室", "2025-report")
    for doc in ("15th-plan", "2022-decision"):
        for cp in analysis.alignment(source.id, doc).counterparts:
            assert "天府实验室" not in analysis.clause(cp.clause).norm, cp
    [same_batch] = phrase_clauses(analysis, "全力争创第二批天府实验室", "2024-chengdu")
    assert analysis.result.explain(source.id, same_batch.id).terms  # the same batch: evidence


def test_no_counterpart_is_retrospective_or_reference(analysis) -> None:
    excluded = set(AlignSettings().excluded_target_kinds) | {"review", "glossary", "preamble"}
    for a in analysis.result.alignments:
        for cp in a.counterparts:
            target = analysis.clause(cp.clause)
            assert target.kind not in excluded, (a.source, cp.clause, target.kind)
            assert target.doc_id == cp.doc_id == a.target_doc != a.source_doc


def test_a_counterpart_is_tentative_when_it_clears_its_score_by_a_small_margin(
        analysis) -> None:
    result, firm = analysis.result, analysis.result.settings.firm_margin
    seen = set()
    for k in range(len(result.cp_source)):
        source = result.clauses[int(result.cp_source[k])]
        target = result.clauses[int(result.cp_target[k])]
        cp = next(c for c in result.alignment(source.id, target.doc_id).counterparts
                  if c.clause == target.id)
        assert cp.confidence == ("firm" if result.cp_margin[k] >= firm else "tentative")
        seen.add(cp.confidence)
        why = result.explain(source.id, target.id)
        assert (cp.confidence == "firm") == (round(why.score - why.needed, 4) >= firm), cp
        if len(seen) == 2 and k > 200:
            break
    assert seen == {"firm", "tentative"}


def test_counterparts_ranked_and_bounded(analysis) -> None:
    keep = analysis.result.settings.max_counterparts
    for a in analysis.result.alignments:
        assert len(a.counterparts) <= keep
        assert [cp.rank for cp in a.counterparts] == list(range(1, len(a.counterparts) + 1))
        scores = [cp.score for cp in a.counterparts]
        assert all(0 < s <= 1.0 + 1e-9 for s in scores)
        assert all(cp.score >= needed_score(analysis.result.settings, cp.shared_terms)
                   for cp in a.counterparts)
        assert len({cp.clause for cp in a.counterparts}) == len(a.counterparts)
        assert a.relation == (a.counterparts[0].relation if a.counterparts else ABSENT)
    # ranks follow the margin by which a score clears the score its evidence needs
    for a in analysis.result.alignments[:3000]:
        margins = [e.score - e.needed for e in
                   (analysis.result.explain(a.source, cp.clause) for cp in a.counterparts)]
        assert all(x >= y - 2e-4 for x, y in zip(margins, margins[1:], strict=False))


def test_shared_terms_are_words_of_both_clauses(analysis) -> None:
    # words of each clause as alignment compares it: every form of an alias as its name
    def compared(clause) -> tuple[str, set[str]]:
        norm, tokens = analysis.result.aliases.view(clause.norm, clause.tokens)
        return norm, set(word_features(tokens))

    checked = aliases = 0
    for a in analysis.result.alignments:
        source_norm, source_words = compared(analysis.clause(a.source))
        for cp in a.counterparts:
            target_norm, target_words = compared(analysis.clause(cp.clause))
            for term in cp.shared_terms:
                checked += 1
                aliases += term not in analysis.clause(cp.clause).norm
                assert term in source_words and term in target_words
                assert term in source_norm and term in target_norm
    assert checked > 0 and aliases > 0


def test_same_means_no_word_changed(analysis) -> None:
    checked = 0
    for a in analysis.result.alignments:
        source = analysis.clause(a.source)
        for cp in a.counterparts:
            target = analysis.clause(cp.clause)
            assert (cp.relation == SAME) == (wording(source.norm) == wording(target.norm))
            checked += cp.relation == SAME
    assert checked > 0


EDITS = """\
某某报告
一、任务
统筹发展和安全。
加快建成农业强省。
（三）推进城乡融合发展。
"""

EDITS_LATER = """\
某某规划
一、任务
更好统筹发展和安全。
加快建设农业强省。
推进城乡融合发展，
"""


@pytest.mark.parametrize(
    ("phrase", "relation"),
    [("统筹发展和安全", REWORDED),  # a word added: 更好
     ("加快建成农业强省", REWORDED),  # one word changed: 建成 → 建设
     ("推进城乡融合发展", SAME)],  # only numbering and punctuation differ
)
def test_same_means_no_word_changed_on_tiny_documents(compare_corpus, phrase: str,
                                                      relation: str) -> None:
    corpus = compare_corpus([(entry(id="a", date="2023-01-01"), EDITS),
                             (entry(id="b", date="2024-01-01"), EDITS_LATER)])
    result = align(corpus, AlignSettings(evidence_idf=0.0, min_score=0.2))
    assert alignment_of(result, clause_with(result, "a", phrase).id, "b").relation == relation


def test_cross_level_marks_city_against_province(analysis) -> None:
    levels = {d.id: d.meta.level for d in analysis.corpus.documents}
    assert levels["2024-chengdu"] == "city"
    for a in analysis.result.alignments:
        assert a.cross_level == (levels[a.source_doc] != levels[a.target_doc])
    assert any(a.cross_level for a in analysis.result.alignments)


def test_every_bundled_clause_has_one_alignment_per_other_document(analysis, corpus) -> None:
    clauses = [c for d in corpus.documents for c in d.clauses]
    assert analysis.result.clauses == tuple(clauses)
    assert len(analysis.result.alignments) == len(clauses) * (len(corpus.documents) - 1)
    keys = {(a.source, a.target_doc) for a in analysis.result.alignments}
    assert len(keys) == len(analysis.result.alignments)


def test_score_weighs_the_sentence_around_a_clause(pair) -> None:
    plain = align(pair, AlignSettings().with_overrides({"context_weight": "0"}))
    source = clause_with(plain, "prov", "坚持和发展新时代“枫桥经验”")
    assert alignment_of(plain, source.id, "city").counterparts[0].score == pytest.approx(1.0)


def test_stop_phrases_are_in_one_order_whatever_the_hash_seed() -> None:
    phrases = stop_phrases()
    assert list(phrases) == sorted(phrases, key=lambda p: (-len(p), p))


def test_explain_gives_the_figures_alignment_weighed(analysis) -> None:
    result = analysis.result
    [plan] = phrase_clauses(analysis, "打造西部中试中心", "2024-chengdu")
    [finance] = [c for c in result.clauses
                 if c.doc_id == "2025-report" and "西部金融中心" in c.norm]
    e = result.explain(plan.id, finance.id)
    assert e.conflicts == ("西部",) and e.terms == () and not e.accepted and e.rank is None
    settings = result.settings  # 西部 is the only term they share: a lone conflict
    assert e.needed == round(settings.min_score + settings.conflict_penalty
                             + settings.lone_conflict_penalty, 4)
    for a in result.alignments[:300]:
        for cp in a.counterparts:  # every counterpart kept is accepted, at its rank and score
            e = result.explain(a.source, cp.clause)
            assert e.accepted and e.rank == cp.rank and e.score == pytest.approx(cp.score, abs=2e-4)


def test_formulas_are_no_evidence() -> None:
    from continuity.text.segment import segment

    norm = normalize("必须学懂弄通做实习近平新时代中国特色社会主义思想，")
    words = evidence_words(segment(norm), norm, word_features(segment(norm)))
    assert "学懂弄通" in words or "弄通" in words
    assert not {"习近平", "社会主义", "思想", "中国特色"} & words
    plain = normalize("加快建设天府粮仓")
    assert evidence_words(segment(plain), plain, ("天府粮仓",)) == {"天府粮仓"}


def test_result_lookups_are_continuity_errors(analysis) -> None:
    from continuity.errors import ContinuityError, UnknownClauseError, UnknownDocumentError

    result = analysis.result
    first = result.clauses[0]
    with pytest.raises(UnknownClauseError, match="bad-id"):
        result.alignment("bad-id", "15th-plan")
    with pytest.raises(UnknownDocumentError, match="2030-plan"):
        result.relation(first.id, "2030-plan")
    with pytest.raises(ContinuityError, match="compare it with another document"):
        result.alignment(first.id, first.doc_id)


def test_the_cut_off_for_common_features_is_a_share_of_the_corpus() -> None:
    """A feature in 250 of 30,000 clauses (under 1 %) still finds candidates, though a
    fixed cut-off of 200 clauses would have dropped it; one in 400 (over 1 %) only counts
    in the exact score. In a small corpus the floor holds."""
    from continuity.analysis.align import MIN_COMMON, _split_matrix, common_limit
    from continuity.analysis.vectors import WORD, build_vectors

    assert common_limit(100) == MIN_COMMON
    assert common_limit(50_000) == 500
    n = 30_000
    features = [([f"词{i}"] + (["甲"] if i < 250 else []) + (["乙"] if i < 400 else []), [], [])
                for i in range(n)]
    vectors = build_vectors(features)
    search, common = _split_matrix(vectors)
    rare, frequent = vectors.vocab[WORD + "甲"], vectors.vocab[WORD + "乙"]
    assert search[:, rare].nnz == 250 and common[:, rare].nnz == 0
    assert search[:, frequent].nnz == 0 and common[:, frequent].nnz == 400
    assert abs(search + common - vectors.matrix).max() < 1e-12


def test_confidence_is_firm_from_the_margin_up() -> None:
    from continuity.records import confidence

    assert confidence(0.1, 0.1) == confidence(0.25, 0.1) == "firm"
    assert confidence(0.0999, 0.1) == confidence(-0.01, 0.1) == "tentative"
    assert confidence(0.099996, 0.1) == "firm"  # margins are kept to four decimals


def test_top_is_the_rank_one_counterpart_of_every_clause_and_document(analysis) -> None:
    """`top` (a lookup made once) agrees with `alignment` (a search of the arrays) for
    every clause of the bundled corpus in every document, absent ones included."""
    result = analysis.result
    checked = 0
    for clause in result.clauses[::7]:
        for doc_id in result.doc_ids:
            if doc_id == clause.doc_id:
                continue
            found = result.alignment(clause.id, doc_id).counterparts
            top = result.top(clause.id, doc_id)
            if not found:
                assert top is None
                continue
            assert top is not None and top[0].id == found[0].clause
            assert top[1] == found[0].score and top[2] == result.relation(clause.id, doc_id)
            assert top[3] == found[0].confidence
            checked += 1
    assert checked > 900


# ------------------------------------------------------------- a source document's part


def test_each_source_documents_job_reads_only_its_part(corpus) -> None:
    """A source document's job (`Part`: what a dask task is sent) holds its own alignable
    clauses and its planned targets' eligible ones, their rows of the corpus-wide
    vectors and nothing else; it pickles (a dask task's part) to the same counterparts.
    The bundled corpus with a plan smaller than every pair (`all_pairs_max_docs` 2)."""
    import pickle

    from continuity.analysis.align import compared_documents, document_candidates
    from continuity.corpus.plan import comparison_plan
    from continuity.engine import Part

    settings = AlignSettings(all_pairs_max_docs=2)
    sent: list = []

    class Keeping:
        """An engine that keeps the jobs it runs (here, one after another)."""

        name = "keeping"

        def run(self, jobs, *args, **kwargs):
            sent.extend(job for job in jobs if job.name.startswith("aligning "))
            return [job.make() for job in jobs]  # the features' jobs, then the alignment's

    result = align(corpus, settings, engine=Keeping())
    compared = compared_documents(comparison_plan(corpus, settings), corpus.ids)
    assert len(sent) == len(corpus.ids) and not compared.all()  # some pairs are not planned
    smaller = found = 0
    for job in sent:
        assert isinstance(job.make, Part)
        part = job.make.part()
        d = corpus.ids.index(job.name.removeprefix("aligning "))
        assert set(part.doc_of[part.src].tolist()) == {d}
        assert set(part.doc_of[part.tgt].tolist()) <= set(np.flatnonzero(compared[d]).tolist())
        rows = part.rows.tolist()
        assert rows == sorted(set(rows)) and len(rows) == part.search.shape[0]
        assert [result.clauses[r].norm for r in rows] == list(part.norms)
        assert part.doc_of.tolist() == [corpus.ids.index(result.clauses[r].doc_id)
                                        for r in rows]
        smaller += len(rows) < len(result.clauses)
        here = document_candidates(job.make.shared, part)
        there = document_candidates(pickle.loads(pickle.dumps(job.make.shared)),
                                    pickle.loads(pickle.dumps(part)))
        assert (here is None) == (there is None)
        found += here is not None
        for a, b in zip(here or (), there or (), strict=True):
            assert a.tobytes() == b.tobytes()
    assert smaller == len(sent) and found >= 3


# ------------------------------------------------------------------ relations, read


def test_relation_codes_are_read_from_the_plan_and_the_counterparts(corpus) -> None:
    """No clauses × documents matrix is kept (1.8 GB at 1,000 documents, in every process
    holding the result): a relation code is the rank-1 counterpart's relation, else OWN in
    the clause's document, ABSENT where the plan compares the two documents, UNCOMPARED
    elsewhere; the same read for any rows, in any order, or one cell at a time. The
    bundled corpus with a plan smaller than every pair."""
    from continuity.analysis.align import CODES, OWN, UNCOMPARED

    result = align(corpus, AlignSettings(all_pairs_max_docs=2))
    n_clauses, n_docs = len(result.clauses), len(result.doc_ids)
    assert not any(getattr(value, "shape", None) == (n_clauses, n_docs)
                   for value in vars(result).values())
    doc_of = np.array([result.doc_ids.index(c.doc_id) for c in result.clauses])
    expected = np.where(result.compared[doc_of], CODES[ABSENT], CODES[UNCOMPARED])
    expected[np.arange(n_clauses), doc_of] = OWN
    seen: set[tuple[int, int]] = set()
    for k, (i, d) in enumerate(zip(result.cp_source.tolist(), result.cp_doc.tolist(),
                                   strict=True)):
        if (i, d) not in seen:  # rank 1: the first of its clause and document
            seen.add((i, d))
            expected[i, d] = CODES[SAME] if result.cp_same[k] else CODES[REWORDED]
    codes = result.relation_codes(range(n_clauses))
    assert codes.dtype == np.int8 and codes.tolist() == expected.tolist()
    assert set(np.unique(codes).tolist()) == {OWN, *(CODES[r] for r in (
        SAME, REWORDED, ABSENT, UNCOMPARED))}
    rows = np.random.default_rng(0).permutation(n_clauses)[:500]
    assert result.relation_codes(rows).tolist() == expected[rows].tolist()
    assert result.relation_codes(np.zeros(0, dtype=np.int64)).shape == (0, n_docs)
    for i in rows[:100].tolist():
        for d in range(n_docs):
            assert result.relation_code(i, d) == expected[i, d]
            if d != doc_of[i]:
                code = CODES[result.alignment(result.clauses[i].id, result.doc_ids[d]).relation]
                assert code == expected[i, d]

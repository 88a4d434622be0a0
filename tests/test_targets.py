"""Quantitative targets recognised by their shape (continuity/analysis/targets.py)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from helpers import entry

import continuity
from continuity.analysis.run import Analysis
from continuity.analysis.targets import (
    BASELINE,
    CHANGED,
    HEADLINE,
    LOWERED,
    RAISED,
    TABLE,
    TEXT,
    UNCHANGED,
    Target,
    compare,
    corpus_targets,
    document_targets,
    find_statements,
    indicator_name,
    read_rules,
    split_measure,
    stated,
)
from continuity.errors import ManifestError
from continuity.output.export import export_files, iter_tables
from continuity.records import Corpus


def recognise(text: str) -> list[tuple[str, str, str, str]]:
    """(indicator, value, measure, qualifier) of every target in one clause's text."""
    return [(indicator_name(s.phrase, s.change, s.verb, s.measure), s.value, s.measure,
             s.qualifier) for s in find_statements(text)]


@pytest.mark.parametrize(("text", "expected"), [
    # national wording (government work reports of the State Council)
    ("国内生产总值增长5%左右;", [("GDP增长", "5", "%", "左右")]),
    ("城镇调查失业率5.5%左右,", [("城镇调查失业率", "5.5", "%", "左右")]),
    ("城镇新增就业1200万人以上;", [("城镇新增就业", "1200", "万人", "以上")]),
    ("居民消费价格涨幅2%左右;", [("居民消费价格涨幅", "2", "%", "左右")]),
    ("粮食产量1.3万亿斤以上;", [("粮食产量", "1.3", "万亿斤", "以上")]),
    ("单位国内生产总值能耗降低2.5%左右,", [("单位GDP能耗降低", "2.5", "%", "左右")]),
    ("单位国内生产总值能源消耗降低3%左右", [("单位GDP能耗降低", "3", "%", "左右")]),
    # provincial and city wording: the same indicators under their local names
    ("地区生产总值增长5.5%以上;", [("GDP增长", "5.5", "%", "以上")]),
    ("全市地区生产总值增长6%左右,", [("GDP增长", "6", "%", "左右")]),
    ("经济增长6%左右", [("GDP增长", "6", "%", "左右")]),
    ("城镇调查失业率控制在5.5%以内;", [("城镇调查失业率", "5.5", "%", "以内")]),
    ("城镇新增就业人数不少于23万人;", [("城镇新增就业", "23", "万人", "不少于")]),
    ("地方一般公共预算收入增长2%,", [("一般公共预算收入增长", "2", "%", "")]),
    ("全社会固定资产投资增长6.5%,", [("固定资产投资增长", "6.5", "%", "")]),
    ("居民消费价格指数控制在103左右;", [("居民消费价格指数", "103", "", "左右")]),
    ("全省生产总值增长6%左右", [("GDP增长", "6", "%", "左右")]),
    ("规上工业增加值增长7%", [("规模以上工业增加值增长", "7", "%", "")]),
    ("进出口总额增长3%左右;", [("外贸进出口总额增长", "3", "%", "左右")]),
    ("研发经费支出增长5%左右;", [("研发经费投入增长", "5", "%", "左右")]),
    ("全体居民人均可支配收入增长6%", [("居民人均可支配收入增长", "6", "%", "")]),
    ("PM2.5平均浓度控制在30微克/立方米以内", [("PM2.5浓度", "30", "微克/立方米", "以内")]),
    ("到2030年,全省地区生产总值达到8万亿元", [("GDP", "8", "万亿元", "")]),
    ("粮食产量保持在1.3万亿斤以上;", [("粮食产量", "1.3", "万亿斤", "以上")]),
    ("城镇新增就业1,200万人以上;", [("城镇新增就业", "1,200", "万人", "以上")]),
    ("赤字率拟按4%左右安排,", [("赤字率", "4", "%", "左右")]),
    ("拟安排超长期特别国债1.3万亿元,", [("安排超长期特别国债", "1.3", "万亿元", "")]),
    ("力争粮食产量达750亿斤以上。", [("粮食产量", "750", "亿斤", "以上")]),
    ("常住人口城镇化率达80.5%,", [("常住人口城镇化率", "80.5", "%", "")]),
    ("全社会研发经费投入增长10%。", [("研发经费投入增长", "10", "%", "")]),
    ("清洁能源消费占比提高1个百分点。", [("清洁能源消费占比提高", "1", "个百分点", "")]),
    ("新增装机规模约500万千瓦。", [("新增装机规模", "500", "万千瓦", "约")]),
    ("规模以上服务业企业达1.5万家。", [("规模以上服务业企业", "1.5", "万家", "")]),
    # lists read with 分别: each item completed with what the items share
    ("其中第一、第二、第三产业增加值分别增长2%、5.5%和6.5%;", [
        ("第一产业增加值增长", "2", "%", ""), ("第二产业增加值增长", "5.5", "%", ""),
        ("第三产业增加值增长", "6.5", "%", "")]),
    ("单位国内生产总值能源消耗和二氧化碳排放分别降低13.5%、18%", [
        ("单位GDP能耗降低", "13.5", "%", ""), ("单位GDP二氧化碳排放降低", "18", "%", "")]),
    ("航空旅客、货邮吞吐量分别增长5%、6%以上。", [
        ("航空旅客吞吐量增长", "5", "%", ""), ("货邮吞吐量增长", "6", "%", "以上")]),
    # several targets in one clause; a bare head takes the subject before it
    ("粮食播种面积保持在570万亩以上、产量稳定在230万吨以上。", [
        ("粮食播种面积", "570", "万亩", "以上"), ("粮食产量", "230", "万吨", "以上")]),
    ("新建高标准农田900万亩、改造提升650万亩。", [
        ("新建高标准农田", "900", "万亩", ""), ("改造提升高标准农田", "650", "万亩", "")]),
    # numbers that set no level: counts of things acted on, names, ordinals, years
    ("持续实施6个重大科技专项和重点研发计划,", []),
    ("力争2027年建成6个万亿级产业。", []),
    ("加快实施京东方第8.6代柔性显示生产线,", []),
    ("以降低PM2.5浓度为主线,", []),
    ("发展6G、量子科技等产业。", []),
    ("规划建设阿坝北1000千伏特高压输变电工程。", []),
    ("依法推动许可准入事项100%网上可办,", []),
    ("居民收入增长和经济增长基本同步;", []),
])
def test_targets_are_recognised_by_their_shape(text: str, expected: list[tuple[str, ...]]
                                               ) -> None:
    assert recognise(text) == expected


@pytest.mark.parametrize(("text", "year"), [
    ("到2030年,常住人口城镇化率提高到65%", "2030"),
    ("2027年底前,农村自来水普及率达到95%", "2027"),
    ("单位地区生产总值能耗比2020年下降13.5%", ""),  # a base of comparison, not the year
    ("地区生产总值增长5.5%以上", ""),
])
def test_a_stated_year_is_kept_and_a_base_year_is_not(text: str, year: str) -> None:
    (statement,) = find_statements(text)
    assert statement.year == year


@pytest.mark.parametrize(("measure", "unit", "factor"), [
    ("%", "%", 1.0),
    ("万人", "人", 1e4),
    ("万亿斤", "斤", 1e12),
    ("万吨", "斤", 2e7),
    ("万千瓦", "瓦", 1e7),
    ("个百分点", "百分点", 1.0),
    ("", "", 1.0),
])
def test_measures_split_into_unit_and_factor(measure: str, unit: str, factor: float) -> None:
    assert split_measure(measure) == (unit, pytest.approx(factor))


def target(value: str, measure: str = "%", qualifier: str = "") -> Target:
    return Target("d", "u", "GDP增长", "地区生产总值", value, measure, qualifier, "", TEXT, "")


@pytest.mark.parametrize(("before", "after", "change"), [
    (target("6", qualifier="左右"), target("5.5", qualifier="以上"), LOWERED),
    (target("5.5", qualifier="以上"), target("5.5", qualifier="左右"), UNCHANGED),
    (target("725", "亿斤"), target("3750", "万吨"), RAISED),  # 725亿斤 < 750亿斤
    (target("1.3", "万亿斤"), target("1.4", "万亿斤"), RAISED),
    (target("5", "%"), target("", "", "与GDP增长同步"), CHANGED),
    (target("", "", "稳中有升"), target("", "", "稳中有升"), UNCHANGED),
    (target("2至3", "个"), target("3", "个"), CHANGED),
])
def test_changes_compare_numbers_in_one_unit(before: Target, after: Target, change: str
                                             ) -> None:
    assert compare(before, after) == change


@pytest.mark.parametrize(("t", "shown"), [
    (target("5.5", qualifier="以上"), "5.5%以上"),
    (target("23", "万人", "不少于"), "不少于23万人"),
    (target("6", "百分点", "累计"), "累计6百分点"),
    (target("", "", "与GDP增长同步"), "与GDP增长同步"),
])
def test_a_target_reads_as_stated(t: Target, shown: str) -> None:
    assert stated(t) == shown


# --- inline documents through the whole pipeline ------------------------------------------

REPORT = """政府工作报告

一、2024年工作回顾

过去一年，国内生产总值增长6.1%，城镇新增就业1256万人。

二、2025年经济社会发展总体要求和政策取向

今年发展的主要预期目标是：国内生产总值增长5%左右；城镇调查失业率5.5%左右，城镇新增就业1200万人以上；居民收入增长和经济增长同步。

今年主要预期目标为：

——粮食产量1.4万亿斤左右；

——单位国内生产总值能耗降低3%左右。

三、2025年政府工作任务

2024年全国粮食产量1.4万亿斤。去年地区生产总值增长6.1%，今年要改造城镇老旧小区2.5万个以上。实施城市更新行动，改造城镇老旧小区2.5万个以上。
"""

PLAN = """第一章 主要目标

到2030年，常住人口城镇化率提高到65%。

专栏1 主要指标

类别\t指标\t2025年\t2030年\t年均/累计\t属性
经济发展\t1.地区生产总值(GDP)增长(%)\t5.5\t—\t5.5左右\t预期性
\t2.粮食综合生产能力(万吨)\t3662.5*\t3750\t—\t约束性
民生\t3.3岁以下婴幼儿入托率提高(百分点)\t—\t—\t[6]\t预期性
\t4.居民人均可支配收入增长(%)\t5.2\t—\t与GDP增长同步\t预期性
"""


def rows(targets: tuple[Target, ...]) -> list[tuple[str, ...]]:
    return [(t.indicator, t.value, t.measure, t.qualifier, t.year, t.kind) for t in targets]


def test_a_report_states_its_headline_targets_and_not_last_years_results(
        write_corpus: Callable[..., Path]) -> None:
    root = write_corpus([(entry(date="2025-03-05", level="national", genre="work-report"),
                          REPORT)])
    report = continuity.load_corpus(root).documents[0]
    assert rows(document_targets(report)) == [
        ("GDP增长", "5", "%", "左右", "", HEADLINE),
        ("城镇调查失业率", "5.5", "%", "左右", "", HEADLINE),
        ("城镇新增就业", "1200", "万人", "以上", "", HEADLINE),
        ("粮食产量", "1.4", "万亿斤", "左右", "", HEADLINE),      # list items after the cue
        ("单位GDP能耗降低", "3", "%", "左右", "", HEADLINE),
        ("改造城镇老旧小区", "2.5", "万个", "以上", "", TEXT),  # not the sentence with 去年
    ]
    # the review's 增长6.1%, 2024年's 1.4万亿斤 and 去年's 6.1% are results, not targets
    assert not [t for t in document_targets(report) if t.value in ("6.1", "1256")]


def test_headline_targets_on_lines_of_their_own(write_corpus: Callable[..., Path]) -> None:
    text = ("二、今年工作安排\n\n全年经济社会发展主要预期目标建议为：\n\n"
            "地区生产总值增长6%左右；\n\n城镇调查失业率控制在5.5%以内；\n\n"
            "粮食产量稳定在1270万吨以上。\n\n"
            "三、重点工作\n\n新建5G基站2万个。\n")
    root = write_corpus([(entry(date="2024-01-24", level="province"), text)])
    doc = continuity.load_corpus(root).documents[0]
    assert [(t.indicator, t.kind) for t in document_targets(doc)] == [
        ("GDP增长", HEADLINE), ("城镇调查失业率", HEADLINE), ("粮食产量", HEADLINE),
        ("新建5G基站", TEXT)]


def test_a_plans_indicator_table_gives_baselines_and_targets(
        write_corpus: Callable[..., Path]) -> None:
    root = write_corpus([(entry(id="plan", date="2026-02-07", genre="five-year-plan",
                                level="province"), PLAN)])
    plan = continuity.load_corpus(root).documents[0]
    assert rows(document_targets(plan)) == [
        ("常住人口城镇化率", "65", "%", "", "2030", HEADLINE),
        ("GDP增长", "5.5", "%", "", "2025", BASELINE),
        ("GDP增长", "5.5", "%", "左右", "", TABLE),
        ("粮食综合生产能力", "3662.5", "万吨", "", "2025", BASELINE),  # 3662.5*: a note mark
        ("粮食综合生产能力", "3750", "万吨", "", "2030", TABLE),
        ("3岁以下婴幼儿入托率提高", "6", "百分点", "累计", "", TABLE),   # [6]: five years
        ("居民人均可支配收入增长", "5.2", "%", "", "2025", BASELINE),
        ("居民人均可支配收入增长", "", "", "与GDP增长同步", "", TABLE),  # a target in words
    ]


def test_a_corpus_may_name_its_own_indicators(write_corpus: Callable[..., Path]) -> None:
    root = write_corpus([(entry(), "今年主要预期目标是：地区生产总值增长6%左右，"
                                   "新增城市绿道500公里。\n")])
    (root / "indicators.toml").write_text(
        '[terms]\n"绿道" = ["城市绿道"]\n\n'
        '[[indicator]]\nname = "经济增速"\npatterns = [\'GDP增长\']\n', encoding="utf-8")
    corpus = continuity.load_corpus(root)
    assert [t.indicator for t in corpus_targets(corpus)] == ["经济增速", "新增绿道"]
    (root / "indicators.toml").write_text('[[indicator]]\nname = "x"\n', encoding="utf-8")
    with pytest.raises(ManifestError, match="indicators.toml"):
        read_rules(root)


# --- the bundled corpus, checked by hand against the documents ------------------------------

#: Every clause of the 2025 report's 发展预期目标, read by hand: what it sets.
REPORT_2025 = [
    ("GDP增长", "5.5", "%", "以上", "", HEADLINE),            # 地区生产总值增长5.5%以上
    ("城镇新增就业", "85", "万人", "", "", HEADLINE),          # 城镇新增就业85万人
    ("城镇调查失业率", "5.5", "%", "左右", "", HEADLINE),      # 城镇调查失业率5.5%左右
    ("居民消费价格涨幅", "2", "%", "左右", "", HEADLINE),      # 居民消费价格涨幅2%左右
    ("一般公共预算收入增长", "2", "%", "", "", HEADLINE),      # 地方一般公共预算收入增长2%
    # 居民收入增长和经济增长基本同步: no number
    ("粮食产量", "725", "亿斤", "以上", "", HEADLINE),         # 粮食产量725亿斤以上
    # 完成国家下达的节能减排和环境保护等任务: no number
]

#: Chengdu 2024: 今年全市经济社会发展的主要预期目标是: …, clause by clause.
CHENGDU_2024 = [
    ("GDP增长", "6", "%", "左右", "", HEADLINE),               # 地区生产总值增长6%左右
    ("第一产业增加值增长", "2", "%", "", "", HEADLINE),        # 其中第一、第二、第三产业
    ("第二产业增加值增长", "5.5", "%", "", "", HEADLINE),      # 增加值分别增长2%、5.5%
    ("第三产业增加值增长", "6.5", "%", "", "", HEADLINE),      # 和6.5%
    ("固定资产投资增长", "6.5", "%", "", "", HEADLINE),        # 全社会固定资产投资增长6.5%
    ("社会消费品零售总额增长", "7", "%", "", "", HEADLINE),    # 社会消费品零售总额增长7%
    ("外贸进出口总额增长", "4.5", "%", "", "", HEADLINE),      # 外贸进出口总额增长4.5%
    ("常住人口城镇化率", "80.5", "%", "", "", HEADLINE),       # 常住人口城镇化率达80.5%
    ("城镇调查失业率", "5.5", "%", "左右", "", HEADLINE),      # 城镇调查失业率控制在5.5%左右
    ("一般公共预算收入增长", "5.5", "%", "", "", HEADLINE),    # 地方一般公共预算收入增长5.5%
    # 居民收入稳步增长、城乡收入差距进一步缩小: no number
    ("居民消费价格指数", "103", "", "左右", "", HEADLINE),     # 居民消费价格指数控制在103左右
    ("空气质量优良天数", "300", "天", "以上", "", HEADLINE),   # 力争空气质量优良天数300天以上
    # 做好第五次全国经济普查: no target
]

#: The plan's 专栏1, row by row: the 2025 value (a baseline; * and ** mark estimates and
#: 2024 figures in the table's notes) and the 2030 or 年均/累计 target ("—": none).
PLAN_TABLE = [
    ("GDP增长", "5.5", "%", "", "2025", BASELINE),
    ("GDP增长", "5.5", "%", "左右", "", TABLE),
    ("全员劳动生产率增长", "5.9", "%", "", "2025", BASELINE),
    ("全员劳动生产率增长", "", "", "高于GDP增长", "", TABLE),
    ("常住人口城镇化率", "61", "%", "", "2025", BASELINE),
    ("常住人口城镇化率", "", "", "提升幅度高于全国", "", TABLE),
    ("工业增加值占GDP比重", "27.3", "%", "", "2025", BASELINE),
    ("工业增加值占GDP比重", "", "", "稳中有升", "", TABLE),
    ("战略性新兴产业产值占规模以上工业产值比重", "", "", "稳中有升", "", TABLE),
    ("研发经费投入增长", "10", "%", "", "2025", BASELINE),
    ("研发经费投入增长", "8", "%", "", "", TABLE),
    ("每万人口高价值发明专利拥有量", "9.3", "件", "", "2025", BASELINE),
    ("每万人口高价值发明专利拥有量", "16", "件", "", "2030", TABLE),
    ("技术市场合同成交额与GDP之比", "4.4", "%", "", "2025", BASELINE),
    ("技术市场合同成交额与GDP之比", "7", "%", "", "2030", TABLE),
    ("数字经济核心产业增加值占GDP比重", "8.8", "%", "", "2025", BASELINE),
    ("数字经济核心产业增加值占GDP比重", "11", "%", "", "2030", TABLE),
    ("城镇调查失业率", "5.3", "%", "", "2025", BASELINE),
    ("城镇调查失业率", "5.5", "%", "左右", "", TABLE),
    ("居民人均可支配收入增长", "5.2", "%", "", "2025", BASELINE),
    ("居民人均可支配收入增长", "", "", "与GDP增长同步", "", TABLE),
    ("劳动年龄人口平均受教育年限", "10.66", "年", "", "2025", BASELINE),
    ("劳动年龄人口平均受教育年限", "11.18", "年", "", "2030", TABLE),
    ("每千人口执业医师数", "3.04", "人", "", "2025", BASELINE),
    ("每千人口执业医师数", "3.7", "人", "", "2030", TABLE),
    ("每千人口注册护士数", "4.19", "人", "", "2025", BASELINE),
    ("每千人口注册护士数", "5.1", "人", "", "2030", TABLE),
    ("养老机构护理型床位占比", "68", "%", "", "2025", BASELINE),
    ("养老机构护理型床位占比", "75", "%", "", "2030", TABLE),
    ("3岁以下婴幼儿入托率提高", "6", "百分点", "累计", "", TABLE),
    ("人均预期寿命", "79", "岁", "", "2025", BASELINE),
    ("人均预期寿命", "80", "岁", "左右", "2030", TABLE),
    ("单位GDP二氧化碳排放降低", "", "", "完成经国家审核衔接后确定的目标", "2030", TABLE),
    ("非化石能源占能源消费总量比重", "", "", "完成经国家审核衔接后确定的目标", "2030", TABLE),
    ("PM2.5浓度", "28.5", "微克/立方米", "", "2025", BASELINE),
    ("PM2.5浓度", "", "", "完成国家下达目标任务", "2030", TABLE),
    ("优良水体比例", "100", "%", "", "2025", BASELINE),
    ("优良水体比例", "", "", "完成国家下达目标任务", "2030", TABLE),
    ("森林覆盖率", "", "", "完成国家耕林园“一张图”建设衔接确定的目标", "2030", TABLE),
    ("粮食综合生产能力", "3662.5", "万吨", "", "2025", BASELINE),
    ("粮食综合生产能力", "3750", "万吨", "", "2030", TABLE),
    ("能源综合生产能力", "2.57", "亿吨标准煤", "", "2025", BASELINE),
    ("能源综合生产能力", "2.9", "亿吨标准煤", "", "2030", TABLE),
]


@pytest.fixture(scope="module")
def bundled(corpus: Corpus) -> tuple[Target, ...]:
    return corpus_targets(corpus)


def of(targets: tuple[Target, ...], doc_id: str, *kinds: str) -> list[tuple[str, ...]]:
    return rows(tuple(t for t in targets if t.doc_id == doc_id and t.kind in kinds))


def test_the_2025_reports_expected_targets(bundled: tuple[Target, ...]) -> None:
    assert of(bundled, "2025-report", HEADLINE) == REPORT_2025


def test_chengdus_expected_targets(bundled: tuple[Target, ...]) -> None:
    assert of(bundled, "2024-chengdu", HEADLINE) == CHENGDU_2024


def test_the_plans_indicator_table(bundled: tuple[Target, ...]) -> None:
    assert of(bundled, "15th-plan", TABLE, BASELINE) == PLAN_TABLE
    assert of(bundled, "15th-plan", HEADLINE) == []  # 主要目标 states no number


def test_targets_in_the_text_of_the_bundled_documents(bundled: tuple[Target, ...]) -> None:
    text = {(t.doc_id, t.indicator): t for t in bundled if t.kind == TEXT}
    grain = text["15th-plan", "粮食产量"]  # 力争粮食产量达750亿斤以上
    assert (grain.value, grain.measure, grain.qualifier) == ("750", "亿斤", "以上")
    assert text["2024-chengdu", "研发经费投入增长"].value == "10"  # 带动全社会研发经费投入增长10%
    assert text["2025-report", "生猪出栏"].value == "6000"  # 确保全省生猪出栏稳定在6000万头以上
    assert ("2025-report", "建成万亿级产业") not in text  # 力争2027年建成6个万亿级产业
    assert not [t for t in bundled if t.doc_id.endswith("decision")]  # decisions set none


def test_no_target_comes_from_a_review(corpus: Corpus, bundled: tuple[Target, ...]) -> None:
    clauses = {c.id: c for d in corpus.documents for c in d.clauses}
    assert {clauses[t.unit].function for t in bundled} <= {"action", "target", "principle"}
    assert not [t for t in bundled if clauses[t.unit].kind == "review"]
    chengdu = corpus.document("2024-chengdu")
    review = [c for c in chengdu.clauses if c.kind == "review" and "增长" in c.text
              and "%" in c.text]
    assert review  # the 2023 review states growth rates; none of them is a target
    assert not {c.id for c in review} & {t.unit for t in bundled}


def test_one_indicator_one_name_across_documents_and_levels(bundled: tuple[Target, ...]
                                                            ) -> None:
    gdp = {(t.doc_id, t.phrase) for t in bundled if t.indicator == "GDP增长"}
    assert gdp == {("2024-chengdu", "地区生产总值"), ("2025-report", "地区生产总值"),
                   ("15th-plan", "地区生产总值(GDP)")}
    national = recognise("国内生产总值增长5%左右")[0][0]
    assert national == "GDP增长"


def test_align_exports_the_targets(analysis: Analysis, bundled: tuple[Target, ...]) -> None:
    header, *lines = export_files(analysis)["targets.csv"].splitlines()
    assert header == "doc,unit,indicator,value,measure,qualifier,year,text,kind,phrase"
    rows = list(dict(iter_tables(analysis))["targets.csv"])
    assert len(rows) == len(bundled) and len(lines) >= len(rows)
    assert rows[0][:7] == ("2024-chengdu", rows[0][1], "GDP增长", "6", "%", "左右", "")
    assert {r[8] for r in rows} == {HEADLINE, TABLE, BASELINE, TEXT}

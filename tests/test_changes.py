"""Kinds of change between two wordings (continuity/analysis/changes.py)."""

from __future__ import annotations

import tomllib
from importlib import resources

import pytest
from hypothesis import given
from hypothesis import strategies as st

from continuity.analysis.changes import (
    DIRECTIONS,
    KINDS,
    Change,
    Redlines,
    changes,
    codes,
    default_strength,
    parse_strength,
    redline,
    reverse,
)
from continuity.analysis.compare import compare_documents
from continuity.records import DELETE, EQUAL, INSERT, NEW_NUMBERING, OLD_NUMBERING
from continuity.text.diffing import word_diff
from continuity.text.normalize import normalize, wording
from continuity.text.segment import segment
from continuity.text.terms import data_lines


def kinds(a: str, b: str) -> str:
    return codes(changes(segment(normalize(a)), segment(normalize(b))))


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        # number: compared with its measure where the two are comparable
        ("城镇调查失业率5.5%左右", "城镇调查失业率5%左右", "number:lowered"),
        ("粮食产量稳定在1.3万亿斤以上", "粮食产量稳定在1.4万亿斤以上", "number:raised"),
        ("完成投资5亿元", "完成投资5万元", "number:lowered"),  # the measure's scale counts
        ("完成投资100亿元", "完成投资100万吨", "number:changed"),  # not comparable
        ("2025年建成", "2027年建成", "number:changed"),  # a year is not more or less
        ("建设高标准农田", "建设高标准农田500万亩", "number:added"),
        ("持续实施6个重大科技专项", "持续实施重大科技专项", "number:dropped"),
        # verb: strengthened or weakened where the scale ranks both
        ("推进数字经济发展", "加快数字经济发展", "verb:strengthened"),
        ("推进数字经济发展", "加快推进数字经济发展", "verb:strengthened"),
        ("加快建成农业强省", "加快建设农业强省", "verb:weakened"),
        ("建设世界级产业集群", "打造世界级产业集群", "verb:changed"),
        ("数字经济", "发展数字经济", "verb:added"),
        ("加快共建西部金融中心", "共建西部金融中心", "verb:weakened"),
        # 坚持 → 贯彻: no rank; 深入 is an adverb (how deeply), added
        ("坚持总体国家安全观", "深入贯彻总体国家安全观", "verb:changed;qualifier:strengthened"),
        ("保护利用文物", "利用文物", "verb:dropped"),
        # qualifier: softeners and hardeners, ranked adverbs, plain qualifiers
        ("实施制造强省战略", "大力实施制造强省战略", "qualifier:strengthened"),
        ("力争实现地区生产总值增长6%", "确保实现地区生产总值增长6%", "qualifier:strengthened"),
        ("地区生产总值增长6%左右", "地区生产总值增长6%以上", "qualifier:strengthened"),
        ("基本建成农业强省", "建成农业强省", "qualifier:strengthened"),
        ("确保粮食安全", "力争粮食安全", "qualifier:weakened"),
        ("全面推进乡村振兴", "推进乡村振兴", "qualifier:weakened"),
        ("推动发展", "推动高质量发展", "qualifier:added"),
        ("打造更高水平天府粮仓", "打造天府粮仓", "qualifier:dropped"),
        # 有效 says how well it is done (有效降低 → 降低), not what is lowered
        ("有效降低全社会物流成本", "降低全社会物流成本", "qualifier:dropped"),
        ("推动高质量发展", "推动高水平发展", "qualifier:changed"),
        ("扎实推进乡村振兴", "纵深推进乡村振兴", "qualifier:changed"),  # the same rank
        # one ranked word for another, a verb on one side and an adverb on the other: one
        # change on the one scale, not a verb and a qualifier pulling opposite ways
        ("大力推进乡村振兴", "加快推进乡村振兴", "qualifier:changed"),  # the same rank
        ("深入推进乡村振兴", "持续推进乡村振兴", "qualifier:weakened"),
        ("持续推进乡村振兴", "深入推进乡村振兴", "qualifier:strengthened"),
        ("研究建立长效机制", "积极建立长效机制", "qualifier:strengthened"),
        ("深入推进城市更新", "持续推进农村改革", "qualifier:weakened;object:changed"),
        # object or scope
        ("在全省推广", "在成都推广", "object:changed"),
        ("建设国家级创新平台", "建设省级创新平台", "object:changed"),
        ("建设创新平台", "建设创新平台和文化地标", "object:added"),
        ("实施五年行动", "实施行动", "object:dropped"),
        # order
        ("推进扫黑除恶常态化", "常态化推进扫黑除恶", "order"),
        # several at once, in the order of KINDS
        ("推进城乡融合，城镇化率达到5.5%", "加快城乡融合，城镇化率达到5%",
         "number:lowered;verb:strengthened"),
    ],
)
def test_kind_and_direction_of_a_change(a: str, b: str, expected: str) -> None:
    assert kinds(a, b) == expected


def test_a_renamed_programme_is_an_object_change_that_keeps_what_stayed() -> None:
    found = changes(segment("实施创新驱动发展倍增计划"), segment("实施创新驱动发展科技倍增行动"))
    assert [c.code for c in found] == ["object:changed", "object:added"]
    assert (found[0].before, found[0].after, found[1].after) == (("计划",), ("行动",), ("科技",))


def test_a_verb_of_improving_added_is_a_verb_change() -> None:
    # 提质 (improve the quality of) says what is done to the programme (data/action_verbs.txt)
    found = changes(segment("实施创新驱动发展倍增计划"), segment("实施创新驱动发展提质倍增行动"))
    assert [(c.code, c.after) for c in found] == [("verb:added", ("提质",)),
                                                  ("object:changed", ("行动",))]


def test_no_change_without_a_changed_word() -> None:
    assert changes(segment("加快建设农业强省"), segment("加快建设农业强省")) == ()
    assert kinds("加快建设农业强省。", "加快建设农业强省，") == ""  # punctuation only
    assert kinds("（三）加快建设农业强省", "加快建设农业强省") == ""  # leading numbering only
    assert changes((), ()) == ()


def test_joining_words_alone_rephrase_the_object() -> None:
    assert kinds("办好人民满意的教育。", "办好人民满意教育。") == "object:dropped"
    assert kinds("推进新兴产业和未来产业", "推进新兴产业与未来产业") == "object:changed"


def test_leading_numbering_is_not_a_number_change() -> None:
    assert kinds("10.城镇调查失业率5.5%", "城镇调查失业率5%") == "number:lowered"


@pytest.mark.parametrize(("a", "b"), [
    ("城镇调查失业率5.5%左右", "城镇调查失业率5%左右"),
    ("实施特色优势产业倍增计划。", "深入实施六大优势产业提质倍增行动。"),
    ("扩大有效投资", "扩大有效投资"),
    ("", "加快建设"),
])
def test_a_redline_is_the_word_diff_and_its_changes(a: str, b: str) -> None:
    """One redline holds what a page shows: the word diff's spans and the changes read
    from the same diff, as `word_diff` and `changes` give them apart."""
    ta, tb = segment(normalize(a)), segment(normalize(b))
    line = redline(ta, tb)
    assert line.spans == word_diff(ta, tb)
    assert line.changes == changes(ta, tb)


_PLAN = ("加快", "建设", "农业", "强省")


@pytest.mark.parametrize(("a", "b", "spans"), [
    (_PLAN, ("第一节", *_PLAN), [(NEW_NUMBERING, "第一节"), (EQUAL, "加快建设农业强省")]),
    (("第一节", *_PLAN), _PLAN, [(OLD_NUMBERING, "第一节"), (EQUAL, "加快建设农业强省")]),
    (("(", "三", ")", *_PLAN), ("第三", "节", *_PLAN),  # two ways of numbering one heading
     [(OLD_NUMBERING, "(三)"), (NEW_NUMBERING, "第三节"), (EQUAL, "加快建设农业强省")]),
    (("1", ".", "加快", "建设"), ("第三十一章", "积极", "建设"),  # a change after it is one
     [(OLD_NUMBERING, "1."), (NEW_NUMBERING, "第三十一章"), (DELETE, "加快"), (INSERT, "积极"),
      (EQUAL, "建设")]),
    (("第一节", *_PLAN), ("第一节", *_PLAN), [(EQUAL, "第一节加快建设农业强省")]),
    (("第一", "节", "加快"), ("第一", "章", "加快"),  # a number partly kept: the rest neutral
     [(EQUAL, "第一"), (OLD_NUMBERING, "节"), (NEW_NUMBERING, "章"), (EQUAL, "加快")]),
    (("加快", "建设"), ("第一", "建设"),  # 第一 alone numbers nothing
     [(DELETE, "加快"), (INSERT, "第一"), (EQUAL, "建设")]),
])
def test_a_redline_shows_a_headings_own_numbering_as_no_change(a, b, spans) -> None:
    """`same` ignores a heading's leading numbering (`normalize.wording`), and so does its
    redline: the number is shown as it is, neither deleted nor inserted, and is no change."""
    line = redline(a, b)
    assert [(s.op, s.text) for s in line.spans] == spans
    assert line.changes == changes(a, b)
    if a[-len(_PLAN):] == b[-len(_PLAN):] == _PLAN:
        assert wording("".join(a)) == wording("".join(b)) and line.changes == ()


def test_redlines_come_back_from_a_worker_as_they_were_sent() -> None:
    """A batch of redlines pickles as plain values and comes back equal, records and all."""
    import pickle

    lines = tuple(redline(segment(normalize(a)), segment(normalize(b))) for a, b in [
        ("城镇调查失业率5.5%左右", "城镇调查失业率5%左右"), ("扩大有效投资", "扩大有效投资"),
        ("大力推进", "加快推进高质量发展"), ("", "")])
    back = pickle.loads(pickle.dumps(Redlines(lines)))
    assert back == Redlines(lines)
    assert all(isinstance(c, Change) for line in back.lines for c in line.changes)
    assert back.lines[0].changes and back.lines[2].changes


def test_labels_say_the_change_in_words() -> None:
    lowered = Change("number", "lowered", ("5.5%",), ("5%",))
    assert (lowered.code, lowered.label, lowered.detail) == (
        "number:lowered", "number lowered", "5.5% → 5%")
    assert Change("qualifier", "added", (), ("高质量",)).detail == "+高质量"
    assert Change("object", "dropped", ("五年",)).detail == "−五年"
    moved = Change("order", "", ("常态化",), ("常态化",))
    assert (moved.code, moved.label, moved.detail) == ("order", "word order changed", "常态化")
    assert codes([lowered, moved]) == "number:lowered;order"


def test_changes_read_backwards_are_reversed() -> None:
    a = segment("推进城乡融合，城镇化率达到5.5%左右")
    b = segment("加快城乡融合，城镇化率达到5%以上")
    assert codes(changes(a, b)) == "number:lowered;verb:strengthened;qualifier:strengthened"
    assert codes(reverse(changes(a, b))) == codes(changes(b, a)) == (
        "number:raised;verb:weakened;qualifier:weakened")
    back = reverse(changes(a, b))
    assert back[0].before == ("5%",) and back[0].after == ("5.5%",)


def test_every_change_has_a_known_kind_and_direction() -> None:
    found = changes(segment("持续实施6个重大科技专项，推进扫黑除恶常态化"),
                    segment("布局实施一批重大科技专项，常态化推进扫黑除恶"))
    assert found
    for c in found:
        assert c.kind in KINDS and c.direction in DIRECTIONS
        assert c.before or c.after


_WORDS = st.lists(st.sampled_from([
    "推进", "加快", "大力", "力争", "确保", "5.5%", "5%", "1.3", "万亿斤", "以上", "左右",
    "（一）", "第四节", "和", "的", "，", "。", "天府粮仓", "全省", "成都", "大力发展", "建成",
    "建设", "2025", "年",
]), max_size=14)


@given(_WORDS, _WORDS)
def test_changes_of_any_two_wordings_are_well_formed(a: list[str], b: list[str]) -> None:
    found = changes(a, b)
    assert all(c.kind in KINDS and c.direction in DIRECTIONS and (c.before or c.after)
               for c in found)
    assert len({(c.kind, c.direction) for c in found}) == len(found)
    assert reverse(reverse(found)) == found
    if "".join(a) == "".join(b):
        assert found == ()


# the strength scale is a data file researchers edit


def test_the_scale_puts_every_word_in_one_place() -> None:
    text = resources.files("continuity").joinpath("data", "strength.toml").read_text("utf-8")
    data = tomllib.loads(text)
    places = [*data["softeners"], *data["hardeners"], *data["qualifiers"]]
    for level in data["level"]:
        assert level["name"] and (level["verbs"] or level["adverbs"])
        places += [*level["verbs"], *level["adverbs"]]
    assert len(places) == len(set(places))


def test_the_shipped_scale_reuses_the_verb_and_frame_word_lists() -> None:
    scale = default_strength()
    assert scale.levels == ("explore", "advance", "accelerate", "complete")
    assert scale.rank["研究"] < scale.rank["推进"] < scale.rank["加快"] < scale.rank["全面"]
    assert scale.rank["大力"] == scale.rank["加快"]
    assert {"保护", "利用", "举办"} <= scale.verbs  # verbs of undertaking, unranked
    assert {"和", "的", "等"} <= scale.joining and not {"和", "的"} & scale.verbs
    assert set(data_lines("frame_words.txt")) - scale.verbs <= scale.qualifiers
    assert {"力争", "左右"} <= scale.softeners and {"确保", "以上"} <= scale.hardeners


def test_an_edited_scale_changes_the_direction() -> None:
    scale = default_strength()
    a, b = segment("推进数字经济发展"), segment("加快数字经济发展")
    assert codes(changes(a, b, scale)) == "verb:strengthened"
    text = """
softeners = ["力争"]
hardeners = []
qualifiers = []
[[level]]
name = "fast"
verbs = ["加快"]
adverbs = []
[[level]]
name = "steady"
verbs = ["推进"]
adverbs = []
"""
    verbs = resources.files("continuity").joinpath("data", "action_verbs.txt").read_text("utf-8")
    edited = parse_strength(text, verbs)
    assert codes(changes(a, b, edited)) == "verb:weakened"
    assert edited.levels == ("fast", "steady")


def test_compounds_are_read_as_their_listed_words() -> None:
    scale = default_strength()
    assert scale.parts("大力发展") == (("大力", "qualifier"), ("发展", "verb"))
    assert scale.parts("全面落实") == (("全面", "qualifier"), ("落实", "verb"))
    assert scale.parts("天府粮仓") == (("天府粮仓", "object"),)
    assert scale.parts("5.5%") == (("5.5%", "number"),)
    assert scale.parts("，") == (("，", "minor"),)


# the real corpus


def test_every_reworded_counterpart_on_a_pair_page_says_how(analysis) -> None:
    rows, _ = compare_documents(analysis, "2025-report", "15th-plan")
    reworded = [r for r in rows if r.relation == "reworded"]
    assert len(reworded) > 300
    for row in reworded:
        assert row.changes, row.clause.text
        assert all(c.kind in KINDS for c in row.changes)
    assert all(r.changes == () for r in rows if r.relation != "reworded")
    seen = {c.kind for r in reworded for c in r.changes}
    assert seen == set(KINDS)


def test_pair_pages_show_the_kinds_as_labels_in_words(analysis) -> None:
    from continuity.output.report.render import Site, environment, render_pair

    env = environment(lang="en")  # the English labels; the Chinese are tested in test_report
    env.globals.update(Site(analysis, lang="en").globals())
    html = render_pair(env, analysis, "2024-decision", "2025-report")
    rows, _ = compare_documents(analysis, "2024-decision", "2025-report")
    labels = [c.label for r in rows for c in r.changes]
    assert labels
    assert html.count('<span class="change change-') == len(labels)
    assert "verb strengthened" in html and "object changed" in html


def test_change_labels_are_escaped_text_with_the_words_as_title() -> None:
    from continuity.output.report.render import change_labels

    html = str(change_labels((Change("number", "lowered", ("5.5%",), ("5%",)),
                              Change("object", "added", (), ("<b>成都</b>",)))))
    assert html == ('<span class="change change-number change-lowered" title="5.5% → 5%">'
                    'number lowered</span> <span class="change change-object change-added" '
                    'title="+&lt;b&gt;成都&lt;/b&gt;">object added</span>')


def test_continuity_diff_prints_the_changes_in_words(analysis) -> None:
    from continuity.analysis.counts import pair_counts
    from continuity.views.console import change_text, diff_text

    rows, unmatched = compare_documents(analysis, "2024-decision", "2025-report")
    text = diff_text(rows, unmatched, "2024-decision", "2025-report",
                     pair_counts(analysis, "2024-decision", "2025-report"))
    reworded = [r for r in rows if r.relation == "reworded"]
    assert text.count("\n    changes: ") == len(reworded)
    assert change_text(reworded[0].changes) in text
    assert change_text([Change("number", "lowered", ("5.5%",), ("5%",)),
                        Change("object", "dropped", ("五年",))]) == (
        "number lowered (5.5% → 5%); object dropped (−五年)")


def test_alignments_csv_says_how_each_reworded_counterpart_changed(analysis) -> None:
    from continuity.output.export import COLUMNS, alignment_rows

    columns = COLUMNS["alignments.csv"]
    rows = [dict(zip(columns, row, strict=True)) for row in alignment_rows(analysis.result)]
    by_pair = {(r["source_unit"], r["target_unit"]): r["changes"] for r in rows}
    clauses = {c.id: c for c in analysis.result.clauses}
    known = {c for kind in KINDS for c in (kind, *(f"{kind}:{d}" for d in DIRECTIONS if d))}
    reworded = [r for r in rows if r["relation"] == "reworded"]
    assert len(reworded) > 5000
    for row in reworded:
        assert row["changes"] and set(row["changes"].split(";")) <= known
        # the other direction is the same changes reversed
        back = by_pair.get((row["target_unit"], row["source_unit"]))
        if back is not None:  # read once, from the clause that comes first in the corpus
            first, second = sorted((row["source_unit"], row["target_unit"]),
                                   key=analysis.result.row)
            read = changes(clauses[first].tokens, clauses[second].tokens)
            pair = (codes(read), codes(reverse(read)))
            assert (row["changes"], back) == (pair if first == row["source_unit"] else pair[::-1])
    assert all(r["changes"] == "" for r in rows if r["relation"] != "reworded")
    # the pair pages' rank-1 rows carry the same changes as the export
    page_rows, _ = compare_documents(analysis, "2025-report", "15th-plan")
    for r in page_rows:
        if r.relation == "reworded":
            assert by_pair[(r.clause.id, r.counterpart.id)] == codes(r.changes)


def test_new_era_is_a_qualifier_not_an_object() -> None:
    # jieba alone cuts 新时代 into 新 / 时代, two "objects"; the domain dictionary keeps it
    # whole, and the scale lists it among the qualifiers
    found = changes(segment("打造更高水平“天府粮仓”成都片区。"),
                    segment("建设新时代更高水平“天府粮仓”。"))
    assert [(c.code, c.after) for c in found if c.after == ("新时代",)] == [
        ("qualifier:added", ("新时代",))]


@pytest.mark.parametrize(("a", "b"), [
    ("学校心理健康教师配备率达到90%", "学校心理健康教师配备率不低于90%"),
    ("投资增长5%", "投资增长不超过5%")])
def test_a_hardener_added_strengthens(a: str, b: str) -> None:
    # 不低于 / 不超过 are hardeners (strength.toml); jieba alone cut them into 不 / 低于
    assert "qualifier:strengthened" in [c.code for c in changes(segment(a), segment(b))]


def test_every_word_of_the_scale_is_one_word_to_the_segmenter() -> None:
    # a word the segmenter cuts (新时代 → 新 / 时代) is never read as what the scale says
    scale = tomllib.loads(resources.files("continuity").joinpath(
        "data", "strength.toml").read_text("utf-8"))
    words = [*scale["softeners"], *scale["hardeners"], *scale["qualifiers"],
             *(w for level in scale["level"] for w in (*level["verbs"], *level["adverbs"]))]
    assert [w for w in words if segment(w) != (w,)] == []

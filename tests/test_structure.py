"""Section tree, headings, indicator tables and glossary (continuity/corpus/structure/)."""

from __future__ import annotations

import re

import pytest
from helpers import BUNDLED_IDS, children, entry, section_at, source
from hypothesis import given
from hypothesis import strategies as st

from continuity.analysis.run import analyse
from continuity.corpus.clean import clean
from continuity.corpus.structure import (
    build_outline,
    cn_to_int,
    default_kind_rules,
    lead_sentence,
    numbered_heading,
    parse_glossary,
    parse_kind_rules,
    parse_tables,
    section_id,
    structure_warning,
)
from continuity.corpus.structure.headings import is_bare_heading
from continuity.errors import ContinuityError
from continuity.text.normalize import visible
from continuity.views import console

CN = "一二三四五六七八九十"


def cn_labels(n: int) -> list[str]:
    """一 … n in Chinese numerals (n ≤ 39), as section labels use them."""
    out = []
    for i in range(1, n + 1):
        tens, ones = divmod(i, 10)
        out.append(("" if tens < 2 else CN[tens - 1]) + ("十" if tens else "")
                   + (CN[ones - 1] if ones else ""))
    return out


def outline_of(text: str, title: str = "测试文件"):
    cleaned = clean(source(text))
    return cleaned, build_outline(cleaned, title)


def paths(outline) -> list[str]:
    return [s.path_text for s in outline.sections]


# --------------------------------------------------------------------------- headings


@pytest.mark.parametrize(
    ("text", "number"),
    [("一", 1), ("十", 10), ("十二", 12), ("二十", 20), ("三十", 30), ("六十四", 64),
     ("一百零三", 103), ("两", 2), ("〇", 0), ("", None), ("廿", None), ("十a", None)],
)
def test_cn_to_int(text: str, number: int | None) -> None:
    assert cn_to_int(text) == number


def test_cn_labels_helper_matches_cn_to_int() -> None:
    assert [cn_to_int(x) for x in cn_labels(39)] == list(range(1, 40))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("第一篇 奋力开创四川现代化建设新局面",
         ("pian", "第一篇", 1, "奋力开创四川现代化建设新局面", True)),
        ("第六十四章 完善规划实施机制", ("zhang", "第六十四章", 64, "完善规划实施机制", True)),
        ("第三节 发展成就", ("jie", "第三节", 3, "发展成就", True)),
        ("专栏 3 六大优势产业巩固提升", ("box", "专栏3", 3, "六大优势产业巩固提升", True)),
        ("一、总体要求", ("cn-number", "一", 1, "总体要求", True)),
        ("十、公共服务", ("cn-number", "十", 10, "公共服务", True)),
        ("（三十）深入推进正风肃纪反腐。坚持严的基调。",
         ("paren-number", "(三十)", 30, "深入推进正风肃纪反腐", False)),
        ("(一)全方位扩大内需,稳住经济大盘",
         ("paren-number", "(一)", 1, "全方位扩大内需,稳住经济大盘", True)),
        ("1.公交出行优化。新开公交线路。", ("item", "1", 1, "公交出行优化", False)),
        ("12、税费优惠支持", ("item", "12", 12, "税费优惠支持", True)),
        ("1.三个牢牢把握：指牢牢把握新时代新征程党的中心任务。",
         ("item", "1", 1, "三个牢牢把握", False)),
        ("——实施人工智能重大科技专项。加强基础研究。",
         ("bullet", "——", None, "实施人工智能重大科技专项", False)),
        ("——我们砥砺攻坚、接续奋斗,高质量发展成效明显。",
         ("bullet", "——", None, "我们砥砺攻坚、接续奋斗,高质量发展成效明显", True)),
        # not headings
        ("2025年地区生产总值增长6%左右。", None),
        ("3.5%的增长目标。", None),
        ("15.3岁以下婴幼儿入托率提高(百分点)", None),
        ("一是加快发展。", None),
        ("经济发展\t1.地区生产总值(GDP)增长(%)\t5.5", None),
        ("第几章 说明", None),
        ("（注）说明", None),
        ("—单破折号不是条目", None),
    ],
)
def test_numbered_heading(text: str, expected) -> None:
    match = numbered_heading(text)
    if expected is None:
        assert match is None
    else:
        assert match is not None
        assert (match.style, match.marker, match.number, match.title, match.standalone) == expected
        if not match.standalone:  # a run-in title stops just past its end mark
            assert text[match.title_end - 1] in "。：:"
        else:
            assert match.title_end == len(text)


#: Invisible format characters (category Cf) that copied text carries.
INVISIBLE = st.one_of(st.sampled_from("\u200b\u200c\u200d\u2060\ufeff\u00ad\u200e"),
                      st.characters(categories=("Cf",)))


@st.composite
def hidden_in(draw: st.DrawFn, text: str) -> str:
    """`text` with one to four invisible characters inserted anywhere, one of them always
    inside the first three characters (the numbering)."""
    out = list(text)
    out.insert(draw(st.integers(1, 2)), draw(INVISIBLE))
    for _ in range(draw(st.integers(0, 3))):
        out.insert(draw(st.integers(0, len(out))), draw(INVISIBLE))
    return "".join(out)


HEADING_SAMPLES = [
    "第一篇 奋力开创四川现代化建设新局面", "第三节 发展成就", "专栏3 六大优势产业巩固提升",
    "一、总体要求", "十二、公共服务", "（三十）深入推进正风肃纪反腐。坚持严的基调。",
    "(一)全方位扩大内需,稳住经济大盘", "1.公交出行优化。新开公交线路。", "12、税费优惠支持",
    "1.三个牢牢把握：指牢牢把握新时代新征程党的中心任务。",
    "——实施人工智能重大科技专项。加强基础研究。",
]


@given(st.sampled_from(HEADING_SAMPLES).flatmap(lambda t: st.tuples(st.just(t), hidden_in(t))))
def test_a_heading_is_found_through_invisible_characters(pair: tuple[str, str]) -> None:
    text, hidden = pair
    plain, found = numbered_heading(text), numbered_heading(hidden)
    assert plain is not None and found is not None
    assert (found.style, found.marker, found.number, found.title, found.standalone) == (
        plain.style, plain.marker, plain.number, plain.title, plain.standalone)
    # the title ends at the same visible place, an offset into the paragraph as it is
    assert visible(hidden[:found.title_end]) == text[:plain.title_end]
    assert visible(hidden[found.title_end:]) == text[plain.title_end:]


@given(hidden_in("强化“一老一小”服务。党的十八大以来，习近平总书记对高质量发展作出一系列理论概括。"))
def test_a_lead_sentence_is_found_through_invisible_characters(hidden: str) -> None:
    found = lead_sentence(hidden)
    assert found is not None and found.title == "强化“一老一小”服务"
    assert visible(hidden[:found.title_end]) == "强化“一老一小”服务。"


DOCUMENT = ("一、总体要求\n（一）实施前沿科技攻坚突破行动。瞄准人工智能等领域开展攻关。\n"
            "其他正文段落。\n二、重点任务\n正文。\n")


@given(st.lists(st.tuples(st.integers(0, len(DOCUMENT)), INVISIBLE), min_size=1, max_size=6))
def test_an_outline_is_the_same_through_invisible_characters(
        inserts: list[tuple[int, str]]) -> None:
    out = list(DOCUMENT)
    for at, ch in sorted(inserts, reverse=True):
        out.insert(at, ch)
    hidden = "".join(out)
    plain_clean, plain = outline_of(DOCUMENT)
    hidden_clean, found = outline_of(hidden)
    assert paths(found) == paths(plain)
    assert [(s.style, s.title, s.kind) for s in found.sections] == [
        (s.style, s.title, s.kind) for s in plain.sections]
    assert visible(hidden_clean.text) == plain_clean.text
    # shown as it was: invisible characters kept, but for lines with nothing else
    assert hidden_clean.text.split("\n") == [
        line.strip() for line in hidden.splitlines() if visible(line).strip()]


#: A paragraph body long enough (≥ 30 characters) to carry a lead sentence.
BODY = "党的十八大以来，习近平总书记对高质量发展作出一系列理论概括和战略部署。"


@pytest.mark.parametrize(
    ("lead", "body", "title"),
    [
        ("强化“一老一小”服务。", BODY, "强化“一老一小”服务"),
        ("做实项目支撑扩大有效投资。", BODY, "做实项目支撑扩大有效投资"),
        ("加快发展。", "正文太短了。", None),                   # body under 30 characters
        ("质量发展是首要任务。", BODY, None),                   # 是: a statement, not a title
        ("当前，经济回升。", BODY, None),                       # a comma: running text
        ("在新的起点上扎实推进高质量发展完整准确全面贯彻新发展理念。", BODY, None),  # over 22
        ("没有句末标点的一段文字会被当作普通正文处理而不是小标题", "", None),
        ("好。", BODY, None),                                   # one character
    ],
)
def test_lead_sentence(lead: str, body: str, title: str | None) -> None:
    text = lead + body
    match = lead_sentence(text)
    assert (match.title if match else None) == title
    if match:
        assert (match.style, match.standalone, match.title_end) == ("lead", False, len(title) + 1)


@pytest.mark.parametrize(
    ("text", "bare"),
    [
        ("总体要求", True),
        ("2023年工作回顾", True),
        ("成都市人民政府市长 王凤朝", True),
        ("(2024年5月13日中国共产党四川省第十二届委员会第五次全体会议通过)", False),
        ("各位代表：", False),
        ("类别\t指标", False),
        ("长" * 61, False),
        ("", False),
    ],
)
def test_is_bare_heading(text: str, bare: bool) -> None:
    assert is_bare_heading(text) is bare


# --------------------------------------------------------------------------- tree: every document


@pytest.mark.parametrize("doc_id", BUNDLED_IDS)
def test_section_tree_is_well_formed(doc, doc_id: str) -> None:
    document = doc(doc_id)
    by_id = {s.id: s for s in document.sections}
    assert len(by_id) == len(document.sections)
    assert len({s.path for s in document.sections}) == len(document.sections)
    assert [s.start for s in document.sections] == sorted(s.start for s in document.sections)
    for s in document.sections:
        assert re.fullmatch(r"s[0-9a-f]{10}", s.id) and s.id == section_id(doc_id, s.path)
        assert s.doc_id == doc_id and s.depth == len(s.path) - 1
        assert s.start <= s.heading_end <= s.end <= len(document.clean.text)
        if s.heading_end > s.start:
            assert s.title in document.clean.text[s.start:s.heading_end]
        if s.parent is None:
            assert s.depth == 0
        else:
            parent = by_id[s.parent]
            assert parent.path == s.path[:-1]
            assert parent.start <= s.start and s.end <= parent.end
    for parent in [None, *document.sections]:
        kids = children(document, parent)
        assert all(a.end <= b.start for a, b in zip(kids, kids[1:], strict=False))


@pytest.mark.parametrize("doc_id", BUNDLED_IDS)
def test_outline_places_every_paragraph_inside_its_section(doc, doc_id: str) -> None:
    document = doc(doc_id)
    outline = build_outline(document.clean, document.meta.title)
    assert outline.sections == document.sections
    by_id = {s.id: s for s in outline.sections}
    assert len(outline.paragraph_sections) == len(document.clean.paragraphs)
    for paragraph, sid, head in zip(document.clean.paragraphs, outline.paragraph_sections,
                                    outline.paragraph_heads, strict=True):
        section = by_id[sid]
        assert section.start <= paragraph.start and paragraph.end <= section.end
        assert 0 <= head <= paragraph.end - paragraph.start
        if head:  # the paragraph opens its section with the heading
            assert (section.start, section.heading_end) == (paragraph.start, paragraph.start + head)


# --------------------------------------------------------------------------- tree: 15th-plan


@pytest.mark.parametrize(
    ("style", "count"), [("pian", 18), ("zhang", 64), ("jie", 213), ("box", 35)]
)
def test_plan_section_counts(doc, style: str, count: int) -> None:
    sections = [s for s in doc("15th-plan").sections if s.style == style]
    assert len(sections) == count


def test_plan_numbering(doc) -> None:
    plan = doc("15th-plan")
    by_id = {s.id: s for s in plan.sections}
    # 篇, 章 and 专栏 are numbered through the whole plan; 节 restart in each 章
    for style in ("pian", "zhang", "box"):
        numbers = [s.number for s in plan.sections if s.style == style]
        assert numbers == list(range(1, len(numbers) + 1)), style
    assert {by_id[s.parent].style for s in plan.sections if s.style == "zhang"} == {"pian"}
    for chapter in [s for s in plan.sections if s.style == "zhang"]:
        sections = [s.number for s in children(plan, chapter, "jie")]
        assert sections == list(range(1, len(sections) + 1))
    assert [s.label for s in children(plan, None)][:3] == ["题头", "第一篇", "第二篇"]


def test_plan_section_kinds(doc) -> None:
    plan = doc("15th-plan")
    background = section_at(plan, "第一篇/第一章")
    assert (background.title, background.kind) == ("规划背景", "review")
    below = [s for s in plan.sections if s.path[:2] == ("第一篇", "第一章") and s is not background]
    assert below and {s.kind for s in below} == {"review"}
    targets = section_at(plan, "第一篇/第三章")
    assert (targets.title, targets.kind) == ("主要目标", "targets")
    assert section_at(plan, "第一篇/第二章").kind == "plan"
    assert section_at(plan, "第一篇/第三章/专栏1").kind == "table"
    assert section_at(plan, "题头").kind == "preamble"


# --------------------------------------------------------------------------- tree: 2022-decision


def test_decision_2022_communique_then_decision(doc) -> None:
    decision = doc("2022-decision")
    communique, body = children(decision, None)
    assert (communique.style, communique.kind) == ("heading", "communique")
    assert communique.title.endswith("公报")
    assert body.style == "heading"
    assert body.title.startswith("中共四川省委关于深入学习贯彻") and body.title.endswith("的决定")
    parts = children(decision, body)
    assert [s.style for s in parts] == ["cn-number"] * 7
    assert [s.label for s in parts] == cn_labels(7)
    assert [s.number for s in parts] == list(range(1, 8))
    articles = [g for part in parts for g in children(decision, part, "paren-number")]
    assert [g.number for g in articles] == list(range(1, 31))
    assert [g.label for g in articles] == [f"({x})" for x in cn_labels(30)]
    assert articles[-1].title == "深入推进正风肃纪反腐"


# --------------------------------------------------------------------------- tree: 2024-decision


def test_decision_2024_parts_and_bullets(doc) -> None:
    decision = doc("2024-decision")
    parts = children(decision, None, "cn-number")
    assert [s.label for s in parts] == cn_labels(6)
    assert [len(children(decision, s, "paren-number")) for s in parts] == [0, 3, 3, 3, 3, 0]
    action = section_at(decision, "二/(一)")
    assert action.title == "实施前沿科技攻坚突破行动"
    bullets = children(decision, action, "bullet")
    assert [b.title for b in bullets] == [
        f"实施{x}重大科技专项"
        for x in ("人工智能", "航空航天", "先进装备", "生物制造", "清洁能源", "先进材料")
    ]
    assert children(decision, action) == bullets


# --------------------------------------------------------------------------- tree: 2025-report


def test_report_2025_top_level(doc) -> None:
    report = doc("2025-report")
    top = children(report, None)
    assert [(s.title, s.style) for s in top] == [
        ("总体要求", "heading"), ("发展预期目标", "heading"), ("重点工作", "heading"),
        ("加强政府自身建设", "heading"),
    ]
    assert [s.kind for s in top] == ["plan", "targets", "plan", "plan"]
    assert [len(children(report, s, "paren-number")) for s in top] == [0, 0, 9, 4]
    assert [s.title for s in children(report, top[3])] == [
        "树牢正确政绩观", "攻坚克难抓落实", "强化服务优作风", "清正廉洁守底线"
    ]


# --------------------------------------------------------------------------- tree: 2024-chengdu


def test_chengdu_top_level(doc) -> None:
    chengdu = doc("2024-chengdu")
    top = children(chengdu, None)
    assert [(s.label, s.style, s.kind) for s in top] == [
        ("题头", "front", "preamble"),
        ("2023年工作回顾", "heading", "review"),
        ("2024年工作安排建议", "heading", "plan"),
        ("全面加强政府自身建设", "heading", "plan"),
        ("成都市2024年民生实事工作目标", "heading", "livelihood"),
        ("名词解释", "heading", "glossary"),
    ]
    assert top[0].title == "成都市2024年政府工作报告"  # the title block takes the manifest title
    assert [len(children(chengdu, s, "paren-number")) for s in top] == [0, 7, 9, 4, 0, 0]
    review = children(chengdu, top[1], "paren-number")
    assert {s.kind for s in review} == {"review"}  # inherited from the part


def test_chengdu_livelihood_projects(doc) -> None:
    chengdu = doc("2024-chengdu")
    projects = section_at(chengdu, "成都市2024年民生实事工作目标")
    groups = children(chengdu, projects)
    assert [g.style for g in groups] == ["cn-number"] * 10
    assert [g.title for g in groups][:2] == ["交通出行", "市容环境"]
    items = [i for g in groups for i in children(chengdu, g, "item")]
    assert [i.number for i in items] == list(range(1, 37))
    assert {i.kind for i in items} == {"livelihood"}
    assert (items[0].title, items[-1].title) == ("公交出行优化", "便民托育服务")


# --------------------------------------------------------------------------- tree: inline


PLAN = """\
第一篇 总论
第一章 规划背景
第一节 发展成就
经济实力显著提升。
专栏1 重点工程
1.交通工程。建设成都至西宁铁路等重大项目，推进川藏铁路建设，提升综合交通能力。
第二节 面临环境
正文。
第二章 主要目标
正文。
"""


def test_nested_plan_paths_styles_and_kinds() -> None:
    _, outline = outline_of(PLAN)
    assert [(s.path_text, s.style, s.kind) for s in outline.sections] == [
        ("第一篇", "pian", "plan"),
        ("第一篇/第一章", "zhang", "review"),
        ("第一篇/第一章/第一节", "jie", "review"),
        ("第一篇/第一章/第一节/专栏1", "box", "review"),
        ("第一篇/第一章/第一节/专栏1/1", "item", "review"),
        ("第一篇/第一章/第二节", "jie", "review"),
        ("第一篇/第二章", "zhang", "targets"),
    ]
    by_path = {s.path_text: s for s in outline.sections}
    assert by_path["第一篇/第一章/第二节"].parent == by_path["第一篇/第一章"].id
    assert by_path["第一篇"].end == len(PLAN.rstrip("\n"))


SCOPED = """\
一、总体要求
（一）实施前沿科技攻坚突破行动。瞄准人工智能等领域开展攻关。
——实施人工智能重大科技专项。加强基础研究和应用研究。
其他正文段落。
（二）推动产业深度转型升级。正文。
"""


def test_items_bullets_and_leads_title_only_their_paragraph() -> None:
    cleaned, outline = outline_of(SCOPED)
    by_id = {s.id: s.path_text for s in outline.sections}
    assert [by_id[s] for s in outline.paragraph_sections] == [
        "一", "一/(一)", "一/(一)/——1", "一/(一)", "一/(二)"
    ]
    assert list(outline.paragraph_heads) == [6, 16, 15, 0, 14]
    texts = cleaned.text.split("\n")
    assert [t[:h] for t, h in zip(texts, outline.paragraph_heads, strict=True)] == [
        "一、总体要求", "（一）实施前沿科技攻坚突破行动。", "——实施人工智能重大科技专项。", "",
        "（二）推动产业深度转型升级。",
    ]


def test_title_block_becomes_the_front_section() -> None:
    text = ("中共四川省委\n关于某某的决定\n(2024年5月13日通过)\n全会认为，形势很好。\n"
            "一、总体要求\n正文。\n")
    cleaned, outline = outline_of(text, title="中共四川省委关于某某的决定")
    front = outline.sections[0]
    assert (front.path, front.style, front.kind, front.title) == (
        ("题头",), "front", "preamble", "中共四川省委关于某某的决定")
    assert (front.start, front.heading_end) == (0, 0)
    assert paths(outline) == ["题头", "一"]
    assert [outline.paragraph_sections.count(s.id) for s in outline.sections] == [4, 2]


@pytest.mark.parametrize(
    ("text", "top"),
    [
        # a lone short line before the body is an ordinary heading, not a title block
        ("总体要求\n做好今年工作，要坚持稳中求进工作总基调。\n", [("总体要求", "heading")]),
        # body text before any heading belongs to a title block
        ("各位代表：现在作报告。\n一、回顾\n正文。\n", [("题头", "front"), ("一", "cn-number")]),
    ],
)
def test_front_block_or_heading(text: str, top: list[tuple[str, str]]) -> None:
    _, outline = outline_of(text)
    assert [(s.label, s.style) for s in outline.sections if s.parent is None] == top


def test_repeated_labels_get_a_suffix() -> None:
    _, outline = outline_of("一、要求\n（一）甲。\n（一）乙。\n（一）丙。\n")
    assert paths(outline) == ["一", "一/(一)", "一/(一)#2", "一/(一)#3"]
    assert len({s.id for s in outline.sections}) == 4


# --------------------------------------------------------------------------- no recognised headings

LONG = "推动制造业高端化智能化绿色化发展，加快建设现代化产业体系，培育壮大新兴产业和未来产业。"
ENGLISH = ("The province will speed up the building of a modern industrial system, and it will "
           "promote advanced manufacturing.")

# Each case: a document whose body has no recognised heading, or only items and bullets
# (which title one paragraph each); the body falls back to paragraph-level sections, of
# the default kind (or of the top-level section before them), never to the title block.
FALLBACK = [
    pytest.param("正文一，很长的句子。\n正文二。\n", [("¶1", "paragraph", "plan"),
                                                  ("¶2", "paragraph", "plan")], id="paragraphs"),
    pytest.param("某某文件\n某某机关\n正文一。\n正文二。\n",
                 [("题头", "front", "preamble"), ("¶1", "paragraph", "plan"),
                  ("¶2", "paragraph", "plan")], id="title-block-then-paragraphs"),
    pytest.param("1. 总体要求\n正文一。\n2. 2023年工作回顾\n正文二。\n正文三。\n",
                 [("1", "item", "plan"), ("¶1", "paragraph", "plan"),
                  ("2", "item", "review"), ("¶2", "paragraph", "review"),
                  ("¶3", "paragraph", "review")], id="only-numbered-items"),
    pytest.param("——坚持创新驱动。\n正文一。\n——坚持绿色发展。\n正文二。\n",
                 [("——1", "bullet", "plan"), ("¶1", "paragraph", "plan"),
                  ("——2", "bullet", "plan"), ("¶2", "paragraph", "plan")], id="bullets"),
    pytest.param(f"{ENGLISH}\n{ENGLISH}\n", [("¶1", "paragraph", "plan"),
                                             ("¶2", "paragraph", "plan")], id="english"),
    pytest.param(f"A Plan for Sichuan\n{ENGLISH}\n",
                 [("A Plan for Sichuan", "heading", "plan")], id="english-with-a-title"),
    # more than a few paragraphs before the first heading are body, not a title block
    pytest.param("正文一。\n正文二。\n正文三。\n正文四。\n名词解释\n1.术语：定义。\n",
                 [("¶1", "paragraph", "plan"), ("¶2", "paragraph", "plan"),
                  ("¶3", "paragraph", "plan"), ("¶4", "paragraph", "plan"),
                  ("名词解释", "heading", "glossary")], id="long-opening"),
]


@pytest.mark.parametrize(("text", "top"), FALLBACK)
def test_body_under_no_heading_has_paragraph_sections(text: str, top) -> None:
    cleaned, outline = outline_of(text)
    assert [(s.label, s.style, s.kind) for s in outline.sections if s.parent is None] == top
    assert len({s.id for s in outline.sections}) == len(outline.sections)
    by_id = {s.id: s for s in outline.sections}
    for paragraph, section in zip(cleaned.paragraphs, outline.paragraph_sections, strict=True):
        if by_id[section].style == "paragraph":  # the section is that one paragraph
            assert (by_id[section].start, by_id[section].end) == (paragraph.start, paragraph.end)
            assert by_id[section].heading_end == paragraph.start


@pytest.mark.parametrize(
    "text",
    [
        # a title block with its opening sentence, before the first heading
        "中共四川省委\n关于某某的决定\n(2024年5月13日通过)\n全会认为，形势很好。\n一、总体要求\n正文。\n",
        "各位代表：\n现在，我代表市人民政府作报告。\n请予审议。\n一、回顾\n正文。\n",
        "总体要求\n做好今年工作，要坚持稳中求进工作总基调。\n",
        "一、要求\n（一）甲。\n正文。\n——乙。\n正文。\n",
    ],
)
def test_documents_with_headings_have_no_paragraph_sections(text: str) -> None:
    _, outline = outline_of(text)
    assert all(s.style != "paragraph" for s in outline.sections)
    assert structure_warning(outline.sections) is None


@pytest.mark.parametrize("doc_id", BUNDLED_IDS)
def test_bundled_documents_need_no_fallback(doc, doc_id: str) -> None:
    assert all(s.style != "paragraph" for s in doc(doc_id).sections)
    assert structure_warning(doc(doc_id).sections) is None


#: Paragraphs of every kind the tree reacts to, for documents made at random.
PARAGRAPHS = st.sampled_from([
    "某某文件", "(2024年5月13日通过)", "正文。", LONG, ENGLISH, "总体要求", "一、总体要求",
    "（一）实施前沿科技攻坚突破行动。瞄准人工智能等领域开展攻关。", "1. 总体要求", "2.项目。正文。",
    "——坚持创新驱动。", "专栏1 重大工程", "第一章 总则", "第一节 发展成就",
    "强化“一老一小”服务。" + LONG, "名词解释", "1.术语：定义。", "2023年工作回顾",
])


@given(st.lists(PARAGRAPHS, min_size=1, max_size=14))
def test_every_outline_has_unique_ids_and_a_title_block_only_at_the_top(
        paragraphs: list[str]) -> None:
    cleaned, outline = outline_of("\n".join(paragraphs))
    ids = [s.id for s in outline.sections]
    assert len(set(ids)) == len(ids)
    assert len({s.path for s in outline.sections}) == len(ids)
    assert sum(s.style == "front" for s in outline.sections) <= 1
    # the title block is a run of paragraphs at the top, at most a few of them body text
    front = [i for i, s in enumerate(outline.paragraph_sections)
             if s in {x.id for x in outline.sections if x.style == "front"}]
    assert front == list(range(len(front)))
    texts = [cleaned.text[p.start:p.end] for p in cleaned.paragraphs]
    assert sum("。" in texts[i] for i in front) <= 3


def test_a_document_without_headings_is_aligned(compare_corpus) -> None:
    commitment = "加快建设现代化产业体系，推动制造业高端化智能化绿色化发展。"
    corpus = compare_corpus([
        (entry(id="headed", date="2024-01-01"), f"一、主要任务\n{commitment}\n"),
        (entry(id="plain", date="2025-01-01"), f"某某文件\n某某机关\n{commitment}\n"),
        (entry(id="items", date="2026-01-01"), f"1. 主要任务\n{commitment}\n"),
    ])
    analysis = analyse(corpus)
    (clause,) = [c for c in analysis.commitments("headed") if "产业体系" in c.text]
    assert analysis.alignment(clause.id, "plain").relation == "same"
    assert analysis.alignment(clause.id, "items").relation == "same"
    assert analysis.fate(clause.id).fate == "persists"
    warnings = console.corpus_table(corpus).splitlines()[-2:]
    assert warnings == [
        "warning: plain: no recognised headings (第X章, 一、, （一）, 1., ——, short title lines): "
        "each of its 1 paragraph(s) is a section of its own",
        "warning: items: 1 paragraph(s) under no recognised heading, each a section of its own"]


@pytest.mark.parametrize(
    ("title", "kind"),
    [
        ("中国共产党四川省第十二届委员会第二次全体会议公报", "communique"),
        ("2023年工作回顾", "review"),
        ("规划背景", "review"),
        ("过去五年工作回顾", "review"),
        ("发展预期目标", "targets"),
        ("主要目标", "targets"),
        ("成都市2024年民生实事工作目标", "livelihood"),
        ("名词解释", "glossary"),
        ("2024年工作安排建议", None),
        ("公报解读", None),       # 公报 only at the end
        ("规划背景与意义", None),  # ^规划背景$ only whole
    ],
)
def test_default_kind_rules(title: str, kind: str | None) -> None:
    assert default_kind_rules().match(title) == kind


def test_kinds_inherit_and_default() -> None:
    _, outline = outline_of("2023年工作回顾\n（一）产业发展。\n2024年工作安排\n（一）扩大内需。\n")
    assert [(s.path_text, s.kind) for s in outline.sections] == [
        ("2023年工作回顾", "review"), ("2023年工作回顾/(一)", "review"),
        ("2024年工作安排", "plan"), ("2024年工作安排/(一)", "plan"),
    ]


def test_custom_kind_rules() -> None:
    rules = parse_kind_rules("default = 'body'\nfront = 'cover'\n"
                             "[[rule]]\nkind = 'money'\ntitles = ['预算']\n")
    cleaned = clean(source("某某文件\n某某机关\n正文。\n财政预算\n正文。\n其他\n正文。\n"))
    outline = build_outline(cleaned, "某某文件", rules)
    assert [(s.label, s.kind) for s in outline.sections] == [
        ("题头", "cover"), ("财政预算", "money"), ("其他", "body")
    ]


@pytest.mark.parametrize(("rows", "kind"), [(2, "table"), (1, "plan")])
def test_a_section_with_tab_rows_is_a_table(rows: int, kind: str) -> None:
    table = "\n".join(["类别\t指标\t2030年", "经济\t1.增长(%)\t5"][:rows])
    _, outline = outline_of(f"专栏1 指标\n{table}\n")
    assert outline.sections[0].kind == kind


def test_section_ids_are_stable_and_distinct() -> None:
    assert section_id("15th-plan", ("第一篇",)) == section_id("15th-plan", ("第一篇",))
    ids = {section_id("15th-plan", ("第一篇",)), section_id("15th-plan", ("第二篇",)),
           section_id("2024-decision", ("第一篇",)), section_id("15th-plan", ("第一篇", "第一章"))}
    assert len(ids) == 4


# --------------------------------------------------------------------------- tables


def test_plan_indicator_table(doc) -> None:
    plan = doc("15th-plan")
    box = section_at(plan, "第一篇/第三章/专栏1")
    rows = [r for r in plan.table_rows if r.section_id == box.id]
    assert rows == list(plan.table_rows)  # the plan's only table
    assert len(rows) == 24
    assert sorted({r.number for r in rows}) == list(range(1, 24))
    assert [r.number for r in rows] == sorted(r.number for r in rows)
    assert {tuple(h for h, _ in r.values) for r in rows} == {
        ("2025年", "2030年", "年均/累计", "属性")
    }
    assert all(box.start <= r.start < r.end <= box.end for r in rows)


@pytest.mark.parametrize(
    ("index", "number", "category", "indicator", "values"),
    [
        (0, 1, "经济发展", "地区生产总值(GDP)增长(%)", ("5.5", "—", "5.5左右", "预期性")),
        # indicator 13 has two sub-indicators, each a row of its own
        (12, 13, "民生福祉", "每千人口拥有医护人员数 执业医师数(人)",
         ("3.04*", "3.7", "—", "预期性")),
        (13, 13, "民生福祉", "每千人口拥有医护人员数 注册护士数(人)",
         ("4.19*", "5.1", "—", "预期性")),
        (15, 15, "民生福祉", "3岁以下婴幼儿入托率提高(百分点)", ("—", "—", "[6]", "预期性")),
        # row 16 has no category cell in the source: it keeps the one above
        (16, 16, "民生福祉", "人均预期寿命(岁)", ("79*", "80左右", "—", "预期性")),
        (17, 17, "绿色低碳", "单位GDP二氧化碳排放降低(%)",
         ("—", "完成经国家审核衔接后确定的目标", "—", "约束性")),
        (22, 22, "安全保障", "粮食综合生产能力(万吨)", ("3662.5", "3750", "—", "约束性")),
        (23, 23, "安全保障", "能源综合生产能力(亿吨标准煤)", ("2.57*", "2.9", "—", "约束性")),
    ],
)
def test_plan_indicator_rows(doc, index, number, category, indicator, values) -> None:
    row = doc("15th-plan").table_rows[index]
    assert (row.number, row.category, row.indicator) == (number, category, indicator)
    assert tuple(cell for _, cell in row.values) == values
    assert row.value("2030年") == values[1]


def test_table_row_value_of_unknown_column(doc) -> None:
    with pytest.raises(ContinuityError, match="2035年.*its columns: 2025年, 2030年"):
        doc("15th-plan").table_rows[0].value("2035年")


RAGGED = """\
专栏1 主要指标
类别\t指标\t2025年\t2030年\t属性
经济\t1.地区生产总值增长(%)\t5.5\t—\t预期性
\t2.城镇化率(%)\t61\t65\t预期性
民生\t3.每千人口医护人员数\t医师数(人)\t3.04\t3.7\t预期性
\t\t护士数(人)\t4.19\t5.1\t预期性
4.人均预期寿命(岁)\t79\t80
注：带*为2024年数据。
"""


def test_ragged_table() -> None:
    cleaned, outline = outline_of(RAGGED)
    rows = parse_tables(cleaned, outline)
    assert [(r.number, r.category, r.indicator) for r in rows] == [
        (1, "经济", "地区生产总值增长(%)"),
        (2, "经济", "城镇化率(%)"),                       # empty category cell: the one above
        (3, "民生", "每千人口医护人员数 医师数(人)"),     # an extra column: a sub-indicator
        (3, "民生", "每千人口医护人员数 护士数(人)"),     # a continuation row
        (4, "民生", "人均预期寿命(岁)"),                  # no category cell at all
    ]
    assert [tuple(cell for _, cell in r.values) for r in rows] == [
        ("5.5", "—", "预期性"),
        ("61", "65", "预期性"),
        ("3.04", "3.7", "预期性"),
        ("4.19", "5.1", "预期性"),
        ("79", "80", ""),                                  # a short row: padded
    ]
    assert {tuple(h for h, _ in r.values) for r in rows} == {("2025年", "2030年", "属性")}
    texts = cleaned.text.split("\n")
    assert [cleaned.text[r.start:r.end] for r in rows] == texts[2:7]


def test_tables_outside_table_sections_are_ignored() -> None:
    cleaned, outline = outline_of("专栏1 说明\n类别\t指标\n正文。\n")
    assert outline.sections[0].kind != "table"
    assert parse_tables(cleaned, outline) == ()


# --------------------------------------------------------------------------- glossary


def test_chengdu_glossary(doc) -> None:
    chengdu = doc("2024-chengdu")
    glossary = chengdu.glossary
    section = section_at(chengdu, "名词解释")
    assert len(glossary) == 39  # the source numbers its terms 1–39
    assert [g.number for g in glossary] == list(range(1, 40))
    assert (glossary[0].term, glossary[-1].term) == ("三个牢牢把握", "四下基层")
    assert glossary[0].definition.startswith("指牢牢把握")
    assert glossary[8].term == "三区三线" and glossary[8].definition.startswith("“三区”指")
    for g in glossary:
        item = chengdu.section(g.section_id)
        assert (item.parent, item.style) == (section.id, "item")
        assert (item.number, item.title) == (g.number, g.term)
        assert g.definition and chengdu.clean.text[g.start:g.end].endswith(g.definition)


@pytest.mark.parametrize("doc_id", ["2022-decision", "2024-decision", "2025-report", "15th-plan"])
def test_documents_without_glossary(doc, doc_id: str) -> None:
    assert doc(doc_id).glossary == ()


@pytest.mark.parametrize(
    ("line", "term", "definition"),
    [
        ("1.三个牢牢把握：指牢牢把握中心任务。", "三个牢牢把握", "指牢牢把握中心任务。"),
        ("2.四个发力:指在推进科技创新上同时发力。", "四个发力", "指在推进科技创新上同时发力。"),
        ("3. 海绵城市： 指发挥建筑等对雨水的作用。", "海绵城市", "指发挥建筑等对雨水的作用。"),
        ("4.三区三线。“三区”指农业空间、生态空间。", "三区三线", "“三区”指农业空间、生态空间。"),
        ("5.“四链”融合：指创新链、产业链融合发展。", "“四链”融合", "指创新链、产业链融合发展。"),
    ],
)
def test_glossary_entry(line: str, term: str, definition: str) -> None:
    cleaned, outline = outline_of(f"名词解释\n{line}\n")
    (entry,) = parse_glossary(cleaned, outline)
    assert (entry.term, entry.definition) == (term, definition)
    assert cleaned.text[entry.start:entry.end] == line


def test_numbered_items_outside_a_glossary_are_not_terms() -> None:
    cleaned, outline = outline_of("民生实事\n1.公交出行优化：新开公交线路。\n")
    assert parse_glossary(cleaned, outline) == ()

"""Cleaning: boilerplate removal and rejoining PDF-broken lines (continuity/corpus/clean.py)."""

from __future__ import annotations

import pytest
from helpers import BUNDLED_IDS, raw_lines, source
from hypothesis import given
from hypothesis import strategies as st

from continuity.corpus.clean import DUPLICATE_TITLE_REASON, clean, default_rules, parse_rules
from continuity.corpus.structure.headings import numbered_heading
from continuity.errors import DocumentError
from continuity.text.normalize import visible

CONTENTS = "table of contents"
NAVIGATION = "site navigation"
COMMENTS = "comment and copyright block"
PAGE_NUMBER = "print page number"
FIGURE = "figure caption without its figure"
METADATA = "page metadata (source, date, author, view count)"

# --------------------------------------------------------------------------- every document


@pytest.mark.parametrize("doc_id", BUNDLED_IDS)
def test_every_nonblank_raw_line_is_kept_or_removed_never_dropped(doc, doc_id: str) -> None:
    document = doc(doc_id)
    lines = raw_lines(document)
    nonblank = {n for n, line in enumerate(lines, start=1) if line.strip()}
    kept = [n for p in document.clean.paragraphs for n in p.raw_lines]
    removed = [r.line_no for r in document.clean.removed]
    assert len(kept) == len(set(kept)) and len(removed) == len(set(removed))
    assert not set(kept) & set(removed)
    assert set(kept) | set(removed) == nonblank
    assert document.clean.raw_line_count == len(lines)


@pytest.mark.parametrize("doc_id", BUNDLED_IDS)
def test_paragraphs_are_the_lines_of_the_cleaned_text(doc, doc_id: str) -> None:
    document = doc(doc_id)
    cleaned, lines = document.clean, raw_lines(document)
    assert cleaned.text.split("\n") == [cleaned.text[p.start:p.end] for p in cleaned.paragraphs]
    assert [p.index for p in cleaned.paragraphs] == list(range(len(cleaned.paragraphs)))
    for p in cleaned.paragraphs:
        # a paragraph is its raw lines, stripped and run together, in file order
        assert list(p.raw_lines) == sorted(p.raw_lines)
        assert cleaned.text[p.start:p.end] == "".join(lines[n - 1].strip() for n in p.raw_lines)
    for r in cleaned.removed:
        assert r.text == lines[r.line_no - 1].strip()
    assert [r.line_no for r in cleaned.removed] == sorted(r.line_no for r in cleaned.removed)


# --------------------------------------------------------------------------- 15th-plan


def test_plan_table_of_contents_is_removed(doc) -> None:
    plan = doc("15th-plan")
    contents = [r for r in plan.clean.removed if r.reason == CONTENTS]
    assert len(contents) == 1 + 82
    assert contents[0].text == "目 录"
    # the 82 entries list every 篇 and 章 heading, in the order the body has them
    markers = [numbered_heading(r.text).marker for r in contents[1:]]
    body = [s.label for s in plan.sections if s.style in ("pian", "zhang")]
    assert markers == body
    assert plan.clean.text.count("第一章 规划背景") == 1
    assert "目 录" not in plan.clean.text


def test_plan_pdf_line_breaks_are_rejoined(doc) -> None:
    plan = doc("15th-plan")
    lines = raw_lines(plan)
    assert len(plan.clean.joins) == 59
    (join,) = [j for j in plan.clean.joins if j.line_no == 681]
    assert join.next_line_no == 683
    assert lines[680].endswith("加") and lines[682].startswith("快建设网络强省")
    # the offset is where the two lines meet: between 加 and 快
    assert plan.clean.text[join.offset - 1:].startswith("加快建设网络强省、数字四川")


def test_plan_joins_point_into_their_paragraph(doc) -> None:
    plan = doc("15th-plan")
    lines = raw_lines(plan)
    for join in plan.clean.joins:
        (paragraph,) = [p for p in plan.clean.paragraphs if join.line_no in p.raw_lines]
        at = paragraph.raw_lines.index(join.line_no)
        assert paragraph.raw_lines[at + 1] == join.next_line_no
        before, after = lines[join.line_no - 1].strip(), lines[join.next_line_no - 1].strip()
        assert plan.clean.text[join.offset - len(before):join.offset] == before
        assert plan.clean.text[join.offset:].startswith(after)


def test_plan_figure_captions_are_removed(doc) -> None:
    captions = [r.text for r in doc("15th-plan").clean.removed if r.reason == FIGURE]
    assert [c[:2] for c in captions] == ["图1", "图2", "图3", "图4"]
    assert all(c.endswith("布局示意图") for c in captions)


# --------------------------------------------------------------------------- other documents


def test_decision_2022_print_page_number_is_removed(doc) -> None:
    assert [(r.line_no, r.text, r.reason) for r in doc("2022-decision").clean.removed] == [
        (141, "- 31 -", PAGE_NUMBER)
    ]


def test_decision_2024_web_page_furniture_is_removed(doc) -> None:
    removed = {r.line_no: (r.text, r.reason) for r in doc("2024-decision").clean.removed}
    assert {n: reason for n, (_, reason) in removed.items()} == {
        1: NAVIGATION,
        3: NAVIGATION,
        5: DUPLICATE_TITLE_REASON,
        7: METADATA,
        99: "close button",
    }
    assert DUPLICATE_TITLE_REASON == "web page title, repeated by the document's own title below"
    assert removed[99][0] == "【关闭】"
    # the title is kept once, as the document gives it (over two lines)
    text = doc("2024-decision").clean.text
    assert text.split("\n")[:3] == [
        "中共四川省委", "关于以发展新质生产力为重要着力点", "扎实推进高质量发展的决定"
    ]


def test_chengdu_navigation_and_comment_block_are_removed(doc) -> None:
    chengdu = doc("2024-chengdu")
    by_line = {r.line_no: r for r in chengdu.clean.removed}
    assert [by_line[n].text for n in (1, 2)] == ["登录", "注册"]
    assert {by_line[n].reason for n in (1, 2, 3, 4, 5)} == {NAVIGATION}
    assert by_line[5].text.startswith("当前位置")
    block = [r for r in chengdu.clean.removed if r.reason == COMMENTS]
    assert block[0].text == "我也说两句"
    lines = raw_lines(chengdu)
    # the block runs from 我也说两句 to the last line of the file
    start = block[0].line_no
    assert [r.line_no for r in block] == [n for n in range(start, len(lines) + 1)
                                          if lines[n - 1].strip()]
    for word in ("我也说两句", "版权声明", "阿酷", "当前位置", "登录"):
        assert word not in chengdu.clean.text


def test_report_2025_needs_no_cleaning(doc) -> None:
    report = doc("2025-report")
    assert report.clean.removed == ()
    assert report.clean.joins == ()


# --------------------------------------------------------------------------- inline edge cases


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("- 31 -", PAGE_NUMBER),
        ("—12—", PAGE_NUMBER),
        ("－ 3 －", PAGE_NUMBER),
        ("【关闭】", "close button"),
        ("图片", "image placeholder"),
        ("分享:", "font-size and share widgets"),
        ("【字体：大 中 小】", "font-size and share widgets"),
        ("登录", NAVIGATION),
        ("当前位置：首页 > 新闻", NAVIGATION),
        ("阅读 5", METADATA),
        ("来源:本站 2024/6/5 16:00:36 浏览次数:[]", METADATA),
        ("2026年04月13日 07时38分 来源: 四川日报", METADATA),
        ("图2 “十五五”多能互补布局示意图", FIGURE),
        # lines that only look like boilerplate stay
        ("把握当前位置：做好下一步工作。", None),
        ("- 31 - 页", None),
        ("登录注册实行一网通办。", None),
        ("图片展示了成绩。", None),
    ],
)
def test_boilerplate_lines(line: str, reason: str | None) -> None:
    cleaned = clean(source(f"正文第一段。\n{line}\n正文第二段。\n"))
    assert [(r.line_no, r.reason) for r in cleaned.removed] == ([(2, reason)] if reason else [])
    assert (line in cleaned.text) is (reason is None)


def test_comment_block_runs_to_the_end() -> None:
    text = "正文。\n我也说两句\n评论：好\n\n版权声明：\n一、总体要求\n"
    cleaned = clean(source(text))
    assert cleaned.text == "正文。"
    assert [(r.line_no, r.reason) for r in cleaned.removed] == [
        (2, COMMENTS), (3, COMMENTS), (5, COMMENTS), (6, COMMENTS)
    ]


@pytest.mark.parametrize(
    ("text", "removed", "kept"),
    [
        pytest.param("目 录\n第一章 总则\n第二章 目标\n第一章 总则\n正文。\n第二章 目标\n正文。\n",
                     [1, 2, 3], "第一章 总则\n正文。\n第二章 目标\n正文。", id="contents"),
        pytest.param("目录\n\n第一篇 总论\n\n第一章 总则\n\n第一篇 总论\n第一章 总则\n正文。\n",
                     [1, 3, 5], "第一篇 总论\n第一章 总则\n正文。", id="blank-lines"),
        # a 目录 line with no heading after it is not a table of contents
        pytest.param("目录\n正文没有目录项。\n", [], "目录\n正文没有目录项。", id="no-entries"),
    ],
)
def test_table_of_contents(text: str, removed: list[int], kept: str) -> None:
    cleaned = clean(source(text))
    assert [r.line_no for r in cleaned.removed] == removed
    assert {r.reason for r in cleaned.removed} <= {CONTENTS}
    assert cleaned.text == kept


@pytest.mark.parametrize(
    ("text", "removed", "kept"),
    [
        pytest.param("某某决定\n某某决定\n正文开始了。\n", [1], "某某决定\n正文开始了。",
                     id="one-line"),
        pytest.param("某某决定\n某某\n决定\n正文开始了。\n", [1], "某某\n决定\n正文开始了。",
                     id="split"),
        pytest.param("某某决定\n某某通知\n正文开始了。\n", [], "某某决定\n某某通知\n正文开始了。",
                     id="different"),
        # once the body has begun, repeated lines are the document's own
        pytest.param("正文开始了。\n总结\n总结\n", [], "正文开始了。\n总结\n总结", id="in-body"),
    ],
)
def test_duplicate_web_page_title(text: str, removed: list[int], kept: str) -> None:
    cleaned = clean(source(text))
    assert [(r.line_no, r.reason) for r in cleaned.removed] == [
        (n, DUPLICATE_TITLE_REASON) for n in removed
    ]
    assert cleaned.text == kept


LONG = "全面激活数据要素，统筹推进数字经济、数字政府、数字社会建设，用数智为经济赋能，加"


@pytest.mark.parametrize(
    ("text", "paragraphs", "joins"),
    [
        pytest.param(f"{LONG}\n快建设网络强省。\n", [LONG + "快建设网络强省。"],
                     [(1, 2, len(LONG))], id="wrapped"),
        pytest.param(f"{LONG}\n\n快建设网络强省。\n", [LONG + "快建设网络强省。"],
                     [(1, 3, len(LONG))], id="wrapped-over-blank-line"),
        # a line ending in a comma goes on, however short
        pytest.param(f"{LONG}\n快建设，\n网络强省、数字四川。\n",
                     [LONG + "快建设，网络强省、数字四川。"],
                     [(1, 2, len(LONG)), (2, 3, len(LONG) + 4)], id="over-three-lines"),
        pytest.param("发展预期目标\n地区生产总值增长6%左右。\n",
                     ["发展预期目标", "地区生产总值增长6%左右。"], [], id="short-title"),
        # under 20 characters a line is not wrapped text, even with a comma in it
        pytest.param("按照会议安排，现在我代表市政府\n向大会报告工作。\n",
                     ["按照会议安排，现在我代表市政府", "向大会报告工作。"], [], id="short-line"),
        pytest.param(f"{LONG}。\n快建设网络强省。\n", [LONG + "。", "快建设网络强省。"], [],
                     id="sentence-end"),
        pytest.param(f"{LONG}：\n快建设网络强省。\n", [LONG + "：", "快建设网络强省。"], [],
                     id="colon-end"),
        pytest.param(f"{LONG}”\n快建设网络强省。\n", [LONG + "”", "快建设网络强省。"], [],
                     id="closing-quote"),
        pytest.param(f"{LONG}\n（一）快建设网络强省。\n", [LONG, "（一）快建设网络强省。"], [],
                     id="next-is-heading"),
        pytest.param("（一）实施前沿科技攻坚突破行动，推动人工智能等领域突破\n正文继续。\n",
                     ["（一）实施前沿科技攻坚突破行动，推动人工智能等领域突破", "正文继续。"], [],
                     id="standalone-heading"),
        pytest.param(f"经济发展\t{LONG}\n快建设。\n", [f"经济发展\t{LONG}", "快建设。"], [],
                     id="table-row"),
    ],
)
def test_pdf_line_joins(text: str, paragraphs: list[str],
                        joins: list[tuple[int, int, int]]) -> None:
    cleaned = clean(source(text))
    assert cleaned.text.split("\n") == paragraphs
    assert [(j.line_no, j.next_line_no, j.offset) for j in cleaned.joins] == joins


def test_english_lines_ending_a_sentence_are_not_joined() -> None:
    lines = ["The province will build a modern industrial system, step by step.",
             "It will promote advanced manufacturing, and green industry in every city."]
    assert clean(source("\n".join(lines))).text.splitlines() == lines


def test_sentence_broken_by_a_page_number_is_rejoined() -> None:
    cleaned = clean(source(f"{LONG}\n\n- 3 -\n\n快建设网络强省。\n"))
    assert [r.reason for r in cleaned.removed] == [PAGE_NUMBER]
    assert cleaned.text == LONG + "快建设网络强省。"


def test_crlf_and_indented_lines() -> None:
    cleaned = clean(source("  标题  \r\n\r\n\t正文第一段。 \r\n- 2 -\r\n"))
    assert cleaned.text == "标题\n正文第一段。"
    assert [p.raw_lines for p in cleaned.paragraphs] == [(1,), (3,)]
    assert [(r.line_no, r.text) for r in cleaned.removed] == [(4, "- 2 -")]
    assert cleaned.raw_line_count == 4


def test_rules_are_data() -> None:
    rules = parse_rules(
        "[[line]]\nreason = 'advert'\npatterns = ['^广告']\n"
        "[[block]]\nreason = 'footer'\nstart = ['^完$']\n"
    )
    cleaned = clean(source("广告：招商\n【关闭】\n正文。\n完\n附录。\n"), rules)
    assert [(r.line_no, r.reason) for r in cleaned.removed] == [
        (1, "advert"), (4, "footer"), (5, "footer")
    ]
    assert cleaned.text == "【关闭】\n正文。"  # the shipped rules are not applied


# --------------------------------------------------------------------------- no text left


@pytest.mark.parametrize(
    ("text", "message"),
    [
        pytest.param("", "the document is empty", id="empty"),
        pytest.param(" \n\u3000\t\n\u200b\ufeff\n", "the document is empty", id="blank"),
        pytest.param("\n- 31 -\n登录\n", "no text is left after cleaning (2 line(s) removed as "
                     f"boilerplate: {PAGE_NUMBER}; {NAVIGATION})", id="only-boilerplate"),
        pytest.param("我也说两句\n正文被评论区吞掉。\n", "no text is left after cleaning",
                     id="block-at-the-start"),
        pytest.param("。。。\n……\n", "the document is empty", id="only-punctuation"),
    ],
)
def test_a_document_with_no_text_left_is_refused(text: str, message: str) -> None:
    with pytest.raises(DocumentError) as info:
        clean(source(text))
    assert str(info.value).startswith("test-doc.txt (test-doc): ")
    assert message in str(info.value)


# --------------------------------------------------------------------------- invisible characters


def test_lines_with_nothing_visible_are_blank() -> None:
    cleaned = clean(source("第一段。\n\u200b\u200d \n\ufeff\n第二段。\n"))
    assert cleaned.text.splitlines() == ["第一段。", "第二段。"]
    assert [p.raw_lines for p in cleaned.paragraphs] == [(1,), (4,)]
    assert cleaned.removed == ()


def test_invisible_characters_stay_in_the_text_and_do_not_hide_headings() -> None:
    text = ("目录\n第\u200b一章 总则\n第一章 总则\n"
            "正文很长，很长很长很长很长很长很长很长很长\n接着。\u200b\n")
    cleaned = clean(source(text))
    assert [r.line_no for r in cleaned.removed] == [1, 2]  # the contents, entry included
    # the wrapped line is rejoined and the invisible character kept
    assert cleaned.text == "第一章 总则\n正文很长，很长很长很长很长很长很长很长很长接着。\u200b"


# --------------------------------------------------------------------------- properties

# Arbitrary text, weighted towards what cleaning reacts to: line ends, punctuation,
# heading markers and boilerplate lines.
ANY_TEXT = st.lists(
    st.one_of(
        st.sampled_from(list("。！？；!?;”）)：:，,、\t \u3000\n\r—-－.．")),
        st.sampled_from(["第一章", "第二篇", "第三节", "专栏1", "（一）", "(二)", "一、", "1.",
                         "——", "目 录\n", "\n- 31 -\n", "\n【关闭】\n", "\n我也说两句\n",
                         "\n登录\n", "\n图1 交通示意图\n", "全面激活数据要素，统筹推进数字经济"]),
        st.text(st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF), max_size=30),
        st.characters(),
    ),
    max_size=40,
).map("".join)


@given(ANY_TEXT)
def test_clean_accounts_for_every_line_of_any_text(text: str) -> None:
    text += "\n正文。"  # so that text is left, unless a to-the-end block removed it
    try:
        cleaned = clean(source(text))
    except DocumentError:
        blocks = [p for _, patterns in default_rules().blocks for p in patterns]
        assert any(p.search(line.strip()) for line in text.splitlines() for p in blocks)
        return
    lines = text.splitlines()
    nonblank = {n for n, line in enumerate(lines, start=1) if visible(line).strip()}
    kept = [n for p in cleaned.paragraphs for n in p.raw_lines]
    removed = [r.line_no for r in cleaned.removed]
    assert sorted(kept + removed) == sorted(nonblank)
    assert cleaned.raw_line_count == len(lines)
    assert cleaned.text == "\n".join(
        "".join(lines[n - 1].strip() for n in p.raw_lines) for p in cleaned.paragraphs
    )

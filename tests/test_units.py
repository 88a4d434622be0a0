"""Splitting documents into sentence units (continuity/text/units.py)."""

from __future__ import annotations

import re

import pytest
from helpers import BUNDLED_IDS, section_at, strip_ws
from hypothesis import given
from hypothesis import strategies as st

from continuity.text.normalize import normalize
from continuity.text.units import paragraph_spans, sentence_spans, unit_id

# --------------------------------------------------------------------------- every document


@pytest.mark.parametrize("doc_id", BUNDLED_IDS)
def test_units_cover_the_cleaned_text_in_order(doc, doc_id: str) -> None:
    document = doc(doc_id)
    text = document.clean.text
    previous_end = 0
    for index, unit in enumerate(document.units):
        assert unit.index == index
        assert previous_end <= unit.start < unit.end
        assert text[previous_end:unit.start].strip() == ""  # only whitespace between units
        assert unit.text == text[unit.start:unit.end]
        previous_end = unit.end
    assert text[previous_end:].strip() == ""
    assert "".join(strip_ws(u.text) for u in document.units) == strip_ws(text)


@pytest.mark.parametrize("doc_id", BUNDLED_IDS)
def test_unit_fields(doc, doc_id: str) -> None:
    document = doc(doc_id)
    for unit in document.units:
        section = document.section(unit.section_id)
        assert unit.doc_id == doc_id
        assert (unit.section_path, unit.kind) == (section.path_text, section.kind)
        assert section.start <= unit.start and unit.end <= section.end
        assert unit.norm == normalize(unit.text)
        assert "".join(unit.tokens) == unit.norm
        assert unit.text == unit.text.strip() and "\n" not in unit.text
        assert unit.role in ("heading", "lead", "row", "text")
        assert re.fullmatch(r"u[0-9a-f]{10}", unit.id)
    assert len({u.id for u in document.units}) == len(document.units)


def test_unit_ids_are_unique_in_the_corpus_and_identical_across_loads(corpus,
                                                                      corpus_again) -> None:
    ids = [u.id for d in corpus.documents for u in d.units]
    assert len(set(ids)) == len(ids)
    assert [u.id for d in corpus_again.documents for u in d.units] == ids


# --------------------------------------------------------------------------- roles on the corpus


def test_plan_roles(doc) -> None:
    plan = doc("15th-plan")
    first = [u for u in plan.units if u.section_path == "第一篇"][0]
    assert (first.role, first.text) == ("heading", "第一篇 奋力开创四川现代化建设新局面")
    box = section_at(plan, "第一篇/第三章/专栏1")
    rows = [u for u in plan.units if u.section_id == box.id and u.role == "row"]
    assert len(rows) == 1 + 24  # the header row and the 24 indicator rows
    assert rows[0].text.split("\t") == ["类别", "指标", "2025年", "2030年", "年均/累计", "属性"]
    assert rows[1].text.startswith("经济发展\t1.地区生产总值(GDP)增长(%)")
    assert all(u.kind == "table" for u in rows)
    assert [u.role for u in plan.units].count("row") == 25  # no tabs anywhere else


def test_decision_2024_run_in_titles_are_lead_units(doc) -> None:
    decision = doc("2024-decision")
    units = [u for u in decision.units if u.section_path == "二/(一)"]
    assert (units[0].role, units[0].text) == ("lead", "(一)实施前沿科技攻坚突破行动。")
    assert units[1].role == "text"
    bullet = [u for u in decision.units if u.section_path == "二/(一)/——1"]
    assert (bullet[0].role, bullet[0].text) == ("lead", "——实施人工智能重大科技专项。")


def test_chengdu_glossary_terms_are_lead_units(doc) -> None:
    chengdu = doc("2024-chengdu")
    first = [u for u in chengdu.units if u.section_path == "名词解释/1"]
    assert [u.role for u in first][:2] == ["lead", "text"]
    assert first[0].text.startswith("1.") and "三个牢牢把握" in first[0].text
    assert first[1].text.startswith("指牢牢把握")
    assert all(u.kind == "glossary" for u in first)


# --------------------------------------------------------------------------- inline


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        ("第一句。第二句！第三句？", ["第一句。", "第二句！", "第三句？"]),
        ("甲；乙;丙!丁?戊", ["甲；", "乙;", "丙!", "丁?", "戊"]),
        ("他说：“好。”然后走了。", ["他说：“好。”", "然后走了。"]),
        ("真的吗？！是的。", ["真的吗？！", "是的。"]),
        ("（见附件。）下文", ["（见附件。）", "下文"]),
        ("书名《论持久战。》出版。", ["书名《论持久战。》", "出版。"]),
        ("没有句号，也没有结束", ["没有句号，也没有结束"]),
        ("增长5.5%左右。", ["增长5.5%左右。"]),  # a decimal point is not a full stop
        ("", []),
    ],
)
def test_sentence_spans(text: str, sentences: list[str]) -> None:
    assert [text[a:b] for a, b in sentence_spans(text, 0, len(text))] == sentences


def test_sentence_spans_stay_inside_their_window() -> None:
    text = "前文。中间一句。中间二句。后文。"
    assert [text[a:b] for a, b in sentence_spans(text, 3, 13)] == ["中间一句。", "中间二句。"]


@pytest.mark.parametrize(
    ("text", "head", "units"),
    [
        ("一、总体要求", 6, [("heading", "一、总体要求")]),
        ("（一）实施行动。瞄准前沿。加强攻关。", 8,
         [("lead", "（一）实施行动。"), ("text", "瞄准前沿。"), ("text", "加强攻关。")]),
        ("正文一句。  正文二句。 ", 0, [("text", "正文一句。"), ("text", "正文二句。")]),
        ("经济发展\t1.增长(%)\t5.5。\t预期性", 0, [("row", "经济发展\t1.增长(%)\t5.5。\t预期性")]),
        ("1.三个牢牢把握：指牢牢把握。", 9,
         [("lead", "1.三个牢牢把握："), ("text", "指牢牢把握。")]),
        ("   ", 0, []),
    ],
)
def test_paragraph_spans(text: str, head: int, units: list[tuple[str, str]]) -> None:
    assert [(role, text[a:b]) for a, b, role in paragraph_spans(text, 0, len(text), head)] == units


def test_unit_ids_follow_document_section_and_position() -> None:
    base = unit_id("15th-plan", "第一篇/第一章", 0)
    assert base == unit_id("15th-plan", "第一篇/第一章", 0)
    others = {unit_id("15th-plan", "第一篇/第一章", 1), unit_id("15th-plan", "第一篇/第二章", 0),
              unit_id("2025-report", "第一篇/第一章", 0)}
    assert base not in others and len(others) == 3


def test_editing_one_section_keeps_the_unit_ids_of_the_others(build) -> None:
    before = build("一、甲\n正文一。\n二、乙\n正文二。\n")
    after = build("一、甲\n正文一。新增一句。\n二、乙\n正文二。\n")

    def ids(document, path: str) -> list[str]:
        return [u.id for u in document.units if u.section_path == path]

    assert ids(after, "二") == ids(before, "二")
    assert ids(after, "一")[:2] == ids(before, "一") and len(ids(after, "一")) == 3


# --------------------------------------------------------------------------- properties

SENTENCE_TEXT = st.lists(
    st.one_of(
        st.sampled_from(list("。！？；!?;”’」』）)》 \t\n\r\u3000\xa0，、：")),
        st.text(st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF), max_size=8),
        st.characters(),
    ),
    max_size=60,
).map("".join)


@given(SENTENCE_TEXT, st.data())
def test_paragraph_spans_cover_any_text_except_whitespace(text: str, data) -> None:
    head = data.draw(st.integers(min_value=0, max_value=len(text) + 2), label="head")
    spans = paragraph_spans(text, 0, len(text), head)
    previous_end = 0
    for start, end, role in spans:
        assert previous_end <= start < end <= len(text)
        assert text[previous_end:start].strip() == ""
        assert text[start:end] == text[start:end].strip()
        assert role in ("heading", "lead", "row", "text")
        previous_end = end
    assert text[previous_end:].strip() == ""
    assert "".join(strip_ws(text[a:b]) for a, b, _ in spans) == strip_ws(text)


@given(SENTENCE_TEXT)
def test_sentence_spans_partition_any_text(text: str) -> None:
    spans = sentence_spans(text, 0, len(text))
    assert "".join(text[a:b] for a, b in spans) == text
    assert all(a < b for a, b in spans)
    assert all(b1 == a2 for (_, b1), (a2, _) in zip(spans, spans[1:], strict=False))
    # every sentence but the last ends with an end mark, possibly followed by closers
    for a, b in spans[:-1]:
        assert re.search(r"[。！？；!?;][。！？；!?;”’」』）)》]*$", text[a:b])

"""Splitting sentence units into clauses (continuity/text/clauses.py)."""

from __future__ import annotations

import re

import pytest
from helpers import BUNDLED_IDS
from hypothesis import given
from hypothesis import strategies as st

from continuity.records import Unit
from continuity.text.clauses import CLAUSE_ENDS, MIN_CLAUSE_CHARS, clause_spans, unit_clauses
from continuity.text.normalize import normalize
from continuity.text.segment import segment

_WORD_CHAR = re.compile(r"[0-9A-Za-z\u4e00-\u9fff]")


def pieces(text: str) -> list[str]:
    return [text[a:b] for a, b in clause_spans(text)]


def make_unit(text: str, role: str = "text") -> Unit:
    norm = normalize(text)
    return Unit(id="u0123456789", doc_id="test-doc", index=0, section_id="s0", section_path="一",
                kind="plan", role=role, start=100, end=100 + len(text), text=text, norm=norm,
                tokens=segment(norm))


# --------------------------------------------------------------------------- clause_spans


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # one clause per commitment, each keeping its comma
        ("积极参与“一带一路”建设，畅通西部陆海新通道，构建第三亚欧大陆桥国际贸易枢纽。",
         ["积极参与“一带一路”建设，", "畅通西部陆海新通道，", "构建第三亚欧大陆桥国际贸易枢纽。"]),
        # a short opener (fewer than 6 word characters) is joined to the next clause
        ("当前，加快建设网络强省、数字四川。", ["当前，加快建设网络强省、数字四川。"]),
        ("同时，要加强耕地保护和高标准农田建设，提高粮食综合生产能力。",
         ["同时，要加强耕地保护和高标准农田建设，", "提高粮食综合生产能力。"]),
        # several short ones in a row all carry forward
        ("当前，同时，加强耕地保护和高标准农田建设。",
         ["当前，同时，加强耕地保护和高标准农田建设。"]),
        # an enumeration with 、 stays one clause
        ("加快建设网络强省、数字四川、智慧城市、算力枢纽，推动数字经济高质量发展。",
         ["加快建设网络强省、数字四川、智慧城市、算力枢纽，", "推动数字经济高质量发展。"]),
        # colons end clauses too, full and half width; commas of both widths
        ("到二〇三〇年的主要目标是：地区生产总值年均增长5%以上,居民收入同步增长。",
         ["到二〇三〇年的主要目标是：", "地区生产总值年均增长5%以上,", "居民收入同步增长。"]),
        ("发展目标如下所示:推动高质量发展取得新成效。",
         ["发展目标如下所示:", "推动高质量发展取得新成效。"]),
        # a short tail is joined to the clause before it
        ("加强耕地保护和高标准农田建设，等等。", ["加强耕地保护和高标准农田建设，等等。"]),
        # no boundary at all, or nothing but a short clause
        ("提高粮食综合生产能力。", ["提高粮食综合生产能力。"]),
        ("当前，", ["当前，"]),
        ("", [""]),
    ],
)
def test_clause_spans(text: str, expected: list[str]) -> None:
    assert pieces(text) == expected


def test_min_clause_chars_counts_word_characters_only() -> None:
    # exactly MIN_CLAUSE_CHARS word characters (punctuation not counted) stands alone
    six = "“数字”四川建设，"  # 数字四川建设: 6 word characters
    assert len(_WORD_CHAR.findall(six)) == MIN_CLAUSE_CHARS
    assert pieces(six + "推动数字经济高质量发展。") == [six, "推动数字经济高质量发展。"]
    five = "“数字”四川，"
    assert pieces(five + "推动数字经济高质量发展。") == [five + "推动数字经济高质量发展。"]


_ALPHABET = st.sampled_from(list("加快建设数字四川强省经济发展5%.A，,：:、。；“” \n")
                            + ["\u3000", "１"])


@given(st.text(_ALPHABET, max_size=80) | st.text(max_size=60))
def test_clause_spans_cover_any_text(text: str) -> None:
    spans = clause_spans(text)
    assert spans[0][0] == 0 and spans[-1][1] == len(text)
    for (_, b), (c, _) in zip(spans, spans[1:], strict=False):
        assert b == c  # contiguous: nothing lost, nothing repeated
    assert all(a < b for a, b in spans) or text == ""
    for _a, b in spans[:-1]:
        assert text[b - 1] in CLAUSE_ENDS  # a clause ends at a boundary, or with the text
    if len(spans) > 1:
        assert all(len(_WORD_CHAR.findall(text[a:b])) >= MIN_CLAUSE_CHARS for a, b in spans)


# --------------------------------------------------------------------------- unit_clauses


def test_unit_clauses_fields() -> None:
    unit = make_unit("积极参与“一带一路”建设，畅通西部陆海新通道，构建第三亚欧大陆桥国际贸易枢纽。")
    clauses = unit_clauses(unit, start_index=7)
    assert [c.id for c in clauses] == ["u0123456789.1", "u0123456789.2", "u0123456789.3"]
    assert [c.index for c in clauses] == [7, 8, 9]
    assert [c.text for c in clauses] == pieces(unit.text)
    for c in clauses:
        assert (c.doc_id, c.unit_id, c.section_id, c.section_path, c.kind, c.role) == \
            ("test-doc", unit.id, "s0", "一", "plan", "text")
        assert unit.text[c.start - unit.start:c.end - unit.start] == c.text
        assert c.norm == normalize(c.text)
        assert "".join(c.tokens) == c.norm
    assert clauses[1].tokens == segment("畅通西部陆海新通道,")


@pytest.mark.parametrize("role", ["heading", "lead", "row"])
def test_non_text_units_are_not_split(role: str) -> None:
    unit = make_unit("（一）加强耕地保护和高标准农田建设，提高粮食综合生产能力。", role=role)
    clauses = unit_clauses(unit)
    assert len(clauses) == 1
    assert (clauses[0].id, clauses[0].text, clauses[0].role) == (unit.id + ".1", unit.text, role)
    assert clauses[0].tokens == unit.tokens


@given(st.text(_ALPHABET, min_size=1, max_size=80))
def test_clause_tokens_always_join_to_the_clause_norm(text: str) -> None:
    unit = make_unit(text)
    clauses = unit_clauses(unit)
    assert "".join(c.text for c in clauses) == text
    for c in clauses:
        assert c.norm == normalize(c.text)
        assert "".join(c.tokens) == c.norm


# --------------------------------------------------------------------------- the bundled corpus


@pytest.mark.parametrize("doc_id", BUNDLED_IDS)
def test_clauses_rebuild_their_units(doc, doc_id: str) -> None:
    document = doc(doc_id)
    by_unit: dict[str, list] = {}
    for index, clause in enumerate(document.clauses):
        assert clause.index == index
        assert clause.doc_id == doc_id
        assert document.clean.text[clause.start:clause.end] == clause.text
        assert clause.norm == normalize(clause.text)
        assert "".join(clause.tokens) == clause.norm
        by_unit.setdefault(clause.unit_id, []).append(clause)
    assert list(by_unit) == [u.id for u in document.units]  # every unit, in order
    for unit in document.units:
        clauses = by_unit[unit.id]
        assert [c.id for c in clauses] == [f"{unit.id}.{n}" for n in range(1, len(clauses) + 1)]
        assert "".join(c.text for c in clauses) == unit.text
        assert all((c.section_id, c.kind, c.role) == (unit.section_id, unit.kind, unit.role)
                   for c in clauses)
        if unit.role != "text":
            assert len(clauses) == 1  # headings, leads and table rows stay whole


def test_clause_ids_unique_in_the_corpus(corpus) -> None:
    ids = [c.id for d in corpus.documents for c in d.clauses]
    assert len(ids) == len(set(ids))


def test_a_known_sentence_is_split_at_its_commas(doc) -> None:
    decision = doc("2022-decision")
    found = [c for c in decision.clauses if "枫桥经验" in c.text]
    assert len(found) == 1
    assert found[0].text == "坚持和发展新时代“枫桥经验”，"

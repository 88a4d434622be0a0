"""Document comparison and tracing (continuity/analysis/compare.py)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from continuity.analysis.changes import redline
from continuity.analysis.compare import compare_documents, display_spans
from continuity.output.report.facts import consecutive_pairs
from continuity.records import NEW_NUMBERING, OLD_NUMBERING
from continuity.text.diffing import DELETE, EQUAL, INSERT, DiffSpan, word_diff
from continuity.text.normalize import normalize, wording
from continuity.text.segment import segment
from continuity.views.console import select_section


def test_compare_rows(analysis) -> None:
    rows, unmatched = compare_documents(analysis, "2024-decision", "15th-plan")
    doc_a = analysis.corpus.document("2024-decision")
    positions = {c.id: n for n, c in enumerate(doc_a.clauses)}
    assert [positions[r.clause.id] for r in rows] == sorted(positions[r.clause.id] for r in rows)
    assert any(r.counterpart is None for r in rows) and any(r.counterpart for r in rows)
    for row in rows:
        assert row.clause.doc_id == "2024-decision"
        alignment = analysis.alignment(row.clause.id, "15th-plan")
        assert row.relation == alignment.relation
        if row.counterpart is None:
            assert (row.relation, row.score, row.diff) == ("absent", 0.0, ())
            assert analysis.fate(row.clause.id).fate != "unaligned"
            continue
        best = alignment.counterparts[0]
        assert (row.counterpart.id, row.score) == (best.clause, best.score)
        assert row.confidence == best.confidence in ("firm", "tentative")
        old, new = (EQUAL, DELETE, OLD_NUMBERING), (EQUAL, INSERT, NEW_NUMBERING)
        assert "".join(s.text for s in row.diff if s.op in old) == row.clause.norm
        assert "".join(s.text for s in row.diff if s.op in new) == row.counterpart.norm
        # the same diff in display text: each side rebuilt exactly, in the right ops
        assert "".join(s.text for s in row.a_spans) == row.clause.text
        assert "".join(s.text for s in row.b_spans) == row.counterpart.text
        assert {s.op for s in row.a_spans} <= {EQUAL, DELETE}
        assert {s.op for s in row.b_spans} <= {EQUAL, INSERT}
        assert "".join(normalize(s.text) for s in row.a_spans) == \
            "".join(s.text for s in row.diff if s.op in old)
    for clause in unmatched:
        assert clause.doc_id == "15th-plan"
        assert not analysis.alignment(clause.id, "2024-decision").counterparts
        assert analysis.fate(clause.id).fate not in ("unaligned", "review")


def test_compare_one_section(analysis) -> None:
    doc_a = analysis.corpus.document("2024-decision")
    chosen = {s.id for s in select_section(doc_a, "二/(一)")}
    rows, _ = compare_documents(analysis, "2024-decision", "15th-plan", chosen)
    assert rows and all(r.clause.section_id in chosen for r in rows)
    everything, _ = compare_documents(analysis, "2024-decision", "15th-plan")
    assert len(rows) < len(everything)


def test_display_spans_keep_full_width_punctuation_and_spaces() -> None:
    a, b = "加快建设网络强省、 数字四川。", "加快建设数字四川，"
    diff = word_diff(segment(normalize(a)), segment(normalize(b)))
    spans = display_spans(a, diff, DELETE)
    assert "".join(s.text for s in spans) == a
    assert DiffSpan(EQUAL, "加快建设") in spans
    assert any(s.op == DELETE and "网络强省" in s.text for s in spans)
    assert "".join(s.text for s in display_spans(b, diff, INSERT)) == b


_TEXT = st.text(st.sampled_from(list("加快建设网络强省数字四川5%，,、。 　（）()") + ["１"]),
                min_size=1, max_size=40).filter(lambda t: normalize(t) != "")


@given(_TEXT, _TEXT)
def test_display_spans_cover_both_display_texts(a: str, b: str) -> None:
    diff = word_diff(segment(normalize(a)), segment(normalize(b)))
    for text, keep in ((a, DELETE), (b, INSERT)):
        spans = display_spans(text, diff, keep)
        assert "".join(s.text for s in spans) == text
        assert all(s.text for s in spans)


def test_a_headings_numbering_is_plain_text_on_its_side() -> None:
    """第一节 opens the heading on one side only: that side shows it as kept text."""
    a, b = "加快建设农业强省。", "第一节　加快建设农业强省"
    line = redline(segment(normalize(a)), segment(normalize(b)))
    assert display_spans(b, line.spans, INSERT) == (DiffSpan(EQUAL, b),)
    assert display_spans(a, line.spans, DELETE) == (DiffSpan(EQUAL, "加快建设农业强省"),
                                                    DiffSpan(DELETE, "。"))


_NUMBERS = ["", "第一节", "第三十一章", "（三）", "一、", "1.", "专栏2"]
_NUMBERED = st.tuples(st.sampled_from(_NUMBERS), _TEXT)


@given(_NUMBERED, _NUMBERED)
def test_display_spans_cover_numbered_display_texts(a: tuple[str, str],
                                                    b: tuple[str, str]) -> None:
    x, y = "".join(a), "".join(b)
    line = redline(segment(normalize(x)), segment(normalize(y)))
    for text, keep in ((x, DELETE), (y, INSERT)):
        spans = display_spans(text, line.spans, keep)
        assert "".join(s.text for s in spans) == text
        assert all(s.text for s in spans) and {s.op for s in spans} <= {EQUAL, keep}


def test_a_pair_worded_the_same_marks_no_word(analysis) -> None:
    """A counterpart in the same words (`same`, which ignores a heading's numbering and
    punctuation) has a redline marking no word: at most punctuation (17 of the bundled
    corpus's 178 such rank-1 pairs had their 第四节 marked inserted)."""
    found = 0
    for a, b in consecutive_pairs(analysis):
        rows, _ = compare_documents(analysis, a, b)
        for row in rows:
            if row.relation == "same":
                found += 1
                marked = "".join(s.text for s in row.diff if s.op in (DELETE, INSERT))
                assert wording(marked) == "", (row.clause.text, row.counterpart.text)
    assert found > 50


def test_an_absent_row_names_the_later_reviews_reporting_on_it(analysis) -> None:
    rows, _ = compare_documents(analysis, "2022-decision", "2024-chengdu")
    reported = [r for r in rows if r.reports]
    assert reported and all(r.relation == "absent" and r.counterpart is None for r in reported)
    for row in reported:
        assert row.reports == tuple(x for x in analysis.reports_on(row.clause.id)
                                    if x.doc_id == "2024-chengdu")
    tian = next(r for r in rows if r.clause.text.startswith("全面落实田长制"))
    assert [x.review.text for x in tian.reports] == ["全面落实田长制,"]
    # a review reports on earlier commitments only: backwards, none
    back, _ = compare_documents(analysis, "2024-chengdu", "2022-decision")
    assert not any(r.reports for r in back)

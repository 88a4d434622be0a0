"""Following a phrase, a sentence or a unit across the timeline (continuity/analysis/trace.py)."""

from __future__ import annotations

import pytest
from helpers import BUNDLED_IDS

from continuity.analysis.trace import PassageNotFound, nearest, trace
from continuity.errors import ContinuityError
from continuity.text.normalize import normalize

SENTENCE = ("坚持农业农村优先发展，以打造新时代更高水平“天府粮仓”为引领，")


def test_a_phrase_in_every_document(analysis) -> None:
    phrase = "坚持和发展新时代“枫桥经验”"
    found = trace(analysis, phrase)
    assert {c.doc_id for c in found.passages} == set(BUNDLED_IDS)
    assert all(normalize(phrase) in c.norm for c in found.passages)
    [(anchor, steps)] = found.followed
    assert anchor == found.passages[0] and anchor.doc_id == "2022-decision"  # the earliest
    assert [s.doc_id for s in steps] == list(BUNDLED_IDS)
    assert steps[0].relation == "source" and steps[0].clauses == (anchor,)
    assert all(s.relation == "same" and len(s.clauses) == len(s.scores) >= 1 for s in steps[1:])


def test_a_sentence_copied_whole_is_traced_clause_by_clause(analysis) -> None:
    found = trace(analysis, SENTENCE)
    texts = [c.text for c, _ in found.followed]
    assert texts == ["坚持农业农村优先发展，", "以打造新时代更高水平“天府粮仓”为引领，"]
    assert found.passages == tuple(c for c, _ in found.followed)
    assert {c.doc_id for c in found.passages} == {"2022-decision"}
    granary = dict((s.doc_id, s) for s in found.followed[1][1])
    assert all("天府粮仓" in granary[d].clauses[0].norm for d in BUNDLED_IDS[1:])


def test_a_unit_id_from_the_exports(analysis) -> None:
    clause = next(c for c in analysis.result.clauses if "天府粮仓" in c.norm)
    found = trace(analysis, clause.id)
    assert found.passages == (clause,) and found.followed[0][0] == clause
    sentence = trace(analysis, clause.unit_id)  # a sentence id: its clauses
    assert clause in sentence.passages
    assert all(c.unit_id == clause.unit_id for c in sentence.passages)


def test_text_no_passage_carries_is_an_error_with_suggestions(analysis) -> None:
    with pytest.raises(PassageNotFound) as caught:
        trace(analysis, "建设世界一流的人工智能学院和平台体系")
    assert "no passage of the corpus carries" in str(caught.value)
    assert caught.value.suggestions and "人工智能" in caught.value.suggestions[0].norm
    assert isinstance(caught.value, ContinuityError)
    with pytest.raises(PassageNotFound) as nothing:
        trace(analysis, "xyzzy")
    assert nothing.value.suggestions == ()
    with pytest.raises(ContinuityError):
        trace(analysis, "   ")


def test_nearest_is_ordered_and_bounded(analysis) -> None:
    found = nearest(analysis, normalize("人工智能学院"), limit=3)
    assert 0 < len(found) <= 3


def test_each_counterpart_followed_says_how_sure_it_is(analysis) -> None:
    from continuity.views.console import trace_text

    # a clause whose counterparts across the timeline are some firm, some tentative
    anchor = next(c for c in analysis.result.clauses if {"firm", "tentative"} <= {
        cp.confidence for doc in analysis.corpus.ids if doc != c.doc_id
        for cp in analysis.alignment(c.id, doc).counterparts})
    found = trace(analysis, anchor.unit_id)
    anchor, steps = next((a, s) for a, s in found.followed if a == anchor)
    seen = []
    for step in steps[1:]:
        counterparts = analysis.alignment(anchor.id, step.doc_id).counterparts
        assert step.confidences == tuple(c.confidence for c in counterparts)
        seen += step.confidences
    assert {"firm", "tentative"} <= set(seen)
    text = trace_text(found)
    assert text.count("(tentative: check it)") >= seen.count("tentative")

"""Document comparison and tracing (continuity/compare.py)."""

from __future__ import annotations

from helpers import BUNDLED_IDS

from continuity.compare import compare_documents, trace
from continuity.console import select_section
from continuity.diffing import DELETE, EQUAL, INSERT
from continuity.normalize import normalize


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
        assert "".join(s.text for s in row.diff if s.op in (EQUAL, DELETE)) == row.clause.norm
        assert "".join(s.text for s in row.diff if s.op in (EQUAL, INSERT)) == row.counterpart.norm
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


def test_trace_a_phrase_in_every_document(analysis) -> None:
    phrase = "坚持和发展新时代“枫桥经验”"
    anchor, containing, steps = trace(analysis, phrase)
    assert anchor is not None and anchor.doc_id == "2022-decision"  # the earliest
    assert anchor == containing[0]
    assert {c.doc_id for c in containing} == set(BUNDLED_IDS)
    assert all(normalize(phrase) in c.norm for c in containing)
    assert [s.doc_id for s in steps] == list(BUNDLED_IDS)
    assert steps[0].relation == "source" and steps[0].clauses == (anchor,)
    for step in steps[1:]:
        assert step.relation == "same"
        assert len(step.clauses) == len(step.scores) >= 1


def test_trace_falls_back_to_the_most_similar_clause(analysis) -> None:
    anchor, containing, steps = trace(analysis, "建设世界一流的人工智能学院和平台体系")
    assert anchor is not None and containing == ()
    assert "人工智能" in anchor.norm
    assert len(steps) == len(BUNDLED_IDS)


def test_trace_of_nothing_known(analysis) -> None:
    assert trace(analysis, "xyzzy") == (None, (), ())
    assert trace(analysis, "") == (None, (), ())

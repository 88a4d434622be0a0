"""An analysis as one page sees it (continuity/analysis/view.py): restricted to some
documents and clauses, it answers for its own clauses as the whole analysis does, and
holds little besides."""

from __future__ import annotations

import pickle

from continuity.analysis.counts import fate_counts, pair_counts
from continuity.analysis.run import Analysis
from continuity.analysis.view import Views, light, wordless


def answers_as_the_whole(whole: Analysis, seen: Analysis, clause_ids: list[str],
                         targets: list[str] | None = None) -> None:
    """What pages ask about a clause, the view answers as the whole does (its relations
    and counterparts in `targets`, default every document)."""
    for clause_id in clause_ids:
        clause = whole.clause(clause_id)
        assert seen.clause(clause_id) == clause
        assert seen.fate(clause_id) == whole.fate(clause_id)
        assert seen.themes.clauses[clause_id] == whole.themes.clauses[clause_id]
        assert seen.reports_on(clause_id) == whole.reports_on(clause_id)
        assert seen.thread(whole.fate(clause_id).thread) == whole.thread(
            whole.fate(clause_id).thread)
        for doc_id in targets if targets is not None else whole.corpus.ids:
            if doc_id == clause.doc_id:
                continue
            top = whole.result.top(clause_id, doc_id)
            assert seen.result.relation(clause_id, doc_id) == whole.result.relation(
                clause_id, doc_id), (clause_id, doc_id)
            found = seen.result.top(clause_id, doc_id)
            assert (found is None) == (top is None)
            if top is not None and found is not None:  # a counterpart held without words
                assert found[1:] == top[1:] and found[0] in (top[0], wordless(top[0]))


def test_a_documents_view_answers_for_its_clauses_as_the_whole(
        synthetic_analysis: Analysis) -> None:
    whole = synthetic_analysis
    views = Views(whole)
    for doc in whole.corpus.documents:
        seen = views.of([doc.id])
        assert seen.corpus.ids == whole.corpus.ids
        assert seen.corpus.document(doc.id) == doc
        answers_as_the_whole(whole, seen, [c.id for c in doc.clauses])
        assert seen.commitments(doc.id) == whole.commitments(doc.id)
        assert fate_counts(seen, doc.id) == fate_counts(whole, doc.id)
        rows = seen.result.doc_rows(doc.id)
        assert [seen.result.clauses[i] for i in rows] == list(doc.clauses)
        # the other documents are named, not held: their records without text or clauses
        others = [d for d in seen.corpus.documents if d.id != doc.id]
        assert others == [light(d) for d in whole.corpus.documents if d.id != doc.id]
        assert all(not d.clauses and not d.clean.text and not d.sections for d in others)
        # its clauses, and their counterparts' alone, held without their words
        assert len(seen.result.clauses) < len(whole.result.clauses) / 2
        assert all(c == wordless(whole.clause(c.id)) for c in seen.result.clauses
                   if c.doc_id != doc.id)


def test_a_pair_view_holds_the_pairs_corresponding_sections_and_counts(
        synthetic_analysis: Analysis) -> None:
    whole = synthetic_analysis
    views = Views(whole)
    compared = [(a, b) for n, a in enumerate(whole.corpus.ids)
                for m, b in enumerate(whole.corpus.ids) if n != m and whole.result.compared[n, m]]
    assert 0 < len(compared) < len(whole.corpus.ids) ** 2 / 2  # the plan's pairs, not all
    for a, b in compared:
        seen = views.of([a, b], targets=[a, b])
        assert seen.sections == tuple(m for m in whole.sections
                                      if {m.source_doc, m.target_doc} == {a, b})
        assert pair_counts(seen, a, b) == pair_counts(whole, a, b)
        mine = [c.id for d in (a, b) for c in whole.corpus.document(d).clauses]
        answers_as_the_whole(whole, seen, mine[::5], targets=[a, b])
        # the two documents' clauses alone: counterparts elsewhere are left out
        assert {c.doc_id for c in seen.result.clauses} == {a, b}
    nothing = views.of(clauses=mine[:3], targets=())  # a theme page: no counterparts
    assert [c.id for c in nothing.result.clauses] == mine[:3]


def test_a_view_of_some_clauses_answers_for_them_as_the_whole(
        synthetic_analysis: Analysis) -> None:
    """A history page's view: the clauses of some threads, across documents."""
    whole = synthetic_analysis
    threads = sorted(whole.threads, key=lambda t: -len(t.clauses))[:20]
    clause_ids = [c for t in threads for c in t.clauses]
    assert len({whole.clause(c).doc_id for c in clause_ids}) > 2
    seen = Views(whole).of(clauses=clause_ids)
    answers_as_the_whole(whole, seen, clause_ids)
    assert all(not d.clauses for d in seen.corpus.documents)  # no document held whole
    assert len(seen.result.clauses) < len(whole.result.clauses) / 10


def test_a_view_pickles_to_a_fraction_of_the_whole(synthetic_analysis: Analysis) -> None:
    """What a dask task carries: a document's view, not the whole analysis."""
    whole = synthetic_analysis
    doc_id = whole.corpus.ids[3]
    seen = Views(whole).of([doc_id])
    assert len(pickle.dumps(seen)) < len(pickle.dumps(whole)) / 3
    again = pickle.loads(pickle.dumps(seen))
    answers_as_the_whole(whole, again, [c.id for c in whole.corpus.document(doc_id).clauses])


def test_a_view_of_the_bundled_corpus_answers_as_the_whole(analysis: Analysis) -> None:
    """Every pair compared (a small corpus): a document's view holds its counterparts in
    every other document."""
    doc = analysis.corpus.document("2024-decision")
    seen = Views(analysis).of([doc.id])
    answers_as_the_whole(analysis, seen, [c.id for c in doc.clauses][::7])
    assert fate_counts(seen, doc.id) == fate_counts(analysis, doc.id)


def test_a_cut_view_carries_what_its_page_shows_and_no_more(
        synthetic_analysis: Analysis) -> None:
    """A page job's part (`Views.cut`) holds its own documents and clauses, not the
    records of every document nor the comparison plan (`Common`, sent once): a page of a
    few clauses pickles to a few kilobytes whatever the corpus's size."""
    whole = synthetic_analysis
    views = Views(whole)
    doc = whole.corpus.documents[2]
    cut = views.cut([doc.id])
    assert cut.documents == (doc,)
    assert views.common.documents == tuple(light(d) for d in whole.corpus.documents)
    again = pickle.loads(pickle.dumps(cut)).analysis(views.common)
    answers_as_the_whole(whole, again, [c.id for c in doc.clauses][::3])
    few = [c.id for c in doc.clauses[:3]]
    small = views.cut(clauses=few, targets=())
    assert [c.id for c in small.clauses] == few
    assert len(pickle.dumps(small)) < 10_000

"""The comparison stages chained (continuity/analysis/run.py)."""

from __future__ import annotations

import pytest
from helpers import BUNDLED_IDS, entry

from continuity.analysis.run import Analysis, analyse
from continuity.errors import ContinuityError, UnknownClauseError, UnknownDocumentError
from continuity.settings import AlignSettings

TEXT_A = """\
某某省委决定
一、主要任务
坚持和发展新时代“枫桥经验”，健全城乡社区治理体系。
加快建设世界级航空航天产业集群。
"""
TEXT_B = """\
某某省政府工作报告
一、重点工作
坚持和发展新时代“枫桥经验”，健全城乡社区治理体系。
大力培育壮大世界级航空航天产业集群。
"""


def test_bundled_analysis_holds_everything(analysis: Analysis, corpus) -> None:
    assert analysis.corpus is corpus
    assert analysis.corpus.ids == BUNDLED_IDS
    clauses = analysis.result.clauses
    assert clauses == tuple(c for d in corpus.documents for c in d.clauses)
    assert len(analysis.fates) == len(clauses) == len(analysis.themes.clauses)
    assert analysis.sections and analysis.threads
    assert analysis.result.settings == AlignSettings()


def test_lookups(analysis: Analysis) -> None:
    for clause in analysis.result.clauses[::97]:
        assert analysis.clause(clause.id) is clause
        assert analysis.fate(clause.id).clause == clause.id
        for other in BUNDLED_IDS:
            if other != clause.doc_id:
                a = analysis.alignment(clause.id, other)
                assert (a.source, a.target_doc) == (clause.id, other)


def test_unknown_ids_are_continuity_errors_saying_what_there_is(analysis: Analysis) -> None:
    first = analysis.result.clauses[0]
    known = ", ".join(BUNDLED_IDS)
    cases = [
        (lambda: analysis.clause("bad-id"), UnknownClauseError, "unknown clause 'bad-id'"),
        (lambda: analysis.fate("bad-id"), UnknownClauseError, "unknown clause 'bad-id'"),
        (lambda: analysis.alignment("bad-id", "15th-plan"), UnknownClauseError,
         "unknown clause 'bad-id': clause ids are those of the `unit` column of units.csv"),
        (lambda: analysis.alignment(first.id, "2030-plan"), UnknownDocumentError,
         f"unknown document '2030-plan'; known ids: {known}"),
        (lambda: analysis.alignment(first.id, first.doc_id), ContinuityError,
         f"clause {first.id!r} is in {first.doc_id!r} itself"),
        (lambda: analysis.commitments("2030-plan"), UnknownDocumentError,
         "unknown document '2030-plan'"),
        (lambda: analysis.thread("bad-id"), ContinuityError, "unknown thread 'bad-id'"),
    ]
    for lookup, error, message in cases:
        with pytest.raises(error) as info:
            lookup()
        assert str(info.value).startswith(message)
        assert not isinstance(info.value, KeyError)


@pytest.fixture
def two(compare_corpus):
    return compare_corpus([(entry(id="a", date="2023-01-01"), TEXT_A),
                           (entry(id="b", date="2024-01-01"), TEXT_B)])


def test_analyse_is_deterministic(two) -> None:
    first, second = analyse(two), analyse(two)
    assert first.result.clauses == second.result.clauses
    assert first.result.alignments == second.result.alignments
    assert first.themes == second.themes
    assert first.sections == second.sections
    assert (first.fates, first.threads) == (second.fates, second.threads)


def test_analyse_passes_settings_on(two) -> None:
    strict = analyse(two, AlignSettings(min_score=0.99))
    assert strict.result.settings.min_score == 0.99
    relations = {a.relation for a in strict.result.alignments}
    assert relations <= {"same", "absent"}  # only the identical clauses survive 0.99
    assert "same" in relations


def test_analysis_of_separately_loaded_corpora_is_equal(two, compare_corpus) -> None:
    other = compare_corpus([(entry(id="a", date="2023-01-01"), TEXT_A),
                            (entry(id="b", date="2024-01-01"), TEXT_B)])
    assert analyse(two).result.alignments == analyse(other).result.alignments


def test_themes_and_sections_are_made_while_the_alignment_jobs_run(corpus,
                                                                   analysis: Analysis) -> None:
    """They need the vectors and the planned pairs, not the counterparts: this process
    makes them as its own work (`first`) while the documents' alignment jobs run."""
    asked: list[str] = []

    class Watching:
        """An engine that notes which runs had work of this process's own."""

        name = "watching"

        def run(self, jobs, done=None, first=None, recipe=None, keep=None):
            if first is not None:
                asked.append(jobs[0].name.split(" ")[0])
                first()
            return [job.make() for job in jobs]

    again = analyse(corpus, engine=Watching())
    assert asked == ["aligning"]
    assert again.themes == analysis.themes and again.sections == analysis.sections
    assert again.fates == analysis.fates

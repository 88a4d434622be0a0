"""Clause features read a document at a time (continuity/analysis/features.py)."""

from __future__ import annotations

import concurrent.futures
import multiprocessing

import numpy as np
import pytest

from continuity.analysis.align import evidence_words
from continuity.analysis.features import FeatureReading, corpus_features, document_features
from continuity.analysis.vectors import build_vectors, clause_features, vectors_of, words
from continuity.corpus.aliases import corpus_aliases
from continuity.engine import LocalEngine
from continuity.records import Corpus
from continuity.settings import AlignSettings
from continuity.text import segment
from continuity.text.aliases import AliasMatcher


def one_after_another(corpus: Corpus, settings: AlignSettings):
    """The vectors and evidence words of every clause read in order, in this process."""
    aliases = AliasMatcher.of(corpus_aliases(corpus.root))
    evidence = []

    def features():
        for doc in corpus.documents:
            for clause in doc.clauses:
                norm, tokens = aliases.view(clause.norm, clause.tokens)
                found = clause_features(tokens, norm)
                evidence.append(evidence_words(tokens, norm, found[0]))
                yield found

    vectors = build_vectors(features(), settings.word_weight, settings.char_weight,
                            settings.char_min_idf)
    return vectors, tuple(evidence)


@pytest.mark.parametrize("workers", [1, 2])
@pytest.mark.parametrize("char_weight", [0.0, 0.2])
def test_documents_read_apart_give_the_same_vectors(corpus: Corpus, workers: int,
                                                    char_weight: float) -> None:
    settings = AlignSettings(char_weight=char_weight, char_min_idf=2.0)
    expected, expected_words = one_after_another(corpus, settings)
    read = corpus_features(corpus, settings, LocalEngine(workers))
    vectors, words = vectors_of(read, settings.word_weight, settings.char_weight,
                                settings.char_min_idf)
    assert list(vectors.vocab) == list(expected.vocab)  # every key in the same column
    for name in ("data", "indices", "indptr"):
        assert np.array_equal(getattr(vectors.matrix, name), getattr(expected.matrix, name))
    assert np.array_equal(vectors.idf, expected.idf)
    assert words == expected_words


def test_aliased_clauses_are_read_as_the_name(corpus: Corpus) -> None:
    aliases = AliasMatcher.of(corpus_aliases(corpus.root))
    read = corpus_features(corpus, engine=LocalEngine(1))
    views = [(doc, i, seen) for doc, found in zip(corpus.documents, read, strict=True)
             for i, seen in found.views.items()]
    assert views  # the bundled documents write forms of names (能耗双控 and others)
    for doc, i, seen in views:
        clause = doc.clauses[i]
        assert seen == aliases.view(clause.norm, clause.tokens) and seen[0] != clause.norm


def test_a_document_without_clauses_has_no_features() -> None:
    found = document_features(FeatureReading(AliasMatcher.of(()), chars=False, subwords={}), ())
    assert found.keys() == [] and not found.cols and not found.lengths
    vectors, words = vectors_of([found, found])
    assert vectors.matrix.shape == (0, 0) and words == ()


class Elsewhere:
    """An engine that runs every job in another process (a worker forked for it)."""

    name = "elsewhere"

    def run(self, jobs, done=None, first=None, recipe=None, keep=None):
        if first is not None:
            first()
        context = multiprocessing.get_context("fork")
        with concurrent.futures.ProcessPoolExecutor(1, mp_context=context) as pool:
            return list(pool.map(_make, jobs))


def _make(job):
    return job.make()


def test_what_workers_ask_the_segmenter_is_kept_here(corpus: Corpus,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """The subwords a worker found come back with its features, for the next build to
    find among the answers kept (`pipeline.keep_answers`), though this process never
    asked for them."""
    for kind in ("words", "subwords"):
        monkeypatch.setattr(segment.ANSWERS, kind, {})
    monkeypatch.setattr(segment.ANSWERS, "new", 0)
    corpus_features(corpus, engine=Elsewhere())
    aliases = AliasMatcher.of(corpus_aliases(corpus.root))
    asked = {w for doc in corpus.documents for c in doc.clauses
             for w in words(aliases.view(c.norm, c.tokens)[1]) if len(w) > 2}
    assert asked and set(segment.ANSWERS.subwords) >= asked
    assert segment.ANSWERS.new >= len(asked)  # new: the next build's answers are kept
    assert all(found == segment._subwords(token)
               for token, found in segment.ANSWERS.subwords.items())


def test_a_worker_not_forked_takes_the_subwords_known_here(corpus: Corpus,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """A dask worker starts with no answers of its own: the job's reading brings those
    of the building process, so it asks jieba for none of them."""
    aliases = AliasMatcher.of(corpus_aliases(corpus.root))
    clauses = corpus.documents[0].clauses
    known = {w: segment._subwords(w) for c in clauses
             for w in words(aliases.view(c.norm, c.tokens)[1]) if len(w) > 2}
    for kind in ("words", "subwords"):
        monkeypatch.setattr(segment.ANSWERS, kind, {})

    def no_jieba(token: str) -> tuple[str, ...]:
        raise AssertionError(f"asked jieba for {token}")

    monkeypatch.setattr(segment, "_subwords", no_jieba)
    found = document_features(FeatureReading(aliases, chars=False, subwords=known), clauses)
    assert found.lengths and found.subwords == {}  # nothing new to send back

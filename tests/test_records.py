"""Records: what crosses between processes comes back equal (a document read by a worker,
the fates and the analysis a dask worker is sent)."""

from __future__ import annotations

import dataclasses
import pickle

import pytest

from continuity import records
from continuity.analysis.run import Analysis
from continuity.records import Corpus, DiffSpan, Thread

RECORDS = [cls for cls in vars(records).values()
           if isinstance(cls, type) and dataclasses.is_dataclass(cls)
           and cls.__module__ == records.__name__]


def test_a_corpus_pickles_to_an_equal_one(corpus: Corpus) -> None:
    copy = pickle.loads(pickle.dumps(corpus, protocol=pickle.HIGHEST_PROTOCOL))
    assert copy == corpus
    assert copy.documents[-1].clauses[-1] == corpus.documents[-1].clauses[-1]
    assert type(copy.documents[0].units[0]) is type(corpus.documents[0].units[0])


def test_fates_and_threads_pickle_to_equal_ones(analysis: Analysis) -> None:
    made = (analysis.fates, analysis.threads)
    assert pickle.loads(pickle.dumps(made)) == made


@pytest.mark.parametrize("record", [DiffSpan("equal", "推进"), Thread("t1", ("c1",), ("d1",))])
def test_a_record_pickles_as_its_class_and_fields(record: object) -> None:
    """Not through the slots' `__getstate__` (slow: it asks `dataclasses.fields` per
    record), but as a call of the class with the fields' values, in field order."""
    cls, values = record.__reduce__()
    assert cls is type(record)
    assert values == dataclasses.astuple(record)
    assert pickle.loads(pickle.dumps(record)) == record


def test_every_record_pickles_by_its_fields() -> None:
    assert len(RECORDS) > 15
    for cls in RECORDS:
        assert "__reduce__" in vars(cls), cls.__name__

"""Section, unit and thread ids unique across a corpus of any size
(continuity/corpus/unique_ids.py)."""

from __future__ import annotations

import hashlib

import pytest
from helpers import entry

import continuity
from continuity.analysis.run import analyse
from continuity.corpus.structure import tree
from continuity.corpus.unique_ids import unique_name, with_unique_ids
from continuity.output.store import STORE, fingerprint, write_store
from continuity.text import units

TEXT = """\
某某省委决定
一、主要任务
加快建设世界级航空航天产业集群。全面推进大熊猫国家公园体制试点。
二、保障措施
坚持和发展新时代“枫桥经验”，健全城乡社区治理体系。
"""


@pytest.fixture
def colliding(monkeypatch, compare_corpus):
    """Two documents of the same outline whose section and unit ids collide on every one:
    the digests leave the document out, as 40-bit digests of two million units can agree."""
    def unit_id(doc_id: str, section_path: str, ordinal: int) -> str:
        return "u" + hashlib.sha1(f"{section_path}\x1f{ordinal}".encode()).hexdigest()[:10]

    def section_id(doc_id: str, path: tuple[str, ...]) -> str:
        return "s" + hashlib.sha1("\x1f".join(path).encode()).hexdigest()[:10]

    monkeypatch.setattr(units, "unit_id", unit_id)
    monkeypatch.setattr(tree, "section_id", section_id)
    monkeypatch.setattr(continuity.pipeline, "DocumentCache", _NoCache)
    return compare_corpus([(entry(id="a", date="2023-01-01"), TEXT),
                           (entry(id="b", date="2024-01-01"), TEXT)])


class _NoCache:
    @staticmethod
    def open() -> None:
        return None  # read every document afresh: the patched ids are no cached record's


def test_colliding_ids_of_a_later_document_are_renamed_and_followed(colliding) -> None:
    a, b = colliding.documents
    assert {s.id for s in a.sections} & {s.id for s in b.sections} == set()
    assert {u.id for u in a.units} & {u.id for u in b.units} == set()
    assert {c.id for c in a.clauses} & {c.id for c in b.clauses} == set()
    for doc in (a, b):
        sections = {s.id for s in doc.sections}
        units_ = {u.id for u in doc.units}
        assert all(s.parent is None or s.parent in sections for s in doc.sections)
        assert all(u.section_id in sections for u in doc.units)
        for c in doc.clauses:
            assert c.unit_id in units_ and c.section_id in sections
            assert c.id.startswith(c.unit_id + ".")
    # the earlier document keeps its ids; the later one's are its own plus four digits
    first = {u.id for u in a.units}
    assert all(u.id[:11] in first and len(u.id) == 15 for u in b.units)


def test_a_corpus_whose_ids_collided_builds_and_stores(colliding, tmp_path) -> None:
    analysis = analyse(colliding)
    assert len({c.id for c in analysis.result.clauses}) == len(analysis.result.clauses)
    write_store(tmp_path / STORE, analysis, fingerprint(colliding.root))  # keys unique


def test_ids_that_do_not_collide_are_left_as_they_are(corpus) -> None:
    assert with_unique_ids(corpus.documents) == corpus.documents


def test_a_thread_name_that_is_taken_grows_by_four_digits() -> None:
    taken: set[str] = set()
    digest_a, digest_b = "0123456789" + "a" * 30, "0123456789" + "b" * 30
    assert unique_name("t", digest_a, taken) == "t0123456789"
    assert unique_name("t", digest_b, taken) == "t0123456789bbbb"
    assert unique_name("t", digest_a, taken) == "t0123456789aaaa"
    assert taken == {"t0123456789", "t0123456789bbbb", "t0123456789aaaa"}

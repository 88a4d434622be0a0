"""The chained ingest stages and the corpus they build (continuity/pipeline.py)."""

from __future__ import annotations

import dataclasses
import shutil

import pytest
from helpers import BUNDLED_IDS, entry, manifest_text

import continuity
from continuity.corpus.manifest import bundled_corpus, read_manifest
from continuity.errors import UnknownSectionError
from continuity.pipeline import load_document

NEW_DOC = """\
中共四川省委关于某某工作的意见
一、总体要求
坚持稳中求进工作总基调，推动高质量发展。
二、主要任务
（一）建设“天府粮仓”。加强耕地保护和高标准农田建设，提高粮食综合生产能力。
"""

NEW_ENTRY = {
    "id": "2023-opinion",
    "title": "中共四川省委关于某某工作的意见",
    "short_title": "某某工作意见",
    "date": "2023-06",
    "issuer": "中共四川省委",
    "level": "province",
    "genre": "opinion",
    "file": "2023-06-opinion.txt",
    "source": "a sixth document written by the test suite",
}


def test_bundled_corpus_in_timeline_order(corpus) -> None:
    assert corpus.ids == BUNDLED_IDS
    assert corpus.root == bundled_corpus()
    dates = [d.meta.date for d in corpus.documents]
    assert dates == sorted(dates)


@pytest.mark.parametrize(
    ("doc_id", "sections", "units"),
    [
        ("2022-decision", 47, 357),
        ("2024-chengdu", 170, 613),
        ("2024-decision", 34, 216),
        ("2025-report", 50, 306),
        ("15th-plan", 516, 1990),
    ],
)
def test_bundled_document_sizes(doc, doc_id: str, sections: int, units: int) -> None:
    document = doc(doc_id)
    assert (len(document.sections), len(document.units)) == (sections, units)


def test_load_document_is_one_document_of_load_corpus(corpus) -> None:
    meta = read_manifest(bundled_corpus())[3]
    assert load_document(meta) == corpus.document(meta.id)


def test_load_corpus_accepts_a_string_path(write_corpus) -> None:
    root = write_corpus([(entry(id="one"), "一、主要任务\n坚持和发展新时代“枫桥经验”。\n")])
    loaded = continuity.load_corpus(str(root))
    assert loaded.ids == ("one",) and loaded == continuity.load_corpus(root)


def test_unknown_document_lists_the_known_ids(corpus) -> None:
    with pytest.raises(continuity.UnknownDocumentError) as info:
        corpus.document("nope")
    message = str(info.value)
    assert "'nope'" in message
    assert all(doc_id in message for doc_id in BUNDLED_IDS)
    assert (info.value.doc_id, info.value.known) == ("nope", BUNDLED_IDS)
    assert isinstance(info.value, continuity.ContinuityError)


def test_document_section_lookup(doc) -> None:
    plan = doc("15th-plan")
    first = plan.sections[1]
    assert plan.section(first.id) is first
    with pytest.raises(UnknownSectionError, match="s0000000000"):
        plan.section("s0000000000")


def test_a_sixth_document_needs_only_a_file_and_an_entry(corpus, tmp_path) -> None:
    root = tmp_path / "corpus"
    shutil.copytree(bundled_corpus(), root)
    (root / NEW_ENTRY["file"]).write_text(NEW_DOC, encoding="utf-8")
    with (root / "manifest.toml").open("a", encoding="utf-8") as manifest:
        manifest.write("\n" + manifest_text([NEW_ENTRY]))

    grown = continuity.load_corpus(root)

    assert grown.ids == ("2022-decision", "2023-opinion", *BUNDLED_IDS[1:])
    new = grown.document("2023-opinion")
    assert new.meta.genre == "opinion" and new.meta.date_text == "2023-06"
    title = "中共四川省委关于某某工作的意见"  # a lone title line heads the document
    assert [(s.path_text, s.style) for s in new.sections] == [
        (title, "heading"), (f"{title}/一", "cn-number"), (f"{title}/二", "cn-number"),
        (f"{title}/二/(一)", "paren-number"),
    ]
    assert [u.text for u in new.units][-2:] == [
        "（一）建设“天府粮仓”。", "加强耕地保护和高标准农田建设，提高粮食综合生产能力。"
    ]
    # nothing about the other five documents changes but where their files are
    for before in corpus.documents:
        after = grown.document(before.id)
        assert after.meta == dataclasses.replace(before.meta, file=root / before.meta.file.name)
        assert dataclasses.replace(after, meta=before.meta) == before


def test_loading_twice_gives_equal_corpora(corpus, corpus_again) -> None:
    assert corpus_again == corpus and corpus_again is not corpus


@pytest.mark.parametrize("workers", [1, 2, 4])
def test_any_number_of_workers_loads_the_same_corpus(corpus, workers: int) -> None:
    loaded = continuity.load_corpus(workers=workers)
    assert loaded == corpus
    assert loaded.ids == corpus.ids


def test_ingest_does_not_import_the_comparison_stages() -> None:
    """Loading a corpus must not pay for numpy/scipy/jinja (issue 2's ingest budget)."""
    import subprocess
    import sys

    code = ("import sys, continuity; continuity.load_corpus(); "
            "print(sorted(m for m in ('scipy', 'jinja2', 'rapidfuzz', 'pandas') "
            "if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.strip()
    assert out == "[]"


def test_analyse_is_available_from_the_package() -> None:
    import continuity

    assert callable(continuity.analyse)
    assert continuity.Analysis.__name__ == "Analysis"


def test_fewer_collections_restores_the_callers_thresholds() -> None:
    import gc

    from continuity.pipeline import BATCH_GC_THRESHOLDS, fewer_collections

    before = gc.get_threshold()
    with pytest.raises(RuntimeError), fewer_collections():
        assert gc.get_threshold() == BATCH_GC_THRESHOLDS
        raise RuntimeError
    assert gc.get_threshold() == before

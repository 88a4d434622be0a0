"""One family of errors for bad input (continuity/errors.py): whatever a corpus folder holds,
loading it either works or raises a ContinuityError with a message, never anything else."""

from __future__ import annotations

import datetime as dt
import inspect
from pathlib import Path

import pytest
from helpers import ENTRY, entry, manifest_text
from hypothesis import given
from hypothesis import strategies as st

import continuity
from continuity import errors
from continuity.corpus.manifest import read_manifest
from continuity.errors import ContinuityError


def test_every_error_is_a_continuity_error_with_a_docstring() -> None:
    classes = [c for _, c in inspect.getmembers(errors, inspect.isclass)
               if issubclass(c, Exception) and c.__module__ == errors.__name__]
    assert len(classes) >= 8
    for cls in classes:
        assert issubclass(cls, ContinuityError), cls
        assert cls.__doc__, cls


def _corpus(base: pytest.TempPathFactory, files: dict[str, bytes],
            entries: list[dict[str, object]]) -> Path:
    root = base.mktemp("corpus")
    for name, data in files.items():
        (root / name).write_bytes(data)
    (root / "manifest.toml").write_text(manifest_text(entries), encoding="utf-8")
    return root


#: Document bodies of every sort: bytes at random, text at random, and text built from what
#: the stages react to (headings, boilerplate, invisible characters, markup, tabs).
BODIES = st.one_of(
    st.binary(max_size=300),
    st.text(max_size=200).map(lambda t: t.encode("utf-8")),
    st.lists(st.sampled_from([
        "一、总体要求", "（一）实施行动。", "1. 项目", "——坚持创新。", "第一章 总则", "专栏1 指标",
        "类别\t指标\t2030年", "经济\t1.增长(%)\t5", "正文很长，很长很长很长很长很长很长很长很长",
        "加快建设现代化产业体系。", "\u200b", "\ufeff一\u200b、要求", "<p>", "<html>", "目录",
        "- 31 -", "我也说两句", "English text, with a comma.", " ", "", "。", "\u3000",
    ]), max_size=12).map(lambda parts: "\n".join(parts).encode("utf-8")),
)


@given(BODIES)
def test_loading_any_document_works_or_raises_a_continuity_error(
        tmp_path_factory: pytest.TempPathFactory, body: bytes) -> None:
    root = _corpus(tmp_path_factory, {"test-doc.txt": body}, [entry()])
    try:
        corpus = continuity.load_corpus(root, workers=1)
    except ContinuityError as exc:
        assert str(exc)
        return
    (document,) = corpus.documents
    assert document.clean.text and document.sections and document.units
    ids = [s.id for s in document.sections]
    assert len(ids) == len(set(ids))
    assert len({c.id for c in document.clauses}) == len(document.clauses)


#: Manifest values of every TOML type a hand-edited manifest might hold.
VALUES = st.one_of(st.text(max_size=20), st.integers(), st.dates(min_value=dt.date(1, 1, 1)),
                   st.sampled_from(["", " ", "..", "/", "/etc/passwd", "test-doc.txt", "2024-13",
                                    "national", "plan"]))


@given(st.dictionaries(st.sampled_from(sorted(ENTRY) + ["extra"]), VALUES, max_size=4))
def test_reading_any_manifest_works_or_raises_a_continuity_error(
        tmp_path_factory: pytest.TempPathFactory, changes: dict) -> None:
    root = _corpus(tmp_path_factory, {"test-doc.txt": "正文。".encode()}, [{**entry(), **changes}])
    try:
        read_manifest(root)
    except ContinuityError as exc:
        assert str(root / "manifest.toml") in str(exc)

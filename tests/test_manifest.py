"""Manifest reading and validation (continuity/manifest.py)."""

from __future__ import annotations

import datetime as dt

import pytest
from helpers import BUNDLED_IDS, entry

import continuity
from continuity.manifest import bundled_corpus, read_manifest


def test_bundled_manifest_lists_the_five_documents_in_timeline_order() -> None:
    metas = read_manifest(bundled_corpus())
    assert tuple(m.id for m in metas) == BUNDLED_IDS
    assert [m.date for m in metas] == sorted(m.date for m in metas)
    assert all(m.file.is_file() and m.file.parent == bundled_corpus() for m in metas)


@pytest.mark.parametrize(
    ("doc_id", "date", "date_text", "level", "genre"),
    [
        ("2022-decision", dt.date(2022, 11, 29), "2022-11-29", "province", "decision"),
        ("2024-chengdu", dt.date(2024, 2, 1), "2024-02-01", "city", "work-report"),
        # month-only date: the first of the month, with the manifest's text kept
        ("2025-report", dt.date(2025, 1, 1), "2025-01", "province", "work-report"),
        ("15th-plan", dt.date(2026, 2, 7), "2026-02-07", "province", "five-year-plan"),
    ],
)
def test_bundled_entries(doc_id: str, date: dt.date, date_text: str, level: str,
                         genre: str) -> None:
    meta = {m.id: m for m in read_manifest(bundled_corpus())}[doc_id]
    assert (meta.date, meta.date_text, meta.level, meta.genre) == (date, date_text, level, genre)


def test_timeline_order_is_date_then_manifest_order(write_corpus) -> None:
    root = write_corpus([
        (entry(id="c-late", date="2025-03-01"), "正文。"),
        (entry(id="b-same-1", date="2024-05"), "正文。"),
        (entry(id="a-early", date="2023-12-31"), "正文。"),
        (entry(id="d-same-2", date="2024-05-01"), "正文。"),
    ])
    assert [m.id for m in read_manifest(root)] == ["a-early", "b-same-1", "d-same-2", "c-late"]


def test_string_fields_are_stripped(write_corpus) -> None:
    root = write_corpus([(entry(title="  标题  ", issuer=" 机关\n"), "正文。")])
    (meta,) = read_manifest(root)
    assert (meta.title, meta.issuer) == ("标题", "机关")


# Each case: the second entry of a two-entry manifest is broken in one way; the error
# must name the manifest file, the entry by number and id, and what is wrong.
BAD_ENTRIES = [
    pytest.param(entry(id="gone", file="missing.txt"), None,
                 "file 'missing.txt' not found", id="missing-file"),
    pytest.param(entry(id="first", file="other.txt"), "正文。",
                 "duplicate id, already used by entry 1", id="duplicate-id"),
    pytest.param(entry(id="bad-month", date="2024-13-01"), "正文。",
                 "date '2024-13-01' is not an ISO date", id="date-month-13"),
    pytest.param(entry(id="bad-day", date="2024-02-30"), "正文。",
                 "date '2024-02-30' is not an ISO date", id="date-feb-30"),
    pytest.param(entry(id="words", date="yesterday"), "正文。",
                 "date 'yesterday' is not an ISO date", id="date-yesterday"),
    pytest.param(entry(id="toml-date", date=dt.date(2024, 1, 1)), "正文。",
                 "date must be a non-empty string", id="date-not-a-string"),
    pytest.param({**entry(id="extra"), "author": "某人"}, "正文。",
                 "unknown key(s) ['author']", id="unknown-key"),
    pytest.param({k: v for k, v in entry(id="short").items() if k != "source"}, "正文。",
                 "missing key(s) ['source']", id="missing-key"),
    pytest.param(entry(id="lvl", level="provincial"), "正文。",
                 "level 'provincial' is not one of", id="bad-level"),
    pytest.param(entry(id="gnr", genre="speech"), "正文。",
                 "genre 'speech' is not one of", id="bad-genre"),
    pytest.param(entry(id="blank", title="  "), "正文。",
                 "title must be a non-empty string", id="blank-title"),
]


@pytest.mark.parametrize(("bad", "body", "message"), BAD_ENTRIES)
def test_bad_entry_raises_manifest_error_naming_path_and_entry(write_corpus, bad, body,
                                                               message) -> None:
    root = write_corpus([(entry(id="first"), "正文。"), (bad, body)])
    with pytest.raises(continuity.ManifestError) as info:
        read_manifest(root)
    text = str(info.value)
    assert str(root / "manifest.toml") in text
    assert f"entry 2 ({bad['id']})" in text
    assert message in text


def test_bad_id_is_refused(write_corpus) -> None:
    root = write_corpus([(entry(id="has space", file="x.txt"), "正文。")])
    with pytest.raises(continuity.ManifestError, match=r"entry 1 \(has space\): id 'has space'"):
        read_manifest(root)


def test_load_corpus_reports_manifest_errors(write_corpus) -> None:
    root = write_corpus([(entry(id="lvl", level="town"), "正文。")])
    with pytest.raises(continuity.ManifestError, match="level 'town'"):
        continuity.load_corpus(root)


@pytest.mark.parametrize(
    ("manifest", "message"),
    [
        ("[[document]\nid = ", "not valid TOML"),
        ("title = '无文件'\n", "unknown top-level key(s) ['title']"),
        ("# nothing here\n", "no [[document]] entries"),
        ("document = 'x'\n", "no [[document]] entries"),
        ("document = ['x']\n", "entry 1: expected a table of keys"),
    ],
)
def test_unusable_manifest_file(tmp_path, manifest: str, message: str) -> None:
    (tmp_path / "manifest.toml").write_text(manifest, encoding="utf-8")
    with pytest.raises(continuity.ManifestError) as info:
        read_manifest(tmp_path)
    assert str(tmp_path / "manifest.toml") in str(info.value)
    assert message in str(info.value)


def test_missing_manifest(tmp_path) -> None:
    with pytest.raises(continuity.ManifestError, match="no manifest found"):
        read_manifest(tmp_path)


def test_manifest_error_is_a_continuity_error() -> None:
    assert issubclass(continuity.ManifestError, continuity.ContinuityError)

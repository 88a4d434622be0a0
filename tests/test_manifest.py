"""Manifest reading and validation (continuity/corpus/manifest.py)."""

from __future__ import annotations

import datetime as dt
import os

import pytest
from helpers import BUNDLED_IDS, entry

import continuity
from continuity.corpus.manifest import (
    bundled_corpus,
    read_corpus_manifest,
    read_manifest,
    read_toml,
)
from continuity.records import CompareTable


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


# --------------------------------------------------------------------------- containment

SECRET = "本机私人笔记：不应出现在任何报告中。"


@pytest.fixture
def outside(tmp_path):
    """A file outside every corpus folder, as a local secret would be."""
    path = tmp_path / "private" / "secret.txt"
    path.parent.mkdir()
    path.write_text(SECRET, encoding="utf-8")
    return path


def _corpus_with(write_corpus, file: str, link: tuple[str, str] | None = None):
    """A corpus whose second entry names `file`; `link` = (name, target) makes a symlink."""
    root = write_corpus([(entry(id="first"), "正文。"), (entry(id="bad", file=file), None)])
    if link is not None:
        name, target = link
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).symlink_to(target)
    return root


# Each case: (file the entry names, the symlink made in the corpus as (name, target), why
# the message gives); {secret} is the outside file, {private} its folder.
OUTSIDE = [
    pytest.param("{secret}", None, "(an absolute path)", id="absolute"),
    pytest.param("/etc/passwd", None, "(an absolute path)", id="etc-passwd"),
    pytest.param("../../../../../../../../etc/passwd", None, "('..' leads to /etc/passwd)",
                 id="dot-dot-etc-passwd"),
    pytest.param("../private/secret.txt", None, "('..' leads to {secret})", id="dot-dot"),
    pytest.param("link.txt", ("link.txt", "{secret}"),
                 "(a symbolic link leads to {secret})", id="symlink-to-file"),
    pytest.param("sub/link.txt", ("sub/link.txt", "../../private/secret.txt"),
                 "(a symbolic link leads to {secret})", id="relative-symlink"),
    pytest.param("folder/secret.txt", ("folder", "{private}"),
                 "(a symbolic link leads to {secret})", id="symlinked-folder"),
]


@pytest.mark.parametrize(("file", "link", "why"), OUTSIDE)
def test_a_file_outside_the_corpus_folder_is_refused(write_corpus, outside, file, link,
                                                     why) -> None:
    names = {"secret": outside, "private": outside.parent}
    file = file.format(**names)
    root = _corpus_with(write_corpus, file,
                        (link[0], link[1].format(**names)) if link else None)
    with pytest.raises(continuity.ManifestError) as info:
        continuity.load_corpus(root)
    text = str(info.value)
    assert f"entry 2 (bad): file {file!r} is outside the corpus folder {root}" in text
    assert why.format(**names) in text
    assert "a corpus may only use files inside its own folder" in text


@pytest.mark.parametrize("name", ["manifest.toml", "themes.toml"])
def test_a_corpus_data_file_outside_the_folder_is_refused(write_corpus, tmp_path,
                                                          name: str) -> None:
    root = write_corpus([(entry(id="first"), "正文。")])
    elsewhere = tmp_path / "elsewhere.toml"
    elsewhere.write_text((root / "manifest.toml").read_text(encoding="utf-8")
                         if name == "manifest.toml" else "", encoding="utf-8")
    (root / name).unlink(missing_ok=True)
    (root / name).symlink_to(elsewhere)
    what = name.removesuffix(".toml")
    with pytest.raises(continuity.ManifestError) as info:
        read_toml(root / name, what)
    assert str(info.value).startswith(f"{root / name}: the {what} is outside the corpus "
                                      f"folder {root} (a symbolic link leads to {elsewhere})")


@pytest.mark.parametrize("file", [".", "sub", "sub/"])
def test_a_folder_is_not_a_file(write_corpus, file: str) -> None:
    root = write_corpus([(entry(id="first"), "正文。"), (entry(id="bad", file=file), None)])
    (root / "sub").mkdir()
    with pytest.raises(continuity.ManifestError,
                       match=rf"entry 2 \(bad\): file '{file}' is a folder, not a file"):
        read_manifest(root)


def test_a_named_pipe_is_not_a_regular_file(write_corpus) -> None:
    root = write_corpus([(entry(id="first"), "正文。"), (entry(id="bad", file="pipe"), None)])
    os.mkfifo(root / "pipe")  # reading it would wait for a writer for ever
    with pytest.raises(continuity.ManifestError,
                       match=r"entry 2 \(bad\): file 'pipe' is not a regular file"):
        read_manifest(root)


@pytest.mark.parametrize("file", ["nul\x00.txt", "first.txt/inside"])
def test_an_unusable_name_is_refused(write_corpus, file: str) -> None:
    root = write_corpus([(entry(id="first"), "正文。"), (entry(id="bad", file=file), None)])
    with pytest.raises(continuity.ManifestError, match=r"entry 2 \(bad\): file .* cannot be used"):
        read_manifest(root)


def test_a_symbolic_link_loop_is_refused(write_corpus) -> None:
    root = _corpus_with(write_corpus, "loop.txt", ("loop.txt", "loop.txt"))
    with pytest.raises(continuity.ManifestError, match=r"entry 2 \(bad\): file 'loop.txt'"):
        read_manifest(root)


def test_links_and_dot_dot_that_stay_inside_the_folder_are_fine(write_corpus) -> None:
    root = write_corpus([(entry(id="first"), "正文一。"),
                         (entry(id="linked", file="texts/linked.txt"), None),
                         (entry(id="roundabout", file="texts/../first.txt"), None)])
    (root / "texts").mkdir()
    (root / "texts" / "linked.txt").symlink_to("../first.txt")
    linked, roundabout = read_manifest(root)[1:]
    assert linked.file == root / "texts" / "linked.txt"
    assert linked.file.read_text(encoding="utf-8") == roundabout.file.read_text(encoding="utf-8")


def test_a_corpus_reached_through_a_link_may_use_its_own_files(write_corpus, tmp_path) -> None:
    root = write_corpus([(entry(id="first"), "正文。")])
    alias = tmp_path / "alias"
    alias.symlink_to(root)
    (meta,) = read_manifest(alias)
    assert meta.file == alias / "first.txt"


# --------------------------------------------------------------------------- series, [compare]

def test_series_is_optional_and_defaults_to_issuer_and_genre(write_corpus) -> None:
    root = write_corpus([(entry(id="named", series=" 某市政府工作报告 "), "正文。"),
                         (entry(id="unnamed", issuer="某机关", genre="decision"), "正文。")])
    named, unnamed = read_manifest(root)
    assert (named.series, unnamed.series) == ("某市政府工作报告", "某机关/decision")


def test_the_bundled_documents_are_in_their_issuer_and_genre_series() -> None:
    series = {m.id: m.series for m in read_manifest(bundled_corpus())}
    assert series["2022-decision"] == series["2024-decision"] == "中共四川省委/decision"
    assert series["2025-report"] == "四川省人民政府/work-report"
    assert read_corpus_manifest(bundled_corpus()).compare == CompareTable()


def test_a_blank_series_is_refused(write_corpus) -> None:
    root = write_corpus([(entry(id="blank", series=" "), "正文。")])
    with pytest.raises(continuity.ManifestError,
                       match=r"entry 1 \(blank\): series must be a non-empty string"):
        read_manifest(root)


def _with_compare(write_corpus, table: str):
    root = write_corpus([(entry(id=n, series=f"s-{n}"), "正文。") for n in "abc"])
    path = root / "manifest.toml"
    path.write_text(table + "\n\n" + path.read_text(encoding="utf-8"), encoding="utf-8")
    return root


def test_compare_table_is_read(write_corpus) -> None:
    root = _with_compare(write_corpus, '[compare]\nplan = "rules"\nrules = ["peers", "series"]\n'
                                       'add = [["c", "a"]]\nremove = [["a", "b"]]\n'
                                       'above = { "s-c" = "s-a", "s-b" = ["s-a", "s-c", "s-a"] }')
    assert read_corpus_manifest(root).compare == CompareTable(
        plan="rules", rules=("series", "peers"), add=(("c", "a"),), remove=(("a", "b"),),
        above=(("s-b", ("s-a", "s-c")), ("s-c", ("s-a",))))


# Each case: a broken [compare] table; the error names the manifest, [compare] and the key.
BAD_COMPARE = [
    pytest.param('compare = "all"', "[compare] must be a table of keys", id="not-a-table"),
    pytest.param('[compare]\npairs = "all"', "[compare]: unknown key(s) ['pairs']; allowed: "
                 "plan, rules, add, remove", id="unknown-key"),
    pytest.param('[compare]\nplan = "every"', "[compare] plan: 'every' is not one of auto, "
                 "all-pairs, rules", id="bad-plan"),
    pytest.param('[compare]\nrules = "series"', "[compare] rules: expected a list of rule names",
                 id="rules-not-a-list"),
    pytest.param('[compare]\nrules = ["siblings"]', "[compare] rules: 'siblings' is not one of "
                 "series, level-up, peers", id="unknown-rule"),
    pytest.param('[compare]\nrules = ["peers", "peers"]',
                 "[compare] rules: 'peers' is listed twice", id="rule-twice"),
    pytest.param('[compare]\nadd = ["a", "b"]', "[compare] add, pair 1: expected two document "
                 "ids", id="flat-pair"),
    pytest.param('[compare]\nadd = [["a", "b", "c"]]', "[compare] add, pair 1: expected two "
                 "document ids", id="three-ids"),
    pytest.param('[compare]\nadd = "a:b"', "[compare] add: expected a list of pairs",
                 id="add-not-a-list"),
    pytest.param('[compare]\nremove = [["a", "b"], ["a", "zz"]]', "[compare] remove, pair 2: "
                 "unknown document id 'zz'; known: a, b, c", id="unknown-id"),
    pytest.param('[compare]\nadd = [["a", "a"]]', "[compare] add, pair 1: a document is not "
                 "compared with itself ('a')", id="self-pair"),
    pytest.param('[compare]\nadd = [["a", "b"], ["b", "a"]]', "[compare] add, pair 2: b and a "
                 "are listed twice", id="pair-twice"),
    pytest.param('[compare]\nadd = [["a", "b"]]\nremove = [["b", "a"]]', "[compare]: pair a and "
                 "b is both in add and in remove", id="add-and-remove"),
    pytest.param('[compare]\nabove = "s-a"', "[compare] above: expected a table",
                 id="above-not-a-table"),
    pytest.param('[compare]\nabove = { "s-b" = 1 }', "[compare] above.s-b: expected a series "
                 "name or a list of them, got 1", id="above-not-a-name"),
    pytest.param('[compare]\nabove = { "s-b" = "s-z" }', "[compare] above.s-b: unknown series "
                 "'s-z'; series: s-a, s-b, s-c", id="above-unknown-target"),
    pytest.param('[compare]\nabove = { "s-z" = "s-a" }', "[compare] above.s-z: unknown series "
                 "'s-z'", id="above-unknown-series"),
    pytest.param('[compare]\nabove = { "s-b" = ["s-a", "s-b"] }', "[compare] above.s-b: a "
                 "series is not above itself", id="above-itself"),
]


@pytest.mark.parametrize(("table", "message"), BAD_COMPARE)
def test_bad_compare_table_is_refused_naming_file_and_key(write_corpus, table: str,
                                                          message: str) -> None:
    root = _with_compare(write_corpus, table)
    with pytest.raises(continuity.ManifestError) as info:
        read_manifest(root)
    assert str(info.value).startswith(f"{root / 'manifest.toml'}: ")
    assert message in str(info.value)

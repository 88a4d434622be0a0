"""Documents read before, kept under what made them (continuity/corpus/document_cache.py)."""

from __future__ import annotations

import os
import pickle
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from helpers import THEMES_FILE, entry, manifest_text

import continuity
from continuity.build import build
from continuity.corpus import document_cache
from continuity.corpus.document_cache import SUBFOLDER, DocumentCache, remove_unused
from continuity.records import Corpus
from continuity.text import segment as segment_module
from continuity.text.segment import segment

TEXT = "某市工作要点\n一、主要任务\n（一）建设“天府粮仓”。加强耕地保护和高标准农田建设。\n"


@pytest.fixture
def cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty cache folder of the user's, for one test."""
    home = tmp_path / "cache-home"
    monkeypatch.setenv("XDG_CACHE_HOME", str(home))
    return home / "continuity" / SUBFOLDER


@pytest.fixture
def tiny(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "a.txt").write_text(TEXT, encoding="utf-8")
    (folder / "manifest.toml").write_text(
        manifest_text([entry(id="a", date="2024-01", title="某市工作要点")]), encoding="utf-8")
    return folder


def records(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.pickle"))


def test_a_cached_load_equals_a_fresh_one(corpus: Corpus, cache_home: Path) -> None:
    first = continuity.load_corpus(workers=2)  # reads and keeps every document
    assert len(records(cache_home)) == len(corpus.documents)
    again = continuity.load_corpus(workers=2)  # every document from the cache
    assert first == corpus and again == corpus


def test_a_cached_load_reads_no_document(corpus: Corpus, cache_home: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    continuity.load_corpus(workers=1)

    def no_reading(meta: object) -> None:
        raise AssertionError("a document was read again")

    monkeypatch.setattr("continuity.pipeline.load_document", no_reading)
    told: list[str] = []
    assert continuity.load_corpus(workers=1, progress=told.append) == corpus
    assert told == ["5 of 5 documents unchanged since they were last read: taken from the cache"]


def test_a_changed_document_is_read_again(tiny: Path, cache_home: Path) -> None:
    before = continuity.load_corpus(tiny, workers=1)
    (tiny / "a.txt").write_text(TEXT + "（二）建设成都都市圈。\n", encoding="utf-8")
    after = continuity.load_corpus(tiny, workers=1)
    assert "成都都市圈" in after.documents[0].clean.text
    assert "成都都市圈" not in before.documents[0].clean.text
    assert len(records(cache_home)) == 2  # one per version of the document


def test_a_copied_corpus_is_not_read_again(tiny: Path, tmp_path: Path, cache_home: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    first = continuity.load_corpus(tiny, workers=1)
    copy = tmp_path / "copy"
    shutil.copytree(tiny, copy)
    monkeypatch.setattr("continuity.pipeline.load_document", None)  # any reading fails
    again = continuity.load_corpus(copy, workers=1)
    assert again.documents[0].meta.file == copy / "a.txt"  # where it lies now
    assert again.documents[0].clauses == first.documents[0].clauses


def test_a_changed_manifest_entry_is_read_again(tiny: Path, cache_home: Path) -> None:
    continuity.load_corpus(tiny, workers=1)
    (tiny / "manifest.toml").write_text(
        manifest_text([entry(id="a", date="2024-01", title="某市另一份要点")]), encoding="utf-8")
    assert continuity.load_corpus(tiny, workers=1).documents[0].meta.title == "某市另一份要点"


def test_changed_code_or_data_is_another_key(tiny: Path, cache_home: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    meta = continuity.load_corpus(tiny, workers=1).documents[0].meta
    kept = DocumentCache.open()
    assert kept is not None
    monkeypatch.setattr(document_cache, "version", lambda: "99.0")
    newer = DocumentCache.open()
    assert newer is not None and newer.path(meta) != kept.path(meta)


def test_a_broken_record_is_read_afresh(tiny: Path, cache_home: Path) -> None:
    first = continuity.load_corpus(tiny, workers=1)
    (record,) = records(cache_home)
    record.write_bytes(record.read_bytes()[:100])  # cut short
    assert continuity.load_corpus(tiny, workers=1) == first
    record.write_bytes(pickle.dumps({"not": "a document"}))
    assert continuity.load_corpus(tiny, workers=1) == first


def test_no_cache_reads_every_document(tiny: Path, cache_home: Path) -> None:
    continuity.load_corpus(tiny, workers=1, cache=False)
    assert not cache_home.exists() or not records(cache_home)


def test_an_unwritable_cache_only_costs_time(tiny: Path, tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the cache folder would be")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    assert continuity.load_corpus(tiny, workers=1).documents[0].meta.id == "a"


def test_a_missing_document_is_still_reported(tiny: Path, cache_home: Path) -> None:
    continuity.load_corpus(tiny, workers=1)
    (tiny / "a.txt").unlink()
    with pytest.raises(continuity.ContinuityError, match="a.txt"):
        continuity.load_corpus(tiny, workers=1)


def test_records_unused_for_long_are_removed(tmp_path: Path) -> None:
    folder = tmp_path / "records"
    folder.mkdir()
    old, recent = folder / "old.pickle", folder / "recent.pickle"
    for path in (old, recent):
        path.write_bytes(b"x")
    long_ago = time.time() - 40 * 86400
    os.utime(old, (long_ago, long_ago))
    remove_unused(folder, days=30)
    assert not old.exists() and recent.exists()


def test_a_build_from_the_cache_is_byte_identical(tiny: Path, tmp_path: Path,
                                                   cache_home: Path) -> None:
    (tiny / "themes.toml").write_bytes(THEMES_FILE.read_bytes())
    (tiny / "b.txt").write_text(TEXT.replace("天府粮仓", "成都都市圈"), encoding="utf-8")
    (tiny / "manifest.toml").write_text(manifest_text(
        [entry(id="a", date="2024-01", title="某市工作要点"),
         entry(id="b", date="2025-01", title="某市工作要点")]), encoding="utf-8")
    cold = build(tiny, tmp_path / "cold", workers=1).parent
    assert len(records(cache_home)) == 2
    warm = build(tiny, tmp_path / "warm", workers=1).parent
    files = sorted(p.relative_to(cold) for p in cold.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(warm) for p in warm.rglob("*") if p.is_file())
    for name in files:
        assert (cold / name).read_bytes() == (warm / name).read_bytes(), name


def test_the_least_recently_used_records_go_beyond_the_size_bound(tmp_path: Path) -> None:
    folder = tmp_path / "records"
    folder.mkdir()
    now = time.time()
    for n in range(4):
        path = folder / f"{n}.pickle"
        path.write_bytes(b"x" * 100)
        os.utime(path, (now - 100 * (4 - n), now - 100 * (4 - n)))  # 0 is the oldest
    remove_unused(folder, most=250)
    assert sorted(p.name for p in folder.iterdir()) == ["2.pickle", "3.pickle"]


def test_a_record_another_build_removes_meanwhile_is_passed_over(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Builds share the cache folder: a record removed between listing the folder and
    reading its size is passed over (the others are still cleaned up), and the listing
    is closed (pytest turns an unclosed scandir iterator's ResourceWarning into an error:
    seen when the suite ran beside other builds)."""
    folder = tmp_path / "records"
    folder.mkdir()
    old = time.time() - 40 * 86400
    for name in ("gone.pickle", "old.pickle"):
        (folder / name).write_bytes(b"x")
        os.utime(folder / name, (old, old))
    scandir = os.scandir

    class Racing:
        """os.scandir, but gone.pickle is removed once it is listed, before its size is read."""

        def __init__(self, path: Path) -> None:
            self.scan = scandir(path)

        def __enter__(self) -> Racing:
            return self

        def __exit__(self, *_: object) -> None:
            self.scan.close()

        def __iter__(self) -> Racing:
            return self

        def __next__(self) -> os.DirEntry[str]:
            entry = next(self.scan)
            if entry.name == "gone.pickle":
                os.unlink(entry.path)
            return entry

    monkeypatch.setattr(document_cache.os, "scandir", Racing)
    remove_unused(folder, days=30)
    assert list(folder.iterdir()) == []


# The segmenter's answers kept beside the records: a build from the cache needs no jieba.

TWO_DOCUMENTS = [entry(id="a", date="2024-01", title="某市工作要点"),
                 entry(id="b", date="2025-01", title="某市工作要点")]


def two_documents(tiny: Path) -> Path:
    """The tiny corpus with a second document (something to align) and an alias's form."""
    (tiny / "themes.toml").write_bytes(THEMES_FILE.read_bytes())
    # words of three characters (only the features look inside them) in each document
    (tiny / "a.txt").write_text(TEXT + "（二）发展现代化农业和数字化乡村。\n", encoding="utf-8")
    (tiny / "b.txt").write_text(TEXT.replace("天府粮仓", "成都都市圈")
                                + "（二）推进“双高计划”和信息化建设。\n", encoding="utf-8")
    (tiny / "manifest.toml").write_text(manifest_text(TWO_DOCUMENTS), encoding="utf-8")
    return tiny


def run_build(corpus: Path, out: Path, home: Path, workers: int) -> str:
    """A build of `corpus` in a fresh process with the cache folder `home`: whether it
    imported jieba, and how many of its processes (its workers too) loaded jieba's
    dictionary."""
    marks = out.with_name(out.name + "-loads")
    code = ("import os, sys\n"
            "from continuity.build import build\n"
            "from continuity.text import segment\n"
            "real = segment.tokenizer\n"
            "def noted():\n"
            f"    with open({str(marks)!r}, 'a') as f:\n"
            "        f.write(f'{os.getpid()}\\n')\n"
            "    return real()\n"
            "segment.tokenizer = noted\n"
            f"build({str(corpus)!r}, {str(out)!r}, workers={workers})\n"
            "print('jieba' in sys.modules)\n")
    env = dict(os.environ, XDG_CACHE_HOME=str(home))
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                          text=True, check=True)
    loads = len(set(marks.read_text().split())) if marks.exists() else 0
    return f"{done.stdout.strip()} {loads}"


def forget_answers(monkeypatch: pytest.MonkeyPatch) -> None:
    """No answers of the segmenter in memory, as in a new process."""
    for kind in ("words", "subwords"):
        monkeypatch.setattr(segment_module.ANSWERS, kind, {})


@pytest.fixture
def fresh_answers(monkeypatch: pytest.MonkeyPatch) -> None:
    forget_answers(monkeypatch)


@pytest.mark.parametrize("workers", [1, 2])
def test_a_build_from_the_cache_loads_no_jieba(tiny: Path, tmp_path: Path,
                                               workers: int) -> None:
    """Nor do its workers: what they ask of the segmenter (the features' subwords) comes
    back with their results and is kept."""
    corpus, home = two_documents(tiny), tmp_path / "home"
    first = run_build(corpus, tmp_path / "first", home, workers)
    assert first.startswith("True ") and first != "True 0"  # it reads the documents
    assert run_build(corpus, tmp_path / "again", home, workers) == "False 0"
    for name in ("data/alignments.csv", "data/units.csv", "index.html"):
        assert ((tmp_path / "first" / name).read_bytes()
                == (tmp_path / "again" / name).read_bytes()), name


def test_kept_answers_are_the_segmenters(tiny: Path, tmp_path: Path, cache_home: Path,
                                         fresh_answers: None) -> None:
    build(two_documents(tiny), tmp_path / "out", workers=1)
    kept = DocumentCache.open()
    assert kept is not None
    answers = kept.get_answers(kept.answers_path(tiny))
    assert answers is not None
    words, subwords = answers
    assert words and subwords
    assert all(segment(text) == found for text, found in words.items())
    assert all(segment_module._subwords(token) == found for token, found in subwords.items())


def test_answers_belong_to_a_reader_and_a_folder(tiny: Path, tmp_path: Path, cache_home: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    kept = DocumentCache.open()
    assert kept is not None
    path = kept.answers_path(tiny)
    assert path != kept.answers_path(tmp_path)
    assert kept.answers_path(tmp_path / "." / tiny.name) == path  # the same folder
    monkeypatch.setattr(document_cache, "version", lambda: "99.0")
    newer = DocumentCache.open()
    assert newer is not None and newer.answers_path(tiny) != path
    assert path.suffix != ".pickle"  # not counted as a document's record


@pytest.mark.parametrize("damage", [b"", b"cut short", pickle.dumps(["not", "answers"])])
def test_broken_answers_are_not_read(tiny: Path, tmp_path: Path, cache_home: Path,
                                     damage: bytes, monkeypatch: pytest.MonkeyPatch) -> None:
    build(two_documents(tiny), tmp_path / "first", workers=1)
    kept = DocumentCache.open()
    assert kept is not None
    kept.answers_path(tiny).write_bytes(damage)
    assert kept.get_answers(kept.answers_path(tiny)) is None
    forget_answers(monkeypatch)
    build(tiny, tmp_path / "again", workers=1)  # asks the segmenter again, keeps its answers
    assert kept.get_answers(kept.answers_path(tiny)) is not None
    assert ((tmp_path / "first" / "data" / "alignments.csv").read_bytes()
            == (tmp_path / "again" / "data" / "alignments.csv").read_bytes())


def test_nothing_runs_meanwhile_when_no_document_is_read(tiny: Path, cache_home: Path) -> None:
    ran: list[str] = []
    continuity.load_corpus(tiny, workers=1, meanwhile=lambda: ran.append("read"))
    continuity.load_corpus(tiny, workers=1, meanwhile=lambda: ran.append("from the cache"))
    assert ran == ["read"]  # `build` then imports the later stages beside other work

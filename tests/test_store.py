"""The SQLite store (continuity/store): the exports' rows in one database, read back by the
commands only while its fingerprint matches the corpus, settings and code."""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from helpers import entry

import continuity.cli as cli_module
from continuity.analysis.run import Analysis, Lookups
from continuity.build import REPORTS_README, build
from continuity.cli import cli
from continuity.corpus.manifest import bundled_corpus
from continuity.output import destination
from continuity.output.datapackage import TABLES
from continuity.output.export import counterpart_words, shown_pairs, write_exports
from continuity.output.manifest import read_manifest
from continuity.output.store import (
    STORE,
    access,
    fingerprint,
    is_store,
    staleness,
    stamp,
    write_store,
)
from continuity.output.store import fingerprints as fingerprint_module
from continuity.output.store import read as read_module
from continuity.output.store.read import connect, read_corpus
from continuity.output.store.stored import StoredAnalysis
from continuity.records import Corpus
from continuity.settings import AlignSettings

TEXT_A = "某某省委决定\n一、主要任务\n坚持和发展新时代“枫桥经验”，健全城乡社区治理体系。\n"
TEXT_B = "某某市政府工作报告\n一、重点工作\n坚持和发展新时代“枫桥经验”，健全城乡社区治理体系。\n"


@pytest.fixture(scope="module")
def kept(analysis: Analysis) -> Analysis:
    """The bundled analysis with the redlines its pages show read beforehand, as `continuity
    build` keeps them (`export.counterpart_words`) and stores them."""
    return replace(analysis, redlines=counterpart_words(analysis.result).redlines)


@pytest.fixture(scope="module")
def stored(tmp_path_factory: pytest.TempPathFactory, kept: Analysis) -> Path:
    """A report folder holding the bundled analysis's CSV exports and its store, as
    `continuity build` writes them (with the redlines it kept)."""
    out = tmp_path_factory.mktemp("reports")
    write_exports(kept, out)
    write_store(out / STORE, kept, fingerprint(bundled_corpus()))
    return out


@pytest.fixture(scope="module")
def aligned(tmp_path_factory: pytest.TempPathFactory, analysis: Analysis) -> Path:
    """A report folder holding the same store as `continuity align` writes it: no
    redlines (it makes no pages)."""
    out = tmp_path_factory.mktemp("aligned")
    write_store(out / STORE, analysis, fingerprint(bundled_corpus()))
    return out


def invoke(*args: str) -> Result:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result


# --------------------------------------------------------------------------- what it holds


def _typed(kind: str, cell: str) -> object:
    if cell == "":
        return None
    return {"integer": int, "boolean": int, "number": float}.get(kind, str)(cell)


@pytest.mark.parametrize("table", TABLES, ids=lambda t: t.name)
def test_each_table_holds_its_csv_rows(stored: Path, table) -> None:
    with (stored / "data" / table.file).open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        assert tuple(next(reader)) == table.columns
        expected = [tuple(_typed(f.type, cell) for f, cell in zip(table.fields, row, strict=True))
                    for row in reader]
    columns = ", ".join(f'"{c}"' for c in table.columns)
    with connect(stored / STORE) as db:
        found = db.execute(f'SELECT {columns} FROM "{table.name}" ORDER BY rowid').fetchall()
    assert found == expected and expected


def test_keys_indexes_and_meta(stored: Path) -> None:
    with connect(stored / STORE) as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        db.execute("PRAGMA foreign_keys = ON")
        assert db.execute("PRAGMA foreign_key_check").fetchall() == []
        indexes = {name for (name,) in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL")}
        meta = dict(db.execute('SELECT "key", "value" FROM "meta"'))
        pk = [row[1] for row in db.execute('PRAGMA table_info("units")') if row[5]]
        plan = " ".join(str(row) for row in db.execute(
            'EXPLAIN QUERY PLAN SELECT * FROM "alignments" WHERE "source_unit" = ? AND '
            '"target_doc" = ?', ("u", "d")))
    assert "USING INDEX" in plan  # a clause's counterparts in a document are found at once
    assert {"alignments_target_unit", "units_doc", "units_function", "fates_fate",
            "fates_thread"} <= indexes
    assert pk == ["unit"]
    assert meta.keys() == {"corpus", "data", "code", "version", "settings", "format"}
    assert is_store((stored / STORE).read_bytes()[:100])
    assert not is_store(b"SQLite format 3\x00" + bytes(100))


def test_the_same_analysis_gives_the_same_bytes(stored: Path, kept: Analysis,
                                                tmp_path: Path) -> None:
    again = write_store(tmp_path / STORE, kept, stamp(stored / STORE) or {})
    assert again.read_bytes() == (stored / STORE).read_bytes()


def test_documents_read_back_are_those_loaded(stored: Path, corpus: Corpus) -> None:
    with connect(stored / STORE) as db:
        back = read_corpus(db, corpus.root, words=True)
        one = read_corpus(db, corpus.root, only=("2025-report",))
    assert back.ids == corpus.ids and one.ids == ("2025-report",)
    for mine, theirs in zip(back.documents, corpus.documents, strict=True):
        assert mine.meta == theirs.meta and mine.encoding == theirs.encoding
        assert mine.sections == theirs.sections
        assert mine.units == theirs.units and mine.clauses == theirs.clauses
        assert mine.clean.text == theirs.clean.text
        assert (mine.clean.removed, mine.clean.joins) == (theirs.clean.removed,
                                                         theirs.clean.joins)
    assert [c.tokens for c in one.documents[0].clauses] == [()] * len(one.documents[0].clauses)
    with connect(stored / STORE) as db:
        bare = read_corpus(db, corpus.root, clauses=False)
    assert [d.clauses for d in bare.documents] == [()] * len(corpus.documents)
    assert [d.units for d in bare.documents] == [
        tuple(replace(u, norm="", tokens=()) for u in d.units) for d in corpus.documents]


def test_the_stored_analysis_answers_as_the_analysis(stored: Path, analysis: Analysis) -> None:
    with connect(stored / STORE) as db:
        back = StoredAnalysis(db, read_corpus(db, analysis.corpus.root, words=True))
        for doc_id in analysis.corpus.ids:
            assert back.commitments(doc_id) == analysis.commitments(doc_id)
        for clause in analysis.commitments("2024-decision")[:40]:
            assert back.fate(clause.id) == analysis.fate(clause.id)
            thread = analysis.fate(clause.id).thread
            assert back.thread(thread) == analysis.thread(thread)
            for doc_id in analysis.corpus.ids:
                if doc_id == clause.doc_id:
                    continue
                assert back.alignment(clause.id, doc_id) == analysis.alignment(clause.id, doc_id)
                assert back.result.relation(clause.id, doc_id) == analysis.result.relation(
                    clause.id, doc_id)
                mine, theirs = back.result.top(clause.id, doc_id), analysis.result.top(
                    clause.id, doc_id)
                assert (mine is None) == (theirs is None)
                if mine and theirs:
                    assert mine[0] == theirs[0] and mine[2] == theirs[2]
                    assert mine[1] == round(theirs[1], 4)


def test_the_stored_redlines_are_those_made_on_the_spot(stored: Path, aligned: Path,
                                                        analysis: Analysis) -> None:
    """The build's redlines are stored for each clause and its rank-1 counterpart in a
    later document, and read back equal to the redline made now from the two clauses'
    words; a store `align` wrote holds none."""
    clauses = analysis.result.clauses
    shown = [(clauses[i], clauses[j]) for i, j in shown_pairs(analysis.result)]
    with connect(stored / STORE) as db:
        rows = db.execute('SELECT "source_doc", "source_unit", "target_doc", "target_unit" '
                          'FROM "redlines" ORDER BY rowid').fetchall()
        back = StoredAnalysis(db, read_corpus(db, analysis.corpus.root, words=True))
        assert rows == [(a.doc_id, a.id, b.doc_id, b.id) for a, b in shown]
        for a, b in shown:
            found = back._redlines.get(a, b)
            assert found == Lookups.redline(analysis, a, b), (a.id, b.id)
            assert back.redline(a, b) == found
    assert len(rows) > 2000 and {b.doc_id for _, b in shown} >= set(analysis.corpus.ids[1:])
    assert any(line.changes for a, b in shown[:50] if (line := analysis.redline(a, b)))
    with connect(aligned / STORE) as db:
        assert db.execute('SELECT count(*) FROM "redlines"').fetchone() == (0,)
        bare = StoredAnalysis(db, read_corpus(db, analysis.corpus.root, words=True))
        a, b = shown[0]
        assert bare._redlines.get(a, b) is None
        assert bare.redline(a, b) == Lookups.redline(analysis, a, b)  # made on the spot


# --------------------------------------------------------------------------- never stale


def test_a_store_is_stale_when_what_made_it_changed(stored: Path, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    path = stored / STORE
    corpus = tmp_path / "corpus"
    shutil.copytree(bundled_corpus(), corpus)
    assert staleness(path, fingerprint(corpus)) is None  # the same files, elsewhere
    assert staleness(path, fingerprint(bundled_corpus(), AlignSettings(min_score=0.35))) == (
        "the settings changed since it was made")
    text = next(corpus.glob("2025*.txt"))
    text.write_text(text.read_text(encoding="utf-8") + "\n新增一段。\n", encoding="utf-8")
    assert staleness(path, fingerprint(corpus)) == "the corpus changed since it was made"
    data = tmp_path / "data"
    shutil.copytree(fingerprint_module.DATA, data)
    monkeypatch.setattr(fingerprint_module, "DATA", data)
    assert staleness(path, fingerprint(bundled_corpus())) is None
    (data / "frame_words.txt").write_text("更加\n", encoding="utf-8")
    assert staleness(path, fingerprint(bundled_corpus())) == (
        "continuity's data files changed since it was made")
    monkeypatch.setattr(fingerprint_module, "DATA", fingerprint_module.CODE / "data")
    code = tmp_path / "code"
    shutil.copytree(fingerprint_module.CODE, code, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(fingerprint_module, "CODE", code)
    assert staleness(path, fingerprint(bundled_corpus())) is None
    (code / "data" / "frame_words.txt").write_text("更加\n", encoding="utf-8")
    assert staleness(path, fingerprint(bundled_corpus())) is None  # data, not code
    with (code / "align.py").open("a", encoding="utf-8") as module:
        module.write("\n# an edit\n")
    assert staleness(path, fingerprint(bundled_corpus())) == (
        "continuity's code changed since it was made")
    monkeypatch.setattr(fingerprint_module, "CODE", fingerprint_module.DATA.parent)
    monkeypatch.setattr(fingerprint_module, "version", lambda: "99.0")
    assert "the version changed" in str(staleness(path, fingerprint(bundled_corpus())))
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a database")
    assert staleness(junk, fingerprint(bundled_corpus())) == (
        "it is not a store this version of continuity wrote")
    assert staleness(tmp_path / "none.db", fingerprint(bundled_corpus())) == "there is none"


def test_a_stale_store_is_rebuilt_never_read(write_corpus, tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    root = write_corpus([(entry(id="a", date="2023-01-01"), TEXT_A),
                         (entry(id="b", date="2024-01-01"), TEXT_B)])
    (root / "themes.toml").write_text(
        '[[theme]]\nid = "society"\nname = "社会治理"\nseeds = ["枫桥经验", "社区治理"]\n',
        encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()  # with the note the repository keeps in reports/, and no manifest yet
    (out / "README.md").write_text(REPORTS_README, encoding="utf-8")
    invoke("align", "--corpus", str(root), "--out", str(out))
    assert STORE in read_manifest(out)  # listed: the next run (a build) may replace it
    first = invoke("corpus", "--corpus", str(root), "--out", str(out))
    assert "building it first" not in first.output  # answered from the store
    (root / "a.txt").write_text(TEXT_A + "加快建设现代化产业体系。\n", encoding="utf-8")

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("a stale store was read")

    with monkeypatch.context() as patch:
        patch.setattr(read_module, "read_corpus", refuse)
        patch.setattr(access, "read_corpus", refuse)
        changed = invoke("corpus", "--corpus", str(root), "--out", str(out))
    assert changed.stderr.strip().splitlines() == [
        f"{out / STORE}: the corpus changed since it was made; building it first "
        f"(as `continuity align --out {out}` does)"]
    assert changed.stdout != first.stdout and "a " in changed.stdout
    assert invoke("corpus", "--corpus", str(root), "--out", str(out)).stdout == changed.stdout
    settings = invoke("trace", "枫桥经验", "--corpus", str(root), "--out", str(out),
                      "--set", "min_score=0.35")
    assert "the settings changed" in settings.stderr and "枫桥经验" in settings.stdout
    with connect(out / STORE) as db:
        assert '"min_score": 0.35' in db.execute(
            "SELECT value FROM meta WHERE key = 'settings'").fetchone()[0]


def test_a_folder_that_may_not_be_replaced_still_gets_an_answer(write_corpus,
                                                                 tmp_path: Path) -> None:
    root = write_corpus([(entry(id="a", date="2023-01-01"), TEXT_A),
                         (entry(id="b", date="2024-01-01"), TEXT_B)])
    out = tmp_path / "out"
    out.mkdir()
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    (out / STORE).write_bytes(b"someone else's database")
    result = invoke("outline", "a", "--corpus", str(root), "--out", str(out))
    assert "cannot store the analysis" in result.stderr and "a  " in result.stdout
    assert "theme taxonomy" in result.stderr  # this corpus has none: no analysis either
    assert (out / STORE).read_bytes() == b"someone else's database"
    assert sorted(p.name for p in out.iterdir()) == ["continuity.db", "notes.txt"]


# --------------------------------------------------------------------------- commands


@pytest.fixture
def fresh_or_stored(monkeypatch: pytest.MonkeyPatch, stored: Path, corpus: Corpus,
                    analysis: Analysis):
    """Run a command answering from a fresh analysis (the session's) or from the store."""
    monkeypatch.setattr(cli_module, "load_corpus",
                        lambda corpus_dir=None, workers=None: corpus if corpus_dir is None
                        else None)
    monkeypatch.setattr(cli_module, "analyse", lambda given, *args: analysis)

    def run(args: tuple[str, ...], fresh: bool) -> Result:
        with monkeypatch.context() as patch:
            if fresh:
                patch.setattr(access, "staleness", lambda *a: "forced")
                patch.setattr(access, "rebuild", lambda *a, **k: analysis)
            return CliRunner().invoke(cli, [*args, "--out", str(stored)])

    return run


COMMANDS = [("corpus",), ("corpus", "--json"), ("outline", "15th-plan"),
            ("units", "2025-report", "--clauses"), ("units", "15th-plan", "--section", "第三篇"),
            ("diff", "2025-report", "15th-plan"), ("diff", "2024-decision", "15th-plan",
                                                   "--section", "二/(一)"),
            ("diff", "2024-decision", "2025-report", "--json"),
            ("trace", "天府粮仓"), ("trace", "天府粮仓", "--json"), ("trace", "火星基地建设"),
            ("trace", "要鼓励以创业带动就业,在确保安全规范"),  # across clauses: by its sentence
            ("history", "实施特色优势产业倍增计划"), ("history", "天府粮仓", "--json"),
            ("history", "火星基地建设"), ("outline", "nope")]


@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_a_command_answers_from_the_store_as_from_a_fresh_analysis(fresh_or_stored,
                                                                   monkeypatch, args) -> None:
    monkeypatch.setenv("COLUMNS", "100")
    fresh, from_store = fresh_or_stored(args, True), fresh_or_stored(args, False)
    assert (from_store.stdout, from_store.stderr, from_store.exit_code) == (
        fresh.stdout, fresh.stderr, fresh.exit_code)
    assert from_store.stdout or from_store.exit_code == 1 and "Error" in from_store.stderr


#: Commands that show redlines, asked of a store without them (`continuity align`'s).
REDLINES = [("diff", "2025-report", "15th-plan"), ("diff", "2025-report", "15th-plan", "--json"),
            ("diff", "15th-plan", "2022-decision"), ("history", "天府粮仓"),
            ("history", "实施特色优势产业倍增计划", "--json")]


@pytest.mark.parametrize("args", REDLINES, ids=" ".join)
def test_a_store_without_redlines_answers_the_same(stored: Path, aligned: Path,
                                                   monkeypatch: pytest.MonkeyPatch,
                                                   args) -> None:
    """`diff` and `history` read the redlines the build stored, and make those a store
    has none for (one `align` wrote): the same answer, byte for byte."""
    monkeypatch.setenv("COLUMNS", "100")
    with_them, without = (invoke(*args, "--out", str(out)) for out in (stored, aligned))
    assert with_them.stdout == without.stdout
    assert "{+" in without.stdout or '"insert"' in without.stdout  # redlines shown


def test_diff_shows_the_stored_redlines_without_diffing(stored: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """Every row of a diff from earlier to later document has its redline stored: none
    is made again (that was most of `diff --json`'s time)."""
    def made(*args: object) -> None:
        raise AssertionError("a redline was made again")

    monkeypatch.setattr(Lookups, "redline", made)
    assert "{+" in invoke("diff", "2025-report", "15th-plan", "--out", str(stored)).stdout


#: Commands that answer from a fresh store, and those that read none: neither may import
#: what aligning or segmenting needs (that was most of their time: issue 13).
FROM_THE_STORE = [["corpus"], ["outline", "15th-plan"], ["units", "2025-report", "--clauses"],
                  ["diff", "2025-report", "15th-plan"],
                  ["diff", "2024-decision", "15th-plan", "--section", "二/(一)"],
                  ["trace", "天府粮仓"], ["history", "天府粮仓"],
                  ["history", "实施特色优势产业倍增计划"], ["corpus", "--json"],
                  ["diff", "2024-decision", "2025-report", "--json"],
                  ["trace", "天府粮仓", "--json"],
                  ["history", "实施特色优势产业倍增计划", "--json"]]
WITHOUT_A_STORE = [["--help"], ["settings"], ["diff", "-h"]]
#: What a command answering from the store never imports: the segmenter, the numerics,
#: and rapidfuzz (the store holds the redlines the build kept: none is made on the spot).
HEAVY = ("jieba", "numpy", "scipy", "rapidfuzz")


def _imported(args: list[str], cwd: Path) -> set[str]:
    """Which of HEAVY a fresh Python imported to run `continuity ARGS` (it must succeed)."""
    code = ("import sys\nfrom click.testing import CliRunner\nfrom continuity.cli import cli\n"
            f"result = CliRunner().invoke(cli, {args!r})\n"
            "assert result.exit_code == 0, result.output\n"
            f"print(' '.join(m for m in {HEAVY!r} if m in sys.modules))")
    found = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                           check=True, cwd=cwd, env={**os.environ, "PAGER": "cat"})
    return set(found.stdout.split())


@pytest.mark.parametrize("args", WITHOUT_A_STORE, ids=" ".join)
def test_help_and_settings_import_neither_jieba_nor_numpy(tmp_path: Path, args) -> None:
    assert _imported(args, cwd=tmp_path) == set()


@pytest.mark.parametrize("args", FROM_THE_STORE, ids=" ".join)
def test_commands_answering_from_the_store_import_neither_jieba_nor_numpy(stored: Path,
                                                                          args) -> None:
    assert _imported([*args, "--out", str(stored)], cwd=stored) == set()


def test_the_store_holds_the_pieces_redlines_look_inside(stored: Path,
                                                         analysis: Analysis) -> None:
    from continuity.text.diffing import word_pieces, word_tokens

    words = {w for c in analysis.result.clauses for w in word_tokens(c.tokens)}
    with connect(stored / STORE) as db:
        read = StoredAnalysis(db, read_corpus(db, bundled_corpus(), ("15th-plan",)))
        assert [read.word_pieces(w) for w in sorted(words)] == [
            word_pieces(w) for w in sorted(words)]
    assert sum(len(word_pieces(w)) > 1 for w in words) > 100


# --------------------------------------------------------------------------- atomic


def test_an_interrupted_build_leaves_the_previous_store(compare_corpus, analysis: Analysis,
                                                         tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """(A build of two tiny documents: it is about the writing, not the work.)"""
    corpus = compare_corpus([(entry(id="a", date="2023-01-01"), TEXT_A),
                             (entry(id="b", date="2024-01-01"), TEXT_B)])
    out = tmp_path / "site" / "reports"  # alone in its folder (the corpus is in tmp_path)
    out.mkdir(parents=True)
    previous = write_store(out / STORE, analysis, {"corpus": "previous"}).read_bytes()
    real = destination.OutputFolder.commit

    def interrupted(self, files):
        assert (self.staging / STORE).is_file()  # written into the work folder, then lost
        raise KeyboardInterrupt

    monkeypatch.setattr(destination.OutputFolder, "commit", interrupted)
    with pytest.raises(KeyboardInterrupt):
        build(corpus, out, workers=1, force=True)
    assert (out / STORE).read_bytes() == previous
    assert sorted(p.name for p in out.parent.iterdir()) == ["reports"]
    monkeypatch.setattr(destination.OutputFolder, "commit", real)

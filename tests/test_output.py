"""Output folders and files (continuity/output/): what may be replaced, the checks before
the work, the swap, and the clean-up after a killed run. Real killed builds are in
test_faults.py."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest
from click.testing import CliRunner
from helpers import THEMES_FILE, entry

from continuity.build import GENERATOR
from continuity.cli import cli
from continuity.output import (
    MANIFEST,
    Interrupted,
    OutputError,
    output_file,
    output_folder,
    swap,
)
from continuity.output.export import DATA_DIR, write_folder
from continuity.output.manifest import digest, digests, read_manifest, strangers, write_manifest

TINY_A = "某某省委决定\n一、主要任务\n坚持和发展新时代“枫桥经验”，健全城乡社区治理体系。\n"
TINY_B = "某某市政府工作报告\n一、重点工作\n坚持和发展新时代“枫桥经验”，健全城乡社区治理体系。\n"


def listing(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` (hidden ones too) and its bytes."""
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def hidden(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(".")
                  and p.name != MANIFEST)


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """A folder continuity wrote: tmp_path/reports."""
    return write_folder(tmp_path / "reports", {"index.html": "<p>old</p>", "data/a.csv": "1\n"})


# --------------------------------------------------------------------------- the manifest


def test_a_written_folder_is_its_own(site: Path) -> None:
    assert read_manifest(site).keys() == {"index.html", "data/a.csv"}
    assert strangers(site, read_manifest(site)) == []


def test_strangers_are_named_with_why(site: Path) -> None:
    (site / "notes.txt").write_text("mine")
    (site / "index.html").write_text("edited")
    (site / "link").symlink_to(site / "notes.txt")
    (site / "corpus").mkdir()
    for n in range(3):
        (site / "corpus" / f"{n}.txt").write_text("text")
    (site / "data" / "survey.csv").write_text("mine")
    assert strangers(site, read_manifest(site)) == [
        "corpus/ (3 files)", "data/survey.csv", "index.html (changed since continuity wrote it)",
        "link (not a regular file)", "notes.txt"]


def test_what_a_file_manager_leaves_is_nobodys(site: Path) -> None:
    for name in (".DS_Store", "._index.html", "Thumbs.db"):
        (site / name).write_bytes(b"\x00")
        (site / "data" / name).write_bytes(b"\x00")
    assert strangers(site, read_manifest(site)) == []


def test_a_known_file_needs_no_manifest(tmp_path: Path) -> None:
    (tmp_path / "README.md").write_text("the note")
    assert strangers(tmp_path, {}, {"README.md": b"the note"}) == []
    assert strangers(tmp_path, {}, {"README.md": b"another note"}) == [
        "README.md (changed since continuity wrote it)"]


def test_a_big_folder_is_refused_without_reading_it_all(tmp_path: Path) -> None:
    for n in range(30):
        (tmp_path / f"{n:02}.txt").write_text("x")
    assert strangers(tmp_path, {}, budget=10) == [f"{n:02}.txt" for n in range(10)] + ["…"]


def test_a_second_walk_reads_only_what_changed(site: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    from continuity.output import manifest

    memo: manifest.Memo = {}
    assert strangers(site, read_manifest(site), memo=memo) == []
    read: list[Path] = []
    real = manifest._why_stranger
    monkeypatch.setattr(manifest, "_why_stranger",
                        lambda path, *args: read.append(path) or real(path, *args))
    assert strangers(site, read_manifest(site), memo=memo) == []
    assert read == []
    (site / "index.html").write_text("<p>edited</p>")
    assert strangers(site, read_manifest(site), memo=memo) == [
        "index.html (changed since continuity wrote it)"]
    assert read == [site / "index.html"]


def test_old_and_new_content_both_count_while_swapped(tmp_path: Path) -> None:
    (tmp_path / "a.csv").write_text("new")
    entries = {"a.csv": digests({"a.csv": b"old"})["a.csv"] | digests({"a.csv": b"new"})["a.csv"]}
    write_manifest(tmp_path, entries)
    assert strangers(tmp_path, read_manifest(tmp_path)) == []


# --------------------------------------------------------------------------- checks before work


def refused(out: Path | str, match: str, **options: object) -> None:
    with pytest.raises(OutputError, match=match):
        with output_folder(out, **options):  # type: ignore[arg-type]
            raise AssertionError("the work started")


def test_the_current_folder_and_those_holding_it_are_refused(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    here = tmp_path / "project"
    here.mkdir()
    monkeypatch.chdir(here)
    before = listing(tmp_path)
    refused(".", r"^\. is the current folder or holds it.*such as reports$", force=True)
    refused("..", "is the current folder or holds it", force=True)
    refused(here, "is the current folder or holds it", force=True)
    assert listing(tmp_path) == before and sorted(os.listdir(tmp_path)) == ["project"]


def test_a_folder_under_a_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "afile").write_text("x")
    refused(tmp_path / "afile" / "sub" / "reports", r"afile is a file, not a folder")
    refused(tmp_path / "afile", r"afile exists and is not a folder", force=True)
    assert sorted(os.listdir(tmp_path)) == ["afile"]


def test_a_folder_holding_the_corpus_is_refused_even_with_force(tmp_path: Path) -> None:
    (tmp_path / "out" / "corpus").mkdir(parents=True)
    refused(tmp_path / "out", "holds .*corpus, which this run reads", force=True,
            keep=(tmp_path / "out" / "corpus",))


def test_a_folder_holding_other_files_is_refused_naming_them(site: Path) -> None:
    (site / "notes.txt").write_text("mine")
    before = listing(site.parent)
    refused(site, r"reports holds files that are not continuity's: notes\.txt; .*--force")
    assert listing(site.parent) == before
    with output_folder(site, force=True) as folder:
        folder.commit({"index.html": "new"})
    assert listing(site) == {"index.html": b"new", MANIFEST: listing(site)[MANIFEST]}


def test_nothing_is_left_when_the_work_fails(tmp_path: Path) -> None:
    out = tmp_path / "a" / "b" / "reports"
    with pytest.raises(RuntimeError):
        with output_folder(out):
            assert hidden(out.parent) and not out.exists()  # the locked work folder
            raise RuntimeError("the analysis failed")
    assert os.listdir(tmp_path) == []  # not even the parent folders it made


def test_a_second_run_into_the_same_folder_is_refused_at_once(site: Path) -> None:
    before = listing(site)
    with output_folder(site) as first:
        refused(site, "another continuity run is writing .*reports .*wait for it to end")
        first.commit({"index.html": "<p>new</p>"})
    assert listing(site) != before and hidden(site.parent) == []
    with output_folder(site) as again:  # and a later run goes ahead
        again.commit({"index.html": "<p>again</p>"})


def test_two_outputs_side_by_side_do_not_block_each_other(tmp_path: Path) -> None:
    with output_folder(tmp_path / "one") as one, output_folder(tmp_path / "two") as two:
        two.commit({"a": "2"})
        one.commit({"a": "1"})
    assert (tmp_path / "one" / "a").read_text() == "1"


def test_the_data_folder_is_listed_by_the_folder_holding_it(site: Path) -> None:
    """`continuity align --out reports` replaces reports/data and keeps the site's manifest
    right, so a later build may replace the site."""
    with output_folder(site / DATA_DIR, listing=site) as folder:
        folder.commit({"b.csv": "2\n"})
    assert sorted(read_manifest(site)) == ["data/b.csv", "index.html"]
    assert strangers(site, read_manifest(site)) == []
    assert os.listdir(site / DATA_DIR) == ["b.csv"]


def test_streamed_and_placed_files_are_swapped_in_with_the_rest(site: Path) -> None:
    """A file streamed as it is made is on disk at once, and one the caller writes at
    `work_path` (a database) is listed too; neither is in place before the commit."""
    with output_folder(site) as folder:
        made: list[str] = []

        def chunks():
            for n in range(3):
                made.append(str(n))
                yield f"{n}\n" if n % 2 else f"{n}\n".encode()

        folder.stream("data/big.csv", chunks())
        assert made == ["0", "1", "2"]  # written now, not at the commit
        store = folder.work_path("store.db")
        assert store.parent != site and not store.exists()
        store.write_bytes(b"SQLite")
        folder.work_path("never-written.db")
        assert not (site / "store.db").exists() and not (site / "data" / "big.csv").exists()
        folder.commit({"index.html": "<p>new</p>"})
    assert listing(site) == {"index.html": b"<p>new</p>", "data/big.csv": b"0\n1\n2\n",
                             "store.db": b"SQLite", MANIFEST: listing(site)[MANIFEST]}
    assert read_manifest(site) == digests({"index.html": b"<p>new</p>", "store.db": b"SQLite",
                                           "data/big.csv": b"0\n1\n2\n"})
    assert strangers(site, read_manifest(site)) == [] and hidden(site.parent) == []


def test_a_streamed_file_goes_when_the_work_fails(site: Path) -> None:
    before = listing(site)

    def broken():
        yield "a,b\n"
        raise RuntimeError("the analysis failed")

    with pytest.raises(RuntimeError):
        with output_folder(site) as folder:
            folder.stream("data/big.csv", broken())
    assert listing(site) == before and hidden(site.parent) == []


def test_files_a_writer_wrote_elsewhere_are_listed_and_swapped_in(site: Path) -> None:
    """A forked worker writes its pages at once with the folder's `writer`; the folder
    lists what it says it wrote (`written`) and swaps them in with the rest."""
    with output_folder(site) as folder:
        write = folder.writer()
        pid = os.fork()
        if pid == 0:  # a worker: write, then leave without any of the parent's cleanup
            os._exit(0 if write({"doc-a.html": "<p>甲</p>"}) else 1)
        assert os.waitpid(pid, 0)[1] == 0
        entries = write({"doc-b.html": "<p>乙</p>", "static/s.css": b"p{}"})
        assert entries == {name: digest(data) for name, data in
                           [("doc-b.html", "<p>乙</p>".encode()), ("static/s.css", b"p{}")]}
        assert not (site / "doc-b.html").exists()
        folder.written({"doc-a.html": digest("<p>甲</p>".encode()), **entries})
        with pytest.raises(ValueError, match="doc-a.html written twice"):
            folder.written({"doc-a.html": "0"})
        with pytest.raises(ValueError, match="doc-b.html is written twice"):
            write({"doc-b.html": "again"})
        with pytest.raises(ValueError, match="not a file name"):
            write({"../out.html": "x"})
        folder.commit({"index.html": "<p>new</p>"})
    assert read_manifest(site) == digests({"index.html": b"<p>new</p>",
                                           "doc-a.html": "<p>甲</p>".encode(),
                                           "doc-b.html": "<p>乙</p>".encode(),
                                           "static/s.css": b"p{}"})
    assert (site / "doc-a.html").read_text(encoding="utf-8") == "<p>甲</p>"
    assert strangers(site, read_manifest(site)) == [] and hidden(site.parent) == []


@pytest.mark.parametrize("name", ["/abs.csv", "../out.csv", "a//b.csv", "./a.csv", MANIFEST,
                                  "twice.csv"])
def test_a_streamed_name_must_be_one_new_file_inside(site: Path, name: str) -> None:
    with output_folder(site) as folder:
        folder.stream("twice.csv", ["x"])
        with pytest.raises(ValueError):
            folder.stream(name, ["y"])
        with pytest.raises(ValueError):
            folder.work_path(name)
        with pytest.raises(ValueError, match="twice.csv written twice"):
            folder.commit({"twice.csv": "z"})


# --------------------------------------------------------------------------- swap and recovery


def test_exchange_swaps_two_folders(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "x").write_text("a")
    (tmp_path / "b").mkdir()
    if not swap.exchange(tmp_path / "a", tmp_path / "b"):
        pytest.skip("no atomic exchange here (not Linux, or the file system lacks it)")
    assert os.listdir(tmp_path / "b") == ["x"] and os.listdir(tmp_path / "a") == []


def test_two_renames_where_there_is_no_exchange(site: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(swap, "exchange", lambda a, b: False)
    with output_folder(site) as folder:
        folder.commit({"index.html": "<p>new</p>"})
    assert (site / "index.html").read_text() == "<p>new</p>"
    assert hidden(site.parent) == []


def test_a_killed_runs_leftovers_are_removed_by_the_next(site: Path) -> None:
    work = site.parent / f"{swap.work_prefix(site)}{swap.NEW}abc123"
    work.mkdir()
    (work / "index.html").write_text("half written")
    (site.parent / f"{swap.work_prefix(site)}{swap.NEW}def456").write_text("a file's work")
    other = site.parent / ".other.continuity-new-x"  # another output's: not ours to touch
    other.mkdir()
    before = listing(site)
    with output_folder(site):
        assert hidden(site.parent) == [".other.continuity-new-x", *hidden(site.parent)[1:]]
    assert hidden(site.parent) == [".other.continuity-new-x"]
    assert listing(site) == before


def test_an_old_folder_moved_aside_by_a_killed_run_is_put_back(site: Path) -> None:
    """Killed between the two renames (where there is no exchange): no folder at the
    destination; the next run puts the old one back before anything else."""
    before = listing(site)
    aside = site.parent / f"{swap.work_prefix(site)}{swap.OLD}abc123"
    os.rename(site, aside)
    new = site.parent / f"{swap.work_prefix(site)}{swap.NEW}abc123"
    new.mkdir()
    with pytest.raises(RuntimeError):
        with output_folder(site):
            raise RuntimeError("this run fails too")
    assert listing(site) == before and hidden(site.parent) == []


# --------------------------------------------------------------------------- stopping


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP], ids=["TERM", "HUP"])
def test_sigterm_during_the_work_ends_it_like_ctrl_c(site: Path, signum: int) -> None:
    before = listing(site)
    handler = signal.getsignal(signum)
    with pytest.raises(Interrupted, match=f"stopped by {signal.Signals(signum).name}"):
        with output_folder(site):
            os.kill(os.getpid(), signum)
            for _ in range(100):  # the handler runs between two steps of Python
                pass
            raise AssertionError("SIGTERM did not stop the work")
    assert signal.getsignal(signum) is handler
    assert listing(site) == before and hidden(site.parent) == []


def test_stop_signals_wait_for_the_swap() -> None:
    received: list[int] = []
    before = signal.signal(signal.SIGINT, lambda signum, frame: received.append(signum))
    try:
        with swap.signals_held():
            os.kill(os.getpid(), signal.SIGINT)
            for _ in range(100):
                pass
            assert received == []
        for _ in range(100):
            pass
        assert received == [signal.SIGINT]
    finally:
        signal.signal(signal.SIGINT, before)


# --------------------------------------------------------------------------- one file


def test_a_users_file_is_not_overwritten(tmp_path: Path) -> None:
    mine = tmp_path / "existing.html"
    mine.write_text("<p>mine</p>")
    with pytest.raises(OutputError, match="existing.html exists and was not written by continuity"):
        with output_file(mine):
            raise AssertionError("the work started")
    assert os.listdir(tmp_path) == ["existing.html"]
    with output_file(mine, force=True) as file:
        file.commit(f"<head>{GENERATOR}</head>")
    assert os.listdir(tmp_path) == ["existing.html"]  # not a new folder: no manifest


def test_a_file_continuity_wrote_is_replaced_and_listed(tmp_path: Path) -> None:
    page = tmp_path / "reports" / "pair.html"
    with output_file(page) as file:
        file.commit("<p>first</p>")
    assert read_manifest(page.parent) == digests({"pair.html": b"<p>first</p>"})
    with output_file(page) as file:  # listed in its folder's manifest: continuity's
        file.commit("<p>second</p>")
    assert page.read_text() == "<p>second</p>" and hidden(page.parent) == []
    page.write_text("<p>edited by hand</p>")
    with pytest.raises(OutputError, match="not written by continuity"):
        with output_file(page):
            pass


# --------------------------------------------------------------------------- the commands


@pytest.fixture
def tiny(write_corpus) -> Path:
    root = write_corpus([(entry(id="a", date="2023-01-01", level="province"), TINY_A),
                         (entry(id="b", date="2024-01-01", level="city"), TINY_B)])
    (root / "themes.toml").write_text(THEMES_FILE.read_text(encoding="utf-8"), encoding="utf-8")
    return root


def fail(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code == 1, (result.output, result.exception)
    assert "Traceback" not in result.output and result.output.startswith("Error: ")
    assert len(result.output.strip().splitlines()) == 1
    return result.output


def test_align_keeps_the_users_own_file_in_data(tiny: Path, tmp_path: Path) -> None:
    """`continuity align --out proj` with proj/data/survey.csv."""
    proj = tmp_path / "proj"
    (proj / "data").mkdir(parents=True)
    (proj / "data" / "survey.csv").write_text("my survey")
    output = fail("align", "--corpus", str(tiny), "--out", str(proj))
    assert "data holds files that are not continuity's: survey.csv" in output
    assert listing(proj) == {"data/survey.csv": b"my survey"}
    result = CliRunner().invoke(cli, ["align", "--corpus", str(tiny), "--out", str(proj),
                                      "--force"])
    assert result.exit_code == 0, result.output
    assert "survey.csv" not in os.listdir(proj / "data")


def test_diff_html_keeps_the_users_file(tiny: Path, tmp_path: Path) -> None:
    mine = tmp_path / "existing.html"
    mine.write_text("<p>mine</p>")
    output = fail("diff", "a", "b", "--corpus", str(tiny), "--html", str(mine))
    assert "existing.html exists and was not written by continuity" in output
    assert mine.read_text() == "<p>mine</p>"
    for _ in range(2):  # with --force, then as continuity's own page
        force = ["--force"] if mine.read_text() == "<p>mine</p>" else []
        result = CliRunner().invoke(cli, ["diff", "a", "b", "--corpus", str(tiny), "--html",
                                          str(mine), *force])
        assert result.exit_code == 0, result.output
        assert GENERATOR in mine.read_text()


def test_build_refuses_a_folder_under_a_file(tiny: Path, tmp_path: Path) -> None:
    (tmp_path / "afile").write_text("x")
    output = fail("build", "--corpus", str(tiny), "--out", str(tmp_path / "afile" / "sub"))
    assert "afile is a file, not a folder" in output

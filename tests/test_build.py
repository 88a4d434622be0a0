"""continuity.build: the whole site from a corpus, deterministic, atomic, self-contained."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from helpers import EXTRA_PAIR, entry

from continuity import build as build_module
from continuity.analysis.run import Analysis
from continuity.build import REPORTS_README, build, pair_page_output, write_pair_page
from continuity.errors import ContinuityError
from continuity.output import MANIFEST
from continuity.output import report as report_module
from continuity.output.export import write_folder
from continuity.output.manifest import read_manifest, strangers
from continuity.output.store import STORE
from continuity.records import Corpus

REPO = Path(__file__).resolve().parent.parent
HREF = re.compile(r'(?:href|src)="([^"]*)"')
ID = re.compile(r'\bid="([^"]+)"')


@pytest.fixture
def site(bundled_site: Path) -> Path:
    """The session's bundled site (conftest.py): read only."""
    return bundled_site


def test_build_writes_every_page_the_issue_names(site: Path) -> None:
    names = {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()}
    assert {"index.html", "formulations.html", "targets.html", "static/style.css",
            "static/site.js", "tables/theme_matrix.csv", "tables/theme_matrix.xlsx",
            "tables/threads.csv", "tables/threads.xlsx", "data/units.csv",
            "data/alignments.csv", "data/fates.csv"} <= names
    assert {f"doc-{d}.html" for d in ("2022-decision", "2024-chengdu", "2024-decision",
                                      "2025-report", "15th-plan")} <= names
    assert "pair-2022-decision--2024-chengdu.html" in names
    assert "pair-2025-report--15th-plan.html" in names
    assert len([n for n in names if n.startswith("theme-")]) == 15


def test_every_internal_link_resolves(site: Path) -> None:
    pages = {p: p.read_text(encoding="utf-8") for p in site.rglob("*.html")}
    ids = {p: set(ID.findall(text)) for p, text in pages.items()}
    broken = []
    for page, text in pages.items():
        for href in set(HREF.findall(text)):
            parts = urlsplit(href)
            assert not parts.scheme and not parts.netloc, f"{page.name} links outside: {href}"
            target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
            if not target.is_file():
                broken.append((page.name, href))
            elif parts.fragment and target.suffix == ".html" and parts.fragment not in ids[target]:
                broken.append((page.name, href))
    assert broken == []


def test_site_is_self_contained_and_small(site: Path) -> None:
    for page in site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert "http://" not in text and "https://" not in text, page.name
        assert "@import" not in text and "fonts.googleapis" not in text
    # one budget for the whole site as `continuity build` makes it, CSV exports included
    # (alignments.csv holds counterparts only: it grows with what was found, not units ×
    # documents); the pair page `site` has besides the default ones is left out
    extra = "pair-{}--{}.html".format(*EXTRA_PAIR)
    assert (site / extra).is_file()
    size = sum(p.stat().st_size for p in site.rglob("*")
               if p.is_file() and p.name not in (STORE, extra))
    assert size < 20_000_000
    assert (site / STORE).stat().st_size < 16_000_000  # the store: rows, words and indexes


def test_no_page_passes_five_megabytes(site: Path) -> None:
    """Issue 14's bound on a page; the bundled corpus's longest page is whole (one part),
    long documents are cut (tests/test_report_parts.py) and big tables paged."""
    sizes = {p.name: p.stat().st_size for p in site.glob("*.html")}
    assert max(sizes.values()) < 5_000_000
    assert not any(name.startswith("doc-") and name.count(".") == 2 for name in sizes)


@pytest.mark.parametrize("workers", [None, 1, 3])
def test_two_builds_are_byte_identical(corpus: Corpus, site: Path, tmp_path: Path,
                                       workers: int | None) -> None:
    """Also whatever the number of processes sharing the pages out (`site` was built by
    one)."""
    again = build(corpus, tmp_path / "reports", workers=workers, pairs=[EXTRA_PAIR]).parent
    first = {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    second = {p.relative_to(again): p.read_bytes() for p in again.rglob("*") if p.is_file()}
    assert first.keys() == second.keys()
    assert [k for k in first if first[k] != second[k]] == []


def test_interrupted_build_leaves_the_previous_site(compare_corpus, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """(A build of two tiny documents: it is about the writing, not the work.)"""
    text = "某某省委决定\n一、主要任务\n坚持和发展新时代“枫桥经验”，健全城乡社区治理体系。\n"
    corpus = compare_corpus([(entry(id="a", date="2023-01-01"), text),
                             (entry(id="b", date="2024-01-01"), text)])
    out = tmp_path / "site" / "reports"  # alone in its folder (the corpus is in tmp_path)
    write_folder(out, {"index.html": "previous site", "README.md": REPORTS_README})

    def fail(*args: object, **kwargs: object) -> None:
        raise RuntimeError("interrupted")

    monkeypatch.setattr(report_module, "teaching_files", fail)
    with pytest.raises(ContinuityError, match="teaching tables failed: RuntimeError: interrupted"):
        build(corpus, out)
    assert (out / "index.html").read_text(encoding="utf-8") == "previous site"
    assert [p.name for p in out.parent.iterdir()] == ["reports"]


def test_report_folder_is_readable_by_a_web_server(site: Path) -> None:
    assert site.stat().st_mode & 0o755 == 0o755


def test_tracked_placeholder_matches_what_build_writes(site: Path) -> None:
    assert (REPO / "reports" / "README.md").read_text(encoding="utf-8") == REPORTS_README
    assert (site / "README.md").read_text(encoding="utf-8") == REPORTS_README


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.skipif(CHROMIUM is None, reason="headless Chromium is not installed")
@pytest.mark.parametrize("page", ["index.html", "pair-2024-decision--2025-report.html",
                                  "doc-2024-decision.html"])
def test_pages_load_in_a_browser_without_console_errors(site: Path, tmp_path: Path,
                                                        page: str) -> None:
    assert CHROMIUM is not None
    run = subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
         "--no-first-run", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", f"--user-data-dir={tmp_path / 'profile'}", "--enable-logging=stderr",
         "--v=0", "--dump-dom", (site / page).as_uri()],
        capture_output=True, text=True, timeout=120, check=False)
    console = [line for line in run.stderr.splitlines() if ":CONSOLE" in line]
    assert console == []
    assert "continuity" in run.stdout and "</main>" in run.stdout


def no_work(*args: object, **kwargs: object) -> None:
    raise AssertionError("the work started before the output was checked")


def test_build_refuses_to_replace_a_folder_that_is_not_a_report(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    precious = tmp_path / "Desktop"
    precious.mkdir()
    (precious / "thesis.docx").write_text("years of work", encoding="utf-8")
    monkeypatch.setattr(build_module, "load_corpus", no_work)
    with pytest.raises(ContinuityError, match="holds files that are not continuity's: "
                                              "thesis.docx"):
        build(REPO / "corpus", precious)
    assert (precious / "thesis.docx").read_text(encoding="utf-8") == "years of work"
    assert [p.name for p in tmp_path.iterdir()] == ["Desktop"]


def test_an_old_report_folder_holding_the_corpus_and_notes_is_kept(
        site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`continuity build --corpus inrep/corpus --out inrep`: the corpus and the notes the
    user put into an old report folder are not deleted, even with force (the corpus)."""
    inrep = tmp_path / "inrep"
    shutil.copytree(site, inrep)
    shutil.copytree(REPO / "corpus", inrep / "corpus")
    (inrep / "notes.md").write_text("my reading notes", encoding="utf-8")
    before = {p: p.read_bytes() for p in inrep.rglob("*") if p.is_file()}
    monkeypatch.setattr(build_module, "load_corpus", no_work)
    with pytest.raises(ContinuityError, match="inrep holds .*corpus, which this run reads"):
        build(inrep / "corpus", inrep)
    with pytest.raises(ContinuityError, match="inrep holds .*corpus, which this run reads"):
        build(inrep / "corpus", inrep, force=True)
    with pytest.raises(ContinuityError, match=r"not continuity's: corpus/.*notes\.md"):
        build(REPO / "corpus", inrep)
    assert {p: p.read_bytes() for p in inrep.rglob("*") if p.is_file()} == before


def test_a_site_from_before_the_manifest_is_refused_saying_so(site: Path,
                                                                tmp_path: Path) -> None:
    old = tmp_path / "reports"
    shutil.copytree(site, old)
    (old / MANIFEST).unlink()
    with pytest.raises(ContinuityError, match="older continuity .* pass --force once"):
        build(REPO / "corpus", old)


def test_a_site_is_listed_in_its_manifest(site: Path) -> None:
    assert (site / MANIFEST).is_file()
    assert strangers(site, read_manifest(site)) == []


class Checked(Exception):
    """Raised where the work would start: the output passed its checks."""


def may_replace(out: Path, monkeypatch: pytest.MonkeyPatch) -> bool:
    """Whether `build` accepts `out` (without doing the work)."""
    def stop(*args: object, **kwargs: object) -> None:
        raise Checked

    monkeypatch.setattr(build_module, "load_corpus", stop)
    try:
        build(REPO / "corpus", out)
    except Checked:
        return True
    except ContinuityError:
        return False
    finally:
        monkeypatch.undo()
    raise AssertionError("unreachable")


def test_the_tracked_placeholder_alone_may_be_replaced(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "reports"
    out.mkdir()
    (out / "README.md").write_text(REPORTS_README, encoding="utf-8")
    assert may_replace(out, monkeypatch)
    (out / "README.md").write_text("my notes", encoding="utf-8")
    assert not may_replace(out, monkeypatch)


def test_pair_page_checks_its_file_before_the_work(analysis: Analysis, tmp_path: Path) -> None:
    """`continuity diff A B --html existing.html` does not overwrite the user's file."""
    mine = tmp_path / "existing.html"
    mine.write_text("<p>my page</p>", encoding="utf-8")
    with pytest.raises(ContinuityError, match="existing.html exists and was not written by "
                                              "continuity"):
        with pair_page_output("2024-decision", "2025-report", mine):
            raise AssertionError("the work started before the output was checked")
    assert mine.read_text(encoding="utf-8") == "<p>my page</p>"
    assert [p.name for p in tmp_path.iterdir()] == ["existing.html"]
    write_pair_page(analysis, "2024-decision", "2025-report", mine, force=True)
    assert "<del>" in mine.read_text(encoding="utf-8")
    again = write_pair_page(analysis, "2024-chengdu", "2025-report", mine)  # ours: replaced
    assert again == mine and "成都" in mine.read_text(encoding="utf-8")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["existing.html"]


def test_a_pair_page_written_into_a_site_keeps_it_replaceable(
        analysis: Analysis, site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "reports"
    shutil.copytree(site, out)
    assert not (out / "pair-2022-decision--2025-report.html").exists()  # a page more
    page = write_pair_page(analysis, "2022-decision", "2025-report",
                           out / "pair-2022-decision--2025-report.html")
    assert page.is_file() and strangers(out, read_manifest(out)) == []
    assert may_replace(out, monkeypatch)


def test_a_sixth_document_in_gb18030_goes_through_the_whole_build(tmp_path: Path) -> None:
    corpus_dir = tmp_path / "corpus"
    shutil.copytree(REPO / "corpus", corpus_dir)
    base = (corpus_dir / "2025-01-sichuan-government-work-report-tasks.txt").read_text(
        encoding="utf-8")
    (corpus_dir / "2026-report.txt").write_bytes(
        base.replace("5.5%以上", "5%左右").encode("gb18030"))
    with (corpus_dir / "manifest.toml").open("a", encoding="utf-8") as manifest:
        manifest.write('\n[[document]]\nid = "2026-report"\ntitle = "四川省2026年政府工作报告"\n'
                       'short_title = "四川2026"\ndate = "2026-01-20"\nissuer = "四川省人民政府"\n'
                       'level = "province"\ngenre = "work-report"\nfile = "2026-report.txt"\n'
                       'source = "test"\n')
    site = build(corpus_dir, tmp_path / "reports").parent
    assert (site / "doc-2026-report.html").is_file()
    # timeline order comes from the dates: 2025-report → 2026-report → 15th-plan
    assert (site / "pair-2025-report--2026-report.html").is_file()
    assert (site / "pair-2026-report--15th-plan.html").is_file()
    documents = (site / "data" / "documents.csv").read_text(encoding="utf-8").splitlines()
    assert [line.split(",")[0] for line in documents[1:]] == [
        "2022-decision", "2024-chengdu", "2024-decision", "2025-report", "2026-report",
        "15th-plan"]
    pair = (site / "pair-2025-report--2026-report.html").read_text(encoding="utf-8")
    assert "<del>5.5%以上</del>" in pair or "<del>5.5</del>" in pair


def test_no_output_job_sends_the_whole_analysis(analysis: Analysis) -> None:
    """Every page and table is a job of a part (what a dask task carries) or is made by
    the building process (`here`): no job that closes over the whole analysis is sent to
    a dask worker."""
    from continuity.build import output_jobs
    from continuity.engine import Part

    jobs = output_jobs(analysis)
    assert all(isinstance(job.make, Part) or job.here for job in jobs)
    assert sum(isinstance(job.make, Part) for job in jobs) > len(jobs) / 2


"""continuity.report.parts: long document pages in parts, and links that find the part."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

import continuity
from continuity.analysis.run import Analysis, analyse
from continuity.output.report import parts, render_site, site_jobs
from continuity.output.report.parts import PartsIndex, links_per_clause, paragraph_bytes
from continuity.settings import AlignSettings

LINK = re.compile(r'href="((?:doc-[^"#?]+\.html)?)(?:\?[^"#]*)?#([^"]+)"')


def document_pages(analysis: Analysis) -> dict[str, str]:
    """The document pages alone (their jobs of the site)."""
    out: dict[str, str] = {}
    for job in site_jobs(analysis):
        if job.name.startswith("document page "):
            out.update(job.make())
    return out


def test_the_estimate_is_near_the_page(analysis: Analysis) -> None:
    pages = document_pages(analysis)
    links = links_per_clause(analysis)
    for doc in analysis.corpus.documents:
        estimate = sum(paragraph_bytes(analysis, doc, links))
        real = len(pages[f"doc-{doc.id}.html"].encode("utf-8"))
        assert 0.7 < real / estimate < 1.3, (doc.id, real, estimate)


def test_links_per_clause_count_the_documents_with_a_counterpart(analysis: Analysis) -> None:
    links = links_per_clause(analysis)
    best = analysis.result.best()
    for row in range(0, len(analysis.result.clauses), 97):
        assert links[row] == sum(1 for r, _ in best if r == row)


def test_a_short_document_is_one_part_and_a_long_one_is_cut_between_paragraphs(
        analysis: Analysis) -> None:
    whole = PartsIndex(analysis)
    assert all(len(whole(d.id)) == 1 for d in analysis.corpus.documents)  # bundled: whole
    small = PartsIndex(analysis, budget=100_000)
    doc = analysis.corpus.document("15th-plan")
    cut = small(doc.id)
    assert len(cut) > 5 and cut.starts[0] == 0
    assert set(cut.starts) <= {p.start for p in doc.clean.paragraphs} | {0}
    assert [cut.part(s) for s in cut.starts] == list(range(len(cut)))
    assert cut.part(-1) == 0 and cut.part(len(doc.clean.text)) == len(cut) - 1


def assert_links_land(pages: dict[str, str]) -> int:
    """Every link of the site to a place in a document page (or in the page itself) finds
    an element with that id on the page it names; returns how many links were checked."""
    ids = {name: set(re.findall(r' id="([^"]+)"', html)) for name, html in pages.items()}
    checked = 0
    for name, html in pages.items():
        for page, anchor in LINK.findall(html):
            target = page or name
            assert anchor in ids[target], (name, page, anchor)
            checked += 1
    return checked


@pytest.fixture(scope="module")
def split_site(analysis: Analysis) -> dict[str, str]:
    """The bundled site with document pages cut into parts of 400 kB (estimated)."""
    patch = pytest.MonkeyPatch()
    patch.setattr(parts, "PART_BYTES", 400_000)
    try:
        return render_site(analysis)
    finally:
        patch.undo()


def test_long_pages_are_split_into_parts_that_hold_every_passage_once(
        analysis: Analysis, split_site: dict[str, str]) -> None:
    doc = analysis.corpus.document("15th-plan")
    names = [n for n in split_site if n.startswith("doc-15th-plan")]
    assert len(names) > 3
    order = sorted(names, key=lambda n: int(n.split(".")[1]) if n.count(".") == 2 else 1)
    shown = [c for n in order for c in re.findall(r'<span id="([^"]+)" class="clause"',
                                                     split_site[n])]
    assert shown == [c.id for c in doc.clauses]
    for n in order:
        html = split_site[n]
        text = html[html.index('<article id="doc-text"'):html.index("</article>")]
        assert len(text.encode("utf-8")) < 1.3 * 400_000 + 20_000  # a paragraph may overrun
        assert 'href="doc-15th-plan.2.html"' in html or n == "doc-15th-plan.2.html"
    assert "正文较长，分页显示" in split_site[order[1]]  # the site is Chinese by default
    assert "正文较长" not in split_site["doc-2024-decision.html"]  # a page in one part
    assert 'id="removed"' in split_site[order[-1]]
    assert all('id="removed"' not in split_site[n] for n in order[:-1])


def test_every_link_into_a_part_finds_the_passage(split_site: dict[str, str]) -> None:
    assert assert_links_land(split_site) > 10_000
    moved = [n for n in split_site if re.match(r"doc-.+\.\d+\.html$", n)]
    linked = set(LINK.findall(split_site["index.html"]) + LINK.findall(
        split_site["pair-2025-report--15th-plan.html"]))
    assert any(page in moved for page, _ in linked)


@pytest.mark.slow
def test_a_synthetic_corpus_in_series_splits_and_links_land(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
    from synthetic import write_corpus

    write_corpus(tmp_path / "corpus", 4, years=2)
    synthetic = analyse(continuity.load_corpus(tmp_path / "corpus"),
                        AlignSettings(all_pairs_max_docs=2))
    monkeypatch.setattr(parts, "PART_BYTES", 200_000)
    pages = render_site(synthetic)
    assert any(re.match(r"doc-.+\.2\.html$", n) for n in pages)
    assert assert_links_land(pages) > 1000


def test_the_first_part_names_the_places_of_the_others(split_site: dict[str, str]) -> None:
    import json

    first = split_site["doc-15th-plan.html"]
    found = re.search(r'<script type="application/json" id="moved-parts">(.*?)</script>', first)
    assert found is not None
    moved = json.loads(found.group(1))
    later = [n for n in split_site if re.match(r"doc-15th-plan\.\d+\.html$", n)]
    assert sorted(moved) == sorted(later)
    for name, places in moved.items():
        assert set(places) == set(re.findall(r' id="([^"]+)"', split_site[name])) - {
            "main", "text", "fates", "fate-counts", "doc-text", "removed"}
    assert "moved-parts" not in split_site["doc-15th-plan.2.html"]
    assert "moved-parts" not in split_site["doc-2024-decision.html"]  # one part


def test_an_old_address_into_the_first_part_lands_on_the_part(
        split_site: dict[str, str], tmp_path: Path) -> None:
    """A bookmark made before the page was cut (doc-ID.html#place) opens the part holding
    the place (site.js, in a browser; skipped without one)."""
    import shutil

    playwright = pytest.importorskip("playwright.sync_api")
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(chromium).exists():
        pytest.skip("Chromium is not installed")
    for name, text in split_site.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    place = re.findall(r'<span id="([^"]+)" class="clause"', split_site["doc-15th-plan.3.html"])[2]
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        page = browser.new_page()
        page.goto((tmp_path / "doc-15th-plan.html").as_uri() + f"#{place}")
        page.wait_for_url(re.compile(r"doc-15th-plan\.3\.html#"))
        assert page.locator(f'[id="{place}"]').count() == 1
        browser.close()

"""The report site in a browser: filters, search, views in the address, CSV of a view,
phones and projectors. Playwright for Python driving Debian's Chromium (`.ci/run` installs
it; no browser is downloaded); skipped, saying why, where either is missing."""

from __future__ import annotations

import csv
import io
import re
import shutil
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from click.testing import CliRunner
from helpers import EXTRA_PAIR

from continuity.analysis.compare import compare_documents
from continuity.analysis.counts import fate_counts, pair_counts
from continuity.analysis.run import Analysis
from continuity.cli import cli

CHROMIUM = next((p for p in ("/usr/bin/chromium", shutil.which("chromium") or "",
                             shutil.which("chromium-browser") or "") if p and Path(p).exists()),
                None)
try:
    from playwright.sync_api import ConsoleMessage, Page, sync_playwright
except ImportError:  # pragma: no cover - the test extra installs it
    sync_playwright = None

pytestmark = [
    pytest.mark.skipif(sync_playwright is None,
                       reason="playwright is not installed (pip install -e '.[test]')"),
    pytest.mark.skipif(CHROMIUM is None,
                       reason="Chromium is not installed (Debian: apt-get install chromium)"),
]

PAIR = "pair-2025-report--15th-plan.html"
EXTRA = EXTRA_PAIR  # a pair built with --pairs


@pytest.fixture
def site(bundled_site: Path) -> Path:
    """The bundled corpus built as a user builds it, with one more pair page (the
    session's, conftest.py: read only)."""
    return bundled_site


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    assert sync_playwright is not None
    with sync_playwright() as p:
        chromium = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        yield chromium
        chromium.close()


Opener = Callable[..., "Page"]


@pytest.fixture
def open_page(browser: Any, site: Path) -> Iterator[Opener]:
    """Open a page of the site (`open_page("index.html?x=1")`, optionally at a viewport
    size); every console message and page error is an error of the test."""
    contexts = []
    problems: list[str] = []

    def open_(name: str, width: int = 1280, height: int = 900) -> Page:
        context = browser.new_context(viewport={"width": width, "height": height},
                                      accept_downloads=True)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)

        def console(message: ConsoleMessage) -> None:
            problems.append(f"{name}: console {message.type}: {message.text}")

        page.on("console", console)
        page.on("pageerror", lambda error: problems.append(f"{name}: {error}"))
        file, rest = re.fullmatch(r"([^?#]*)(.*)", name).groups()  # type: ignore[union-attr]
        page.goto((site / file).as_uri() + rest)
        page.wait_for_load_state("load")
        return page

    yield open_
    for context in contexts:
        context.close()
    assert problems == []


def shown(page: Page) -> int:
    return int(page.locator("[data-shown]").first.inner_text())


def visible_units(page: Page, selector: str) -> list[str]:
    """The unit ids of the shown items: their own id, else their first passage link's."""
    return page.evaluate("""sel => Array.from(document.querySelectorAll(sel))
        .filter(e => e.offsetParent !== null)
        .map(e => e.id || (e.querySelector('a.text').getAttribute('href') || '').split('#')[1])""",
                         selector)


def search(page: Page, words: str) -> None:
    before = page.locator("[data-shown]").first.inner_text()
    page.fill("input[data-search]", words)
    page.wait_for_function(
        "before => document.querySelector('[data-shown]').textContent !== before"
        " || !document.querySelector('input[data-search]').value", arg=before)
    page.wait_for_timeout(300)  # the search waits for typing to pause


# --------------------------------------------------------------------------- every page

@pytest.mark.parametrize("name", [
    "index.html", "doc-2024-decision.html", PAIR, "pair-2022-decision--15th-plan.html",
    "theme-rural.html", "history-rural.html", "formulations.html", "targets.html"])
def test_pages_load_without_console_errors_and_fit_a_phone(open_page: Opener, name: str) -> None:
    page = open_page(name, 390, 844)
    assert page.title().endswith("· continuity")
    width = page.evaluate("[document.documentElement.scrollWidth, "
                          "document.documentElement.clientWidth]")
    assert width[0] <= width[1], f"{name} scrolls sideways at 390 px: {width}"


def test_pair_page_menus_fit_a_phone(open_page: Opener) -> None:
    page = open_page(PAIR, 390, 844)
    for select in page.locator(".filters select").all():
        box = select.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390
    page.click("nav.site details.themes-menu summary")
    menu = page.locator("nav.site details[open] ul").bounding_box()
    assert menu is not None and menu["x"] >= 0 and menu["x"] + menu["width"] <= 390


@pytest.mark.parametrize("name", [PAIR, "theme-rural.html"])
def test_sticky_header_is_not_covered_by_the_filter_bar_on_a_projector(
        open_page: Opener, name: str) -> None:
    page = open_page(name, 1024, 768)
    page.evaluate("""() => { const t = document.querySelectorAll('table.pair, table.threads');
                             const table = t[Math.min(1, t.length - 1)];
                             window.scrollBy(0, table.getBoundingClientRect().top + 400); }""")
    page.wait_for_timeout(200)
    bar = page.evaluate("document.querySelector('.filters').getBoundingClientRect().bottom")
    heads = page.evaluate("""() => Array.from(document.querySelectorAll('table thead th'))
        .map(th => th.getBoundingClientRect()).filter(r => r.bottom > 0 && r.top < 768)
        .map(r => r.top)""")
    assert heads, "no table header in view"
    assert min(heads) >= bar - 0.5, (bar, heads)
    top = page.evaluate("document.elementFromPoint(200, "
                        f"{min(heads) + 5}).closest('th') !== null")
    assert top, "the header is covered"


def test_skip_link_and_navigation_reach_theme_and_history_pages(open_page: Opener) -> None:
    page = open_page("index.html")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    page.click("nav.site details.themes-menu summary")
    page.click("nav.site details[open] a[href='history-rural.html']")
    page.wait_for_load_state("load")
    assert page.url.endswith("history-rural.html") and shown(page) > 0


# --------------------------------------------------------------- the overview's questions

def test_which_commitments_disappeared_in_one_click(open_page: Opener,
                                                    analysis: Analysis) -> None:
    first = analysis.corpus.ids[0]
    gone = {c.id for c in analysis.commitments(first)
            if analysis.fate(c.id).fate == "disappears"}
    page = open_page("index.html")
    page.click(f"a.more[href='doc-{first}.html?fate=disappears#doc-text']")
    page.wait_for_load_state("load")
    assert shown(page) == len(gone) == fate_counts(analysis, first)["disappears"]
    assert set(visible_units(page, "#doc-text p .clause, #doc-text .section-heading .match")) \
        == gone
    assert page.input_value("select[data-filter='fate']") == "disappears"
    assert f"({len(gone)})" in page.inner_text("select[data-filter='fate'] option:checked")


def test_how_a_formulations_wording_changed_in_one_click(open_page: Opener) -> None:
    page = open_page("index.html")
    link = page.locator("ul.formulas li", has_text="“天府粮仓”").locator("a").first
    link.click()
    page.wait_for_load_state("load")
    assert "history-" in page.url and f"q={quote('天府粮仓')}" in page.url
    assert page.input_value("input[data-search]") == "天府粮仓"
    histories = page.locator("#histories section.history:visible")
    assert histories.count() == shown(page) > 0
    for text in histories.all_inner_texts():
        assert "天府粮仓" in text
    marks = page.locator("#histories mark.hit").all_inner_texts()
    assert marks and set(marks) == {"天府粮仓"}


def test_what_the_latest_document_adds_by_theme_in_one_click(open_page: Opener,
                                                             analysis: Analysis) -> None:
    last = analysis.corpus.ids[-1]
    page = open_page("index.html")
    link = page.locator("table.adds a.count").first
    count = int(link.inner_text())
    theme = re.search(r"theme=([a-z]+)", link.get_attribute("href") or "")
    assert theme
    link.click()
    page.wait_for_load_state("load")
    assert shown(page) == count
    expected = {c.id for c in analysis.commitments(last)
                if analysis.fate(c.id).fate == "emerges"
                and analysis.themes.clauses[c.id].theme == theme.group(1)}
    assert set(visible_units(page, "#doc-text p .clause, #doc-text .section-heading .match")) \
        == expected


def test_the_overview_links_every_pair_page_the_site_has(open_page: Opener) -> None:
    page = open_page("index.html")
    page.click(f"main table a[href='pair-{EXTRA[0]}--{EXTRA[1]}.html']")
    page.wait_for_load_state("load")
    assert shown(page) > 0


# --------------------------------------------------------------------- filters and search

def test_pair_page_filters_every_list_including_the_new_one(open_page: Opener,
                                                            analysis: Analysis) -> None:
    a, b = "2025-report", "15th-plan"
    counts = pair_counts(analysis, a, b)
    page = open_page(PAIR)
    options = page.locator("select[data-filter='relation'] option").all_inner_texts()
    assert options[1:] == [f"相同 ({counts.same})", f"改写 ({counts.reworded})",
                           f"无对应表述 ({counts.absent})",
                           f"四川“十五五”规划纲要新增 ({counts.new})"]
    page.select_option("select[data-filter='relation']", "new")
    assert shown(page) == counts.new
    assert page.locator("#new li.row:visible").count() == counts.new
    assert page.locator("table.pair tr.row:visible").count() == 0
    # a theme narrows the new list too; the facets count with the other filter kept
    _, new = compare_documents(analysis, a, b)
    rural = sum(1 for c in new if analysis.themes.clauses[c.id].theme == "rural")
    page.select_option("select[data-filter='theme']", "rural")
    assert shown(page) == rural == page.locator("#new li.row:visible").count()
    relations = page.locator("select[data-filter='relation'] option").all_inner_texts()
    assert relations[-1].endswith(f"({rural})")
    page.select_option("select[data-filter='relation']", "same")
    assert page.locator("#new li.row:visible").count() == 0
    assert page.locator("#new").is_hidden()


def test_search_matches_passage_text_only_every_word_and_marks_it(open_page: Opener) -> None:
    page = open_page(PAIR)
    total = shown(page)
    search(page, "四川2025政府工作报告")  # a citation, not passage text
    assert shown(page) == 0
    search(page, "粮食 安全")
    rows = page.locator("#pair-rows .row:visible")
    assert 0 < rows.count() == shown(page) < total
    texts = page.evaluate("""() => Array.from(document.querySelectorAll('#pair-rows .row'))
        .filter(r => r.offsetParent !== null)
        .map(r => Array.from(r.querySelectorAll('.text')).map(t => t.textContent).join(' '))""")
    assert all("粮食" in t and "安全" in t for t in texts)
    marks = Counter(page.locator("#pair-rows mark.hit").all_inner_texts())
    assert set(marks) <= {"粮食", "安全", "粮食安全"} and marks
    assert page.locator("#pair-rows cite mark").count() == 0
    search(page, "")
    assert shown(page) == total and page.locator("mark.hit").count() == 0


def test_a_search_across_a_redline_is_marked_whole(open_page: Opener) -> None:
    """A word that runs across deleted or inserted words is still found and marked."""
    page = open_page(PAIR)
    search(page, "发展新质生产力")
    assert shown(page) > 0
    marked = page.evaluate("""() => Array.from(document.querySelectorAll('#pair-rows .row'))
        .filter(r => r.offsetParent !== null)
        .every(r => Array.from(r.querySelectorAll('mark.hit')).map(m => m.textContent).join('')
                    .includes('发展新质生产力'))""")
    assert marked


# --------------------------------------------------------- a view in the address, as CSV

def test_a_filtered_view_round_trips_through_its_address(open_page: Opener) -> None:
    page = open_page(PAIR)
    page.select_option("select[data-filter='relation']", "reworded")
    page.select_option("select[data-filter='theme']", "rural")
    search(page, "耕地 红线")
    assert "relation=reworded" in page.url and "theme=rural" in page.url
    assert "q=" in page.url
    rows = visible_units(page, "#pair-rows .row")
    assert rows
    again = open_page(PAIR + "?" + page.url.split("?", 1)[1])
    assert visible_units(again, "#pair-rows .row") == rows
    assert again.input_value("input[data-search]") == "耕地 红线"
    assert again.locator("mark.hit").count() == page.locator("mark.hit").count()


def test_download_this_view_writes_the_shown_rows_as_csv(open_page: Opener,
                                                         analysis: Analysis) -> None:
    page = open_page(PAIR + "?relation=reworded&theme=rural")
    rows = visible_units(page, "#pair-rows .row")
    with page.expect_download() as info:
        page.click("button[data-download]")
    download = info.value
    assert download.suggested_filename == "pair-2025-report--15th-plan.csv"
    text = Path(download.path()).read_text(encoding="utf-8-sig")
    table = list(csv.DictReader(io.StringIO(text)))
    assert len(table) == len(rows) == shown(page) > 0
    assert [r["a_unit"] for r in table] == rows
    assert {r["relation"] for r in table} == {"reworded"}
    assert {r["theme"] for r in table} == {"rural"}
    for r in table:
        a, b = analysis.clause(r["a_unit"]), analysis.clause(r["b_unit"])
        assert (r["a_text"], r["b_text"]) == (a.text, b.text)
        assert (r["a_section"], r["b_section"]) == (a.section_path, b.section_path)
        assert r["changes"]


def test_a_review_reporting_an_absent_commitment_is_no_counterpart_in_the_csv(
        open_page: Opener, analysis: Analysis) -> None:
    page = open_page("pair-2022-decision--2024-chengdu.html?relation=absent")
    assert page.locator("#pair-rows .row .reported").count() > 10  # shown beside "none"
    with page.expect_download() as info:
        page.click("button[data-download]")
    table = list(csv.DictReader(io.StringIO(
        Path(info.value.path()).read_text(encoding="utf-8-sig"))))
    assert table and {r["relation"] for r in table} == {"absent"}
    assert all(r["b_unit"] == r["b_text"] == r["b_section"] == "" for r in table)


def test_download_a_document_view(open_page: Opener, analysis: Analysis) -> None:
    page = open_page("doc-2022-decision.html?fate=disappears")
    with page.expect_download() as info:
        page.click("button[data-download]")
    table = list(csv.DictReader(io.StringIO(
        Path(info.value.path()).read_text(encoding="utf-8-sig"))))
    assert len(table) == fate_counts(analysis, "2022-decision")["disappears"]
    for r in table:
        clause = analysis.clause(r["unit"])
        assert (r["doc"], r["fate"], r["text"], r["section"]) == (
            "2022-decision", "disappears", clause.text, clause.section_path)
        assert r["theme"] == analysis.themes.clauses[clause.id].theme


def test_a_pair_page_written_alone_filters_offline(browser: Any, analysis: Analysis,
                                                   tmp_path: Path) -> None:
    from continuity.build import write_pair_page

    path = write_pair_page(analysis, "2022-decision", "2025-report", tmp_path / "alone.html")
    context = browser.new_context()
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text))
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.goto(path.as_uri() + "?relation=same")
    counts = pair_counts(analysis, "2022-decision", "2025-report")
    assert int(page.inner_text("[data-shown]")) == counts.same
    with page.expect_download() as info:
        page.click("button[data-download]")
    table = list(csv.DictReader(io.StringIO(
        Path(info.value.path()).read_text(encoding="utf-8-sig"))))
    assert len(table) == counts.same and all(r["a_unit"] and r["b_unit"] for r in table)
    context.close()
    assert problems == []


# ------------------------------------------------------------------ language and printing

#: Words of the English interface that the Chinese site must not show in its headings,
#: navigation, table headers, filter bars and buttons.
ENGLISH_UI = re.compile(r"\b(Documents|Pairs|Themes|history|Overview|Timeline|Commitments|"
                        r"commitments|Search|Show all|Download|Fate|Theme|Relation|Section|"
                        r"same|reworded|absent|persists|evolves|disappears|emerges|theme|"
                        r"document|shown|new in)\b")
UI = "h1, h2, h3, nav.site, caption, thead th, .filters, summary, .skip, .questions"


@pytest.fixture(scope="module")
def english_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("english") / "reports"
    result = CliRunner().invoke(cli, ["build", "--out", str(out), "--lang", "en"],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return out


def ui_text(page: Page) -> str:
    return "\n".join(page.locator(UI).all_inner_texts())


@pytest.mark.parametrize("name", ["index.html", PAIR, "doc-2022-decision.html",
                                  "theme-rural.html", "history-rural.html", "matrix.html"])
def test_the_site_speaks_chinese_by_default(open_page: Opener, name: str) -> None:
    page = open_page(name)
    assert page.evaluate("document.documentElement.lang") == "zh-Hans"
    text = ui_text(page)
    assert re.search("[文件主题]", text)
    assert not ENGLISH_UI.search(text), ENGLISH_UI.findall(text)


def test_the_site_in_english_on_request(browser: Any, english_site: Path) -> None:
    page = browser.new_page()
    page.goto((english_site / PAIR).as_uri() + "?relation=same")
    assert page.evaluate("document.documentElement.lang") == "en"
    assert page.locator("nav.site details.themes-menu summary").inner_text() \
        == "Themes and histories"
    assert page.locator("select[data-filter='relation'] option:checked").inner_text() \
        .startswith("same (")
    assert page.locator("button[data-download]").inner_text() == "Download this view (CSV)"
    page.close()


def test_the_themes_table_prints_on_one_a4_landscape_page(browser: Any, site: Path,
                                                          tmp_path: Path) -> None:
    page = browser.new_page()
    page.goto((site / "matrix.html").as_uri())
    pdf = page.pdf(prefer_css_page_size=True, print_background=True)
    page.close()
    pages = re.findall(rb"/Type\s*/Page[^s]", pdf)
    assert len(pages) == 1
    box = re.search(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]", pdf)
    assert box is not None
    width, height = (float(v) for v in box.groups())
    assert (round(width), round(height)) == (842, 595)  # A4 landscape in points

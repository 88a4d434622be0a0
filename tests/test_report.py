"""continuity.output.report: page facts, the jinja environment, escaping, and each page type."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from urllib.parse import quote

import jinja2
import pytest
from helpers import THEMES_FILE, entry
from hypothesis import given
from hypothesis import strategies as st

import continuity
from continuity.analysis.counts import fate_counts, pair_counts
from continuity.analysis.run import Analysis, analyse
from continuity.errors import ContinuityError
from continuity.output.report import environment, facts, render_site
from continuity.output.report.render import FATE_LABELS, history_homes, site_jobs, site_pairs

HOSTILE = "建设<script>alert('x')</script>科创生态岛&amp;天府粮仓 & 新质生产力<b>加粗</b>。"


def test_environment_escapes_and_is_strict() -> None:
    env = environment()
    assert env.autoescape is True
    assert env.from_string("{{ x }}").render(x="<script>&") == "&lt;script&gt;&amp;"
    with pytest.raises(jinja2.UndefinedError):
        env.from_string("{{ missing }}").render()


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    root = tmp_path_factory.mktemp("hostile")
    texts = [
        "一、总体要求\n（一）推动发展。" + HOSTILE + "支持建设成都科创生态岛，打造西部创新高地。\n",
        "一、重点工作\n（一）加快建设。推进成都科创生态岛建设，" + HOSTILE + "\n",
    ]
    from helpers import manifest_text

    entries = []
    for n, text in enumerate(texts):
        item = entry(id=f"doc-{n}", file=f"d{n}.txt", date=f"202{n + 1}-01-01")
        entries.append(item)
        (root / f"d{n}.txt").write_text(text, encoding="utf-8")
    (root / "manifest.toml").write_text(manifest_text(entries), encoding="utf-8")
    (root / "themes.toml").write_text(THEMES_FILE.read_text(encoding="utf-8"), encoding="utf-8")
    analysis = analyse(continuity.load_corpus(root))
    return {k: v for k, v in render_site(analysis).items() if k.endswith(".html")}


def test_document_text_is_data_never_markup(hostile_site: dict[str, str]) -> None:
    assert hostile_site, "no pages rendered"
    for name, html in hostile_site.items():
        assert "<script>alert" not in html, name
        assert "<b>加粗</b>" not in html, name
    document = hostile_site["doc-doc-0.html"]
    assert "&lt;script&gt;alert(" in document
    assert "科创生态岛&amp;amp;" in document  # a literal "&amp;" stays text
    assert "天府粮仓 &amp; 新质生产力&lt;b&gt;加粗&lt;/b&gt;" in document


def job_pages(analysis: Analysis, *names: str) -> dict[str, str]:
    """The pages that the site's jobs of these names make (`render_site` runs them all)."""
    jobs = {job.name: job for job in site_jobs(analysis)}
    return {page: html for name in names for page, html in jobs[name].make().items()}


@pytest.mark.parametrize("which", ["analysis", "synthetic_analysis"])
def test_every_page_made_from_its_part_is_the_page_made_from_the_whole(
        which: str, request: pytest.FixtureRequest) -> None:
    """A page job made of a part (what a dask task carries: a view of the analysis) makes
    the page the whole analysis makes, for every such page of the bundled corpus and of
    synthetic series compared by the plan (each document with a few others)."""
    from continuity.engine import Part
    from continuity.output.report.render import PagePart, history_locations

    analysis: Analysis = request.getfixturevalue(which)
    homes = history_homes(analysis)
    located = history_locations(analysis, homes)
    jobs = site_jobs(analysis, pairs="all" if which == "synthetic_analysis" else ())
    parts = [job.make for job in jobs if isinstance(job.make, Part)]
    kinds = {job.name.split(" ")[0] for job in jobs if isinstance(job.make, Part)}
    assert kinds == {"document", "pair", "theme", "history"}
    assert all(job.here for job in jobs if not isinstance(job.make, Part))
    for made in parts:
        part = made.part()
        assert isinstance(part, PagePart)
        whole = PagePart(analysis, homes, located, part.page)
        from_part = made.func(made.shared, part)
        assert from_part == made.func(made.shared, whole), part.page[:2]
        assert made.whole is not None and made.whole().analysis is analysis  # local engine
        assert made() == from_part


def test_every_page_type_renders(chinese: dict[str, str]) -> None:
    pages = chinese
    kinds = {name.split("-")[0].split(".")[0] for name in pages if name.endswith(".html")}
    assert kinds == {"index", "doc", "pair", "theme", "history", "formulations", "targets",
                     "matrix"}
    assert "静态" not in pages["static/style.css"]
    assert "@page" in pages["static/style.css"] and "landscape" in pages["static/style.css"]


def test_pair_counts_add_up(analysis: Analysis) -> None:
    for a, b in facts.consecutive_pairs(analysis):
        counts = pair_counts(analysis, a, b)
        assert counts.same + counts.reworded + counts.absent == len(analysis.commitments(a))
        assert 0 <= counts.new <= len(analysis.commitments(b))


def test_theme_matrix_cells_count_commitments_of_their_theme(analysis: Analysis) -> None:
    matrix = facts.theme_matrix(analysis)
    assert len(matrix) == len(analysis.themes.taxonomy)
    for doc_index, doc in enumerate(analysis.corpus.documents):
        total = sum(row[doc_index].count for row in matrix)
        assert total == len(analysis.commitments(doc.id))
    for row in matrix:
        for cell in row:
            if cell.example is not None:
                assert analysis.themes.clauses[cell.example.id].theme == cell.theme
                assert cell.example.doc_id == cell.doc_id


def test_formulations_count_and_locate_their_terms(analysis: Analysis) -> None:
    found = {f.term: f for f in facts.formulations(analysis)}
    granary = found["天府粮仓"]
    assert granary.quoted
    docs = analysis.corpus.documents
    assert granary.counts == tuple(d.clean.text.count("天府粮仓") for d in docs)
    assert granary.first_doc == "2022-decision" and granary.last_doc == "15th-plan"
    assert all("天府粮仓" in k.clause.text and k.keyword == "天府粮仓" for k in granary.contexts)
    assert found["四个发力"].definition is not None  # from Chengdu's 名词解释


def test_shared_formulations_are_the_quoted_ones_every_document_uses(analysis: Analysis
                                                                   ) -> None:
    every = [(f.term, sum(f.counts)) for f in facts.formulations(analysis)
             if f.quoted and all(f.counts)]
    shared = facts.shared_formulations(analysis)
    assert sorted(every, key=lambda f: (f[1], f[0])) == list(shared)
    assert "天府粮仓" in dict(shared)


def test_targets_table_one_row_per_indicator_changes_marked(analysis: Analysis) -> None:
    rows = {r.indicator: r for r in facts.targets(
        analysis, facts.read_indicators(analysis.corpus.root), lang="en")}
    assert len(rows) == len(facts.targets(analysis))  # one row per indicator

    def cells(name: str) -> dict[str, facts.TargetCell]:
        return dict(zip(analysis.corpus.ids, rows[name].cells, strict=True))

    gdp = cells("GDP增长")
    assert [s.shown for s in gdp["2024-chengdu"].targets] == ["6%左右"]
    assert [s.shown for s in gdp["2025-report"].targets] == ["5.5%以上"]
    # a level's first statement is not compared with another level's: it says where it was
    assert gdp["2025-report"].change == "" and "city: 6%左右" in gdp["2025-report"].note
    plan = gdp["15th-plan"]
    assert (plan.targets[0].shown, plan.change) == ("5.5%左右", "unchanged")
    assert plan.baseline is not None and plan.baseline.shown == "2025年 5.5%"
    assert plan.targets[0].clause.id == plan.targets[0].target.unit
    assert cells("粮食产量")["15th-plan"].change == "raised"          # 725 → 750亿斤以上
    assert cells("城镇新增就业")["15th-plan"].change == "dropped"     # 85万人 → not stated
    assert cells("居民消费价格涨幅")["2025-report"].change == "new"
    assert cells("人均预期寿命")["15th-plan"].targets[0].shown == "2030年 80岁左右"
    assert rows["GDP增长"].headline and not rows["新建天府绿道"].headline
    order = list(rows)
    assert order.index("新建天府绿道") > max(order.index(n) for n, r in rows.items()
                                          if r.headline)
    # the notes in the site's language: the same cells, the words in Chinese
    zh = {r.indicator: r for r in facts.targets(analysis)}
    gdp_zh = dict(zip(analysis.corpus.ids, zh["GDP增长"].cells, strict=True))
    assert gdp_zh["2025-report"].note == "省级首次提出（市级：成都2024政府工作报告：6%左右）"
    assert [c.change for r in zh.values() for c in r.cells] == \
        [c.change for r in rows.values() for c in r.cells]


def test_targets_page_links_every_value_to_its_passage(analysis: Analysis) -> None:
    (job,) = [j for j in site_jobs(analysis, lang="en") if j.name == "targets"]
    html = job.make()["targets.html"]
    assert 'href="data/targets.csv"' in html
    assert "= unchanged" in html and "▲ raised" in html and "× dropped" in html
    (job,) = [j for j in site_jobs(analysis) if j.name == "targets"]
    html = job.make()["targets.html"]
    assert "= 不变" in html and "▲ 上调" in html and "× 删去" in html
    assert not re.search(r"(>|title=\")(unchanged|raised|dropped|headline|text)\b", html)
    assert 'href="doc-2025-report.html#' in html and ">5.5%以上</a>" in html


def test_fate_labels_are_text_not_colour_only() -> None:
    for fate, label in FATE_LABELS.items():
        assert fate == "unaligned" or fate in label


def test_pair_page_shows_redlines_in_display_text(chinese: dict[str, str]) -> None:
    html = chinese["pair-2024-decision--2025-report.html"]
    assert "<del>" in html and "<ins>" in html
    assert "data-relation=\"reworded\"" in html and "data-theme=" in html


def test_templates_folder_is_where_render_reads_it() -> None:
    from continuity.output.report.render import TEMPLATES

    assert (TEMPLATES / "base.html").is_file()
    assert TEMPLATES == Path(__file__).resolve().parent.parent / "templates"


def test_compiled_templates_are_cached_but_never_stale(tmp_path: Path) -> None:
    templates, cache = tmp_path / "templates", tmp_path / "cache"
    templates.mkdir()
    (templates / "t.html").write_text("one {{ x }}", encoding="utf-8")
    assert environment(templates, cache).get_template("t.html").render(x="<a>") == "one &lt;a&gt;"
    assert list((cache / "templates").iterdir())  # compiled once, kept
    (templates / "t.html").write_text("two {{ x }}", encoding="utf-8")
    assert environment(templates, cache).get_template("t.html").render(x="&") == "two &amp;"


def test_a_site_renders_without_a_usable_cache(monkeypatch: pytest.MonkeyPatch,
                                               tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    env = environment()
    assert env.bytecode_cache is None
    assert env.get_template("base.html")


@given(st.text(alphabet="天府粮仓仓天", max_size=40), st.text(alphabet="天府粮仓", max_size=4))
def test_term_index_finds_what_str_count_counts(text: str, term: str) -> None:
    found = facts.TermIndex(text).find_all(term)
    if term:
        assert len(found) == text.count(term)
        assert all(text.startswith(term, at) for at in found)
        assert all(b >= a + len(term) for a, b in zip(found, found[1:], strict=False))
    else:
        assert found == []


# --------------------------------------------------------------------- reading and sharing

@pytest.fixture
def pages(english_pages: dict[str, str]) -> dict[str, str]:
    """The bundled site with one pair page besides the consecutive ones, in English (the
    words these tests look for; the Chinese site is tested under "language" below): the
    session's (conftest.py), read only."""
    return english_pages


def test_overview_answers_what_became_of_each_documents_commitments(
        analysis: Analysis, pages: dict[str, str]) -> None:
    """Each document's commitments by fate: the count, linked to the filtered list on its
    page, with examples from that list."""
    page = pages["index.html"]
    table = page[page.index('class="data fates"'):]
    table = table[:table.index("</table>")]
    fates = {f.clause: f.fate for f in analysis.fates}
    for doc in analysis.corpus.ids:
        counts = fate_counts(analysis, doc)
        for fate in ("emerges", "persists", "evolves", "disappears"):
            link = f'href="doc-{doc}.html?fate={fate}#doc-text">{counts[fate]}</a>'
            assert (link in table) == (counts[fate] > 0), (doc, fate)
        row = table[table.index(f'href="doc-{doc}.html">'):]
        row = row[:row.index("</tr>")]
        examples = re.findall(r'href="doc-[^"#]+\.html#([^"]+)"', row)
        assert examples and all(analysis.clause(u).doc_id == doc for u in examples)
        for cell in re.split(r'<a class="count" href="[^"]*\?fate=', row)[1:]:
            fate = cell[:cell.index("#")]
            units = re.findall(r'href="doc-[^"#]+\.html#([^"]+)"', cell)
            assert units and {fates[u] for u in units} == {fate}
    first = analysis.corpus.ids[0]
    assert f'href="doc-{first}.html?fate=disappears#doc-text">All ' in page


def test_overview_answers_what_the_latest_document_adds_by_theme(
        analysis: Analysis, pages: dict[str, str]) -> None:
    last = analysis.corpus.ids[-1]
    page = pages["index.html"]
    found = dict(re.findall(
        rf'href="doc-{last}\.html\?fate=emerges&amp;theme=([a-z]+)#doc-text">(\d+)</a>', page))
    emerges = [c for c in analysis.commitments(last) if analysis.fate(c.id).fate == "emerges"]
    by_theme = Counter(analysis.themes.clauses[c.id].theme for c in emerges)
    assert {t: int(n) for t, n in found.items()} == dict(by_theme)
    assert sum(by_theme.values()) == fate_counts(analysis, last)["emerges"]


def test_overview_leads_to_the_history_of_a_formulation(analysis: Analysis,
                                                        pages: dict[str, str]) -> None:
    """天府粮仓: one click to the history page(s) showing the histories that use it."""
    page = pages["index.html"]
    item = page[page.index("<b>“天府粮仓”</b>"):]
    item = item[:item.index("</li>")]
    links = re.findall(r'href="(history-([a-z]+)\.html)\?q=([^"]+)"', item)
    assert links and all(q == quote("天府粮仓") for _, _, q in links)
    homes = history_homes(analysis)
    using = Counter(homes[t.id] for t in analysis.threads if t.id in homes
                    and any("天府粮仓" in analysis.clause(c).text for c in t.clauses))
    assert {theme for _, theme, _ in links} == set(using)
    assert all(name in pages for name, _, _ in links)
    assert 'action="formulations.html"' in page  # any other term: the formulations page


def test_every_page_has_a_skip_link_and_reaches_themes_and_histories(
        analysis: Analysis, pages: dict[str, str]) -> None:
    for name, html in pages.items():
        if not name.endswith(".html"):
            continue
        assert '<a class="skip" href="#main">' in html and '<main id="main"' in html, name
        nav = html[html.index('<nav class="site"'):html.index("</nav>")]
        for theme in analysis.themes.taxonomy:
            assert f'href="theme-{theme.id}.html"' in nav
            assert f'href="history-{theme.id}.html"' in nav
        assert 'href="pair-2022-decision--15th-plan.html"' in nav  # the pairs the site has


def test_tables_have_captions_and_header_scope(pages: dict[str, str]) -> None:
    for name, html in pages.items():
        if not name.endswith(".html"):
            continue
        for table in re.findall(r"<table.*?</table>", html, re.S):
            assert "<caption>" in table, (name, table[:120])
            heads = re.findall(r"<th\b[^>]*>", table)
            assert all("scope=" in th for th in heads), (name, table[:120])


def test_pair_rows_link_to_their_histories(analysis: Analysis, pages: dict[str, str]) -> None:
    from continuity.analysis.compare import compare_documents

    a, b = "2024-decision", "2025-report"
    html = pages[f"pair-{a}--{b}.html"]
    rows, new = compare_documents(analysis, a, b)
    homes = history_homes(analysis)
    for clause in [r.clause for r in rows] + list(new):
        thread = analysis.fate(clause.id).thread
        if thread in homes:
            assert f'href="history-{homes[thread]}.html#{thread}">history</a>' in html, clause.id
    assert html.count('class="hist"') == sum(
        1 for c in [r.clause for r in rows] + list(new) if analysis.fate(c.id).thread in homes)


def test_pair_rows_say_which_counterparts_are_tentative(analysis: Analysis,
                                                       pages: dict[str, str]) -> None:
    from continuity.analysis.compare import compare_documents

    a, b = "2025-report", "15th-plan"
    html = pages[f"pair-{a}--{b}.html"]
    rows, _ = compare_documents(analysis, a, b)
    sure = Counter(r.confidence for r in rows if r.counterpart)
    assert sure["firm"] and sure["tentative"]
    assert html.count('data-confidence="tentative"') == sure["tentative"]
    assert html.count('data-confidence="firm"') == sure["firm"]
    rows_html = html[html.index('<div id="pair-rows">'):]
    # a review reporting an absent commitment says how sure it is too: no counterpart
    reports = re.findall(r'<span class="reported">.*?</small></span>', rows_html)
    assert len(reports) == sum(len(r.reports) for r in rows)
    rows_html = re.sub(r'<span class="reported">.*?</small></span>', "", rows_html)
    assert rows_html.count('<span class="tentative">tentative</span> ') == sure["tentative"]
    assert '<select data-filter="confidence">' in html
    assert 'A counterpart marked <span class="tentative">tentative</span>' in html  # what it means


def test_document_page_marks_tentative_counterparts(analysis: Analysis,
                                                    pages: dict[str, str]) -> None:
    """A passage's mark for a counterpart in another document ends in ? when that
    counterpart is tentative: as many as the rank-1 counterparts of the shown passages."""
    from continuity.output.report.render import partners
    from continuity.records import confidence

    doc = "2025-report"
    html = pages[f"doc-{doc}.html"]
    result, firm = analysis.result, analysis.result.settings.firm_margin
    best = result.best()
    others = [result.doc_index(d) for d in partners(analysis, doc)]
    expected = Counter()
    for clause in analysis.corpus.document(doc).clauses:
        if analysis.fate(clause.id).fate not in ("emerges", "persists", "evolves",
                                                 "disappears", "review"):
            continue
        for d in others:
            top = best.get((result.row(clause.id), d))
            if top is not None:
                expected[confidence(top[1], firm)] += 1
    marks = re.findall(r'<sup class="marks">(.*?)</sup>', html)
    found = [label for m in marks for label in re.findall(r'">([^<]*)</a>', m)]
    # 回: a later review passage reporting on it (tests/test_followup.py), no counterpart
    labels = [label for label in found if label != "史" and "回" not in label
              and label[-1] in "=~?"]
    assert expected["tentative"] and expected["firm"]
    assert sum(label.endswith("?") for label in labels) == expected["tentative"]
    assert sum(not label.endswith("?") for label in labels) == expected["firm"]
    assert "? tentative: check it" in html


def test_history_pages_cite_the_review_reporting_where_a_commitment_is_absent(
        analysis: Analysis, pages: dict[str, str]) -> None:
    from continuity.analysis.history import history

    homes = history_homes(analysis)
    expected = sum(len(s.reports) for thread in homes
                   for s in history(analysis, analysis.thread(thread).clauses[0]).steps)
    assert expected > 10
    shown = sum(page.count('<p class="reported">') for name, page in pages.items()
                if name.startswith("history-"))
    assert shown == expected
    rural = pages["history-rural.html"]
    at = rural.index('id="tc5a565d008"')  # 全面落实田长制 (2022), reported in Chengdu's review
    section = rural[at:rural.index("</section>", at)]
    assert re.search(r'<p class="reported">② reports it in a review passage \(work done: no '
                     r'counterpart\): <a href="doc-2024-chengdu.html#u[0-9a-f.]+">全面落实田长制,'
                     r"</a>", section)


def test_history_pages_mark_steps_linked_by_tentative_counterparts(
        analysis: Analysis, pages: dict[str, str]) -> None:
    from continuity.analysis.history import PRESENT, history

    homes = history_homes(analysis)
    expected = sum(1 for thread in homes
                   for s in history(analysis, analysis.thread(thread).clauses[0]).steps
                   if s.state == PRESENT and s.confidence == "tentative")
    shown = sum(page.count('</b> <span class="rel rel-reworded">reworded</span> '
                           '<span class="tentative">tentative</span>')
                + page.count('</b> <span class="rel rel-same">same words</span> '
                             '<span class="tentative">tentative</span>')
                for name, page in pages.items() if name.startswith("history-"))
    assert expected and shown == expected


def test_every_list_of_a_pair_page_is_filtered(pages: dict[str, str]) -> None:
    """The new commitments are rows of the filtered list, and "new" is a relation."""
    html = pages["pair-2025-report--15th-plan.html"]
    scope = html[html.index('<div id="pair-rows">'):]
    assert scope.index('id="new"') > 0 and '<li class="row" data-relation="new"' in scope
    assert '<option value="new">' in html
    assert 'data-target="#pair-rows" data-items=".row"' in html


def test_document_page_counts_link_to_their_lists(analysis: Analysis,
                                                  pages: dict[str, str]) -> None:
    html = pages["doc-2022-decision.html"]
    counts = fate_counts(analysis, "2022-decision")
    assert html.index('id="fates"') < html.index('id="doc-text"')  # the counts come first
    assert 'href="?fate=disappears#doc-text"' in html and counts["disappears"]
    assert "use the selector" not in html
    clauses = re.findall(r'<span id="([^"]+)" class="clause" data-fate="([a-z]+)"'
                         r'(?: data-confidence="([a-z]+)")? data-theme="([a-z]+)"', html)
    assert len(clauses) == len(analysis.corpus.document("2022-decision").clauses)
    assert Counter(f for _, f, _, _ in clauses)["disappears"] == counts["disappears"]
    assert Counter(c for _, _, c, _ in clauses)["tentative"] == counts.tentative > 0
    assert 'href="?confidence=tentative#doc-text"' in html


def test_site_pairs() -> None:
    ids = ("a", "b", "c", "d")
    assert site_pairs(ids) == (("a", "b"), ("b", "c"), ("c", "d"))
    assert len(site_pairs(ids, "all")) == 6
    assert site_pairs(ids, [("d", "a"), ("a", "c")]) == (
        ("a", "b"), ("a", "c"), ("b", "c"), ("c", "d"), ("d", "a"))
    with pytest.raises(ContinuityError, match="unknown document 'x'; known ids: a, b, c, d"):
        site_pairs(ids, [("a", "x")])
    with pytest.raises(ContinuityError, match="two different documents"):
        site_pairs(ids, [("a", "a")])


def test_any_pair_can_be_built_into_the_site_and_is_linked_from_the_overview(
        analysis: Analysis, pages: dict[str, str]) -> None:
    html = pages["pair-2022-decision--15th-plan.html"]
    assert "<del>" in html and 'href="doc-15th-plan.html#' in html
    counts = pair_counts(analysis, "2022-decision", "15th-plan")
    overview = pages["index.html"]
    row = re.search(r'href="pair-2022-decision--15th-plan\.html">[^<]*</a></td>\s*'
                    r'<td class="num">(\d+)</td><td class="num">(\d+)</td>'
                    r'<td class="num">(\d+)</td><td class="num">(\d+)</td>', overview)
    assert row and tuple(map(int, row.groups())) == (
        counts.same, counts.reworded, counts.absent, counts.new)
    names = [job.name for job in site_jobs(analysis, pairs="all")]
    assert sum(1 for n in names if n.startswith("pair page")) == 10


def test_build_pairs_option_is_checked_before_the_work(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from continuity.cli import cli

    runner = CliRunner()
    out = runner.invoke(cli, ["build", "--out", str(tmp_path / "r"), "--pairs", "2022"])
    assert out.exit_code == 2 and "give two document ids as A:B" in out.output
    out = runner.invoke(cli, ["build", "--out", str(tmp_path / "r"),
                              "--pairs", "2022-decision:nope"])
    assert out.exit_code == 1 and "unknown document 'nope'" in out.output
    assert not (tmp_path / "r").exists()


def test_a_pair_page_outside_a_site_links_nowhere(analysis: Analysis, tmp_path: Path) -> None:
    """Written elsewhere, the page stands alone; its passages link to a site only when one
    is given (a folder or a URL)."""
    from continuity.build import write_pair_page

    alone = write_pair_page(analysis, "2022-decision", "15th-plan", tmp_path / "alone.html")
    html = alone.read_text(encoding="utf-8")
    hrefs = re.findall(r'(?:href|src)="([^"]*)"', html)
    assert hrefs and all(h.startswith(("#", "?")) for h in hrefs), set(hrefs) - {"#main"}
    assert "<style>" in html and "data-unit=" in html  # the CSV of a view still has the ids
    linked = write_pair_page(analysis, "2022-decision", "15th-plan", tmp_path / "linked.html",
                             site="https://example.org/sichuan")
    hrefs = re.findall(r'(?:href|src)="([^"]*)"', linked.read_text(encoding="utf-8"))
    outside = [h for h in hrefs if not h.startswith(("#", "?"))]
    assert outside and all(h.startswith("https://example.org/sichuan/") for h in outside)
    assert "https://example.org/sichuan/doc-15th-plan.html#" in linked.read_text(encoding="utf-8")


# ------------------------------------------------------------------------------- language

#: English words of the interface that must not appear in the Chinese site's headings,
#: navigation, captions, table headers, labels and buttons.
ENGLISH_UI = re.compile(r"\b(Documents|Pairs|Themes|history|Overview|Timeline|Commitments|"
                        r"commitments|Search|Show all|Download|Fate|Theme|Relation|Section|"
                        r"same|reworded|absent|persists|evolves|disappears|emerges|theme|"
                        r"document|fate|shown|Histories|Formulations|Targets|indicator)\b")
UI_ELEMENTS = re.compile(r"<(h[1-6]|nav|caption|th|label|button|summary|option)\b[^>]*>(.*?)</\1>",
                         re.S)


@pytest.fixture(scope="module")
def chinese(analysis: Analysis) -> dict[str, str]:
    """The bundled site as `continuity build` makes it by default."""
    return render_site(analysis)


def ui_words(html: str) -> str:
    """The text of the interface's elements, markup and passage text left out (passages are
    Chinese text, and the document page's headings are the document's own)."""
    html = re.sub(r'<(a|span) class="(text|clause)[^"]*"[^>]*>.*?</\1>', "", html, flags=re.S)
    return "\n".join(re.sub(r"<[^>]+>", "", m.group(2)) for m in UI_ELEMENTS.finditer(html))


def test_the_site_is_chinese_by_default(chinese: dict[str, str]) -> None:
    for name, html in chinese.items():
        if not name.endswith(".html"):
            continue
        assert '<html lang="zh-Hans">' in html, name
        words = ENGLISH_UI.findall(ui_words(html))
        assert not words, (name, sorted(set(words)))
    nav = re.search(r'<nav class="site".*?</nav>', chinese["index.html"], re.S)
    assert nav and all(w in nav.group() for w in ("文件", "文件对比", "主题与沿革", "提法", "目标"))
    pair = chinese["pair-2024-decision--2025-report.html"]
    assert ">改写</span>" in pair and "下载当前视图（CSV）" in pair
    assert re.search(r'<span class="change change-verb change-strengthened" [^>]*>动词加强</span>',
                     pair)
    document = chinese["doc-2022-decision.html"]
    assert ">× 消失</a>" in document and "此后任何文件中都没有对应表述" in document
    # the codes the filters, addresses and downloads read stay as the exports have them
    assert 'data-fate="disappears"' in document and 'href="?fate=disappears#doc-text"' in document


def test_the_site_in_english_on_request(analysis: Analysis, pages: dict[str, str]) -> None:
    assert all('<html lang="en">' in html for name, html in pages.items()
               if name.endswith(".html"))
    index = pages["index.html"]
    assert "<summary>Themes and histories</summary>" in index and "时间线" not in index
    assert "<h2 id=\"timeline\">Timeline</h2>" in index


def test_the_chinese_site_is_the_same_each_time(analysis: Analysis,
                                               chinese: dict[str, str]) -> None:
    again = {k: v for job in site_jobs(analysis) if job.name in ("overview", "targets",
                                                                  "themes × documents")
             for k, v in job.make().items()}
    assert again and all(chinese[k] == v for k, v in again.items())


def test_a_pair_page_written_by_diff_is_in_the_language_asked(tmp_path: Path,
                                                              store_cwd: Path) -> None:
    """(Answered from the session's store: `store_cwd`.)"""
    from click.testing import CliRunner

    from continuity.cli import cli

    runner = CliRunner()
    for lang, words, html_lang in (("en", "Download this view (CSV)", "en"),
                                   ("zh", "下载当前视图（CSV）", "zh-Hans")):
        path = tmp_path / f"pair-{lang}.html"
        out = runner.invoke(cli, ["diff", "2024-decision", "2025-report", "--html", str(path),
                                  "--lang", lang], catch_exceptions=False)
        assert out.exit_code == 0, out.output
        html = path.read_text(encoding="utf-8")
        assert f'<html lang="{html_lang}">' in html and words in html
    out = runner.invoke(cli, ["diff", "2024-decision", "2025-report", "--lang", "fr"])
    assert out.exit_code == 2 and "'fr' is not one of 'en', 'zh'" in out.output


def test_the_printable_themes_table_counts_every_commitment_by_fate(
        analysis: Analysis, chinese: dict[str, str]) -> None:
    html = chinese["matrix.html"]
    assert '<body class="page-matrix">' in html and "<tfoot>" in html
    for row in facts.theme_matrix(analysis):
        for cell in row:
            assert sum(n for _, n in cell.fates) == cell.count
    total = sum(fate_counts(analysis, d).commitments for d in analysis.corpus.ids)
    assert f"<b>{total}</b></td></tr></tfoot>" in html
    style = chinese["static/style.css"]
    assert "body.page-matrix table.print-matrix" in style and "size: A4 landscape" in style


SERIES_TEXT = ("一、重点工作\n（一）加快建设。推进成都科创生态岛建设，打造西部创新高地。"
               "坚持和发展新时代“枫桥经验”，健全城乡社区治理体系。"
               "加快建设世界级航空航天产业集群，培育“天府粮仓”品牌。\n")


@pytest.fixture(scope="module")
def series_analysis(tmp_path_factory: pytest.TempPathFactory) -> Analysis:
    """Two series of two years (a and b, one level), compared by the plan's rules (not
    every pair): each document with its series neighbour and its peer of the same year."""
    from helpers import manifest_text

    from continuity.settings import AlignSettings

    root = tmp_path_factory.mktemp("series")
    entries = []
    for name in ("a", "b"):
        for year in (2021, 2022):
            doc_id = f"{name}-{year}"
            month = 1 + (name == "b")
            entries.append(entry(id=doc_id, short_title=f"{name}{year}",
                                 date=f"{year}-0{month}-01", level="province",
                                 series=f"series {name}"))
            (root / f"{doc_id}.txt").write_text(SERIES_TEXT, encoding="utf-8")
    (root / "manifest.toml").write_text(manifest_text(entries), encoding="utf-8")
    (root / "themes.toml").write_text(THEMES_FILE.read_text(encoding="utf-8"), encoding="utf-8")
    return analyse(continuity.load_corpus(root), AlignSettings(all_pairs_max_docs=2))


def test_with_a_plan_pair_pages_follow_each_series(series_analysis: Analysis) -> None:
    assert facts.consecutive_pairs(series_analysis) == (("a-2021", "a-2022"), ("b-2021", "b-2022"))
    pages = render_site(series_analysis)
    assert sorted(p for p in pages if p.startswith("pair-")) == [
        "pair-a-2021--a-2022.html", "pair-b-2021--b-2022.html"]


def test_document_pages_link_only_to_planned_counterparts(series_analysis: Analysis) -> None:
    from continuity.output.report.render import partners

    assert partners(series_analysis, "a-2021") == ("b-2021", "a-2022")  # not b-2022
    html = render_site(series_analysis)["doc-a-2021.html"]
    assert 'href="doc-a-2022.html#' in html and 'href="doc-b-2021.html#' in html
    assert 'href="doc-b-2022.html#' not in html
    legend = html[html.index('class="legend"'):]
    legend = legend[:legend.index("</p>")]
    assert "b2021" in legend and "b2022" not in legend


def test_navigation_lists_series_beyond_a_number_of_documents(
        series_analysis: Analysis, monkeypatch: pytest.MonkeyPatch) -> None:
    from continuity.output.report import render

    few = render_site(series_analysis)
    assert "series-1.html" not in few and 'href="doc-b-2022.html"' in few["index.html"]
    monkeypatch.setattr(render, "NAV_DOCUMENTS", 3)
    pages = render_site(series_analysis)
    assert {"series-1.html", "series-2.html"} <= set(pages)
    nav = pages["index.html"][:pages["index.html"].index("</nav>")]
    assert 'href="series-1.html">series a<' in nav and 'href="series-2.html">series b<' in nav
    assert "doc-a-2021.html" not in nav and "pair-" not in nav
    series_b = pages["series-2.html"]
    assert 'href="doc-b-2021.html"' in series_b and 'href="pair-b-2021--b-2022.html"' in series_b
    assert "doc-a-2021.html" not in series_b.split("<main", 1)[1]


def test_formulations_page_is_paged_by_cells(series_analysis: Analysis,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    from continuity.output.report import render

    rows = len(facts.formulations(series_analysis))
    assert rows > 2
    assert render.rows_per_page(4, cells=8) == 2 and render.rows_per_page(9, 8) == 1
    assert "formulations.2.html" not in render_site(series_analysis)
    monkeypatch.setattr(render, "FORMULATION_CELLS", 8)  # two rows of four documents a page
    pages = render_site(series_analysis)
    names = sorted((p for p in pages if p.startswith("formulations")),
                   key=lambda p: int(p.split(".")[1]) if p.count(".") == 2 else 1)
    assert len(names) == (rows + 1) // 2
    counted = [len(re.findall(r'<tr class="row"', pages[n])) for n in names]
    assert sum(counted) == rows and max(counted) == 2
    assert 'href="formulations.2.html"' in pages["formulations.html"]
    assert f"<b>{len(names)}</b>" in pages[names[-1]]


def test_theme_and_history_pages_are_paged_and_links_find_the_page(
        analysis: Analysis, monkeypatch: pytest.MonkeyPatch) -> None:
    """With a small page (twenty rows of five documents), every theme's threads and
    histories spread over pages (the smallest theme has 167 threads), each thread's
    history link leads to the page that holds it, and no thread is lost or shown twice."""
    from continuity.output.report import render

    homes = history_homes(analysis)
    located = render.history_locations(analysis, homes)
    assert set(located) == set(homes)
    assert {located[t] for t in homes} == {f"history-{h}.html" for h in homes.values()}
    monkeypatch.setattr(render, "THREAD_CELLS", 100)  # twenty rows of five documents a page
    located = render.history_locations(analysis, homes)
    theme = next(iter(homes.values()))
    mine = sorted(t for t, h in homes.items() if h == theme)
    # the site's jobs that make these pages (this theme's pages and histories)
    pages = job_pages(analysis, *(job.name for job in site_jobs(analysis) if job.name.startswith(
        (f"theme page theme-{theme}.", f"history page history-{theme}."))))
    assert all(k.startswith(("history-", "theme-")) for k in pages)
    for thread in mine:
        assert f'id="{thread}"' in pages[located[thread]]
    shown = [t for name, html in pages.items() if name.startswith(f"history-{theme}.")
             for t in re.findall(r'<section class="history row" id="([^"]+)"', html)]
    assert sorted(shown) == mine and len(shown) == len(set(shown))
    assert located[mine[0]] != f"history-{theme}.html" or located[mine[-1]] != located[mine[0]]
    rows = [len(re.findall(r'<tr class="row"', html)) for name, html in pages.items()
            if name == f"theme-{theme}.html" or name.startswith(f"theme-{theme}.")]
    assert max(rows) == 20 and len(rows) > 1
    assert f'href="theme-{theme}.2.html"' in pages[f"theme-{theme}.html"]


def test_packed_fills_pages_in_order_and_gives_a_big_item_its_own() -> None:
    from continuity.output.report.render import packed

    assert packed([], 10) == [[]]
    assert packed([("a", 4), ("b", 4), ("c", 4), ("d", 30), ("e", 1)], 10) == [
        ["a", "b"], ["c"], ["d"], ["e"]]


def test_targets_page_is_paged_by_cells_and_shows_every_row_once(
        analysis: Analysis, monkeypatch: pytest.MonkeyPatch) -> None:
    from continuity.output.report import render

    whole = job_pages(analysis, "targets")  # the site's job that makes the targets pages
    assert "targets.html" in whole and "targets.2.html" not in whole
    monkeypatch.setattr(render, "TARGET_CELLS", 300)
    pages = job_pages(analysis, "targets")
    names = sorted((p for p in pages if p.startswith("targets")),
                   key=lambda p: int(p.split(".")[1]) if p.count(".") == 2 else 1)
    assert len(names) > 3
    rows = lambda html: re.findall(r'<tr><th scope="row">([^<]*)</th>', html)  # noqa: E731
    assert [r for n in names for r in rows(pages[n])] == rows(whole["targets.html"])
    tables = lambda html: re.findall(r"<h2>([^<]*)</h2>", html)  # noqa: E731
    shown = [t for n in names for t in tables(pages[n])]
    assert sorted(set(shown)) == sorted(set(tables(whole["targets.html"])))
    assert 'href="targets.2.html"' in pages["targets.html"]
    assert f"<b>{len(names)}</b>" in pages[names[-1]]



def test_theme_rows_mark_fates_on_tentative_counterparts(analysis: Analysis,
                                                         english_pages: dict[str, str]) -> None:
    """A theme page's row shows its thread's fate with ? when that fate rests on tentative
    counterparts alone (fates.csv's confidence of the thread's first passage)."""
    seen = Counter()
    for name, html in english_pages.items():
        if not name.startswith("theme-"):
            continue
        for mark, thread in re.findall(
                r'<tr class="row" data-fate="[a-z]+">\s*<td><span[^>]*>[^<]*</span>'
                r'( <span class="tentative")?[^\n]*?<a class="hist" href="[^"#]*#([^"]+)"',
                html):
            first = analysis.thread(thread).clauses[0]
            assert bool(mark) is (analysis.fate(first).confidence == "tentative"), thread
            seen[bool(mark)] += 1
    assert seen[True] and seen[False]


def test_a_history_has_a_step_for_each_document_compared_with_its_first() -> None:
    """In a corpus compared by its plan a history shows a few steps, not one per document:
    its pages hold as many histories as their cells allow."""
    from types import SimpleNamespace

    import numpy as np

    from continuity.output.report import render

    compared = np.array([[False, True, False, False], [True, False, True, False],
                         [False, True, False, True], [False, False, True, False]])
    fake = SimpleNamespace(result=SimpleNamespace(doc_ids=("a", "b", "c", "d"),
                                                  compared=compared))
    assert render.history_steps(fake) == [2, 3, 3, 2]  # type: ignore[arg-type]


def test_history_pages_are_packed_by_the_steps_they_show(
        analysis: Analysis, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every pair compared, a history of the bundled corpus has five steps (twenty to a
    page of 100 cells); were each first document compared with one other only, fifty."""
    from continuity.output.report import render

    homes = history_homes(analysis)
    monkeypatch.setattr(render, "THREAD_CELLS", 100)
    assert render.history_steps(analysis) == [5] * 5
    assert max(len(p) for pages in render.paged_histories(analysis, homes).values()
               for p in pages) == 20
    monkeypatch.setattr(render, "history_steps", lambda analysis: [2] * 5)
    paged = render.paged_histories(analysis, homes)
    assert max(len(p) for pages in paged.values() for p in pages) == 50
    assert {t.id for pages in paged.values() for p in pages for t in p} == set(homes)

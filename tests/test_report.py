"""continuity.report: page facts, the jinja environment, escaping, and each page type."""

from __future__ import annotations

from pathlib import Path

import jinja2
import pytest
from helpers import THEMES_FILE, entry
from hypothesis import given
from hypothesis import strategies as st

import continuity
from continuity.analysis import Analysis, analyse
from continuity.counts import pair_counts
from continuity.report import environment, facts, render_site
from continuity.report.render import FATE_LABELS, site_jobs

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


def test_every_page_type_renders(analysis: Analysis) -> None:
    pages = render_site(analysis)
    kinds = {name.split("-")[0].split(".")[0] for name in pages if name.endswith(".html")}
    assert kinds == {"index", "doc", "pair", "theme", "history", "formulations", "targets"}
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


def test_targets_table_one_row_per_indicator_changes_marked(analysis: Analysis) -> None:
    rows = {r.indicator: r for r in facts.targets(analysis,
                                                   facts.read_indicators(analysis.corpus.root))}
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


def test_targets_page_links_every_value_to_its_passage(analysis: Analysis) -> None:
    (job,) = [j for j in site_jobs(analysis) if j.name == "targets"]
    html = job.make()["targets.html"]
    assert 'href="data/targets.csv"' in html
    assert "= unchanged" in html and "▲ raised" in html and "× dropped" in html
    assert 'href="doc-2025-report.html#' in html and ">5.5%以上</a>" in html


def test_fate_labels_are_text_not_colour_only() -> None:
    for fate, label in FATE_LABELS.items():
        assert fate == "unaligned" or fate in label


def test_pair_page_shows_redlines_in_display_text(analysis: Analysis) -> None:
    html = render_site(analysis)["pair-2024-decision--2025-report.html"]
    assert "<del>" in html and "<ins>" in html
    assert "data-relation=\"reworded\"" in html and "data-theme=" in html


def test_templates_folder_is_where_render_reads_it() -> None:
    from continuity.report.render import TEMPLATES

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


def test_redline_marks_changes_and_escapes_text() -> None:
    from continuity.diffing import DiffSpan
    from continuity.report.render import redline

    spans = (DiffSpan("equal", "推进"), DiffSpan("delete", "<b>旧</b>"), DiffSpan("insert", "新&"))
    assert str(redline(spans, "delete")) == "推进<del>&lt;b&gt;旧&lt;/b&gt;</del>"
    assert str(redline(spans, "insert")) == "推进<ins>新&amp;</ins>"

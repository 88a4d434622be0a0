"""Themes of clauses and sections from a taxonomy kept as data (continuity/analysis/themes.py)."""

from __future__ import annotations

import numpy as np
import pytest
from helpers import THEMES_FILE, entry

from continuity.analysis.run import analyse
from continuity.analysis.themes import THEMES_NAME, Theme, read_themes, seed_hits
from continuity.errors import ManifestError
from continuity.text.normalize import normalize

TWO_THEMES = """\
[[theme]]
id = "digital"
name = "数字经济"
seeds = ["数字经济", "人工智能", "数据要素", "算力"]

[[theme]]
id = "rural"
name = "乡村振兴"
seeds = ["天府粮仓", "高标准农田", "耕地", "粮食"]
"""

THEMED = """\
某某省2025年政府工作报告
一、重点工作
（一）发展数字经济。加快发展数字经济和人工智能，培育数据要素市场和算力产业。
（二）建设天府粮仓。加强耕地保护和高标准农田建设，提高粮食综合生产能力。
"""


# --------------------------------------------------------------------------- read_themes


def test_bundled_taxonomy_reads() -> None:
    taxonomy = read_themes(THEMES_FILE.parent)
    ids = [t.id for t in taxonomy]
    assert len(ids) == len(set(ids)) >= 5
    assert all(isinstance(t, Theme) and t.name and t.seeds for t in taxonomy)
    assert "innovation" in ids and "rural" in ids


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (None, "no theme taxonomy"),
        ("[[theme]\nid=", "not valid TOML"),
        ("", "no [[theme]] entries"),
        ('[[theme]]\nid = "a"\nname = "甲"\n', "exactly the keys"),
        ('[[theme]]\nid = "a"\nname = "甲"\nseeds = ["x"]\ncolor = "red"\n', "exactly the keys"),
        ('[[theme]]\nid = "a"\nname = "甲"\nseeds = []\n', "seeds must be a non-empty list"),
        ('[[theme]]\nid = "a"\nname = "甲"\nseeds = "数字"\n', "seeds must be a non-empty list"),
        ('[[theme]]\nid = "a"\nname = "甲"\nseeds = ["x"]\n\n'
         '[[theme]]\nid = "a"\nname = "乙"\nseeds = ["y"]\n', "duplicate theme id 'a'"),
    ],
)
def test_read_themes_errors_name_the_file(tmp_path, text: str | None, message: str) -> None:
    if text is not None:
        (tmp_path / THEMES_NAME).write_text(text, encoding="utf-8")
    with pytest.raises(ManifestError) as caught:
        read_themes(tmp_path)
    assert str(tmp_path / THEMES_NAME) in str(caught.value)
    assert message in str(caught.value)


def test_read_themes_error_names_the_entry(tmp_path) -> None:
    (tmp_path / THEMES_NAME).write_text(
        '[[theme]]\nid = "a"\nname = "甲"\nseeds = ["x"]\n\n'
        '[[theme]]\nid = "b"\nname = "乙"\nseeds = []\n', encoding="utf-8")
    with pytest.raises(ManifestError, match=r"theme 2 \(b\)"):
        read_themes(tmp_path)


# --------------------------------------------------------------------------- seed_hits


def test_seed_hits_longest_match_first() -> None:
    taxonomy = read_themes(THEMES_FILE.parent)
    column = {t.id: j for j, t in enumerate(taxonomy)}
    hits = seed_hits(["推动科技创新", "推动创新和数字经济", "无关内容"], taxonomy)
    assert hits.shape == (3, len(taxonomy))
    assert hits[0, column["innovation"]] == 1  # 科技创新 counts once, not also as 创新
    assert hits[1, column["innovation"]] == 1 and hits[1, column["digital"]] == 1
    assert hits[2].sum() == 0


def test_a_seed_shared_by_two_themes_counts_for_both() -> None:
    taxonomy = (Theme("a", "甲", ("数字",)), Theme("b", "乙", ("数字", "四川")))
    assert seed_hits(["数字四川"], taxonomy).tolist() == [[1.0, 2.0]]


# --------------------------------------------------------------------------- assignments


def test_every_clause_and_section_has_a_theme_of_the_taxonomy(analysis, corpus) -> None:
    ids = {t.id for t in analysis.themes.taxonomy}
    assert set(analysis.themes.clauses) == {c.id for c in analysis.result.clauses}
    assert set(analysis.themes.sections) == {s.id for d in corpus.documents for s in d.sections}
    for assignment in (*analysis.themes.clauses.values(), *analysis.themes.sections.values()):
        assert assignment.theme in ids
        assert np.isfinite(assignment.score)
    assert len({a.theme for a in analysis.themes.clauses.values()}) == len(ids)  # all used
    assert analysis.themes.name("rural") == "城乡融合与乡村振兴"


def test_clauses_dense_in_one_themes_seeds_get_that_theme(analysis) -> None:
    taxonomy = analysis.themes.taxonomy
    clauses = analysis.result.clauses
    hits = seed_hits([c.norm for c in clauses], taxonomy)
    dense = [(c, taxonomy[int(np.argmax(h))].id) for c, h in zip(clauses, hits, strict=True)
             if h.sum() >= 2 and np.count_nonzero(h) == 1]
    assert len(dense) > 100
    agree = sum(analysis.themes.clauses[c.id].theme == theme for c, theme in dense)
    assert agree / len(dense) >= 0.95


def test_known_passages(analysis) -> None:
    def theme_of(phrase: str) -> str:
        [clause] = [c for c in analysis.result.clauses
                    if c.doc_id == "2022-decision" and normalize(phrase) in c.norm]
        return analysis.themes.clauses[clause.id].theme

    assert theme_of("加快建设网络强省、数字四川") == "digital"
    assert theme_of("逐步把永久基本农田全部建成高标准农田") == "rural"


def test_dense_clause_in_a_tiny_corpus(compare_corpus) -> None:
    corpus = compare_corpus([(entry(id="a", date="2025-01"), THEMED),
                             (entry(id="b", date="2026-01-01"), THEMED)])
    analysis = analyse(corpus)
    by_text = {c.text: analysis.themes.clauses[c.id].theme for c in analysis.result.clauses}
    assert by_text["培育数据要素市场和算力产业。"] == "digital"
    assert by_text["加强耕地保护和高标准农田建设，"] == "rural"
    titles = {s.title: analysis.themes.sections[s.id].theme
              for s in corpus.documents[0].sections}
    assert titles["发展数字经济"] == "digital" and titles["建设天府粮仓"] == "rural"


def test_an_edited_taxonomy_gives_its_own_consistent_themes(compare_corpus) -> None:
    corpus = compare_corpus([(entry(id="a", date="2025-01"), THEMED),
                             (entry(id="b", date="2026-01-01"), THEMED)], themes=TWO_THEMES)
    first, second = analyse(corpus), analyse(corpus)
    assert [t.id for t in first.themes.taxonomy] == ["digital", "rural"]
    assert {a.theme for a in first.themes.clauses.values()} == {"digital", "rural"}
    assert {a.theme for a in first.themes.sections.values()} <= {"digital", "rural"}
    assert first.themes == second.themes
    by_text = {c.text: first.themes.clauses[c.id].theme for c in first.result.clauses}
    assert by_text["提高粮食综合生产能力。"] == "rural"


def test_analyse_reads_the_taxonomy_of_the_corpus_folder(compare_corpus, tmp_path) -> None:
    corpus = compare_corpus([(entry(id="a"), THEMED)], themes=None)
    with pytest.raises(ManifestError, match="no theme taxonomy"):
        analyse(corpus)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / THEMES_NAME).write_text(TWO_THEMES, encoding="utf-8")
    corpus = compare_corpus([(entry(id="a", date="2025-01"), THEMED),
                             (entry(id="b", date="2026-01-01"), THEMED)], themes=None)
    analysis = analyse(corpus, themes_file=elsewhere / THEMES_NAME)
    assert [t.id for t in analysis.themes.taxonomy] == ["digital", "rural"]

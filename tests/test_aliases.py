"""Aliases: every form of a name read as the name (text/aliases.py)."""

from __future__ import annotations

import pytest

from continuity.corpus.aliases import corpus_aliases
from continuity.errors import ManifestError
from continuity.text.aliases import (
    Alias,
    AliasMatcher,
    parse_aliases,
    shipped_aliases,
)
from continuity.text.normalize import normalize
from continuity.text.segment import segment

ALIASES = (Alias("双高计划", ("中国特色高水平高职学校和专业建设计划",), "教职成〔2019〕5号"),
           Alias("PPP", ("政府和社会资本合作",), "财金〔2014〕76号"))


def words_of(text: str) -> tuple[str, ...]:
    return tuple(text)  # one word per character: the tests see where words are cut


@pytest.fixture
def matcher() -> AliasMatcher:
    return AliasMatcher.of(ALIASES, segmenter=lambda name: (name,))


def test_a_full_form_becomes_the_name_as_one_word(matcher) -> None:
    norm = normalize("深入实施中国特色高水平高职学校和专业建设计划,")
    text, words = matcher.view(norm, words_of(norm))
    assert text == "深入实施双高计划,"
    assert words == ("深", "入", "实", "施", "双高计划", ",")


def test_quotes_inside_a_name_are_read_through(matcher) -> None:
    norm = normalize("抓住新一轮国家“双高”计划机遇")
    text, words = matcher.view(norm, ("抓住", "新一轮", "国家", "“", "双高", "”", "计划", "机遇"))
    assert text == "抓住新一轮国家“双高计划机遇"
    assert words == ("抓住", "新一轮", "国家", "“", "双高计划", "机遇")


def test_a_word_cut_by_a_form_keeps_its_outside_part(matcher) -> None:
    norm = normalize("用好政府和社会资本合作新机制")
    text, words = matcher.view(norm, ("用好政", "府和社会资本", "合作新", "机制"))
    assert text == "用好PPP新机制"
    assert words == ("用好", "PPP", "新", "机制")


def test_a_clause_writing_no_form_is_returned_as_it_is(matcher) -> None:
    norm = normalize("加强“双高计划”建设")  # the name itself, written as it is
    tokens = ("加强", "“", "双高计划", "”", "建设")
    text, words = matcher.view(norm, tokens)
    assert text is norm and words == tokens
    plain = ("推进", "乡村振兴")
    assert matcher.view("推进乡村振兴", plain) == ("推进乡村振兴", plain)


def test_a_latin_form_is_never_part_of_a_longer_latin_word() -> None:
    matcher = AliasMatcher.of((Alias("人工智能", ("AI",), "x"),), segmenter=lambda n: (n,))
    assert matcher.view("发展AI应用", tuple("发展AI应用"))[0] == "发展人工智能应用"
    assert matcher.view("“AI+医疗”", tuple("“AI+医疗”"))[0] == "“人工智能+医疗”"
    assert matcher.view("MAIL服务", tuple("MAIL服务"))[0] == "MAIL服务"


def test_the_name_is_segmented_as_the_documents_are() -> None:
    matcher = AliasMatcher.of((Alias("碳排放双控", ("碳排放总量和强度双控",), "x"),))
    norm = normalize("实施碳排放总量和强度双控")
    _, words = matcher.view(norm, segment(norm))
    assert words[-len(segment("碳排放双控")):] == segment("碳排放双控")


def test_no_aliases_change_nothing() -> None:
    matcher = AliasMatcher.of(())
    assert matcher.view("深入实施双高计划", ("深入", "实施", "双高计划"))[1] == (
        "深入", "实施", "双高计划")


@pytest.mark.parametrize(("text", "message"), [
    ('[[alias]]\nname = "双高计划"\nforms = ["x"]\n', "needs a name"),
    ('[[alias]]\nname = "双高计划"\nforms = []\nsource = "s"\n', "needs a name"),
    ('[[alias]]\nname = "A"\nforms = ["B"]\nsource = "s"\n'
     '[[alias]]\nname = "C"\nforms = ["B"]\nsource = "s"\n', "form of both"),
    ("[[alias]\n", "not valid TOML"),
    ("alias = 3\n", "are \\[\\[alias\\]\\] tables"),
    ("alias = [3]\n", "entry 1 needs a name"),
])
def test_bad_alias_files_are_refused_saying_why(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_aliases(text)


def test_every_shipped_alias_names_its_published_source() -> None:
    aliases = shipped_aliases()
    assert aliases
    for alias in aliases:
        assert alias.forms and alias.source
        assert alias.name not in alias.forms, alias


def test_a_corpus_without_an_aliases_file_has_the_shipped_ones(tmp_path) -> None:
    assert corpus_aliases(tmp_path) == shipped_aliases()


def test_a_corpus_aliases_file_adds_to_the_shipped_ones(tmp_path) -> None:
    (tmp_path / "aliases.toml").write_text(
        '[[alias]]\nname = "青就计划"\nforms = ["青年就业计划"]\nsource = "s"\n', "utf-8")
    found = corpus_aliases(tmp_path)
    assert found[:-1] == shipped_aliases() and found[-1].name == "青就计划"


@pytest.mark.parametrize(("text", "message"), [
    ('[[alias]]\nname = "X计划"\nforms = ["中国特色高水平高职学校和专业建设计划"]\n'
     'source = "s"\n', "form of both 双高计划 and X计划"),  # a shipped form
    ("[[alias]\n", "not valid TOML"),
    ('[[alias]]\nname = "X"\n', "needs a name"),
])
def test_a_bad_corpus_aliases_file_is_refused_naming_it(tmp_path, text: str,
                                                        message: str) -> None:
    (tmp_path / "aliases.toml").write_text(text, "utf-8")
    with pytest.raises(ManifestError, match=message) as caught:
        corpus_aliases(tmp_path)
    assert "aliases.toml" in str(caught.value)


def test_a_quoted_abbreviation_finds_its_counterpart_written_in_full(analysis) -> None:
    # 深化农村承包地“三权分置”改革 (2024 decision) is the plan's 深化承包地所有权、承包权、
    # 经营权分置改革: read as 三权分置, the two share the name, not a clash of 三权 / 所有权
    source = next(c for c in analysis.result.clauses
                  if c.text.startswith("深化农村承包地“三权分置”改革"))
    target, _, relation, sure = analysis.result.top(source.id, "15th-plan")
    assert target.text.startswith("深化承包地所有权、承包权、经营权分置改革")
    assert (relation, sure) == ("reworded", "firm")
    assert "三权分置" in analysis.result.explain(source.id, target.id).terms

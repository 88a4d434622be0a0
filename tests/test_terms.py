"""Quoted formulations and the domain dictionary (continuity/text/terms.py)."""

from __future__ import annotations

from collections import Counter

import pytest

from continuity.text.terms import dictionary_words, domain_terms, parse_terms, quoted_formulations


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("建设“天府粮仓”，守好“天府粮仓”。", {"天府粮仓": 2}),
        ("明确“四化同步、城乡融合、五区共兴”总抓手", {"四化同步、城乡融合、五区共兴": 1}),
        ("“5+N”产业生态和“一老一小”服务", {"5+N": 1, "一老一小": 1}),
        ("“好”与“这是一句很长很长很长的引语超过十四个字”", {}),  # 1 and 15 characters
        ("“好，很好”", {}),                                      # sentence punctuation inside
        ("“跨\n行”", {}),
        ("\"半角引号\"", {}),
        ("", {}),
    ],
)
def test_quoted_formulations(text: str, found: dict[str, int]) -> None:
    assert quoted_formulations(text) == Counter(found)


@pytest.mark.parametrize(
    ("formulation", "words"),
    [
        ("天府粮仓", ("天府粮仓",)),
        ("四化同步、城乡融合、五区共兴", ("四化同步", "城乡融合", "五区共兴")),
        ("一带一路·中欧班列", ("一带一路", "中欧班列")),
        ("5+N", ("5+N",)),
        ("三城、三都、一", ("三城", "三都")),         # single characters are not words
        ("一张图 两张网", ()),                        # a space: not one jieba token
        ("“双碳”目标", ()),                           # quotes inside
    ],
)
def test_dictionary_words(formulation: str, words: tuple[str, ...]) -> None:
    assert dictionary_words(formulation) == words


@pytest.mark.parametrize(
    ("text", "terms"),
    [
        ("新质生产力\n天府粮仓\n", ("新质生产力", "天府粮仓")),
        ("# comment\n\n天府粮仓  # trailing comment\n", ("天府粮仓",)),
        ("天府粮仓 1000 nz\n", ("天府粮仓",)),  # jieba's frequency and tag columns
        ("甲乙\n丙丁\n甲乙\n", ("甲乙", "丙丁")),  # duplicates once, first order kept
        ("", ()),
    ],
)
def test_parse_terms(text: str, terms: tuple[str, ...]) -> None:
    assert parse_terms(text) == terms


def test_shipped_dictionary() -> None:
    terms = domain_terms()
    assert len(terms) == len(set(terms)) > 800
    assert {"新质生产力", "成渝地区双城经济圈", "天府粮仓", "五区共兴"} <= set(terms)
    assert all(t == t.strip() and "#" not in t and len(t) >= 2 for t in terms)


def test_dictionary_covers_every_formulation_of_the_corpus(corpus) -> None:
    terms = set(domain_terms())
    missing = sorted({
        word
        for document in corpus.documents
        for formulation in quoted_formulations(document.clean.text)
        for word in dictionary_words(formulation)
        if word not in terms
    })
    assert missing == []

"""Corresponding sections between documents (continuity/analysis/section_align.py)."""

from __future__ import annotations

from collections import Counter

from helpers import entry

from continuity.analysis.align import align
from continuity.analysis.section_align import MAX_SECTION_MATCHES, align_sections


def sections_by_id(corpus):
    return {s.id: s for d in corpus.documents for s in d.sections}


def test_industry_section_of_2022_matches_the_plans_third_part(analysis, corpus) -> None:
    sections = sections_by_id(corpus)
    [industry] = [s for s in corpus.document("2022-decision").sections
                  if s.title == "构建现代化产业体系"]
    targets = [sections[m.target].path_text for m in analysis.sections
               if m.source == industry.id and m.target_doc == "15th-plan"]
    assert "第三篇" in targets


def test_match_invariants(analysis, corpus) -> None:
    sections = sections_by_id(corpus)
    per_pair: Counter[tuple[str, str]] = Counter()
    last_score: dict[tuple[str, str], float] = {}
    for m in analysis.sections:
        source, target = sections[m.source], sections[m.target]
        assert (source.doc_id, target.doc_id) == (m.source_doc, m.target_doc)
        assert m.source_doc != m.target_doc
        assert 0 < m.score <= 1
        assert source.kind not in ("preamble", "glossary")
        assert target.kind not in ("preamble", "glossary")
        key = (m.source, m.target_doc)
        per_pair[key] += 1
        assert m.score <= last_score.get(key, 1.0)  # best first
        last_score[key] = m.score
    assert max(per_pair.values()) <= MAX_SECTION_MATCHES
    assert len({(m.source, m.target) for m in analysis.sections}) == len(analysis.sections)


def test_options(analysis, corpus) -> None:
    result = analysis.result
    one = align_sections(corpus, result.clauses, result.vectors, keep=1, min_score=0.6)
    assert one and all(m.score >= 0.6 for m in one)
    assert len({(m.source, m.target_doc) for m in one}) == len(one)
    assert set(one) <= set(analysis.sections)


def test_tiny_corpus(compare_corpus) -> None:
    text_a = ("某某决定\n一、建设天府粮仓\n加强耕地保护和高标准农田建设，提高粮食综合生产能力。\n"
              "二、发展数字经济\n加快建设网络强省、数字四川，推动数字经济和实体经济深度融合。\n")
    text_b = ("某某规划\n一、发展数字经济\n加快建设网络强省、数字四川，推进数字产业化。\n"
              "二、建设天府粮仓\n加强耕地保护和高标准农田建设，扛稳粮食安全责任。\n")
    corpus = compare_corpus([(entry(id="a", date="2023-01-01"), text_a),
                             (entry(id="b", date="2024-01-01"), text_b)])
    result = align(corpus)
    matches = align_sections(corpus, result.clauses, result.vectors)
    sections = sections_by_id(corpus)
    best = {}
    for m in matches:
        if m.source_doc == "a" and sections[m.source].depth == 1:
            best.setdefault(sections[m.source].title, sections[m.target].title)
    assert best == {"建设天府粮仓": "建设天府粮仓", "发展数字经济": "发展数字经济"}

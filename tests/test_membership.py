"""Which clauses lie under which section (continuity/analysis/membership.py)."""

from __future__ import annotations

import numpy as np
from helpers import entry

from continuity.analysis.membership import section_membership

NESTED = """\
某某决定
一、总体要求
推动经济实现质的有效提升和量的合理增长。
二、主要任务
（一）建设天府粮仓。加强耕地保护和高标准农田建设，提高粮食综合生产能力。
（二）发展数字经济。加快建设网络强省、数字四川。
"""


def test_rows_are_sections_in_document_order(corpus) -> None:
    clauses = tuple(c for d in corpus.documents for c in d.clauses)
    ids, matrix = section_membership(corpus, clauses)
    assert ids == tuple(s.id for d in corpus.documents for s in d.sections)
    assert matrix.shape == (len(ids), len(clauses))
    assert set(np.unique(matrix.data)) <= {1.0}


def test_a_section_holds_the_clauses_of_its_subsections(corpus) -> None:
    clauses = tuple(c for d in corpus.documents for c in d.clauses)
    ids, matrix = section_membership(corpus, clauses)
    row = {sid: i for i, sid in enumerate(ids)}
    for doc in corpus.documents:
        parents = {s.id: s.parent for s in doc.sections}
        for s in doc.sections:
            members = {clauses[j].id for j in matrix.getrow(row[s.id]).indices}
            # by the tree: the clause's section or one of its ancestors is s
            expected = set()
            for c in doc.clauses:
                section = c.section_id
                while section is not None and section != s.id:
                    section = parents[section]
                if section == s.id:
                    expected.add(c.id)
            assert members == expected
            # and by the text: exactly the clauses inside the section's span
            assert members == {c.id for c in doc.clauses if s.start <= c.start < s.end}


def test_tiny_tree(compare_corpus) -> None:
    corpus = compare_corpus([(entry(), NESTED)])
    [doc] = corpus.documents
    ids, matrix = section_membership(corpus, doc.clauses)
    counts = dict(zip(ids, np.asarray(matrix.sum(axis=1)).ravel().tolist(), strict=True))
    by_path = {s.path_text.split("/", 1)[-1]: counts[s.id] for s in doc.sections}
    # 二 = its heading + (一) lead + 2 clauses + (二) lead + 1 clause
    assert by_path["二/(一)"] == 3 and by_path["二/(二)"] == 2
    assert by_path["二"] == 1 + 3 + 2
    assert counts[doc.sections[0].id] == len(doc.clauses)  # the root holds everything

"""Which clauses lie under which section (subsections included), as a sparse matrix.

Section profiles for themes and for section alignment are then one product:
membership @ clause vectors.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from ..records import Clause, Corpus


def section_membership(corpus: Corpus, clauses: tuple[Clause, ...]
                       ) -> tuple[tuple[str, ...], sp.csr_matrix]:
    """(section ids in document order, sections × clauses 0/1 matrix)."""
    row_of = {c.id: i for i, c in enumerate(clauses)}
    ids: list[str] = []
    rows: list[int] = []
    cols: list[int] = []
    for doc in corpus.documents:
        index = {}
        for s in doc.sections:
            index[s.id] = len(ids)
            ids.append(s.id)
        parents = {s.id: s.parent for s in doc.sections}
        for clause in doc.clauses:
            section: str | None = clause.section_id
            while section is not None:
                rows.append(index[section])
                cols.append(row_of[clause.id])
                section = parents[section]
    data = np.ones(len(rows))
    matrix = sp.csr_matrix((data, (rows, cols)), shape=(len(ids), len(clauses)))
    return tuple(ids), matrix

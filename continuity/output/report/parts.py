"""Document pages in parts: where each part of a long document page begins, so that every
link to a passage or a section finds the part that holds it.

A document page grows with its text and with the counterparts each passage links to
(one link per compared document, titled with the counterpart's words), so a long
document compared with many others would make a page of tens of MB (issue 14: no page
over 5 MB). A page is cut between paragraphs into parts of about `PART_BYTES`, by an
estimate of the HTML each paragraph makes, known from the analysis alone: every process
of a build, and `continuity diff --html --site`, finds the same parts without rendering
the page. The first part keeps the page's name (doc-ID.html), later ones are
doc-ID.2.html, doc-ID.3.html… (`render.page_name`), like the other paged pages.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from ...analysis.run import Analysis
from ...records import Document

#: Estimated bytes of a document page's text in one part. The estimate is within 15 % of
#: the page on the bundled corpus and a 25-document synthetic one (its test allows 30 %),
#: so parts stay well under the 5 MB bound; the bundled corpus's longest page (1.6 MB) is
#: one part.
PART_BYTES = 2_000_000
#: Bytes of a passage's markup besides its text (element, id, fate, theme, marks).
PASSAGE_BYTES = 160
#: Bytes of a link to a counterpart besides the counterpart's words (address, mark).
LINK_BYTES = 70
#: Bytes of a paragraph's markup besides its passages.
PARAGRAPH_BYTES = 40


@dataclass(frozen=True, slots=True)
class Parts:
    """The parts of one document page: `starts[k]` is the text offset where part k
    (from 0) begins, the first at 0."""

    doc_id: str
    starts: tuple[int, ...]

    def __len__(self) -> int:
        return len(self.starts)

    def part(self, offset: int) -> int:
        """The part (from 0) that shows the text at `offset`."""
        return max(0, bisect.bisect_right(self.starts, offset) - 1)


def links_per_clause(analysis: Analysis) -> np.ndarray:
    """For each clause (row of the alignment), how many documents it has a counterpart
    in: the links its passage carries on its document page."""
    result = analysis.result
    keys = result.cp_source.astype(np.int64) * len(result.doc_ids) + result.cp_doc
    first = np.ones(len(keys), dtype=bool)
    first[1:] = keys[1:] != keys[:-1]
    return np.bincount(result.cp_source[first], minlength=len(result.clauses))


def paragraph_bytes(analysis: Analysis, doc: Document, links: np.ndarray) -> list[int]:
    """The estimated HTML bytes of each paragraph of the document's text: its passages'
    words (UTF-8, three bytes a Chinese character), each link's counterpart words (about
    as long as the passage's) and the markup around them."""
    starts = [p.start for p in doc.clean.paragraphs]
    out = [PARAGRAPH_BYTES] * len(starts)
    row = analysis.result.row
    for clause in doc.clauses:
        k = bisect.bisect_right(starts, clause.start) - 1
        words = 3 * len(clause.text)
        n = int(links[row(clause.id)])
        out[k] += words + 3 * len(clause.section_path) + PASSAGE_BYTES + n * (words + LINK_BYTES)
    return out


def document_parts(analysis: Analysis, doc: Document, links: np.ndarray,
                   budget: int = PART_BYTES) -> Parts:
    """The document page's parts: paragraphs in order, a new part begun before a paragraph
    that would take the part over `budget` estimated bytes (a paragraph over the budget
    is a part of its own)."""
    starts = [0]
    size = 0
    for paragraph, weight in zip(doc.clean.paragraphs, paragraph_bytes(analysis, doc, links),
                                 strict=True):
        if size and size + weight > budget:
            starts.append(paragraph.start)
            size = 0
        size += weight
    return Parts(doc.id, tuple(starts))


class PartsIndex:
    """Each document's parts, worked out when first asked for (one document at a time:
    a page linking to a few documents needs only theirs)."""

    def __init__(self, analysis: Analysis | None, budget: int | None = None,
                 parts: dict[str, Parts] | None = None) -> None:
        self.analysis = analysis
        self.budget = PART_BYTES if budget is None else budget
        self._links: np.ndarray | None = None
        self._parts: dict[str, Parts] = dict(parts or {})

    def settled(self, doc_ids: Iterable[str]) -> PartsIndex:
        """The parts of every document of `doc_ids`, worked out now, without the analysis
        they were worked out from: what a page job sent elsewhere links with."""
        return PartsIndex(None, self.budget, {d: self(d) for d in doc_ids})

    def __call__(self, doc_id: str) -> Parts:
        found = self._parts.get(doc_id)
        if found is None:
            if self.analysis is None:
                raise KeyError(f"no parts worked out for document {doc_id!r}")
            if self._links is None:
                self._links = links_per_clause(self.analysis)
            doc = self.analysis.corpus.document(doc_id)
            found = self._parts[doc_id] = document_parts(self.analysis, doc, self._links,
                                                         self.budget)
        return found

"""The plain typed records that flow between the pipeline's stages.

Every stage takes records and returns records; nothing here does I/O. Offsets
(`start`, `end`) are always character offsets into the document's *cleaned*
text (`CleanText.text`), half-open like Python slices.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, fields, is_dataclass
from operator import attrgetter
from pathlib import Path
from typing import Any


@dataclass(frozen=True, slots=True)
class DocumentMeta:
    """One manifest entry: what a document is, not what it says.

    `date` is the first day of the period when the manifest gives only a month;
    `date_text` keeps what the manifest said so reports never invent a day.
    `series` is the series the document belongs to (an issuer's work reports): the
    manifest's `series`, or its issuer and genre (`manifest.series_of`).
    """

    id: str
    title: str
    short_title: str
    date: dt.date
    date_text: str
    issuer: str
    level: str
    genre: str
    file: Path
    source: str
    series: str = ""


@dataclass(frozen=True, slots=True)
class SourceText:
    """A document's raw text as decoded from its file, with the encoding found."""

    meta: DocumentMeta
    text: str
    encoding: str


@dataclass(frozen=True, slots=True)
class RemovedLine:
    """A raw line that cleaning dropped, and why (1-based line number in the raw file)."""

    line_no: int
    text: str
    reason: str


@dataclass(frozen=True, slots=True)
class Join:
    """A paragraph broken by PDF extraction and rejoined: raw line `line_no` ran on
    into raw line `next_line_no`; `offset` is where the two meet in the cleaned text."""

    line_no: int
    next_line_no: int
    offset: int


@dataclass(frozen=True, slots=True)
class Paragraph:
    """A paragraph of cleaned text and the raw lines it came from."""

    index: int
    start: int
    end: int
    raw_lines: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class CleanText:
    """A document after cleaning: one paragraph per line of `text`.

    Every non-blank raw line is either inside a paragraph (`Paragraph.raw_lines`)
    or in `removed`; nothing is dropped silently.
    """

    doc_id: str
    text: str
    paragraphs: tuple[Paragraph, ...]
    removed: tuple[RemovedLine, ...]
    joins: tuple[Join, ...]
    raw_line_count: int


@dataclass(frozen=True, slots=True)
class Section:
    """A node of a document's section tree.

    `path` is the chain of labels from the root (e.g. 第三篇/第七章/第一节), unique
    within the document. `style` names the heading convention that opened it
    (pian, zhang, jie, box, cn-number, paren-number, item, bullet, lead, heading,
    front). `start`/`end` span the section with all its subsections;
    `heading_end` is where its heading text stops (== start when it has none).
    """

    id: str
    doc_id: str
    path: tuple[str, ...]
    parent: str | None
    depth: int
    style: str
    number: int | None
    title: str
    kind: str
    start: int
    heading_end: int
    end: int

    @property
    def path_text(self) -> str:
        return "/".join(self.path)

    @property
    def label(self) -> str:
        return self.path[-1]


@dataclass(frozen=True, slots=True)
class TableRow:
    """One row of an indicator table (e.g. the plan's 专栏1).

    `values` pairs each remaining column header with the cell's text, in column
    order, so a table with other years or columns needs no new code.
    """

    section_id: str
    number: int | None
    category: str
    indicator: str
    values: tuple[tuple[str, str], ...]
    start: int
    end: int

    def value(self, header: str) -> str:
        from .errors import ContinuityError

        for name, cell in self.values:
            if name == header:
                return cell
        known = ", ".join(name for name, _ in self.values)
        raise ContinuityError(f"table row {self.indicator!r} has no column {header!r}; "
                              f"its columns: {known}")


@dataclass(frozen=True, slots=True)
class GlossaryEntry:
    """A term and its definition from a glossary section (名词解释)."""

    section_id: str
    number: int | None
    term: str
    definition: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Passage:
    """A located piece of a document's cleaned text, with the provenance every unit and
    clause carries: document, section, character offsets [start, end) into the cleaned
    text, the display text, its comparison form `norm` (see `normalize`) and the jieba
    words of `norm`.

    `role` is "heading" for a standalone heading line, "lead" for the run-in title
    that opens a paragraph ("（一）实施前沿科技攻坚突破行动。"), "row" for a table row
    and "text" otherwise.
    """

    id: str
    doc_id: str
    index: int
    section_id: str
    section_path: str
    kind: str
    role: str
    start: int
    end: int
    text: str
    norm: str
    tokens: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Unit(Passage):
    """A sentence-sized passage: the sentences of a section, in order."""


@dataclass(frozen=True, slots=True)
class Clause(Passage):
    """A commitment-sized piece of a sentence unit (`unit_id`): what alignment compares.

    `function` is what the clause does (`continuity.analysis.functions.FUNCTIONS`: action, target,
    principle, review, context, procedural, heading); the clauses stage leaves it empty
    and the functions stage fills it in.
    """

    unit_id: str
    function: str = ""


@dataclass(frozen=True, slots=True)
class Document:
    """A document carried through ingest: metadata, cleaned text, structure, units, clauses."""

    meta: DocumentMeta
    encoding: str
    clean: CleanText
    sections: tuple[Section, ...]
    table_rows: tuple[TableRow, ...]
    glossary: tuple[GlossaryEntry, ...]
    units: tuple[Unit, ...]
    clauses: tuple[Clause, ...]

    @property
    def id(self) -> str:
        return self.meta.id

    def section(self, section_id: str) -> Section:
        from .errors import UnknownSectionError

        for section in self.sections:
            if section.id == section_id:
                return section
        raise UnknownSectionError(f"{self.id} has no section {section_id!r}")


@dataclass(frozen=True, slots=True)
class CompareTable:
    """The manifest's `[compare]` table: how the comparison plan is made (`continuity.corpus.plan`).
    `plan` is `auto` (every pair in a small corpus, the rules beyond), `all-pairs` or
    `rules`; `rules` are those used (`series`, `level-up`, `peers`); `add` and `remove`
    are pairs of document ids always or never compared; `above` names, for a series, the
    series its documents compare with instead of every document one level up (a city's
    reports with its own province's, not every province's)."""

    plan: str = "auto"
    rules: tuple[str, ...] = ("series", "level-up", "peers")
    add: tuple[tuple[str, str], ...] = ()
    remove: tuple[tuple[str, str], ...] = ()
    above: tuple[tuple[str, tuple[str, ...]], ...] = ()


@dataclass(frozen=True, slots=True)
class Corpus:
    """The documents in timeline order (manifest date, then manifest order), and the
    manifest's `[compare]` table."""

    root: Path
    documents: tuple[Document, ...]
    compare: CompareTable = CompareTable()

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(d.id for d in self.documents)

    def document(self, doc_id: str) -> Document:
        from .errors import UnknownDocumentError

        for doc in self.documents:
            if doc.id == doc_id:
                return doc
        raise UnknownDocumentError(doc_id, self.ids)


@dataclass(frozen=True, slots=True)
class Outline:
    """A document's section tree plus, for each cleaned paragraph, where it sits.

    `paragraph_sections[i]` is the id of the innermost section paragraph i belongs
    to; `paragraph_heads[i]` is how many of its characters are that section's
    heading (0 for body text, the whole paragraph for a standalone heading).
    """

    sections: tuple[Section, ...]
    paragraph_sections: tuple[str, ...]
    paragraph_heads: tuple[int, ...]


# What the comparison stages find (`align`, `fate`, `diffing`). Kept here, apart from
# the stages that compute them (numpy, scipy, rapidfuzz, jieba), so that commands
# reading an analysis back from the store (`continuity.store`) import none of those.

SAME, REWORDED, ABSENT = "same", "reworded", "absent"
#: How sure a counterpart is (settings' `firm_margin`): a tentative one is worth checking.
FIRM, TENTATIVE = "firm", "tentative"
CONFIDENCES = (FIRM, TENTATIVE)
#: The relation of a clause to a document its own is not compared with (the comparison
#: plan, `continuity.corpus.plan`, leaves the pair out): nothing is known there.
UNCOMPARED = "uncompared"
#: Codes of the relation matrix.
CODES = {ABSENT: 0, SAME: 1, REWORDED: 2, UNCOMPARED: 3}
RELATIONS = (ABSENT, SAME, REWORDED, UNCOMPARED)


def confidence(margin: float, firm_margin: float) -> str:
    """`firm` when a counterpart's score clears what its evidence needs by at least
    `firm_margin` (margins are kept to four decimals, as ranks follow them), else
    `tentative`."""
    return FIRM if round(margin, 4) >= firm_margin else TENTATIVE


@dataclass(frozen=True, slots=True)
class Counterpart:
    """One counterpart of a clause in another document, with the evidence for it."""

    clause: str
    doc_id: str
    rank: int
    score: float
    similarity: float
    relation: str
    shared_terms: tuple[str, ...]
    confidence: str


@dataclass(frozen=True, slots=True)
class Alignment:
    """A clause against one other document: its relation there and its counterparts (best first).

    `cross_level` marks pairs of documents of different levels (province → city).
    """

    source_doc: str
    source: str
    target_doc: str
    relation: str
    counterparts: tuple[Counterpart, ...]
    cross_level: bool


@dataclass(frozen=True, slots=True)
class ReviewReport:
    """A later document's review passage whose rank-1 counterpart in a commitment's own
    document is that commitment (`continuity.analysis.followup`), with that link's score
    and confidence, as its row of alignments.csv says: evidence of follow-through."""

    doc_id: str
    review: Clause
    score: float
    confidence: str

    @property
    def firm(self) -> bool:
        return self.confidence == FIRM


EMERGES, PERSISTS, EVOLVES, DISAPPEARS = "emerges", "persists", "evolves", "disappears"
REVIEW, CONTEXT, PROCEDURAL, HEADING, UNALIGNED = (
    "review", "context", "procedural", "heading", "unaligned")
#: The fates of commitments.
COMMITMENT_FATES = (EMERGES, PERSISTS, EVOLVES, DISAPPEARS)
#: What a clause that has no fate is instead.
NOT_COMMITMENTS = (REVIEW, CONTEXT, PROCEDURAL, HEADING, UNALIGNED)
FATES = COMMITMENT_FATES + NOT_COMMITMENTS

# What a clause does and where a target was stated: the vocabularies the stages that find
# them use (`analysis.functions`, `analysis.targets`), here so that the data dictionary
# (`output.datapackage`) names them without importing those stages.
ACTION, TARGET, PRINCIPLE = "action", "target", "principle"
#: Every function a clause can have, commitments first.
FUNCTIONS = (ACTION, TARGET, PRINCIPLE, REVIEW, CONTEXT, PROCEDURAL, HEADING)
#: Where a target was stated: the headline targets (主要预期目标, a targets section), an
#: indicator table, or elsewhere in the text; a table's base-year value is a baseline.
TARGET_KINDS = ("headline", "table", "text", "baseline")


@dataclass(frozen=True, slots=True)
class Fate:
    """A clause's fate (one of FATES: a commitment's fate, or what a clause that is not a
    commitment is); `first_doc`/`last_doc` are the ends of its thread on the timeline."""

    doc_id: str
    clause: str
    fate: str
    first_doc: str
    last_doc: str
    thread: str
    #: For a commitment that persists or evolves: `firm` when at least one of the rank-1
    #: counterparts its fate rests on is firm, `tentative` when all are (the fate may be
    #: wrong: check them); empty for any other fate, which rests on no counterpart.
    confidence: str = ""


@dataclass(frozen=True, slots=True)
class Thread:
    """A chain of counterparts, one clause per document at most, in timeline order."""

    id: str
    clauses: tuple[str, ...]
    docs: tuple[str, ...]


EQUAL, INSERT, DELETE = "equal", "insert", "delete"
#: A redline's text of one side alone that is no change: the leading numbering of a heading
#: or item (第一节, （三）, 1.), which `same` ignores (`normalize.wording`), on the side
#: diffed from (old, beside `delete`) or to (new, beside `insert`). Shown as plain text.
OLD_NUMBERING, NEW_NUMBERING = "old-numbering", "new-numbering"


@dataclass(frozen=True, slots=True)
class DiffSpan:
    """A run of text that is kept (`equal`), added (`insert`) or removed (`delete`), or
    one side's leading numbering, which is no change (`old-numbering`, `new-numbering`)."""

    op: str
    text: str


@dataclass(frozen=True, slots=True)
class WordRun:
    """A run of whole words that is kept (`equal`), added (`insert`) or removed (`delete`)."""

    op: str
    words: tuple[str, ...]

    @property
    def text(self) -> str:
        return "".join(self.words)


def _pickled_by_fields(cls: type) -> None:
    """Pickle a record as its class and its fields' values, rebuilt by calling the class.
    What `dataclass(slots=True)` gives instead asks `dataclasses.fields` twice for every
    record (pickling, then unpickling), twice as slow: a document read by a worker comes
    back pickled (`pipeline.load_corpus`), 0.2 s for the bundled corpus's biggest."""
    names = tuple(f.name for f in fields(cls))
    values = attrgetter(*names)
    reduce: Callable[[Any], tuple[type, tuple[Any, ...]]] = (
        (lambda record: (cls, (values(record),))) if len(names) == 1
        else (lambda record: (cls, values(record))))
    cls.__reduce__ = reduce  # type: ignore[assignment,method-assign]


for _record in tuple(globals().values()):
    if isinstance(_record, type) and is_dataclass(_record) and _record.__module__ == __name__:
        _pickled_by_fields(_record)

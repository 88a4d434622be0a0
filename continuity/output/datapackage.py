"""The data dictionary of the exports: every CSV's columns (name, type, description) and
keys, and the Frictionless Data descriptor made of them (`data/datapackage.json`).

Each column is described here once: the descriptor, the column order of the files
(`continuity.output.export.COLUMNS`), the DataFrames (`continuity.output.frames`) and the README's
table of the exports are all read from it, so they cannot drift apart. A name means
one thing in every file (`doc` is a document id, `unit` a clause id, `section` a
section id, `level` an administrative level). Types are those of the Table Schema
(https://specs.frictionlessdata.io/table-schema/); an empty cell is a missing value.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from ..corpus.manifest import GENRES, LEVELS
from ..records import CONFIDENCES, FATES, FUNCTIONS, REWORDED, SAME, TARGET_KINDS

DESCRIPTOR = "datapackage.json"
#: A counterpart's relations (absence has no row: see pairs.csv).
COUNTERPART_RELATIONS = (SAME, REWORDED)
#: Table Schema type → the pandas dtype of a column of that type (nullable, so that a
#: missing value is <NA> in every column and an integer column stays integers).
DTYPES = {"string": "string", "integer": "Int64", "number": "Float64", "boolean": "boolean"}


@dataclass(frozen=True, slots=True)
class Field:
    """One column: its name, Table Schema type and what it holds. `required`: never
    empty; `enum`: the only values it takes; `minimum` for integers; `pattern` a regular
    expression every value matches."""

    name: str
    type: str
    description: str
    required: bool = True
    unique: bool = False
    enum: tuple[str, ...] = ()
    minimum: int | None = None
    pattern: str = ""

    def descriptor(self) -> dict[str, Any]:
        out: dict[str, Any] = {"name": self.name, "type": self.type,
                               "description": self.description}
        if self.type == "boolean":
            out.update(trueValues=["1"], falseValues=["0"])
        constraints: dict[str, Any] = {}
        if self.required:
            constraints["required"] = True
        if self.unique:
            constraints["unique"] = True
        if self.enum:
            constraints["enum"] = list(self.enum)
        if self.minimum is not None:
            constraints["minimum"] = self.minimum
        if self.pattern:
            constraints["pattern"] = self.pattern
        if constraints:
            out["constraints"] = constraints
        return out


@dataclass(frozen=True, slots=True)
class ForeignKey:
    """Values of `fields` are values of `columns` in the file `reference`."""

    fields: tuple[str, ...]
    reference: str
    columns: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Table:
    """One export file: what one row is, its columns in order and its keys."""

    file: str
    row: str
    description: str
    fields: tuple[Field, ...]
    primary_key: tuple[str, ...] = ()
    foreign_keys: tuple[ForeignKey, ...] = ()

    @property
    def name(self) -> str:
        """The resource name: the file's name without `.csv` (`continuity.output.frames` keys)."""
        return self.file.removesuffix(".csv")

    @property
    def columns(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)

    def dtypes(self) -> dict[str, str]:
        """Each column's pandas dtype."""
        return {f.name: DTYPES[f.type] for f in self.fields}

    def descriptor(self) -> dict[str, Any]:
        schema: dict[str, Any] = {"fields": [f.descriptor() for f in self.fields],
                                  "missingValues": [""]}
        if self.primary_key:
            schema["primaryKey"] = list(self.primary_key)
        if self.foreign_keys:
            schema["foreignKeys"] = [
                {"fields": list(k.fields),
                 "reference": {"resource": "" if k.reference == self.file
                               else k.reference.removesuffix(".csv"),
                               "fields": list(k.columns)}}
                for k in self.foreign_keys]
        return {"name": self.name, "path": self.file, "profile": "tabular-data-resource",
                "description": f"One row per {self.row}. {self.description}",
                "format": "csv", "mediatype": "text/csv", "encoding": "utf-8",
                "schema": schema}


# ------------------------------------------------------------------- shared columns

def _doc(name: str = "doc", what: str = "The document's id") -> Field:
    return Field(name, "string", f"{what}: the `doc` of documents.csv (as in the corpus "
                 "manifest, e.g. 2022-decision).")


def _unit(name: str = "unit", what: str = "The unit's id", required: bool = True) -> Field:
    return Field(name, "string", f"{what}: the `unit` of units.csv (a clause, e.g. "
                 "u1a2b3c4d5.1).", required=required)


def _section(name: str = "section", what: str = "The section's id") -> Field:
    return Field(name, "string", f"{what}: the `section` of sections.csv.")


SECTION_PATH = Field(
    "section_path", "string",
    "The section's place in the document's outline: the labels of its headings from the "
    "top, joined with / (第三篇/第七章/(一)). Unique within a document; the citation the "
    "report pages show and `continuity units DOC --section PATH` takes. Labels are "
    "normalised ((一) for （一）, 一 for 一、), and a label two sibling headings share "
    "takes #2, #3…; sections.csv has each heading's numbering as written (`label`).")
START = Field("start", "integer", "Character offset where it starts in the document's "
              "cleaned text (`continuity clean DOC`), from 0.", minimum=0)
END = Field("end", "integer", "Character offset just past its end in the cleaned text "
            "(text[start:end] is the passage).", minimum=0)
THEME = Field("theme", "string", "Its theme, from the corpus's themes.toml (or the shipped "
              "one); the theme pages and the theme × document table group by it.")
CROSS_LEVEL = Field("cross_level", "boolean", "1 when the two documents are of different "
                    "administrative levels (documents.csv `level`), else 0.")
KIND = Field("kind", "string", "What its section holds (continuity/data/section_kinds.toml: "
             "plan, review, table, glossary, …); units take their section's.")


def _score(description: str, required: bool = True) -> Field:
    return Field("score", "number", description, required=required)


def _fk(field: str, reference: str, column: str) -> ForeignKey:
    return ForeignKey((field,), reference, (column,))


def _to_documents(*fields: str) -> tuple[ForeignKey, ...]:
    return tuple(_fk(f, "documents.csv", "doc") for f in fields)


# ------------------------------------------------------------------- the files

TABLES: tuple[Table, ...] = (
    Table(
        "documents.csv", "document",
        "The documents in timeline order, as the corpus manifest lists them, with their sizes.",
        (
            Field("doc", "string", "The document's id, as in the corpus manifest "
                  "(2022-decision); every `doc` and `*_doc` column of the other files is one.",
                  unique=True),
            Field("title", "string", "The document's full title (the manifest's `title`)."),
            Field("date", "string", "Its date of issue, ISO 8601: YYYY-MM-DD, or YYYY-MM "
                  "when the day is unknown. Timeline order is the order of these dates.",
                  pattern=r"\d{4}-\d{2}(-\d{2})?"),
            Field("level", "string", "The issuer's administrative level (the manifest's "
                  "`level`). Two documents of different levels are compared across levels "
                  "(pairs.csv `cross_level`).", enum=LEVELS),
            Field("genre", "string", "The kind of document (the manifest's `genre`).",
                  enum=GENRES),
            Field("chars", "integer", "Characters in its cleaned text, line breaks not "
                  "counted.", minimum=0),
            Field("sections", "integer", "Its sections: its rows of sections.csv.", minimum=0),
            Field("units", "integer", "Its units (clauses): its rows of units.csv.", minimum=0),
        ),
        primary_key=("doc",),
    ),
    Table(
        "sections.csv", "section of a document's outline",
        "Each document's headings (篇, 章, 节, 一、, （一）, 专栏, 1., ——, lead sentences, "
        "unnumbered headings) as a tree, in text order; body text under no heading is a "
        "section per paragraph (¶1, ¶2, …).",
        (
            _doc(),
            Field("section", "string", "The section's id: s and ten hexadecimal digits, the "
                  "same for the same document and section path in every run.", unique=True),
            SECTION_PATH,
            Field("parent", "string", "The id of the section it lies in (a `section` of "
                  "this file); empty for a top-level section.", required=False),
            Field("depth", "integer", "How deep it lies in the outline: 0 for a top-level "
                  "section, its parent's depth + 1 for the others.", minimum=0),
            Field("label", "string", "The heading's numbering as the document writes it "
                  "(第三篇, 第七章, 第一节, 一、, （一）, 专栏12, 1., ——); empty for a heading "
                  "with no numbering (an unnumbered heading, a lead sentence, a paragraph).",
                  required=False),
            Field("number", "integer", "The heading's number as an integer (第三篇 → 3, "
                  "（十二） → 12, 专栏12 → 12); empty when its numbering has none (——) or it "
                  "has no numbering.", required=False, minimum=0),
            Field("title", "string", "The heading's words after its numbering (a run-in "
                  "heading's first sentence); empty for a paragraph.", required=False),
            KIND,
            THEME,
            START,
            END,
        ),
        primary_key=("section",),
        foreign_keys=(*_to_documents("doc"), _fk("parent", "sections.csv", "section")),
    ),
    Table(
        "units.csv", "unit (a clause of a sentence)",
        "Every clause of every document, in text order: the units alignment compares. "
        "The commitments are those whose `function` is action, target or principle.",
        (
            _doc(),
            Field("unit", "string", "The unit's id: its sentence's id, a dot and the "
                  "clause's number in the sentence (u1a2b3c4d5.1).", unique=True),
            _section(what="The section it is in (the innermost)"),
            SECTION_PATH,
            KIND,
            Field("function", "string", "What the clause does: action, target or principle "
                  "(a commitment), review (the issuer's own past work), context (assessment, "
                  "situation, meetings and leaders), procedural (meeting and document "
                  "framing) or heading; decided from continuity/data/functions.toml.",
                  enum=FUNCTIONS),
            THEME,
            START,
            END,
            Field("text", "string", "The clause as the cleaned text has it."),
        ),
        primary_key=("unit",),
        foreign_keys=(*_to_documents("doc"), _fk("section", "sections.csv", "section")),
    ),
    Table(
        "pairs.csv", "pair of documents compared (source → target)",
        "Every unit of `source_doc` was compared with `target_doc`: a unit with no row of "
        "alignments.csv for this pair has no counterpart there (it is absent). Every two "
        "documents, both ways, in timeline order of the source, then of the target.",
        (
            _doc("source_doc", "The document whose units were compared"),
            _doc("target_doc", "The document they were compared with"),
            CROSS_LEVEL,
        ),
        primary_key=("source_doc", "target_doc"),
        foreign_keys=_to_documents("source_doc", "target_doc"),
    ),
    Table(
        "alignments.csv", "counterpart of a unit in another document (rank 1–3)",
        "Counterparts only: a (source_unit, target_doc) pair has rows ranked 1, 2, 3 (best "
        "first), or none when the unit has no counterpart in target_doc (a pair of "
        "documents.csv compared in pairs.csv).",
        (
            _doc("source_doc", "The document of the unit compared"),
            _unit("source_unit", "The unit compared"),
            _doc("target_doc", "The other document"),
            _unit("target_unit", "Its counterpart there"),
            Field("rank", "integer", "1 for the best counterpart, then 2 and 3.", minimum=1),
            _score("How strongly they correspond (0–1, four decimals): the clauses' cosine "
                   "similarity with `context_weight` times their sentences', over "
                   "1 + context_weight (`continuity settings`)."),
            Field("relation", "string", "same (no word changed once punctuation and "
                  "numbering are set aside) or reworded.", enum=COUNTERPART_RELATIONS),
            Field("similarity", "number", "The cosine similarity of the two clauses alone "
                  "(0–1, four decimals)."),
            Field("shared_terms", "string", "The distinctive terms the two clauses share, "
                  "separated by spaces: the evidence that they correspond. A name one clause "
                  "writes in full and the other abbreviates is shared under its alias name "
                  "(continuity/data/aliases.toml, the corpus's aliases.toml).", required=False),
            CROSS_LEVEL,
            Field("changes", "string", "How a reworded counterpart's wording changed: kinds "
                  "joined with ; (number:lowered;verb:strengthened; "
                  "continuity/analysis/changes.py); empty for same.", required=False),
            Field("confidence", "string", "firm when the score clears the score the pair's "
                  "evidence needs by at least the setting firm_margin, else tentative: worth "
                  "checking against the documents.", enum=CONFIDENCES),
        ),
        primary_key=("source_unit", "target_doc", "rank"),
        foreign_keys=(*_to_documents("source_doc", "target_doc"),
                      _fk("source_unit", "units.csv", "unit"),
                      _fk("target_unit", "units.csv", "unit"),
                      ForeignKey(("source_doc", "target_doc"), "pairs.csv",
                                 ("source_doc", "target_doc"))),
    ),
    Table(
        "fates.csv", "unit",
        "What became of each commitment along the timeline; a clause that is not a "
        "commitment has what it is instead.",
        (
            _doc(),
            _unit(),
            Field("fate", "string", "A commitment's fate: emerges (no counterpart in any "
                  "earlier document), persists (a counterpart in every later document, same "
                  "words), evolves (counterparts later, reworded or not in every later "
                  "document), disappears (none in any later document). Any other clause: "
                  "review, context, procedural, heading, or unaligned (a commitment too short "
                  "or formulaic to align).", enum=FATES),
            _doc("first_doc", "The earliest document of its thread"),
            _doc("last_doc", "The latest document of its thread (for a commitment that "
                 "disappears: where it was last seen)"),
            Field("thread", "string", "The id of its thread (threads.csv): the chain of "
                  "counterparts it belongs to, one unit per document at most."),
            Field("confidence", "string", "For a commitment that persists or evolves: firm when "
                  "at least one of the rank-1 counterparts its fate rests on (in the later "
                  "documents; for the last document's commitments, the earlier ones) is firm "
                  "(alignments.csv), tentative when all are: the fate may be wrong, check "
                  "them. Empty for any other fate, which rests on no counterpart.",
                  required=False, enum=CONFIDENCES),
        ),
        primary_key=("unit",),
        foreign_keys=(*_to_documents("doc", "first_doc", "last_doc"),
                      _fk("unit", "units.csv", "unit"),
                      _fk("thread", "threads.csv", "thread")),
    ),
    Table(
        "threads.csv", "unit on a thread, in timeline order",
        "Threads chain each unit to its best counterpart in the nearest later document that "
        "has one, so a commitment reads from the first document to the last in one thread; "
        "a chain that drifts to another commitment is cut there, so a thread's first and "
        "last units are counterparts of each other. Every unit is on exactly one thread "
        "(alone, if it has no counterpart).",
        (
            Field("thread", "string", "The thread's id: t and ten hexadecimal digits (the "
                  "`thread` of fates.csv)."),
            Field("position", "integer", "The unit's place on the thread: 1 for the "
                  "earliest document, then 2, 3, … in timeline order.", minimum=1),
            _doc(),
            Field("unit", "string", "The unit: the `unit` of units.csv.", unique=True),
        ),
        primary_key=("thread", "position"),
        foreign_keys=(*_to_documents("doc"), _fk("unit", "units.csv", "unit")),
    ),
    Table(
        "section_alignments.csv", "corresponding section in another document",
        "Sections correspond as far as their profiles (the summed vectors of their units, "
        "subsections included) do; up to three per section and other document, best "
        "first.",
        (
            _doc("source_doc", "The document of the section compared"),
            _section("source_section", "The section compared"),
            _doc("target_doc", "The other document"),
            _section("target_section", "The corresponding section there"),
            _score("The cosine similarity of the two sections' profiles (0–1, four "
                   "decimals)."),
        ),
        primary_key=("source_section", "target_section"),
        foreign_keys=(*_to_documents("source_doc", "target_doc"),
                      _fk("source_section", "sections.csv", "section"),
                      _fk("target_section", "sections.csv", "section")),
    ),
    Table(
        "targets.csv", "quantitative target, or an indicator table's base-year value",
        "Targets recognised by their shape (indicator, verb, number with measure, "
        "qualifier) in commitments and indicator tables (continuity/targets).",
        (
            _doc(),
            _unit(what="The unit stating it"),
            Field("indicator", "string", "The indicator's one name across documents and "
                  "levels (国内/地区生产总值增长 → GDP增长; continuity/data/indicators.toml, "
                  "which a corpus's own indicators.toml extends)."),
            Field("value", "string", "The number as written (5.5, 2至3); empty for a "
                  "target in words.", required=False),
            Field("measure", "string", "Its unit, with any magnitude (%, 万人, 亿斤).",
                  required=False),
            Field("qualifier", "string", "左右, 以上, 不少于…, or the words of a target in "
                  "words (与GDP增长同步).", required=False),
            Field("year", "integer", "The year stated for it, when the text states one.",
                  required=False, minimum=0),
            Field("text", "string", "The text of the unit stating it."),
            Field("kind", "string", "headline (主要预期目标 or a targets section), table (an "
                  "indicator table's target), baseline (an indicator table's base-year "
                  "value) or text (stated in the text).", enum=TARGET_KINDS),
            Field("phrase", "string", "The indicator as the document writes it."),
        ),
        foreign_keys=(*_to_documents("doc"), _fk("unit", "units.csv", "unit")),
    ),
    Table(
        "aliases.csv", "form of a name that alignment read as the name",
        "The names compared under one form (continuity/data/aliases.toml and the "
        "corpus's aliases.toml): a counterpart's shared_terms may hold a name that one "
        "of its clauses writes in another form.",
        (
            Field("name", "string", "The name as alignment compares it (双高计划)."),
            Field("form", "string", "A form the documents write it in "
                  "(中国特色高水平高职学校和专业建设计划); quotes inside it are read through."),
            Field("source", "string", "Where the equivalence is published."),
        ),
        primary_key=("form",),
    ),
)

#: Each export file's table, by file name.
TABLE_OF: dict[str, Table] = {t.file: t for t in TABLES}
#: Each export file's columns, in order.
COLUMNS: dict[str, tuple[str, ...]] = {t.file: t.columns for t in TABLES}


def descriptor() -> dict[str, Any]:
    """The Frictionless Data package descriptor of the export files."""
    return {
        "profile": "tabular-data-package",
        "name": "continuity-exports",
        "title": "Commitments across a series of Chinese policy documents",
        "description": (
            "What continuity found in a corpus of policy documents: the documents, their "
            "outlines and units (clauses), each unit's counterparts in the other documents, "
            "the fate of each commitment, threads of counterparts, corresponding sections "
            "and quantitative targets. UTF-8 CSV with a header row; an empty cell is a "
            "missing value; offsets are into each document's cleaned text."),
        "resources": [t.descriptor() for t in TABLES],
    }


def descriptor_json() -> str:
    """The descriptor as data/datapackage.json holds it (the same bytes every time)."""
    return json.dumps(descriptor(), ensure_ascii=False, indent=2) + "\n"


def markdown_table() -> str:
    """The README's table of the export files: what one row of each is, and its columns."""
    lines = ["| file | one row per | columns |", "|---|---|---|"]
    lines += [f"| `{t.file}` | {t.row} | {', '.join(t.columns)} |" for t in TABLES]
    lines.append(f"| `{DESCRIPTOR}` | (the data dictionary) | each file's columns with their "
                 "type and description, primary and foreign keys (Frictionless Data) |")
    return "\n".join(lines) + "\n"

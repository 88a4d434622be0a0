"""The store's tables: one per export file, as the data dictionary describes it
(`continuity.output.datapackage`: columns, types, keys), and the few the commands read besides
(sentences, clause words, cleaned texts, the pieces of long words, the redlines the build
read), described the same way.

SQLite types follow the Table Schema types (string → TEXT, integer and boolean →
INTEGER, number → REAL); a required column is NOT NULL; keys become PRIMARY KEY,
UNIQUE and REFERENCES clauses; the columns people join and filter on are indexed.
"""

from __future__ import annotations

from ..datapackage import TABLES as EXPORTS
from ..datapackage import Field, ForeignKey, Table

SQL_TYPES = {"string": "TEXT", "integer": "INTEGER", "number": "REAL", "boolean": "INTEGER"}


def _text(name: str, description: str, required: bool = True) -> Field:
    return Field(name, "string", description, required=required)


def _int(name: str, description: str, required: bool = True) -> Field:
    return Field(name, "integer", description, required=required, minimum=0)


_TOKENS = _text("tokens", "The jieba words of `norm`, separated by spaces (what word-level "
                "redlines compare).", required=False)
_NORM = _text("norm", "The comparison form of the text (`continuity.text.normalize`), when it is "
              "not its words joined (empty: `tokens` without the spaces).", required=False)

#: Tables the commands read besides the exports: what a document's records hold that the
#: CSV files do not (the cleaned text, sentences, each clause's words), and the redlines
#: the build read for its pages.
EXTRA: tuple[Table, ...] = (
    Table("texts", "document", "Each document's cleaned text (the offsets index it) and how "
          "its file was read; the rest of its record is the corpus manifest's.", (
              _text("doc", "The document's id."),
              _text("encoding", "The encoding its file was read in."),
              _int("raw_lines", "Lines of the file."),
              _text("text", "The cleaned text: one paragraph a line."),
          ), primary_key=("doc",),
          foreign_keys=(ForeignKey(("doc",), "documents.csv", ("doc",)),)),
    Table("removed_lines", "line cleaning removed", "What cleaning dropped, and why.", (
        _text("doc", "The document's id."),
        _int("line", "Its line number in the file, from 1."),
        _text("reason", "Why it was removed."),
        _text("text", "The line.", required=False),
    ), primary_key=("doc", "line"),
        foreign_keys=(ForeignKey(("doc",), "documents.csv", ("doc",)),)),
    Table("joins", "PDF line break rejoined", "Lines cleaning joined into one paragraph.", (
        _text("doc", "The document's id."),
        _int("line", "The line that ran on."),
        _int("next_line", "The line it ran into."),
        _int("offset", "Where they meet in the cleaned text."),
    ), primary_key=("doc", "line"),
        foreign_keys=(ForeignKey(("doc",), "documents.csv", ("doc",)),)),
    Table("outline", "section", "What a section's record holds beyond sections.csv.", (
        _text("section", "The section's id."),
        _text("path", "Its labels from the top, as a JSON array."),
        _text("style", "The heading convention that opened it."),
        _int("heading_end", "Where its heading text stops."),
    ), primary_key=("section",),
        foreign_keys=(ForeignKey(("section",), "sections.csv", ("section",)),)),
    Table("sentences", "sentence", "Each document's sentences (`continuity units DOC`).", (
        _text("doc", "The document's id."),
        _text("sentence", "The sentence's id (a unit's id before its dot)."),
        _int("position", "Its place in the document, from 0."),
        _text("section", "The section it is in."),
        _text("section_path", "That section's path."),
        _text("kind", "Its section's kind."),
        _text("role", "heading, lead, row or text."),
        _int("start", "Offset of its start in the cleaned text."),
        _int("end", "Offset just past its end."),
        _text("text", "The sentence."),
        _NORM,
        _TOKENS,
    ), primary_key=("sentence",),
        foreign_keys=(ForeignKey(("doc",), "documents.csv", ("doc",)),
                      ForeignKey(("section",), "sections.csv", ("section",)))),
    Table("unit_words", "unit", "What a unit's record holds beyond units.csv.", (
        _text("unit", "The unit's id."),
        _text("sentence", "Its sentence."),
        _int("position", "Its place among the document's units, from 0."),
        _text("role", "heading, lead, row or text."),
        _NORM,
        _TOKENS,
    ), primary_key=("unit",),
        foreign_keys=(ForeignKey(("unit",), "units.csv", ("unit",)),
                      ForeignKey(("sentence",), "sentences", ("sentence",)))),
    Table("word_pieces", "long word", "The dictionary words each long word of the units is "
          "made of, where a word-level redline looks inside it (`diffing.word_pieces`, from "
          "jieba's dictionary): `diff` and `history` read them here instead of loading it. "
          "Only words with such a cover.", (
              _text("word", "A word of `unit_words.tokens` (numbers split off), four Chinese "
                    "characters or more."),
              _text("pieces", "The words of two or three characters it is made of, "
                    "separated by spaces."),
          ), primary_key=("word",)),
    Table("redlines", "redline kept by the build", "The word-level redline `continuity build` "
          "read for each clause's best counterpart in a later document (the rank-1 row of "
          "alignments, earlier clause first: what the pair and history pages show), so that "
          "`diff` and `history` show it without diffing again. A store `continuity align` "
          "wrote holds none (it makes no pages): the commands diff such pairs when asked.", (
              _text("source_doc", "The earlier clause's document."),
              _text("source_unit", "The earlier clause."),
              _text("target_doc", "Its counterpart's document."),
              _text("target_unit", "Its counterpart, the clause's rank-1 in that document."),
              _text("spans", "The word diff from the source's comparison form to the "
                    "target's: a JSON array of [op, text] runs, op equal, delete or insert, or "
                    "old-numbering / new-numbering for a heading's own number on one side, "
                    "which is no change (`changes.redline`)."),
              _text("changes", "Its kinds of change: a JSON array of [kind, direction, "
                    "words before, words after] (`changes.Change`), as alignments' `changes` "
                    "codes them (`kind:direction`); [] for none."),
          ), primary_key=("source_unit", "target_unit"),
        foreign_keys=(ForeignKey(("source_doc",), "documents.csv", ("doc",)),
                      ForeignKey(("source_unit",), "units.csv", ("unit",)),
                      ForeignKey(("target_doc",), "documents.csv", ("doc",)),
                      ForeignKey(("target_unit",), "units.csv", ("unit",)))),
)

#: Columns filtered on besides those that join (keys are indexed anyway).
FILTERED = {"units": ("function", "theme"), "fates": ("fate",), "alignments": ("relation",),
            "targets": ("indicator",)}


def create_statements(tables: tuple[Table, ...] = (*EXPORTS, *EXTRA)) -> list[str]:
    """CREATE TABLE statements, then CREATE INDEX ones (to run after the rows are in)."""
    names = {t.file: t.name for t in tables}
    by_file = {t.file: t for t in tables}
    creates, indexes = [], []
    for t in tables:
        parts = [f'"{f.name}" {SQL_TYPES[f.type]}' + (" NOT NULL" if f.required else "")
                 + (" UNIQUE" if f.unique and t.primary_key != (f.name,) else "")
                 for f in t.fields]
        if t.primary_key:
            parts.append(f"PRIMARY KEY ({_names(t.primary_key)})")
        for key in t.foreign_keys:
            if not _is_key(by_file[key.reference], key.columns):
                continue  # SQLite refers only to a key (fates.thread: a thread's rows)
            parts.append(f"FOREIGN KEY ({_names(key.fields)}) REFERENCES "
                         f'"{names[key.reference]}" ({_names(key.columns)})')
        creates.append(f'CREATE TABLE "{t.name}" (\n  ' + ",\n  ".join(parts) + "\n)")
        wanted = [key.fields for key in t.foreign_keys]
        wanted += [(c,) for c in FILTERED.get(t.name, ())]
        if t.name == "alignments":
            wanted.append(("source_unit", "target_doc"))
        if t.name == "redlines":  # a pair of documents' redlines, read at once (`diff`)
            wanted.append(("source_doc", "target_doc"))
        done: set[tuple[str, ...]] = set()
        for cols in wanted:
            covered = [t.primary_key, *(w for w in wanted if w != cols)]
            if (cols in done or _unique(t, cols)
                    or any(other[:len(cols)] == cols for other in covered)):
                continue  # an index (or the key) beginning with these columns serves
            done.add(cols)
            indexes.append(f'CREATE INDEX "{t.name}_{"_".join(cols)}" ON "{t.name}" '
                           f"({_names(cols)})")
    return creates + indexes


def _is_key(table: Table, cols: tuple[str, ...]) -> bool:
    return table.primary_key == cols or _unique(table, cols)


def _unique(table: Table, cols: tuple[str, ...]) -> bool:
    return len(cols) == 1 and any(f.name == cols[0] and f.unique for f in table.fields)


def _names(cols: tuple[str, ...]) -> str:
    return ", ".join(f'"{c}"' for c in cols)

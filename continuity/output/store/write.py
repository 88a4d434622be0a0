"""Write an analysis to one SQLite database: the researchers' copy of the exports, and
what the commands answer from (`continuity.output.store.read`).

The export tables hold exactly the rows of the CSV files (`continuity.output.export`), typed
(an empty cell is NULL); the other tables hold what the documents' records add
(`schema.EXTRA`), and `meta` the fingerprint of what produced it. The same analysis
gives the same bytes: a fixed page size, rows inserted in their fixed order, no
timestamps. The file is written where the caller says (a report's work folder, swapped
into place with the rest), never edited in place.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from ..datapackage import TABLE_OF, Table
from .layout import APPLICATION_ID, FORMAT, PAGE_SIZE
from .redlines import redline_rows
from .schema import EXTRA, create_statements

if TYPE_CHECKING:
    from ...analysis.run import Analysis

Rows = Iterable[Sequence[object]]

#: The page cache while the store is written, in KiB (SQLite's default: 2,000). The
#: tables' keys are ids in no particular order, so their indexes take rows all over: at
#: 100 documents a store written with 64 MiB took 14.4 s of processor time, 17.6 s with
#: the default (and half the wall time: pages not read back). The same bytes either way.
CACHE_KIB = 64 * 1024


def write_store(path: Path, analysis: Analysis, stamp: Mapping[str, str]) -> Path:
    """Write the analysis to a new database at `path` (which must not exist), with the
    fingerprint `stamp` (`fingerprints.fingerprint`, taken before the corpus was read)."""
    from ..export import iter_tables

    with StoreWriter(path) as store:
        for file, rows in iter_tables(analysis):
            store.add(file, rows)
        store.finish(analysis, stamp)
    return path


class StoreWriter:
    """A store being written at a new `path`: the export files' rows are handed to `add`
    as they are made (whole, or in batches in file order, as `export.stream_exports(also=
    store.add)` hands them while it writes the CSV files: the rows are made once for
    both), then `finish` adds what the commands read besides, the fingerprint and the
    indexes. Leaving the `with` block closes it (unfinished: a file to throw away)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.connection = sqlite3.connect(path, isolation_level=None)
        connection = self.connection
        connection.execute(f"PRAGMA page_size = {PAGE_SIZE}")
        connection.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        connection.execute("PRAGMA journal_mode = OFF")  # a new file, swapped in whole
        connection.execute("PRAGMA synchronous = OFF")
        connection.execute(f"PRAGMA cache_size = {-CACHE_KIB}")
        connection.execute("BEGIN")
        statements = create_statements()
        self.indexes = [s for s in statements if not s.startswith("CREATE TABLE")]
        for statement in statements:
            if statement.startswith("CREATE TABLE"):
                connection.execute(statement)
        connection.execute('CREATE TABLE "meta" ("key" TEXT PRIMARY KEY, "value" TEXT NOT NULL)')

    def __enter__(self) -> StoreWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.connection.close()

    def add(self, file: str, rows: Rows) -> None:
        """Rows of the export file `file` (such as units.csv), after those given before."""
        _insert(self.connection, TABLE_OF[file], rows)

    def finish(self, analysis: Analysis, stamp: Mapping[str, str]) -> None:
        """The tables the commands read besides, the fingerprint `stamp`, the indexes."""
        connection = self.connection
        for table, extra in zip(EXTRA, extra_rows(analysis), strict=True):
            _insert(connection, table, extra)
        connection.executemany('INSERT INTO "meta" VALUES (?, ?)',
                               sorted({**stamp, "format": FORMAT}.items()))
        for statement in self.indexes:
            connection.execute(statement)
        connection.execute("COMMIT")


def _insert(connection: sqlite3.Connection, table: Table, rows: Rows) -> None:
    """The rows as the table types them: an empty cell is NULL, a number a number."""
    marks = ", ".join("?" * len(table.fields))
    connection.executemany(f'INSERT INTO "{table.name}" VALUES ({marks})',
                           map(_typed(tuple(f.type for f in table.fields)), rows))


@cache
def _typed(kinds: tuple[str, ...]) -> Callable[[Sequence[object]], tuple[object, ...]]:
    """A function typing a row of cells of these kinds: each cell None if it is empty ("" or
    None), else int, float or str of it (`_converter`). Written out as one expression
    for the kinds, cell by cell: a generic loop over the cells took three times as long
    (4.1 s against 1.2 s for the 762,000 rows of alignments.csv at 100 documents)."""
    cells = ", ".join(f"None if (c{k} := row[{k}]) == '' or c{k} is None "
                      f"else {_converter(kind)}(c{k})" for k, kind in enumerate(kinds))
    typed: Callable[[Sequence[object]], tuple[object, ...]] = eval(  # a text made here
        f"lambda row: ({cells},)", {"int": int, "float": float, "str": str})
    return typed


def _converter(kind: str) -> str:
    """The name of the function a cell of this Table Schema type is stored through."""
    return {"integer": "int", "number": "float", "boolean": "int"}.get(kind, "str")


def extra_rows(analysis: Analysis) -> Iterator[Rows]:
    """The rows of `schema.EXTRA`'s tables, in its order."""
    docs = analysis.corpus.documents
    yield [(d.id, d.encoding, d.clean.raw_line_count, d.clean.text) for d in docs]
    yield [(d.id, r.line_no, r.reason, r.text) for d in docs for r in d.clean.removed]
    yield [(d.id, j.line_no, j.next_line_no, j.offset) for d in docs for j in d.clean.joins]
    yield [(s.id, _json(s.path), s.style, s.heading_end) for d in docs for s in d.sections]
    yield [(d.id, u.id, u.index, u.section_id, u.section_path, u.kind, u.role, u.start, u.end,
            u.text, _norm(u.norm, u.tokens), _words(u.tokens)) for d in docs for u in d.units]
    yield [(c.id, c.unit_id, c.index, c.role, _norm(c.norm, c.tokens), _words(c.tokens))
           for d in docs for c in d.clauses]
    yield word_pieces_rows(c.tokens for d in docs for c in d.clauses)
    yield redline_rows(analysis)


def word_pieces_rows(texts: Iterable[Sequence[str]]) -> list[tuple[str, str]]:
    """The `word_pieces` rows of these passages' words: each word a redline may look
    inside (`diffing.word_tokens`, then `word_pieces`), with its pieces, in word order."""
    from ...text.diffing import word_pieces, word_tokens

    words = {word for tokens in texts for word in word_tokens(tokens)}
    return [(word, " ".join(pieces)) for word in sorted(words)
            if len(pieces := word_pieces(word)) > 1]


def _norm(norm: str, tokens: Sequence[str]) -> str | None:
    """A passage's `norm`, unless it is its words joined (as jieba's words always are)."""
    return None if norm == "".join(tokens) else norm


def _words(tokens: Sequence[str]) -> str:
    """Tokens separated by spaces: they are words of a text without whitespace (`norm`)."""
    return " ".join(tokens)


def _json(values: Sequence[str]) -> str:
    return json.dumps(list(values), ensure_ascii=False, separators=(",", ":"))

"""Read a store back: its fingerprint, and the records the commands show.

`stamp(path)` is the fingerprint a store was written with (None when there is no
readable store of this format); `read_corpus(path, root)` the documents' records as
loading the corpus makes them (`continuity.pipeline.load_corpus`), from the tables
alone: no file of the corpus is read but its manifest, and nothing is segmented.
Only what these modules import is paid for: sqlite3, json and the records.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import closing, contextmanager
from pathlib import Path

from ...corpus.manifest import read_manifest
from ...records import (
    Clause,
    CleanText,
    Corpus,
    Document,
    DocumentMeta,
    Join,
    RemovedLine,
    Section,
    Unit,
)
from .layout import APPLICATION_ID, FORMAT


@contextmanager
def connect(path: Path) -> Iterator[sqlite3.Connection]:
    """The store, opened read-only."""
    uri = f"{path.resolve().as_uri()}?mode=ro"
    with closing(sqlite3.connect(uri, uri=True)) as connection:
        yield connection


def stamp(path: Path) -> dict[str, str] | None:
    """The fingerprint the store at `path` was written with; None when there is none, or it
    is not continuity's store of this format (then it is rebuilt, never read)."""
    if not path.is_file():
        return None
    try:
        with connect(path) as db:
            (app,) = db.execute("PRAGMA application_id").fetchone()
            if app != APPLICATION_ID:
                return None
            found = dict(db.execute('SELECT "key", "value" FROM "meta"').fetchall())
    except sqlite3.Error:
        return None
    return found if found.pop("format", None) == FORMAT else None


def read_corpus(db: sqlite3.Connection, root: Path, only: Sequence[str] = (),
                words: bool = False, clauses: bool = True, sentences: bool = True) -> Corpus:
    """The corpus's documents as the store holds them, in timeline order. `only`: just
    these documents (the others are left out); `words`: with each passage's comparison
    form and words (`norm`, `tokens`; without them, for views that show neither, they
    are empty); `clauses`: with each document's clauses (without them, for views of
    documents and sentences, none); `sentences`: with each document's sentences
    (without them, for `diff`, which shows clauses only, none). A document's paragraphs,
    table rows and glossary are not stored: no command that answers from the store shows
    them."""
    metas = read_manifest(root)
    wanted = tuple(m for m in metas if not only or m.id in only)
    docs = tuple(_document(db, meta, words, clauses, sentences) for meta in wanted)
    return Corpus(root=root, documents=docs)


def _tokens(text: str | None) -> tuple[str, ...]:
    return tuple(text.split(" ")) if text else ()


def _norm(norm: str | None, tokens: str | None) -> str:
    """A passage's comparison form: as stored, or its words joined."""
    return norm if norm is not None else (tokens or "").replace(" ", "")


def read_sentences(db: sqlite3.Connection, doc_id: str, words: bool) -> tuple[Unit, ...]:
    """A document's sentences, in order (`words`: see `read_corpus`)."""
    columns = '"norm", "tokens"' if words else "NULL, NULL"
    return tuple(
        Unit(uid, doc_id, position, section, path, kind, role, start, end, utext,
             _norm(norm, tokens), _tokens(tokens))
        for uid, position, section, path, kind, role, start, end, utext, norm, tokens
        in db.execute(
            'SELECT "sentence", "position", "section", "section_path", "kind", "role", '
            f'"start", "end", "text", {columns} FROM "sentences" WHERE "doc" = ? '
            'ORDER BY "position"', (doc_id,)))


def _document(db: sqlite3.Connection, meta: DocumentMeta, words: bool,
              with_clauses: bool = True, with_sentences: bool = True) -> Document:
    doc_id = meta.id
    columns = '"norm", "tokens"' if words else "NULL, NULL"
    encoding, raw_lines, text = db.execute(
        'SELECT "encoding", "raw_lines", "text" FROM "texts" WHERE "doc" = ?', (doc_id,)
    ).fetchone()
    removed = tuple(RemovedLine(line, text_ or "", reason) for line, reason, text_ in db.execute(
        'SELECT "line", "reason", "text" FROM "removed_lines" WHERE "doc" = ? ORDER BY "line"',
        (doc_id,)))
    joins = tuple(Join(*row) for row in db.execute(
        'SELECT "line", "next_line", "offset" FROM "joins" WHERE "doc" = ? ORDER BY "line"',
        (doc_id,)))
    sections = tuple(
        Section(sid, doc_id, tuple(json.loads(path)), parent, depth, style, number,
                title or "", kind, start, heading_end, end)
        for sid, path, parent, depth, style, number, title, kind, start, heading_end, end
        in db.execute(
            'SELECT s."section", o."path", s."parent", s."depth", o."style", s."number", '
            's."title", s."kind", s."start", o."heading_end", s."end" FROM "sections" s '
            'JOIN "outline" o USING ("section") WHERE s."doc" = ? ORDER BY s.rowid',
            (doc_id,)))
    units = read_sentences(db, doc_id, words) if with_sentences else ()
    clauses = tuple(
        Clause(uid, doc_id, position, section, path, kind, role, start, end, ctext,
               _norm(norm, tokens), _tokens(tokens), sentence, function)
        for uid, position, section, path, kind, role, start, end, ctext, norm, tokens,
        sentence, function in db.execute(
            'SELECT u."unit", w."position", u."section", u."section_path", u."kind", w."role", '
            f'u."start", u."end", u."text", {columns}, w."sentence", u."function" '
            'FROM "units" u JOIN "unit_words" w USING ("unit") WHERE u."doc" = ? '
            'ORDER BY u.rowid', (doc_id,))) if with_clauses else ()
    clean = CleanText(doc_id, text, (), removed, joins, raw_lines)
    return Document(meta=meta, encoding=encoding, clean=clean,
                    sections=sections, table_rows=(), glossary=(), units=units, clauses=clauses)

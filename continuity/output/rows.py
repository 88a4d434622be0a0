"""The rows of documents.csv and units.csv, made from the records alone.

Light to import (the records only): the `--json` views list documents and units as
these rows (`continuity.views.jsonout`), and a command answering from the store should
not load the exports' machinery (`continuity.output.export`, which writes every table
with these rows) to make them.
"""

from __future__ import annotations

from ..records import Clause, Document


def document_row(doc: Document) -> tuple[object, ...]:
    """A document's row of documents.csv."""
    return (doc.id, doc.meta.title, doc.meta.date_text, doc.meta.level, doc.meta.genre,
            len(doc.clean.text) - doc.clean.text.count("\n"), len(doc.sections),
            len(doc.clauses))


def unit_row(clause: Clause, theme: str) -> tuple[object, ...]:
    """A clause's row of units.csv."""
    return (clause.doc_id, clause.id, clause.section_id, clause.section_path, clause.kind,
            clause.function, theme, clause.start, clause.end, clause.text)

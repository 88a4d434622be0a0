"""Records as pandas DataFrames, for notebooks and exports (the only module that uses pandas).

pandas is imported inside each function so that commands which never build a
frame do not pay for importing it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .records import Corpus, Document

if TYPE_CHECKING:
    import pandas as pd


def corpus_frame(corpus: Corpus) -> pd.DataFrame:
    """One row per document: id, date, level, genre, encoding and sizes."""
    import pandas as pd

    return pd.DataFrame(
        [
            {
                "id": d.id,
                "date": d.meta.date_text,
                "level": d.meta.level,
                "genre": d.meta.genre,
                "title": d.meta.short_title,
                "encoding": d.encoding,
                "characters": len(d.clean.text) - d.clean.text.count("\n"),
                "sections": len(d.sections),
                "units": len(d.units),
                "removed_lines": len(d.clean.removed),
                "joins": len(d.clean.joins),
            }
            for d in corpus.documents
        ]
    )


def sections_frame(doc: Document) -> pd.DataFrame:
    """One row per section: id, path, parent, depth, style, number, title, kind, offsets."""
    import pandas as pd

    counts: dict[str, int] = {}
    for unit in doc.units:
        counts[unit.section_id] = counts.get(unit.section_id, 0) + 1
    return pd.DataFrame(
        [
            {
                "doc": doc.id,
                "section": s.id,
                "path": s.path_text,
                "parent": s.parent or "",
                "depth": s.depth,
                "style": s.style,
                "number": s.number,
                "title": s.title,
                "kind": s.kind,
                "start": s.start,
                "end": s.end,
                "units": counts.get(s.id, 0),
            }
            for s in doc.sections
        ]
    )


def units_frame(doc: Document) -> pd.DataFrame:
    """One row per unit with its provenance (section, offsets) and text."""
    import pandas as pd

    return pd.DataFrame(
        [
            {
                "doc": u.doc_id,
                "unit": u.id,
                "index": u.index,
                "section": u.section_id,
                "path": u.section_path,
                "kind": u.kind,
                "role": u.role,
                "start": u.start,
                "end": u.end,
                "text": u.text,
                "tokens": " ".join(u.tokens),
            }
            for u in doc.units
        ]
    )


def clauses_frame(doc: Document) -> pd.DataFrame:
    """One row per clause (the units of units.csv and of alignment): provenance, what the
    clause does (`function`) and its text."""
    import pandas as pd

    return pd.DataFrame(
        [
            {
                "doc": c.doc_id,
                "unit": c.id,
                "sentence": c.unit_id,
                "index": c.index,
                "section": c.section_id,
                "path": c.section_path,
                "kind": c.kind,
                "role": c.role,
                "function": c.function,
                "start": c.start,
                "end": c.end,
                "text": c.text,
                "tokens": " ".join(c.tokens),
            }
            for c in doc.clauses
        ]
    )


def removed_frame(doc: Document) -> pd.DataFrame:
    """What cleaning removed (line, reason, text) and where it rejoined broken lines."""
    import pandas as pd

    rows = [{"doc": doc.id, "line": r.line_no, "action": "removed", "reason": r.reason,
             "text": r.text} for r in doc.clean.removed]
    rows += [{"doc": doc.id, "line": j.line_no, "action": "joined",
              "reason": f"line broken mid-sentence, continued on line {j.next_line_no}",
              "text": ""} for j in doc.clean.joins]
    columns = ["doc", "line", "action", "reason", "text"]
    frame = pd.DataFrame(rows, columns=columns)
    return frame.sort_values(["line", "action"], kind="stable", ignore_index=True)

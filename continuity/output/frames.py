"""Records and exports as pandas DataFrames, for notebooks (the only module that uses pandas).

`frames(analysis)` is the exports, one frame per CSV file with exactly its columns and
the types of its data package (`continuity.output.datapackage`); `read_frames(folder)` reads the
same frames back from the files. The frames of one document (`units_frame`, …) need no
alignment: they carry the columns of the exports that a document alone has, under the
same names, and a few more (tokens, roles, encodings). pandas and the data dictionary
(which names the alignment's relations) are imported inside each function, so that
`import continuity` and commands which never build a frame do not pay for them.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from ..corpus.structure.labels import written_label
from ..errors import ContinuityError
from ..records import Corpus, Document

if TYPE_CHECKING:
    import pandas as pd

    from ..analysis.run import Analysis
    from .datapackage import Table


def frames(analysis: Analysis) -> dict[str, pd.DataFrame]:
    """One DataFrame per export file, by its name without `.csv` (documents, sections,
    units, pairs, alignments, fates, threads, section_alignments, targets): the same rows
    and columns, in the same order, typed as datapackage.json says (string, Int64,
    Float64, boolean), an empty cell <NA>. Made from the text the CSV files hold, so a
    frame equals the one `read_frames` reads back from the files."""
    from .datapackage import TABLE_OF
    from .export import csv_text, iter_tables

    return {TABLE_OF[name].name: read_frame(io.StringIO(csv_text(TABLE_OF[name].columns, rows)),
                                            TABLE_OF[name])
            for name, rows in iter_tables(analysis)}


def read_frames(folder: Path | str) -> dict[str, pd.DataFrame]:
    """The frames of an export folder (OUT/data, as `continuity align` or `build` wrote it),
    as `frames` makes them."""
    from .datapackage import TABLES

    folder = Path(folder)
    missing = [t.file for t in TABLES if not (folder / t.file).is_file()]
    if missing:
        raise ContinuityError(f"{folder} lacks {', '.join(missing)}: an export folder is "
                              "the data/ that `continuity align --out OUT` writes")
    out = {}
    for t in TABLES:
        with (folder / t.file).open(encoding="utf-8", newline="") as handle:
            out[t.name] = read_frame(handle, t)
    return out


def read_frame(source: IO[str], table: Table) -> pd.DataFrame:
    """One export file's CSV text as a frame with its data package types (an empty cell
    is <NA>, and only an empty cell: a text "NA" stays a text)."""
    import pandas as pd

    return pd.read_csv(source, dtype=table.dtypes(), keep_default_na=False, na_values=[""])


def _typed(frame: pd.DataFrame, file: str) -> pd.DataFrame:
    """`frame` with the types the export `file` gives its columns (an empty text or None
    is <NA>, as in the exports), and its other texts as strings too."""
    import pandas as pd

    from .datapackage import TABLE_OF

    dtypes = TABLE_OF[file].dtypes()
    for column in frame.columns:
        dtype: Any = dtypes.get(column)
        if dtype is None and not pd.api.types.is_numeric_dtype(frame[column]):
            dtype = "string"
        if dtype is not None:
            values = frame[column]
            if dtype == "string":
                values = values.mask(values == "")
            frame[column] = values.astype(dtype)
    return frame


def corpus_frame(corpus: Corpus) -> pd.DataFrame:
    """One row per document: the columns of documents.csv, then its short title,
    encoding, and the lines cleaning removed and joined."""
    import pandas as pd

    return pd.DataFrame(
        [
            {
                "doc": d.id,
                "title": d.meta.title,
                "date": d.meta.date_text,
                "level": d.meta.level,
                "genre": d.meta.genre,
                "chars": len(d.clean.text) - d.clean.text.count("\n"),
                "sections": len(d.sections),
                "units": len(d.clauses),
                "short_title": d.meta.short_title,
                "encoding": d.encoding,
                "sentences": len(d.units),
                "removed_lines": len(d.clean.removed),
                "joins": len(d.clean.joins),
            }
            for d in corpus.documents
        ]
    ).pipe(_typed, "documents.csv")


def sections_frame(doc: Document) -> pd.DataFrame:
    """One row per section: the columns of sections.csv but its theme, then the heading's
    style, where the heading stops (`heading_end`) and the section's units (clauses, its
    subsections' apart)."""
    import pandas as pd

    counts: dict[str, int] = {}
    for clause in doc.clauses:
        counts[clause.section_id] = counts.get(clause.section_id, 0) + 1
    return pd.DataFrame(
        [
            {
                "doc": doc.id,
                "section": s.id,
                "section_path": s.path_text,
                "parent": s.parent,
                "depth": s.depth,
                "label": written_label(doc, s),
                "number": s.number,
                "title": s.title,
                "kind": s.kind,
                "start": s.start,
                "end": s.end,
                "style": s.style,
                "heading_end": s.heading_end,
                "units": counts.get(s.id, 0),
            }
            for s in doc.sections
        ]
    ).pipe(_typed, "sections.csv")


def units_frame(doc: Document) -> pd.DataFrame:
    """One row per unit (clause), the units of units.csv and of alignment: its columns but
    the theme, then the clause's sentence, its index in the document, its role and its
    words."""
    import pandas as pd

    return pd.DataFrame(
        [
            {
                "doc": c.doc_id,
                "unit": c.id,
                "section": c.section_id,
                "section_path": c.section_path,
                "kind": c.kind,
                "function": c.function,
                "start": c.start,
                "end": c.end,
                "text": c.text,
                "sentence": c.unit_id,
                "index": c.index,
                "role": c.role,
                "tokens": " ".join(c.tokens),
            }
            for c in doc.clauses
        ]
    ).pipe(_typed, "units.csv")


def sentences_frame(doc: Document) -> pd.DataFrame:
    """One row per sentence (what a unit is a clause of: units_frame's `sentence`), with
    its section, role, offsets, text and words."""
    import pandas as pd

    return pd.DataFrame(
        [
            {
                "doc": u.doc_id,
                "sentence": u.id,
                "index": u.index,
                "section": u.section_id,
                "section_path": u.section_path,
                "kind": u.kind,
                "role": u.role,
                "start": u.start,
                "end": u.end,
                "text": u.text,
                "tokens": " ".join(u.tokens),
            }
            for u in doc.units
        ]
    ).pipe(_typed, "units.csv")


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

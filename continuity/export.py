"""Write the analysis as UTF-8 CSV files: the contract other tools and our reports read.

Files (under OUT/data/): documents, sections, units, alignments, fates, threads,
section_alignments, targets, and datapackage.json, their Frictionless Data descriptor
(columns, types, descriptions and keys: `continuity.datapackage`, where each column is
described once). Rows are in a fixed order and every number is written the
same way, so the same input gives byte-identical files. The folder is checked before
the work (`exports_folder`: only continuity's own data/ is replaced, see
`continuity.output`), built beside its destination and swapped into place, so a
reader never sees half of it; OUT's manifest lists what it holds. The exports are exact: a
text is written as the document has it (the teaching tables, meant for spreadsheets,
neutralise cells that a spreadsheet would run as formulas; these do not).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path

from .align import AlignmentResult
from .analysis import Analysis
from .changes import Change, changes, codes, reverse
from .datapackage import COLUMNS as COLUMNS
from .datapackage import DESCRIPTOR, descriptor_json
from .labels import written_label
from .output import OutputFolder, output_folder
from .records import Clause, Document
from .targets import corpus_targets

DATA_DIR = "data"


def tables(analysis: Analysis) -> dict[str, list[tuple[object, ...]]]:
    """The rows of every export file, in their fixed order."""
    corpus = analysis.corpus
    themes = analysis.themes
    out: dict[str, list[tuple[object, ...]]] = {name: [] for name in COLUMNS}
    for doc in corpus.documents:
        out["documents.csv"].append(document_row(doc))
        for s in doc.sections:
            out["sections.csv"].append((
                doc.id, s.id, s.path_text, s.parent or "", s.depth, written_label(doc, s),
                "" if s.number is None else s.number, s.title, s.kind,
                themes.sections[s.id].theme, s.start, s.end))
        out["units.csv"] += [unit_row(c, themes.clauses[c.id].theme) for c in doc.clauses]
    out["alignments.csv"] = alignment_rows(analysis.result)
    for f in analysis.fates:
        out["fates.csv"].append((f.doc_id, f.clause, f.fate, f.first_doc, f.last_doc, f.thread))
    for thread in analysis.threads:
        out["threads.csv"] += [(thread.id, n, doc_id, unit) for n, (doc_id, unit)
                               in enumerate(zip(thread.docs, thread.clauses, strict=True), 1)]
    for m in analysis.sections:
        out["section_alignments.csv"].append((m.source_doc, m.source, m.target_doc, m.target,
                                              _num(m.score)))
    for t in corpus_targets(corpus):
        out["targets.csv"].append((t.doc_id, t.unit, t.indicator, t.value, t.measure,
                                   t.qualifier, t.year, t.text, t.kind, t.phrase))
    return out


def document_row(doc: Document) -> tuple[object, ...]:
    """A document's row of documents.csv."""
    return (doc.id, doc.meta.title, doc.meta.date_text, doc.meta.level, doc.meta.genre,
            len(doc.clean.text) - doc.clean.text.count("\n"), len(doc.sections),
            len(doc.clauses))


def unit_row(clause: Clause, theme: str) -> tuple[object, ...]:
    """A clause's row of units.csv."""
    return (clause.doc_id, clause.id, clause.section_id, clause.section_path, clause.kind,
            clause.function, theme, clause.start, clause.end, clause.text)


def alignment_rows_of(analysis: Analysis, clause_id: str) -> list[tuple[object, ...]]:
    """One clause's rows of alignments.csv (its counterparts in every other document, or
    an absent row), as `alignment_rows` writes them, without making the others."""
    result = analysis.result
    clause = analysis.clause(clause_id)
    own = result.levels[result.doc_index(clause.doc_id)]
    rows: list[tuple[object, ...]] = []
    for d, doc_id in enumerate(result.doc_ids):
        if doc_id == clause.doc_id:
            continue
        cross = int(result.levels[d] != own)
        found = result.alignment(clause_id, doc_id).counterparts
        if not found:
            rows.append((clause.doc_id, clause.id, doc_id, "", "", "", "absent", "", "",
                         cross, ""))
        for cp in found:
            kinds = "" if cp.relation == "same" else _pair_changes(result, clause.id, cp.clause)
            rows.append((clause.doc_id, clause.id, doc_id, cp.clause, cp.rank, _num(cp.score),
                         cp.relation, _num(cp.similarity), " ".join(cp.shared_terms), cross,
                         kinds))
    return rows


def _pair_changes(result: AlignmentResult, source: str, target: str) -> str:
    """How the wording changed from one clause to another, read as `alignment_rows` reads
    it: from the clause that comes first in the corpus, reversed for the other direction."""
    i, j = result.row(source), result.row(target)
    first, second = result.clauses[min(i, j)], result.clauses[max(i, j)]
    found = changes(first.tokens, second.tokens)
    return codes(found if i < j else reverse(found))


def alignment_rows(result: AlignmentResult) -> list[tuple[object, ...]]:
    """One row per counterpart, or one `absent` row, for every clause × other document.

    Walks the result's sorted counterpart arrays once instead of building a record per
    alignment, so large corpora export in one pass. A reworded counterpart's `changes`
    (`continuity.changes`, codes joined with `;`) are read once per pair of clauses, from
    the one that comes first in the corpus; the other direction is the same changes
    reversed (5.5% → 5% lowered, 5% → 5.5% raised).
    """
    rows: list[tuple[object, ...]] = []
    doc_ids, levels = result.doc_ids, result.levels
    n_docs = len(doc_ids)
    keys = (result.cp_source.astype("int64") * n_docs + result.cp_doc).tolist()
    targets = result.cp_target.tolist()
    scores, sims, same = (result.cp_score.tolist(), result.cp_similarity.tolist(),
                          result.cp_same.tolist())
    read: dict[tuple[int, int], tuple[Change, ...]] = {}

    def changed(i: int, j: int) -> str:
        first, second = min(i, j), max(i, j)
        found = read.get((first, second))
        if found is None:
            found = read[(first, second)] = changes(result.clauses[first].tokens,
                                                    result.clauses[second].tokens)
        return codes(found if i < j else reverse(found))

    k = 0
    for i, clause in enumerate(result.clauses):
        d_own = result.doc_index(clause.doc_id)
        for d, doc_id in enumerate(doc_ids):
            if d == d_own:
                continue
            cross = int(levels[d_own] != levels[d])
            key = i * n_docs + d
            while k < len(keys) and keys[k] < key:
                k += 1
            if k >= len(keys) or keys[k] != key:
                rows.append((clause.doc_id, clause.id, doc_id, "", "", "", "absent", "", "",
                             cross, ""))
                continue
            rank = 0
            while k < len(keys) and keys[k] == key:
                rank += 1
                target = result.clauses[targets[k]]
                shared = result.shared_terms(i, targets[k])
                rows.append((clause.doc_id, clause.id, doc_id, target.id, rank, _num(scores[k]),
                             "same" if same[k] else "reworded", _num(sims[k]),
                             " ".join(shared), cross, "" if same[k] else changed(i, targets[k])))
                k += 1
    return rows


def csv_text(columns: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows(rows)
    return buffer.getvalue()


def export_files(analysis: Analysis) -> dict[str, str]:
    """Every export file's name and text: the CSV files and their descriptor."""
    files = {name: csv_text(COLUMNS[name], rows) for name, rows in tables(analysis).items()}
    files[DESCRIPTOR] = descriptor_json()
    return files


@contextmanager
def exports_folder(out: Path | str, force: bool = False,
                   keep: Sequence[Path] = ()) -> Iterator[OutputFolder]:
    """OUT/data, checked before the work (see `continuity.output.output_folder`), for
    `commit(export_files(analysis))`; OUT's manifest lists its files."""
    with output_folder(Path(out) / DATA_DIR, force=force, keep=keep, listing=out) as folder:
        yield folder


def write_exports(analysis: Analysis, out: Path | str, force: bool = False) -> Path:
    """Write OUT/data/*.csv and datapackage.json atomically; returns the data folder."""
    with exports_folder(out, force, keep=(analysis.corpus.root,)) as folder:
        return folder.commit(export_files(analysis))


def write_folder(target: Path | str, files: Mapping[str, str | bytes],
                 force: bool = False) -> Path:
    """Replace the folder `target` whole with `files` (relative path → content), if it is
    continuity's own (see `continuity.output`)."""
    with output_folder(target, force=force) as folder:
        return folder.commit(files)


def _num(value: float) -> str:
    return f"{value:.4f}"

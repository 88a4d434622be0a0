"""Write the analysis as UTF-8 CSV files: the contract other tools and our reports read.

Files (under OUT/data/): documents, sections, units, pairs, alignments, fates, threads,
section_alignments, targets, and datapackage.json, their Frictionless Data descriptor
(columns, types, descriptions and keys: `continuity.output.datapackage`, where each column is
described once). alignments.csv holds counterparts only: a unit with no row for a
document of pairs.csv has no counterpart there, so the file grows with what was found,
not with units × documents. Rows are in a fixed order and every number is written the
same way, so the same input gives byte-identical files. `iter_tables` makes the rows as
they are read and `stream_exports` writes them as they come, so no file is held whole.
The folder is checked before the work (`exports_folder`: only continuity's own data/ is
replaced, see `continuity.output`), built beside its destination and swapped into
place, so a reader never sees half of it; OUT's manifest lists what it holds. The
exports are exact: a text is written as the document has it (the teaching tables, meant
for spreadsheets, neutralise cells that a spreadsheet would run as formulas; these do
not).
"""

from __future__ import annotations

import csv
import io
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from ..analysis.changes import changes, codes, reverse
from ..analysis.run import Analysis
from ..analysis.targets import corpus_targets
from ..corpus.structure.labels import written_label
from ..records import Clause, Document
from . import OutputFolder, output_folder
from .datapackage import COLUMNS as COLUMNS
from .datapackage import DESCRIPTOR, descriptor_json

if TYPE_CHECKING:  # numpy and alignment for writing every row, not for one clause's (--json)
    import numpy as np

    from ..analysis.align import AlignmentResult
    from ..engine import Engine

DATA_DIR = "data"


def iter_tables(analysis: Analysis, details: deque[Details] | None = None
                ) -> Iterator[tuple[str, Iterable[tuple[object, ...]]]]:
    """Every export file's name with its rows, in the files' order and the rows' fixed
    order; the rows are made as they are read (alignments one source document at a
    time), so a big corpus's exports are never held whole. The CSV files and the store
    are written from exactly these rows. `details`: the counterparts' words, read
    beforehand by an engine (`alignment_details`; see `alignment_rows`)."""
    corpus, themes = analysis.corpus, analysis.themes
    for name in COLUMNS:
        if name == "documents.csv":
            yield name, (document_row(doc) for doc in corpus.documents)
        elif name == "sections.csv":
            yield name, ((doc.id, s.id, s.path_text, s.parent or "", s.depth,
                          written_label(doc, s), "" if s.number is None else s.number,
                          s.title, s.kind, themes.sections[s.id].theme, s.start, s.end)
                         for doc in corpus.documents for s in doc.sections)
        elif name == "units.csv":
            yield name, (unit_row(c, themes.clauses[c.id].theme)
                         for doc in corpus.documents for c in doc.clauses)
        elif name == "pairs.csv":
            yield name, pair_rows(analysis.result)
        elif name == "alignments.csv":
            yield name, alignment_rows(analysis.result, details)
        elif name == "fates.csv":
            yield name, ((f.doc_id, f.clause, f.fate, f.first_doc, f.last_doc, f.thread)
                         for f in analysis.fates)
        elif name == "threads.csv":
            yield name, ((thread.id, n, doc_id, unit) for thread in analysis.threads
                         for n, (doc_id, unit) in enumerate(
                             zip(thread.docs, thread.clauses, strict=True), 1))
        elif name == "section_alignments.csv":
            yield name, ((m.source_doc, m.source, m.target_doc, m.target, _num(m.score))
                         for m in analysis.sections)
        elif name == "targets.csv":
            yield name, ((t.doc_id, t.unit, t.indicator, t.value, t.measure, t.qualifier,
                          t.year, t.text, t.kind, t.phrase) for t in corpus_targets(corpus))
        else:  # a file described in datapackage.py but made nowhere
            raise AssertionError(f"no rows for {name}")


def document_row(doc: Document) -> tuple[object, ...]:
    """A document's row of documents.csv."""
    return (doc.id, doc.meta.title, doc.meta.date_text, doc.meta.level, doc.meta.genre,
            len(doc.clean.text) - doc.clean.text.count("\n"), len(doc.sections),
            len(doc.clauses))


def unit_row(clause: Clause, theme: str) -> tuple[object, ...]:
    """A clause's row of units.csv."""
    return (clause.doc_id, clause.id, clause.section_id, clause.section_path, clause.kind,
            clause.function, theme, clause.start, clause.end, clause.text)


def pair_rows(result: AlignmentResult) -> Iterator[tuple[object, ...]]:
    """Every ordered pair of documents compared (the comparison plan: every pair in a small
    corpus), in timeline order of the source, then of the target: a unit of `source_doc`
    with no row of alignments.csv for `target_doc` has no counterpart there (it is absent);
    of a pair not listed nothing is known."""
    for a, source in enumerate(result.doc_ids):
        for b, target in enumerate(result.doc_ids):
            if result.compared[a, b]:
                yield source, target, int(result.levels[a] != result.levels[b])


def alignment_rows_of(analysis: Analysis, clause_id: str) -> list[tuple[object, ...]]:
    """One clause's rows of alignments.csv (its counterparts in every other document,
    best first), as `alignment_rows` writes them, without making the others."""
    result = analysis.result
    clause = analysis.clause(clause_id)
    own = result.levels[result.doc_index(clause.doc_id)]
    rows: list[tuple[object, ...]] = []
    for d, doc_id in enumerate(result.doc_ids):
        if doc_id == clause.doc_id:
            continue
        cross = int(result.levels[d] != own)
        for cp in result.alignment(clause_id, doc_id).counterparts:
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


def alignment_rows(result: AlignmentResult, details: deque[Details] | None = None
                   ) -> Iterator[tuple[object, ...]]:
    """One row per counterpart of every clause in every other document, made one source
    document at a time: only that document's rows are held. `details`: each document's
    `Details` in corpus order, made beforehand (`alignment_details`, on an engine's
    workers), each taken out of the deque as its rows are made (not held after); by
    default each is made here as its rows are."""
    index = Counterparts(result)
    merged = _Merged(index)
    for k in range(len(index.ranges)):
        yield from merged.document(k, details.popleft() if details is not None
                                   else index.details(k))


@dataclass(frozen=True, slots=True)
class Details:
    """What one source document's rows of alignments.csv read in the clauses' words, the
    slow part of the rows (`Counterparts.details`): for each of its counterparts, in row
    order, the shared terms (joined with spaces) and the changes codes (joined with `;`),
    None for both where they are read from the other direction, in an earlier document's
    `ahead`; `ahead` holds, for each counterpart i → j whose other direction j → i is a
    counterpart of a later document, that row's (terms, codes), the codes None when i → j
    is worded the same."""

    shared: list[str | None]
    kinds: list[str | None]
    ahead: dict[tuple[int, int], tuple[str, str | None]]


class Counterparts:
    """The result's sorted counterpart arrays, indexed for reading them a document's
    clauses at a time (`details`); never changed once made, so the jobs of every
    document share one.

    A counterpart's shared terms and a reworded one's `changes` (`continuity.analysis.changes`)
    are read once per pair of clauses, by the document that comes first in the corpus;
    the other direction has the same terms and the changes reversed (5.5% → 5% lowered,
    5% → 5.5% raised)."""

    def __init__(self, result: AlignmentResult) -> None:
        import numpy as np

        self.result = result
        self.n_docs = len(result.doc_ids)
        self.ranges = list(_document_rows(result))
        self.keys = result.cp_source * self.n_docs + result.cp_doc
        self.doc_of = np.empty(len(result.clauses), dtype=np.int64)
        for lo, hi in self.ranges:
            self.doc_of[lo:hi] = result.doc_index(result.clauses[lo].doc_id)

    def span(self, k: int) -> tuple[int, int]:
        """Where the counterparts of document k (in `ranges`) are in the result's arrays."""
        import numpy as np

        lo, hi = self.ranges[k]
        first, last = (int(x) for x in np.searchsorted(self.result.cp_source, [lo, hi]))
        return first, last

    def details(self, k: int) -> Details:
        """The shared terms and changes of the counterparts of document k (in `ranges`)."""
        result, clauses = self.result, self.result.clauses
        first, last = self.span(k)
        sources, targets = result.cp_source[first:last], result.cp_target[first:last]
        shared: list[str | None] = []
        kinds: list[str | None] = []
        ahead: dict[tuple[int, int], tuple[str, str | None]] = {}
        for i, j, same, back in zip(sources.tolist(), targets.tolist(),
                                    result.cp_same[first:last].tolist(),
                                    self._both_ways(sources, targets).tolist(), strict=True):
            if back and j < i:  # read by j's document, earlier in the corpus
                shared.append(None)
                kinds.append(None)
                continue
            terms = " ".join(result.shared_terms(i, j))
            change = None if same else changes(clauses[min(i, j)].tokens,
                                               clauses[max(i, j)].tokens)
            shared.append(terms)
            kinds.append("" if change is None else codes(change if i < j else reverse(change)))
            if back:
                ahead[(i, j)] = (terms, None if change is None else codes(reverse(change)))
        return Details(shared, kinds, ahead)

    def _both_ways(self, sources: np.ndarray, targets: np.ndarray) -> np.ndarray:
        """For each counterpart i → j, whether j → i is a counterpart too."""
        import numpy as np

        keys = self.keys
        wanted = targets * self.n_docs + self.doc_of[sources]
        lo = np.searchsorted(keys, wanted, "left")
        hi = np.searchsorted(keys, wanted, "right")
        found = np.zeros(len(sources), dtype=bool)
        for r in range(int((hi - lo).max()) if len(lo) else 0):
            at = lo + r
            found |= (at < hi) & (self.result.cp_target[np.minimum(at, len(keys) - 1)]
                                  == sources)
        return found


class _Merged:
    """The rows of alignments.csv, a document at a time, from each document's `Details`:
    what a document read ahead for a later one is kept until that one's rows are made,
    and dropped once read, so what is kept stays small."""

    def __init__(self, index: Counterparts) -> None:
        result = index.result
        self.index = index
        self.doc_list = index.doc_of.tolist()
        self.cross = [[int(a != b) for b in result.levels] for a in result.levels]
        self.kept: dict[tuple[int, int], tuple[str, str | None]] = {}

    def document(self, k: int, details: Details) -> list[tuple[object, ...]]:
        """The rows of document k (in `index.ranges`)."""
        index = self.index
        result, n_docs = index.result, index.n_docs
        first, last = index.span(k)
        doc_ids, clauses, doc_of, cross = result.doc_ids, result.clauses, self.doc_list, self.cross
        rows: list[tuple[object, ...]] = []
        rank, previous = 0, -1
        for i, d, j, score, sim, same, shared, kinds in zip(
                result.cp_source[first:last].tolist(), result.cp_doc[first:last].tolist(),
                result.cp_target[first:last].tolist(), result.cp_score[first:last].tolist(),
                result.cp_similarity[first:last].tolist(), result.cp_same[first:last].tolist(),
                details.shared, details.kinds, strict=True):
            key = i * n_docs + d
            rank = rank + 1 if key == previous else 1
            previous = key
            if shared is None or kinds is None:  # read by j's document, ahead
                shared, kinds = self.kept.pop((j, i))
                if kinds is None:
                    kinds = "" if same else codes(reverse(changes(clauses[j].tokens,
                                                                  clauses[i].tokens)))
            clause = clauses[i]
            rows.append((clause.doc_id, clause.id, doc_ids[d], clauses[j].id, rank,
                         _num(score), "same" if same else "reworded", _num(sim), shared,
                         cross[doc_of[i]][d], kinds))
        self.kept.update(details.ahead)
        return rows


def alignment_details(result: AlignmentResult, engine: Engine) -> deque[Details]:
    """Every document's `Details` (in corpus order), a job per document for `engine`,
    the documents with the most counterparts first; for `alignment_rows(result, details)`,
    which drops each as it is read."""
    from ..engine import Job

    index = Counterparts(result)
    spans = [index.span(k) for k in range(len(index.ranges))]
    order = sorted(range(len(spans)), key=lambda k: (spans[k][0] - spans[k][1], k))
    made = engine.run([Job(f"the counterparts' words in {result.doc_ids[index.doc_of[lo]]}",
                           partial(index.details, k))
                       for k in order for lo in [index.ranges[k][0]]])
    by_document: list[Details | None] = [None] * len(order)
    for k, found in zip(order, made, strict=True):
        by_document[k] = found
    return deque(d for d in by_document if d is not None)


def _document_rows(result: AlignmentResult) -> Iterator[tuple[int, int]]:
    """The row range (lo, hi) of each document's clauses, in corpus order."""
    lo = 0
    for i in range(1, len(result.clauses) + 1):
        if i == len(result.clauses) or result.clauses[i].doc_id != result.clauses[lo].doc_id:
            yield lo, i
            lo = i


def csv_text(columns: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """A CSV file's whole text (for small tables; exports are streamed by `csv_chunks`)."""
    return "".join(csv_chunks(columns, rows))


#: About how many characters `csv_chunks` gathers before handing them on.
CHUNK = 1 << 16


def csv_chunks(columns: Sequence[str], rows: Iterable[Sequence[object]]) -> Iterator[str]:
    """A CSV file's text (header row, then `rows`; `\\n` line ends) in pieces of about
    CHUNK characters, made as `rows` are read: for writing a big file as it is made."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow(row)
        if buffer.tell() >= CHUNK:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


#: How many rows `stream_exports` hands to `also` at a time.
BATCH = 1000

#: What receives the rows of an export file as they are written: (file name, rows).
RowSink = Callable[[str, Sequence[tuple[object, ...]]], None]


def stream_exports(folder: OutputFolder, analysis: Analysis, under: str = "",
                   also: RowSink | None = None, details: deque[Details] | None = None
                   ) -> list[str]:
    """Write every export file into `folder`'s work folder as its rows are made (under
    the path prefix `under`, such as "data/"), for the folder's `commit` to swap into
    place; returns their names. `also(file, rows)` receives the same rows, BATCH at a
    time in file order, as they are written (the store's tables): the rows are made
    once for both. `details`: the counterparts' words, read beforehand by an engine
    (`alignment_details`), taken out as they are written."""
    names = []
    for name, rows in iter_tables(analysis, details):
        if also is not None:
            rows = _teed(name, rows, also)
        folder.stream(under + name, csv_chunks(COLUMNS[name], rows))
        names.append(under + name)
    folder.stream(under + DESCRIPTOR, [descriptor_json()])
    return [*names, under + DESCRIPTOR]


def _teed(name: str, rows: Iterable[tuple[object, ...]],
          also: RowSink) -> Iterator[tuple[object, ...]]:
    """`rows`, each batch of them handed to `also` first."""
    batch: list[tuple[object, ...]] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= BATCH:
            also(name, batch)
            yield from batch
            batch = []
    if batch:
        also(name, batch)
        yield from batch


def export_files(analysis: Analysis) -> dict[str, str]:
    """Every export file's name and text, in memory: the CSV files and their descriptor
    (a notebook's or a test's; the commands stream them, `stream_exports`)."""
    files = {name: csv_text(COLUMNS[name], rows) for name, rows in iter_tables(analysis)}
    files[DESCRIPTOR] = descriptor_json()
    return files


@contextmanager
def exports_folder(out: Path | str, force: bool = False,
                   keep: Sequence[Path] = ()) -> Iterator[OutputFolder]:
    """OUT/data, checked before the work (see `continuity.output.output_folder`), for
    `stream_exports(folder, analysis)` and `commit({})`; OUT's manifest lists its files."""
    with output_folder(Path(out) / DATA_DIR, force=force, keep=keep, listing=out) as folder:
        yield folder


def write_exports(analysis: Analysis, out: Path | str, force: bool = False) -> Path:
    """Write OUT/data/*.csv and datapackage.json atomically; returns the data folder."""
    with exports_folder(out, force, keep=(analysis.corpus.root,)) as folder:
        stream_exports(folder, analysis)
        return folder.commit({})


def write_folder(target: Path | str, files: Mapping[str, str | bytes],
                 force: bool = False) -> Path:
    """Replace the folder `target` whole with `files` (relative path → content), if it is
    continuity's own (see `continuity.output`)."""
    with output_folder(target, force=force) as folder:
        return folder.commit(files)


def _num(value: float) -> str:
    return f"{value:.4f}"

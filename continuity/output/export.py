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
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from ..analysis.changes import Redline, Redlines, changes, codes, redline, reverse
from ..analysis.evidence import Lexicon, shared_terms
from ..analysis.run import Analysis
from ..analysis.targets import corpus_targets
from ..corpus.structure.labels import written_label
from ..engine.jobs import Job, Part
from ..records import confidence
from . import OutputFolder, output_folder
from .datapackage import COLUMNS as COLUMNS
from .datapackage import DESCRIPTOR, descriptor_json
from .rows import document_row, unit_row

if TYPE_CHECKING:  # numpy and alignment for writing every row, not for one clause's (--json)
    import numpy as np

    from ..analysis.align import AlignmentResult
    from ..engine import Engine

DATA_DIR = "data"


def iter_tables(analysis: Analysis, words: Wordings | None = None
                ) -> Iterator[tuple[str, Iterable[tuple[object, ...]]]]:
    """Every export file's name with its rows, in the files' order and the rows' fixed
    order; the rows are made as they are read (alignments one source document at a
    time), so a big corpus's exports are never held whole. The CSV files and the store
    are written from exactly these rows. `words`: the counterparts' words, read
    beforehand on an engine (`counterpart_words`)."""
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
            yield name, alignment_rows(analysis.result, words)
        elif name == "fates.csv":
            yield name, ((f.doc_id, f.clause, f.fate, f.first_doc, f.last_doc, f.thread,
                          f.confidence)
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
        elif name == "aliases.csv":
            yield name, ((alias.name, form, alias.source)
                         for alias in analysis.result.aliases.aliases for form in alias.forms)
        else:  # a file described in datapackage.py but made nowhere
            raise AssertionError(f"no rows for {name}")


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
                         kinds, cp.confidence))
    return rows


def _pair_changes(result: AlignmentResult, source: str, target: str) -> str:
    """How the wording changed from one clause to another, read as `alignment_rows` reads
    it: from the clause that comes first in the corpus, reversed for the other direction."""
    i, j = result.row(source), result.row(target)
    first, second = result.clauses[min(i, j)], result.clauses[max(i, j)]
    found = changes(first.tokens, second.tokens)
    return codes(found if i < j else reverse(found))


def alignment_rows(result: AlignmentResult, words: Wordings | None = None
                   ) -> Iterator[tuple[object, ...]]:
    """One row per counterpart of every clause in every other document, made one source
    document at a time: only that document's rows are held. `words`: the counterparts'
    shared terms and changes (`counterpart_words`), read beforehand on an engine's
    workers; by default read here first."""
    import numpy as np

    words = words if words is not None else counterpart_words(result)
    n_docs, doc_ids, clauses = len(result.doc_ids), result.doc_ids, result.clauses
    doc_of = np.empty(len(clauses), dtype=np.int64)
    spans = list(_document_rows(result))
    for lo, hi in spans:
        doc_of[lo:hi] = result.doc_index(clauses[lo].doc_id)
    cross = [[int(a != b) for b in result.levels] for a in result.levels]
    shared, forward, backward = words.shared, words.forward, words.backward
    firm = result.settings.firm_margin
    for lo, hi in spans:
        first, last = (int(x) for x in np.searchsorted(result.cp_source, [lo, hi]))
        own = cross[int(doc_of[lo])]
        rows: list[tuple[object, ...]] = []
        rank, previous = 0, -1
        for i, d, j, score, sim, same, k, margin in zip(
                result.cp_source[first:last].tolist(), result.cp_doc[first:last].tolist(),
                result.cp_target[first:last].tolist(), result.cp_score[first:last].tolist(),
                result.cp_similarity[first:last].tolist(), result.cp_same[first:last].tolist(),
                words.key_of[first:last].tolist(), result.cp_margin[first:last].tolist(),
                strict=True):
            key = i * n_docs + d
            rank = rank + 1 if key == previous else 1
            previous = key
            rows.append((clauses[i].doc_id, clauses[i].id, doc_ids[d], clauses[j].id, rank,
                         _num(score), "same" if same else "reworded", _num(sim), shared[k],
                         own[d], "" if same else forward[k] if i < j else backward[k],
                         confidence(margin, firm)))
        yield from rows


@dataclass(frozen=True, slots=True)
class Wordings:
    """The words of every counterpart in alignments.csv, read once per distinct pair of
    wordings (`counterpart_words`): for counterpart row r of the result's arrays,
    `shared[key_of[r]]` is the distinctive terms both clauses share (joined with spaces),
    and `forward[key_of[r]]`, `backward[key_of[r]]` the changes codes (joined with `;`)
    from the clause that comes first in the corpus to the other, and back (5.5% → 5%
    lowered, 5% → 5.5% raised); "" for a pair worded the same. `redlines`: the redlines
    the pages show (`_shown`), by the words of both sides, for `Analysis.redlines`."""

    key_of: np.ndarray
    shared: list[str]
    forward: list[str]
    backward: list[str]
    redlines: dict[tuple[tuple[str, ...], tuple[str, ...]], Redline]


def counterpart_words(result: AlignmentResult, engine: Engine | None = None,
                      pages: bool = True, meanwhile: Callable[[], object] | None = None
                      ) -> Wordings:
    """The counterparts' shared terms and changes (`Wordings`): what alignments.csv reads
    in the clauses' words, the slow part of its rows. Both depend on the two wordings
    alone (a pair's terms on their words, its changes on the order of the two), and
    documents of a series repeat much of each other's wording, so each distinct ordered
    pair of wordings is read once (at 100 synthetic documents, 60,000 of 225,000
    reworded pairs of clauses): in jobs of about PAIRS_PER_JOB pairs for `engine`
    (default: read here, in order). The changes come with the redline they are read
    from, which the pages show for some pairs (`_shown`): those are kept, so no page
    makes them again (`pages`: with no pages to make, none is kept). `meanwhile`: this
    process's own work while the engine's workers have started (`Engine.run`'s `first`;
    the jobs are then cut smaller, two a worker, so that the workers share what is left
    when it joins in)."""
    import numpy as np

    first = np.minimum(result.cp_source, result.cp_target)
    second = np.maximum(result.cp_source, result.cp_target)
    wording: dict[tuple[str, tuple[str, ...]], int] = {}
    text = np.array([wording.setdefault((c.norm, c.tokens), len(wording))
                     for c in result.clauses], dtype=np.int64)
    keys, where, key_of = np.unique(text[first] * max(1, len(wording)) + text[second],
                                    return_index=True, return_inverse=True)
    key_of = key_of.reshape(-1)
    reworded = np.zeros(len(keys), dtype=bool)
    reworded[key_of[~result.cp_same]] = True
    kept = np.zeros(len(keys), dtype=bool)
    if pages:
        kept[key_of[_shown(result)]] = True
    pairs = (first[where], second[where], reworded, kept)
    parts = _even_parts(len(keys), getattr(engine, "workers", None), 2 if meanwhile else 1)
    jobs = [Job(f"the counterparts' words, part {n} of {len(parts)}",
                Part(_read_words, result.lexicon,
                     partial(_words_part, result, *(a[lo:hi] for a in pairs))))
            for n, (lo, hi) in enumerate(parts, 1)]
    if engine is not None and jobs:
        made = engine.run(jobs, first=meanwhile)
    else:
        if meanwhile is not None:
            meanwhile()
        made = [job.make() for job in jobs]
    shared: list[str] = []
    forward: list[str] = []
    backward: list[str] = []
    lines: list[Redline] = []
    for terms, ahead, back, kept_lines in made:
        shared += terms
        forward += ahead
        backward += back
        lines += kept_lines.lines
    clauses = result.clauses
    rows = zip(pairs[0][kept].tolist(), pairs[1][kept].tolist(), strict=True)
    redlines = {(clauses[i].tokens, clauses[j].tokens): line
                for (i, j), line in zip(rows, lines, strict=True)}
    return Wordings(key_of, shared, forward, backward, redlines)


#: At most about how many distinct pairs of wordings a job of `counterpart_words` reads...
PAIRS_PER_JOB = 4000
#: ...and at least, unless there are fewer pairs than that.
MIN_PAIRS_PER_JOB = 500


def _even_parts(n: int, workers: int | None = None, each: int = 1) -> list[tuple[int, int]]:
    """(lo, hi) of `n` pairs cut into jobs of equal size (to one pair), `each` for every
    worker (`workers`, default one per core) and of PAIRS_PER_JOB at most: jobs of 4,000
    and 873 pairs kept one core busy with the first while the other had finished."""
    from ..engine.local import available_workers

    if not n:
        return []
    count = max(-(-n // PAIRS_PER_JOB),
                min(each * (workers or available_workers()), n // MIN_PAIRS_PER_JOB), 1)
    return [(n * k // count, n * (k + 1) // count) for k in range(count)]


def shown_pairs(result: AlignmentResult) -> Iterator[tuple[int, int]]:
    """The (earlier, later) clause rows of the counterparts the pages show a redline for
    (`_shown`), in the result's order: each once."""
    shown = _shown(result)
    return zip(result.cp_source[shown].tolist(), result.cp_target[shown].tolist(), strict=True)


def _shown(result: AlignmentResult) -> np.ndarray:
    """Which counterpart rows of the result's arrays the pages show a redline for: a
    clause's best counterpart in a later document (a pair page's row, a history's step),
    from the earlier clause to the later one. A page may show others (a pair asked the
    other way round): those it makes itself."""
    import numpy as np

    source, doc = result.cp_source, result.cp_doc
    best = np.ones(len(source), dtype=bool)  # the first row of a clause in a document
    best[1:] = (source[1:] != source[:-1]) | (doc[1:] != doc[:-1])
    return best & (source < result.cp_target)


@dataclass(frozen=True, slots=True)
class _WordsPart:
    """What reading some counterparts' words reads: for each pair of clauses (the earlier
    first), the evidence words and tokens of both, whether they are worded differently
    and whether their redline is kept."""

    words: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]
    tokens: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]
    reworded: tuple[bool, ...]
    kept: tuple[bool, ...]


def _words_part(result: AlignmentResult, first: np.ndarray, second: np.ndarray,
                reworded: np.ndarray, kept: np.ndarray) -> _WordsPart:
    """The pairs of clauses (by row) as `_read_words` reads them."""
    clauses, words = result.clauses, result.words
    pairs = list(zip(first.tolist(), second.tolist(), strict=True))
    return _WordsPart(tuple((words[i], words[j]) for i, j in pairs),
                      tuple((clauses[i].tokens, clauses[j].tokens) for i, j in pairs),
                      tuple(reworded.tolist()), tuple(kept.tolist()))


def _read_words(lexicon: Lexicon, part: _WordsPart
                ) -> tuple[list[str], list[str], list[str], Redlines]:
    """For each pair of clauses: their shared terms, and for a pair worded differently the
    changes from first to second and back; the redlines of the pairs `kept` (their
    changes are read from it; the others' spans are not made)."""
    shared, forward, backward, redlines = [], [], [], []
    for (words_a, words_b), (a, b), differ, keep in zip(part.words, part.tokens, part.reworded,
                                                        part.kept, strict=True):
        shared.append(" ".join(shared_terms(frozenset(words_a), frozenset(words_b), lexicon)))
        if keep:
            redlines.append(redline(a, b))
        found = (redlines[-1].changes if keep else changes(a, b)) if differ else ()
        forward.append(codes(found))
        backward.append(codes(reverse(found)) if found else "")
    return shared, forward, backward, Redlines(tuple(redlines))


def _document_rows(result: AlignmentResult) -> Iterator[tuple[int, int]]:
    """The row range (lo, hi) of each document's clauses, in corpus order."""
    for doc_id in result.doc_ids:
        rows = result.doc_rows(doc_id)
        if rows:
            yield rows.start, rows.stop


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
                   also: RowSink | None = None, words: Wordings | None = None
                   ) -> list[str]:
    """Write every export file into `folder`'s work folder as its rows are made (under
    the path prefix `under`, such as "data/"), for the folder's `commit` to swap into
    place; returns their names. `also(file, rows)` receives the same rows, BATCH at a
    time in file order, as they are written (the store's tables): the rows are made
    once for both. `words`: the counterparts' words, read beforehand on an engine
    (`counterpart_words`)."""
    names = []
    for name, rows in iter_tables(analysis, words):
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

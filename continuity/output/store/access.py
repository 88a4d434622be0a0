"""Answer from the store, or build it first: what the commands call.

`documents(...)` gives the corpus's records and `analysis(...)` the analysis, read from
`OUT/continuity.db` when its fingerprint matches the corpus, settings and data files now; a
missing or stale store is rebuilt first (as `continuity align --out OUT` does, saying
so in one line), and the analysis just made answers. `store_output(out)` is the store's
file, checked before the work and replaced at once (`continuity.output`).
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from ...records import Corpus
from ...settings import AlignSettings
from . import ALL_PARTS, CORPUS_PARTS, STORE, fingerprint, is_store, staleness
from .read import connect, read_corpus

if TYPE_CHECKING:
    from ...analysis.run import Analysis
    from .. import OutputFile, OutputFolder
    from ..export import Wordings
    from .stored import StoredAnalysis

Say = Callable[[str], None]


def documents(root: Path, out: Path, say: Say, only: Sequence[str] = (),
              words: bool = False, clauses: bool = True) -> Corpus:
    """The corpus's records (`only` these documents; `words`: with their words; `clauses`:
    with their clauses, see `read.read_corpus`) from the
    store in `out`, which is rebuilt first unless it was made from this corpus and data files
    (settings do not change a document's records). When the analysis cannot be made (a
    corpus without a theme taxonomy), the records loaded for it answer all the same."""
    path = out / STORE
    stamp = fingerprint(root)
    why = staleness(path, stamp, CORPUS_PARTS)
    if why is None:
        with connect(path) as db:
            return read_corpus(db, root, only, words, clauses)
    from ...errors import ContinuityError
    from ...pipeline import load_corpus  # jieba: only when the store cannot answer

    corpus = load_corpus(root)
    try:
        return rebuild(root, out, AlignSettings(), stamp, why, say, corpus).corpus
    except ContinuityError as exc:
        say(f"cannot store the analysis: {exc}")
        return corpus


@contextmanager
def analysis(root: Path, out: Path, settings: AlignSettings, say: Say,
             only: Sequence[str] = (), sentences: bool = True
             ) -> Iterator[Analysis | StoredAnalysis]:
    """The analysis of the corpus with these settings, from the store in `out` (`only`:
    with just these documents' records; `sentences`: with their sentences read at once,
    else when asked, `StoredAnalysis.sentences`) or, when it is missing or stale, made
    now and stored first."""
    path = out / STORE
    stamp = fingerprint(root, settings)
    why = staleness(path, stamp, ALL_PARTS)
    if why is not None:
        yield rebuild(root, out, settings, stamp, why, say)
        return
    from .stored import StoredAnalysis

    with connect(path) as db:
        yield StoredAnalysis(db, read_corpus(db, root, only, words=True,
                                             sentences=sentences))


def rebuild(root: Path, out: Path, settings: AlignSettings, stamp: dict[str, str], why: str,
            say: Say, corpus: Corpus | None = None) -> Analysis:
    """Analyse the corpus (`corpus`, or the folder's, loaded now) and write OUT/data and
    OUT/continuity.db with the fingerprint `stamp` (taken before the corpus was read),
    saying so first; when OUT may not be written, say why and return the analysis all
    the same."""
    from ...analysis.run import analyse
    from ...pipeline import load_corpus
    from .. import OutputError

    say(f"{out / STORE}: {why}; building it first (as `continuity align --out {out}` does)")
    made = None
    try:
        with analysis_output(out, root) as (folder, file):
            made = analyse(corpus or load_corpus(root), settings)
            write_analysis(folder, file, made, stamp)
    except OutputError as exc:
        say(f"cannot store the analysis: {exc}")
    return made if made is not None else analyse(corpus or load_corpus(root), settings)


@contextmanager
def analysis_output(out: Path, root: Path, force: bool = False
                    ) -> Iterator[tuple[OutputFolder, OutputFile]]:
    """OUT/data (the exports) and OUT/continuity.db, both checked before the work."""
    from ..export import exports_folder

    with exports_folder(out, force, keep=(root,)) as folder, \
            store_output(out, force, keep=(root,)) as file:
        yield folder, file


def write_analysis(folder: OutputFolder, file: OutputFile, analysis: Analysis,
                   stamp: dict[str, str], words: Wordings | None = None) -> Path:
    """Write the exports into `folder` and the store into `file` from one pass of the rows
    (`export.stream_exports(also=...)`), each swapped into place; returns the data
    folder. `words`: the counterparts' words, read beforehand on an engine
    (`export.counterpart_words`)."""
    from ..export import stream_exports
    from .write import StoreWriter

    with tempfile.TemporaryDirectory() as work:
        path = Path(work) / STORE
        with StoreWriter(path) as store:
            stream_exports(folder, analysis, also=store.add, words=words)
            store.finish(analysis, stamp)
        data = folder.commit({})
        place_store(file, path.read_bytes())
    return data


@contextmanager
def store_output(out: Path, force: bool = False, keep: Sequence[Path] = ()
                 ) -> Iterator[OutputFile]:
    """OUT/continuity.db, checked before the work: replaced only when continuity wrote it."""
    from .. import output_file

    with output_file(out / STORE, force=force, ours=is_store, keep=keep) as file:
        yield file


def place_store(file: OutputFile, content: bytes) -> None:
    """Swap the store's bytes into place, listed in its folder's manifest."""
    from ..manifest import MANIFEST, add_to_manifest, read_manifest

    file.commit(content)
    # A folder that had no manifest when the store was checked has one now (the exports
    # made it): the store is listed there too, so the next run may replace it.
    folder = file.target.parent
    if (folder / MANIFEST).is_file() and STORE not in read_manifest(folder):
        add_to_manifest(folder, STORE, content)

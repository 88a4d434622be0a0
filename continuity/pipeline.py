"""Chain the stages: manifest → ingest → clean → structure → units (sentences, clauses)
→ functions (what each clause does).

`load_corpus` is what the CLI and notebooks call; each stage is also callable on
its own (`continuity.corpus.clean.clean`, `continuity.corpus.structure.build_outline`, …).
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path

from .analysis.functions import assign_functions
from .corpus.clean import clean
from .corpus.document_cache import DocumentCache
from .corpus.ingest import read_source
from .corpus.manifest import bundled_corpus, read_corpus_manifest
from .corpus.structure import build_outline, parse_glossary, parse_tables
from .corpus.unique_ids import with_unique_ids
from .engine.local import run_jobs
from .records import Corpus, Document, DocumentMeta
from .text.clauses import split_clauses
from .text.segment import ANSWERS, tokenizer
from .text.units import split_units


def load_document(meta: DocumentMeta) -> Document:
    """One document through every ingest stage."""
    source = read_source(meta)
    cleaned = clean(source)
    outline = build_outline(cleaned, meta.title)
    units = split_units(cleaned, outline)
    return Document(
        meta=meta,
        encoding=source.encoding,
        clean=cleaned,
        sections=outline.sections,
        table_rows=parse_tables(cleaned, outline),
        glossary=parse_glossary(cleaned, outline),
        units=units,
        clauses=assign_functions(split_clauses(units), outline.sections, cleaned.paragraphs),
    )


def load_corpus(corpus_dir: Path | str | None = None, workers: int | None = None,
                meanwhile: Callable[[], object] | None = None, cache: bool = True,
                progress: Callable[[str], None] | None = None) -> Corpus:
    """All documents of a corpus folder (default: the bundled one), in timeline order.
    Documents are read by `workers` processes (default: one per core), biggest first;
    the result is the same for any number. A document read before, with the same bytes,
    manifest entry, code and jieba, comes from the user's cache folder instead
    (`corpus.document_cache`; `cache=False`: every document is read; `progress` is told
    how many); when every document comes from there, so do the segmenter's answers of
    the last build of this folder (`keep_answers`), and the later stages need no jieba.
    `meanwhile` runs in this process while the other workers start reading (`build`
    imports the later stages then); not at all when no document is read. Section and
    unit ids are unique across the documents (`corpus.unique_ids`)."""
    root = Path(corpus_dir) if corpus_dir is not None else bundled_corpus()
    manifest = read_corpus_manifest(root)
    metas = manifest.documents
    kept = DocumentCache.open() if cache else None
    places = [kept.path(meta) if kept else None for meta in metas]
    documents = {i: found for i, place in enumerate(places)
                 if kept and place and (found := kept.get(place, metas[i])) is not None}
    order = sorted((i for i in range(len(metas)) if i not in documents),
                   key=lambda i: -_size(metas[i]))
    if progress and documents:
        progress(f"{len(documents)} of {len(metas)} documents unchanged since they were "
                 "last read: taken from the cache")
    with fewer_collections():
        if order:
            tokenizer()  # loaded once, before any fork, so every worker shares it
        loaded = run_jobs([partial(load_document, metas[i]) for i in order], workers,
                          first=meanwhile if order else None)
    for i, document in zip(order, loaded, strict=True):
        documents[i] = document
        if kept and (place := places[i]):
            kept.put(place, document)
    if kept and not order and (answers := kept.get_answers(kept.answers_path(root))):
        ANSWERS.remember(*answers)
    return Corpus(root=root,
                  documents=with_unique_ids([documents[i] for i in range(len(metas))]),
                  compare=manifest.compare)


def keep_answers(root: Path) -> None:
    """Keep what the segmenter answered in this process since the corpus folder `root`
    was loaded, when it had to find anything (`segment.ANSWERS`), for the next build
    whose documents all come from the cache (`load_corpus`)."""
    if not ANSWERS.new or (kept := DocumentCache.open()) is None:
        return
    kept.put_answers(kept.answers_path(root), ANSWERS)
    ANSWERS.new = 0


def _size(meta: DocumentMeta) -> int:
    try:
        return meta.file.stat().st_size
    except OSError:
        return 0  # read_source reports the missing file


#: Garbage-collector thresholds while the pipeline runs (Python's default is 700, 10, 10).
BATCH_GC_THRESHOLDS = (50_000, 20, 20)


@contextmanager
def fewer_collections() -> Iterator[None]:
    """Collect garbage less often while the pipeline runs. It allocates about a million
    long-lived objects (tokens, records, pages) and little garbage; at Python's default
    thresholds the collector walks them hundreds of times, about 0.6 s of a 4.5 s build.
    The caller's thresholds are restored afterwards."""
    before = gc.get_threshold()
    gc.set_threshold(*BATCH_GC_THRESHOLDS)
    try:
        yield
    finally:
        gc.set_threshold(*before)

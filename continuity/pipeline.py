"""Chain the stages: manifest → ingest → clean → structure → units (sentences, clauses).

`load_corpus` is what the CLI and notebooks call; each stage is also callable on
its own (`continuity.clean.clean`, `continuity.structure.build_outline`, …).
"""

from __future__ import annotations

from pathlib import Path

from .clauses import split_clauses
from .clean import clean
from .ingest import read_source
from .manifest import bundled_corpus, read_manifest
from .records import Corpus, Document, DocumentMeta
from .structure import build_outline, parse_glossary, parse_tables
from .units import split_units


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
        clauses=split_clauses(units),
    )


def load_corpus(corpus_dir: Path | str | None = None) -> Corpus:
    """All documents of a corpus folder (default: the bundled one), in timeline order."""
    root = Path(corpus_dir) if corpus_dir is not None else bundled_corpus()
    metas = read_manifest(root)
    return Corpus(root=root, documents=tuple(load_document(m) for m in metas))

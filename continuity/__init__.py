"""continuity: follow policy commitments through a series of Chinese policy documents.

    >>> import continuity
    >>> corpus = continuity.load_corpus()          # the bundled five documents
    >>> plan = corpus.document("15th-plan")
    >>> [s.path_text for s in plan.sections if s.style == "pian"][:2]
    ['第一篇', '第二篇']
"""

from typing import TYPE_CHECKING, Any

from .errors import (
    ContinuityError,
    DecodingError,
    DocumentError,
    ManifestError,
    SettingError,
    UnknownClauseError,
    UnknownDocumentError,
    UnknownSectionError,
    UnknownSettingError,
)
from .records import (
    Clause,
    CleanText,
    Corpus,
    Document,
    DocumentMeta,
    GlossaryEntry,
    Join,
    Outline,
    Paragraph,
    Passage,
    RemovedLine,
    Section,
    SourceText,
    TableRow,
    Unit,
)

if TYPE_CHECKING:
    from .analysis.run import Analysis, analyse
    from .corpus.clean import clean
    from .corpus.ingest import decode, read_source
    from .corpus.manifest import bundled_corpus, read_manifest
    from .corpus.structure import build_outline
    from .output.frames import (
        corpus_frame,
        frames,
        read_frames,
        removed_frame,
        sections_frame,
        sentences_frame,
        units_frame,
    )
    from .pipeline import load_corpus, load_document
    from .text.normalize import normalize, normalize_with_offsets
    from .text.segment import segment

#: Imported on first use: alignment pulls in numpy, scipy and rapidfuzz, which ingest-only
#: work (loading, cleaning, outlining a corpus) should not pay for, and loading pulls in
#: jieba, which commands answering from the store (and `--help`) should not. Every
#: `continuity` command imports this package first: it pays for none of the stages.
_LAZY = {"Analysis": "analysis.run", "analyse": "analysis.run", "load_corpus": "pipeline",
         "load_document": "pipeline", "segment": "text.segment", "clean": "corpus.clean",
         "decode": "corpus.ingest", "read_source": "corpus.ingest",
         "bundled_corpus": "corpus.manifest", "read_manifest": "corpus.manifest",
         "build_outline": "corpus.structure", "normalize": "text.normalize",
         "normalize_with_offsets": "text.normalize",
         **dict.fromkeys(("corpus_frame", "frames", "read_frames", "removed_frame",
                          "sections_frame", "sentences_frame", "units_frame"),
                         "output.frames")}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "Analysis",
    "analyse",
    "CleanText",
    "ContinuityError",
    "Corpus",
    "DecodingError",
    "DocumentError",
    "SettingError",
    "UnknownClauseError",
    "UnknownSettingError",
    "Document",
    "DocumentMeta",
    "GlossaryEntry",
    "Join",
    "ManifestError",
    "Outline",
    "Paragraph",
    "RemovedLine",
    "Section",
    "SourceText",
    "TableRow",
    "Unit",
    "Clause",
    "Passage",
    "UnknownDocumentError",
    "UnknownSectionError",
    "build_outline",
    "bundled_corpus",
    "clean",
    "corpus_frame",
    "decode",
    "frames",
    "load_corpus",
    "load_document",
    "normalize",
    "normalize_with_offsets",
    "read_frames",
    "read_manifest",
    "read_source",
    "removed_frame",
    "sections_frame",
    "segment",
    "sentences_frame",
    "units_frame",
]

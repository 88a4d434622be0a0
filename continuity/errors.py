"""The one family of errors continuity raises for bad input, with messages for researchers."""

from __future__ import annotations

from collections.abc import Sequence


class ContinuityError(Exception):
    """Base of every error a user can cause and fix (bad manifest, unknown id, bad file)."""


class ManifestError(ContinuityError):
    """The manifest, or a file it names, is not usable; the message names file and entry."""


class DecodingError(ContinuityError):
    """A document's bytes are not text in any encoding we recognise."""


class UnknownDocumentError(ContinuityError):
    """A document id that the corpus does not have."""

    def __init__(self, doc_id: str, known: Sequence[str]) -> None:
        self.doc_id = doc_id
        self.known = tuple(known)
        super().__init__(f"unknown document {doc_id!r}; known ids: {', '.join(self.known)}")


class UnknownSectionError(ContinuityError):
    """A section path that a document does not have."""

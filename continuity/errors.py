"""The one family of errors continuity raises for bad input, with messages for researchers."""

from __future__ import annotations

from collections.abc import Sequence


class ContinuityError(Exception):
    """Base of every error a user can cause and fix (bad manifest, unknown id, bad file)."""


class ManifestError(ContinuityError):
    """The manifest, or a file it names, is not usable; the message names file and entry."""


class DecodingError(ContinuityError):
    """A document's bytes are not text in any encoding we recognise."""


class DocumentError(ContinuityError):
    """A document decodes but cannot be read as a policy text: it is empty, nothing is left
    once cleaning removed its boilerplate, or it is a web page's HTML rather than its text."""


class UnknownDocumentError(ContinuityError):
    """A document id that the corpus does not have."""

    def __init__(self, doc_id: str, known: Sequence[str]) -> None:
        self.doc_id = doc_id
        self.known = tuple(known)
        super().__init__(f"unknown document {doc_id!r}; known ids: {', '.join(self.known)}")


class UnknownSectionError(ContinuityError):
    """A section path that a document does not have."""


class UnknownClauseError(ContinuityError):
    """A clause id that the corpus does not have (ids are those of units.csv)."""

    def __init__(self, clause_id: str) -> None:
        self.clause_id = clause_id
        super().__init__(
            f"unknown clause {clause_id!r}: clause ids are those of the `unit` column of "
            "units.csv (e.g. u1a2b3c4d5.0), as `continuity units DOC --clauses` lists them")


class SettingError(ContinuityError, ValueError):
    """An alignment setting with a value outside its range, or of the wrong type (also a
    ValueError, as bad setting values were before they joined this family)."""


class UnknownSettingError(SettingError, KeyError):
    """A setting name that AlignSettings does not have (the message lists the known ones);
    also a KeyError, as it was before it joined this family."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""

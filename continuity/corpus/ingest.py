"""Read a document's bytes and decode them: UTF-8 (with or without BOM), else GB18030.

GB18030 is a superset of GBK and GB2312, the encodings Chinese government sites
and Windows tools still produce. A decoding that "succeeds" into control
characters or private-use code points is mojibake, not text, and is refused; so is
a file with no text at all (it would make every commitment of the documents before
it disappear) and a web page's HTML (its markup and scripts are not the document).
"""

from __future__ import annotations

import re
import unicodedata

from ..errors import DecodingError, DocumentError, ManifestError
from ..records import DocumentMeta, SourceText

#: Tried in order; the first that decodes strictly and plausibly wins.
ENCODINGS = ("utf-8-sig", "gb18030")
#: Share of suspicious characters above which a decoding is rejected as mojibake.
MAX_SUSPICIOUS = 0.001
#: An HTML document's own tags: one of these anywhere makes a file a web page.
_HTML_PAGE = re.compile(r"<(?:!doctype\s+html|html|head|body)[\s>]", re.IGNORECASE)
#: Tags of an HTML fragment (a page's article saved without its <html>).
_HTML_TAG = re.compile(r"</?(?:p|div|span|br|a|table|tr|td|li|ul|h[1-6]|script|style|meta)"
                       r"(?:\s[^<>]*)?/?>", re.IGNORECASE)
#: This many fragment tags make a file HTML rather than text that mentions a tag.
MIN_HTML_TAGS = 5


def read_source(meta: DocumentMeta) -> SourceText:
    """The decoded text of the file a manifest entry names."""
    try:
        data = meta.file.read_bytes()
    except OSError as exc:
        raise ManifestError(f"{meta.file}: cannot read document {meta.id!r}: {exc}") from exc
    name = f"{meta.file} ({meta.id})"
    text, encoding = decode(data, name=name)
    check_text(text, name)
    return SourceText(meta=meta, text=text, encoding=encoding)


def check_text(text: str, name: str = "<text>") -> None:
    """Refuse a decoded document that is not a policy text: one with no letters or
    characters at all (empty, or only whitespace, punctuation or invisible characters),
    or a web page's HTML."""
    if not has_text(text):
        raise DocumentError(
            f"{name}: the document is empty (it has no text, only whitespace, punctuation or "
            "invisible characters); put its text in the file or remove its manifest entry")
    if _HTML_PAGE.search(text) or len(_HTML_TAG.findall(text, 0, 200_000)) >= MIN_HTML_TAGS:
        raise DocumentError(
            f"{name}: the file is an HTML page, not the document's text; save the text "
            "itself (open the page in a browser, select the document, copy and paste it "
            "into a UTF-8 .txt file) and name that file in the manifest")


def has_text(text: str) -> bool:
    """Whether `text` has at least one letter, digit or Chinese character."""
    return any(ch.isalnum() for ch in text)


def decode(data: bytes, name: str = "<bytes>") -> tuple[str, str]:
    """Decode bytes to text; returns (text, encoding name as reported to users)."""
    for encoding in ENCODINGS:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _plausible(text):
            if encoding == "utf-8-sig":
                return text, "utf-8-sig" if data.startswith(b"\xef\xbb\xbf") else "utf-8"
            return text, encoding
    raise DecodingError(
        f"{name}: not decodable as text (tried {', '.join(ENCODINGS)}); "
        "convert the file to UTF-8 and try again"
    )


#: The control characters that are whitespace to `str.split` (and not to `_suspicious`).
_CONTROL_SPACES = "\x1c\x1d\x1e\x1f\x85"


def _plausible(text: str) -> bool:
    if not text:
        return True
    if "".join(text.split()).isprintable():
        # No control, private-use, surrogate or unassigned character outside whitespace
        # (`isprintable`, in C: it refuses every "Other" and separator): only the control
        # characters that are whitespace can be suspicious. A tenth of a document's
        # reading time, where every character was looked up one by one.
        suspicious = sum(text.count(ch) for ch in _CONTROL_SPACES)
    else:
        suspicious = sum(1 for ch in text if _suspicious(ch))
    return suspicious / len(text) <= MAX_SUSPICIOUS


def _suspicious(ch: str) -> bool:
    if ch in "\n\r\t\f\v":
        return False
    category = unicodedata.category(ch)
    return category in ("Cc", "Co", "Cs", "Cn")

"""Read a document's bytes and decode them: UTF-8 (with or without BOM), else GB18030.

GB18030 is a superset of GBK and GB2312, the encodings Chinese government sites
and Windows tools still produce. A decoding that "succeeds" into control
characters or private-use code points is mojibake, not text, and is refused.
"""

from __future__ import annotations

import unicodedata

from .errors import DecodingError, ManifestError
from .records import DocumentMeta, SourceText

#: Tried in order; the first that decodes strictly and plausibly wins.
ENCODINGS = ("utf-8-sig", "gb18030")
#: Share of suspicious characters above which a decoding is rejected as mojibake.
MAX_SUSPICIOUS = 0.001


def read_source(meta: DocumentMeta) -> SourceText:
    """The decoded text of the file a manifest entry names."""
    try:
        data = meta.file.read_bytes()
    except OSError as exc:
        raise ManifestError(f"{meta.file}: cannot read document {meta.id!r}: {exc}") from exc
    text, encoding = decode(data, name=f"{meta.file} ({meta.id})")
    return SourceText(meta=meta, text=text, encoding=encoding)


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


def _plausible(text: str) -> bool:
    if not text:
        return True
    suspicious = sum(1 for ch in text if _suspicious(ch))
    return suspicious / len(text) <= MAX_SUSPICIOUS


def _suspicious(ch: str) -> bool:
    if ch in "\n\r\t\f\v":
        return False
    category = unicodedata.category(ch)
    return category in ("Cc", "Co", "Cs", "Cn")

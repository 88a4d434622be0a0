"""Split a structured document into sentence units, the things alignment compares.

A unit ends at 。！？； (full or half width, with any closing quote after it) or at
the end of its paragraph. A heading line is one unit; a run-in title (“（一）…。”,
a lead sentence, a glossary term) is a unit of its own; a table row is one unit.
Units cover the cleaned text exactly: no character lost or repeated but whitespace.
"""

from __future__ import annotations

import hashlib
from collections import Counter

from ..corpus.structure.headings import CLOSERS, SENTENCE_END
from ..records import CleanText, Outline, Unit
from .normalize import normalize
from .segment import segment

_ENDS = frozenset(SENTENCE_END)
_CLOSERS = frozenset(CLOSERS)


def split_units(clean: CleanText, outline: Outline) -> tuple[Unit, ...]:
    """Every unit of the document, in text order."""
    sections = {s.id: s for s in outline.sections}
    ordinals: Counter[str] = Counter()
    units: list[Unit] = []
    for paragraph, section_id, head in zip(clean.paragraphs, outline.paragraph_sections,
                                           outline.paragraph_heads, strict=True):
        section = sections[section_id]
        for start, end, role in paragraph_spans(clean.text, paragraph.start, paragraph.end, head):
            text = clean.text[start:end]
            norm = normalize(text)
            ordinal = ordinals[section_id]
            ordinals[section_id] += 1
            units.append(Unit(
                id=unit_id(clean.doc_id, section.path_text, ordinal),
                doc_id=clean.doc_id,
                index=len(units),
                section_id=section_id,
                section_path=section.path_text,
                kind=section.kind,
                role=role,
                start=start,
                end=end,
                text=text,
                norm=norm,
                tokens=segment(norm),
            ))
    return tuple(units)


def paragraph_spans(text: str, start: int, end: int, head: int) -> list[tuple[int, int, str]]:
    """(start, end, role) of each unit in text[start:end]; `head` characters are a heading."""
    if "\t" in text[start:end]:
        return _trimmed(text, [(start, end, "row")])
    if head >= end - start:
        return _trimmed(text, [(start, end, "heading")])
    spans: list[tuple[int, int, str]] = []
    if head:
        spans.append((start, start + head, "lead"))
    spans.extend((a, b, "text") for a, b in sentence_spans(text, start + head, end))
    return _trimmed(text, spans)


def sentence_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Sentence boundaries in text[start:end]: after each end mark and its closing quotes."""
    spans: list[tuple[int, int]] = []
    begin = i = start
    while i < end:
        if text[i] in _ENDS:
            i += 1
            while i < end and (text[i] in _CLOSERS or text[i] in _ENDS):
                i += 1
            spans.append((begin, i))
            begin = i
        else:
            i += 1
    if begin < end:
        spans.append((begin, end))
    return spans


def _trimmed(text: str, spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    out = []
    for a, b, role in spans:
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if a < b:
            out.append((a, b, role))
    return out


def unit_id(doc_id: str, section_path: str, ordinal: int) -> str:
    """A short stable id: the same document, section and position give the same id."""
    key = f"{doc_id}\x1f{section_path}\x1f{ordinal}"
    return f"u{hashlib.sha1(key.encode('utf-8')).hexdigest()[:10]}"

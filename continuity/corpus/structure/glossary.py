"""Turn glossary sections (名词解释) into term → definition records."""

from __future__ import annotations

from ...records import CleanText, GlossaryEntry, Outline


def parse_glossary(clean: CleanText, outline: Outline) -> tuple[GlossaryEntry, ...]:
    """One entry per numbered item of a section of kind `glossary`, in document order."""
    by_id = {s.id: s for s in outline.sections}
    entries: list[GlossaryEntry] = []
    for paragraph, section_id, head in zip(clean.paragraphs, outline.paragraph_sections,
                                           outline.paragraph_heads, strict=True):
        section = by_id[section_id]
        if section.kind != "glossary" or section.style != "item" or not head:
            continue
        definition = clean.text[paragraph.start + head:paragraph.end].strip()
        entries.append(GlossaryEntry(section.id, section.number, section.title, definition,
                                     paragraph.start, paragraph.end))
    return tuple(entries)

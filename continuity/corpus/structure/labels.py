"""A heading's numbering as the document writes it (第三篇, 专栏 12, （一）, 一、, 1., ——).

A section's path labels normalise the numbering so that paths are easy to type and
unique ((一) for （一）, 一 for 一、, #2 for a repeated label: `structure.tree`); a
citation in the exports also carries the numbering exactly as it reads in the document.
"""

from __future__ import annotations

import re

from ...records import Document, Section
from ...text.normalize import visible

#: Styles of heading that carry a numbering (`structure.headings`).
NUMBERED_STYLES = frozenset({"pian", "zhang", "jie", "box", "cn-number", "paren-number",
                             "item", "bullet"})
_CN = "零〇一二两三四五六七八九十百"
#: The numberings `structure.headings` recognises, as they open a heading.
_NUMBERING = re.compile(rf"\s*(第[{_CN}]+[篇章节]|专栏\s*\d+|[（(][{_CN}]+[）)]|[{_CN}]+、"
                        r"|\d{1,3}[.．、]|[—─－-]{2})")


def written_label(doc: Document, section: Section) -> str:
    """The numbering that opens `section`'s heading, as written but without invisible
    characters; empty for a heading with none (an unnumbered heading, a lead sentence, a
    paragraph section)."""
    if section.style not in NUMBERED_STYLES:
        return ""
    found = _NUMBERING.match(visible(doc.clean.text[section.start:section.heading_end]))
    return found.group(1) if found else ""

"""Structure stage: section tree, indicator tables and glossary of a cleaned document."""

from .glossary import parse_glossary
from .headings import HeadingMatch, cn_to_int, lead_sentence, numbered_heading
from .tables import parse_tables
from .tree import (
    KindRules,
    build_outline,
    default_kind_rules,
    parse_kind_rules,
    section_id,
    structure_warning,
)

__all__ = [
    "HeadingMatch",
    "KindRules",
    "build_outline",
    "cn_to_int",
    "default_kind_rules",
    "lead_sentence",
    "numbered_heading",
    "parse_glossary",
    "parse_kind_rules",
    "parse_tables",
    "section_id",
    "structure_warning",
]

"""Targets stage: the quantitative targets of each document, recognised by their shape.

A target is an indicator phrase, perhaps a verb, a number with its measure and perhaps a
qualifier (地区生产总值 增长 5.5 % 以上; 城镇调查失业率 控制在 5.5 % 左右), stated in the
commitments of the text or in an indicator table (a plan's 专栏1: the base year's value
and the targets after it). No rule names an indicator: the shape, the words around it and
the names that make one indicator the same across documents and levels (国内生产总值,
地区生产总值 and GDP; 能源消耗 and 能耗) are data (`continuity/data/indicators.toml`, to
which a corpus may add its own `indicators.toml`).

`rules` reads that data, `shapes` finds targets in one text, `documents` in a document's
clauses and tables, and compares two targets.
"""

from .documents import (
    BASELINE,
    CHANGED,
    DROPPED,
    HEADLINE,
    KINDS,
    LOWERED,
    NEW,
    RAISED,
    TABLE,
    TEXT,
    UNCHANGED,
    Target,
    compare,
    corpus_targets,
    document_targets,
    quantity,
    stated,
    table_targets,
)
from .rules import (
    CORPUS_FILE,
    GROWTH,
    REDUCTION,
    Rules,
    compile_rules,
    indicator_name,
    read_rules,
    shipped_rules,
    split_measure,
)
from .shapes import Statement, find_statements, stated_year, strip_frames

__all__ = [
    "BASELINE",
    "CHANGED",
    "CORPUS_FILE",
    "DROPPED",
    "GROWTH",
    "HEADLINE",
    "KINDS",
    "LOWERED",
    "NEW",
    "RAISED",
    "REDUCTION",
    "TABLE",
    "TEXT",
    "UNCHANGED",
    "Rules",
    "Statement",
    "Target",
    "compare",
    "compile_rules",
    "corpus_targets",
    "document_targets",
    "find_statements",
    "indicator_name",
    "quantity",
    "read_rules",
    "shipped_rules",
    "split_measure",
    "stated",
    "stated_year",
    "strip_frames",
    "table_targets",
]

"""The redlines the build read, as the store's `redlines` table holds them: a redline's
spans and kinds of change as two JSON arrays (`schema.EXTRA`), written from the
build's kept redlines (`Analysis.redlines`) and read back as they were made.

Spans are `[op, text]` runs; changes `[kind, direction, before, after]`, the words on
each side as arrays. Light to import: `diff` and `history` read them from the store.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import TYPE_CHECKING

from ...analysis.changes import Change, Redline
from ...records import DiffSpan

if TYPE_CHECKING:
    from ...analysis.run import Analysis

_dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def redline_rows(analysis: Analysis) -> Iterator[tuple[str, str, str, str, str, str]]:
    """The `redlines` rows: the redline the build kept (`Analysis.redlines`) for each pair
    of clauses its pages show one for (`export.shown_pairs`: a clause and its rank-1
    counterpart in a later document), in the alignments' order. None when it kept none
    (`continuity align`, which makes no pages)."""
    kept = analysis.redlines
    if not kept:
        return
    from ..export import shown_pairs

    clauses = analysis.result.clauses
    encoded: dict[int, tuple[str, str]] = {}  # a wording repeated: its redline once
    for i, j in shown_pairs(analysis.result):
        a, b = clauses[i], clauses[j]
        line = kept.get((a.tokens, b.tokens))
        if line is None:
            continue
        cells = encoded.get(id(line))
        if cells is None:
            cells = encoded[id(line)] = encode(line)
        yield a.doc_id, a.id, b.doc_id, b.id, *cells


def encode(line: Redline) -> tuple[str, str]:
    """A redline's `spans` and `changes` cells."""
    return (_dumps([[s.op, s.text] for s in line.spans]),
            _dumps([[c.kind, c.direction, c.before, c.after] for c in line.changes]))


def decode(spans: str, changes: str) -> Redline:
    """The redline of a row's `spans` and `changes` cells, as it was made."""
    return Redline(tuple(DiffSpan(op, text) for op, text in json.loads(spans)),
                   tuple(Change(kind, direction, tuple(before), tuple(after))
                         for kind, direction, before, after in json.loads(changes)))

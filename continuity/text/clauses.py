"""Split sentence units into clauses: the commitment-sized pieces that alignment compares.

A policy sentence is a list of commitments separated by commas: “积极参与‘一带一路’建设，
畅通西部陆海新通道，…，构建第三亚欧大陆桥国际贸易枢纽。” Each may persist or vanish on
its own, so alignment works clause by clause. A clause ends after ，,：: (enumeration
commas 、 keep a list together); a clause with fewer than `MIN_CLAUSE_CHARS` word
characters ("当前，", "同时，") is joined to the next one. Headings, leads and table
rows stay whole. Clause ids extend their sentence's id (`<unit id>.<n>`), so the
sentence a clause came from is always recoverable.
"""

from __future__ import annotations

import re

from ..records import Clause, Unit
from .normalize import normalize
from .segment import segment

#: Clause boundaries inside a sentence (full and half width).
CLAUSE_ENDS = frozenset("，,：:")
#: A clause shorter than this (counting CJK, letters and digits) is joined to the next.
MIN_CLAUSE_CHARS = 6
_WORD_CHAR = re.compile(r"[0-9A-Za-z\u4e00-\u9fff]")


def split_clauses(units: tuple[Unit, ...]) -> tuple[Clause, ...]:
    """Every clause of a document's units, in text order."""
    clauses: list[Clause] = []
    for unit in units:
        clauses.extend(unit_clauses(unit, start_index=len(clauses)))
    return tuple(clauses)


def unit_clauses(unit: Unit, start_index: int = 0) -> list[Clause]:
    spans = [(0, len(unit.text))] if unit.role != "text" else clause_spans(unit.text)
    tokens = _split_tokens(unit, spans)
    out = []
    for n, ((a, b), toks) in enumerate(zip(spans, tokens, strict=True)):
        text = unit.text[a:b]
        out.append(Clause(
            id=f"{unit.id}.{n + 1}",
            doc_id=unit.doc_id,
            unit_id=unit.id,
            index=start_index + n,
            section_id=unit.section_id,
            section_path=unit.section_path,
            kind=unit.kind,
            role=unit.role,
            start=unit.start + a,
            end=unit.start + b,
            text=text,
            norm=normalize(text),
            tokens=toks,
        ))
    return out


def clause_spans(text: str) -> list[tuple[int, int]]:
    """[start, end) of each clause of a sentence; together they cover it exactly."""
    raw: list[tuple[int, int]] = []
    begin = 0
    for i, ch in enumerate(text):
        if ch in CLAUSE_ENDS:
            raw.append((begin, i + 1))
            begin = i + 1
    if begin < len(text):
        raw.append((begin, len(text)))
    merged: list[tuple[int, int]] = []
    carry: int | None = None
    for a, b in raw:
        a = carry if carry is not None else a
        carry = None
        if len(_WORD_CHAR.findall(text[a:b])) < MIN_CLAUSE_CHARS:
            carry = a
            continue
        merged.append((a, b))
    if carry is not None:
        if merged:
            merged[-1] = (merged[-1][0], len(text))
        else:
            merged.append((carry, len(text)))
    return merged or [(0, len(text))]


def _split_tokens(unit: Unit, spans: list[tuple[int, int]]) -> list[tuple[str, ...]]:
    """The unit's jieba tokens shared out among its clauses (no second segmentation pass)."""
    norms = [normalize(unit.text[a:b]) for a, b in spans]
    if "".join(norms) != unit.norm:  # normalisation not additive here: segment each clause
        return [segment(n) for n in norms]
    bounds, total = [], 0
    for n in norms:
        total += len(n)
        bounds.append(total)
    out: list[list[str]] = [[] for _ in spans]
    pos, k = 0, 0
    for token in unit.tokens:
        while k < len(bounds) - 1 and pos >= bounds[k]:
            k += 1
        end = pos + len(token)
        if end <= bounds[k] or k == len(bounds) - 1:
            out[k].append(token)
        else:  # a token straddling a clause boundary: cut it there
            cut = bounds[k] - pos
            out[k].append(token[:cut])
            out[k + 1].append(token[cut:])
        pos = end
    return [tuple(t) for t in out]

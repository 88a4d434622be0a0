"""Ids that stay unique in a corpus of any size.

Sections and sentence units are named by short digests of where they are (`section_id`,
`unit_id`: ten hex digits, 40 bits), stable from build to build and short enough to cite.
A corpus of a thousand documents holds about two million sentences, and among that many
40-bit digests two are likely to agree (about 1.5 such pairs expected): the store then
refuses the second and a unit id would name two passages (seen building 1,000 synthetic
documents). Each document is read on its own, in a worker or from the cache, so ids are
made unique when the corpus is put together: a section or unit whose id an earlier
document already holds gets that id with four more hex digits, drawn from its document
and id, and every record of its document that names it follows. Ids that do not collide,
which is every id of a corpus of the bundled size, are left as they are.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import replace

from ..records import Clause, Document


def with_unique_ids(documents: Sequence[Document]) -> tuple[Document, ...]:
    """The documents, in the same order, each section and unit id unique across them (a
    later document's colliding ids renamed, the records naming them with them)."""
    seen_sections: set[str] = set()
    seen_units: set[str] = set()
    out = []
    for doc in documents:
        sections = _renames((s.id for s in doc.sections), seen_sections, doc.meta.id)
        units = _renames((u.id for u in doc.units), seen_units, doc.meta.id)
        out.append(_renamed(doc, sections, units) if sections or units else doc)
    return tuple(out)


def unique_name(prefix: str, digest: str, taken: set[str], short: int = 10) -> str:
    """`prefix` and the first `short` hex digits of `digest`, four more at a time while
    the name is taken (two thread ids agreeing in ten digits); the name is then taken."""
    length = short
    name = prefix + digest[:length]
    while name in taken:
        length += 4
        name = prefix + digest[:length] + ("0" * max(0, length - len(digest)))
    taken.add(name)
    return name


def _renames(ids: Iterable[str], seen: set[str], doc_id: str) -> dict[str, str]:
    """New names for the ids an earlier document already holds; every id is then seen."""
    mine = list(dict.fromkeys(ids))
    taken = seen | set(mine)
    renames = {}
    for old in mine:
        if old in seen:
            n = 0
            new = _suffixed(old, doc_id, n)
            while new in taken:
                n += 1
                new = _suffixed(old, doc_id, n)
            renames[old] = new
            taken.add(new)
    seen.update(renames.get(i, i) for i in mine)
    return renames


def _suffixed(old: str, doc_id: str, n: int) -> str:
    digest = hashlib.sha1(f"{doc_id}\x1f{old}\x1f{n}".encode()).hexdigest()
    return old + digest[:4]


def _renamed(doc: Document, sections: dict[str, str], units: dict[str, str]) -> Document:
    def section(sid: str) -> str:
        return sections.get(sid, sid)

    def clause(c: Clause) -> Clause:
        unit = units.get(c.unit_id, c.unit_id)
        return replace(c, id=unit + c.id[len(c.unit_id):], unit_id=unit,
                       section_id=section(c.section_id))

    return replace(
        doc,
        sections=tuple(replace(s, id=section(s.id),
                               parent=None if s.parent is None else section(s.parent))
                       for s in doc.sections),
        units=tuple(replace(u, id=units.get(u.id, u.id), section_id=section(u.section_id))
                    for u in doc.units),
        clauses=tuple(clause(c) for c in doc.clauses),
        table_rows=tuple(replace(r, section_id=section(r.section_id)) for r in doc.table_rows),
        glossary=tuple(replace(g, section_id=section(g.section_id)) for g in doc.glossary))

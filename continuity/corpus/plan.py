"""Which documents are compared with which, and why: the comparison plan.

Comparing every document with every other grows with the square of the corpus. A small
corpus (at most `AlignSettings.all_pairs_max_docs` documents) still compares every pair;
a bigger one compares each document with

- `series`: its neighbours in its own series (the previous and next document of the
  same series, `manifest.series_of`),
- `level-up`: the documents one administrative level up (national → province → city →
  county, `manifest.LEVELS`) of the same year (a province's work report with the
  national one of that year, a city's five-year plan with its province's), or, for a
  series the manifest's `[compare] above` names, the documents of the series it names,
- `peers`: other documents of its level and year (diffusion between provinces): at most
  `AlignSettings.max_peers` of them, its neighbours on either side in the group's
  timeline order, taken round the group, so the plan grows with the documents, not
  with the square of a level's.

The manifest's `[compare]` table changes the rule (`plan = "auto" | "all-pairs" |
"rules"`, and which `rules`), adds pairs (`add`, reason `manifest`) and removes them
(`remove`). A pair is unordered: both documents are aligned against each other.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations, pairwise
from typing import Any

from ..errors import ContinuityError, ManifestError, UnknownDocumentError
from ..records import CompareTable, Corpus, DocumentMeta
from ..settings import AlignSettings
from .manifest import LEVELS, Manifest, series_of

#: Why a pair is compared, in the order a pair's reasons are listed.
REASONS = ("all-pairs", "series", "level-up", "peers", "manifest")


@dataclass(frozen=True, slots=True)
class PlannedPair:
    """Two documents compared with each other, the earlier one (in timeline order) first,
    and every reason the plan compares them for (in `REASONS` order)."""

    earlier: str
    later: str
    reasons: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Series:
    """A series of documents (an issuer's work reports): its name and its documents'
    ids in timeline order."""

    name: str
    documents: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Plan:
    """The comparisons to make: the documents in timeline order, their series (in order
    of their first document), the planned pairs (ordered by the timeline positions of
    their earlier, then later document), the rule used (`all-pairs` or `rules`) and why."""

    documents: tuple[str, ...]
    series: tuple[Series, ...]
    pairs: tuple[PlannedPair, ...]
    rule: str
    why: str

    @property
    def all_pairs(self) -> int:
        """How many pairs comparing every document with every other would make."""
        n = len(self.documents)
        return n * (n - 1) // 2

    def timeline(self, series: str) -> tuple[str, ...]:
        """The documents of `series` in timeline order (what fates and threads follow)."""
        for found in self.series:
            if found.name == series:
                return found.documents
        raise ContinuityError(f"no series {series!r}; series: "
                              f"{', '.join(s.name for s in self.series)}")

    def partners(self, doc_id: str) -> tuple[str, ...]:
        """The documents `doc_id` is compared with, in timeline order."""
        if doc_id not in self.documents:
            raise UnknownDocumentError(doc_id, self.documents)
        found = {p.later if p.earlier == doc_id else p.earlier
                 for p in self.pairs if doc_id in (p.earlier, p.later)}
        return tuple(d for d in self.documents if d in found)


def comparison_plan(source: Corpus | Manifest, settings: AlignSettings | None = None) -> Plan:
    """The plan for a corpus, or for a manifest alone (no document need be read)."""
    settings = settings or AlignSettings()
    if isinstance(source, Corpus):
        metas = tuple(d.meta for d in source.documents)
    else:
        metas = source.documents
    compare = source.compare
    _check_ids(compare, metas)
    ids = tuple(m.id for m in metas)
    rule, why = _rule(compare, len(ids), settings)
    reasons: dict[tuple[int, int], set[str]] = {}
    position = {doc_id: i for i, doc_id in enumerate(ids)}

    def plan(a: str, b: str, reason: str) -> None:
        i, j = sorted((position[a], position[b]))
        reasons.setdefault((i, j), set()).add(reason)

    if rule == "all-pairs":
        for a, b in combinations(ids, 2):
            plan(a, b, "all-pairs")
    else:
        for reason, a, b in _ruled_pairs(metas, compare.rules, compare.above,
                                         settings.max_peers):
            plan(a, b, reason)
    for a, b in compare.add:
        plan(a, b, "manifest")
    for a, b in compare.remove:
        i, j = sorted((position[a], position[b]))
        reasons.pop((i, j), None)
    pairs = tuple(PlannedPair(ids[i], ids[j], tuple(r for r in REASONS if r in reasons[i, j]))
                  for i, j in sorted(reasons))
    return Plan(documents=ids, series=_series(metas), pairs=pairs, rule=rule, why=why)


def _rule(compare: CompareTable, n: int, settings: AlignSettings) -> tuple[str, str]:
    """`all-pairs` or `rules`, and a sentence saying why."""
    if compare.plan != "auto":
        return compare.plan, f'the manifest says [compare] plan = "{compare.plan}"'
    limit = settings.all_pairs_max_docs
    if n <= limit:
        return "all-pairs", f"{n} documents, at most all_pairs_max_docs ({limit})"
    return "rules", f"{n} documents, more than all_pairs_max_docs ({limit})"


def _ruled_pairs(metas: tuple[DocumentMeta, ...], rules: tuple[str, ...],
                 above: tuple[tuple[str, tuple[str, ...]], ...],
                 max_peers: int) -> list[tuple[str, str, str]]:
    """(reason, a, b) for every pair the rules plan (metas in timeline order); a series
    named in `above` looks up to the series it names instead of the level above; each
    document has at most `max_peers` peers (`ring_pairs`)."""
    found: list[tuple[str, str, str]] = []
    # grouped by level and year, and by series and year: linear in the pairs planned
    by_level: dict[tuple[str, int], list[str]] = {}
    by_series: dict[tuple[str, int], list[str]] = {}
    for meta in metas:
        by_level.setdefault((meta.level, meta.date.year), []).append(meta.id)
        by_series.setdefault((series_of(meta), meta.date.year), []).append(meta.id)
    if "series" in rules:
        for series in _series(metas):
            found += [("series", a, b) for a, b in pairwise(series.documents)]
    if "level-up" in rules:
        named = dict(above)
        for doc in metas:
            year, up = doc.date.year, LEVELS.index(doc.level) - 1
            if series_of(doc) in named:
                others = [other for name in named[series_of(doc)]
                          for other in by_series.get((name, year), [])]
            else:
                others = by_level.get((LEVELS[up], year), []) if up >= 0 else []
            found += [("level-up", other, doc.id) for other in others]
    if "peers" in rules:
        for group in by_level.values():
            found += [("peers", a, b) for a, b in ring_pairs(group, max_peers)]
    return found


def ring_pairs(group: list[str], most: int) -> list[tuple[str, str]]:
    """Pairs of a group such that each member has at most `most` partners: each with the
    next most // 2 members round the group (the last with the first), and, for an odd
    `most`, with the member opposite it (one left out of an odd group). Every pair when
    that is no more."""
    n = len(group)
    if most >= n - 1:
        return list(combinations(group, 2))
    pairs = {tuple(sorted((i, (i + k) % n))) for i in range(n) for k in range(1, most // 2 + 1)}
    if most % 2:
        pairs |= {(i, i + n // 2) for i in range(n // 2)}
    return [(group[i], group[j]) for i, j in sorted(pairs)]


def _series(metas: tuple[DocumentMeta, ...]) -> tuple[Series, ...]:
    """The series of the documents, in order of their first document."""
    members: dict[str, list[str]] = {}
    for meta in metas:
        members.setdefault(series_of(meta), []).append(meta.id)
    return tuple(Series(name, tuple(ids)) for name, ids in members.items())


def _check_ids(compare: CompareTable, metas: tuple[DocumentMeta, ...]) -> None:
    """A [compare] pair or series the corpus does not have (a corpus made in memory with
    another manifest's table) is an error, not a pair silently dropped."""
    ids = tuple(m.id for m in metas)
    for key, pairs in (("add", compare.add), ("remove", compare.remove)):
        for pair in pairs:
            for doc_id in pair:
                if doc_id not in ids:
                    raise ManifestError(f"[compare] {key}: unknown document id {doc_id!r}; "
                                        f"known: {', '.join(ids)}")
    series = {series_of(m) for m in metas}
    for name, targets in compare.above:
        for unknown in (name, *targets):
            if unknown not in series:
                raise ManifestError(f"[compare] above: unknown series {unknown!r}")


# --- what `continuity plan` prints ------------------------------------------------------------

def plan_text(plan: Plan, metas: tuple[DocumentMeta, ...]) -> str:
    """The plan as `continuity plan` prints it: one record a line, for grep."""
    meta = {m.id: m for m in metas}
    rule = "every pair" if plan.rule == "all-pairs" else "by rules"
    lines = [f"plan: {rule} ({plan.why}); {len(plan.pairs)} of {plan.all_pairs} pairs "
             f"compared", "", f"series ({len(plan.series)}), each in timeline order:"]
    for series in plan.series:
        n = len(series.documents)
        lines.append(f"  {series.name} ({n} document{'s' if n != 1 else ''})")
        lines += [f"    {meta[d].date_text:<10}  {d}  {meta[d].level}" for d in series.documents]
    lines += ["", f"pairs ({len(plan.pairs)}), earlier document first, and why:"]
    first = max((len(p.earlier) for p in plan.pairs), default=0)
    second = max((len(p.later) for p in plan.pairs), default=0)
    lines += [f"  {p.earlier:<{first}}  {p.later:<{second}}  {', '.join(p.reasons)}"
              for p in plan.pairs]
    return "\n".join(lines)


def plan_document(plan: Plan) -> dict[str, Any]:
    """The plan as `continuity plan --json` prints it."""
    return {
        "rule": plan.rule,
        "why": plan.why,
        "documents": len(plan.documents),
        "pairs_planned": len(plan.pairs),
        "pairs_all": plan.all_pairs,
        "series": [{"series": s.name, "docs": list(s.documents)} for s in plan.series],
        "pairs": [{"docs": [p.earlier, p.later], "reasons": list(p.reasons)}
                  for p in plan.pairs],
    }

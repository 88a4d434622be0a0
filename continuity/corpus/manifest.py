"""Read and validate a corpus manifest (`manifest.toml`): the only place documents are named."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import stat
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import ManifestError
from ..records import CompareTable, DocumentMeta

MANIFEST_NAME = "manifest.toml"
REQUIRED_KEYS = ("id", "title", "short_title", "date", "issuer", "level", "genre", "file", "source")
#: Keys an entry may leave out: `series` defaults to the issuer and genre (`series_of`).
OPTIONAL_KEYS = ("series",)
#: Administrative levels from the top: a document's level "one up" is the one before it.
LEVELS = ("national", "province", "city", "county")
GENRES = ("decision", "work-report", "five-year-plan", "communique", "opinion", "plan", "other")
_ID = re.compile(r"^[0-9A-Za-z][0-9A-Za-z._-]*$")
_DATE = re.compile(r"^(\d{4})-(\d{2})(?:-(\d{2}))?$")


def bundled_corpus() -> Path:
    """The corpus shipped with continuity (the repository's `corpus/`)."""
    return Path(__file__).resolve().parents[2] / "corpus"


def read_toml(path: Path, what: str) -> dict[str, Any]:
    """A corpus data file (manifest, themes, indicators) as a dict; errors name the file.
    Like the documents, it must be inside its folder once symbolic links are followed."""
    if not path.is_file():
        raise ManifestError(f"{path}: no {what} found (expected {path.name} in {path.parent})")
    real = path.resolve()
    if not real.is_relative_to(path.parent.resolve()):
        raise ManifestError(
            f"{path}: the {what} is outside the corpus folder {path.parent} (a symbolic link "
            f"leads to {real}); a corpus may only use files inside its own folder")
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ManifestError(f"{path}: not valid TOML: {exc}") from exc


#: The values of `[compare]`'s keys `plan` and `rules` (see `CompareTable`).
COMPARE_PLANS = ("auto", "all-pairs", "rules")
COMPARE_RULES = ("series", "level-up", "peers")
COMPARE_KEYS = ("plan", "rules", "add", "remove", "above")


@dataclass(frozen=True, slots=True)
class Manifest:
    """A corpus manifest read and validated: its documents in timeline order and its
    `[compare]` table. Enough to plan the comparisons without reading any document."""

    path: Path
    documents: tuple[DocumentMeta, ...]
    compare: CompareTable = CompareTable()


def series_of(meta: DocumentMeta) -> str:
    """The series a document belongs to: the manifest's `series`, or else its issuer and
    genre (one issuer's work reports are one series, its decisions another)."""
    return meta.series or f"{meta.issuer}/{meta.genre}"


def read_manifest(corpus_dir: Path) -> tuple[DocumentMeta, ...]:
    """All manifest entries, validated, in timeline order (date, then manifest order)."""
    return read_corpus_manifest(corpus_dir).documents


def read_corpus_manifest(corpus_dir: Path) -> Manifest:
    """The whole manifest, validated: documents in timeline order and `[compare]`."""
    path = Path(corpus_dir) / MANIFEST_NAME
    data = read_toml(path, "manifest")
    entries = data.get("document")
    unknown_top = sorted(set(data) - {"document", "compare"})
    if unknown_top:
        raise ManifestError(
            f"{path}: unknown top-level key(s) {unknown_top}; expected [[document]] "
            "and optionally [compare]")
    if not isinstance(entries, list) or not entries:
        raise ManifestError(f"{path}: no [[document]] entries")
    metas: list[DocumentMeta] = []
    seen: dict[str, int] = {}
    for number, entry in enumerate(entries, start=1):
        meta = _validate_entry(path, number, entry)
        if meta.id in seen:
            raise ManifestError(
                f"{path}: entry {number} ({meta.id}): duplicate id, "
                f"already used by entry {seen[meta.id]}"
            )
        seen[meta.id] = number
        metas.append(meta)
    order = sorted(range(len(metas)), key=lambda i: (metas[i].date, i))
    compare = _read_compare(path, data.get("compare", {}), metas)
    return Manifest(path=path, documents=tuple(metas[i] for i in order), compare=compare)


def _read_compare(path: Path, table: Any, metas: list[DocumentMeta]) -> CompareTable:
    """The `[compare]` table, validated: errors name the file and the key."""
    where = f"{path}: [compare]"
    ids = tuple(m.id for m in metas)
    if not isinstance(table, dict):
        raise ManifestError(f"{where} must be a table of keys, got {table!r}")
    unknown = sorted(set(table) - set(COMPARE_KEYS))
    if unknown:
        raise ManifestError(
            f"{where}: unknown key(s) {unknown}; allowed: {', '.join(COMPARE_KEYS)}")
    default = CompareTable()
    plan = table.get("plan", default.plan)
    if plan not in COMPARE_PLANS:
        raise ManifestError(
            f"{where} plan: {plan!r} is not one of {', '.join(COMPARE_PLANS)}")
    rules = table.get("rules", list(default.rules))
    if not isinstance(rules, list) or not all(isinstance(r, str) for r in rules):
        raise ManifestError(f"{where} rules: expected a list of rule names, got {rules!r}")
    for rule in rules:
        if rule not in COMPARE_RULES or rules.count(rule) > 1:
            why = "is listed twice" if rule in COMPARE_RULES else (
                f"is not one of {', '.join(COMPARE_RULES)}")
            raise ManifestError(f"{where} rules: {rule!r} {why}")
    add = _pairs(where, "add", table.get("add", []), ids)
    remove = _pairs(where, "remove", table.get("remove", []), ids)
    both = sorted(set(map(frozenset, add)) & set(map(frozenset, remove)), key=sorted)
    if both:
        raise ManifestError(
            f"{where}: pair {' and '.join(sorted(both[0]))} is both in add and in remove")
    above = _above(where, table.get("above", {}), tuple(dict.fromkeys(m.series for m in metas)))
    return CompareTable(plan=plan, rules=tuple(r for r in COMPARE_RULES if r in rules),
                        add=add, remove=remove, above=above)


def _above(where: str, value: Any,
           series: tuple[str, ...]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """`above`: a table from a series to the series (one name or a list) one level up that
    its documents compare with; every name must be a series of the manifest."""
    if not isinstance(value, dict):
        raise ManifestError(f"{where} above: expected a table such as "
                            f'{{ "city-reports" = "province-reports" }}, got {value!r}')
    found = []
    for name, targets in value.items():
        at = f"{where} above.{name}"
        targets = [targets] if isinstance(targets, str) else targets
        if not isinstance(targets, list) or not all(isinstance(t, str) for t in targets):
            raise ManifestError(f"{at}: expected a series name or a list of them, "
                                f"got {value[name]!r}")
        for unknown in [name, *targets]:
            if unknown not in series:
                raise ManifestError(
                    f"{at}: unknown series {unknown!r}; series: {', '.join(series)}")
        if name in targets:
            raise ManifestError(f"{at}: a series is not above itself")
        found.append((name, tuple(dict.fromkeys(targets))))
    return tuple(sorted(found))


def _pairs(where: str, key: str, value: Any, ids: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    """`add` or `remove`: a list of [id, id] pairs of two different known documents."""
    if not isinstance(value, list):
        raise ManifestError(
            f"{where} {key}: expected a list of pairs such as [[\"a\", \"b\"]], got {value!r}")
    pairs: list[tuple[str, str]] = []
    for number, pair in enumerate(value, start=1):
        at = f"{where} {key}, pair {number}"
        if (not isinstance(pair, list) or len(pair) != 2
                or not all(isinstance(i, str) for i in pair)):
            raise ManifestError(f"{at}: expected two document ids such as [\"a\", \"b\"], "
                                f"got {pair!r}")
        for doc_id in pair:
            if doc_id not in ids:
                raise ManifestError(
                    f"{at}: unknown document id {doc_id!r}; known: {', '.join(ids)}")
        if pair[0] == pair[1]:
            raise ManifestError(f"{at}: a document is not compared with itself ({pair[0]!r})")
        if {pair[0], pair[1]} in [set(p) for p in pairs]:
            raise ManifestError(f"{at}: {pair[0]} and {pair[1]} are listed twice")
        pairs.append((pair[0], pair[1]))
    return tuple(pairs)


def _validate_entry(path: Path, number: int, entry: Any) -> DocumentMeta:
    where = f"{path}: entry {number}"
    if not isinstance(entry, dict):
        raise ManifestError(f"{where}: expected a table of keys")
    if isinstance(entry.get("id"), str):
        where += f" ({entry['id']})"
    unknown = sorted(set(entry) - set(REQUIRED_KEYS) - set(OPTIONAL_KEYS))
    if unknown:
        raise ManifestError(
            f"{where}: unknown key(s) {unknown}; allowed: "
            f"{', '.join(REQUIRED_KEYS + OPTIONAL_KEYS)}")
    missing = [k for k in REQUIRED_KEYS if k not in entry]
    if missing:
        raise ManifestError(f"{where}: missing key(s) {missing}")
    for key in REQUIRED_KEYS + tuple(k for k in OPTIONAL_KEYS if k in entry):
        value = entry[key]
        if not isinstance(value, str) or not value.strip():
            raise ManifestError(f"{where}: {key} must be a non-empty string, got {value!r}")
    if not _ID.match(entry["id"]):
        raise ManifestError(
            f"{where}: id {entry['id']!r} may use only letters, digits, '.', '_', '-'")
    date = _parse_date(where, entry["date"])
    if entry["level"] not in LEVELS:
        raise ManifestError(f"{where}: level {entry['level']!r} is not one of {', '.join(LEVELS)}")
    if entry["genre"] not in GENRES:
        raise ManifestError(f"{where}: genre {entry['genre']!r} is not one of {', '.join(GENRES)}")
    file = _document_file(where, path.parent, entry["file"])
    meta = DocumentMeta(
        id=entry["id"],
        title=entry["title"].strip(),
        short_title=entry["short_title"].strip(),
        date=date,
        date_text=entry["date"],
        issuer=entry["issuer"].strip(),
        level=entry["level"],
        genre=entry["genre"],
        file=file,
        source=entry["source"].strip(),
        series=entry.get("series", "").strip(),
    )
    return dataclasses.replace(meta, series=series_of(meta))


def _document_file(where: str, root: Path, name: str) -> Path:
    """The file an entry names, which must lie inside the corpus folder once `..` and
    symbolic links are followed: a corpus received from someone else must not publish
    local files (`/etc/passwd`, `../../notes.txt`) in the reports made from it."""
    file = root / name
    try:
        real, folder = file.resolve(), root.resolve()
    except (OSError, RuntimeError, ValueError) as exc:  # a link loop, a NUL
        raise ManifestError(f"{where}: file {name!r} cannot be used: {exc}") from exc
    if not real.is_relative_to(folder):
        if Path(name).is_absolute():
            how = "an absolute path"
        elif ".." in Path(name).parts:
            how = f"'..' leads to {real}"
        else:
            how = f"a symbolic link leads to {real}"
        raise ManifestError(
            f"{where}: file {name!r} is outside the corpus folder {root} ({how}); "
            "a corpus may only use files inside its own folder")
    try:
        mode = real.stat().st_mode
    except FileNotFoundError:
        raise ManifestError(f"{where}: file {name!r} not found in {root}") from None
    except OSError as exc:  # a name too long, a file where a folder should be, no access
        raise ManifestError(f"{where}: file {name!r} cannot be used: {exc}") from exc
    if stat.S_ISDIR(mode):
        raise ManifestError(f"{where}: file {name!r} is a folder, not a file")
    if not stat.S_ISREG(mode):
        raise ManifestError(f"{where}: file {name!r} is not a regular file")
    return file


def _parse_date(where: str, text: str) -> dt.date:
    match = _DATE.match(text)
    if match:
        year, month, day = match.groups()
        try:
            return dt.date(int(year), int(month), int(day or 1))
        except ValueError:
            pass
    raise ManifestError(f"{where}: date {text!r} is not an ISO date (YYYY-MM-DD, or YYYY-MM)")

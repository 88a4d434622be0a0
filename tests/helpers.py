"""Plain helpers the tests share: manifest entries, in-memory sources, section lookups.

Fixtures live in `conftest.py`; these are ordinary functions, imported as
`from helpers import ...` (pytest puts `tests/` on the import path).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping
from pathlib import Path

import continuity
from continuity.records import Document, DocumentMeta, Section, SourceText

#: The bundled documents, in timeline order.
BUNDLED_IDS = ("2022-decision", "2024-chengdu", "2024-decision", "2025-report", "15th-plan")

#: The pair the session's bundled site (`bundled_site`) has a page for besides the
#: consecutive ones, as `continuity build --pairs 2022-decision:15th-plan` makes it.
EXTRA_PAIR = ("2022-decision", "15th-plan")

#: The bundled theme taxonomy, copied into tiny corpora (analyse reads it from the corpus folder).
THEMES_FILE = Path(__file__).resolve().parent.parent / "corpus" / "themes.toml"

#: A valid manifest entry; tests override single keys with `entry(...)`.
ENTRY: dict[str, object] = {
    "id": "test-doc",
    "title": "测试文件",
    "short_title": "测试",
    "date": "2024-01-01",
    "issuer": "测试机关",
    "level": "city",
    "genre": "other",
    "file": "test-doc.txt",
    "source": "written by the test suite",
}


def entry(**overrides: object) -> dict[str, object]:
    """A valid manifest entry with some keys replaced (`file` follows `id` unless given)."""
    out = dict(ENTRY)
    if "id" in overrides and "file" not in overrides:
        out["file"] = f"{overrides['id']}.txt"
    out.update(overrides)
    return out


def toml_value(value: object) -> str:
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)  # a JSON string is a TOML basic string
    if isinstance(value, dt.date):
        return value.isoformat()  # a TOML date literal, not a string
    return str(value)


def manifest_text(entries: Iterable[Mapping[str, object]]) -> str:
    """A manifest with one [[document]] table per entry, keys in the given order."""
    blocks = []
    for item in entries:
        lines = ["[[document]]"] + [f"{key} = {toml_value(v)}" for key, v in item.items()]
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + "\n"


def meta(**overrides: object) -> DocumentMeta:
    """An in-memory manifest entry for stage-level tests that never read a file."""
    fields: dict[str, object] = {
        "id": "test-doc", "title": "测试文件", "short_title": "测试",
        "date": dt.date(2024, 1, 1), "date_text": "2024-01-01", "issuer": "测试机关",
        "level": "city", "genre": "other", "file": Path("test-doc.txt"), "source": "tests",
    }
    fields.update(overrides)
    return DocumentMeta(**fields)  # type: ignore[arg-type]


def source(text: str) -> SourceText:
    """A decoded document, as `clean` receives it."""
    return SourceText(meta=meta(), text=text, encoding="utf-8")


def section_at(document: Document, path_text: str) -> Section:
    """The one section of `document` whose path is `path_text` ("第一篇/第三章/专栏1")."""
    found = [s for s in document.sections if s.path_text == path_text]
    assert len(found) == 1, f"{document.id}: {len(found)} sections at {path_text!r}"
    return found[0]


def children(document: Document, section: Section | None,
             style: str | None = None) -> list[Section]:
    """Direct subsections of `section` (top-level ones for None), optionally of one style."""
    parent = section.id if section is not None else None
    return [s for s in document.sections
            if s.parent == parent and (style is None or s.style == style)]


def raw_lines(document: Document) -> list[str]:
    """The lines of a document's file as cleaning numbers them (`line_no - 1` indexes)."""
    text, _ = continuity.decode(document.meta.file.read_bytes())
    return text.splitlines()


def strip_ws(text: str) -> str:
    """`text` without any whitespace (what unit coverage is measured against)."""
    return "".join(text.split())

"""The exports' data dictionary and its Frictionless Data descriptor
(continuity/output/datapackage.py), validated with the `frictionless` package: the
descriptor against the Data Package specification, and the bundled corpus's exports
against the descriptor (types, constraints, primary and foreign keys)."""

from __future__ import annotations

import csv
import json
import re
import shutil
from pathlib import Path

import pytest
from frictionless import Package, validate

from continuity.output.datapackage import (
    COLUMNS,
    DESCRIPTOR,
    DTYPES,
    TABLES,
    descriptor,
    descriptor_json,
    markdown_table,
)
from continuity.output.export import write_exports

README = Path(__file__).resolve().parent.parent / "README.md"


@pytest.fixture(scope="module")
def exported(analysis, tmp_path_factory) -> Path:
    return write_exports(analysis, tmp_path_factory.mktemp("datapackage"))


def errors(folder: Path) -> list[tuple[str, str, str]]:
    report = validate(folder / DESCRIPTOR)
    return [(task.name, e.type, e.message) for task in report.tasks for e in task.errors] + [
        ("package", e.type, e.message) for e in report.errors]


def test_the_descriptor_is_a_valid_tabular_data_package() -> None:
    report = Package.validate_descriptor(descriptor())
    assert report.valid, [e.message for e in report.errors]
    assert descriptor()["profile"] == "tabular-data-package"


def test_the_exports_are_valid_against_their_descriptor(exported: Path) -> None:
    """Every cell has its column's type and constraints, primary keys are unique and
    every foreign key finds its row (frictionless reads every file whole)."""
    assert (exported / DESCRIPTOR).read_text(encoding="utf-8") == descriptor_json()
    assert errors(exported) == []


#: One broken cell per file: (file, line, pattern, replacement), and the errors it makes.
BREAKAGES = {
    # unknown thread
    ("fates.csv", 2, r",t[0-9a-f]{10},(?=[a-z]*$)", ",t0000000000,"): ("foreign-key",),
    ("units.csv", 2, r",s[0-9a-f]{10},", ",s0000000000,"): ("foreign-key",),  # unknown section
    # cross_level, then confidence
    ("alignments.csv", 2, r",[01],([^,]*),(firm|tentative)$", r",yes,\1,\2"): ("type-error",),
    ("alignments.csv", 3, r",(firm|tentative)$", r",sure"): ("constraint-error",),
    ("pairs.csv", 2, r"$", "\n{line}"): ("primary-key",),  # a pair twice
    ("documents.csv", 2, r",\d{4}-\d{2}-\d{2},", ",2022年,"): ("constraint-error",),  # date
    ("sections.csv", 3, r",\d+,(\d+)$", r",-1,\1"): ("constraint-error",),  # start < 0
    ("threads.csv", 2, r"$", "\n{line}"): ("primary-key", "unique-error"),  # a row twice
}


def test_validation_finds_what_breaks_the_descriptor(exported: Path, tmp_path: Path) -> None:
    """The validation is not vacuous: each broken cell is found, and nothing else."""
    broken = tmp_path / "data"
    shutil.copytree(exported, broken)
    for (file, line, old, new), _ in BREAKAGES.items():
        lines = (broken / file).read_text(encoding="utf-8").split("\n")
        if file == "alignments.csv":
            del lines[200:-1]  # fewer rows to read (no other file refers to them)
        lines[line - 1], n = re.subn(old, new.replace("{line}", lines[line - 1]),
                                     lines[line - 1])
        assert n == 1, file
        (broken / file).write_text("\n".join(lines), encoding="utf-8")
    found = {(task, kind) for task, kind, _ in errors(broken)}
    assert found == {(file[:-4], kind) for (file, *_), kinds in BREAKAGES.items()
                     for kind in kinds}


def test_every_file_is_described_with_its_columns_in_order(exported: Path) -> None:
    resources = json.loads((exported / DESCRIPTOR).read_text(encoding="utf-8"))["resources"]
    assert [r["path"] for r in resources] == list(COLUMNS)
    assert sorted(p.name for p in exported.iterdir()) == sorted([*COLUMNS, DESCRIPTOR])
    for resource in resources:
        with (exported / resource["path"]).open(encoding="utf-8", newline="") as handle:
            header = next(csv.reader(handle))
        fields = resource["schema"]["fields"]
        assert [f["name"] for f in fields] == header
        assert all(len(f["description"]) > 20 and f["type"] in DTYPES for f in fields)
        assert resource["description"].startswith("One row per ")


def test_one_name_per_concept() -> None:
    """A column name means one thing in every file: its type is the same, every document
    column refers to documents.csv, every unit column to units.csv, every section
    column to sections.csv; `level` is an administrative level (a section's place in
    the outline is its `depth`)."""
    types: dict[str, set[str]] = {}
    for table in TABLES:
        for field in table.fields:
            types.setdefault(field.name, set()).add(field.type)
        keys = {k.fields[0]: (k.reference, k.columns[0]) for k in table.foreign_keys
                if len(k.fields) == 1}
        for name in table.columns:
            if table.file == "documents.csv":
                continue
            for suffix, target in (("doc", ("documents.csv", "doc")),
                                   ("unit", ("units.csv", "unit")),
                                   ("section", ("sections.csv", "section"))):
                if (name == suffix or name.endswith(f"_{suffix}")) and not (
                        table.file == f"{suffix}s.csv" and name == suffix):
                    assert keys.get(name) == target, (table.file, name)
    assert all(len(found) == 1 for found in types.values()), types
    assert [t.file for t in TABLES if "level" in t.columns] == ["documents.csv"]
    assert "depth" in COLUMNS["sections.csv"]
    assert "section_path" in COLUMNS["units.csv"] and "label" in COLUMNS["sections.csv"]


def test_keys_name_columns_of_their_files() -> None:
    by_file = {t.file: t for t in TABLES}
    for table in TABLES:
        assert set(table.primary_key) <= set(table.columns)
        for key in table.foreign_keys:
            assert set(key.fields) <= set(table.columns)
            target = by_file[key.reference]
            assert set(key.columns) <= set(target.columns)
    keyed = {t.file for t in TABLES if t.primary_key}
    # a clause may state one indicator twice: no key
    assert set(COLUMNS) - keyed == {"targets.csv"}
    assert by_file["alignments.csv"].primary_key == ("source_unit", "target_doc", "rank")
    # a counterpart's documents are a compared pair: absence is read against pairs.csv
    assert any(k.reference == "pairs.csv" and k.fields == ("source_doc", "target_doc")
               for k in by_file["alignments.csv"].foreign_keys)


def test_the_descriptor_is_the_same_every_time() -> None:
    assert descriptor_json() == descriptor_json()
    assert descriptor_json().endswith("}\n")
    assert json.loads(descriptor_json()) == descriptor()


def test_the_readme_table_is_the_data_dictionarys() -> None:
    """The README's table of the exports is `markdown_table()`, so it lists every file
    with its columns in order (refresh it from there when a column changes)."""
    assert markdown_table() in README.read_text(encoding="utf-8")

"""The package reads as the pipeline: every folder is a stage that says in one line what it does."""

from __future__ import annotations

import ast
from pathlib import Path

import continuity

PACKAGE = Path(continuity.__file__).resolve().parent


def packages() -> list[Path]:
    return sorted(p.parent for p in PACKAGE.rglob("__init__.py") if "__pycache__" not in p.parts)


def test_every_folder_is_a_package_with_a_one_line_docstring() -> None:
    folders = {p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts}
    assert {f.parent for f in folders} <= set(packages())
    for package in packages():
        doc = ast.get_docstring(ast.parse((package / "__init__.py").read_text("utf-8")))
        assert doc, f"{package.relative_to(PACKAGE)} has no docstring"
        assert len(doc.splitlines()[0]) <= 100


def test_the_stages_are_folders() -> None:
    names = {p.relative_to(PACKAGE).as_posix() for p in packages()}
    assert {"corpus", "text", "analysis", "output", "engine", "views", "evaluation"} <= names

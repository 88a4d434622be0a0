"""The user's cache folder (continuity/cachedir.py)."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from continuity.cachedir import default_cache_dir, usable_cache_dir


def test_default_cache_dir_honours_xdg(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert default_cache_dir() == tmp_path / "continuity"


def test_default_cache_dir_is_under_home(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    assert default_cache_dir() == tmp_path / ".cache" / "continuity"


def test_usable_cache_dir_is_created_private(tmp_path: Path) -> None:
    folder = usable_cache_dir("templates", tmp_path / "c")
    assert folder == tmp_path / "c" / "templates" and folder.is_dir()
    assert stat.S_IMODE(folder.stat().st_mode) & 0o077 == 0


def test_an_unusable_cache_dir_is_none(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    assert usable_cache_dir("templates", blocker) is None

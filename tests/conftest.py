"""Shared fixtures: the bundled corpus loaded once, and builders for tiny inline corpora."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

import pytest
from helpers import EXTRA_PAIR, THEMES_FILE, entry, manifest_text
from hypothesis import settings

import continuity
from continuity.analysis.run import Analysis, analyse
from continuity.build import build as build_site
from continuity.records import Corpus, Document

# Property tests run on every `pytest`: few examples so the suite stays fast, and no
# deadline because the first call into jieba builds its dictionary. For a longer hunt:
# `pytest --hypothesis-profile=thorough`.
settings.register_profile("continuity", max_examples=150, deadline=None)
settings.register_profile("thorough", max_examples=5000, deadline=None)
settings.load_profile("continuity")


@pytest.fixture(scope="session")
def corpus() -> Corpus:
    """The bundled corpus through every ingest stage, built once per test session (read
    afresh, never from the cache of documents read before)."""
    return continuity.load_corpus(cache=False)


@pytest.fixture(scope="session")
def corpus_again() -> Corpus:
    """The bundled corpus loaded a second time, apart from `corpus`: what one load gives,
    the next must give too (tests compare the two). It may come from the user's cache of
    documents read before (`corpus.document_cache`), which must give the same."""
    return continuity.load_corpus()


@pytest.fixture(scope="session")
def analysis(corpus: Corpus) -> Analysis:
    """The bundled corpus through every comparison stage (align, themes, sections, fates)."""
    return analyse(corpus)


@pytest.fixture(scope="session")
def bundled_site(corpus: Corpus, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled corpus's report folder, built once per test session as `continuity build
    --workers 1 --pairs 2022-decision:15th-plan` writes it (one pair page more than the
    consecutive ones: EXTRA_PAIR). Shared by test_build, test_browser and test_engine:
    read it, never change it (copy it first)."""
    out = tmp_path_factory.mktemp("site") / "reports"
    return build_site(corpus, out, workers=1, pairs=[EXTRA_PAIR]).parent


@pytest.fixture(scope="session")
def bundled_frames(analysis: Analysis) -> dict[str, Any]:
    """`continuity.frames(analysis)` of the session analysis, once: read only (pandas
    operations that return a new frame are fine; nothing may change these in place)."""
    return continuity.frames(analysis)


@pytest.fixture(scope="session")
def synthetic_analysis(tmp_path_factory: pytest.TempPathFactory) -> Analysis:
    """Eight synthetic documents in two series of four years (`benchmarks/synthetic.py`,
    a third of each document's lines), compared by the plan's rules, not every pair: each
    document with a few others, as in a large corpus. Read only."""
    import sys

    from continuity.settings import AlignSettings

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
    from synthetic import write_corpus

    root = tmp_path_factory.mktemp("synthetic") / "corpus"
    write_corpus(root, 8, years=4, share=0.3)
    return analyse(continuity.load_corpus(root, cache=False),
                   AlignSettings(all_pairs_max_docs=2))


@pytest.fixture(scope="session")
def export_texts(analysis: Analysis) -> dict[str, str]:
    """The session analysis's CSV exports (file name → text), made once: read only."""
    from continuity.output.export import export_files

    return export_files(analysis)


@pytest.fixture(scope="session")
def english_pages(analysis: Analysis) -> dict[str, str]:
    """The bundled site's pages in English (page name → HTML), with EXTRA_PAIR's page
    besides the consecutive ones, rendered once per session: read only."""
    from continuity.output.report import render_site

    return render_site(analysis, pairs=[EXTRA_PAIR], lang="en")


@pytest.fixture(scope="session")
def session_store(tmp_path_factory: pytest.TempPathFactory, analysis: Analysis) -> Path:
    """The session analysis's store, as `align` writes it for the bundled corpus."""
    from continuity.corpus.manifest import bundled_corpus
    from continuity.output.store import STORE, fingerprint, write_store

    path = tmp_path_factory.mktemp("store") / STORE
    return write_store(path, analysis, fingerprint(bundled_corpus()))


@pytest.fixture
def store_cwd(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory,
              session_store: Path) -> Path:
    """A working folder of its own whose reports/ holds the session's store (a link to it:
    a command rebuilding it replaces the link, not the file), so commands answer from it
    and write nothing into the repository's reports/."""
    here = tmp_path_factory.mktemp("cwd")
    (here / "reports").mkdir()
    os.link(session_store, here / "reports" / session_store.name)
    monkeypatch.chdir(here)
    return here


@pytest.fixture(scope="session")
def doc(corpus: Corpus) -> Callable[[str], Document]:
    """A bundled document by id: `doc("15th-plan")`."""
    return corpus.document


@pytest.fixture
def write_corpus(tmp_path: Path) -> Callable[..., Path]:
    """Write a corpus folder under tmp_path: `write_corpus([(entry, body), ...])` → its path.

    Each body goes to the file its entry names: str as UTF-8, bytes as they are,
    None writes no file (for the missing-file error).
    """

    made = 0

    def write(docs: Iterable[tuple[Mapping[str, object], str | bytes | None]]) -> Path:
        nonlocal made
        made += 1
        root = tmp_path / f"corpus{made}"
        root.mkdir()
        entries = []
        for item, body in docs:
            entries.append(item)
            path = root / str(item["file"])
            if isinstance(body, bytes):
                path.write_bytes(body)
            elif body is not None:
                path.write_text(body, encoding="utf-8")
        (root / "manifest.toml").write_text(manifest_text(entries), encoding="utf-8")
        return root

    return write


@pytest.fixture
def build(write_corpus: Callable[..., Path]) -> Callable[[str], Document]:
    """One inline text, written to tmp_path, through every ingest stage."""

    def run(text: str) -> Document:
        root = write_corpus([(entry(), text)])
        return continuity.load_corpus(root).documents[0]

    return run


@pytest.fixture
def compare_corpus(write_corpus: Callable[..., Path]) -> Callable[..., Corpus]:
    """Several inline texts as one loaded corpus, ready for `analyse`:
    `compare_corpus([(entry, body), ...])` (the bundled themes.toml is copied in unless
    `themes` gives another taxonomy's text, or None for none at all)."""

    def run(docs: Iterable[tuple[Mapping[str, object], str]],
            themes: str | None = THEMES_FILE.read_text(encoding="utf-8")) -> Corpus:
        root = write_corpus(docs)
        if themes is not None:
            (root / "themes.toml").write_text(themes, encoding="utf-8")
        return continuity.load_corpus(root)

    return run

"""The `continuity` command: parses options and calls the library, nothing more."""

from __future__ import annotations

import functools
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from . import console
from .errors import ContinuityError
from .pipeline import load_corpus
from .records import Corpus, Document

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


def corpus_option(func: Callable[..., Any]) -> Callable[..., Any]:
    """`--corpus DIR` (default: the bundled corpus), loaded and passed on as `corpus`."""

    @click.option("--corpus", "corpus_dir", type=click.Path(file_okay=False, path_type=Path),
                  default=None, help="Corpus folder with manifest.toml (default: bundled corpus).")
    @functools.wraps(func)
    def wrapper(*args: Any, corpus_dir: Path | None, **kwargs: Any) -> Any:
        try:
            corpus = load_corpus(corpus_dir)
            return func(*args, corpus=corpus, **kwargs)
        except ContinuityError as exc:
            raise click.ClickException(str(exc)) from exc

    return wrapper


def _document(corpus: Corpus, doc_id: str) -> Document:
    return corpus.document(doc_id)  # raises UnknownDocumentError listing the known ids


def _width() -> int:
    return max(60, shutil.get_terminal_size((120, 24)).columns)


@click.group(context_settings=CONTEXT)
@click.version_option(package_name="continuity")
def cli() -> None:
    """Follow policy commitments through a series of Chinese policy documents.

    Every command works on the bundled corpus unless given --corpus DIR.
    """


@cli.command("corpus")
@corpus_option
def corpus_command(corpus: Corpus) -> None:
    """List the documents in timeline order, with their sizes.

    Example: continuity corpus
    """
    click.echo(console.corpus_table(corpus))


@cli.command("outline")
@click.argument("doc")
@corpus_option
def outline_command(corpus: Corpus, doc: str) -> None:
    """Show DOC's section tree with each section's kind and unit count.

    Example: continuity outline 15th-plan
    """
    click.echo(console.outline_text(_document(corpus, doc), width=_width()))


@cli.command("units")
@click.argument("doc")
@click.option("--section", "section_path", metavar="PATH",
              help="Only this section and its subsections, e.g. 第三篇/第七章.")
@corpus_option
def units_command(corpus: Corpus, doc: str, section_path: str | None) -> None:
    """List DOC's sentence units with section, kind, role and offsets.

    Example: continuity units 2025-report --section 重点工作/(一)
    """
    document = _document(corpus, doc)
    units = document.units
    if section_path:
        chosen = {s.id for s in console.select_section(document, section_path)}
        units = tuple(u for u in units if u.section_id in chosen)
    click.echo(console.units_text(document, units, width=_width()))


@cli.command("clean")
@click.argument("doc")
@click.option("--removed", is_flag=True, help="List the lines cleaning removed, with reasons.")
@click.option("--joins", is_flag=True, help="List the lines rejoined after PDF line breaks.")
@corpus_option
def clean_command(corpus: Corpus, doc: str, removed: bool, joins: bool) -> None:
    """Print DOC's cleaned text, or what cleaning removed (--removed) or joined (--joins).

    Example: continuity clean 2024-chengdu --removed
    """
    document = _document(corpus, doc)
    if removed:
        click.echo(console.removed_text(document))
    if joins:
        click.echo(console.joins_text(document))
    if not (removed or joins):
        click.echo(document.clean.text)

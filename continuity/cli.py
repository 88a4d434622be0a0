"""The `continuity` command: parses options and calls the library, nothing more.

Commands import the comparison stages when they run, so `continuity corpus` or
`outline` do not pay for numpy, scipy and jinja.
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click

from .errors import ContinuityError, UnknownDocumentError
from .i18n import DEFAULT_LANG, LANGUAGES
from .records import Corpus, Document, Passage
from .settings import AlignSettings, UnknownSettingError
from .views import console, terminal

if TYPE_CHECKING:
    from .analysis.run import Analysis
    from .engine import Engine

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


#: `--corpus DIR`, passed on as the folder `corpus_dir` (None: the bundled corpus).
corpus_dir_option = click.option(
    "--corpus", "corpus_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
    help="Corpus folder with manifest.toml (default: bundled corpus).")


def corpus_option(func: Callable[..., Any]) -> Callable[..., Any]:
    """`--corpus DIR` (default: the bundled corpus), loaded and passed on as `corpus`."""

    @corpus_dir_option
    @functools.wraps(func)
    def wrapper(*args: Any, corpus_dir: Path | None, **kwargs: Any) -> Any:
        try:
            corpus = load_corpus(corpus_dir)
            return func(*args, corpus=corpus, **kwargs)
        except ContinuityError as exc:
            raise click.ClickException(str(exc)) from exc

    return wrapper


#: `--json`: print the result as one JSON document for scripts (`continuity.views.jsonout`).
json_option = click.option(
    "--json", "as_json", is_flag=True,
    help="Print one JSON document instead (the fields of the CSV exports; for scripts).")


def _print_json(document: dict[str, Any]) -> None:
    from .views.jsonout import dumps

    click.echo(dumps(document))


#: `--lang`: the language of the site's pages and teaching tables (the exports have one).
lang_option = click.option(
    "--lang", type=click.Choice(sorted(LANGUAGES)), default=DEFAULT_LANG, show_default=True,
    help="Language of the pages and teaching tables: zh (Chinese) or en (English).")

#: `--force`: replace an output folder or file even if it holds what continuity did not write.
force_option = click.option(
    "--force", is_flag=True,
    help="Replace the output even if it holds files continuity did not write (they are lost).")


def engine_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """`--engine local|dask`, `--scheduler ADDRESS`, `--workers N` and `--memory-limit
    SIZE`: where the jobs run (`continuity.engine`), passed on as `engine`, `scheduler`,
    `workers` and `memory_limit` (bytes, or None)."""
    from .engine import ENGINES, MIN_MEMORY_LIMIT, memory_limit_bytes

    def size(ctx: click.Context, param: click.Parameter, value: str | None) -> int | None:
        try:
            return None if value is None else memory_limit_bytes(value)
        except ContinuityError as exc:
            raise click.BadParameter(str(exc)) from None

    for option in reversed([
            click.option("--engine", type=click.Choice(ENGINES), default=ENGINES[0],
                         show_default=True,
                         help="Where the per-document work runs: forked processes on this "
                              "machine, or dask.distributed (pip install 'continuity[dask]')."),
            click.option("--scheduler", metavar="ADDRESS", default=None,
                         help="With --engine dask: an existing cluster's scheduler, e.g. "
                              "tcp://10.0.0.5:8786 [default: a LocalCluster on this machine]."),
            click.option("--workers", type=click.IntRange(min=1), default=None,
                         help="Processes sharing the work [default: one per core]."),
            click.option("--memory-limit", metavar="SIZE", default=None, callback=size,
                         help="With --engine dask: the memory each worker of the "
                              "LocalCluster may hold, e.g. 4GiB (at least "
                              f"{MIN_MEMORY_LIMIT // 2**20}MiB) [default: this machine's "
                              "memory shared out between the workers].")]):
        func = option(func)
    return func


def settings_option(func: Callable[..., Any]) -> Callable[..., Any]:
    """`--set NAME=VALUE` (repeatable): override a named alignment threshold."""

    @click.option("--set", "overrides", multiple=True, metavar="NAME=VALUE",
                  help="Override an alignment setting, e.g. --set min_score=0.35 "
                       "(see `continuity settings`).")
    @functools.wraps(func)
    def wrapper(*args: Any, overrides: tuple[str, ...], **kwargs: Any) -> Any:
        pairs = {}
        for item in overrides:
            name, sep, value = item.partition("=")
            if not sep:
                raise click.BadParameter(f"{item!r} is not NAME=VALUE", param_hint="--set")
            pairs[name.strip()] = value.strip()
        try:
            settings = AlignSettings().with_overrides(pairs)
        except (UnknownSettingError, ValueError) as exc:
            raise click.BadParameter(str(exc), param_hint="--set") from exc
        return func(*args, settings=settings, **kwargs)

    return wrapper


def load_corpus(corpus_dir: Path | None = None, workers: int | None = None) -> Corpus:
    """The corpus's records (`pipeline.load_corpus`), imported on first use: loading
    imports jieba, which commands answering from the store and `--help` do without."""
    from .pipeline import load_corpus as load

    return load(corpus_dir, workers)


def analyse(corpus: Corpus, settings: AlignSettings | None = None,
            engine: Engine | None = None) -> Analysis:
    """The comparison stages, imported on first use (see the module docstring)."""
    from .analysis.run import analyse as run

    return run(corpus, settings, engine=engine)


def _document(corpus: Corpus, doc_id: str) -> Document:
    return corpus.document(doc_id)  # raises UnknownDocumentError listing the known ids


def _show(make: Callable[[terminal.Terminal], str]) -> None:
    """Print what `make` writes for this terminal (its width, colour or not): through the
    pager when longer than the screen (`continuity.views.terminal`)."""
    screen = terminal.detect()
    terminal.show(make(screen), screen)


#: `--out DIR`: the report folder whose store a command answers from.
store_option = click.option(
    "--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
    default=Path("reports"), show_default=True,
    help="Report folder whose continuity.db answers (built there first when missing or out "
         "of date, as `continuity align --out DIR` does).")


def store_access() -> Any:
    """`continuity.output.store.access`, imported when a command runs."""
    from .output.store import access

    return access


def _say(message: str) -> None:
    """A line about the store, on stderr, wrapped to its terminal's width."""
    width = terminal.detect(sys.stderr).width
    click.echo("\n".join(console.wrap(message, width, "", "  ")), err=True)


def _root(corpus_dir: Path | None) -> Path:
    from .corpus.manifest import bundled_corpus

    return corpus_dir if corpus_dir is not None else bundled_corpus()


def _known(root: Path, *doc_ids: str) -> None:
    """UnknownDocumentError (listing the manifest's ids) for an id it does not have."""
    from .corpus.manifest import read_manifest

    known = tuple(m.id for m in read_manifest(root))
    for doc_id in doc_ids:
        if doc_id not in known:
            raise UnknownDocumentError(doc_id, known)


@contextmanager
def _errors() -> Iterator[None]:
    """A library error as the command's error message (no traceback)."""
    try:
        yield
    except ContinuityError as exc:
        raise click.ClickException(str(exc)) from exc


def _as_analysis(analysis: Any) -> Analysis:
    """An analysis read from the store reads like one made now (`store.stored`)."""
    return analysis  # type: ignore[no-any-return]


@click.group(context_settings=CONTEXT)
@click.version_option(package_name="continuity")
def cli() -> None:
    """Follow policy commitments through a series of Chinese policy documents.

    Every command works on the bundled corpus unless given --corpus DIR.
    """


@cli.command("corpus")
@json_option
@store_option
@corpus_dir_option
def corpus_command(corpus_dir: Path | None, out_dir: Path, as_json: bool) -> None:
    """List the documents in timeline order, with their sizes.

    Example: continuity corpus
    Example: continuity corpus --json
    """
    with _errors():
        corpus = store_access().documents(_root(corpus_dir), out_dir, _say,
                                          clauses=as_json)  # the table counts sentences
    if as_json:
        from .views.jsonout import corpus_document

        _print_json(corpus_document(corpus))
        return
    _show(lambda t: console.corpus_table(corpus, width=t.width, color=t.color))


@cli.command("outline")
@click.argument("doc")
@store_option
@corpus_dir_option
def outline_command(corpus_dir: Path | None, out_dir: Path, doc: str) -> None:
    """Show DOC's section tree with each section's kind and unit count.

    Example: continuity outline 15th-plan
    """
    with _errors():
        document = _stored_document(corpus_dir, out_dir, doc)
    _show(lambda t: console.outline_text(document, width=t.width, color=t.color))


@cli.command("units")
@click.argument("doc")
@click.option("--section", "section_path", metavar="PATH",
              help="Only this section and its subsections, e.g. 第三篇/第七章.")
@click.option("--clauses", is_flag=True,
              help="List clauses (the units of units.csv and of alignment), not sentences.")
@store_option
@corpus_dir_option
def units_command(corpus_dir: Path | None, out_dir: Path, doc: str, section_path: str | None,
                  clauses: bool) -> None:
    """List DOC's sentence units (or --clauses) with section, kind, role, function and
    offsets. A clause's function is what it does: action, target or principle (the
    commitments), review, context, procedural or heading.

    Example: continuity units 2025-report --section 重点工作/(一) --clauses
    """
    with _errors():
        document = _stored_document(corpus_dir, out_dir, doc)
        units: tuple[Passage, ...] = document.clauses if clauses else document.units
        if section_path:
            chosen = {s.id for s in console.select_section(document, section_path)}
            units = tuple(u for u in units if u.section_id in chosen)
    _show(lambda t: console.units_text(document, units, width=t.width, color=t.color))


def _stored_document(corpus_dir: Path | None, out_dir: Path, doc_id: str) -> Document:
    """One document's records, from the store (or the corpus, rebuilding the store)."""
    root = _root(corpus_dir)
    _known(root, doc_id)
    corpus: Corpus = store_access().documents(root, out_dir, _say, only=(doc_id,))
    return corpus.document(doc_id)


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

    def text(t: terminal.Terminal) -> str:
        if not (removed or joins):
            return console.wrap_text(document.clean.text, t.width)
        return "\n".join(([console.removed_text(document, t.width, t.color)] if removed else [])
                         + ([console.joins_text(document, t.width, t.color)] if joins else []))

    _show(text)


@cli.command("settings")
def settings_command() -> None:
    """List the alignment settings and their defaults (override with --set NAME=VALUE).

    Example: continuity settings
    """
    _show(lambda t: console.settings_text(AlignSettings(), width=t.width, color=t.color))


@cli.command("plan")
@json_option
@corpus_dir_option
@settings_option
def plan_command(corpus_dir: Path | None, settings: AlignSettings, as_json: bool) -> None:
    """List which documents are compared with which, and why, and each series' timeline
    (read from the manifest alone: every pair in a small corpus, series neighbours,
    the level above and peers beyond; the manifest's [compare] table changes it).

    Example: continuity plan
    Example: continuity plan --set all_pairs_max_docs=2 --json
    """
    from .corpus.manifest import bundled_corpus, read_corpus_manifest
    from .corpus.plan import comparison_plan, plan_document, plan_text

    try:
        manifest = read_corpus_manifest(corpus_dir or bundled_corpus())
        plan = comparison_plan(manifest, settings)
    except ContinuityError as exc:
        raise click.ClickException(str(exc)) from exc
    if as_json:
        _print_json(plan_document(plan))
        return
    _show(lambda t: plan_text(plan, manifest.documents))


@cli.command("align")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              default=Path("reports"), show_default=True,
              help="Folder whose data/ subfolder receives the CSV exports, and which receives "
                   "the store continuity.db.")
@engine_options
@force_option
@corpus_dir_option
@settings_option
def align_command(corpus_dir: Path | None, settings: AlignSettings, out_dir: Path,
                  force: bool, engine: str, scheduler: str | None, workers: int | None,
                  memory_limit: int | None) -> None:
    """Align every commitment with its counterparts and write the CSV exports to OUT/data/
    and the whole analysis to the SQLite store OUT/continuity.db (each replaced whole:
    only if it holds nothing but continuity's files, or with --force).

    Example: continuity align --out reports --set min_score=0.35
    Example: continuity align --engine dask --scheduler tcp://10.0.0.5:8786
    """
    from .engine import check_engine_options, open_engine
    from .output.export import counterpart_words
    from .output.store import fingerprint
    from .output.store.access import analysis_output, write_analysis

    root = _root(corpus_dir)
    with _errors():
        check_engine_options(engine, scheduler, memory_limit)
        stamp = fingerprint(root, settings)  # before the corpus is read
        with analysis_output(out_dir, root, force) as (folder, file):
            corpus = load_corpus(root, workers)
            with open_engine(engine, workers, scheduler, memory_limit) as runner:
                analysis = analyse(corpus, settings, runner)
                words = counterpart_words(analysis.result, runner, pages=False)
            data = write_analysis(folder, file, analysis, stamp, words)
    wrote = (f"wrote {', '.join(sorted(p.name for p in data.iterdir()))} to {data}, and "
             f"{out_dir / 'continuity.db'}")
    _show(lambda t: "\n\n".join([console.fates_table(analysis, width=t.width, color=t.color),
                                 "\n".join(console.wrap(wrote, t.width, "", "  "))]))


@cli.command("diff")
@click.argument("doc_a")
@click.argument("doc_b")
@click.option("--section", "section_path", metavar="PATH",
              help="Only this section of DOC_A (and its subsections).")
@click.option("--html", "html_path", type=click.Path(dir_okay=False, path_type=Path),
              default=None, is_flag=False, flag_value=Path("reports/_default_"),
              help="Write the pair page as one self-contained HTML file instead "
                   "(default: reports/pair-A--B.html, beside a built site's document pages).")
@click.option("--site", metavar="FOLDER_OR_URL", default=None,
              help="With --html: link the page's passages to this report site (its folder "
                   "as seen from the page's, or its URL); without it a page written "
                   "elsewhere links nowhere.")
@lang_option
@json_option
@force_option
@store_option
@corpus_dir_option
@settings_option
def diff_command(corpus_dir: Path | None, out_dir: Path, settings: AlignSettings, doc_a: str,
                 doc_b: str, section_path: str | None, html_path: Path | None,
                 site: str | None, lang: str, force: bool, as_json: bool) -> None:
    """Show DOC_A's commitments beside their counterparts in DOC_B, word changes marked.

    Deletions are shown [-like this-], insertions {+like this+}. With --html, the same
    comparison as a pair page (any two documents, not only consecutive ones); to keep
    one in the report site, build it with `continuity build --pairs A:B`.

    Example: continuity diff 2024-decision 15th-plan --section 二/(一)
    Example: continuity diff 2022-decision 15th-plan --html pair.html --site reports
    Example: continuity diff 2024-decision 15th-plan --json
    """
    if as_json and html_path is not None:
        raise click.UsageError("give --html or --json, not both")
    if site is not None and html_path is None:
        raise click.UsageError("--site goes with --html")
    root = _root(corpus_dir)
    with _errors():
        _known(root, doc_a, doc_b)
    if doc_a == doc_b:
        raise click.ClickException(f"compare two different documents (both are {doc_a!r})")
    if html_path is not None:
        _diff_page(root, settings, doc_a, doc_b, html_path, force, site, lang)
        return
    from .analysis.compare import compare_documents
    from .analysis.counts import pair_counts

    with _errors(), store_access().analysis(root, out_dir, settings, _say, only=(doc_a, doc_b),
                                            sentences=False) as analysis:
        document = analysis.corpus.document(doc_a)
        chosen = ({s.id for s in console.select_section(document, section_path)}
                  if section_path else None)
        rows, unmatched = compare_documents(_as_analysis(analysis), doc_a, doc_b, chosen)
        if as_json:
            from .views.jsonout import diff_document

            _print_json(diff_document(_as_analysis(analysis), doc_a, doc_b, section_path, rows,
                                      unmatched if section_path is None else None))
            return
        counts = pair_counts(_as_analysis(analysis), doc_a, doc_b, chosen)
    _show(lambda t: console.diff_text(rows, unmatched, doc_a, doc_b, counts,
                                      show_unmatched=section_path is None, width=t.width,
                                      color=t.color))


def _diff_page(root: Path, settings: AlignSettings, doc_a: str, doc_b: str, html_path: Path,
               force: bool, site: str | None, lang: str) -> None:
    """`diff --html`: the pair page (in `lang`), from a fresh analysis (it shows sections
    and themes)."""
    from .build import pair_page_output

    target = None if html_path.name == "_default_" else html_path
    with _errors():
        with pair_page_output(doc_a, doc_b, target, force, site, lang) as write:  # checked first
            click.echo(str(write(analyse(load_corpus(root), settings)).resolve()))


@cli.command("trace")
@click.argument("query", metavar="TEXT_OR_UNIT")
@json_option
@store_option
@corpus_dir_option
@settings_option
def trace_command(corpus_dir: Path | None, out_dir: Path, settings: AlignSettings, query: str,
                  as_json: bool) -> None:
    """Follow a phrase, a sentence copied from a document (clause by clause) or a unit id from
    the exports across the timeline, with its counterparts and relation in each document.
    Text that no passage carries is an error; the nearest passages are suggested.

    Example: continuity trace 天府粮仓
    Example: continuity trace 天府粮仓 --json
    """
    from .analysis.trace import PassageNotFound, trace

    root = _root(corpus_dir)
    with _errors(), store_access().analysis(root, out_dir, settings, _say,
                                            sentences=False) as analysis:
        try:
            found = trace(_as_analysis(analysis), query)
        except PassageNotFound as exc:
            suggestions = exc.suggestions or _suggestions(root, settings, exc)
            if suggestions:
                width = terminal.detect(sys.stderr).width
                click.echo(console.suggestions_text(suggestions, width=min(width, 100)),
                           err=True)
            raise
        if as_json:
            from .views.jsonout import trace_document

            _print_json(trace_document(_as_analysis(analysis), found))
            return
    _show(lambda t: console.trace_text(found, width=t.width, color=t.color))


def _suggestions(root: Path, settings: AlignSettings, missing: Exception) -> tuple[Any, ...]:
    """The nearest passages to a text no passage carries, when the store could not say
    (it keeps no vectors): from the alignment's vectors, made now."""
    from .analysis.trace import PassageNotFound, nearest

    if not isinstance(missing, PassageNotFound) or not missing.norm:
        return ()
    return nearest(analyse(load_corpus(root), settings), missing.norm)


@cli.command("history")
@click.argument("query", metavar="UNIT_OR_TEXT")
@json_option
@store_option
@corpus_dir_option
@settings_option
def history_command(corpus_dir: Path | None, out_dir: Path, settings: AlignSettings, query: str,
                    as_json: bool) -> None:
    """Show the history of a commitment: its wording in each document in timeline order, with
    the words changed since its previous appearance. UNIT_OR_TEXT is a unit id from the
    exports (a clause, or a sentence: each of its clauses) or text a passage contains (each
    passage containing it).

    Example: continuity history 天府粮仓
    Example: continuity history 天府粮仓 --json
    """
    from .analysis.history import find_clauses, history

    with _errors(), store_access().analysis(_root(corpus_dir), out_dir, settings, _say,
                                            sentences=False) as stored:
        analysis = _as_analysis(stored)
        found = find_clauses(analysis, query)
        seen: set[str] = set()
        histories = []
        for clause in found:
            fate = analysis.fate(clause.id)
            if fate.thread in seen:
                continue
            seen.add(fate.thread)
            histories.append(history(analysis, clause.id))
        if as_json:
            from .views.jsonout import history_document

            _print_json(history_document(analysis, query, histories))
            return
    _show(lambda t: "\n\n".join(console.history_text(h, width=t.width, color=t.color)
                                for h in histories))


@cli.command("evaluate")
@click.argument("gold", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--misses", is_flag=True,
              help="Also list each wrong target: the clauses involved and why the tool decided "
                   "(score and score needed, shared terms, terms naming other objects).")
@json_option
@corpus_option
@settings_option
def evaluate_command(corpus: Corpus, settings: AlignSettings, gold: Path, misses: bool,
                     as_json: bool) -> None:
    """Score the alignment against annotated probes (JSONL, scoring rule v2) and print the
    figures, overall and per target document.

    Example: continuity evaluate ../shared/gold-dev.jsonl --misses
    Example: continuity evaluate ../shared/gold-dev.jsonl --json
    """
    from .evaluation.alignment import evaluate, misses_text, read_probes, report
    from .evaluation.alignment import misses as wrong

    try:
        probes = read_probes(gold)
        analysis = analyse(corpus, settings)
        result = analysis.result
        evaluation = evaluate(result, probes)
    except ContinuityError as exc:
        raise click.ClickException(str(exc)) from exc
    if as_json:
        from .views.jsonout import evaluation_document

        _print_json(evaluation_document(analysis, evaluation,
                                        wrong(evaluation, result) if misses else None))
        return
    text = report(evaluation)
    if misses:
        text += "\n\n" + misses_text(wrong(evaluation, result), result)
    _show(lambda t: console.wrap_text(text, t.width, "  "))


@cli.command("build")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              default=Path("reports"), show_default=True, help="Folder for the site and exports.")
@engine_options
@click.option("--pairs", "pairs_text", multiple=True, metavar="all|A:B[,C:D…]",
              help="Pair pages besides those of consecutive documents: 'all' (every two "
                   "documents, earlier → later) or document ids A:B, comma-separated or "
                   "repeated.")
@lang_option
@force_option
@corpus_dir_option
@settings_option
def build_command(corpus_dir: Path | None, settings: AlignSettings, out_dir: Path,
                  workers: int | None, pairs_text: tuple[str, ...], lang: str,
                  force: bool, engine: str, scheduler: str | None,
                  memory_limit: int | None) -> None:
    """Run the whole pipeline and write the report site, CSV exports and teaching tables.
    OUT is replaced whole: only if it holds nothing but continuity's files, or with --force.

    Example: continuity build --out reports
    Example: continuity build --pairs 2022-decision:15th-plan,2024-decision:15th-plan
    Example: continuity build --lang en
    Example: continuity build --engine dask --workers 4
    Example: continuity build --engine dask --workers 2 --memory-limit 4GiB
    """
    from .build import build

    pairs = _pairs(pairs_text)
    try:
        index = build(corpus_dir, out_dir, settings, progress=lambda m: click.echo(m, err=True),
                      workers=workers, force=force, pairs=pairs, lang=lang, engine=engine,
                      scheduler=scheduler, memory_limit=memory_limit)
    except ContinuityError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(str(index.resolve()))


def _pairs(values: tuple[str, ...]) -> str | tuple[tuple[str, str], ...]:
    """--pairs values: "all", or A:B items (comma-separated, repeatable)."""
    items = [item.strip() for value in values for item in value.split(",") if item.strip()]
    if "all" in items:
        return "all"
    pairs = []
    for item in items:
        a, sep, b = item.partition(":")
        if not sep or not a.strip() or not b.strip():
            raise click.BadParameter(f"{item!r}: give two document ids as A:B, or 'all'",
                                     param_hint="--pairs")
        pairs.append((a.strip(), b.strip()))
    return tuple(pairs)


def main() -> NoReturn:
    """The console script: run the command, then end the process at once. Tearing the
    interpreter down frees every object one by one (the segmenter's dictionary alone
    is a million), about 0.15 s after a build has finished; mypy ends the same way.
    Output is flushed first; `cli` itself (notebooks, CliRunner) exits as usual."""
    try:
        cli.main(prog_name="continuity")
        status = 0
    except SystemExit as exc:
        if exc.code is None or isinstance(exc.code, int):
            status = exc.code or 0
        else:
            click.echo(str(exc.code), err=True)
            status = 1
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a reader that went away, a closed stream
            pass
    os._exit(status)

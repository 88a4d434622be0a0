"""`build`: the whole pipeline, from the corpus folder to a finished report folder.

load corpus → analyse → CSV exports, HTML site, teaching tables. The output folder is
checked before the work starts (it must be continuity's own to replace, and writable:
`continuity.output`); everything is written into a work folder beside it and swapped
into place in one step, so an interrupted or killed build leaves the previous site.
"""

from __future__ import annotations

import importlib
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from .corpus.manifest import bundled_corpus
from .engine import ENGINES, Job, check_engine_options, open_engine
from .i18n import DEFAULT_LANG, check_lang
from .output import output_file, output_folder, store
from .pipeline import fewer_collections, keep_answers, load_corpus
from .records import Corpus
from .settings import AlignSettings

if TYPE_CHECKING:
    from .analysis.run import Analysis

#: The stages after loading, imported while documents load (numpy, scipy, jinja).
LATER_STAGES = ("continuity.analysis.run", "continuity.output.export", "continuity.output.report")

#: The note the report folder carries (the repository tracks the same text as a placeholder).
REPORTS_README = ("Generated output lands here (`continuity build`, `continuity align`). "
                  "Nothing in this folder but this note is tracked by git.\n")

#: The mark of a page that `continuity diff --html` wrote: a later run may replace it.
GENERATOR = '<meta name="generator" content="continuity">'


def build(corpus: Corpus | Path | str | None = None, out: Path | str = "reports",
          settings: AlignSettings | None = None,
          progress: Callable[[str], None] | None = None,
          workers: int | None = None, force: bool = False,
          pairs: str | Iterable[tuple[str, str]] = (), lang: str = DEFAULT_LANG,
          engine: str = ENGINES[0], scheduler: str | None = None,
          memory_limit: int | None = None) -> Path:
    """Build the report site for a corpus (a loaded Corpus, a folder, or None for the bundled
    one); returns the path of its index.html. Each document's alignment, the pages and the
    tables are jobs for `engine` (`continuity.engine`: "local", forked processes, or
    "dask", a LocalCluster or the dask cluster at `scheduler`) with `workers` processes
    (default: one per core; `memory_limit`: bytes each worker of a dask LocalCluster may
    hold); the output is the same for any engine and number.

    The site has a pair page for every two consecutive documents, and for each of `pairs`
    (document ids (A, B), or "all": every two documents, earlier → later); an unknown id
    is an error before the alignment starts. The site and the teaching tables are in
    `lang` (`zh`, the default, or `en`); the CSV exports are the same in every language.

    `out` is checked first and replaced whole at the end, only if it holds nothing but
    what continuity wrote there (`force`: whatever it holds); else OutputError."""
    check_lang(lang)
    check_engine_options(engine, scheduler, memory_limit)
    say = progress or (lambda message: None)
    started = time.perf_counter()

    def step(message: str) -> None:
        say(f"{time.perf_counter() - started:5.1f}s  {message}")

    root = (corpus.root if isinstance(corpus, Corpus)
            else Path(corpus) if corpus is not None else bundled_corpus())
    stamp = store.fingerprint(root, settings)  # before the corpus is read
    with output_folder(out, force=force, known={"README.md": REPORTS_README},
                       keep=(root,)) as folder, fewer_collections():
        imported: list[bool] = []  # the later stages, while documents were read

        def imports() -> None:
            import_later_stages()
            imported.append(True)

        if not isinstance(corpus, Corpus):
            corpus = load_corpus(corpus, workers, meanwhile=imports, progress=step)
        step(f"loaded {len(corpus.documents)} documents")
        from .analysis.features import corpus_features

        with open_engine(engine, workers, scheduler, memory_limit) as runner:
            # the clauses' features are read by jobs (no numpy): this process imports
            # the later stages meanwhile when no document was read
            features = corpus_features(corpus, settings, runner,
                                       first=None if imported else imports)
            from .analysis.run import aligned, follow_fates
            from .output.report.render import requested_pairs

            pairs = requested_pairs(corpus.ids, pairs)  # checked before the alignment
            result, themes, sections = aligned(corpus, settings, workers=workers,
                                               engine=runner, features=features)
            step(f"aligned {len(result.clauses)} commitments")
            from .output.export import counterpart_words

            followed: list[tuple[Analysis, Callable[[], list[Job[Mapping[str, str | bytes]]]],
                                 list[Job[Mapping[str, str | bytes]]]]] = []

            def fates_and_jobs() -> None:
                """The fates and the pages' jobs (what they share is made here, before the
                pages' workers fork), while workers read the counterparts' words: neither
                needs the other."""
                made = follow_fates(corpus, result, themes, sections)
                recipe = partial(build_jobs, made, pairs, lang)
                followed.append((made, recipe, recipe()))

            # the exports' slow part, and the pages' redlines: read once for both
            words = counterpart_words(result, runner, meanwhile=fates_and_jobs)
            ((analysis, recipe, jobs),) = followed
            analysis.redlines.update(words.redlines)
            step("followed the fates; read the counterparts' shared terms and changes")

            def exports() -> None:  # streamed to the work folder by this process
                from .output.export import DATA_DIR, stream_exports
                from .output.store.write import StoreWriter

                with StoreWriter(folder.work_path(store.STORE)) as db:  # the same rows
                    stream_exports(folder, analysis, f"{DATA_DIR}/", also=db.add,
                                   words=words)
                    db.finish(analysis, stamp)
                step(f"wrote the CSV exports and {store.STORE}")

            made = runner.run(jobs, done=lambda i: step(f"made {jobs[i].name}"), first=exports,
                              recipe=recipe, keep=folder.writer())  # pages go to disk
        for part in made:
            folder.written(part)
        step(f"made {sum(len(part) for part in made) + 1} files")
        target = folder.commit({"README.md": REPORTS_README})
    step(f"wrote {target}")
    keep_answers(root)  # for the next build: none of jieba if no document changes
    return target / "index.html"


def build_jobs(analysis: Analysis, pairs: str | Iterable[tuple[str, str]], lang: str
               ) -> list[Job[Mapping[str, str | bytes]]]:
    """The build's jobs after alignment: the pages and the teaching tables. A module
    function of picklable arguments, so a dask worker can make the same jobs."""
    return output_jobs(analysis, pairs, lang)


def import_later_stages() -> None:
    """Import the modules of the stages after loading (while workers read documents)."""
    for name in LATER_STAGES:
        importlib.import_module(name)


def output_jobs(analysis: Analysis, pairs: str | Iterable[tuple[str, str]] = (),
                lang: str = DEFAULT_LANG) -> list[Job[Mapping[str, str | bytes]]]:
    """What the report folder holds besides the CSV exports (streamed to disk by the
    building process meanwhile), as independent jobs: the site's pages (with the pair
    pages of `pairs` besides the consecutive ones) and the teaching tables (site and
    tables in `lang`). The pages a dask task can make from its part are jobs of a part
    (`Part`, `report.site_jobs`); the others read the whole analysis and are made by
    the building process, which holds it (`Job.here`): no dask worker is sent the
    whole analysis."""
    from .output import report

    pages: list[Job[Mapping[str, str | bytes]]] = list(report.site_jobs(analysis, pairs=pairs,
                                                                           lang=lang))
    # big jobs early: the overview (a tenth of the pages' work on the bundled corpus) came
    # last, one core making it while the other had nothing left
    overview = [job for job in pages if job.name == "overview"]
    rest = [job for job in pages[1:] if job.name != "overview"]
    return [*pages[:1], Job("teaching tables", lambda: report.teaching_files(analysis, lang),
                                 here=True),
            *overview, *rest]


@contextmanager
def pair_page_output(a: str, b: str, path: Path | None = None,
                     force: bool = False, site: str | Path | None = None,
                     lang: str = DEFAULT_LANG) -> Iterator[Callable[[Analysis], Path]]:
    """Check that the pair page A → B may be written to `path` (default:
    reports/pair-A--B.html), before the analysis; yields the function that writes it
    and returns its path. An existing file is replaced only if continuity wrote it
    (`force`: any file). A report folder it creates carries the report note, so a later
    build may replace it as usual (`continuity build --pairs A:B` keeps the page in the
    site).

    The page is self-contained; its passages link to a report site only when `site` is
    given (the site's folder as seen from the page's, or its URL); at the default path,
    beside a built site's pages, it links to them."""
    if path is None:
        path = Path("reports") / f"pair-{a}--{b}.html"
        if site is None and (path.parent / f"doc-{a}.html").is_file():
            site = ""
    folder = path.parent
    fresh = not folder.exists() or not any(folder.iterdir())
    with output_file(path, force=force, ours=_made_here) as file:

        def write(analysis: Analysis) -> Path:
            from .output.report import standalone_pair

            file.commit(_marked(standalone_pair(analysis, a, b, site=site, lang=lang)))
            note = folder / "README.md"
            if fresh and folder.name == "reports" and not note.exists():
                note.write_text(REPORTS_README, encoding="utf-8")
            return path

        yield write


def write_pair_page(analysis: Analysis, a: str, b: str, path: Path | None = None,
                    force: bool = False, site: str | Path | None = None,
                    lang: str = DEFAULT_LANG) -> Path:
    """Write the self-contained pair page A → B, in `lang` (see `pair_page_output`);
    returns its path."""
    with pair_page_output(a, b, path, force, site, lang) as write:
        return write(analysis)


def _marked(html: str) -> str:
    """The page with continuity's generator mark in its head."""
    charset = '<meta charset="utf-8">'
    return html.replace(charset, f"{charset}\n{GENERATOR}", 1) if GENERATOR not in html else html


def _made_here(content: bytes) -> bool:
    return GENERATOR.encode() in content[:4096]

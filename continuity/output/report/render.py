"""Render the report site: one jinja environment (autoescape on, strict), one context per page.

Document text is data, never markup: it reaches templates as plain strings and
autoescaping turns `<script>` or `&` into text. Pages link to one another with
relative paths so the site works from the file system and any static server.
"""

from __future__ import annotations

import bisect
import threading
import weakref
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path
from typing import Any

import jinja2
import markupsafe

from ...analysis import view
from ...analysis.align import ABSENT, RELATIONS
from ...analysis.compare import compare_documents
from ...analysis.counts import (
    FATE_CONFIDENCE_MEANINGS,
    FATE_MEANINGS,
    PAIR_MEANINGS,
    FateCounts,
    fate_counts,
    pair_counts,
)
from ...analysis.fate import COMMITMENT_FATES, NOT_COMMITMENTS, REVIEW, Thread
from ...analysis.history import thread_history
from ...analysis.run import Analysis
from ...analysis.themes import Theme
from ...cachedir import usable_cache_dir
from ...engine import Job, Part
from ...errors import ContinuityError, UnknownDocumentError
from ...i18n import DEFAULT_LANG, html_lang, translate_all, translations
from ...records import FIRM, TENTATIVE, Clause, Document, ReviewReport, Section, confidence
from . import facts, fragments
from .fragments import change_labels, redline  # noqa: F401  (their home before)
from .parts import PartsIndex
from .words import FATE_LABELS, FATE_WORDS, GENRES, LEVELS, RELATION_LABELS, word

TEMPLATES = Path(__file__).resolve().parents[3] / "templates"
STATIC_FILES = ("style.css", "site.js")

#: The symbol marking each fate in document text (explained in the page's legend).
FATE_SYMBOLS = {"emerges": "新", "persists": "=", "evolves": "~", "disappears": "×",
                "review": "回", "context": "", "procedural": "", "heading": "",
                "unaligned": ""}
#: The navigation lists every document up to this many; beyond, it lists the series, each
#: with a page of its documents and pair pages, so every page's menu grows with the series.
NAV_DOCUMENTS = 20
#: Numbered marks for documents in timeline order, used for compact links.
DOC_MARKS = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


class Template(jinja2.Template):
    """A compiled template whose output escapes with `fragments.escape` (the same result
    as markupsafe's, faster): jinja's generated code looks `escape` up in the template
    module's namespace, which every function of the template shares."""

    @classmethod
    def from_code(cls, environment: jinja2.Environment, code: Any,
                  globals: Any, uptodate: Callable[[], bool] | None = None) -> jinja2.Template:
        template = super().from_code(environment, code, globals, uptodate)
        template.root_render_func.__globals__["escape"] = fragments.escape
        return template


def environment(templates: Path = TEMPLATES, cache_root: Path | None = None,
                lang: str = DEFAULT_LANG) -> jinja2.Environment:
    """The one jinja environment: autoescape on, undefined names are errors, our filters,
    and the templates' words in `lang` (jinja's i18n extension: `{% trans %}`, `_()`).
    Compiled templates are kept in the user's cache folder (checked against each
    template's source, so an edited template is compiled afresh; the language is chosen
    when a page is made, so one compiled template serves every language)."""
    folder = usable_cache_dir("templates", cache_root)
    env = jinja2.Environment(
        extensions=["jinja2.ext.i18n"],
        loader=jinja2.FileSystemLoader(str(templates)),
        bytecode_cache=jinja2.FileSystemBytecodeCache(str(folder)) if folder else None,
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.template_class = Template
    # `{% trans %}` blocks collapse their line breaks, so a message reads as one line.
    env.policies["ext.i18n.trimmed"] = True
    env.install_gettext_translations(translations(lang), newstyle=True)  # type: ignore[attr-defined]
    env.globals["html_lang"] = html_lang(lang)
    env.filters.update(fragments.filters(lang))
    env.filters["pct"] = lambda x: f"{x:.1f}"
    env.filters["score"] = lambda x: f"{x:.2f}"
    return env


def doc_page(doc_id: str) -> str:
    return f"doc-{doc_id}.html"


def pair_page(a: str, b: str) -> str:
    return f"pair-{a}--{b}.html"


def series_page(number: int) -> str:
    return f"series-{number}.html"


def page_name(base: str, number: int) -> str:
    """Page `number` (from 1) of a paged page: the first keeps the page's name (base.html),
    so links to it hold however many pages follow (base.2.html, ...)."""
    return f"{base}.html" if number == 1 else f"{base}.{number}.html"


#: Cells (rows × documents) on one page of the formulations and of a theme's threads and
#: histories: their rows have a cell or a step for every document, so the rows per page
#: fall as the corpus grows and each page stays near the same size (the issue's bound: no
#: page over 5 MB). The bundled corpus's pages are one page each.
FORMULATION_CELLS = 5000
THREAD_CELLS = 20_000


#: Cells on one page of the targets (`site_jobs.targets`): the bundled corpus's is one page.
TARGET_CELLS = 10_000


def packed(items: Sequence[tuple[Any, int]], cells: int) -> list[list[Any]]:
    """Items of (item, its cells) in pages of about `cells` cells, in order: a new page
    begins before an item that would take the page over (an item over `cells` is a page
    of its own); one empty page for no items."""
    pages: list[list[Any]] = [[]]
    size = 0
    for item, weight in items:
        if size and size + weight > cells:
            pages.append([])
            size = 0
        pages[-1].append(item)
        size += weight
    return pages


def rows_per_page(n_documents: int, cells: int) -> int:
    """Rows on one page of a table with a column for each of `n_documents`."""
    return max(1, cells // max(1, n_documents))


def paged(rows: Sequence[Any], per_page: int) -> list[Sequence[Any]]:
    """`rows` in pages of `per_page` (one empty page for no rows)."""
    return [rows[start:start + per_page] for start in range(0, len(rows), per_page)] or [()]


def history_locations(analysis: Analysis, homes: dict[str, str],
                      histories: dict[str, list[Sequence[Thread]]] | None = None
                      ) -> dict[str, str]:
    """Thread id → the history page that shows it (its theme's, or the page of it the
    thread falls on when the theme's histories are paged: `paged_histories`, or
    `histories`, the same made beforehand)."""
    if histories is None:
        histories = paged_histories(analysis, homes)
    return {thread.id: page_name(f"history-{theme}", number)
            for theme, pages in histories.items()
            for number, page in enumerate(pages, start=1) for thread in page}


def paged_histories(analysis: Analysis, homes: dict[str, str]
                    ) -> dict[str, list[Sequence[Thread]]]:
    """Each theme's threads with a history, longest-running first (`_history_order`), in
    pages of about THREAD_CELLS cells: a history has a step for each document compared
    with its first passage's (`history_steps`), a few in a large corpus compared by its
    plan, every document in a small one."""
    by_theme: dict[str, list[Thread]] = {t.id: [] for t in analysis.themes.taxonomy}
    for thread in analysis.threads:
        if thread.id in homes:
            by_theme[homes[thread.id]].append(thread)
    position = {doc_id: n for n, doc_id in enumerate(analysis.corpus.ids)}
    order = partial(_history_order, analysis, position)
    steps = history_steps(analysis)
    out: dict[str, list[Sequence[Thread]]] = {}
    for theme, mine in by_theme.items():
        weighed = [(t, steps[position[analysis.clause(t.clauses[0]).doc_id]])
                   for t in sorted(mine, key=order)]
        out[theme] = [*packed(weighed, THREAD_CELLS)]
    return out


def history_steps(analysis: Analysis) -> list[int]:
    """For a history whose first passage is in each document (timeline order), how many
    steps it shows: that document and every document compared with it."""
    result = analysis.result
    n = len(result.doc_ids)
    return [1 + sum(1 for d in range(n) if d != own and result.compared[own, d])
            for own in range(n)]


def theme_page(theme_id: str) -> str:
    return f"theme-{theme_id}.html"


def history_page(theme_id: str) -> str:
    return f"history-{theme_id}.html"


def clause_link(clause: Clause, parts: PartsIndex | None = None) -> str:
    """Where a passage is: its document page, or the part of it that holds the passage."""
    return f"{doc_part_page(clause.doc_id, clause.start, parts)}#{clause.id}"


def section_link(section: Section, parts: PartsIndex | None = None) -> str:
    return f"{doc_part_page(section.doc_id, section.start, parts)}#{section.id}"


def doc_part_page(doc_id: str, offset: int, parts: PartsIndex | None = None) -> str:
    """The page of a document's text at `offset` (`parts`: the site's document parts;
    without, the page is whole)."""
    if parts is None:
        return doc_page(doc_id)
    return page_name(f"doc-{doc_id}", parts(doc_id).part(offset) + 1)


@dataclass(frozen=True, slots=True)
class SeriesPage:
    """A series as the navigation lists it: its page, name, documents in timeline order
    and the site's pair pages within it."""

    page: str
    name: str
    documents: tuple[Document, ...]
    pairs: tuple[tuple[str, str], ...]


def series_pages(analysis: Analysis, pairs: Sequence[tuple[str, str]],
                 nav_documents: int | None = None) -> tuple[SeriesPage, ...]:
    """The series pages of a site whose corpus has more than `nav_documents` documents
    (none otherwise: the navigation lists the documents), in order of their first
    document; each holds the pair pages of `pairs` whose two documents are in it."""
    if len(analysis.corpus.documents) <= (NAV_DOCUMENTS if nav_documents is None
                                          else nav_documents):
        return ()
    out = []
    for number, series in enumerate(facts.site_plan(analysis).series, start=1):
        mine = set(series.documents)
        out.append(SeriesPage(series_page(number), series.name,
                              tuple(analysis.corpus.document(d) for d in series.documents),
                              tuple((a, b) for a, b in pairs if a in mine and b in mine)))
    return tuple(out)


@dataclass(frozen=True, eq=False)
class SiteIndex:
    """What every page of a site lists and links to, the same for every page: the
    documents in timeline order, the theme taxonomy, the consecutive pairs and the site's
    pair pages (`pairs`), the series pages and where each document page's parts begin.
    `SiteIndex.of(..., light=True)` holds the documents as records without text
    (`view.light`) and every document's parts worked out: small, so that a dask worker
    is sent it once, for every page job it runs."""

    documents: tuple[Document, ...]
    taxonomy: tuple[Theme, ...]
    consecutive: tuple[tuple[str, str], ...]
    pairs: tuple[tuple[str, str], ...]
    series: tuple[SeriesPage, ...]
    parts: PartsIndex

    @classmethod
    def of(cls, analysis: Analysis, pairs: tuple[tuple[str, str], ...] | None = None,
           light: bool = False, parts: PartsIndex | None = None) -> SiteIndex:
        """The index of a site of `analysis` whose pair pages are `pairs` (default: the
        consecutive pairs); `parts`: the document parts (default: worked out as asked)."""
        consecutive = facts.consecutive_pairs(analysis)
        shown = pairs if pairs is not None else consecutive
        series = series_pages(analysis, shown)
        parts = parts or PartsIndex(analysis)
        documents = analysis.corpus.documents
        if light:
            records = {d.id: view.light(d) for d in documents}
            documents = tuple(records.values())
            series = tuple(replace(s, documents=tuple(records[d.id] for d in s.documents))
                           for s in series)
            parts = parts.settled(analysis.corpus.ids)
        return cls(documents, analysis.themes.taxonomy, consecutive, shown, series, parts)


@dataclass(frozen=True, slots=True)
class Site:
    """Everything every page shares: the analysis, and helpers the templates call.

    `root` is where the site's pages are, as links see it: "" for a page of the site
    itself (relative links), a folder or URL for a page written elsewhere that links to
    a site (`continuity diff --html --site`), None for a page that stands alone (no link
    leads out of it). `pairs` are the pair pages the site has (navigation, overview)."""

    analysis: Analysis
    root: str | None = ""
    pairs: tuple[tuple[str, str], ...] | None = None
    lang: str = DEFAULT_LANG

    def globals(self) -> dict[str, Any]:
        a = self.analysis
        located = history_locations(a, history_homes(a))
        return {**site_globals(SiteIndex.of(a, self.pairs), self.root, self.lang),
                **page_globals(a, located, self.root)}


def site_globals(index: SiteIndex, root: str | None = "", lang: str = DEFAULT_LANG
                 ) -> dict[str, Any]:
    """The helpers and names every page of a site reads (`Site`), from its index; those
    that read the analysis itself are `page_globals`."""
    docs = {d.id: d for d in index.documents}

    def cite(clause: Clause) -> str:
        doc = docs[clause.doc_id]
        return f"{doc.meta.short_title} · {clause.section_path}"

    parts = index.parts
    linked = _rooted(root)
    themes = {t.id: t.name for t in index.taxonomy}
    return {
        "documents": index.documents,
        "taxonomy": index.taxonomy,
        "pairs": index.consecutive,
        "site_pairs": index.pairs,
        "series_pages": index.series,
        "series_link": linked(lambda s: s.page),
        "root": root,
        "doc_page": linked(doc_page),
        "pair_page": linked(pair_page),
        "theme_page": linked(theme_page),
        "history_page": linked(history_page),
        "clause_link": linked(partial(clause_link, parts=parts)),
        "doc_date": lambda doc_id: docs[doc_id].meta.date_text,
        "section_link": linked(partial(section_link, parts=parts)),
        "document_parts": parts,
        "cite": cite,
        "fate_label": translate_all(FATE_LABELS, lang).__getitem__,
        "fate_word": translate_all(FATE_WORDS, lang).__getitem__,
        "fate_meaning": translate_all(FATE_MEANINGS, lang).__getitem__,
        "pair_meaning": translate_all(PAIR_MEANINGS, lang).__getitem__,
        "fate_confidence_meaning": translate_all(FATE_CONFIDENCE_MEANINGS, lang).__getitem__,
        # words from data files (a section's kind, why cleaning removed a line), as
        # the catalogue has them (babel.cfg extracts them), else as written
        "translated": translations(lang).gettext,
        "level_name": partial(word, LEVELS, lang=lang),
        "genre_name": partial(word, GENRES, lang=lang),
        "commitment_fates": COMMITMENT_FATES,
        "kept_apart": NOT_COMMITMENTS,
        "theme_name": themes.__getitem__,
        "short": lambda doc_id: docs[doc_id].meta.short_title,
        "relation_label": translate_all(RELATION_LABELS, lang).__getitem__,
        "fate_symbol": FATE_SYMBOLS.__getitem__,
        "doc_mark": {d.id: _mark(n) for n, d in enumerate(index.documents)}.__getitem__,
        "inline_assets": None,
    }


def page_globals(analysis: Analysis, located: Mapping[str, str], root: str | None = ""
                 ) -> dict[str, Any]:
    """The helpers that read the analysis a page is made from (the whole, or the page's
    view: `view.Views`): a passage's theme, and where the history of the commitment it
    carries is (`located`: thread → its history page, `history_locations`)."""

    def history_path(clause: Clause) -> str | None:
        """Where the history of the commitment a passage carries is (None: it carries
        none, e.g. a context clause)."""
        thread = analysis.fate(clause.id).thread
        page = located.get(thread)
        return f"{page}#{thread}" if page else None

    return {"history_link": _rooted(root)(history_path),
            "theme_of": lambda c: analysis.themes.clauses[c.id].theme}


def _rooted(root: str | None) -> Callable[[Callable[..., str | None]],
                                          Callable[..., str | None]]:
    """Link helpers for pages whose links start at `root` (see `Site.root`)."""

    def linked(make: Callable[..., str | None]) -> Callable[..., str | None]:
        if root == "":
            return make
        if root is None:
            return lambda *args: None

        def rooted(*args: Any) -> str | None:
            path = make(*args)
            return None if path is None else root + path

        return rooted

    return linked


def site_root(site: str | Path | None) -> str | None:
    """The link prefix for a page written outside a site that links to `site` (a folder,
    relative to where the page is written or absolute, or a URL); None: no site."""
    if site is None:
        return None
    text = str(site)
    if not text:
        return ""
    return text if text.endswith("/") else text + "/"


def site_pairs(ids: Sequence[str], requested: str | Iterable[tuple[str, str]] = (),
               consecutive: Iterable[tuple[str, str]] | None = None
               ) -> tuple[tuple[str, str], ...]:
    """The pair pages a site has: the `consecutive` pairs (default: every two consecutive
    documents of `ids`; a site follows the plan's, `facts.consecutive_pairs`), and those
    requested (`requested_pairs`), in timeline order of A, then of B."""
    position = {doc_id: n for n, doc_id in enumerate(ids)}
    chosen = set(zip(ids, ids[1:], strict=False) if consecutive is None else consecutive)
    chosen.update(requested_pairs(ids, requested))
    return tuple(sorted(chosen, key=lambda p: (position[p[0]], position[p[1]])))


def requested_pairs(ids: Sequence[str], requested: str | Iterable[tuple[str, str]] = ()
                    ) -> tuple[tuple[str, str], ...]:
    """The pair pages asked for (`"all"`: every two documents, earlier → later), in
    timeline order of A, then of B. An unknown document id or a document paired with
    itself is an error (checked before the alignment starts)."""
    position = {doc_id: n for n, doc_id in enumerate(ids)}
    chosen: set[tuple[str, str]] = set()
    if isinstance(requested, str):
        if requested != "all":
            raise ContinuityError(f"pairs: {requested!r} is not 'all' nor a list of (A, B)")
        chosen.update((a, b) for a in ids for b in ids if position[a] < position[b])
    else:
        for a, b in requested:
            for doc_id in (a, b):
                if doc_id not in position:
                    raise UnknownDocumentError(doc_id, ids)
            if a == b:
                raise ContinuityError(f"a pair needs two different documents (both are {a!r})")
            chosen.add((a, b))
    return tuple(sorted(chosen, key=lambda p: (position[p[0]], position[p[1]])))


def partners(analysis: Analysis, doc_id: str) -> tuple[str, ...]:
    """The documents `doc_id` is compared with (the plan's), in timeline order: a document
    page links to counterparts there only, so it grows with the plan, not the corpus."""
    compared = analysis.result.compared[analysis.result.doc_index(doc_id)]
    return tuple(d for n, d in enumerate(analysis.corpus.ids) if compared[n] and d != doc_id)


def _marked_documents(analysis: Analysis, doc_id: str) -> list[Document]:
    """The documents a document page's legend explains the marks of: itself and those it
    is compared with, in timeline order."""
    mine = {doc_id, *partners(analysis, doc_id)}
    return [d for d in analysis.corpus.documents if d.id in mine]


def history_homes(analysis: Analysis) -> dict[str, str]:
    """Thread id → the theme whose history page shows it: every thread that begins with a
    commitment, under the theme of its first clause."""
    themes = analysis.themes.clauses
    return {t.id: themes[t.clauses[0]].theme for t in analysis.threads
            if analysis.fate(t.clauses[0]).fate in COMMITMENT_FATES}


def _mark(position: int) -> str:
    return DOC_MARKS[position] if position < len(DOC_MARKS) else f"({position + 1})"


#: What a job makes: files of the site, by relative path.
Files = dict[str, str]


@dataclass(frozen=True, eq=False)
class SitePages:
    """What every page job of a site shares (`Part`'s shared): its templates, language,
    index (`SiteIndex`, light) and what every view of the analysis shares (`view.Common`).
    A process makes its environment from it once (`page_environment`): a dask worker,
    when its first page job arrives."""

    templates: Path
    lang: str
    index: SiteIndex
    common: view.Common


@dataclass(frozen=True, slots=True, eq=False)
class PagePart:
    """What one page job reads (`Part`'s part): the analysis as its page sees it (a view as
    cut, `view.Views.cut`, or the whole), the theme of the history of each thread it shows
    (`homes`) and the page that history is on (`located`), and which page it is
    (`page`: its function's arguments)."""

    analysis: Analysis | view.View
    homes: dict[str, str]
    located: dict[str, str]
    page: tuple[Any, ...]


#: Each process's page environment, by the SitePages it was made from, for as long as the
#: process holds it.
_ENVIRONMENTS: weakref.WeakKeyDictionary[SitePages, jinja2.Environment] = (
    weakref.WeakKeyDictionary())
#: One page at a time in a process: its helpers that read the page's analysis are set on
#: the environment it shares with the other pages (`page_globals`). Rendering holds
#: Python's lock anyway, so threads of one worker lose nothing by taking turns.
_RENDERING = threading.RLock()


def page_analysis(shared: SitePages, part: PagePart) -> Analysis:
    """The analysis a page part holds: its view made an Analysis, or the whole."""
    if isinstance(part.analysis, Analysis):
        return part.analysis
    return part.analysis.analysis(shared.common)


@contextmanager
def page_environment(shared: SitePages, part: PagePart, analysis: Analysis
                     ) -> Iterator[jinja2.Environment]:
    """The environment of `shared`'s pages (made once in this process), its page helpers
    reading the page's `analysis` (`part`'s), for as long as the page is made."""
    with _RENDERING:
        env = _ENVIRONMENTS.get(shared)
        if env is None:
            env = _ENVIRONMENTS[shared] = environment(shared.templates, lang=shared.lang)
            env.globals.update(site_globals(shared.index, "", shared.lang))
            for name in env.list_templates(extensions=["html"]):
                env.get_template(name)
        env.globals.update(page_globals(analysis, part.located))
        yield env


def page_part(views: view.Views, homes: Mapping[str, str], located: Mapping[str, str],
              page: tuple[Any, ...], documents: Collection[str] = (),
              clauses: Iterable[str] = (), targets: Collection[str] | None = None
              ) -> PagePart:
    """The part of page `page`: the view of `documents` and `clauses` with their
    counterparts in `targets` (`Views.cut`), and the history homes and pages of the
    threads it holds."""
    seen = views.cut(documents, clauses, targets)
    threads = [t.id for t in seen.threads]
    return PagePart(seen, {t: homes[t] for t in threads if t in homes},
                    {t: located[t] for t in threads if t in located}, page)


def document_files(shared: SitePages, part: PagePart) -> Files:
    """A document's page, in parts when long (`continuity.report.parts`)."""
    analysis, homes = page_analysis(shared, part), part.homes
    (doc_id,) = part.page
    doc = analysis.corpus.document(doc_id)
    with page_environment(shared, part, analysis) as env:
        template = env.get_template("document.html")
        parts: PartsIndex = env.globals["document_parts"]  # type: ignore[assignment]
        link: Callable[[Clause], str] = env.globals["clause_link"]  # type: ignore[assignment]
        mine = parts(doc.id)
        names = [page_name(f"doc-{doc.id}", k) for k in range(1, len(mine) + 1)]
        chunks: list[list[dict[str, Any]]] = [[] for _ in names]
        rows = analysis.result.doc_rows(doc.id)
        best = analysis.result.best(rows)
        codes = analysis.result.relation_codes(rows)  # a row per clause of the document

        def relation(row: int, d: int) -> str:
            return RELATIONS[int(codes[row - rows.start, d])]

        for block in _blocks(analysis, doc, best, relation, homes, link):
            chunks[mine.part(block["start"])].append(block)
        marked = _marked_documents(analysis, doc.id)
        counts = fate_counts(analysis, doc.id)

        # the first part names the places of the later ones, so that an address into the
        # page as it was before it was cut (a bookmark: doc-ID.html#place) still lands
        moved = {name: [i for block in blocks for i in
                        ([s.id for s in block["sections"]] + [c.id for c in block["clauses"]])]
                 for name, blocks in zip(names[1:], chunks[1:], strict=True)}

        def anchor(section: Section, current: int) -> str:
            """The outline's link to a section: on this part, or on the part holding it."""
            k = mine.part(section.start)
            return f"#{section.id}" if k == current else f"{names[k]}#{section.id}"

        return {name: template.render(page="document", doc=doc, blocks=blocks, marked=marked,
                                      counts=counts, pages=names, current=k,
                                      anchor=partial(anchor, current=k),
                                      moved=moved if k == 0 else None)
                for k, (name, blocks) in enumerate(zip(names, chunks, strict=True))}


def pair_files(shared: SitePages, part: PagePart) -> Files:
    """The pair page A → B."""
    a, b = part.page
    analysis = page_analysis(shared, part)
    with page_environment(shared, part, analysis) as env:
        return {pair_page(a, b): render_pair(env, analysis, a, b)}


def theme_files(shared: SitePages, part: PagePart) -> Files:
    """A page of a theme's threads (`part.page`: the theme, which page of its `names`,
    how many threads the theme has, and this page's rows)."""
    theme, k, names, total, rows = part.page
    with page_environment(shared, part, page_analysis(shared, part)) as env:
        return {names[k]: env.get_template("theme.html").render(
            page="theme", theme=theme, threads=rows, total=total, pages=names, current=k)}


def history_files(shared: SitePages, part: PagePart) -> Files:
    """A page of a theme's histories (`part.page`: the theme, which page of its `names`,
    how many histories the theme has, and this page's threads)."""
    theme, k, names, total, threads = part.page
    analysis = page_analysis(shared, part)
    with page_environment(shared, part, analysis) as env:
        return {names[k]: env.get_template("history.html").render(
            page="history", theme=theme, total=total, pages=names, current=k,
            histories=[thread_history(analysis, t.id, t.clauses) for t in threads])}


def site_jobs(analysis: Analysis, templates: Path = TEMPLATES,
              pairs: str | Iterable[tuple[str, str]] = (),
              lang: str = DEFAULT_LANG) -> list[Job[Files]]:
    """The site as independent jobs, biggest first, so workers can share them out. What
    several pages need (threads, templates) is prepared here, once, before any fork.
    The site has a page for every consecutive pair of documents and for each of `pairs`
    (`"all"`: every two documents; `site_pairs`), in `lang`.

    The pages of a document, a pair, a theme's threads and its histories are jobs made of
    a part (`Part`): sent to a dask worker, each carries a view of the analysis holding
    what it shows (`view.Views`), made as the job is sent (dask's workers never hold the
    whole analysis); the local engine's forked workers read the whole they share (the
    same page: tests/test_report.py). The pages that sum up the whole corpus
    (overview, formulations, targets, matrix, series) read the whole analysis: they are
    made in this process (`Job.here`), which holds it."""
    consecutive = facts.consecutive_pairs(analysis)
    built = site_pairs(analysis.corpus.ids, pairs, consecutive)
    env = environment(templates, lang=lang)
    homes = history_homes(analysis)
    history_pages = paged_histories(analysis, homes)  # made once: the links and the pages
    located = history_locations(analysis, homes, history_pages)
    index = SiteIndex.of(analysis, built)
    env.globals.update(site_globals(index, "", lang))
    env.globals.update(page_globals(analysis, located))
    for name in env.list_templates(extensions=["html"]):
        env.get_template(name)
    threads = facts.thread_rows(analysis)
    docs = sorted(analysis.corpus.documents, key=lambda d: -len(d.clauses))
    views = view.Views(analysis)
    shared = SitePages(templates, lang, SiteIndex.of(analysis, built, light=True,
                                                     parts=index.parts), views.common)
    part = partial(page_part, views, homes, located)
    whole = partial(PagePart, analysis, homes, located)  # the local engine's: no cutting
    with page_environment(shared, PagePart(analysis, homes, located, ()), analysis):
        pass  # made here once, before the local engine's workers fork

    def overview() -> Files:
        return {"index.html": env.get_template("index.html").render(
            page="index",
            counts=[pair_counts(analysis, a, b) for a, b in consecutive],
            other_counts=[pair_counts(analysis, a, b) for a, b in built
                          if (a, b) not in consecutive],
            doc_counts={d.id: fate_counts(analysis, d.id) for d in analysis.corpus.documents},
            matrix=facts.theme_matrix(analysis),
            overview=_overview(analysis, threads, homes))}

    per_page = rows_per_page(len(analysis.corpus.documents), THREAD_CELLS)
    theme_pages: list[Job[Files]] = []
    for theme in analysis.themes.taxonomy:
        mine = sorted((t for t in threads if t.theme == theme.id), key=_thread_order)
        pages = paged(mine, per_page)
        names = [page_name(f"theme-{theme.id}", k) for k in range(1, len(pages) + 1)]
        theme_pages.extend(
            Job(f"theme page {name}",
                Part(theme_files, shared,
                     partial(part, (theme, k, names, len(mine), rows),
                             clauses=[t.clauses[0].id for t in rows], targets=()),
                     partial(whole, (theme, k, names, len(mine), rows))))
            for k, (name, rows) in enumerate(zip(names, pages, strict=True)))

    histories: list[Job[Files]] = []
    for theme in sorted(analysis.themes.taxonomy,
                        key=lambda t: -sum(len(rows) for rows in history_pages[t.id])):
        pages = history_pages[theme.id]
        names = [page_name(f"history-{theme.id}", k) for k in range(1, len(pages) + 1)]
        total = sum(len(rows) for rows in pages)
        histories.extend(
            Job(f"history page {name}",
                Part(history_files, shared,
                     partial(part, (theme, k, names, total, tuple(rows)),
                             clauses=[c for t in rows for c in t.clauses]),
                     partial(whole, (theme, k, names, total, tuple(rows)))))
            for k, (name, rows) in enumerate(zip(names, pages, strict=True)))

    def printable_matrix() -> Files:
        return {"matrix.html": env.get_template("matrix.html").render(
            page="matrix", matrix=facts.theme_matrix(analysis))}

    def formulations() -> Files:
        rows = facts.formulations(analysis)
        chunks = paged(rows, rows_per_page(len(analysis.corpus.documents), FORMULATION_CELLS))
        names = [page_name("formulations", k) for k in range(1, len(chunks) + 1)]
        template = env.get_template("formulations.html")
        return {name: template.render(page="formulations", formulations=chunk,
                                      pages=names, current=k)
                for k, (name, chunk) in enumerate(zip(names, chunks, strict=True))}

    def targets() -> Files:
        """The targets page, paged by cells: an indicator's row has one for each document,
        a document's indicator table one for each of its values."""
        rows = facts.targets(analysis, facts.read_indicators(analysis.corpus.root), lang)
        tables = _tables(analysis)
        n = len(analysis.corpus.documents)
        chunks = packed([*((row, n) for row in rows),
                          *((table, sum(2 + len(r.values) for r, _ in table[1]))
                            for table in tables)], TARGET_CELLS)
        names = [page_name("targets", k) for k in range(1, len(chunks) + 1)]
        template = env.get_template("targets.html")
        return {name: template.render(
            page="targets", pages=names, current=k,
            targets=[item for item in chunk if isinstance(item, facts.TargetRow)],
            tables=[item for item in chunk if not isinstance(item, facts.TargetRow)])
            for k, (name, chunk) in enumerate(zip(names, chunks, strict=True))}

    def series() -> Files:
        template = env.get_template("series.html")
        return {s.page: template.render(page="series", series=s) for s in index.series}

    def static() -> Files:
        return {f"static/{name}": (templates / "static" / name).read_text(encoding="utf-8")
                for name in STATIC_FILES}

    return [
        *histories,
        Job("formulations", formulations, here=True),
        *(Job(f"pair page {a} → {b}", Part(pair_files, shared,
                                                  partial(part, (a, b), (a, b), targets=(a, b)),
                                                  partial(whole, (a, b))))
          for a, b in built),
        *(Job(f"document page {d.id}", Part(document_files, shared,
                                            partial(part, (d.id,), (d.id,)),
                                            partial(whole, (d.id,))))
          for d in docs),
        *theme_pages,
        Job("targets", targets, here=True),
        Job("overview", overview, here=True),
        Job("themes × documents", printable_matrix, here=True),
        *([Job("series pages", series, here=True)] if index.series else []),
        Job("static files", static, here=True),
    ]


def render_site(analysis: Analysis, progress: Callable[[str], None] | None = None,
                templates: Path = TEMPLATES,
                pairs: str | Iterable[tuple[str, str]] = (), lang: str = DEFAULT_LANG) -> Files:
    """Every page of the site as relative path → HTML, plus the static files (made one
    after another in this process; `continuity.build` shares them out between cores)."""
    say = progress or (lambda message: None)
    pages: Files = {}
    for job in site_jobs(analysis, templates, pairs, lang):
        pages.update(job.make())
        say(job.name)
    return pages


def standalone_pair(analysis: Analysis, a: str, b: str, templates: Path = TEMPLATES,
                    site: str | Path | None = None, lang: str = DEFAULT_LANG) -> str:
    """The pair page A → B (in `lang`) as one self-contained file (stylesheet and script
    inlined), for `continuity diff A B --html`. Its passages link to a report site only
    when `site` is given: the site's folder as seen from where the page is written (""
    beside its pages), or its URL. Without one, nothing on the page links out of it."""
    env = environment(templates, lang=lang)
    root = site_root(site)
    env.globals.update(Site(analysis, root=root, lang=lang).globals())
    static = templates / "static"
    env.globals["inline_assets"] = {
        "css": markupsafe.Markup(static.joinpath("style.css").read_text(encoding="utf-8")),
        "js": markupsafe.Markup(static.joinpath("site.js").read_text(encoding="utf-8")),
    }
    return render_pair(env, analysis, a, b)


def render_pair(env: jinja2.Environment, analysis: Analysis, a: str, b: str) -> str:
    """The pair page A → B (also used by `continuity diff A B --html`)."""
    rows, unmatched = compare_documents(analysis, a, b)
    groups = _pair_groups(analysis, a, b, rows)
    return env.get_template("pair.html").render(
        page="pair", a=analysis.corpus.document(a), b=analysis.corpus.document(b),
        groups=groups, new=unmatched, counts=pair_counts(analysis, a, b), ABSENT=ABSENT)


def _pair_groups(analysis: Analysis, a: str, b: str, rows: tuple[Any, ...]) -> list[dict[str, Any]]:
    """Rows grouped by A's top sections, each with the B sections that correspond to it."""
    doc_a = analysis.corpus.document(a)
    sections = {s.id: s for s in doc_a.sections}
    b_sections = {s.id: s for s in analysis.corpus.document(b).sections}

    def top(section_id: str) -> Section:
        s = sections[section_id]
        while s.parent is not None and s.depth > 1:
            s = sections[s.parent]
        return s

    matches: dict[str, list[tuple[Section, float]]] = {}
    for m in analysis.sections:
        if m.source_doc == a and m.target_doc == b:
            matches.setdefault(m.source, []).append((b_sections[m.target], m.score))
    groups: dict[str, dict[str, Any]] = {}
    for row in rows:
        head = top(row.clause.section_id)
        group = groups.setdefault(head.id, {"section": head, "rows": [],
                                            "matches": matches.get(head.id, [])})
        group["rows"].append(row)
    return list(groups.values())


def _blocks(analysis: Analysis, doc: Any, best: dict[tuple[int, int], tuple[int, float]],
            relation: Callable[[int, int], str], homes: dict[str, str],
            link: Callable[[Clause], str] = clause_link) -> list[dict[str, Any]]:
    """The document as blocks to render: headings and paragraphs made of clauses (`best`
    and `relation`: its clauses' rank-1 counterparts and relations, by row and document
    index; `link`: where a counterpart is, on the site's pages)."""
    by_start: dict[int, list[Clause]] = {}
    paragraphs = doc.clean.paragraphs
    starts = [p.start for p in paragraphs]

    for clause in doc.clauses:
        k = bisect.bisect_right(starts, clause.start) - 1
        by_start.setdefault(k, []).append(clause)
    units = {u.start: u for u in doc.units}
    others = list(partners(analysis, doc.id))
    marks = {d: _mark(n) for n, d in enumerate(analysis.corpus.ids)}
    blocks = []
    for k, paragraph in enumerate(paragraphs):
        clauses = by_start.get(k, [])
        opened = [s for s in doc.sections if s.start == paragraph.start]
        role = units[clauses[0].start].role if clauses and clauses[0].start in units else "text"
        path = clauses[0].section_path if clauses else ""
        blocks.append({
            "start": paragraph.start,
            "sections": opened,
            "heading": role == "heading",
            "depth": min(opened[-1].depth + 2, 6) if opened else 6,
            "path": path,
            "clauses": [_clause_view(analysis, c, others, marks, best, relation, homes, path,
                                     link, analysis.reports_on(c.id))
                        for c in clauses],
        })
    return blocks


@dataclass(frozen=True, slots=True)
class ClauseView:
    """What the document page shows of one clause, prepared once (templates only read it).
    `path` is its section path when it differs from its paragraph's (else "": the page
    says a paragraph's section once)."""

    id: str
    text: str
    fate: str
    theme: str
    path: str
    symbol: str
    links: tuple[tuple[str, str, str], ...]
    history: str | None
    #: Its fate's confidence (`records.Fate.confidence`): tentative marks the symbol with ?.
    confidence: str = ""


def _clause_view(analysis: Analysis, clause: Clause, others: list[str], marks: dict[str, str],
                 best: dict[tuple[int, int], tuple[int, float]],
                 relation: Callable[[int, int], str],
                 homes: dict[str, str], paragraph_path: str = "",
                 link: Callable[[Clause], str] = clause_link,
                 reports: tuple[ReviewReport, ...] = ()) -> ClauseView:
    """A clause's view: its fate, links to its counterparts (= same, ~ reworded, ?
    tentative) and to later review passages that report on it (回: follow-through, no
    counterpart), and to its history."""
    record = analysis.fate(clause.id)
    fate = record.fate
    home = homes.get(record.thread)
    firm = analysis.result.settings.firm_margin
    links = tuple(
        (link(other), other.text,
         marks[doc_id] + ("=" if kind == "same" else "~")
         + ("" if confidence(margin, firm) == FIRM else "?"))
        for doc_id, other, kind, margin in _links(analysis, clause, others, best, relation))
    links += tuple((link(r.review), r.review.text,
                    marks[r.doc_id] + FATE_SYMBOLS[REVIEW] + ("" if r.firm else "?"))
                   for r in reports)
    theme = analysis.themes.clauses[clause.id].theme
    path = "" if clause.section_path == paragraph_path else clause.section_path
    symbol = FATE_SYMBOLS[fate] + ("?" if record.confidence == TENTATIVE else "")
    return ClauseView(clause.id, clause.text, fate, theme, path, symbol, links,
                      f"{history_page(home)}#{record.thread}" if home else None,
                      record.confidence)


def _links(analysis: Analysis, clause: Clause, others: list[str],
           best: dict[tuple[int, int], tuple[int, float]], relation: Callable[[int, int], str]
           ) -> list[tuple[str, Clause, str, float]]:
    """(document, best counterpart there, relation, its margin) for each other document
    with one. `best` is the result's rank-1 counterparts (`AlignmentResult.best`) and
    `relation` their relations (`AlignmentResult.relation_codes`), made once per page."""
    result = analysis.result
    row = result.row(clause.id)
    out = []
    for doc_id in others:
        d = result.doc_index(doc_id)
        top = best.get((row, d))
        if top is not None:
            out.append((doc_id, result.clauses[top[0]], relation(row, d), top[1]))
    return out


def _tables(analysis: Analysis) -> list[tuple[Any, list[tuple[Any, Clause | None]]]]:
    """Each document with an indicator table, its rows paired with the clause of each row."""
    out = []
    for doc in analysis.corpus.documents:
        if doc.table_rows:
            starts = {c.start: c for c in doc.clauses}
            out.append((doc, [(row, starts.get(row.start)) for row in doc.table_rows]))
    return out


def _history_order(analysis: Analysis, position: dict[str, int], thread: Thread
                   ) -> tuple[int, int, int, str]:
    """Longest-running first (documents it is present in), then by where they begin
    (timeline, then text order): known from the thread, before its history is made."""
    present = sorted({position[analysis.clause(c).doc_id] for c in thread.clauses})
    return (-len(present), present[0], analysis.clause(thread.clauses[0]).index, thread.id)


def _thread_order(row: facts.ThreadRow) -> tuple[int, int, str]:
    return (-row.span, row.columns[0], row.id)


#: Examples shown for each fate of a document and each theme on the overview.
OVERVIEW_EXAMPLES = 2
#: The first document's vanished commitments shown first on the overview.
OVERVIEW_GONE = 8
#: Formulations the overview follows to their histories (at most).
OVERVIEW_FORMULATIONS = 12


@dataclass(frozen=True, slots=True)
class FateExamples:
    """A document's commitments of one fate on the overview: how many, the most specific."""

    fate: str
    count: int
    examples: tuple[Clause, ...]


@dataclass(frozen=True, slots=True)
class DocumentFates:
    """A document's commitments by their fate at the end of the timeline."""

    doc: Document
    counts: FateCounts
    fates: tuple[FateExamples, ...]


@dataclass(frozen=True, slots=True)
class ThemeAdditions:
    """The latest document's new commitments (no counterpart earlier) of one theme."""

    theme: str
    count: int
    examples: tuple[Clause, ...]


@dataclass(frozen=True, slots=True)
class FormulationHistories:
    """A formulation carried through the timeline and the history pages that follow the
    commitments using it: (theme, how many of its histories use the formulation)."""

    term: str
    documents: int
    pages: tuple[tuple[str, int], ...]


@dataclass(frozen=True, slots=True)
class Overview:
    """What the overview answers: each document's commitments by fate, what the latest
    document adds by theme, where wording can be followed, the longest-running threads."""

    first_doc: str
    last_doc: str
    documents: tuple[DocumentFates, ...]
    gone: tuple[Clause, ...]
    additions: tuple[ThemeAdditions, ...]
    new_last: int
    formulations: tuple[FormulationHistories, ...]
    full: tuple[facts.ThreadRow, ...]
    histories: dict[str, int]


def _overview(analysis: Analysis, threads: tuple[facts.ThreadRow, ...],
              homes: dict[str, str]) -> Overview:
    ids = analysis.corpus.ids
    fates = {f.clause: f.fate for f in analysis.fates}
    documents = []
    gone: list[Clause] = []
    weights: dict[str, float | None] = {}  # the words' idf, for every highlight list
    for doc in analysis.corpus.documents:
        mine = analysis.commitments(doc.id)
        rows = []
        for fate in COMMITMENT_FATES:
            chosen = facts.most_specific(analysis, [c for c in mine if fates[c.id] == fate],
                                         weights)
            if chosen:
                rows.append(FateExamples(fate, len(chosen), tuple(chosen[:OVERVIEW_EXAMPLES])))
            if fate == "disappears" and doc.id == ids[0]:
                gone = chosen[:OVERVIEW_GONE]
        documents.append(DocumentFates(doc, fate_counts(analysis, doc.id), tuple(rows)))
    themes = analysis.themes.clauses
    new = [c for c in analysis.commitments(ids[-1]) if fates[c.id] == "emerges"]
    additions = []
    for theme in analysis.themes.taxonomy:
        chosen = [c for c in new if themes[c.id].theme == theme.id]
        if chosen:
            additions.append(ThemeAdditions(theme.id, len(chosen), tuple(
                facts.most_specific(analysis, chosen, weights)[:OVERVIEW_EXAMPLES])))
    additions.sort(key=lambda t: -t.count)
    return Overview(ids[0], ids[-1], tuple(documents), tuple(gone), tuple(additions), len(new),
                    _formulation_histories(analysis, homes),
                    tuple(t for t in threads if t.span == len(ids) and t.id in homes),
                    dict(Counter(homes.values())))


def _formulation_histories(analysis: Analysis, homes: dict[str, str]
                           ) -> tuple[FormulationHistories, ...]:
    """The quoted formulations (提法) that every document uses, the most distinctive (least
    used) first, each with the history pages of the commitments that use it."""
    every = len(analysis.corpus.documents)
    texts = [(homes[t.id], "\n".join(analysis.clause(c).text for c in t.clauses))
             for t in analysis.threads if t.id in homes]
    order = {t.id: n for n, t in enumerate(analysis.themes.taxonomy)}
    out = []
    for term, _ in facts.shared_formulations(analysis)[:OVERVIEW_FORMULATIONS]:
        found = Counter(theme for theme, text in texts if term in text)
        pages = sorted(found.items(), key=lambda p: (-p[1], order[p[0]]))
        if pages:
            out.append(FormulationHistories(term, every, tuple(pages)))
    return tuple(out)

"""Render the report site: one jinja environment (autoescape on, strict), one context per page.

Document text is data, never markup: it reaches templates as plain strings and
autoescaping turns `<script>` or `&` into text. Pages link to one another with
relative paths so the site works from the file system and any static server.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import jinja2
import markupsafe

from ..align import ABSENT, RELATIONS
from ..analysis import Analysis
from ..cachedir import usable_cache_dir
from ..compare import compare_documents
from ..counts import FATE_MEANINGS, PAIR_MEANINGS, fate_counts, pair_counts
from ..fate import COMMITMENT_FATES, FATES, NOT_COMMITMENTS
from ..history import PRESENT, History, thread_history
from ..parallel import Job
from ..records import Clause, Section
from . import facts

TEMPLATES = Path(__file__).resolve().parent.parent.parent / "templates"
STATIC_FILES = ("style.css", "site.js")

#: The symbol marking each fate in document text (explained in the page's legend).
FATE_SYMBOLS = {"emerges": "新", "persists": "=", "evolves": "~", "disappears": "×",
                "review": "回", "context": "", "procedural": "", "heading": "",
                "unaligned": ""}
#: Numbered marks for documents in timeline order, used for compact links.
DOC_MARKS = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
#: How each fate is named on the page (text, so colour is never the only signal).
FATE_LABELS = {
    "emerges": "新 emerges",
    "persists": "= persists",
    "evolves": "~ evolves",
    "disappears": "× disappears",
    "review": "回顾 review",
    "context": "context",
    "procedural": "procedural",
    "heading": "heading",
    "unaligned": "unaligned",
}
RELATION_LABELS = {"same": "same", "reworded": "reworded", "absent": "absent"}


def environment(templates: Path = TEMPLATES, cache_root: Path | None = None
                ) -> jinja2.Environment:
    """The one jinja environment: autoescape on, undefined names are errors, our filters.
    Compiled templates are kept in the user's cache folder (checked against each
    template's source, so an edited template is compiled afresh)."""
    folder = usable_cache_dir("templates", cache_root)
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates)),
        bytecode_cache=jinja2.FileSystemBytecodeCache(str(folder)) if folder else None,
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["redline"] = redline
    env.filters["changes"] = change_labels
    env.filters["pct"] = lambda x: f"{x:.1f}"
    env.filters["score"] = lambda x: f"{x:.2f}"
    return env


#: The element marking each kind of change in a redline.
REDLINE_TAGS = {"delete": "del", "insert": "ins"}


def redline(spans: Any, keep: str) -> markupsafe.Markup:
    """One side of a word-level redline: equal runs as text, `keep` runs (deletions on the
    old side, insertions on the new) struck through or underlined. A filter rather
    than a macro: pair pages show thousands of them."""
    tag = REDLINE_TAGS[keep]
    escape = markupsafe.escape
    parts = []
    for span in spans:
        if span.op == "equal":
            parts.append(escape(span.text))
        elif span.op == keep:
            parts.append(markupsafe.Markup(f"<{tag}>{escape(span.text)}</{tag}>"))
    return markupsafe.Markup("").join(parts)


def change_labels(changes: Any) -> markupsafe.Markup:
    """The kinds of change of a reworded pair (`continuity.changes`) as labels in words
    ("number lowered", "verb strengthened"), each with the words involved as its title."""
    return markupsafe.Markup(" ").join(
        markupsafe.Markup('<span class="change change-{} change-{}" title="{}">{}</span>').format(
            c.kind, c.direction or "moved", c.detail, c.label)
        for c in changes)


def doc_page(doc_id: str) -> str:
    return f"doc-{doc_id}.html"


def pair_page(a: str, b: str) -> str:
    return f"pair-{a}--{b}.html"


def theme_page(theme_id: str) -> str:
    return f"theme-{theme_id}.html"


def history_page(theme_id: str) -> str:
    return f"history-{theme_id}.html"


def clause_link(clause: Clause) -> str:
    return f"{doc_page(clause.doc_id)}#{clause.id}"


def section_link(section: Section) -> str:
    return f"{doc_page(section.doc_id)}#{section.id}"


@dataclass(frozen=True, slots=True)
class Site:
    """Everything every page shares: the analysis, and helpers the templates call."""

    analysis: Analysis

    def globals(self) -> dict[str, Any]:
        a = self.analysis
        docs = {d.id: d for d in a.corpus.documents}

        def cite(clause: Clause) -> str:
            doc = docs[clause.doc_id]
            return f"{doc.meta.short_title} · {clause.section_path}"

        homes = history_homes(a)

        def history_link(clause: Clause) -> str | None:
            """Where the history of the commitment a passage carries is (None: it carries
            none, e.g. a context clause)."""
            thread = a.fate(clause.id).thread
            theme = homes.get(thread)
            return f"{history_page(theme)}#{thread}" if theme else None

        return {
            "documents": a.corpus.documents,
            "taxonomy": a.themes.taxonomy,
            "pairs": facts.consecutive_pairs(a),
            "doc_page": doc_page,
            "pair_page": pair_page,
            "theme_page": theme_page,
            "clause_link": clause_link,
            "history_link": history_link,
            "doc_date": lambda doc_id: docs[doc_id].meta.date_text,
            "section_link": section_link,
            "cite": cite,
            "fate_label": FATE_LABELS.__getitem__,
            "fate_meaning": FATE_MEANINGS.__getitem__,
            "pair_meaning": PAIR_MEANINGS.__getitem__,
            "commitment_fates": COMMITMENT_FATES,
            "kept_apart": NOT_COMMITMENTS,
            "theme_of": lambda c: a.themes.clauses[c.id].theme,
            "theme_name": a.themes.name,
            "short": lambda doc_id: docs[doc_id].meta.short_title,
            "relation_label": RELATION_LABELS.__getitem__,
            "fate_symbol": FATE_SYMBOLS.__getitem__,
            "doc_mark": {d: _mark(n) for n, d in enumerate(a.corpus.ids)}.__getitem__,
            "inline_assets": None,
        }


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


def site_jobs(analysis: Analysis, templates: Path = TEMPLATES) -> list[Job[Files]]:
    """The site as independent jobs, biggest first, so workers can share them out. What
    several pages need (threads, templates) is prepared here, once, before any fork."""
    env = environment(templates)
    env.globals.update(Site(analysis).globals())
    for name in env.list_templates(extensions=["html"]):
        env.get_template(name)
    threads = facts.thread_rows(analysis)
    best = analysis.result.best()
    homes = history_homes(analysis)
    pairs = facts.consecutive_pairs(analysis)
    docs = sorted(analysis.corpus.documents, key=lambda d: -len(d.clauses))

    def overview() -> Files:
        counts = [pair_counts(analysis, a, b) for a, b in pairs]
        return {"index.html": env.get_template("index.html").render(
            page="index", counts=counts,
            doc_counts={d.id: fate_counts(analysis, d.id) for d in analysis.corpus.documents},
            matrix=facts.theme_matrix(analysis),
            changes=_changes(analysis, threads))}

    def document(doc: Any) -> Files:
        return {doc_page(doc.id): env.get_template("document.html").render(
            page="document", doc=doc, blocks=_blocks(analysis, doc, best, homes),
            counts=fate_counts(analysis, doc.id))}

    def pair(a: str, b: str) -> Files:
        return {pair_page(a, b): render_pair(env, analysis, a, b)}

    def themes() -> Files:
        pages = {}
        for theme in analysis.themes.taxonomy:
            mine = [t for t in threads if t.theme == theme.id]
            pages[theme_page(theme.id)] = env.get_template("theme.html").render(
                page="theme", theme=theme, threads=sorted(mine, key=_thread_order))
        return pages

    def histories() -> Files:
        homes = history_homes(analysis)
        by_theme: dict[str, list[History]] = {t.id: [] for t in analysis.themes.taxonomy}
        for thread in analysis.threads:
            if thread.id in homes:
                by_theme[homes[thread.id]].append(
                    thread_history(analysis, thread.id, thread.clauses))
        template = env.get_template("history.html")
        return {history_page(theme.id): template.render(
            page="history", theme=theme,
            histories=sorted(by_theme[theme.id], key=_history_order))
            for theme in analysis.themes.taxonomy}

    def formulations() -> Files:
        return {"formulations.html": env.get_template("formulations.html").render(
            page="formulations", formulations=facts.formulations(analysis))}

    def targets() -> Files:
        return {"targets.html": env.get_template("targets.html").render(
            page="targets",
            targets=facts.targets(analysis, facts.read_indicators(analysis.corpus.root)),
            tables=_tables(analysis))}

    def static() -> Files:
        return {f"static/{name}": (templates / "static" / name).read_text(encoding="utf-8")
                for name in STATIC_FILES}

    return [
        Job("history pages", histories),
        Job("formulations", formulations),
        *(Job(f"pair page {a} → {b}", partial(pair, a, b)) for a, b in pairs),
        *(Job(f"document page {d.id}", partial(document, d)) for d in docs),
        Job("theme pages", themes),
        Job("targets", targets),
        Job("overview", overview),
        Job("static files", static),
    ]


def render_site(analysis: Analysis, progress: Callable[[str], None] | None = None,
                templates: Path = TEMPLATES) -> Files:
    """Every page of the site as relative path → HTML, plus the static files (made one
    after another in this process; `continuity.build` shares them out between cores)."""
    say = progress or (lambda message: None)
    pages: Files = {}
    for job in site_jobs(analysis, templates):
        pages.update(job.make())
        say(job.name)
    return pages


def standalone_pair(analysis: Analysis, a: str, b: str, templates: Path = TEMPLATES) -> str:
    """The pair page A → B as one self-contained file (stylesheet and script inlined), for
    `continuity diff A B --html`: its passage links point to the document pages of a report
    folder, so it reads best saved beside them."""
    env = environment(templates)
    env.globals.update(Site(analysis).globals())
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
            homes: dict[str, str]) -> list[dict[str, Any]]:
    """The document as blocks to render: headings and paragraphs made of clauses."""
    by_start: dict[int, list[Clause]] = {}
    paragraphs = doc.clean.paragraphs
    starts = [p.start for p in paragraphs]

    for clause in doc.clauses:
        k = bisect.bisect_right(starts, clause.start) - 1
        by_start.setdefault(k, []).append(clause)
    units = {u.start: u for u in doc.units}
    others = [d.id for d in analysis.corpus.documents if d.id != doc.id]
    marks = {d: _mark(n) for n, d in enumerate(analysis.corpus.ids)}
    shorts = {d.id: d.meta.short_title for d in analysis.corpus.documents}
    blocks = []
    for k, paragraph in enumerate(paragraphs):
        clauses = by_start.get(k, [])
        opened = [s for s in doc.sections if s.start == paragraph.start]
        role = units[clauses[0].start].role if clauses and clauses[0].start in units else "text"
        blocks.append({
            "sections": opened,
            "heading": role == "heading",
            "depth": min(opened[-1].depth + 2, 6) if opened else 6,
            "clauses": [_clause_view(analysis, c, others, marks, shorts, best, homes)
                        for c in clauses],
        })
    return blocks


@dataclass(frozen=True, slots=True)
class ClauseView:
    """What the document page shows of one clause, prepared once (templates only read it)."""

    id: str
    text: str
    fate: str
    symbol: str
    title: str
    links: tuple[tuple[str, str, str], ...]
    history: str | None


def _clause_view(analysis: Analysis, clause: Clause, others: list[str], marks: dict[str, str],
                 shorts: dict[str, str], best: dict[tuple[int, int], tuple[int, float]],
                 homes: dict[str, str]) -> ClauseView:
    record = analysis.fate(clause.id)
    fate = record.fate
    home = homes.get(record.thread)
    links = tuple(
        (clause_link(other), f"{relation} in {shorts[doc_id]}: {other.text}",
         marks[doc_id] + ("=" if relation == "same" else "~"))
        for doc_id, other, relation in _links(analysis, clause, others, best))
    theme = analysis.themes.name(analysis.themes.clauses[clause.id].theme)
    return ClauseView(clause.id, clause.text, fate, FATE_SYMBOLS[fate],
                      f"{fate} · {theme} · {clause.section_path}", links,
                      f"{history_page(home)}#{record.thread}" if home else None)


def _links(analysis: Analysis, clause: Clause, others: list[str],
           best: dict[tuple[int, int], tuple[int, float]]) -> list[tuple[str, Clause, str]]:
    """(document, best counterpart there, relation) for each other document with one.
    `best` is the result's rank-1 counterparts (`AlignmentResult.best`), made once."""
    result = analysis.result
    row = result.row(clause.id)
    out = []
    for doc_id in others:
        d = result.doc_index(doc_id)
        top = best.get((row, d))
        if top is not None:
            out.append((doc_id, result.clauses[top[0]], RELATIONS[int(result.relations[row, d])]))
    return out


def _tables(analysis: Analysis) -> list[tuple[Any, list[tuple[Any, Clause | None]]]]:
    """Each document with an indicator table, its rows paired with the clause of each row."""
    out = []
    for doc in analysis.corpus.documents:
        if doc.table_rows:
            starts = {c.start: c for c in doc.clauses}
            out.append((doc, [(row, starts.get(row.start)) for row in doc.table_rows]))
    return out


def _history_order(h: History) -> tuple[int, int, int, str]:
    """Longest-running first, then by where they begin (timeline, then text order)."""
    present = [k for k, s in enumerate(h.steps) if s.state == PRESENT]
    return (-len(present), present[0], h.first.index, h.thread)


def _thread_order(row: facts.ThreadRow) -> tuple[int, int, str]:
    first = next(i for i, c in enumerate(row.cells) if c is not None)
    return (-row.span, first, row.id)


def _changes(analysis: Analysis, threads: tuple[facts.ThreadRow, ...]) -> dict[str, Any]:
    """The biggest changes at a glance: longest-running threads, what vanished, what is new."""
    first_doc, last_doc = analysis.corpus.ids[0], analysis.corpus.ids[-1]
    disappeared = facts.most_specific(analysis, [
        c for c in analysis.commitments(first_doc) if analysis.fate(c.id).fate == "disappears"])
    new_last = facts.most_specific(analysis, [
        c for c in analysis.commitments(last_doc) if analysis.fate(c.id).fate == "emerges"])
    full = [t for t in threads if t.span == len(analysis.corpus.ids)]
    return {"disappeared": disappeared, "new_last": new_last, "full": full,
            "first_doc": first_doc, "last_doc": last_doc, "fates": FATES}

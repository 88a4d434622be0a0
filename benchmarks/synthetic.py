"""Synthetic corpora for the scale benchmarks: the bundled documents, copied and perturbed.

Three shapes, one set of perturbations:

- `build_synthetic` (bench_align.py): N documents made in memory from the loaded bundled
  corpus, clauses shuffled and perturbed token by token, no file written.
- `big_document` (bench_build.py --big): one long text of perturbed bundled lines.
- `write_corpus` (bench_scale.py): a corpus folder of N documents in series, each series
  a bundled document followed year by year, each year a perturbation of the one before,
  with a manifest giving every document its series, level and date, as a researcher's
  corpus of several issuers over ten years would.

Perturbed copies of the same document stay close, so a synthetic corpus is a heavy
case for alignment (many candidates above the score floor), never a light one.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import math
import random
import re
import shutil
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

PERTURBATIONS = ("drop", "swap-adjacent", "swap-two", "number", "substitute")
_DIGITS = re.compile(r"\d+")
_CONTENT = re.compile(r"[0-9A-Za-z\u4e00-\u9fff]")


# --- in memory: a Corpus of perturbed copies (bench_align.py) --------------------------------

def build_synthetic(corpus: Any, n_docs: int, p: float, seed: int,
                    normalize: Callable[[str], str],
                    segment: Callable[[str], tuple[str, ...]]) -> tuple[Any, Counter[str]]:
    """A Corpus of n_docs documents, each a shuffled and perturbed copy of a bundled one."""
    sources = corpus.documents
    pools = {d.id: sorted({t for c in d.clauses for t in c.tokens
                           if len(t) >= 2 and _CONTENT.search(t)}) for d in sources}
    width = max(3, len(str(n_docs - 1)))
    first_day = dt.date(2000, 1, 3)
    stats: Counter[str] = Counter()
    replace = dataclasses.replace
    docs = []
    for k in range(n_docs):
        src = sources[k % len(sources)]
        doc_id = f"syn-{k:0{width}d}"
        rng = random.Random(seed + k)
        day = first_day + dt.timedelta(weeks=k)

        def sid(section_id: str, doc_id: str = doc_id) -> str:
            return f"{doc_id}:{section_id}"

        meta = replace(src.meta, id=doc_id, date=day, date_text=day.isoformat(),
                       title=f"{src.meta.title}（合成{k}）",
                       short_title=f"{src.meta.short_title}（合成{k}）")
        sections = tuple(replace(s, id=sid(s.id), doc_id=doc_id,
                                 parent=sid(s.parent) if s.parent is not None else None)
                         for s in src.sections)
        units = tuple(replace(u, id=sid(u.id), doc_id=doc_id, section_id=sid(u.section_id))
                      for u in src.units)
        order = list(src.clauses)
        rng.shuffle(order)
        clauses = []
        for index, c in enumerate(order):
            text, norm, tokens = c.text, c.norm, c.tokens
            if rng.random() < p:
                changed, op = perturb(tokens, rng, pools[src.id])
                if op is None:
                    stats["unperturbable"] += 1
                else:
                    stats["perturbed"] += 1
                    stats[op] += 1
                    text = "".join(changed)
                    norm = normalize(text)
                    tokens = changed
                    if "".join(tokens) != norm:  # normalisation not closed here: segment again
                        tokens = tuple(segment(norm))
                        stats["resegmented"] += 1
            clauses.append(replace(c, id=sid(c.id), doc_id=doc_id, unit_id=sid(c.unit_id),
                                   index=index, section_id=sid(c.section_id), text=text,
                                   norm=norm, tokens=tokens))
        docs.append(replace(
            src, meta=meta, clean=replace(src.clean, doc_id=doc_id), sections=sections,
            table_rows=tuple(replace(r, section_id=sid(r.section_id)) for r in src.table_rows),
            glossary=tuple(replace(g, section_id=sid(g.section_id)) for g in src.glossary),
            units=units, clauses=tuple(clauses)))
    return replace(corpus, documents=tuple(docs)), stats


def perturb(tokens: tuple[str, ...], rng: random.Random,
            pool: list[str]) -> tuple[tuple[str, ...], str | None]:
    """The tokens with one change, and its name (None when no change applies)."""
    toks = list(tokens)
    numbered = [i for i, t in enumerate(toks) if _DIGITS.search(t)]
    words = [i for i, t in enumerate(toks) if len(t) >= 2 and _CONTENT.search(t)]
    ops = []
    if len(toks) >= 2:
        ops += ["drop", "swap-adjacent"]
    if len(toks) >= 3:
        ops.append("swap-two")
    if numbered:
        ops.append("number")
    if words and pool:
        ops.append("substitute")
    if not ops:
        return tokens, None
    op = rng.choice(ops)
    if op == "drop":
        del toks[rng.randrange(len(toks))]
    elif op == "swap-adjacent":
        i = rng.randrange(len(toks) - 1)
        toks[i], toks[i + 1] = toks[i + 1], toks[i]
    elif op == "swap-two":
        i, j = rng.sample(range(len(toks)), 2)
        toks[i], toks[j] = toks[j], toks[i]
    elif op == "number":
        i = rng.choice(numbered)
        old = _DIGITS.search(toks[i]).group()  # type: ignore[union-attr]
        new = old
        while new == old:
            new = str(rng.randint(1, 10 ** len(old) - 1 if len(old) > 1 else 99))
        toks[i] = _DIGITS.sub(new, toks[i], count=1)
    else:
        toks[rng.choice(words)] = rng.choice(pool)
    return tuple(toks), op


def check_synthetic(corpus: Any) -> None:
    """Not a timing check: the synthetic corpus must hold what the pipeline relies on."""
    problems = []
    clause_ids: set[str] = set()
    section_ids: set[str] = set()
    for doc in corpus.documents:
        own = {s.id for s in doc.sections}
        if len(own) != len(doc.sections) or own & section_ids:
            problems.append(f"{doc.id}: section ids not unique")
        section_ids |= own
        for c in doc.clauses:
            if c.id in clause_ids:
                problems.append(f"{doc.id}: duplicate clause id {c.id}")
            clause_ids.add(c.id)
            if c.section_id not in own:
                problems.append(f"{doc.id}: clause {c.id} in unknown section {c.section_id}")
            if "".join(c.tokens) != c.norm:
                problems.append(f"{doc.id}: clause {c.id}: tokens do not join to norm")
            if c.doc_id != doc.id:
                problems.append(f"{doc.id}: clause {c.id} says doc {c.doc_id}")
    dates = [d.meta.date for d in corpus.documents]
    if dates != sorted(dates) or len(set(dates)) != len(dates):
        problems.append("dates do not increase strictly with k")
    if problems:
        raise SystemExit("synthetic corpus is malformed:\n  " + "\n  ".join(problems[:20]))


# --- as text: perturbed lines (bench_build.py --big, write_corpus) ----------------------------

def perturb_line(line: str, rng: random.Random, swap: float = 0.33) -> str:
    """A line with every number replaced and, with probability `swap`, two neighbouring
    characters swapped (not in its first four, which hold a heading's numbering: 第三章,
    （一）), so that copies are similar but not the same."""
    line = _DIGITS.sub(lambda m: str(rng.randint(1, 99)), line)
    if len(line) > 8 and rng.random() < swap:
        i = rng.randrange(4, len(line) - 1)
        line = line[:i] + line[i + 1] + line[i] + line[i + 2:]
    return line


def big_document(size: int, seed: int = 0) -> str:
    """A document of `size` UTF-8 bytes: copies of the bundled documents' cleaned lines
    (the web pages' navigation and comment blocks would end the document early), one
    after another, perturbed by `perturb_line`."""
    rng = random.Random(seed)
    lines = ["四川省某某规划纲要（合成的长文件）"]
    total = len(lines[0].encode())
    while total < size:
        for source in bundled_lines():
            for line in source:
                line = perturb_line(line, rng)
                lines.append(line)
                total += len(line.encode()) + 1
                if total >= size:
                    break
            if total >= size:
                break
    return "\n".join(lines) + "\n"


def bundled_lines() -> list[list[str]]:
    """The bundled documents' cleaned text, line by line, in timeline order."""
    import continuity

    return [d.clean.text.splitlines() for d in continuity.load_corpus(workers=1).documents]


# --- as files: a corpus of series (bench_scale.py) --------------------------------------------

#: Years a series spans (at most): ten annual reports, as in the issue's 30 series × 10 years.
YEARS = 10
FIRST_YEAR = 2016


@dataclasses.dataclass(frozen=True, slots=True)
class SyntheticDocument:
    """One document of a synthetic corpus: its manifest entry's values."""

    id: str
    series: str
    level: str
    date: str
    base: str
    genre: str
    title: str


def layout(n_docs: int, years: int = YEARS) -> list[SyntheticDocument]:
    """Which documents a corpus of `n_docs` holds: series of `years` documents (the last
    may be shorter), one a year. Series 0 is national, every fifth from series 4 a city,
    the others provinces; series s follows bundled document s mod 5 (its genre too).
    Dates: 1 + s mod 12 months and 1 + s // 12 days into each year, so the timeline
    interleaves the series."""
    from continuity.corpus.manifest import read_manifest

    bases = read_manifest(_bundled())
    years = max(1, min(years, n_docs))
    found = []
    for k in range(n_docs):
        s, t = divmod(k, years)
        base = bases[s % len(bases)]
        level = "national" if s == 0 else "city" if s % 5 == 4 else "province"
        date = dt.date(FIRST_YEAR + t, 1 + s % 12, 1 + (s // 12) % 28)
        found.append(SyntheticDocument(
            id=f"syn-{s:02d}-{date.year}", series=f"syn-{s:02d}", level=level,
            date=date.isoformat(), base=base.id, genre=base.genre,
            title=f"{base.short_title}（合成系列{s:02d}，{date.year}年）"))
    return found


def write_corpus(folder: Path, n_docs: int, years: int = YEARS, seed: int = 0,
                 swap: float = 0.33, share: float = 1.0) -> list[SyntheticDocument]:
    """Write a corpus of `n_docs` documents in series (`layout`) to `folder`: each series
    starts from its bundled document's cleaned lines perturbed once (`perturb_line`, seed
    seed + series), and each later year perturbs the year before, so that neighbours in a
    series are closer than distant years; each city series looks up to the province
    series before it (`[compare] above`). `share` < 1 keeps only that first share of each
    bundled document's lines (its title and first sections: shorter documents of the same
    shape, for tests). Returns what was written."""
    folder.mkdir(parents=True, exist_ok=True)
    texts = {doc_id: lines[:max(1, math.ceil(len(lines) * share))]
             for doc_id, lines in zip(_bundled_ids(), bundled_lines(), strict=True)}
    documents = layout(n_docs, years)
    previous: dict[str, list[str]] = {}
    entries = []
    for doc in documents:
        rng = random.Random(f"{seed}:{doc.id}")
        lines = previous.get(doc.series, texts[doc.base])
        lines = [perturb_line(line, rng, swap) for line in lines]
        previous[doc.series] = lines
        (folder / f"{doc.id}.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
        entries.append(_entry(doc, seed))
    # each city series looks up to the province series before it, not to every province
    cities = sorted({d.series for d in documents if d.level == "city"})
    above = "".join(f'"{s}" = "syn-{int(s[-2:]) - 1:02d}"\n' for s in cities)
    (folder / "manifest.toml").write_text(
        "# A synthetic corpus made by benchmarks/synthetic.py from the bundled documents.\n\n"
        + "\n\n".join(entries) + "\n" + (f"\n[compare.above]\n{above}" if above else ""),
        encoding="utf-8")
    for data in ("themes.toml", "indicators.toml"):  # the bundled corpus's data files
        if (_bundled() / data).is_file():
            shutil.copyfile(_bundled() / data, folder / data)
    return documents


def _entry(doc: SyntheticDocument, seed: int) -> str:
    values: Sequence[tuple[str, str]] = (
        ("id", doc.id), ("title", doc.title), ("short_title", doc.title), ("date", doc.date),
        ("issuer", f"合成机关{doc.series[-2:]}"), ("level", doc.level), ("genre", doc.genre),
        ("series", doc.series), ("file", f"{doc.id}.txt"),
        ("source", f"benchmarks/synthetic.py, from {doc.base}, seed {seed}"))
    # a JSON string (non-ASCII kept) is a TOML basic string
    return "[[document]]\n" + "\n".join(f"{key} = {json.dumps(value, ensure_ascii=False)}"
                                         for key, value in values)


def _bundled() -> Path:
    from continuity.corpus.manifest import bundled_corpus

    return bundled_corpus()


def _bundled_ids() -> list[str]:
    from continuity.corpus.manifest import read_manifest

    return [m.id for m in read_manifest(_bundled())]

"""One definition per count (continuity/analysis/counts.py): the pages, the commands and the library
show the numbers a researcher computes from fates.csv and alignments.csv."""

from __future__ import annotations

import csv
import io
import re
from collections import Counter

import pytest
from click.testing import CliRunner

from continuity.analysis.compare import compare_documents
from continuity.analysis.counts import (
    FATE_CONFIDENCE_MEANINGS,
    FATE_MEANINGS,
    PAIR_MEANINGS,
    PairCounts,
    fate_counts,
    pair_counts,
)
from continuity.analysis.fate import COMMITMENT_FATES, FATES
from continuity.cli import cli
from continuity.output.report.facts import consecutive_pairs
from continuity.views.console import diff_text, fates_table, select_section


@pytest.fixture(scope="module")
def exported(export_texts) -> dict[str, list[dict[str, str]]]:
    """The CSV exports (the session's, conftest.py) as a researcher reads them."""
    return {name: list(csv.DictReader(io.StringIO(text)))
            for name, text in export_texts.items()}


def csv_fate_counts(exported, doc: str) -> Counter[str]:
    return Counter(r["fate"] for r in exported["fates.csv"] if r["doc"] == doc)


def csv_tentative_fates(exported, doc: str) -> int:
    """The document's commitments whose fate rests on tentative counterparts alone."""
    return sum(1 for r in exported["fates.csv"]
               if r["doc"] == doc and r["confidence"] == "tentative")


def csv_pair_counts(exported, a: str, b: str) -> tuple[int, int, int, int]:
    """(same, reworded, absent, new) as the README tells a researcher to compute them:
    a commitment of a compared pair's source with no rank-1 row for its target is absent."""
    assert {"source_doc": a, "target_doc": b} in [
        {k: r[k] for k in ("source_doc", "target_doc")} for r in exported["pairs.csv"]]
    committed = {r["unit"]: r["doc"] for r in exported["fates.csv"]
                 if r["fate"] in COMMITMENT_FATES}
    rank1 = {(r["source_unit"], r["target_doc"]): r["relation"]
             for r in exported["alignments.csv"] if r["rank"] == "1"}
    relations = Counter(rank1.get((u, b), "absent") for u, d in committed.items() if d == a)
    new = sum(1 for u, d in committed.items() if d == b and (u, a) not in rank1)
    return relations["same"], relations["reworded"], relations["absent"], new


def csv_tentative(exported, a: str, b: str) -> int:
    """A's commitments whose rank-1 row for B says `confidence` tentative."""
    committed = {r["unit"] for r in exported["fates.csv"]
                 if r["fate"] in COMMITMENT_FATES and r["doc"] == a}
    return sum(1 for r in exported["alignments.csv"]
               if r["rank"] == "1" and r["target_doc"] == b and r["source_unit"] in committed
               and r["confidence"] == "tentative")


@pytest.fixture
def site(english_pages) -> dict[str, str]:
    """The site in English, whose words the counts' meanings are written in (the
    session's, conftest.py: read only)."""
    return english_pages


def test_library_counts_equal_the_csv(analysis, exported) -> None:
    for doc in analysis.corpus.ids:
        found = csv_fate_counts(exported, doc)
        counts = fate_counts(analysis, doc)
        assert {f: counts[f] for f in FATES} == {f: found[f] for f in FATES}
        assert counts.commitments == len(analysis.commitments(doc))
        assert counts.tentative == csv_tentative_fates(exported, doc)
    ids = analysis.corpus.ids
    for a in ids:
        for b in ids:
            if a != b:
                c = pair_counts(analysis, a, b)
                assert (c.same, c.reworded, c.absent, c.new) == csv_pair_counts(exported, a, b)
                assert c.tentative == csv_tentative(exported, a, b)
                assert 0 < c.tentative < c.same + c.reworded


def test_overview_counts_equal_the_csv(analysis, exported, site) -> None:
    page = site["index.html"]
    for a, b in consecutive_pairs(analysis):
        row = re.search(rf'href="pair-{a}--{b}\.html">[^<]*</a></td>\s*'
                        r'<td class="num">(\d+)</td><td class="num">(\d+)</td>'
                        r'<td class="num">(\d+)</td><td class="num">(\d+)</td>', page)
        assert row, (a, b)
        assert tuple(map(int, row.groups())) == csv_pair_counts(exported, a, b)
    for doc in analysis.corpus.ids:
        committed = sum(csv_fate_counts(exported, doc)[f] for f in COMMITMENT_FATES)
        assert f'href="doc-{doc}.html#fates">{committed}</a>' in page
        tentative = csv_tentative_fates(exported, doc)
        assert re.search(rf'doc-{doc}\.html\?confidence=tentative#doc-text"[^>]*>{tentative} '
                         "persist or evolve on tentative counterparts alone", page)
    first, last = analysis.corpus.ids[0], analysis.corpus.ids[-1]
    gone = csv_fate_counts(exported, first)["disappears"]
    assert re.search(rf"disappeared by [^<]*\({gone}\)</h3>", page)
    new = csv_fate_counts(exported, last)["emerges"]
    assert re.search(rf"new, in no earlier document \({new}\)</h3>", page)


def test_document_pages_count_what_the_csv_counts(analysis, exported, site) -> None:
    for doc in analysis.corpus.ids:
        page = site[f"doc-{doc}.html"]
        found = csv_fate_counts(exported, doc)
        table = page[page.index('id="fate-counts"'):]
        for fate in FATES:
            row = re.search(rf'<tr data-fate="{fate}">.*?<td class="num">(\d+)</td>', table)
            assert row and int(row.group(1)) == found[fate], (doc, fate)
        assert FATE_MEANINGS["disappears"] in table  # the page says what it counts
        tentative = csv_tentative_fates(exported, doc)
        row = re.search(r'<tr data-confidence="tentative">.*?<td class="num">(\d+)</td>', table)
        assert row and int(row.group(1)) == tentative, doc
        assert FATE_CONFIDENCE_MEANINGS["tentative"] in table
        # each passage whose fate rests on tentative counterparts alone is marked so
        assert page.count('class="clause" data-fate="evolves" data-confidence="tentative"') + (
            page.count('class="clause" data-fate="persists" data-confidence="tentative"')
        ) == tentative


def test_pair_pages_count_what_the_csv_counts(analysis, exported, site) -> None:
    for a, b in consecutive_pairs(analysis):
        page = site[f"pair-{a}--{b}.html"]
        cells = [int(n) for n in re.findall(r"<td><b>(\d+)</b>", page)[:5]]
        shown = tuple(cells[:4])
        assert shown == csv_pair_counts(exported, a, b)
        assert cells[4] == csv_tentative(exported, a, b)
        assert page.count('data-confidence="tentative"') == cells[4]
        assert PAIR_MEANINGS["tentative"] in page
        assert PAIR_MEANINGS["absent"] in page
        # one row per commitment of A, one list item per new commitment of B
        same, reworded, absent, new = shown
        assert page.count('<tr class="row" data-relation=') == same + reworded + absent
        assert page.count('data-relation="new"') == new


def test_diffs_first_line_shows_the_pair_counts_it_is_given() -> None:
    """`diff_text` takes its figures from the counts module, not from the rows it shows."""
    counts = PairCounts("a", "b", same=3, reworded=4, absent=5, new=6, tentative=2)
    head = diff_text((), (), "a", "b", counts).splitlines()[0]
    assert head.startswith("a → b: 12 commitments of a: 3 with a counterpart in b in the same "
                           "words, 4 reworded, 5 with no counterpart in b (2 of the "
                           "counterparts tentative: check them); 6 commitments of b with no "
                           "counterpart in a.")
    alone = diff_text((), (), "a", "b", counts, show_unmatched=False).splitlines()[0]
    assert "tentative: check them). (Pair counts" in alone


@pytest.mark.usefixtures("store_cwd")
@pytest.mark.parametrize(("a", "b", "section"), [("2022-decision", "15th-plan", None),
                                                 ("15th-plan", "2025-report", None),
                                                 ("2024-decision", "15th-plan", "二/(一)")])
def test_diff_counts_as_the_counts_module(analysis, a: str, b: str, section: str | None) -> None:
    """`continuity diff`'s first line is `pair_counts` (for a section: of its commitments),
    and its rows are what that counts."""
    args = ["diff", a, b, *(["--section", section] if section else [])]
    out = CliRunner().invoke(cli, args, catch_exceptions=False).stdout
    chosen = ({s.id for s in select_section(analysis.corpus.document(a), section)}
              if section else None)
    c = pair_counts(analysis, a, b, chosen)
    expected = diff_text((), (), a, b, c, show_unmatched=section is None).splitlines()[0]
    assert out.splitlines()[0] == expected
    rows, _ = compare_documents(analysis, a, b, chosen)
    relations = Counter(r.relation for r in rows)
    assert (relations["same"], relations["reworded"], relations["absent"]) == (
        c.same, c.reworded, c.absent)
    assert sum(r.confidence == "tentative" for r in rows) == c.tentative > 0


@pytest.mark.usefixtures("store_cwd")
def test_commands_count_what_the_csv_counts(analysis, exported) -> None:
    runner = CliRunner()
    out = runner.invoke(cli, ["diff", "2022-decision", "15th-plan"], catch_exceptions=False).stdout
    same, reworded, absent, new = csv_pair_counts(exported, "2022-decision", "15th-plan")
    head = out.splitlines()[0]
    assert (f"{same + reworded + absent} commitments of 2022-decision: {same} with a "
            f"counterpart in 15th-plan in the same words, {reworded} reworded, {absent} with "
            f"no counterpart in 15th-plan ({csv_tentative(exported, '2022-decision', '15th-plan')}"
            f" of the counterparts tentative: check them); {new} commitments of 15th-plan") in head
    text = fates_table(analysis)  # what `continuity align` prints
    for doc in analysis.corpus.ids:
        found = csv_fate_counts(exported, doc)
        line = next(x for x in text.splitlines() if x.startswith(doc))
        assert [int(n) for n in line.split()[1:]] == [*(found[f] for f in FATES),
                                                      csv_tentative_fates(exported, doc)]
    assert FATE_MEANINGS["disappears"] in text
    assert FATE_CONFIDENCE_MEANINGS["tentative"] in text.replace("\n             ", "")

"""The comparison plan (continuity/corpus/plan.py): which documents are compared, and why."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner
from helpers import BUNDLED_IDS, entry, meta

from continuity.cli import cli
from continuity.corpus.manifest import Manifest, bundled_corpus, read_corpus_manifest
from continuity.corpus.plan import comparison_plan, plan_document
from continuity.errors import ContinuityError, ManifestError, UnknownDocumentError
from continuity.records import CompareTable, Corpus, DocumentMeta
from continuity.settings import AlignSettings


def fake(doc_id: str, date: str, level: str, series: str = "") -> DocumentMeta:
    year, month, day = map(int, date.split("-"))
    return meta(id=doc_id, date=dt.date(year, month, day), date_text=date, level=level,
                series=series, file=Path(f"{doc_id}.txt"))


# A tiny federation of 14 documents over three years: the national work reports, two
# provinces' work reports, one province's plan series, and a city of province a.
FEDERATION = (
    fake("n-2023", "2023-03-05", "national", "national-report"),
    fake("a-2023", "2023-01-10", "province", "a-report"),
    fake("b-2023", "2023-01-20", "province", "b-report"),
    fake("c-2023", "2023-02-01", "city", "c-report"),
    fake("n-2024", "2024-03-05", "national", "national-report"),
    fake("a-2024", "2024-01-10", "province", "a-report"),
    fake("b-2024", "2024-01-20", "province", "b-report"),
    fake("a-plan", "2024-06-01", "province", "a-plan"),
    fake("c-2024", "2024-02-01", "city", "c-report"),
    fake("n-2025", "2025-03-05", "national", "national-report"),
    fake("a-2025", "2025-01-10", "province", "a-report"),
    fake("b-2025", "2025-01-20", "province", "b-report"),
    fake("c-2025", "2025-02-01", "city", "c-report"),
    fake("x-2022", "2022-12-01", "county", "x"),
)


def manifest(metas: tuple[DocumentMeta, ...] = FEDERATION, **compare: object) -> Manifest:
    ordered = tuple(sorted(metas, key=lambda m: m.date))
    return Manifest(path=Path("manifest.toml"), documents=ordered,
                    compare=CompareTable(**compare))  # type: ignore[arg-type]


def pairs(plan, reason: str | None = None) -> set[frozenset[str]]:
    return {frozenset((p.earlier, p.later)) for p in plan.pairs
            if reason is None or reason in p.reasons}


def pair(a: str, b: str) -> frozenset[str]:
    return frozenset((a, b))


def test_a_small_corpus_compares_every_pair() -> None:
    assert comparison_plan(manifest()).rule == "rules"  # 14 documents, more than 12
    plan = comparison_plan(manifest(), AlignSettings(all_pairs_max_docs=14))
    assert plan.rule == "all-pairs" and len(plan.pairs) == plan.all_pairs == 91
    assert all(p.reasons == ("all-pairs",) for p in plan.pairs)
    assert "14 documents, at most all_pairs_max_docs (14)" in plan.why


def test_series_neighbours_follow_each_series_timeline() -> None:
    plan = comparison_plan(manifest(), AlignSettings(all_pairs_max_docs=2))
    assert pairs(plan, "series") == {
        pair("n-2023", "n-2024"), pair("n-2024", "n-2025"),
        pair("a-2023", "a-2024"), pair("a-2024", "a-2025"),
        pair("b-2023", "b-2024"), pair("b-2024", "b-2025"),
        pair("c-2023", "c-2024"), pair("c-2024", "c-2025"),
    }  # not n-2023 with n-2025: only the previous and next document
    assert plan.timeline("a-report") == ("a-2023", "a-2024", "a-2025")
    assert plan.timeline("a-plan") == ("a-plan",)


def test_level_up_pairs_a_document_with_the_level_above_of_the_same_year() -> None:
    plan = comparison_plan(manifest(rules=("level-up",)), AlignSettings(all_pairs_max_docs=2))
    assert pairs(plan) == pairs(plan, "level-up") == {
        pair("n-2023", "a-2023"), pair("n-2023", "b-2023"),
        pair("n-2024", "a-2024"), pair("n-2024", "b-2024"), pair("n-2024", "a-plan"),
        pair("n-2025", "a-2025"), pair("n-2025", "b-2025"),
        pair("a-2023", "c-2023"), pair("b-2023", "c-2023"),
        pair("a-2024", "c-2024"), pair("b-2024", "c-2024"), pair("a-plan", "c-2024"),
        pair("a-2025", "c-2025"), pair("b-2025", "c-2025"),
    }  # x-2022 (county, 2022) has no city document of its year: compared with none


def test_above_names_the_series_a_series_looks_up_to() -> None:
    table = {"rules": ("level-up",), "above": (("c-report", ("a-report",)),)}
    plan = comparison_plan(manifest(**table), AlignSettings(all_pairs_max_docs=2))
    assert {p for p in pairs(plan) if p & {"c-2023", "c-2024", "c-2025"}} == {
        pair("a-2023", "c-2023"), pair("a-2024", "c-2024"), pair("a-2025", "c-2025"),
    }  # not b's reports nor a's plan: only the series named
    assert pair("n-2024", "b-2024") in pairs(plan)  # other series keep the level rule


def test_peers_are_the_same_level_and_year() -> None:
    plan = comparison_plan(manifest(rules=("peers",)), AlignSettings(all_pairs_max_docs=2))
    assert pairs(plan) == {
        pair("a-2023", "b-2023"), pair("a-2024", "b-2024"), pair("a-2024", "a-plan"),
        pair("b-2024", "a-plan"), pair("a-2025", "b-2025"),
    }


def test_each_document_has_at_most_max_peers_peers() -> None:
    """Peers are bounded, so the plan grows with the documents, not with the square of
    a level's: each province report of a year has its neighbours round the group."""
    metas = tuple(fake(f"p{k}-2024", f"2024-03-0{k}", "province", f"p{k}") for k in range(1, 8))
    for most, expected in ((0, 0), (1, 3), (2, 7), (4, 14), (6, 21), (99, 21)):
        plan = comparison_plan(manifest(metas, rules=("peers",)),
                               AlignSettings(all_pairs_max_docs=2, max_peers=most))
        found = pairs(plan, "peers")
        assert len(found) == expected, most
        degree = Counter(doc for p in found for doc in p)
        assert max(degree.values(), default=0) <= most
    ring = pairs(comparison_plan(manifest(metas, rules=("peers",)),
                                 AlignSettings(all_pairs_max_docs=2, max_peers=2)), "peers")
    assert ring == {pair(f"p{k}-2024", f"p{k % 7 + 1}-2024") for k in range(1, 8)}
    with pytest.raises(ValueError):
        AlignSettings(max_peers=-1)


def test_a_pair_lists_every_reason_in_a_fixed_order() -> None:
    metas = (fake("p-1", "2024-01-01", "province", "s"), fake("p-2", "2024-05-01", "province", "s"))
    plan = comparison_plan(manifest(metas, plan="rules", add=(("p-2", "p-1"),)))
    ((found,),) = [plan.pairs]
    assert (found.earlier, found.later) == ("p-1", "p-2")  # timeline order, whatever add says
    assert found.reasons == ("series", "peers", "manifest")


def test_the_manifest_adds_and_removes_pairs() -> None:
    table = {"add": (("x-2022", "n-2025"),), "remove": (("a-2023", "a-2024"),)}
    plan = comparison_plan(manifest(**table), AlignSettings(all_pairs_max_docs=2))
    assert pair("x-2022", "n-2025") in pairs(plan, "manifest")
    assert pair("a-2023", "a-2024") not in pairs(plan)
    small = comparison_plan(manifest(**table), AlignSettings(all_pairs_max_docs=20))
    assert len(small.pairs) == small.all_pairs - 1  # remove applies to every pair too


@pytest.mark.parametrize(("plan_key", "rule"), [("all-pairs", "all-pairs"), ("rules", "rules")])
def test_the_manifest_can_choose_the_rule_whatever_the_size(plan_key: str, rule: str) -> None:
    for limit in (0, 100):
        plan = comparison_plan(manifest(plan=plan_key), AlignSettings(all_pairs_max_docs=limit))
        assert plan.rule == rule
        assert f'[compare] plan = "{plan_key}"' in plan.why


def test_no_rules_leaves_only_the_manifest_pairs() -> None:
    plan = comparison_plan(manifest(plan="rules", rules=(), add=(("a-2023", "b-2025"),)))
    assert [(p.earlier, p.later, p.reasons) for p in plan.pairs] == [
        ("a-2023", "b-2025", ("manifest",))]


def test_the_plan_is_deterministic_and_in_timeline_order() -> None:
    settings = AlignSettings(all_pairs_max_docs=2)
    plan = comparison_plan(manifest(), settings)
    shuffled = manifest(tuple(reversed(FEDERATION)))
    assert comparison_plan(shuffled, settings) == plan
    position = {d: i for i, d in enumerate(plan.documents)}
    keys = [(position[p.earlier], position[p.later]) for p in plan.pairs]
    assert keys == sorted(keys) and all(i < j for i, j in keys)
    assert [s.name for s in plan.series] == ["x", "a-report", "b-report", "c-report",
                                             "national-report", "a-plan"]


def test_partners_are_the_documents_compared_with_one() -> None:
    plan = comparison_plan(manifest(), AlignSettings(all_pairs_max_docs=2))
    assert plan.partners("c-2024") == ("c-2023", "a-2024", "b-2024", "a-plan", "c-2025")
    assert plan.partners("x-2022") == ()
    with pytest.raises(UnknownDocumentError, match="unknown document 'nope'"):
        plan.partners("nope")


def test_an_unknown_series_is_an_error_listing_the_series() -> None:
    plan = comparison_plan(manifest())
    with pytest.raises(ContinuityError, match="no series 'z'; series: x, a-report"):
        plan.timeline("z")


def test_without_a_series_a_document_is_in_its_issuer_and_genre_series() -> None:
    metas = (fake("r-1", "2023-01-01", "city"), fake("r-2", "2024-01-01", "city"),
             meta(id="d-1", date=dt.date(2024, 6, 1), genre="decision", level="city"))
    plan = comparison_plan(manifest(metas, plan="rules"))
    assert plan.timeline("测试机关/other") == ("r-1", "r-2")
    assert plan.timeline("测试机关/decision") == ("d-1",)
    assert pairs(plan, "series") == {pair("r-1", "r-2")}


def test_a_corpus_plans_from_its_documents_and_compare_table() -> None:
    from continuity.records import CleanText, Document

    docs = tuple(Document(meta=m, encoding="utf-8", clean=CleanText(m.id, "", (), (), (), 0),
                          sections=(), table_rows=(), glossary=(), units=(), clauses=())
                 for m in manifest().documents)
    table = CompareTable(plan="rules", add=(("x-2022", "n-2025"),))
    corpus = Corpus(root=Path("."), documents=docs, compare=table)
    assert comparison_plan(corpus) == comparison_plan(manifest(plan="rules",
                                                               add=(("x-2022", "n-2025"),)))
    stray = Corpus(root=Path("."), documents=docs[:3], compare=table)
    with pytest.raises(ManifestError, match="add: unknown document id"):
        comparison_plan(stray)
    lost = Corpus(root=Path("."), documents=docs, compare=CompareTable(above=(("z", ("x",)),)))
    with pytest.raises(ManifestError, match="above: unknown series 'z'"):
        comparison_plan(lost)


def test_the_bundled_corpus_compares_every_pair() -> None:
    plan = comparison_plan(read_corpus_manifest(bundled_corpus()))
    assert plan.documents == BUNDLED_IDS
    assert plan.rule == "all-pairs" and len(plan.pairs) == 10 == plan.all_pairs
    assert plan.timeline("中共四川省委/decision") == ("2022-decision", "2024-decision")


def test_the_bundled_corpus_loaded_plans_the_same(corpus) -> None:
    assert comparison_plan(corpus) == comparison_plan(read_corpus_manifest(bundled_corpus()))


# --------------------------------------------------------------------------- the command

def run(*args: str):
    return CliRunner().invoke(cli, ["plan", *args], catch_exceptions=False)


def test_plan_command_prints_pairs_reasons_and_series() -> None:
    result = run()
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == ("plan: every pair (5 documents, at most all_pairs_max_docs (12)); "
                        "10 of 10 pairs compared")
    assert "  中共四川省委/decision (2 documents)" in lines
    assert any(line.split() == ["2022-decision", "15th-plan", "all-pairs"] for line in lines)


def test_plan_command_json_and_settings() -> None:
    result = run("--set", "all_pairs_max_docs=2", "--json")
    assert result.exit_code == 0, result.output
    document = json.loads(result.output)
    assert document == plan_document(comparison_plan(
        read_corpus_manifest(bundled_corpus()), AlignSettings(all_pairs_max_docs=2)))
    assert (document["rule"], document["pairs_planned"], document["pairs_all"]) == ("rules", 2, 10)
    assert {"docs": ["2022-decision", "2024-decision"], "reasons": ["series"]} in document["pairs"]


def test_plan_command_reads_the_manifest_of_another_corpus(write_corpus) -> None:
    root = write_corpus([(entry(id="one", series="s"), None), (entry(id="two", series="s"), None)])
    (root / "one.txt").write_text("正文。", encoding="utf-8")
    (root / "two.txt").write_text("正文。", encoding="utf-8")
    with (root / "manifest.toml").open("a", encoding="utf-8") as f:
        f.write('\n[compare]\nplan = "rules"\nrules = []\n')
    result = run("--corpus", str(root))
    assert result.exit_code == 0, result.output
    assert "0 of 1 pairs compared" in result.output.splitlines()[0]


def test_plan_command_reports_manifest_errors(write_corpus) -> None:
    root = write_corpus([(entry(id="one"), "正文。")])
    with (root / "manifest.toml").open("a", encoding="utf-8") as f:
        f.write('\n[compare]\nplan = "some"\n')
    result = run("--corpus", str(root))
    assert result.exit_code == 1
    assert f"Error: {root / 'manifest.toml'}: [compare] plan: 'some' is not one of" in result.output

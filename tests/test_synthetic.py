"""The synthetic corpora of the scale benchmarks (benchmarks/synthetic.py)."""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))

from synthetic import layout, perturb_line, write_corpus  # noqa: E402

from continuity.corpus.manifest import read_corpus_manifest  # noqa: E402
from continuity.corpus.plan import comparison_plan  # noqa: E402
from continuity.settings import AlignSettings  # noqa: E402


def test_layout_makes_series_of_years_with_levels() -> None:
    docs = layout(300)
    series = Counter(d.series for d in docs)
    assert len(series) == 30 and set(series.values()) == {10}
    assert Counter(d.level for d in docs) == {"national": 10, "province": 230, "city": 60}
    assert len({d.id for d in docs}) == 300
    short = layout(12, years=5)  # the last series is shorter
    assert [d.id for d in short if d.series == "syn-02"] == ["syn-02-2016", "syn-02-2017"]


def test_perturb_line_changes_numbers_and_keeps_the_heading_numbering() -> None:
    import random

    line = "第三章 加快建设现代化产业体系到2030年达到5000亿元"
    changed = perturb_line(line, random.Random(1), swap=1.0)
    assert changed != line and changed.startswith("第三章 ")
    assert "2030" not in changed and "5000" not in changed


def test_write_corpus_is_a_readable_corpus_in_series(tmp_path: Path) -> None:
    docs = write_corpus(tmp_path / "corpus", 4, years=2)
    manifest = read_corpus_manifest(tmp_path / "corpus")
    assert [m.id for m in manifest.documents] == [d.id for d in sorted(docs, key=lambda d: d.date)]
    assert {m.series for m in manifest.documents} == {"syn-00", "syn-01"}
    assert (tmp_path / "corpus" / "themes.toml").is_file()
    first, second = (tmp_path / "corpus" / f"syn-00-{y}.txt" for y in (2016, 2017))
    assert first.read_text(encoding="utf-8") != second.read_text(encoding="utf-8")
    plan = comparison_plan(manifest)
    assert plan.timeline("syn-01") == ("syn-01-2016", "syn-01-2017")


def test_a_city_series_looks_up_to_the_province_series_before_it(tmp_path: Path) -> None:
    write_corpus(tmp_path / "corpus", 10, years=2)  # five series: the fifth a city
    manifest = read_corpus_manifest(tmp_path / "corpus")
    assert manifest.compare.above == (("syn-04", ("syn-03",)),)
    plan = comparison_plan(manifest, AlignSettings(all_pairs_max_docs=2))
    assert plan.partners("syn-04-2016") == ("syn-03-2016", "syn-04-2017")

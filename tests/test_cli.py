"""The `continuity` command (continuity/cli.py), through click's CliRunner.

The bundled corpus and its analysis are the session fixtures: `load_corpus` and
`analyse` are swapped for lookups of those (other corpora and settings still go
through the real functions), so each command costs milliseconds, not seconds.
"""

from __future__ import annotations

import csv
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from helpers import BUNDLED_IDS, entry

import continuity.cli as cli_module
from continuity.cli import cli
from continuity.output.export import COLUMNS
from continuity.settings import AlignSettings
from continuity.views.console import display_width

README = Path(__file__).resolve().parent.parent / "README.md"
#: The commands this suite runs on the bundled corpus (`build` has its own tests).
RUN_COMMANDS = ("corpus", "outline", "units", "clean", "settings", "align", "diff", "trace",
                "history", "evaluate")

TINY_A = "某某省委决定\n一、主要任务\n坚持和发展新时代“枫桥经验”，健全城乡社区治理体系。\n"
TINY_B = "某某市政府工作报告\n一、重点工作\n坚持和发展新时代“枫桥经验”，健全城乡社区治理体系。\n"


@pytest.fixture(autouse=True)
def reuse_session_analysis(monkeypatch, store_cwd, corpus, analysis):
    """Commands run in a folder of their own whose reports/ holds the session's store
    (`store_cwd`), with the session's corpus and analysis."""
    real_load, real_analyse = cli_module.load_corpus, cli_module.analyse

    def load(corpus_dir=None, workers=None):
        return corpus if corpus_dir is None else real_load(corpus_dir, workers)

    def run_analysis(given, settings=None, engine=None):
        if given is corpus and (settings or AlignSettings()) == AlignSettings():
            return analysis
        return real_analyse(given, settings, engine)

    monkeypatch.setattr(cli_module, "load_corpus", load)
    monkeypatch.setattr(cli_module, "analyse", run_analysis)


def run(*args: str) -> Result:
    """A command that must succeed."""
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result


def fail(*args: str, code: int = 1) -> Result:
    """A command that must fail cleanly: a message and exit code, no traceback."""
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code == code, (result.exit_code, result.output, result.exception)
    assert isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    assert "Error:" in result.output
    return result


@pytest.fixture
def tiny(write_corpus) -> Path:
    root = write_corpus([(entry(id="a", date="2023-01-01", level="province"), TINY_A),
                         (entry(id="b", date="2024-01-01", level="city"), TINY_B)])
    (root / "themes.toml").write_text(
        '[[theme]]\nid = "society"\nname = "社会治理"\nseeds = ["枫桥经验", "社区治理"]\n',
        encoding="utf-8")
    return root


# --------------------------------------------------------------------------- every command runs


def test_corpus() -> None:
    output = run("corpus").output
    assert output.splitlines()[0].split()[:4] == ["id", "date", "level", "genre"]
    assert [line.split()[0] for line in output.splitlines()[2:]] == list(BUNDLED_IDS)


def test_outline() -> None:
    output = run("outline", "15th-plan").output
    assert output.startswith("15th-plan  四川省国民经济和社会发展第十五个五年规划纲要")
    assert re.search(r"^第三篇 .*\[plan, \d+ units\]$", output, re.M)
    assert "  第七章" in output


def test_units_of_a_section(monkeypatch) -> None:
    monkeypatch.setenv("COLUMNS", "400")  # lines are cut to the terminal's width
    output = run("units", "2025-report", "--section", "重点工作/(一)").output
    lines = output.splitlines()
    assert lines[0].split() == ["unit", "section", "kind", "role", "function", "offsets", "text"]
    assert len(lines) > 10
    assert all(line.split()[1].startswith("重点工作/(一)") for line in lines[2:])
    assert "(一)全方位扩大内需" in output
    everything = run("units", "2025-report").output
    assert len(everything.splitlines()) > len(lines)


def test_history(monkeypatch) -> None:
    monkeypatch.setenv("COLUMNS", "100")
    output = run("history", "实施特色优势产业倍增计划").output
    lines = output.splitlines()
    assert lines[0].startswith("History of “实施特色优势产业倍增计划，” (2022-decision u")
    assert any(line.startswith("  2024-chengdu   absent") for line in lines)
    assert "提质倍增行动" in output and "[-" in output and "{+" in output
    assert re.search(r"(verb|qualifier) (strengthened|weakened) \(", output)  # kinds of change
    assert all(display_width(line) <= 100 for line in lines)  # wrapped, never cut
    assert "no passage" in fail("history", "火星基地建设").output


def test_units_show_what_each_clause_does(monkeypatch) -> None:
    monkeypatch.setenv("COLUMNS", "400")  # lines are cut to the terminal's width
    clauses = run("units", "2022-decision", "--clauses").output
    row = next(line for line in clauses.splitlines() if "省委委员79人" in line)
    clause_id = row.split()[0]
    assert clause_id.startswith("u") and "." in clause_id  # a clause id: <sentence>.<n>
    assert " procedural " in row
    sentences = run("units", "2022-decision").output
    [sentence] = [line for line in sentences.splitlines()
                  if line.startswith(clause_id.split(".")[0] + " ")]
    assert "procedural" in sentence.split()[4]  # the functions of its clauses
    assert len(clauses.splitlines()) > len(sentences.splitlines())


def test_clean() -> None:
    text = run("clean", "2024-chengdu").output
    assert "成都" in text and len(text) > 10_000
    removed = run("clean", "2024-chengdu", "--removed").output
    assert removed.splitlines()[0].split() == ["line", "reason", "text"]
    joins = run("clean", "15th-plan", "--joins").output
    assert "joined to" in joins.splitlines()[0] and "⏎" in joins


def test_settings() -> None:
    output = run("settings").output
    for name in ("min_score", "conflict_penalty", "max_counterparts", "excluded_target_kinds"):
        assert re.search(rf"^{name} = \S", output, re.M)
    assert "excluded_target_kinds = review,glossary,preamble" in output
    assert re.search(r"^min_score = .*\n    A pair sharing one distinctive term", output, re.M)


def test_align_writes_the_six_csvs(tmp_path: Path) -> None:
    output = run("align", "--out", str(tmp_path)).output
    data = tmp_path / "data"
    assert sorted(p.name for p in data.iterdir()) == sorted([*COLUMNS, "datapackage.json"])
    for name, columns in COLUMNS.items():
        with (data / name).open(encoding="utf-8", newline="") as handle:
            assert tuple(next(csv.reader(handle))) == columns
    assert "emerges" in output and "persists" in output  # the fates table
    assert all(doc_id in output for doc_id in BUNDLED_IDS)
    assert f"to {data}" in output


def test_align_on_another_corpus_with_settings(tiny: Path, tmp_path: Path) -> None:
    output = run("align", "--corpus", str(tiny), "--out", str(tmp_path),
                 "--set", "min_score=0.9", "--set", "max_counterparts=1").output
    assert "persists" in output
    with (tmp_path / "data" / "alignments.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert {r["relation"] for r in rows if r["target_unit"]} == {"same"}
    assert {r["cross_level"] for r in rows} == {"1"}


def test_diff() -> None:
    output = run("diff", "2024-decision", "15th-plan", "--section", "二/(一)").output
    assert output.startswith("2024-decision → 15th-plan:")
    assert re.search(r"^\s+(same|reworded|absent)\s", output, re.M)
    assert "In 15th-plan with no counterpart" not in output  # not with --section
    whole = run("diff", "2022-decision", "2024-decision").output
    assert "In 2024-decision with no counterpart in 2022-decision:" in whole
    assert "[-" in whole and "{+" in whole  # word changes marked
    # a tentative counterpart says so; a firm one does not
    assert re.search(r"\(score 0\.\d\d, tentative: check it\)", whole)
    assert re.search(r"\(score 0\.\d\d\)", whole)


def test_trace() -> None:
    output = run("trace", "天府粮仓").output
    assert output.startswith("“天府粮仓”: in ")
    assert "Following 2022-decision" in output
    for doc_id in BUNDLED_IDS:
        assert re.search(rf"^  {re.escape(doc_id)}\s+(source|same|reworded|absent)$", output, re.M)


def test_trace_shows_a_review_reporting_on_a_commitment_that_disappears() -> None:
    output = run("trace", "全面落实田长制").output
    assert re.search(r"^  2024-chengdu\s+absent\n      0\.\d\d  2023年工作回顾/.*: 全面落实田长制,"
                     r" \(a review reporting it\)$", output, re.M)


def test_history_names_a_review_reporting_where_the_commitment_is_absent() -> None:
    output = run("history", "uad45d6c1d2.2").output  # 全面落实田长制 (2022 decision)
    assert re.search(r"^  2024-chengdu   absent: no counterpart of the first passage\n"
                     r"    a review reporting it: 2023年工作回顾/.*: 全面落实田长制,$",
                     output, re.M)


def test_diff_names_a_review_reporting_on_an_absent_commitment() -> None:
    output = run("diff", "2022-decision", "2024-chengdu").output
    assert re.search(r"^    全面落实田长制，\n    a review of 2024-chengdu reporting it: "
                     r"2023年工作回顾/.*: 全面落实田长制,$", output, re.M)


def test_trace_a_copied_sentence_with_wrapped_lines(monkeypatch) -> None:
    monkeypatch.setenv("COLUMNS", "70")
    output = run("trace", "坚持农业农村优先发展，以打造新时代更高水平“天府粮仓”为引领，").output
    assert output.count("Following 2022-decision") == 2
    lines = output.splitlines()
    assert all(display_width(line) <= 70 for line in lines)  # wrapped, never cut with …
    assert "…" not in output


def test_trace_suggests_the_nearest_passages() -> None:
    result = CliRunner().invoke(cli, ["trace", "建设世界一流的人工智能学院和平台体系"])
    assert result.exit_code == 1
    assert "no passage of the corpus carries" in result.output
    assert "Suggestions (nearest passages; none of them carries the text):" in result.output


def test_evaluate(tmp_path: Path) -> None:
    gold = tmp_path / "gold.jsonl"
    quote = "坚持和发展新时代“枫桥经验”"
    gold.write_text(json.dumps({"id": "g1", "source": "2022-decision", "quote": quote,
                                "targets": {"15th-plan": {"label": "same", "quote": quote}}},
                               ensure_ascii=False) + "\n", encoding="utf-8")
    output = run("evaluate", str(gold)).output
    assert re.search(r"^overall\s+1\.000\s+\(1/1\)$", output, re.M)
    assert "→ 15th-plan" in output


def test_evaluate_misses_say_why(tmp_path: Path) -> None:
    gold = tmp_path / "gold.jsonl"
    quote = "坚持和发展新时代“枫桥经验”"
    gold.write_text(json.dumps({"id": "g1", "source": "2022-decision", "quote": quote,
                                "targets": {"15th-plan": {"label": "absent", "quote": None}}},
                               ensure_ascii=False) + "\n", encoding="utf-8")
    output = run("evaluate", str(gold), "--misses").output
    assert re.search(r"^overall\s+0\.000\s+\(0/1\)$", output, re.M)
    assert "g1 → 15th-plan: gold absent, tool same" in output
    assert "found     #1 same  15th-plan" in output
    assert re.search(r"score 0\.\d+ \(needs 0\.\d+; .*shared terms: .*枫桥经验.*; rank 1", output)


# --------------------------------------------------------------------------- errors


def test_set_with_a_bad_value() -> None:
    result = fail("align", "--set", "min_score=abc", code=2)
    assert "--set" in result.output and "abc" in result.output


def test_set_with_a_bad_value_names_the_setting() -> None:
    result = fail("trace", "天府粮仓", "--set", "max_counterparts=3", "--set", "min_score=abc",
                  code=2)
    assert "min_score" in result.output


def test_set_with_an_unknown_name_lists_the_known_ones() -> None:
    result = fail("diff", "2022-decision", "15th-plan", "--set", "nope=1", code=2)
    assert "nope" in result.output
    assert "min_score" in result.output and "conflict_penalty" in result.output


def test_set_without_equals() -> None:
    assert "NAME=VALUE" in fail("evaluate", str(README), "--set", "min_score", code=2).output


@pytest.mark.parametrize(
    "args",
    [("outline", "nope"), ("units", "nope"), ("clean", "nope"),
     ("diff", "nope", "15th-plan"), ("diff", "2022-decision", "nope")],
)
def test_unknown_document_lists_the_known_ids(args: tuple[str, ...]) -> None:
    output = fail(*args).output
    assert "unknown document 'nope'" in output
    assert all(doc_id in output for doc_id in BUNDLED_IDS)


@pytest.mark.parametrize(
    "args",
    [("diff", "2022-decision", "15th-plan", "--section", "第九十九篇"),
     ("units", "15th-plan", "--section", "第九十九篇")],
)
def test_unknown_section(args: tuple[str, ...]) -> None:
    output = fail(*args).output
    assert "has no section '第九十九篇'" in output
    assert "top-level sections:" in output


def test_trace_of_a_phrase_in_no_document() -> None:
    assert "no passage of the corpus carries 'xyzzy'" in fail("trace", "xyzzy").output


def test_evaluate_with_a_malformed_probe_file(tmp_path: Path) -> None:
    gold = tmp_path / "gold.jsonl"
    gold.write_text("\n{not json\n", encoding="utf-8")
    assert f"{gold}:2: not a probe" in fail("evaluate", str(gold)).output
    fail("evaluate", str(tmp_path / "missing.jsonl"), code=2)


def test_a_corpus_folder_without_manifest(tmp_path: Path) -> None:
    output = fail("corpus", "--corpus", str(tmp_path)).output
    assert "manifest.toml" in output and str(tmp_path) in output


def test_another_corpus(tiny: Path) -> None:
    output = run("corpus", "--corpus", str(tiny)).stdout
    assert [line.split()[0] for line in output.splitlines()[2:]] == ["a", "b"]
    assert "same" in run("trace", "枫桥经验", "--corpus", str(tiny)).output


def test_diff_of_a_document_with_itself_fails_cleanly() -> None:
    result = CliRunner().invoke(cli, ["diff", "2025-report", "2025-report"])
    assert result.exception is None or isinstance(result.exception, SystemExit), \
        repr(result.exception)


# --------------------------------------------------------------------------- help and README


def test_group_help_lists_every_command() -> None:
    output = run("-h").output
    assert "Usage:" in output
    for name in cli.commands:
        assert re.search(rf"^  {name}\b", output, re.M), name


@pytest.mark.parametrize("name", sorted(cli.commands))
def test_every_command_has_help_with_an_example(name: str) -> None:
    for flag in ("-h", "--help"):
        output = run(name, flag).output
        assert re.match(rf"Usage: \S+ {name} ", output)
        assert "Example: continuity " + name in output


def test_run_commands_are_the_cli_commands() -> None:
    assert set(RUN_COMMANDS) <= set(cli.commands)


@pytest.mark.parametrize("name", sorted(cli.commands))
def test_every_command_is_in_the_readme(name: str) -> None:
    assert f"`continuity {name}" in README.read_text(encoding="utf-8")


def test_version() -> None:
    assert re.search(r"\d+\.\d+", run("--version").output)


def test_diff_html_writes_a_self_contained_pair_page(tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    out = run("diff", "2022-decision", "15th-plan", "--html").output.strip()
    page = tmp_path / "reports" / "pair-2022-decision--15th-plan.html"
    assert out == str(page.resolve())
    html = page.read_text(encoding="utf-8")
    assert "<style>" in html and 'href="static/' not in html and 'src="static/' not in html
    assert "<del>" in html and "<ins>" in html
    # the folder stays a report folder: a later build may replace it
    assert (tmp_path / "reports" / "README.md").is_file()
    other = tmp_path / "elsewhere" / "p.html"
    assert run("diff", "2024-chengdu", "2025-report", "--html", str(other)).output.strip() \
        == str(other.resolve())
    assert other.is_file()


# The console script (`continuity.cli:main`): flushed output, exit codes kept.

def _script(*args: str) -> subprocess.CompletedProcess[str]:
    code = "from continuity.cli import main; main()"
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True)


def test_console_script_prints_and_exits_zero() -> None:
    done = _script("corpus")
    assert done.returncode == 0
    assert "15th-plan" in done.stdout and done.stdout.endswith("\n")


def test_console_script_keeps_error_exit_codes() -> None:
    unknown = _script("outline", "nope")
    assert unknown.returncode == 1 and "unknown document 'nope'" in unknown.stderr
    usage = _script("build", "--workers", "0")
    assert usage.returncode == 2 and "--workers" in usage.stderr

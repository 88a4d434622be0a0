"""Terminal output (continuity/views/terminal.py, and the wrapping and colour of console.py) by
the conventions of git and ripgrep: colour only on a terminal and never with NO_COLOR, a
pager for output longer than the screen, lines wrapped to the terminal's width.

Three ways in: `detect` given a stream and an environment; the commands through
CliRunner (not a terminal) and with a simulated one (`terminal._isatty` patched, a pager
script that records what it was given); and the real console script on a pseudo-terminal
(`pty`), whose size the process reads itself.
"""

from __future__ import annotations

import fcntl
import io
import json
import os
import pty
import select
import struct
import subprocess
import sys
import termios
import time
from collections.abc import Callable
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from helpers import entry
from hypothesis import given
from hypothesis import strategies as st

import continuity.cli as cli_module
from continuity.cli import cli
from continuity.settings import AlignSettings
from continuity.views import terminal
from continuity.views.console import (
    NO_LINE_START,
    STYLES,
    UNWRAPPED,
    display_width,
    paint,
    table,
    wrap,
    wrap_text,
)
from continuity.views.terminal import (
    DEFAULT_PAGER,
    MIN_WIDTH,
    Terminal,
    detect,
    pager_command,
    show,
)

ESC = "\x1b"

#: Commands that print more than a screen, with arguments.
LONG_COMMANDS = (
    ("diff", "2022-decision", "2024-decision"),
    ("trace", "天府粮仓"),
    ("history", "天府粮仓"),
    ("units", "2025-report"),
    ("units", "2025-report", "--clauses"),
    ("outline", "15th-plan"),
    ("clean", "2024-chengdu"),
    ("clean", "2024-chengdu", "--removed", "--joins"),
    ("corpus",),
    ("settings",),
)

#: A pager that records its arguments, LESS and what it was given, in the file RECORD.
RECORDER = """\
import json, os, sys
data = sys.stdin.buffer.read().decode("utf-8")
with open(os.environ["RECORD"], "w", encoding="utf-8") as out:
    json.dump({"argv": sys.argv[1:], "less": os.environ.get("LESS"), "text": data}, out)
"""


class FakeTerminal(io.StringIO):
    """A stream that says it is a terminal (of unknown size)."""

    def isatty(self) -> bool:
        return True


# --------------------------------------------------------------------------- decisions


def test_a_file_or_pipe_gets_no_colour_no_pager_and_long_lines() -> None:
    assert detect(io.StringIO(), {}) == Terminal(color=False, width=UNWRAPPED, height=0,
                                                 pager=())
    assert detect(io.StringIO(), {"PAGER": "less"}).pager == ()


def test_columns_sets_the_width_anywhere() -> None:
    assert detect(io.StringIO(), {"COLUMNS": "70"}).width == 70
    assert detect(io.StringIO(), {"COLUMNS": "10"}).width == MIN_WIDTH
    assert detect(io.StringIO(), {"COLUMNS": "wide"}).width == UNWRAPPED
    assert detect(FakeTerminal(), {"COLUMNS": "90", "LINES": "30"}).width == 90


def test_a_terminal_gets_colour_and_the_default_pager() -> None:
    found = detect(FakeTerminal(), {"COLUMNS": "80", "LINES": "24"})
    assert found == Terminal(color=True, width=80, height=24, pager=("less", "-R"))
    assert DEFAULT_PAGER == ("less", "-R")


@pytest.mark.parametrize(("value", "color"), [("1", False), ("0", False), ("yes", False),
                                              ("", True)])
def test_no_color_set_and_not_empty_turns_colour_off(value: str, color: bool) -> None:
    """https://no-color.org: present and not an empty string, whatever its value."""
    assert detect(FakeTerminal(), {"NO_COLOR": value}).color is color


def test_a_dumb_terminal_gets_neither_colour_nor_pager() -> None:
    found = detect(FakeTerminal(), {"TERM": "dumb"})
    assert not found.color and found.pager == ()


@pytest.mark.parametrize(("value", "command"), [
    (None, ("less", "-R")), ("cat", ()), ("", ()), ("  ", ()),
    ("most -s", ("most", "-s")), ("less -FRX", ("less", "-FRX")), ('less "-R', ()),
])
def test_pager_command_reads_pager_as_git_does(value: str | None,
                                               command: tuple[str, ...]) -> None:
    assert pager_command({} if value is None else {"PAGER": value}) == command


def test_only_output_longer_than_the_screen_is_paged() -> None:
    screen = Terminal(color=True, width=80, height=24, pager=("less", "-R"))
    assert screen.pages("line\n" * 30)
    assert not screen.pages("line\n" * 5)
    assert not Terminal(height=24).pages("line\n" * 30)  # no pager
    assert not Terminal(pager=("less",)).pages("line\n" * 30)  # not a terminal


# --------------------------------------------------------------------------- show and page


@pytest.fixture
def recorder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[[], dict[str, object]]:
    """A pager command in PAGER (a script named `less`, so that LESS is set for it) whose
    record is read by calling the fixture's value."""
    script = tmp_path / "less"
    script.write_text(f"#!{sys.executable}\n{RECORDER}", encoding="utf-8")
    script.chmod(0o755)
    record = tmp_path / "record.json"
    monkeypatch.setenv("RECORD", str(record))
    monkeypatch.setenv("PAGER", f"{script} --from-pager")
    monkeypatch.delenv("LESS", raising=False)

    def read() -> dict[str, object]:
        if not record.exists():
            return {}
        found: dict[str, object] = json.loads(record.read_text(encoding="utf-8"))
        return found

    return read


def test_show_pages_long_output_and_prints_short_output(
        recorder: Callable[[], dict[str, object]], capsys: pytest.CaptureFixture[str]) -> None:
    screen = Terminal(color=True, width=80, height=10,
                      pager=pager_command(dict(os.environ)))
    show("short", screen)
    assert capsys.readouterr().out == "short\n" and recorder() == {}
    long = "\n".join(click.style(f"line {n}", fg="red") for n in range(20))
    show(long, screen)
    assert capsys.readouterr().out == ""
    record = recorder()
    assert record["text"] == long + "\n"  # colours passed on
    assert record["argv"] == ["--from-pager"]
    assert record["less"] == "R"  # a less named in PAGER passes colours through


def test_show_leaves_less_alone_when_less_is_set(recorder: Callable[[], dict[str, object]],
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LESS", "FX")
    show("x\n" * 20, Terminal(height=10, pager=pager_command(dict(os.environ))))
    assert recorder()["less"] == "FX"


def test_show_removes_colour_when_not_colouring(capsys: pytest.CaptureFixture[str]) -> None:
    show(click.style("红", fg="red") + " plain", Terminal(color=False))
    assert capsys.readouterr().out == "红 plain\n"


def test_a_pager_that_cannot_start_prints_instead(capsys: pytest.CaptureFixture[str]) -> None:
    show("a\n" * 30, Terminal(height=10, pager=("/nonexistent/pager",)))
    assert capsys.readouterr().out == "a\n" * 30 + "\n"


def test_a_pager_that_quits_early_is_no_error() -> None:
    """q in less before the end: a broken pipe, not a traceback."""
    text = "天府粮仓\n" * 200_000  # more than a pipe holds
    assert terminal.page(text, (sys.executable, "-c", "pass"))


# --------------------------------------------------------------------------- wrapping colour

SEGMENTS = st.lists(st.tuples(st.text(alphabet=st.sampled_from("天府粮仓建设，。 abc1-"),
                                      min_size=1, max_size=30),
                              st.sampled_from([None, *STYLES])), max_size=12)


def styled_characters(text: str) -> list[tuple[str, tuple[str, ...]]]:
    """Each visible character of `text` (spaces left out) with the colour codes in force."""
    out, active, i = [], [], 0
    while i < len(text):
        if text[i] == ESC:
            end = text.index("m", i) + 1
            code = text[i:end]
            active = [] if code == "\x1b[0m" else [*active, code]
            i = end
            continue
        if not text[i].isspace():
            out.append((text[i], tuple(active)))
        i += 1
    return out


@given(SEGMENTS, st.integers(min_value=12, max_value=60))
def test_wrapped_colour_stays_on_its_characters_and_off_indents(
        segments: list[tuple[str, str | None]], width: int) -> None:
    text = "".join(paint(t, kind, True) if kind else t for t, kind in segments)
    lines = wrap(text, width, "  ", "    ")
    assert all(display_width(line) <= width or len(click.unstyle(line).split()) == 1
               for line in lines)
    assert styled_characters("\n".join(lines)) == styled_characters(text)
    for line in lines:
        indent = line[:len(line) - len(line.lstrip(" "))]
        assert ESC not in indent  # no colour on the indent
        assert styled_characters(line)  # no line of colour codes alone
        active: list[str] = []
        for code in (c for c in line.split(ESC)[1:]):
            active = [] if code.startswith("[0m") else [*active, code]
        assert active == []  # every line ends with its colours closed


def test_wrap_never_starts_a_line_with_closing_punctuation() -> None:
    text = "坚持农业农村优先发展，以打造新时代更高水平“天府粮仓”为引领，加快建设农业强省。"
    for width in range(12, 60):
        lines = wrap(text, width, "  ")
        assert not [line for line in lines[1:] if line.strip()[0] in NO_LINE_START], width
        assert "".join(line.strip() for line in lines) == text
        assert all(display_width(line) <= width for line in lines)


def test_wrap_text_keeps_blank_lines() -> None:
    text = "第一段" * 20 + "\n\n" + "第二段"
    wrapped = wrap_text(text, 40)
    assert "\n\n" in wrapped and all(display_width(x) <= 40 for x in wrapped.split("\n"))
    assert wrap_text(text, UNWRAPPED) == text


# --------------------------------------------------------------------------- tables

ROWS = [("u1", "总体要求", "以习近平新时代中国特色社会主义思想为指导，全面贯彻党的二十大精神。"),
        ("u22", "重点工作/(二)", "加快推动科技创新及成果转化。")]


def test_a_table_that_fits_is_unchanged() -> None:
    assert table(("unit", "section", "text"), ROWS) == table(("unit", "section", "text"), ROWS,
                                                             width=200)


def test_a_text_column_wraps_under_itself() -> None:
    lines = table(("unit", "section", "text"), ROWS, width=50).split("\n")
    start = display_width(lines[2][:lines[2].index("以")])
    assert all(display_width(line) <= 50 for line in lines)
    second = next(n for n, line in enumerate(lines) if line.startswith("u22"))
    assert second > 3  # the first row took several lines
    assert all(line.startswith(" " * start) and line[start] != " " for line in lines[3:second])
    assert lines[2][:lines[2].index("以")].split() == ["u1", "总体要求"]
    assert "".join(line[start if n else lines[2].index("以"):]
                   for n, line in enumerate(lines[2:second])) == ROWS[0][2]


def test_a_text_column_with_no_room_goes_under_its_row() -> None:
    lines = table(("unit", "section", "text"), ROWS, width=40).split("\n")
    assert lines[0].split() == ["unit", "section"] and lines[1].strip() == "text"
    assert lines[3].split() == ["u1", "总体要求"] and lines[4].startswith("    以习近平")
    assert all(display_width(line) <= 40 for line in lines)


def test_a_table_of_short_columns_is_cut_into_tables_that_fit() -> None:
    headers = ("doc", *(f"column{n}" for n in range(8)))
    rows = [("2022-decision", *range(8)), ("15th-plan", *range(100, 108))]
    text = table(headers, rows, right=range(1, 9), width=50)
    parts = text.split("\n\n")
    assert len(parts) > 1 and all(p.startswith("doc ") for p in parts)
    assert all(display_width(line) <= 50 for line in text.split("\n"))
    assert sorted(w for p in parts for w in p.split("\n")[0].split()[1:]) == sorted(headers[1:])
    assert all(p.split("\n")[3].startswith("15th-plan") for p in parts)


def test_a_table_header_is_bold_only_in_colour() -> None:
    assert ESC not in table(("a", "b"), [(1, 2)])
    assert table(("a", "b"), [(1, 2)], color=True).startswith(click.style("a  b", bold=True))


# --------------------------------------------------------------------------- the commands


@pytest.fixture(autouse=True)
def own_folder(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Every test runs in a folder of its own: a command answering from a store builds it
    in ./reports, never in the repository's."""
    monkeypatch.chdir(tmp_path)


@pytest.fixture
def session_analysis(monkeypatch: pytest.MonkeyPatch, store_cwd, corpus, analysis) -> None:  # type: ignore[no-untyped-def]
    """The commands use the session's corpus, analysis and store (as in test_cli.py)."""
    real_load, real_analyse = cli_module.load_corpus, cli_module.analyse

    def load(corpus_dir=None, workers=None):  # type: ignore[no-untyped-def]
        return corpus if corpus_dir is None else real_load(corpus_dir, workers)

    def run_analysis(given, settings=None, engine=None):  # type: ignore[no-untyped-def]
        if given is corpus and (settings or AlignSettings()) == AlignSettings():
            return analysis
        return real_analyse(given, settings, engine)

    monkeypatch.setattr(cli_module, "load_corpus", load)
    monkeypatch.setattr(cli_module, "analyse", run_analysis)
    for name in ("NO_COLOR", "COLUMNS", "LINES", "TERM"):
        monkeypatch.delenv(name, raising=False)


def run(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


@pytest.mark.usefixtures("session_analysis")
@pytest.mark.parametrize("args", LONG_COMMANDS, ids=" ".join)
def test_off_a_terminal_no_colour_no_pager_no_wrapping(args: tuple[str, ...],
                                                       recorder: Callable[[], object]) -> None:
    output = run(*args)
    assert ESC not in output and recorder() == {}
    if args[0] in ("diff", "units", "clean"):
        assert max(display_width(line) for line in output.splitlines()) > 150  # one a line


@pytest.mark.usefixtures("session_analysis")
@pytest.mark.parametrize("args", LONG_COMMANDS, ids=" ".join)
def test_lines_are_wrapped_to_columns(args: tuple[str, ...],
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "60")
    lines = run(*args).splitlines()
    too_long = [line for line in lines if display_width(line) > 60]
    assert too_long == []


@pytest.mark.usefixtures("session_analysis")
def test_align_prints_its_table_to_the_width(tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "60")
    output = run("align", "--out", str(tmp_path))
    body = output.split("\nwrote ")[0]
    assert all(display_width(line) <= 60 for line in body.splitlines())
    assert "disappears" in output and "unaligned" in output


@pytest.mark.usefixtures("session_analysis")
def test_evaluate_misses_are_wrapped_to_the_width(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    gold = tmp_path / "gold.jsonl"
    quote = "坚持和发展新时代“枫桥经验”"
    gold.write_text(json.dumps({"id": "g1", "source": "2022-decision", "quote": quote,
                                "targets": {"15th-plan": {"label": "absent", "quote": None}}},
                               ensure_ascii=False) + "\n", encoding="utf-8")
    wide = run("evaluate", str(gold), "--misses")
    assert max(display_width(line) for line in wide.splitlines()) > 60
    monkeypatch.setenv("COLUMNS", "60")
    narrow = run("evaluate", str(gold), "--misses")
    assert all(display_width(line) <= 60 for line in narrow.splitlines())
    assert narrow.replace("\n", "").replace(" ", "") == wide.replace("\n", "").replace(" ", "")


def simulate_terminal(monkeypatch: pytest.MonkeyPatch, columns: int = 80,
                      lines: int = 24) -> None:
    """Every stream is a terminal of this size (CliRunner's too)."""
    monkeypatch.setattr(terminal, "_isatty", lambda stream: True)
    monkeypatch.setattr(terminal, "_size", lambda stream: (columns, lines))


@pytest.mark.usefixtures("session_analysis")
def test_on_a_terminal_long_output_goes_through_the_pager_in_colour(
        monkeypatch: pytest.MonkeyPatch, recorder: Callable[[], dict[str, object]]) -> None:
    simulate_terminal(monkeypatch)
    assert run("diff", "2022-decision", "2024-decision") == ""  # all of it in the pager
    text = str(recorder()["text"])
    assert "\x1b[31m\x1b[9m[-" in text and "\x1b[32m\x1b[4m{+" in text  # git's colours
    assert all(display_width(line) <= 80 for line in text.splitlines())
    assert click.unstyle(text).startswith("2022-decision → 2024-decision:")


@pytest.mark.usefixtures("session_analysis")
@pytest.mark.parametrize("args", LONG_COMMANDS[:-2], ids=" ".join)
def test_every_long_command_pages_on_a_terminal(
        args: tuple[str, ...], monkeypatch: pytest.MonkeyPatch,
        recorder: Callable[[], dict[str, object]]) -> None:
    simulate_terminal(monkeypatch, 70, 20)
    assert run(*args) == ""
    assert all(display_width(line) <= 70 for line in str(recorder()["text"]).splitlines())


@pytest.mark.usefixtures("session_analysis")
def test_no_color_turns_colour_off_on_a_terminal(
        monkeypatch: pytest.MonkeyPatch, recorder: Callable[[], dict[str, object]]) -> None:
    simulate_terminal(monkeypatch)
    monkeypatch.setenv("NO_COLOR", "1")
    assert run("history", "天府粮仓") == ""
    text = str(recorder()["text"])
    assert ESC not in text and "[-" in text and "{+" in text


@pytest.mark.usefixtures("session_analysis")
def test_short_output_and_pager_cat_print_in_colour_on_a_terminal(
        monkeypatch: pytest.MonkeyPatch, recorder: Callable[[], dict[str, object]]) -> None:
    simulate_terminal(monkeypatch, 120, 20)
    corpus = run("corpus")  # shorter than the screen
    assert corpus.startswith("\x1b[1mid") and recorder() == {}  # a bold header
    monkeypatch.setenv("PAGER", "cat")
    trace = run("trace", "天府粮仓")
    assert len(trace.splitlines()) > 20 and ESC in trace and recorder() == {}


# --------------------------------------------------------------------------- a real terminal


def chinese_number(n: int) -> str:
    digits = "零一二三四五六七八九"
    tens, ones = divmod(n, 10)
    return ((digits[tens] if tens > 1 else "") + ("十" if tens else "")
            + (digits[ones] if ones else ""))


@pytest.fixture(scope="module")
def long_outline(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A one-document corpus whose outline is 31 lines long."""
    from helpers import manifest_text

    root = tmp_path_factory.mktemp("pty-corpus")
    body = "".join(f"{chinese_number(n)}、第{n}项任务：建设新时代更高水平天府粮仓和农业强省\n"
                   "坚持农业农村优先发展，以打造新时代更高水平天府粮仓为引领，加快建设农业强省。\n"
                   for n in range(1, 31))
    item = entry(id="a", date="2023-01-01", level="province")
    (root / "a.txt").write_text("某某省委决定\n" + body, encoding="utf-8")
    (root / "manifest.toml").write_text(manifest_text([item]), encoding="utf-8")
    return root


def run_on_a_terminal(args: list[str], env: dict[str, str], rows: int = 20,
                      columns: int = 60) -> str:
    """The console script run on a pseudo-terminal of `rows` × `columns`; what it showed."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
    code = "from continuity.cli import main; main()"
    process = subprocess.Popen([sys.executable, "-c", code, *args], stdin=slave, stdout=slave,
                               stderr=slave, env=env, close_fds=True)
    os.close(slave)
    out = b""
    deadline = time.monotonic() + 120
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([master], [], [], 1)
            if not ready:
                if process.poll() is not None:
                    break
                continue
            try:
                chunk = os.read(master, 65536)
            except OSError:  # EIO: every writer has closed the terminal
                break
            if not chunk:
                break
            out += chunk
    finally:
        os.close(master)
        process.wait(timeout=30)
    assert process.returncode == 0, out
    return out.decode("utf-8", "replace").replace("\r\n", "\n")


@pytest.fixture
def pty_env(tmp_path: Path, recorder: Callable[[], object]) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("NO_COLOR", "COLUMNS", "LINES", "LESS", "PYTEST_CURRENT_TEST")}
    env["TERM"] = "xterm-256color"
    return env


def test_a_real_terminal_pages_in_colour_at_its_width(
        long_outline: Path, pty_env: dict[str, str],
        recorder: Callable[[], dict[str, object]]) -> None:
    shown = run_on_a_terminal(["outline", "a", "--corpus", str(long_outline)], pty_env)
    assert "第30项任务" not in shown  # in the pager, not on the terminal
    text = str(recorder()["text"])
    assert "第30项任务" in text and ESC in text
    assert all(display_width(line) <= 60 for line in text.splitlines())
    assert max(display_width(click.unstyle(line)) for line in text.splitlines()) > 50


def test_a_real_terminal_with_no_color(long_outline: Path, pty_env: dict[str, str],
                                       recorder: Callable[[], dict[str, object]]) -> None:
    shown = run_on_a_terminal(["outline", "a", "--corpus", str(long_outline)],
                              {**pty_env, "NO_COLOR": "1", "PAGER": "cat"})
    assert recorder() == {} and "第30项任务" in shown and ESC not in shown
    assert all(display_width(line) <= 60 for line in shown.splitlines())


def test_a_pipe_gets_plain_unwrapped_text(long_outline: Path, pty_env: dict[str, str],
                                          recorder: Callable[[], dict[str, object]]) -> None:
    code = "from continuity.cli import main; main()"
    out = subprocess.run([sys.executable, "-c", code, "outline", "a", "--corpus",
                          str(long_outline)], env=pty_env, capture_output=True, text=True,
                         check=True).stdout
    assert recorder() == {} and ESC not in out and "第30项任务" in out
    assert max(display_width(line) for line in out.splitlines()) > 60  # not wrapped

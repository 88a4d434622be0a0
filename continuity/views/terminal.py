"""Where the commands' text goes, by the conventions of git and ripgrep: colour only on a
terminal and never with NO_COLOR (https://no-color.org) or TERM=dumb; output longer than
the screen through a pager on a terminal ($PAGER, default `less -R`; PAGER=cat or an
empty PAGER turns it off); lines wrapped to the terminal's width (COLUMNS when set), and
not wrapped when the output goes to a file or a pipe, so each record stays on one line
for grep.

The decisions are taken once, in `detect`, and carried in a `Terminal` record; the
text itself is made by `continuity.views.console`, which is told the width and whether to
colour, and shown by `show`.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TextIO

import click

#: The width of output that is not wrapped (a file or a pipe, and no COLUMNS).
UNWRAPPED = sys.maxsize

#: The narrowest width text is wrapped to: below it indented text would hold nothing.
MIN_WIDTH = 40

#: The pager when PAGER is not set: less, passing colours through (-R).
DEFAULT_PAGER = ("less", "-R")


@dataclass(frozen=True, slots=True)
class Terminal:
    """How a command's output is shown: `color`, whether to colour it; `width`, the
    columns a line may take (`UNWRAPPED`: any); `height`, the lines of the screen
    (0: not a terminal); `pager`, the command that shows output longer than the screen
    (empty: none)."""

    color: bool = False
    width: int = UNWRAPPED
    height: int = 0
    pager: tuple[str, ...] = ()

    def pages(self, text: str) -> bool:
        """Whether `text` goes through the pager: it is longer than the screen."""
        return bool(self.pager) and self.height > 0 and text.count("\n") + 1 >= self.height


def detect(stream: TextIO | None = None, environ: Mapping[str, str] | None = None) -> Terminal:
    """The decisions for output written to `stream` (default: standard output) in the
    environment `environ` (default: this process's)."""
    stream = sys.stdout if stream is None else stream
    env = os.environ if environ is None else environ
    tty = _isatty(stream)
    columns, lines = _size(stream) if tty else (0, 0)
    width = _positive(env.get("COLUMNS")) or columns
    return Terminal(
        color=tty and not env.get("NO_COLOR") and env.get("TERM") != "dumb",
        width=max(MIN_WIDTH, width) if width else UNWRAPPED,
        height=(_positive(env.get("LINES")) or lines) if tty else 0,
        pager=pager_command(env) if tty and env.get("TERM") != "dumb" else (),
    )


def pager_command(environ: Mapping[str, str]) -> tuple[str, ...]:
    """The pager PAGER names (`less -R` when unset); none when PAGER is empty or `cat`,
    as git reads it."""
    if "PAGER" not in environ:
        return DEFAULT_PAGER
    try:
        command = tuple(shlex.split(environ["PAGER"]))
    except ValueError:  # unbalanced quotes: no pager rather than a traceback
        return ()
    return () if not command or command == ("cat",) else command


def show(text: str, terminal: Terminal | None = None) -> None:
    """Print `text`: through the pager when it is longer than the screen, coloured only
    if `terminal.color` (any colour codes are removed otherwise)."""
    terminal = detect() if terminal is None else terminal
    if not terminal.color:
        text = click.unstyle(text)
    if terminal.pages(text) and page(text, terminal.pager):
        return
    click.echo(text, color=terminal.color)


def page(text: str, command: tuple[str, ...]) -> bool:
    """Show `text` with the pager `command`; False if it cannot be started (the caller
    prints instead). A less run from PAGER is told to pass colours through (LESS=R)
    unless LESS says otherwise, as git does."""
    env = dict(os.environ)
    if os.path.basename(command[0]) == "less" and "LESS" not in env:
        env["LESS"] = "R"
    stdout = sys.stdout
    stdout.flush()
    try:
        process = subprocess.Popen(command, stdin=subprocess.PIPE, env=env)
    except OSError:
        return False
    assert process.stdin is not None
    try:
        process.stdin.write((text + "\n").encode(stdout.encoding or "utf-8", "replace"))
    except BrokenPipeError:  # the reader quit before the end (q in less)
        pass
    try:
        process.stdin.close()
    except BrokenPipeError:  # what was left to write: closed all the same
        pass
    while True:
        try:
            process.wait()
            return True
        except KeyboardInterrupt:  # less takes Ctrl-C itself; wait until it quits
            continue


def _isatty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # no such method, or a closed stream
        return False


def _size(stream: TextIO) -> tuple[int, int]:
    """Columns and lines of the terminal `stream` writes to; zeros if unknown."""
    try:
        size = os.get_terminal_size(stream.fileno())
    except (AttributeError, ValueError, OSError):
        return 0, 0
    return size.columns, size.lines


def _positive(value: str | None) -> int:
    try:
        number = int(value or "")
    except ValueError:
        return 0
    return max(0, number)

"""The languages of the site and the teaching tables: gettext catalogues managed with Babel.

Source strings are English, in the templates and the code; each other language has a
catalogue, `continuity/locale/<lang>/LC_MESSAGES/messages.po` (README, development:
extract, update, compile). Only the .po files are kept in git: they are compiled here,
in memory, with Babel (`read_po`, `write_mo`), the first time a language is asked for,
so a fresh clone installed with `pip install -e .` needs no build step, and the same
.po always gives the same translations.

Words that live in data dictionaries of other modules (what each count means,
`continuity/analysis/counts.py`) reach the catalogue through `extract_dict_values`, an extraction
method `babel.cfg` names, so they are written once and still translated.
"""

from __future__ import annotations

import ast
import gettext
import io
from collections.abc import Iterator, Mapping
from functools import cache
from pathlib import Path
from typing import IO, Any

from .errors import ContinuityError

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DOMAIN = "messages"
#: The site's languages and the `<html lang>` each declares (BCP 47).
LANGUAGES = {"zh": "zh-Hans", "en": "en"}
#: The users' language: the site is Chinese unless asked otherwise (`--lang en`).
DEFAULT_LANG = "zh"
#: The language the strings are written in (no catalogue: the text is its own translation).
SOURCE_LANG = "en"


def N_(message: str) -> str:  # noqa: N802 (gettext's name for "mark, translate later")
    """Marks a string for extraction; it is translated where it is shown."""
    return message


def catalogue_path(lang: str) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def check_lang(lang: str) -> str:
    """`lang` if the site speaks it, else an error listing those it does."""
    if lang not in LANGUAGES:
        raise ContinuityError(f"unknown language {lang!r}: one of {', '.join(LANGUAGES)}")
    return lang


@cache
def translations(lang: str = DEFAULT_LANG) -> gettext.NullTranslations:
    """The translations of `lang`, compiled from its .po file (fuzzy entries left out, as
    `pybabel compile` leaves them); the source language translates nothing."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    if check_lang(lang) == SOURCE_LANG:
        return gettext.NullTranslations()
    with catalogue_path(lang).open("rb") as po:
        catalog = read_po(po, locale=lang, domain=DOMAIN)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


def html_lang(lang: str) -> str:
    return LANGUAGES[check_lang(lang)]


def translate_all(words: Mapping[str, str], lang: str) -> dict[str, str]:
    """A dictionary of words (label by code) in `lang`."""
    t = translations(lang)
    return {key: t.gettext(text) for key, text in words.items()}


def extract_dict_values(fileobj: IO[bytes], keywords: Any, comment_tags: Any,
                        options: dict[str, str]) -> Iterator[tuple[int, str, str, list[str]]]:
    """Babel extraction method: the string values of the module-level dictionaries named in
    the option `names` (space-separated), e.g. `FATE_MEANINGS` in continuity/analysis/counts.py."""
    names = set(options.get("names", "").split())
    tree = ast.parse(fileobj.read())
    for node in tree.body:
        targets = (node.targets if isinstance(node, ast.Assign)
                   else [node.target] if isinstance(node, ast.AnnAssign) else [])
        value = getattr(node, "value", None)
        if not isinstance(value, ast.Dict):
            continue
        if not any(isinstance(t, ast.Name) and t.id in names for t in targets):
            continue
        for item in value.values:
            if isinstance(item, ast.Constant) and isinstance(item.value, str):
                yield item.lineno, "", item.value, []


def extract_toml_values(fileobj: IO[bytes], keywords: Any, comment_tags: Any,
                        options: dict[str, str]) -> Iterator[tuple[int, str, str, list[str]]]:
    """Babel extraction method: the string values of the keys named in the option `keys`
    in a TOML data file, e.g. each rule's `reason` in continuity/data/boilerplate.toml (the
    pages show them; data files are read as they are, translated where shown)."""
    import tomllib

    keys = set(options.get("keys", "").split())
    text = fileobj.read().decode("utf-8")
    found: list[str] = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key in keys and isinstance(value, str):
                    found.append(value)
                else:
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(tomllib.loads(text))
    lines = text.splitlines()
    for value in found:
        line = next((n for n, row in enumerate(lines, 1) if f'"{value}"' in row), 0)
        yield line, "", value, []

"""continuity.i18n: the catalogues are complete and current, compile, and extraction finds
the words written in data dictionaries and data files."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from continuity.errors import ContinuityError
from continuity.i18n import (
    DEFAULT_LANG,
    LANGUAGES,
    SOURCE_LANG,
    catalogue_path,
    extract_dict_values,
    extract_toml_values,
    html_lang,
    translations,
)

ROOT = Path(__file__).resolve().parent.parent
TRANSLATED = [lang for lang in LANGUAGES if lang != SOURCE_LANG]


@pytest.fixture(scope="module")
def extracted() -> set[str]:
    """Every message babel.cfg finds in the templates and the code, as `pybabel extract`
    finds them."""
    with (ROOT / "babel.cfg").open(encoding="utf-8") as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)
    found = {message for _, _, message, _, _ in extract_from_dir(
        str(ROOT), method_map, options_map, keywords={"_": None, "gettext": None, "N_": None})}
    assert all(isinstance(m, str) for m in found)  # no plurals: one form in Chinese
    return {str(m) for m in found}


def test_extraction_finds_templates_code_and_data_words(extracted: set[str]) -> None:
    assert "Skip to content" in extracted  # templates/base.html
    assert "新 emerges" in extracted  # continuity/output/report/words.py
    assert "commitments with no counterpart in any later document" in extracted  # counts.py
    assert "table of contents" in extracted  # data/boilerplate.toml
    assert "livelihood" in extracted  # data/section_kinds.toml
    assert "%(doc)s example" in extracted  # teaching.py


@pytest.mark.parametrize("lang", TRANSLATED)
def test_every_message_is_translated_none_fuzzy(extracted: set[str], lang: str) -> None:
    with catalogue_path(lang).open("rb") as po:
        catalog = read_po(po, locale=lang)
    entries = {m.id: m for m in catalog if m.id}
    missing = sorted(extracted - set(entries))
    assert not missing, f"not in {lang}'s catalogue (pybabel update): {missing[:5]}"
    untranslated = sorted(m.id for m in entries.values() if not m.string)
    assert not untranslated, untranslated[:5]
    fuzzy = sorted(m.id for m in entries.values() if m.fuzzy)
    assert not fuzzy, fuzzy[:5]
    assert not catalog.obsolete, sorted(catalog.obsolete)[:5]
    # placeholders (%(name)s) the same in the translation as in the message
    problems = [(m.id, [str(e) for e in errors]) for m, errors in catalog.check()]
    assert problems == []


@pytest.mark.parametrize("lang", TRANSLATED)
def test_a_translation_keeps_the_markup_of_its_message(lang: str) -> None:
    """Links, code and the redline elements of a message survive translation."""
    with catalogue_path(lang).open("rb") as po:
        catalog = read_po(po, locale=lang)
    for message in catalog:
        if not message.id:
            continue
        for tag in ("<a ", "</a>", "<code>", "<del>", "<ins>", "<b", "<em>"):
            assert message.id.count(tag) == message.string.count(tag), (message.id, tag)


def test_translations_compile_from_the_po_file() -> None:
    zh = translations("zh")
    assert zh.gettext("persists") == "延续" and zh.gettext("reworded") == "改写"
    assert zh.gettext("not a message") == "not a message"
    assert translations("en").gettext("persists") == "persists"
    assert translations("zh") is zh  # compiled once


def test_languages_and_html_lang() -> None:
    assert DEFAULT_LANG == "zh"
    assert (html_lang("zh"), html_lang("en")) == ("zh-Hans", "en")
    with pytest.raises(ContinuityError, match="unknown language 'fr': one of zh, en"):
        translations("fr")


def test_dict_values_are_extracted_with_their_lines() -> None:
    source = (b'"""doc"""\nWORDS = {\n    "a": "first meaning",\n    "b": "second"}\n'
              b'OTHER = {"c": "not asked for"}\nWORDS2: dict[str, str] = {"d": "typed"}\n')
    found = list(extract_dict_values(io.BytesIO(source), None, None,
                                     {"names": "WORDS WORDS2"}))
    assert found == [(3, "", "first meaning", []), (4, "", "second", []),
                     (6, "", "typed", [])]


def test_toml_values_are_extracted_with_their_lines() -> None:
    source = (b'default = "plan"\n\n[[rule]]\nreason = "site navigation"\npattern = "x"\n'
              b'[[rule]]\nreason = "close button"\n')
    found = list(extract_toml_values(io.BytesIO(source), None, None,
                                     {"keys": "reason default"}))
    assert found == [(1, "", "plan", []), (4, "", "site navigation", []),
                     (7, "", "close button", [])]

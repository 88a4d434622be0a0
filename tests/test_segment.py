"""Word segmentation through the one jieba wrapper (continuity/text/segment.py)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import jieba
import pytest
from hypothesis import given
from hypothesis import strategies as st

from continuity.text import segment as segment_module
from continuity.text.segment import (
    Answers,
    _jieba_release,
    load_prefix_dict,
    phrase_words,
    prefix_cache_path,
    read_prefix_dict,
    segment,
    subwords,
    tokenizer,
    write_prefix_dict,
)
from continuity.text.terms import domain_terms


@pytest.mark.parametrize(
    ("text", "term"),
    [
        ("推动新质生产力发展", "新质生产力"),
        ("成渝地区双城经济圈建设", "成渝地区双城经济圈"),
        ("加快建设“天府粮仓”", "天府粮仓"),
        ("四化同步城乡融合五区共兴", "五区共兴"),
        ("深入实施重点产业建圈强链", "建圈强链"),
    ],
)
def test_domain_terms_stay_whole_in_context(text: str, term: str) -> None:
    words = segment(text)
    assert term in words
    assert "".join(words) == text


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("四化同步城乡融合五区共兴", ("四化同步", "城乡融合", "五区共兴")),
        ("", ()),
    ],
)
def test_segment(text: str, words: tuple[str, ...]) -> None:
    assert segment(text) == words


def test_every_dictionary_term_is_one_word() -> None:
    split = [t for t in domain_terms() if segment(t) != (t,)]
    assert split == []


def test_tokenizer_is_built_once() -> None:
    assert tokenizer() is tokenizer()


@given(st.text(st.one_of(
    st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF),
    st.characters(min_codepoint=0x21, max_codepoint=0x7E),
    st.sampled_from(list("，。、；：“”（）《》—…·％")),
), max_size=60))
def test_words_concatenate_to_the_input(text: str) -> None:
    words = segment(text)
    assert "".join(words) == text
    assert all(words)


# The prefix-dictionary cache: a faster load of exactly what jieba would build.

def test_prefix_dict_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "dict.bin"
    freq = {"天府": 12, "天": 0, "天府粮仓": 1000, "a\tb": -1}
    write_prefix_dict(path, freq, 1011)
    assert read_prefix_dict(path) == (freq, 1011)
    assert list(tmp_path.joinpath("sub").iterdir()) == [path]  # no temp file left behind


def test_empty_prefix_dict_round_trip(tmp_path: Path) -> None:
    write_prefix_dict(tmp_path / "d.bin", {}, 0)
    assert read_prefix_dict(tmp_path / "d.bin") == ({}, 0)


@pytest.mark.parametrize("damage", ["missing", "truncated", "foreign", "extra"])
def test_a_damaged_cache_is_ignored(tmp_path: Path, damage: str) -> None:
    path = tmp_path / "d.bin"
    write_prefix_dict(path, {"天府": 12, "粮仓": 7}, 19)
    data = path.read_bytes()
    if damage == "missing":
        path.unlink()
    elif damage == "truncated":
        path.write_bytes(data[:-3])
    elif damage == "foreign":
        path.write_bytes(b"x" + data[1:])
    else:
        path.write_bytes(data + b"\0" * 8)
    assert read_prefix_dict(path) is None


def test_cached_dictionary_is_jiebas_own(tmp_path: Path) -> None:
    reference = jieba.Tokenizer()
    reference.initialize()
    first, second = jieba.Tokenizer(), jieba.Tokenizer()
    load_prefix_dict(first, tmp_path)  # no cache yet: jieba builds, we write
    assert prefix_cache_path(tmp_path).is_file()
    load_prefix_dict(second, tmp_path)  # from our cache
    for tk in (first, second):
        assert tk.initialized
        assert tk.total == reference.total
        assert tk.FREQ == reference.FREQ
    text = "加快建设天府粮仓，推动成渝地区双城经济圈建设走深走实"
    assert list(second.cut(text)) == list(reference.cut(text))


def test_cache_name_follows_jieba_and_its_dictionary(tmp_path: Path) -> None:
    path = prefix_cache_path(tmp_path)
    assert path.parent == tmp_path
    assert path == prefix_cache_path(tmp_path)
    assert path != prefix_cache_path(tmp_path / "other")


def test_unwritable_cache_folder_still_segments(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    tk = jieba.Tokenizer()
    load_prefix_dict(tk, blocker / "cache")
    assert tk.initialized and "".join(tk.cut("天府粮仓")) == "天府粮仓"


# jieba is imported only to cut a text; the later stages' questions are remembered.

def test_the_cache_name_needs_no_jieba() -> None:
    code = ("import sys\n"
            "from continuity.text.segment import prefix_cache_path\n"
            "prefix_cache_path()\n"
            "print('jieba' in sys.modules)\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    assert done.stdout.strip() == "False"


def test_the_cache_name_reads_jiebas_release() -> None:
    assert _jieba_release() == (jieba.__version__, Path(jieba.__file__).with_name("dict.txt"))


def test_answers_are_the_segmenters_and_asked_once(monkeypatch: pytest.MonkeyPatch) -> None:
    fresh = Answers()
    monkeypatch.setattr(segment_module, "ANSWERS", fresh)
    assert phrase_words("推动新质生产力发展") == segment("推动新质生产力发展")
    assert subwords("提质倍增") == ("提质", "倍增")
    assert subwords("建设") == ()  # too short to hold words: never asked
    assert fresh.new == 2
    assert phrase_words("推动新质生产力发展") == segment("推动新质生产力发展")
    assert subwords("提质倍增") == ("提质", "倍增")
    assert fresh.new == 2  # remembered


def test_remembered_answers_are_taken_as_they_are(monkeypatch: pytest.MonkeyPatch) -> None:
    fresh = Answers()
    monkeypatch.setattr(segment_module, "ANSWERS", fresh)
    fresh.remember({"双高计划": ("双高", "计划")}, {"提质倍增": ("倍增",)})
    assert phrase_words("双高计划") == ("双高", "计划")
    assert subwords("提质倍增") == ("倍增",)  # kept answers are trusted: not asked again
    assert fresh.new == 0

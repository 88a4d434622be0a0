"""Reading and decoding document files (continuity/corpus/ingest.py)."""

from __future__ import annotations

import random

import pytest
from helpers import BUNDLED_IDS, entry, meta
from hypothesis import given
from hypothesis import strategies as st

import continuity
from continuity.corpus.ingest import decode, read_source

SAMPLE = "中共四川省委关于以发展新质生产力为重要着力点扎实推进高质量发展的决定。\n一、总体要求\n"


@pytest.mark.parametrize("doc_id", BUNDLED_IDS)
def test_bundled_documents_are_plain_utf8(doc, doc_id: str) -> None:
    assert doc(doc_id).encoding == "utf-8"


@pytest.mark.parametrize(
    ("data", "text", "encoding"),
    [
        pytest.param(SAMPLE.encode("utf-8"), SAMPLE, "utf-8", id="utf-8"),
        pytest.param(b"\xef\xbb\xbf" + SAMPLE.encode("utf-8"), SAMPLE, "utf-8-sig", id="utf-8-bom"),
        pytest.param(SAMPLE.encode("gb18030"), SAMPLE, "gb18030", id="gb18030"),
        # GBK and GB2312 are subsets of GB18030: detected and reported as gb18030
        pytest.param(SAMPLE.encode("gbk"), SAMPLE, "gb18030", id="gbk"),
        pytest.param("四川省人民政府\r\n".encode("gb2312"), "四川省人民政府\r\n", "gb18030",
                     id="gb2312-crlf"),
        pytest.param(b"", "", "utf-8", id="empty"),
    ],
)
def test_decode(data: bytes, text: str, encoding: str) -> None:
    assert decode(data) == (text, encoding)


UNDECODABLE = [
    pytest.param(b"\x81\x30\xff\xfe\x00\x01" * 50, id="broken-gb18030"),
    pytest.param(random.Random(20240513).randbytes(4096), id="random-bytes"),
    pytest.param(bytes(range(256)) * 8, id="all-bytes"),
    pytest.param(SAMPLE.encode("utf-16"), id="utf-16"),
    # decodes as UTF-8, but into control characters: mojibake, not text
    pytest.param(b"\x00\x01\x02\x03" * 100 + SAMPLE.encode("utf-8"), id="control-chars"),
]


@pytest.mark.parametrize("data", UNDECODABLE)
def test_undecodable_bytes_raise_decoding_error(data: bytes) -> None:
    with pytest.raises(continuity.DecodingError, match=r"^doc\.txt: not decodable as text"):
        decode(data, name="doc.txt")


def test_a_stray_control_character_is_tolerated() -> None:
    text = "四川" * 1000 + "\x00" + "。"  # one suspicious character in 2002
    assert decode(text.encode("utf-8")) == (text, "utf-8")


# U+FEFF at the start of a file is a byte-order mark, so it is left out here
@given(st.text(st.characters(codec="utf-8", exclude_categories=("Cc", "Co", "Cs", "Cn"),
                             exclude_characters="\ufeff")))
def test_utf8_text_round_trips(text: str) -> None:
    assert decode(text.encode("utf-8"))[0] == text


def test_read_source_reports_gb18030(tmp_path) -> None:
    path = tmp_path / "doc.txt"
    path.write_bytes(SAMPLE.encode("gb18030"))
    source = read_source(meta(file=path))
    assert (source.text, source.encoding) == (SAMPLE, "gb18030")


def test_read_source_of_a_vanished_file_is_a_manifest_error(tmp_path) -> None:
    with pytest.raises(continuity.ManifestError, match="cannot read document 'test-doc'"):
        read_source(meta(file=tmp_path / "gone.txt"))


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (SAMPLE.encode("gb18030"), "gb18030"),
        (b"\xef\xbb\xbf" + SAMPLE.encode("utf-8"), "utf-8-sig"),
    ],
)
def test_documents_in_other_encodings_load_the_same(write_corpus, data: bytes,
                                                    encoding: str) -> None:
    root = write_corpus([(entry(id="other"), data), (entry(id="plain"), SAMPLE)])
    other, plain = continuity.load_corpus(root).documents
    assert other.encoding == encoding
    assert plain.encoding == "utf-8"
    assert other.clean.text == plain.clean.text
    assert [u.text for u in other.units] == [u.text for u in plain.units]


def test_undecodable_document_fails_loading_with_its_name(write_corpus) -> None:
    root = write_corpus([(entry(id="binary"), b"\x81\x30\xff\xfe\x00\x01" * 50)])
    with pytest.raises(continuity.DecodingError) as info:
        continuity.load_corpus(root)
    assert "binary.txt (binary)" in str(info.value)
    assert isinstance(info.value, continuity.ContinuityError)


# --------------------------------------------------------------------------- not a policy text

# Each would have been read as a document with no commitments (and so every commitment of
# the documents before it would have disappeared), or as markup.
NOT_TEXT = [
    pytest.param(b"", "the document is empty", id="empty"),
    pytest.param(b" \r\n\t\n", "the document is empty", id="whitespace"),
    pytest.param("\u3000\n\u200b\ufeff\u00a0\n".encode(), "the document is empty",
                 id="ideographic-space-and-invisible"),
    pytest.param(b"\xef\xbb\xbf\n\n", "the document is empty", id="byte-order-mark-only"),
    pytest.param("。，\n——\n".encode("gb18030"), "the document is empty", id="punctuation-only"),
    pytest.param(b"<!DOCTYPE html>\n<html><head><title>x</title></head><body>"
                 + SAMPLE.encode() + b"</body></html>", "the file is an HTML page", id="html-page"),
    pytest.param(b"<HTML>\n<BODY>" + SAMPLE.encode() + b"</BODY></HTML>",
                 "the file is an HTML page", id="html-upper-case"),
    pytest.param(("<div class='article'><p>一、总体要求</p>\n<p>正文。</p><br/>"
                  "<p>二、重点任务</p></div>").encode(), "the file is an HTML page",
                 id="html-fragment"),
]


@pytest.mark.parametrize(("data", "message"), NOT_TEXT)
def test_a_file_that_is_not_a_policy_text_is_refused_by_name(write_corpus, data: bytes,
                                                             message: str) -> None:
    root = write_corpus([(entry(id="good"), SAMPLE), (entry(id="bad"), data)])
    with pytest.raises(continuity.ContinuityError) as info:
        continuity.load_corpus(root)
    assert str(info.value).startswith(f"{root / 'bad.txt'} (bad): {message}")


def test_text_that_mentions_a_tag_is_still_text(tmp_path) -> None:
    path = tmp_path / "doc.txt"
    path.write_text(SAMPLE + "网页中的<br>标签不是正文。<p>亦然。\n", encoding="utf-8")
    assert read_source(meta(file=path)).text.endswith("<p>亦然。\n")


@pytest.mark.parametrize("odd", ["\x00", "\x1c", "\x1f", "\x85", "\ue000", "\U000e0080", "\ud800",
                                 "\u200b", "\ufeff", "\u3000", "\u2028", "\t", "\r"])
@pytest.mark.parametrize("count", [1, 2, 3])
def test_plausible_counts_suspicious_characters_one_by_one_or_at_once(odd: str, count: int
                                                                      ) -> None:
    """`_plausible` decides as counting every character would, whether the text has only
    printable characters and whitespace (counted at once) or not (one by one)."""
    from continuity.corpus.ingest import MAX_SUSPICIOUS, _plausible, _suspicious

    text = "四川省" * 500 + ("\n" + odd) * count + "。"
    slow = sum(1 for ch in text if _suspicious(ch)) / len(text) <= MAX_SUSPICIOUS
    assert _plausible(text) is slow
    assert _plausible(text + odd * 3) is (
        sum(1 for ch in text + odd * 3 if _suspicious(ch)) / (len(text) + 3) <= MAX_SUSPICIOUS)


@given(st.text(alphabet=st.characters(codec=None), max_size=40))
def test_plausible_is_the_one_by_one_count(text: str) -> None:
    from continuity.corpus.ingest import MAX_SUSPICIOUS, _plausible, _suspicious

    text = "四川" * 700 + text
    assert _plausible(text) is (
        sum(1 for ch in text if _suspicious(ch)) / len(text) <= MAX_SUSPICIOUS)

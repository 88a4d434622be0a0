"""CSV exports and the folder writer (continuity/output/export.py; the checks and the swap
themselves are tested in test_output.py)."""

from __future__ import annotations

import csv
import io
import os
from collections import defaultdict
from pathlib import Path
from types import SimpleNamespace

import pytest
from helpers import THEMES_FILE, entry

from continuity.analysis.align import ABSENT, CODES
from continuity.analysis.fate import FATES
from continuity.corpus.structure.labels import written_label
from continuity.errors import ContinuityError
from continuity.output import MANIFEST, export, swap
from continuity.output.datapackage import DESCRIPTOR, descriptor_json
from continuity.output.export import (
    COLUMNS,
    DATA_DIR,
    alignment_rows,
    alignment_rows_of,
    csv_chunks,
    csv_text,
    iter_tables,
    write_exports,
    write_folder,
)
from continuity.output.manifest import read_manifest
from continuity.text.normalize import normalize


@pytest.fixture(scope="module")
def exported(analysis, tmp_path_factory) -> Path:
    """The bundled analysis exported once for this module; returns the data folder."""
    return write_exports(analysis, tmp_path_factory.mktemp("export"))


def read(data: Path, name: str) -> list[dict[str, str]]:
    with (data / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_ten_files_with_their_headers_and_their_descriptor(exported: Path) -> None:
    assert exported.name == DATA_DIR
    assert sorted(p.name for p in exported.iterdir()) == sorted([*COLUMNS, DESCRIPTOR])
    assert sorted(read_manifest(exported.parent)) == sorted(
        f"{DATA_DIR}/{n}" for n in [*COLUMNS, DESCRIPTOR])
    assert list(COLUMNS) == ["documents.csv", "sections.csv", "units.csv", "pairs.csv",
                             "alignments.csv", "fates.csv", "threads.csv",
                             "section_alignments.csv", "targets.csv", "aliases.csv"]
    for name, columns in COLUMNS.items():
        with (exported / name).open(encoding="utf-8", newline="") as handle:
            rows = list(csv.reader(handle))
        assert tuple(rows[0]) == columns
        assert len(rows) > 1
        assert all(len(row) == len(columns) for row in rows)
        raw = (exported / name).read_bytes()
        assert b"\r\n" not in raw and raw.endswith(b"\n")
        raw.decode("utf-8")
    assert (exported / DESCRIPTOR).read_text(encoding="utf-8") == descriptor_json()


def test_documents_and_units(exported: Path, corpus) -> None:
    documents = read(exported, "documents.csv")
    assert [d["doc"] for d in documents] == list(corpus.ids)
    units = read(exported, "units.csv")
    assert [u["unit"] for u in units] == [c.id for d in corpus.documents for c in d.clauses]
    for d in documents:
        assert int(d["units"]) == sum(1 for u in units if u["doc"] == d["doc"])
        assert int(d["sections"]) == len(corpus.document(d["doc"]).sections)
    clauses = {c.id: c for d in corpus.documents for c in d.clauses}
    for u in units[::53]:
        c = clauses[u["unit"]]
        assert (u["text"], int(u["start"]), int(u["end"])) == (c.text, c.start, c.end)
    sections = read(exported, "sections.csv")
    assert len(sections) == sum(len(d.sections) for d in corpus.documents)
    path_of = {s["section"]: s["section_path"] for s in sections}
    assert all(u["section_path"] == path_of[u["section"]] for u in units)


def test_sections_carry_path_depth_and_numbering_as_written(exported: Path, corpus) -> None:
    """`depth` is a section's depth in the outline (`level` is a document's administrative
    level); `label` its numbering as the document writes it, beside its `number`."""
    sections = {(s["doc"], s["section_path"]): s for s in read(exported, "sections.csv")}
    for doc in corpus.documents:
        for s in doc.sections:
            row = sections[doc.id, s.path_text]
            assert int(row["depth"]) == s.depth == s.path_text.count("/")
            text = doc.clean.text[s.start:s.heading_end]
            assert text.lstrip().startswith(row["label"])
    cases = {
        ("15th-plan", "第三篇"): ("第三篇", "3"),
        ("15th-plan", "第三篇/第七章"): ("第七章", "7"),
        ("15th-plan", "第一篇/第三章/专栏1"): ("专栏1", "1"),
        ("2022-decision", "中共四川省委关于深入学习贯彻党的二十大精/一/(一)"): ("（一）", "1"),
        ("2022-decision", "中共四川省委关于深入学习贯彻党的二十大精/一"): ("一、", "1"),
        ("2024-chengdu", "2023年工作回顾/——1"): ("——", ""),
    }
    for key, (label, number) in cases.items():
        assert (sections[key]["label"], sections[key]["number"]) == (label, number), key
    boxes = [s for s in sections.values() if s["section_path"].split("/")[-1].startswith("专栏")]
    assert boxes and all(s["label"].replace(" ", "") == f"专栏{s['number']}" for s in boxes)
    unnumbered = [s for s in sections.values() if s["number"] == "" and s["label"] != "——"]
    assert unnumbered and all(s["label"] == "" for s in unnumbered)


@pytest.mark.parametrize(("style", "heading", "label"), [
    ("pian", "第三篇　推进新型工业化", "第三篇"),
    ("box", "专栏 12 重大工程", "专栏 12"),
    ("paren-number", "（十二）实施城市更新行动。", "（十二）"),
    ("paren-number", "(一)加快建设", "(一)"),
    ("cn-number", "一\u200b、坚持党的领导", "一、"),  # an invisible character is not written
    ("item", "3．推进改革", "3．"),
    ("bullet", "——建设现代化产业体系", "——"),
    ("lead", "强化‘一老一小’服务。", ""),
    ("heading", "2023年工作回顾", ""),
])
def test_written_label(style: str, heading: str, label: str) -> None:
    doc = SimpleNamespace(clean=SimpleNamespace(text=heading))
    section = SimpleNamespace(style=style, start=0, heading_end=len(heading))
    assert written_label(doc, section) == label  # type: ignore[arg-type]


def test_threads_list_every_unit_once_in_timeline_order(exported: Path, analysis) -> None:
    threads = read(exported, "threads.csv")
    fates = {f["unit"]: f for f in read(exported, "fates.csv")}
    assert sorted(t["unit"] for t in threads) == sorted(fates)
    order = {doc_id: n for n, doc_id in enumerate(analysis.corpus.ids)}
    grouped: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in threads:
        grouped[row["thread"]].append(row)
        assert fates[row["unit"]]["thread"] == row["thread"]
        assert fates[row["unit"]]["doc"] == row["doc"]
    assert len(grouped) == len(analysis.threads)
    for thread, rows in grouped.items():
        assert [int(r["position"]) for r in rows] == list(range(1, len(rows) + 1))
        places = [order[r["doc"]] for r in rows]
        assert places == sorted(set(places))  # one unit per document at most, in order
        first, last = fates[rows[0]["unit"]], fates[rows[-1]["unit"]]
        assert (first["first_doc"], first["last_doc"]) == (rows[0]["doc"], rows[-1]["doc"])
        assert analysis.thread(thread).clauses == tuple(r["unit"] for r in rows)
        assert last["thread"] == thread


def test_pairs_are_every_two_documents_both_ways(exported: Path, corpus) -> None:
    levels = {d.id: d.meta.level for d in corpus.documents}
    pairs = read(exported, "pairs.csv")
    assert [(p["source_doc"], p["target_doc"]) for p in pairs] == [
        (a, b) for a in corpus.ids for b in corpus.ids if a != b]
    assert all(p["cross_level"] == str(int(levels[p["source_doc"]] != levels[p["target_doc"]]))
               for p in pairs)


def test_alignments_hold_counterparts_and_pairs_say_the_rest(exported: Path, analysis) -> None:
    """A unit with no row for a compared document is absent there: exactly the units
    alignment found no counterpart for."""
    units = read(exported, "units.csv")
    doc_of = {u["unit"]: u["doc"] for u in units}
    cross = {(p["source_doc"], p["target_doc"]): p["cross_level"]
             for p in read(exported, "pairs.csv")}
    grouped: dict[tuple[str, str], list[dict[str, str]]] = defaultdict(list)
    for row in read(exported, "alignments.csv"):
        grouped[row["source_unit"], row["target_doc"]].append(row)
        assert row["source_doc"] == doc_of[row["source_unit"]] != row["target_doc"]
        assert row["cross_level"] == cross[row["source_doc"], row["target_doc"]]
        assert doc_of[row["target_unit"]] == row["target_doc"]
        assert row["relation"] in ("same", "reworded")
        assert (row["changes"] == "") == (row["relation"] == "same")
    compared = {(u, b) for u, a in doc_of.items() for (a2, b) in cross if a2 == a}
    absent = compared - set(grouped)
    result = analysis.result
    codes = result.relation_codes(range(len(result.clauses)))
    assert len(absent) == int((codes == CODES[ABSENT]).sum()) > 0
    assert all(result.relation(u, d) == ABSENT for u, d in absent)
    for group in grouped.values():
        assert [int(r["rank"]) for r in group] == list(range(1, len(group) + 1))
        scores = [float(r["score"]) for r in group]
        assert all(0 < x <= 1 for x in scores)  # ranks follow the margin: test_align
        assert all(len(r["score"].split(".")[1]) == 4 for r in group)  # fixed format


def test_alignment_rows_are_made_one_source_document_at_a_time(analysis) -> None:
    """The first row comes before any other document's rows are made: the result's
    counterpart arrays are read a document's counterparts at a time."""
    import dataclasses

    import numpy as np

    read: list[int] = []

    class Counted(np.ndarray):
        def tolist(self):  # type: ignore[override]
            read.append(len(self))
            return super().tolist()

    result = analysis.result
    words = export.counterpart_words(result)
    counted = dataclasses.replace(result, **{
        name: getattr(result, name).view(Counted)
        for name in ("cp_source", "cp_doc", "cp_target", "cp_score", "cp_similarity",
                     "cp_same")})
    rows = alignment_rows(counted, dataclasses.replace(words, key_of=words.key_of.view(Counted)))
    first = next(rows)
    first_doc = sum(c.doc_id == analysis.corpus.ids[0] for c in result.clauses)
    assert first[0] == analysis.corpus.ids[0]
    assert set(read) == {int(np.searchsorted(result.cp_source, first_doc))}
    assert len(list(rows)) + 1 == len(result.cp_source)


@pytest.mark.parametrize("workers", [1, 2])
def test_the_counterparts_words_read_on_an_engine_make_the_same_rows(analysis,
                                                                    workers: int) -> None:
    """`counterpart_words` on an engine (jobs of distinct pairs of wordings) gives the
    rows read here, and reads each distinct pair once: fewer than the counterparts."""
    from continuity.engine import LocalEngine

    result = analysis.result
    words = export.counterpart_words(result, LocalEngine(workers))
    assert len(words.key_of) == len(result.cp_source)
    assert len(words.shared) == len(words.forward) == len(words.backward) == (
        int(words.key_of.max()) + 1) < len(result.cp_source)
    assert list(alignment_rows(result, words)) == list(alignment_rows(result))


@pytest.mark.parametrize(("pairs", "workers", "sizes"), [
    (4873, 2, [2436, 2437]),  # the bundled corpus: one job for each core, not 4000 + 873
    (9000, 2, [3000, 3000, 3000]),  # no job above PAIRS_PER_JOB
    (1200, 4, [600, 600]),  # none below MIN_PAIRS_PER_JOB...
    (300, 2, [300]),  # ...unless there are fewer pairs
    (0, 2, []),
])
def test_the_counterparts_words_jobs_are_even(pairs: int, workers: int,
                                              sizes: list[int]) -> None:
    parts = export._even_parts(pairs, workers)
    assert [hi - lo for lo, hi in parts] == sizes
    assert all(a[1] == b[0] for a, b in zip(parts, parts[1:], strict=False))
    assert not parts or (parts[0][0], parts[-1][1]) == (0, pairs)


def test_the_counterparts_words_leave_room_for_this_processs_own_work(analysis) -> None:
    """`meanwhile` (the build: the fates and the pages' jobs) is this process's work while
    the workers read the words, in jobs cut smaller (two a worker) so that the workers
    share what is left when it joins in; the rows are the same."""
    asked: list[tuple[int, bool]] = []

    class Watching:
        """An engine of two workers that notes its runs (and runs them here)."""

        name = "watching"
        workers = 2

        def run(self, jobs, done=None, first=None, recipe=None, keep=None):
            asked.append((len(jobs), first is not None))
            if first is not None:
                first()
            return [job.make() for job in jobs]

    done: list[str] = []
    result = analysis.result
    words = export.counterpart_words(result, Watching(), meanwhile=lambda: done.append("mine"))
    assert done == ["mine"] and asked == [(4, True)]
    assert list(alignment_rows(result, words)) == list(alignment_rows(result))
    export.counterpart_words(result, meanwhile=lambda: done.append("no engine"))
    assert done == ["mine", "no engine"]


def test_the_counterparts_words_keep_the_redlines_the_pages_show(analysis) -> None:
    """The words read for the exports keep the redline of every pair a history step or a
    consecutive pair page shows (so the pages make none again), each as made afresh."""
    from continuity.analysis.changes import redline
    from continuity.engine import LocalEngine

    result = analysis.result
    words = export.counterpart_words(result, LocalEngine(2))
    ids = analysis.corpus.ids
    shown = {(c.tokens, top[0].tokens) for a, b in zip(ids, ids[1:], strict=False)
             for c in analysis.commitments(a) if (top := result.top(c.id, b)) is not None}
    for thread in analysis.threads:
        steps = [analysis.clause(c) for c in thread.clauses]
        shown.update((x.tokens, y.tokens) for x, y in zip(steps, steps[1:], strict=False))
    assert shown and shown <= words.redlines.keys()
    assert len(words.redlines) < len(result.cp_source)
    for key in list(words.redlines)[::50]:
        assert words.redlines[key] == redline(*key)
    alone = export.counterpart_words(result, pages=False)  # `continuity align`: no pages
    assert alone.redlines == {}
    assert list(alignment_rows(result, alone)) == list(alignment_rows(result, words))


def test_a_pair_worded_alike_elsewhere_is_read_as_its_own(analysis) -> None:
    """Two counterpart rows of the same two wordings share their words: the terms, and
    the changes from the earlier clause of each pair to the later (the rows of the
    file agree with `alignment_rows_of`, which reads every pair afresh)."""
    result = analysis.result
    words = export.counterpart_words(result)
    keys = words.key_of.tolist()
    seen: dict[int, int] = {}
    repeated = []
    for r, k in enumerate(keys):
        if k in seen and result.cp_source[seen[k]] != result.cp_source[r]:
            repeated.append(r)
        seen.setdefault(k, r)
    assert repeated
    rows = list(alignment_rows(result, words))
    for r in repeated[::max(1, len(repeated) // 20)]:
        unit = str(rows[r][1])
        assert rows[r] in alignment_rows_of(analysis, unit)


def test_fates_and_section_alignments_refer_to_known_ids(exported: Path, corpus) -> None:
    {u["unit"] for u in read(exported, "units.csv")}
    sections = {s["section"] for s in read(exported, "sections.csv")}
    fates = read(exported, "fates.csv")
    assert [f["unit"] for f in fates] == [u["unit"] for u in read(exported, "units.csv")]
    assert all(f["fate"] in FATES for f in fates)
    assert {f["first_doc"] for f in fates} | {f["last_doc"] for f in fates} <= set(corpus.ids)
    for row in read(exported, "section_alignments.csv"):
        assert row["source_section"] in sections and row["target_section"] in sections
        assert 0 < float(row["score"]) <= 1
    for row in read(exported, "sections.csv"):
        assert row["parent"] == "" or row["parent"] in sections


def test_two_exports_are_byte_identical(analysis, exported: Path, tmp_path: Path) -> None:
    again = write_exports(analysis, tmp_path)
    for name in [*COLUMNS, DESCRIPTOR]:
        assert (again / name).read_bytes() == (exported / name).read_bytes(), name


def test_tables_match_the_files(analysis, exported: Path) -> None:
    assert [name for name, _ in iter_tables(analysis)] == list(COLUMNS)
    for name, rows in iter_tables(analysis):
        assert (exported / name).read_text(encoding="utf-8") == csv_text(COLUMNS[name], rows)


def test_one_units_rows_of_alignments_csv_are_those_of_the_file(analysis) -> None:
    """`alignment_rows_of` (for one unit: the commands' --json) gives the rows the file has."""
    rows = list(alignment_rows(analysis.result))
    by_unit: dict[str, list[tuple[object, ...]]] = defaultdict(list)
    for row in rows:
        by_unit[str(row[1])].append(row)
    reworded = [u for u, found in by_unit.items() if any(r[6] == "reworded" for r in found)]
    for unit in [*list(by_unit)[::400], *reworded[::300]]:
        assert alignment_rows_of(analysis, unit) == by_unit[unit], unit


@pytest.mark.parametrize(("b_text", "relations"), [
    ("某某市政府工作报告\n一、重点工作\n坚持和发展新时代“枫桥经验”，健全城乡社区治理体系。\n",
     {"same"}),
    ("某某市政府工作报告\n一、重点工作\n加快建设港口物流枢纽，扩大跨境电商规模。\n", set()),
])
def test_a_tiny_corpus_exports_its_pairs_and_what_it_found(write_corpus, tmp_path: Path,
                                                           b_text: str,
                                                           relations: set[str]) -> None:
    """Two documents: both pairs are listed; alignments.csv has the counterparts found
    (none: its header alone), and every unit without a row is absent there."""
    import continuity
    from continuity.analysis.run import analyse

    root = write_corpus([
        (entry(id="a", date="2023-01-01", level="province"),
         "某某省委决定\n一、主要任务\n坚持和发展新时代“枫桥经验”，健全城乡社区治理体系。\n"),
        (entry(id="b", date="2024-01-01", level="city"), b_text)])
    (root / "themes.toml").write_text(THEMES_FILE.read_text(encoding="utf-8"), encoding="utf-8")
    analysis = analyse(continuity.load_corpus(root, workers=1), workers=1)
    data = write_exports(analysis, tmp_path / "out")
    assert read(data, "pairs.csv") == [
        {"source_doc": "a", "target_doc": "b", "cross_level": "1"},
        {"source_doc": "b", "target_doc": "a", "cross_level": "1"}]
    rows = read(data, "alignments.csv")
    assert {r["relation"] for r in rows} == relations
    units = read(data, "units.csv")
    found = {(r["source_unit"], r["target_doc"]) for r in rows}
    absent = {(u["unit"], "b" if u["doc"] == "a" else "a") for u in units} - found
    assert all(analysis.result.relation(u, d) == ABSENT for u, d in absent)
    codes = analysis.result.relation_codes(range(len(analysis.result.clauses)))
    assert len(absent) == int((codes == CODES[ABSENT]).sum())


def test_csv_chunks_are_the_text_in_pieces(monkeypatch) -> None:
    monkeypatch.setattr(export, "CHUNK", 10)
    rows = [(n, "文字" * n) for n in range(8)]
    chunks = list(csv_chunks(("n", "text"), iter(rows)))
    assert len(chunks) > 3 and "".join(chunks) == csv_text(("n", "text"), rows)
    assert list(csv_chunks(("a",), [])) == ["a\n"]


def test_streamed_exports_hand_the_same_rows_to_another_sink(analysis, tmp_path: Path,
                                                              monkeypatch) -> None:
    """What `also` receives (the store's tables) is each file's rows, in batches, in the
    files' order; the files are those `export_files` makes."""
    from continuity.output import output_folder

    monkeypatch.setattr(export, "BATCH", 700)
    received: dict[str, list[tuple[object, ...]]] = defaultdict(list)
    sizes: list[int] = []

    def also(name: str, rows) -> None:
        received[name].extend(rows)
        sizes.append(len(rows))

    with output_folder(tmp_path / "data") as folder:
        names = export.stream_exports(folder, analysis, also=also)
        data = folder.commit({})
    assert names == [*COLUMNS, DESCRIPTOR] and list(received) == list(COLUMNS)
    assert max(sizes) == 700 and len(sizes) > len(COLUMNS)
    files = export.export_files(analysis)
    for name in COLUMNS:
        assert csv_text(COLUMNS[name], received[name]) == files[name]
        assert (data / name).read_text(encoding="utf-8") == files[name]


def test_csv_text_quotes_what_needs_quoting() -> None:
    text = csv_text(("a", "b"), [("x,y", 'say "hi"'), ("tab\there", 1.5)])
    assert list(csv.reader(io.StringIO(text))) == [["a", "b"], ["x,y", 'say "hi"'],
                                                    ["tab\there", "1.5"]]


# --------------------------------------------------------------------------- write_folder


def leftovers(parent: Path) -> list[str]:
    return sorted(p.name for p in parent.iterdir() if p.name.startswith(".") and
                  p.name != MANIFEST)


def test_write_folder_replaces_the_folder_whole(tmp_path: Path) -> None:
    target = tmp_path / "out" / "data"
    write_folder(target, {"a.csv": "1\n", "stray.txt": "old"})
    assert (target / "stray.txt").exists()
    write_folder(target, {"a.csv": "2\n", "sub/b.bin": b"\x00\x01"})
    assert sorted(str(p.relative_to(target)) for p in target.rglob("*")) == \
        [MANIFEST, "a.csv", "sub", "sub/b.bin"]
    assert (target / "a.csv").read_text() == "2\n"
    assert (target / "sub" / "b.bin").read_bytes() == b"\x00\x01"
    assert leftovers(target.parent) == []  # no work or old folders left behind


def test_a_failed_write_leaves_the_previous_folder_intact(tmp_path: Path, monkeypatch) -> None:
    target = tmp_path / "data"
    old = {f"f{n}.csv": f"old {n}\n" for n in range(5)}
    write_folder(target, old)
    before = {p.name: p.read_bytes() for p in target.iterdir()}
    calls = 0
    real = Path.write_bytes

    def failing(self: Path, *args, **kwargs):
        nonlocal calls
        calls += 1
        if calls == 3:
            raise OSError("disk full")
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Path, "write_bytes", failing)
    with pytest.raises(ContinuityError, match="cannot write .*data: disk full; the previous "
                                              "output is unchanged"):
        write_folder(target, {f"f{n}.csv": f"new {n}\n" for n in range(5)})
    monkeypatch.undo()
    assert {p.name: p.read_bytes() for p in target.iterdir()} == before
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("exchange", [True, False], ids=["exchange", "two renames"])
def test_a_failed_swap_leaves_the_previous_folder_intact(tmp_path: Path, monkeypatch,
                                                         exchange: bool) -> None:
    target = tmp_path / "data"
    write_folder(target, {"a.csv": "old\n"})
    real = os.rename

    def failing(src, dst):
        if Path(dst) == target and swap.NEW in Path(src).name:  # the new folder into place
            raise OSError("rename failed")
        return real(src, dst)

    def exchange_fails(a, b):
        raise OSError("rename failed")

    monkeypatch.setattr(os, "rename", failing)
    monkeypatch.setattr(swap, "exchange", exchange_fails if exchange else lambda a, b: False)
    with pytest.raises(ContinuityError, match="rename failed"):
        write_folder(target, {"a.csv": "new\n"})
    monkeypatch.undo()
    assert (target / "a.csv").read_text() == "old\n"
    assert leftovers(tmp_path) == []


def test_write_exports_refuses_a_data_folder_holding_other_files(analysis,
                                                                 tmp_path: Path) -> None:
    """`continuity align --out proj` with the user's own proj/data/survey.csv: refused,
    and nothing is touched; `force` replaces the folder anyway."""
    (tmp_path / "report.html").write_text("keep me")
    (tmp_path / DATA_DIR).mkdir()
    (tmp_path / DATA_DIR / "survey.csv").write_text("my survey")
    with pytest.raises(ContinuityError, match=r"data holds files that are not continuity's: "
                                              r"survey\.csv"):
        write_exports(analysis, tmp_path)
    assert (tmp_path / DATA_DIR / "survey.csv").read_text() == "my survey"
    assert sorted(p.name for p in tmp_path.iterdir()) == [DATA_DIR, "report.html"]
    assert (tmp_path / "report.html").read_text() == "keep me"
    data = write_exports(analysis, tmp_path, force=True)
    assert (tmp_path / "report.html").read_text() == "keep me"  # only data/ is replaced
    assert sorted(p.name for p in tmp_path.iterdir()) == [MANIFEST, DATA_DIR, "report.html"]
    assert sorted(p.name for p in data.iterdir()) == sorted([*COLUMNS, DESCRIPTOR])


def test_write_exports_replaces_its_own_data_folder(analysis, exported: Path,
                                                    tmp_path: Path) -> None:
    first = write_exports(analysis, tmp_path)
    before = {p.name: p.read_bytes() for p in first.iterdir()}
    again = write_exports(analysis, tmp_path)
    assert {p.name: p.read_bytes() for p in again.iterdir()} == before
    assert leftovers(tmp_path) == []


def test_every_shared_term_can_be_found_in_both_texts_or_in_aliases(export_texts) -> None:
    # a researcher checking a counterpart's evidence finds each shared term in both
    # clauses, or finds in aliases.csv the form one of them writes it in
    def table(name: str) -> list[dict[str, str]]:
        return list(csv.DictReader(io.StringIO(export_texts[name])))

    texts = {row["unit"]: normalize(row["text"]).replace("“", "").replace("”", "")
             for row in table("units.csv")}
    forms = defaultdict(set)
    for row in table("aliases.csv"):
        forms[row["name"]].add(row["form"])
    assert forms["双高计划"] == {"中国特色高水平高职学校和专业建设计划"}
    through_alias = 0
    for row in table("alignments.csv"):
        for term in row["shared_terms"].split():
            for unit in (row["source_unit"], row["target_unit"]):
                if term not in texts[unit]:  # a name, or a word of one (碳排放双控: 排放)
                    assert any(form in texts[unit] for name, written in forms.items()
                               if term in name for form in written), (term, unit)
                    through_alias += 1
    assert through_alias > 0


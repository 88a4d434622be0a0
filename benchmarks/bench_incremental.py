"""A researcher's next build: what adding a document costs once the others were read.

Builds a synthetic corpus of N documents in series (`synthetic.write_corpus`) with an
empty cache folder of its own, then adds one more year to the first series (a new file
and manifest entry, as the README tells a researcher to) and builds again: wall and
processor time of both fresh `continuity build` processes, and how many documents the
second one took from the cache of documents read before (`corpus.document_cache`).
Alignment, fates and pages are made again either way (a new document changes the
vocabulary every score is weighed with); only reading is saved.

    python benchmarks/bench_incremental.py [--docs 25]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_build import timed  # noqa: E402
from synthetic import write_corpus  # noqa: E402

CODE = "from continuity.cli import main; main()"  # what the console script runs


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=25, help="documents (default 25)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus"
        documents = write_corpus(corpus, args.docs)
        env = dict(os.environ, XDG_CACHE_HOME=f"{tmp}/cache")
        first = build(corpus, Path(tmp) / "first", env)
        add_document(corpus, documents[0].id)
        second = build(corpus, Path(tmp) / "second", env)
    print(f"continuity build, {args.docs} synthetic documents, then one added "
          f"({os.cpu_count()} CPUs, load average before {os.getloadavg()[0]:.1f})")
    for name, (wall, cpu, log) in (("first build (nothing read before)", first),
                                   (f"after adding document {args.docs + 1}", second)):
        found = re.search(r"(\d+) of (\d+) documents unchanged", log)
        taken = f"{found.group(1)} of {found.group(2)} from the cache" if found else (
            "none from the cache")
        print(f"  {name:36} {wall:7.1f} s wall  {cpu:7.1f} s processor  ({taken})")
    return 0


def add_document(corpus: Path, after: str) -> None:
    """One more document in `after`'s series: its text a copy of `after`'s with one
    commitment added, its manifest entry a copy of `after`'s dated twenty years on
    (after every other)."""
    text = (corpus / f"{after}.txt").read_text(encoding="utf-8")
    (corpus / "added.txt").write_text(text + "（一）建设合成新增的示范区。\n", encoding="utf-8")
    manifest = (corpus / "manifest.toml").read_text(encoding="utf-8")
    entry = re.search(r'\[\[document\]\]\nid = "' + re.escape(after) + r'"\n.*?(?=\n\n|\Z)',
                      manifest, re.S)
    assert entry is not None
    added = re.sub(r'id = ".*?"', 'id = "added"', entry.group(0), count=1)
    added = re.sub(r'file = ".*?"', 'file = "added.txt"', added)
    added = re.sub(r'date = "(\d{4})', lambda m: f'date = "{int(m.group(1)) + 20}', added)
    head, sep, tail = manifest.partition("\n[compare")
    (corpus / "manifest.toml").write_text(head.rstrip("\n") + "\n\n" + added + "\n" + sep + tail,
                                          encoding="utf-8")


def build(corpus: Path, out: Path, env: dict[str, str]) -> tuple[float, float, str]:
    """Wall and processor seconds (workers included) of one fresh build, and its progress
    (bench_build.py's `timed`)."""
    shutil.rmtree(out, ignore_errors=True)
    log: list[str] = []
    cpu: list[float] = []
    wall = timed([sys.executable, "-c", CODE, "build", "--corpus", str(corpus),
                  "--out", str(out)], env, log, cpu)
    return wall, cpu[0] if cpu else float("nan"), log[0]


if __name__ == "__main__":
    raise SystemExit(main())

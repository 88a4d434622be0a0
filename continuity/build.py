"""`build`: the whole pipeline, from the corpus folder to a finished report folder.

load corpus → analyse → CSV exports, HTML site, teaching tables, all written into a
staging folder beside the destination and moved into place in one step, so an
interrupted build never leaves a half-written site.
"""

from __future__ import annotations

import importlib
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import ContinuityError
from .parallel import Job, run_jobs
from .pipeline import fewer_collections, load_corpus
from .records import Corpus
from .settings import AlignSettings

if TYPE_CHECKING:
    from .analysis import Analysis

#: The stages after loading, imported while documents load (numpy, scipy, jinja).
LATER_STAGES = ("continuity.analysis", "continuity.export", "continuity.report")

#: The note the report folder carries (the repository tracks the same text as a placeholder).
REPORTS_README = ("Generated output lands here (`continuity build`, `continuity align`). "
                  "Nothing in this folder but this note is tracked by git.\n")


def build(corpus: Corpus | Path | str | None = None, out: Path | str = "reports",
          settings: AlignSettings | None = None,
          progress: Callable[[str], None] | None = None,
          workers: int | None = None) -> Path:
    """Build the report site for a corpus (a loaded Corpus, a folder, or None for the bundled
    one); returns the path of its index.html. Pages and tables are made by `workers`
    processes (default: one per core); the output is the same for any number."""
    say = progress or (lambda message: None)
    started = time.perf_counter()
    check_replaceable(Path(out))

    def step(message: str) -> None:
        say(f"{time.perf_counter() - started:5.1f}s  {message}")

    with fewer_collections():
        if not isinstance(corpus, Corpus):
            corpus = load_corpus(corpus, workers, meanwhile=import_later_stages)
        step(f"loaded {len(corpus.documents)} documents")
        from .analysis import analyse
        from .export import write_folder

        analysis = analyse(corpus, settings, workers=workers)
        step(f"aligned {len(analysis.result.clauses)} commitments")
        jobs = output_jobs(analysis)
        made = run_jobs([job.make for job in jobs], workers,
                        done=lambda i: step(f"made {jobs[i].name}"))
        files: dict[str, str | bytes] = {"README.md": REPORTS_README}
        for part in made:
            files.update(part)
        step(f"made {len(files)} files")
        target = write_folder(Path(out), files)
    step(f"wrote {target}")
    return target / "index.html"


def import_later_stages() -> None:
    """Import the modules of the stages after loading (while workers read documents)."""
    for name in LATER_STAGES:
        importlib.import_module(name)


def output_jobs(analysis: Analysis) -> list[Job[Mapping[str, str | bytes]]]:
    """Everything the report folder holds, as independent jobs: the site's pages, the CSV
    exports and the teaching tables."""
    from . import report
    from .export import DATA_DIR, export_files

    def exports() -> dict[str, str]:
        return {f"{DATA_DIR}/{name}": text for name, text in export_files(analysis).items()}

    pages: list[Job[Mapping[str, str | bytes]]] = list(report.site_jobs(analysis))
    return [*pages[:1], Job("CSV exports", exports),
            Job("teaching tables", lambda: report.teaching_files(analysis)), *pages[1:]]


def check_replaceable(out: Path) -> None:
    """Refuse to replace a folder that is not a report folder: `--out ~/Desktop` must not
    wipe the desktop. A report folder carries the note REPORTS_README."""
    if not out.exists():
        return
    if not out.is_dir():
        raise ContinuityError(f"{out} exists and is not a folder")
    note = out / "README.md"
    is_report = (note.is_file()
                 and note.read_text(encoding="utf-8", errors="replace") == REPORTS_README)
    if any(out.iterdir()) and not is_report:
        raise ContinuityError(
            f"{out} is not empty and is not a continuity report folder; the build replaces its "
            "output folder whole, so give a new or empty folder (or a previous report folder)")


def write_pair_page(analysis: Analysis, a: str, b: str, path: Path | None = None) -> Path:
    """Write the self-contained pair page A → B (default: reports/pair-A--B.html) and return
    its path. A report folder it creates carries the report note, so a later build may
    replace it as usual."""
    from .report import standalone_pair

    path = path or Path("reports") / f"pair-{a}--{b}.html"
    folder = path.parent
    fresh = not folder.exists() or not any(folder.iterdir())
    folder.mkdir(parents=True, exist_ok=True)
    if fresh and folder.name == "reports":
        (folder / "README.md").write_text(REPORTS_README, encoding="utf-8")
    path.write_text(standalone_pair(analysis, a, b), encoding="utf-8")
    return path

"""Output folders and files: checked before the work starts, replaced whole at the end,
and only when what they hold is continuity's own.

`output_folder(out)` checks, before any work, that `out` may be replaced: it is not
the current folder or one holding it, nor one holding the corpus; every file in it is
one continuity wrote there, unchanged (see `manifest`), unless `force`; it and its
parent can be written. It then cleans up after killed runs and creates the hidden work
folder beside `out` that `commit(files)` fills at the end and swaps into place (see
`swap`); a big file may be written there before, by `stream(name, chunks)` as it is
made, or by the caller itself at `work_path(name)` (a database), and whole files by a
`writer()` in any process of this machine (pages, as workers make them). Leaving the `with`
block without committing (an error, Ctrl-C, SIGTERM) deletes the work folder and any
parent folder it created: the previous output stays.
`output_file(path)` does the same for one file (`continuity diff --html`).
"""

from __future__ import annotations

import hashlib
import os
import stat
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from ..errors import ContinuityError
from . import swap
from .manifest import (
    MANIFEST,
    Memo,
    add_to_manifest,
    digest,
    read_manifest,
    relisted,
    strangers,
    write_manifest,
)
from .stop import stoppable

#: How many files a refusal names.
SHOWN = 5


class OutputError(ContinuityError):
    """An output folder or file that cannot, or must not, be written; the message names it."""


class _Output:
    """What an output folder and an output file share: where it goes, the locked work
    entry beside it, and the parent folders made for it (removed if nothing is written)."""

    def __init__(self, given: Path, target: Path, force: bool) -> None:
        self.given, self.target, self.force = given, target, force
        self.made: list[Path] = []
        self.staging: Path | None = None
        self.lock: int | None = None
        self.done = False

    def open(self, make: Callable[[str, Path], Path]) -> None:
        """Make the parent folders, clean up after killed runs, check the destination and
        create the work entry (with `make(prefix, parent)`), all before any work."""
        self.made = _make_parents(self.target.parent)
        try:
            with swap.parent_locked(self.target.parent):
                try:
                    swap.recover(self.target)
                except swap.Busy as busy:
                    raise OutputError(
                        f"another continuity run is writing {self.given} (its work folder "
                        f"{busy.path.name} is in use); wait for it to end") from None
                self.check()
                try:
                    self.staging = make(swap.work_prefix(self.target) + swap.NEW,
                                        self.target.parent)
                except OSError as exc:
                    raise OutputError(f"cannot write in {self.given.parent}: "
                                      f"{exc.strerror or exc}") from None
                try:
                    self.lock = swap.hold(self.staging)
                except OSError:  # a system that cannot open a folder (Windows): no lock
                    self.lock = None
        except BaseException:
            self.close()
            raise

    def check(self) -> None:
        raise NotImplementedError

    def close(self) -> None:
        """Delete what an uncommitted run made: the work entry, the parent folders."""
        if self.lock is not None:
            os.close(self.lock)
            self.lock = None
        if self.done:
            return
        if self.staging is not None:
            swap.remove(self.staging)
        for folder in reversed(self.made):
            try:
                folder.rmdir()
            except OSError:
                break


class OutputFolder(_Output):
    """A folder to be replaced whole by `commit(files)`. Its files are listed by the
    manifest of the folder `listing`: itself, or a folder holding it (OUT for OUT/data)."""

    def __init__(self, given: Path, target: Path, force: bool,
                 known: Mapping[str, bytes], listing: Path) -> None:
        super().__init__(given, target, force)
        self.known, self.listing = known, listing
        self.memo: Memo = {}
        self.under = "" if listing == target else target.relative_to(listing).as_posix() + "/"
        self.streamed: dict[str, frozenset[str]] = {}  # name → digest, written already
        self.placed: list[str] = []  # names handed out by work_path, digested at commit

    def listed(self) -> dict[str, frozenset[str]]:
        """What the manifest lists in the folder (paths relative to it)."""
        return {name[len(self.under):]: values
                for name, values in read_manifest(self.listing).items()
                if name.startswith(self.under)}

    def check(self) -> None:
        given, target = self.given, self.target
        if not os.path.lexists(target):
            return
        if not target.is_dir():
            raise OutputError(f"{given} exists and is not a folder")
        if target.stat().st_dev != target.parent.stat().st_dev:
            raise OutputError(f"{given} is a mount point and cannot be replaced; give a "
                              "folder inside it")
        if not self.force:
            found = strangers(target, self.listed(), self.known, memo=self.memo)
            if found:
                older = ("; it has no list of what continuity wrote, as a report folder of an "
                         "older continuity has not: if nothing in it is yours, pass --force once"
                         if self._unlisted_report() else "")
                raise OutputError(
                    f"{given} holds files that are not continuity's: {_names(found)}; it would "
                    "be replaced whole, so move them, give another folder, or pass --force to "
                    f"replace it anyway{older}")
        for folder, _, _ in os.walk(target, onerror=_raise):
            if not os.access(folder, os.W_OK | os.X_OK):
                raise OutputError(f"{folder} is read-only: continuity cannot replace {given}")
        _check_owner(given, target)

    def _unlisted_report(self) -> bool:
        """The folder has no manifest but holds a file that only continuity writes."""
        if (self.listing / MANIFEST).exists():
            return False
        for name, content in self.known.items():
            try:
                if (self.target / name).read_bytes() == content:
                    return True
            except OSError:
                continue
        return False

    def stream(self, name: str, chunks: Iterable[str | bytes]) -> None:
        """Write the file `name` (relative path) into the work folder now, chunk by chunk
        as they are made, so a big export is never held whole; its digest for the
        manifest is computed as it goes. `commit` swaps it into place with the rest."""
        path = self._claim(name)
        hasher = hashlib.sha256()
        try:
            with path.open("wb") as handle:
                for chunk in chunks:
                    data = chunk.encode("utf-8") if isinstance(chunk, str) else chunk
                    hasher.update(data)
                    handle.write(data)
        except OSError as exc:
            raise _cannot_write(self.given, exc) from exc
        self.streamed[name] = frozenset({hasher.hexdigest()})

    def work_path(self, name: str) -> Path:
        """Where in the work folder the caller writes the file `name` (relative path)
        itself, such as a database; `commit` lists it (if written) and swaps it into
        place with the rest, so it is replaced atomically with the folder."""
        path = self._claim(name)
        self.placed.append(name)
        return path

    def _claim(self, name: str) -> Path:
        """The work folder's path for a new file `name`, its folders made."""
        assert self.staging is not None and not self.done
        _check_name(name)
        if name in self.streamed or name in self.placed:
            raise ValueError(f"{name} is written twice")
        path = self.staging / name
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise _cannot_write(self.given, exc) from exc
        return path

    def writer(self) -> WorkWriter:
        """What writes files into the work folder from any process of this machine (a
        forked worker making pages); `written` then lists what it wrote."""
        assert self.staging is not None and not self.done
        return WorkWriter(self.given, self.staging)

    def written(self, entries: Mapping[str, str]) -> None:
        """List the files a `writer` wrote (relative path → sha256), so that `commit`
        lists them in the manifest and swaps them into place with the rest."""
        twice = sorted(name for name in entries if name in self.streamed or name in self.placed)
        if twice:
            raise ValueError(f"{', '.join(twice)} written twice")
        self.streamed.update((name, frozenset({value})) for name, value in entries.items())

    def commit(self, files: Mapping[str, str | bytes]) -> Path:
        """Write `files` (relative path → content) into the work folder beside those
        streamed or placed there already, list them all in the manifest, then swap the
        folder into place and delete the old one. Returns the folder's path."""
        assert self.staging is not None and not self.done
        twice = sorted(set(files) & (set(self.streamed) | set(self.placed)))
        if twice:
            raise ValueError(f"{', '.join(twice)} written twice")
        entries: dict[str, frozenset[str]] = dict(self.streamed)
        old = None
        try:
            for name in self.placed:
                path = self.staging / name
                if path.is_file():
                    with path.open("rb") as handle:
                        entries[name] = frozenset(
                            {hashlib.file_digest(handle, "sha256").hexdigest()})
            for name in sorted(files):  # encoded one at a time: a big site is big twice
                content = files[name]
                data = content.encode("utf-8") if isinstance(content, str) else content
                path = self.staging / name
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(data)
                entries[name] = frozenset({digest(data)})
            if not self.under:
                write_manifest(self.staging, entries)
            with swap.parent_locked(self.target.parent), swap.signals_held():
                self.check()  # again: something may have arrived while the work ran
                if self.under:  # old and new both listed while they are swapped
                    relisted(self.listing, self.under, entries, keep_old=True)
                old = swap.replace(self.staging, self.target)
                self.done = True
                if self.under:
                    relisted(self.listing, self.under, entries)
        except OSError as exc:  # a full disk, a folder made read-only meanwhile
            raise _cannot_write(self.given, exc) from exc
        finally:  # a signal held back during the swap is acted on after this
            self.close()
            if old is not None:
                swap.remove(old)
        return self.given


@dataclass(frozen=True, slots=True)
class WorkWriter:
    """Writes whole files into an output folder's work folder (`OutputFolder.writer`),
    from whichever process of this machine made them: a page is on disk as soon as it is
    made, and no process holds the site until the commit (at 300 documents, 2.8 GB of
    pages, held twice as a worker sent its share home). It keeps no state, so a forked
    worker's calls need no word back but what they return: the files' digests, for the
    parent's `OutputFolder.written`."""

    given: Path  # the output folder as the user named it, for error messages
    staging: Path

    def __call__(self, files: Mapping[str, str | bytes]) -> dict[str, str]:
        """Write `files` (relative path → content, text as UTF-8); their sha256s."""
        entries = {}
        try:
            for name, content in files.items():
                _check_name(name)
                data = content.encode("utf-8") if isinstance(content, str) else content
                path = self.staging / name
                path.parent.mkdir(parents=True, exist_ok=True)
                with path.open("xb") as handle:  # a name two jobs made is an error
                    handle.write(data)
                entries[name] = digest(data)
        except FileExistsError:
            raise ValueError(f"{name} is written twice") from None
        except OSError as exc:
            raise _cannot_write(self.given, exc) from exc
        return entries


class OutputFile(_Output):
    """A file to be replaced by `commit(content)`. A file is continuity's when `ours(its
    bytes)` says so or its folder's manifest lists it, unchanged; its folder's manifest
    (if it has one, or the folder is new) then lists it."""

    def __init__(self, given: Path, target: Path, force: bool,
                 ours: Callable[[bytes], bool]) -> None:
        super().__init__(given, target, force)
        self.ours = ours
        try:
            parent = target.parent
            self.listed = not parent.is_dir() or (parent / MANIFEST).is_file() or not any(
                parent.iterdir())
        except OSError:
            self.listed = False

    def check(self) -> None:
        given, target = self.given, self.target
        if not os.path.lexists(target):
            return
        if not target.is_file() or target.is_symlink():
            raise OutputError(f"{given} exists and is not a file")
        if not os.access(target, os.W_OK):
            raise OutputError(f"{given} is read-only: continuity cannot replace it")
        if not self.force and not self._is_ours():
            raise OutputError(f"{given} exists and was not written by continuity; give another "
                              "file name, or pass --force to overwrite it")
        _check_owner(given, target)

    def _is_ours(self) -> bool:
        try:
            content = self.target.read_bytes()
        except OSError:
            return False
        listed = read_manifest(self.target.parent).get(self.target.name, frozenset())
        return digest(content) in listed or self.ours(content)

    def commit(self, content: str | bytes) -> Path:
        """Write the file beside its destination, then rename it into place."""
        assert self.staging is not None and not self.done
        data = content.encode("utf-8") if isinstance(content, str) else content
        try:
            self.staging.write_bytes(data)
            self.staging.chmod(0o644)  # mkstemp makes it private
            with swap.parent_locked(self.target.parent), swap.signals_held():
                self.check()
                if self.listed:  # old and new both listed while they are swapped
                    add_to_manifest(self.target.parent, self.target.name, data, keep_old=True)
                os.replace(self.staging, self.target)
                self.done = True
                if self.listed:
                    add_to_manifest(self.target.parent, self.target.name, data)
        except OSError as exc:
            raise _cannot_write(self.given, exc) from exc
        finally:
            self.close()
        return self.given


@contextmanager
def output_folder(out: Path | str, *, force: bool = False,
                  known: Mapping[str, str | bytes] | None = None,
                  keep: Sequence[Path] = (), listing: Path | str | None = None
                  ) -> Iterator[OutputFolder]:
    """The output folder `out`, checked and ready for `commit(files)` (see the module
    docstring). `known`: files continuity may have left there without a manifest, with
    their content; `keep`: folders the output must not hold (the corpus); `listing`: the
    folder whose manifest lists `out`'s files, `out` itself or a folder holding it."""
    given = Path(out)
    exact = {k: v.encode("utf-8") if isinstance(v, str) else v for k, v in (known or {}).items()}
    with stoppable():
        target = _destination(given, keep)
        where = target if listing is None else Path(os.path.realpath(listing))
        if where != target and where not in target.parents:
            raise ValueError(f"{listing} does not hold {out}")
        folder = OutputFolder(given, target, force, exact, where)
        folder.open(_make_folder)
        try:
            yield folder
        finally:
            folder.close()


@contextmanager
def output_file(out: Path | str, *, force: bool = False,
                ours: Callable[[bytes], bool] = lambda content: False,
                keep: Sequence[Path] = ()) -> Iterator[OutputFile]:
    """The output file `out`, checked and ready for `commit(content)`."""
    given = Path(out)
    with stoppable():
        file = OutputFile(given, _destination(given, keep), force, ours)
        file.open(_make_file)
        try:
            yield file
        finally:
            file.close()


def _destination(given: Path, keep: Sequence[Path]) -> Path:
    """The real path of `given`, once the checks that read nothing but paths pass."""
    target = Path(os.path.realpath(given))
    if target.parent == target:
        raise OutputError(f"{given} is the root folder; give a folder of its own")
    try:
        here = Path(os.path.realpath(os.getcwd()))
    except OSError:
        here = None
    if here is not None and (target == here or target in here.parents):
        raise OutputError(f"{given} is the current folder or holds it, and would be replaced "
                          f"whole; give a folder of its own, such as {given / 'reports'}")
    for folder in keep:
        real = Path(os.path.realpath(folder))
        if target == real or target in real.parents:
            raise OutputError(f"{given} holds {folder}, which this run reads, and would be "
                              "replaced whole; give another folder")
    for parent in given.parents:
        if os.path.lexists(parent):
            if not parent.is_dir():
                raise OutputError(f"{parent} is a file, not a folder: cannot write {given}")
            break
    return target


def _make_parents(folder: Path) -> list[Path]:
    """Create `folder` and its missing parents; returns those created, outermost first."""
    missing = []
    while not os.path.lexists(folder):
        missing.append(folder)
        folder = folder.parent
    made: list[Path] = []
    for path in reversed(missing):
        try:
            path.mkdir()
        except OSError as exc:
            for done in reversed(made):
                done.rmdir()
            raise OutputError(f"cannot create {path}: {exc.strerror or exc}") from None
        made.append(path)
    return made


def _make_folder(prefix: str, parent: Path) -> Path:
    staging = Path(tempfile.mkdtemp(prefix=prefix, dir=parent))
    staging.chmod(0o755)  # mkdtemp makes it private; a report folder is meant to be served
    return staging


def _make_file(prefix: str, parent: Path) -> Path:
    fd, name = tempfile.mkstemp(prefix=prefix, dir=parent)
    os.close(fd)
    return Path(name)


def _check_owner(given: Path, target: Path) -> None:
    """In a folder with the sticky bit (/tmp), only an entry's owner may rename it."""
    info, parent = target.lstat(), target.parent.stat()
    me = os.geteuid() if hasattr(os, "geteuid") else 0
    if parent.st_mode & stat.S_ISVTX and me not in (0, info.st_uid, parent.st_uid):
        raise OutputError(f"{given} belongs to another user: continuity cannot replace it")


def _check_name(name: str) -> None:
    """A file name inside the output folder: relative, normalised, not the manifest's."""
    parts = Path(name).parts
    if (not parts or Path(name).is_absolute() or ".." in parts or name == MANIFEST
            or Path(name).as_posix() != name):
        raise ValueError(f"{name!r} is not a file name inside the output folder")


def _cannot_write(given: Path, exc: OSError) -> OutputError:
    return OutputError(f"cannot write {given}: {exc.strerror or exc}; the previous output "
                       "is unchanged")


def _names(found: Sequence[str]) -> str:
    return ", ".join(found[:SHOWN]) + (", …" if len(found) > SHOWN else "")


def _raise(error: OSError) -> None:
    raise OutputError(f"cannot read {error.filename}: {error.strerror}")

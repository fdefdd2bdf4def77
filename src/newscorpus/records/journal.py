"""Changes of many records that are all or nothing, across crashes (docs/team.md).

A command that changes records writes every new file, complete, into a staging folder
inside the records' folder (:func:`staging_folder`), then :func:`commit_staging`:

1. makes the staged files durable and gives each the mode of the record it replaces;
2. writes the journal ``<folder>/.newscorpus.journal`` (atomically, synced): the name of
   the staging folder whose files are to be moved in;
3. moves every staged file onto its record (``os.replace``, one by one), syncs the folder;
4. removes the journal (the caller then removes the empty staging folder).

Killed before step 2, the records are as before and the staging folder is a leftover;
killed after it, the journal says how to finish. The next command that touches the
folder calls :func:`recover` first: it rolls a journal forward (moves the staged files
still there: those already moved are gone from the staging folder, so this is the same
whatever the step the kill came at) and removes the leftovers (staging folders, temporary
files of atomic writes). Every function here expects the folder's lock
(:mod:`newscorpus.records.lock`) to be held.

``NEWSCORPUS_CRASH_AT`` (tests only) names a step at which the process kills itself with
``SIGKILL``: ``staged``, ``journal``, ``move-<n>`` (after the n-th move), ``moved``.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from newscorpus.errors import JournalError
from newscorpus.records.entries import JOURNAL_NAME, STAGING_PREFIXES, is_staging_name, scan_folder
from newscorpus.util.fileio import atomic_write_bytes, prepare_staged_dir, staged_entries

__all__ = ["CRASH_ENV", "Recovery", "staging_folder", "commit_staging", "commit_files", "recover"]

#: The test hook: the step at which a committing process kills itself (see the module doc).
CRASH_ENV = "NEWSCORPUS_CRASH_AT"
_FORMAT = "newscorpus-journal/1"


@dataclass(frozen=True)
class Recovery:
    """What :func:`recover` did: ``moved``, the number of staged files of an interrupted
    change it moved in, and ``removed``, the names of the leftovers it removed."""

    moved: int = 0
    removed: list[str] = field(default_factory=list)


def _crash_point(step: str) -> None:
    if os.environ.get(CRASH_ENV) == step:
        os.kill(os.getpid(), signal.SIGKILL)


def staging_folder(folder: str | Path, kind: str) -> Path:
    """A new, empty staging folder ``<folder>/.<kind>-<random>`` (``kind``: ``import``,
    ``ingest``, ``migrate``, ``adjudicate`` or ``sentences``, so that :func:`recover` knows its name)."""
    prefix = f".{kind}-"
    if prefix not in STAGING_PREFIXES:
        raise ValueError(f"unknown staging kind {kind!r}")
    return Path(tempfile.mkdtemp(prefix=prefix, dir=folder))


def _fsync_dir(folder: str | Path) -> None:
    fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _move_all(staging: Path, folder: Path, suffix: str) -> int:
    """Move every staged ``*<suffix>`` file onto ``folder/<name>``; the number moved."""
    moved = 0
    for entry in staged_entries(staging, suffix=suffix):
        os.replace(entry.path, os.path.join(folder, entry.name))
        moved += 1
        _crash_point(f"move-{moved}")
    return moved


def commit_staging(staging: str | Path, folder: str | Path, *, suffix: str = ".json") -> int:
    """Move every ``*<suffix>`` file of ``staging`` (a folder made by :func:`staging_folder`
    inside ``folder``, its files complete) onto ``folder/<name>``, all or nothing across
    crashes (steps in the module doc). Returns the number of files moved. Holds no list of
    the files (memory stays flat for any number). Raises ``OSError`` from the file system;
    then nothing was moved unless the journal was written, and :func:`recover` finishes."""
    staging, folder = Path(staging), Path(folder)
    if staging.parent.resolve() != folder.resolve() or not is_staging_name(staging.name):
        raise ValueError(f"{staging} is not a staging folder of {folder}")
    if not prepare_staged_dir(staging, folder, suffix=suffix):
        return 0
    _crash_point("staged")
    journal = {"format": _FORMAT, "staging": staging.name, "suffix": suffix}
    atomic_write_bytes(folder / JOURNAL_NAME, json.dumps(journal).encode("utf-8"))
    _fsync_dir(folder)
    _crash_point("journal")
    moved = _move_all(staging, folder, suffix)
    _fsync_dir(folder)
    _crash_point("moved")
    os.unlink(folder / JOURNAL_NAME)
    return moved


def commit_files(files: Iterable[tuple[str | Path, bytes]], *, kind: str) -> int:
    """Write ``(path, data)`` files, each into the folder of its path, all or nothing per
    folder (:func:`commit_staging` through a staging folder of ``kind``). A file that
    already holds ``data`` is not written. Returns the number of files written. Raises
    ``ValueError`` for a hidden file name (staging moves no hidden file)."""
    stagings: dict[Path, Path] = {}
    written = 0
    try:
        for path, data in files:
            path = Path(path)
            if path.name.startswith("."):
                raise ValueError(f"{path}: a hidden file cannot be committed")
            try:
                if path.read_bytes() == data:
                    continue
            except FileNotFoundError:
                pass
            folder = path.parent
            if folder not in stagings:
                stagings[folder] = staging_folder(folder, kind)
            (stagings[folder] / path.name).write_bytes(data)
        for folder, staging in stagings.items():
            written += commit_staging(staging, folder, suffix="")
    finally:
        for staging in stagings.values():
            shutil.rmtree(staging, ignore_errors=True)
    return written


def _read_journal(folder: Path) -> tuple[Path, str]:
    """The staging folder and suffix a journal names; :class:`JournalError` when it is not
    a journal newscorpus wrote."""
    path = folder / JOURNAL_NAME
    try:
        data = json.loads(path.read_bytes())
        name, suffix = data["staging"], data["suffix"]
        ok = data.get("format") == _FORMAT and isinstance(name, str) and is_staging_name(name) and suffix in ("", ".json")
    except (ValueError, KeyError, TypeError, AttributeError):
        ok = False
    if not ok:
        raise JournalError("this is not a journal newscorpus wrote: the interrupted change cannot be finished",
                           file=str(path), code="bad-journal",
                           hint="restore the folder from version control, then remove the file")
    return folder / name, suffix


def recover(folder: str | Path) -> Recovery:
    """Finish or undo what a killed command left in ``folder`` (the lock held): roll a
    journal forward, then remove staging folders and temporary files. Returns a
    :class:`Recovery` (empty when there was nothing to do). Raises
    :class:`~newscorpus.errors.JournalError` (``bad-journal``) for a journal that is not
    one newscorpus wrote (nothing is changed then), ``OSError`` from the file system."""
    folder = Path(folder)
    scan = scan_folder(folder, records=False)
    moved = 0
    if scan.journal:
        staging, suffix = _read_journal(folder)
        if staging.is_dir():
            moved = _move_all(staging, folder, suffix)
        _fsync_dir(folder)
        os.unlink(folder / JOURNAL_NAME)
    for name, what in scan.leftovers:
        path = folder / name
        if what == "a staging folder" and path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        else:
            path.unlink(missing_ok=True)
    return Recovery(moved, [name for name, _ in scan.leftovers])

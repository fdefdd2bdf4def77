"""How commands get at a folder of records: the lock, recovery, and only records inside
(docs/team.md).

Three kinds of access, each holding the folder's lock (:mod:`newscorpus.records.lock`)
for as long as the command runs:

- ``write`` (ingest, import, ``ls pull``, adjudicate, migrate): first finishes or removes
  what a killed command left (:func:`newscorpus.records.journal.recover`), then refuses a
  folder holding a ``*.json`` entry that is not a regular file (``record-symlink``,
  ``record-folder``, ``record-special-file``);
- ``read`` (build, agreement, ``ls push``, ``migrate --check``): the same recovery, so
  that it reads the state after an interrupted change; a read-only folder is read without
  the lock, and refused only when a change in it was interrupted;
- ``check`` (validate): changes nothing; what a killed command left is reported by the
  validator as an error.

:func:`locked_folders` applies one to a library function, for the folders named by one
of its arguments.
"""

from __future__ import annotations

import functools
import inspect
import os
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Literal, TypeVar

from newscorpus.errors import JournalError, RecordError
from newscorpus.records.entries import scan_folder
from newscorpus.records.journal import Recovery, recover
from newscorpus.records.lock import corpus_lock
from newscorpus.util.filekind import KIND_CODES

__all__ = ["Mode", "write_access", "read_access", "check_access", "locked_folders", "recover_folder"]

Mode = Literal["write", "read", "check"]
F = TypeVar("F", bound=Callable)


@contextmanager
def write_access(folder: str | Path, *, create: bool = False) -> Iterator[Recovery]:
    """Hold ``folder`` for a command that changes it: lock, :func:`recover`, and refuse
    entries that are not records. Yields the :class:`~newscorpus.records.journal.Recovery`.
    With ``create`` a missing folder (and its parents) is made, and removed again when the
    ``with`` block raises. Raises :class:`~newscorpus.errors.LockError`,
    :class:`~newscorpus.errors.JournalError`, and :class:`~newscorpus.errors.RecordError`
    for the first ``*.json`` entry that is not a regular file."""
    folder = Path(folder)
    made = [d for d in (folder, *folder.parents) if not d.exists()] if create else []
    if made:
        folder.mkdir(parents=True, exist_ok=True)
    ok = False
    try:
        with corpus_lock(folder):
            recovery = recover(folder)
            irregular = scan_folder(folder).irregular
            if irregular:
                name, kind = irregular[0]
                more = f" ({len(irregular) - 1} more)" if len(irregular) > 1 else ""
                raise RecordError(f"a record file must be a regular file; this is {kind}{more}; nothing was done",
                                  file=str(folder / name), code=f"record-{KIND_CODES[kind]}",
                                  hint="replace it with the record file itself, or remove it")
            yield recovery
            ok = True
    finally:
        if made and not ok:  # nothing written: not even the folders this call made
            for directory in made:
                directory.rmdir()


@contextmanager
def read_access(folder: str | Path) -> Iterator[Recovery]:
    """Hold ``folder`` for a command that only reads it, after finishing an interrupted
    change (:func:`recover`). Yields the recovery. A folder where the lock file cannot be
    made is read as it is, unless a journal is pending there: then
    :class:`~newscorpus.errors.JournalError` (``interrupted-change``)."""
    folder = Path(folder)
    with corpus_lock(folder, reading=True) as locked:
        scan = scan_folder(folder, records=False)
        recovery = Recovery()
        if scan.interrupted and locked:
            recovery = recover(folder)
        elif scan.journal:
            raise JournalError("a change of this folder was interrupted and cannot be finished here: the folder is read-only",
                               file=str(folder), code="interrupted-change",
                               hint="run `newscorpus recover` where the folder is writable")
        yield recovery


@contextmanager
def check_access(folder: str | Path) -> Iterator[None]:
    """Hold ``folder`` for a check that changes nothing (validate): the lock only (none on a
    read-only folder)."""
    with corpus_lock(folder, reading=True):
        yield


_ACCESS = {"write": write_access, "read": read_access, "check": check_access}


def _folders(value: object, mode: Mode, create: bool) -> list[Path]:
    """The folders an argument names: a path or a sequence of paths; a folder is itself, a
    file its parent (only for ``write``: a single file is read atomically anyway); a
    missing path names nothing (the function reports it) unless ``create``."""
    if value is None:
        return []
    paths = [value] if isinstance(value, (str, os.PathLike)) else list(value)  # type: ignore[arg-type]
    found: dict[str, Path] = {}
    for path in map(Path, paths):
        if path.is_dir() or (create and not path.exists()):
            folder = path
        elif mode == "write" and path.exists() and path.parent.is_dir():
            folder = path.parent
        else:
            continue
        found.setdefault(os.path.realpath(folder), folder)
    return [found[key] for key in sorted(found)]  # one order everywhere: two commands never wait on each other


def locked_folders(param: str, mode: Mode | Callable[[dict], Mode], *, create: bool = False) -> Callable[[F], F]:
    """Decorate a library function so that it runs holding the folders named by its
    argument ``param`` (a folder, or a sequence of files and folders) with ``mode`` access
    (or the mode that ``mode(arguments)`` gives, arguments by name with defaults filled
    in). ``create`` makes a missing folder (``write`` only). The errors of the access
    (:func:`write_access`, :func:`read_access`, :func:`check_access`) come before the
    function runs."""

    def decorate(fn: F) -> F:
        signature = inspect.signature(fn)

        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            bound = signature.bind(*args, **kwargs)
            bound.apply_defaults()
            how = mode(bound.arguments) if callable(mode) else mode
            with ExitStack() as stack:
                for folder in _folders(bound.arguments[param], how, create and how == "write"):
                    if how == "write":
                        stack.enter_context(write_access(folder, create=create))
                    else:
                        stack.enter_context(_ACCESS[how](folder))
                return fn(*args, **kwargs)

        return wrapper  # type: ignore[return-value]

    return decorate


def recover_folder(folder: str | Path) -> Recovery:
    """Finish or remove what a killed command left in ``folder`` (``newscorpus recover``),
    holding its lock. Returns the :class:`~newscorpus.records.journal.Recovery`. Raises
    :class:`~newscorpus.errors.RecordError` (``not-found``) for a missing folder,
    :class:`~newscorpus.errors.LockError` and :class:`~newscorpus.errors.JournalError`."""
    folder = Path(folder)
    if not folder.is_dir():
        raise RecordError("no such folder of records", file=str(folder), code="not-found")
    with corpus_lock(folder):
        return recover(folder)

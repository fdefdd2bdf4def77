"""What a path is, found with ``lstat`` (never by opening it): only regular files are read.

Opening a FIFO blocks until a writer comes; a symbolic link to ``/dev/zero`` reads forever;
a folder named ``x.json`` cannot be read at all. Readers of records and seeds call
:func:`require_regular_file` first, and listings use :func:`entry_kind` on the entries of
``os.scandir`` (its file type comes with the listing: no system call per entry).
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from newscorpus.errors import NewscorpusError

__all__ = ["KIND_CODES", "file_kind", "entry_kind", "require_regular_file"]

#: The last part of the error code for each kind that is not a regular file.
KIND_CODES = {
    "a symbolic link": "symlink",
    "a folder": "folder",
    "a FIFO": "special-file",
    "a device": "special-file",
    "a socket": "special-file",
}


def _kind_of_mode(mode: int) -> str | None:
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a device"


def file_kind(path: str | Path) -> str | None:
    """None when ``path`` is a regular file or does not exist (opening it then says so);
    else what it is, as words for a message: ``"a symbolic link"``, ``"a folder"``,
    ``"a FIFO"``, ``"a device"`` or ``"a socket"`` (the keys of :data:`KIND_CODES`)."""
    try:
        return _kind_of_mode(os.lstat(path).st_mode)
    except (FileNotFoundError, NotADirectoryError):
        return None


def entry_kind(entry: os.DirEntry) -> str | None:
    """:func:`file_kind` of a listed entry, from the type the listing gives (a system call
    only where the file system gives none)."""
    if entry.is_file(follow_symlinks=False):
        return None
    if entry.is_symlink():
        return "a symbolic link"
    if entry.is_dir(follow_symlinks=False):
        return "a folder"
    try:
        return _kind_of_mode(entry.stat(follow_symlinks=False).st_mode)
    except FileNotFoundError:
        return None


def require_regular_file(path: str | Path, *, what: str, error: type[NewscorpusError], prefix: str) -> None:
    """Raise ``error`` (code ``<prefix>-symlink``, ``<prefix>-folder`` or
    ``<prefix>-special-file``) when ``path`` exists and is not a regular file; ``what``
    names it in the message (``"a record file"``). Opens nothing."""
    kind = file_kind(path)
    if kind is not None:
        raise error(f"{what} must be a regular file; this is {kind}", file=str(path),
                    code=f"{prefix}-{KIND_CODES[kind]}", hint="replace it with the file itself, or remove it")

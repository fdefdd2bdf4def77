"""Atomic file writes: a file is either the old one or the complete new one, never partial."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

__all__ = ["atomic_write_bytes", "atomic_write_chunks", "atomic_write_text", "sync_files",
           "staged_entries", "prepare_staged_dir", "current_umask"]


def atomic_write_bytes(path: str | Path, data: bytes) -> bool:
    """Write ``data`` to ``path`` through a temporary file in the same folder and ``os.replace``.

    Returns False (and writes nothing) when the file already holds exactly ``data``, True
    otherwise. Parent folders are created. Raises ``OSError`` when the folder is not writable.
    """
    path = Path(path)
    try:
        if path.read_bytes() == data:
            return False
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        pass
    atomic_write_chunks(path, (data,))
    return True


def atomic_write_chunks(path: str | Path, chunks: Iterable[bytes]) -> int:
    """Write the concatenated ``chunks`` to ``path`` atomically (temporary file in the same
    folder, ``fsync``, ``os.replace``), holding one chunk at a time in memory; the file keeps
    the old file's mode. Returns the bytes written. On any error (also one raised by the
    ``chunks`` iterator) nothing is replaced and the temporary file is removed."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    size = 0
    try:
        # mkstemp creates 0600; give the file the old file's mode, or what the umask allows.
        try:
            mode = path.stat().st_mode & 0o777
        except FileNotFoundError:
            mode = 0o666 & ~current_umask()
        os.chmod(fd, mode)
        with os.fdopen(fd, "wb") as fh:
            for chunk in chunks:
                fh.write(chunk)
                size += len(chunk)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return size


def current_umask() -> int:
    """The process's file mode creation mask (``os.umask`` read without changing it)."""
    mask = os.umask(0)
    os.umask(mask)
    return mask


def atomic_write_text(path: str | Path, text: str) -> bool:
    """:func:`atomic_write_bytes` for UTF-8 text (LF line ends are kept as given)."""
    return atomic_write_bytes(path, text.encode("utf-8"))


def sync_files(paths: list[Path], *, batch_over: int = 32) -> None:
    """Make the written ``paths`` durable before they are moved into place (staged writes).

    An ``fsync`` costs milliseconds per file (a journal commit each), so above ``batch_over``
    files one ``os.sync()`` flushes them all at once.
    """
    if len(paths) > batch_over:
        os.sync()
        return
    for path in paths:
        with open(path, "rb+") as fh:
            os.fsync(fh.fileno())


def staged_entries(staging: str | Path, *, suffix: str = ".json") -> Iterator[os.DirEntry]:
    """The ``*<suffix>`` files of the ``staging`` folder (not hidden ones), listed lazily."""
    with os.scandir(staging) as entries:
        yield from (e for e in entries if e.name.endswith(suffix) and not e.name.startswith("."))


def prepare_staged_dir(staging: Path, out: Path, *, suffix: str = ".json") -> int:
    """Make the ``*<suffix>`` files of ``staging`` ready to move onto ``out/<name>``: durable
    (:func:`sync_files`, one ``os.sync()`` above 32 files) and with the mode of the file each
    replaces (a new file keeps what the umask allowed). Returns how many there are; holds
    no list of them."""
    count = sum(1 for _ in staged_entries(staging, suffix=suffix))
    if count > 32:
        os.sync()
    else:
        sync_files([Path(e.path) for e in staged_entries(staging, suffix=suffix)])
    for entry in staged_entries(staging, suffix=suffix):
        try:
            os.chmod(entry.path, os.stat(os.path.join(out, entry.name)).st_mode & 0o777)
        except FileNotFoundError:
            pass
    return count

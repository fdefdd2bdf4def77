"""The lock of a folder of records: one command at a time changes it (docs/team.md).

The lock is ``filelock.FileLock`` (``flock(2)`` on ``<folder>/.newscorpus.lock``, an empty
file that the holder removes before it lets go: a waiter that locked the removed file
finds it gone and locks the new one, as ``filelock`` does; git ignores the name). The
kernel releases the lock when its process ends, whatever the end (``kill -9`` included):
a crash never leaves a stale lock, only an empty file the next holder removes. ``flock`` has no
shared mode that ``filelock`` offers without helper files in the folder, so readers
(``validate``, ``build``, ``agreement``) take the same exclusive lock for as long as they
read: they see the folder before or after another command's change, never during it.

A second command waits: :func:`corpus_lock` logs one ``INFO`` line on the
``newscorpus.lock`` logger when it starts waiting (the command line prints it on stderr),
then waits up to ``timeout`` seconds (default ``$NEWSCORPUS_LOCK_TIMEOUT``, else
:data:`DEFAULT_TIMEOUT`) and raises :class:`~newscorpus.errors.LockError`
(``lock-timeout``). Holding the lock again in the same thread (``ls pull`` calls the
import) nests; other threads and processes wait.
"""

from __future__ import annotations

import errno
import logging
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from filelock import FileLock, Timeout

from newscorpus.errors import LockError

__all__ = ["LOCK_NAME", "TIMEOUT_ENV", "DEFAULT_TIMEOUT", "lock_timeout", "corpus_lock"]

#: The lock file's name inside the folder (git ignores it: ``.gitignore``).
LOCK_NAME = ".newscorpus.lock"
#: The environment variable that sets how long a command waits for the lock, in seconds.
TIMEOUT_ENV = "NEWSCORPUS_LOCK_TIMEOUT"
#: Seconds a command waits for the lock when neither ``timeout`` nor the variable says.
DEFAULT_TIMEOUT = 600.0

_log = logging.getLogger("newscorpus.lock")
_held = threading.local()  # this thread's locks: real folder path -> FileLock (nesting counts inside it)
_READ_ONLY = (errno.EROFS, errno.EACCES, errno.EPERM)


def lock_timeout() -> float:
    """Seconds to wait for a lock: ``$NEWSCORPUS_LOCK_TIMEOUT`` or :data:`DEFAULT_TIMEOUT`.
    Raises :class:`~newscorpus.errors.LockError` (``bad-lock-timeout``) for a value that is
    not a number of seconds >= 0."""
    raw = os.environ.get(TIMEOUT_ENV, "").strip()
    if not raw:
        return DEFAULT_TIMEOUT
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if not value >= 0 or value == float("inf"):
        raise LockError(f"{TIMEOUT_ENV}={raw!r} is not a number of seconds", code="bad-lock-timeout",
                        hint="give the seconds to wait for another newscorpus command, e.g. 600")
    return value


@contextmanager
def corpus_lock(folder: str | Path, *, timeout: float | None = None, reading: bool = False) -> Iterator[bool]:
    """Hold the lock of ``folder`` (an existing folder of records) for the ``with`` block.

    Yields True when the lock is held. ``reading`` marks a command that only reads: when
    the lock file cannot be made (a read-only folder, where nobody can change the records
    either) it reads without the lock and yields False. ``timeout``: seconds to wait
    (default :func:`lock_timeout`). Raises :class:`~newscorpus.errors.LockError`:
    ``lock-timeout`` after waiting that long, ``lock-unavailable`` when a command that
    writes cannot make the lock file.
    """
    key = os.path.realpath(folder)
    held: dict[str, FileLock] = _held.__dict__.setdefault("locks", {})
    lock = held.get(key)
    if lock is not None:  # this thread holds it: nest
        with lock.acquire():
            yield True
        return
    wait = lock_timeout() if timeout is None else timeout
    lock = FileLock(os.path.join(key, LOCK_NAME), timeout=wait)
    try:
        if not os.path.isdir(key):  # filelock would make the folder
            raise FileNotFoundError(errno.ENOENT, "no such folder")
        _acquire(lock, Path(folder), wait)
    except OSError as exc:
        if reading and exc.errno in (*_READ_ONLY, errno.ENOENT):  # nothing to lock, or nobody can write here
            yield False
            return
        raise LockError(f"cannot make the lock file {LOCK_NAME}: {exc.strerror}", file=str(folder),
                        code="lock-unavailable", hint="the folder must exist and be writable by this user") from None
    held[key] = lock
    try:
        yield True
    finally:
        del held[key]
        try:
            os.unlink(lock.lock_file)  # still held: see the module doc
        except FileNotFoundError:
            pass
        finally:
            lock.release(force=True)


def _acquire(lock: FileLock, folder: Path, wait: float) -> None:
    """Take ``lock`` at once, or log one line and wait up to ``wait`` seconds."""
    try:
        lock.acquire(blocking=False)
        return
    except Timeout:
        pass
    _log.info("waiting for the lock on %s/ held by another newscorpus command...", folder)
    try:
        lock.acquire(timeout=wait)
    except Timeout:
        raise LockError(f"another newscorpus command has held the lock for {wait:g} s; nothing was done",
                        file=str(folder), code="lock-timeout",
                        hint=f"wait for it to finish, or set {TIMEOUT_ENV} to wait longer") from None

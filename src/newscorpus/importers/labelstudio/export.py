"""Reading a Label Studio JSON export task by task (a top-level array of task objects).

Memory is bounded by the largest task (and a read block of about 1 MB), not by the file.
The tasks are cut out of the file by the vectorised scan of
:mod:`newscorpus.importers.labelstudio.scan` and parsed with ``orjson``; at the first
thing the scan does not read exactly as a JSON parser would, reading goes on with the
exact reader, :func:`iter_export_exact` (``ijson``), whose tasks, errors and messages are
the reference. Pure reading: nothing is written.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path

import ijson

from newscorpus.errors import ExportError
from newscorpus.importers.labelstudio.scan import Irregular, scan_tasks
from newscorpus.util.bounds import check_file_depth

__all__ = ["iter_export", "iter_export_raw", "iter_export_bytes", "iter_export_spans", "iter_export_exact", "article_id_of"]


def iter_export(path: str | Path, *, progress: Callable[[int], object] | None = None) -> Iterator[dict]:
    """Yield the tasks of a Label Studio JSON export one at a time (a top-level array).

    ``progress``, if given, is called with the number of bytes read so far after each task.
    Memory is bounded by the largest task (and a read block of about 1 MB), not by the file.

    Raises :class:`ExportError` for a file that is not JSON, truncated, or not an array
    of task objects, naming the byte position where reading stopped.
    """
    for task, _raw in iter_export_raw(path, progress=progress):
        yield task


def iter_export_raw(path: str | Path, *, progress: Callable[[int], object] | None = None) -> Iterator[tuple[dict, bytes | None]]:
    """:func:`iter_export`, with each task's exact JSON text: ``(task, raw)`` pairs where
    ``orjson.loads(raw) == task``, or ``raw`` is None for a task that only the exact reader
    could read (a lone surrogate, an integer of 19 digits or more).

    The tasks are cut out of the file by :func:`~newscorpus.importers.labelstudio.scan.scan_tasks`
    and parsed with ``orjson``; the moment anything is not a well-formed array of objects,
    reading starts again with :func:`iter_export_exact` from the start of the file, skips
    the tasks already yielded and goes on from there, so that objects, errors and messages
    are exactly those of an ``ijson`` pass. Raises :class:`ExportError` as :func:`iter_export`.
    """
    path = Path(path)
    with open(path, "rb") as fh:
        _start(fh, path)
        index = 0
        try:
            for task, raw, end in scan_tasks(fh):
                yield task, raw
                index += 1
                if progress is not None:
                    progress(end)
            return
        except Irregular:
            pass
    for task in iter_export_exact(path, skip=index, progress=progress):
        yield task, None


def iter_export_bytes(path: str | Path, *, progress: Callable[[int], object] | None = None) -> Iterator[bytes]:
    """The tasks of a Label Studio JSON export as their exact JSON text, not parsed: the
    fast path of a pooled import, whose workers parse each task with
    :func:`~newscorpus.importers.labelstudio.scan.parse_task` (the texts of
    :func:`iter_export_spans`, without their offsets)."""
    for raw, _ in iter_export_spans(path, progress=progress):
        yield raw


def iter_export_spans(path: str | Path, *, progress: Callable[[int], object] | None = None) -> Iterator[tuple[bytes, int]]:
    """The tasks of a Label Studio JSON export as ``(raw, offset)``: each task's exact JSON
    text, not parsed, and the byte offset in the file where it starts (``raw`` is the
    file's ``len(raw)`` bytes from ``offset``).

    Only the array's structure is checked here (quotes, brackets, commas, what follows the
    array); raises :class:`~newscorpus.importers.labelstudio.scan.Irregular` at the first
    thing that is not a well-formed array of objects, after yielding every task before it:
    the caller then reads the export again with :func:`iter_export_raw`, whose errors are
    exactly those of ``ijson``. Raises :class:`ExportError` for an empty file or one that is
    not an array. ``progress`` as in :func:`iter_export`.
    """
    path = Path(path)
    with open(path, "rb") as fh:
        _start(fh, path)
        for _, raw, end in scan_tasks(fh, parse=False):
            yield raw, end - len(raw)
            if progress is not None:
                progress(end)


_ARTICLE_ID_KEY = b'"article_id"'
_ARTICLE_ID = re.compile(rb'"article_id"[ \t\n\r]*:[ \t\n\r]*"([A-Za-z0-9_.\-]+)"')


def article_id_of(raw: bytes) -> str | None:
    """The ``data.article_id`` of a task read off its JSON text (from
    :func:`iter_export_bytes`) without parsing it: the string after the one occurrence of
    ``"article_id"``, when it is a plain safe id; None when the key occurs twice or more, or
    not at all, or its value is anything else (the task must then be parsed to know)."""
    at = raw.find(_ARTICLE_ID_KEY)
    if at < 0 or raw.find(_ARTICLE_ID_KEY, at + 1) >= 0:
        return None
    match = _ARTICLE_ID.match(raw, at)
    return None if match is None else match.group(1).decode("ascii")


def iter_export_exact(path: str | Path, *, skip: int = 0, progress: Callable[[int], object] | None = None) -> Iterator[dict]:
    """The exact reader (``ijson``, yajl2_c): the tasks of the export after the first
    ``skip`` ones, each a dict; the reference the fast readers are held to. ``progress`` as
    in :func:`iter_export`. Raises :class:`ExportError` (``invalid-json``: not JSON,
    truncated; ``not-an-export``: empty, not an array, an element that is not an object)
    naming the task and the byte where reading stopped."""
    path = Path(path)
    with open(path, "rb") as fh:
        bom = _start(fh, path)
        check_file_depth(path, start=bom)  # ijson's memory grows with the square of the depth
        index = 0
        try:
            for task in ijson.items(fh, "item", use_float=True):
                if not isinstance(task, dict):
                    raise ExportError(f"task {index} is a {type(task).__name__}, not an object", file=str(path), where=f"$[{index}]", code="not-an-export")
                index += 1
                if index <= skip:
                    continue
                yield task
                if progress is not None:
                    progress(fh.tell())
        except ijson.JSONError as exc:
            raise ExportError(
                f"not valid JSON after task {index} (byte {fh.tell()}): {exc}",
                file=str(path),
                where=f"$[{index}]",
                code="invalid-json",
                hint="the file may be truncated; export it again",
            ) from exc


def _start(fh, path: Path) -> int:
    """Check the start of an export (``fh`` at byte 0) and put ``fh`` after the byte-order
    mark; returns the mark's length. Raises :class:`ExportError` for an empty file or one
    that is not a JSON array."""
    head = fh.read(64)
    bom = 3 if head.startswith(b"\xef\xbb\xbf") else 0
    head = head[bom:].lstrip()
    if not head:
        raise ExportError("the export is empty", file=str(path), code="invalid-json")
    if not head.startswith(b"["):
        raise ExportError(
            "a Label Studio JSON export is an array of tasks; this file does not start with '['",
            file=str(path),
            code="not-an-export",
            hint="export the project as JSON (not JSON_MIN or CSV), or use `newscorpus ls pull`",
        )
    fh.seek(bom)
    return bom

"""The fast way through a Label Studio JSON export: cutting the array into its tasks.

A vectorised scan (``numpy``) of quotes and brackets finds where each task of the
top-level array starts and ends, block by block; each task is then parsed with ``orjson``.
It is exact for a well-formed array of objects, and says so (:class:`Irregular`) at the
first thing that is not, or that only the exact reader (``ijson``,
:func:`newscorpus.importers.labelstudio.export.iter_export_exact`) reads as it should:
the caller then reads the export that way. Tests hold the scan to the exact reader on
every kind of irregular file, with tasks straddling read blocks (:data:`READ_BLOCK`).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import ijson
import orjson

from newscorpus.util.bounds import check_depth

if TYPE_CHECKING:
    import numpy as np

__all__ = ["Irregular", "READ_BLOCK", "parse_task", "scan_tasks"]


class Irregular(Exception):
    """The fast reader met something other than a well-formed array of objects, or a task
    only the exact reader (``ijson``) reads as it should: read the export the exact way."""


def parse_task(raw: bytes) -> dict:
    """One task's JSON text (from :func:`scan_tasks` with ``parse=False``) as ``ijson``
    would read it. Raises :class:`Irregular` where ``orjson`` might not read what ``ijson`` reads (invalid
    JSON, a lone surrogate, a run of 19 or more digits outside strings: an integer that may
    be past int64): the caller falls back to the exact reader."""
    import numpy as np

    arr = np.frombuffer(raw, np.uint8)
    runs = _long_digit_runs(arr)
    if len(runs) and ((np.searchsorted(_string_quotes(arr, raw), runs) & 1) == 0).any():
        raise Irregular
    try:
        task = orjson.loads(raw)
    except orjson.JSONDecodeError:
        raise Irregular from None
    if not isinstance(task, dict):
        raise Irregular
    return task


#: Bytes read at a time by :func:`scan_tasks` (a task may straddle blocks; tests lower it).
READ_BLOCK = 1 << 20
_WS = b" \t\n\r"
_QUOTE, _BACKSLASH, _OPEN, _CLOSE, _LBRACE, _RBRACE, _RBRACKET = 0x22, 0x5C, 0x7B, 0x7D, 0x7B, 0x7D, 0x5D


def _long_digit_runs(arr: np.ndarray) -> np.ndarray:
    """Start positions of every run of 19 or more ASCII digits in ``arr`` (an int64 may
    overflow there: ``ijson`` refuses such integers, ``orjson`` reads them)."""
    import numpy as np

    m = (arr - np.uint8(0x30)) < 10
    for shift in (1, 2, 4, 8, 3):  # runs of >= 2, 4, 8, 16, 19 digits
        if len(m) <= shift:
            return np.empty(0, np.int64)
        m = m[:-shift] & m[shift:]
    return np.flatnonzero(m)


def _string_quotes(arr: np.ndarray, buf: bytes) -> np.ndarray:
    """Positions of the quotes of ``buf`` (``arr``: its bytes as uint8) that open or close a
    string: every quote but those after an odd run of backslashes. A position ``p`` is
    inside a string when ``searchsorted(quotes, p)`` is odd."""
    import numpy as np

    quotes = np.flatnonzero(arr == _QUOTE)
    if len(quotes):
        escaped = quotes[arr[quotes - 1] == _BACKSLASH]
        if len(escaped) and escaped[0] == 0:
            escaped = escaped[1:]
        if len(escaped):
            drop = []
            for q in escaped.tolist():
                j = q - 1
                while j >= 0 and buf[j] == _BACKSLASH:
                    j -= 1
                if (q - 1 - j) & 1:
                    drop.append(q)
            if drop:
                quotes = np.setdiff1d(quotes, np.array(drop, np.int64), assume_unique=True)
    return quotes


def scan_tasks(fh, *, parse: bool = True) -> Iterator[tuple[dict | None, bytes | None, int]]:
    """Cut a JSON array of objects into its elements: ``(task, raw, end)`` with the parsed
    task, its bytes (None when ``ijson`` parsed it: a task ``orjson`` may read otherwise)
    and the file position after it. ``fh`` is positioned at the array (leading whitespace allowed). With
    ``parse=False`` the task is None and ``raw`` the element's bytes, unchecked inside (see
    :func:`parse_task`).

    Exact for a well-formed array of objects: a quote is a string delimiter unless an odd run
    of backslashes precedes it, and brackets outside strings give the depth. Every element is
    parsed by ``orjson`` (strict RFC 8259) and everything between elements must be JSON
    whitespace and one comma, so what is yielded is exactly what a JSON parser reads. Raises
    :class:`Irregular` at the first thing that is not (invalid JSON, an element that is not an
    object, text after the array...), after yielding every element before it.
    """
    import numpy as np  # here, not at the top: the import's workers never need it

    buf = fh.read(READ_BLOCK).lstrip(_WS)
    base = fh.tell() - len(buf)  # file position of buf[0]
    if buf[:1] != b"[":
        raise Irregular
    buf = buf[1:]
    base += 1
    first = True
    eof = False
    while True:
        arr = np.frombuffer(buf, np.uint8)
        quotes = _string_quotes(arr, buf)
        folded = arr | 0x20  # '[' -> '{', ']' -> '}'
        opens = folded == _OPEN
        marks = np.flatnonzero(opens | (folded == _CLOSE))
        marks = marks[(np.searchsorted(quotes, marks) & 1) == 0]  # outside strings
        delta = np.where(opens[marks], 1, -1)
        depth = np.cumsum(delta)
        check_depth(depth, marks, base, fh)  # before anything parses what nests too deep (memory)
        done = np.flatnonzero(depth <= 0)
        stop = len(marks)
        closing = -1  # position of the array's ']' in buf, if met
        bounds: list[tuple[int, int]] = []
        if len(done):
            ends = marks[done]
            levels = depth[done]
            negative = np.flatnonzero(levels < 0)
            if len(negative):
                closing = int(ends[negative[0]])
                ends = ends[: negative[0]]
            starts = marks[(depth == 1) & (delta == 1)][: len(ends)]
            bounds = list(zip(starts.tolist(), ends.tolist()))
        long_runs = _long_digit_runs(arr) if parse else ()
        if len(long_runs):
            long_runs = long_runs[(np.searchsorted(quotes, long_runs) & 1) == 0].tolist()
        prev = 0
        for start, end in bounds:
            sep = buf[prev:start].strip(_WS)
            if sep != (b"" if first else b",") or buf[start] != _LBRACE or buf[end] != _RBRACE:
                raise Irregular
            raw = buf[start : end + 1]
            task = None
            if not parse:
                first = False
                prev = end + 1
                yield None, raw, base + prev
                continue
            if not any(start < r < end for r in long_runs):
                try:
                    task = orjson.loads(raw)
                except orjson.JSONDecodeError:
                    pass
            if task is None:  # what only ijson reads (or nobody): the exact reader decides
                try:
                    task = next(ijson.items(raw, "", use_float=True))
                except Exception:  # noqa: BLE001 - whatever it is, the exact reader raises it again in its words
                    raise Irregular from None
                raw = None
            first = False
            prev = end + 1
            yield task, raw, base + prev
        if closing >= 0:
            if buf[closing] != _RBRACKET or buf[prev:closing].strip(_WS) or buf[closing + 1 :].strip(_WS):
                raise Irregular  # a trailing comma, or anything after the array
            while block := fh.read(READ_BLOCK):
                if block.strip(_WS):
                    raise Irregular
            return
        if eof:
            raise Irregular  # truncated
        tail = buf[prev:]
        block = fh.read(max(READ_BLOCK, len(tail)))
        eof = not block
        base += prev
        buf = tail + block

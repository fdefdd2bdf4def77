"""Bounds on nesting: JSON nested deeper than :data:`MAX_DEPTH` is refused before it is parsed.

``ijson`` keeps a prefix string per open level (``item.data.x.item.item...``): the memory
of one value nested ``d`` deep grows as ``d²`` (a 40,000-deep array in a 122 KB export
took 3.7 GB; 10,000 deep, 240 MB more than the import's own memory; 2,000 deep, 9 MB).
A Label Studio task nests about ten levels; :data:`MAX_DEPTH` is 2,000 so that what
earlier versions imported still imports (a task holding a 1,030-deep value in a field
newscorpus ignores: ``tests/unit/importers/test_bench_io.py``), and such input costs a few
MB, not GB. Depth counts every open ``[`` and ``{`` outside strings, the export's top-level
array not included.

:func:`check_depth` checks the depths the export reader's bracket scan already has;
:func:`check_file_depth` scans a whole file (vectorised, a block at a time) for the exact
reader, which parses what the scan did not reach.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from newscorpus.errors import ExportError

if TYPE_CHECKING:
    import numpy as np

__all__ = ["MAX_DEPTH", "check_depth", "check_file_depth"]

#: The deepest nesting read, in levels of arrays and objects.
MAX_DEPTH = 2_000
_BLOCK = 1 << 20
_QUOTE, _BACKSLASH = 0x22, 0x5C


def _too_deep(file: str | None, at: int, limit: int) -> ExportError:
    return ExportError(f"nested more than {limit} levels deep (at byte {at}): refused before reading it",
                       file=file, code="too-deep", hint="no Label Studio export nests this deep: check how the file was made")


def check_depth(depth: np.ndarray, positions: np.ndarray, base: int, fh: BinaryIO, *, limit: int = MAX_DEPTH) -> None:
    """Raise :class:`~newscorpus.errors.ExportError` (``too-deep``) when a depth of
    ``depth`` (the running depth after each bracket, 1 inside a task) passes ``limit``;
    ``positions`` are the brackets' positions in a buffer that starts at file position
    ``base`` of ``fh`` (for the message)."""
    if len(depth) and int(depth.max()) > limit:
        at = base + int(positions[int((depth > limit).argmax())])
        raise _too_deep(getattr(fh, "name", None), at, limit)


def check_file_depth(path: str | Path, *, start: int = 0, limit: int = MAX_DEPTH) -> None:
    """Raise :class:`~newscorpus.errors.ExportError` (``too-deep``) when the JSON text of
    ``path`` (from byte ``start``) nests deeper than ``limit`` below its top level. Reads a
    block at a time; brackets inside strings do not count (a quote after an odd run of
    backslashes does not end a string). Says nothing about whether the text is JSON."""
    import numpy as np

    depth, in_string, carry = -1, False, b""  # -1: the top-level array is not counted
    with open(path, "rb") as fh:
        fh.seek(start)
        offset = start
        while block := fh.read(_BLOCK):
            buf = carry + block
            tail = len(buf) - len(buf.rstrip(b"\\"))  # a backslash run may escape the next block's quote
            buf, carry = (buf[:-tail], buf[-tail:]) if tail and len(buf) > tail else (buf, b"")
            arr = np.frombuffer(buf, np.uint8)
            quotes = np.flatnonzero(arr == _QUOTE)
            after = quotes[quotes > 0]
            escaped = [q for q in after[arr[after - 1] == _BACKSLASH].tolist() if _escaped(buf, q)]
            if escaped:
                quotes = np.setdiff1d(quotes, np.array(escaped, np.int64), assume_unique=True)
            folded = arr | 0x20  # '[' -> '{', ']' -> '}'
            marks = np.flatnonzero((folded == 0x7B) | (folded == 0x7D))
            outside = ((np.searchsorted(quotes, marks) + in_string) & 1) == 0
            marks = marks[outside]
            running = depth + np.cumsum(np.where(folded[marks] == 0x7B, 1, -1))
            check_depth(running, marks, offset, fh, limit=limit)
            if len(running):
                depth = int(running[-1])
            in_string = bool((len(quotes) + in_string) & 1)
            offset += len(buf)


def _escaped(buf: bytes, at: int) -> bool:
    """True when the byte at ``at`` follows an odd run of backslashes."""
    j = at - 1
    while j >= 0 and buf[j] == _BACKSLASH:
        j -= 1
    return bool((at - 1 - j) & 1)

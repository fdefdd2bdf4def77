"""Reading the text files an importer parses: UTF-8 strictly, with the line of any bad byte.

Pure but for the one read: :func:`read_source` decodes a file, :func:`source_lines` splits
it into lines as Java's and Python's readers do (``\\n``, ``\\r\\n`` or a lone ``\\r`` end a
line; no other character does, unlike :meth:`str.splitlines`).
"""

from __future__ import annotations

import re
from pathlib import Path

from newscorpus.errors import ExportError

__all__ = ["read_source", "source_lines"]

_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def read_source(path: str | Path, *, strip_bom: bool = True) -> str:
    """The text of the file at ``path``, decoded as UTF-8 (a leading byte-order mark removed
    when ``strip_bom``). Raises :class:`~newscorpus.errors.ExportError` naming the file and
    the line: ``not-utf8`` for bytes that are not UTF-8, ``source-unreadable`` for a file
    that cannot be read."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise ExportError(f"cannot read the file: {exc.strerror or exc}", file=str(path), code="source-unreadable") from exc
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ExportError(f"byte {data[exc.start]:#04x} at byte offset {exc.start} is not UTF-8", file=str(path),
                          where=f"line {line}", code="not-utf8", hint="convert the file to UTF-8") from exc
    if strip_bom and text.startswith("\ufeff"):
        text = text[1:]
    return text


def source_lines(text: str) -> list[str]:
    """``text`` cut at every ``\\r\\n``, ``\\r`` and ``\\n``: line ``n`` (1-based) is item
    ``n - 1``. A final line break gives a last empty item."""
    return _LINE_BREAK.split(text)

"""Values the card did not write itself (from a record, a sidecar, the scheme, the agreement
report) as Markdown that can only ever be text, wherever they land in the card's body.

- :func:`text` for running text and table cells: line breaks become spaces; the characters
  that start Markdown or HTML constructs inline (emphasis, code, links, images, tables,
  headings, strikethrough, HTML tags and entities) are escaped; a list, heading, block quote
  or thematic-break marker at the start is escaped too, should the value ever begin a line.
- :func:`code` for identifiers shown as code (ids, licence ids, language tags, label
  names): an inline code span that no backtick in the value can close, on one line.

A title ``## Fake Licensing section`` or ``<img src=x onerror=alert(1)>`` so stays a title:
the card's headings and tags are only those the card writes (docs/dataset.md, The card).
"""

from __future__ import annotations

import re

__all__ = ["text", "code"]

#: Line breaks in CommonMark and the Unicode ones, and the other vertical whitespace.
_BREAKS = re.compile(r"[\r\n\v\f\x1c\x1d\x1e\x85\u2028\u2029]+")
#: Backslash escapes (any ASCII punctuation may be escaped in CommonMark) and HTML's three;
#: ``_`` apart (:func:`_underscores`).
_ESCAPES = str.maketrans({**{c: "\\" + c for c in "\\`*[]#|~"}, "<": "&lt;", ">": "&gt;", "&": "&amp;"})
_UNDERSCORES = re.compile(r"_+")
#: A list item (``-``, ``+``, ``1.``, ``1)``), a setext underline or a thematic break at the start.
_LEADING = re.compile(r"^(\d{1,9}(?=[.)](?:\s|$))|)([-+=.)])")


def _underscores(s: str) -> str:
    """``s`` with every run of ``_`` escaped but those between two letters or digits
    (``discourse_role``), which CommonMark never reads as emphasis."""

    def escape(m: re.Match) -> str:
        a, b = m.start(), m.end()
        inner = a > 0 and b < len(s) and s[a - 1].isalnum() and s[b].isalnum()
        return m.group() if inner else m.group().replace("_", "\\_")

    return _UNDERSCORES.sub(escape, s)


def text(value: object) -> str:
    """``str(value)`` as Markdown text that renders as exactly those characters (line
    breaks as spaces, outer whitespace removed, U+0000 as U+FFFD as CommonMark renders it)
    and starts no construct of its own."""
    out = _underscores(_BREAKS.sub(" ", str(value).replace("\x00", "\ufffd")).strip().translate(_ESCAPES))
    return _LEADING.sub(lambda m: m.group(1) + "\\" + m.group(2), out, count=1)


def code(value: object, *, in_table: bool = False) -> str:
    """``str(value)`` as an inline code span on one line, fenced by more backticks than the
    longest run of them in the value (padded with a space when it starts or ends with one).
    ``in_table=True`` for a GFM table cell, where ``|`` must be escaped even in code."""
    body = _BREAKS.sub(" ", str(value))
    if in_table:
        body = body.replace("|", "\\|")
    runs = re.findall(r"`+", body)
    fence = "`" * (max(map(len, runs), default=0) + 1)
    if body.startswith("`") or body.endswith("`"):
        body = f" {body} "
    return f"{fence}{body}{fence}"

"""The rules every listed item shares, as exact loops the checks call when their fast
pre-check finds something: unique ids (``duplicate-id``: sentences, annotations, spans,
relations) and offsets (``<kind>-out-of-bounds``, ``<kind>-empty``, ``<kind>-untrimmed``:
sentences and spans); and the whole-list test of order both sentences and flat span layers
use. Offsets are code points, end-exclusive (docs/design.md, Offsets).
"""

from __future__ import annotations

import operator
from collections.abc import Iterator
from itertools import accumulate
from typing import Any

from newscorpus.validate.rules import Loc, Violation
from newscorpus.validate.view import short

__all__ = ["duplicate_ids", "usable_offsets", "offset_violations", "in_order"]


def duplicate_ids(items: list[dict[str, Any]], loc: Loc, kind: str, file: str) -> Iterator[Violation]:
    """A ``duplicate-id`` at ``(*loc, i, "id")`` for each item whose ``id`` an earlier item of
    ``items`` (found at ``loc``, e.g. ``("sentences",)``) already has; ``kind`` names the
    item in the message."""
    seen: dict[str, int] = {}
    for i, item in enumerate(items):
        if item["id"] in seen:
            yield Violation(file, (*loc, i, "id"), "duplicate-id", f"{kind} id {item['id']!r} is already used at {loc[-1]}[{seen[item['id']]}]")
        else:
            seen[item["id"]] = i


def usable_offsets(item: dict[str, Any], size: int) -> tuple[int, int] | None:
    """``(start, end)`` of ``item`` as integers when both lie in a text of ``size`` code
    points and ``end`` is after ``start``; else None (then :func:`offset_violations` reports
    why)."""
    start, end = int(item["start"]), int(item["end"])
    if start > size or end > size or end <= start:
        return None
    return start, end


def offset_violations(item: dict[str, Any], loc: Loc, kind: str, text: str, file: str) -> list[Violation]:
    """What is wrong with the offsets of ``item`` (a ``kind``, ``"span"`` or ``"sentence"``,
    at ``loc``) in ``text``: each offset past the end (``<kind>-out-of-bounds``), else an end
    not after the start (``<kind>-empty``), else whitespace at either end of the piece
    (``<kind>-untrimmed``)."""
    start, end, size = int(item["start"]), int(item["end"]), len(text)
    out = [
        Violation(file, (*loc, key), f"{kind}-out-of-bounds", f"{value} is past the end of the text ({size} code points)")
        for key, value in (("start", start), ("end", end))
        if value > size
    ]
    if out:
        return out
    if end <= start:
        return [Violation(file, (*loc, "end"), f"{kind}-empty", f"end {end} is not after start {start}: a {kind} covers at least one code point")]
    piece = text[start:end]
    if piece[0].isspace() or piece[-1].isspace():
        return [Violation(file, loc, f"{kind}-untrimmed", f"text[{start}:{end}] = {short(piece)} starts or ends with whitespace: move the offsets inward")]
    return []


def in_order(starts: tuple[int, ...], ends: tuple[int, ...]) -> bool:
    """True when no start comes before the furthest end of the (start, end) pairs before it:
    pairs sorted by start that neither overlap nor nest (a shared start counts as overlap)."""
    return not any(map(operator.lt, starts[1:], accumulate(ends, max)))

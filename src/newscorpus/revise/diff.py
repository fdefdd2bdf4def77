"""The character diff of two texts and the map of offsets it gives (docs/design.md, Offsets).

:func:`diff_texts` compares two texts code point by code point: the common prefix and
suffix are cut first (a typo fix leaves almost the whole text alike, so this is linear in
practice), then :class:`difflib.SequenceMatcher` (``autojunk=False``: no character is
treated as noise, however frequent) aligns the rest. The result, a :class:`TextDiff`, is a
list of edits in Python's opcode shape and answers, for a region ``[start, end)`` of the old
text, whether an edit touched it and where it lies in the new text.

Boundary rule: text inserted exactly at a region's start or end lies outside the region,
so a region whose own characters are all unchanged keeps its text. A region an edit
touched (a character of it deleted or replaced, or text inserted strictly inside it) takes
every replacement that overlaps it, whole (:meth:`TextDiff.widen`).
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from difflib import SequenceMatcher

__all__ = ["Edit", "TextDiff", "diff_texts"]


@dataclass(frozen=True)
class Edit:
    """One opcode: ``tag`` (``equal``, ``replace``, ``delete`` or ``insert``) and the old
    range ``[i1, i2)`` that becomes the new range ``[j1, j2)`` (code points)."""

    tag: str
    i1: int
    i2: int
    j1: int
    j2: int


def _common_prefix(a: str, b: str) -> int:
    """Length of the common prefix of ``a`` and ``b`` (binary search on slices: C speed)."""
    lo, hi = 0, min(len(a), len(b))
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if a[:mid] == b[:mid]:
            lo = mid
        else:
            hi = mid - 1
    return lo


def _common_suffix(a: str, b: str, limit: int) -> int:
    """Length of the common suffix of ``a`` and ``b``, at most ``limit``."""
    lo, hi = 0, limit
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if a[len(a) - mid :] == b[len(b) - mid :]:
            lo = mid
        else:
            hi = mid - 1
    return lo


def diff_texts(old: str, new: str) -> TextDiff:
    """The edits that turn ``old`` into ``new``, code point by code point, as a
    :class:`TextDiff`. Equal texts give one ``equal`` edit (none for two empty texts)."""
    head = _common_prefix(old, new)
    tail = _common_suffix(old, new, min(len(old), len(new)) - head)
    mid_old, mid_new = old[head : len(old) - tail], new[head : len(new) - tail]
    raw: list[tuple[str, int, int, int, int]] = []
    if head:
        raw.append(("equal", 0, head, 0, head))
    if mid_old or mid_new:
        matcher = SequenceMatcher(None, mid_old, mid_new, autojunk=False)
        raw.extend((tag, i1 + head, i2 + head, j1 + head, j2 + head) for tag, i1, i2, j1, j2 in matcher.get_opcodes())
    if tail:
        raw.append(("equal", len(old) - tail, len(old), len(new) - tail, len(new)))
    edits: list[Edit] = []
    for tag, i1, i2, j1, j2 in raw:  # adjacent equal runs (prefix and matcher) become one
        if edits and tag == "equal" and edits[-1].tag == "equal":
            prev = edits.pop()
            edits.append(Edit("equal", prev.i1, i2, prev.j1, j2))
        else:
            edits.append(Edit(tag, i1, i2, j1, j2))
    return TextDiff(old, new, edits)


class TextDiff:
    """The edits from ``old`` to ``new`` (:func:`diff_texts`) and the offset map they give.

    Offsets are code points, end-exclusive. A region is ``[start, end)`` of ``old`` with
    ``0 <= start < end <= len(old)``; methods raise ``ValueError`` for any other.
    """

    def __init__(self, old: str, new: str, edits: list[Edit]) -> None:
        self.old, self.new, self.edits = old, new, edits
        # the edits that hold old characters, by their first one (inserts hold none)
        self._holding = [e for e in edits if e.i2 > e.i1]
        self._starts = [e.i1 for e in self._holding]
        self._inserts = sorted(e.i1 for e in edits if e.tag == "insert")
        self._changes = [e for e in edits if e.tag != "equal"]

    @property
    def changed(self) -> bool:
        """True when the texts differ."""
        return bool(self._changes)

    def _holder(self, char: int) -> Edit:
        """The edit holding old character ``char``."""
        return self._holding[bisect_right(self._starts, char) - 1]

    def _check(self, start: int, end: int) -> None:
        if not 0 <= start < end <= len(self.old):
            raise ValueError(f"[{start}, {end}) is not a region of a text of {len(self.old)} code points")

    def touched(self, start: int, end: int) -> bool:
        """True when an edit deletes or replaces a character of ``[start, end)`` or inserts
        text strictly inside it (``start < position < end``)."""
        self._check(start, end)
        first = self._holder(start)
        if first.tag != "equal" or first.i2 < end:
            return True  # its first character is edited, or another edit holds a later one
        k = bisect_right(self._inserts, start)
        return k < len(self._inserts) and self._inserts[k] < end

    def move(self, start: int, end: int) -> tuple[int, int]:
        """Where ``[start, end)`` lies in the new text when no edit touched it
        (:meth:`touched` is False): the same characters, shifted. Raises ``ValueError``
        for a touched region."""
        if self.touched(start, end):
            raise ValueError(f"[{start}, {end}) was edited: its offsets do not simply move")
        edit = self._holder(start)
        shift = edit.j1 - edit.i1
        return start + shift, end + shift

    def widen(self, start: int, end: int) -> tuple[int, int]:
        """Where ``[start, end)`` lies in the new text, widened over the edits that touch
        it: a boundary in an edited run moves to that run's outer edge in the new text
        (its replacement is taken whole); text inserted at the boundaries stays outside.
        The result may be empty (``start == end``) when all of it was deleted."""
        self._check(start, end)
        first, last = self._holder(start), self._holder(end - 1)
        new_start = first.j1 + (start - first.i1) if first.tag == "equal" else first.j1
        new_end = last.j1 + (end - last.i1) if last.tag == "equal" else last.j2
        return new_start, new_end

    def narrow(self, start: int, end: int) -> tuple[int, int]:
        """Where ``[start, end)`` lies in the new text, narrowed: a boundary strictly inside
        an edited run moves to that run's inner edge in the new text (its replacement is
        left outside, for a neighbour to take), one at a run's own edge keeps the run's
        replacement. Regions in text order that do not overlap stay so. The result may be
        empty (``start >= end`` is returned as ``(start, start)``)."""
        self._check(start, end)
        first, last = self._holder(start), self._holder(end - 1)
        if first.tag == "equal":
            new_start = first.j1 + (start - first.i1)
        else:
            new_start = first.j1 if start == first.i1 else first.j2
        if last.tag == "equal":
            new_end = last.j1 + (end - last.i1)
        else:
            new_end = last.j2 if end == last.i2 else last.j1
        return new_start, max(new_start, new_end)

"""Offset units: maps between the ways tools count positions in a text.

newscorpus counts Unicode code points, 0-based, end-exclusive: ``text[start:end]`` in
Python (docs/design.md, Offsets). Tools that count otherwise (Label Studio before 1.4 counted
UTF-16 code units) are read only when their unit is declared, through an exact map from
this module; a position no code point starts at is refused, never rounded.
"""

from __future__ import annotations

import sys
import unicodedata
from functools import cache

__all__ = ["utf16_to_codepoints", "line_form", "canonical_form", "canonical_offset_map", "nfc_offset_map"]


def utf16_to_codepoints(text: str) -> list[int]:
    """Map UTF-16 code-unit offsets to code-point offsets for ``text``.

    Returns a list ``m`` of length ``utf16_len + 1`` (``utf16_len``: the number of UTF-16
    code units of ``text``) where ``m[u]`` is the code-point offset of code unit ``u``, or
    -1 when ``u`` falls between the two halves of a surrogate pair (inside an astral
    character such as most emoji). ``m[utf16_len] == len(text)``. Raises nothing.
    """
    mapping: list[int] = []
    for i, ch in enumerate(text):
        mapping.append(i)
        if ord(ch) > 0xFFFF:
            mapping.append(-1)
    mapping.append(len(text))
    return mapping


def line_form(raw: str) -> str:
    """``raw`` with a leading byte-order mark removed and CRLF and lone CR turned into LF:
    canonicalisation before NFC (docs/design.md, Canonical text). Raises nothing."""
    if raw.startswith("\ufeff"):
        raw = raw[1:]
    return raw.replace("\r\n", "\n").replace("\r", "\n")


def canonical_form(raw: str) -> str:
    """The canonical text of the decoded text ``raw``: :func:`line_form`, then NFC (what
    :func:`newscorpus.ingest.run.canonical_text` gives for its UTF-8 bytes). Raises nothing."""
    return unicodedata.normalize("NFC", line_form(raw))


def canonical_offset_map(raw: str) -> list[int] | None:
    """For each position ``0..len(raw)`` of ``raw``, its position in :func:`line_form`
    ``(raw)`` (the BOM and the CR of each CRLF removed; a lone CR becomes an LF in place),
    or -1 where no position corresponds (between a CR and its LF). None when nothing is
    removed (every position is unchanged). NFC is not mapped: a caller compares
    ``line_form(raw)`` with the canonical text to know whether NFC changed it. Raises nothing."""
    if not raw.startswith("\ufeff") and "\r\n" not in raw:
        return None
    mapping, removed = [], 0
    for i, ch in enumerate(raw):
        dropped_before = i > 0 and (raw[i - 1] == "\r" and ch == "\n")
        mapping.append(-1 if dropped_before else i - removed)
        if (i == 0 and ch == "\ufeff") or (ch == "\r" and raw[i + 1 : i + 2] == "\n"):
            removed += 1
    mapping.append(len(raw) - removed)
    return mapping


@cache
def _second_of_pair() -> frozenset[str]:
    """The starters that NFC may compose with the character before them (the second
    character of a canonical pair, and the Hangul vowel and trailing jamo): a text can be
    cut before any other starter without changing its NFC. Built once, on first use."""
    out = {chr(c) for c in range(0x1161, 0x1176)} | {chr(c) for c in range(0x11A8, 0x11C3)}
    for code in range(sys.maxunicode + 1):
        parts = unicodedata.decomposition(chr(code)).split()
        if len(parts) == 2 and not parts[0].startswith("<"):
            out.add(chr(int(parts[1], 16)))
    return frozenset(out)


def nfc_offset_map(text: str) -> list[int] | None:
    """For each position ``0..len(text)`` of ``text``, its position in its NFC form, or -1
    inside a run of characters NFC changes (a base and the marks it composes with: such a
    position has no place in the normalised text). The text is cut before each starter
    NFC cannot compose with what precedes, and each piece normalised alone; None when
    those pieces do not give the NFC of the whole (an offset is then never guessed). Raises nothing."""
    pair_seconds = _second_of_pair()
    cuts = [0]
    for i in range(1, len(text)):
        ch = text[i]
        if not unicodedata.combining(ch) and ch not in pair_seconds:
            cuts.append(i)
    cuts.append(len(text))
    mapping: list[int] = []
    pos = 0
    pieces = []
    for a, b in zip(cuts, cuts[1:]):
        piece = text[a:b]
        normal = unicodedata.normalize("NFC", piece)
        pieces.append(normal)
        if normal == piece:
            mapping.extend(range(pos, pos + (b - a)))
        else:
            mapping.append(pos)
            mapping.extend([-1] * (b - a - 1))
        pos += len(normal)
    mapping.append(pos)
    if "".join(pieces) != unicodedata.normalize("NFC", text):
        return None
    return mapping

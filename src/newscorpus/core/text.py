"""Offset units: maps between the ways tools count positions in a text.

newscorpus counts Unicode code points, 0-based, end-exclusive: ``text[start:end]`` in
Python (docs/design.md, Offsets). Tools that count otherwise (Label Studio before 1.4 counted
UTF-16 code units) are read only when their unit is declared, through an exact map from
this module; a position no code point starts at is refused, never rounded.
"""

from __future__ import annotations

__all__ = ["utf16_to_codepoints"]


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

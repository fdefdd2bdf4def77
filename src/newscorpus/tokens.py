"""Tokens and IOB2 tags of the ``ner`` config.

Tokenisation: spaCy's rule-based tokenizer of a blank pipeline for the article's language
(``spacy.blank(lang)``; ``xx`` when spaCy has no rules for it), run on each sentence; tokens
made only of whitespace are dropped; then every token that an entity boundary falls inside
is cut at that boundary (``Myanmar’s`` with the entity ``Myanmar`` gives ``Myanmar`` and
``’s``). Every token is ``text[start:end]`` of the article (code points, end-exclusive),
so the tokens map back to the text exactly and every entity is a whole number of tokens.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from functools import cache
from typing import NamedTuple

import numpy

from .models import Span

__all__ = ["Token", "tokenize", "token_offsets", "iob2_tags", "iob2_offsets", "tokenizer_info", "entities_from_iob2"]


class Token(NamedTuple):
    """A token: ``text == article_text[start:end]`` (code points, end-exclusive)."""

    start: int
    end: int
    text: str


@cache
def _tokenizer(language: str):
    import spacy

    lang = language.split("-")[0].lower()
    try:
        return spacy.blank(lang).tokenizer
    except (ImportError, KeyError, ValueError):
        return spacy.blank("xx").tokenizer


def tokenizer_info() -> str:
    """The tokenizer's name and version, as the card states it (e.g. ``spaCy 3.8.18 blank tokenizer``)."""
    import spacy

    return f"spaCy {spacy.__version__} rule-based tokenizer (blank pipeline of the article language)"


def tokenize(text: str, start: int, end: int, *, cuts: Sequence[int] = (), language: str = "en") -> list[Token]:
    """Tokens of ``text[start:end]`` with article offsets, cut at every offset in ``cuts``.

    ``cuts`` are article offsets (typically entity starts and ends); a token containing a cut
    strictly inside it is split there. Whitespace-only tokens are dropped, and whitespace at
    the edges of a cut piece is trimmed.
    """
    starts, ends = token_offsets(text, start, end, cuts=cuts, language=language)
    return [Token(a, b, text[a:b]) for a, b in zip(starts, ends)]


def token_offsets(text: str, start: int, end: int, *, cuts: Sequence[int] = (), language: str = "en") -> tuple[list[int], list[int]]:
    """The start and end offsets (article code points, end-exclusive) of the tokens
    :func:`tokenize` gives, as two lists: the build's fast path (no ``Token`` objects)."""
    from spacy.attrs import IDX, IS_SPACE, LENGTH

    inner = sorted({c for c in cuts if start < c < end})
    arr = _tokenizer(language)(text[start:end]).to_array([IDX, LENGTH, IS_SPACE])
    if len(arr) == 0:
        return [], []
    keep = arr[:, 2] == 0
    a_arr = arr[keep, 0] + start
    b_arr = a_arr + arr[keep, 1]
    starts: list[int] = a_arr.tolist()
    ends: list[int] = b_arr.tolist()
    if not inner:
        return starts, ends
    k_arr = numpy.searchsorted(inner, a_arr, side="right")
    inner_arr = numpy.asarray(inner + [end])  # sentinel: never strictly inside a token
    cut = inner_arr[k_arr] < b_arr
    if not cut.any():
        return starts, ends
    out_s: list[int] = []
    out_e: list[int] = []
    for a, b, k, c in zip(starts, ends, k_arr.tolist(), cut.tolist()):
        if not c:  # no cut inside: the common case
            out_s.append(a)
            out_e.append(b)
            continue
        bounds = [a]
        while k < len(inner) and inner[k] < b:
            bounds.append(inner[k])
            k += 1
        bounds.append(b)
        for p, q in zip(bounds, bounds[1:]):
            while p < q and text[p].isspace():
                p += 1
            while q > p and text[q - 1].isspace():
                q -= 1
            if p < q:
                out_s.append(p)
                out_e.append(q)
    return out_s, out_e


def iob2_tags(tokens: Sequence[Token], entities: Sequence[Span]) -> list[str]:
    """IOB2 tag names for ``tokens`` given non-overlapping ``entities`` (article offsets).

    A token inside an entity is ``B-<label>`` when it starts the entity, ``I-<label>`` after;
    tokens outside every entity are ``O``. The tokens must be cut at entity boundaries
    (:func:`tokenize` with ``cuts``).
    """
    return iob2_offsets([t.start for t in tokens], [t.end for t in tokens], entities)


def iob2_offsets(starts: Sequence[int], ends: Sequence[int], entities: Sequence[Span]) -> list[str]:
    """:func:`iob2_tags` for tokens given as their start and end offsets."""
    ordered = sorted(((s.start, s.end, s.label) for s in entities), key=lambda e: (e[0], e[1]))
    tags: list[str] = []
    i, n = 0, len(ordered)
    for start, end in zip(starts, ends):
        while i < n and ordered[i][1] <= start:
            i += 1
        if i < n and ordered[i][0] <= start and end <= ordered[i][1]:
            tags.append(("B-" if start == ordered[i][0] else "I-") + ordered[i][2])
        else:
            tags.append("O")
    return tags


def entities_from_iob2(tags: Sequence[str], starts: Sequence[int], ends: Sequence[int]) -> list[tuple[str, int, int]]:
    """Decode IOB2 tags back into ``(label, start, end)`` entities (article offsets).

    An ``I-`` tag that does not continue an entity of the same label starts a new one (the
    lenient reading of CoNLL evaluation scripts).
    """
    out: list[tuple[str, int, int]] = []
    current: list | None = None
    for tag, s, e in zip(tags, starts, ends):
        kind, _, label = tag.partition("-")
        if kind == "B" or (kind == "I" and (current is None or current[0] != label)):
            if current:
                out.append(tuple(current))
            current = [label, s, e]
        elif kind == "I":
            current[2] = e
        else:
            if current:
                out.append(tuple(current))
            current = None
    if current:
        out.append(tuple(current))
    return out

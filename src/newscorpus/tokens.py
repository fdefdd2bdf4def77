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

from .models import Span

__all__ = ["Token", "tokenize", "iob2_tags", "tokenizer_info", "entities_from_iob2"]


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
    from spacy.attrs import IDX, IS_SPACE, LENGTH

    chunk = text[start:end]
    inner = sorted({c for c in cuts if start < c < end})
    doc = _tokenizer(language)(chunk)
    tokens: list[Token] = []
    for idx, length, is_space in doc.to_array([IDX, LENGTH, IS_SPACE]).tolist():
        if is_space:
            continue
        a = start + idx
        b = a + length
        k = bisect.bisect_right(inner, a)
        if k == len(inner) or inner[k] >= b:  # no cut inside: the common case
            tokens.append(Token(a, b, text[a:b]))
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
                tokens.append(Token(p, q, text[p:q]))
    return tokens


def iob2_tags(tokens: Sequence[Token], entities: Sequence[Span]) -> list[str]:
    """IOB2 tag names for ``tokens`` given non-overlapping ``entities`` (article offsets).

    A token inside an entity is ``B-<label>`` when it starts the entity, ``I-<label>`` after;
    tokens outside every entity are ``O``. The tokens must be cut at entity boundaries
    (:func:`tokenize` with ``cuts``).
    """
    ordered = sorted(entities, key=lambda s: (s.start, s.end))
    tags: list[str] = []
    i = 0
    for tok in tokens:
        while i < len(ordered) and ordered[i].end <= tok.start:
            i += 1
        if i < len(ordered) and ordered[i].start <= tok.start and tok.end <= ordered[i].end:
            prefix = "B" if tok.start == ordered[i].start else "I"
            tags.append(f"{prefix}-{ordered[i].label}")
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

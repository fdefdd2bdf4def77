"""Tokens and IOB2 tags of the ``ner`` config.

Tokenisation: spaCy's rule-based tokenizer of a blank pipeline for the article's language
(``spacy.blank(lang)``; ``xx`` when spaCy has no pipeline for it), run on each sentence;
tokens made only of whitespace are dropped; then every token that an entity boundary falls
inside is cut at that boundary (``Myanmar’s`` with the entity ``Myanmar`` gives ``Myanmar``
and ``’s``; the Arabic ``وبيروت`` with the entity ``بيروت`` gives ``و`` and ``بيروت``). Every
token is ``text[start:end]`` of the article (code points, end-exclusive), so the tokens map
back to the text exactly and every entity is a whole number of tokens.

Where spaCy's blank pipeline would load an optional package (a word segmenter or its
dictionary), a fixed tokenizer stands in (:data:`INSTEAD`), so that a build gives the same
tokens on every machine whatever else is installed: Chinese, Japanese and Thai are cut into
one token per character (spaCy's Chinese character segmenter; no jieba, pkuseg, SudachiPy or
PyThaiNLP), Korean and Vietnamese take spaCy's rule-based tokenizer with their pipeline's
punctuation rules (no mecab-ko, no pyvi).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

import numpy

__all__ = [
    "INSTEAD", "tokenizer", "one_call_safe", "cut_tokens", "sentence_tokens", "SEPARATOR", "iob2_entity_of", "tokenizer_info",
    "entities_from_iob2",
]

_CHARACTERS = {"nlp": {"tokenizer": {"@tokenizers": "spacy.zh.ChineseTokenizer", "segmenter": "char"}}}
_RULES = {"nlp": {"tokenizer": {"@tokenizers": "spacy.Tokenizer.v1"}}}

#: The languages whose spaCy blank pipeline would load an optional package, and the
#: pipeline and config whose tokenizer is used instead: language -> (spaCy language, config).
#: To add one: the language's primary subtag, and a tokenizer that needs nothing but spaCy.
INSTEAD: dict[str, tuple[str, dict]] = {
    "zh": ("zh", _CHARACTERS),  # jieba or pkuseg when so configured: one token per character
    "ja": ("zh", _CHARACTERS),  # SudachiPy and its dictionary: one token per character
    "th": ("zh", _CHARACTERS),  # PyThaiNLP: one token per character (a vowel or tone mark too)
    "ko": ("ko", _RULES),  # mecab-ko: the rule-based tokenizer, Korean punctuation rules
    "vi": ("vi", _RULES),  # pyvi: the rule-based tokenizer, Vietnamese punctuation rules
}


@cache
def tokenizer(language: str):
    """The tokenizer of ``language`` (a BCP-47 tag; its primary subtag picks it), made once
    per language: spaCy's tokenizer of a blank pipeline for it, or of :data:`INSTEAD`, or
    the multi-language ``xx`` one when spaCy has no pipeline for it. A callable from a text
    to a spaCy ``Doc`` whose tokens are slices of the text. Imports spaCy (about 50 MB) on
    first use: the modules that only declare the configs do not need it."""
    import spacy

    lang = language.split("-")[0].lower()
    pipeline, config = INSTEAD.get(lang, (lang, {}))
    try:
        return spacy.blank(pipeline, config=config).tokenizer
    except (ImportError, KeyError, ValueError):
        return spacy.blank("xx").tokenizer


def tokenizer_info() -> str:
    """The tokenizer's name and version, as the card states it (e.g. ``spaCy 3.8.18 rule-based
    tokenizer ...``); the version from the installed distribution's metadata (importing
    spaCy costs about 50 MB)."""
    from importlib.metadata import version

    return (f"spaCy {version('spacy')} rule-based tokenizer (blank pipeline of the article language; "
            "Chinese, Japanese and Thai: one token per character)")


def cut_tokens(text: str, a_arr, b_arr, start: int, end: int, cuts: Sequence[int] = ()) -> tuple[list[int], list[int]]:
    """Token offsets ``a_arr``/``b_arr`` (numpy integer arrays, article code points,
    end-exclusive) of ``text[start:end]`` (a sentence, or the whole text), as two lists, each token cut at every
    offset of ``cuts`` strictly inside it (offsets outside ``(start, end)`` are ignored); the
    cut pieces are trimmed of whitespace at their edges and dropped when empty."""
    starts: list[int] = a_arr.tolist()
    ends: list[int] = b_arr.tolist()
    if not cuts:
        return starts, ends
    inner = sorted({c for c in cuts if start < c < end})
    if not inner:
        return starts, ends
    k_arr = numpy.searchsorted(inner, a_arr, side="right")
    inner_arr = numpy.asarray(inner + [end])  # sentinel: never strictly inside a token
    cut = numpy.flatnonzero(inner_arr[k_arr] < b_arr).tolist()
    if not cut:
        return starts, ends
    out_s: list[int] = []
    out_e: list[int] = []
    done = 0
    for i, k in zip(cut, k_arr[cut].tolist()):
        out_s += starts[done:i]  # the tokens before it, uncut: the common case
        out_e += ends[done:i]
        done = i + 1
        a, b = starts[i], ends[i]
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
    out_s += starts[done:]
    out_e += ends[done:]
    return out_s, out_e


#: What :func:`sentence_tokens` puts between sentences for its one tokenizer call.
SEPARATOR = "\n\n"


@cache
def one_call_safe(language: str) -> bool:
    """Whether one tokenizer call over the sentences joined by :data:`SEPARATOR` gives each
    sentence exactly the tokens of its own call (see :func:`sentence_tokens`)."""
    tok = tokenizer(language)
    rules = getattr(tok, "rules", None)
    if rules is None:  # not a rule-based tokenizer: safe only if each character is a token
        return getattr(tok, "segmenter", None) == "char"
    return all(len(rule) == 1 or not any(c.isspace() for c in rule) for rule in rules)


def sentence_tokens(text: str, bounds: Sequence[tuple[int, int]], *, language: str = "en"):
    """The non-whitespace tokens of every sentence ``text[start:end]`` of ``bounds``, as
    spaCy's tokenizer gives them sentence by sentence (before any cut, see
    :func:`cut_tokens`), from one tokenizer call: ``(starts, ends, counts)``, numpy int64
    arrays of the token offsets (article code points, end-exclusive; sentence after
    sentence, in token order) and of the number of tokens of each sentence.

    Why one call gives the same tokens as one call per sentence: spaCy's tokenizer cuts its
    input at whitespace into chunks and tokenises each chunk on its own (prefixes, suffixes,
    infixes, special cases, URL and token matches); the only step that sees more than one
    chunk is the special-case matcher, whose patterns are the tokens of a special-case string.
    The sentences are joined with :data:`SEPARATOR` (newlines), so every chunk of the joined
    text is a chunk of one sentence or whitespace, and at least one whitespace token stands
    between two sentences; a pattern of two or more tokens comes from a special case without
    whitespace (checked here: else the sentences are tokenised one call each), so no match
    contains a whitespace token, no match spans two sentences, and the matches inside each
    sentence are those of its own call. A character segmenter (:data:`INSTEAD`) makes each
    character a token: one call is safe too. Any other tokenizer takes one call per
    sentence. Whitespace tokens are dropped. ``tests/unit/dataset/test_build_fast.py`` and
    ``tests/unit/dataset/test_languages.py`` compare with one call per sentence
    (``tests/unit/dataset/oracles.py``).
    """
    from spacy.attrs import IDX, IS_SPACE, LENGTH

    n = len(bounds)
    if not one_call_safe(language):
        # to_array gives uint64: int64 before any arithmetic with offsets (uint64 + int64 is float64)
        parts = [tokenizer(language)(text[a:b]).to_array([IDX, LENGTH, IS_SPACE]).astype(numpy.int64) for a, b in bounds]
        starts, ends, counts = [], [], numpy.zeros(n, dtype=numpy.int64)
        for i, ((a, _), arr) in enumerate(zip(bounds, parts)):
            if len(arr):
                keep = arr[:, 2] == 0
                starts.append(arr[keep, 0] + a)
                ends.append(starts[-1] + arr[keep, 1])
                counts[i] = len(starts[-1])
        if not starts:
            return numpy.zeros(0, numpy.int64), numpy.zeros(0, numpy.int64), counts
        return numpy.concatenate(starts), numpy.concatenate(ends), counts
    pieces = [text[a:b] for a, b in bounds]
    arr = tokenizer(language)(SEPARATOR.join(pieces)).to_array([IDX, LENGTH, IS_SPACE]).astype(numpy.int64)
    if len(arr) == 0:
        return numpy.zeros(0, numpy.int64), numpy.zeros(0, numpy.int64), numpy.zeros(n, dtype=numpy.int64)
    arr = arr[arr[:, 2] == 0]
    # where each sentence begins in the joined text, and how far that is from its article offset
    joined_at, shift = [], []
    at = 0
    for (a, b), piece in zip(bounds, pieces):
        joined_at.append(at)
        shift.append(a - at)
        at += len(piece) + len(SEPARATOR)
    which = numpy.searchsorted(joined_at, arr[:, 0], side="right") - 1
    starts = arr[:, 0] + numpy.asarray(shift, dtype=numpy.int64)[which]
    return starts, starts + arr[:, 1], numpy.bincount(which, minlength=n)


def iob2_entity_of(starts, ends, entity_starts, entity_ends) -> tuple[numpy.ndarray, numpy.ndarray]:
    """Which entity each token is part of, for IOB2 tags: tokens ``starts``/``ends`` (numpy
    int64 arrays, article code points, end-exclusive, in text order and not overlapping),
    entities ``entity_starts``/``entity_ends`` (numpy int64 arrays, sorted by start then
    end). Returns ``(entity, begins)``: per token the index of its entity (-1: tag ``O``)
    and whether the token starts it (``B-`` rather than ``I-``).

    A token's entity is the first entity, in that order, that ends after the token starts,
    when it holds the token whole (the tag of the one-pass IOB2 tagger that walks tokens and
    entities together, which ``tests/unit/dataset/oracles.py`` keeps as the reference): the
    first entity ending after an offset is a binary search in the running maximum of the
    entity ends. Entities inside different sentences never hold each other's tokens, so one
    call over an article's tokens gives each sentence the tags of its own call."""
    n = len(entity_starts)
    if n == 0 or len(starts) == 0:
        return numpy.full(len(starts), -1, dtype=numpy.int64), numpy.zeros(len(starts), dtype=bool)
    first = numpy.searchsorted(numpy.maximum.accumulate(entity_ends), starts, side="right")
    at = numpy.minimum(first, n - 1)
    held = (first < n) & (entity_starts[at] <= starts) & (ends <= entity_ends[at])
    return numpy.where(held, at, -1), held & (entity_starts[at] == starts)


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

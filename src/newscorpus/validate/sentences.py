"""The sentence rules (record scope): unique ids, usable and trimmed offsets, text order,
coverage of every non-blank character (docs/design.md, The record).

Per rule, ``<rule>_clean`` and ``<rule>`` take a :class:`~newscorpus.validate.view.RecordView`
(the pre-check and the exact loop of a :class:`~newscorpus.validate.semantic.Check`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from newscorpus.validate.items import duplicate_ids, in_order, offset_violations, usable_offsets
from newscorpus.validate.rules import Violation
from newscorpus.validate.view import RecordView, short

__all__ = [
    "sentence_ids_clean", "sentence_ids",
    "sentence_offsets_clean", "sentence_offsets",
    "sentence_order_clean", "sentence_order",
    "sentence_coverage_clean", "sentence_coverage",
]

_NON_BLANK = re.compile(r"\S")


def sentence_ids_clean(view: RecordView) -> bool:
    """True when no two sentences share an id."""
    return len(view.sentence_id_set) == len(view.sentence_ids)


def sentence_ids(view: RecordView) -> Iterator[Violation]:
    """``duplicate-id`` at ``$.sentences[i].id`` for each repeated sentence id."""
    return duplicate_ids(view.sentences, ("sentences",), "sentence", view.file)


def sentence_offsets_clean(view: RecordView) -> bool:
    """True when every sentence's offsets are usable and its piece of text is trimmed."""
    pieces = view.sentence_pieces
    return pieces is not None and tuple(map(str.strip, pieces)) == pieces  # strip removes exactly the isspace characters


def sentence_offsets(view: RecordView) -> Iterator[Violation]:
    """``sentence-out-of-bounds``, ``sentence-empty`` or ``sentence-untrimmed`` per sentence."""
    for i, sent in enumerate(view.sentences):
        yield from offset_violations(sent, ("sentences", i), "sentence", view.text, view.file)


def sentence_order_clean(view: RecordView) -> bool:
    """True when every sentence's offsets are usable and sentences are in text order
    without overlap."""
    return view.sentence_pieces is not None and in_order(view.sentence_starts, view.sentence_ends)


def sentence_order(view: RecordView) -> Iterator[Violation]:
    """``sentence-order`` at ``$.sentences[i].start`` for each sentence (with usable offsets)
    that starts before the end of an earlier one."""
    size = len(view.text)
    prev_end = None
    for i, sent in enumerate(view.sentences):
        pair = usable_offsets(sent, size)
        if pair is None:
            continue
        if prev_end is not None and pair[0] < prev_end:
            yield Violation(view.file, ("sentences", i, "start"), "sentence-order",
                            f"start {pair[0]} is before the end of the previous sentence ({prev_end}): sentences are in text order and do not overlap")
        prev_end = max(pair[1], prev_end or 0)


def sentence_coverage_clean(view: RecordView) -> bool:
    """True when every sentence's offsets are usable, sentences are in order, and the text
    between and around them is blank."""
    starts, ends, text = view.sentence_starts, view.sentence_ends, view.text
    if view.sentence_pieces is None or not in_order(starts, ends):
        return False
    gaps = map(text.__getitem__, map(slice, [0, *ends], [*starts, len(text)]))
    return _NON_BLANK.search("".join(gaps)) is None


def sentence_coverage(view: RecordView) -> Iterator[Violation]:
    """``sentence-coverage`` at ``$.sentences`` for each stretch of text, holding a non-blank
    character, that no sentence (with usable offsets) covers."""
    text = view.text
    size = len(text)
    usable = [pair for pair in (usable_offsets(sent, size) for sent in view.sentences) if pair is not None]
    pos = 0
    for start, end in sorted(usable) + [(size, size)]:
        gap = _NON_BLANK.search(text, pos, max(start, pos))
        if gap:
            stop = max(start, pos)
            yield Violation(view.file, ("sentences",), "sentence-coverage",
                            f"text[{gap.start()}:{stop}] = {short(text[gap.start():stop])} lies in no sentence: every non-blank character belongs to one")
        pos = max(pos, end)

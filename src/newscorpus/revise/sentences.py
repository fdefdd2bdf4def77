"""Sentences moved onto a corrected text, keeping their ids (docs/design.md, Canonical text).

Sentences are not segmented again: each keeps its id (so every sentence label stays on
it) and moves through the diff (:meth:`newscorpus.revise.diff.TextDiff.narrow`: sentences
in text order stay in order and never overlap), trimmed of whitespace at its edges. Text
an edit put between two sentences is then given to a sentence, so that every non-blank
character lies in exactly one sentence (the validator's ``sentence-coverage``):

- the part on the line where the previous sentence ends extends that sentence;
- else the part on the line where the next sentence starts extends that sentence;
- lines of their own in between become new sentences, cut by the segmenter
  (``segment(text, language=...)``, as ingest does), with fresh ids ``s<n>`` after the
  highest ``s<n>`` in use.

A sentence whose whole text was deleted is gone (:attr:`MovedSentences.dropped`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from newscorpus.core.models import Sentence
from newscorpus.revise.diff import TextDiff

__all__ = ["MovedSentences", "move_sentences"]

_NON_BLANK = re.compile(r"\S")
_NUMBERED = re.compile(r"^s(\d+)$")

Segment = Callable[[str], list[Sentence]]
"""``segment(text)``: the sentences of a piece of text (offsets within it)."""


@dataclass(frozen=True)
class MovedSentences:
    """The sentences on the new text, in text order (``sentences``), and what moving them
    did: ``changed`` the ids of sentences whose text differs, ``dropped`` the ids of
    sentences whose whole text was deleted, ``added`` the ids of new sentences (text on
    lines of its own)."""

    sentences: list[Sentence]
    changed: list[str] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)
    added: list[str] = field(default_factory=list)


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    piece = text[start:end]
    lead = len(piece) - len(piece.lstrip())
    if lead == len(piece):
        return start, start
    return start + lead, end - (len(piece) - len(piece.rstrip()))


def _fresh_ids(sentences: Sequence[Sentence]) -> Callable[[], str]:
    numbers = [int(m.group(1)) for s in sentences if (m := _NUMBERED.match(s.id))]
    counter = [max(numbers, default=-1)]

    def fresh() -> str:
        counter[0] += 1
        return f"s{counter[0]}"

    return fresh


def move_sentences(sentences: Sequence[Sentence], diff: TextDiff, *, segment: Segment) -> MovedSentences:
    """Move ``sentences`` (in text order, not overlapping, on ``diff.old``) onto
    ``diff.new`` as the module says; ``segment`` cuts the text of new lines into sentences.
    Offsets are code points, end-exclusive."""
    new = diff.new
    placed: list[tuple[str, int, int]] = []  # (id, start, end) of the sentences that keep text
    dropped: list[str] = []
    for sent in sentences:
        start, end = _trim(new, *diff.narrow(sent.start, sent.end))
        if start < end:
            placed.append((sent.id, start, end))
        else:
            dropped.append(sent.id)
    fresh = _fresh_ids(sentences)
    bounds = [[start, end] for _, start, end in placed]
    added: list[tuple[str, int, int]] = []
    edges = [0, *(b[1] for b in bounds)]
    for k, gap_start in enumerate(edges):
        gap_end = bounds[k][0] if k < len(bounds) else len(new)
        gap = new[gap_start:gap_end]
        if not _NON_BLANK.search(gap):
            continue
        first_nl, last_nl = gap.find("\n"), gap.rfind("\n")
        if first_nl < 0:  # one line: the previous sentence takes it, or else the next one
            first_nl = last_nl = len(gap) if k > 0 else -1
        head, tail = gap[:first_nl] if k > 0 else "", gap[last_nl + 1 :] if k < len(bounds) else ""
        if k > 0 and _NON_BLANK.search(head):
            bounds[k - 1][1] = gap_start + len(head.rstrip())
        if k < len(bounds) and _NON_BLANK.search(tail):
            bounds[k][0] = gap_end - len(tail) + (len(tail) - len(tail.lstrip()))
        body_start = gap_start + (first_nl + 1 if k > 0 else 0)
        body_end = gap_end - (len(tail) + 1 if k < len(bounds) else 0)
        if body_start < body_end and _NON_BLANK.search(new[body_start:body_end]):
            for piece in segment(new[body_start:body_end]):
                added.append((fresh(), body_start + piece.start, body_start + piece.end))
    by_id = {s.id: s for s in sentences}
    out = [Sentence(id=sid, start=b[0], end=b[1]) for (sid, _, _), b in zip(placed, bounds)]
    changed = [s.id for s in out if new[s.start : s.end] != diff.old[by_id[s.id].start : by_id[s.id].end]]
    out += [Sentence(id=sid, start=start, end=end) for sid, start, end in added]
    out.sort(key=lambda s: (s.start, s.end))
    return MovedSentences(out, changed, dropped, [sid for sid, _, _ in added])

"""Splitting and merging the sentences of one record, keeping every annotation (pure: no I/O).

Sentence boundaries belong to the corpus, not to an annotation (Label Studio shows them
read-only), so a wrong boundary is corrected here. The rules (docs/label-studio.md,
Correcting a sentence boundary):

- **Split** at a code point offset ``at`` strictly inside a sentence ``[start, end)``
  (``start < at < end``). The halves are trimmed as the segmenter trims sentences: the
  first is ``[start, at')`` with ``at'`` moved left over whitespace, the second ``[at'',
  end)`` with ``at''`` moved right over whitespace; both always hold a non-blank
  character (a sentence starts and ends with one). The first half keeps the sentence's id;
  the second gets :func:`new_sentence_id`. Every sentence label of the sentence, in every
  annotation and in the gold, is copied to both halves. A gold span of a flat layer
  (``overlap: false``: the entities of the ``ner`` config) lying whole inside the sentence
  that the new boundary would cut is refused (``split-crosses-span``, naming the span): the
  build refuses an entity across a sentence boundary. A span of a layer whose spans may
  overlap (a quotation) may cover several sentences, and spans of raw annotations are not
  sentence-bound: they stay as they are.
- **Merge** of two adjacent sentences (neighbours in text order, given in either order)
  into ``[first.start, second.end)`` under the first one's id; the second id is gone.
  Per part (each annotation, the gold) and sentence layer: a ``multi`` layer keeps the
  union of both halves' labels; a ``single`` layer keeps a label that both halves carry,
  and otherwise (two different labels, or a label on one half only) the merged sentence
  gets no label of that layer in that part: a part holds one label per sentence there,
  and picking one would invent a decision. Such a conflict is returned as a
  :class:`LabelConflict`; in the gold it leaves the merged sentence undecided exactly as a
  tied vote does (no gold label), for ``newscorpus adjudicate`` and the adjudicator.

Offsets are code points, end-exclusive. Errors are :class:`~newscorpus.errors.RecordError`
with a stable code; the record given is never changed (a copy is returned).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from newscorpus.core.models import ArticleRecord, Gold, Annotation, Sentence, SentenceLabel, Span
from newscorpus.core.scheme import Scheme
from newscorpus.errors import RecordError
from newscorpus.records.io import canonicalize

__all__ = ["LabelConflict", "BoundaryChange", "new_sentence_id", "split_sentence", "merge_sentences"]


@dataclass(frozen=True)
class LabelConflict:
    """A sentence label a merge could not keep: in ``part`` (an annotation id, or ``gold``),
    layer ``layer``, the label of the first and of the second sentence (None: unlabelled)."""

    part: str
    layer: str
    first: str | None
    second: str | None


@dataclass(frozen=True)
class BoundaryChange:
    """What a split or merge did to record ``article_id``: ``action`` (``split`` or
    ``merge``), the sentences before (``(id, start, end)`` each) and after, the number of
    sentence labels copied (split) or kept (merge), and the merge's label conflicts."""

    article_id: str
    action: str
    before: list[tuple[str, int, int]]
    after: list[tuple[str, int, int]]
    labels: int = 0
    conflicts: list[LabelConflict] = field(default_factory=list)


def _triple(sent: Sentence) -> tuple[str, int, int]:
    return (sent.id, sent.start, sent.end)


def _show(sent: Sentence, text: str) -> str:
    piece = text[sent.start : sent.end]
    return f"{sent.id} [{sent.start}, {sent.end}) {piece if len(piece) <= 40 else piece[:37] + '…'!r}"


def new_sentence_id(start: int, taken: set[str]) -> str:
    """The id of a sentence a split makes, starting at code point ``start``: ``c<start>``
    (never an id ingest gives, ``s<n>``), or ``c<start>-<n>`` with the lowest ``n >= 2``
    not in ``taken`` when that is taken (a sentence moved by a text revision)."""
    base = f"c{start}"
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"


def _parts(record: ArticleRecord) -> list[tuple[str, Annotation | Gold]]:
    parts: list[tuple[str, Annotation | Gold]] = [(a.id, a) for a in record.annotations]
    if record.gold is not None:
        parts.append(("gold", record.gold))
    return parts


def _crossing(span: Span, sent: Sentence, left_end: int, right_start: int) -> bool:
    inside = sent.start <= span.start and span.end <= sent.end
    return inside and span.start < right_start and span.end > left_end


def split_sentence(record: ArticleRecord, at: int, *, scheme: Scheme, file: str | None = None) -> tuple[ArticleRecord, BoundaryChange]:
    """Split the sentence of ``record`` that ``at`` (a code point offset) falls strictly
    inside, by the rules of this module's docstring. Returns the new record (canonical
    under ``scheme``) and the change. Raises :class:`RecordError` naming ``file``:
    ``split-outside-sentence`` when no sentence has ``start < at < end``,
    ``split-crosses-span`` when a gold span of a flat layer would cross the new boundary."""
    text = record.text
    sent = next((s for s in record.sentences if s.start < at < s.end), None)
    if sent is None:
        near = [s for s in record.sentences if s.end >= at and s.start <= at]
        where = f" (it is on the edge of {', '.join(_show(s, text) for s in near)})" if near else ""
        raise RecordError(f"offset {at} is not inside a sentence{where}: a split point lies strictly between a sentence's start and end",
                          file=file, where="$.sentences", code="split-outside-sentence",
                          hint=f"give an offset between 1 and {len(text) - 1} inside the sentence to split")
    left_end = at
    while text[left_end - 1].isspace():
        left_end -= 1
    right_start = at
    while text[right_start].isspace():
        right_start += 1
    if record.gold is not None:
        flat = {layer.name for layer in scheme.span_layers if not layer.overlap}
        for i, span in enumerate(record.gold.spans):
            if span.layer in flat and _crossing(span, sent, left_end, right_start):
                raise RecordError(
                    f"splitting {_show(sent, text)} at {at} would cut gold span {span.id} [{span.start}, {span.end}) "
                    f"{span.label} {span.text!r} across the new boundary",
                    file=file, where=f"$.gold.spans[{i}]", code="split-crosses-span",
                    hint="split outside the span, or correct the span first: the build refuses an entity across a sentence boundary")
    new = record.model_copy(deep=True)
    new_id = new_sentence_id(right_start, {s.id for s in record.sentences})
    target = next(s for s in new.sentences if s.id == sent.id)
    target.end = left_end
    second = Sentence(id=new_id, start=right_start, end=sent.end)
    new.sentences.append(second)
    copied = 0
    for _, part in _parts(new):
        copies = [SentenceLabel(sentence=new_id, layer=sl.layer, label=sl.label) for sl in part.sentence_labels if sl.sentence == sent.id]
        part.sentence_labels.extend(copies)
        copied += len(copies)
    canonicalize(new, scheme, file=file)
    change = BoundaryChange(record.id, "split", [_triple(sent)], [_triple(target), _triple(second)], labels=copied)
    return new, change


def _sentence(record: ArticleRecord, sentence_id: str, file: str | None) -> int:
    for i, sent in enumerate(record.sentences):
        if sent.id == sentence_id:
            return i
    ids = [s.id for s in record.sentences]
    shown = ", ".join(ids[:8]) + (", …" if len(ids) > 8 else "")
    raise RecordError(f"no sentence {sentence_id!r} (sentences: {shown})", file=file, where="$.sentences", code="no-such-sentence")


def _merge_labels(part: Annotation | Gold, name: str, first: str, second: str, scheme: Scheme) -> tuple[int, list[LabelConflict]]:
    """Move ``part``'s labels of sentences ``first`` and ``second`` onto ``first`` by the
    merge rules; the number of labels kept and the conflicts."""
    kept: list[SentenceLabel] = []
    conflicts: list[LabelConflict] = []
    for layer in scheme.sentence_layers:
        a = [sl.label for sl in part.sentence_labels if sl.sentence == first and sl.layer == layer.name]
        b = [sl.label for sl in part.sentence_labels if sl.sentence == second and sl.layer == layer.name]
        if layer.cardinality == "multi":
            labels = list(dict.fromkeys(a + b))
        elif a == b:
            labels = a
        else:
            labels = []
            conflicts.append(LabelConflict(name, layer.name, a[0] if a else None, b[0] if b else None))
        kept.extend(SentenceLabel(sentence=first, layer=layer.name, label=label) for label in labels)
    others = [sl for sl in part.sentence_labels if sl.sentence not in (first, second)]
    part.sentence_labels = others + kept
    return len(kept), conflicts


def merge_sentences(record: ArticleRecord, first_id: str, second_id: str, *, scheme: Scheme,
                    file: str | None = None) -> tuple[ArticleRecord, BoundaryChange]:
    """Merge two adjacent sentences of ``record`` (by id, in either order) by the rules of
    this module's docstring. Returns the new record (canonical under ``scheme``) and the
    change, whose ``conflicts`` list the labels no part could keep. Raises
    :class:`RecordError` naming ``file``: ``no-such-sentence``, ``same-sentence``,
    ``not-adjacent`` (naming the sentences between)."""
    i, j = _sentence(record, first_id, file), _sentence(record, second_id, file)
    if i == j:
        raise RecordError(f"{first_id!r} given twice: a merge takes two adjacent sentences", file=file,
                          where=f"$.sentences[{i}]", code="same-sentence")
    i, j = min(i, j), max(i, j)
    text = record.text
    if j != i + 1:
        between = ", ".join(s.id for s in record.sentences[i + 1 : j])
        raise RecordError(f"{_show(record.sentences[i], text)} and {_show(record.sentences[j], text)} are not adjacent "
                          f"({between} between them)", file=file, where=f"$.sentences[{j}]", code="not-adjacent",
                          hint="merge neighbours, one pair at a time")
    first, second = record.sentences[i], record.sentences[j]
    new = record.model_copy(deep=True)
    merged = new.sentences[i]
    merged.end = second.end
    del new.sentences[j]
    kept = 0
    conflicts: list[LabelConflict] = []
    for name, part in _parts(new):
        n, found = _merge_labels(part, name, first.id, second.id, scheme)
        kept += n
        conflicts += found
    canonicalize(new, scheme, file=file)
    change = BoundaryChange(record.id, "merge", [_triple(first), _triple(second)], [_triple(merged)], labels=kept, conflicts=conflicts)
    return new, change

"""One record moved onto a corrected text (docs/design.md, Canonical text; The record).

:func:`revise_record` diffs the record's text against the corrected one
(:func:`newscorpus.revise.diff.diff_texts`) and moves, in a copy of the record:

- every span of every annotation and of the gold: a span no edit touched moves silently
  (same text, shifted offsets); a span an edit touched is *changed*: widened over the
  edits (:meth:`~newscorpus.revise.diff.TextDiff.widen`), trimmed, and given its new
  text; a span whose whole text was deleted is *deleted*;
- the sentences, by id (:func:`newscorpus.revise.sentences.move_sentences`); sentence
  labels stay on their sentence; relations stay on their span ids.

What it finds is a :class:`RecordRevision`; :attr:`RecordRevision.refusals` says what
stops it being written: a changed span unless ``accept_changed``, a deleted span, or a
deleted sentence that holds labels, unless ``drop_deleted`` (which then drops them, with
the relations that name a dropped span). The revised record gets the revision appended
to ``revisions`` and its new ``text`` and ``text_sha256``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field

from newscorpus.core.models import ArticleRecord, RevisedSpan, Revision, Sentence, Span
from newscorpus.revise.diff import TextDiff, diff_texts
from newscorpus.revise.sentences import move_sentences

__all__ = ["SpanChange", "RecordRevision", "revise_record", "GOLD"]

#: The ``part`` of a gold span.
GOLD = "gold"


@dataclass(frozen=True)
class SpanChange:
    """A span an edit touched: where it is (``part``: annotation id or :data:`GOLD`;
    ``annotator``: the annotation's, None for the gold), its id, layer and label, its old
    offsets and text, and its new ones (``new_start``/``new_end``/``new_text`` None when
    its whole text was deleted). Offsets are code points, end-exclusive."""

    part: str
    annotator: str | None
    span: str
    layer: str
    label: str
    old_start: int
    old_end: int
    old_text: str
    new_start: int | None
    new_end: int | None
    new_text: str | None

    @property
    def deleted(self) -> bool:
        """True when the span's whole text was deleted."""
        return self.new_text is None

    def line(self) -> str:
        """One line: ``<part> (<annotator>) span <id> <label> "<old>" [s, e) -> "<new>" [s, e)``."""
        who = f"{self.part} ({self.annotator})" if self.annotator else self.part
        after = "deleted" if self.deleted else f"{self.new_text!r} [{self.new_start}, {self.new_end})"
        return f"{who} span {self.span} {self.label} {self.old_text!r} [{self.old_start}, {self.old_end}) -> {after}"


@dataclass(frozen=True)
class RecordRevision:
    """What revising one record found and made: the article, the text hashes before and
    after, ``moved`` (spans whose text is unchanged), ``changes`` (touched spans, in record
    order), the sentences whose text changed, dropped (whole text deleted; ``labelled``:
    those with sentence labels) and added, the relations dropped with a dropped span
    (``(part, relation id)``), and ``record``: the revised record (new text, offsets,
    ``revisions`` entry), which is written only when :attr:`refusals` is empty."""

    article_id: str
    previous_sha256: str
    sha256: str
    moved: int
    changes: list[SpanChange]
    sentences_changed: list[str]
    sentences_dropped: list[str]
    sentences_labelled_dropped: list[str]
    sentences_added: list[str]
    relations_dropped: list[tuple[str, str]]
    record: ArticleRecord
    accept_changed: bool = False
    drop_deleted: bool = False
    refusals: list[str] = field(default_factory=list)

    @property
    def changed(self) -> list[SpanChange]:
        """The touched spans that keep some text."""
        return [c for c in self.changes if not c.deleted]

    @property
    def deleted(self) -> list[SpanChange]:
        """The spans whose whole text was deleted."""
        return [c for c in self.changes if c.deleted]


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    piece = text[start:end]
    stripped = piece.strip()
    if not stripped:
        return start, start
    lead = len(piece) - len(piece.lstrip())
    return start + lead, start + lead + len(stripped)


def _move_spans(spans: list[Span], diff: TextDiff, part: str, annotator: str | None,
                changes: list[SpanChange]) -> tuple[list[Span], int]:
    """The spans on the new text (deleted ones left out) and the number moved silently;
    each touched span is appended to ``changes``."""
    new, kept, moved = diff.new, [], 0
    for span in spans:
        if not diff.touched(span.start, span.end):
            start, end = diff.move(span.start, span.end)
            kept.append(span.model_copy(update={"start": start, "end": end}))
            moved += 1
            continue
        start, end = _trimmed(new, *diff.widen(span.start, span.end))
        if start < end:
            kept.append(span.model_copy(update={"start": start, "end": end, "text": new[start:end]}))
            changes.append(SpanChange(part, annotator, span.id, span.layer, span.label, span.start, span.end, span.text,
                                      start, end, new[start:end]))
        else:
            changes.append(SpanChange(part, annotator, span.id, span.layer, span.label, span.start, span.end, span.text,
                                      None, None, None))
    return kept, moved


def revise_record(
    record: ArticleRecord,
    text: str,
    *,
    segment: Callable[[str], list[Sentence]],
    accept_changed: bool = False,
    drop_deleted: bool = False,
    revised_at: dt.datetime | None = None,
) -> RecordRevision:
    """Move ``record`` (not modified) onto ``text``, the corrected canonical text (as
    :func:`newscorpus.ingest.run.canonical_text` gives it), as the module says.
    ``segment(piece)`` cuts text inserted on lines of its own into sentences.
    ``revised_at`` (default: now, UTC) is the revision's time. Never raises for what it
    finds: :attr:`RecordRevision.refusals` lists what stops the write. Raises
    ``ValueError`` when ``text`` equals the record's text (there is nothing to revise)."""
    if text == record.text:
        raise ValueError(f"{record.id}: the text is unchanged")
    diff = diff_texts(record.text, text)
    sentences = move_sentences(record.sentences, diff, segment=segment)
    changes: list[SpanChange] = []
    moved = 0
    revised = record.model_copy(deep=True)
    parts = [(ann, ann.id, ann.annotator) for ann in revised.annotations]
    if revised.gold is not None:
        parts.append((revised.gold, GOLD, None))
    for part, name, annotator in parts:
        part.spans, n = _move_spans(part.spans, diff, name, annotator, changes)
        moved += n
    labelled = {sl.sentence for part, _, _ in parts for sl in part.sentence_labels}
    labelled_dropped = [sid for sid in sentences.dropped if sid in labelled]
    refusals = [f"span changed: {c.line()}" for c in changes if not c.deleted and not accept_changed]
    if not drop_deleted:
        refusals += [f"span deleted: {c.line()}" for c in changes if c.deleted]
        refusals += [f"sentence {sid} deleted: it holds sentence labels" for sid in labelled_dropped]
    dropped_relations: list[tuple[str, str]] = []
    gone = {sid for sid in sentences.dropped}
    for part, name, _ in parts:
        ids = {s.id for s in part.spans}
        dropped_relations += [(name, r.id) for r in part.relations if r.head not in ids or r.tail not in ids]
        part.relations = [r for r in part.relations if r.head in ids and r.tail in ids]
        part.sentence_labels = [sl for sl in part.sentence_labels if sl.sentence not in gone]
    revised.text, revised.text_sha256 = text, _sha256(text)
    revised.sentences = sentences.sentences
    changed = [c for c in changes if not c.deleted]
    revised.revisions = [*revised.revisions, Revision(
        previous_text_sha256=record.text_sha256,
        revised_at=(revised_at or dt.datetime.now(dt.timezone.utc)).astimezone(dt.timezone.utc).replace(microsecond=0),
        moved=moved,
        changed=[RevisedSpan(part=c.part, span=c.span, before=c.old_text, after=c.new_text) for c in changed],
        dropped=[RevisedSpan(part=c.part, span=c.span, before=c.old_text, after=None) for c in changes if c.deleted],
        sentences_added=sentences.added,
        sentences_dropped=sentences.dropped,
        accepted=bool(changed),
    )]
    return RecordRevision(
        article_id=record.id, previous_sha256=record.text_sha256, sha256=revised.text_sha256, moved=moved,
        changes=changes, sentences_changed=sentences.changed, sentences_dropped=sentences.dropped,
        sentences_labelled_dropped=labelled_dropped, sentences_added=sentences.added,
        relations_dropped=dropped_relations, record=revised, accept_changed=accept_changed, drop_deleted=drop_deleted,
        refusals=refusals,
    )

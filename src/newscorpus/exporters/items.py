"""What an exporter writes: one article's record with the part chosen to export
(:class:`ExportItem`), and how that part is chosen (:func:`pick_part`)."""

from __future__ import annotations

from dataclasses import dataclass

from newscorpus.core.models import Annotation, ArticleRecord, Gold

__all__ = ["GOLD", "ExportItem", "pick_part"]

#: The ``--layer`` value that exports each record's gold (the default).
GOLD = "gold"


@dataclass(frozen=True)
class ExportItem:
    """One article to export: its ``record`` (valid, canonical order), the ``part`` of it to
    write (its gold, or one annotation: both have ``spans``, ``relations``,
    ``sentence_labels`` and ``article_labels``; an annotation also a ``note``), the
    ``layer`` asked for (``"gold"`` or an annotator id), the article's dataset ``split``
    (``train``, ``validation`` or ``test``, as ``newscorpus build`` assigns it) and the
    record's ``file`` (for errors). Offsets are code points, end-exclusive."""

    record: ArticleRecord
    part: Gold | Annotation
    layer: str
    split: str
    file: str

    @property
    def note(self) -> str | None:
        """The part's note on the whole annotation (a gold has none)."""
        return getattr(self.part, "note", None)

    @property
    def where(self) -> str:
        """The JSON path of the part in the record file: ``$.gold`` or ``$.annotations[i]``."""
        if self.part is self.record.gold:
            return "$.gold"
        return f"$.annotations[{next(i for i, a in enumerate(self.record.annotations) if a is self.part)}]"


def _updated(annotation: Annotation) -> tuple:
    stamp = annotation.updated_at or annotation.created_at
    return (stamp is not None, stamp.timestamp() if stamp is not None else 0.0, annotation.id)


def pick_part(record: ArticleRecord, layer: str = GOLD) -> Gold | Annotation | None:
    """The part of ``record`` that ``layer`` names: its gold for ``"gold"`` (None when no
    gold is decided); else the submitted annotation of the annotator ``layer`` (e.g.
    ``ls-3``), the one updated last when there are several (then by id); None when that
    annotator submitted none for this article (drafts and cancelled annotations are never
    exported)."""
    if layer == GOLD:
        return record.gold
    mine = [a for a in record.annotations if a.annotator == layer and a.status == "submitted"]
    return max(mine, key=_updated) if mine else None

"""One article as the dataset configs read it: a validated record as plain dicts
(:func:`plain_record`), the state of its gold (:func:`gold_status`) and the values every
config's rows are made from (:class:`Article`).

The build makes its rows from the parsed JSON, without building pydantic models (about
twice the cost of the rows themselves); :func:`plain_record` gives exactly the values the
model would hold. Offsets are code points, 0-based, end-exclusive (docs/design.md, Offsets).
"""

from __future__ import annotations

import bisect
import datetime as dt
from functools import cache, cached_property
from operator import itemgetter
from typing import Any

from pydantic import AwareDatetime, TypeAdapter, ValidationError

from newscorpus.core.models import ArticleRecord
from newscorpus.core.scheme import Scheme
from newscorpus.dataset.columns import LabelIndex, Utf8Text, group_sentence_labels, label_index

__all__ = ["plain_record", "GOLD_STATUSES", "gold_status", "Article"]

#: The values of :func:`gold_status`, in the order the card counts them.
GOLD_STATUSES = ("decided", "undecided", "unannotated")


@cache
def _stamps() -> TypeAdapter:
    """Validates the date and date-times of a record exactly as the model's fields do."""
    return TypeAdapter(tuple[dt.date, list[AwareDatetime | None]])


_INT = {int}
_START, _END = itemgetter("start"), itemgetter("end")


def _int_offsets(items: list[dict]) -> bool:
    return set(map(type, map(_START, items))) <= _INT and set(map(type, map(_END, items))) <= _INT


def _exact_types(data: dict) -> bool:
    """Whether every number of a schema-valid record already has the type the model gives it
    (offsets and ids ``int``, ``lead_time`` ``float`` or null), so that the model would not
    convert any of them."""
    if not _int_offsets(data["sentences"]):
        return False
    parts = [*data.get("annotations", ()), *([data["gold"]] if data.get("gold") is not None else ())]
    for part in parts:
        if not _int_offsets(part.get("spans", ())):
            return False
    for ann in data.get("annotations", ()):
        lead = ann.get("lead_time")
        if not (lead is None or type(lead) is float):
            return False
        origin = ann["origin"]
        if not all(type(origin.get(k)) in (int, type(None)) for k in ("project", "task", "annotation")):
            return False
    return True


def plain_record(data: dict[str, Any]) -> dict[str, Any]:
    """A record that passed :func:`newscorpus.validate.run.validate_record`, as plain dicts and
    lists with the values of ``ArticleRecord.model_validate(data)``: ``meta.published`` a
    ``datetime.date``, ``created_at``/``updated_at`` aware ``datetime`` (or None); missing
    optional keys may stay missing (readers use the model's defaults). The date and
    date-times go through pydantic validators of the model's types; a record with any
    number the model would convert (an offset ``3.0``, an integer ``lead_time``) or a
    date-time the model refuses takes ``ArticleRecord.model_validate(data).model_dump()``,
    which raises the model's ``ValidationError`` as the build always did. ``data`` is not
    changed."""
    if _exact_types(data):
        annotations = data.get("annotations", [])
        try:
            published, stamps = _stamps().validate_python(
                (data["meta"]["published"], [a.get(k) for a in annotations for k in ("created_at", "updated_at")])
            )
        except ValidationError:
            pass
        else:
            return {
                **data,
                "meta": {**data["meta"], "published": published},
                "annotations": [
                    {**a, "created_at": stamps[2 * i], "updated_at": stamps[2 * i + 1]} for i, a in enumerate(annotations)
                ],
            }
    return ArticleRecord.model_validate(data).model_dump()


def gold_status(rec: dict[str, Any]) -> str:
    """The state of an article's gold, from the record (plain dicts or the JSON):

    - ``"decided"``: the record has gold (``gold`` is not null), whatever its annotations;
      only such an article teaches a model (rows in ``sentences``, ``ner`` and ``quotes``);
    - ``"undecided"``: no gold, and at least one submitted annotation (annotated, waiting
      for a decision: two annotators who disagree, an adjudication not yet made);
    - ``"unannotated"``: no gold and no submitted annotation (none at all, or only drafts or
      cancelled ones).
    """
    if rec.get("gold") is not None:
        return "decided"
    if any(ann["status"] == "submitted" for ann in rec.get("annotations", ())):
        return "undecided"
    return "unannotated"


class Article:
    """The values of one article that the configs make their rows from, computed once.

    ``rec`` is a :func:`plain_record`; ``with_text=False`` withholds every copy of the text
    (``text`` stays, ``utf8`` is None: the configs write null text, span text and tokens).
    Labels come from ``rec["gold"]``: without gold, ``spans``, ``relations`` and
    ``sentence_labels`` are empty. Slices of the text asked of ``utf8`` are cut by
    :meth:`finish`, after every config has added its rows.
    """

    def __init__(self, rec: dict[str, Any], *, scheme: Scheme, with_text: bool) -> None:
        self.rec = rec
        self.scheme = scheme
        self.index: LabelIndex = label_index(scheme)
        self.id: str = rec["id"]
        self.text: str = rec["text"]
        self.with_text = with_text
        self.utf8 = Utf8Text(self.text) if with_text else None
        self.meta: dict = rec["meta"]
        sentences = rec["sentences"]
        self.n = len(sentences)
        self.sids: list[str] = [s["id"] for s in sentences]
        self.starts: list[int] = [s["start"] for s in sentences]
        self.ends: list[int] = [s["end"] for s in sentences]
        gold = rec.get("gold")
        self.gold: dict | None = gold
        #: :func:`gold_status`
        self.gold_status = gold_status(rec)
        self.spans: list[dict] = gold.get("spans", []) if gold else []
        self.relations: list[dict] = gold.get("relations", []) if gold else []
        #: gold sentence labels: sentence id -> layer -> label names
        self.sentence_labels = group_sentence_labels(gold.get("sentence_labels", ())) if gold else {}
        self.annotations: list[dict] = rec.get("annotations", [])

    @cached_property
    def by_sentence(self) -> list[list[dict]]:
        """The gold spans of each sentence: those inside it whole (a span crossing a sentence
        boundary is in no sentence)."""
        out: list[list[dict]] = [[] for _ in range(self.n)]
        starts, ends = self.starts, self.ends
        for span in self.spans:
            i = bisect.bisect_right(starts, span["start"]) - 1
            if i >= 0 and span["end"] <= ends[i]:
                out[i].append(span)
        return out

    @cached_property
    def sentence_row_ids(self) -> list[str]:
        """``<article id>/<sentence id>`` of each sentence (the row ids of the per-sentence configs)."""
        return [f"{self.id}/{sid}" for sid in self.sids]

    def sentence_at(self, offset: int) -> str | None:
        """The id of the last sentence starting at or before ``offset``, or None."""
        i = bisect.bisect_right(self.starts, offset) - 1
        return self.sids[i] if i >= 0 else None

    def finish(self) -> None:
        """Cut the slices of the text the configs asked for (:meth:`Utf8Text.resolve`)."""
        if self.utf8 is not None:
            self.utf8.resolve()

"""Gold spans that cross a sentence boundary (docs/design.md, Dataset).

The per-sentence configs (``sentences``, ``ner``) hold the spans that lie wholly inside a
sentence. A span of a layer whose spans may overlap (a quotation of two sentences) is in
``articles`` only, and the build counts it. An entity of a non-overlapping layer (the IOB2
layers of ``ner``) that crosses a boundary would be tagged ``O`` and teach a model that it is
no entity: the build refuses it (:func:`crossing_error`), naming the sentence merge that
fixes it.
"""

from __future__ import annotations

import bisect
import json
from dataclasses import dataclass

__all__ = ["Crossing", "crossing_spans", "crossing_error", "CROSSING_CODE"]

#: The build's error code for an entity that crosses a sentence boundary.
CROSSING_CODE = "entity-crosses-sentence"


@dataclass(frozen=True)
class Crossing:
    """A gold span (``index`` in ``gold.spans``) whose ``[start, end)`` (code points) reaches
    from sentence ``first`` into sentence ``last`` (sentence ids)."""

    index: int
    span_id: str
    layer: str
    label: str
    start: int
    end: int
    text: str
    first: str
    last: str


def crossing_spans(rec: dict) -> list[Crossing]:
    """The gold spans of the parsed record ``rec`` that lie in no single sentence, in
    ``gold.spans`` order ([] without gold). Sentences are in text order and cover every
    non-blank character (a valid record), so a span's first and last characters each lie
    in a sentence."""
    gold = rec.get("gold")
    if not gold or not gold.get("spans"):
        return []
    sentences = rec["sentences"]
    starts = [s["start"] for s in sentences]
    out = []
    for index, span in enumerate(gold["spans"]):
        i = bisect.bisect_right(starts, span["start"]) - 1
        if i >= 0 and span["end"] <= sentences[i]["end"]:
            continue
        j = bisect.bisect_right(starts, span["end"] - 1) - 1
        out.append(Crossing(index, span["id"], span["layer"], span["label"], span["start"], span["end"], span["text"],
                            sentences[max(i, 0)]["id"], sentences[max(j, 0)]["id"]))
    return out


def crossing_error(article_id: str, path: str, crossings: list[Crossing]) -> tuple[str, dict]:
    """The build's error for the entities ``crossings`` (at least one) of the article
    ``article_id`` read from ``path``: the message (span id, label, offsets, text and the
    sentences it joins) and the fields of its :class:`~newscorpus.errors.BuildError`
    (``file``, ``where`` the span's JSON path, ``code`` :data:`CROSSING_CODE`, ``hint`` the
    ``newscorpus sentences merge`` command that joins the sentences, and how many more)."""
    c = crossings[0]
    more = len(crossings) - 1
    message = (f"entity {c.span_id} ({c.label}, [{c.start}, {c.end}), {json.dumps(c.text, ensure_ascii=False)}) of article "
               f"{article_id} crosses the boundary between sentences {c.first} and {c.last}: in `ner` and `sentences` it would be O")
    hint = (f"merge the sentences: newscorpus sentences merge {article_id} {c.first} {c.last}"
            + (f" ({more} more {'entity crosses' if more == 1 else 'entities cross'} a boundary in this article)" if more else ""))
    return message, {"file": path, "where": f"$.gold.spans[{c.index}]", "code": CROSSING_CODE, "hint": hint}

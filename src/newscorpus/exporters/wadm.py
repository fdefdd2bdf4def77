"""W3C Web Annotation (https://www.w3.org/TR/annotation-model/) as JSON-LD: per article
``<id>.txt``, the canonical text (UTF-8, LF), the resource every selector points into, and
``<id>.jsonld``, one ``AnnotationCollection`` whose embedded first ``AnnotationPage``
holds every annotation (``total`` counts them).

- a span: an ``Annotation``, ``motivation`` ``tagging``, with ``id`` ``#span-<span id>``;
  its body a ``TextualBody`` (``purpose`` ``tagging``, ``value`` the label), and a second
  ``TextualBody`` (``purpose`` ``commenting``) when the span has a note; its target the
  text with two selectors of the same characters: a ``TextPositionSelector`` (``start``,
  ``end``: code points, end-exclusive: the Recommendation's 4.2.4 says "in terms of unicode
  code points", in the logical order of the text) and a
  ``TextQuoteSelector`` (``exact`` the span's text, ``prefix`` and ``suffix`` up to
  :data:`CONTEXT` code points before and after it; left out where empty);
- a relation: an ``Annotation`` ``#relation-<relation id>``, ``motivation`` ``linking``,
  its target the head span's annotation, its body the tail span's annotation (a
  ``SpecificResource``, ``purpose`` ``linking``) and a ``TextualBody`` tagging the label:
  the direction is kept (a list of two targets would be an unordered set in JSON-LD);
- a sentence label: an ``Annotation`` ``#sentence-<layer>-<sentence id>``, ``motivation``
  ``classifying``, a ``TextualBody`` (``purpose`` ``classifying``) per label, targeting the
  sentence's characters with the same two selectors;
- article labels: an ``Annotation`` ``#article-<layer>``, ``motivation`` ``classifying``,
  a body per label, targeting the whole text;
- the note on a whole annotation: an ``Annotation`` ``#note``, ``motivation``
  ``commenting``, targeting the whole text.

Ids are relative IRIs (the file's own address is their base); a ``>`` of a relation id
is written ``%3E``. Layers of spans are not written (the scheme keeps span labels unique
across span layers); the layer of a sentence or article label is in its annotation's id.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import quote

from newscorpus.core.scheme import Scheme
from newscorpus.exporters.items import ExportItem
from newscorpus.util.fileio import sync_files

__all__ = ["CONTEXT", "JSONLD_CONTEXT", "collection", "text_target", "write"]

#: The JSON-LD context of the Web Annotation model.
JSONLD_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
#: How many code points of the text a ``TextQuoteSelector`` gives before and after a span.
CONTEXT = 32


def _iri(kind: str, *parts: str) -> str:
    return "#" + "-".join([kind, *(quote(p, safe=":") for p in parts)])


def text_target(source: str, text: str, start: int, end: int) -> dict:
    """The target of the characters ``text[start:end]`` of the resource ``source``: a
    ``TextPositionSelector`` (code points, end-exclusive) and a ``TextQuoteSelector``
    (``exact``, and ``prefix``/``suffix`` of up to :data:`CONTEXT` code points when not empty)."""
    quote_selector = {"type": "TextQuoteSelector", "exact": text[start:end]}
    prefix, suffix = text[max(0, start - CONTEXT) : start], text[end : end + CONTEXT]
    if prefix:
        quote_selector["prefix"] = prefix
    if suffix:
        quote_selector["suffix"] = suffix
    return {"source": source, "selector": [{"type": "TextPositionSelector", "start": start, "end": end}, quote_selector]}


def _body(purpose: str, value: str) -> dict:
    return {"type": "TextualBody", "purpose": purpose, "value": value}


def collection(item: ExportItem, scheme: Scheme) -> dict:
    """The ``AnnotationCollection`` of one article (see the module doc), as JSON data."""
    record, part = item.record, item.part
    text, source = record.text, f"{record.id}.txt"
    items: list[dict] = []
    for span in part.spans:
        body = [_body("tagging", span.label)] + ([_body("commenting", span.note)] if span.note is not None else [])
        items.append({"id": _iri("span", span.id), "type": "Annotation", "motivation": "tagging", "body": body,
                      "target": text_target(source, text, span.start, span.end)})
    for rel in part.relations:
        items.append({"id": _iri("relation", rel.id), "type": "Annotation", "motivation": "linking",
                      "body": [_body("tagging", rel.label),
                               {"type": "SpecificResource", "purpose": "linking", "source": _iri("span", rel.tail)}],
                      "target": _iri("span", rel.head)})
    sentences = {s.id: s for s in record.sentences}
    grouped: dict[tuple[str, str], list[str]] = {}
    for label in part.sentence_labels:
        grouped.setdefault((label.sentence, label.layer), []).append(label.label)
    for (sid, layer), labels in grouped.items():
        sentence = sentences[sid]
        items.append({"id": _iri("sentence", layer, sid), "type": "Annotation", "motivation": "classifying",
                      "body": [_body("classifying", name) for name in labels],
                      "target": text_target(source, text, sentence.start, sentence.end)})
    for layer, labels in part.article_labels.items():
        if labels:
            items.append({"id": _iri("article", layer), "type": "Annotation", "motivation": "classifying",
                          "body": [_body("classifying", name) for name in labels], "target": source})
    if item.note is not None:
        items.append({"id": "#note", "type": "Annotation", "motivation": "commenting",
                      "body": [_body("commenting", item.note)], "target": source})
    who = "gold" if item.layer == "gold" else f"the annotation of {item.layer}"
    return {
        "@context": JSONLD_CONTEXT,
        "id": f"{record.id}.jsonld",
        "type": "AnnotationCollection",
        "label": f"{record.id}: {who} under the scheme {scheme.name} {scheme.version}",
        "total": len(items),
        "first": {"id": "#page-1", "type": "AnnotationPage", "startIndex": 0, "items": items},
    }


def write(items: Iterable[ExportItem], *, out: Path, scheme: Scheme) -> list[str]:
    """Write each item's ``<id>.jsonld`` (2-space indent, UTF-8, a trailing newline) and
    ``<id>.txt`` into ``out`` (an empty folder the driver swaps in whole, so each file is
    written plainly and all are made durable at the end); returns the names written, sorted."""
    files = []
    for item in items:
        rid = item.record.id
        data = json.dumps(collection(item, scheme), ensure_ascii=False, indent=2) + "\n"
        (out / f"{rid}.jsonld").write_bytes(data.encode("utf-8"))
        (out / f"{rid}.txt").write_bytes(item.record.text.encode("utf-8"))
        files += [f"{rid}.jsonld", f"{rid}.txt"]
    sync_files([out / name for name in files])
    return sorted(files)

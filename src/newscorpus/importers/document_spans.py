"""One source document's spans and relations as an annotation's, on the canonical text.

:func:`convert_document` checks and converts what a :class:`~newscorpus.importers.sources.SourceDocument`
states: offsets inside the source text, the stated text equal to the slice, offsets moved
exactly to the canonical text (docs/design.md, Offsets and Canonical text), labels through
the label map onto the scheme, ids and relation endpoints. Each error names the annotation
file, the line (or JSON path) and the item. Pure: nothing is written.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from newscorpus.core.scheme import Scheme
from newscorpus.core.text import canonical_form, canonical_offset_map, line_form, nfc_offset_map
from newscorpus.errors import ExportError
from newscorpus.importers.labelmap import LabelMap
from newscorpus.importers.report import ImportWarning
from newscorpus.importers.sources import SourceDocument, SourceRelation, SourceSpan

__all__ = ["DocumentAnnotation", "convert_document", "located", "place"]

_ID = re.compile(r"^[A-Za-z0-9_.:>\-]{1,200}$")


@dataclass
class DocumentAnnotation:
    """A document converted: its canonical ``text``, its ``spans`` and ``relations`` in a
    record's JSON form (offsets in code points of ``text``), the ``warnings`` met, and the
    source item of each span and relation id (``sources``), for errors."""

    text: str
    spans: list[dict] = field(default_factory=list)
    relations: list[dict] = field(default_factory=list)
    warnings: list[ImportWarning] = field(default_factory=list)
    sources: dict[str, object] = field(default_factory=dict)


def place(doc: SourceDocument, item: SourceSpan | SourceRelation | None) -> tuple[str, str | None]:
    """The file and place (``line N``, or the item's JSON path) of ``item`` of ``doc``."""
    if item is None:
        return doc.annotation_file, None
    where = item.where if item.where is not None else (f"line {item.line}" if item.line is not None else None)
    return doc.annotation_file, where


def _error(doc: SourceDocument, item, message: str, code: str, hint: str | None = None) -> ExportError:
    file, where = place(doc, item)
    return ExportError(f"{doc.name}: {message}", file=file, where=where, code=code, hint=hint)


def _register(doc: SourceDocument, item, kind: str, sources: dict[str, object]) -> None:
    """Add ``item`` (a span or relation) to ``sources`` by id: ``invalid-id``, ``duplicate-id``."""
    if not _ID.fullmatch(item.id):
        raise _error(doc, item, f"{kind} id {item.id!r} is not an id (letters, digits, '_', '.', ':', '>', '-')", "invalid-id")
    if item.id in sources:
        raise _error(doc, item, f"{kind} id {item.id!r} is used twice (span and relation ids share one namespace)", "duplicate-id")
    sources[item.id] = item


class _Positions:
    """Source positions of one text to canonical positions, exactly (or an error)."""

    def __init__(self, raw: str) -> None:
        self.raw = raw
        lines = line_form(raw)
        self.text = canonical_form(raw)
        self.lines = canonical_offset_map(raw)
        self.nfc = None if lines == self.text else nfc_offset_map(lines)
        self.nfc_failed = lines != self.text and self.nfc is None

    def __call__(self, pos: int) -> int:
        if self.lines is not None:
            pos = self.lines[pos]
        if pos >= 0 and self.nfc_failed:
            return -1
        if pos >= 0 and self.nfc is not None:
            pos = self.nfc[pos]
        return pos


def _label(span: SourceSpan, scheme: Scheme, label_map: LabelMap, span_labels: dict[str, set[str]]) -> tuple[str | None, str]:
    """The scheme layer and label of ``span`` after the label map, or (None, the name to
    report) when the scheme has no place for it."""
    if span.layer is not None:
        layer = label_map.controls.get(span.layer, span.layer)
        label = label_map.labels.get(layer, {}).get(span.label, span.label)
        return (layer, label) if label in span_labels.get(layer, ()) else (None, f"{layer}/{label}")
    for layer, pairs in label_map.labels.items():
        target = pairs.get(span.label)
        if target is not None and target in span_labels.get(layer, ()):
            return layer, target
    layer = scheme.span_layer_of(span.label)
    return (layer, span.label) if layer is not None else (None, span.label)


def convert_document(doc: SourceDocument, *, scheme: Scheme, label_map: LabelMap, unknown: Counter,
                     first_unknown: list[tuple[str, str | None, str]]) -> DocumentAnnotation:
    """Check and convert the spans and relations of ``doc``. Labels the scheme lacks after
    ``label_map`` are counted into ``unknown`` (``label`` or ``layer/label``; relations
    ``relation/label``), the first one's file, place and item appended to ``first_unknown``; the
    caller raises once every document is read. Raises :class:`ExportError`:
    ``invalid-id``, ``duplicate-id``, ``span-out-of-bounds``, ``span-text-mismatch``,
    ``offsets-not-convertible``, ``empty-span``, ``dangling-relation``."""
    positions = _Positions(doc.text)
    if not positions.text.strip():
        raise ExportError(f"{doc.name}: the text is empty", file=doc.file, code="empty-text")
    out = DocumentAnnotation(positions.text, warnings=list(doc.warnings))
    span_labels = {layer.name: set(layer.label_names) for layer in scheme.span_layers}
    length = len(doc.text)
    for span in doc.spans:
        _register(doc, span, "span", out.sources)
        if not 0 <= span.start < span.end <= length:
            raise _error(doc, span, f"span {span.id} [{span.start}, {span.end}) lies outside the text of {doc.file} "
                         f"({length} characters) or is empty", "span-out-of-bounds")
        source_text = doc.text[span.start:span.end]
        if span.text is not None and span.text != source_text:
            raise _error(doc, span, f"span {span.id} states the text {span.text!r}, but [{span.start}, {span.end}) of "
                         f"{doc.file} is {source_text!r}", "span-text-mismatch",
                         hint="offsets count Unicode code points of the text file as it is (a BOM counts as one)")
        layer, label = _label(span, scheme, label_map, span_labels)
        if layer is None:
            if not unknown:
                first_unknown.append((*place(doc, span), f"span {span.id}"))
            unknown[label] += 1
            continue
        start, end = positions(span.start), positions(span.end)
        if start < 0 or end < 0:
            raise _error(doc, span, f"span {span.id} [{span.start}, {span.end}) has no place in the canonical text: an "
                         "offset falls between a CR and its LF, or inside characters Unicode NFC composes",
                         "offsets-not-convertible")
        text = positions.text
        lead = len(text[start:end]) - len(text[start:end].lstrip())
        trail = len(text[start:end]) - len(text[start:end].rstrip())
        if lead == end - start:
            raise _error(doc, span, f"span {span.id} [{span.start}, {span.end}) holds only whitespace", "empty-span")
        if lead or trail:
            file, where = place(doc, span)
            out.warnings.append(ImportWarning("span-trimmed", f"{file}::{where or '$'}", f"{doc.name}: span {span.id} was trimmed of "
                                              f"whitespace at its edges: [{start}, {end}) -> [{start + lead}, {end - trail})"))
            start, end = start + lead, end - trail
        item = {"id": span.id, "layer": layer, "label": label, "start": start, "end": end, "text": text[start:end]}
        if span.note is not None:
            item["note"] = span.note
        out.spans.append(item)
    relation_labels = set(scheme.relation_labels)
    span_ids = {span.id for span in doc.spans}
    for relation in doc.relations:
        _register(doc, relation, "relation", out.sources)
        for end_name, ref in (("head", relation.head), ("tail", relation.tail)):
            if ref not in span_ids:
                raise _error(doc, relation, f"relation {relation.id}: its {end_name} {ref!r} is no span of the document",
                             "dangling-relation")
        label = label_map.relations.get(relation.label, relation.label)
        if label not in relation_labels:
            if not unknown:
                first_unknown.append((*place(doc, relation), f"relation {relation.id}"))
            unknown[f"relation/{label}"] += 1
            continue
        out.relations.append({"id": relation.id, "label": label, "head": relation.head, "tail": relation.tail})
    return out


def located(loc: tuple, record: dict, annotation: dict, converted: DocumentAnnotation,
            doc: SourceDocument) -> tuple[str, str | None, str]:
    """The file, place and item words (``span T3: ``) of a validator violation at ``loc``
    in ``record`` (as validated), when it lies in a span or relation of the imported
    ``annotation`` or of the gold; else the annotation file alone."""
    part = None
    if len(loc) >= 2 and loc[0] == "annotations" and isinstance(loc[1], int):
        candidate = record["annotations"][loc[1]]
        part, rest = (candidate, loc[2:]) if candidate["id"] == annotation["id"] else (None, ())
    elif loc and loc[0] == "gold" and record.get("gold") is not None:
        part, rest = record["gold"], loc[1:]
    if part is not None and len(rest) >= 2 and rest[0] in ("spans", "relations") and isinstance(rest[1], int):
        item_id = part[rest[0]][rest[1]]["id"]
        source = converted.sources.get(item_id)
        file, where = place(doc, source)  # type: ignore[arg-type]
        return file, where, f"{rest[0][:-1]} {item_id}: "
    return doc.annotation_file, None, ""

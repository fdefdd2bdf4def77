"""One annotation's Label Studio ``result`` list into standoff layers: a pure converter.

No reading, writing or printing here: :func:`convert_results` takes the ``result`` list and
the article, and returns the layers in JSON form (the shapes of the record's models) plus
the warnings met, or raises :class:`~newscorpus.errors.ExportError` naming the result. The
regions are converted by :mod:`newscorpus.importers.labelstudio.regions`; the choices,
relations and notes here, after every region is known.

What the import checks is what it needs to read the export (shapes, types, the controls
of the newscorpus label config, region ids, directions). Whether the layers fit the record
(labels in the scheme, cardinality, relation endpoints, overlaps) is the validator's
verdict on the record about to be written, with the validator's rule codes.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from newscorpus.core.models import Sentence
from newscorpus.core.scheme import Layer, Scheme
from newscorpus.errors import ExportError
from newscorpus.importers.labelstudio.contract import ANNOTATION_NOTE, ID, SPAN_NOTE, OffsetUnit, relation_id
from newscorpus.importers.labelstudio.regions import ResultErrors, convert_regions
from newscorpus.importers.report import ImportWarning

__all__ = ["Converted", "convert_results"]


@dataclass
class Converted:
    """One annotation's layers, converted, as plain dicts with the keys of their models in
    model order, every value of the model's type: ``spans`` (id, layer, label, start, end,
    text, and ``note`` when there is one; code points, end-exclusive), ``relations`` (id,
    label, head, tail), ``sentence_labels`` (sentence, layer, label), ``article_labels``
    (layer -> labels), the annotation's ``note`` and the ``warnings`` met."""

    spans: list[dict] = field(default_factory=list)
    relations: list[dict] = field(default_factory=list)
    sentence_labels: list[dict] = field(default_factory=list)
    article_labels: dict[str, list[str]] = field(default_factory=dict)
    note: str | None = None
    warnings: list[ImportWarning] = field(default_factory=list)


def convert_results(
    results: list,
    *,
    text: str,
    sentences: list[Sentence],
    scheme: Scheme,
    offset_unit: OffsetUnit = "codepoint",
    file: str | None = None,
    path: str = "$",
    name: str = "annotation",
) -> Converted:
    """Convert one annotation's Label Studio ``result`` list against the article ``text``
    and its ``sentences``.

    ``path`` is the JSON path of the annotation in the export and ``name`` a readable
    "task 3, annotation 7" for messages. Returns a :class:`Converted`; raises
    :class:`ExportError` (or :class:`~newscorpus.errors.OffsetUnitError`) on the first
    result that cannot be read: a region without ``labels``, a sentence region that is no
    sentence of the article, a ``value.text`` that disagrees beyond whitespace, a choice of
    a control that is not a sentence or article layer of ``scheme``, an undirected or
    unlabelled relation, a note on anything but a span or the annotation.
    """
    errors = ResultErrors(file, path, name)
    if not isinstance(results, list):
        raise ExportError(f"{name}: result must be a list", file=file, where=f"{path}.result", code="invalid-result")
    regions = convert_regions(results, text=text, sentences={(s.start, s.end): s.id for s in sentences},
                              offset_unit=offset_unit, errors=errors)
    out = Converted(spans=regions.spans, warnings=regions.warnings)
    layers = _layers(scheme)
    seen_sentence: set[tuple[str, str]] = set()
    region_sentence, sentence_labels = regions.region_sentence, out.sentence_labels
    for i, item in regions.later:
        kind = item.get("type")
        if kind == "choices":  # the common case inline: one choice of a sentence layer for a sentence region
            control, value, rid = item.get("from_name"), item.get("value"), item.get("id")
            layer = layers.get(control) if type(control) is str else None
            if layer is not None and layer.level == "sentence" and type(value) is dict and type(rid) is str:
                choices = value.get("choices")
                sid = region_sentence.get(rid)
                if type(choices) is list and len(choices) == 1 and type(choices[0]) is str and sid is not None:
                    key = (sid, control)
                    if key not in seen_sentence:
                        seen_sentence.add(key)
                        sentence_labels.append({"sentence": sid, "layer": control, "label": choices[0]})
                        continue
            _choices(item, i, errors, layers, region_sentence, regions.span_ids, seen_sentence, out)
        elif kind == "relation":
            out.relations.append(_relation(item, i, errors, scheme))
        else:  # textarea
            _note(item, i, errors, region_sentence, out)
    return out


_LAYERS: dict[int, tuple[Scheme, dict[str, Layer]]] = {}


def _layers(scheme: Scheme) -> dict[str, Layer]:
    """Each layer of ``scheme`` by name, built once per scheme (``Scheme.layer`` scans a
    list, and the import asks per result)."""
    hit = _LAYERS.get(id(scheme))
    if hit is None or hit[0] is not scheme:
        hit = (scheme, {layer.name: layer for layer in scheme.layers})
        _LAYERS[id(scheme)] = hit
    return hit[1]


def _choices(item: dict, i: int, errors: ResultErrors, layers: dict[str, Layer], region_sentence: dict[str, str],
             span_ids: set[str], seen_sentence: set[tuple[str, str]], out: Converted) -> None:
    """A ``<Choices>`` result: the labels of an article layer, or of a sentence layer for
    the sentence region with the result's id."""
    rid, control = item.get("id"), item.get("from_name")
    value = item.get("value") if isinstance(item.get("value"), dict) else {}
    choices = value.get("choices")
    layer = layers.get(control) if isinstance(control, str) else None
    if layer is None:
        raise errors.error(i, rid, f"control {control!r} is not a layer of the scheme", "unknown-layer")
    if not isinstance(choices, list) or not choices:
        raise errors.error(i, rid, "choices result has no choices", "missing-labels")
    for choice in choices:
        if not isinstance(choice, str):
            raise errors.error(i, rid, f"label {choice!r} is not a label of layer {control!r}", "unknown-label")
    if layer.level == "article":
        if control in out.article_labels:
            raise errors.error(i, rid, f"layer {control!r} is chosen twice", "duplicate-id")
        out.article_labels[control] = list(choices)
    elif layer.level == "sentence":
        sid = region_sentence.get(rid) if isinstance(rid, str) else None
        if sid is None:
            what = "a span region, not a sentence" if isinstance(rid, str) and rid in span_ids else "no sentence region of this annotation"
            raise errors.error(i, rid, f"per-region choice {control!r} belongs to {what}", "unknown-sentence")
        if (sid, control) in seen_sentence:
            raise errors.error(i, rid, f"sentence {sid} has two {control!r} choices", "duplicate-id")
        seen_sentence.add((sid, control))
        out.sentence_labels.extend({"sentence": sid, "layer": control, "label": c} for c in choices)
    else:
        raise errors.error(i, rid, f"layer {control!r} is a span layer, not a choice", "unknown-layer")


def _note(item: dict, i: int, errors: ResultErrors, region_sentence: dict[str, str], out: Converted) -> None:
    """A ``<TextArea>`` note: per region on a span (``span_note``) or on the annotation (``note``)."""
    rid, control = item.get("id"), item.get("from_name")
    value = item.get("value") if isinstance(item.get("value"), dict) else {}
    texts = value.get("text")
    if isinstance(texts, str):
        texts = [texts]
    if not isinstance(texts, list) or not all(isinstance(t, str) for t in texts):
        raise errors.error(i, rid, "a note's value.text must be a list of strings", "invalid-result")
    note = "\n".join(texts)
    if control == ANNOTATION_NOTE:
        out.note = note if out.note is None else f"{out.note}\n{note}"
        return
    if control != SPAN_NOTE:
        raise errors.error(i, rid, f"text area {control!r} is not in the newscorpus label config", "unknown-layer")
    for span in out.spans:
        if span["id"] == rid:
            span["note"] = note if span.get("note") is None else f"{span['note']}\n{note}"
            return
    what = f"sentence {region_sentence[rid]}" if isinstance(rid, str) and rid in region_sentence else "no span of this annotation"
    raise errors.error(i, rid, f"the note belongs to {what}; notes are kept on spans and on the whole annotation",
                       "unknown-sentence", hint="move the note to the annotation's note box or to a span")


def _relation(item: dict, i: int, errors: ResultErrors, scheme: Scheme) -> dict:
    """A relation result as ``{id, label, head, tail}`` (direction ``left`` swaps head and tail)."""
    head, tail = item.get("from_id"), item.get("to_id")
    rid = f"{head}->{tail}"
    labels = item.get("labels") or []
    if not isinstance(labels, list):
        raise errors.error(i, rid, f"relation labels must be a list of strings, found {type(labels).__name__}", "invalid-result")
    if not labels:
        raise errors.error(i, rid, "relation has no label; a directed relation must be labelled", "missing-labels")
    if len(labels) != 1:
        raise errors.error(i, rid, f"relation has {len(labels)} labels {labels}; give it exactly one", "multiple-labels")
    label = labels[0]
    if not isinstance(label, str):
        raise errors.error(i, rid, f"relation label {label!r} is not a string", "invalid-result")
    direction = item.get("direction", "right")
    if direction == "left":
        head, tail = tail, head
    elif direction != "right":
        spec = scheme.relation_label(label)
        shape = f" ({'/'.join(spec.head_labels)} -> {'/'.join(spec.tail_labels)})" if spec is not None else ""
        raise errors.error(
            i, rid, f"relation {label} has direction {direction!r}; {label} is directed{shape}", "undirected-relation",
            hint="set the relation's direction in Label Studio to point from its head to its tail",
        )
    for end_id in (head, tail):
        if not isinstance(end_id, str) or ID.fullmatch(end_id) is None:
            raise errors.error(i, rid, f"relation {label} points at {end_id!r}, which is not a region id", "dangling-relation")
    rel_id = relation_id(label, head, tail)
    if ID.fullmatch(rel_id) is None:
        raise errors.error(i, rid, f"relation id {rel_id!r} is not an id of a record (1 to 200 letters, digits or _ . : > -)",
                           "invalid-result")
    return {"id": rel_id, "label": label, "head": head, "tail": tail}

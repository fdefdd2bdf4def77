"""Label Studio result items into spans, relations and labels: a pure converter.

No reading, writing or printing here (STYLE rule 7): :func:`convert_results` takes one
annotation's ``result`` list and the article, and returns the standoff layers plus the
warnings met, or raises :class:`~newscorpus.errors.ExportError` naming the result.

Offsets: Label Studio's ``<Text>`` counts Unicode code points (since 1.4); older versions
counted UTF-16 code units, which ``offset_unit="utf16"`` converts exactly. The span text
is always recomputed from the offsets; ``value.text`` is a display copy that is only
checked (docs/design.md, Offsets), never trusted, and a span is never "repaired" by searching.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from pydantic import TypeAdapter, ValidationError

from newscorpus.errors import ExportError, OffsetUnitError
from newscorpus.core.models import Relation, Sentence, SentenceLabel, Span
from newscorpus.core.scheme import Layer, Scheme
from newscorpus.labelstudio.tasks import ANNOTATION_NOTE, SENTENCE_CONTROL, SPAN_NOTE

__all__ = ["Converted", "ImportWarning", "OffsetUnit", "PlainConverted", "convert_results", "convert_results_plain", "utf16_to_codepoints"]

OffsetUnit = Literal["codepoint", "utf16"]
_WS = re.compile(r"\s+")


@dataclass(frozen=True)
class ImportWarning:
    """Something import accepted but a person should know: ``code``, where, and what."""

    code: str
    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message} [{self.code}]"


@dataclass
class Converted:
    """One annotation's layers, converted: spans, relations, sentence and article labels."""

    spans: list[Span] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    sentence_labels: list[SentenceLabel] = field(default_factory=list)
    article_labels: dict[str, list[str]] = field(default_factory=dict)
    note: str | None = None
    warnings: list[ImportWarning] = field(default_factory=list)


def utf16_to_codepoints(text: str) -> list[int]:
    """Map UTF-16 code-unit offsets to code-point offsets for ``text``.

    Returns a list ``m`` of length ``utf16_len + 1`` where ``m[u]`` is the code-point offset
    of code unit ``u``, or -1 when ``u`` falls between the two halves of a surrogate pair.
    """
    mapping: list[int] = []
    for i, ch in enumerate(text):
        mapping.append(i)
        if ord(ch) > 0xFFFF:
            mapping.append(-1)
    mapping.append(len(text))
    return mapping


_INDEX: dict[int, tuple[Scheme, dict[str, tuple[Layer, frozenset[str]]]]] = {}


def _layers(scheme: Scheme) -> dict[str, tuple[Layer, frozenset[str]]]:
    """Each layer of ``scheme`` by name with its label names as a set (built once per scheme:
    ``Scheme.layer`` and ``Layer.label_names`` scan lists, and import asks per result)."""
    hit = _INDEX.get(id(scheme))
    if hit is None or hit[0] is not scheme:
        hit = (scheme, {layer.name: (layer, frozenset(layer.label_names)) for layer in scheme.layers})
        _INDEX[id(scheme)] = hit
    return hit[1]


def _squash(s: str) -> str:
    return _WS.sub("", s.replace("\\n", "\n").replace("\\t", "\t"))


class _Ctx:
    """Locates errors: the export file, a JSON path prefix and a readable name."""

    def __init__(self, file: str | None, path: str, name: str) -> None:
        self.file, self.path, self.name = file, path, name

    def error(self, index: int, rid: object, message: str, code: str, hint: str | None = None, cls=ExportError):
        where = f"{self.path}.result[{index}]"
        return cls(f"{self.name}, result {rid!r}: {message}", file=self.file, where=where, code=code, hint=hint)


def _offsets(value: dict, text: str, u16: list[int] | None, ctx: _Ctx, i: int, rid: object) -> tuple[int, int]:
    start, end = value.get("start"), value.get("end")
    if not (isinstance(start, int) and isinstance(end, int)) or isinstance(start, bool) or isinstance(end, bool):
        raise ctx.error(i, rid, f"offsets must be integers, found start={start!r} end={end!r}", "invalid-offsets")
    limit = len(text) if u16 is None else len(u16) - 1
    unit = "code points" if u16 is None else "UTF-16 code units"
    if not 0 <= start < end <= limit:
        raise ctx.error(
            i, rid, f"offsets [{start}, {end}) are outside the text ({limit} {unit}) or empty", "span-out-of-bounds"
        )
    if u16 is not None:
        start, end = u16[start], u16[end]
        if start < 0 or end < 0:
            raise ctx.error(i, rid, "a UTF-16 offset falls inside a surrogate pair", "invalid-offsets")
    return start, end


def _check_text(value: dict, text: str, start: int, end: int, unit: OffsetUnit, ctx: _Ctx, i: int, rid: object, out: PlainConverted) -> None:
    shown = value.get("text")
    piece = text[start:end]
    if shown is None or shown == piece:
        return
    if not isinstance(shown, str):
        raise ctx.error(i, rid, f"value.text must be a string, found {type(shown).__name__}", "invalid-result")
    if _squash(shown) == _squash(piece):
        out.warnings.append(
            ImportWarning(
                "display-text-whitespace",
                f"{ctx.path}.result[{i}]",
                f"{ctx.name}, result {rid!r}: value.text {shown!r} differs from the text at [{start}, {end}) "
                f"{piece!r} only in whitespace; the text's slice is kept",
            )
        )
        return
    if unit == "codepoint":
        u16 = utf16_to_codepoints(text)
        s16, e16 = value.get("start"), value.get("end")
        if 0 <= s16 < e16 < len(u16) and u16[s16] >= 0 and u16[e16] >= 0 and text[u16[s16] : u16[e16]] == shown:
            raise ctx.error(
                i,
                rid,
                f"value.text {shown!r} matches the offsets [{s16}, {e16}) only when they are read as UTF-16 code units "
                "(Label Studio before 1.4)",
                "utf16-offsets",
                hint="re-run the import with --offset-unit utf16",
                cls=OffsetUnitError,
            )
    raise ctx.error(
        i, rid, f"value.text {shown!r} is not the text at [{start}, {end}): {piece!r}", "span-text-mismatch",
        hint="the offsets and the text disagree; fix the annotation in Label Studio (offsets are never repaired by search)",
    )


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


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
    """Convert one annotation's Label Studio ``result`` list against the article ``text``.

    ``path`` is the JSON path of the annotation in the export and ``name`` a readable
    "task 3, annotation 7" for messages. Returns a :class:`Converted`; raises
    :class:`ExportError` (or :class:`OffsetUnitError`) on the first result that cannot be
    converted exactly: a region without ``labels``, a label or control not in the scheme,
    offsets outside the text, a ``value.text`` that disagrees beyond whitespace, a relation
    to a missing region, an undirected or unlabelled directed relation.
    """
    plain = convert_results_plain(results, text=text, sentences=sentences, scheme=scheme, offset_unit=offset_unit,
                                  file=file, path=path, name=name)
    return Converted(
        spans=_validated(_SPANS, Span, plain.spans),
        relations=_validated(_RELATIONS, Relation, plain.relations),
        sentence_labels=_validated(_SENTENCE_LABELS, SentenceLabel, plain.sentence_labels),
        article_labels=plain.article_labels,
        note=plain.note,
        warnings=plain.warnings,
    )


@dataclass
class PlainConverted:
    """:class:`Converted` as plain dicts, each with the keys of its model in model order
    (``Span``: id, layer, label, start, end, text and ``note`` when there is one;
    ``Relation``: id, label, head, tail; ``SentenceLabel``: sentence, layer, label), every
    value already valid for the model."""

    spans: list[dict] = field(default_factory=list)
    relations: list[dict] = field(default_factory=list)
    sentence_labels: list[dict] = field(default_factory=list)
    article_labels: dict[str, list[str]] = field(default_factory=dict)
    note: str | None = None
    warnings: list[ImportWarning] = field(default_factory=list)


def convert_results_plain(
    results: list,
    *,
    text: str,
    sentences: list[Sentence],
    scheme: Scheme,
    offset_unit: OffsetUnit = "codepoint",
    file: str | None = None,
    path: str = "$",
    name: str = "annotation",
) -> PlainConverted:
    """:func:`convert_results` without building the models: the layers as plain dicts
    (:class:`PlainConverted`), for a caller that validates the whole annotation at once.
    Same checks, same errors in the same order, same warnings."""
    ctx = _Ctx(file, path, name)
    out = PlainConverted()
    if not isinstance(results, list):
        raise ExportError(f"{name}: result must be a list", file=file, where=f"{path}.result", code="invalid-result")
    by_offsets = {(s.start, s.end): s.id for s in sentences}
    sentence_ids = {s.id for s in sentences}
    region_sentence, span_ids, later = _regions(results, text, by_offsets, sentence_ids, scheme, offset_unit, ctx, out)
    _convert_later(later, ctx, scheme, sentence_ids, region_sentence, span_ids, out)
    return out


def _regions(results: list, text: str, by_offsets: dict[tuple[int, int], str], sentence_ids: set[str], scheme: Scheme,
             offset_unit: OffsetUnit, ctx: _Ctx, out: PlainConverted) -> tuple[dict[str, str], set[str], list[tuple[int, dict]]]:
    """The loop over the results: converts the regions (``labels``) into ``out.spans`` (and
    warnings), in result order, raising at the first result that cannot be converted.
    Returns the region id -> sentence id map, the span ids and the other results.

    A region of the common case (one label, a non-empty id, integer code-point offsets inside
    the text, a display text equal to the slice or none; a sentence of the article, or a span
    of a span layer with a label of that layer, a new valid id and no whitespace at its
    edges) is converted inline; any other result goes through :func:`_region`, the exact
    checks, which raise, warn or trim as always. Both change the same state in the same way,
    so the outcome is that of :func:`_region` for every result.
    """
    state = _RegionState(text, by_offsets, sentence_ids, scheme, offset_unit, ctx, out)
    region_sentence, span_ids, later, span_dicts = state.region_sentence, state.span_ids, state.later, out.spans
    span_names = _span_names(scheme)
    n_text = len(text)
    fast = offset_unit == "codepoint"
    fullmatch = _ID.fullmatch
    for i, item in enumerate(results):
        if type(item) is not dict:
            _region(i, item, state)
            continue
        kind = item.get("type")
        if kind in _LATER:
            later.append((i, item))
            continue
        if fast and kind == "labels":
            value = item.get("value")
            rid = item.get("id")
            if type(value) is dict and type(rid) is str and rid:
                labels = value.get("labels")
                start = value.get("start")
                end = value.get("end")
                if type(labels) is list and len(labels) == 1 and type(start) is int and type(end) is int and 0 <= start < end <= n_text:
                    piece = text[start:end]
                    shown = value.get("text")
                    if shown is None or shown == piece:
                        control = item.get("from_name")
                        if control == SENTENCE_CONTROL:
                            sid = by_offsets.get((start, end))
                            if sid is not None:
                                region_sentence[rid] = sid
                                continue
                        elif type(control) is str:
                            names = span_names.get(control)
                            label = labels[0]
                            if (names is not None and type(label) is str and label in names and rid not in span_ids
                                    and not text[start].isspace() and not text[end - 1].isspace() and fullmatch(rid) is not None):
                                span_ids.add(rid)
                                span_dicts.append({"id": rid, "layer": control, "label": label, "start": start, "end": end, "text": piece})
                                continue
        _region(i, item, state)
    if state.trimmed:
        out.warnings.append(
            ImportWarning("span-trimmed", f"{ctx.path}.result", f"{ctx.name}: whitespace trimmed from span edges: {'; '.join(state.trimmed)}")
        )
    return region_sentence, span_ids, later


_LATER = ("choices", "relation", "textarea")
_SPAN_NAMES: dict[int, tuple[Scheme, dict[str, frozenset[str]]]] = {}


def _span_names(scheme: Scheme) -> dict[str, frozenset[str]]:
    """The label names of each span layer of ``scheme`` (built once per scheme)."""
    hit = _SPAN_NAMES.get(id(scheme))
    if hit is None or hit[0] is not scheme:
        hit = (scheme, {name: names for name, (layer, names) in _layers(scheme).items() if layer.level == "span"})
        _SPAN_NAMES[id(scheme)] = hit
    return hit[1]


class _RegionState:
    """What the loop over one annotation's results builds up (see :func:`_regions`)."""

    def __init__(self, text: str, by_offsets: dict[tuple[int, int], str], sentence_ids: set[str], scheme: Scheme,
                 offset_unit: OffsetUnit, ctx: _Ctx, out: PlainConverted) -> None:
        self.text, self.by_offsets, self.sentence_ids, self.offset_unit, self.ctx, self.out = text, by_offsets, sentence_ids, offset_unit, ctx, out
        self.u16 = utf16_to_codepoints(text) if offset_unit == "utf16" else None
        self.layers = _layers(scheme)
        self.region_sentence: dict[str, str] = {}
        self.span_ids: set[str] = set()
        self.trimmed: list[str] = []
        self.later: list[tuple[int, dict]] = []


def _region(i: int, item: object, state: _RegionState) -> None:
    """One result, with every check in order (the reference the inline case of
    :func:`_regions` follows): a region is converted or refused; any other result is kept
    for later."""
    text, by_offsets, sentence_ids, offset_unit, ctx, out = state.text, state.by_offsets, state.sentence_ids, state.offset_unit, state.ctx, state.out
    u16, layers, region_sentence, span_ids, trimmed = state.u16, state.layers, state.region_sentence, state.span_ids, state.trimmed
    n_text = len(text)
    if not isinstance(item, dict):
        raise ctx.error(i, None, "a result item must be an object", "invalid-result")
    rid = item.get("id")
    kind = item.get("type")
    if kind in _LATER:
        state.later.append((i, item))
        return
    if kind != "labels":
        raise ctx.error(i, rid, f"result type {kind!r} is not produced by the newscorpus label config", "unknown-result-type")
    control = item.get("from_name")
    value = item.get("value")
    if not isinstance(value, dict):
        raise ctx.error(i, rid, "result has no value object", "invalid-result")
    labels = value.get("labels")
    if not isinstance(labels, list) or not labels:
        raise ctx.error(i, rid, "region has no labels (value.labels is missing or empty)", "missing-labels")
    if len(labels) != 1:
        raise ctx.error(i, rid, f"region has {len(labels)} labels {labels}; give each region exactly one", "multiple-labels")
    if not isinstance(rid, str) or not rid:
        raise ctx.error(i, rid, "region has no id", "invalid-result")
    start, end = value.get("start"), value.get("end")
    # fast path (no call) for the common case: code-point offsets inside the text, a
    # display text equal to the slice; anything else takes the exact checks below
    if u16 is None and type(start) is int and type(end) is int and 0 <= start < end <= n_text:
        shown = value.get("text")
        if shown is not None and shown != text[start:end]:
            _check_text(value, text, start, end, offset_unit, ctx, i, rid, out)
    else:
        start, end = _offsets(value, text, u16, ctx, i, rid)
        _check_text(value, text, start, end, offset_unit, ctx, i, rid, out)
    label = labels[0]
    if control == SENTENCE_CONTROL:
        sid = rid if rid in sentence_ids and by_offsets.get((start, end)) == rid else by_offsets.get((start, end))
        if sid is None:
            raise ctx.error(i, rid, f"sentence region [{start}, {end}) matches no sentence of the article", "unknown-sentence")
        region_sentence[rid] = sid
        return
    entry = layers.get(control) if isinstance(control, str) else None
    if entry is None:
        raise ctx.error(i, rid, f"control {control!r} is not a layer of the scheme", "unknown-layer")
    layer, names = entry
    if layer.level != "span":
        raise ctx.error(i, rid, f"layer {control!r} is not a span layer", "unknown-layer")
    if not isinstance(label, str) or label not in names:
        raise ctx.error(
            i, rid, f"label {label!r} is not in layer {control!r} (labels: {', '.join(layer.label_names)})", "unknown-label"
        )
    if rid in span_ids:
        raise ctx.error(i, rid, "two regions share this id", "duplicate-id")
    if text[start].isspace() or text[end - 1].isspace():
        t_start, t_end = _trim(text, start, end)
    else:
        t_start, t_end = start, end
    if t_start == t_end:
        raise ctx.error(i, rid, f"region [{start}, {end}) holds only whitespace", "empty-span")
    if (t_start, t_end) != (start, end):
        trimmed.append(f"{rid} [{start}, {end}) -> [{t_start}, {t_end})")
    span_ids.add(rid)
    if not _valid_id(rid):  # raise the model's own error here, in result order, as one by one would
        Span(id=rid, layer=control, label=label, start=t_start, end=t_end, text=text[t_start:t_end])
    out.spans.append({"id": rid, "layer": control, "label": label, "start": t_start, "end": t_end, "text": text[t_start:t_end]})


def _validated(adapter: TypeAdapter, model: type, items: list[dict]) -> list:
    """``[model(**item) for item in items]`` in one pydantic call (a list adapter); when any
    item is invalid, the items are built one by one so that the same error is raised."""
    try:
        return adapter.validate_python(items)
    except ValidationError:
        return [model(**item) for item in items]


_ID = re.compile(r"[A-Za-z0-9_.:>\-]{1,200}")  # models.Id: the only field here a value from an export can break


def _valid_id(value: str) -> bool:
    return _ID.fullmatch(value) is not None


_SPANS = TypeAdapter(list[Span])
_RELATIONS = TypeAdapter(list[Relation])
_SENTENCE_LABELS = TypeAdapter(list[SentenceLabel])


def _convert_later(later, ctx, scheme, sentence_ids, region_sentence, span_ids, out: PlainConverted) -> None:
    """The choices, relations and notes, in result order, after every region is known."""
    seen_sentence: set[tuple[str, str]] = set()
    span_label = {s["id"]: s["label"] for s in out.spans}
    relations = out.relations
    relation_ids: set[str] = set()
    sentence_labels = out.sentence_labels
    for i, item in later:
        rid = item.get("id")
        kind = item.get("type")
        if kind == "relation":
            _relation(item, i, ctx, scheme, span_ids, span_label, relation_ids, relations)
            continue
        if kind == "textarea":
            _note(item, i, ctx, region_sentence, out)
            continue
        control = item.get("from_name")
        value = item.get("value") if isinstance(item.get("value"), dict) else {}
        choices = value.get("choices")
        entry = _layers(scheme).get(control) if isinstance(control, str) else None
        if entry is None:
            raise ctx.error(i, rid, f"control {control!r} is not a layer of the scheme", "unknown-layer")
        layer, names = entry
        if not isinstance(choices, list) or not choices:
            raise ctx.error(i, rid, "choices result has no choices", "missing-labels")
        for choice in choices:
            if not isinstance(choice, str) or choice not in names:
                raise ctx.error(i, rid, f"label {choice!r} is not in layer {control!r}", "unknown-label")
        if layer.cardinality == "single" and len(choices) != 1:
            raise ctx.error(i, rid, f"layer {control!r} takes one label, found {choices}", "cardinality")
        if layer.level == "article":
            if control in out.article_labels:
                raise ctx.error(i, rid, f"layer {control!r} is chosen twice", "duplicate-id")
            out.article_labels[control] = list(choices)
        elif layer.level == "sentence":
            sid = region_sentence.get(rid)
            if sid is None:
                what = "a span region, not a sentence" if rid in span_ids else "no sentence region of this annotation"
                raise ctx.error(i, rid, f"per-region choice {control!r} belongs to {what}", "unknown-sentence")
            if (sid, control) in seen_sentence:
                raise ctx.error(i, rid, f"sentence {sid} has two {control!r} choices", "duplicate-id")
            seen_sentence.add((sid, control))
            sentence_labels.extend({"sentence": sid, "layer": control, "label": c} for c in choices)
        else:
            raise ctx.error(i, rid, f"layer {control!r} is a span layer, not a choice", "unknown-layer")


def _note(item: dict, i: int, ctx: _Ctx, region_sentence: dict[str, str], out: PlainConverted) -> None:
    """A ``<TextArea>`` note: per region on a span (``span_note``) or on the annotation (``note``)."""
    rid, control = item.get("id"), item.get("from_name")
    value = item.get("value") if isinstance(item.get("value"), dict) else {}
    texts = value.get("text")
    if isinstance(texts, str):
        texts = [texts]
    if not isinstance(texts, list) or not all(isinstance(t, str) for t in texts):
        raise ctx.error(i, rid, "a note's value.text must be a list of strings", "invalid-result")
    note = "\n".join(texts)
    if control == ANNOTATION_NOTE:
        out.note = note if out.note is None else f"{out.note}\n{note}"
        return
    if control != SPAN_NOTE:
        raise ctx.error(i, rid, f"text area {control!r} is not in the newscorpus label config", "unknown-layer")
    for span in out.spans:
        if span["id"] == rid:
            span["note"] = note if span.get("note") is None else f"{span['note']}\n{note}"
            return
    what = f"sentence {region_sentence[rid]}" if rid in region_sentence else "no span of this annotation"
    raise ctx.error(i, rid, f"the note belongs to {what}; notes are kept on spans and on the whole annotation",
                    "unknown-sentence", hint="move the note to the annotation's note box or to a span")


def _relation(item: dict, i: int, ctx: _Ctx, scheme: Scheme, span_ids: set[str], span_label: dict[str, str],
              relation_ids: set[str], relations: list[dict]) -> None:
    head, tail = item.get("from_id"), item.get("to_id")
    rid = f"{head}->{tail}"
    labels = item.get("labels") or []
    if not isinstance(labels, list):
        raise ctx.error(i, rid, f"relation labels must be a list of strings, found {type(labels).__name__}", "invalid-result")
    if not labels:
        raise ctx.error(i, rid, "relation has no label; a SPEAKER relation must be labelled", "missing-labels")
    if len(labels) != 1:
        raise ctx.error(i, rid, f"relation has {len(labels)} labels {labels}; give it exactly one", "multiple-labels")
    label = labels[0]
    if not isinstance(label, str):
        raise ctx.error(i, rid, f"relation label {label!r} is not a string", "invalid-result")
    spec = scheme.relation_label(label)
    if spec is None:
        raise ctx.error(i, rid, f"relation label {label!r} is not in the scheme", "unknown-label")
    direction = item.get("direction", "right")
    if direction == "left":
        head, tail = tail, head
    elif direction != "right":
        raise ctx.error(
            i, rid, f"relation {label} has direction {direction!r}; {label} is directed (QUOTE -> its source)", "undirected-relation",
            hint="set the relation's direction in Label Studio to point from the quote to its speaker",
        )
    for end_id in (head, tail):
        if end_id not in span_ids:
            raise ctx.error(i, rid, f"relation {label} points at region {end_id!r}, which is not a span of this annotation", "dangling-relation")
    if span_label[head] not in spec.head_labels or span_label[tail] not in spec.tail_labels:
        raise ctx.error(
            i, rid,
            f"relation {label} goes from a {span_label[head]} to a {span_label[tail]} span; it must go from "
            f"{'/'.join(spec.head_labels)} to {'/'.join(spec.tail_labels)}",
            "relation-label-mismatch",
        )
    rel_id = f"{label}:{head}>{tail}"
    if rel_id in relation_ids:
        raise ctx.error(i, rid, f"relation {rel_id} appears twice", "duplicate-id")
    relation_ids.add(rel_id)
    if not _valid_id(rel_id):  # the model's own error, at this result (see convert_results)
        Relation(id=rel_id, label=label, head=head, tail=tail)
    relations.append({"id": rel_id, "label": label, "head": head, "tail": tail})

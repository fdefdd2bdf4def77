"""Label Studio regions (``labels`` results) into spans and sentence ids: the import's hot loop.

Offsets: Label Studio's ``<Text>`` counts Unicode code points (since 1.4); older versions
counted UTF-16 code units, which ``offset_unit="utf16"`` converts exactly
(:func:`newscorpus.core.text.utf16_to_codepoints`). The span text is always the slice of
the article text; ``value.text`` is a display copy that is only checked, never trusted,
and a span is never "repaired" by searching (docs/design.md, Offsets):

- ``value.text`` differs from the slice only in whitespace: the slice wins, with a warning;
- it matches the offsets read as UTF-16 code units: :class:`~newscorpus.errors.OffsetUnitError`
  naming the option that converts them;
- any other difference: ``span-text-mismatch``;
- whitespace at a span's edges is trimmed (offsets moved inward), with one warning per
  annotation listing the spans.

What a region must be for the import to read it is checked here (an object of type
``labels`` with one label, an id, integer offsets from 0, a known sentence for a sentence
region, an id fit for a record). Whether a span fits the record (offsets within the text
and not empty, a layer and label of the scheme, no overlap) is the validator's verdict, on
the record about to be written (:mod:`newscorpus.importers.run`): out-of-bounds or empty
offsets are passed through as they are, for the validator to name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from newscorpus.core.text import utf16_to_codepoints
from newscorpus.errors import ExportError, OffsetUnitError
from newscorpus.importers.labelstudio.contract import ID, LATER, REGION, SENTENCE_CONTROL, OffsetUnit
from newscorpus.importers.report import ImportWarning

__all__ = ["ResultErrors", "Regions", "convert_regions"]

_WS = re.compile(r"\s+")


class ResultErrors:
    """Builds the errors of one annotation's results: ``file`` (the export), ``path`` (the
    annotation's JSON path in it, e.g. ``$[3].annotations[1]``) and ``name`` (a readable
    "task 3 (article a), annotation 7")."""

    def __init__(self, file: str | None, path: str, name: str) -> None:
        self.file, self.path, self.name = file, path, name

    def error(self, index: int, rid: object, message: str, code: str, hint: str | None = None,
              cls: type[ExportError] = ExportError) -> ExportError:
        """An error at result ``index`` (id ``rid``): ``where`` is ``<path>.result[<index>]``."""
        where = f"{self.path}.result[{index}]"
        return cls(f"{self.name}, result {rid!r}: {message}", file=self.file, where=where, code=code, hint=hint)


@dataclass
class Regions:
    """The regions of one annotation's results, converted: ``spans`` (dicts with the keys of
    ``Span`` in model order: id, layer, label, start, end, text; code points,
    end-exclusive), ``region_sentence`` (sentence region id -> sentence id), ``span_ids``,
    the other results in result order as ``(index, item)`` pairs (``later``: choices,
    relations, notes) and the warnings."""

    spans: list[dict] = field(default_factory=list)
    region_sentence: dict[str, str] = field(default_factory=dict)
    span_ids: set[str] = field(default_factory=set)
    later: list[tuple[int, dict]] = field(default_factory=list)
    warnings: list[ImportWarning] = field(default_factory=list)


def convert_regions(results: list, *, text: str, sentences: dict[tuple[int, int], str], offset_unit: OffsetUnit,
                    errors: ResultErrors) -> Regions:
    """Convert the regions of ``results`` (one annotation's ``result`` list) in result order.

    ``sentences`` maps each sentence's ``(start, end)`` (code points) to its id. Raises
    :class:`~newscorpus.errors.ExportError` (or :class:`~newscorpus.errors.OffsetUnitError`)
    at the first result that cannot be read, through ``errors``.

    A region of the common case (one label, an id fit for a record, integer code-point
    offsets inside the text, a display text equal to the slice or none; a sentence of the
    article, or a span with a string layer and label, a new id and no whitespace at its
    edges) is converted inline; any other result goes through the exact checks
    (:func:`_region`), which raise, warn, trim or pass offsets through. Both change the
    same state in the same way (tests hold this function to a reference converter).
    """
    state = _State(text, sentences, offset_unit, errors)
    out = state.out
    region_sentence, span_ids, later, spans = out.region_sentence, out.span_ids, out.later, out.spans
    n_text = len(text)
    fast = offset_unit == "codepoint"
    fullmatch = ID.fullmatch
    get = dict.get
    for i, item in enumerate(results):
        if type(item) is not dict:
            _region(i, item, state)
            continue
        kind = get(item, "type")
        if kind != REGION and kind in LATER:
            later.append((i, item))
            continue
        if fast and kind == REGION:
            value = get(item, "value")
            rid = get(item, "id")
            if type(value) is dict and type(rid) is str and rid:
                labels = get(value, "labels")
                start = get(value, "start")
                end = get(value, "end")
                if type(labels) is list and len(labels) == 1 and type(start) is int and type(end) is int and 0 <= start < end <= n_text:
                    piece = text[start:end]
                    shown = get(value, "text")
                    if shown is None or shown == piece:
                        control = get(item, "from_name")
                        if control == SENTENCE_CONTROL:
                            sid = sentences.get((start, end))
                            if sid is not None:
                                region_sentence[rid] = sid
                                continue
                        elif type(control) is str:
                            label = labels[0]
                            if (type(label) is str and rid not in span_ids and not text[start].isspace()
                                    and not text[end - 1].isspace()
                                    and ((rid.isalnum() and rid.isascii() and len(rid) <= 200) or fullmatch(rid) is not None)):
                                span_ids.add(rid)
                                spans.append({"id": rid, "layer": control, "label": label, "start": start, "end": end, "text": piece})
                                continue
        _region(i, item, state)
    if state.trimmed:
        out.warnings.append(ImportWarning(
            "span-trimmed", f"{errors.path}.result", f"{errors.name}: whitespace trimmed from span edges: {'; '.join(state.trimmed)}"))
    return out


class _State:
    """What the loop over one annotation's results builds up (see :func:`convert_regions`)."""

    def __init__(self, text: str, sentences: dict[tuple[int, int], str], offset_unit: OffsetUnit, errors: ResultErrors) -> None:
        self.text, self.sentences, self.offset_unit, self.errors = text, sentences, offset_unit, errors
        self.u16 = utf16_to_codepoints(text) if offset_unit == "utf16" else None
        self.trimmed: list[str] = []
        self.out = Regions()


def _region(i: int, item: object, state: _State) -> None:
    """One result, with every check in order: a region is converted or refused; any other
    result is kept for later."""
    text, errors, out = state.text, state.errors, state.out
    if not isinstance(item, dict):
        raise errors.error(i, None, "a result item must be an object", "invalid-result")
    rid = item.get("id")
    kind = item.get("type")
    if kind in LATER:
        out.later.append((i, item))
        return
    if kind != REGION:
        raise errors.error(i, rid, f"result type {kind!r} is not produced by the newscorpus label config", "unknown-result-type")
    control = item.get("from_name")
    value = item.get("value")
    if not isinstance(value, dict):
        raise errors.error(i, rid, "result has no value object", "invalid-result")
    labels = value.get("labels")
    if not isinstance(labels, list) or not labels:
        raise errors.error(i, rid, "region has no labels (value.labels is missing or empty)", "missing-labels")
    if len(labels) != 1:
        raise errors.error(i, rid, f"region has {len(labels)} labels {labels}; give each region exactly one", "multiple-labels")
    if not isinstance(rid, str) or not rid:
        raise errors.error(i, rid, "region has no id", "invalid-result")
    start, end = _offsets(value, state, i, rid)
    usable = start < end <= len(text)  # else the validator names the problem (span-out-of-bounds, span-empty)
    if usable:
        _check_text(value, start, end, state, i, rid)
    label = labels[0]
    if control == SENTENCE_CONTROL:  # a region that must be one of the article's sentences
        if not usable:
            raise errors.error(i, rid, f"offsets [{start}, {end}) are outside the text ({len(text)} code points) or empty",
                               "span-out-of-bounds")
        sid = state.sentences.get((start, end))
        if sid is None:
            raise errors.error(i, rid, f"sentence region [{start}, {end}) matches no sentence of the article", "unknown-sentence")
        out.region_sentence[rid] = sid
        return
    if not isinstance(control, str):
        raise errors.error(i, rid, f"control {control!r} is not a layer of the scheme", "unknown-layer")
    if not isinstance(label, str):
        raise errors.error(i, rid, f"label {label!r} is not a label of layer {control!r}", "unknown-label")
    if rid in out.span_ids:
        raise errors.error(i, rid, "two regions share this id", "duplicate-id")
    if ID.fullmatch(rid) is None:
        raise errors.error(i, rid, "a region id is 1 to 200 letters, digits or _ . : > -, as a record's ids", "invalid-result")
    t_start, t_end = start, end
    if usable and (text[start].isspace() or text[end - 1].isspace()):
        while t_start < t_end and text[t_start].isspace():
            t_start += 1
        while t_end > t_start and text[t_end - 1].isspace():
            t_end -= 1
        state.trimmed.append(f"{rid} [{start}, {end}) -> [{t_start}, {t_end})")  # only whitespace: empty, for the validator
    out.span_ids.add(rid)
    out.spans.append({"id": rid, "layer": control, "label": label, "start": t_start, "end": t_end, "text": text[t_start:t_end]})


def _offsets(value: dict, state: _State, i: int, rid: object) -> tuple[int, int]:
    """A region's offsets in code points: integers from 0 (``invalid-offsets``,
    ``span-out-of-bounds``); UTF-16 offsets converted exactly (``invalid-offsets`` inside a
    surrogate pair; past the text's end they stay past it by as many code points)."""
    start, end = value.get("start"), value.get("end")
    if not (isinstance(start, int) and isinstance(end, int)) or isinstance(start, bool) or isinstance(end, bool):
        raise state.errors.error(i, rid, f"offsets must be integers, found start={start!r} end={end!r}", "invalid-offsets")
    if start < 0 or end < 0:
        raise state.errors.error(i, rid, f"offsets [{start}, {end}) are outside the text: offsets count from 0", "span-out-of-bounds")
    u16 = state.u16
    if u16 is not None:
        past = len(u16) - 1 - len(state.text)  # UTF-16 code units beyond code points
        start, end = (u16[o] if o < len(u16) else o - past for o in (start, end))
        if start < 0 or end < 0:
            raise state.errors.error(i, rid, "a UTF-16 offset falls inside a surrogate pair", "invalid-offsets")
    return start, end


def _squash(s: str) -> str:
    return _WS.sub("", s.replace("\\n", "\n").replace("\\t", "\t"))


def _check_text(value: dict, start: int, end: int, state: _State, i: int, rid: object) -> None:
    """Check ``value.text`` against the slice ``[start, end)`` (code points, inside the text)."""
    text, errors = state.text, state.errors
    shown = value.get("text")
    piece = text[start:end]
    if shown is None or shown == piece:
        return
    if not isinstance(shown, str):
        raise errors.error(i, rid, f"value.text must be a string, found {type(shown).__name__}", "invalid-result")
    if _squash(shown) == _squash(piece):
        state.out.warnings.append(ImportWarning(
            "display-text-whitespace", f"{errors.path}.result[{i}]",
            f"{errors.name}, result {rid!r}: value.text {shown!r} differs from the text at [{start}, {end}) "
            f"{piece!r} only in whitespace; the text's slice is kept",
        ))
        return
    if state.offset_unit == "codepoint":
        u16 = utf16_to_codepoints(text)
        s16, e16 = value.get("start"), value.get("end")
        if 0 <= s16 < e16 < len(u16) and u16[s16] >= 0 and u16[e16] >= 0 and text[u16[s16] : u16[e16]] == shown:
            raise errors.error(
                i, rid,
                f"value.text {shown!r} matches the offsets [{s16}, {e16}) only when they are read as UTF-16 code units "
                "(Label Studio before 1.4)",
                "utf16-offsets", hint="re-run the import with --offset-unit utf16", cls=OffsetUnitError,
            )
    raise errors.error(
        i, rid, f"value.text {shown!r} is not the text at [{start}, {end}): {piece!r}", "span-text-mismatch",
        hint="the offsets and the text disagree; fix the annotation in Label Studio (offsets are never repaired by search)",
    )

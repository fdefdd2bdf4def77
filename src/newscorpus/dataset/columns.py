"""What the dataset configs share: the columns several configs have, and how their values go
into a :class:`~newscorpus.dataset.arrow.Columns` batch.

- features: :func:`span_feature` (the span struct), :func:`relation_feature`,
  :func:`layer_feature` and the label columns of a scheme's article and sentence layers;
- :data:`SHARED_DOCS` and :func:`layer_doc`: the card's description of those columns;
- :class:`LabelIndex` (:func:`label_index`): label name -> ``ClassLabel`` index tables;
- ``add_*``: a config's spans, relations and layer labels added to a batch, from a record
  given as plain dicts (:func:`newscorpus.dataset.article.plain_record`);
- :class:`Utf8Text`: the slices of an article text that go into string columns, cut at once.

Offsets are code points, 0-based, end-exclusive (docs/design.md, Offsets). Label values are
``ClassLabel`` indices in scheme order; ``-1`` means no label.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Sequence
from operator import itemgetter
from typing import TypeVar

import numpy

from newscorpus.core.scheme import Layer, Scheme
from newscorpus.dataset.arrow import ListColumn, Pieces
from newscorpus.dataset.features import ClassLabel, Feature, List, Value

__all__ = [
    "STRING", "OFFSET", "span_feature", "relation_feature", "layer_feature", "article_label_features",
    "sentence_label_features", "layers_text", "SHARED_DOCS", "layer_doc", "per_scheme", "LabelIndex", "label_index", "SPAN_PIECES", "add_spans",
    "add_relations", "add_value", "add_article_labels", "group_sentence_labels", "add_sentence_values", "Utf8Text",
]

#: A string column.
STRING = Value("string")
#: An offset column: ``int32`` code points into the article text.
OFFSET = Value("int32")


def span_feature(scheme: Scheme, *, note: bool = False) -> dict[str, Feature]:
    """The span struct: ``{id, layer, label, start, end, text}``; ``label`` is a ``ClassLabel``
    over every span label of every span layer, layer by layer in scheme order
    (:attr:`Scheme.span_labels`); ``text`` is null when the article text is withheld.
    ``note=True`` adds ``note``, the annotator's remark on the span (a string or null)."""
    return {
        "id": STRING,
        "layer": STRING,
        "label": ClassLabel(names=scheme.span_labels),
        "start": OFFSET,
        "end": OFFSET,
        "text": STRING,
        **({"note": STRING} if note else {}),
    }


def relation_feature(scheme: Scheme) -> dict[str, Feature]:
    """The relation struct: ``{id, label, head, tail}``; ``label`` is a ``ClassLabel`` over
    the scheme's relation labels, head and tail are span ids."""
    return {
        "id": STRING,
        "label": ClassLabel(names=scheme.relation_labels),
        "head": STRING,
        "tail": STRING,
    }


def layer_feature(layer: Layer) -> Feature:
    """``ClassLabel`` for a single-label layer, ``List(ClassLabel)`` for a multi-label one."""
    label = ClassLabel(names=layer.label_names)
    return label if layer.cardinality == "single" else List(label)


def article_label_features(scheme: Scheme) -> dict[str, Feature]:
    """One column per article layer, named after it (:func:`layer_feature`)."""
    return {layer.name: layer_feature(layer) for layer in scheme.article_layers}


def sentence_label_features(scheme: Scheme) -> dict[str, Feature]:
    """One field per sentence layer, named after it (:func:`layer_feature`)."""
    return {layer.name: layer_feature(layer) for layer in scheme.sentence_layers}


def layers_text(layers: Sequence[Layer]) -> str:
    """The card's words for label columns: ```genre` (multi-class) and `frames` (multi-label)``."""
    kinds = [f"`{layer.name}` ({'multi-class' if layer.cardinality == 'single' else 'multi-label'})" for layer in layers]
    return kinds[0] if len(kinds) == 1 else ", ".join(kinds[:-1]) + " and " + kinds[-1]


#: The card's description of the columns that mean the same in every config that has them.
SHARED_DOCS = {
    "article_id": "Id of the article (the `id` of the `articles` config).",
    "sentence_id": "Id of the sentence within its article (`s0`, `s1`, ...).",
}


def layer_doc(name: str) -> str:
    """The card's description of the label column of the layer ``name``."""
    return f"Label of the `{name}` layer (see Label definitions)."


T = TypeVar("T")


def per_scheme(make: Callable[[Scheme], T]) -> Callable[[Scheme], T]:
    """``make(scheme)`` made once per scheme object, kept by identity (hashing a scheme model
    cost more than building the rows of an article's sentence)."""
    made: dict[int, tuple[Scheme, T]] = {}

    @functools.wraps(make)
    def get(scheme: Scheme) -> T:
        hit = made.get(id(scheme))
        if hit is None or hit[0] is not scheme:
            hit = made[id(scheme)] = (scheme, make(scheme))
        return hit[1]

    return get


class LabelIndex:
    """Label name -> ``ClassLabel`` index tables of one scheme: ``span`` (all span labels),
    ``relation``, ``layers[layer][label]``; the names of the span layers whose spans never
    overlap (``flat_layers``), and ``(name, cardinality)`` of the article and sentence layers."""

    def __init__(self, scheme: Scheme) -> None:
        self.span = {n: i for i, n in enumerate(scheme.span_labels)}
        self.relation = {n: i for i, n in enumerate(scheme.relation_labels)}
        self.layers = {layer.name: {n: i for i, n in enumerate(layer.label_names)} for layer in scheme.layers}
        self.flat_layers = {layer.name for layer in scheme.span_layers if not layer.overlap}
        self.article_layers = [(layer.name, layer.cardinality) for layer in scheme.article_layers]
        self.sentence_layers = [(layer.name, layer.cardinality) for layer in scheme.sentence_layers]


#: The :class:`LabelIndex` of a scheme, made once per scheme object.
label_index = per_scheme(LabelIndex)

#: The span fields a spans column of :func:`add_spans` gets as numpy pieces (a config's
#: :attr:`~newscorpus.dataset.configs.DatasetConfig.pieces`).
SPAN_PIECES = ("spans.label", "spans.start", "spans.end", "spans.text")

_ID, _LAYER, _LABEL, _START, _END = (itemgetter(k) for k in ("id", "layer", "label", "start", "end"))


def add_spans(column: ListColumn, rows: list[list[dict]], index: LabelIndex, text: Utf8Text | None,
              shifts: Sequence[int] | None = None) -> None:
    """Add one row of spans per list of ``rows`` (span dicts) to a list-of-:func:`span_feature`
    column: the struct fields as lists (``id``, ``layer``, and ``note`` when the struct has
    it: the span's note or null) and numpy pieces (``label``, ``start``, ``end`` less the
    row's shift, ``text`` sliced from the article: a valid record's span text is its slice,
    or null without ``text``)."""
    lengths = list(map(len, rows))
    column.lengths += lengths
    spans = rows[0] if len(rows) == 1 else [s for row in rows for s in row]
    n = len(spans)
    if not n:
        return
    v = column.values
    v["id"] += map(_ID, spans)
    v["layer"] += map(_LAYER, spans)
    if "note" in v:
        v["note"] += (s.get("note") for s in spans)
    v["label"].pieces.append(numpy.fromiter(map(index.span.__getitem__, map(_LABEL, spans)), dtype=numpy.int64, count=n))
    starts = numpy.fromiter(map(_START, spans), dtype=numpy.int64, count=n)
    ends = numpy.fromiter(map(_END, spans), dtype=numpy.int64, count=n)
    if shifts is None:
        v["start"].pieces.append(starts)
        v["end"].pieces.append(ends)
    else:
        by_span = numpy.repeat(numpy.asarray(shifts, dtype=numpy.int64), lengths)
        v["start"].pieces.append(starts - by_span)
        v["end"].pieces.append(ends - by_span)
    if text is not None:
        text.slice_into(v["text"], starts, ends)
    else:
        v["text"].pieces.append((None, n))


def add_relations(column: ListColumn, rows: list[list[dict]], index: LabelIndex) -> None:
    """Add one row of relations per list of ``rows`` (relation dicts) to a
    list-of-:func:`relation_feature` column."""
    column.lengths += map(len, rows)
    relations = rows[0] if len(rows) == 1 else [r for row in rows for r in row]
    if not relations:
        return
    v = column.values
    v["id"] += map(_ID, relations)
    v["label"] += map(index.relation.__getitem__, map(_LABEL, relations))
    v["head"] += (r["head"] for r in relations)
    v["tail"] += (r["tail"] for r in relations)


def add_value(column, codes: list[int], multi: bool) -> None:
    """One value of a layer column (:func:`layer_feature`): the codes (multi-label) or the
    first code or -1."""
    if multi:
        column.lengths.append(len(codes))
        column.values += codes
    else:
        column.append(codes[0] if codes else -1)


def add_article_labels(columns: dict, index: LabelIndex, labels: dict[str, list[str]]) -> None:
    """One row of the article-layer columns (:func:`article_label_features`) from a record's
    ``article_labels`` (layer -> label names)."""
    for name, cardinality in index.article_layers:
        table = index.layers[name]
        add_value(columns[name], [table[lab] for lab in labels.get(name, ())], cardinality == "multi")


def group_sentence_labels(labels: Iterable[dict]) -> dict[str, dict[str, list[str]]]:
    """A record's ``sentence_labels`` as sentence id -> layer -> label names, in record order."""
    grouped: dict[str, dict[str, list[str]]] = {}
    for sl in labels:
        grouped.setdefault(sl["sentence"], {}).setdefault(sl["layer"], []).append(sl["label"])
    return grouped


def add_sentence_values(columns: dict, index: LabelIndex, sids: Sequence[str], grouped: dict[str, dict[str, list[str]]]) -> None:
    """The sentence-layer values (:func:`sentence_label_features`) of the sentences ``sids``,
    one a row of ``columns``, from :func:`group_sentence_labels`."""
    for name, cardinality in index.sentence_layers:
        column, table, multi = columns[name], index.layers[name], cardinality == "multi"
        if not grouped and not multi:
            column += [-1] * len(sids)
            continue
        for sid in sids:
            labels = grouped.get(sid)
            add_value(column, [table[lab] for lab in labels.get(name, ())] if labels else [], multi)


class Utf8Text:
    """The slices of one article text that go into string columns as UTF-8
    :class:`~newscorpus.dataset.arrow.Pieces`: asked for with :meth:`slice_into`, cut all at
    once by :meth:`resolve` (one encoding of the text, one gather)."""

    __slots__ = ("text", "requests")

    def __init__(self, text: str) -> None:
        self.text = text
        self.requests: list = []

    def slice_into(self, pieces: Pieces, starts: numpy.ndarray, ends: numpy.ndarray) -> None:
        """Ask for the strings ``text[a:b]`` for the offsets of ``starts`` and ``ends`` (numpy
        integer arrays, code points, end-exclusive) to be appended to ``pieces`` (a
        :class:`~newscorpus.dataset.arrow.Pieces` of strings) by :meth:`resolve`."""
        self.requests.append((pieces, starts, ends))

    def resolve(self) -> None:
        """Append every slice asked for, in the order asked: to each ``pieces`` a
        ``(data, lengths)`` piece, the slices' UTF-8 bytes one after the other and the byte
        length of each."""
        requests, self.requests = self.requests, []
        if not requests:
            return
        data = numpy.frombuffer(self.text.encode("utf-8"), dtype=numpy.uint8)
        starts = numpy.concatenate([r[1] for r in requests])
        ends = numpy.concatenate([r[2] for r in requests])
        if len(data) != len(self.text):  # not ASCII: code point offsets -> byte offsets
            # the offsets of the bytes that begin a code point (not 10xxxxxx), then the length
            at = numpy.append(numpy.flatnonzero((data & 0xC0) != 0x80), len(data))
            starts, ends = at[starts], at[ends]
        lengths = ends - starts
        bounds = numpy.zeros(len(lengths) + 1, dtype=numpy.int64)
        numpy.cumsum(lengths, out=bounds[1:])
        # byte i of the output comes from data[starts[k] + i - bounds[k]] for the slice k holding it
        gathered = data[numpy.arange(bounds[-1], dtype=numpy.int64) + numpy.repeat(starts - bounds[:-1], lengths)]
        at_slice = 0
        for pieces, first, _ in requests:
            k = at_slice + len(first)
            pieces.pieces.append((gathered[bounds[at_slice] : bounds[k]], lengths[at_slice:k]))
            at_slice = k

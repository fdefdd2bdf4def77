"""What a semantic check sees: one record, or one annotation (or the gold) of it.

Each check of :data:`newscorpus.validate.semantic.CHECKS` takes a :class:`RecordView` (record
scope) or a :class:`PartView` (part scope: run once per annotation and once for the gold).
The views hold what several checks read, computed once per record or part: the scheme's label
lookups (:class:`LabelIndex`), the sentences' and the spans' fields as columns, the pieces of
text the sentences cover, whether every span's text is the piece its offsets cover, and each
span's label by id. Offsets are code points, 0-based, end-exclusive: ``text[start:end]`` in
Python (docs/design.md, Offsets).
"""

from __future__ import annotations

import operator
from typing import Any

from newscorpus.core.scheme import Scheme
from newscorpus.validate.rules import Loc

__all__ = ["LabelIndex", "label_index", "RecordView", "PartView", "covered", "spans_fit", "short"]

_SPAN_ROW = operator.itemgetter("start", "end", "id", "layer", "label", "text")
_SENTENCE_ROW = operator.itemgetter("id", "start", "end")

#: What :class:`LabelIndex` keeps of one layer: its label set (for membership), its label
#: names in scheme order (for messages), its cardinality and whether its spans may overlap.
LayerEntry = tuple[frozenset[str], list[str], str, bool]


def short(text: str, width: int = 40) -> str:
    """``repr`` of ``text``, cut to ``width`` characters with an ellipsis (for messages)."""
    return repr(text if len(text) <= width else text[: width - 1] + "…")


def covered(text: str, starts: tuple[int, ...], ends: tuple[int, ...]) -> tuple[str, ...] | None:
    """``text[start:end]`` of each (start, end) pair, or None unless every pair is usable:
    integers (or integer-like: ``slice`` accepts them) with ``start < end <= len(text)``."""
    if not starts:
        return ()
    if max(ends) > len(text) or not all(map(operator.lt, starts, ends)):
        return None
    try:  # a float offset (3.0 is a JSON Schema integer) cannot slice: the exact loops handle it
        return tuple(map(text.__getitem__, map(slice, starts, ends)))
    except TypeError:
        return None


def spans_fit(text: str, starts: tuple[int, ...], ends: tuple[int, ...], texts: tuple[str, ...]) -> bool:
    """True when each ``texts[k]`` is ``text[starts[k]:ends[k]]`` and not empty: every offset
    is then usable (``0 <= start < end <= len(text)`` for offsets of the JSON Schema, which
    are not negative), and no piece of text need be cut out to compare it. A float start
    (``3.0`` is a JSON Schema integer) gives False: the exact loops handle it."""
    try:
        if not all(map(text.startswith, texts, starts)):
            return False
    except TypeError:
        return False
    lengths = list(map(len, texts))
    return all(lengths) and lengths == list(map(operator.sub, ends, starts))


class LabelIndex:
    """The label lookups of one scheme, built once: per level, each layer's
    :data:`LayerEntry`; relation labels by name; and the sets the fast pre-checks test
    whole lists against."""

    def __init__(self, scheme: Scheme) -> None:
        def by_level(level: str) -> dict[str, LayerEntry]:
            return {
                layer.name: (frozenset(layer.label_names), layer.label_names, layer.cardinality, layer.overlap)
                for layer in scheme.layers_at(level)  # type: ignore[arg-type]
            }

        self.span = by_level("span")
        self.sentence = by_level("sentence")
        self.article = by_level("article")
        self.relation = {label.name: label for rel in scheme.relations for label in rel.labels}
        #: every allowed (span layer, span label)
        self.span_pairs = frozenset((name, label) for name, entry in self.span.items() for label in entry[0])
        #: the span layer of each label that only one span layer has
        self.span_layer_of = _sole_owner(self.span)
        #: the span layers whose spans may not overlap
        self.flat_layers = frozenset(name for name, entry in self.span.items() if not entry[3])
        #: every allowed (sentence layer, sentence label)
        self.sentence_pairs = frozenset((name, label) for name, entry in self.sentence.items() for label in entry[0])
        #: the sentence layer of each label that only one sentence layer has
        self.sentence_layer_of = _sole_owner(self.sentence)
        self.single_sentence_layers = frozenset(name for name, entry in self.sentence.items() if entry[2] == "single")
        self.single_sentence_layers_all = len(self.single_sentence_layers) == len(self.sentence)
        #: the scheme has one sentence layer, and it takes one label a sentence
        self.one_single_sentence_layer = len(self.sentence) == 1 and self.single_sentence_layers_all
        #: True for each flat span layer (a look-up a span is cheaper than comparing strings)
        self.is_flat = dict.fromkeys(self.flat_layers, True)
        #: every allowed (relation label, head span label, tail span label)
        self.relation_triples = frozenset(
            (name, head, tail) for name, kind in self.relation.items() for head in kind.head_labels for tail in kind.tail_labels
        )


def _sole_owner(layers: dict[str, LayerEntry]) -> dict[str, str]:
    """Label -> layer, for the labels that only one of ``layers`` has."""
    owners: dict[str, list[str]] = {}
    for name, entry in layers.items():
        for label in entry[1]:
            owners.setdefault(label, []).append(name)
    return {label: names[0] for label, names in owners.items() if len(names) == 1}


_INDEX: dict[int, tuple[Scheme, LabelIndex]] = {}


def label_index(scheme: Scheme) -> LabelIndex:
    """The :class:`LabelIndex` of ``scheme``, built once per scheme object (keyed by identity:
    hashing a scheme model on every record would cost more than the checks)."""
    hit = _INDEX.get(id(scheme))
    if hit is None or hit[0] is not scheme:
        hit = (scheme, LabelIndex(scheme))
        _INDEX[id(scheme)] = hit
    return hit[1]


class RecordView:
    """One parsed record whose structure fits the JSON Schema, as the record checks see it.

    ``data`` is the record, ``file`` its path as given, ``scheme`` the annotation scheme and
    ``index`` its :class:`LabelIndex`. The sentences come as columns (``sentence_ids``,
    ``sentence_starts``, ``sentence_ends``, tuples in list order), ``sentence_id_set``, and
    ``sentence_pieces``: the text each covers, or None unless every sentence's offsets are
    usable (see :func:`covered`). ``annotations`` is the list (``[]`` when absent), ``gold``
    the gold part or None.
    """

    __slots__ = ("data", "file", "scheme", "index", "text", "sentences", "sentence_ids", "sentence_id_set",
                 "sentence_starts", "sentence_ends", "sentence_pieces", "annotations", "gold")

    def __init__(self, data: dict[str, Any], *, file: str, scheme: Scheme) -> None:
        self.data = data
        self.file = file
        self.scheme = scheme
        self.index = label_index(scheme)
        self.text: str = data["text"]
        self.sentences: list[dict[str, Any]] = data["sentences"]
        if self.sentences:
            self.sentence_ids, self.sentence_starts, self.sentence_ends = zip(*map(_SENTENCE_ROW, self.sentences))
        else:
            self.sentence_ids = self.sentence_starts = self.sentence_ends = ()
        self.sentence_id_set = set(self.sentence_ids)
        self.sentence_pieces = covered(self.text, self.sentence_starts, self.sentence_ends)
        self.annotations: list[dict[str, Any]] = data.get("annotations", [])
        self.gold: dict[str, Any] | None = data.get("gold")

    def parts(self) -> list[PartView]:
        """A :class:`PartView` per annotation (location ``("annotations", i)``), then one for
        the gold (``("gold",)``) when the record has it."""
        views = [PartView(ann, ("annotations", i), self) for i, ann in enumerate(self.annotations)]
        if self.gold is not None:
            views.append(PartView(self.gold, ("gold",), self))
        return views


class PartView:
    """One annotation or the gold (a *part*: spans, relations, sentence and article labels)
    at location ``loc`` of the record ``record``, as the part checks see it.

    ``spans`` is the part's span list (``[]`` when absent); its columns ``span_starts``,
    ``span_ends``, ``span_ids``, ``span_layers``, ``span_labels`` and ``span_texts`` are
    tuples in list order; ``span_fit`` is True when every span's text is the non-empty piece
    of text its offsets cover (see :func:`spans_fit`; so every offset is usable), and
    ``span_label_of`` maps each span id to the label of its last span with that id.
    """

    __slots__ = ("part", "loc", "record", "file", "text", "index", "spans", "span_starts", "span_ends",
                 "span_ids", "span_layers", "span_labels", "span_texts", "span_fit", "span_label_of")

    def __init__(self, part: dict[str, Any], loc: Loc, record: RecordView) -> None:
        self.part = part
        self.loc = loc
        self.record = record
        self.file = record.file
        self.text = text = record.text
        self.index = record.index
        self.spans: list[dict[str, Any]] = part.get("spans", [])
        if self.spans:
            (self.span_starts, self.span_ends, self.span_ids,
             self.span_layers, self.span_labels, self.span_texts) = zip(*map(_SPAN_ROW, self.spans))
            self.span_fit = spans_fit(text, self.span_starts, self.span_ends, self.span_texts)
        else:
            self.span_starts = self.span_ends = self.span_ids = self.span_layers = self.span_labels = self.span_texts = ()
            self.span_fit = True
        self.span_label_of = dict(zip(self.span_ids, self.span_labels))

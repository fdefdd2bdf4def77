"""The span rules (part scope): unique ids, a (layer, label) pair of the scheme, usable and
trimmed offsets whose text the span repeats, no overlap in a flat layer (docs/design.md,
Offsets and The annotation scheme).

Per rule, ``<rule>_clean`` and ``<rule>`` take a :class:`~newscorpus.validate.view.PartView`
(the pre-check and the exact loop of a :class:`~newscorpus.validate.semantic.Check`).
"""

from __future__ import annotations

import operator
from collections.abc import Iterator
from itertools import compress

from newscorpus.validate.items import duplicate_ids, in_order, offset_violations, usable_offsets
from newscorpus.validate.rules import Violation
from newscorpus.validate.view import PartView, short

__all__ = [
    "span_ids_clean", "span_ids",
    "span_labels_clean", "span_labels",
    "span_offsets_clean", "span_offsets",
    "span_overlap_clean", "span_overlap",
]


def span_ids_clean(view: PartView) -> bool:
    """True when no two spans of the part share an id."""
    return len(view.span_label_of) == len(view.span_ids)


def span_ids(view: PartView) -> Iterator[Violation]:
    """``duplicate-id`` at ``spans[k].id`` for each repeated span id."""
    return duplicate_ids(view.spans, (*view.loc, "spans"), "span", view.file)


def span_labels_clean(view: PartView) -> bool:
    """True when every span's (layer, label) is a pair of the scheme: each label's sole layer
    is the span's layer (one dictionary look-up a span), or else every pair is allowed."""
    index = view.index
    return (tuple(map(index.span_layer_of.get, view.span_labels)) == view.span_layers
            or index.span_pairs.issuperset(zip(view.span_layers, view.span_labels)))


def span_labels(view: PartView) -> Iterator[Violation]:
    """``unknown-layer`` or ``unknown-label`` (naming the layer that owns the label) per span."""
    layers, loc, file = view.index.span, (*view.loc, "spans"), view.file
    for k, span in enumerate(view.spans):
        name, label = span["layer"], span["label"]
        entry = layers.get(name)
        if entry is None:
            yield Violation(file, (*loc, k, "layer"), "unknown-layer", f"{name!r} is not a span layer (span layers: {', '.join(layers)})")
        elif label not in entry[0]:
            owner = view.record.scheme.span_layer_of(label)
            hint = f"; it is a label of layer {owner!r}" if owner else ""
            yield Violation(file, (*loc, k, "label"), "unknown-label", f"{label!r} is not a label of span layer {name!r}{hint} (labels: {', '.join(entry[1])})")


def span_offsets_clean(view: PartView) -> bool:
    """True when every span's offsets are usable, its piece of text is trimmed and equals
    the span's ``text``."""
    texts = view.span_texts
    # str.strip removes exactly the str.isspace characters
    return view.span_fit and tuple(map(str.strip, texts)) == texts


def span_offsets(view: PartView) -> Iterator[Violation]:
    """``span-out-of-bounds``, ``span-empty`` or ``span-untrimmed`` per span, and
    ``span-text-mismatch`` for a span (with usable offsets) whose ``text`` is not
    ``text[start:end]``."""
    loc, text, file, size = (*view.loc, "spans"), view.text, view.file, len(view.text)
    for k, span in enumerate(view.spans):
        yield from offset_violations(span, (*loc, k), "span", text, file)
        pair = usable_offsets(span, size)
        if pair is None:
            continue
        start, end = pair
        piece = text[start:end]
        if span["text"] != piece:
            yield Violation(file, (*loc, k, "text"), "span-text-mismatch", f"{short(span['text'])} differs from text[{start}:{end}] = {short(piece)}")


def span_overlap_clean(view: PartView) -> bool:
    """True when every span's offsets are usable and no two spans of a flat layer (scheme:
    ``overlap: false``) overlap or nest. In list order, a layer whose every span ends at or
    before the next one starts is clean at once (its spans are non-empty, so their starts
    rise); any other order is sorted first."""
    if not view.span_fit:
        return False
    names, starts, ends, flat = view.span_layers, view.span_starts, view.span_ends, view.index.is_flat
    if len(flat) == 1:  # the spans of the flat layer are those of any flat layer
        masks = [list(map(flat.get, names))]
    else:
        masks = [list(map({layer: True}.get, names)) for layer in view.index.flat_layers.intersection(names)]
    for keep in masks:
        layer_starts, layer_ends = list(compress(starts, keep)), list(compress(ends, keep))
        if all(map(operator.le, layer_ends, layer_starts[1:])):
            continue
        layer_starts, layer_ends = zip(*sorted(zip(layer_starts, layer_ends)))
        if not in_order(layer_starts, layer_ends):
            return False
    return True


def span_overlap(view: PartView) -> Iterator[Violation]:
    """``span-overlap`` at ``spans[k]`` for each span (with usable offsets) of a flat layer
    that starts before the furthest end of the spans of its layer that start before it."""
    layers, spans, size = view.index.span, view.spans, len(view.text)
    flat: dict[str, list[tuple[int, int, int]]] = {}
    for k, span in enumerate(spans):
        entry = layers.get(span["layer"])
        if entry is None or entry[3]:
            continue
        pair = usable_offsets(span, size)
        if pair is not None:
            flat.setdefault(span["layer"], []).append((*pair, k))
    for name, items in flat.items():
        items.sort()
        reach = None
        for start, end, k in items:
            if reach is not None and start < reach[0]:
                other = spans[reach[1]]
                yield Violation(
                    view.file,
                    (*view.loc, "spans", k),
                    "span-overlap",
                    f"{name} span {spans[k]['id']!r} {spans[k]['label']} [{start}, {end}) overlaps {name} span {other['id']!r} "
                    f"{other['label']} [{other['start']}, {other['end']}): the {name!r} layer is flat (no overlap, no nesting)",
                )
            if reach is None or end > reach[0]:
                reach = (end, k)

"""The label rules of article and sentence layers (part scope): known layer, known label,
no label twice, one label in a single-label layer; and sentence labels name a sentence that
exists (docs/design.md, The annotation scheme).

Per rule, ``<rule>_clean`` and ``<rule>`` take a :class:`~newscorpus.validate.view.PartView`
(the pre-check and the exact loop of a :class:`~newscorpus.validate.semantic.Check`).
"""

from __future__ import annotations

import operator
from collections import Counter
from collections.abc import Iterator

from newscorpus.validate.rules import Violation
from newscorpus.validate.view import PartView

__all__ = ["article_labels_clean", "article_labels", "sentence_labels_clean", "sentence_labels"]

_SENTENCE_LABEL_ROW = operator.itemgetter("sentence", "layer", "label")


def article_labels_clean(view: PartView) -> bool:
    """True when every article layer is known, holds only its own labels, none twice, and
    at most one in a single-label layer."""
    layers = view.index.article
    for name, values in view.part.get("article_labels", {}).items():
        entry = layers.get(name)
        if entry is None or not entry[0].issuperset(values) or len(set(values)) != len(values) or (entry[2] == "single" and len(values) > 1):
            return False
    return True


def article_labels(view: PartView) -> Iterator[Violation]:
    """``unknown-layer``, ``unknown-label``, ``duplicate-label`` and ``single-cardinality``
    in ``article_labels``."""
    layers, file = view.index.article, view.file
    loc = (*view.loc, "article_labels")
    for name, values in view.part.get("article_labels", {}).items():
        if name not in layers:
            yield Violation(file, (*loc, name), "unknown-layer", f"{name!r} is not an article layer (article layers: {', '.join(layers)})")
            continue
        label_set, label_names, cardinality, _ = layers[name]
        for j, value in enumerate(values):
            if value not in label_set:
                yield Violation(file, (*loc, name, j), "unknown-label", f"{value!r} is not a label of article layer {name!r} (labels: {', '.join(label_names)})")
            elif value in values[:j]:
                yield Violation(file, (*loc, name, j), "duplicate-label", f"{value!r} is listed twice in {name!r}")
        if cardinality == "single" and len(values) > 1:
            yield Violation(file, (*loc, name), "single-cardinality", f"{name!r} takes one label, found {len(values)}: {values}")


def sentence_labels_clean(view: PartView) -> bool:
    """True when every sentence label names an existing sentence and a (layer, label) pair of
    the scheme, none twice, and at most one per sentence in a single-label layer."""
    items = view.part.get("sentence_labels", [])
    if not items:
        return True
    index = view.index
    sents, names, values = zip(*map(_SENTENCE_LABEL_ROW, items))
    if tuple(map(index.sentence_layer_of.get, values)) != names and not index.sentence_pairs.issuperset(zip(names, values)):
        return False
    # every name is now a sentence layer of the scheme: with only one, a single-label one,
    # no sentence twice means no (sentence, layer) twice and no item twice
    if index.one_single_sentence_layer:
        sentences = set(sents)
        return len(sentences) == len(items) and view.record.sentence_id_set.issuperset(sentences)
    if not view.record.sentence_id_set.issuperset(sents):
        return False
    if index.single_sentence_layers_all:  # no (sentence, layer) twice: then no item twice either
        return len(set(zip(sents, names))) == len(items)
    if len(set(zip(sents, names, values))) != len(items):
        return False
    single = index.single_sentence_layers
    pairs = [(s, n) for s, n in zip(sents, names) if n in single]
    return len(set(pairs)) == len(pairs)


def sentence_labels(view: PartView) -> Iterator[Violation]:
    """``dangling-sentence``, ``unknown-layer``, ``unknown-label``, ``duplicate-label`` and
    ``single-cardinality`` in ``sentence_labels``."""
    layers, file, sentence_ids = view.index.sentence, view.file, view.record.sentence_id_set
    loc = (*view.loc, "sentence_labels")
    per_layer: Counter[tuple[str, str]] = Counter()
    seen: set[tuple[str, str, str]] = set()
    for j, item in enumerate(view.part.get("sentence_labels", [])):
        sent, name, label = item["sentence"], item["layer"], item["label"]
        if sent not in sentence_ids:
            yield Violation(file, (*loc, j, "sentence"), "dangling-sentence", f"sentence {sent!r} does not exist (sentences: {len(sentence_ids)}, e.g. {sorted(sentence_ids)[:3]})")
        entry = layers.get(name)
        if entry is None:
            yield Violation(file, (*loc, j, "layer"), "unknown-layer", f"{name!r} is not a sentence layer (sentence layers: {', '.join(layers)})")
            continue
        if label not in entry[0]:
            yield Violation(file, (*loc, j, "label"), "unknown-label", f"{label!r} is not a label of sentence layer {name!r} (labels: {', '.join(entry[1])})")
        key = (sent, name, label)
        if key in seen:
            yield Violation(file, (*loc, j), "duplicate-label", f"sentence {sent!r} has {name} {label!r} twice")
            continue
        seen.add(key)
        per_layer[sent, name] += 1
        if entry[2] == "single" and per_layer[sent, name] == 2:
            yield Violation(file, (*loc, j), "single-cardinality", f"sentence {sent!r} has a second {name!r} label ({label!r}); the layer takes one per sentence")

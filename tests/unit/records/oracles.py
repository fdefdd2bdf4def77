"""Reference form of the canonical record writer (records/io.py), kept as a test oracle.

The package writes records from their JSON form (``canonicalize_data`` and
``dump_record_data_bytes``, orjson when provably the same); this is the model form it
replaced, in plain terms: sort the models in place, dump them, and write them with
``json.dumps(indent=2, ensure_ascii=False)``. tests/unit/records/test_canonical.py holds
the package to it byte for byte.
"""

from __future__ import annotations

import json

from newscorpus.core.models import Annotation, ArticleRecord, Gold
from newscorpus.core.scheme import Scheme


def canonical_models(record: ArticleRecord, scheme: Scheme) -> ArticleRecord:
    """Sort every array of ``record`` in place into canonical order and return it."""
    record.sentences.sort(key=lambda s: (s.start, s.end, s.id))
    sentence_order = {s.id: i for i, s in enumerate(record.sentences)}
    for ann in record.annotations:
        _sort_part(ann, scheme, sentence_order)
    record.annotations.sort(key=lambda a: (a.origin.annotation if a.origin.annotation is not None else -1, a.status, a.id))
    if record.gold is not None:
        _sort_part(record.gold, scheme, sentence_order)
        record.gold.from_annotations.sort()
    return record


def dump_models(record: ArticleRecord, scheme: Scheme) -> bytes:
    """The canonical bytes of ``record`` (sorted in place first)."""
    canonical_models(record, scheme)
    text = json.dumps(record.model_dump(mode="json"), ensure_ascii=False, indent=2) + "\n"
    return text.encode("utf-8", "surrogatepass")


def _sort_part(part: Annotation | Gold, scheme: Scheme, sentence_order: dict[str, int]) -> None:
    layer_rank = {layer.name: i for i, layer in enumerate(scheme.layers)}
    ordered = {}
    for name in sorted(part.article_labels, key=lambda n: (layer_rank.get(n, len(layer_rank)), n)):
        labels = scheme.layer(name).label_names if name in layer_rank else []
        rank = {label: i for i, label in enumerate(labels)}
        ordered[name] = sorted(part.article_labels[name], key=lambda lab: (rank.get(lab, len(rank)), lab))
    part.article_labels = ordered
    part.sentence_labels.sort(key=lambda s: (sentence_order.get(s.sentence, len(sentence_order)), s.sentence, s.layer))
    part.spans.sort(key=lambda s: (s.start, s.end, s.id))
    part.relations.sort(key=lambda r: r.id)

"""The typed columns of every Hugging Face config (DESIGN section 7), generated from the scheme.

Each config's :class:`datasets.Features` is both what the dataset card declares
(``dataset_info.features``) and, through ``Features.arrow_schema``, the exact schema the
Parquet files are written with, so ``datasets``, pandas, DuckDB and any Arrow reader see the
same types. Lists of records are ``List`` of structs (never ``Sequence`` of dicts, which
``datasets`` turns into a dict of lists). Offsets are ``int32`` Unicode code points,
0-based, end-exclusive. Label columns are ``ClassLabel`` with names in scheme order
(``newscorpus/data/scheme.yaml``); ``-1`` means "no label" (an article without gold).
"""

from __future__ import annotations

from datasets import ClassLabel, Features, List, Value

from .scheme import Layer, Scheme

__all__ = [
    "CONFIGS",
    "DEFAULT_CONFIG",
    "config_features",
    "ner_tag_names",
    "span_feature",
]

#: Config names in card order; the first is the default.
CONFIGS = ("articles", "sentences", "ner", "quotes", "annotations")
DEFAULT_CONFIG = "articles"

_STR = Value("string")
_OFFSET = Value("int32")


def _layer_feature(layer: Layer):
    """``ClassLabel`` for a single-label layer, ``List(ClassLabel)`` for a multi-label one."""
    label = ClassLabel(names=layer.label_names)
    return label if layer.cardinality == "single" else List(label)


def span_feature(scheme: Scheme) -> dict:
    """The span struct: ``{id, layer, label, start, end, text}``; ``label`` is a ``ClassLabel``
    over every span label of every span layer, layer by layer in scheme order
    (:attr:`Scheme.span_labels`); ``text`` is null when the article text is withheld."""
    return {
        "id": _STR,
        "layer": _STR,
        "label": ClassLabel(names=scheme.span_labels),
        "start": _OFFSET,
        "end": _OFFSET,
        "text": _STR,
    }


def _relation_feature(scheme: Scheme) -> dict:
    return {
        "id": _STR,
        "label": ClassLabel(names=scheme.relation_labels),
        "head": _STR,
        "tail": _STR,
    }


def ner_tag_names(scheme: Scheme) -> list[str]:
    """IOB2 tag names: ``O``, then ``B-X``, ``I-X`` for each label X of the non-overlapping
    span layers (the ``entity`` layer of the default scheme), in scheme order."""
    names = ["O"]
    for layer in scheme.span_layers:
        if not layer.overlap:
            for label in layer.label_names:
                names += [f"B-{label}", f"I-{label}"]
    return names


def _article_label_columns(scheme: Scheme) -> dict:
    return {layer.name: _layer_feature(layer) for layer in scheme.article_layers}


def _sentence_label_fields(scheme: Scheme) -> dict:
    return {layer.name: _layer_feature(layer) for layer in scheme.sentence_layers}


def _articles(scheme: Scheme) -> Features:
    return Features(
        {
            "id": _STR,
            "text": _STR,
            "text_sha256": _STR,
            "title": _STR,
            "publisher": _STR,
            "url": _STR,
            "published": Value("date32"),
            "language": _STR,
            "license": _STR,
            "redistributable": Value("bool"),
            "sentences": List({"id": _STR, "start": _OFFSET, "end": _OFFSET, **_sentence_label_fields(scheme)}),
            "spans": List(span_feature(scheme)),
            "relations": List(_relation_feature(scheme)),
            **_article_label_columns(scheme),
            "gold_method": _STR,
            "num_annotations": Value("int32"),
        }
    )


def _sentences(scheme: Scheme) -> Features:
    return Features(
        {
            "id": _STR,
            "article_id": _STR,
            "sentence_id": _STR,
            "text": _STR,
            "start": _OFFSET,
            "end": _OFFSET,
            **_sentence_label_fields(scheme),
            "spans": List(span_feature(scheme)),
        }
    )


def _ner(scheme: Scheme) -> Features:
    return Features(
        {
            "id": _STR,
            "article_id": _STR,
            "sentence_id": _STR,
            "tokens": List(_STR),
            "ner_tags": List(ClassLabel(names=ner_tag_names(scheme))),
            "token_starts": List(_OFFSET),
            "token_ends": List(_OFFSET),
        }
    )


def _quotes(scheme: Scheme) -> Features:
    return Features(
        {
            "id": _STR,
            "article_id": _STR,
            "sentence_id": _STR,
            "quote_id": _STR,
            "quote": _STR,
            "quote_start": _OFFSET,
            "quote_end": _OFFSET,
            "speaker_id": _STR,
            "speaker": _STR,
            "speaker_start": _OFFSET,
            "speaker_end": _OFFSET,
            "speaker_label": ClassLabel(names=scheme.span_labels),
        }
    )


def _annotations(scheme: Scheme) -> Features:
    return Features(
        {
            "id": _STR,
            "article_id": _STR,
            "annotation_id": _STR,
            "annotator": _STR,
            "status": ClassLabel(names=["submitted", "cancelled", "draft"]),
            "ground_truth": Value("bool"),
            "in_gold": Value("bool"),
            "tool": _STR,
            "tool_version": _STR,
            "project": Value("int64"),
            "task": Value("int64"),
            "tool_annotation_id": Value("int64"),
            "created_at": Value("timestamp[us, tz=UTC]"),
            "updated_at": Value("timestamp[us, tz=UTC]"),
            "lead_time": Value("float64"),
            **_article_label_columns(scheme),
            "sentence_labels": List({"sentence_id": _STR, **_sentence_label_fields(scheme)}),
            "spans": List(span_feature(scheme)),
            "relations": List(_relation_feature(scheme)),
        }
    )


_BUILDERS = {
    "articles": _articles,
    "sentences": _sentences,
    "ner": _ner,
    "quotes": _quotes,
    "annotations": _annotations,
}


def config_features(config: str, scheme: Scheme) -> Features:
    """The :class:`datasets.Features` of ``config`` (one of :data:`CONFIGS`) under ``scheme``.

    Raises ``KeyError`` for an unknown config name.
    """
    return _BUILDERS[config](scheme)

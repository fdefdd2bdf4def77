"""The typed columns of every Hugging Face config (DESIGN section 7), generated from the scheme.

Each config's :class:`datasets.Features` is both what the dataset card declares
(``dataset_info.features``) and, through ``Features.arrow_schema``, the exact schema the
Parquet files are written with, so ``datasets``, pandas, DuckDB and any Arrow reader see the
same types. Lists of records are ``List`` of structs (never ``Sequence`` of dicts, which
``datasets`` turns into a dict of lists). Offsets are ``int32`` Unicode code points,
0-based, end-exclusive. Label columns are ``ClassLabel`` with names in scheme order
(``newscorpus/data/scheme.yaml``); ``-1`` means "no label" (an article without gold).

The features are declared here with three small classes (:class:`Value`, :class:`ClassLabel`,
:class:`List`; a struct is a dict) that mirror the ``datasets`` classes of the same names:
:func:`config_spec` gives them, :func:`config_schema` the Arrow schema (with the
``huggingface`` metadata) and :func:`config_yaml` the card's YAML list, without importing
``datasets`` (about a second and 60 MB a process, which the build does not need);
:func:`config_features` gives the ``datasets.Features`` themselves. ``tests/test_features.py``
checks that all three equal what ``datasets`` makes of :func:`config_features`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Union

from newscorpus.core.scheme import Layer, Scheme

if TYPE_CHECKING:
    import pyarrow as pa
    from datasets import Features

__all__ = [
    "CONFIGS",
    "DEFAULT_CONFIG",
    "Value",
    "ClassLabel",
    "List",
    "config_spec",
    "config_schema",
    "config_yaml",
    "config_features",
    "feature_dict",
    "ner_tag_names",
    "span_feature",
]

#: Config names in card order; the first is the default.
CONFIGS = ("articles", "sentences", "ner", "quotes", "annotations")
DEFAULT_CONFIG = "articles"


@dataclass(frozen=True)
class Value:
    """A scalar column of Arrow type ``dtype`` (``datasets.Value``)."""

    dtype: str


@dataclass(frozen=True)
class ClassLabel:
    """An ``int64`` label index over ``names`` (``datasets.ClassLabel``)."""

    names: tuple[str, ...]

    def __init__(self, names) -> None:
        object.__setattr__(self, "names", tuple(names))


@dataclass(frozen=True)
class List:
    """A list of ``feature`` (``datasets.List``; a dict ``feature`` is a struct)."""

    feature: Any


#: A feature: :class:`Value`, :class:`ClassLabel`, :class:`List` or a dict (a struct).
Feature = Union[Value, ClassLabel, List, dict]

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


def _articles(scheme: Scheme) -> dict:
    return (
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


def _sentences(scheme: Scheme) -> dict:
    return (
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


def _ner(scheme: Scheme) -> dict:
    return (
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


def _quotes(scheme: Scheme) -> dict:
    return (
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


def _annotations(scheme: Scheme) -> dict:
    return (
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


def config_spec(config: str, scheme: Scheme) -> dict[str, Feature]:
    """The columns of ``config`` (one of :data:`CONFIGS`) under ``scheme``: column name ->
    :data:`Feature`, in column order. Raises ``KeyError`` for an unknown config name."""
    return _BUILDERS[config](scheme)


def feature_dict(feature: Feature) -> Any:
    """The JSON form of a feature, as ``datasets`` writes it (``Features.to_dict()``)."""
    if isinstance(feature, Value):
        return {"dtype": feature.dtype, "_type": "Value"}
    if isinstance(feature, ClassLabel):
        return {"names": list(feature.names), "_type": "ClassLabel"}
    if isinstance(feature, List):
        return {"feature": feature_dict(feature.feature), "_type": "List"}
    return {name: feature_dict(f) for name, f in feature.items()}


_ARROW_TYPES = {
    "string": "string",
    "int32": "int32",
    "int64": "int64",
    "bool": "bool_",
    "float64": "float64",
    "date32": "date32",
}


def _arrow_type(feature: Feature):
    import pyarrow as pa

    if isinstance(feature, ClassLabel):
        return pa.int64()
    if isinstance(feature, List):
        return pa.list_(_arrow_type(feature.feature))
    if isinstance(feature, dict):
        return pa.struct([(name, _arrow_type(f)) for name, f in feature.items()])
    if feature.dtype == "timestamp[us, tz=UTC]":
        return pa.timestamp("us", tz="UTC")
    return getattr(pa, _ARROW_TYPES[feature.dtype])()


def config_schema(config: str, scheme: Scheme) -> pa.Schema:
    """The Arrow schema the Parquet files of ``config`` are written with: the fields of
    :func:`config_spec` and the ``huggingface`` metadata, as ``Features.arrow_schema``
    gives them."""
    import pyarrow as pa

    spec = config_spec(config, scheme)
    metadata = {"info": {"features": feature_dict(spec)}}
    return pa.schema(_arrow_type(spec)).with_metadata({"huggingface": json.dumps(metadata)})


def _yaml_feature(feature: Feature) -> dict:
    """One feature in the card's YAML form (``Features._to_yaml_list``), without its name."""
    if isinstance(feature, Value):
        return {"dtype": feature.dtype}
    if isinstance(feature, ClassLabel):
        return {"dtype": {"class_label": {"names": {str(i): name for i, name in enumerate(feature.names)}}}}
    if isinstance(feature, List):
        inner = _yaml_feature(feature.feature)
        if list(inner) == ["dtype"]:
            return {"list": inner["dtype"]}
        if list(inner) == ["struct"]:
            return {"list": inner["struct"]}
        return {"list": inner}
    return {"struct": [{"name": name, **_yaml_feature(f)} for name, f in feature.items()]}


def config_yaml(config: str, scheme: Scheme) -> list[dict]:
    """The ``features`` list of ``config`` in the card's ``dataset_info`` (what
    ``Features._to_yaml_list()`` gives)."""
    return _yaml_feature(config_spec(config, scheme))["struct"]


def config_features(config: str, scheme: Scheme) -> Features:
    """The :class:`datasets.Features` of ``config`` (one of :data:`CONFIGS`) under ``scheme``
    (imports ``datasets``).

    Raises ``KeyError`` for an unknown config name.
    """
    from datasets import Features

    return Features.from_dict(feature_dict(config_spec(config, scheme)))

"""Declared features: the typed columns of a dataset config, and what they become.

A config's features (:meth:`newscorpus.dataset.configs.DatasetConfig.features`, generated from
the scheme) are a dict, column name -> :data:`Feature`, declared with three small classes
(:class:`Value`, :class:`ClassLabel`, :class:`List`; a struct is a dict) that mirror the
``datasets`` classes of the same names. They become the Arrow schema the Parquet files are
written with (:func:`arrow_schema`, with the ``huggingface`` metadata), the card's YAML
(:func:`yaml_features`) and the ``datasets.Features`` themselves (:func:`datasets_features`),
so ``datasets``, pandas, DuckDB and any Arrow reader see the same types; the first two
without importing ``datasets`` (about a second and 60 MB a process, which the build does not
need). ``tests/unit/dataset/test_features.py`` checks that they equal what ``datasets`` makes.

Lists of records are ``List`` of structs (never ``Sequence`` of dicts, which ``datasets``
turns into a dict of lists). Offsets are ``int32`` Unicode code points, 0-based,
end-exclusive. Label columns are ``ClassLabel`` with names in scheme order; ``-1`` means
"no label" (an article without gold).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Union

import pyarrow as pa

if TYPE_CHECKING:
    from datasets import Features

__all__ = ["Value", "ClassLabel", "List", "Feature", "feature_dict", "arrow_schema", "yaml_features", "datasets_features"]


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


def _arrow_type(feature: Feature) -> pa.DataType:
    if isinstance(feature, ClassLabel):
        return pa.int64()
    if isinstance(feature, List):
        return pa.list_(_arrow_type(feature.feature))
    if isinstance(feature, dict):
        return pa.struct([(name, _arrow_type(f)) for name, f in feature.items()])
    if feature.dtype == "timestamp[us, tz=UTC]":
        return pa.timestamp("us", tz="UTC")
    return getattr(pa, _ARROW_TYPES[feature.dtype])()


def arrow_schema(spec: dict[str, Feature]) -> pa.Schema:
    """The Arrow schema of the columns ``spec`` (column name -> :data:`Feature`) with the
    ``huggingface`` metadata, as ``Features.arrow_schema`` gives them: what the Parquet files
    of a config are written with."""
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


def yaml_features(spec: dict[str, Feature]) -> list[dict]:
    """The ``features`` list of the columns ``spec`` in the card's ``dataset_info`` (what
    ``Features._to_yaml_list()`` gives)."""
    return _yaml_feature(spec)["struct"]


def datasets_features(spec: dict[str, Feature]) -> Features:
    """The :class:`datasets.Features` of the columns ``spec`` (imports ``datasets``, lazily:
    the build does not need it)."""
    from datasets import Features

    return Features.from_dict(feature_dict(spec))

"""The header of a WebAnno TSV 3.3 file (its layers and columns) and the format's escapes.

Read by :mod:`newscorpus.importers.webanno`, whose docstring describes the format. Pure.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass

from newscorpus.errors import ExportError

__all__ = ["Layer", "Column", "read_header", "unescape_text", "unescape_value", "webanno_error"]

_FORMAT = re.compile(r"#FORMAT=WebAnno TSV 3\.([0-9]+)")
_PREFIXES = {"#T_SP=": "span", "#T_CH=": "chain", "#T_RL=": "relation"}
_TEXT_ESCAPE = re.compile(r"\\([\x00-\x07\x0e-\x1f]|[tnfrb\\])")
_TEXT_UNESCAPED = {"t": "\t", "n": "\n", "f": "\f", "r": "\r", "b": "\b", "\\": "\\"}
_VALUE_ESCAPE = re.compile(r"\\(->|[\\\[\]|_;tn*])")
_VALUE_UNESCAPED = {"t": "\t", "n": "\n"}


@dataclass(frozen=True)
class Layer:
    """A layer of the header: ``index`` (in header order), ``type_name`` (the full UIMA type
    name), ``name`` (its part after the last dot), ``kind`` (``span``, ``chain`` or
    ``relation``), ``label_feature`` (the feature giving the label, None for a layer without
    features) and ``base`` (a relation layer's span layer)."""

    index: int
    type_name: str
    name: str
    kind: str
    label_feature: str | None
    base: Layer | None = None


@dataclass(frozen=True)
class Column:
    """A feature column: ``index`` (0 = the first column after the token), ``kind``
    (``label``, ``feature``, ``placeholder``, ``reference`` for ``BT_``, ``slot``,
    ``chain``) and ``layer`` (None when the layer is not imported)."""

    index: int
    kind: str
    layer: Layer | None


def webanno_error(file: str, line: int, message: str, code: str, hint: str | None = None) -> ExportError:
    """An :class:`~newscorpus.errors.ExportError` at ``line`` of ``file``."""
    return ExportError(message, file=file, where=f"line {line}", code=code, hint=hint)


def unescape_text(text: str) -> str:
    """A ``#Text=`` line's text with the format's escapes undone (``\\t`` -> tab, ``\\\\``
    -> backslash, ``\\r``, ``\\n``, ``\\f``, ``\\b``, a backslash before a control character)."""
    if "\\" not in text:
        return text
    return _TEXT_ESCAPE.sub(lambda m: _TEXT_UNESCAPED.get(m.group(1), m.group(1)), text)


def unescape_value(value: str) -> str:
    """A feature value with the format's escapes undone (``\\|`` -> ``|``, ``\\_``, ``\\[``,
    ``\\]``, ``\\;``, ``\\*``, ``\\->``, ``\\\\``, ``\\t`` -> tab, ``\\n`` -> line break)."""
    if "\\" not in value:
        return value
    return _VALUE_ESCAPE.sub(lambda m: _VALUE_UNESCAPED.get(m.group(1), m.group(1)), value)


def _columns(layer_index: int, kind: str, type_name: str, features: list[str]) -> tuple[Layer, list[tuple[str, str]], str | None]:
    """The layer and its (column kind, feature) pairs, and a relation's base type name."""
    pairs: list[tuple[str, str]] = []
    base = None
    previous_slot = False
    for feature in features:
        if kind == "chain":
            pairs.append(("chain", feature))
        elif kind == "relation" and feature.startswith("BT_"):
            pairs.append(("reference", feature))
            base = feature[3:]
        elif kind == "span" and (feature.startswith("ROLE_") or previous_slot):
            pairs.append(("slot", feature))
            previous_slot = feature.startswith("ROLE_")
            continue
        else:
            pairs.append(("feature", feature))
        previous_slot = False
    primitive = [feature for column, feature in pairs if column == "feature"]
    label = "value" if "value" in primitive else (primitive[0] if primitive else None)
    pairs = [("label" if column == "feature" and feature == label else column, feature) for column, feature in pairs]
    if not features:
        pairs.append(("placeholder", ""))
    layer = Layer(layer_index, type_name, type_name.rsplit(".", 1)[-1], kind, label)
    return layer, pairs, base


def read_header(lines: list[str], file: str, wanted: Collection[str] | None) -> tuple[list[Column], list[Layer], int]:
    """The columns and layers the header of ``lines`` declares, and the number of the first
    line after it (1-based). ``wanted`` names the layers to import (full or short type
    names; None: all); the columns of the others have ``layer`` None. Raises
    :class:`~newscorpus.errors.ExportError` naming the line: ``wrong-format`` for a first
    line that is not ``#FORMAT=WebAnno TSV 3.2`` or ``3.3``; ``webanno-format`` for a header
    line that declares no layer, a relation layer whose span layer is not imported, a ``wanted`` name the header
    does not declare."""
    first = lines[0] if lines else ""
    match = _FORMAT.fullmatch(first)
    if match is None or int(match.group(1)) < 2:
        raise webanno_error(file, 1, f"not a WebAnno TSV 3.3 file: the first line is {first[:60]!r}, not "
                            "'#FORMAT=WebAnno TSV 3.3'", "wrong-format",
                            hint="give --format the file's format (newscorpus import --help lists them); INCEpTION and "
                                 "WebAnno export it as 'WebAnno TSV 3'")
    columns: list[Column] = []
    layers: list[Layer] = []
    bases: dict[int, tuple[str, int]] = {}
    number = 2
    while number <= len(lines) and lines[number - 1]:
        line = lines[number - 1]
        kind = next((k for prefix, k in _PREFIXES.items() if line.startswith(prefix)), None)
        if kind is None:
            raise webanno_error(file, number, f"{line[:60]!r} declares no layer (#T_SP=, #T_CH=, #T_RL=) and is not the "
                                "blank line that ends the header", "webanno-format")
        type_name, *features = [part for part in line[6:].split("|") if part]
        layer, pairs, base = _columns(len(layers), kind, type_name, features)
        imported = wanted is None or type_name in wanted or layer.name in wanted
        layers.append(layer)
        if base is not None:
            bases[layer.index] = (base, number)
        for column_kind, _ in pairs:
            columns.append(Column(len(columns), column_kind, layer if imported else None))
        number += 1
    by_type = {layer.type_name: layer for layer in layers}
    if wanted is not None:
        unknown = [name for name in wanted if name not in by_type and name not in {layer.name for layer in layers}]
        if unknown:
            raise webanno_error(file, 2, f"no layer named {', '.join(map(repr, unknown))} in the header (layers: "
                                f"{', '.join(layer.name for layer in layers)})", "webanno-format")
    for index, (base, line_number) in bases.items():
        layer = layers[index]
        span = by_type.get(base)
        linked = Layer(layer.index, layer.type_name, layer.name, layer.kind, layer.label_feature, span)
        layers[index] = linked
        imported = [column for column in columns if column.layer is layer]
        if imported and (span is None or span.kind != "span" or not any(c.layer is span for c in columns)):
            raise webanno_error(file, line_number, f"relation layer {layer.name} links {base}, which is not an imported "
                                "span layer of the file", "webanno-unsupported",
                                hint="leave the relation layer out (layers option, --layer) or import its span layer")
        columns = [Column(c.index, c.kind, linked) if c.layer is layer else c for c in columns]
    while number <= len(lines) and not lines[number - 1]:
        number += 1
    return columns, layers, number

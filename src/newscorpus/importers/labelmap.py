"""A label map: other control and label names of a Label Studio project onto the scheme's.

A label map is a YAML (or JSON) file with up to three keys, each optional::

    controls:            # the project's control name -> the scheme's layer
      label: entity
      ner: entity
    labels:              # per scheme layer: the project's label -> the scheme's label
      entity:
        PER: PERSON
        LOC: GPE
    relations:           # the project's relation label -> the scheme's relation label
      works_for: EMPLOYED_BY

Controls are mapped first, then labels under the layer the control was mapped to. A name
not in the map is kept as it is. The map is checked against the scheme when loaded: every
target must be a layer, label or relation label of the scheme. :func:`unmapped_labels`
lists what an export still holds that the scheme does not know, after the map. Pure: no
writing; :func:`load_label_map` only reads its file.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from newscorpus.core.scheme import Scheme
from newscorpus.errors import ExportError
from newscorpus.importers.labelstudio.contract import ANNOTATION_NOTE, SENTENCE_CONTROL, SPAN_NOTE

__all__ = ["LabelMap", "load_label_map", "map_task", "unmapped_labels", "unmapped_error", "flat_merges"]

_KEYS = ("controls", "labels", "relations")


@dataclass(frozen=True)
class LabelMap:
    """``controls`` (project control -> scheme layer), ``labels`` (scheme layer -> {project
    label -> scheme label}) and ``relations`` (project relation label -> scheme relation
    label). The empty map changes nothing."""

    controls: dict[str, str] = field(default_factory=dict)
    labels: dict[str, dict[str, str]] = field(default_factory=dict)
    relations: dict[str, str] = field(default_factory=dict)


def _bad(file: str, where: str, message: str) -> ExportError:
    return ExportError(message, file=file, where=where, code="label-map-invalid",
                       hint="see docs/corpus.md, Bringing in an existing Label Studio project")


def _names(value: object, file: str, where: str) -> dict[str, str]:
    if not isinstance(value, dict):
        raise _bad(file, where, f"must be a mapping of names to names, found {type(value).__name__}")
    for key, target in value.items():
        if not isinstance(key, str) or not isinstance(target, str):
            raise _bad(file, f"{where}.{key}", f"{key!r}: {target!r}: both names must be strings")
    return dict(value)


def load_label_map(path: str | Path, scheme: Scheme) -> LabelMap:
    """Read and check the label map at ``path`` (YAML or JSON) against ``scheme``.

    Raises :class:`~newscorpus.errors.ExportError` (``label-map-invalid``) naming the file
    and the key: a file that cannot be read or parsed, a top-level key other than
    ``controls``, ``labels``, ``relations``, a name that is not a string, a control mapped
    to no layer of the scheme, labels given for a layer the scheme lacks or mapped to a
    label that layer lacks, a relation label mapped to one the scheme lacks."""
    file = str(path)
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise _bad(file, "$", f"cannot read the label map: {exc}") from exc
    except yaml.YAMLError as exc:
        raise _bad(file, "$", f"not valid YAML or JSON: {str(exc).splitlines()[0]}") from exc
    if not isinstance(data, dict):
        raise _bad(file, "$", f"a label map is a mapping with keys {', '.join(_KEYS)}, found {type(data).__name__}")
    for key in data:
        if key not in _KEYS:
            raise _bad(file, f"$.{key}", f"unknown key {key!r}; allowed: {', '.join(_KEYS)}")
    layers = {layer.name: layer for layer in scheme.layers}
    controls = _names(data.get("controls") or {}, file, "$.controls")
    for source, target in controls.items():
        if target not in layers:
            raise _bad(file, f"$.controls.{source}", f"{source!r} is mapped to {target!r}, which is not a layer of the scheme "
                       f"(layers: {', '.join(layers)})")
    raw_labels = data.get("labels") or {}
    if not isinstance(raw_labels, dict):
        raise _bad(file, "$.labels", "must be a mapping of scheme layers to label mappings")
    labels: dict[str, dict[str, str]] = {}
    for layer_name, pairs in raw_labels.items():
        if layer_name not in layers:
            raise _bad(file, f"$.labels.{layer_name}", f"{layer_name!r} is not a layer of the scheme (layers: {', '.join(layers)})")
        labels[layer_name] = _names(pairs, file, f"$.labels.{layer_name}")
        allowed = layers[layer_name].label_names
        for source, target in labels[layer_name].items():
            if target not in allowed:
                raise _bad(file, f"$.labels.{layer_name}.{source}", f"{source!r} is mapped to {target!r}, which is not a label "
                           f"of layer {layer_name!r} (labels: {', '.join(allowed)})")
    relations = _names(data.get("relations") or {}, file, "$.relations")
    for source, target in relations.items():
        if target not in scheme.relation_labels:
            raise _bad(file, f"$.relations.{source}", f"{source!r} is mapped to {target!r}, which is not a relation label "
                       f"of the scheme (relation labels: {', '.join(scheme.relation_labels) or 'none'})")
    return LabelMap(controls, labels, relations)


def _results(task: dict):
    """Every result dict of every annotation and draft of ``task``."""
    for kind in ("annotations", "drafts"):
        entries = task.get(kind)
        for entry in entries if isinstance(entries, list) else ():
            results = entry.get("result") if isinstance(entry, dict) else None
            for item in results if isinstance(results, list) else ():
                if isinstance(item, dict):
                    yield item


def map_task(task: dict, label_map: LabelMap) -> None:
    """Rename, in place, the controls (``from_name``), labels (``value.labels``,
    ``value.choices``) and relation labels of every result of ``task`` (an exported task)
    by ``label_map``. Names not in the map, and values of other types, are left as they
    are (the import reports them). Raises nothing."""
    for item in _results(task):
        control = item.get("from_name")
        if isinstance(control, str) and control in label_map.controls:
            control = item["from_name"] = label_map.controls[control]
        if item.get("type") == "relation":
            labels = item.get("labels")
            if isinstance(labels, list):
                item["labels"] = [label_map.relations.get(x, x) if isinstance(x, str) else x for x in labels]
            continue
        pairs = label_map.labels.get(control) if isinstance(control, str) else None
        value = item.get("value")
        if pairs and isinstance(value, dict):
            for key in ("labels", "choices"):
                names = value.get(key)
                if isinstance(names, list):
                    value[key] = [pairs.get(x, x) if isinstance(x, str) else x for x in names]


_KNOWN: dict[int, tuple[Scheme, dict[str, set[str]], set[str]]] = {}


def _known(scheme: Scheme) -> tuple[dict[str, set[str]], set[str]]:
    """The label names of each layer of ``scheme`` and its relation labels, built once per scheme."""
    hit = _KNOWN.get(id(scheme))
    if hit is None or hit[0] is not scheme:
        hit = _KNOWN[id(scheme)] = (scheme, {layer.name: set(layer.label_names) for layer in scheme.layers}, set(scheme.relation_labels))
    return hit[1], hit[2]


def unmapped_labels(task: dict, scheme: Scheme, counts: Counter) -> None:
    """Count into ``counts`` each ``<control>/<label>`` of ``task`` (after the map) that the
    scheme does not know: a label of a ``labels`` or ``choices`` result whose control is no
    layer of the scheme or whose layer lacks it, or ``relation/<label>`` for a relation
    label the scheme lacks. The sentence regions and notes of the newscorpus label config
    are not labels. Raises nothing."""
    layers, relations = _known(scheme)
    for item in _results(task):
        kind = item.get("type")
        if kind == "relation":
            for label in item.get("labels") or ():
                if isinstance(label, str) and label not in relations:
                    counts[f"relation/{label}"] += 1
            continue
        control = item.get("from_name")
        if kind not in ("labels", "choices") or control in (SENTENCE_CONTROL, SPAN_NOTE, ANNOTATION_NOTE):
            continue
        value = item.get("value")
        names = value.get(kind) if isinstance(value, dict) else None
        known = layers.get(control, set()) if isinstance(control, str) else set()
        for label in names if isinstance(names, list) else ():
            if isinstance(label, str) and label not in known:
                counts[f"{control}/{label}"] += 1


def unmapped_error(counts: Counter, *, file: str, where: str | None = None) -> ExportError:
    """The error of an export holding labels the scheme does not know, ``counts`` as
    :func:`unmapped_labels` gives them: every name with its count, most frequent first,
    then by name (``unmapped labels: entity/MISC (12), entity/EVENTX (1)``); ``where``
    (optional) names the first place one is met in ``file``."""
    listed = ", ".join(f"{name} ({n})" for name, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
    return ExportError(f"unmapped labels: {listed}", file=file, where=where, code="unmapped-label",
                       hint="map them onto the scheme with --label-map FILE (docs/corpus.md), or add them to the scheme; nothing was written")


def flat_merges(label_map: LabelMap, scheme: Scheme) -> list[str]:
    """What ``label_map`` sends together into a flat span layer of ``scheme`` (``overlap:
    false``), in words: ``"labels PER, PERS -> entity PERSON"`` for two project labels mapped
    to one label, ``"controls people, places -> entity"`` for two controls mapped to one
    layer. Spans that were apart in the project may overlap there after the map (the
    validator's ``span-overlap``); the import names these in its hint. Empty when none."""
    flat = {layer.name for layer in scheme.span_layers if not layer.overlap}
    out = []
    sources: dict[str, list[str]] = {}
    for control, layer in label_map.controls.items():
        sources.setdefault(layer, []).append(control)
    for layer, controls in sources.items():
        if layer in flat and len(controls) > 1:
            out.append(f"controls {', '.join(controls)} -> {layer}")
    for layer, names in label_map.labels.items():
        if layer not in flat:
            continue
        targets: dict[str, list[str]] = {}
        for source, target in names.items():
            targets.setdefault(target, []).append(source)
        out += [f"labels {', '.join(found)} -> {layer} {target}" for target, found in targets.items() if len(found) > 1]
    return out

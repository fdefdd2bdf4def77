"""The corpus rule ``scheme-label-removed``: a scheme may not lose a label its records use
unless its major version grows (docs/corpus.md, Changing the scheme; docs/schema.md, Rules).

Records name the scheme version they were written under (``$.scheme.version``). When the
scheme in use has another version of the same major version (1.0.0 and 1.1.0, say) and
lacks a label such records use, the scheme removed a label in use without a major version:
:func:`removed_label_violations` gives one violation per such label, with the number of
uses, the number of records and the first record as the example (the violation's file and
JSON path), beside the records' own ``unknown-label`` violations. A record of an older
major version (the scheme went from 1.x to 2.0.0) is left to those: the removal was
announced, and the records are to be relabelled or migrated.

It runs only over the files that already have an ``unknown-label`` violation: a valid
corpus costs nothing more.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from newscorpus.core.scheme import Scheme
from newscorpus.errors import RecordError
from newscorpus.records.io import load_record_json
from newscorpus.validate.rules import Loc, Violation

__all__ = ["removed_label_violations"]

_MAJOR = re.compile(r"(\d+)\.")


def _major(version: object) -> int | None:
    found = _MAJOR.match(version) if isinstance(version, str) else None
    return int(found.group(1)) if found else None


@dataclass
class _Use:
    """The uses of one missing label: how many, in which records, the first one."""

    count: int = 0
    records: set[str] = field(default_factory=set)
    first: tuple[str, Loc, str] | None = None  # file, location, the record's scheme version


def _labels(data: dict, scheme: Scheme) -> Iterator[tuple[str, str, Loc]]:
    """(layer, label, location) of every label of a known layer (or relation label) of
    ``data`` that ``scheme`` does not have there."""
    known = {layer.name: set(layer.label_names) for layer in scheme.layers}
    relations = set(scheme.relation_labels)
    parts = [(("annotations", i), a) for i, a in enumerate(data.get("annotations") or []) if isinstance(a, dict)]
    if isinstance(data.get("gold"), dict):
        parts.append((("gold",), data["gold"]))
    for loc, part in parts:
        for key in ("spans", "sentence_labels"):
            for j, item in enumerate(part.get(key) or []):
                if isinstance(item, dict) and item.get("layer") in known and item.get("label") not in known[item["layer"]]:
                    yield item["layer"], str(item.get("label")), (*loc, key, j, "label")
        for name, values in (part.get("article_labels") or {}).items():
            for j, value in enumerate(values if name in known and isinstance(values, list) else []):
                if value not in known[name]:
                    yield name, str(value), (*loc, "article_labels", name, j)
        for j, rel in enumerate(part.get("relations") or []):
            if isinstance(rel, dict) and rel.get("label") not in relations:
                yield "relations", str(rel.get("label")), (*loc, "relations", j, "label")


def removed_label_violations(results: Iterable[tuple[str, list[Violation]]], scheme: Scheme) -> list[Violation]:
    """``scheme-label-removed`` violations for ``results`` (file, its violations; in the
    order checked) under ``scheme``: one per label that records of the same scheme name, of
    another version with the scheme's major version, use and the scheme lacks. Reads again
    only the files with an ``unknown-label`` violation; never raises for bad records."""
    uses: dict[tuple[str, str], _Use] = {}
    major = _major(scheme.version)
    for file, violations in results:
        if major is None or not any(v.rule == "unknown-label" for v in violations):
            continue
        try:
            data = load_record_json(file)
        except RecordError:
            continue
        ref = data.get("scheme")
        if not isinstance(ref, dict) or ref.get("name") != scheme.name or ref.get("version") == scheme.version \
                or _major(ref.get("version")) != major:
            continue
        for layer, label, loc in _labels(data, scheme):
            use = uses.setdefault((layer, label), _Use())
            use.count += 1
            use.records.add(file)
            use.first = use.first or (file, loc, ref["version"])
    out = []
    for (layer, label), use in uses.items():
        file, loc, version = use.first  # type: ignore[misc]
        what = f"relation label {label!r}" if layer == "relations" else f"label {label!r} of layer {layer!r}"
        out.append(Violation(file, loc, "scheme-label-removed",
                             f"{what} is used {use.count} time(s) in {len(use.records)} record(s) of scheme {scheme.name} "
                             f"{version} (the first here), but scheme {scheme.name} {scheme.version} has no such label: "
                             f"removing a label in use needs a new major version ({major + 1}.0.0); put the label back, "
                             f"or make the scheme {major + 1}.0.0 and relabel those records"))
    return out

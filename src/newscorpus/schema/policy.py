"""The schema version policy, in code (docs/design.md, Schema and versioning; ``docs/schema.md``).

:func:`schema_changes` compares two JSON Schemas of article records and lists what changed,
each change marked breaking or not. Breaking: a removed (or renamed) field, a narrowed type,
a removed enum value (label, layer, status...), a new required field, a tighter bound, a new
or changed pattern or format, ``additionalProperties`` closed, a new conditional that applies
to values that already existed. Not breaking: a new optional field, a new label, a looser
bound, a changed description. :func:`check_policy` turns the changes into problems: a change
without a version bump, a breaking change without a major bump, a new version without a
``schema/CHANGELOG.md`` entry.

The comparison is structural, over the subset of JSON Schema the generated schema uses
(``type``, ``anyOf``, ``enum``, ``const``, bounds, ``pattern``, ``format``, ``properties``,
``required``, ``additionalProperties``, ``items``, ``allOf`` of ``if``/``then``, local
``$ref``); it errs on the side of calling a change breaking.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

__all__ = ["Change", "schema_changes", "check_policy", "parse_version"]

_LOWER = ("minimum", "exclusiveMinimum", "minLength", "minItems")
_UPPER = ("maximum", "exclusiveMaximum", "maxLength", "maxItems")
_DOC = ("title", "description", "default", "examples", "$id", "$schema")
# Differs by construction between versions: the file's own version.
_VERSION_CONST = "$.properties.schema_version"


@dataclass(frozen=True)
class Change:
    """One difference between two schemas: where (a path into the schema), what, and
    whether records valid under the old schema may be invalid under the new one."""

    where: str
    breaking: bool
    what: str

    def __str__(self) -> str:
        return f"{'BREAKING' if self.breaking else 'compatible'} {self.where}: {self.what}"


def parse_version(version: str) -> tuple[int, int, int]:
    """``"1.2.3"`` -> ``(1, 2, 3)``; raises ``ValueError`` for anything else."""
    major, minor, patch = (int(p) for p in version.split("."))
    return major, minor, patch


def _resolve(node: Any, root: dict[str, Any]) -> Any:
    while isinstance(node, dict) and isinstance(node.get("$ref"), str) and node["$ref"].startswith("#/"):
        target: Any = root
        for part in node["$ref"][2:].split("/"):
            target = target[part]
        node = {**target, **{k: v for k, v in node.items() if k != "$ref"}}
    return node


def _types(node: dict[str, Any], root: dict[str, Any]) -> set[str] | None:
    """The JSON types a node accepts, or None when it does not restrict them."""
    if "type" in node:
        declared = node["type"]
        return {declared} if isinstance(declared, str) else set(declared)
    if "anyOf" in node:
        out: set[str] = set()
        for branch in node["anyOf"]:
            sub = _types(_resolve(branch, root), root)
            if sub is None:
                return None
            out |= sub
        return out
    values = node.get("enum", [node["const"]] if "const" in node else None)
    if values is not None:
        return {_json_type(v) for v in values}
    return None


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    return {float: "number", str: "string", list: "array", dict: "object"}[type(value)]


class _Differ:
    def __init__(self, old_root: dict[str, Any], new_root: dict[str, Any]) -> None:
        self.old_root, self.new_root = old_root, new_root
        self.changes: list[Change] = []

    def add(self, where: str, breaking: bool, what: str) -> None:
        self.changes.append(Change(where, breaking, what))

    def walk(self, old: Any, new: Any, where: str, depth: int = 0) -> None:
        if isinstance(old, dict) and isinstance(new, dict) and "$ref" in old and old.get("$ref") == new.get("$ref"):
            for key in _DOC:  # the definition itself is compared once, under $.$defs
                if old.get(key) != new.get(key):
                    self.add(where, False, f"{key} changed")
            return
        old, new = _resolve(old, self.old_root), _resolve(new, self.new_root)
        if not isinstance(old, dict) or not isinstance(new, dict) or depth > 40:
            if old != new:
                self.add(where, True, f"changed from {old!r} to {new!r}")
            return
        for key in _DOC:
            if old.get(key) != new.get(key):
                self.add(where, False, f"{key} changed")
        self.types(old, new, where)
        self.values(old, new, where)
        self.bounds(old, new, where)
        self.objects(old, new, where, depth)
        if "items" in old or "items" in new:
            self.walk(old.get("items", {}), new.get("items", {}), f"{where}.items", depth + 1)
        self.branches(old, new, where, depth)
        self.conditions(old, new, where, depth)

    def types(self, old: dict, new: dict, where: str) -> None:
        before, after = _types(old, self.old_root), _types(new, self.new_root)
        if after is None:
            if before is not None:
                self.add(where, False, f"type widened from {sorted(before)} to any")
            return
        if before is None:
            self.add(where, True, f"type narrowed from any to {sorted(after)}")
            return
        lost = {t for t in before - after if not (t == "integer" and "number" in after)}
        if "number" in before and "number" not in after and "integer" in after:
            lost.add("number")
        if lost:
            self.add(where, True, f"type narrowed: no longer accepts {sorted(lost)}")
        elif after - before:
            self.add(where, False, f"type widened: now also accepts {sorted(after - before)}")

    def values(self, old: dict, new: dict, where: str) -> None:
        if "enum" in old and "enum" in new:
            removed = [v for v in old["enum"] if v not in new["enum"]]
            added = [v for v in new["enum"] if v not in old["enum"]]
            if removed:
                self.add(where, True, f"removed value(s) {removed} (a removed label is a major change)")
            if added:
                self.add(where, False, f"added value(s) {added}")
        elif "enum" in new and "const" not in old:
            self.add(where, True, f"restricted to the values {new['enum']}")
        elif "enum" in old and "enum" not in new and "const" not in new:
            self.add(where, False, "no longer restricted to a list of values")
        if old.get("const") != new.get("const") and where != _VERSION_CONST:
            self.add(where, "const" in new, f"constant changed from {old.get('const')!r} to {new.get('const')!r}")

    def bounds(self, old: dict, new: dict, where: str) -> None:
        for key in (*_LOWER, *_UPPER):
            a, b = old.get(key), new.get(key)
            if a == b:
                continue
            tighter = b is not None and (a is None or (b > a if key in _LOWER else b < a))
            self.add(where, tighter, f"{key} changed from {a} to {b}")
        for key in ("pattern", "format"):
            if old.get(key) != new.get(key):
                self.add(where, key in new, f"{key} changed from {old.get(key)!r} to {new.get(key)!r}")
        if old.get("uniqueItems", False) != new.get("uniqueItems", False):
            self.add(where, bool(new.get("uniqueItems")), f"uniqueItems is now {new.get('uniqueItems', False)}")

    def objects(self, old: dict, new: dict, where: str, depth: int) -> None:
        old_props, new_props = old.get("properties", {}), new.get("properties", {})
        for name, sub in old_props.items():
            if name in new_props:
                self.walk(sub, new_props[name], f"{where}.properties.{name}", depth + 1)
            else:
                self.add(f"{where}.properties.{name}", True, "field removed (or renamed)")
        closed_before = old.get("additionalProperties") is False
        for name in new_props.keys() - old_props.keys():
            self.add(f"{where}.properties.{name}", not closed_before, "field added" + ("" if closed_before else " where any value was allowed"))
        for name in sorted(set(new.get("required", [])) - set(old.get("required", []))):
            self.add(f"{where}.required", True, f"{name!r} is now required")
        for name in sorted(set(old.get("required", [])) - set(new.get("required", []))):
            self.add(f"{where}.required", False, f"{name!r} is no longer required")
        a, b = old.get("additionalProperties", True), new.get("additionalProperties", True)
        if isinstance(a, dict) and isinstance(b, dict):
            self.walk(a, b, f"{where}.additionalProperties", depth + 1)
        elif a != b:
            self.add(f"{where}.additionalProperties", b is False or (a is True and isinstance(b, dict)), f"changed from {a!r} to {b!r}")

    def branches(self, old: dict, new: dict, where: str, depth: int) -> None:
        """Recurse into ``anyOf`` branches paired by the types they accept."""
        if "anyOf" not in old or "anyOf" not in new:
            return
        new_by_type = {json.dumps(sorted(_types(_resolve(b, self.new_root), self.new_root) or [])): b for b in new["anyOf"]}
        for i, branch in enumerate(old["anyOf"]):
            key = json.dumps(sorted(_types(_resolve(branch, self.old_root), self.old_root) or []))
            if key in new_by_type:
                self.walk(branch, new_by_type[key], f"{where}.anyOf[{i}]", depth + 1)

    def conditions(self, old: dict, new: dict, where: str, depth: int) -> None:
        """``allOf`` of ``if``/``then``, paired by their ``if``."""
        before = {json.dumps(r.get("if"), sort_keys=True): r for r in old.get("allOf", [])}
        after = {json.dumps(r.get("if"), sort_keys=True): r for r in new.get("allOf", [])}
        for key, rule in after.items():
            if key in before:
                self.walk(before[key].get("then", {}), rule.get("then", {}), f"{where}.allOf[if {key}].then", depth + 1)
            elif not self._selects_only_new_values(rule.get("if", {}), old):
                self.add(f"{where}.allOf", True, f"new condition {key} applies to existing records")
            else:
                self.add(f"{where}.allOf", False, f"new condition {key} for new values only")
        for key in before.keys() - after.keys():
            self.add(f"{where}.allOf", False, f"condition {key} removed")

    def _selects_only_new_values(self, condition: dict, old: dict) -> bool:
        for name, sub in condition.get("properties", {}).items():
            old_prop = _resolve(old.get("properties", {}).get(name, {}), self.old_root)
            if "const" in sub and "enum" in old_prop and sub["const"] not in old_prop["enum"]:
                return True
        return False


def schema_changes(old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    """Every difference between schema ``old`` and schema ``new``: the root first, then each
    definition of ``$defs`` once (a ``$ref`` to the same definition is not followed; a
    ``$ref`` that changed target is compared by content)."""
    differ = _Differ(old, new)
    differ.walk({k: v for k, v in old.items() if k != "$defs"}, {k: v for k, v in new.items() if k != "$defs"}, "$")
    old_defs, new_defs = old.get("$defs", {}), new.get("$defs", {})
    for name, definition in old_defs.items():
        if name in new_defs:
            differ.walk(definition, new_defs[name], f"$.$defs.{name}")
    return differ.changes


def check_policy(*, old_version: str, old_schema: dict[str, Any], new_version: str, new_schema: dict[str, Any], changelog: str) -> list[str]:
    """The problems with releasing ``new_schema`` as ``new_version`` after ``old_version``.

    Empty when: nothing changed, or the version went up (a major bump when any change is
    breaking) and ``changelog`` (the text of ``schema/CHANGELOG.md``) has a ``## <new_version>``
    heading. Raises ``ValueError`` for a version that is not X.Y.Z.
    """
    changes = [c for c in schema_changes(old_schema, new_schema) if c.where not in ("$",) or c.what not in ("$id changed", "title changed", "description changed")]
    before, after = parse_version(old_version), parse_version(new_version)
    problems: list[str] = []
    if changes and after <= before:
        problems.append(f"the schema changed but its version did not go up from {old_version}: {changes[0]}")
    breaking = [c for c in changes if c.breaking]
    if breaking and after[0] <= before[0]:
        listed = "; ".join(str(c) for c in breaking[:5])
        problems.append(f"{len(breaking)} breaking change(s) from {old_version} to {new_version} need a major version ({before[0] + 1}.0.0) and a migration step: {listed}")
    if (changes or after != before) and not re.search(rf"^## \[?{re.escape(new_version)}\]?(\s|$)", changelog, re.M):
        problems.append(f"schema/CHANGELOG.md has no '## {new_version}' entry")
    return problems

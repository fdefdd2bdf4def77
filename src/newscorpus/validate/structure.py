"""Stage 1 of validation: pluggable JSON Schema checks with identical verdicts.

The reference is ``jsonschema``'s ``Draft202012Validator`` with format checking; the
default is ``jsonschema-rs`` (compiled, about 80 times faster), whose rejections the
reference re-explains, so errors and messages are always the reference's.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple, Protocol

import jsonschema_rs

from newscorpus.validate.rules import loc_key

__all__ = ["SchemaError", "SchemaCheck", "JsonschemaCheck", "JsonschemaRsCheck", "without_label_clauses", "SCHEMA_CHECKS",
           "DEFAULT_CHECKER"]


class SchemaError(NamedTuple):
    """One JSON Schema error: where (``loc``, keys and indexes), which ``keyword`` failed
    (``type``, ``enum``, ``required``...), and the validator's ``message``."""

    loc: tuple[int | str, ...]
    keyword: str
    message: str


class SchemaCheck(Protocol):
    """A stage-1 validator: built once from a schema dict, called once per record.

    Any implementation must give the same verdict as :class:`JsonschemaCheck` (empty list
    exactly when the record is valid); a faster one may report fewer errors per record.
    """

    def __call__(self, data: Any) -> list[SchemaError]: ...


class JsonschemaCheck:
    """The reference stage 1: ``jsonschema.Draft202012Validator`` with format checking.

    ``anyOf`` errors (``string or null``, ``Gold or null``) are reported by the branch that
    got furthest (deepest path, then not a type mismatch), so ``created_at: "yesterday"``
    reads ``'yesterday' is not a 'date-time'`` and a bad gold span is named by its path.
    """

    def __init__(self, schema: dict[str, Any]) -> None:
        # the one function-level import of newscorpus.validate, a third-party one (no cycle):
        # importing jsonschema costs about 1.3 s (its format checkers import rfc3987-syntax,
        # which builds a grammar), and the default jsonschema-rs check needs it only to
        # explain a rejected record
        from jsonschema import Draft202012Validator, FormatChecker

        Draft202012Validator.check_schema(schema)
        self._validator = Draft202012Validator(schema, format_checker=FormatChecker())

    def __call__(self, data: Any) -> list[SchemaError]:
        out = [SchemaError(tuple(error.absolute_path), str(error.validator), error.message)
               for top in self._validator.iter_errors(data) for error in _branch_errors(top)]
        return sorted(out, key=lambda e: loc_key(e.loc))


def _branch_errors(error: Any) -> list[Any]:
    """``error`` itself, or for an ``anyOf``/``oneOf`` error every error of the branch that
    got furthest (the one whose deepest error has the deepest path, then is not a mere type
    mismatch), nested branches unfolded the same way. Every error of that branch is kept: a
    gold with an unknown label *and* a missing span key reports both, so stage 2 never runs
    on a structure it cannot walk."""
    if error.validator not in ("anyOf", "oneOf") or not error.context:
        return [error]
    branches: dict[Any, list[Any]] = {}
    for sub in error.context:
        branches.setdefault(sub.relative_schema_path[0], []).append(sub)
    best = max(branches.values(), key=lambda subs: max((len(e.absolute_path), e.validator != "type") for e in subs))
    return [found for sub in best for found in _branch_errors(sub)]


class JsonschemaRsCheck:
    """A compiled stage 1: ``jsonschema-rs`` (Rust, draft 2020-12, formats checked) decides
    validity, about 80 times faster than the reference; a record it finds invalid is checked
    again by :class:`JsonschemaCheck`, so errors and messages are the reference's, and a
    record the reference finds valid always gets ``[]``. tests/unit/validate/test_fast_validate.py proves
    the verdicts identical on every fixture of ``tests/cases/validate``.

    ``decide``, when given, is the schema ``jsonschema-rs`` decides with instead of
    ``schema``: one that accepts at least what ``schema`` accepts (a record it accepts gets
    ``[]``; one it rejects gets the reference's errors under ``schema``). The caller then
    checks what ``decide`` leaves out itself: ``validate_record`` passes
    :func:`without_label_clauses`, whose clauses its stage 2 re-checks.
    """

    def __init__(self, schema: dict[str, Any], *, decide: dict[str, Any] | None = None) -> None:
        self._schema = schema
        self._reference: JsonschemaCheck | None = None  # built on the first rejected record
        self._fast = jsonschema_rs.Draft202012Validator(schema if decide is None else decide, validate_formats=True)

    def __call__(self, data: Any) -> list[SchemaError]:
        if self._fast.is_valid(data):
            return []
        if self._reference is None:
            self._reference = JsonschemaCheck(self._schema)
        return self._reference(data)


def _is_label_clause(clause: Any) -> bool:
    """True for ``{"if": {"properties": {"layer": {"const": L}}, "required": ["layer"]},
    "then": {"properties": {"label": ...}}}``: the label rule of one layer."""
    if not isinstance(clause, dict) or set(clause) != {"if", "then"}:
        return False
    test, then = clause["if"], clause["then"]
    if not isinstance(test, dict) or not isinstance(then, dict) or set(then) != {"properties"}:
        return False
    layer = test.get("properties", {}).get("layer") if isinstance(test.get("properties"), dict) else None
    return (isinstance(layer, dict) and set(layer) == {"const"} and test == {"properties": {"layer": layer}, "required": ["layer"]}
            and isinstance(then["properties"], dict) and set(then["properties"]) == {"label"})


def without_label_clauses(schema: dict[str, Any]) -> dict[str, Any]:
    """A copy of ``schema`` (an article record schema) without the label rule of each layer:
    the ``allOf`` clauses ``if layer == L then label is one of L's labels`` of its ``$defs``
    (``Span`` and ``SentenceLabel``, as :func:`newscorpus.schema.generate.build_schema`
    writes them). Everything else is kept, so it accepts what ``schema`` accepts and also a
    span or sentence label of a known layer with a label of another: the ``unknown-label``
    that stage 2 of validation re-checks whenever the rest of stage 1 passes (those clauses
    are about a third of ``jsonschema-rs``'s time on a record of 200 spans). ``schema`` is
    not changed."""
    defs = {}
    for name, definition in schema.get("$defs", {}).items():
        clauses = definition.get("allOf") if isinstance(definition, dict) else None
        if isinstance(clauses, list) and any(map(_is_label_clause, clauses)):
            definition = {key: value for key, value in definition.items() if key != "allOf"}
            kept = [clause for clause in clauses if not _is_label_clause(clause)]
            if kept:
                definition["allOf"] = kept
        defs[name] = definition
    return {**schema, "$defs": defs} if "$defs" in schema else dict(schema)


#: The schema check used unless one is named: ``jsonschema-rs`` (verdicts identical to the
#: reference ``jsonschema``, which re-explains every record it rejects).
DEFAULT_CHECKER = "jsonschema-rs"

#: Schema checks by name. To add one (say, a compiled validator for speed), map a name to a
#: callable that takes the schema dict and returns a :class:`SchemaCheck`; a test must show
#: it gives the same verdicts as ``jsonschema`` over ``tests/cases/validate``.
SCHEMA_CHECKS: dict[str, Callable[[dict[str, Any]], SchemaCheck]] = {
    "jsonschema": JsonschemaCheck,
    "jsonschema-rs": JsonschemaRsCheck,
}

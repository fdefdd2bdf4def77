"""Validation of article records: JSON Schema first, then the checks of meaning.

Each file is read and parsed once; the parsed record goes through

0. the version check: ``schema_version`` present, known, and current (an older known
   version is reported as ``outdated-schema-version`` and validated against its own
   published schema; a newer one stops here: upgrade newscorpus);
1. the published JSON Schema (draft 2020-12, format checking on, offline), through a
   pluggable *schema check* (:mod:`newscorpus.validate.structure`; the default is
   ``jsonschema-rs``, whose rejections the reference ``jsonschema`` re-explains);
2. the semantic checks of :mod:`newscorpus.validate.semantic`, when stage 1 found the structure sound
   (no wrong type, missing key or out-of-range number).

Both stages report :class:`~newscorpus.validate.rules.Violation` objects with stable rule codes; a
rule checked in both stages (unknown labels, cardinality...) is reported once, with stage 2's
more specific message. :func:`validate_paths` returns a :class:`ValidationResult`; the
reporters of :data:`REPORTERS` turn it into text or JSON.
"""

from __future__ import annotations

import json
import os
import stat
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from newscorpus.validate.semantic import semantic_violations
from newscorpus.errors import RecordError, SchemaVersionError
from newscorpus.core.models import SCHEMA_VERSION
from newscorpus.util.parallel import default_workers, ordered_map
from newscorpus.records.access import locked_folders
from newscorpus.records.io import iter_record_paths, load_record_json, scheme_mismatch
from newscorpus.validate.folder import folder_violations
from newscorpus.validate.removed_labels import removed_label_violations
from newscorpus.validate.rules import RULES, Violation, loc_key
from newscorpus.validate.structure import (DEFAULT_CHECKER, SCHEMA_CHECKS, JsonschemaCheck, JsonschemaRsCheck, SchemaCheck, SchemaError,
                                           without_label_clauses)
from newscorpus.schema.generate import build_schema, load_schema
from newscorpus.core.scheme import Scheme, default_scheme

__all__ = [
    "SchemaError",
    "SchemaCheck",
    "JsonschemaCheck",
    "JsonschemaRsCheck",
    "SCHEMA_CHECKS",
    "DEFAULT_CHECKER",
    "FileResult",
    "ValidationResult",
    "validate_record",
    "validate_paths",
    "record_files",
    "render_text",
    "render_json",
    "REPORTERS",
]


# Rules stage 2 re-checks with better messages: dropped from stage 1 when stage 2 runs.
_RECHECKED = {"unknown-label", "unknown-layer", "single-cardinality", "duplicate-label", "not-pseudonymous"}
# Keywords after whose failure the record's structure can still be walked by stage 2.
_SOUND = {"enum", "const", "pattern", "format", "maxItems", "uniqueItems", "additionalProperties", "minLength", "maxLength"}


def _rule_of(error: SchemaError) -> str:
    loc, keyword = error.loc, error.keyword
    last = loc[-1] if loc else None
    in_article = len(loc) >= 2 and loc[-2] == "article_labels"
    if keyword == "enum" and (last == "label" or (len(loc) >= 3 and loc[-3] == "article_labels")):
        return "unknown-label"
    if keyword == "enum" and last == "layer":
        return "unknown-layer"
    if keyword == "additionalProperties" and last == "article_labels":
        return "unknown-layer"
    if keyword == "maxItems" and in_article:
        return "single-cardinality"
    if keyword == "uniqueItems" and in_article:
        return "duplicate-label"
    if keyword == "pattern" and last == "annotator":
        return "not-pseudonymous"
    return "schema"


@dataclass(frozen=True)
class FileResult:
    """The violations of one file (``file`` as given); valid when there are none."""

    file: str
    violations: list[Violation]

    @property
    def valid(self) -> bool:
        """True when the file broke no rule."""
        return not self.violations


@dataclass(frozen=True)
class ValidationResult:
    """The outcome of one run: a :class:`FileResult` per file, in the order checked."""

    files: list[FileResult] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        """True when every file is valid."""
        return all(f.valid for f in self.files)

    @property
    def violations(self) -> list[Violation]:
        """All violations, file by file."""
        return [v for f in self.files for v in f.violations]

    @property
    def counts(self) -> dict[str, int]:
        """Number of violations per rule code, in :data:`~newscorpus.validate.rules.RULES` order."""
        counter = Counter(v.rule for v in self.violations)
        return {code: counter[code] for code in RULES if counter[code]}


_CHECKS: dict[tuple[str, int, str], tuple[Scheme, SchemaCheck]] = {}


def _check_for(version: str, scheme: Scheme, checker: str) -> SchemaCheck:
    """The schema check of (version, scheme, checker), built once (keyed by the scheme's
    identity: hashing a scheme model on every record would cost more than the check)."""
    hit = _CHECKS.get((version, id(scheme), checker))
    if hit is None or hit[0] is not scheme:
        hit = (scheme, _make_check(version, scheme, checker))
        _CHECKS[version, id(scheme), checker] = hit
    return hit[1]


@cache
def _make_check(version: str, scheme: Scheme, checker: str) -> SchemaCheck:
    factory = SCHEMA_CHECKS[checker]
    schema = load_schema(version) if scheme == default_scheme() or version != SCHEMA_VERSION else build_schema(scheme, version=version)
    if factory is JsonschemaRsCheck:
        # unknown-label errors of stage 1 are dropped whenever stage 2 runs, and stage 2 runs
        # whenever the rest of the schema passes: jsonschema-rs need not decide the label
        # rules (the same violations: tests/unit/validate/test_fast_validate.py)
        return JsonschemaRsCheck(schema, decide=without_label_clauses(schema))
    return factory(schema)


def _version_stage(data: dict[str, Any], file: str) -> tuple[str | None, list[Violation]]:
    """The schema version to validate against (None: stop here) and the version violations."""
    version = data.get("schema_version")
    if version == SCHEMA_VERSION:
        return version, []
    try:
        parts = tuple(int(p) for p in version.split(".")) if isinstance(version, str) else ()
    except ValueError:
        parts = ()
    if len(parts) != 3:
        message = "missing: every record says which schema version it follows" if version is None else f"{version!r} is not a semantic version X.Y.Z"
        return None, [Violation(file, ("schema_version",), "schema-version", message)]
    current = tuple(int(p) for p in SCHEMA_VERSION.split("."))
    if parts == current:
        return version, []
    if parts > current:
        message = f"{version} is newer than this newscorpus supports ({SCHEMA_VERSION}): upgrade newscorpus (pip install -U newscorpus)"
        return None, [Violation(file, ("schema_version",), "unknown-schema-version", message)]
    try:
        load_schema(version)
    except SchemaVersionError:
        message = f"{version} was never published (current: {SCHEMA_VERSION}); the record cannot be read"
        return None, [Violation(file, ("schema_version",), "unknown-schema-version", message)]
    message = f"{version} is older than the current {SCHEMA_VERSION}: run `newscorpus migrate {file}`"
    return version, [Violation(file, ("schema_version",), "outdated-schema-version", message)]


def validate_record(data: Any, *, file: str, scheme: Scheme | None = None, checker: str = DEFAULT_CHECKER) -> list[Violation]:
    """Every rule one parsed record breaks (stages 0, 1 and 2), in location order.

    ``data`` is the parsed JSON, ``file`` the path it came from (the name must be
    ``<id>.json``), ``scheme`` the annotation scheme (default: the package's), ``checker`` a
    key of :data:`SCHEMA_CHECKS`. Pure: reads nothing, raises nothing for bad records.
    """
    scheme = scheme or default_scheme()
    if not isinstance(data, dict):
        return [Violation(file, (), "not-an-object", f"a record is a JSON object, found {type(data).__name__}")]
    version, found = _version_stage(data, file)
    if version is None:
        return found
    ref = data.get("scheme")
    if isinstance(ref, dict) and isinstance(ref.get("name"), str) and ref["name"] != scheme.name:
        err = scheme_mismatch(ref["name"], scheme)  # labels of another scheme: nothing else to check
        return found + [Violation(file, ("scheme", "name"), err.code, f"{err.message}; {err.hint}")]
    errors = _check_for(version, scheme, checker)(data)
    stage1 = [Violation(file, e.loc, _rule_of(e), e.message) for e in errors]
    if all(e.keyword in _SOUND for e in errors):
        stage1 = [v for v in stage1 if v.rule not in _RECHECKED]
        found += stage1 + semantic_violations(data, file=file, scheme=scheme)
    else:
        found += stage1
    return sorted(found, key=lambda v: loc_key(v.loc))


@locked_folders("paths", "check")
def validate_paths(
    paths: Sequence[str | Path] | str | Path = ("annotations",),
    *,
    scheme: Scheme | None = None,
    checker: str = DEFAULT_CHECKER,
    on_file: Callable[[Path], None] | None = None,
    workers: int | None = None,
) -> ValidationResult:
    """Validate record files: each path is a ``.json`` file or a folder of them (``*.json``).

    ``on_file`` is called once per file, in order (before it is checked, or as its result
    arrives from a worker), for a progress bar. ``workers`` is the number of processes
    (default: one per CPU from :data:`POOL_THRESHOLD` files, else 1; ``NEWSCORPUS_WORKERS``
    overrides); the result is the same for any number. A path that does not exist is a
    ``not-found`` violation; unreadable files are ``not-utf8``, ``invalid-json`` or
    ``not-an-object`` violations; entries that are not regular files ``record-symlink``,
    ``record-folder``, ``record-special-file``; what a killed command left in a folder
    ``interrupted-change`` or ``leftover-staging`` (:mod:`newscorpus.validate.folder`). Never
    raises for bad input; reads holding each folder's lock (:class:`~newscorpus.errors.LockError`).
    ``scheme``: the annotation scheme in use (default: the packaged one).
    """
    scheme = scheme or default_scheme()
    if isinstance(paths, (str, Path)):
        paths = [paths]
    listed = [(Path(p), record_files([p])) for p in paths]  # each folder listed (and sorted) once
    empty = [path for path, files in listed if path.is_dir() and not files]
    leftover = [FileResult(v.file, [v]) for v in folder_violations(paths)]
    targets = [target for _, files in listed for target in files]
    if workers is None:
        workers = default_workers(len(targets), threshold=POOL_THRESHOLD)
    files: list[FileResult] = []
    if workers <= 1:
        for target in targets:
            if on_file is not None:
                on_file(target)
            files.append(_validate_file(target, scheme, checker))
        return ValidationResult(_no_records(empty) + leftover + _with_removed_labels(files, scheme))
    chunks = [targets[i : i + _CHUNK] for i in range(0, len(targets), _CHUNK)]
    results = ordered_map(_validate_chunk, chunks, workers=workers, initializer=_set_options, initargs=(scheme, checker))
    for chunk, chunk_results in zip(chunks, results):
        for target, result in zip(chunk, chunk_results):
            if on_file is not None:
                on_file(target)
            files.append(result)
    return ValidationResult(_no_records(empty) + leftover + _with_removed_labels(files, scheme))


def _with_removed_labels(files: list[FileResult], scheme: Scheme) -> list[FileResult]:
    """``files`` with the corpus rule ``scheme-label-removed``
    (:func:`~newscorpus.validate.removed_labels.removed_label_violations`) added to the
    file of each violation's example record."""
    extra: dict[str, list[Violation]] = {}
    for violation in removed_label_violations(((f.file, f.violations) for f in files), scheme):
        extra.setdefault(violation.file, []).append(violation)
    if not extra:
        return files
    return [FileResult(f.file, sorted(f.violations + extra[f.file], key=lambda v: loc_key(v.loc))) if f.file in extra else f
            for f in files]


def _no_records(folders: list[Path]) -> list[FileResult]:
    """A ``no-records`` violation per folder without records: CI pointed at the wrong folder fails."""
    return [FileResult(str(f), [Violation(str(f), (), "no-records", "no record files (*.json) in this folder")]) for f in folders]


#: Folders of at least this many files are validated by a process pool (both cores).
POOL_THRESHOLD = 4000
_CHUNK = 64
_OPTIONS: tuple[Scheme | None, str] = (None, DEFAULT_CHECKER)


def _set_options(scheme: Scheme | None, checker: str) -> None:
    global _OPTIONS
    _OPTIONS = (scheme, checker)


def _validate_chunk(targets: list[Path]) -> list[FileResult]:
    scheme, checker = _OPTIONS
    return [_validate_file(target, scheme, checker) for target in targets]


def _validate_file(target: Path, scheme: Scheme | None, checker: str) -> FileResult:
    """Read, parse (once) and validate one file; unreadable or missing files are violations."""
    try:  # one lstat: a dangling link exists (it is record-symlink)
        mode = os.lstat(target).st_mode
    except (FileNotFoundError, NotADirectoryError):
        return FileResult(str(target), [Violation(str(target), (), "not-found", "no such file or folder")])
    try:  # a regular file is read here; load_record_json names anything else (without opening it)
        data = load_record_json(target, target.read_bytes() if stat.S_ISREG(mode) else None)
    except RecordError as exc:
        return FileResult(str(target), [Violation(str(target), (), exc.code, exc.message)])
    return FileResult(str(target), validate_record(data, file=str(target), scheme=scheme, checker=checker))


def record_files(paths: Iterable[str | Path]) -> list[Path]:
    """The files ``validate_paths`` checks, in its order: each folder's ``*.json`` records
    (sorted), other paths as given (a missing one is kept: it becomes ``not-found``)."""
    out: list[Path] = []
    for path in paths:
        path = Path(path)
        out.extend(iter_record_paths(path) if path.is_dir() else [path])
    return out


def render_text(result: ValidationResult) -> str:
    """Human report: one line per violation (``file::$.path: message [rule]``), grouped by
    file with a blank line between files, then a summary with the count per rule."""
    blocks = ["\n".join(str(v) for v in f.violations) for f in result.files if f.violations]
    n_files = len(result.files)
    if result.valid:
        return f"valid: {n_files} file{'s' * (n_files != 1)} checked, no errors\n"
    bad = sum(not f.valid for f in result.files)
    total = len(result.violations)
    width = max(len(code) for code in result.counts)
    summary = [f"invalid: {total} error{'s' * (total != 1)} in {bad} of {n_files} file{'s' * (n_files != 1)}"]
    summary += [f"  {code:<{width}}  {count}" for code, count in result.counts.items()]
    return "\n\n".join(blocks) + "\n\n" + "\n".join(summary) + "\n"


def render_json(result: ValidationResult) -> str:
    """Tool report: ``{"valid", "files_checked", "errors": [{file, path, rule, message}],
    "counts": {rule: n}}`` as indented JSON."""
    doc = {
        "valid": result.valid,
        "files_checked": len(result.files),
        "errors": [v.to_dict() for v in result.violations],
        "counts": result.counts,
    }
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


#: Reporters by ``--format`` name.
REPORTERS: dict[str, Callable[[ValidationResult], str]] = {"text": render_text, "json": render_json}

"""Migrations: upgrading article records from an older schema version to the current one.

A migration step is a pure function from a record of one version (a parsed JSON dict) to a
record of the next version. :data:`MIGRATIONS` holds the steps by source version; a record
is upgraded by chaining them until it reaches :data:`~newscorpus.core.models.SCHEMA_VERSION`.

To add a version: publish its schema (``newscorpus schema --write`` after bumping
``SCHEMA_VERSION``), write a step function from the previous version, register it below,
add a ``schema/CHANGELOG.md`` entry, and a test that a record of the previous version
migrates and validates. A major version (a removed or renamed field, a changed meaning, a
removed label) always needs a step that rewrites the data; a minor one may only bump the
version.

:func:`newscorpus.records.io.read_record` runs the same chain in memory, so older records stay
readable; ``newscorpus migrate`` rewrites the files so that what is committed is current.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from newscorpus.errors import RecordError, SchemaVersionError
from newscorpus.records.access import locked_folders
from newscorpus.records.journal import commit_files
from newscorpus.core.models import SCHEMA_VERSION, ArticleRecord

__all__ = ["Step", "MIGRATIONS", "migrate_data", "FileMigration", "MigrationReport", "migrate_paths"]


@dataclass(frozen=True)
class Step:
    """One migration: records of ``source`` become records of ``target`` via ``apply``
    (a pure function on the parsed record; it need not set ``schema_version``)."""

    source: str
    target: str
    summary: str
    apply: Callable[[dict[str, Any]], dict[str, Any]]


def _1_0_0_to_1_1_0(data: dict[str, Any]) -> dict[str, Any]:
    """1.1.0 adds an optional ``note`` (string or null) to spans and annotations. A note
    that is absent is null, so a 1.0.0 record is a 1.1.0 record as it stands."""
    return data


#: Migration steps by source version.
MIGRATIONS: dict[str, Step] = {
    "1.0.0": Step("1.0.0", "1.1.0", "optional free-text `note` on spans and annotations", _1_0_0_to_1_1_0),
}


def migrate_data(data: dict[str, Any], *, file: str | None = None) -> tuple[dict[str, Any], list[Step]]:
    """Upgrade one parsed record to :data:`SCHEMA_VERSION`; ``data`` is not modified.

    Returns the upgraded record and the steps applied (empty when it was current). Raises
    :class:`~newscorpus.errors.SchemaVersionError` when the version is missing, malformed,
    newer than this package (upgrade newscorpus), or has no migration path.
    """
    from newscorpus.records.io import check_schema_version

    version = check_schema_version(data, file)
    steps: list[Step] = []
    while version != SCHEMA_VERSION:
        step = MIGRATIONS.get(version)
        if step is None:
            raise SchemaVersionError(
                f"no migration from schema_version {version} to {SCHEMA_VERSION}",
                file=file,
                where="$.schema_version",
                hint=f"versions that migrate: {', '.join(sorted(MIGRATIONS)) or 'none'}",
            )
        data = step.apply(copy.deepcopy(data))
        data["schema_version"] = version = step.target
        steps.append(step)
    return data, steps


@dataclass(frozen=True)
class FileMigration:
    """One file: its version before and the steps that bring it to the current version."""

    file: str
    source: str
    steps: list[Step] = field(default_factory=list)

    @property
    def pending(self) -> bool:
        """True when the file is not at the current version."""
        return bool(self.steps)


@dataclass(frozen=True)
class MigrationReport:
    """The outcome of :func:`migrate_paths`: every file seen and whether files were written."""

    files: list[FileMigration]
    written: bool

    @property
    def pending(self) -> list[FileMigration]:
        """The files that were (or, with ``check``, would be) migrated."""
        return [f for f in self.files if f.pending]

    def lines(self) -> list[str]:
        """One line per migrated file and a summary line."""
        verb = "migrated" if self.written else "needs migration"
        out = [f"{f.file}: {verb} {f.source} -> {SCHEMA_VERSION}" for f in self.pending]
        out.append(f"{len(self.pending)} of {len(self.files)} record(s) {'migrated' if self.written else 'to migrate'}; current schema {SCHEMA_VERSION}")
        return out


@locked_folders("paths", lambda args: "read" if args["check"] else "write")
def migrate_paths(paths: Sequence[str | Path], *, check: bool = False) -> MigrationReport:
    """Upgrade the record files of ``paths`` (files, or folders of ``*.json``) in place.

    Every file is read, migrated and type-checked against the current models first; only
    then are the changed files written canonically (:func:`newscorpus.records.io.dump_record`),
    all or nothing per folder across crashes (:func:`newscorpus.records.journal.commit_files`),
    holding the folders' locks. With ``check`` nothing is written. Raises
    :class:`~newscorpus.errors.RecordError` (file and JSON path) for a file that cannot be
    read or does not fit the models after migration, and
    :class:`~newscorpus.errors.SchemaVersionError` for a version with no migration path;
    in both cases nothing is written.
    """
    from newscorpus.records.io import dump_record, iter_record_paths, json_path, load_record_json

    planned: list[tuple[Path, FileMigration, str | None]] = []
    for target in paths:
        target = Path(target)
        if not target.exists():
            raise RecordError("no such file or folder", file=str(target), code="not-found")
        for path in iter_record_paths(target):
            data = load_record_json(path)
            new, steps = migrate_data(data, file=str(path))
            text = None
            if steps:
                try:
                    text = dump_record(ArticleRecord.model_validate(new))
                except ValidationError as exc:
                    err = exc.errors()[0]
                    raise RecordError(
                        f"after migration to {SCHEMA_VERSION}: {err['msg']}",
                        file=str(path),
                        where=json_path(err["loc"]),
                        code="invalid-record",
                        hint="fix the record by hand, then migrate again",
                    ) from exc
            planned.append((path, FileMigration(str(path), data["schema_version"], steps), text))
    if not check:
        commit_files(((path, text.encode("utf-8")) for path, _, text in planned if text is not None), kind="migrate")
    return MigrationReport([item for _, item, _ in planned], written=not check)

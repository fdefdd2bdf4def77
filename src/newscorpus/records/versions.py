"""Schema versions of article records: reading a record's version and upgrading its data.

A migration step is a pure function from a record of one version (a parsed JSON dict) to a
record of the next version. :data:`MIGRATIONS` holds the steps by source version; a record
is upgraded by chaining them until it reaches :data:`~newscorpus.core.models.SCHEMA_VERSION`
(:func:`migrate_data`). This module reads and writes no file: :func:`newscorpus.records.io.read_record`
runs the chain in memory, so older records stay readable, and
:func:`newscorpus.records.migrate.migrate_paths` (``newscorpus migrate``) rewrites the files
so that what is committed is current.

To add a version: publish its schema (``newscorpus schema --write`` after bumping
``SCHEMA_VERSION``), write a step function from the previous version, register it below,
add a ``schema/CHANGELOG.md`` entry, and a test that a record of the previous version
migrates and validates. A major version (a removed or renamed field, a changed meaning, a
removed label) always needs a step that rewrites the data; a minor one may only bump the
version (docs/design.md, Schema and versioning).
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from newscorpus.core.models import SCHEMA_VERSION
from newscorpus.errors import SchemaVersionError

__all__ = ["Step", "MIGRATIONS", "SCHEME_BEFORE_1_2_0", "check_schema_version", "migrate_data"]


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


#: The scheme every record before 1.2.0 follows: nothing could replace the packaged scheme
#: then, and ``newscorpus-default`` had one version.
SCHEME_BEFORE_1_2_0 = {"name": "newscorpus-default", "version": "1.0.0"}


def _1_1_0_to_1_2_0(data: dict[str, Any]) -> dict[str, Any]:
    """1.2.0 adds an optional ``scheme`` (name and version of the annotation scheme the
    record follows); a 1.1.0 record follows :data:`SCHEME_BEFORE_1_2_0`."""
    data["scheme"] = dict(SCHEME_BEFORE_1_2_0)
    return data


def _1_2_0_to_1_3_0(data: dict[str, Any]) -> dict[str, Any]:
    """1.3.0 adds an optional ``revisions`` (the corrections of the text, ``newscorpus
    revise``); a 1.2.0 record has had none, so it is a 1.3.0 record as it stands."""
    return data


#: Migration steps by source version.
MIGRATIONS: dict[str, Step] = {
    "1.0.0": Step("1.0.0", "1.1.0", "optional free-text `note` on spans and annotations", _1_0_0_to_1_1_0),
    "1.1.0": Step("1.1.0", "1.2.0", "optional `scheme` (name, version) the record follows", _1_1_0_to_1_2_0),
    "1.2.0": Step("1.2.0", "1.3.0", "optional `revisions`: the corrections of the text", _1_2_0_to_1_3_0),
}


def check_schema_version(data: dict, file: str | None = None) -> str:
    """The record's ``schema_version``. Raises :class:`SchemaVersionError` when it is missing,
    malformed or newer than this package's :data:`SCHEMA_VERSION`."""
    version = data.get("schema_version")
    if not isinstance(version, str):
        raise SchemaVersionError(
            "no schema_version: every record must say which schema version it follows",
            file=file,
            where="$.schema_version",
        )
    try:
        parts = tuple(int(p) for p in version.split("."))
    except ValueError:
        parts = ()
    if len(parts) != 3:
        raise SchemaVersionError(f"schema_version {version!r} is not a semantic version X.Y.Z", file=file, where="$.schema_version")
    current = tuple(int(p) for p in SCHEMA_VERSION.split("."))
    if parts > current:
        raise SchemaVersionError(
            f"schema_version {version} is newer than this newscorpus supports ({SCHEMA_VERSION})",
            file=file,
            where="$.schema_version",
            hint="upgrade newscorpus (pip install -U newscorpus) to read this record",
        )
    return version


def migrate_data(data: dict[str, Any], *, file: str | None = None) -> tuple[dict[str, Any], list[Step]]:
    """Upgrade one parsed record to :data:`SCHEMA_VERSION`; ``data`` is not modified.

    Returns the upgraded record and the steps applied (empty when it was current). Raises
    :class:`~newscorpus.errors.SchemaVersionError` when the version is missing, malformed,
    newer than this package (upgrade newscorpus), or has no migration path.
    """
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

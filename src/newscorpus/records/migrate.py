"""``newscorpus migrate``: upgrading the record files of folders to the current schema version.

The steps and the version parsing are :mod:`newscorpus.records.versions` (pure, on parsed
records); this module reads every file, migrates and type-checks it, and writes the changed
ones back canonically (:mod:`newscorpus.records.io`), all or nothing.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from newscorpus.records.access import locked_folders
from newscorpus.records.journal import commit_files
from newscorpus.core.models import SCHEMA_VERSION, ArticleRecord
from newscorpus.core.scheme import Scheme
from newscorpus.errors import RecordError
from newscorpus.records.io import dump_record, iter_record_paths, json_path, load_record_json
from newscorpus.records.versions import Step, migrate_data

__all__ = ["FileMigration", "MigrationReport", "migrate_paths"]


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
def migrate_paths(paths: Sequence[str | Path], *, scheme: Scheme, check: bool = False) -> MigrationReport:
    """Upgrade the record files of ``paths`` (files, or folders of ``*.json``) in place.

    Each file is read, migrated, type-checked against the current models and staged
    canonically under ``scheme`` (the annotation scheme in use;
    :func:`newscorpus.records.io.dump_record`) before the next is read, so memory stays flat;
    the changed files are moved in at the end, all or nothing per folder across crashes
    (:func:`newscorpus.records.journal.commit_files`), holding the folders' locks.
    With ``check`` nothing is written. Raises
    :class:`~newscorpus.errors.RecordError` (file and JSON path) for a file that cannot be
    read or does not fit the models after migration, and
    :class:`~newscorpus.errors.SchemaVersionError` for a version with no migration path;
    in both cases nothing is written.
    """
    files: list[FileMigration] = []

    def migrated() -> Iterator[tuple[Path, bytes]]:
        # One record at a time: each is read, migrated, type-checked and staged before the
        # next is read (memory stays flat); an error stops the generator, and commit_files
        # then discards what was staged, so nothing is written.
        for target in paths:
            target = Path(target)
            if not target.exists():
                raise RecordError("no such file or folder", file=str(target), code="not-found")
            for path in iter_record_paths(target):
                data = load_record_json(path)
                new, steps = migrate_data(data, file=str(path))
                files.append(FileMigration(str(path), data["schema_version"], steps))
                if not steps:
                    continue
                try:
                    record = ArticleRecord.model_validate(new)
                except ValidationError as exc:
                    err = exc.errors()[0]
                    raise RecordError(
                        f"after migration to {SCHEMA_VERSION}: {err['msg']}",
                        file=str(path),
                        where=json_path(err["loc"]),
                        code="invalid-record",
                        hint="fix the record by hand, then migrate again",
                    ) from exc
                yield path, dump_record(record, scheme, file=str(path)).encode("utf-8")

    if check:
        for _ in migrated():
            pass
    else:
        commit_files(migrated(), kind="migrate")
    return MigrationReport(files, written=not check)

"""The entries of a folder of records that are not records: a journal, leftovers, and
``*.json`` entries that are not regular files (docs/team.md).

Commands that change many records stage them in a folder inside the records' folder
(names starting with one of :data:`STAGING_PREFIXES`) and write a journal
(:data:`JOURNAL_NAME`) before moving them in (:mod:`newscorpus.records.journal`); atomic
writes go through ``.<name>.<random>.tmp`` files. After a crash these stay behind:
:func:`scan_folder` finds them in one listing, without opening anything.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from newscorpus.util.filekind import entry_kind

__all__ = ["JOURNAL_NAME", "STAGING_PREFIXES", "FolderScan", "scan_folder", "is_staging_name"]

#: The journal of a change being moved in (present only while a command moves records in,
#: or after it was killed doing so).
JOURNAL_NAME = ".newscorpus.journal"
#: The names of staging folders start with one of these (one per command that stages).
STAGING_PREFIXES = (".import-", ".ingest-", ".migrate-", ".adjudicate-", ".revise-", ".sentences-")
_TEMP_SUFFIX = ".tmp"  # atomic writes: .<name>.<random>.tmp (newscorpus.util.fileio)


def is_staging_name(name: str) -> bool:
    """True for the name of a staging folder (``.import-k2j4``, ...)."""
    return name.startswith(STAGING_PREFIXES) and "/" not in name and len(name) > 1


@dataclass(frozen=True)
class FolderScan:
    """What one listing of a folder found besides records: whether a ``journal`` is there,
    the ``leftovers`` (``(name, what)`` with ``what`` ``"a staging folder"`` or ``"a
    temporary file"``, sorted by name) and the ``irregular`` ``*.json`` entries
    (``(name, kind)``, kind as :func:`newscorpus.util.filekind.file_kind` says it, sorted)."""

    journal: bool = False
    leftovers: list[tuple[str, str]] = field(default_factory=list)
    irregular: list[tuple[str, str]] = field(default_factory=list)

    @property
    def interrupted(self) -> bool:
        """True when a crashed command left something to finish or remove."""
        return self.journal or bool(self.leftovers)


def scan_folder(folder: str | Path, *, records: bool = True) -> FolderScan:
    """List ``folder`` once (it must exist) and sort out what is not a record. With
    ``records=False`` the ``*.json`` entries are not looked at (``irregular`` stays empty).
    Raises ``OSError`` when the folder cannot be listed."""
    journal = False
    leftovers: list[tuple[str, str]] = []
    irregular: list[tuple[str, str]] = []
    with os.scandir(folder) as entries:
        for entry in entries:
            name = entry.name
            if name[0] == ".":
                if name == JOURNAL_NAME:
                    journal = True
                elif is_staging_name(name):
                    leftovers.append((name, "a staging folder"))
                elif name.endswith(_TEMP_SUFFIX):
                    leftovers.append((name, "a temporary file"))
            elif records and name.endswith(".json"):
                kind = entry_kind(entry)
                if kind is not None:
                    irregular.append((name, kind))
    return FolderScan(journal, sorted(leftovers), sorted(irregular))

"""Checks of a folder of records as a whole: what a killed command left in it.

``validate`` changes nothing, so that CI sees what a commit holds: a pending journal of an
interrupted change (``interrupted-change``) and staging folders or temporary files
(``leftover-staging``) are errors here, to be finished or removed with ``newscorpus
recover`` (every command that writes the folder does the same first). Entries named
``*.json`` that are not regular files are reported as each is read
(:func:`newscorpus.records.io.load_record_json`).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from newscorpus.records.entries import JOURNAL_NAME, scan_folder
from newscorpus.validate.rules import Violation

__all__ = ["folder_violations"]


def folder_violations(paths: Iterable[str | Path]) -> list[Violation]:
    """The violations of the folders among ``paths`` (files are skipped), folder by folder:
    one ``interrupted-change`` for a pending journal, one ``leftover-staging`` per leftover
    (file: the leftover's path, location ``$``)."""
    found: list[Violation] = []
    for path in map(Path, paths):
        if not path.is_dir():
            continue
        scan = scan_folder(path, records=False)
        if scan.journal:
            found.append(Violation(str(path / JOURNAL_NAME), (), "interrupted-change",
                                   "a change of this folder was interrupted before it was finished: run `newscorpus recover`"))
        for name, what in scan.leftovers:
            found.append(Violation(str(path / name), (), "leftover-staging",
                                   f"{what} left by an interrupted command: run `newscorpus recover` to remove it"))
    return found

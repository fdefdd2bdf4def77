"""Import formats: an annotation tool's export into the corpus's article records.

:data:`IMPORTERS` maps a format name (``newscorpus import --format NAME``) to an
:class:`Importer`. Every importer reads one export file into the records of an
annotations folder (``annotations/<article_id>.json``, which must exist: ingest first),
keeps every annotator's work with its status, runs the validator's semantic checks on each
record it is about to write (a violation fails the import with the rule's code), and
writes nothing when anything fails. Offsets in records are code points (docs/design.md,
Offsets); an importer converts any other unit exactly, and only when it is declared.

To add a format:

1. write its reader and converter under ``newscorpus/importers/`` (a package for a big
   one, as :mod:`newscorpus.importers.labelstudio`), pure functions that raise
   :class:`~newscorpus.errors.ExportError` naming the file and a JSON path (or line) in it;
2. give it an entry point ``run(path, *, annotations_dir, scheme=None, progress=None,
   **options) -> ImportReport`` that stages, validates and moves records in as
   :func:`newscorpus.importers.run.import_export` does (reuse
   :func:`newscorpus.importers.merge.merge_annotations` for the gold rules);
3. add one :class:`Importer` line to :data:`IMPORTERS` (import the entry point inside a
   small function, so that ``newscorpus --help`` loads no converter), naming the keyword
   options it takes beyond the common ones;
4. add golden cases under ``tests/cases/import/<format>/<case>/`` (an export, and the
   expected records or the expected error); tests/acceptance/test_import_cases.py picks
   them up.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from newscorpus.importers.report import ImportReport

__all__ = ["Importer", "IMPORTERS", "ImportReport"]


@dataclass(frozen=True)
class Importer:
    """One import format: its ``name`` (the ``--format`` value), a one-line
    ``description``, ``run`` (the function that imports a file into an annotations
    folder: ``run(path, *, annotations_dir, scheme=None, progress=None, **options)``,
    returning an :class:`ImportReport`, raising :class:`~newscorpus.errors.ExportError`
    with nothing written) and the names of the keyword ``options`` it takes beyond those."""

    name: str
    description: str
    run: Callable[..., ImportReport]
    options: tuple[str, ...] = ()


def _labelstudio(path: str | Path, *, annotations_dir: str | Path, scheme=None, progress=None, **options) -> ImportReport:
    from newscorpus.importers.run import import_export

    return import_export(path, annotations_dir=annotations_dir, scheme=scheme, progress=progress, **options)


#: Import formats by name. Add one as the module docstring says.
IMPORTERS: dict[str, Importer] = {
    "labelstudio": Importer(
        "labelstudio",
        "Label Studio JSON export (full, not JSON_MIN): one task per article, every annotator, drafts and relations",
        _labelstudio,
        options=("offset_unit", "workers", "server", "server_url", "skip_invalid", "report_file", "tool_version"),
    ),
}

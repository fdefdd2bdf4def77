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

__all__ = ["Importer", "IMPORTERS", "ImportReport", "DOCUMENT_OPTIONS"]


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


def _documents(name: str, reader: str) -> Callable[..., ImportReport]:
    """The entry point of a format read into source documents by
    ``newscorpus.importers.<module>.<function>`` (``reader``) and imported by
    :func:`newscorpus.importers.documents.import_documents`. Options: ``label_map``,
    ``annotator``, ``as_gold``, ``meta_defaults``; any other goes to the reader."""

    def run(path: str | Path, *, annotations_dir: str | Path, scheme=None, progress=None, label_map=None,
            annotator: str | None = None, as_gold: bool = False, meta_defaults: dict[str, str] | None = None,
            **options) -> ImportReport:
        import importlib

        from newscorpus.importers.documents import import_documents

        module, function = reader.split(".")
        read = getattr(importlib.import_module(f"newscorpus.importers.{module}"), function)
        return import_documents(read(path, **options), annotations_dir=annotations_dir, scheme=scheme, label_map=label_map,
                                annotator=annotator, as_gold=as_gold, tool=name, meta_defaults=meta_defaults,
                                progress=progress)

    run.__doc__ = f"Import {name} files at ``path`` (a file or a folder) into ``annotations_dir``."
    return run


#: What every format read into source documents takes (besides its reader's own options).
DOCUMENT_OPTIONS = ("label_map", "annotator", "as_gold", "meta_defaults")

#: Import formats by name. Add one as the module docstring says.
IMPORTERS: dict[str, Importer] = {
    "labelstudio": Importer(
        "labelstudio",
        "Label Studio JSON export (full, not JSON_MIN): one task per article, every annotator, drafts and relations",
        _labelstudio,
        options=("offset_unit", "workers", "server", "server_url", "skip_invalid", "report_file", "tool_version"),
    ),
    "brat": Importer(
        "brat",
        "brat standoff, <name>.txt + <name>.ann (a folder or one file): T spans, R relations, # notes, A attributes",
        _documents("brat", "brat.read_brat"),
        options=DOCUMENT_OPTIONS,
    ),
    "ptc": Importer(
        "ptc",
        "SemEval-2020 Task 11 (PTC): article<id>.txt + its technique labels (id, technique, start, end)",
        _documents("ptc", "ptc.read_ptc"),
        options=DOCUMENT_OPTIONS,
    ),
    "wadm": Importer(
        "wadm",
        "W3C Web Annotation JSON-LD: TextPositionSelector / TextQuoteSelector on a text, the tagging body as the label",
        _documents("wadm", "wadm.read_wadm"),
        options=(*DOCUMENT_OPTIONS, "text"),
    ),
    "conll": Importer(
        "conll",
        "CoNLL-2003 or IOB columns (token ... tag), -DOCSTART- documents, IOB1/IOB2; text rebuilt from tokens or given",
        _documents("conll", "conll.read_conll"),
        options=(*DOCUMENT_OPTIONS, "text", "tagging"),
    ),
    "webanno": Importer(
        "webanno",
        "WebAnno TSV 3.3 (INCEpTION, WebAnno): span and relation layers, UTF-16 offsets converted exactly",
        _documents("webanno", "webanno.read_webanno"),
        options=(*DOCUMENT_OPTIONS, "layers"),
    ),
}

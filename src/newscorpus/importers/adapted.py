"""A Label Studio export adapted before the import: a label map, and new articles.

:func:`import_adapted` reads the export once (:func:`~newscorpus.importers.labelstudio.export.iter_export`),
renames its controls and labels by a :class:`~newscorpus.importers.labelmap.LabelMap`,
counts every label the scheme does not know (all of them listed in one error, nothing
written), and with :class:`~newscorpus.importers.new_articles.NewArticles` turns each task
into a new record. The adapted tasks (same order and structure: every error's JSON path is
the original export's) go through the normal import
(:func:`newscorpus.importers.run.import_export`), which validates each record and stages
the new records with the annotated ones: all of them are moved in, or none.
"""

from __future__ import annotations

import tempfile
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import orjson

from newscorpus.core.scheme import Scheme, default_scheme
from newscorpus.errors import ExportError
from newscorpus.importers.labelmap import LabelMap, flat_merges, map_task, unmapped_error, unmapped_labels
from newscorpus.importers.labelstudio.contract import OffsetUnit
from newscorpus.importers.labelstudio.export import iter_export
from newscorpus.importers.new_articles import NewArticles, new_article
from newscorpus.importers.report import ImportReport
from newscorpus.importers.run import import_export
from newscorpus.records.access import locked_folders
from newscorpus.records.io import dump_record_bytes, read_record, record_path

__all__ = ["import_adapted"]


@locked_folders("annotations_dir", "write")
def import_adapted(
    path: str | Path,
    *,
    annotations_dir: str | Path,
    scheme: Scheme | None = None,
    label_map: LabelMap | None = None,
    new_articles: NewArticles | None = None,
    offset_unit: OffsetUnit = "codepoint",
    progress: Callable[[int], object] | None = None,
    workers: int | None = None,
    **options,
) -> ImportReport:
    """Import the Label Studio export ``path`` into ``annotations_dir`` after mapping its
    names by ``label_map`` and, with ``new_articles``, making a record of each task (a task
    whose article already has a record with the same text only adds its annotations).

    Returns the import's :class:`ImportReport`. Raises :class:`ExportError` naming ``path``
    as :func:`~newscorpus.importers.run.import_export` does, and: ``unmapped-label`` (every
    label the scheme does not know after the map, with counts), ``text-hash-mismatch`` (a
    record of that id holds another text), the errors of
    :func:`~newscorpus.importers.new_articles.new_article`; a ``span-overlap`` refusal
    names in its hint what the map sends together into a flat layer
    (:func:`~newscorpus.importers.labelmap.flat_merges`). Nothing is written on any
    error. Holds the folder's lock for the whole run. Any other keyword ``options``
    (``server``, ``server_url``, ``skip_invalid``, ``report_file``) go to the import as given.
    """
    scheme = scheme or default_scheme()
    label_map = label_map or LabelMap()
    file, out = str(path), Path(annotations_dir)
    counts: Counter = Counter()
    fresh: dict[str, bytes] = {}
    texts: dict[str, str] = {}
    with tempfile.TemporaryDirectory(prefix="newscorpus-import-") as tmp:
        adapted = Path(tmp) / Path(path).name
        with open(adapted, "wb") as fh:
            fh.write(b"[")
            for index, task in enumerate(iter_export(path, progress=progress)):
                map_task(task, label_map)
                unmapped_labels(task, scheme, counts)
                if new_articles is not None and not counts:
                    _new_record(task, new_articles, file=file, index=index, out=out, scheme=scheme, fresh=fresh, texts=texts)
                fh.write(b"," if index else b"")
                fh.write(orjson.dumps(task))
            fh.write(b"]")
        if counts:
            raise unmapped_error(counts, file=file)
        try:
            return import_export(adapted, annotations_dir=out, scheme=scheme, offset_unit=offset_unit,
                                 workers=workers, new_records=fresh, **options)
        except ExportError as exc:
            exc.file = file
            merges = flat_merges(label_map, scheme) if exc.code == "span-overlap" else []
            if merges:
                exc.hint = (f"the label map sends together into a flat layer: {'; '.join(merges)}; spans that were apart "
                            f"in the project overlap there now: correct them in Label Studio or map the labels apart; {exc.hint}")
            exc.args = (str(exc),)
            raise


def _new_record(task: dict, how: NewArticles, *, file: str, index: int, out: Path, scheme: Scheme,
                fresh: dict[str, bytes], texts: dict[str, str]) -> None:
    """Make the record of ``task`` (into ``fresh``: id -> record bytes) unless its article
    has one already, in the folder or earlier in this export, with the same text."""
    record = new_article(task, how, file=file, index=index)
    known = texts.get(record.id)
    if known is None:
        target = record_path(out, record.id)
        if target.exists():
            known = read_record(target).text_sha256
        else:
            fresh[record.id] = dump_record_bytes(record, scheme, file=str(target))
            known = record.text_sha256
        texts[record.id] = known
    if known != record.text_sha256:
        raise ExportError(f"task {task.get('id')}: article {record.id!r} already has a record with another text", file=file,
                          where=f"$[{index}].data", code="text-hash-mismatch",
                          hint="give each text its own id (--id-field), or leave the id to the text hash")

"""Documents of other annotation formats (brat, PTC, W3C, CoNLL, WebAnno) into article records.

Every such importer parses its files into :class:`SourceDocument` values (the text as the
source has it, spans with offsets into that text, relations) and hands them to
:func:`import_documents`, which does the rest the same way for every format:

- the text is canonicalised exactly as ingest does (:func:`newscorpus.core.text.canonical_form`:
  BOM removed, CRLF and CR to LF, NFC) and every offset moved to the canonical text by an
  exact map (:func:`~newscorpus.core.text.canonical_offset_map`, then
  :func:`~newscorpus.core.text.nfc_offset_map`); an offset with no place there (between a
  CR and its LF, inside a sequence NFC composes) is refused, never rounded;
- a new article gets a new record (id from the document's name, metadata from the format
  and ``meta_defaults``); an article whose record exists with the same text gets the
  annotation added; another text under the same id is refused;
- labels go through the label map (:mod:`newscorpus.importers.labelmap`), and every span and
  relation is checked (offsets inside the text, the stated span text equal to the slice,
  labels the scheme knows, relations between spans of the document) before anything is
  written, each error naming the annotation file, the line (or JSON path) and the item;
- each document becomes one annotation (annotator ``annotator``, ``origin.tool`` the format,
  status submitted), merged by :func:`newscorpus.importers.merge.merge_annotations`; with
  ``as_gold`` it is also the record's gold, method ``ground_truth`` (docs/formats.md);
- each record is held to the validator's semantic checks, staged, and all records are moved
  in together (:func:`newscorpus.records.journal.commit_staging`) under the folder's write
  lock. Re-importing the same files changes no byte.
"""

from __future__ import annotations

import re
import shutil
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path

from newscorpus.core.scheme import Scheme, default_scheme
from newscorpus.errors import ExportError, RecordError
from newscorpus.importers.document_spans import DocumentAnnotation, convert_document, located
from newscorpus.importers.labelmap import LabelMap, unmapped_error
from newscorpus.importers.merge import merge_annotations
from newscorpus.importers.new_articles import SAFE_ID, article_meta, article_record
from newscorpus.importers.report import ImportReport
from newscorpus.importers.sources import SourceDocument, SourceRelation, SourceSpan
from newscorpus.ingest.run import text_sha256
from newscorpus.records.access import locked_folders
from newscorpus.records.io import dump_record_data_bytes, read_record, record_path
from newscorpus.records.journal import commit_staging, staging_folder
from newscorpus.validate.rules import loc_key
from newscorpus.validate.semantic import semantic_violations

__all__ = ["SourceSpan", "SourceRelation", "SourceDocument", "import_documents", "article_id_of"]  # the sources: re-exported

_ANNOTATOR = r"^[a-z][a-z0-9]*-[A-Za-z0-9_\-]+$"


def article_id_of(doc: SourceDocument) -> str:
    """The article id of ``doc``: its name with each run of characters other than letters,
    digits, ``_``, ``.`` and ``-`` replaced by ``_``. Raises
    :class:`~newscorpus.errors.ExportError` ``unsafe-id`` (naming ``doc.file``) for a name
    that holds a path separator or ``..``, starts with neither a letter nor a digit once
    sanitised, or is longer than 200 characters."""
    name = doc.name
    safe = "".join(ch if ch.isascii() and (ch.isalnum() or ch in "_.-") else "\0" for ch in name)
    while "\0\0" in safe:
        safe = safe.replace("\0\0", "\0")
    safe = safe.replace("\0", "_")
    if "/" in name or "\\" in name or ".." in name or not SAFE_ID.fullmatch(safe) or len(safe) > 200:
        raise ExportError(f"document name {name!r} is not a safe article id", file=doc.file, code="unsafe-id",
                          hint="rename the file: letters, digits, '_', '.' and '-', starting with a letter or digit")
    return safe


def _check_annotator(annotator: str | None, tool: str) -> str:
    annotator = annotator if annotator is not None else f"{tool}-source"
    if not re.fullmatch(_ANNOTATOR, annotator) or len(annotator) > 100:
        raise ExportError(f"annotator {annotator!r} is not a pseudonymous id (a tool or team prefix, '-', an id: e.g. "
                          f"{tool}-1)", code="not-pseudonymous", hint="give --annotator PREFIX-ID; never a name or an e-mail address")
    return annotator


def _record_data(doc: SourceDocument, article_id: str, text: str, out: Path,
                 meta_defaults: dict[str, str]) -> tuple[object, bytes]:
    """The record ``doc`` goes into (the folder's, or a new one)
    and its current bytes (``b""`` for a new one). Raises ``text-hash-mismatch``."""
    target = record_path(out, article_id)
    try:
        raw = target.read_bytes()
    except FileNotFoundError:
        raw = None
    if raw is not None:
        try:
            record = read_record(target, raw)
        except RecordError as exc:
            raise ExportError(f"{doc.name}: the record of article {article_id!r} cannot be read: {exc}", file=doc.file,
                              code="no-record") from exc
        if record.text_sha256 != text_sha256(text):
            raise ExportError(f"{doc.name}: article {article_id!r} already has a record ({target.name}) with another text",
                              file=doc.file, code="text-hash-mismatch",
                              hint="offsets were made against another text: give the document another name")
        return record, raw
    meta = article_meta({**meta_defaults, **doc.meta}, file=doc.file, where="$", name=doc.name, source=Path(doc.file).name)
    return article_record(article_id, text, meta), b""


def _gold(data: dict, annotation: dict, doc: SourceDocument) -> None:
    """Make ``annotation`` the ``ground_truth`` gold of ``data`` (the merged record);
    refuses to replace a gold decided otherwise (``gold-conflict``)."""
    gold = data.get("gold")
    if gold is not None and gold["method"] not in ("single", "ground_truth"):
        raise ExportError(f"{doc.name}: the record of {data['id']!r} has a gold of method {gold['method']}; --gold would replace it",
                          file=doc.annotation_file, code="gold-conflict",
                          hint="import without --gold to add the annotation, or remove the gold first")
    if gold is not None and gold["method"] == "ground_truth" and gold["from_annotations"] != [annotation["id"]]:
        raise ExportError(f"{doc.name}: the record of {data['id']!r} has a ground-truth gold from {gold['from_annotations']}",
                          file=doc.annotation_file, code="gold-conflict",
                          hint="import without --gold to add the annotation")
    annotation["ground_truth"] = True
    data["gold"] = {"method": "ground_truth", "decided_by": None, "from_annotations": [annotation["id"]],
                    "article_labels": annotation["article_labels"], "sentence_labels": list(annotation["sentence_labels"]),
                    "spans": list(annotation["spans"]), "relations": list(annotation["relations"])}


@locked_folders("annotations_dir", "write", create=True)
def import_documents(
    documents: Iterable[SourceDocument],
    *,
    annotations_dir: str | Path,
    scheme: Scheme | None = None,
    label_map: LabelMap | None = None,
    annotator: str | None = None,
    as_gold: bool = False,
    tool: str,
    meta_defaults: dict[str, str] | None = None,
    progress: Callable[[int], object] | None = None,
) -> ImportReport:
    """Import ``documents`` into ``annotations_dir`` (made when missing): one submitted
    annotation per document by ``annotator`` (a pseudonymous id; default
    ``<tool>-source``), id ``<tool>:<annotator>``, ``origin.tool`` = ``tool`` (the format's
    name); with ``as_gold`` also the record's gold (method ``ground_truth``). New articles
    take their metadata from the document's ``meta`` over ``meta_defaults`` (meta key ->
    string; publisher, published, language, license and redistributable are required).
    ``progress(n)`` is called with the number of documents read after each.

    Returns an :class:`ImportReport` (``tasks``: documents read). Raises
    :class:`~newscorpus.errors.ExportError` naming the file and the line (or JSON path) and
    the item, with nothing written: ``span-out-of-bounds``, ``span-text-mismatch``,
    ``offsets-not-convertible``, ``empty-span``, ``duplicate-id``, ``dangling-relation``,
    ``unmapped-label`` (every unknown label with its count), ``unsafe-id``,
    ``duplicate-document``, ``text-hash-mismatch``, ``missing-meta``/``invalid-meta``,
    ``not-pseudonymous``, ``gold-conflict``, ``annotation-conflict``, or a rule of the
    validator (its code) that the record would break.
    """
    scheme = scheme or default_scheme()
    label_map = label_map or LabelMap()
    annotator = _check_annotator(annotator, tool)
    out = Path(annotations_dir)
    report = ImportReport()
    counts: Counter = Counter()
    first_unknown: list[tuple[str, str | None, str]] = []
    seen: dict[str, str] = {}
    changed: dict[str, bool] = {}
    staging = staging_folder(out, "import")
    try:
        for doc in documents:
            report.tasks += 1
            article_id = article_id_of(doc)
            if article_id in seen:
                raise ExportError(f"{doc.name}: a second document of article {article_id!r} (the first: {seen[article_id]})",
                                  file=doc.file, code="duplicate-document", hint="give each document its own name")
            seen[article_id] = doc.file
            converted = convert_document(doc, scheme=scheme, label_map=label_map, unknown=counts, first_unknown=first_unknown)
            report.warnings.extend(converted.warnings)
            if counts:
                continue  # keep reading: the error lists every unknown label
            _stage(doc, article_id, converted, out, staging, scheme, annotator, tool, as_gold, meta_defaults or {}, report, changed)
            if progress is not None:
                progress(report.tasks)
        if counts:
            file, where, item = first_unknown[0]
            exc = unmapped_error(counts, file=file, where=where)
            raise ExportError(f"{exc.message} (the first: {item})", file=file, where=where, code=exc.code, hint=exc.hint)
        for article_id, differs in sorted(changed.items()):
            (report.written if differs else report.unchanged).append(record_path(out, article_id))
        commit_staging(staging, out)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return report


def _stage(doc: SourceDocument, article_id: str, converted: DocumentAnnotation, out: Path, staging: Path, scheme: Scheme,
           annotator: str, tool: str, as_gold: bool, meta_defaults: dict[str, str], report: ImportReport,
           changed: dict[str, bool]) -> None:
    """Merge ``doc``'s annotation into its record, check the record as ``validate`` does,
    and stage it when it differs from the file in the folder."""
    record, current = _record_data(doc, article_id, converted.text, out, meta_defaults)
    annotation = {
        "id": f"{tool}:{annotator}", "annotator": annotator, "status": "submitted", "ground_truth": False,
        "origin": {"tool": tool, "version": None, "project": None, "task": None, "annotation": None},
        "created_at": None, "updated_at": None, "lead_time": None, "article_labels": {}, "sentence_labels": [],
        "spans": converted.spans, "relations": converted.relations,
    }
    merged, warnings = merge_annotations(record, [annotation], file=doc.annotation_file)
    report.warnings.extend(warnings)
    if as_gold:
        _gold(merged, annotation, doc)
    report.annotations["submitted"] += 1
    target = record_path(out, article_id)
    data = dump_record_data_bytes(merged, scheme, file=str(target))
    if data == current:
        changed[article_id] = False
        return
    violations = semantic_violations(merged, file=str(target), scheme=scheme)
    if violations:
        violation = min(violations, key=lambda v: loc_key(v.loc))
        file, where, item = located(violation.loc, merged, annotation, converted, doc)
        raise ExportError(f"{doc.name}: {item}the record would break a validation rule: {violation.message}", file=file,
                          where=where, code=violation.rule, hint="nothing was written; correct the source file")
    record_path(staging, article_id).write_bytes(data)
    changed[article_id] = True

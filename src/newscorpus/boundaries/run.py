"""``newscorpus sentences split`` / ``merge``: a boundary correction applied to one record
file, under the folder's write lock (docs/team.md).

The record is read through the validator's gate (a record ``newscorpus validate`` refuses
is refused, :func:`newscorpus.validate.gate.read_valid_record`), changed by
:mod:`newscorpus.boundaries.edit`, checked again as ``validate`` checks it, and written
through the journal (:func:`newscorpus.records.journal.commit_files`): on any error nothing
is written.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from newscorpus.boundaries.edit import BoundaryChange, merge_sentences, split_sentence
from newscorpus.core.models import ArticleRecord
from newscorpus.core.scheme import Scheme, default_scheme
from newscorpus.errors import RecordError
from newscorpus.records.access import locked_folders
from newscorpus.records.io import dump_record_bytes, load_record_json, record_path
from newscorpus.records.journal import commit_files
from newscorpus.validate.gate import read_valid_record
from newscorpus.validate.run import validate_record

__all__ = ["split_record_sentence", "merge_record_sentences"]


def _apply(article_id: str, annotations_dir: str | Path, scheme: Scheme | None,
           edit: Callable[[ArticleRecord, Scheme, str], tuple[ArticleRecord, BoundaryChange]]) -> BoundaryChange:
    scheme = scheme or default_scheme()
    path = record_path(annotations_dir, article_id)
    if not path.is_file():
        raise RecordError(f"no record of article {article_id!r}", file=str(path), code="not-found",
                          hint="give the id of a record in the annotations folder (its file name without .json)")
    record = read_valid_record(path, scheme=scheme)
    new, change = edit(record, scheme, str(path))
    data = dump_record_bytes(new, scheme, file=str(path))
    violations = validate_record(load_record_json(path, data), file=str(path), scheme=scheme)
    if violations:  # a guard: the edit rules keep every rule of the validator
        first = violations[0]
        raise RecordError(first.message, file=str(path), where=first.path, code=first.rule)
    commit_files([(path, data)], kind="sentences")
    return change


@locked_folders("annotations_dir", "write")
def split_record_sentence(article_id: str, *, at: int, annotations_dir: str | Path, scheme: Scheme | None = None) -> BoundaryChange:
    """Split the sentence of record ``article_id`` in ``annotations_dir`` that code point
    ``at`` falls inside (:func:`newscorpus.boundaries.edit.split_sentence`) and write the
    record. Returns the change. Raises :class:`~newscorpus.errors.RecordError`:
    ``not-found``, the validator's rule code for a record it refuses, and the codes of
    :func:`~newscorpus.boundaries.edit.split_sentence`; nothing is written then."""
    return _apply(article_id, annotations_dir, scheme, lambda rec, sch, file: split_sentence(rec, at, scheme=sch, file=file))


@locked_folders("annotations_dir", "write")
def merge_record_sentences(article_id: str, first: str, second: str, *, annotations_dir: str | Path,
                           scheme: Scheme | None = None) -> BoundaryChange:
    """Merge the adjacent sentences ``first`` and ``second`` (ids) of record ``article_id``
    in ``annotations_dir`` (:func:`newscorpus.boundaries.edit.merge_sentences`) and write
    the record. Returns the change (with its label conflicts). Raises
    :class:`~newscorpus.errors.RecordError` as :func:`split_record_sentence`, with the
    codes of :func:`~newscorpus.boundaries.edit.merge_sentences`."""
    return _apply(article_id, annotations_dir, scheme,
                  lambda rec, sch, file: merge_sentences(rec, first, second, scheme=sch, file=file))

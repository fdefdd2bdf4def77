"""Imported annotations into an article record: which annotations stay, and the gold rules.

The merge works on the record's JSON form (``ArticleRecord.model_dump(mode="json")``), the
form records are written in (:func:`newscorpus.records.io.dump_record_data_bytes`).
Identity (docs/design.md, The record): an imported annotation replaces the record's
annotation of the same id only when it is the same annotation of the same server (equal
``created_at``, ``origin.task`` and ``origin.server``; else a conflict, refused), and only
when its ``updated_at`` is not older (else the stored one stays, with a warning).
Gold rules (docs/design.md, The record): import sets a ``single`` gold where there is no gold
or a ``single`` one, from the one submitted annotation; it never overwrites a gold decided
otherwise (``adjudicated``, ``majority``, ``ground_truth``).
"""

from __future__ import annotations

import datetime as dt

from newscorpus.core.models import ArticleRecord
from newscorpus.errors import ExportError
from newscorpus.importers.report import ImportWarning

__all__ = ["merge_annotations"]


def _origin_of(annotation: dict) -> str:
    origin = annotation["origin"]
    return (f"created_at {annotation['created_at']}, task {origin.get('task')}, "
            f"server {origin.get('server') or '(none)'}")


def _same_time(a: object, b: object) -> bool:
    """Whether RFC 3339 times (or None) ``a`` and ``b`` are the same instant."""
    if a == b:
        return True
    return isinstance(a, str) and isinstance(b, str) and dt.datetime.fromisoformat(a) == dt.datetime.fromisoformat(b)


def _older(incoming: object, stored: object) -> bool:
    """Whether RFC 3339 time ``incoming`` is before ``stored`` (False when either is unknown)."""
    if not isinstance(incoming, str) or not isinstance(stored, str) or incoming == stored:
        return False
    return dt.datetime.fromisoformat(incoming) < dt.datetime.fromisoformat(stored)


def _kept(record: ArticleRecord, annotations: list[dict], file: str | None, where: str) -> tuple[list[dict], list[ImportWarning]]:
    """``annotations`` less those older than the record's annotation of the same id, and
    the warnings saying so; raises :class:`ExportError` ``annotation-conflict`` for an id
    the record holds for another annotation."""
    stored = {a.id: a for a in record.annotations}
    if not stored:
        return annotations, []
    kept, warnings = [], []
    for incoming in annotations:
        old = stored.get(incoming["id"])
        if old is None:
            kept.append(incoming)
            continue
        before = old.model_dump(mode="json", include={"id", "origin", "created_at", "updated_at"})
        if (not _same_time(before["created_at"], incoming["created_at"])
                or (before["origin"].get("task"), before["origin"].get("server")) != (incoming["origin"].get("task"), incoming["origin"].get("server"))):
            raise ExportError(
                f"article {record.id}: annotation {incoming['id']} is already in the record as another annotation "
                f"(stored: {_origin_of(before)}; incoming: {_origin_of(incoming)})",
                file=file, where=where, code="annotation-conflict",
                hint="nothing was written; if the export comes from another Label Studio server, give that server a "
                     "name: `newscorpus import --server NAME` (or `[labelstudio] server = \"NAME\"` in newscorpus.toml)")
        if _older(incoming["updated_at"], before["updated_at"]):
            warnings.append(ImportWarning(
                "older-annotation", record.id,
                f"annotation {incoming['id']} was not applied: it was updated at {incoming['updated_at']}, "
                f"before the record's copy (updated at {before['updated_at']}); the newer work is kept"))
            continue
        kept.append(incoming)
    return kept, warnings


def merge_annotations(record: ArticleRecord, annotations: list[dict], *, file: str | None = None,
                      where: str = "$") -> tuple[dict, list[ImportWarning]]:
    """``record`` with ``annotations`` merged in, in JSON form, and the warnings met.

    ``annotations`` are annotations in JSON form (each the shape of
    ``Annotation.model_dump(mode="json")``, as an import format's converter gives them). An
    annotation replaces the record's annotation of the same id; the others are kept, the
    new ones come after them. An incoming annotation whose ``updated_at`` is older than the
    record's annotation of that id is not applied (an ``ImportWarning`` ``older-annotation``
    naming both times). Gold: when the record's gold is ``None`` or ``single``, it
    becomes a ``single`` gold copied from the one submitted annotation if there is exactly
    one, else ``None`` (an ``ImportWarning`` ``gold-undecided`` when a gold is removed).
    Returns a new dict, not sorted yet (:func:`newscorpus.records.io.canonicalize_data`);
    ``annotations`` and their lists are shared with it, not copied. Raises
    :class:`ExportError` ``annotation-conflict`` (at ``where`` in ``file``, the import's
    place) when the record holds an annotation of an incoming id whose ``created_at``,
    ``origin.task`` or ``origin.server`` differs: another annotation, maybe of another server.
    """
    annotations, older = _kept(record, annotations, file, where)
    fresh = {a["id"]: a for a in annotations}
    merged = [a.model_dump(mode="json") for a in record.annotations if a.id not in fresh] + list(fresh.values())
    data = record.model_dump(mode="json", exclude={"annotations", "gold"})
    data["annotations"] = merged
    gold = record.gold
    if gold is not None and gold.method != "single":
        data["gold"] = gold.model_dump(mode="json")  # adjudicated, majority or ground-truth gold is never overwritten by import
        return data, older
    submitted = [a for a in merged if a["status"] == "submitted"]
    data["gold"] = None
    if len(submitted) == 1:
        only = submitted[0]
        data["gold"] = {
            "method": "single", "decided_by": None, "from_annotations": [only["id"]],
            "article_labels": only["article_labels"], "sentence_labels": list(only["sentence_labels"]),
            "spans": list(only["spans"]), "relations": list(only["relations"]),
        }
    elif gold is not None:
        message = f"{len(submitted)} submitted annotations: the single-annotation gold was removed; run `newscorpus adjudicate`"
        return data, older + [ImportWarning("gold-undecided", record.id, message)]
    return data, older

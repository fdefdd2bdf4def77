"""Imported annotations into an article record: which annotations stay, and the gold rules.

The merge works on the record's JSON form (``ArticleRecord.model_dump(mode="json")``), the
form records are written in (:func:`newscorpus.records.io.dump_record_data_bytes`).
Gold rules (docs/design.md, The record): import sets a ``single`` gold where there is no gold
or a ``single`` one, from the one submitted annotation; it never overwrites a gold decided
otherwise (``adjudicated``, ``majority``, ``ground_truth``).
"""

from __future__ import annotations

from newscorpus.core.models import ArticleRecord
from newscorpus.importers.report import ImportWarning

__all__ = ["merge_annotations"]


def merge_annotations(record: ArticleRecord, annotations: list[dict]) -> tuple[dict, list[ImportWarning]]:
    """``record`` with ``annotations`` merged in, in JSON form, and the warnings met.

    ``annotations`` are annotations in JSON form (each the shape of
    ``Annotation.model_dump(mode="json")``, as an import format's converter gives them). An
    annotation replaces the record's annotation of the same id; the others are kept, the
    new ones come after them. Gold: when the record's gold is ``None`` or ``single``, it
    becomes a ``single`` gold copied from the one submitted annotation if there is exactly
    one, else ``None`` (an ``ImportWarning`` ``gold-undecided`` when a gold is removed).
    Returns a new dict, not sorted yet (:func:`newscorpus.records.io.canonicalize_data`);
    ``annotations`` and their lists are shared with it, not copied. Raises nothing.
    """
    fresh = {a["id"]: a for a in annotations}
    merged = [a.model_dump(mode="json") for a in record.annotations if a.id not in fresh] + list(fresh.values())
    data = record.model_dump(mode="json", exclude={"annotations", "gold"})
    data["annotations"] = merged
    gold = record.gold
    if gold is not None and gold.method != "single":
        data["gold"] = gold.model_dump(mode="json")  # adjudicated, majority or ground-truth gold is never overwritten by import
        return data, []
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
        return data, [ImportWarning("gold-undecided", record.id, message)]
    return data, []

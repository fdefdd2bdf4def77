"""Where in a Label Studio export a rule broken by the record it would write comes from.

The import validates each record before staging it (:mod:`newscorpus.importers.run`); a
violation names a place in the record (``$.annotations[1].spans[4].end``). :func:`locate`
turns it back into the export's terms: the task, the annotation (or draft) and the result
that made that span, relation or label, with the readable name the import's own errors use.
Only run on the error path: it reads the task again rather than keeping a trail while
converting.
"""

from __future__ import annotations

from newscorpus.importers.labelstudio.contract import REGION, SENTENCE_CONTROL
from newscorpus.importers.labelstudio.task import task_entries, task_name
from newscorpus.validate.rules import Violation

__all__ = ["locate"]


def locate(violation: Violation, record: dict, task: dict, *, index: int, server: str | None = None) -> tuple[str, str]:
    """``(where, name)`` of ``violation`` (found in ``record``, the JSON form about to be
    written; ``server`` the name the import gives the export's server) in the export: ``where`` the JSON path of the result, annotation or task
    (``$[3].annotations[1].result[4]``; ``task`` is the ``index``-th of the export) and
    ``name`` a readable "task 7 (article a), annotation 9, result 'e4'" (without the
    result when the rule is about the annotation as a whole; the task alone when the
    violation is in a part of the record this task did not write). Raises nothing."""
    loc = violation.loc
    fallback = f"$[{index}]", task_name(task, str(record.get("id")))
    if len(loc) < 2 or loc[0] != "annotations" or not isinstance(loc[1], int) or loc[1] >= len(record["annotations"]):
        return fallback
    annotation = record["annotations"][loc[1]]
    try:
        entry = next((e for e in task_entries(task, index=index, article_id=str(record["id"]), server=server) if e.id == annotation["id"]), None)
    except Exception:  # noqa: BLE001 - a task the import converted reads again; anything else: say less
        entry = None
    if entry is None:
        return fallback
    results = entry.raw.get("result") or []
    found = _result_of(loc[2:], annotation, results, record) if isinstance(results, list) else None
    if found is None:
        return entry.path, entry.name
    i, rid = found
    return f"{entry.path}.result[{i}]", f"{entry.name}, result {rid!r}"


def _result_of(rest: tuple, annotation: dict, results: list, record: dict) -> tuple[int, object] | None:
    """The index and id of the result that made ``annotation[rest[0]][rest[1]]``, or None."""
    if len(rest) < 2:
        return None
    layer, key = rest[0], rest[1]
    items = annotation.get(layer)
    if layer == "article_labels":
        return _nth(results, 0, lambda r: r.get("type") == "choices" and r.get("from_name") == key)
    if not isinstance(key, int) or not isinstance(items, list) or key >= len(items):
        return None
    item = items[key]
    nth = sum(1 for other in items[:key] if other == item)  # the same item twice: its second result
    if layer == "spans":
        return _nth(results, nth, lambda r: r.get("type") == REGION and r.get("id") == item["id"] and r.get("from_name") == item["layer"])
    if layer == "relations":
        return _nth(results, nth, lambda r: r.get("type") == "relation" and _relation_of(r) == (item["label"], item["head"], item["tail"]))
    if layer == "sentence_labels":
        sentence = {(s["start"], s["end"]): s["id"] for s in record["sentences"]}
        regions = {r.get("id"): sentence.get((r["value"].get("start"), r["value"].get("end")))
                   for r in results if isinstance(r, dict) and r.get("type") == REGION and r.get("from_name") == SENTENCE_CONTROL
                   and isinstance(r.get("value"), dict)}
        return _nth(results, 0, lambda r: r.get("type") == "choices" and r.get("from_name") == item["layer"]
                    and regions.get(r.get("id")) == item["sentence"])
    return None


def _relation_of(result: dict) -> tuple[object, object, object]:
    labels = result.get("labels")
    label = labels[0] if isinstance(labels, list) and labels else None
    head, tail = result.get("from_id"), result.get("to_id")
    return (label, tail, head) if result.get("direction") == "left" else (label, head, tail)


def _nth(results: list, nth: int, match) -> tuple[int, object] | None:
    for i, result in enumerate(results):
        if isinstance(result, dict) and match(result):
            if nth == 0:
                rid = f"{result.get('from_id')}->{result.get('to_id')}" if result.get("type") == "relation" else result.get("id")
                return i, rid
            nth -= 1
    return None

"""Open disagreements as Label Studio tasks for the adjudicator.

One task per article with open units, in the task shape of the project's label config
(``data.text``, ``data.article_id``, ``data.text_sha256``), and one prediction per annotator,
``model_version`` ``candidates-<annotator>``. Each prediction is the gold decided so far
plus that annotator's own choices on the open units, so the predictions differ exactly
where the adjudicator has to decide: pick the closest one, correct it and submit. Once
that annotation is imported, ``newscorpus adjudicate --adjudicator <id>`` makes it the gold.

Result items follow the Label Studio contract (``docs/label-studio.md``); offsets are code
points. The sentence regions are included so that per-sentence choices have their regions.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

import orjson

from newscorpus.agreement.adjudication import AdjudicationReport, OpenUnit
from newscorpus.core.models import ArticleRecord, Gold, Relation, SentenceLabel, Span
from newscorpus.labelstudio.tasks import to_results
from newscorpus.util.fileio import atomic_write_bytes

__all__ = ["candidate_part", "adjudication_task", "task_body", "tasks_file_chunks", "write_adjudication_tasks"]

def _key(span: Span) -> tuple[str, str, int, int]:
    return (span.layer, span.label, span.start, span.end)


def _ref_key(ref: dict) -> tuple[str, str, int, int]:
    return (ref["layer"], ref["label"], ref["start"], ref["end"])


def candidate_part(record: ArticleRecord, open_units: Sequence[OpenUnit], annotator: str) -> Gold:
    """The gold of ``record`` completed with ``annotator``'s choices on ``open_units``.

    Returns a :class:`~newscorpus.core.models.Gold` used as a container (its method is the gold's).
    ``record.gold`` must be set (by :func:`newscorpus.agreement.adjudication.adjudicate`).
    """
    if record.gold is None:
        raise ValueError(f"record {record.id} has no gold to complete")
    part = record.gold.model_copy(deep=True)
    own = next(a for a in record.annotations if a.annotator == annotator and a.id in part.from_annotations)
    own_spans = {_key(s): s for s in own.spans}
    ids = {_key(s): s.id for s in part.spans}
    for unit in open_units:
        choice = unit.candidates.get(annotator)
        if unit.kind == "span" and choice is True:
            key = _ref_key(unit.ref)
            sid = own_spans[key].id
            if sid in ids.values():
                sid = f"{annotator}-{sid}"
            ids[key] = sid
            part.spans.append(Span(id=sid, layer=key[0], label=key[1], start=key[2], end=key[3], text=record.text[key[2] : key[3]]))
        elif unit.kind == "sentence" and isinstance(choice, str):
            part.sentence_labels.append(SentenceLabel(sentence=unit.ref["sentence"], layer=unit.layer, label=choice))
        elif unit.kind == "article" and unit.ref["label"] is None and isinstance(choice, str):
            part.article_labels[unit.layer] = choice.split("+")
        elif unit.kind == "article" and choice is True:
            part.article_labels.setdefault(unit.layer, []).append(unit.ref["label"])
    for unit in open_units:
        if unit.kind == "relation" and unit.candidates.get(annotator) is True:
            head, tail = _ref_key(unit.ref["head"]), _ref_key(unit.ref["tail"])
            if head in ids and tail in ids:
                label = unit.ref["label"]
                part.relations.append(Relation(id=f"{label}:{ids[head]}>{ids[tail]}", label=label, head=ids[head], tail=ids[tail]))
    order = {s.id: i for i, s in enumerate(record.sentences)}
    part.sentence_labels.sort(key=lambda sl: (order.get(sl.sentence, len(order)), sl.layer))
    part.spans.sort(key=lambda s: (s.start, s.end, s.id))
    part.relations.sort(key=lambda r: r.id)
    return part


def adjudication_task(record: ArticleRecord, report: AdjudicationReport) -> dict:
    """The Label Studio task of one article with open units: ``{"data": {...},
    "predictions": [{"model_version": "candidates-<annotator>", "result": [...]}, ...]}``,
    one prediction per annotator of ``report.from_annotations`` in annotator order."""
    annotators = sorted({a.annotator for a in record.annotations if a.id in report.from_annotations})
    return {
        "data": {"text": record.text, "article_id": record.id, "text_sha256": record.text_sha256},
        "predictions": [
            {
                "model_version": f"candidates-{name}",
                "result": to_results(record, candidate_part(record, report.open, name)),
            }
            for name in annotators
        ],
    }


def task_body(task: dict) -> bytes:
    """One task as it stands in the tasks file (an element of an indented JSON array),
    UTF-8: ``json.dumps(task, ensure_ascii=False, indent=2)`` indented by two more spaces.
    Written by ``orjson`` (the same bytes for a task, which holds no float; about 20 times
    faster), by ``json`` where ``orjson`` refuses (a lone surrogate, an integer over 64 bits)."""
    try:
        return orjson.dumps(task, option=orjson.OPT_INDENT_2).replace(b"\n", b"\n  ")
    except TypeError:
        return json.dumps(task, ensure_ascii=False, indent=2).replace("\n", "\n  ").encode("utf-8")


def tasks_file_chunks(bodies: Iterable[bytes]) -> Iterator[bytes]:
    """The bytes of the tasks file from the :func:`task_body` of each task, one task at a
    time: exactly ``json.dumps(tasks, ensure_ascii=False, indent=2) + "\n"`` of the list."""
    count = 0
    for body in bodies:
        yield (b"[\n  " if count == 0 else b",\n  ") + body
        count += 1
    yield b"[]\n" if count == 0 else b"\n]\n"


def write_adjudication_tasks(items: Sequence[tuple[ArticleRecord, AdjudicationReport]], *, path: str | Path) -> int:
    """Write the tasks of ``items`` (record with gold, its report) as one Label Studio JSON
    import file at ``path``, atomically (an unchanged file is not rewritten); an empty list
    when nothing is open. Returns the number of tasks."""
    bodies = [task_body(adjudication_task(record, report)) for record, report in items if report.open]
    atomic_write_bytes(Path(path), b"".join(tasks_file_chunks(bodies)))
    return len(bodies)

"""Label Studio tasks for another project: ``tasks.json`` (Label Studio's JSON import
format, one task per article) and ``label_config.xml`` (the scheme's label config,
:func:`newscorpus.labelstudio.tasks.label_config`).

A task is the one ``newscorpus tasks`` writes (``data.text``, ``data.article_id``,
``data.text_sha256``), but the exported part (gold, or one annotator's annotation) goes in
as an **annotation**, not a prediction: ``{"result": [...], "was_cancelled": false,
"ground_truth": false}``, whose result items are those of ``newscorpus tasks``
(:func:`newscorpus.labelstudio.tasks.to_results`: read-only sentence regions whose ids are
the sentence ids, spans whose region ids are the span ids, span notes, relations, sentence
and article choices, the annotation's note). Label Studio makes the importing user the
annotation's author. Offsets are code points (Label Studio >= 1.4 counts them too).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from newscorpus.core.scheme import Scheme
from newscorpus.exporters.items import ExportItem
from newscorpus.labelstudio.tasks import label_config, to_results, write_task_list
from newscorpus.util.fileio import atomic_write_text

__all__ = ["TASKS", "CONFIG", "item_task", "write"]

#: The names of the two files written.
TASKS, CONFIG = "tasks.json", "label_config.xml"


def item_task(item: ExportItem) -> dict:
    """The Label Studio task of one item: its data, and its part as one annotation."""
    record = item.record
    return {
        "data": {"text": record.text, "article_id": record.id, "text_sha256": record.text_sha256},
        "annotations": [{"result": to_results(record, item.part, readonly_sentences=True), "was_cancelled": False,
                         "ground_truth": False}],
    }


def write(items: Iterable[ExportItem], *, out: Path, scheme: Scheme) -> list[str]:
    """Write ``tasks.json`` (streaming, one task in memory at a time) and
    ``label_config.xml`` into ``out``; returns the two names, sorted."""
    write_task_list((item_task(item) for item in items), out / TASKS)
    atomic_write_text(out / CONFIG, label_config(scheme))
    return sorted([TASKS, CONFIG])

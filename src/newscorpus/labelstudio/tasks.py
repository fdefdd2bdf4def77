"""Tasks: article records into a Label Studio label config and tasks (docs/design.md, Label Studio).

The label config is generated from the scheme: one ``<Text name="text" value="$text"/>``,
a ``<Labels>`` per span layer, a ``<Labels name="sentence">`` layer whose regions are the
pre-made sentences, a per-region ``<Choices>`` per sentence layer, ``<Relations>``, and a
``<Choices>`` per article layer. A task carries ``data.text``, ``data.article_id`` and
``data.text_sha256``; the sentence regions and any existing gold go in as one prediction
under ``model_version``. Offsets are code points (Label Studio >= 1.4 counts them too).

Sentences cannot be broken in Label Studio (docs/label-studio.md, Sentences are read-only):
the sentence regions of a task are ``readonly`` (they cannot be deleted, relabelled or
resized), and nobody can draw a new one: the SENTENCE label is not shown, has no usable
hotkey, and may be used "at most -1 times", so Label Studio refuses every new region with it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import quoteattr

from newscorpus.util.fileio import atomic_write_chunks, atomic_write_text
from newscorpus.core.models import SCHEMA_VERSION, ArticleRecord, Gold
from newscorpus.core.scheme import Scheme, default_scheme

__all__ = [
    "TEXT_NAME",
    "SENTENCE_CONTROL",
    "SENTENCE_LABEL",
    "SENTENCE_HOTKEY",
    "SPAN_NOTE",
    "ANNOTATION_NOTE",
    "default_model_version",
    "label_config",
    "record_to_task",
    "to_results",
    "write_tasks",
    "write_task_list",
    "TasksReport",
]

#: Name of the ``<Text>`` object tag every control points at.
TEXT_NAME = "text"
#: Name of the ``<Labels>`` control whose regions are the pre-made sentences.
SENTENCE_CONTROL = "sentence"
#: The one label of the sentence control.
SENTENCE_LABEL = "SENTENCE"
#: The SENTENCE label's hotkey: Label Studio gives every label without one a free key
#: (it was ``x``), so it gets one that no keyboard sends (F19 with three modifiers).
SENTENCE_HOTKEY = "ctrl+alt+shift+f19"
#: Per-region ``<TextArea>`` for a note on a span (schema >= 1.1.0).
SPAN_NOTE = "span_note"
#: ``<TextArea>`` for a note on the whole annotation (schema >= 1.1.0).
ANNOTATION_NOTE = "note"

# Distinct, readable region colours (Okabe-Ito and Tableau palettes), cycled per label.
_COLOURS = [
    "#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#4E79A7",
    "#F28E2B", "#E15759", "#76B7B2", "#59A14F", "#EDC948", "#B07AA1", "#FF9DA7", "#9C755F",
    "#BAB0AC", "#8CD17D",
]


def default_model_version() -> str:
    """The ``model_version`` of newscorpus pre-annotations: ``newscorpus-<schema version>``."""
    return f"newscorpus-{SCHEMA_VERSION}"


def label_config(scheme: Scheme | None = None) -> str:
    """The Label Studio label config XML for ``scheme`` (default: the package's scheme).

    Span layers come first (their labels are what annotators pick most), then the
    sentence regions with their per-region choices, then the article-level choices.
    """
    scheme = scheme or default_scheme()
    lines = ["<View>"]
    if scheme.relations:
        lines.append("  <Relations>")
        for name in scheme.relation_labels:
            lines.append(f"    <Relation value={quoteattr(name)}/>")
        lines.append("  </Relations>")
    colour = 0
    for layer in scheme.span_layers:
        header = f"{layer.name} spans"
        lines.append(f"  <Header value={quoteattr(header)}/>")
        lines.append(f"  <Labels name={quoteattr(layer.name)} toName={quoteattr(TEXT_NAME)}>")
        for label in layer.labels:
            lines.append(
                f"    <Label value={quoteattr(label.name)} background={quoteattr(_COLOURS[colour % len(_COLOURS)])}"
                f" hint={quoteattr(label.definition)}/>"
            )
            colour += 1
        lines.append("  </Labels>")
    # Hidden, and refused for any new region (maxUsages -1): the regions come only from the tasks.
    lines.append('  <View style="display: none">')
    lines.append(f"    <Labels name={quoteattr(SENTENCE_CONTROL)} toName={quoteattr(TEXT_NAME)}>")
    lines.append(f'      <Label value={quoteattr(SENTENCE_LABEL)} background="#DDDDDD" maxUsages="-1"'
                 f" hotkey={quoteattr(SENTENCE_HOTKEY)}/>")
    lines.append("    </Labels>")
    lines.append("  </View>")
    lines.append(f'  <Text name={quoteattr(TEXT_NAME)} value="$text" granularity="symbol"/>')
    for layer in scheme.sentence_layers:
        lines.append(f'  <View visibleWhen="region-selected" whenTagName={quoteattr(SENTENCE_CONTROL)}>')
        lines.append(f"    <Header value={quoteattr(f'{layer.name} of the selected sentence')}/>")
        lines.append(
            f"    <Choices name={quoteattr(layer.name)} toName={quoteattr(TEXT_NAME)} perRegion=\"true\""
            f" choice={quoteattr('single-radio' if layer.cardinality == 'single' else 'multiple')}>"
        )
        lines.extend(f"      <Choice value={quoteattr(label.name)} hint={quoteattr(label.definition)}/>" for label in layer.labels)
        lines.append("    </Choices>")
        lines.append("  </View>")
    lines.append('  <View visibleWhen="region-selected">')
    lines.append('    <Header value="note on the selected span (a doubt for the adjudicator)"/>')
    lines.append(
        f'    <TextArea name={quoteattr(SPAN_NOTE)} toName={quoteattr(TEXT_NAME)} perRegion="true" editable="true"'
        ' maxSubmissions="1" rows="2" placeholder="Why is this span doubtful?"/>'
    )
    lines.append("  </View>")
    for layer in scheme.article_layers:
        lines.append(f"  <Header value={quoteattr(f'{layer.name} of the article')}/>")
        lines.append(
            f"  <Choices name={quoteattr(layer.name)} toName={quoteattr(TEXT_NAME)}"
            f" choice={quoteattr('single-radio' if layer.cardinality == 'single' else 'multiple')} showInline=\"true\">"
        )
        lines.extend(f"    <Choice value={quoteattr(label.name)} hint={quoteattr(label.definition)}/>" for label in layer.labels)
        lines.append("  </Choices>")
    lines.append('  <Header value="note on this annotation (doubts, anything the adjudicator should know)"/>')
    lines.append(
        f'  <TextArea name={quoteattr(ANNOTATION_NOTE)} toName={quoteattr(TEXT_NAME)} editable="true" maxSubmissions="1" rows="2"/>'
    )
    lines.append("</View>")
    return "\n".join(lines) + "\n"


def _region(rid: str, control: str, start: int, end: int, text: str, label: str) -> dict:
    return {
        "id": rid,
        "from_name": control,
        "to_name": TEXT_NAME,
        "type": "labels",
        "value": {"start": start, "end": end, "text": text, "labels": [label]},
    }


def to_results(record: ArticleRecord, part: Gold | None, *, readonly_sentences: bool = False) -> list[dict]:
    """Label Studio result items for ``record``'s sentences and for ``part`` (a gold or an
    annotation), in the shapes of ``docs/label-studio.md``: sentence regions with their ids,
    per-region sentence choices, spans, relations and article choices. With
    ``readonly_sentences`` the sentence regions carry ``"readonly": true``: in the labeling
    view they cannot be deleted, relabelled or resized (and a choice made on one, such as
    its discourse role, can then only be undone, not changed)."""
    text = record.text
    results = [_region(s.id, SENTENCE_CONTROL, s.start, s.end, text[s.start : s.end], SENTENCE_LABEL) for s in record.sentences]
    if readonly_sentences:
        for region in results:
            region["readonly"] = True
    if part is None:
        return results
    by_id = {s.id: s for s in record.sentences}
    for sl in part.sentence_labels:
        sent = by_id[sl.sentence]
        results.append(
            {
                "id": sl.sentence,
                "from_name": sl.layer,
                "to_name": TEXT_NAME,
                "type": "choices",
                "value": {"start": sent.start, "end": sent.end, "text": text[sent.start : sent.end], "choices": [sl.label]},
            }
        )
    for span in part.spans:
        results.append(_region(span.id, span.layer, span.start, span.end, span.text, span.label))
        if span.note is not None:
            results.append(
                {"id": span.id, "from_name": SPAN_NOTE, "to_name": TEXT_NAME, "type": "textarea",
                 "value": {"start": span.start, "end": span.end, "text": [span.note]}}
            )
    for rel in part.relations:
        results.append({"type": "relation", "from_id": rel.head, "to_id": rel.tail, "direction": "right", "labels": [rel.label]})
    for layer, labels in part.article_labels.items():
        if labels:
            results.append(
                {"id": f"article-{layer}", "from_name": layer, "to_name": TEXT_NAME, "type": "choices", "value": {"choices": list(labels)}}
            )
    note = getattr(part, "note", None)
    if note is not None:
        results.append({"id": "annotation-note", "from_name": ANNOTATION_NOTE, "to_name": TEXT_NAME, "type": "textarea",
                        "value": {"text": [note]}})
    return results


def record_to_task(record: ArticleRecord, *, scheme: Scheme | None = None, model_version: str | None = None) -> dict:
    """One Label Studio task for ``record``: ``{"data": {...}, "predictions": [{...}]}``.

    The prediction holds the sentence regions (region ids = sentence ids, read-only: see
    :func:`to_results`) and, when the record has gold, the gold labels, so that annotators
    correct rather than restart.
    """
    del scheme  # the results are fully determined by the record; kept for a uniform signature
    return {
        "data": {"text": record.text, "article_id": record.id, "text_sha256": record.text_sha256},
        "predictions": [
            {
                "model_version": model_version or default_model_version(),
                "result": to_results(record, record.gold, readonly_sentences=True),
            }
        ],
    }


@dataclass(frozen=True)
class TasksReport:
    """What :func:`write_tasks` wrote: the config and tasks paths and the number of tasks."""

    config_path: Path
    tasks_path: Path
    tasks: int


def write_task_list(tasks: Iterable[dict], path: str | Path) -> int:
    """Write ``tasks`` (Label Studio task objects) to ``path`` atomically as one JSON list,
    the bytes of ``json.dumps(list(tasks), ensure_ascii=False, indent=2)`` and a newline,
    holding one task in memory at a time. Returns the number of tasks; an error raised by
    ``tasks`` writes nothing."""
    count = 0

    def chunks() -> Iterator[bytes]:
        # "[", each task indented by two more spaces, ",\n" between, "\n]"
        nonlocal count
        for task in tasks:
            body = json.dumps(task, ensure_ascii=False, indent=2).replace("\n", "\n  ")
            yield (("[\n  " if count == 0 else ",\n  ") + body).encode("utf-8")
            count += 1
        yield b"[]\n" if count == 0 else b"\n]\n"

    atomic_write_chunks(path, chunks())
    return count


def write_tasks(
    records: Iterable[ArticleRecord],
    *,
    out_dir: str | Path,
    scheme: Scheme | None = None,
    model_version: str | None = None,
) -> TasksReport:
    """Write ``label_config.xml`` and ``tasks.json`` (one task per record) to ``out_dir``.

    Both files are written atomically; the tasks file is Label Studio's JSON import format.
    """
    scheme = scheme or default_scheme()
    out = Path(out_dir)
    config_path, tasks_path = out / "label_config.xml", out / "tasks.json"
    count = write_task_list((record_to_task(record, scheme=scheme, model_version=model_version) for record in records), tasks_path)
    atomic_write_text(config_path, label_config(scheme))
    return TasksReport(config_path=config_path, tasks_path=tasks_path, tasks=count)

"""Reference forms of the Label Studio import, kept as test oracles.

The package converts results and tasks straight into JSON form, with an inline fast case
for common regions, and merges in JSON form. These are the slow, plain forms: one result
at a time, every check in order, building the pydantic models; the merge on models. The
property tests (test_import_reference.py) hold the package to them: the same annotations and
records byte for byte, the same warnings, and the same error (class, code, place and the
result it names; the wording of an error is the package's alone).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pydantic import ValidationError

from newscorpus.core.models import Annotation, ArticleRecord, Gold, Relation, Sentence, SentenceLabel, Span
from newscorpus.core.scheme import Scheme
from newscorpus.errors import ExportError, OffsetUnitError
from newscorpus.importers.report import ImportWarning

_ID = re.compile(r"[A-Za-z0-9_.:>\-]+")


@dataclass
class Reference:
    """One annotation's layers as models, the annotation's note and the warnings."""

    spans: list[Span] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    sentence_labels: list[SentenceLabel] = field(default_factory=list)
    article_labels: dict[str, list[str]] = field(default_factory=dict)
    note: str | None = None
    warnings: list[ImportWarning] = field(default_factory=list)


def _units(text: str) -> list[int]:
    """Code point of each UTF-16 code unit (-1 inside a surrogate pair), and the end."""
    out = []
    for i, ch in enumerate(text):
        out += [i, -1] if len(ch.encode("utf-16-le", "surrogatepass")) == 4 else [i]
    return out + [len(text)]


def _squash(s: str) -> str:
    return "".join(s.replace("\\n", "\n").replace("\\t", "\t").split())


def reference_results(results, *, text: str, sentences: list[Sentence], scheme: Scheme, offset_unit: str = "codepoint",
                      file: str | None = None, path: str = "$", name: str = "annotation") -> Reference:
    """Convert one annotation's ``result`` list, one result at a time. Errors carry the
    code and place of the package's, and as message only the name of what they blame."""

    def fail(i, rid, code, cls=ExportError):
        raise cls(f"{name}, result {rid!r}", file=file, where=f"{path}.result[{i}]", code=code)

    if not isinstance(results, list):
        raise ExportError(name, file=file, where=f"{path}.result", code="invalid-result")
    out = Reference()
    sentence_at = {(s.start, s.end): s.id for s in sentences}
    region_sentence: dict[str, str] = {}
    trimmed, later = [], []
    units = _units(text)
    for i, item in enumerate(results):
        if not isinstance(item, dict):
            fail(i, None, "invalid-result")
        rid, kind = item.get("id"), item.get("type")
        if kind in ("choices", "relation", "textarea"):
            later.append((i, item))
            continue
        if kind != "labels":
            fail(i, rid, "unknown-result-type")
        value = item.get("value")
        if not isinstance(value, dict):
            fail(i, rid, "invalid-result")
        labels = value.get("labels")
        if not isinstance(labels, list) or len(labels) == 0:
            fail(i, rid, "missing-labels")
        if len(labels) > 1:
            fail(i, rid, "multiple-labels")
        if not isinstance(rid, str) or rid == "":
            fail(i, rid, "invalid-result")
        start, end = value.get("start"), value.get("end")
        if type(start) is not int or type(end) is not int:
            fail(i, rid, "invalid-offsets")
        if start < 0 or end < 0:
            fail(i, rid, "span-out-of-bounds")
        if offset_unit == "utf16":
            start, end = [units[o] if o < len(units) else o - (len(units) - 1 - len(text)) for o in (start, end)]
            if start == -1 or end == -1:
                fail(i, rid, "invalid-offsets")
        inside = 0 <= start < end <= len(text)
        shown = value.get("text")
        if inside and shown is not None and shown != text[start:end]:
            piece = text[start:end]
            if not isinstance(shown, str):
                fail(i, rid, "invalid-result")
            if _squash(shown) == _squash(piece):
                out.warnings.append(ImportWarning(
                    "display-text-whitespace", f"{path}.result[{i}]",
                    f"{name}, result {rid!r}: value.text {shown!r} differs from the text at [{start}, {end}) "
                    f"{piece!r} only in whitespace; the text's slice is kept"))
            else:
                s16, e16 = value["start"], value["end"]
                if (offset_unit == "codepoint" and 0 <= s16 < e16 < len(units) and -1 not in (units[s16], units[e16])
                        and text[units[s16]:units[e16]] == shown):
                    fail(i, rid, "utf16-offsets", OffsetUnitError)
                fail(i, rid, "span-text-mismatch")
        control, label = item.get("from_name"), labels[0]
        if control == "sentence":
            if not inside:
                fail(i, rid, "span-out-of-bounds")
            if (start, end) not in sentence_at:
                fail(i, rid, "unknown-sentence")
            region_sentence[rid] = sentence_at[start, end]
            continue
        if not isinstance(control, str):
            fail(i, rid, "unknown-layer")
        if not isinstance(label, str):
            fail(i, rid, "unknown-label")
        if rid in {s.id for s in out.spans}:
            fail(i, rid, "duplicate-id")
        new_start, new_end = start, end
        if inside:
            piece = text[start:end]
            new_start = start + len(piece) - len(piece.lstrip())
            new_end = max(new_start, end - (len(piece) - len(piece.rstrip())))
            if (new_start, new_end) != (start, end):
                trimmed.append(f"{rid} [{start}, {end}) -> [{new_start}, {new_end})")
        try:
            out.spans.append(Span(id=rid, layer=control, label=label, start=new_start, end=new_end, text=text[new_start:new_end]))
        except ValidationError:
            fail(i, rid, "invalid-result")
    if trimmed:
        out.warnings.append(ImportWarning("span-trimmed", f"{path}.result", f"{name}: whitespace trimmed from span edges: {'; '.join(trimmed)}"))
    layers = {layer.name: layer for layer in scheme.layers}
    chosen: set[tuple[str, str]] = set()
    for i, item in later:
        rid, kind, control = item.get("id"), item.get("type"), item.get("from_name")
        value = item.get("value") if isinstance(item.get("value"), dict) else {}
        if kind == "relation":
            out.relations.append(_reference_relation(item, fail, i))
        elif kind == "textarea":
            texts = [value.get("text")] if isinstance(value.get("text"), str) else value.get("text")
            if not isinstance(texts, list) or any(not isinstance(t, str) for t in texts):
                fail(i, rid, "invalid-result")
            note = "\n".join(texts)
            if control == "note":
                out.note = note if out.note is None else out.note + "\n" + note
                continue
            if control != "span_note":
                fail(i, rid, "unknown-layer")
            span = next((s for s in out.spans if s.id == rid), None)
            if span is None:
                fail(i, rid, "unknown-sentence")
            span.note = note if span.note is None else span.note + "\n" + note
        else:
            choices = value.get("choices")
            layer = layers.get(control) if isinstance(control, str) else None
            if layer is None:
                fail(i, rid, "unknown-layer")
            if not isinstance(choices, list) or not choices:
                fail(i, rid, "missing-labels")
            if not all(isinstance(c, str) for c in choices):
                fail(i, rid, "unknown-label")
            if layer.level == "article":
                if control in out.article_labels:
                    fail(i, rid, "duplicate-id")
                out.article_labels[control] = list(choices)
            elif layer.level == "sentence":
                if not isinstance(rid, str) or rid not in region_sentence:
                    fail(i, rid, "unknown-sentence")
                if (region_sentence[rid], control) in chosen:
                    fail(i, rid, "duplicate-id")
                chosen.add((region_sentence[rid], control))
                out.sentence_labels += [SentenceLabel(sentence=region_sentence[rid], layer=control, label=c) for c in choices]
            else:
                fail(i, rid, "unknown-layer")
    return out


def _reference_relation(item: dict, fail, i: int) -> Relation:
    head, tail = item.get("from_id"), item.get("to_id")
    rid = f"{head}->{tail}"
    labels = item.get("labels") or []
    if not isinstance(labels, list):
        fail(i, rid, "invalid-result")
    if not labels:
        fail(i, rid, "missing-labels")
    if len(labels) > 1:
        fail(i, rid, "multiple-labels")
    if not isinstance(labels[0], str):
        fail(i, rid, "invalid-result")
    direction = item.get("direction", "right")
    if direction not in ("left", "right"):
        fail(i, rid, "undirected-relation")
    if direction == "left":
        head, tail = tail, head
    if not all(isinstance(x, str) and len(x) <= 200 and _ID.fullmatch(x) for x in (head, tail)):
        fail(i, rid, "dangling-relation")
    try:
        return Relation(id=f"{labels[0]}:{head}>{tail}", label=labels[0], head=head, tail=tail)
    except ValidationError:
        fail(i, rid, "invalid-result")


def reference_task(task: dict, *, index: int, record: ArticleRecord, scheme: Scheme, offset_unit: str = "codepoint",
                   file: str | None = None) -> tuple[list[Annotation], list[ImportWarning]]:
    """Convert one exported task's annotations and drafts into models."""
    data = task.get("data") or {}
    task_id = task.get("id") if type(task.get("id")) is int else None
    label = f"task {task_id} (article {record.id})"
    for key, own in (("text_sha256", record.text_sha256), ("text", record.text)):
        if data.get(key) != own:
            raise ExportError(label, file=file, where=f"$[{index}].data.{key}", code="text-hash-mismatch")
    annotations, warnings, ids = [], [], set()
    entries = [("annotations", p, a) for p, a in enumerate(task.get("annotations") or [])]
    entries += [("drafts", p, d) for p, d in enumerate(task.get("drafts") or [])]
    for kind, pos, raw in entries:
        where = f"$[{index}].{kind}[{pos}]"
        if not isinstance(raw, dict):
            raise ExportError(label, file=file, where=where, code="invalid-result")
        raw_id = raw.get("id") if type(raw.get("id")) is int else None
        if raw_id is None:
            raise ExportError(label, file=file, where=f"{where}.id", code="invalid-result")
        project = raw.get("project") if type(raw.get("project")) is int and raw.get("project") else None
        project = project or (task.get("project") if type(task.get("project")) is int else None)
        if kind == "drafts":
            status, user = "draft", _user(raw.get("user"), raw.get("created_username"))
        else:
            if not isinstance(raw.get("was_cancelled", False), bool):
                raise ExportError(f"{label}, annotation {raw_id}", file=file, where=f"{where}.was_cancelled", code="invalid-result")
            status, user = ("cancelled" if raw.get("was_cancelled") else "submitted"), _user(raw.get("completed_by"), None)
        ann_id = ("ls-" if project is None else f"ls-p{project}-") + ("d" if kind == "drafts" else "a") + str(raw_id)
        if ann_id in ids:
            raise ExportError(label, file=file, where=f"{where}.id", code="duplicate-id")
        ids.add(ann_id)
        if user is None:
            raise ExportError(f"{label}, {kind[:-1]} {raw_id}", file=file, where=where, code="missing-annotator")
        name = f"{label}, {'draft' if kind == 'drafts' else 'annotation'} {raw_id}"
        layers = reference_results(raw.get("result") or [], text=record.text, sentences=record.sentences, scheme=scheme,
                                   offset_unit=offset_unit, file=file, path=where, name=name)
        warnings += layers.warnings
        try:
            annotations.append(Annotation(
                id=ann_id, annotator=f"ls-{user}", status=status, ground_truth=bool(raw.get("ground_truth", False)),
                origin={"tool": "label-studio", "project": project, "task": task_id, "annotation": raw_id},
                created_at=raw.get("created_at"), updated_at=raw.get("updated_at"), lead_time=raw.get("lead_time"),
                article_labels=layers.article_labels, sentence_labels=layers.sentence_labels, spans=layers.spans,
                relations=layers.relations, note=layers.note))
        except ValidationError:
            raise ExportError(name, file=file, where=where, code="invalid-result") from None
    return annotations, warnings


def _user(value, created_username) -> int | None:
    if isinstance(value, dict):
        value = value.get("id")
    if type(value) is int:
        return value if value > 0 else None
    if isinstance(created_username, str) and ", " in created_username:
        tail = created_username.rsplit(", ", 1)[1].strip()
        return int(tail) if tail.isdigit() else None
    return None


def merge_models(record: ArticleRecord, annotations: list[Annotation]) -> list[ImportWarning]:
    """Merge ``annotations`` into ``record`` in place: replace by id (only the same
    annotation: equal created_at, task and server, else ``annotation-conflict``; an older
    updated_at is not applied, with a warning), keep the others, and set a ``single`` gold
    (never over a gold decided otherwise). Returns the warnings."""
    stored = {a.id: a for a in record.annotations}
    warnings, kept = [], []
    for a in annotations:
        old = stored.get(a.id)
        if old is not None and (old.created_at, old.origin.task, old.origin.server) != (a.created_at, a.origin.task, a.origin.server):
            raise ExportError(f"annotation {a.id} is another annotation", code="annotation-conflict")
        if old is not None and a.updated_at is not None and old.updated_at is not None and a.updated_at < old.updated_at:
            times = [x.model_dump(mode="json")["updated_at"] for x in (a, old)]
            warnings.append(ImportWarning("older-annotation", record.id, f"annotation {a.id} was not applied: it was updated at "
                                          f"{times[0]}, before the record's copy (updated at {times[1]}); the newer work is kept"))
            continue
        kept.append(a)
    fresh = {a.id: a for a in kept}
    record.annotations = [a for a in record.annotations if a.id not in fresh] + list(fresh.values())
    if record.gold is not None and record.gold.method != "single":
        return warnings
    submitted = [a for a in record.annotations if a.status == "submitted"]
    if len(submitted) == 1:
        only = submitted[0]
        record.gold = Gold(method="single", decided_by=None, from_annotations=[only.id], article_labels=only.article_labels,
                           sentence_labels=only.sentence_labels, spans=only.spans, relations=only.relations)
        return warnings
    if record.gold is None:
        return warnings
    record.gold = None
    return warnings + [ImportWarning("gold-undecided", record.id,
                                     f"{len(submitted)} submitted annotations: the single-annotation gold was removed; run `newscorpus adjudicate`")]
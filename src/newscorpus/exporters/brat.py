"""brat standoff (https://brat.nlplab.org/standoff.html): per article ``<id>.txt``, the
canonical text (UTF-8, LF), and ``<id>.ann``; one ``annotation.conf`` with the scheme's
span labels and relations.

``.ann`` lines (LF-ended, UTF-8), in this order:

- ``T<n>\\t<label> <start> <end>\\t<text>``, one per span, numbered from 1 in the part's
  span order (start, end, id), or, when every span id is a brat id (``T12``: what an import
  of a brat file keeps), under its own id, in id order; offsets are code points,
  end-exclusive, as brat counts characters. A span whose text holds a line break is written as brat writes a span across
  lines: its fragments between the line breaks, ``<s1> <e1>;<s2> <e2>``, and their texts
  joined by one space;
- ``R<n>\\t<label> Arg1:T<head> Arg2:T<tail>``, one per relation, in relation id order
  (under its own id, in id order, when every relation id is a brat id, ``R3``);
- ``#<n>\\tAnnotatorNotes T<k>\\t<note>``, one per span note, in the order of the ``T`` lines.

brat has no layers (a label names its layer: the scheme keeps span labels unique across
span layers), no sentence or article labels and no note on the whole annotation: those are
not written (docs/formats.md). A label with whitespace (brat types cannot hold one) or a
note with a line break is refused with :class:`~newscorpus.errors.ExporterError`.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from newscorpus.core.scheme import Scheme
from newscorpus.errors import ExporterError
from newscorpus.exporters.items import ExportItem
from newscorpus.util.fileio import sync_files

__all__ = ["CONF", "annotation_conf", "ann_text", "fragments", "write"]

#: The name of the type configuration file brat reads from the folder.
CONF = "annotation.conf"


def annotation_conf(scheme: Scheme) -> str:
    """The ``annotation.conf`` of ``scheme``: ``[entities]`` every span label, layer by
    layer (a ``#`` comment names each layer), ``[relations]`` each relation label with its
    head labels as ``Arg1`` and tail labels as ``Arg2`` (``<ENTITY>``: any), and an
    ``<OVERLAP>`` line allowing any overlap (spans of different layers nest and cross)."""
    lines = [f"# the scheme {scheme.name} {scheme.version}, written by newscorpus export --format brat", "[entities]"]
    for layer in scheme.span_layers:
        lines.append(f"# layer {layer.name}")
        lines.extend(_brat_type(name, CONF, "$") for name in layer.label_names)
    lines += ["", "[relations]"]
    for relation in scheme.relations:
        for label in relation.labels:
            head = "|".join(label.head_labels) or "<ENTITY>"
            tail = "|".join(label.tail_labels) or "<ENTITY>"
            lines.append(f"{_brat_type(label.name, CONF, '$')}\tArg1:{head}, Arg2:{tail}")
    lines.append("<OVERLAP>\tArg1:<ENTITY>, Arg2:<ENTITY>, <OVL-TYPE>:<ANY>")
    lines += ["", "[events]", "", "[attributes]", ""]
    return "\n".join(lines)


def _brat_type(name: str, file: str, where: str) -> str:
    if not name or any(c.isspace() for c in name):
        raise ExporterError(f"the label {name!r} holds whitespace, which a brat type cannot", file=file, where=where,
                            code="unsupported-label", hint="rename the label in the scheme")
    return name


def fragments(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The pieces of ``text[start:end]`` between its line breaks (``\\n``), as brat writes a
    span across lines: ``(start, end)`` code-point pairs, in order, none empty."""
    out: list[tuple[int, int]] = []
    at = start
    while at < end:
        stop = text.find("\n", at, end)
        stop = end if stop < 0 else stop
        if stop > at:
            out.append((at, stop))
        at = stop + 1
    return out


def _kept_ids(ids: list[str], kind: str) -> list[str] | None:
    """``ids`` when every one is a brat id of ``kind`` (``T12``, ``R3``: what an import of a
    brat file keeps), else None (the ids are numbered instead)."""
    return ids if all(i[:1] == kind and i[1:].isdigit() and i[1:2] != "0" for i in ids) else None


def _by_number(pairs: list[tuple[str, str]]) -> list[str]:
    return [line for _, line in sorted(pairs, key=lambda p: int(p[0][1:]))]


def ann_text(item: ExportItem) -> str:
    """The ``.ann`` file of one article (see the module doc). Raises
    :class:`~newscorpus.errors.ExporterError` naming the record file and the span for a
    label with whitespace or a note with a line break."""
    text, part, file = item.record.text, item.part, item.file
    where = item.where
    kept_t = _kept_ids([span.id for span in part.spans], "T")
    kept_r = _kept_ids([rel.id for rel in part.relations], "R")
    t_ids: dict[str, str] = {}
    t_lines: list[tuple[str, str]] = []
    noted: list[tuple[str, str]] = []
    for i, span in enumerate(part.spans):
        t_id = t_ids[span.id] = kept_t[i] if kept_t else f"T{i + 1}"
        label = _brat_type(span.label, file, f"{where}.spans[{i}].label")
        pieces = fragments(text, span.start, span.end)
        offsets = ";".join(f"{a} {b}" for a, b in pieces)
        t_lines.append((t_id, f"{t_id}\t{label} {offsets}\t{' '.join(text[a:b] for a, b in pieces)}"))
        if span.note is not None:
            if "\n" in span.note or "\r" in span.note:
                raise ExporterError(f"the note of span {span.id!r} holds a line break, which a brat note cannot",
                                    file=file, where=f"{where}.spans[{i}].note", code="unsupported-note")
            noted.append((t_id, span.note))
    r_lines: list[tuple[str, str]] = []
    for k, rel in enumerate(part.relations):
        label = _brat_type(rel.label, file, f"{where}.relations[{k}].label")
        r_id = kept_r[k] if kept_r else f"R{k + 1}"
        r_lines.append((r_id, f"{r_id}\t{label} Arg1:{t_ids[rel.head]} Arg2:{t_ids[rel.tail]}"))
    lines = _by_number(t_lines) + _by_number(r_lines)
    if kept_t:
        noted.sort(key=lambda p: int(p[0][1:]))
    lines += [f"#{n}\tAnnotatorNotes {t_id}\t{note}" for n, (t_id, note) in enumerate(noted, 1)]
    return "".join(line + "\n" for line in lines)


def write(items: Iterable[ExportItem], *, out: Path, scheme: Scheme) -> list[str]:
    """Write ``annotation.conf`` and each item's ``<id>.txt`` and ``<id>.ann`` into ``out``
    (an empty folder the driver swaps in whole, so each file is written plainly and all are
    made durable at the end); returns the names written, sorted. Raises
    :class:`~newscorpus.errors.ExporterError`."""
    files = [CONF]
    (out / CONF).write_bytes(annotation_conf(scheme).encode("utf-8"))
    for item in items:
        rid = item.record.id
        ann = ann_text(item).encode("utf-8")  # first: a refusal leaves no half article
        (out / f"{rid}.ann").write_bytes(ann)
        (out / f"{rid}.txt").write_bytes(item.record.text.encode("utf-8"))
        files += [f"{rid}.ann", f"{rid}.txt"]
    sync_files([out / name for name in files])
    return sorted(files)

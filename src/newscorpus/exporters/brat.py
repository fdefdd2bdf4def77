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
- ``A<n>\\t<name> T<k>`` or ``A<n>\\t<name> T<k> <value>``, one per attribute: the lines
  ``[attribute] <name>`` or ``[attribute] <name>=<value>`` that end a span's note (what the
  brat importer makes of an ``A`` line, :data:`newscorpus.importers.brat.ATTRIBUTE_PREFIX`),
  in the order of the ``T`` lines;
- ``#<n>\\tAnnotatorNotes T<k>\\t<line>``, one per line of the rest of a span's note (the
  brat importer joins a span's notes with a line break), in the order of the ``T`` lines.

So a brat file imported and exported again gives its spans, relations, span attributes and
span notes back, ids kept (docs/formats.md, brat). brat has no layers (a label names its
layer: the scheme keeps span labels unique across span layers), no sentence or article
labels and no note on the whole annotation: those are not written (docs/formats.md). A
label with whitespace (brat types cannot hold one) or a note with a carriage return is
refused with :class:`~newscorpus.errors.ExporterError`.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from newscorpus.core.scheme import Scheme
from newscorpus.errors import ExporterError
from newscorpus.exporters.items import ExportItem
from newscorpus.importers.brat import ATTRIBUTE_PREFIX
from newscorpus.util.fileio import sync_files

__all__ = ["CONF", "annotation_conf", "ann_text", "attributes_of", "fragments", "note_parts", "write"]

#: The name of the type configuration file brat reads from the folder.
CONF = "annotation.conf"


def annotation_conf(scheme: Scheme, attributes: dict[str, set[str]] | None = None) -> str:
    """The ``annotation.conf`` of ``scheme``: ``[entities]`` every span label, layer by
    layer (a ``#`` comment names each layer), ``[relations]`` each relation label with its
    head labels as ``Arg1`` and tail labels as ``Arg2`` (``<ENTITY>``: any), an
    ``<OVERLAP>`` line allowing any overlap (spans of different layers nest and cross),
    and ``[attributes]`` each name of ``attributes`` (attribute name -> the values written;
    empty for a binary attribute), in name order, on any entity."""
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
    lines += ["", "[events]", "", "[attributes]"]
    for name, values in sorted((attributes or {}).items()):
        lines.append(f"{name}\tArg:<ENTITY>" + (f", Value:{'|'.join(sorted(values))}" if values else ""))
    lines.append("")
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


def attributes_of(line: str) -> tuple[str, str | None] | None:
    """The attribute a note line states (``[attribute] Negated`` -> ``("Negated", None)``,
    ``[attribute] Confidence=High`` -> ``("Confidence", "High")``), or None when the line
    is not one a brat ``A`` line can hold (no prefix, an empty name or value, whitespace)."""
    if not line.startswith(ATTRIBUTE_PREFIX):
        return None
    name, eq, value = line[len(ATTRIBUTE_PREFIX):].partition("=")
    if not name or (eq and not value) or any(c.isspace() for c in name + value):
        return None
    return name, (value if eq else None)


def note_parts(note: str) -> tuple[list[str], list[tuple[str, str | None]]]:
    """A span's ``note`` as brat lines: the ``AnnotatorNotes`` texts (its lines, split at
    ``\\n``) and the attributes (name, value or None) of the lines that end it, each an
    :func:`attributes_of` line. The brat importer joins the notes, then the attributes,
    with ``\\n``: it gives ``note`` back exactly (an attribute line followed by a plain
    line stays a note line)."""
    lines = note.split("\n")
    keep = len(lines)
    while keep > 0 and attributes_of(lines[keep - 1]) is not None:
        keep -= 1
    return lines[:keep], [attributes_of(line) for line in lines[keep:]]  # type: ignore[misc]


def _kept_ids(ids: list[str], kind: str) -> list[str] | None:
    """``ids`` when every one is a brat id of ``kind`` (``T12``, ``R3``: what an import of a
    brat file keeps), else None (the ids are numbered instead)."""
    return ids if all(i[:1] == kind and i[1:].isdigit() and i[1:2] != "0" for i in ids) else None


def _by_number(pairs: list[tuple[str, str]]) -> list[str]:
    return [line for _, line in sorted(pairs, key=lambda p: int(p[0][1:]))]


def ann_text(item: ExportItem, attributes: dict[str, set[str]] | None = None) -> str:
    """The ``.ann`` file of one article (see the module doc); each attribute written is
    added to ``attributes`` (name -> values), when given, for the ``annotation.conf``.
    Raises :class:`~newscorpus.errors.ExporterError` naming the record file and the span
    for a label with whitespace or a note with a carriage return."""
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
            if "\r" in span.note:
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
    notes: list[str] = []
    for t_id, note in noted:
        texts, attrs = note_parts(note)
        for name, value in attrs:
            lines.append(f"A{len(lines) - len(t_lines) - len(r_lines) + 1}\t{name} {t_id}" + (f" {value}" if value else ""))
            if attributes is not None:
                attributes.setdefault(name, set()).update([value] if value else [])
        notes += [f"#{len(notes) + n}\tAnnotatorNotes {t_id}\t{text}" for n, text in enumerate(texts, 1)]
    return "".join(line + "\n" for line in lines + notes)


def write(items: Iterable[ExportItem], *, out: Path, scheme: Scheme) -> list[str]:
    """Write each item's ``<id>.txt`` and ``<id>.ann``, then ``annotation.conf``, into ``out``
    (an empty folder the driver swaps in whole, so each file is written plainly and all are
    made durable at the end); returns the names written, sorted. Raises
    :class:`~newscorpus.errors.ExporterError`."""
    files = [CONF]
    attributes: dict[str, set[str]] = {}
    for item in items:
        rid = item.record.id
        ann = ann_text(item, attributes).encode("utf-8")  # first: a refusal leaves no half article
        (out / f"{rid}.ann").write_bytes(ann)
        (out / f"{rid}.txt").write_bytes(item.record.text.encode("utf-8"))
        files += [f"{rid}.ann", f"{rid}.txt"]
    (out / CONF).write_bytes(annotation_conf(scheme, attributes).encode("utf-8"))  # last: it lists the attributes written
    sync_files([out / name for name in files])
    return sorted(files)

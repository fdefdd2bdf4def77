"""brat standoff (``<name>.txt`` + ``<name>.ann``) as source documents (docs/formats.md, brat).

Read from an ``.ann`` line (https://brat.nlplab.org/standoff.html):

- ``T`` text-bound annotations: one span each (``T3<TAB>ORG 10 15<TAB>Apple``); offsets are
  code points of the ``.txt`` as it is, and the stated text must equal the slice. A span
  brat wrote across lines, fragments whose gaps are line breaks only (``0 5;6 10``, the
  text the fragments' texts joined by one space, as brat and ``newscorpus export --format
  brat`` write it), is one span from the first fragment's start to the last one's end; any
  other discontinuous span (``0 5;10 15``) is refused, naming its id and line;
- ``R`` relations (``R1<TAB>Located Arg1:T1 Arg2:T3``): ``Arg1`` is the head, ``Arg2`` the tail;
- ``#`` notes (``#1<TAB>AnnotatorNotes T1<TAB>text``): the note of the span (several are
  joined by a line break); a note on a relation is left out with a ``note-dropped`` warning
  (a record's relation has no note);
- ``A``/``M`` attributes (``A1<TAB>Negated T1``, ``A2<TAB>Confidence T1 High``): the scheme has
  no attributes, so each is kept as a line of the span's note, ``[attribute] Negated`` or
  ``[attribute] Confidence=High``, after the notes (an exporter writes them back); an
  attribute of a relation is left out with an ``attribute-dropped`` warning;
- ``E`` events, ``*`` equivalences and ``N`` normalisations have no place in a record and are
  refused (``unsupported-annotation``), naming the line.

Pure: reads files, writes nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from newscorpus.errors import ExportError
from newscorpus.importers.sources import SourceDocument, SourceRelation, SourceSpan, read_text_file
from newscorpus.importers.report import ImportWarning

__all__ = ["read_brat", "ATTRIBUTE_PREFIX"]

#: How an attribute is kept in a span's note: ``[attribute] Name`` or ``[attribute] Name=Value``.
ATTRIBUTE_PREFIX = "[attribute] "

_REFUSED = {"E": "an event", "*": "an equivalence", "N": "a normalisation"}


def _pairs(path: Path) -> list[tuple[Path, Path]]:
    """The (.txt, .ann) pairs of ``path``: a folder (searched recursively, by .ann), an .ann
    or a .txt file."""
    if path.is_dir():
        anns = sorted(p for p in path.rglob("*.ann") if p.is_file())
        if not anns:
            raise ExportError("no brat annotation files (*.ann) in this folder", file=str(path), code="wrong-format",
                              hint="--format brat reads <name>.txt + <name>.ann pairs")
        return [(ann.with_suffix(".txt"), ann) for ann in anns]
    if path.suffix in (".ann", ".txt"):
        return [(path.with_suffix(".txt"), path.with_suffix(".ann"))]
    raise ExportError(f"{path.name} is not a brat file (a .ann, a .txt, or a folder of them)", file=str(path),
                      code="wrong-format", hint="give --format the file's format (newscorpus import --help lists them)")


def _bad(ann: Path, line: int, message: str, code: str = "wrong-format", hint: str | None = None) -> ExportError:
    return ExportError(message, file=str(ann), where=f"line {line}", code=code, hint=hint)


def _span(ann: Path, number: int, ident: str, fields: list[str], text: str) -> SourceSpan:
    head = fields[1].split(" ") if len(fields) > 1 else []
    if len(head) < 3:
        raise _bad(ann, number, f"{ident}: not a text-bound annotation (<id> TAB <label> <start> <end> TAB <text>)")
    pieces = [piece.split(" ") for piece in fields[1][len(head[0]) + 1:].split(";")]
    try:
        offsets = [(int(a), int(b)) for a, b in pieces]
    except ValueError:
        what = f"{head[1]!r} {head[2]!r}" if len(pieces) == 1 else repr(" ".join(head[1:]))
        raise _bad(ann, number, f"{ident}: offsets {what} are not integers", "invalid-offsets") from None
    stated = fields[2] if len(fields) > 2 else None
    if len(offsets) > 1:
        gaps = [text[b:a] for (_, b), (a, _) in zip(offsets, offsets[1:])]
        if not all(gap and not gap.strip("\r\n") for gap in gaps):
            raise _bad(ann, number, f"{ident}: a discontinuous span ({' '.join(head[1:])}) cannot be one span of a record",
                       "discontinuous-span", hint="split it into continuous spans in brat, or leave it out")
        joined = " ".join(text[a:b] for a, b in offsets)
        if stated is not None and stated != joined:
            raise _bad(ann, number, f"{ident} states the text {stated!r}, but its fragments {' '.join(head[1:])} of the text "
                       f"are {joined!r}", "span-text-mismatch")
        stated = None  # checked here: the span's slice holds the line breaks
    return SourceSpan(id=ident, start=offsets[0][0], end=offsets[-1][1], label=head[0], line=number, text=stated)


def _relation(ann: Path, number: int, ident: str, fields: list[str]) -> SourceRelation:
    parts = fields[1].split(" ") if len(fields) > 1 else []
    args = dict(part.split(":", 1) for part in parts[1:] if ":" in part)
    if len(parts) != 3 or set(args) != {"Arg1", "Arg2"}:
        raise _bad(ann, number, f"{ident}: not a relation (<id> TAB <label> Arg1:<id> Arg2:<id>)")
    return SourceRelation(id=ident, head=args["Arg1"], tail=args["Arg2"], label=parts[0], line=number)


def _read_ann(ann: Path, source: str) -> tuple[list[SourceSpan], list[SourceRelation], dict[str, list[str]], list[ImportWarning]]:
    """The spans, relations and note lines (by span id) of one .ann file on the text ``source``."""
    text = read_text_file(ann, what="annotation")
    spans: list[SourceSpan] = []
    relations: list[SourceRelation] = []
    notes: dict[str, list[str]] = {}
    attributes: dict[str, list[str]] = {}
    targets: list[tuple[int, str, str, str]] = []  # line, kind, target id, what
    for number, line in enumerate(text.split("\n"), 1):
        line = line.removesuffix("\r")
        if not line.strip():
            continue
        fields = line.split("\t", 2)
        ident = fields[0]
        kind = ident[:1]
        if kind == "T":
            spans.append(_span(ann, number, ident, fields, source))
        elif kind == "R":
            relations.append(_relation(ann, number, ident, fields))
        elif kind == "#":
            head = fields[1].split(" ") if len(fields) > 1 else []
            if len(head) != 2:
                raise _bad(ann, number, f"{ident}: not a note (<id> TAB <type> <target id> TAB <text>)")
            notes.setdefault(head[1], []).append(fields[2] if len(fields) > 2 else "")
            targets.append((number, "note", head[1], ident))
        elif kind in ("A", "M"):
            head = fields[1].split(" ") if len(fields) > 1 else []
            if len(head) not in (2, 3):
                raise _bad(ann, number, f"{ident}: not an attribute (<id> TAB <name> <target id> [<value>])")
            value = head[0] if len(head) == 2 else f"{head[0]}={head[2]}"
            attributes.setdefault(head[1], []).append(ATTRIBUTE_PREFIX + value)
            targets.append((number, "attribute", head[1], ident))
        elif kind in _REFUSED:
            raise _bad(ann, number, f"{ident}: {_REFUSED[kind]} ({fields[1] if len(fields) > 1 else ''}) has no "
                       "place in a record: only text-bound spans (T), relations (R), notes (#) and attributes (A) are read",
                       "unsupported-annotation", hint="remove such lines (or export spans and relations only) and import again")
        else:
            raise _bad(ann, number, f"{line[:40]!r} is not a brat standoff line", hint="is this a brat .ann file?")
    span_ids = {span.id for span in spans}
    relation_ids = {relation.id for relation in relations}
    warnings: list[ImportWarning] = []
    for number, kind, target, ident in targets:
        if target in relation_ids:
            warnings.append(ImportWarning(f"{kind}-dropped", f"{ann}::line {number}", f"{kind} {ident} of relation "
                                          f"{target} left out: a record's relation has no note and no attributes"))
            notes.pop(target, None)
            attributes.pop(target, None)
        elif target not in span_ids:
            raise _bad(ann, number, f"{ident}: its target {target!r} is no span or relation of the file", "dangling-relation")
    lines = {target: notes.get(target, []) + attributes.get(target, []) for target in {*notes, *attributes}}
    return spans, relations, lines, warnings


def read_brat(path: str | Path) -> Iterator[SourceDocument]:
    """The documents of ``path`` (a folder of ``.txt`` + ``.ann`` pairs, searched
    recursively, or one ``.ann`` or ``.txt`` of a pair), in path order; each named after
    its file's stem. Raises :class:`ExportError` naming the file and line: ``wrong-format``,
    ``missing-file`` (an .ann without its .txt), ``not-utf8``, ``discontinuous-span``,
    ``invalid-offsets``, ``span-text-mismatch`` (the fragments of a span across lines),
    ``unsupported-annotation``, ``dangling-relation``."""
    for txt, ann in _pairs(Path(path)):
        text = read_text_file(txt)
        spans, relations, lines, warnings = _read_ann(ann, text)
        if lines:
            spans = [SourceSpan(s.id, s.start, s.end, s.label, s.layer, "\n".join(lines[s.id]), s.line, s.text)
                     if s.id in lines else s for s in spans]
        yield SourceDocument(file=str(txt), annotation_file=str(ann), name=txt.stem, text=text, spans=tuple(spans),
                             relations=tuple(relations), warnings=tuple(warnings))

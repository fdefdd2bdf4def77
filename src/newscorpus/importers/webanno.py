"""WebAnno TSV 3.3 files (INCEpTION's and WebAnno's export) as source documents
(``newscorpus import --format webanno``).

The format (INCEpTION user guide, "WebAnno TSV 3.3 File format"; read as its reader
``Tsv3XDeserializer`` does)::

    #FORMAT=WebAnno TSV 3.3
    #T_SP=de.tudarmstadt.ukp.dkpro.core.api.ner.type.NamedEntity|identifier|value
    #T_RL=webanno.custom.Speaker|label|BT_de.tudarmstadt.ukp.dkpro.core.api.ner.type.NamedEntity


    #Text=Ms. Haag plays .
    1-1	0-3	Ms.	*[1]	PER[1]	_	_
    1-2	4-8	Haag	*[1]	PER[1]	_	_
    1-3	9-14	plays	_	_	_	_
    1-4	15-16	.	_	_	_	_

- Header: ``#FORMAT=WebAnno TSV 3.2`` or ``3.3``; then one line per layer, ``#T_SP=`` span,
  ``#T_CH=`` chain, ``#T_RL=`` relation, the type name and its features separated by
  ``|`` (a layer without features has one placeholder column); a relation layer's last
  column ``BT_<type>`` names the span layer it links.
- Text: each sentence's ``#Text=`` lines, unescaped (``\\t``, ``\\n``, ``\\r``, ``\\f``,
  ``\\b``, ``\\\\``, a backslash before a control character), each followed by a line
  break; before a sentence, the previous sentence's last line break is removed when the
  sentence starts where it ends, and spaces are added up to the sentence's first offset
  (the format keeps nothing between sentences). The document's text ends with a line break.
- Rows: ``sentence-token`` (``.n`` for a sub-token), ``begin-end`` in **UTF-16 code
  units** (converted exactly to code points; an offset inside a surrogate pair is an
  error), the token as in the text (checked against it), then one column per feature.
- Values: ``_`` no annotation, ``*`` an annotation without a value; stacked annotations
  separated by ``|``; ``[n]`` after a value is a disambiguation id: every row with the
  same id is the same annotation, which spans from its first row's begin to its last
  row's end. Reserved characters are escaped with a backslash (``\\|``, ``\\_``, ``\\[``,
  ``\\]``, ``\\;``, ``\\*``, ``\\->``, ``\\t``, ``\\n``, ``\\\\``).
- Relations: on the row of the relation's target (WebAnno's dependent), the ``BT_``
  column names the source (governor) row, ``1-3`` or ``1-3[s_t]`` with the disambiguation
  ids of source and target (``0``: the row's first annotation of the span layer).

What becomes of it: every span layer's annotation is a span whose ``label`` is the value
of the layer's feature ``value`` (else of its first feature) and, when the layer has no
feature or the annotation no value (``*``), the layer's short name (the part of its type
name after the last dot), and whose ``layer`` is that short name; every relation becomes a
relation from the governor's span (``head``) to the dependent's (``tail``), labelled the
same way. Span ids are ``T1``, ``T2``, … and relation ids ``R1``, … in file order. Other
features are not read. Chain layers and slot features have no place in a record: a
value in their columns is an error, as are an empty span and a relation to a row without
a span. ``layers`` limits the import to the named span and relation layers (full or short
names); the other layers' columns are skipped.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path

from newscorpus.core.text import utf16_to_codepoints
from newscorpus.errors import ExportError
from newscorpus.importers.sources import SourceDocument, SourceRelation, SourceSpan, read_text_file
from newscorpus.importers.webanno_header import Column, Layer, read_header, unescape_text, unescape_value, webanno_error

__all__ = ["read_webanno"]

_UNIT_ID = re.compile(r"([0-9]+)-([0-9]+)(?:\.([0-9]+))?")
_OFFSETS = re.compile(r"([0-9]+)-([0-9]+)")
_SUFFIX = re.compile(r"\[([0-9]+)(?:_([0-9]+))?\]$")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")  # as Java's readLine: no other character ends a line


@dataclass
class _Unit:
    id: str
    begin: int  # UTF-16 code units until converted
    end: int
    text: str
    line: int
    fields: list[str]
    annotations: dict[int, list[_Annotation]] = field(default_factory=dict)  # layer index -> stack


@dataclass
class _Annotation:
    layer: Layer
    begin: int
    end: int
    line: int
    label: str | None = None
    source: tuple[str, int, int] | None = None  # relations: (unit id, source id, target id)
    unit: _Unit | None = None  # relations: the row's unit (the target)


def _split(value: str, separator: str) -> list[str]:
    """``value`` cut at every ``separator`` not escaped by a backslash."""
    parts, start, i = [], 0, 0
    while i < len(value):
        if value[i] == "\\":
            i += 2
            continue
        if value[i] == separator:
            parts.append(value[start:i])
            start = i + 1
        i += 1
    parts.append(value[start:])
    return parts


def _suffix(value: str) -> tuple[str, str | None, str | None]:
    """(value, first id, second id) of ``value[n]`` or ``value[n_m]``; ids None without one."""
    match = _SUFFIX.search(value)
    if match is None:
        return value, None, None
    head = value[: match.start()]
    if (len(head) - len(head.rstrip("\\"))) % 2:  # the "[" is escaped
        return value, None, None
    return head, match.group(1), match.group(2)


class _Reader:
    """One file's state while its rows are read."""

    def __init__(self, file: str, lines: list[str], layers: Collection[str] | None) -> None:
        self.file = file
        self.columns, self.layers, body = read_header(lines, file, layers)
        self.lines = lines
        self.body = body
        self.parts: list[str] = []
        self.u16 = 0  # the UTF-16 length of the text so far
        self.units: dict[str, _Unit] = {}
        self.order: list[_Unit] = []
        self.annotations: list[_Annotation] = []
        self.by_id: dict[int, _Annotation] = {}

    def error(self, line: int, message: str, code: str = "webanno-malformed", hint: str | None = None) -> ExportError:
        return webanno_error(self.file, line, message, code, hint)

    def read(self) -> None:
        sentence: list[str] | None = None  # the #Text lines of a sentence whose rows have not started
        in_rows = False
        token: _Unit | None = None
        for number in range(self.body, len(self.lines) + 1):
            line = self.lines[number - 1]
            if not line:
                in_rows = False
                continue
            if line.startswith("#") and not in_rows:
                sentence = sentence if sentence is not None else []
                if line.startswith("#Text="):
                    sentence.append(unescape_text(line[len("#Text="):]))
                continue
            if line.startswith("#"):
                raise self.error(number, "a sentence header (#Text=) must follow a blank line")
            unit = self.row(number, line)
            if not in_rows:
                if sentence is None:
                    raise self.error(number, f"row {unit.id} has no sentence text (#Text=) before it")
                if "." in unit.id:
                    raise self.error(number, f"sub-token {unit.id} starts a sentence")
                self.start_sentence(number, unit.begin, sentence)
                sentence, in_rows = None, True
            if "." in unit.id:
                if token is None or not unit.id.startswith(token.id + "."):
                    raise self.error(number, f"sub-token {unit.id} does not follow its token")
            else:
                token = unit
            self.columns_of(unit, number)
        if sentence is not None:
            raise self.error(len(self.lines), "the last sentence has no rows")

    def start_sentence(self, number: int, begin: int, lines: list[str]) -> None:
        if self.u16 > begin:
            if self.u16 != begin + 1 or not self.parts or not self.parts[-1].endswith("\n"):
                raise self.error(number, f"the sentence starts at {begin} (UTF-16), inside the previous one, which ends at "
                                 f"{self.u16 - 1}")
            self.parts[-1] = self.parts[-1][:-1]
            self.u16 -= 1
        if self.u16 < begin:
            self.parts.append(" " * (begin - self.u16))
            self.u16 = begin
        text = "".join(part + "\n" for part in lines)
        self.parts.append(text)
        self.u16 += len(text.encode("utf-16-le")) // 2

    def row(self, number: int, line: str) -> _Unit:
        fields = line.split("\t")
        expected = 3 + len(self.columns)
        if len(fields) > 3 and fields[-1] == "":  # WebAnno ends every row with a tab
            fields.pop()
        if len(fields) != expected:
            raise self.error(number, f"{len(fields)} columns where the header declares {expected} (id, offsets, token and "
                             f"{len(self.columns)} feature column(s))", "webanno-columns")
        empty = next((i for i, value in enumerate(fields[3:], 4) if not value), None)
        if empty is not None:
            raise self.error(number, f"column {empty} is empty (no annotation is _)", "webanno-columns")
        unit_id, offsets, text = fields[0], fields[1], fields[2]
        if _UNIT_ID.fullmatch(unit_id) is None:
            raise self.error(number, f"{unit_id!r} is not a row id (sentence-token or sentence-token.sub)")
        match = _OFFSETS.fullmatch(offsets)
        if match is None or int(match.group(1)) > int(match.group(2)):
            raise self.error(number, f"{offsets!r} is not begin-end offsets")
        if unit_id in self.units:
            raise self.error(number, f"row id {unit_id} appears twice")
        unit = _Unit(unit_id, int(match.group(1)), int(match.group(2)), text, number, fields)
        self.units[unit_id] = unit
        self.order.append(unit)
        return unit

    def columns_of(self, unit: _Unit, number: int) -> None:
        fields = unit.fields
        for column in self.columns:
            value = fields[3 + column.index]
            if value == "_" or column.layer is None:
                continue
            if column.kind in ("chain", "slot"):
                if column.kind == "chain" or value != "*":
                    raise self.error(number, f"{column.layer.name}: {column.kind} annotations have no place in a record "
                                     f"(found {value!r})", "webanno-unsupported",
                                     hint="leave the layer out (layers option, --layer) to import the others")
                continue
            for index, item in enumerate(_split(value, "|")):
                self.value(unit, column, index, item, number)

    def value(self, unit: _Unit, column: Column, index: int, item: str, number: int) -> None:
        layer = column.layer
        assert layer is not None
        text, first, second = _suffix(item)
        stack = unit.annotations.setdefault(layer.index, [])
        annotation = stack[index] if index < len(stack) else None
        if layer.kind == "span":
            if annotation is None and first is not None and int(first) in self.by_id:
                annotation = self.by_id[int(first)]
                if annotation.layer is not layer:
                    raise self.error(number, f"disambiguation id {first} is used by two layers")
                annotation.end = unit.end
                stack.append(annotation)
            if annotation is None:
                annotation = _Annotation(layer, unit.begin, unit.end, number)
                stack.append(annotation)
                self.annotations.append(annotation)
            if first is not None:
                self.by_id[int(first)] = annotation
        elif annotation is None:
            annotation = _Annotation(layer, unit.begin, unit.end, number, unit=unit)
            stack.append(annotation)
            self.annotations.append(annotation)
        if column.kind == "label":
            annotation.label = None if text == "*" else unescape_value(text)
        elif column.kind == "reference":
            if _UNIT_ID.fullmatch(text) is None:
                raise self.error(number, f"{layer.name}: {item!r} does not name a row (sentence-token)")
            annotation.source = (text, int(first or 0), int(second or 0))

    def document(self, path: Path) -> SourceDocument:
        text = "".join(self.parts)
        codepoints = utf16_to_codepoints(text)
        for unit in self.order:
            if unit.end >= len(codepoints) or codepoints[unit.begin] < 0 or codepoints[unit.end] < 0:
                raise self.error(unit.line, f"offsets {unit.begin}-{unit.end} (UTF-16) fall outside the text or inside a "
                                 f"character (a surrogate pair)", "webanno-offsets")
            unit.begin, unit.end = codepoints[unit.begin], codepoints[unit.end]
            if text[unit.begin:unit.end] != unit.text:
                raise self.error(unit.line, f"row {unit.id} has the token {unit.text!r} but the text at its offsets is "
                                 f"{text[unit.begin:unit.end]!r}", "webanno-text-mismatch")
        spans, relations, ids = [], [], {}
        for annotation in self.annotations:
            if annotation.layer.kind == "span":
                ids[id(annotation)] = f"T{len(spans) + 1}"
                spans.append(self.span(annotation, codepoints, ids[id(annotation)]))
        for annotation in self.annotations:
            if annotation.layer.kind == "relation":
                relations.append(self.relation(annotation, ids, f"R{len(relations) + 1}"))
        return SourceDocument(file=self.file, annotation_file=self.file, name=path.stem, text=text,
                              spans=tuple(spans), relations=tuple(relations))

    @staticmethod
    def label(annotation: _Annotation) -> str:
        return annotation.label if annotation.label is not None else annotation.layer.name

    def span(self, annotation: _Annotation, codepoints: list[int], span_id: str) -> SourceSpan:
        start, end = codepoints[annotation.begin], codepoints[annotation.end]
        if start >= end:
            raise self.error(annotation.line, f"{annotation.layer.name} annotation is empty (offsets {annotation.begin}-"
                             f"{annotation.end}, UTF-16)", "webanno-empty-span")
        return SourceSpan(span_id, start, end, self.label(annotation), layer=annotation.layer.name, line=annotation.line)

    def endpoint(self, annotation: _Annotation, unit_id: str, disambiguation: int, ids: dict[int, str]) -> str:
        base = annotation.layer.base
        if disambiguation > 0:
            target = self.by_id.get(disambiguation)
        else:
            unit = self.units.get(unit_id)
            if unit is None:
                raise self.error(annotation.line, f"{annotation.layer.name}: row {unit_id} does not exist", "webanno-reference")
            stack = unit.annotations.get(base.index, []) if base is not None else []
            target = stack[0] if stack else None
        if target is None or target.layer is not base or id(target) not in ids:
            what = f"annotation [{disambiguation}]" if disambiguation > 0 else f"row {unit_id}"
            raise self.error(annotation.line, f"{annotation.layer.name}: {what} has no {base.name if base else '?'} span to "
                             "link", "webanno-reference")
        return ids[id(target)]

    def relation(self, annotation: _Annotation, ids: dict[int, str], relation_id: str) -> SourceRelation:
        if annotation.source is None or annotation.unit is None:
            raise self.error(annotation.line, f"{annotation.layer.name} relation without its source row", "webanno-reference")
        source, source_id, target_id = annotation.source
        head = self.endpoint(annotation, source, source_id, ids)
        tail = self.endpoint(annotation, annotation.unit.id, target_id, ids)
        return SourceRelation(relation_id, head, tail, self.label(annotation), line=annotation.line)


def read_webanno(path: str | Path, *, layers: Collection[str] | None = None) -> list[SourceDocument]:
    """The documents of a WebAnno TSV 3.3 file at ``path`` (one, named after the file's
    stem), or of every ``*.tsv`` file of the folder ``path`` (sorted by name), as the module
    docstring describes. Offsets are code points into the rebuilt text, end-exclusive.

    Raises :class:`~newscorpus.errors.ExportError` naming the file and ``line N``:
    ``wrong-format`` (no ``#FORMAT=WebAnno TSV 3.2``/``3.3`` first line; a folder without
    ``.tsv`` files), ``webanno-format`` (a bad header, an unknown name in ``layers``),
    ``webanno-columns`` (a row with another number of columns than the header declares),
    ``webanno-malformed`` (a bad row id or offsets, a row outside a sentence),
    ``webanno-offsets`` (outside the text or inside a surrogate pair),
    ``webanno-text-mismatch`` (a row's token differs from the text at its offsets),
    ``webanno-unsupported`` (a chain or slot value; a relation layer whose span layer is
    not imported), ``webanno-empty-span``, ``webanno-reference`` (a relation to a row
    without a span), ``not-utf8``."""
    path = Path(path)
    files = sorted(path.glob("*.tsv")) if path.is_dir() else [path]
    if not files:
        raise ExportError("the folder holds no .tsv file", file=str(path), code="wrong-format")
    documents = []
    for file in files:
        reader = _Reader(str(file), _LINE_BREAK.split(read_text_file(file, what="WebAnno TSV").removeprefix("\ufeff")), layers)
        reader.read()
        documents.append(reader.document(file))
    return documents

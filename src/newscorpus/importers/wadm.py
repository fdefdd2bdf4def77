"""W3C Web Annotation (JSON-LD) as source documents (docs/formats.md, W3C Web Annotation).

Read: an ``AnnotationCollection`` (its ``first`` page's ``items``, or ``items``), an
``AnnotationPage``, one ``Annotation``, or a JSON list of them, in a ``.json`` or
``.jsonld`` file (or a folder of such files). Each annotation is one span:

- ``target``: a ``source`` and a ``selector`` (or a list of alternative selectors): a
  ``TextPositionSelector`` (``start``/``end``, code points of the source text) and/or a
  ``TextQuoteSelector`` (``exact``, ``prefix``, ``suffix``). With both, the quote is
  checked against the text at the position (``span-text-mismatch``); with the quote
  alone, the place is where ``prefix + exact + suffix`` occurs, and it must occur exactly
  once (``quote-not-found``, ``quote-ambiguous``). A selector refined by another
  (``refinedBy``: positions inside a fragment), any other selector, and a target without a
  selector are refused (``unsupported-selector``);
- ``body``: the label is the body whose ``purpose`` is ``tagging`` (a ``TextualBody``'s
  ``value`` or a ``SpecificResource``'s ``source``), or the only body of an annotation
  whose ``motivation`` is ``tagging`` or ``classifying``; ``TextualBody`` values of purpose
  ``commenting`` or ``describing`` become the span's note. No label: ``no-label``;
- the span id is the last segment of the annotation's ``id`` (``anno23``).

An annotation whose ``motivation`` is ``linking`` and whose target has no selector is a
relation, as ``newscorpus export --format wadm`` writes one: its ``target`` the head
span's annotation (its ``id``, or an object with that ``id``), a ``SpecificResource`` body of purpose ``linking`` whose
``source`` is the tail span's annotation, and the label as above; its id is the last
segment of its ``id``. A head or tail that is no span annotation of the file, or two spans
of two sources, is refused (``dangling-relation``).

What else ``newscorpus export --format wadm`` writes is left out, with a warning: a
``classifying`` annotation whose every body has ``purpose`` ``classifying`` (a sentence's
or the article's labels: ``label-dropped``) and a ``commenting`` annotation on the whole
text (the annotation's note: ``note-dropped``); its source still becomes a document.

The source text: the ``text`` file given, or an embedded source (``"source": {"id": ...,
"value": "the text"}``), or the file beside the JSON named after the source address's last
segment (``http://example.org/page1`` -> ``page1``, then ``page1.txt``). The document is
named after that segment. Pure: reads files, writes nothing.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

from newscorpus.errors import ExportError
from newscorpus.importers.report import ImportWarning
from newscorpus.importers.sources import SourceDocument, SourceRelation, SourceSpan, read_text_file

__all__ = ["read_wadm"]

_NOT_ID = re.compile(r"[^A-Za-z0-9_.:>\-]")
_NOTE_PURPOSES = ("commenting", "describing")


def _bad(file: str, where: str, message: str, code: str = "wrong-format", hint: str | None = None) -> ExportError:
    return ExportError(message, file=file, where=where, code=code, hint=hint)


def _annotations(data: object, file: str) -> list[tuple[str, dict]]:
    """(JSON path, annotation) of every annotation of a parsed file."""
    if isinstance(data, list):
        return [item for i, entry in enumerate(data) for item in _annotations_at(entry, file, f"$[{i}]")]
    return _annotations_at(data, file, "$")


def _types(node: dict) -> set[str]:
    kind = node.get("type", node.get("@type"))
    return set(kind) if isinstance(kind, list) else {kind}


def _annotations_at(node: object, file: str, where: str) -> list[tuple[str, dict]]:
    if not isinstance(node, dict):
        raise _bad(file, where, "not a Web Annotation (a JSON object with type Annotation)")
    kinds = _types(node)
    if "Annotation" in kinds:
        return [(where, node)]
    if "AnnotationCollection" in kinds:
        first = node.get("first")
        if isinstance(first, dict):
            return _annotations_at(first, file, f"{where}.first")
        if isinstance(first, str):
            raise _bad(file, f"{where}.first", "the collection's first page is only referenced; give the page itself",
                       code="wrong-format")
    if "AnnotationCollection" in kinds or "AnnotationPage" in kinds:
        items = node.get("items", [])
        if not isinstance(items, list):
            raise _bad(file, f"{where}.items", "items must be a list of annotations")
        found = [a for i, item in enumerate(items) for a in _annotations_at(item, file, f"{where}.items[{i}]")]
        nxt = node.get("next")
        if isinstance(nxt, dict):
            found.extend(_annotations_at(nxt, file, f"{where}.next"))
        return found
    raise _bad(file, where, f"type {node.get('type')!r} is not an Annotation, AnnotationPage or AnnotationCollection",
               hint="--format wadm reads W3C Web Annotation JSON-LD")


def _label(ann: dict, file: str, where: str) -> tuple[str, str | None]:
    """The label and the note of an annotation's bodies."""
    bodies = ann.get("body", [])
    bodies = bodies if isinstance(bodies, list) else [bodies]
    if "bodyValue" in ann:
        bodies = [*bodies, {"type": "TextualBody", "value": ann["bodyValue"]}]
    tags, notes = [], []
    for body in bodies:
        if not isinstance(body, dict):
            continue
        value = body.get("value") if "TextualBody" in _types(body) else body.get("source")
        value = value.get("id") if isinstance(value, dict) else value
        if body.get("purpose") == "tagging" and isinstance(value, str):
            tags.append(value)
        elif body.get("purpose") in _NOTE_PURPOSES and isinstance(body.get("value"), str):
            notes.append(body["value"])
    motivation = ann.get("motivation")
    if not tags and motivation in ("tagging", "classifying") and len(bodies) == 1:
        only = bodies[0]
        value = only if isinstance(only, str) else (only.get("value") if "TextualBody" in _types(only) else only.get("source"))
        if isinstance(value, str):
            tags.append(value)
    if len(tags) != 1:
        message = ("no label: no body has purpose tagging" if not tags else f"{len(tags)} tagging bodies ({', '.join(tags)}): "
                   "a span has one label")
        raise _bad(file, f"{where}.body", f"annotation {ann.get('id', where)}: {message}", code="no-label",
                   hint="give the label as a TextualBody with purpose tagging")
    return tags[0], "\n".join(notes) if notes else None


def _selectors(target: dict, file: str, where: str) -> tuple[dict | None, dict | None]:
    selectors = target.get("selector")
    selectors = selectors if isinstance(selectors, list) else [selectors] if selectors is not None else []
    position = quote = None
    for i, sel in enumerate(selectors):
        at = f"{where}.selector" + (f"[{i}]" if isinstance(target.get("selector"), list) else "")
        kinds = _types(sel) if isinstance(sel, dict) else set()
        if not kinds & {"TextPositionSelector", "TextQuoteSelector"} or "refinedBy" in sel:
            raise _bad(file, at, f"selector {sorted(k for k in kinds if k) or sel!r}"
                       f"{' refined by another' if isinstance(sel, dict) and 'refinedBy' in sel else ''} cannot be read: only "
                       "TextPositionSelector and TextQuoteSelector on the whole text are", code="unsupported-selector")
        if "TextPositionSelector" in kinds:
            position = {"at": at, **sel}
        else:
            quote = {"at": at, **sel}
    if position is None and quote is None:
        raise _bad(file, where, "the target has no selector: it is the whole resource, not a span", code="unsupported-selector")
    return position, quote


def _place(text: str, position: dict | None, quote: dict | None, file: str, span_id: str) -> tuple[int, int, str | None]:
    """Start, end and stated text of a span from its selectors, checked against ``text``."""
    exact = prefix = suffix = None
    if quote is not None:
        exact, prefix, suffix = quote.get("exact"), quote.get("prefix", ""), quote.get("suffix", "")
        if not all(isinstance(x, str) for x in (exact, prefix, suffix)) or not exact:
            raise _bad(file, quote["at"], f"{span_id}: exact, prefix and suffix must be strings (exact not empty)")
    if position is not None:
        start, end = position.get("start"), position.get("end")
        if not all(isinstance(x, int) and not isinstance(x, bool) for x in (start, end)):
            raise _bad(file, position["at"], f"{span_id}: start {start!r} and end {end!r} must be integers", code="invalid-offsets")
        if quote is not None and 0 <= start <= end <= len(text):
            if text[max(0, start - len(prefix)):start] != prefix or text[end:end + len(suffix)] != suffix:
                raise _bad(file, quote["at"], f"{span_id}: the quote's prefix {prefix!r} or suffix {suffix!r} is not the text "
                           f"around [{start}, {end})", code="span-text-mismatch")
        return start, end, exact
    needle = prefix + exact  # type: ignore[operator]
    found = [m.start() for m in re.finditer(f"(?={re.escape(needle + suffix)})", text)]  # type: ignore[operator]
    if len(found) != 1:
        raise _bad(file, quote["at"], f"{span_id}: the quote {exact!r} (with its prefix and suffix) occurs "  # type: ignore[index]
                   f"{len(found)} times in the text", code="quote-not-found" if not found else "quote-ambiguous",
                   hint="give a TextPositionSelector, or a longer prefix or suffix")
    start = found[0] + len(prefix)  # type: ignore[arg-type]
    return start, start + len(exact), exact  # type: ignore[arg-type]


def _source_text(source: object, file: Path, where: str, text: Path | None) -> tuple[str, str, str, dict[str, str]]:
    """(name, text file, text, meta) of a target's source."""
    iri = source.get("id", source.get("@id")) if isinstance(source, dict) else source
    if not isinstance(iri, str):
        raise _bad(str(file), where, "the target has no source (an address, or an object with an id)")
    segment = Path(urlparse(iri).path).name or "document"
    meta = {"language": source["language"]} if isinstance(source, dict) and isinstance(source.get("language"), str) else {}
    if text is not None:
        return text.stem, str(text), read_text_file(text), meta
    if isinstance(source, dict) and isinstance(source.get("value"), str):
        return Path(segment).stem, str(file), source["value"], meta
    for candidate in (file.parent / segment, file.parent / f"{Path(segment).stem}.txt"):
        if candidate.is_file():
            return Path(segment).stem, str(candidate), read_text_file(candidate), meta
    raise _bad(str(file), where, f"no text for source {iri}: neither {segment} nor {Path(segment).stem}.txt is beside the file",
               code="missing-file", hint="put the text there, or name it with --text FILE")


def _local_id(ann: dict, n: int) -> str:
    """The id of an item: the last segment of its annotation's ``id`` (or ``anno<n>``)."""
    local = _NOT_ID.sub("_", re.split(r"[/#]", str(ann.get("id", ann.get("@id", ""))))[-1])
    return local if local else f"anno{n}"


def _reference(node: object) -> str | None:
    """The IRI a relation's target or body names: a string, or an object's ``id`` (or
    ``source``, for a ``SpecificResource``)."""
    if isinstance(node, dict):
        node = node.get("id", node.get("@id")) if "SpecificResource" not in _types(node) else node.get("source")
    return node if isinstance(node, str) else None


def _relation(ann: dict, n: int, where: str, file: str, spans: dict[str, tuple[str, str]]) -> tuple[str, SourceRelation]:
    """The document key and the relation of a ``linking`` annotation; ``spans``: the
    annotation IRI of each span -> (document key, span id)."""
    rel_id = _local_id(ann, n)
    bodies = ann.get("body", [])
    bodies = bodies if isinstance(bodies, list) else [bodies]
    tails = [b for b in bodies if isinstance(b, dict) and b.get("purpose") == "linking"]
    label, _ = _label({**ann, "body": [b for b in bodies if not any(b is t for t in tails)]}, file, where)
    targets = ann.get("target")
    targets = targets if isinstance(targets, list) else [targets]
    ends = []
    for name, nodes, at in (("head", targets, f"{where}.target"), ("tail", tails, f"{where}.body")):
        iri = _reference(nodes[0]) if len(nodes) == 1 else None
        if iri not in spans:
            raise _bad(file, at, f"relation {rel_id}: its {name} {iri!r} is no span annotation of the file"
                       if iri is not None else f"relation {rel_id}: a linking annotation needs one {name} "
                       f"({'its target' if name == 'head' else 'a body of purpose linking'})", code="dangling-relation")
        ends.append(spans[iri])
    (head_doc, head), (tail_doc, tail) = ends
    if head_doc != tail_doc:
        raise _bad(file, where, f"relation {rel_id}: its head and tail are spans of two sources", code="dangling-relation")
    return head_doc, SourceRelation(id=rel_id, head=head, tail=tail, label=label, where=where)


def _left_out(ann: dict) -> tuple[str, str] | None:
    """(warning code, what) of an annotation the import leaves out, or None."""
    bodies = ann.get("body", [])
    bodies = bodies if isinstance(bodies, list) else [bodies]
    target = ann.get("target")
    if ann.get("motivation") == "classifying" and bodies and all(isinstance(b, dict) and b.get("purpose") == "classifying"
                                                                 for b in bodies):
        return "label-dropped", "a classification (sentence or article labels, which a W3C import does not read)"
    if ann.get("motivation") == "commenting" and not (isinstance(target, dict) and "selector" in target):
        return "note-dropped", "a note on the whole text (the annotation's note, which a W3C import does not read)"
    return None


def _read_file(file: Path, text: Path | None) -> Iterator[SourceDocument]:
    raw = read_text_file(file, what="annotation")
    try:
        data = json.loads(raw.removeprefix("\ufeff"))
    except json.JSONDecodeError as exc:
        raise ExportError(f"not JSON: {exc.msg}", file=str(file), where=f"line {exc.lineno} column {exc.colno}",
                          code="wrong-format", hint="--format wadm reads W3C Web Annotation JSON-LD") from None
    docs: dict[str, dict] = {}
    links: list[tuple[int, str, dict]] = []
    spans: dict[str, tuple[str, str]] = {}
    for n, (where, ann) in enumerate(_annotations(data, str(file))):
        target = ann.get("target")
        if ann.get("motivation") == "linking" and not (isinstance(target, dict) and "selector" in target):
            links.append((n, where, ann))  # a link between annotations; a linking one on the text is a span
            continue
        dropped = _left_out(ann)
        if dropped is not None and isinstance(target, (str, dict)):
            source = target.get("source") if isinstance(target, dict) else target
            key = json.dumps(source, sort_keys=True)
            if key not in docs:
                name, text_file, content, meta = _source_text(source, file, f"{where}.target", text)
                docs[key] = {"name": name, "file": text_file, "text": content, "meta": meta, "spans": []}
            docs[key].setdefault("warnings", []).append(ImportWarning(dropped[0], f"{file}::{where}",
                                                                       f"{_local_id(ann, n)} left out: {dropped[1]}"))
            continue
        targets = target if isinstance(target, list) else [target]
        if len(targets) != 1 or not isinstance(targets[0], dict):
            raise _bad(str(file), f"{where}.target", "the target must be one object with a source and a selector",
                       code="unsupported-selector")
        label, note = _label(ann, str(file), where)
        position, quote = _selectors(targets[0], str(file), f"{where}.target")
        key = json.dumps(targets[0].get("source"), sort_keys=True)
        if key not in docs:
            name, text_file, content, meta = _source_text(targets[0].get("source"), file, f"{where}.target.source", text)
            docs[key] = {"name": name, "file": text_file, "text": content, "meta": meta, "spans": []}
        doc = docs[key]
        span_id = _local_id(ann, n)
        start, end, stated = _place(doc["text"], position, quote, str(file), span_id)
        doc["spans"].append(SourceSpan(id=span_id, start=start, end=end, label=label, note=note, text=stated, where=where))
        iri = ann.get("id", ann.get("@id"))
        if isinstance(iri, str):
            spans[iri] = (key, span_id)
    for n, where, ann in links:
        key, relation = _relation(ann, n, where, str(file), spans)
        docs[key].setdefault("relations", []).append(relation)
    if text is not None and len(docs) > 1:
        raise _bad(str(file), "$", f"--text gives one text, but the annotations target {len(docs)} sources", code="wrong-format")
    for doc in docs.values():
        yield SourceDocument(file=doc["file"], annotation_file=str(file), name=doc["name"], text=doc["text"],
                             spans=tuple(doc["spans"]), relations=tuple(doc.get("relations", ())), meta=doc["meta"],
                             warnings=tuple(doc.get("warnings", ())))


def read_wadm(path: str | Path, *, text: str | Path | None = None) -> Iterator[SourceDocument]:
    """The documents of the Web Annotation file ``path`` (``.json``/``.jsonld``, or a
    folder of them): one per target source, with one span per annotation; ``text`` (a
    file) is the text of the one source; ``linking`` annotations are its relations. Raises
    :class:`ExportError` naming the file and the JSON path: ``wrong-format``, ``no-label``,
    ``dangling-relation``, ``unsupported-selector``,
    ``invalid-offsets``, ``span-text-mismatch``, ``quote-not-found``, ``quote-ambiguous``,
    ``missing-file``, ``not-utf8``."""
    path = Path(path)
    if path.is_dir():
        files = sorted(p for p in path.iterdir() if p.suffix in (".json", ".jsonld") and p.is_file())
        if not files:
            raise ExportError("no Web Annotation files (*.json, *.jsonld) in this folder", file=str(path), code="wrong-format")
    elif path.suffix in (".json", ".jsonld"):
        files = [path]
    else:
        raise ExportError(f"{path.name} is not a Web Annotation file (.json or .jsonld)", file=str(path), code="wrong-format",
                          hint="give --format the file's format (newscorpus import --help lists them)")
    for file in files:
        yield from _read_file(file, Path(text) if text is not None else None)

"""What a source file states, before the import: documents, spans, relations (docs/formats.md).

The readers of other formats (:mod:`newscorpus.importers.brat`, ``ptc``, ``wadm``, and the
token formats) give :class:`SourceDocument` values to
:func:`newscorpus.importers.documents.import_documents`. Offsets are code points of
:attr:`SourceDocument.text` as the source has it (a BOM and CRs included), end-exclusive.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from newscorpus.errors import ExportError
from newscorpus.importers.report import ImportWarning

__all__ = ["SourceSpan", "SourceRelation", "SourceDocument", "read_text_file"]


@dataclass(frozen=True)
class SourceSpan:
    """A span as a source file states it: ``id`` (the source's id: ``T3``, a running
    number...), ``start``/``end`` (code points into :attr:`SourceDocument.text`,
    end-exclusive), ``label`` (the source's label, before the label map), ``layer`` (the
    source's layer or control name; None: the scheme's span layer that has the label),
    ``note``, ``line`` (1-based line in the annotation file), ``text`` (the span's text as
    the source states it, checked against the slice) and ``where`` (a JSON path, for JSON
    formats: named in errors instead of the line)."""

    id: str
    start: int
    end: int
    label: str
    layer: str | None = None
    note: str | None = None
    line: int | None = None
    text: str | None = None
    where: str | None = None


@dataclass(frozen=True)
class SourceRelation:
    """A directed relation of a source: ``id``, ``head`` and ``tail`` (ids of spans of the
    same document), ``label`` (before the label map), ``line`` (1-based, for errors) and
    ``where`` (a JSON path, for JSON formats)."""

    id: str
    head: str
    tail: str
    label: str
    line: int | None = None
    where: str | None = None


@dataclass(frozen=True)
class SourceDocument:
    """One document of a source: ``file`` (the text's file, named by errors about the
    text), ``annotation_file`` (the file the spans come from, named with the line),
    ``name`` (the document's name: the article id, sanitised, or refused when unsafe),
    ``text`` (as in the source: it may hold a BOM or CRLF; offsets count its code points),
    ``spans``, ``relations``, ``meta`` (title, url, language, published, license...:
    what the format knows, as strings) and ``warnings`` (what the parser left out, with why)."""

    file: str
    annotation_file: str
    name: str
    text: str
    spans: tuple[SourceSpan, ...] = ()
    relations: tuple[SourceRelation, ...] = ()
    meta: dict[str, str] = field(default_factory=dict)
    warnings: tuple[ImportWarning, ...] = ()


def read_text_file(path: Path, *, what: str = "text") -> str:
    """The text of ``path`` decoded as UTF-8 exactly as it is (a BOM and CRs kept: offsets
    count them). Raises :class:`ExportError` ``not-utf8`` (naming the line of the first bad
    byte) or ``missing-file``."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ExportError(f"no {what} file {path.name}", file=str(path), code="missing-file") from None
    except IsADirectoryError:
        raise ExportError(f"{path.name} is a folder, not a {what} file", file=str(path), code="wrong-format") from None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise ExportError(f"not UTF-8: byte {exc.start} (0x{raw[exc.start]:02x}) cannot be decoded", file=str(path),
                          where=f"line {line}", code="not-utf8",
                          hint="convert the file to UTF-8") from exc

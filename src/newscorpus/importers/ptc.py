"""SemEval-2020 Task 11 (the Propaganda Techniques Corpus, PTC) as source documents (docs/formats.md, PTC).

An article is ``article<id>.txt`` (the title on the first line, an empty line, then the
body, one sentence per line) with a technique-classification labels file: one line per
span, tab-separated ``<id> <technique> <start> <end>``, named ``article<id>.labels.tsv``,
``article<id>.task-flc-tc.labels`` or ``article<id>.task2-TC.labels``. Offsets are code
points of the text file decoded as it is: the corpus was made with Python, which counts a
byte-order mark at the start as one character and an astral character (an emoji) as one,
so the import keeps both while reading and maps them exactly onto the canonical text.
Spans are named by the line they come from (``1``, ``2``, ...); the label is the
technique (``Name_Calling,Labeling``), for the label map. The title becomes
``meta.title`` and the language ``en``. Span-identification files (three columns, no
technique) are refused. Pure: reads files, writes nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from newscorpus.errors import ExportError
from newscorpus.importers.sources import SourceDocument, SourceSpan, read_text_file

__all__ = ["read_ptc", "LABEL_SUFFIXES"]

#: The names of a technique labels file, after ``article<id>``.
LABEL_SUFFIXES = (".labels.tsv", ".task-flc-tc.labels", ".task2-TC.labels")

_ARTICLE = re.compile(r"^article(\d+)\.txt$")
_SPAN_ONLY = (".task1-SI.labels", ".task-si.labels")  # span identification: no technique, refused when read
_LABELS = re.compile(r"^article(\d+)(" + "|".join(re.escape(s) for s in LABEL_SUFFIXES + _SPAN_ONLY) + r")$")


def _articles(path: Path) -> list[tuple[str, Path, Path]]:
    """(article id, text file, labels file) of every article of ``path``: a folder
    (searched recursively; text and labels may be in different sub-folders, as the corpus
    ships them), an ``article<id>.txt`` or one of its labels files."""
    if path.is_dir():
        files = sorted(p for p in path.rglob("article*") if p.is_file())
    elif _ARTICLE.match(path.name) or _LABELS.match(path.name):
        files = sorted(p for p in path.parent.iterdir() if p.is_file())
        ident = (_ARTICLE.match(path.name) or _LABELS.match(path.name)).group(1)  # type: ignore[union-attr]
        files = [p for p in files if (m := _ARTICLE.match(p.name) or _LABELS.match(p.name)) and m.group(1) == ident]
    else:
        raise ExportError(f"{path.name} is not a PTC file (article<id>.txt, article<id>.labels.tsv, or a folder of them)",
                          file=str(path), code="wrong-format", hint="give --format the file's format (newscorpus import --help lists them)")
    texts = {m.group(1): p for p in files if (m := _ARTICLE.match(p.name))}
    labels: dict[str, Path] = {}
    for p in files:
        m = _LABELS.match(p.name)
        if m:
            if m.group(1) in labels:
                raise ExportError(f"article{m.group(1)} has two labels files: {labels[m.group(1)].name} and {p.name}", file=str(p),
                                  code="duplicate-document", hint="keep one labels file per article")
            labels[m.group(1)] = p
    if not texts:
        raise ExportError("no PTC articles (article<id>.txt) here", file=str(path), code="wrong-format",
                          hint="--format ptc reads article<id>.txt with article<id>.labels.tsv (or .task-flc-tc.labels)")
    for ident, text in texts.items():
        if ident not in labels:
            raise ExportError(f"article{ident}.txt has no labels file (article{ident}{LABEL_SUFFIXES[0]} or "
                              f"article{ident}{LABEL_SUFFIXES[1]})", file=str(text), code="missing-file")
    for ident, label_file in labels.items():
        if ident not in texts:
            raise ExportError(f"{label_file.name} has no article text (article{ident}.txt)", file=str(label_file), code="missing-file")
    return [(ident, texts[ident], labels[ident]) for ident in sorted(texts)]


def _spans(ident: str, labels: Path) -> list[SourceSpan]:
    spans = []
    for number, line in enumerate(read_text_file(labels, what="labels").split("\n"), 1):
        line = line.removesuffix("\r")
        if not line.strip():
            continue
        fields = line.split("\t")
        where = f"line {number}"
        if len(fields) == 3:
            raise ExportError(f"span {number}: three columns (id, start, end) and no technique: a span-identification "
                              "file, which has no label", file=str(labels), where=where, code="wrong-format",
                              hint="import the technique-classification labels (id, technique, start, end)")
        if len(fields) != 4:
            raise ExportError(f"{line[:40]!r} is not a PTC label line (id TAB technique TAB start TAB end)", file=str(labels),
                              where=where, code="wrong-format")
        if fields[0] != ident:
            raise ExportError(f"span {number}: article id {fields[0]!r} is not this file's ({ident})", file=str(labels), where=where,
                              code="wrong-format")
        try:
            start, end = int(fields[2]), int(fields[3])
        except ValueError:
            raise ExportError(f"span {number}: offsets {fields[2]!r} {fields[3]!r} are not integers", file=str(labels),
                              where=where, code="invalid-offsets") from None
        spans.append(SourceSpan(id=str(number), start=start, end=end, label=fields[1], line=number))
    return spans


def read_ptc(path: str | Path) -> Iterator[SourceDocument]:
    """The PTC articles of ``path`` (a folder, or one article's text or labels file), by
    article id; each named ``article<id>``. Raises :class:`ExportError` naming the file and
    line: ``wrong-format``, ``missing-file``, ``duplicate-document``, ``not-utf8``,
    ``invalid-offsets``."""
    for ident, text_file, labels in _articles(Path(path)):
        text = read_text_file(text_file)
        title = text.removeprefix("\ufeff").split("\n", 1)[0].strip()
        meta = {"language": "en", **({"title": title} if title else {})}
        yield SourceDocument(file=str(text_file), annotation_file=str(labels), name=f"article{ident}", text=text,
                             spans=tuple(_spans(ident, labels)), meta=meta)

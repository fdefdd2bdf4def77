"""CoNLL-2003 and two-column IOB files as source documents (``newscorpus import --format conll``).

A line holds a token, optional middle columns (CoNLL-2003: part of speech and chunk) and
the entity tag last, separated by spaces or tabs; every token line of a file has the same
number of columns (at least two). A blank line ends a sentence. A line whose first column
is ``-DOCSTART-`` starts a document::

    -DOCSTART- -X- -X- O

    EU NNP B-NP B-ORG
    rejects VBZ B-VP O

Documents: with ``-DOCSTART-`` lines, each starts one, named ``<file stem>-<n>`` (``n``
from 1, in file order; a token before the first ``-DOCSTART-`` is an error); without
them the whole file is one document named after the file's stem.

Text: by default rebuilt from the tokens, joined by one space within a sentence and by
one line break between sentences (no line break at the end). With ``text`` (a folder),
the text of document ``NAME`` is ``text/NAME.txt`` as it is (UTF-8; ``text`` may also be
the one text file of a file that holds one document), and each token is located in it in
order, exactly, skipping only whitespace: a token not found there, or text other than
whitespace left after the last token, is an error naming the line.

Tags: ``O``, ``B-TYPE``, ``I-TYPE``; an entity's label is its ``TYPE`` as written (the
label map renames it). ``tagging="iob2"``: ``B-`` starts an entity and ``I-`` continues
one of the same type; an ``I-`` after ``O``, after another type or at a sentence's start
is an error. ``tagging="iob1"``: an ``I-`` that cannot continue starts an entity, and
``B-`` starts one (IOB1 writes it only between two entities of one type). ``"auto"``
(the default) reads a file as IOB1 when some ``I-`` starts an entity and no ``B-``
appears except right after an entity of its own type, else as IOB2. Offsets are code
points into the document's text (docs/design.md, Offsets).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from newscorpus.errors import ExportError
from newscorpus.importers.sources import SourceDocument, SourceSpan, read_text_file

__all__ = ["Tagging", "read_conll", "DOCSTART"]

Tagging = Literal["auto", "iob1", "iob2"]

#: The first column of a line that starts a document.
DOCSTART = "-DOCSTART-"

_COLUMNS = re.compile(r"[ \t]+")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_TAG = re.compile(r"([BI])-(\S+)")


@dataclass(frozen=True)
class _Token:
    text: str
    prefix: str | None  # "B", "I" or None for O
    label: str | None
    line: int


_Sentence = list[_Token]


def _error(file: str, line: int, message: str, code: str, hint: str | None = None) -> ExportError:
    return ExportError(message, file=file, where=f"line {line}", code=code, hint=hint)


def _parse_tag(tag: str, file: str, line: int) -> tuple[str | None, str | None]:
    if tag == "O":
        return None, None
    match = _TAG.fullmatch(tag)
    if match is None:
        raise _error(file, line, f"tag {tag!r} is not O, B-TYPE or I-TYPE", "conll-malformed")
    return match.group(1), match.group(2)


def _check_format(lines: list[str], file: str) -> None:
    """Refuse a file whose first line shows another format (JSON, WebAnno TSV)."""
    number, first = next(((n, line.strip()) for n, line in enumerate(lines, 1) if line.strip()), (1, ""))
    tag = _COLUMNS.split(first)[-1]
    json_like = first[:1] in ("{", "[") and tag != "O" and _TAG.fullmatch(tag) is None  # not a token "[" and its tag
    other = ("JSON (a Label Studio or W3C export?)" if json_like else
             "WebAnno TSV" if first.startswith("#FORMAT=WebAnno") else None)
    if other is not None:
        raise ExportError(f"not CoNLL columns: the file is {other}", file=file, where=f"line {number}", code="wrong-format",
                          hint="give --format the file's format (newscorpus import --help lists them)")


def _documents(lines: list[str], file: str, has_docstart: bool) -> list[tuple[int, list[_Sentence]]]:
    """The documents of a file: (line of its -DOCSTART-, or 1; its sentences)."""
    documents: list[tuple[int, list[_Sentence]]] = [] if has_docstart else [(1, [])]
    sentence: _Sentence = []
    columns = 0
    for number, raw in enumerate(lines, 1):
        line = raw.strip(" \t")
        if not line:
            if sentence:
                documents[-1][1].append(sentence)
                sentence = []
            continue
        fields = _COLUMNS.split(line)
        if fields[0] == DOCSTART:
            if sentence:
                documents[-1][1].append(sentence)
                sentence = []
            documents.append((number, []))
            continue
        if not documents:
            raise _error(file, number, f"token {fields[0]!r} comes before the first {DOCSTART} line", "conll-malformed")
        if len(fields) < 2:
            raise _error(file, number, f"{line!r}: expected a token and a tag (at least two columns), found one",
                         "conll-malformed")
        if columns == 0:
            columns = len(fields)
        elif len(fields) != columns:
            raise _error(file, number, f"{len(fields)} columns where the file's first token line has {columns}",
                         "conll-columns")
        prefix, label = _parse_tag(fields[-1], file, number)
        sentence.append(_Token(fields[0], prefix, label, number))
    if sentence:
        documents[-1][1].append(sentence)
    for number, sentences in documents:
        if not sentences:
            raise _error(file, number, "the document has no tokens", "conll-malformed")
    return documents


def _starts_entity(previous: _Token | None, token: _Token) -> bool:
    """Whether ``token``'s I- tag cannot continue the entity of ``previous``."""
    return previous is None or previous.prefix is None or previous.label != token.label


def _detect(documents: list[tuple[int, list[_Sentence]]]) -> Tagging:
    """``iob1`` when some I- starts an entity and every B- follows an entity of its type."""
    i_starts = b_opens = False
    for _, sentences in documents:
        for sentence in sentences:
            previous = None
            for token in sentence:
                if token.prefix is not None and _starts_entity(previous, token):
                    if token.prefix == "I":
                        i_starts = True
                    else:
                        b_opens = True
                previous = token
    return "iob1" if i_starts and not b_opens else "iob2"


def _entities(sentence: _Sentence, tagging: Tagging, file: str) -> list[tuple[int, int, str, int]]:
    """(first token index, last token index + 1, label, line) of each entity of a sentence."""
    entities: list[tuple[int, int, str, int]] = []
    open_at = -1
    previous = None
    for i, token in enumerate(sentence):
        if token.prefix == "I" and not _starts_entity(previous, token):
            previous = token
            continue
        if open_at >= 0:
            entities.append((open_at, i, sentence[open_at].label or "", sentence[open_at].line))
            open_at = -1
        if token.prefix == "I" and tagging == "iob2":
            after = "the start of the sentence" if previous is None else (
                "O" if previous.prefix is None else f"{previous.prefix}-{previous.label}")
            raise _error(file, token.line, f"I-{token.label} (token {token.text!r}) follows {after}: an IOB2 entity "
                         f"starts with B-", "iob-continuation",
                         hint="if the file is IOB1 (I- starts an entity), import it with --tagging iob1")
        if token.prefix is not None:
            open_at = i
        previous = token
    if open_at >= 0:
        entities.append((open_at, len(sentence), sentence[open_at].label or "", sentence[open_at].line))
    return entities


def _rebuilt(sentences: list[_Sentence]) -> tuple[str, list[list[tuple[int, int]]]]:
    """The text rebuilt from the tokens and each token's (start, end)."""
    parts: list[str] = []
    offsets: list[list[tuple[int, int]]] = []
    position = 0
    for s, sentence in enumerate(sentences):
        if s:
            parts.append("\n")
            position += 1
        spans = []
        for t, token in enumerate(sentence):
            if t:
                parts.append(" ")
                position += 1
            parts.append(token.text)
            spans.append((position, position + len(token.text)))
            position += len(token.text)
        offsets.append(spans)
    return "".join(parts), offsets


def _located(sentences: list[_Sentence], text: str, text_file: str, file: str) -> list[list[tuple[int, int]]]:
    """Each token's (start, end) in the given ``text``: found in order, skipping only whitespace."""
    offsets: list[list[tuple[int, int]]] = []
    position = 1 if text.startswith("\ufeff") else 0
    length = len(text)
    for sentence in sentences:
        spans = []
        for token in sentence:
            while position < length and text[position].isspace():
                position += 1
            if not text.startswith(token.text, position):
                found = text[position:position + max(len(token.text), 10)]
                raise _error(file, token.line, f"token {token.text!r} not found in {text_file} at code point {position} "
                             f"(the text has {found!r} there)", "token-not-found",
                             hint="the tokens must appear in the text in order, separated only by whitespace")
            spans.append((position, position + len(token.text)))
            position += len(token.text)
        offsets.append(spans)
    rest = text[position:]
    if rest.strip():
        last = sentences[-1][-1]
        raise _error(file, last.line, f"{text_file} goes on after the last token with {rest.strip()[:20]!r}",
                     "token-not-found", hint="every word of the text must be a token of the CoNLL file")
    return offsets


def read_conll(path: str | Path, *, text: str | Path | None = None, tagging: Tagging = "auto") -> list[SourceDocument]:
    """The documents of the CoNLL file at ``path``, as the module docstring describes.

    Returns one :class:`SourceDocument` per document (``name`` as described there, ``text``
    rebuilt from the tokens or read from ``text``, spans ``T1``, ``T2``, … in
    text order with ``layer`` None, ``label`` the tag's type and ``line`` the line of the
    entity's first token). Raises :class:`~newscorpus.errors.ExportError` naming the file
    and ``line N``: ``wrong-format`` (a JSON or WebAnno TSV file), ``not-utf8``, ``conll-malformed`` (one column, a bad tag, a token
    before the first ``-DOCSTART-``, a document without tokens), ``conll-columns`` (a
    column count other than the first token line's), ``iob-continuation`` (IOB2: an I- that
    continues nothing), ``token-not-found`` (``text``: a token not at its place in the
    text), ``missing-file`` (no text file), ``conll-text`` (``text`` is a file
    but the CoNLL file holds several documents)."""
    if tagging not in ("auto", "iob1", "iob2"):
        raise ValueError(f"tagging must be auto, iob1 or iob2, not {tagging!r}")
    path = Path(path)
    file = str(path)
    lines = _LINE_BREAK.split(read_text_file(path, what="CoNLL").removeprefix("\ufeff"))
    _check_format(lines, file)
    has_docstart = any(_COLUMNS.split(line.strip(" \t"), 1)[0] == DOCSTART for line in lines)
    documents = _documents(lines, file, has_docstart)
    if tagging == "auto":
        tagging = _detect(documents)
    if text is not None and not Path(text).is_dir() and len(documents) > 1:
        raise ExportError(f"{len(documents)} documents, one text file ({text}): give a folder of NAME.txt files",
                          file=file, code="conll-text")
    return [_document(path, f"{path.stem}-{n}" if has_docstart else path.stem, sentences, text, tagging)
            for n, (_, sentences) in enumerate(documents, 1)]


def _document(path: Path, name: str, sentences: list[_Sentence], given: str | Path | None,
              tagging: Tagging) -> SourceDocument:
    file = str(path)
    if given is None:
        text_file = file
        text, offsets = _rebuilt(sentences)
    else:
        text_file = str(Path(given) / f"{name}.txt" if Path(given).is_dir() else given)
        text = read_text_file(Path(text_file))
        offsets = _located(sentences, text, text_file, file)
    spans = []
    for s, sentence in enumerate(sentences):
        for first, last, label, line in _entities(sentence, tagging, file):
            start, end = offsets[s][first][0], offsets[s][last - 1][1]
            spans.append(SourceSpan(f"T{len(spans) + 1}", start, end, label, line=line))
    return SourceDocument(file=text_file, annotation_file=file, name=name, text=text, spans=tuple(spans))

"""Validation rules: the stable error codes of ``newscorpus validate`` and the violation type.

A code never changes meaning once published; tools and tests match on codes, not wording.
``RULES`` maps each code to what it checks (the table of ``docs/schema.md``) and to the
stage that reports it: ``file`` (reading the file), ``schema`` (stage 1, the published JSON
Schema, which any JSON Schema validator can run), ``semantic`` (stage 2, the checks of
meaning no schema expresses) or ``corpus`` (across the records checked together). Codes marked ``schema`` are also re-checked in stage 2 with a
more specific message where noted.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Rule", "RULES", "Violation", "loc_key"]

Loc = tuple[int | str, ...]


@dataclass(frozen=True)
class Rule:
    """One rule: its stable ``code``, the ``stage`` that reports it, and what it checks."""

    code: str
    stage: str
    summary: str


_TABLE = [
    ("not-found", "file", "The path given does not exist."),
    ("no-records", "file", "A folder given holds no record files (`*.json`)."),
    ("not-utf8", "file", "The file is not UTF-8 text."),
    ("invalid-json", "file", "The file is not valid JSON (line and column given)."),
    ("not-an-object", "file", "The file's JSON is not an object."),
    ("record-symlink", "file", "A `*.json` entry is a symbolic link, not the record file itself (found without following it)."),
    ("record-folder", "file", "A `*.json` entry is a folder."),
    ("record-special-file", "file", "A `*.json` entry is a FIFO, a device or a socket (found without opening it)."),
    ("interrupted-change", "file", "A journal: a change of the folder was interrupted; `newscorpus recover` finishes it."),
    ("leftover-staging", "file", "A staging folder or temporary file left by an interrupted command; `newscorpus recover` removes it."),
    ("schema-version", "file", "`schema_version` is missing or not a semantic version X.Y.Z."),
    ("unknown-schema-version", "file", "The record is newer than this newscorpus knows: upgrade newscorpus."),
    ("outdated-schema-version", "file", "The record is of an older schema version: run `newscorpus migrate`."),
    ("scheme-mismatch", "file", "The record follows another annotation scheme (`scheme.name`) than the one in use."),
    ("schema", "schema", "The record does not fit the JSON Schema (type, required key, unknown key, format, pattern...)."),
    ("unknown-layer", "schema", "A span, sentence-label or article-label layer the scheme does not have."),
    ("unknown-label", "schema", "A label the scheme does not have, or not in the layer it is used with."),
    ("single-cardinality", "schema", "More than one label in a single-label layer (article, or per sentence)."),
    ("duplicate-label", "schema", "The same label twice in one layer of one article or sentence."),
    ("not-pseudonymous", "schema", "An annotator or adjudicator id that is not a pseudonym (e-mail address, name)."),
    ("file-name-mismatch", "semantic", "The file is not named `<id>.json`."),
    ("text-hash-mismatch", "semantic", "`text_sha256` is not the SHA-256 of the text's UTF-8 bytes."),
    ("text-not-canonical", "semantic", "The text is not canonical: it holds a byte-order mark or a carriage return, or is not NFC."),
    ("span-out-of-bounds", "semantic", "A span's offsets lie outside the text."),
    ("span-empty", "semantic", "A span's `end` is not after its `start`."),
    ("span-text-mismatch", "semantic", "A span's `text` differs from `text[start:end]`."),
    ("span-untrimmed", "semantic", "A span starts or ends with whitespace."),
    ("span-overlap", "semantic", "Two spans of a layer whose scheme says `overlap: false` overlap or nest."),
    ("duplicate-id", "semantic", "An id used twice (sentences, annotations, spans or relations of one annotation)."),
    ("dangling-relation", "semantic", "A relation's head or tail is not a span of the same annotation."),
    ("relation-endpoint", "semantic", "A relation's head or tail has a label the scheme does not allow there."),
    ("sentence-out-of-bounds", "semantic", "A sentence's offsets lie outside the text."),
    ("sentence-empty", "semantic", "A sentence's `end` is not after its `start`."),
    ("sentence-order", "semantic", "Sentences are not in text order, or overlap."),
    ("sentence-untrimmed", "semantic", "A sentence starts or ends with whitespace."),
    ("sentence-coverage", "semantic", "Non-blank text that lies in no sentence."),
    ("dangling-sentence", "semantic", "A sentence label names a sentence id that does not exist."),
    ("dangling-annotation", "semantic", "`gold.from_annotations` names an annotation id that does not exist."),
    ("scheme-label-removed", "corpus", "Records of another version of the scheme's major version use a label the scheme lacks: a label in use was removed without a major version (uses, records and an example named)."),
]

#: Every rule by code, in documentation order.
RULES: dict[str, Rule] = {code: Rule(code, stage, summary) for code, stage, summary in _TABLE}


def loc_key(loc: Loc) -> tuple:
    """A sort key for JSON locations that orders ``[2]`` before ``[10]``."""
    return tuple((0, part, "") if isinstance(part, int) else (1, 0, part) for part in loc)


@dataclass(frozen=True)
class Violation:
    """One broken rule in one file.

    ``file`` is the path as given, ``loc`` the location in the record as a tuple of keys and
    indexes (``("gold", "spans", 2, "end")``), ``rule`` a code of :data:`RULES`, and
    ``message`` what is wrong, with the values, in words a person can act on.
    """

    file: str
    loc: Loc
    rule: str
    message: str

    @property
    def path(self) -> str:
        """The JSON path of :attr:`loc`: ``$.gold.spans[2].end``."""
        out = "$"
        for part in self.loc:
            out += f"[{part}]" if isinstance(part, int) else f".{part}"
        return out

    def __str__(self) -> str:
        return f"{self.file}::{self.path}: {self.message} [{self.rule}]"

    def to_dict(self) -> dict[str, str]:
        """``{"file", "path", "rule", "message"}`` for the JSON reporter."""
        return {"file": self.file, "path": self.path, "rule": self.rule, "message": self.message}

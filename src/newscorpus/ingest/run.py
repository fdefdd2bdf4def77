"""Ingest: raw seed files into canonical article records (docs/design.md, The pipeline and Canonical text).

A seed is ``seeds/<id>.txt`` (the article as received) with a metadata sidecar
``seeds/<id>.meta.json`` (title, publisher, url, published, language, license,
redistributable, and optionally split). Ingest fixes the canonical text once, before anyone
annotates: UTF-8, byte-order mark removed, CRLF and lone CR turned into LF, NFC. Nothing
rewrites it afterwards. Sentences come from spaCy's rule-based ``sentencizer`` on a blank
pipeline of the article's language, run paragraph by paragraph (a line break always ends a
sentence), each sentence trimmed of surrounding whitespace.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import tempfile
from collections.abc import Callable
from functools import cache
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from newscorpus.errors import IngestError
from newscorpus.core.models import SCHEMA_VERSION, ArticleRecord, Meta, Segmenter, Sentence
from newscorpus.core.scheme import Scheme, default_scheme
from newscorpus.core.text import canonical_form
from newscorpus.records.access import locked_folders
from newscorpus.records.journal import commit_staging
from newscorpus.util.filekind import require_regular_file
from newscorpus.util.parallel import default_workers, ordered_map
from newscorpus.records.io import dump_record_bytes, json_path, read_record, record_path

__all__ = [
    "canonical_text",
    "text_sha256",
    "segment",
    "ingest_seed",
    "ingest_all",
    "iter_seeds",
    "IngestReport",
    "SEGMENTER_NAME",
]

SEGMENTER_NAME = "spacy.sentencizer"
_SAFE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$")
_NON_BLANK = re.compile(r"\S")


def canonical_text(raw: bytes, *, file: str | None = None) -> str:
    """Decode ``raw`` as UTF-8 and canonicalise it: BOM removed, CRLF and CR to LF, NFC.

    Raises :class:`IngestError` when the bytes are not UTF-8 (naming the byte offset).
    """
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise IngestError(
            f"not UTF-8: byte {exc.start} (0x{raw[exc.start]:02x}) cannot be decoded",
            file=file,
            code="not-utf8",
            hint="convert the file to UTF-8 before ingesting it",
        ) from exc
    return canonical_form(text)


def text_sha256(text: str) -> str:
    """SHA-256 (hex) of the UTF-8 bytes of ``text``."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@cache
def _nlp(language: str):
    import spacy

    lang = language.split("-")[0].lower()
    try:
        nlp = spacy.blank(lang)
    except (ImportError, KeyError, ValueError):  # a language spaCy has no rules for
        nlp = spacy.blank("xx")
    nlp.add_pipe("sentencizer")
    return nlp


def segmenter_info() -> Segmenter:
    """The segmenter's name and version, as records keep them."""
    import spacy

    return Segmenter(name=SEGMENTER_NAME, version=spacy.__version__)


def segment(text: str, *, language: str = "en") -> list[Sentence]:
    """Split ``text`` into sentences with ids ``s0``, ``s1``, ... in text order.

    Offsets are code points, end-exclusive; every sentence is trimmed of whitespace at its
    edges, and every non-blank character of ``text`` lies in exactly one sentence.
    """
    nlp = _nlp(language)
    paragraphs: list[tuple[int, str]] = []
    pos = 0
    for line in text.split("\n"):
        if _NON_BLANK.search(line):
            paragraphs.append((pos, line))
        pos += len(line) + 1
    sentences: list[Sentence] = []
    for (base, _line), doc in zip(paragraphs, nlp.pipe(line for _, line in paragraphs)):
        for sent in doc.sents:
            chunk = sent.text
            lead = len(chunk) - len(chunk.lstrip())
            trail = len(chunk) - len(chunk.rstrip())
            if lead == len(chunk):
                continue
            start = base + sent.start_char + lead
            end = base + sent.end_char - trail
            sentences.append(Sentence(id=f"s{len(sentences)}", start=start, end=end))
    return sentences


_URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$")
_PATTERN_HINTS = {
    "language": "a BCP-47 tag such as 'en' or 'pt-BR'",
    "license": "an SPDX id such as 'CC-BY-4.0', or 'LicenseRef-<name>'",
}


def _read_meta(meta_path: Path, source_file: str) -> Meta:
    """The sidecar, type-checked strictly: ``redistributable`` must be a JSON boolean (the
    rights of a text are never guessed from "yes" or 1), ``url`` an http(s) address or
    null, ``title`` non-empty or null; ``source_file`` is set by ingest, not by the sidecar."""
    try:
        raw = meta_path.read_bytes()
    except FileNotFoundError as exc:
        raise IngestError(
            "no metadata sidecar",
            file=str(meta_path),
            code="missing-meta",
            hint="write title, publisher, url, published, language, license and redistributable there",
        ) from exc
    raw = raw[3:] if raw.startswith(b"\xef\xbb\xbf") else raw
    try:
        data = json.loads(raw.decode("utf-8"))
    except RecursionError as exc:
        raise IngestError("not a metadata object: nested too deeply", file=str(meta_path), code="invalid-json") from exc
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        where = f" at line {exc.lineno} column {exc.colno}" if isinstance(exc, json.JSONDecodeError) else ""
        raise IngestError(f"not valid UTF-8 JSON{where}: {getattr(exc, 'msg', exc)}", file=str(meta_path), code="invalid-json") from exc
    if not isinstance(data, dict):
        raise IngestError("the metadata sidecar must be a JSON object", file=str(meta_path), code="invalid-meta")
    if "source_file" in data:
        raise IngestError("source_file is recorded by ingest, not given in the sidecar", file=str(meta_path),
                          where="$.source_file", code="invalid-meta", hint="remove the key")
    url, title = data.get("url"), data.get("title")
    if url is not None and not (isinstance(url, str) and _URL.match(url)):
        raise IngestError(f"url {url!r} is not an http(s) address", file=str(meta_path), where="$.url", code="invalid-meta",
                          hint="give the article's address, or null when none is known")
    if isinstance(title, str) and not title.strip():
        raise IngestError("title is empty", file=str(meta_path), where="$.title", code="invalid-meta", hint="give the headline, or null")
    data["source_file"] = source_file
    try:
        return Meta.model_validate_json(json.dumps(data), strict=True)
    except ValidationError as exc:
        err = exc.errors()[0]
        field = str(err["loc"][0]) if err["loc"] else ""
        message = err["msg"]
        if err["type"] == "string_pattern_mismatch" and field in _PATTERN_HINTS:
            message = f"{err['input']!r} is not {_PATTERN_HINTS[field]}"
        raise IngestError(message, file=str(meta_path), where=json_path(err["loc"]), code="invalid-meta") from exc


def ingest_seed(path: str | Path, *, root: str | Path | None = None) -> ArticleRecord:
    """Read ``<id>.txt`` and its ``<id>.meta.json`` into a record with no annotations.

    The article id is the file's stem. ``root`` (default: the seed folder's parent) is what
    ``meta.source_file`` is made relative to. Raises :class:`IngestError` for an unsafe id,
    a file that is not UTF-8, an empty text, a missing or invalid sidecar, or a seed or
    sidecar that is not a regular file (``seed-symlink``, ``seed-folder``, ``seed-special-file``).
    """
    path = Path(path)
    article_id = path.stem
    if not _SAFE_ID.fullmatch(article_id):
        raise IngestError(
            f"article id {article_id!r} is not a safe file name",
            file=str(path),
            code="unsafe-id",
            hint="rename the seed to letters, digits, '_', '.' and '-' only",
        )
    for part in (path, path.with_name(f"{article_id}.meta.json")):
        require_regular_file(part, what="a seed file", error=IngestError, prefix="seed")
    text = canonical_text(path.read_bytes(), file=str(path))
    if not _NON_BLANK.search(text):
        raise IngestError("the article text is empty", file=str(path), code="empty-text")
    root = Path(root) if root is not None else path.parent.parent
    try:
        source_file = path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        source_file = path.name
    meta = _read_meta(path.with_name(f"{article_id}.meta.json"), source_file)
    return ArticleRecord(
        schema_version=SCHEMA_VERSION,
        id=article_id,
        text=text,
        text_sha256=text_sha256(text),
        meta=meta,
        sentences=segment(text, language=meta.language),
        segmenter=segmenter_info(),
    )


def iter_seeds(seeds_dir: str | Path) -> list[Path]:
    """The seed text files of a folder (``*.txt``), sorted by name."""
    return [Path(p) for p in _seed_paths(seeds_dir)]


def _seed_paths(seeds_dir: str | Path) -> list[str]:
    """:func:`iter_seeds` as ``str`` paths, listed without building a ``Path`` per file (at
    100,000 seeds a list of ``Path`` objects was tens of MB of the ingest's peak memory)."""
    with os.scandir(seeds_dir) as entries:
        return sorted(entry.path for entry in entries if entry.name.endswith(".txt"))


@dataclass(frozen=True)
class IngestReport:
    """Counts of one ingest run: records ``created``, ``updated`` and ``unchanged``."""

    created: int
    updated: int
    unchanged: int

    @property
    def total(self) -> int:
        """All seeds seen."""
        return self.created + self.updated + self.unchanged


_SCHEME: Scheme | None = None  # the scheme of the run: set by ingest_all (through _set_scheme) in each process


def _set_scheme(scheme: Scheme) -> None:
    global _SCHEME
    _SCHEME = scheme


def _ingest_one(item: tuple[str, Path]) -> tuple[str, bytes, bool]:
    """Ingest one seed against ``annotations_dir``: (article id, canonical record bytes,
    whether a record existed). Raises :class:`IngestError` as :func:`ingest_all` documents."""
    path, annotations_dir = item
    scheme = _SCHEME
    fresh = ingest_seed(path)
    target = record_path(annotations_dir, fresh.id)
    if not target.exists():
        return fresh.id, dump_record_bytes(fresh, scheme, file=str(target)), False
    old = read_record(target)
    if old.text_sha256 != fresh.text_sha256:
        raise IngestError(
            f"the seed's canonical text (sha256 {fresh.text_sha256[:12]}…) differs from "
            f"the record's ({old.text_sha256[:12]}…)",
            file=str(path),
            code="text-hash-mismatch",
            hint=f"annotations in {target} were made against the recorded text; restore the seed or ingest it under a new id",
        )
    old.meta = fresh.meta
    return old.id, dump_record_bytes(old, scheme, file=str(target)), True


@locked_folders("annotations_dir", "write", create=True)
def ingest_all(
    seeds: str | Path,
    *,
    annotations_dir: str | Path,
    scheme: Scheme | None = None,
    progress: Callable[[int, int], object] | None = None,
    workers: int | None = None,
) -> IngestReport:
    """Ingest every seed of ``seeds`` (a folder, or one ``.txt`` file) into ``annotations_dir``.

    A new article gets a record with no annotations. An existing record keeps its
    annotations, gold and sentences; only ``meta`` is refreshed from the sidecar. Raises
    :class:`IngestError` (``text-hash-mismatch``) when a seed's canonical text differs from
    its record's: offsets were made against the recorded text and are never moved. All
    seeds are checked before anything is written (records are staged, then moved in, all or
    nothing across crashes: :mod:`newscorpus.records.journal`), holding the folder's lock
    (:mod:`newscorpus.records.access`: :class:`~newscorpus.errors.LockError` after the timeout).
    ``progress(done, total)`` is called after each seed; ``workers`` processes segment
    (default: one per CPU from 500 seeds, else 1); the result is the same for any number.
    ``scheme`` is the annotation scheme records are written under (default: the packaged one).
    """
    scheme = scheme or default_scheme()
    seeds = Path(seeds)
    out = Path(annotations_dir)
    paths = [str(seeds)] if seeds.is_file() else _seed_paths(seeds)  # str: a third of a Path's memory
    if not paths:
        raise IngestError("no seed articles (*.txt) found", file=str(seeds), code="no-seeds")
    if workers is None:
        workers = default_workers(len(paths), threshold=500)
    made = [d for d in (out, *out.parents) if not d.exists()]
    out.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".ingest-", dir=out))
    created = updated = unchanged = 0
    ok = False
    try:
        results = ordered_map(_ingest_one, ((p, out) for p in paths), workers=workers, initializer=_set_scheme, initargs=(scheme,))
        for done, (article_id, data, existed) in enumerate(results, 1):
            target = record_path(out, article_id)
            if existed and target.read_bytes() == data:
                unchanged += 1
            else:
                record_path(staging, article_id).write_bytes(data)
                created += not existed
                updated += existed
            if progress is not None:
                progress(done, len(paths))
        commit_staging(staging, out)
        ok = True
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        if not ok:  # nothing written: not even the folders this call created
            for folder in made:
                folder.rmdir()
    return IngestReport(created=created, updated=updated, unchanged=unchanged)

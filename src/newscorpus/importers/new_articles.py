"""Tasks of an ordinary Label Studio project (text, no ``data.article_id``) as new records.

Each task's text (``data.<text_field>``) is canonicalised exactly as ingest does
(:func:`newscorpus.ingest.run.canonical_text`: BOM removed, CRLF and CR to LF, NFC), and
gets a record with that text, its ``text_sha256`` and its sentences
(:func:`newscorpus.ingest.run.segment`). The task's region offsets were made against the
text as Label Studio showed it; when canonicalisation changed the text they are converted
exactly (a removed BOM or the CR of a CRLF shifts every later offset by one), and refused
when they cannot be: an offset between a CR and its LF, or any region in a text that NFC
changed (docs/design.md, Offsets). Nothing is ever repaired by searching.

The record's id is a data field (``id_field``) or ``lt-`` and the first 16 hex digits of
the text's SHA-256; its metadata come from data fields (``meta_fields``: meta key -> data
field) or ``defaults``. Pure: nothing is written here.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from pydantic import ValidationError

from newscorpus.core.models import SCHEMA_VERSION, ArticleRecord, Meta
from newscorpus.core.text import canonical_offset_map, line_form
from newscorpus.errors import ExportError
from newscorpus.ingest.run import canonical_text, segment, segmenter_info, text_sha256

__all__ = ["NewArticles", "new_article", "article_meta", "article_record", "SAFE_ID"]

SAFE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$")
_NULLABLE = ("title", "url")


@dataclass(frozen=True)
class NewArticles:
    """How tasks become records: ``text_field`` (the data field holding the text),
    ``id_field`` (a data field giving the article id; None: ``lt-<16 hex of sha256>``),
    ``meta_fields`` (meta key -> data field) and ``defaults`` (meta key -> value, as
    strings; ``redistributable`` is ``true`` or ``false``)."""

    text_field: str = "text"
    id_field: str | None = None
    meta_fields: dict[str, str] = field(default_factory=dict)
    defaults: dict[str, str] = field(default_factory=dict)


def _display(text: str) -> str:
    """A region's display text canonicalised like the article text (no BOM check)."""
    return unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))


def _convert_offsets(task: dict, raw: str, text: str, *, file: str, index: int, name: str) -> None:
    """Move, in place, the offsets of every region of ``task`` from ``raw`` to ``text`` (its
    canonical form), exactly, or raise ``ExportError`` (``offsets-not-convertible``)."""
    if raw == text:
        return
    mapping = canonical_offset_map(raw)
    lines = line_form(raw)
    nfc_changed = lines != text  # what is left of canonicalisation after the BOM and line ends: NFC
    for kind in ("annotations", "drafts"):
        for pos, entry in enumerate(task.get(kind) or []):
            results = entry.get("result") if isinstance(entry, dict) else None
            for r, item in enumerate(results if isinstance(results, list) else []):
                value = item.get("value") if isinstance(item, dict) else None
                if not isinstance(value, dict) or not ("start" in value or "end" in value):
                    continue
                where = f"$[{index}].{kind}[{pos}].result[{r}]"
                if nfc_changed:
                    raise ExportError(f"{name}: the text changes under Unicode NFC normalisation, so its offsets cannot be "
                                      "converted exactly", file=file, where=where, code="offsets-not-convertible",
                                      hint="normalise the project's texts to NFC and annotate again, or ingest the texts as seeds")
                for key in ("start", "end"):
                    p = value.get(key)
                    if not isinstance(p, int) or isinstance(p, bool) or mapping is None:
                        continue
                    if not 0 <= p < len(mapping) or mapping[p] < 0:
                        raise ExportError(f"{name}: {key} {p} falls between a CR and its LF (or outside the text); "
                                          "it has no place in the canonical text", file=file, where=f"{where}.value.{key}",
                                          code="offsets-not-convertible", hint="correct the region in Label Studio and export again")
                    value[key] = mapping[p]
                if isinstance(value.get("text"), str):
                    value["text"] = _display(value["text"])


def _meta(data: dict, how: NewArticles, *, file: str, index: int, name: str, source: str) -> Meta:
    fields: dict[str, object] = dict(how.defaults)
    for key, data_field in how.meta_fields.items():
        if data.get(data_field) is not None:
            fields[key] = data[data_field]
    return article_meta(fields, file=file, where=f"$[{index}].data", name=name, source=source, from_fields=True)


def article_meta(fields: dict[str, object], *, file: str, where: str, name: str, source: str,
                 from_fields: bool = False) -> Meta:
    """The metadata of a new article from ``fields`` (meta key -> value; ``title`` and
    ``url`` default to null, ``redistributable`` may be the string ``true`` or ``false``),
    with ``source_file`` set to ``source``. ``from_fields``: the import can also take a key
    from a task's data field (``--meta-field``, Label Studio only), which the hint of a
    missing key then names. Raises :class:`~newscorpus.errors.ExportError`
    at ``where`` in ``file``, its message starting with ``name``: ``missing-meta`` (a
    required key not given: publisher, published, language, license, redistributable) or
    ``invalid-meta`` (a value of the wrong form)."""
    fields = {**{key: None for key in _NULLABLE}, **fields}
    if isinstance(fields.get("redistributable"), str):
        flag = fields["redistributable"]
        if flag not in ("true", "false"):
            raise ExportError(f"{name}: redistributable must be true or false, found {flag!r}", file=file,
                              where=where, code="invalid-meta")
        fields["redistributable"] = flag == "true"
    fields["source_file"] = source
    try:
        return Meta.model_validate(fields)
    except ValidationError as exc:
        err = exc.errors()[0]
        key = ".".join(str(p) for p in err["loc"])
        missing = err["type"] == "missing"
        give = f"--meta {key}=VALUE" + (f" or --meta-field {key}=FIELD" if from_fields else "")
        message = f"no {key} for the new article (give {give})" if missing else f"meta {key}: {err['msg']}"
        raise ExportError(f"{name}: {message}", file=file, where=where, code="missing-meta" if missing else "invalid-meta") from exc


def article_record(article_id: str, text: str, meta: Meta) -> ArticleRecord:
    """A new record of the canonical ``text`` under ``article_id``, with its hash and
    sentences (:func:`newscorpus.ingest.run.segment`) and no annotations. Raises nothing."""
    return ArticleRecord(schema_version=SCHEMA_VERSION, id=article_id, text=text, text_sha256=text_sha256(text), meta=meta,
                         sentences=segment(text, language=meta.language), segmenter=segmenter_info())


def new_article(task: dict, how: NewArticles, *, file: str, index: int) -> ArticleRecord:
    """The record of ``task`` (the ``index``-th of the export ``file``), with no annotations;
    ``task`` is changed in place to point at it: ``data.article_id``, ``data.text`` (the
    canonical text), ``data.text_sha256``, and its region offsets and display texts moved
    to the canonical text. Raises :class:`~newscorpus.errors.ExportError`: ``missing-text``
    (no string in the text field), ``unsafe-id`` (an id field value that is not a safe id),
    ``offsets-not-convertible``, ``missing-meta`` / ``invalid-meta``."""
    data = task.get("data")
    name = f"task {task.get('id')}"
    raw = data.get(how.text_field) if isinstance(data, dict) else None
    if not isinstance(raw, str) or not raw.strip():
        raise ExportError(f"{name}: no text in data.{how.text_field}", file=file, where=f"$[{index}].data.{how.text_field}",
                          code="missing-text", hint="name the field holding the text with --text-field")
    text = canonical_text(raw.encode("utf-8", "surrogatepass"), file=file)
    digest = text_sha256(text)
    if how.id_field is not None:
        article_id = data.get(how.id_field)
        if isinstance(article_id, int) and not isinstance(article_id, bool):
            article_id = str(article_id)
        if not isinstance(article_id, str) or not SAFE_ID.fullmatch(article_id) or len(article_id) > 200:
            raise ExportError(f"{name}: data.{how.id_field} {article_id!r} is not a safe article id", file=file,
                              where=f"$[{index}].data.{how.id_field}", code="unsafe-id",
                              hint="letters, digits, '_', '.' and '-' only, starting with a letter or digit")
    else:
        article_id = f"lt-{digest[:16]}"
    _convert_offsets(task, raw, text, file=file, index=index, name=name)
    meta = _meta(data, how, file=file, index=index, name=name, source=f"{file.rsplit('/', 1)[-1]}#task-{task.get('id')}")
    data["article_id"], data["text"], data["text_sha256"] = article_id, text, digest
    return article_record(article_id, text, meta)

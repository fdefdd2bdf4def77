"""Every exception newscorpus raises, in one place.

Each exception keeps the offending values as attributes and builds its message from them,
in the one-line form ``<file>::<JSON path>: <what is wrong>`` (check-jsonschema's style),
followed by a hint when the fix is known. ``code`` is a stable slug that tests and tools
can match on; the wording may change, the code does not.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, get_args

from newscorpus.util.secrets import redact

__all__ = [
    "NewscorpusError",
    "IngestError",
    "ExportError",
    "OffsetUnitError",
    "RecordError",
    "SchemaVersionError",
    "BuildError",
    "PublishError",
    "AgreementError",
    "AdjudicationError",
    "LabelStudioError",
    "SchemeError",
    "ConfigError",
    "json_path",
    "describe_field_error",
    "LockError",
    "JournalError",
    "ScaffoldError",
    "ExporterError",
    "ReviseError",
]


def json_path(loc: tuple[int | str, ...] | list[int | str]) -> str:
    """A JSONPath string for a location tuple: ``("gold", "spans", 2, "end")`` ->
    ``$.gold.spans[2].end`` (the ``where`` of records, and of scheme files read as YAML)."""
    out = "$"
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else f".{part}"
    return out


def describe_field_error(error: Mapping[str, Any], model: type) -> str:
    """Words for one error of a pydantic model read from a file (an item of
    ``ValidationError.errors()``; ``model`` the model validated): an unknown key names the
    keys allowed there, a value outside a set names the allowed values, a wrong type the
    value found."""
    kind, value = error["type"], error.get("input")
    if kind == "extra_forbidden":
        return f"unknown key (allowed: {', '.join(_keys_at(model, tuple(error['loc'])[:-1]))})"
    if kind == "missing":
        return "required key missing"
    if kind == "literal_error":
        return f"{value!r} is not one of {error['ctx']['expected']}"
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return f"expected keys and values, found {type(value).__name__}"
    if kind == "path_type":
        return f"expected a path (a string), found {value!r}"
    message = error["msg"].removeprefix("Value error, ")
    if kind != "value_error" and isinstance(value, (str, int, float, bool, type(None))):
        message += f", found {value!r}"
    return message


def _keys_at(model: type, loc: tuple[int | str, ...]) -> list[str]:
    """The keys of the (nested) pydantic model at ``loc`` (list indexes skipped)."""
    for part in loc:
        if isinstance(part, str):
            annotation = model.model_fields[part].annotation  # type: ignore[attr-defined]
            model = next((t for t in (annotation, *get_args(annotation)) if hasattr(t, "model_fields")), model)
    return list(model.model_fields)  # type: ignore[attr-defined]


class NewscorpusError(Exception):
    """Base class. ``file`` and ``where`` (a JSON path such as ``$[0].annotations[1]``) locate
    the problem, ``code`` names the rule, ``hint`` says what to do when that is known."""

    code = "error"

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        where: str | None = None,
        code: str | None = None,
        hint: str | None = None,
    ) -> None:
        self.message = message
        self.file = file
        self.where = where
        self.hint = hint
        if code is not None:
            self.code = code
        super().__init__(str(self))

    def __str__(self) -> str:
        location = ""
        if self.file or self.where:
            location = f"{self.file or '<input>'}::{self.where or '$'}: "
        text = f"{location}{self.message}"
        if self.hint:
            text += f" (hint: {self.hint})"
        return text


class IngestError(NewscorpusError):
    """A seed file or its metadata sidecar cannot be ingested."""

    code = "ingest-error"


class ExportError(NewscorpusError):
    """A Label Studio export cannot be imported; ``where`` names task, annotation and result."""

    code = "export-error"


class OffsetUnitError(ExportError):
    """Offsets agree with ``value.text`` only when read as UTF-16 code units (Label Studio < 1.4)."""

    code = "utf16-offsets"


class RecordError(NewscorpusError):
    """An article record cannot be read (not JSON, not a record, not a safe id)."""

    code = "record-error"


class SchemaVersionError(RecordError):
    """A record claims a schema version this package does not know."""

    code = "unknown-schema-version"


class BuildError(NewscorpusError):
    """The Hugging Face dataset folder cannot be built."""

    code = "build-error"


class PublishError(NewscorpusError):
    """The dataset cannot be published (missing token, text not redistributable...)."""

    code = "publish-error"


class AgreementError(NewscorpusError):
    """Agreement cannot be computed (no folder of records, nothing to read)."""

    code = "agreement-error"


class AdjudicationError(NewscorpusError):
    """Gold cannot be adjudicated (no folder of records, a malformed adjudicator id)."""

    code = "adjudication-error"


class LabelStudioError(NewscorpusError):
    """A Label Studio server cannot be reached, refuses the API key, or refuses a request.

    The message never contains the API key (:mod:`newscorpus.labelstudio.client` scrubs
    it) nor any other credential: a URL's password, a token derived from the key, an
    ``Authorization`` value (:func:`newscorpus.util.secrets.redact` runs on the message
    and the hint).
    """

    code = "label-studio-error"

    def __init__(self, message: str, *, file: str | None = None, where: str | None = None, code: str | None = None,
                 hint: str | None = None) -> None:
        super().__init__(redact(message), file=file and redact(file), where=where, code=code, hint=hint and redact(hint))


class SchemeError(NewscorpusError):
    """An annotation scheme file cannot be used: missing, not YAML, not a scheme, or a scheme
    that contradicts itself. ``file`` is the scheme file, ``where`` the YAML path
    (``$.layers[2].labels[0].name``), ``code`` one of ``scheme-not-found``,
    ``scheme-invalid-yaml``, ``scheme-invalid`` (a missing or unknown key, a wrong type or
    value), ``scheme-reserved-name``, ``scheme-duplicate-layer``, ``scheme-duplicate-label``,
    ``scheme-empty-layer``, ``scheme-unknown-label``, ``scheme-invalid-role``. Made from a
    Label Studio label config (:mod:`newscorpus.labelstudio.scheme_import`), ``file`` is the
    config and ``where`` its element (``<Labels name="ner"> at line 3``), with also
    ``labelstudio-config-invalid``, ``labelstudio-config-empty`` and
    ``labelstudio-config-unsupported``."""

    code = "scheme-error"


class ConfigError(NewscorpusError):
    """The corpus configuration (``newscorpus.toml``) cannot be used: missing when named,
    not TOML, or a wrong key or value. ``where`` is the TOML key (``paths.seeds``)."""

    code = "config-error"


class LockError(NewscorpusError):
    """The lock of a folder of records cannot be taken: another command held it past the
    timeout, or the lock file cannot be made (:mod:`newscorpus.records.lock`)."""

    code = "lock-timeout"


class JournalError(NewscorpusError):
    """An interrupted change of a folder of records cannot be finished: its journal is not
    one newscorpus wrote, or the folder is read-only (:mod:`newscorpus.records.journal`)."""

    code = "bad-journal"


class ScaffoldError(NewscorpusError):
    """A new corpus cannot be scaffolded (``newscorpus init``): ``corpus-not-empty`` (the
    folder holds files and ``--force`` was not given), ``corpus-not-a-folder`` (the path is
    a file, or a file stands where a folder of the corpus goes)."""

    code = "scaffold-error"


class ExporterError(NewscorpusError):
    """The corpus cannot be exported to another tool's format (``newscorpus export``): the
    output folder is not empty, a record holds what the format cannot say exactly."""

    code = "export-format-error"


class ReviseError(NewscorpusError):
    """A corrected text cannot be revised into its record (``newscorpus revise``): no seed
    or no record for an article asked for (``no-seed``, ``no-record``), or a seed that
    cannot be read (the codes of :class:`IngestError`)."""

    code = "revise-error"

"""Every exception newscorpus raises, in one place.

Each exception keeps the offending values as attributes and builds its message from them,
in the one-line form ``<file>::<JSON path>: <what is wrong>`` (check-jsonschema's style),
followed by a hint when the fix is known. ``code`` is a stable slug that tests and tools
can match on; the wording may change, the code does not.
"""

from __future__ import annotations

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
    "LockError",
    "JournalError",
]


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

    The message never contains the API key (:mod:`newscorpus.labelstudio.server` scrubs it).
    """

    code = "label-studio-error"


class LockError(NewscorpusError):
    """The lock of a folder of records cannot be taken: another command held it past the
    timeout, or the lock file cannot be made (:mod:`newscorpus.records.lock`)."""

    code = "lock-timeout"


class JournalError(NewscorpusError):
    """An interrupted change of a folder of records cannot be finished: its journal is not
    one newscorpus wrote, or the folder is read-only (:mod:`newscorpus.records.journal`)."""

    code = "bad-journal"

"""What an import did: its report and the warnings it met (any import format)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["ImportWarning", "ImportReport"]


@dataclass(frozen=True)
class ImportWarning:
    """Something an import accepted but a person should know: a stable ``code`` (such as
    ``span-trimmed``), ``where`` (a JSON path in the imported file, or an article id), and
    ``message``, in words a person can act on."""

    code: str
    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message} [{self.code}]"


@dataclass
class ImportReport:
    """What one import did: tasks read, annotations kept by status (``submitted``,
    ``cancelled``, ``draft``), record files written or left unchanged (paths in the
    annotations folder, in file-name order), predictions seen, and the warnings
    (whitespace differences, trimmed spans, gold left undecided) in the order met; with
    ``skip_invalid``, the annotations ``refused`` (dicts of
    :func:`newscorpus.importers.refusals.refusal`) and the ``report_file`` listing them;
    ``cached``: the tasks the import cache answered (read, converted and checked by an
    earlier import into the same record bytes: :mod:`newscorpus.importers.cache`)."""

    tasks: int = 0
    annotations: dict[str, int] = field(default_factory=lambda: {"submitted": 0, "cancelled": 0, "draft": 0})
    written: list[Path] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)
    predictions: int = 0
    warnings: list[ImportWarning] = field(default_factory=list)
    refused: list[dict] = field(default_factory=list)
    report_file: Path | None = None
    cached: int = 0

"""The annotations an import refused: every one listed, in one error or in a report file.

An import reads the whole export before it decides: each annotation that breaks a rule is
one refusal (a plain dict, so that worker processes can send it back), and the import
then either refuses the whole export listing every refusal (the default; nothing is
written) or, asked to skip invalid annotations, imports every valid one and writes the
refusals to a JSON report (:func:`write_refusals`).
"""

from __future__ import annotations

from pathlib import Path

import orjson

from newscorpus.errors import ExportError
from newscorpus.util.fileio import atomic_write_bytes

__all__ = ["refusal", "refusals_error", "write_refusals", "report_path"]


def refusal(exc: ExportError, *, article: str, annotation: str, link: str) -> dict:
    """One refused annotation as a plain dict: ``article`` id, ``annotation`` id, ``where``
    (a JSON path in the export), ``code`` (the rule), ``message`` and ``link`` (where to
    correct it: the task's Label Studio address, or ``task <id>``)."""
    return {"article": article, "annotation": annotation, "where": exc.where, "code": exc.code, "message": exc.message,
            "link": link, "hint": exc.hint}


def refusals_error(refused: list[dict], *, file: str) -> ExportError:
    """The error refusing an export for ``refused`` (at least one, in export order): the
    refusal itself when it is the only one (its link added when it is an address), else
    one error listing every one, with the code and place of the first."""
    first = refused[0]
    if len(refused) == 1:
        message = first["message"] + (f" ({first['link']})" if "://" in first["link"] else "")
        return ExportError(message, file=file, where=first["where"], code=first["code"], hint=first["hint"])
    lines = "".join(f"\n  {r['where']}: {r['message']} [{r['code']}]" + (f" ({r['link']})" if r["link"] else "") for r in refused)
    return ExportError(f"{len(refused)} annotations break a rule:{lines}", file=file, where=first["where"], code=first["code"],
                       hint="nothing was written; correct them in Label Studio and export again, or import every valid "
                            "annotation with --skip-invalid")


def report_path(export: Path) -> Path:
    """The default report of ``export``'s refusals: ``<export stem>.refused.json`` beside it."""
    return export.with_name(f"{export.stem}.refused.json")


def write_refusals(path: Path, refused: list[dict], *, export: str) -> None:
    """Write ``refused`` to ``path`` as JSON ``{"export": ..., "refused": [...]}`` (each
    without its hint), atomically. Raises ``OSError`` when it cannot be written."""
    items = [{k: v for k, v in r.items() if k != "hint"} for r in refused]
    atomic_write_bytes(path, orjson.dumps({"export": export, "refused": items}, option=orjson.OPT_INDENT_2) + b"\n")

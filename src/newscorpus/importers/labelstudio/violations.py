"""Violations of the validator's rules in a record an import is about to write, traced
back to the annotations that cause them (docs/design.md, Label Studio).

The import holds every record it would write to the validator's semantic checks
(:func:`newscorpus.validate.semantic.semantic_violations`); :func:`breaking_annotations`
says which incoming annotations break a rule (a draft is skipped with a warning, any other
annotation refused), :func:`violation_error` words the refusal at the export's result it
comes from (:func:`newscorpus.importers.labelstudio.locate.locate`).
"""

from __future__ import annotations

from newscorpus.errors import ExportError
from newscorpus.importers.labelstudio.contract import task_link
from newscorpus.importers.labelstudio.locate import locate
from newscorpus.importers.labelstudio.task import draft_skipped
from newscorpus.importers.refusals import refusal
from newscorpus.importers.report import ImportWarning
from newscorpus.validate.rules import Violation, loc_key

__all__ = ["breaking_annotations", "violation_error"]


def breaking_annotations(violations: list[Violation], record: dict, incoming: list[dict], task: dict, *, index: int,
                         file: str | None, server: str | None, server_url: str | None) -> dict[str, ImportWarning | dict]:
    """The ``incoming`` annotations of ``record`` (JSON form, as validated; ``violations``
    its violations) that break a rule, by id (the first rule each breaks): a draft's
    ``draft-skipped`` warning, or another annotation's refusal
    (:func:`newscorpus.importers.refusals.refusal`). ``task`` is the exported task they
    come from (the ``index``-th of the export ``file``); ``server`` the corpus's name for
    the server, ``server_url`` its address (task links)."""
    ids = {a["id"] for a in incoming}
    out: dict[str, ImportWarning | dict] = {}
    for violation in sorted(violations, key=lambda v: loc_key(v.loc)):
        loc = violation.loc
        if len(loc) < 2 or loc[0] != "annotations" or not isinstance(loc[1], int):
            continue
        ann = record["annotations"][loc[1]]
        if ann["id"] in ids and ann["id"] not in out:
            origin = ann["origin"]
            link = task_link(origin["project"], origin["task"], server_url)
            if ann["status"] == "draft":
                where, _ = locate(violation, record, task, index=index, server=server)
                out[ann["id"]] = draft_skipped(where, record["id"], origin["annotation"], ann["annotator"], link,
                                               f"{violation.message} [{violation.rule}]")
            else:
                exc = violation_error(violation, record, task, index=index, file=file, server=server)
                out[ann["id"]] = refusal(exc, article=record["id"], annotation=ann["id"], link=link)
    return out


def violation_error(violation: Violation, record: dict, task: dict, *, index: int, file: str | None, server: str | None) -> ExportError:
    """The error of an import refused because the record it would write (``record``, JSON
    form) breaks a rule of the validator (``violation``): its code is the rule's, its place
    the result of ``task`` (the ``index``-th of the export ``file``) it comes from."""
    where, name = locate(violation, record, task, index=index, server=server)
    return ExportError(f"{name}: the record would break a validation rule: {violation}", file=file, where=where,
                       code=violation.rule, hint="nothing was written; correct the annotation in Label Studio and export again")

"""The full JSON export of a Label Studio project, through an export snapshot.

:func:`export_json` writes the project's full export (every task, annotations of every kind,
drafts and predictions as full objects) to a file, streaming; :func:`export_project` does
the same for a project already found on a connected client.
"""

from __future__ import annotations

import os
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from newscorpus.errors import LabelStudioError
from newscorpus.labelstudio.client import DEFAULT_PROJECT, Progress, api_errors, connect, require_project, resolve_key
from newscorpus.labelstudio.paging import bounded_chunks

__all__ = ["EXPORT_OPTIONS", "ExportReport", "export_json", "export_project"]


@dataclass(frozen=True)
class ExportReport:
    """What :func:`export_json` wrote: the file, its size in bytes, the project and the
    export snapshot's id."""

    project_id: int
    path: Path
    bytes: int
    snapshot_id: int


#: What a full export holds: every task (annotated or not), annotations of every kind
#: (submitted, cancelled/skipped, ground truth), drafts and predictions as full objects,
#: ``completed_by`` as the user id (no e-mail address).
EXPORT_OPTIONS = {
    "task_filter_options": {"only_with_annotations": False},
    "annotation_filter_options": {"usual": True, "ground_truth": True, "skipped": True},
    "serialization_options": {
        "drafts": {"only_id": False},
        "predictions": {"only_id": False},
        "annotations__completed_by": {"only_id": True},
        "include_annotation_history": False,
    },
}


def export_json(
    *,
    url: str,
    dest: str | Path,
    project: str = DEFAULT_PROJECT,
    api_key: str | None = None,
    timeout: float = 600.0,
    progress: Progress | None = None,
) -> ExportReport:
    """Write the full JSON export of the project titled ``project`` to ``dest``
    (:func:`export_project`). Raises :class:`LabelStudioError` (``project-not-found``,
    ``export-failed`` and those of :func:`~newscorpus.labelstudio.client.connect`)."""
    key = resolve_key(api_key)
    url = url.rstrip("/")
    client = connect(url=url, api_key=key)
    found = require_project(client, project, url=url, key=key)
    return export_project(client, found.id, dest, url=url, key=key, timeout=timeout, progress=progress)


def export_project(
    client, project_id: int, dest: str | Path, *, url: str, key: str, timeout: float = 600.0, progress: Progress | None = None
) -> ExportReport:
    """Write the full JSON export of project ``project_id`` to ``dest`` (streamed, written
    atomically), with ``client`` connected to ``url`` with ``key``.

    Uses an export snapshot with :data:`EXPORT_OPTIONS` (the plain ``/export`` endpoint
    gives predictions as bare ids and, by default, only annotated tasks), waits for it
    (up to ``timeout`` seconds), downloads it in chunks and deletes the snapshot. Raises
    :class:`LabelStudioError` (``export-failed``, ``download-timeout`` and the API errors of
    :func:`~newscorpus.labelstudio.client.api_errors`).
    """
    dest = Path(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    with api_errors("export the project", url=url, key=key):
        snapshot = client.projects.exports.create(project_id, title="newscorpus pull", **EXPORT_OPTIONS)
        deadline = time.monotonic() + timeout
        while snapshot.status != "completed":
            if snapshot.status == "failed" or time.monotonic() > deadline:
                raise LabelStudioError(f"{url}: export snapshot {snapshot.id} of project {project_id} is {snapshot.status}",
                                       code="export-failed", hint="see the server's log")
            time.sleep(0.5)
            snapshot = client.projects.exports.get(project_id, snapshot.id)
        fd, tmp = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".tmp", dir=dest.parent)
        size = 0
        try:
            with os.fdopen(fd, "wb") as fh:
                for chunk in bounded_chunks(client.projects.exports.download(
                    project_id, snapshot.id, export_type="JSON", request_options={"chunk_size": 1 << 16}
                ), what="export download", url=url):
                    fh.write(chunk)
                    size += len(chunk)
                    if progress is not None:
                        progress("download", size, 0)
            os.replace(tmp, dest)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        client.projects.exports.delete(project_id, snapshot.id)
    return ExportReport(project_id=project_id, path=dest, bytes=size, snapshot_id=snapshot.id)

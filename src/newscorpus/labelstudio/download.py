"""The download half of ``ls pull``, in a process of its own.

label-studio-sdk costs about 130 MB of a process once imported, and a process never gives
that back. :func:`pull <newscorpus.labelstudio.server.pull>` imports the export with a pool
of worker processes; if the SDK were loaded in the parent meanwhile, the pull would peak
well over its share of memory. :func:`download_export` therefore connects, finds the
project, asks the server's version and writes the full export
(:func:`~newscorpus.labelstudio.export.export_project`) in a spawned child process, which
exits before the import starts; its progress and its errors come back to the caller as if
the work had run in its own process.
"""

from __future__ import annotations

import multiprocessing
import queue
from pathlib import Path

from newscorpus.errors import NewscorpusError
from newscorpus.labelstudio.client import Progress

__all__ = ["download_export"]


def _child(messages, url: str, key: str, project: str, dest: str) -> None:
    """The child's work: every message is a tuple, the last one ``("done", ...)`` or ``("error", ...)``."""
    from newscorpus.labelstudio.client import connect, require_project, server_version
    from newscorpus.labelstudio.export import export_project

    try:
        client = connect(url=url, api_key=key)
        found = require_project(client, project, url=url, key=key)
        version = server_version(client, url=url, key=key)
        report = export_project(client, found.id, Path(dest), url=url, key=key,
                                progress=lambda stage, done, total: messages.put(("progress", stage, done, total)))
    except NewscorpusError as exc:  # keyword-only fields do not pickle: send them
        messages.put(("error", type(exc), exc.message, {"file": exc.file, "where": exc.where, "code": exc.code, "hint": exc.hint}))
        return
    except BaseException as exc:  # noqa: BLE001 - anything else is raised again in the parent, by its type and text
        messages.put(("crash", f"{type(exc).__name__}: {exc}"))
        return
    messages.put(("done", found.id, report.bytes, report.snapshot_id, version))


def download_export(*, url: str, key: str, project: str, dest: Path,
                    progress: Progress | None = None) -> tuple[int, int, int, str | None]:
    """Write the full export of the project titled ``project`` on ``url`` (API key ``key``)
    to ``dest``, in a spawned child process. Returns ``(project id, bytes, snapshot id,
    server version or None)``; ``progress`` is called here, in the caller's process, as
    :func:`~newscorpus.labelstudio.export.export_project` would call it. Raises what the
    child raised (:class:`~newscorpus.errors.LabelStudioError`: ``project-not-found``,
    ``export-failed``, the connection errors), or ``RuntimeError`` when the child ended
    without a word (killed)."""
    ctx = multiprocessing.get_context("spawn")
    messages = ctx.Queue()
    child = ctx.Process(target=_child, args=(messages, url, key, project, str(dest)), daemon=True)
    child.start()
    try:
        while True:
            try:
                message = messages.get(timeout=0.5)
            except queue.Empty:
                if not child.is_alive() and messages.empty():
                    raise RuntimeError(f"the export download of {url} ended without a result (exit code {child.exitcode})") from None
                continue
            kind = message[0]
            if kind == "progress":
                if progress is not None:
                    progress(*message[1:])
            elif kind == "error":
                _, cls, text, fields = message
                raise cls(text, **fields)
            elif kind == "crash":
                raise RuntimeError(f"the export download of {url} failed: {message[1]}")
            else:
                return message[1], message[2], message[3], message[4]
    finally:
        child.join(timeout=30)
        if child.is_alive():
            child.kill()
            child.join()

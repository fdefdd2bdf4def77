"""A live Label Studio server: push tasks to a project and pull its annotations back.

Driven through label-studio-sdk 2.x (``LabelStudio`` client, pinned to the version Label
Studio 1.23.2 pins). The API key comes from ``LABEL_STUDIO_API_KEY`` (or the ``api_key``
argument): a legacy token (``Authorization: Token …``) or a personal access token (a JWT
refresh token, exchanged for short-lived access tokens by the SDK); both work. The key is
never logged, written or put in an exception: every error from the server or the network
becomes a :class:`~newscorpus.errors.LabelStudioError` whose message has the key scrubbed
and which does not chain the SDK's exception.

- :func:`push` creates or updates the project (generated label config, one
  ``model_version`` for the predictions, set as the project's model version because the
  labeling view shows only predictions of that version) and imports the tasks of articles
  not yet in it. A task is identified by ``data.article_id`` and ``data.text_sha256``.
- :func:`export_json` (:mod:`newscorpus.labelstudio.export`) writes the project's full JSON
  export (every task, annotations of every kind, drafts and predictions as full objects)
  to a file, streaming.
- :func:`pull` exports to a temporary file, in a child process that alone loads the SDK
  (:mod:`newscorpus.labelstudio.download`), and imports it (:func:`newscorpus.importers.run.import_export`).
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import orjson

from newscorpus.errors import LabelStudioError
from newscorpus.labelstudio.client import API_KEY_ENV, DEFAULT_PROJECT, PAGE_SIZE, Progress, api_errors, connect, find_project, resolve_key
from newscorpus.labelstudio.download import download_export
from newscorpus.labelstudio.export import ExportReport, export_json
from newscorpus.labelstudio.paging import bounded_pages
from newscorpus.labelstudio.revision import apply_updates, prepare_updates, revised_from
from newscorpus.records.access import read_access
from newscorpus.importers.run import ImportReport, import_export
from newscorpus.core.models import ArticleRecord
from newscorpus.records.io import iter_record_paths, read_record
from newscorpus.core.scheme import Scheme, default_scheme
from newscorpus.labelstudio.tasks import default_model_version, label_config, record_to_task

__all__ = [
    "API_KEY_ENV",
    "DEFAULT_PROJECT",
    "DEFAULT_REPORT",
    "PushReport",
    "PullReport",
    "ExportReport",
    "connect",
    "overlap_settings",
    "push",
    "push_tasks",
    "IMPORT_BATCH",
    "export_json",
    "pull",
]

#: Tasks posted in one request by :func:`push` (one batch on its way while the next is made).
IMPORT_BATCH = 500
#: Where ``ls pull --skip-invalid`` writes the refused annotations unless told (relative to
#: the current folder, beside the task files of ``newscorpus tasks``).
DEFAULT_REPORT = Path("dist/labelstudio/refused.json")


@dataclass(frozen=True)
class PushReport:
    """What :func:`push` did: the project (id, title, whether it was created or its label
    config changed), the ``model_version`` of the predictions, the number of tasks imported
    and of articles already in the project, the project's overlap (annotators per task,
    Label Studio's ``maximum_annotations``) and whether push changed it, and the number of
    tasks of revised articles ``updated`` in place."""

    project_id: int
    project_title: str
    project_created: bool
    config_updated: bool
    model_version: str
    imported: int
    already_present: int
    overlap: int = 1
    settings_updated: bool = False
    updated: int = 0


@dataclass(frozen=True)
class PullReport:
    """What :func:`pull` did: the project, the export's size, the import's report and the
    Label Studio release the server reported (None when it reports none)."""

    project_id: int
    project_title: str
    export_bytes: int
    imported: ImportReport
    tool_version: str | None = None


# --- projects and tasks --------------------------------------------------------------------


def _existing_tasks(client, project_id: int, *, url: str, key: str) -> dict[str, set[str]]:
    """``article_id -> {text_sha256, ...}`` of the project's tasks."""
    found: dict[str, set[str]] = {}
    with api_errors("list tasks", url=url, key=key):
        for task in bounded_pages(client.tasks.list(project=project_id, fields="task_only", page_size=PAGE_SIZE), what="tasks", url=url):
            data = task.data or {}
            article_id = data.get("article_id")
            if isinstance(article_id, str):
                found.setdefault(article_id, set()).add(str(data.get("text_sha256")))
    return found


def overlap_settings(overlap: int) -> dict[str, object]:
    """The project settings that give every task to ``overlap`` annotators: Label Studio's
    ``maximum_annotations`` = ``overlap``, the overlap applied to 100 % of the tasks
    (``overlap_cohort_percentage``), and tasks that still need annotators shown first
    (``show_overlap_first``). Raises ``ValueError`` for an overlap under 1."""
    if overlap < 1:
        raise ValueError(f"overlap must be at least 1, found {overlap}")
    return {"maximum_annotations": overlap, "overlap_cohort_percentage": 100, "show_overlap_first": True}


def _record_paths(annotations_dir: str | Path) -> tuple[list[str], list[tuple[str, str]], dict[str, ArticleRecord]]:
    """The record files of ``annotations_dir`` (as ``str``), ``(id, text_sha256)`` of
    each, and the records that were revised (``revisions`` not empty) by id: every record
    read in full (a record that cannot be read raises here, before anything is pushed) and
    none kept but the revised ones."""
    paths: list[str] = []
    articles: list[tuple[str, str]] = []
    revised: dict[str, ArticleRecord] = {}
    for path in iter_record_paths(annotations_dir):
        record = read_record(path)
        paths.append(str(path))
        articles.append((record.id, record.text_sha256))
        if record.revisions:
            revised[record.id] = record
    return paths, articles, revised


def _no_records(annotations_dir: str | Path | None) -> LabelStudioError:
    return LabelStudioError(f"no article records to push{f' in {annotations_dir}' if annotations_dir else ''}",
                            code="no-records", hint="run `newscorpus ingest` first")


def push(
    *,
    url: str,
    records: Iterable[ArticleRecord] | None = None,
    annotations_dir: str | Path | None = None,
    project: str = DEFAULT_PROJECT,
    api_key: str | None = None,
    scheme: Scheme | None = None,
    model_version: str | None = None,
    overlap: int | None = None,
    progress: Progress | None = None,
    server: str | None = None,
    batch: int = IMPORT_BATCH,
) -> PushReport:
    """Create or update the project titled ``project`` on ``url`` and import the tasks of
    the articles it does not hold yet (one task per article, from
    :func:`newscorpus.labelstudio.tasks.record_to_task`). The articles are ``records``, or else the
    records of ``annotations_dir`` (read once for their ids and text hashes, none kept but the
    revised ones, then again one batch of ``batch`` tasks at a time (:data:`IMPORT_BATCH`), all
    under the folder's read lock, so memory does not grow with the corpus). The task of an article revised since it was pushed
    (its text hash is a ``previous_text_sha256`` of the record's ``revisions``) is updated
    in place, text, predictions and every annotation's and draft's offsets
    (:mod:`newscorpus.labelstudio.revision`; ``server``: the corpus's name for the server,
    as in annotation ids); when the project holds work on it that the record does not
    have, ``unpulled-annotations`` is raised before anything is changed.
    ``progress("push", done, total)`` is called after each batch.

    The project gets the label config of ``scheme`` (:func:`newscorpus.labelstudio.tasks.label_config`)
    and ``model_version`` (default ``newscorpus-<schema version>``) as its model version;
    every prediction is made under that version. ``overlap`` (an int >= 1) is how many
    annotators label each task (:func:`overlap_settings`, applied to the tasks already
    there too); None leaves the project's setting alone (a new project gets Label
    Studio's 1). A task already in the project with the same ``data.article_id`` and
    ``data.text_sha256`` is left alone, so pushing twice creates no duplicate. Raises
    :class:`LabelStudioError`: ``text-hash-mismatch`` when the project holds an article
    with another text hash (nothing is pushed then), ``no-records`` when there is no
    article, and the connection errors of :func:`connect`;
    :class:`~newscorpus.errors.RecordError` for a record that cannot be read;
    ``ValueError`` for an overlap under 1.
    """
    scheme = scheme or default_scheme()
    model_version = model_version or default_model_version()
    common = dict(url=url, project=project, config=label_config(scheme), model_version=model_version, overlap=overlap,
                  api_key=api_key, progress=progress, batch=batch)
    if records is not None:
        held = list(records)
        if not held:
            raise _no_records(annotations_dir)
        return push_tasks(articles=[(r.id, r.text_sha256) for r in held],
                          make_task=lambda i: record_to_task(held[i], scheme=scheme, model_version=model_version),
                          revised={r.id: r for r in held if r.revisions}, **common)
    if annotations_dir is None:
        raise TypeError("push() needs records or annotations_dir")
    with read_access(annotations_dir):  # the records of one state of the folder, read twice: ids first, then tasks
        paths, articles, revised = _record_paths(annotations_dir)
        if not paths:
            raise _no_records(annotations_dir)
        return push_tasks(articles=articles,
                          make_task=lambda i: record_to_task(read_record(paths[i]), scheme=scheme, model_version=model_version),
                          revised=revised, **common)


def push_tasks(
    *,
    url: str,
    articles: list[tuple[str, str]],
    make_task: Callable[[int], dict],
    project: str,
    config: str,
    model_version: str,
    overlap: int | None = None,
    api_key: str | None = None,
    progress: Progress | None = None,
    revised: dict[str, ArticleRecord] | None = None,
    server: str | None = None,
    batch: int = IMPORT_BATCH,
) -> PushReport:
    """What :func:`push` does, for the tasks of ``articles`` (``(article id, text_sha256)``
    each; ``make_task(i)`` makes the Label Studio task dict of the i-th, whose
    ``data.article_id`` and ``data.text_sha256`` are those) under the label config
    ``config``: create or update the project titled ``project`` (its label config,
    ``model_version`` and, unless ``overlap`` is None, :func:`overlap_settings`), then import
    the tasks of the articles it does not hold yet, ``batch`` at a time (each batch
    serialized and posted while the next is made); the tasks of ``revised``
    records (by article id) that hold an earlier text are updated in place (predictions:
    those of ``make_task``). Raises as :func:`push`, and
    ``ValueError`` for a batch under 1."""
    if batch < 1:
        raise ValueError(f"batch must be at least 1, found {batch}")
    settings = overlap_settings(overlap) if overlap is not None else {}
    key = resolve_key(api_key)
    url = url.rstrip("/")
    client = connect(url=url, api_key=key)
    found = find_project(client, project, url=url, key=key)
    existing = _existing_tasks(client, found.id, url=url, key=key) if found is not None else {}
    conflicts = [(aid, sha) for aid, sha in articles if aid in existing and existing[aid] != {sha}]
    revised = revised or {}
    revised = {aid: revised[aid] for aid, sha in conflicts
               if aid in revised and all(revised_from(revised[aid], old) for old in existing[aid] - {sha})}
    conflicts = [(aid, sha) for aid, sha in conflicts if aid not in revised]
    if conflicts:
        first, sha = conflicts[0]
        raise LabelStudioError(
            f"{url}: project {project!r} holds article {first!r} with text_sha256 "
            f"{', '.join(sorted(existing[first]))[:16]}…, the record has {sha[:16]}…"
            + (f" ({len(conflicts) - 1} more article(s) differ)" if len(conflicts) > 1 else ""),
            code="text-hash-mismatch",
            hint="annotations there were made against another text; nothing was pushed. Pull and resolve them, "
            "or push to a new --project",
        )
    updates = prepare_updates(client, found.id, project, revised, url=url, key=key, server=server) if revised else []
    created = config_updated = settings_updated = False
    with api_errors("create or update the project", url=url, key=key):
        if found is None:
            found = client.projects.create(title=project, label_config=config, model_version=model_version, **settings)
            created = True
        else:
            changes = {name: value for name, value in settings.items() if getattr(found, name, None) != value}
            settings_updated = bool(changes)
            if (found.label_config or "").strip() != config.strip():
                changes["label_config"] = config
                config_updated = True
            if found.model_version != model_version:
                changes["model_version"] = model_version
            if changes:
                client.projects.update(found.id, **changes)
        current = client.projects.get(found.id) if settings_updated or created else found
    todo = [i for i, (aid, _) in enumerate(articles) if aid not in existing]
    post = _poster(client, found.id)
    done = 0
    with api_errors("import tasks", url=url, key=key), ThreadPoolExecutor(1) as sender:
        posting: Future | None = None  # one batch on its way while the next is made (the server works meanwhile)
        for start in range(0, len(todo), batch):
            body = orjson.dumps([make_task(i) for i in todo[start : start + batch]])
            if posting is not None:
                done += posting.result()
                if progress is not None:
                    progress("push", done, len(todo))
            posting = sender.submit(post, body, min(batch, len(todo) - start))
        if posting is not None:
            done += posting.result()
            if progress is not None:
                progress("push", done, len(todo))
    index = {aid: i for i, (aid, _) in enumerate(articles)}
    updated = apply_updates(client, updates, predictions=lambda record: make_task(index[record.id])["predictions"],
                            url=url, key=key)
    return PushReport(
        project_id=found.id,
        project_title=project,
        project_created=created,
        config_updated=config_updated,
        model_version=model_version,
        imported=len(todo),
        already_present=len(articles) - len(todo),
        overlap=current.maximum_annotations or 1,
        settings_updated=settings_updated,
        updated=updated,
    )


def _poster(client, project_id: int) -> Callable[[bytes, int], int]:
    """``post(body, n)``: POST ``body`` (a JSON array of ``n`` tasks, already serialized)
    to the project's import API (``commit_to_project``) through the client's own HTTP
    session (its base URL, key and timeout), and return ``n``. The SDK's
    ``projects.import_tasks`` does the same but first converts every task with its
    ``jsonable_encoder``, which took more client time than the server's import. Raises
    the SDK's ``ApiError`` for an answer that is not a success, as the SDK does."""
    from label_studio_sdk.core.api_error import ApiError

    http = client._client_wrapper.httpx_client  # noqa: SLF001 - the SDK's authenticated session

    def post(body: bytes, n: int) -> int:
        response = http.request(f"api/projects/{project_id}/import", method="POST", params={"commit_to_project": True},
                                content=body, headers={"Content-Type": "application/json"})
        if not 200 <= response.status_code < 300:
            try:
                detail = response.json()
            except ValueError:
                detail = response.text
            raise ApiError(status_code=response.status_code, headers=dict(response.headers), body=detail)
        return n

    return post


# --- export and pull -----------------------------------------------------------------------

def pull(
    *,
    url: str,
    annotations_dir: str | Path,
    project: str = DEFAULT_PROJECT,
    api_key: str | None = None,
    scheme: Scheme | None = None,
    progress: Progress | None = None,
    server: str | None = None,
    skip_invalid: bool = False,
    report_file: str | Path = DEFAULT_REPORT,
) -> PullReport:
    """Export ``project`` in full (:func:`~newscorpus.labelstudio.export.export_project`) to
    a temporary file and import it into ``annotations_dir``
    (:func:`newscorpus.importers.run.import_export`; records must exist), under the corpus's
    name ``server`` for this server (``[labelstudio] server``), with ``url`` in the task
    links of its warnings and errors, and the Label Studio release the server reports
    (``GET /api/version``) as every annotation's ``origin.version``. Errors and the report
    name the export by the project's address, ``<url>/projects/<id>``.

    A submitted (or cancelled) annotation that breaks a rule refuses the pull, every such
    annotation listed with its task link (nothing is written); with ``skip_invalid`` every
    valid annotation is imported and the refused ones are written to ``report_file``
    (JSON, :func:`newscorpus.importers.refusals.write_refusals`; a relative path is relative
    to the current folder) and listed in ``PullReport.imported.refused``. A draft that
    breaks a rule is skipped with a warning either way.

    The export is downloaded by a child process (:func:`~newscorpus.labelstudio.download.download_export`):
    label-studio-sdk never loads in this process, whose import runs a pool of workers.
    The temporary file is removed afterwards. Raises :class:`LabelStudioError` for server
    errors (``project-not-found`` among them) and :class:`~newscorpus.errors.ExportError`
    when the export cannot be imported (then no record is written).
    """
    key = resolve_key(api_key)
    url = url.rstrip("/")
    with tempfile.TemporaryDirectory(prefix="newscorpus-pull-") as tmp:
        path = Path(tmp) / "export.json"
        project_id, total, _, version = download_export(url=url, key=key, project=project, dest=path, progress=progress)
        report = import_export(
            path,
            annotations_dir=annotations_dir,
            scheme=scheme,
            progress=(lambda n: progress("import", n, total)) if progress is not None else None,
            server=server,
            server_url=url,
            tool_version=version,
            skip_invalid=skip_invalid,
            report_file=report_file,
            source=f"{url}/projects/{project_id}",
        )
    return PullReport(project_id=project_id, project_title=project, export_bytes=total, imported=report, tool_version=version)

"""The connection to a Label Studio server, and the hygiene of its API key.

The key comes from ``LABEL_STUDIO_API_KEY`` (or an ``api_key`` argument): a legacy token
(``Authorization: Token …``) or a personal access token (a JWT refresh token that
label-studio-sdk exchanges for short-lived access tokens). Every error from the server or
the network becomes a one-line :class:`~newscorpus.errors.LabelStudioError` built from the
status and the server's ``detail``, with the key scrubbed and the SDK's exception not
chained, so the key never reaches output, logs or tracebacks.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator

from newscorpus.errors import LabelStudioError
from newscorpus.labelstudio.paging import bounded_pages

__all__ = ["API_KEY_ENV", "PAGE_SIZE", "DEFAULT_PROJECT", "Progress", "resolve_key", "api_errors", "connect", "find_project",
           "require_project", "server_version"]

#: The environment variable holding the API key (legacy token or personal access token).
API_KEY_ENV = "LABEL_STUDIO_API_KEY"
#: Page size of list requests.
PAGE_SIZE = 1000
#: The project title used when none is given.
DEFAULT_PROJECT = "newscorpus"

Progress = Callable[[str, int, int], object]
"""``progress(stage, done, total)``: called as work advances (``total`` 0 when unknown)."""


def resolve_key(api_key: str | None) -> str:
    """``api_key`` or else ``$LABEL_STUDIO_API_KEY``, stripped; raises ``no-api-key`` when empty."""
    key = api_key if api_key is not None else os.environ.get(API_KEY_ENV, "")
    key = key.strip()
    if not key:
        raise LabelStudioError(
            f"no API key: {API_KEY_ENV} is not set",
            code="no-api-key",
            hint="copy a personal access token (Account & Settings) or a legacy token into LABEL_STUDIO_API_KEY",
        )
    return key


def _scrub(text: str, key: str) -> str:
    return text.replace(key, "***") if key else text


def _detail(body: object) -> str:
    if isinstance(body, dict):
        for name in ("detail", "validation_errors", "message", "error"):
            if body.get(name):
                return str(body[name])
    return str(body)[:300] if body else ""


@contextlib.contextmanager
def api_errors(action: str, *, url: str, key: str) -> Iterator[None]:
    """Turn SDK and network errors during ``action`` into a key-free :class:`LabelStudioError`
    (``unauthorized`` for 401/403, ``api-error`` for other answers, ``unreachable``)."""
    import httpx
    from label_studio_sdk.core.api_error import ApiError

    try:
        yield
    except LabelStudioError:
        raise
    except ApiError as exc:
        status, detail = exc.status_code, _scrub(_detail(exc.body), key)
        if status in (401, 403):
            raise LabelStudioError(
                f"{url}: {action}: the server refused the API key ({status}: {detail})",
                code="unauthorized",
                hint="LABEL_STUDIO_API_KEY must be a personal access token, or a legacy token of an organisation "
                "with legacy tokens enabled",
            ) from None
        raise LabelStudioError(f"{url}: {action}: Label Studio answered {status}: {detail}", code="api-error") from None
    except httpx.HTTPError as exc:
        raise LabelStudioError(
            f"{url}: {action}: cannot reach Label Studio ({type(exc).__name__}: {_scrub(str(exc), key)})",
            code="unreachable",
            hint="is the server running, and is the URL right?",
        ) from None


def connect(*, url: str, api_key: str | None = None, timeout: float = 120.0):
    """A ``label_studio_sdk.LabelStudio`` client for ``url`` with the key of ``api_key`` or
    ``$LABEL_STUDIO_API_KEY``, after checking that the key is accepted (``whoami``).

    Raises :class:`LabelStudioError` (``no-api-key``, ``unauthorized``, ``unreachable``).
    """
    from label_studio_sdk import LabelStudio

    key = resolve_key(api_key)
    url = url.rstrip("/")
    with api_errors("connect", url=url, key=key):
        client = LabelStudio(base_url=url, api_key=key, timeout=timeout)
        client.users.whoami()
    return client


def find_project(client, title: str, *, url: str, key: str):
    """The project titled ``title``, or None; raises ``ambiguous-project`` when several are,
    and the bounds of :func:`newscorpus.labelstudio.paging.bounded_pages`."""
    with api_errors("list projects", url=url, key=key):
        pages = bounded_pages(client.projects.list(page_size=PAGE_SIZE), what="projects", url=url)
        matches = [p for p in pages if p.title == title]
    if len(matches) > 1:
        ids = ", ".join(str(p.id) for p in matches)
        raise LabelStudioError(
            f"{url}: {len(matches)} projects are titled {title!r} (ids {ids})",
            code="ambiguous-project",
            hint="rename all but one, or pass another --project",
        )
    return matches[0] if matches else None


def require_project(client, title: str, *, url: str, key: str):
    """The project titled ``title`` (:func:`find_project`); raises ``project-not-found``
    when there is none."""
    found = find_project(client, title, url=url, key=key)
    if found is None:
        raise LabelStudioError(f"{url}: no project titled {title!r}", code="project-not-found",
                               hint="push first (`newscorpus ls push`), or pass the right --project")
    return found


def server_version(client, *, url: str, key: str) -> str | None:
    """The Label Studio release the server reports (``GET /api/version``: ``release``,
    e.g. ``"1.23.2"``), or None when it reports none."""
    with api_errors("ask the version", url=url, key=key):
        answer = client.versions.get()
    release = getattr(answer, "release", None)
    return str(release) if release else None

"""Bounds on every loop over a Label Studio server's answers: pages and time.

label-studio-sdk's pagers ask for the next page until one comes back empty. A server that
ignores ``page`` (a proxy, a misconfigured mirror, another API) answers the first page
again and again, and the loop never ends. :func:`bounded_pages` walks a pager with three
bounds, each a one-line :class:`~newscorpus.errors.LabelStudioError`:

- an item id seen on an earlier page (``paging-loop``): the server ignores paging;
- more than :data:`MAX_PAGES` pages (``too-many-pages``);
- more than ``timeout`` seconds in all (``list-timeout``); a single request is bounded by
  the client's own timeout.

:func:`bounded_chunks` puts an overall time bound on a download.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from typing import TypeVar

from newscorpus.errors import LabelStudioError

__all__ = ["MAX_PAGES", "LIST_TIMEOUT", "DOWNLOAD_TIMEOUT", "bounded_pages", "bounded_chunks"]

#: The most pages one listing may take (1,000 items a page: 10 million items).
MAX_PAGES = 10_000
#: Seconds one listing (all its pages) may take.
LIST_TIMEOUT = 1800.0
#: Seconds one export download may take.
DOWNLOAD_TIMEOUT = 3600.0

T = TypeVar("T")


def bounded_pages(pager, *, what: str, url: str, max_pages: int = MAX_PAGES, timeout: float = LIST_TIMEOUT) -> Iterator:
    """The items of an SDK pager (an object with ``iter_pages()`` whose pages have
    ``items``; a 404 for a next page ends the listing, as the SDK's iterator does), page by
    page, stopping with a :class:`LabelStudioError` (``paging-loop``,
    ``too-many-pages``, ``list-timeout``) at the bounds of the module doc. ``what`` names
    the items in messages (``"tasks"``); items without an ``id`` are not checked for
    repeats."""
    deadline = time.monotonic() + timeout
    seen: set[object] = set()
    for number, page in enumerate(_pages(pager), 1):
        if number > max_pages:
            raise LabelStudioError(f"{url}: listing {what}: more than {max_pages:,} pages; stopped", code="too-many-pages",
                                   hint="is the server paging its answers?")
        if time.monotonic() > deadline:
            raise LabelStudioError(f"{url}: listing {what}: still going after {timeout:g} s (page {number}); stopped",
                                   code="list-timeout", hint="is the server paging its answers?")
        for item in page.items or ():
            key = getattr(item, "id", None)
            if key is not None:
                if key in seen:
                    raise LabelStudioError(f"{url}: listing {what}: page {number} repeats id {key} of an earlier page: "
                                           "the server ignores `page`; stopped", code="paging-loop",
                                           hint="check that the URL is the Label Studio server itself, not a proxy that drops the query")
                seen.add(key)
            yield item


def _pages(pager) -> Iterator:
    """The pager's pages; a 404 answer to a next page ends them, as label-studio-sdk's own
    iterator (``SyncPagerExt``) does: Label Studio answers "Invalid page" past the last."""
    pages = pager.iter_pages()
    while True:
        try:
            page = next(pages)
        except StopIteration:
            return
        except Exception as exc:  # the SDK's ApiError; api_errors() words any other
            if getattr(exc, "status_code", None) == 404:
                return
            raise
        yield page


def bounded_chunks(chunks: Iterable[T], *, what: str, url: str, timeout: float = DOWNLOAD_TIMEOUT) -> Iterator[T]:
    """``chunks`` (a download), stopping with a :class:`LabelStudioError`
    (``download-timeout``) once they have taken more than ``timeout`` seconds in all."""
    deadline = time.monotonic() + timeout
    for chunk in chunks:
        if time.monotonic() > deadline:
            raise LabelStudioError(f"{url}: {what}: still downloading after {timeout:g} s; stopped", code="download-timeout")
        yield chunk

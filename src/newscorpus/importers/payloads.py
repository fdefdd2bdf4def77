"""The items a Label Studio import hands to its workers, one per task of the export.

An item is ``(index, payload, article id, unchecked, digest, ask)``: the task's position in
the export; its payload (the task's JSON text, its dict, or a :class:`Span` of the export
file that the worker reads itself); the article id the pool orders tasks of one article by
(None when not known); whether the text comes unchecked from the fast reader (the worker
parses and checks it); what the cache's digest of the task's JSON text
(:func:`newscorpus.importers.cache.task_digest`) is taken of: ``True`` for the payload's
own bytes, the task's JSON text itself (bytes, beside a dict payload), or None (not
cached: a task read only by the exact reader); and ``ask``: the import cache's entry of the
article, ``(task digest, entry)`` (:meth:`~newscorpus.importers.cache.ImportCache.by_article`),
when the cache may answer the task (the first task of its article, not a new record), else
None; the worker compares it with the task's digest (:func:`~newscorpus.importers.cache.answer`):
an answered task is read, converted and checked no further. Only that entry travels with
the task: no worker holds a copy of the cache (with a copy in each worker, a re-import of
100,000 tasks peaked at 345 MB over its processes). The digests and the cache's answers are the
workers' work, so that a re-import runs on every worker, not in the process that reads
the export.
"""

from __future__ import annotations

import pickle
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, NamedTuple

import orjson

from newscorpus.importers.cache import Entry, ImportCache
from newscorpus.importers.labelstudio.export import article_id_of, iter_export_spans
from newscorpus.importers.report import ImportReport

__all__ = ["Item", "Span", "Unsendable", "TaskLedger", "close_spans", "exact_payloads", "fast_payloads", "item_key", "read_span",
           "task_article_id"]


class Span(NamedTuple):
    """Where a task's JSON text lies in the export file: ``offset`` and ``length`` in bytes.
    A worker reads it itself (:func:`read_span`): the bytes of the tasks do not travel
    through the pool's pipes."""

    offset: int
    length: int


Item = tuple[int, "bytes | dict | Span", "str | None", bool, "bytes | bool | None", "tuple[str, Entry] | None"]

_FILE: tuple[str, BinaryIO] | None = None  # (path, file): the export a worker reads spans of


def read_span(path: str, span: Span) -> bytes:
    """The ``span`` of the file ``path`` (kept open in this process for the next span, until
    :func:`close_spans`). Raises ``OSError``; ``EOFError`` when the file is shorter than the
    span (changed since it was read)."""
    global _FILE
    if _FILE is None or _FILE[0] != path:
        close_spans()
        _FILE = (path, open(path, "rb"))  # noqa: SIM115 - kept open for the next span
    fh = _FILE[1]
    fh.seek(span.offset)
    data = fh.read(span.length)
    if len(data) != span.length:
        raise EOFError(f"{path}: shorter than when it was read")
    return data


def close_spans() -> None:
    """Close the file :func:`read_span` keeps open, if any (the next read opens it again:
    a file replaced since under the same path is read anew)."""
    global _FILE
    if _FILE is not None:
        _FILE[1].close()
        _FILE = None


class Unsendable(Exception):
    """A task that cannot be sent to a worker process (nested deeper than pickle's recursion
    limit and than orjson's 1,024 levels): the import runs again in one process."""


def task_article_id(task: dict) -> object:
    """The task's ``data.article_id`` (anything, or None when missing)."""
    return (task.get("data") or {}).get("article_id")


def item_key(item: Item) -> object:
    """The key the pool orders an item by: its article id."""
    return item[2]


@dataclass
class TaskLedger:
    """The import's side of the cache: which articles the export's tasks name, how often
    (:attr:`seen`), and the cache asked for the first task of each. ``folder`` is the
    annotations folder, ``fresh`` the ids of new records staged before the tasks (never
    answered from the cache)."""

    cache: ImportCache
    folder: str
    fresh: frozenset[str] = frozenset()
    seen: dict[str, int] = field(default_factory=dict)
    asks: dict[str, tuple[str, Entry]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.asks = self.cache.by_article()

    def item(self, index: int, payload: bytes | dict | Span, key: str | None, unchecked: bool, raw: bytes | None) -> Item:
        """The item of the ``index``-th task (``raw``: its JSON text, or None when only the
        exact reader read it): the digest is taken of ``payload`` when it is that text
        (bytes or a :class:`Span` of it), else of ``raw``; the cache is asked for the first
        task of an article that is not a new record, with the entry it has of the article."""
        if key is None:
            return index, payload, key, unchecked, None, None
        count = self.seen.get(key, 0)
        self.seen[key] = count + 1
        if raw is None:
            return index, payload, key, unchecked, None, None
        ask = self.asks.get(key) if count == 0 and key not in self.fresh else None
        return index, payload, key, unchecked, True if payload is raw or type(payload) is Span else raw, ask

    def keep(self, outcomes: list[tuple[str, Entry]]) -> None:
        """Keep for the next import the entries of ``outcomes`` (task digest, entry) whose
        article has no other task in this export."""
        for task_digest, entry in outcomes:
            if self.seen.get(entry[1]) == 1:
                self.cache.keep(task_digest, entry)


def exact_payloads(tasks: Iterator[tuple[dict, bytes | None]], report: ImportReport, pooled: bool,
                   ledger: TaskLedger) -> Iterator[Item]:
    """The exact way: each task parsed here (``iter_export_raw``), sent as JSON bytes to
    a pool, or as the dict itself to the sequential loop. Raises :class:`Unsendable` for a
    task no worker can be sent."""
    for index, (task, raw) in enumerate(tasks):
        report.tasks += 1
        payload: bytes | dict = task
        if pooled:  # the fastest way to a worker: JSON bytes (about 3x faster to load than a pickle)
            if raw is not None:
                payload = raw  # the task's own bytes, cut out of the export
            else:
                try:
                    payload = orjson.dumps(task)
                except TypeError:  # lone surrogates, integers over 64 bits, deep nesting: pickle the dict
                    try:
                        pickle.dumps(task, protocol=pickle.HIGHEST_PROTOCOL)
                    except RecursionError:
                        raise Unsendable from None
        article_id = task_article_id(task)
        yield ledger.item(index, payload, article_id if isinstance(article_id, str) else None, False, raw)


def fast_payloads(path: Path, report: ImportReport, progress: Callable[[int], object] | None, ledger: TaskLedger) -> Iterator[Item]:
    """The fast way (a pool): each task as its :class:`Span` of the export, unparsed
    (``iter_export_spans``), with the article id read off its bytes (``article_id_of``);
    the worker reads the span, parses the task and checks that id."""
    for index, (raw, offset) in enumerate(iter_export_spans(path, progress=progress)):
        report.tasks += 1
        yield ledger.item(index, Span(offset, len(raw)), article_id_of(raw), True, raw)

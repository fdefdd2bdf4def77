"""The items a Label Studio import hands to its workers, one per task of the export.

An item is ``(index, payload, article id, unchecked, digest)``: the task's position in the
export; its payload (the task's JSON text, its dict, or a :class:`Known` outcome); the
article id the pool orders tasks of one article by (None when not known); whether the
text comes unchecked from the fast reader (the worker parses and checks it); and the
cache's digest of the task's JSON text (:func:`newscorpus.importers.cache.task_digest`), or
``True`` for "the worker digests the bytes it gets", or None (not cached: a task read
only by the exact reader). A task the import cache answers
(:class:`~newscorpus.importers.cache.ImportCache`) goes as a :class:`Known` outcome: the
worker reads, converts and checks nothing for it.
"""

from __future__ import annotations

import pickle
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import orjson

from newscorpus.importers.cache import Entry, ImportCache, task_digest
from newscorpus.importers.labelstudio.export import article_id_of, iter_export_bytes
from newscorpus.importers.report import ImportReport

__all__ = ["Item", "Known", "Unsendable", "TaskLedger", "exact_payloads", "fast_payloads", "item_key", "task_article_id"]

Item = tuple[int, "bytes | dict | Known", "str | None", bool, "str | bool | None"]


@dataclass(frozen=True)
class Known:
    """The outcome of a task the import cache answers: its entry (:data:`~newscorpus.importers.cache.Entry`)."""

    entry: Entry


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
    answered: int = 0

    def item(self, index: int, payload: bytes | dict, key: str | None, unchecked: bool, raw: bytes | None,
             *, pooled: bool) -> Item:
        """The item of the ``index``-th task (``raw``: its JSON text, or None when only the
        exact reader read it): a :class:`Known` outcome when the cache answers it, else
        ``payload`` with the digest (or ``True`` when the worker can digest ``payload``)."""
        if key is None:
            return index, payload, key, unchecked, None
        count = self.seen.get(key, 0)
        self.seen[key] = count + 1
        if raw is None:
            return index, payload, key, unchecked, None
        if not self.cache.entries:  # nothing to answer: the worker digests the text, off this process
            return index, payload, key, unchecked, True if (pooled and payload is raw) else task_digest(raw)
        known = task_digest(raw)
        if count == 0 and key not in self.fresh:
            entry = self.cache.answer(known, key, self.folder)
            if entry is not None:
                self.answered += 1
                return index, Known(entry), key, False, known
        return index, payload, key, unchecked, known

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
        yield ledger.item(index, payload, article_id if isinstance(article_id, str) else None, False, raw, pooled=pooled)


def fast_payloads(path: Path, report: ImportReport, progress: Callable[[int], object] | None, ledger: TaskLedger) -> Iterator[Item]:
    """The fast way (a pool): each task's bytes, unparsed (``iter_export_bytes``), with
    the article id read off the bytes (``article_id_of``); the worker parses the task
    and checks that id."""
    for index, raw in enumerate(iter_export_bytes(path, progress=progress)):
        report.tasks += 1
        yield ledger.item(index, raw, article_id_of(raw), True, raw, pooled=True)

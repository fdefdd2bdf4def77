"""An ordered process pool over articles: both cores where it pays, results in input order.

Import, ingest and validate work article by article, and the work of one article does not
depend on the others (except, on import, two tasks of the same article: ``key`` orders
those). :func:`ordered_map` runs a function over items in worker processes and yields the
results in the items' order, keeping at most ``window`` items in flight so that memory is
bounded by a few items, never by the input. A :class:`~newscorpus.errors.NewscorpusError`
raised in a worker is raised again in the parent, with its file, JSON path, code and hint,
for the first failing item in input order, exactly as the sequential loop would.

Workers are started with ``spawn`` (safe with the threads of a progress bar; ``fork`` is
not), which costs about a second: callers use the pool only above a size where it pays
(:func:`default_workers`).
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Hashable, Iterable, Iterator
from typing import Any, TypeVar

from .errors import NewscorpusError

__all__ = ["available_cpus", "default_workers", "ordered_map"]

T = TypeVar("T")
R = TypeVar("R")

_FN: Callable[..., Any] | None = None


def available_cpus() -> int:
    """CPUs this process may run on (the affinity mask where the OS has one)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # macOS, Windows
        return os.cpu_count() or 1


def default_workers(units: int, *, threshold: int) -> int:
    """Worker processes for ``units`` of work (bytes, articles...): 1 (no pool) below
    ``threshold`` units or on one CPU, else one per CPU. ``NEWSCORPUS_WORKERS`` overrides."""
    forced = os.environ.get("NEWSCORPUS_WORKERS")
    if forced:
        return max(1, int(forced))
    cpus = available_cpus()
    return 1 if cpus < 2 or units < threshold else cpus


def _init(fn: Callable[..., Any], init: Callable[..., Any] | None, initargs: tuple) -> None:
    global _FN
    _FN = fn
    if init is not None:
        init(*initargs)
    # Everything loaded so far (modules, pydantic schemas, the job) lives as long as the
    # worker: keep it out of the collector's full passes, which otherwise rescan it while
    # the items' short-lived objects come and go.
    gc.freeze()


def _call(item: Any) -> tuple[str, Any]:
    assert _FN is not None
    try:
        return "ok", _FN(item)
    except NewscorpusError as exc:  # exceptions with keyword-only fields do not pickle: send the fields
        return "error", (type(exc), exc.message, {"file": exc.file, "where": exc.where, "code": exc.code, "hint": exc.hint})


def _unwrap(outcome: tuple[str, Any]) -> Any:
    kind, value = outcome
    if kind == "error":
        cls, message, fields = value
        raise cls(message, **fields)
    return value


def ordered_map(
    fn: Callable[[T], R],
    items: Iterable[T],
    *,
    workers: int,
    key: Callable[[T], Hashable] | None = None,
    initializer: Callable[..., Any] | None = None,
    initargs: tuple = (),
    window: int | None = None,
) -> Iterator[R]:
    """``fn`` over ``items``, results yielded in input order.

    ``workers <= 1`` runs in this process (``initializer(*initargs)`` first). Otherwise
    ``fn`` (a module-level function) runs in ``workers`` spawned processes, at most
    ``window`` (default ``8 * workers``) items in flight; an item whose ``key`` equals the
    key of an item still in flight waits until every earlier item is done (the work of an
    item may read what an earlier item of the same key wrote). Raises the first item's
    :class:`NewscorpusError` in input order; other exceptions propagate as raised.
    """
    if workers <= 1:
        if initializer is not None:
            initializer(*initargs)
        for item in items:
            yield fn(item)
        return
    window = window or 8 * workers
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(workers, initializer=_init, initargs=(fn, initializer, initargs)) as pool:
        pending: deque[tuple[Hashable, Any]] = deque()
        keys: dict[Hashable, int] = {}

        def pop() -> Any:
            k, job = pending.popleft()
            if k is not None:
                keys[k] -= 1
                if not keys[k]:
                    del keys[k]
            return _unwrap(job.get())

        for item in items:
            k = key(item) if key is not None else None
            if k is not None and k in keys:
                while pending:
                    yield pop()
            while len(pending) >= window:
                yield pop()
            pending.append((k, pool.apply_async(_call, (item,))))
            if k is not None:
                keys[k] = keys.get(k, 0) + 1
        while pending:
            yield pop()

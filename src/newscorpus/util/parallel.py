"""An ordered process pool over articles: both cores where it pays, results in input order.

Import, ingest and validate work article by article, and the work of one article does not
depend on the others (except, on import, two tasks of the same article: ``key`` orders
those). :func:`ordered_map` runs a function over items in worker processes and yields the
results in the items' order, keeping at most ``window`` items in flight so that memory is
bounded by a few items, never by the input. A :class:`~newscorpus.errors.NewscorpusError`
raised in a worker is raised again in the parent, with its file, JSON path, code and hint,
for the first failing item in input order, exactly as the sequential loop would; an error
raised by the items' own iterator comes after the results (and errors) of the items before it.

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
from multiprocessing.pool import ExceptionWithTraceback
from typing import Any, TypeVar

from newscorpus.errors import NewscorpusError

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


def _call_batch(items: list) -> list[tuple[str, Any]]:
    """:func:`_call` over ``items`` in order, up to the first error (the items after it are
    not run: the parent raises at the error and never looks further). Any other exception
    comes back as an outcome too, with its traceback, as ``Pool`` would send it."""
    out: list[tuple[str, Any]] = []
    for item in items:
        try:
            outcome = _call(item)
        except Exception as exc:  # noqa: BLE001 - raised again in the parent, at this item
            out.append(("raise", ExceptionWithTraceback(exc, exc.__traceback__)))
            break
        out.append(outcome)
        if outcome[0] == "error":
            break
    return out


def ordered_map(
    fn: Callable[[T], R],
    items: Iterable[T],
    *,
    workers: int,
    key: Callable[[T], Hashable] | None = None,
    initializer: Callable[..., Any] | None = None,
    initargs: tuple = (),
    window: int | None = None,
    batch: int = 1,
) -> Iterator[R]:
    """``fn`` over ``items``, results yielded in input order.

    ``workers <= 1`` runs in this process (``initializer(*initargs)`` first). Otherwise
    ``fn`` (a module-level function) runs in ``workers`` spawned processes, at most
    ``window`` (default ``8 * workers``) items in flight; an item whose ``key`` equals the
    key of an item still in flight waits until every earlier item is done (the work of an
    item may read what an earlier item of the same key wrote). Items go to the workers
    ``batch`` consecutive items at a time (one message each way per batch: less overhead
    for small items); a worker runs a batch's items in order. Raises the first item's
    :class:`NewscorpusError` in input order; other exceptions propagate as raised.
    """
    if workers <= 1:
        if initializer is not None:
            initializer(*initargs)
        for item in items:
            yield fn(item)
        return
    window = window or 8 * workers
    batch = max(1, batch)
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(workers, initializer=_init, initargs=(fn, initializer, initargs)) as pool:
        pending: deque[tuple[list[Hashable], int, Any]] = deque()  # (keys, items, job) per batch
        keys: dict[Hashable, int] = {}
        in_flight = 0

        def pop() -> Iterator[Any]:
            nonlocal in_flight
            batch_keys, n, job = pending.popleft()
            for k in batch_keys:
                keys[k] -= 1
                if not keys[k]:
                    del keys[k]
            in_flight -= n
            for kind, value in job.get():
                if kind == "raise":
                    raise value
                yield _unwrap((kind, value))

        def submit(group: list, group_keys: list[Hashable]) -> Iterator[Any]:
            nonlocal in_flight
            if any(k in keys for k in group_keys):
                while pending:
                    yield from pop()
            while pending and in_flight + len(group) > window:
                yield from pop()
            pending.append((group_keys, len(group), pool.apply_async(_call_batch, (group,))))
            for k in group_keys:
                keys[k] = keys.get(k, 0) + 1
            in_flight += len(group)

        group: list = []
        group_keys: list[Hashable] = []
        source = iter(items)
        while True:
            try:
                item = next(source)
            except StopIteration:
                break
            except Exception:
                # an error of the items themselves (reading them) comes after every item
                # before it, as in the sequential loop: an earlier item's error wins
                if group:
                    yield from submit(group, group_keys)
                while pending:
                    yield from pop()
                raise
            group.append(item)
            k = key(item) if key is not None else None
            if k is not None:
                group_keys.append(k)
            if len(group) >= batch:
                yield from submit(group, group_keys)
                group, group_keys = [], []
        if group:
            yield from submit(group, group_keys)
        while pending:
            yield from pop()

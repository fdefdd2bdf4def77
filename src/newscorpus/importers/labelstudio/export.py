"""The Label Studio JSON export format: reading it task by task, and converting one task.

Pure conversion, no writing: :func:`iter_export` streams the tasks of a full JSON export
(``ijson``, memory bounded by the largest task) and :func:`convert_task` turns one task's
annotations and drafts into :class:`~newscorpus.core.models.Annotation` objects against the
article's record, through :func:`newscorpus.importers.labelstudio.results.convert_results_plain`. Annotation ids are
``ls-p<project>-a<id>`` (drafts ``ls-p<project>-d<id>``): Label Studio ids are unique only
within a project. Annotators are ``ls-<user id>``; an e-mail never reaches a record.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import ijson
import orjson
from pydantic import ValidationError

from newscorpus.errors import ExportError
from newscorpus.importers.labelstudio.results import ImportWarning, OffsetUnit, PlainConverted, convert_results_plain
from newscorpus.core.models import Annotation, ArticleRecord
from newscorpus.core.scheme import Scheme
from newscorpus.util.bounds import check_depth, check_file_depth

if TYPE_CHECKING:
    import numpy as np

__all__ = ["Irregular", "iter_export", "iter_export_raw", "iter_export_bytes", "parse_task", "convert_task", "convert_task_plain"]


def iter_export(path: str | Path, *, progress: Callable[[int], object] | None = None) -> Iterator[dict]:
    """Yield the tasks of a Label Studio JSON export one at a time (a top-level array).

    ``progress``, if given, is called with the number of bytes read so far after each task.
    Memory is bounded by the largest task (and a read block of about 1 MB), not by the file.

    Raises :class:`ExportError` for a file that is not JSON, truncated, or not an array
    of task objects, naming the byte position where reading stopped.
    """
    for task, _raw in iter_export_raw(path, progress=progress):
        yield task


def iter_export_raw(path: str | Path, *, progress: Callable[[int], object] | None = None) -> Iterator[tuple[dict, bytes | None]]:
    """:func:`iter_export`, with each task's exact JSON text: ``(task, raw)`` pairs where
    ``orjson.loads(raw) == task``, or ``raw`` is None for a task that only the exact reader
    could read (a lone surrogate, an integer of 19 digits or more).

    The tasks are cut out of the file by :func:`_scan_tasks` (a vectorised scan of quotes and
    brackets) and parsed with ``orjson``; the moment anything is not a well-formed array of
    objects, reading starts again with ``ijson`` from the start of the file, skips the tasks
    already yielded and goes on from there, so that objects, errors and messages are exactly
    those of an ``ijson`` pass. Raises :class:`ExportError` as :func:`iter_export`.
    """
    path = Path(path)
    with open(path, "rb") as fh:
        bom = _start(fh, path)
        index = 0
        try:
            for task, raw, end in _scan_tasks(fh):
                yield task, raw
                index += 1
                if progress is not None:
                    progress(end)
            return
        except Irregular:
            pass
    yield from _iter_exact(path, bom, index, progress)


def iter_export_bytes(path: str | Path, *, progress: Callable[[int], object] | None = None) -> Iterator[bytes]:
    """The tasks of a Label Studio JSON export as their exact JSON text, not parsed: the
    fast path of a pooled import, whose workers parse each task with :func:`parse_task`.

    Only the array's structure is checked here (quotes, brackets, commas, what follows the
    array); raises :class:`Irregular` at the first thing that is not a well-formed array of
    objects, after yielding every task before it: the caller then reads the export again
    with :func:`iter_export_raw`, whose errors are exactly those of ``ijson``. Raises
    :class:`ExportError` for an empty file or one that is not an array.
    """
    path = Path(path)
    with open(path, "rb") as fh:
        _start(fh, path)
        for _, raw, end in _scan_tasks(fh, parse=False):
            yield raw
            if progress is not None:
                progress(end)


def parse_task(raw: bytes) -> dict:
    """One task's JSON text (from :func:`iter_export_bytes`) as ``ijson`` would read it.
    Raises :class:`Irregular` where ``orjson`` might not read what ``ijson`` reads (invalid
    JSON, a lone surrogate, a run of 19 or more digits outside strings: an integer that may
    be past int64): the caller falls back to :func:`iter_export_raw`."""
    import numpy as np

    arr = np.frombuffer(raw, np.uint8)
    runs = _long_digit_runs(arr)
    if len(runs) and ((np.searchsorted(_string_quotes(arr, raw), runs) & 1) == 0).any():
        raise Irregular
    try:
        task = orjson.loads(raw)
    except orjson.JSONDecodeError:
        raise Irregular from None
    if not isinstance(task, dict):
        raise Irregular
    return task


def _start(fh, path: Path) -> int:
    """Check the start of an export (``fh`` at byte 0) and put ``fh`` after the byte-order
    mark; returns the mark's length. Raises :class:`ExportError` for an empty file or one
    that is not a JSON array."""
    head = fh.read(64)
    bom = 3 if head.startswith(b"\xef\xbb\xbf") else 0
    head = head[bom:].lstrip()
    if not head:
        raise ExportError("the export is empty", file=str(path), code="invalid-json")
    if not head.startswith(b"["):
        raise ExportError(
            "a Label Studio JSON export is an array of tasks; this file does not start with '['",
            file=str(path),
            code="not-an-export",
            hint="export the project as JSON (not JSON_MIN or CSV), or use `newscorpus ls pull`",
        )
    fh.seek(bom)
    return bom


def _iter_exact(path: Path, bom: int, skip: int, progress: Callable[[int], object] | None) -> Iterator[tuple[dict, None]]:
    """The exact reader (``ijson``, yajl2_c): the tasks after the first ``skip`` ones."""
    check_file_depth(path, start=bom)  # ijson's memory grows with the square of the depth
    with open(path, "rb") as fh:
        fh.seek(bom)
        index = 0
        try:
            for task in ijson.items(fh, "item", use_float=True):
                if not isinstance(task, dict):
                    raise ExportError(f"task {index} is a {type(task).__name__}, not an object", file=str(path), where=f"$[{index}]", code="not-an-export")
                index += 1
                if index <= skip:
                    continue
                yield task, None
                if progress is not None:
                    progress(fh.tell())
        except ijson.JSONError as exc:
            raise ExportError(
                f"not valid JSON after task {index} (byte {fh.tell()}): {exc}",
                file=str(path),
                where=f"$[{index}]",
                code="invalid-json",
                hint="the file may be truncated; export it again",
            ) from exc


class Irregular(Exception):
    """The fast reader met something other than a well-formed array of objects, or a task
    only the exact reader (``ijson``) reads as it should: read the export the exact way."""


_BLOCK = 1 << 20
_WS = b" \t\n\r"
_QUOTE, _BACKSLASH, _OPEN, _CLOSE, _LBRACE, _RBRACE, _RBRACKET = 0x22, 0x5C, 0x7B, 0x7D, 0x7B, 0x7D, 0x5D


def _long_digit_runs(arr: np.ndarray) -> np.ndarray:
    """Start positions of every run of 19 or more ASCII digits in ``arr`` (an int64 may
    overflow there: ``ijson`` refuses such integers, ``orjson`` reads them)."""
    import numpy as np

    m = (arr - np.uint8(0x30)) < 10
    for shift in (1, 2, 4, 8, 3):  # runs of >= 2, 4, 8, 16, 19 digits
        if len(m) <= shift:
            return np.empty(0, np.int64)
        m = m[:-shift] & m[shift:]
    return np.flatnonzero(m)


def _string_quotes(arr: np.ndarray, buf: bytes) -> np.ndarray:
    """Positions of the quotes of ``buf`` (``arr``: its bytes as uint8) that open or close a
    string: every quote but those after an odd run of backslashes. A position ``p`` is
    inside a string when ``searchsorted(quotes, p)`` is odd."""
    import numpy as np

    quotes = np.flatnonzero(arr == _QUOTE)
    if len(quotes):
        escaped = quotes[arr[quotes - 1] == _BACKSLASH]
        if len(escaped) and escaped[0] == 0:
            escaped = escaped[1:]
        if len(escaped):
            drop = []
            for q in escaped.tolist():
                j = q - 1
                while j >= 0 and buf[j] == _BACKSLASH:
                    j -= 1
                if (q - 1 - j) & 1:
                    drop.append(q)
            if drop:
                quotes = np.setdiff1d(quotes, np.array(drop, np.int64), assume_unique=True)
    return quotes


def _scan_tasks(fh, *, parse: bool = True) -> Iterator[tuple[dict | None, bytes | None, int]]:
    """Cut a JSON array of objects into its elements: ``(task, raw, end)`` with the parsed
    task, its bytes (None when ``ijson`` parsed it, see :func:`iter_export_raw`) and the file
    position after it. ``fh`` is positioned at the array (leading whitespace allowed). With
    ``parse=False`` the task is None and ``raw`` the element's bytes, unchecked inside (see
    :func:`parse_task`).

    Exact for a well-formed array of objects: a quote is a string delimiter unless an odd run
    of backslashes precedes it, and brackets outside strings give the depth. Every element is
    parsed by ``orjson`` (strict RFC 8259) and everything between elements must be JSON
    whitespace and one comma, so what is yielded is exactly what a JSON parser reads. Raises
    :class:`Irregular` at the first thing that is not (invalid JSON, an element that is not an
    object, text after the array...), after yielding every element before it.
    """
    import numpy as np  # here, not at the top: the import's workers never need it

    buf = fh.read(_BLOCK).lstrip(_WS)
    base = fh.tell() - len(buf)  # file position of buf[0]
    if buf[:1] != b"[":
        raise Irregular
    buf = buf[1:]
    base += 1
    first = True
    eof = False
    while True:
        arr = np.frombuffer(buf, np.uint8)
        quotes = _string_quotes(arr, buf)
        folded = arr | 0x20  # '[' -> '{', ']' -> '}'
        opens = folded == _OPEN
        marks = np.flatnonzero(opens | (folded == _CLOSE))
        marks = marks[(np.searchsorted(quotes, marks) & 1) == 0]  # outside strings
        delta = np.where(opens[marks], 1, -1)
        depth = np.cumsum(delta)
        check_depth(depth, marks, base, fh)  # before anything parses what nests too deep (memory)
        done = np.flatnonzero(depth <= 0)
        stop = len(marks)
        closing = -1  # position of the array's ']' in buf, if met
        bounds: list[tuple[int, int]] = []
        if len(done):
            ends = marks[done]
            levels = depth[done]
            negative = np.flatnonzero(levels < 0)
            if len(negative):
                closing = int(ends[negative[0]])
                ends = ends[: negative[0]]
            starts = marks[(depth == 1) & (delta == 1)][: len(ends)]
            bounds = list(zip(starts.tolist(), ends.tolist()))
        long_runs = _long_digit_runs(arr) if parse else ()
        if len(long_runs):
            long_runs = long_runs[(np.searchsorted(quotes, long_runs) & 1) == 0].tolist()
        prev = 0
        for start, end in bounds:
            sep = buf[prev:start].strip(_WS)
            if sep != (b"" if first else b",") or buf[start] != _LBRACE or buf[end] != _RBRACE:
                raise Irregular
            raw = buf[start : end + 1]
            task = None
            if not parse:
                first = False
                prev = end + 1
                yield None, raw, base + prev
                continue
            if not any(start < r < end for r in long_runs):
                try:
                    task = orjson.loads(raw)
                except orjson.JSONDecodeError:
                    pass
            if task is None:  # what only ijson reads (or nobody): the exact reader decides
                try:
                    task = next(ijson.items(raw, "", use_float=True))
                except Exception:  # noqa: BLE001 - whatever it is, the exact reader raises it again in its words
                    raise Irregular from None
                raw = None
            first = False
            prev = end + 1
            yield task, raw, base + prev
        if closing >= 0:
            if buf[closing] != _RBRACKET or buf[prev:closing].strip(_WS) or buf[closing + 1 :].strip(_WS):
                raise Irregular  # a trailing comma, or anything after the array
            while block := fh.read(_BLOCK):
                if block.strip(_WS):
                    raise Irregular
            return
        if eof:
            raise Irregular  # truncated
        tail = buf[prev:]
        block = fh.read(max(_BLOCK, len(tail)))
        eof = not block
        base += prev
        buf = tail + block


def _user_id(value: object, *, fallback_name: object = None) -> int | None:
    if isinstance(value, dict):
        value = value.get("id")
    if isinstance(value, int) and not isinstance(value, bool):
        return value if value > 0 else None
    # Drafts give ``user`` as an e-mail and ``created_username`` as "Name email, <id>".
    if isinstance(fallback_name, str) and ", " in fallback_name:
        tail = fallback_name.rsplit(", ", 1)[1].strip()
        if tail.isdigit():
            return int(tail)
    return None


def _int_or_none(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def convert_task(
    task: dict,
    *,
    index: int,
    record: ArticleRecord,
    scheme: Scheme,
    offset_unit: OffsetUnit = "codepoint",
    file: str | None = None,
) -> tuple[list[Annotation], list[ImportWarning]]:
    """Convert the annotations and drafts of one exported task against its ``record``.

    Pure: reads and writes nothing. Raises :class:`ExportError` when the task's text or
    ``text_sha256`` differs from the record's, or when any result cannot be converted.
    """
    warnings: list[ImportWarning] = []
    annotations = [
        _annotation(dict(header, sentence_labels=conv.sentence_labels, spans=conv.spans, relations=conv.relations), name, path, file)
        for header, conv, name, path in _converted(task, index, record, scheme, offset_unit, file, warnings)
    ]
    return annotations, warnings


def convert_task_plain(
    task: dict,
    *,
    index: int,
    record: ArticleRecord,
    scheme: Scheme,
    offset_unit: OffsetUnit = "codepoint",
    file: str | None = None,
) -> tuple[list[dict], list[ImportWarning]]:
    """:func:`convert_task` with each annotation in JSON form: exactly what
    ``Annotation.model_dump(mode="json")`` gives for the annotation :func:`convert_task`
    returns, without building a model for every span, relation and sentence label (the
    annotation's other fields are validated by the model as always; the layers are valid by
    construction). Same errors in the same order, same warnings.
    """
    warnings: list[ImportWarning] = []
    annotations = []
    for header, conv, name, path in _converted(task, index, record, scheme, offset_unit, file, warnings):
        data = _annotation(header, name, path, file).model_dump(mode="json")
        data["sentence_labels"], data["spans"], data["relations"] = conv.sentence_labels, conv.spans, conv.relations
        annotations.append(data)
    return annotations, warnings


def _annotation(fields: dict, name: str, path: str, file: str | None) -> Annotation:
    try:
        return Annotation(**fields)
    except ValidationError as exc:
        err = exc.errors()[0]
        field_path = ".".join(str(p) for p in err["loc"])
        raise ExportError(f"{name}: {field_path}: {err['msg']}", file=file, where=path, code="invalid-result") from exc


def _converted(
    task: dict, index: int, record: ArticleRecord, scheme: Scheme, offset_unit: OffsetUnit, file: str | None,
    warnings: list[ImportWarning],
) -> Iterator[tuple[dict, PlainConverted, str, str]]:
    """Each annotation and draft of ``task``, converted: ``(the Annotation's fields but its
    three layer lists, the converted layers, its readable name, its JSON path)``, in export
    order (annotations, then drafts); warnings are appended to ``warnings`` as met. Raises
    :class:`ExportError` as :func:`convert_task`."""
    where = f"$[{index}]"
    data = task.get("data") or {}
    task_id = _int_or_none(task.get("id"))
    label = f"task {task_id} (article {record.id})"
    if data.get("text_sha256") != record.text_sha256 or data.get("text") != record.text:
        field_name = "text_sha256" if data.get("text_sha256") != record.text_sha256 else "text"
        problem = "is missing" if field_name not in data else "differs from the article record's"
        raise ExportError(
            f"{label}: data.{field_name} {problem}; offsets made against another text are refused",
            file=file,
            where=f"{where}.data.{field_name}",
            code="text-hash-mismatch",
            hint="push the current tasks with `newscorpus tasks` / `newscorpus ls push` and annotate those",
        )
    items = [("annotations", a) for a in task.get("annotations") or []] + [("drafts", d) for d in task.get("drafts") or []]
    counters = {"annotations": 0, "drafts": 0}
    seen_ids: set[str] = set()
    for kind, raw in items:
        pos = counters[kind]
        counters[kind] += 1
        path = f"{where}.{kind}[{pos}]"
        if not isinstance(raw, dict):  # drafts exported as bare ids carry no result
            raise ExportError(f"{label}: {kind} entry {raw!r} is not an object", file=file, where=path, code="invalid-result",
                              hint="export with drafts expanded (`newscorpus ls pull` does)")
        raw_id = _int_or_none(raw.get("id"))
        if raw_id is None:
            raise ExportError(f"{label}: {kind[:-1]} has no integer id", file=file, where=f"{path}.id", code="invalid-result")
        project = _int_or_none(raw.get("project")) or _int_or_none(task.get("project"))
        # Annotation ids are unique per Label Studio project, not across projects: the
        # record id carries the project, so two projects' "annotation 1" never collide.
        scope = f"ls-p{project}-" if project is not None else "ls-"
        if kind == "drafts":
            status, ann_id = "draft", f"{scope}d{raw_id}"
            user = _user_id(raw.get("user"), fallback_name=raw.get("created_username"))
        else:
            cancelled = raw.get("was_cancelled", False)
            if not isinstance(cancelled, bool):
                raise ExportError(f"{label}, annotation {raw_id}: was_cancelled must be true or false, found {cancelled!r}",
                                  file=file, where=f"{path}.was_cancelled", code="invalid-result")
            status, ann_id = ("cancelled" if cancelled else "submitted"), f"{scope}a{raw_id}"
            user = _user_id(raw.get("completed_by"))
        if ann_id in seen_ids:
            raise ExportError(f"{label}: two {kind} have the id {raw_id}", file=file, where=f"{path}.id", code="duplicate-id")
        seen_ids.add(ann_id)
        if user is None:
            raise ExportError(
                f"{label}, {kind[:-1]} {raw_id}: no Label Studio user id (completed_by/user)",
                file=file, where=path, code="missing-annotator",
            )
        name = f"{label}, {'draft' if kind == 'drafts' else 'annotation'} {raw_id}"
        conv = convert_results_plain(
            raw.get("result") or [], text=record.text, sentences=record.sentences, scheme=scheme,
            offset_unit=offset_unit, file=file, path=path, name=name,
        )
        warnings.extend(conv.warnings)
        # The layers are valid by construction: the first invalid field, if any, is one of these.
        header = {
            "id": ann_id,
            "annotator": f"ls-{user}",
            "status": status,
            "ground_truth": bool(raw.get("ground_truth", False)),
            "origin": {"tool": "label-studio", "project": project, "task": task_id, "annotation": raw_id},
            "created_at": raw.get("created_at"),
            "updated_at": raw.get("updated_at"),
            "lead_time": raw.get("lead_time"),
            "article_labels": conv.article_labels,
            "note": conv.note,
        }
        yield header, conv, name, path

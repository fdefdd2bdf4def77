"""The fast export reader (``scan.scan_tasks``) against the exact one (``ijson``).

``iter_export`` cuts tasks out of the file with a vectorised scan and parses them with
orjson; at the first irregularity it reads the file again with ijson. Whatever the file,
it must yield the same tasks and raise the same error, message included, as the ijson
reader alone (``iter_export_exact``: the reader of earlier versions), also when a task, an
escape sequence or a bracket straddles two read blocks (``scan.READ_BLOCK``).
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

import orjson
import pytest

from newscorpus.errors import ExportError
from newscorpus.importers.labelstudio import scan
from newscorpus.importers.labelstudio.export import iter_export, iter_export_exact, iter_export_raw

from tests.unit.importers.bench_corpus import bench_corpus

TASKS = [
    {"id": 1, "data": {"text": "Qin Gang met 😀 “Café” {x} [y]", "article_id": "a"}, "annotations": [{"id": 2, "result": [
        {"value": {"start": 0, "end": 3, "text": "Qin", "labels": ["PERSON"]}, "id": "e1", "type": "labels"}]}],
     "lead_time": 12.5, "n": -0.0},
    {"id": 2, "data": {"text": 'quotes "a" \\" back\\\\slash \\\\" }]{[ \n\t\u2028', "article_id": "b"}, "annotations": [],
     "drafts": [], "predictions": [{"id": 5, "result": []}], "floats": [0.1, 1e-07, 2.5e-300, 1.7976931348623157e308]},
    {"id": 3, "data": {"article_id": "c", "nested": {"a": [[], {}, [{"b": None}]], "t": True, "f": False}},
     "big": 1234567890123456789, "digits": "12345678901234567890123"},
]


def _outcome(reader, path: Path):
    """(tasks yielded, error as (class, str, code, where, hint) or None)."""
    got = []
    try:
        for task in reader(path):
            got.append(task)
    except ExportError as exc:
        return got, (type(exc).__name__, str(exc), exc.code, exc.where, exc.hint)
    except Exception as exc:  # noqa: BLE001 - whatever the exact reader raises, the fast one must too
        return got, (type(exc).__name__, str(exc))
    return got, None


def _exact(path: Path):
    return iter_export_exact(path)


def _cases() -> dict[str, bytes]:
    compact = orjson.dumps(TASKS)
    one, two, three = (orjson.dumps(t) for t in TASKS)
    cases = {
        "compact": compact,
        "indented": json.dumps(TASKS, indent=2, ensure_ascii=False).encode(),
        "ascii-escapes": json.dumps(TASKS).encode(),
        "bom-and-whitespace": b"\xef\xbb\xbf \r\n\t" + json.dumps(TASKS, indent=1).encode() + b"\n \n",
        "empty-array": b"[]",
        "empty-array-spaced": b" [ \n ] \n",
        "trailing-comma": compact[:-1] + b",]",
        "text-after": compact + b" x",
        "two-arrays": compact + b"[]",
        "number-element": b"[" + one + b", 3, " + two + b"]",
        "list-element": b"[" + one + b", [1]]",
        "string-element": b"[" + one + b', "a{"]',
        "double-comma": b"[" + one + b",," + two + b"]",
        "missing-comma": b"[" + one + b" " + two + b"]",
        "leading-comma": b"[," + one + b"]",
        "unclosed": compact[:-1],
        "form-feed-first": b"\x0c" + compact,
        "comment": b"[" + one + b", /* c */ " + two + b"]",
        "mismatched-bracket": b'[{"a": [1}]',
        "deep": b'[{"a": ' + b"[" * 1100 + b"]" * 1100 + b"}]",
        "duplicate-keys": b'[{"a": 1, "b": 2, "a": 3}]',
        "backslash-outside": b'[{"a": 1}\\, {"b": 2}]',
        "int64-max": b"[" + one + b', {"n": 9223372036854775807, "m": -9223372036854775808}]',
        "int64-over": b"[" + one + b', {"n": 9223372036854775808}, ' + three + b"]",
        "int-huge": b"[" + one + b', {"n": 123456789012345678901234567890}]',
        "float-long": b'[{"x": 12345678901234567890.5, "y": 3.141592653589793238462643383279, "z": 1E+2}]',
        "lone-surrogate": b"[" + one + b', {"x": "\\ud800"}, ' + three + b"]",
        "nan": b"[" + one + b', {"v": NaN}]',
        "infinity": b"[" + one + b', {"v": 1e999}]',
        "invalid-utf8": b"[" + one + b', {"x": "\xff"}]',
        "control-char": b"[" + one + b', {"x": "a\x01b"}]',
        "utf8-surrogate": b"[" + one + b', {"x": "\xed\xa0\x80"}]',
    }
    rng = random.Random(6)
    for k in range(30):
        cases[f"truncated-{k}"] = compact[: rng.randrange(1, len(compact))]
    for k in range(40):
        pos = rng.randrange(1, len(compact))
        cases[f"changed-byte-{k}"] = compact[:pos] + bytes([rng.choice(b'{}[]",:\\ax0 ')]) + compact[pos + 1 :]
    return cases


CASES = _cases()


@pytest.mark.parametrize("block", [1 << 20, 64, 7, 1])
@pytest.mark.parametrize("name", sorted(CASES))
def test_fast_reader_yields_and_raises_exactly_what_ijson_does(tmp_path, monkeypatch, name, block):
    monkeypatch.setattr(scan, "READ_BLOCK", block)
    path = tmp_path / "export.json"
    path.write_bytes(CASES[name])
    fast, exact = _outcome(iter_export, path), _outcome(_exact, path)
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(10_000)  # the "deep" case nests 1,100 lists
    try:
        assert repr(fast) == repr(exact)  # repr: -0.0 and 0.0, 1 and 1.0 are equal but not the same
    finally:
        sys.setrecursionlimit(limit)


def test_raw_bytes_are_each_tasks_own_text(tmp_path):
    path = tmp_path / "export.json"
    path.write_bytes(json.dumps(TASKS, indent=2, ensure_ascii=False).encode())
    pairs = list(iter_export_raw(path))
    assert [task for task, _ in pairs] == TASKS
    assert [raw is None for _, raw in pairs] == [False, False, True]  # 19 digits: read by ijson
    assert all(orjson.loads(raw) == task for task, raw in pairs[:2])
    assert pairs[0][1].startswith(b'{\n    "id": 1,') and pairs[0][1].endswith(b"\n  }")


def test_tasks_only_ijson_reads_come_without_bytes(tmp_path):
    path = tmp_path / "export.json"
    one = orjson.dumps(TASKS[0])
    path.write_bytes(b"[" + one + b', {"n": -9223372036854775808}]')
    with pytest.raises(ExportError, match="integer overflow"):  # yajl (use_float) refuses int64's minimum
        list(iter_export_raw(path))
    path.write_bytes(b"[" + one + b', {"x": "\\ud800"}, {"n": 9223372036854775807}, ' + one + b"]")
    pairs = list(iter_export_raw(path))
    assert [raw is None for _, raw in pairs] == [False, True, True, False]
    assert [task for task, _ in pairs] == list(_exact(path))
    assert [task for task, _ in pairs[1:3]] == [{"x": "?"}, {"n": 9223372036854775807}]  # yajl writes '?' for it


def test_progress_reports_the_byte_after_each_task(tmp_path):
    path = tmp_path / "export.json"
    data = orjson.dumps(TASKS)
    path.write_bytes(data)
    seen: list[int] = []
    list(iter_export(path, progress=seen.append))
    ends = [data.index(b',{"id":2'), data.index(b',{"id":3'), len(data) - 1]
    assert seen == ends


def test_the_bench_shaped_export_reads_the_same_both_ways(tmp_path):
    _, export = bench_corpus(tmp_path, 12)
    fast = list(iter_export_raw(export))
    assert [task for task, _ in fast] == list(_exact(export))
    assert all(orjson.loads(raw) == task for task, raw in fast)

"""The import cache: a re-import of an unchanged export answers its tasks from the cache,
with exactly the report and bytes of a full import; anything that changed is imported in full."""

from __future__ import annotations

import hashlib
import json
import os
import random
import re
from pathlib import Path

import orjson
import pytest

from newscorpus.core.scheme import default_scheme
from newscorpus.importers.cache import CACHE_ENV, ImportCache, cache_root, task_digest
from newscorpus.importers.run import import_export
from newscorpus.records.io import dump_record_bytes, read_record

from tests.support.team import copy_folder, hidden, make_corpus, snapshot

N = 6


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    return make_corpus(tmp_path_factory.mktemp("cache"), N)


def _fields(report) -> tuple:
    """Everything a report says but ``cached``."""
    return (report.tasks, report.annotations, report.written, report.unchanged, report.predictions,
            [str(w) for w in report.warnings], report.refused)


def _reference(corpus: Path, tmp_path: Path, export: Path, monkeypatch, *, before: Path | None = None):
    """The import of ``export`` into a copy of ``before`` (or the corpus's records) without any cache."""
    folder = copy_folder(before or corpus / "annotations", tmp_path / "reference")
    with monkeypatch.context() as m:
        m.setenv(CACHE_ENV, "off")
        report = import_export(export, annotations_dir=folder, workers=1)
    return report, folder


@pytest.mark.parametrize("workers", [1, 2])
def test_a_reimport_of_an_unchanged_export_answers_every_task_from_the_cache(corpus, tmp_path, workers):
    folder = copy_folder(corpus / "annotations", tmp_path / "annotations")
    first = import_export(corpus / "export.json", annotations_dir=folder, workers=workers)
    assert (first.cached, len(first.written)) == (0, N)
    after_first = snapshot(folder)
    again = import_export(corpus / "export.json", annotations_dir=folder, workers=workers)
    assert again.cached == N
    assert (again.written, again.unchanged) == ([], sorted(folder.glob("*.json")))
    assert again.annotations == first.annotations == {"submitted": 2 * N, "cancelled": 0, "draft": 0}
    assert snapshot(folder) == after_first
    assert hidden(folder) == []  # the cache lives outside the annotations folder


def test_the_cached_report_is_the_full_report(corpus, tmp_path, monkeypatch):
    folder = copy_folder(corpus / "annotations", tmp_path / "annotations")
    import_export(corpus / "export.json", annotations_dir=folder, workers=1)
    imported = copy_folder(folder, tmp_path / "imported")
    again = import_export(corpus / "export.json", annotations_dir=folder, workers=2)
    full, ref = _reference(corpus, tmp_path, corpus / "export.json", monkeypatch, before=imported)
    assert (again.cached, full.cached) == (N, 0)
    assert _fields(again)[:2] == _fields(full)[:2] and _fields(again)[4:] == _fields(full)[4:]
    assert [p.name for p in again.unchanged] == [p.name for p in full.unchanged] and again.written == full.written == []


def test_a_record_edited_by_hand_is_imported_in_full(corpus, tmp_path, monkeypatch):
    folder = copy_folder(corpus / "annotations", tmp_path / "annotations")
    import_export(corpus / "export.json", annotations_dir=folder, workers=1)
    imported = snapshot(folder)
    first, second = sorted(folder.glob("*.json"))[:2]
    record = read_record(first)
    record.annotations = record.annotations[:1]  # an annotation removed by hand, the record still canonical
    first.write_bytes(dump_record_bytes(record, default_scheme()))
    data = orjson.loads(second.read_bytes())  # the same bytes but one: a span's label edited
    data["annotations"][0]["spans"][0]["label"] = "ORG" if data["annotations"][0]["spans"][0]["label"] != "ORG" else "PER"
    second.write_bytes(orjson.dumps(data, option=orjson.OPT_INDENT_2) + b"\n")
    again = import_export(corpus / "export.json", annotations_dir=folder, workers=2)
    assert again.cached == N - 2
    assert again.written == [first, second]
    assert snapshot(folder) == imported  # the export's annotations are back, as a full import puts them


def test_a_changed_task_is_imported_in_full(corpus, tmp_path):
    folder = copy_folder(corpus / "annotations", tmp_path / "annotations")
    tasks = json.loads((corpus / "export.json").read_bytes())
    same = tmp_path / "same.json"  # the export written as the changed one is below (json.dumps)
    same.write_text(json.dumps(tasks, ensure_ascii=False), encoding="utf-8")
    import_export(same, annotations_dir=folder, workers=1)
    tasks[2]["annotations"][0]["updated_at"] = "2030-01-01T00:00:00Z"
    tasks[2]["annotations"][0]["lead_time"] = 99.5
    changed = tmp_path / "changed.json"
    changed.write_text(json.dumps(tasks, ensure_ascii=False), encoding="utf-8")
    report = import_export(changed, annotations_dir=folder, workers=1)
    assert report.cached == N - 1
    assert report.written == [folder / f"{tasks[2]['data']['article_id']}.json"]


def test_an_article_with_two_tasks_is_never_answered(corpus, tmp_path):
    folder = copy_folder(corpus / "annotations", tmp_path / "annotations")
    tasks = json.loads((corpus / "export.json").read_bytes())
    doubled, single = tmp_path / "doubled.json", tmp_path / "single.json"
    doubled.write_text(json.dumps([*tasks, tasks[0]], ensure_ascii=False), encoding="utf-8")
    single.write_text(json.dumps(tasks, ensure_ascii=False), encoding="utf-8")
    import_export(doubled, annotations_dir=folder, workers=1)
    report = import_export(doubled, annotations_dir=folder, workers=1)
    assert (report.cached, report.tasks) == (N - 1, N + 1)  # not tasks[0], twice in the export
    # the first task of its article, once its other task is gone, is answered again after one full import
    assert import_export(single, annotations_dir=folder, workers=1).cached == N - 1
    assert import_export(single, annotations_dir=folder, workers=1).cached == N


def test_other_options_or_a_broken_cache_file_import_in_full(corpus, tmp_path, monkeypatch):
    folder = copy_folder(corpus / "annotations", tmp_path / "annotations")
    import_export(corpus / "export.json", annotations_dir=folder, workers=1)
    snap = snapshot(folder)
    assert import_export(corpus / "export.json", annotations_dir=folder, workers=1, tool_version="1.23.2").cached == 0
    assert import_export(corpus / "export.json", annotations_dir=folder, workers=1, tool_version="1.23.2").cached == N
    (path,) = (cache_root() / "import").glob(f"{ImportCache.load(folder, {}).path.name}")
    path.write_bytes(b"{not json")
    report = import_export(corpus / "export.json", annotations_dir=folder, workers=1, tool_version="1.23.2")
    assert (report.cached, report.written) == (0, [])
    assert orjson.loads(path.read_bytes())["version"] == 1  # written again whole
    assert snapshot(folder) != snap  # the tool version reached every annotation's origin


def test_off_writes_no_cache(corpus, tmp_path, monkeypatch):
    monkeypatch.setenv(CACHE_ENV, "off")
    folder = copy_folder(corpus / "annotations", tmp_path / "annotations")
    import_export(corpus / "export.json", annotations_dir=folder, workers=1)
    assert import_export(corpus / "export.json", annotations_dir=folder, workers=1).cached == 0
    assert cache_root() is None


def test_an_unwritable_cache_folder_costs_nothing_but_time(corpus, tmp_path, monkeypatch):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    monkeypatch.setenv(CACHE_ENV, str(blocker))
    folder = copy_folder(corpus / "annotations", tmp_path / "annotations")
    first = import_export(corpus / "export.json", annotations_dir=folder, workers=1)
    again = import_export(corpus / "export.json", annotations_dir=folder, workers=1)
    assert (len(first.written), again.cached, again.written) == (N, 0, [])
    assert os.path.isfile(blocker)


@pytest.mark.parametrize("seed", range(4))
def test_seeded_random_changes_give_the_full_import_s_report_and_bytes(corpus, tmp_path, monkeypatch, seed):
    """Tasks changed, doubled or dropped, records edited by hand: the import with the cache
    writes what the import without it writes, and reports the same."""
    import random

    rng = random.Random(seed)
    tasks = json.loads((corpus / "export.json").read_bytes())
    base = tmp_path / "base.json"
    base.write_text(json.dumps(tasks, ensure_ascii=False), encoding="utf-8")
    folder = copy_folder(corpus / "annotations", tmp_path / "annotations")
    import_export(base, annotations_dir=folder, workers=1)
    for path in rng.sample(sorted(folder.glob("*.json")), 2):  # edited by hand
        record = read_record(path)
        record.annotations = record.annotations[rng.randrange(2):][:1]
        path.write_bytes(dump_record_bytes(record, default_scheme()))
    changed = [dict(t) for t in tasks]
    for t in rng.sample(changed, 2):
        t["annotations"] = [dict(a, lead_time=rng.random()) for a in t["annotations"]]
    changed = rng.sample(changed, len(changed) - 1) + [changed[rng.randrange(len(changed))]]
    export = tmp_path / "changed.json"
    export.write_text(json.dumps(changed, ensure_ascii=False), encoding="utf-8")
    before = copy_folder(folder, tmp_path / "before")
    cached = import_export(export, annotations_dir=folder, workers=rng.choice([1, 2]))
    full, ref = _reference(corpus, tmp_path, export, monkeypatch, before=before)
    assert cached.cached > 0
    assert snapshot(folder) == snapshot(ref)
    assert _fields(cached)[:2] == _fields(full)[:2] and _fields(cached)[4:] == _fields(full)[4:]
    assert [p.name for p in cached.written] == [p.name for p in full.written]
    assert [p.name for p in cached.unchanged] == [p.name for p in full.unchanged]


def test_label_studio_s_relative_ages_do_not_make_a_task_new(corpus, tmp_path):
    """Label Studio writes "created_ago": "1 minute" into annotations and predictions: the
    next export of an unchanged project says "2 minutes", and nothing reads it."""
    folder = copy_folder(corpus / "annotations", tmp_path / "annotations")
    tasks = json.loads((corpus / "export.json").read_bytes())

    def export(age: str, name: str) -> Path:
        aged = [dict(t, annotations=[dict(a, created_ago=age) for a in t["annotations"]],
                     predictions=[dict(p, created_ago=age) for p in t.get("predictions") or []]) for t in tasks]
        path = tmp_path / name
        path.write_text(json.dumps(aged, ensure_ascii=False), encoding="utf-8")
        return path

    import_export(export("1\u00a0minute", "one.json"), annotations_dir=folder, workers=1)
    assert import_export(export("2\u00a0minutes", "two.json"), annotations_dir=folder, workers=2).cached == N
    assert task_digest(b'{"a": 1, "created_ago": "1 minute"}') == task_digest(b'{"a": 1, "created_ago": "3 days"}')
    assert task_digest(b'{"a": "\\"created_ago\\": \\"1\\""}') != task_digest(b'{"a": "\\"created_ago\\": \\"2\\""}')


#: The reference form of the ages' cut (the oracle of ``task_digest``): one ``re.sub`` of
#: the pattern over the whole text.
_REFERENCE_AGES = re.compile(rb'"(?:created|updated)_ago"[ \t\n\r]*:[ \t\n\r]*"[^"\\]*"')


def _reference_task_digest(raw: bytes) -> str:
    return hashlib.sha256(_REFERENCE_AGES.sub(b"", raw)).hexdigest()[:32]


@pytest.mark.parametrize("seed", range(4))
def test_task_digest_cuts_what_one_substitution_of_the_pattern_cuts(seed):
    """The shipped cut looks for the ages with ``bytes.find``; the reference substitutes the
    pattern over the whole text: seeded random texts full of near misses give the same digest."""
    rng = random.Random(seed)
    pieces = [b'"created_ago"', b'"updated_ago"', b'_ago"', b'"created', b'"updated', b'"x_ago"', b": ", b":", b" ", b"\n",
              b'"', b"\\", b'\\"', b"2 minutes", b"an hour", b",", b"{", b"}", b'"a"', b"1", b"\xc3\xa9", b"created_ago", b"ago"]
    for _ in range(2000):
        raw = b"".join(rng.choice(pieces) for _ in range(rng.randrange(0, 30)))
        assert task_digest(raw) == _reference_task_digest(raw), raw
    real = b'{"id": 1, "annotations": [{"id": 2, "created_ago": "1\xc2\xa0minute", "updated_ago" :\n "3 days"}], "x": "_ago\\""}'
    assert task_digest(real) == _reference_task_digest(real) == _reference_task_digest(real.replace(b"3 days", b"4 days"))


def test_each_task_brings_only_its_article_s_entry_to_the_workers(tmp_path):
    """The ledger gives the first task of a cached article its (task digest, entry), and
    nothing to a later task of it, to an uncached or new article: the workers never hold the
    cache (a copy in each worker took a re-import of 100,000 tasks to 345 MB)."""
    from newscorpus.importers.cache import answer
    from newscorpus.importers.payloads import TaskLedger

    entries = {"d-a": ("r-a", "a", True, 1, 0, 0, 0), "d-b": ("r-b", "b", True, 2, 0, 0, 1)}
    ledger = TaskLedger(ImportCache(None, "ctx", entries), str(tmp_path), frozenset({"b"}))
    assert ledger.asks == {"a": ("d-a", entries["d-a"]), "b": ("d-b", entries["d-b"])}
    raw = b'{"data": {"article_id": "a"}}'
    assert ledger.item(0, raw, "a", True, raw)[5] == ("d-a", entries["d-a"])
    assert ledger.item(1, raw, "a", True, raw)[5] is None  # a second task of the article
    assert ledger.item(2, raw, "b", True, raw)[5] is None  # a new record
    assert ledger.item(3, raw, "c", True, raw)[5] is None  # not in the cache
    record = tmp_path / "a.json"
    record.write_bytes(b"record bytes")
    entry = (hashlib.sha256(b"record bytes").hexdigest()[:32], *entries["d-a"][1:])
    assert answer(("d-a", entry), "d-a", "a", str(tmp_path)) == entry
    assert answer(("d-a", entry), "d-x", "a", str(tmp_path)) is None  # the task changed
    assert answer(("d-a", entry), "d-a", "b", str(tmp_path)) is None  # another article
    record.write_bytes(b"record bytes, edited")
    assert answer(("d-a", entry), "d-a", "a", str(tmp_path)) is None  # the record changed
    record.unlink()
    assert answer(("d-a", entry), "d-a", "a", str(tmp_path)) is None  # the record is gone

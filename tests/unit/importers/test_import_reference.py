"""The import's fast path against its reference forms (tests/unit/importers/oracles.py).

The import converts results and tasks straight into JSON form (``convert_results``,
``convert_task``, with an inline case for common regions), merges in JSON form
(``merge_annotations``) and writes with ``dump_record_data_bytes``; the oracles do the same
one result at a time on the pydantic models. Over the import tests' tasks and over seeded
random mutations of them, both must give the same annotations, records (byte for byte),
warnings, or error (class, code, place, and the result it names). Whole imports are held
to the oracle pipeline with ``newscorpus validate``'s own verdict on what it would write.
"""

from __future__ import annotations

import copy
import json
import random
import shutil
from pathlib import Path

import pytest

from newscorpus.core.models import Gold
from newscorpus.core.scheme import default_scheme
from newscorpus.errors import ExportError
from newscorpus.importers.labelstudio.export import iter_export
from newscorpus.importers.labelstudio.results import convert_results
from newscorpus.importers.labelstudio.task import convert_task
from newscorpus.importers.merge import merge_annotations
from newscorpus.importers.run import import_export
from newscorpus.records.io import dump_record_data_bytes, read_record
from newscorpus.validate.run import validate_record

from tests.support import SMALL_TEXT
from tests.unit.importers.bench_corpus import bench_corpus
from tests.unit.importers.oracles import merge_models, reference_results, reference_task
from tests.unit.importers.test_import import BASIC, annotation, choices, region, relation, task
from tests.unit.records.oracles import dump_models

SCHEME = default_scheme()
NOTE = {"id": "e2", "from_name": "span_note", "to_name": "text", "type": "textarea", "value": {"text": ["why?"]}}
ANN_NOTE = {"id": "n", "from_name": "note", "to_name": "text", "type": "textarea", "value": {"text": "a", "start": 0}}

#: Tasks of every shape the import tests use, for the small article.
TASKS = [
    task([annotation(21, 3, BASIC)]),
    task([annotation(21, 3, BASIC), annotation(22, 4, BASIC[:2], was_cancelled=True)],
         drafts=[{"id": 9, "user": "x@example.org", "created_username": "X x@example.org, 8", "result": BASIC[2:4],
                  "lead_time": 3, "created_at": "2026-11-01T09:00:00+02:00", "updated_at": None}]),
    task([annotation(23, {"id": 5}, BASIC[3:5] + [relation("p1", "q1", direction="left"), NOTE | {"id": "p1"}, ANN_NOTE],
                     lead_time=1e-07, ground_truth=True)]),
    task([annotation(24, 3, [region("e1", "entity", 12, 30, "PERSON"), region("e2", "entity", 81, 88, "GPE"),
                             region("x1", "attribution", 33, 53, "QUOTE", text="Naypyidaw. “We agree"),
                             region("e3", "entity", 0, 8, "PERSON", text=None) | {"value": {"start": 0, "end": 8, "labels": ["PERSON"]}},
                             region("s0", "sentence", 0, 43, "SENTENCE"), choices("s0", "discourse_role", ["MAIN_EVENT"], 0, 43),
                             choices("f", "frames", ["Political", "Economic"])])]),
    task([annotation(25, 3, [], project=None)], project=None),
]


def _error(exc: ExportError) -> tuple:
    return ("error", type(exc).__name__, exc.code, exc.where)


def _same_error(fast: ExportError, reference: ExportError) -> None:
    """Same class, code and place, and the fast message names what the reference blames."""
    assert _error(fast) == _error(reference)
    assert fast.message.startswith(reference.message + ":"), (fast.message, reference.message)


@pytest.mark.parametrize("index", range(len(TASKS)))
def test_annotations_are_the_reference_models_dumped(small_corpus, index):
    record = read_record(small_corpus / "small.json")
    models, warnings = reference_task(TASKS[index], index=0, record=record, scheme=SCHEME)
    plain, plain_warnings = convert_task(TASKS[index], index=0, record=record, scheme=SCHEME)
    assert plain == [m.model_dump(mode="json") for m in models]
    assert [list(p) for p in plain] == [list(m.model_dump(mode="json")) for m in models]  # key order too
    assert plain_warnings == warnings


@pytest.mark.parametrize(
    "extra",
    [{"created_at": "yesterday"}, {"lead_time": -1}, {"lead_time": "soon"}, {"updated_at": "2026-11-01T09:00:00"}],
    ids=["date", "negative-lead-time", "text-lead-time", "naive-date"],
)
def test_field_errors_are_the_references(small_corpus, extra):
    record = read_record(small_corpus / "small.json")
    bad = task([annotation(21, 3, BASIC, **extra)])
    with pytest.raises(ExportError) as reference:
        reference_task(bad, index=0, record=record, scheme=SCHEME)
    with pytest.raises(ExportError) as fast:
        convert_task(bad, index=0, record=record, scheme=SCHEME)
    _same_error(fast.value, reference.value)
    assert fast.value.code == "invalid-result"


@pytest.mark.parametrize("gold", [None, "single", "adjudicated"])
@pytest.mark.parametrize("index", range(len(TASKS)))
def test_merge_is_the_model_merge(small_corpus, index, gold):
    record = read_record(small_corpus / "small.json")
    earlier, _ = reference_task(task([annotation(21, 3, BASIC[:1]), annotation(30, 4, BASIC[2:3])]), index=0, record=record,
                                scheme=SCHEME)
    record.annotations = earlier[:1] if gold == "single" else earlier
    if gold:
        record.gold = Gold(method=gold, decided_by=None if gold == "single" else "ls-9", from_annotations=["ls-p4-a21"],
                           spans=earlier[0].spans)
    models, _ = reference_task(TASKS[index], index=0, record=record, scheme=SCHEME)
    plain, _ = convert_task(TASKS[index], index=0, record=record, scheme=SCHEME)
    data, warnings = merge_annotations(record, plain)
    by_model = record.model_copy(deep=True)
    model_warnings = merge_models(by_model, models)
    assert dump_record_data_bytes(data, SCHEME) == dump_models(by_model, SCHEME)
    assert warnings == model_warnings
    assert [w.code for w in warnings] == (["gold-undecided"] if gold == "single" and index in (2, 3, 4) else [])


# --- results and whole imports over seeded random mutations ---------------------------------


def _outcome(convert, results, sentences, offset_unit="codepoint"):
    try:
        out = convert(results, text=SMALL_TEXT, sentences=sentences, scheme=SCHEME, offset_unit=offset_unit,
                      file="export.json", path="$[0].annotations[0]", name="task 1, annotation 2")
    except ExportError as exc:
        return exc
    dump = [x if isinstance(x, dict) else x.model_dump(mode="json") for x in (*out.spans, *out.relations, *out.sentence_labels)]
    return json.dumps([dump, out.article_labels, out.note, [str(w) for w in out.warnings]], ensure_ascii=False)


SPAN_LABELS = SCHEME.span_labels + ["PER"]


def _mutations(rng: random.Random, result: list) -> list:
    result = copy.deepcopy(result)
    if not result:
        return result
    item = rng.choice(result)
    if not isinstance(item, dict):
        return result
    if isinstance(item.get("value"), dict) and "start" in item["value"] and rng.random() < 0.3:  # move an offset, relabel
        value = item["value"]
        key = rng.choice(["start", "end", "labels"])
        moved = value[key] + rng.randrange(-4, 30) if type(value.get(key)) is int else 5
        value[key] = [rng.choice(SPAN_LABELS)] if key == "labels" else max(0, moved)
        if rng.random() < 0.7:
            value.pop("text", None)
        return result
    target = item.get("value", item) if rng.random() < 0.7 and isinstance(item.get("value"), dict) else item
    key = rng.choice(list(target) + ["start", "end", "text", "labels", "id", "type", "from_name", "direction", "choices"])
    target[key] = rng.choice([
        None, 0, 1, 7, 8, 9, 12, 13, 29, 30, 43, 44, 56, 58, 97, 98, 99, -1, 5.0, True, "", "e1", "e 1", "q1", "p1", "s1",
        "x" * 201, "Qin Gang", "PERSON", "PER", "GPE", "QUOTE", "SOURCE", "SENTENCE", "entity", "attribution", "sentence", "genre",
        "frames", "topic", "labels", "choices", "relation", "textarea", "left", "bi", "hypertextlabels", [], ["PERSON"],
        ["PERSON", "GPE"], ["SPEAKER"], ["reporting", "opinion"], ["Political", "Political"], [["x"]], {}, {"a": 1},
    ])
    if rng.random() < 0.2:
        result.append(copy.deepcopy(rng.choice(result)))
    if rng.random() < 0.2:
        result.insert(rng.randrange(len(result) + 1), rng.choice([3, "x", None, [], {"type": "labels"}]))
    return result


def _bare(item: dict) -> dict:
    """A region without its display text (offsets can then move freely)."""
    return item | {"value": {k: v for k, v in item["value"].items() if k != "text"}}


BASES = [BASIC, BASIC[3:5] + [relation("p1", "q1", direction="left"), NOTE | {"id": "p1"}, ANN_NOTE],
         TASKS[3]["annotations"][0]["result"], [region("e9", "entity", 8, 9, "PERSON")] + BASIC[:2],
         [region("y", "entity", 83, 89, "GPE", text="Yangon"), region("c", "entity", 68, 72, "PERSON", text="Café")] + BASIC[5:],
         [_bare(r) for r in BASIC[:5]] + [relation("q1", "p1"), relation("q1", "e2")]]


def test_results_convert_as_the_reference_converts(small_corpus):
    sentences = read_record(small_corpus / "small.json").sentences
    rng = random.Random(6)
    seen = set()
    for base in BASES:
        for unit in ("codepoint", "utf16"):
            for _ in range(350):
                results = _mutations(rng, base)
                for _ in range(rng.randrange(3)):
                    results = _mutations(rng, results)
                fast, reference = _outcome(convert_results, results, sentences, unit), _outcome(reference_results, results, sentences, unit)
                if isinstance(reference, ExportError):
                    assert isinstance(fast, ExportError), results
                    _same_error(fast, reference)
                    seen.add(reference.code)
                else:
                    assert fast == reference, results
                    seen.add("ok")
    assert {"ok", "span-out-of-bounds", "unknown-layer", "unknown-label", "duplicate-id", "missing-labels", "multiple-labels",
            "unknown-sentence", "span-text-mismatch", "invalid-result", "invalid-offsets", "unknown-result-type",
            "utf16-offsets", "undirected-relation", "dangling-relation"} <= seen


def _reference_import(tasks: list, folder: Path) -> tuple:
    """What an import of ``tasks`` into ``folder`` must do, by the oracles and the
    validator: ("error", class, code, where) or ("ok", {file name: bytes}); writes nothing."""
    current = {p.name: p.read_bytes() for p in folder.glob("*.json")}
    staged: dict[str, bytes] = {}
    for index, t in enumerate(tasks):
        name = "small.json"
        record = read_record(folder / name, staged.get(name, current[name]))
        try:
            models, _ = reference_task(t, index=index, record=record, scheme=SCHEME, file="export.json")
        except ExportError as exc:
            return _error(exc)
        if not models and name not in staged:
            continue
        try:
            merge_models(record, models)
        except ExportError as exc:
            return _error(exc)[:3]
        data = dump_models(record, SCHEME)
        if data != current[name]:
            violations = validate_record(json.loads(data), file=str(folder / name), scheme=SCHEME)
            if violations:
                return ("error", "ExportError", violations[0].rule)
        staged[name] = data
    return ("ok", current | staged)


def test_imports_write_what_the_reference_and_the_validator_say(small_corpus, tmp_path):
    rng, ids = random.Random(12), random.Random(5)  # ids: a stream of its own, so the tasks are those of before
    export = tmp_path / "export.json"
    seen = set()
    for n in range(150):
        folder = tmp_path / f"ann-{n}"
        shutil.copytree(small_corpus, folder)
        tasks = []
        for tid in range(rng.randrange(1, 4)):
            base = rng.choice(BASES[:4] + BASES[5:] * 3)
            results = _mutations(rng, base) if rng.random() < 0.8 else base
            # mostly one task id: one annotation id under two task ids is another annotation (a conflict)
            tasks.append(task([annotation(rng.choice([21, 22]), rng.choice([3, 4]), results)], tid=tid if ids.random() < 0.1 else 0))
        expected = _reference_import(tasks, folder)
        export.write_text(json.dumps(tasks, ensure_ascii=False), encoding="utf-8")
        try:
            import_export(export, annotations_dir=folder)
            got = ("ok", {p.name: p.read_bytes() for p in folder.glob("*.json")})
        except ExportError as exc:
            got = _error(exc)[: len(expected)]
            assert sorted(p.name for p in folder.iterdir()) == ["small.json"]  # nothing written, no staging left
        assert got == expected, tasks
        seen.add(expected[2] if expected[0] == "error" else "ok")
    assert {"ok", "span-overlap", "unknown-label", "span-out-of-bounds", "span-empty", "relation-endpoint",
            "annotation-conflict"} <= seen, seen


def test_the_bench_export_converts_as_the_reference_converts(tmp_path):
    annotations, export = bench_corpus(tmp_path, 6)
    for i, t in enumerate(iter_export(export)):
        record = read_record(annotations / f"{t['data']['article_id']}.json")
        models, warnings = reference_task(t, index=i, record=record, scheme=SCHEME)
        plain, plain_warnings = convert_task(t, index=i, record=record, scheme=SCHEME)
        assert (plain, plain_warnings) == ([m.model_dump(mode="json") for m in models], warnings)
        by_model = record.model_copy(deep=True)
        merge_models(by_model, models)
        assert dump_record_data_bytes(merge_annotations(record, plain)[0], SCHEME) == dump_models(by_model, SCHEME)


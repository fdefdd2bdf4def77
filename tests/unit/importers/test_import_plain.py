"""The import's plain-dict path against the model path it replaces.

The importer converts annotations into plain dicts (``convert_task_plain``), merges them in
JSON form (``importer._merged_data``) and writes with ``dump_record_data_bytes``; the model
path (``convert_task``, ``importer._merge``, ``dump_record_bytes``) is the reference. The
region loop (``ls_results._regions``) converts common regions inline and hands the others
to the exact per-result checks (``_region``); over many mutated results it must give what
``_region`` alone gives: the same spans, warnings, or error.
"""

from __future__ import annotations

import copy
import json
import random
import sys
from pathlib import Path

import pytest

from newscorpus.errors import ExportError
from newscorpus.importers.run import ImportReport, _merge, _merged_data
from newscorpus.importers.labelstudio.export import convert_task, convert_task_plain
from newscorpus.importers.labelstudio.results import PlainConverted, _convert_later, _Ctx, _region, _regions, _RegionState
from newscorpus.core.models import ArticleRecord, Gold
from newscorpus.records.io import dump_record_bytes, dump_record_data_bytes, read_record
from newscorpus.core.scheme import default_scheme

from tests.unit.importers.test_import import BASIC, SMALL_TEXT, annotation, choices, region, relation, task

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


@pytest.mark.parametrize("index", range(len(TASKS)))
def test_plain_annotations_are_the_models_dumped(small_corpus, index):
    record = read_record(small_corpus / "small.json")
    models, warnings = convert_task(TASKS[index], index=0, record=record, scheme=SCHEME)
    plain, plain_warnings = convert_task_plain(TASKS[index], index=0, record=record, scheme=SCHEME)
    assert plain == [m.model_dump(mode="json") for m in models]
    assert [list(p) for p in plain] == [list(m.model_dump(mode="json")) for m in models]  # key order too
    assert plain_warnings == warnings


@pytest.mark.parametrize(
    "extra",
    [{"created_at": "yesterday"}, {"lead_time": -1}, {"lead_time": "soon"}, {"updated_at": "2026-11-01T09:00:00"}],
    ids=["date", "negative-lead-time", "text-lead-time", "naive-date"],
)
def test_plain_and_model_paths_raise_the_same_field_error(small_corpus, extra):
    record = read_record(small_corpus / "small.json")
    bad = task([annotation(21, 3, BASIC, **extra)])
    with pytest.raises(ExportError) as model_err:
        convert_task(bad, index=0, record=record, scheme=SCHEME)
    with pytest.raises(ExportError) as plain_err:
        convert_task_plain(bad, index=0, record=record, scheme=SCHEME)
    assert (str(plain_err.value), plain_err.value.where, plain_err.value.code) == (
        str(model_err.value), model_err.value.where, model_err.value.code)


def _shuffled(record: ArticleRecord, rng: random.Random) -> ArticleRecord:
    record = record.model_copy(deep=True)
    rng.shuffle(record.sentences)
    rng.shuffle(record.annotations)
    for part in [*record.annotations, *([record.gold] if record.gold else [])]:
        for layer in (part.spans, part.relations, part.sentence_labels):
            rng.shuffle(layer)
        items = list(part.article_labels.items())
        rng.shuffle(items)
        part.article_labels = {k: rng.sample(v, len(v)) for k, v in items}
    if record.gold:
        rng.shuffle(record.gold.from_annotations)
    return record


def _records(small_corpus: Path) -> list[ArticleRecord]:
    base = read_record(small_corpus / "small.json")
    out = [base]
    for i, t in enumerate(TASKS):
        anns, _ = convert_task(t, index=0, record=base, scheme=SCHEME)
        rec = base.model_copy(deep=True)
        rec.annotations = anns
        if anns and i % 2 == 0:
            a = anns[0]
            rec.gold = Gold(method="adjudicated", decided_by="ls-9", from_annotations=[x.id for x in anns],
                            article_labels=a.article_labels | {"zz-unknown": ["b", "a"]}, sentence_labels=a.sentence_labels,
                            spans=a.spans, relations=a.relations)
        out.append(rec)
    return out


def test_plain_dump_writes_the_bytes_of_the_model_dump(small_corpus):
    rng = random.Random(6)
    for record in _records(small_corpus):
        for _ in range(5):
            shuffled = _shuffled(record, rng)
            expected = dump_record_bytes(shuffled.model_copy(deep=True), SCHEME)
            assert dump_record_data_bytes(shuffled.model_dump(mode="json"), SCHEME) == expected


def test_plain_dump_falls_back_to_json_like_the_model_dump(small_corpus):
    record = _records(small_corpus)[2]
    record.annotations[0].lead_time = 1e-07  # orjson would write 1e-7
    data = record.model_dump(mode="json")
    assert dump_record_data_bytes(data, SCHEME) == dump_record_bytes(record, SCHEME)
    assert b'"lead_time": 1e-07' in dump_record_bytes(record, SCHEME)


@pytest.mark.parametrize("gold", [None, "single", "adjudicated"])
@pytest.mark.parametrize("index", range(len(TASKS)))
def test_plain_merge_is_the_model_merge(small_corpus, index, gold):
    record = read_record(small_corpus / "small.json")
    earlier, _ = convert_task(task([annotation(21, 3, BASIC[:1]), annotation(30, 4, BASIC[2:3])]), index=0, record=record,
                              scheme=SCHEME)
    record.annotations = earlier[:1] if gold == "single" else earlier
    if gold:
        record.gold = Gold(method=gold, decided_by=None if gold == "single" else "ls-9", from_annotations=["ls-p4-a21"],
                           spans=earlier[0].spans)
    models, _ = convert_task(TASKS[index], index=0, record=record, scheme=SCHEME)
    plain, _ = convert_task_plain(TASKS[index], index=0, record=record, scheme=SCHEME)
    model_report, plain_report = ImportReport(), ImportReport()
    data = _merged_data(record, plain, plain_report)
    by_model = record.model_copy(deep=True)
    _merge(by_model, models, model_report)
    assert dump_record_data_bytes(data, SCHEME) == dump_record_bytes(by_model, SCHEME)
    assert plain_report.warnings == model_report.warnings


# --- the region loop: inline common case against the exact checks ---------------------------


def _outcome(fn, results, offset_unit="codepoint"):
    record_sentences = _SENTENCES
    by_offsets = {(s.start, s.end): s.id for s in record_sentences}
    ids = {s.id for s in record_sentences}
    out = PlainConverted()
    ctx = _Ctx("export.json", "$[0].annotations[0]", "task 1, annotation 2")
    try:
        region_sentence, span_ids, later = fn(results, SMALL_TEXT, by_offsets, ids, out, ctx, offset_unit)
        _convert_later(later, ctx, SCHEME, ids, region_sentence, span_ids, out)
    except ExportError as exc:
        return ("error", type(exc).__name__, str(exc), exc.code, exc.where)
    except Exception as exc:  # noqa: BLE001 - e.g. the model's own ValidationError for a bad id
        return ("error", type(exc).__name__, str(exc))
    return json.dumps([out.spans, out.relations, out.sentence_labels, out.article_labels, out.note,
                       [str(w) for w in out.warnings], region_sentence, sorted(span_ids)], ensure_ascii=False)


def _inline(results, text, by_offsets, ids, out, ctx, unit):
    return _regions(results, text, by_offsets, ids, SCHEME, unit, ctx, out)


def _exact(results, text, by_offsets, ids, out, ctx, unit):
    state = _RegionState(text, by_offsets, ids, SCHEME, unit, ctx, out)
    for i, item in enumerate(results):
        _region(i, item, state)
    if state.trimmed:
        from newscorpus.importers.labelstudio.results import ImportWarning

        out.warnings.append(ImportWarning("span-trimmed", f"{ctx.path}.result",
                                          f"{ctx.name}: whitespace trimmed from span edges: {'; '.join(state.trimmed)}"))
    return state.region_sentence, state.span_ids, state.later


_SENTENCES: list = []


def _mutations(rng: random.Random, result: list) -> list:
    result = copy.deepcopy(result)
    if not result:
        return result
    item = rng.choice(result)
    if not isinstance(item, dict):
        return result
    target = item.get("value", item) if rng.random() < 0.7 and isinstance(item.get("value"), dict) else item
    key = rng.choice(list(target) + ["start", "end", "text", "labels", "id", "type", "from_name"])
    target[key] = rng.choice([
        None, 0, 1, 7, 8, 9, 12, 13, 29, 30, 43, 44, 97, 98, -1, 5.0, True, "", "e1", "e 1", "q1", "s1", "x" * 201,
        "Qin Gang", "PERSON", "GPE", "QUOTE", "SENTENCE", "entity", "attribution", "sentence", "genre", "topic",
        "labels", "choices", "relation", "textarea", "hypertextlabels", [], ["PERSON"], ["PERSON", "GPE"], [["x"]], {}, {"a": 1},
    ])
    if rng.random() < 0.2:
        result.append(copy.deepcopy(rng.choice(result)))
    if rng.random() < 0.2:
        result.insert(rng.randrange(len(result) + 1), rng.choice([3, "x", None, [], {"type": "labels"}]))
    return result


def test_inline_regions_give_what_the_exact_checks_give(small_corpus):
    _SENTENCES[:] = read_record(small_corpus / "small.json").sentences
    bases = [BASIC, BASIC[3:5] + [relation("p1", "q1", direction="left"), NOTE | {"id": "p1"}, ANN_NOTE],
             TASKS[3]["annotations"][0]["result"], [region("e9", "entity", 8, 9, "PERSON")] + BASIC[:2]]
    rng = random.Random(6)
    seen = set()
    for base in bases:
        for unit in ("codepoint", "utf16"):
            assert _outcome(_inline, base, unit) == _outcome(_exact, base, unit)
        for _ in range(700):
            results = _mutations(rng, base)
            for _ in range(rng.randrange(3)):
                results = _mutations(rng, results)
            inline, exact = _outcome(_inline, results), _outcome(_exact, results)
            assert inline == exact, results
            seen.add(exact[3] if len(exact) == 5 else exact[1] if isinstance(exact, tuple) else "ok")
    assert {"ok", "ValidationError", "span-out-of-bounds", "unknown-label", "unknown-layer", "duplicate-id", "missing-labels",
            "multiple-labels", "unknown-sentence", "span-text-mismatch", "invalid-result", "invalid-offsets",
            "unknown-result-type", "empty-span"} <= seen


def test_the_bench_export_converts_the_same_both_ways(tmp_path):
    sys.path.insert(0, str(REPO / "scripts"))
    import synth

    from newscorpus.ingest.run import ingest_all
    from newscorpus.importers.labelstudio.export import iter_export

    synth.write_seeds(6, tmp_path / "seeds")
    ingest_all(tmp_path / "seeds", annotations_dir=tmp_path / "annotations")
    export = tmp_path / "export.json"
    synth.write_export(6, tmp_path / "annotations", export)
    for i, t in enumerate(iter_export(export)):
        record = read_record(tmp_path / "annotations" / f"{t['data']['article_id']}.json")
        models, warnings = convert_task(t, index=i, record=record, scheme=SCHEME)
        plain, plain_warnings = convert_task_plain(t, index=i, record=record, scheme=SCHEME)
        assert (plain, plain_warnings) == ([m.model_dump(mode="json") for m in models], warnings)
        by_model = record.model_copy(deep=True)
        _merge(by_model, models, ImportReport())
        assert dump_record_data_bytes(_merged_data(record, plain, ImportReport()), SCHEME) == dump_record_bytes(by_model, SCHEME)
from tests.support import REPO

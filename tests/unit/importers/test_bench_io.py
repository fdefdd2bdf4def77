"""The benchmark's generator, the pooled import and the fast record writer.

The pooled import (worker processes) must give byte-identical records and the same report
as the sequential one; ``dump_record_bytes`` (orjson) must write byte for byte what
``json.dumps(indent=2, ensure_ascii=False)`` writes.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from newscorpus.errors import ExportError
from newscorpus.importers.run import import_export
from newscorpus.ingest.run import ingest_all
from newscorpus.core.models import ArticleRecord
from newscorpus.records.io import dump_record_bytes, read_record
from newscorpus.core.scheme import default_scheme

from tests.support import REPO
from tests.unit.importers.bench_corpus import bench_corpus

sys.path.insert(0, str(REPO / "scripts"))
import synth  # noqa: E402


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("bench")
    bench_corpus(root, 20)
    return root


def _copy(src: Path, dst: Path) -> Path:
    dst.mkdir()
    for path in src.glob("*.json"):
        (dst / path.name).write_bytes(path.read_bytes())
    return dst


def test_synthetic_articles_have_the_seed_profile(corpus):
    art = synth.article(0)
    entities = [m for m in art.mentions if m.control == "entity"]
    assert (len(entities), sum(m.label == "QUOTE" for m in art.mentions), sum(m.label == "SOURCE" for m in art.mentions)) == (45, 5, 2)
    assert len(art.relations) == 5 and len(art.frames) == 5
    for m in art.mentions:
        assert art.text[m.start:m.end] == art.text[m.start:m.end].strip() != ""
    records = [read_record(p) for p in sorted((corpus / "annotations").glob("*.json"))]
    assert [len(r.sentences) for r in records] == [14] * 20
    assert any(ord(c) > 0xFFFF for c in records[0].text) and any("\u4e00" <= c <= "\u9fff" for r in records for c in r.text)


def test_generated_export_imports_with_exact_counts(corpus, tmp_path):
    ann = _copy(corpus / "annotations", tmp_path / "ann")
    report = import_export(corpus / "export.json", annotations_dir=ann, workers=1)
    assert (report.tasks, report.annotations, report.predictions) == (20, {"submitted": 40, "cancelled": 0, "draft": 0}, 20)
    assert (len(report.written), len(report.unchanged), report.warnings) == (20, 0, [])
    rec = read_record(ann / "bench_0000000.json")
    first, second = rec.annotations
    assert (first.id, first.annotator, second.id, second.annotator) == ("ls-p1-a2", "ls-3", "ls-p1-a3", "ls-7")
    assert [len(a.spans) for a in rec.annotations] == [52, 51]
    assert [len(a.relations) for a in rec.annotations] == [5, 5]
    assert [len(a.sentence_labels) for a in rec.annotations] == [14, 14]
    assert [len(a.article_labels["frames"]) for a in rec.annotations] == [5, 4]
    assert rec.gold is None  # two submitted annotations: gold waits for adjudication
    size = (corpus / "export.json").stat().st_size
    assert 36_000 * 20 < size < 42_000 * 20


def test_pooled_import_equals_sequential(corpus, tmp_path):
    one = _copy(corpus / "annotations", tmp_path / "one")
    two = _copy(corpus / "annotations", tmp_path / "two")
    r1 = import_export(corpus / "export.json", annotations_dir=one, workers=1)
    r2 = import_export(corpus / "export.json", annotations_dir=two, workers=2)
    assert (r1.tasks, r1.annotations, r1.predictions, r1.warnings) == (r2.tasks, r2.annotations, r2.predictions, r2.warnings)
    assert [p.name for p in r1.written] == [p.name for p in r2.written]
    assert {p.name: p.read_bytes() for p in one.glob("*.json")} == {p.name: p.read_bytes() for p in two.glob("*.json")}


def test_pooled_import_orders_tasks_of_one_article_and_reports_the_first_error(corpus, tmp_path):
    tasks = json.loads((corpus / "export.json").read_text(encoding="utf-8"))
    again = json.loads(json.dumps(tasks[3]))
    again["annotations"][0]["id"] = 999  # a later task of the same article adds a third annotation
    ann = _copy(corpus / "annotations", tmp_path / "ann")
    export = tmp_path / "export.json"
    export.write_text(json.dumps(tasks[:5] + [again] + tasks[5:]), encoding="utf-8")
    import_export(export, annotations_dir=ann, workers=2)
    assert [a.id for a in read_record(ann / "bench_0000003.json").annotations] == ["ls-p1-a8", "ls-p1-a9", "ls-p1-a999"]
    bad = json.loads(json.dumps(tasks[7]))
    bad["annotations"][1]["result"][0]["value"]["end"] = 10**6
    export.write_text(json.dumps(tasks[:7] + [bad] + tasks[8:]), encoding="utf-8")
    before = {p.name: p.read_bytes() for p in ann.glob("*.json")}
    with pytest.raises(ExportError) as err:
        import_export(export, annotations_dir=ann, workers=2)
    assert (err.value.code, err.value.where) == ("span-out-of-bounds", "$[7].annotations[1].result[0]")
    assert {p.name: p.read_bytes() for p in ann.glob("*.json")} == before


def test_pooled_import_sends_unparsed_tasks_with_their_article_ids(corpus, tmp_path, monkeypatch):
    from newscorpus.importers import run as importer
    from newscorpus.importers.labelstudio.export import article_id_of, iter_export_bytes

    items = [(i, article_id_of(raw), raw) for i, raw in enumerate(iter_export_bytes(corpus / "export.json"))]
    assert len(items) == 20
    assert [(i, key) for i, key, _ in items[:3]] == [(0, "bench_0000000"), (1, "bench_0000001"), (2, "bench_0000002")]
    assert [json.loads(raw) for _, _, raw in items] == json.loads((corpus / "export.json").read_text(encoding="utf-8"))
    assert article_id_of(b'{"data": {"article_id": "a"}, "meta": {"article_id": "b"}}') is None  # twice: parse to know
    # the pool is sent where each task lies in the export, and a worker reads it from there
    from newscorpus.importers.labelstudio.export import iter_export_spans
    from newscorpus.importers.payloads import Span, close_spans, read_span

    data = (corpus / "export.json").read_bytes()
    spans = list(iter_export_spans(corpus / "export.json"))
    assert [raw for raw, _ in spans] == [raw for _, _, raw in items]
    assert spans[0][1] == 1 and all(data[offset : offset + len(raw)] == raw for raw, offset in spans)
    assert all(read_span(str(corpus / "export.json"), Span(offset, len(raw))) == raw for raw, offset in spans)
    with pytest.raises(EOFError):
        read_span(str(corpus / "export.json"), Span(len(data) - 2, 3))
    close_spans()

    def exact_reader_used(*args, **kwargs):
        raise AssertionError("a regular export went the exact way")

    monkeypatch.setattr(importer, "iter_export_raw", exact_reader_used)
    ann = _copy(corpus / "annotations", tmp_path / "ann")
    assert len(importer.import_export(corpus / "export.json", annotations_dir=ann, workers=2).written) == 20


def _import_both(corpus, tmp_path, tasks, name):
    export = tmp_path / f"{name}.json"
    export.write_text(json.dumps(tasks), encoding="utf-8")
    out = []
    for workers in (1, 2):
        ann = _copy(corpus / "annotations", tmp_path / f"{name}-{workers}")
        try:
            report = import_export(export, annotations_dir=ann, workers=workers)
        except ExportError as exc:
            out.append(("error", exc.code, exc.where, exc.message, {p.name: p.read_bytes() for p in ann.glob("*.json")}))
            continue
        out.append((report.tasks, report.annotations, report.predictions, [p.name for p in report.written],
                    {p.name: p.read_bytes() for p in ann.glob("*.json")}))
    return out


def test_pooled_import_reads_what_only_the_exact_reader_reads(corpus, tmp_path):
    tasks = json.loads((corpus / "export.json").read_text(encoding="utf-8"))
    tasks[4]["meta"] = {"note": "\ud83d alone"}  # a lone surrogate: orjson refuses it, ijson reads it
    tasks[6]["predictions"][0]["meta"] = {"article_id": "bench_0000009"}  # "article_id" twice in one task
    sequential, pooled = _import_both(corpus, tmp_path, tasks, "odd")
    assert sequential == pooled
    assert sequential[:3] == (20, {"submitted": 40, "cancelled": 0, "draft": 0}, 20)


def test_pooled_import_of_a_task_nested_too_deep_to_send_runs_in_one_process(corpus, tmp_path):
    raw = (corpus / "export.json").read_bytes()
    deep = raw.replace(b'"completed_by":', b'"z":' + b"[" * 1030 + b"]" * 1030 + b',"completed_by":', 1)
    assert deep != raw
    got = []
    for workers in (1, 2):
        ann = _copy(corpus / "annotations", tmp_path / f"deep-{workers}")
        export = tmp_path / "deep.json"
        export.write_bytes(deep)
        report = import_export(export, annotations_dir=ann, workers=workers)
        got.append((report.tasks, report.annotations, report.predictions, {p.name: p.read_bytes() for p in ann.glob("*.json")}))
    assert got[0] == got[1]
    assert got[0][:2] == (20, {"submitted": 40, "cancelled": 0, "draft": 0})


def test_pooled_import_reports_an_earlier_tasks_error_before_a_later_reading_error(corpus, tmp_path):
    tasks = json.loads((corpus / "export.json").read_text(encoding="utf-8"))[:3]
    tasks[0]["data"]["text_sha256"] = "0" * 64
    text = json.dumps(tasks)
    export = tmp_path / "bad.json"
    export.write_text(text[:-10], encoding="utf-8")  # truncated inside task 2
    got = []
    for workers in (1, 2):
        ann = _copy(corpus / "annotations", tmp_path / f"ann-{workers}")
        with pytest.raises(ExportError) as err:
            import_export(export, annotations_dir=ann, workers=workers)
        got.append((err.value.code, err.value.where))
    assert got == [("text-hash-mismatch", "$[0].data.text_sha256")] * 2


@pytest.mark.parametrize("case", ["truncated", "big-integer", "trailing-comma"])
def test_pooled_import_errors_are_the_exact_readers(corpus, tmp_path, case):
    tasks = json.loads((corpus / "export.json").read_text(encoding="utf-8"))
    text = json.dumps(tasks)
    if case == "truncated":
        text = text[: len(text) * 2 // 3]
    elif case == "big-integer":
        tasks[5]["meta"] = {"n": 2**63}  # past int64: ijson refuses what orjson reads
        text = json.dumps(tasks)
    else:
        text = text[:-1] + ",]"
    export = tmp_path / "bad.json"
    export.write_text(text, encoding="utf-8")
    got = []
    for workers in (1, 2):
        ann = _copy(corpus / "annotations", tmp_path / f"{case}-{workers}")
        before = {p.name: p.read_bytes() for p in ann.glob("*.json")}
        with pytest.raises(ExportError) as err:
            import_export(export, annotations_dir=ann, workers=workers)
        assert {p.name: p.read_bytes() for p in ann.glob("*.json")} == before
        assert not list(ann.glob(".import-*"))
        got.append((err.value.code, err.value.where, err.value.message))
    assert got[0] == got[1]
    assert got[0][:2] == ("invalid-json", {"truncated": "$[13]", "big-integer": "$[5]", "trailing-comma": "$[20]"}[case])


def test_pooled_ingest_equals_sequential(corpus, tmp_path):
    a = ingest_all(corpus / "seeds", annotations_dir=tmp_path / "a", workers=1)
    b = ingest_all(corpus / "seeds", annotations_dir=tmp_path / "b", workers=2)
    assert (a.created, b.created) == (20, 20)
    assert {p.name: p.read_bytes() for p in (tmp_path / "a").glob("*.json")} == {p.name: p.read_bytes() for p in (tmp_path / "b").glob("*.json")}
    again = ingest_all(corpus / "seeds", annotations_dir=tmp_path / "b", workers=2)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 20)


def _float_fields(model, path=""):
    out = []
    for name, field in model.model_fields.items():
        ann = str(field.annotation)
        if "float" in ann:
            out.append(f"{path}{model.__name__}.{name}")
        for sub in getattr(field.annotation, "__args__", ()) + (field.annotation,):
            for inner in getattr(sub, "__args__", ()) + (sub,):
                if isinstance(inner, type) and hasattr(inner, "model_fields") and inner is not model:
                    out += _float_fields(inner)
    return sorted(set(out))


def test_the_only_float_field_is_lead_time():
    # dump_record_bytes checks exactly this field for floats orjson would write differently
    assert _float_fields(ArticleRecord) == ["Annotation.lead_time"]


@pytest.mark.parametrize("lead_time", [12.5, 0.1, 1e-07, 1e16, 123456789.125, None])
def test_fast_dump_is_json_dumps_byte_for_byte(corpus, lead_time):
    rec = read_record(corpus / "annotations" / "bench_0000001.json")
    rec.text = rec.text + "\x00\x1f\x7f\u2028\ufeff\"\\"  # escapes: control characters, quotes, backslash
    from newscorpus.core.models import Annotation, Origin

    rec.annotations = [Annotation(id="ls-1", annotator="ls-1", status="submitted", origin=Origin(tool="t"), lead_time=lead_time)]
    expected = json.dumps(rec.model_dump(mode="json"), ensure_ascii=False, indent=2) + "\n"
    assert dump_record_bytes(rec, default_scheme()) == expected.encode("utf-8")


def _fake_run(n: int, cpu_us: dict[str, float], wall_factor: float = 1.0) -> dict:
    """A saved run: CPU µs per article per stage, wall time ``wall_factor`` times the CPU."""
    return {"n": n, "commit": "abc1234", "finished": "2026-11-29T22:00:00+0000", "cpus": 2, "missed": [],
            "results": {name: {"seconds": us * wall_factor * n / 1e6, "cpu": us * n / 1e6, "units": n, "load": wall_factor}
                        for name, us in cpu_us.items()}}


def test_bench_scaling_flags_superlinear_stages(tmp_path, monkeypatch, capsys):
    import bench

    monkeypatch.setattr(bench, "RESULTS", tmp_path)
    (tmp_path / "1000.json").write_text(json.dumps(_fake_run(1000, {"import": 3000.0, "build": 6000.0})))
    (tmp_path / "10000.json").write_text(json.dumps(_fake_run(10000, {"import": 2500.0, "build": 5000.0})))
    assert bench.scaling() == 0
    out = capsys.readouterr().out
    assert "ok      cost linear in N (CPU per article at N = 10,000 within 1.25x of N = 1,000)" in out
    assert "0.83x" in out and "3,000" in out and "2,500" in out
    (tmp_path / "100000.json").write_text(json.dumps(_fake_run(100000, {"import": 2400.0, "build": 7000.0})))
    assert bench.scaling() == 0
    out = capsys.readouterr().out
    assert "MISSED  cost linear in N (CPU per article at N = 100,000 within 1.25x of N = 10,000): build" in out
    assert "1.40x !" in out


def test_bench_scaling_judges_cpu_time_not_wall_time(tmp_path, monkeypatch, capsys):
    """A larger run on a loaded machine takes longer per article but the same CPU: linear."""
    import bench

    monkeypatch.setattr(bench, "RESULTS", tmp_path)
    (tmp_path / "10000.json").write_text(json.dumps(_fake_run(10000, {"import": 2000.0})))
    (tmp_path / "100000.json").write_text(json.dumps(_fake_run(100000, {"import": 2100.0}, wall_factor=1.6)))
    assert bench.scaling() == 0
    out = capsys.readouterr().out
    cpu, wall = out.split("µs of wall time per article")
    assert "import                   2,000           2,100          1.05x\n" in cpu
    assert "import                   2,000           3,360          1.68x\n" in wall  # shown, not judged
    assert " !" not in out
    assert "load 1.0 to 1.0" in out and "load 1.6 to 1.6" in out
    assert "ok      cost linear in N (CPU per article at N = 100,000 within 1.25x of N = 10,000)" in out


def test_bench_scaling_judges_our_stages_only(tmp_path, monkeypatch, capsys):
    import bench

    monkeypatch.setattr(bench, "RESULTS", tmp_path)
    (tmp_path / "10000.json").write_text(json.dumps(_fake_run(10000, {"export": 1300.0, "ref-ijson": 900.0, "import": 2000.0})))
    (tmp_path / "100000.json").write_text(json.dumps(_fake_run(100000, {"export": 1700.0, "ref-ijson": 1300.0, "import": 1500.0})))
    assert bench.scaling() == 0
    out = capsys.readouterr().out
    assert "ok      cost linear in N (CPU per article at N = 100,000 within 1.25x of N = 10,000)" in out
    assert "1.31x" in out and "1.44x" in out and "0.75x" in out and " !" not in out


def test_bench_scaling_needs_two_sizes(tmp_path, monkeypatch, capsys):
    import bench

    monkeypatch.setattr(bench, "RESULTS", tmp_path)
    (tmp_path / "1000.json").write_text(json.dumps(_fake_run(1000, {"import": 3000.0})))
    assert bench.scaling() == 1
    assert "--scaling needs runs at two sizes or more" in capsys.readouterr().err


def test_commit_staging_moves_records_and_keeps_modes(tmp_path):
    from newscorpus.records.journal import commit_staging, staging_folder

    out = tmp_path / "out"
    out.mkdir()
    staging = staging_folder(out, "import")
    (out / "a.json").write_text("old a")
    (out / "a.json").chmod(0o640)
    for name, body in [("a.json", "new a"), ("b.json", "new b"), (".hidden.json", "x"), ("c.tmp", "y")]:
        (staging / name).write_text(body)
    assert commit_staging(staging, out) == 2
    assert sorted(p.name for p in out.iterdir() if p != staging) == ["a.json", "b.json"]
    assert (out / "a.json").read_text() == "new a" and (out / "b.json").read_text() == "new b"
    assert (out / "a.json").stat().st_mode & 0o777 == 0o640
    assert sorted(p.name for p in staging.iterdir()) == [".hidden.json", "c.tmp"]

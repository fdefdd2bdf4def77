"""A build on two processes (a worker gates the records and makes the `ner` rows) writes the
bytes of a one-process build, raises the same errors for the same records, and keeps the
validator and spaCy out of the main process and pyarrow out of the worker (memory)."""

from __future__ import annotations

import hashlib
import json
import pickle
import subprocess
import sys
from pathlib import Path

import pytest

from newscorpus.core.models import Gold, Relation, SentenceLabel, Span
from newscorpus.core.scheme import default_scheme
from newscorpus.dataset.build import build_dataset
from newscorpus.dataset.configs import CONFIGS, config_schema
from newscorpus.dataset.gate import WORKER_CONFIGS, gate_chunk, set_worker_options
from newscorpus.dataset.rows import BuildOptions
from newscorpus.dataset.splits import SplitRatios
from newscorpus.dataset.two_processes import CHUNK
from newscorpus.errors import BuildError, RecordError
from newscorpus.records.io import write_record

from tests.support.agreement import make_annotation, make_record
from tests.support.dataset import seed_record, synth_record

REPO = Path(__file__).resolve().parents[3]

#: A quotation across two sentences (counted, built) and, with ``entity``, an entity across
#: "Ft. | Worth" (refused), as in test_crossing.py.
TEXT = "He moved to Ft. Worth in May. “We are ready. We will win,” she said."
SENTENCES = [(0, 15), (16, 29), (30, 44), (45, 68)]


def _ftworth(article_id: str, *, entity: bool):
    spans = [("q1", "attribution", "QUOTE", 31, 57), ("p1", "attribution", "SOURCE", 59, 62), ("d1", "entity", "DATE", 25, 28)]
    if entity:
        spans.append(("g1", "entity", "GPE", 12, 21))
    spans.sort(key=lambda s: s[3])
    ann = make_annotation(TEXT, 1, "ls-1", spans=tuple(spans), relations=(("q1", "p1"),), labels={"genre": ["reporting"]})
    record = make_record(article_id, TEXT, SENTENCES, [ann])
    record.gold = Gold(method="single", decided_by=None, from_annotations=[ann.id], article_labels={"genre": ["reporting"]},
                       sentence_labels=[SentenceLabel(sentence="s0", layer="discourse_role", label="MAIN_EVENT")],
                       spans=[Span.model_validate(s.model_dump()) for s in ann.spans],
                       relations=[Relation(id="r1", label="SPEAKER", head="q1", tail="p1")])
    return record


def _corpus(tmp: Path) -> Path:
    """45 records (three chunks of the worker and a part): the seed with gold, without gold
    and without annotations, the synthetic Unicode article (train, two annotators) and a
    short article whose quotation crosses a sentence boundary; every split has rows."""
    seed, synth = seed_record(), synth_record(tmp)
    ann = tmp / "annotations"
    scheme = default_scheme()
    for i in range(45):
        kind = i % 5
        if kind in (0, 1):
            record = seed.model_copy(update={"id": f"a{i:03d}_seed"})
        elif kind == 2:
            record = seed.model_copy(update={"id": f"a{i:03d}_plain", "gold": None, "annotations": []})
        elif kind == 3:
            record = synth.model_copy(update={"id": f"a{i:03d}_synth"})
        else:
            record = _ftworth(f"a{i:03d}_ftworth", entity=False)
        write_record(record, ann, scheme)
    return ann


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _digest(folder: Path) -> str:
    return hashlib.sha256(json.dumps({k: v.hex() for k, v in _files(folder).items()}).encode()).hexdigest()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    return _corpus(tmp_path_factory.mktemp("workers"))


@pytest.mark.parametrize(("public", "ahead"), [(False, 256), (True, 256), (False, 1)])
def test_two_processes_write_the_bytes_of_one(corpus, tmp_path, monkeypatch, public, ahead):
    """The main process makes its rows up to AHEAD records before the worker's verdicts
    (256: the whole corpus while the worker starts; 1: in step with the worker)."""
    monkeypatch.setattr("newscorpus.dataset.two_processes.AHEAD", ahead)
    calls: dict[int, list] = {1: [], 2: []}
    results = {}
    for workers in (1, 2):
        results[workers] = build_dataset(annotations_dir=corpus, out=tmp_path / f"w{workers}", public=public, workers=workers,
                                         progress=lambda *a, w=workers: calls[w].append(a))
    one, two = _files(tmp_path / "w1"), _files(tmp_path / "w2")
    assert sorted(one) == sorted(two) == sorted(results[1].files)
    assert "ner/train-00000-of-00001.parquet" in one and "ner/test-00000-of-00001.parquet" in one
    assert [name for name in one if one[name] != two[name]] == []
    assert [(r.files, r.configs, r.article_splits, r.withheld, r.crossing) for r in (results[1], results[2])].count(
        (results[1].files, results[1].configs, results[1].article_splits, results[1].withheld, results[1].crossing)) == 2
    assert len(results[2].crossing) == 9 and len(results[2].article_splits) == 45
    assert calls[1] == calls[2] == [("building rows", n, 45) for n in range(1, 46)]
    assert 45 > 2 * CHUNK


def test_the_default_takes_the_number_of_workers_from_the_environment(corpus, tmp_path, monkeypatch):
    build_dataset(annotations_dir=corpus, out=tmp_path / "one", workers=1)
    monkeypatch.setenv("NEWSCORPUS_WORKERS", "2")
    build_dataset(annotations_dir=corpus, out=tmp_path / "two")
    assert _files(tmp_path / "one") == _files(tmp_path / "two")


def _break(ann: Path, name: str, how: str) -> None:
    path = ann / name
    if how == "truncated":
        path.write_text('{"schema_version": "1.0.0", "id":', encoding="utf-8")
        return
    data = json.loads(path.read_text(encoding="utf-8"))
    if how == "unknown-label":
        data["gold"]["spans"][0]["label"] = "PLANET"
    elif how == "crossing":
        data = json.loads(_ftworth(data["id"], entity=True).model_dump_json())
    elif how == "duplicate":
        data["id"] = "a017_seed"
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


@pytest.mark.parametrize(("name", "how", "error", "code"), [
    ("a019_ftworth.json", "unknown-label", BuildError, "unknown-label"),  # inside the second chunk
    ("a024_ftworth.json", "crossing", BuildError, "entity-crosses-sentence"),
    ("a021_seed.json", "truncated", RecordError, "invalid-json"),
    ("a016_seed.json", "unknown-label", BuildError, "unknown-label"),  # the first record of a chunk
    ("a044_ftworth.json", "crossing", BuildError, "entity-crosses-sentence"),  # the last record
])
def test_errors_are_those_of_one_process(tmp_path, name, how, error, code):
    ann = _corpus(tmp_path)
    out = tmp_path / "out"
    build_dataset(annotations_dir=ann, out=out, workers=1)
    before = _digest(out)
    _break(ann, name, how)
    raised = {}
    for workers in (1, 2):
        with pytest.raises(error) as err:
            build_dataset(annotations_dir=ann, out=out, workers=workers)
        raised[workers] = (type(err.value), str(err.value), err.value.code, err.value.file, err.value.where, err.value.hint)
        assert _digest(out) == before  # the previous folder as it was, nothing left beside it
        assert sorted(p.name for p in tmp_path.iterdir()) == ["annotations", "out", "synth-seeds"]
    assert raised[1] == raised[2]
    assert raised[2][2] == code and raised[2][3] == str(ann / name)


def test_a_record_the_gate_passes_but_whose_id_is_taken(tmp_path):
    ann = _corpus(tmp_path)
    _break(ann, "a018_synth.json", "duplicate")
    raised = {}
    for workers in (1, 2):
        with pytest.raises(BuildError) as err:  # the file name no longer matches the id: the gate refuses it
            build_dataset(annotations_dir=ann, out=tmp_path / "out", workers=workers)
        raised[workers] = str(err.value)
    assert raised[1] == raised[2]
    assert "a018_synth.json" in raised[2]


def _layouts(scheme) -> dict:
    return {name: CONFIGS[name].batch(config_schema(name, scheme)).layout() for name in WORKER_CONFIGS}


def test_gate_chunk_stops_at_the_first_record_refused(corpus, tmp_path):
    scheme = default_scheme()
    set_worker_options(BuildOptions(scheme, SplitRatios(), False, False), _layouts(scheme))
    good = [str(corpus / f"a00{i}_{k}.json") for i, k in enumerate(["seed", "seed", "plain", "synth", "ftworth"])]
    rows = gate_chunk(good)
    assert rows.gates == [None] * 5
    # a row per sentence of the articles with gold: 14 + 14 + 3 + 4 (the one without gold has none)
    assert {key: batch.num_rows for key, batch in rows.batches.items()} == {("train", "ner"): 35}
    assert rows.batches["train", "ner"].schema is None  # the main process sets it
    assert rows.first == {"ner": (0, "train")}

    bad = tmp_path / "annotations"
    bad.mkdir()
    (bad / "x.json").write_text('{"id": 1', encoding="utf-8")
    rows = gate_chunk([good[0], str(bad / "x.json"), good[1]])
    assert rows.gates[0] is None and rows.gates[1][0] == "error" and "RecordError" in rows.gates[1][1]
    assert (len(rows.gates), rows.batches, rows.first) == (2, {}, {})
    record = _ftworth("x", entity=True)
    write_record(record, bad, scheme)
    assert gate_chunk([str(bad / "x.json")]).gates == [("stop", None)]
    data = json.loads((bad / "x.json").read_text(encoding="utf-8"))
    data["sentences"].reverse()
    (bad / "x.json").write_text(json.dumps(data), encoding="utf-8")
    [(kind, (message, fields))] = gate_chunk([str(bad / "x.json")]).gates
    assert (kind, fields["code"], fields["where"], fields["file"]) == ("failed", "sentence-order", "$.sentences[1].start", str(bad / "x.json"))


def test_each_process_loads_only_what_it_runs(corpus, tmp_path):
    """The main process of a two-process build imports neither spaCy nor the validator (one
    process imports both); the worker's code does not import pyarrow."""
    env = {"PYTHONPATH": str(REPO / "src"), "PATH": "/usr/bin:/bin"}
    code = (
        "import sys\nfrom newscorpus.dataset.build import build_dataset\n"
        "if __name__ == '__main__':\n"
        f"    build_dataset(annotations_dir={str(corpus)!r}, out={str(tmp_path / 'out')!r}, workers=int(sys.argv[1]))\n"
        "    print([m in sys.modules for m in ('spacy', 'newscorpus.validate.run', 'pyarrow')])\n"
    )
    (tmp_path / "main.py").write_text(code, encoding="utf-8")
    for workers, loaded in (("2", "[False, False, True]"), ("1", "[True, True, True]")):
        done = subprocess.run([sys.executable, str(tmp_path / "main.py"), workers], capture_output=True, text=True, check=True, env=env)
        assert done.stdout.strip() == loaded
    scheme = default_scheme()
    (tmp_path / "job.pickle").write_bytes(pickle.dumps((BuildOptions(scheme, SplitRatios(), False, False), _layouts(scheme))))
    worker = (
        "import pickle, sys\nfrom newscorpus.dataset.gate import gate_chunk, set_worker_options\n"
        f"set_worker_options(*pickle.loads(open({str(tmp_path / 'job.pickle')!r}, 'rb').read()))\n"
        f"rows = gate_chunk([{str(corpus / 'a000_seed.json')!r}, {str(corpus / 'a003_synth.json')!r}])\n"
        "print(rows.gates, sorted(rows.batches), 'pyarrow' in sys.modules, 'spacy' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", worker], capture_output=True, text=True, check=True, env=env)
    assert done.stdout.strip() == "[None, None] [('train', 'ner')] False True"


def test_a_record_the_worker_failed_on_is_run_again_here(corpus, tmp_path):
    """What the main process does when the worker raised on a record: it runs the record
    itself, so that the one-process error is raised (or the gate's refusal given back); a
    record that passes here after all names the worker's traceback."""
    from newscorpus.dataset.two_processes import rerun

    options = BuildOptions(default_scheme(), SplitRatios(), False, False)
    with pytest.raises(BuildError) as err:
        rerun(str(corpus / "a000_seed.json"), options, "Traceback: boom")
    assert (err.value.code, err.value.file) == ("build-worker", str(corpus / "a000_seed.json"))
    assert err.value.message == "the build's worker failed on this record:\nTraceback: boom"
    bad = tmp_path / "a"
    bad.mkdir()
    (bad / "x.json").write_text('{"id": 1', encoding="utf-8")
    with pytest.raises(RecordError) as err:
        rerun(str(bad / "x.json"), options, "")
    assert err.value.code == "invalid-json"
    write_record(_ftworth("y", entity=True), bad, default_scheme())
    outcome = rerun(str(bad / "y.json"), options, "")
    assert (outcome.article_id, outcome.failed[1]["code"]) == ("y", "entity-crosses-sentence")

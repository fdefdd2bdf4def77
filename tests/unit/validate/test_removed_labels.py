"""scheme-label-removed: a scheme that drops a label records use, without a major version,
is refused by validate with the label, its uses, the records and an example; a major
version leaves only the records' unknown-label errors; a valid corpus is not read twice."""

from __future__ import annotations

import json
from pathlib import Path

from newscorpus.core.scheme import load_scheme
from newscorpus.validate.run import render_text, validate_paths

from tests.support import ingest_articles

SCHEME = """name: acme-news
version: {version}
layers:
  - name: ner
    level: span
    overlap: false
    source: test
    labels:
      - {{name: PER, definition: A person.}}
      - {{name: ORG, definition: An organisation.}}
{loc}relations:
  - name: links
    source: test
    labels:
      - {{name: {relation}, definition: A link., head_labels: [PER], tail_labels: [ORG]}}
"""
LOC = "      - {name: LOC, definition: A place.}\n"


def _scheme(tmp_path: Path, version: str, *, loc: bool, relation: str = "WORKS_FOR"):
    path = tmp_path / f"scheme-{version}-{loc}-{relation}.yaml"
    path.write_text(SCHEME.format(version=version, loc=LOC if loc else "", relation=relation), encoding="utf-8")
    return load_scheme(path)


def _span(sid: str, text: str, words: str, label: str) -> dict:
    start = text.index(words)
    return {"id": sid, "layer": "ner", "label": label, "start": start, "end": start + len(words), "text": words}


def _corpus(tmp_path: Path) -> Path:
    """Three records of acme-news 1.0.0: alpha uses LOC twice (annotation and gold), beta
    once, gamma not at all."""
    old = _scheme(tmp_path, "1.0.0", loc=True)
    texts = {"alpha": "Anna Berg of Nordlys visited Oslo.", "beta": "Ola went to Bergen.", "gamma": "Kari met Acme."}
    ann = ingest_articles(tmp_path, texts)
    for name, spans in {"alpha": [("Anna Berg", "PER"), ("Nordlys", "ORG"), ("Oslo", "LOC")],
                        "beta": [("Ola", "PER"), ("Bergen", "LOC")], "gamma": [("Kari", "PER")]}.items():
        path = ann / f"{name}.json"
        data = json.loads(path.read_text(encoding="utf-8"))
        data["scheme"] = {"name": old.name, "version": old.version}
        made = [_span(f"t{i}", texts[name], words, label) for i, (words, label) in enumerate(spans)]
        rels = [{"id": "WORKS_FOR:t0>t1", "label": "WORKS_FOR", "head": "t0", "tail": "t1"}] if name == "alpha" else []
        data["annotations"] = [{"id": "ls-p1-a1", "annotator": "ls-2", "status": "submitted", "ground_truth": False,
                                "origin": {"tool": "label-studio", "version": None, "project": 1, "task": 1, "annotation": 1},
                                "created_at": None, "updated_at": None, "lead_time": None, "article_labels": {},
                                "sentence_labels": [], "spans": made, "relations": rels}]
        if name == "alpha":
            data["gold"] = {"method": "single", "decided_by": None, "from_annotations": ["ls-p1-a1"], "article_labels": {},
                            "sentence_labels": [], "spans": made, "relations": rels}
        path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    assert validate_paths([ann], scheme=old).valid
    return ann


def test_a_label_removed_under_a_minor_version_is_refused_with_uses_and_an_example(tmp_path):
    ann = _corpus(tmp_path)
    result = validate_paths([ann], scheme=_scheme(tmp_path, "1.1.0", loc=False))
    removed = [v for v in result.violations if v.rule == "scheme-label-removed"]
    assert [(Path(v.file).name, v.path) for v in removed] == [("alpha.json", "$.annotations[0].spans[2].label")]
    assert removed[0].message == (
        "label 'LOC' of layer 'ner' is used 3 time(s) in 2 record(s) of scheme acme-news 1.0.0 (the first here), but "
        "scheme acme-news 1.1.0 has no such label: removing a label in use needs a new major version (2.0.0); put the "
        "label back, or make the scheme 2.0.0 and relabel those records")
    assert result.counts == {"unknown-label": 3, "scheme-label-removed": 1}
    assert "scheme-label-removed  1" in render_text(result)
    # the same version, as the records have it: an unknown label, nothing more can be said
    assert validate_paths([ann], scheme=_scheme(tmp_path, "1.0.0", loc=False)).counts == {"unknown-label": 3}
    # a major version announced the removal: the records are to be relabelled
    assert validate_paths([ann], scheme=_scheme(tmp_path, "2.0.0", loc=False)).counts == {"unknown-label": 3}
    # a relation label removed, with workers: the same result for any number
    renamed = _scheme(tmp_path, "1.0.1", loc=True, relation="EMPLOYED_BY")
    one, two = (validate_paths([ann], scheme=renamed, workers=n) for n in (1, 2))
    assert one == two
    (rel,) = [v for v in one.violations if v.rule == "scheme-label-removed"]
    assert (Path(rel.file).name, rel.path) == ("alpha.json", "$.annotations[0].relations[0].label")
    assert rel.message.startswith("relation label 'WORKS_FOR' is used 2 time(s) in 1 record(s) of scheme acme-news 1.0.0")

"""The label map and new articles of an ordinary Label Studio project (importers/labelmap.py,
importers/new_articles.py, importers/adapted.py): the map is checked on load naming file
and key; a map that merges two controls into a flat layer where their spans overlap is
refused by the validator's span-overlap; offsets of a text that canonicalisation changed
are converted exactly or refused; missing metadata is a clear error; nothing is written
on any error."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newscorpus.core.scheme import load_scheme
from newscorpus.errors import ExportError
from newscorpus.importers.adapted import import_adapted
from newscorpus.importers.labelmap import LabelMap, flat_merges, load_label_map
from newscorpus.importers.new_articles import NewArticles

SCHEME = """name: flat-news
version: 1.0.0
layers:
  - name: entity
    level: span
    overlap: false
    source: test
    labels:
      - {name: PERSON, definition: A person.}
      - {name: GPE, definition: A place.}
"""

META = NewArticles(defaults={"publisher": "Avisa", "license": "CC-BY-4.0", "language": "nb", "published": "2024-05-07",
                             "redistributable": "true"})


@pytest.fixture
def scheme(tmp_path: Path):
    (tmp_path / "scheme.yaml").write_text(SCHEME, encoding="utf-8")
    return load_scheme(tmp_path / "scheme.yaml")


def region(rid: str, start: int, end: int, label: str, control: str, text: str | None = None) -> dict:
    value = {"start": start, "end": end, "labels": [label]}
    if text is not None:
        value["text"] = text
    return {"id": rid, "from_name": control, "to_name": "text", "type": "labels", "value": value}


def write_export(tmp_path: Path, text: str, results: list[dict], **data) -> Path:
    task = {"id": 1, "project": 2, "data": {"text": text, **data}, "drafts": [], "predictions": [],
            "annotations": [{"id": 5, "completed_by": 9, "result": results, "was_cancelled": False}]}
    path = tmp_path / "export.json"
    path.write_text(json.dumps([task], ensure_ascii=False), encoding="utf-8")
    return path


def folder(tmp_path: Path) -> Path:
    out = tmp_path / "annotations"
    out.mkdir(exist_ok=True)
    return out


@pytest.mark.parametrize("body, where, words", [
    ("colours: {}", "$.colours", "unknown key 'colours'; allowed: controls, labels, relations"),
    ("controls: {label: ner}", "$.controls.label", "'label' is mapped to 'ner', which is not a layer of the scheme (layers: entity)"),
    ("labels: {entity: {PER: PERS}}", "$.labels.entity.PER", "'PER' is mapped to 'PERS', which is not a label of layer 'entity' (labels: PERSON, GPE)"),
    ("labels: {ner: {PER: PERSON}}", "$.labels.ner", "'ner' is not a layer of the scheme"),
    ("relations: {works_for: EMPLOYS}", "$.relations.works_for", "not a relation label of the scheme (relation labels: none)"),
    ("labels: {entity: [PER]}", "$.labels.entity", "must be a mapping of names to names, found list"),
    ("- a", "$", "a label map is a mapping"),
    ("controls: {label: [", "$", "not valid YAML or JSON"),
])
def test_a_bad_map_names_the_file_and_key(tmp_path, scheme, body, where, words):
    path = tmp_path / "map.yaml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(ExportError) as err:
        load_label_map(path, scheme)
    assert err.value.code == "label-map-invalid" and err.value.file == str(path) and err.value.where == where
    assert words in err.value.message


def test_a_json_map_loads(tmp_path, scheme):
    path = tmp_path / "map.json"
    path.write_text(json.dumps({"controls": {"ner": "entity"}, "labels": {"entity": {"PER": "PERSON"}}}), encoding="utf-8")
    assert load_label_map(path, scheme) == LabelMap({"ner": "entity"}, {"entity": {"PER": "PERSON"}}, {})


def test_two_controls_merged_into_a_flat_layer_that_then_overlaps_are_refused(tmp_path, scheme):
    text = "New York Mayor Adams spoke."
    export = write_export(tmp_path, text, [region("p", 0, 14, "PER", "people"), region("l", 0, 8, "LOC", "places")])
    merge = LabelMap({"people": "entity", "places": "entity"}, {"entity": {"PER": "PERSON", "LOC": "GPE"}})
    out = folder(tmp_path)
    with pytest.raises(ExportError) as err:
        import_adapted(export, annotations_dir=out, scheme=scheme, label_map=merge, new_articles=META)
    assert err.value.code == "span-overlap" and err.value.file == str(export)
    assert err.value.where == "$[0].annotations[0].result[0]" or err.value.where.startswith("$[0].annotations[0]")
    assert sorted(p.name for p in out.iterdir()) == []


def test_two_labels_mapped_to_one_in_a_flat_layer_that_then_nest_are_refused_naming_them(tmp_path, scheme):
    text = "Mayor Adams of New York spoke."
    export = write_export(tmp_path, text, [region("p", 0, 11, "PERS", "label"), region("l", 6, 11, "PER", "label")])
    merge = LabelMap({"label": "entity"}, {"entity": {"PER": "PERSON", "PERS": "PERSON"}})
    out = folder(tmp_path)
    with pytest.raises(ExportError) as err:
        import_adapted(export, annotations_dir=out, scheme=scheme, label_map=merge, new_articles=META)
    assert (err.value.code, err.value.file, err.value.where) == ("span-overlap", str(export), "$[0].annotations[0].result[1]")
    assert err.value.message.startswith("task 1 (article lt-19deb4b68e4b422c), annotation 5, result 'l': the record would "
                                        "break a validation rule: ")
    assert err.value.message.endswith(".json::$.annotations[0].spans[1]: entity span 'l' PERSON [6, 11) overlaps entity span "
                                      "'p' PERSON [0, 11): the 'entity' layer is flat (no overlap, no nesting) [span-overlap]")
    assert err.value.hint.startswith("the label map sends together into a flat layer: labels PER, PERS -> entity PERSON; "
                                     "spans that were apart in the project overlap there now")
    assert sorted(p.name for p in out.iterdir()) == []
    assert flat_merges(LabelMap({"people": "entity", "places": "entity"}), scheme) == ["controls people, places -> entity"]
    assert flat_merges(LabelMap(labels={"entity": {"PER": "PERSON", "LOC": "GPE"}}), scheme) == []


def test_crlf_offsets_are_converted_exactly(tmp_path, scheme):
    text = "\ufeffOslo\r\nBergen is rainy."
    export = write_export(tmp_path, text, [region("a", 1, 5, "LOC", "label", "Oslo"), region("b", 7, 13, "LOC", "label", "Bergen")])
    out = folder(tmp_path)
    report = import_adapted(export, annotations_dir=out, scheme=scheme, label_map=LabelMap({"label": "entity"}, {"entity": {"LOC": "GPE"}}),
                            new_articles=META)
    [path] = report.written
    record = json.loads(path.read_text(encoding="utf-8"))
    assert record["text"] == "Oslo\nBergen is rainy."
    assert [(s["start"], s["end"], s["text"]) for s in record["annotations"][0]["spans"]] == [(0, 4, "Oslo"), (5, 11, "Bergen")]
    assert record["meta"]["source_file"] == "export.json#task-1" and record["meta"]["title"] is None


def test_an_offset_between_cr_and_lf_is_refused(tmp_path, scheme):
    export = write_export(tmp_path, "Oslo\r\nBergen", [region("a", 0, 5, "GPE", "entity")])
    out = folder(tmp_path)
    with pytest.raises(ExportError) as err:
        import_adapted(export, annotations_dir=out, scheme=scheme, new_articles=META)
    assert err.value.code == "offsets-not-convertible" and err.value.where == "$[0].annotations[0].result[0].value.end"
    assert not list(out.iterdir())


def test_regions_in_a_text_nfc_changes_are_refused(tmp_path, scheme):
    export = write_export(tmp_path, "Tromso\u0308 is north.", [region("a", 0, 7, "GPE", "entity")])
    out = folder(tmp_path)
    with pytest.raises(ExportError) as err:
        import_adapted(export, annotations_dir=out, scheme=scheme, new_articles=META)
    assert err.value.code == "offsets-not-convertible" and "NFC" in err.value.message
    assert not list(out.iterdir())


def test_missing_metadata_and_ids(tmp_path, scheme):
    export = write_export(tmp_path, "Oslo.", [region("a", 0, 4, "GPE", "entity")], slug="../x")
    out = folder(tmp_path)
    with pytest.raises(ExportError) as err:
        import_adapted(export, annotations_dir=out, scheme=scheme, new_articles=NewArticles(defaults={"publisher": "A"}))
    assert err.value.code == "missing-meta" and "--meta published=VALUE" in err.value.message
    with pytest.raises(ExportError) as err:
        import_adapted(export, annotations_dir=out, scheme=scheme, new_articles=NewArticles(id_field="slug", defaults=META.defaults))
    assert err.value.code == "unsafe-id" and err.value.where == "$[0].data.slug"
    with pytest.raises(ExportError) as err:
        import_adapted(export, annotations_dir=out, scheme=scheme, new_articles=NewArticles(text_field="body", defaults=META.defaults))
    assert err.value.code == "missing-text"
    assert not list(out.iterdir())


def test_an_id_field_and_a_second_text_under_it(tmp_path, scheme):
    export = write_export(tmp_path, "Oslo.", [region("a", 0, 4, "GPE", "entity")], slug="oslo-1")
    out = folder(tmp_path)
    how = NewArticles(id_field="slug", defaults=META.defaults)
    assert [p.name for p in import_adapted(export, annotations_dir=out, scheme=scheme, new_articles=how).written] == ["oslo-1.json"]
    export = write_export(tmp_path, "Bergen.", [], slug="oslo-1")
    with pytest.raises(ExportError) as err:
        import_adapted(export, annotations_dir=out, scheme=scheme, new_articles=how)
    assert err.value.code == "text-hash-mismatch"


def _renamed(result: list[dict]) -> list[dict]:
    """BASIC in a project's own names: control entity -> ner, PERSON -> PER, GPE -> LOC,
    genre reporting -> news, relation SPEAKER -> SAID_BY."""
    out = json.loads(json.dumps(result))
    for item in out:
        if item.get("from_name") == "entity":
            item["from_name"] = "ner"
            item["value"]["labels"] = [{"PERSON": "PER", "GPE": "LOC"}[x] for x in item["value"]["labels"]]
        if item.get("from_name") == "genre":
            item["value"]["choices"] = ["news"]
        if item.get("type") == "relation":
            item["labels"] = ["SAID_BY"]
    return out


def test_a_mapped_export_of_newscorpus_tasks_imports_as_the_original(tmp_path, small_corpus):
    from newscorpus.core.scheme import default_scheme
    from newscorpus.importers.run import import_export

    from tests.unit.importers.test_import import BASIC, annotation, task

    other = tmp_path / "other"
    other.mkdir()
    (other / "small.json").write_bytes((small_corpus / "small.json").read_bytes())
    plain, mapped = tmp_path / "plain.json", tmp_path / "mapped.json"
    plain.write_text(json.dumps([task([annotation(21, 3, BASIC)])], ensure_ascii=False), encoding="utf-8")
    mapped.write_text(json.dumps([task([annotation(21, 3, _renamed(BASIC))])], ensure_ascii=False), encoding="utf-8")
    (tmp_path / "map.yaml").write_text("controls: {ner: entity}\nlabels:\n  entity: {PER: PERSON, LOC: GPE}\n"
                                       "  genre: {news: reporting}\nrelations: {SAID_BY: SPEAKER}\n", encoding="utf-8")
    label_map = load_label_map(tmp_path / "map.yaml", default_scheme())
    with pytest.raises(ExportError) as err:  # without the map: every unknown name, counted
        import_adapted(mapped, annotations_dir=small_corpus, label_map=LabelMap())
    assert err.value.message == "unmapped labels: ner/PER (2), genre/news (1), ner/LOC (1), relation/SAID_BY (1)"
    report = import_adapted(mapped, annotations_dir=small_corpus, label_map=label_map)
    assert [p.name for p in report.written] == ["small.json"]
    import_export(plain, annotations_dir=other)
    assert (small_corpus / "small.json").read_bytes() == (other / "small.json").read_bytes()


@pytest.mark.parametrize("args, message", [
    (["--meta", "license=CC0-1.0"], "--meta applies only with --new-articles"),
    (["--id-field", "slug"], "--id-field applies only with --new-articles"),
    (["--new-articles", "--meta", "license"], "'license' is not KEY=VALUE"),
])
def test_the_new_article_options_are_checked(tmp_path, args, message):
    from click.testing import CliRunner

    from newscorpus.cli import cli

    export = write_export(tmp_path, "Oslo.", [])
    result = CliRunner().invoke(cli, ["import", str(export), "--annotations", str(folder(tmp_path)), *args])
    assert result.exit_code == 2 and message in result.output


def test_a_lone_cr_keeps_its_offsets(tmp_path, scheme):
    export = write_export(tmp_path, "Oslo\rBergen", [region("a", 5, 11, "GPE", "entity", "Bergen")])
    [path] = import_adapted(export, annotations_dir=folder(tmp_path), scheme=scheme, new_articles=META).written
    record = json.loads(path.read_text(encoding="utf-8"))
    assert record["text"] == "Oslo\nBergen" and [(s["start"], s["end"]) for s in record["annotations"][0]["spans"]] == [(5, 11)]
    assert path.name == f"lt-{record['text_sha256'][:16]}.json"

"""Label config and tasks: generated from the scheme, accepted by label-studio-sdk's parser."""

from __future__ import annotations

import json

from label_studio_sdk.label_interface import LabelInterface

from newscorpus.ingest.run import ingest_seed
from newscorpus.core.models import Gold, Relation, SentenceLabel, Span
from newscorpus.core.scheme import default_scheme
from newscorpus.labelstudio.tasks import SENTENCE_HOTKEY, label_config, record_to_task, to_results, write_tasks

from tests.support import SEED


def test_label_config_is_valid_for_label_studio_and_follows_the_scheme():
    config = label_config()
    li = LabelInterface(config)
    assert li.validate() is None
    controls = {c.name: c for c in li.controls}
    assert list(controls) == ["entity", "attribution", "sentence", "discourse_role", "span_note", "genre", "frames", "note"]
    assert controls["span_note"].attr["perRegion"] == "true"
    scheme = default_scheme()
    assert controls["entity"].labels == scheme.layer("entity").label_names
    assert len(controls["entity"].labels) == 18
    assert controls["attribution"].labels == ["QUOTE", "SOURCE"]
    assert controls["sentence"].labels == ["SENTENCE"]
    assert controls["discourse_role"].attr["perRegion"] == "true"
    assert controls["discourse_role"].labels[-1] == "OTHER"
    assert controls["genre"].attr["choice"] == "single-radio"
    assert controls["frames"].attr["choice"] == "multiple" and len(controls["frames"].labels) == 14
    assert '<Relation value="SPEAKER"/>' in config
    assert config.count('<Text name="text" value="$text"') == 1


def test_seed_task_has_14_sentence_regions_with_sentence_ids():
    record = ingest_seed(SEED)
    task = record_to_task(record)
    assert task["data"] == {"text": record.text, "article_id": "000_ba712161f3bc6069", "text_sha256": record.text_sha256}
    (prediction,) = task["predictions"]
    assert prediction["model_version"] == "newscorpus-1.3.0"
    regions = prediction["result"]
    assert [r["id"] for r in regions] == [f"s{i}" for i in range(14)]
    assert regions[3]["value"]["start"] == 639 and regions[3]["value"]["end"] == 792
    assert regions[3]["value"]["text"].startswith("“It is necessary")
    assert all(r["readonly"] is True for r in regions)  # sentence regions cannot be changed in Label Studio
    assert LabelInterface(label_config()).validate_prediction(prediction, return_errors=True) == []


def test_gold_goes_in_as_predictions():
    record = ingest_seed(SEED)
    record.gold = Gold(
        method="single", decided_by=None, from_annotations=["ls-1"],
        article_labels={"genre": ["reporting"]},
        sentence_labels=[SentenceLabel(sentence="s3", layer="discourse_role", label="EVALUATION")],
        spans=[Span(id="q", layer="attribution", label="QUOTE", start=640, end=739, text=record.text[640:739]),
               Span(id="h", layer="attribution", label="SOURCE", start=741, end=743, text="he")],
        relations=[Relation(id="SPEAKER:q>h", label="SPEAKER", head="q", tail="h")],
    )
    result = record_to_task(record)["predictions"][0]["result"]
    assert len(result) == 14 + 1 + 2 + 1 + 1
    assert {"id": "s3", "from_name": "discourse_role", "to_name": "text", "type": "choices",
            "value": {"start": 639, "end": 792, "text": record.text[639:792], "choices": ["EVALUATION"]}} in result
    assert {"type": "relation", "from_id": "q", "to_id": "h", "direction": "right", "labels": ["SPEAKER"]} in result
    assert LabelInterface(label_config()).validate_prediction(record_to_task(record)["predictions"][0], return_errors=True) == []


def test_write_tasks(tmp_path):
    report = write_tasks([ingest_seed(SEED)], out_dir=tmp_path)
    assert report.tasks == 1
    assert json.loads((tmp_path / "tasks.json").read_text(encoding="utf-8"))[0]["data"]["article_id"] == "000_ba712161f3bc6069"
    assert (tmp_path / "label_config.xml").read_text(encoding="utf-8") == label_config()


def test_no_annotator_can_draw_a_sentence_region():
    """The SENTENCE label is hidden, has a hotkey no keyboard sends (Label Studio would give
    it a free key otherwise), and can be used "at most -1 times": Label Studio refuses any
    new region with it (checked in the browser by tests/acceptance/test_labelstudio_browser.py)."""
    config = label_config()
    assert SENTENCE_HOTKEY == "ctrl+alt+shift+f19"
    assert ('  <View style="display: none">\n'
            '    <Labels name="sentence" toName="text">\n'
            '      <Label value="SENTENCE" background="#DDDDDD" maxUsages="-1" hotkey="ctrl+alt+shift+f19"/>\n'
            '    </Labels>\n'
            '  </View>\n') in config
    hotkeys = [line.split('hotkey="')[1].split('"')[0] for line in config.splitlines() if 'hotkey="' in line]
    assert hotkeys == [SENTENCE_HOTKEY]  # every other label keeps Label Studio's own keys


def test_readonly_sentences_only_where_asked():
    record = ingest_seed(SEED)
    plain = to_results(record, None)
    assert all("readonly" not in r for r in plain)
    locked = to_results(record, None, readonly_sentences=True)
    assert [dict(r, readonly=True) for r in plain] == locked

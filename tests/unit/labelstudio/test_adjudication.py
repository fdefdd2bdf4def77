"""Adjudication tasks made ready for the adjudication project: one model version for every
candidate, sentence regions read-only except where the candidates' roles differ; the
tasks file is checked before anything is pushed."""

from __future__ import annotations

import copy
import json

import pytest

from newscorpus.errors import LabelStudioError
from newscorpus.labelstudio.adjudication import CANDIDATES, adjudication_title, as_adjudication_task, read_adjudication_tasks


def sentence(sid, start, end):
    return {"id": sid, "from_name": "sentence", "to_name": "text", "type": "labels",
            "value": {"start": start, "end": end, "text": "x", "labels": ["SENTENCE"]}}


def role(sid, start, end, label):
    return {"id": sid, "from_name": "discourse_role", "to_name": "text", "type": "choices",
            "value": {"start": start, "end": end, "text": "x", "choices": [label]}}


TASK = {
    "data": {"text": "One. Two. Three.", "article_id": "a1", "text_sha256": "0" * 64},
    "predictions": [
        {"model_version": "candidates-ls-1",
         "result": [sentence("s0", 0, 4), sentence("s1", 5, 9), sentence("s2", 10, 16),
                    role("s0", 0, 4, "MAIN_EVENT"), role("s1", 5, 9, "CONSEQUENCE")]},
        {"model_version": "candidates-ls-2",
         "result": [sentence("s0", 0, 4), sentence("s1", 5, 9), sentence("s2", 10, 16),
                    role("s0", 0, 4, "MAIN_EVENT"), role("s1", 5, 9, "EVALUATION"),
                    {"id": "x", "from_name": "entity", "to_name": "text", "type": "labels",
                     "value": {"start": 0, "end": 3, "text": "One", "labels": ["CARDINAL"]}}]},
    ],
}


def test_as_adjudication_task():
    before = copy.deepcopy(TASK)
    ready = as_adjudication_task(TASK)
    assert TASK == before  # a new dict; the input is left alone
    assert ready["data"] == TASK["data"]
    assert [p["model_version"] for p in ready["predictions"]] == [CANDIDATES, CANDIDATES] == ["candidates", "candidates"]
    for prediction in ready["predictions"]:
        locked = {r["id"]: r.get("readonly", False) for r in prediction["result"] if r["from_name"] == "sentence"}
        # s1's role is open (the candidates differ): the adjudicator must be able to change it
        assert locked == {"s0": True, "s1": False, "s2": True}
        assert all("readonly" not in r for r in prediction["result"] if r["from_name"] != "sentence")
    assert [len(p["result"]) for p in ready["predictions"]] == [5, 6]
    assert adjudication_title("news") == "news adjudication"


def test_read_adjudication_tasks(tmp_path):
    path = tmp_path / "tasks.json"
    with pytest.raises(LabelStudioError) as err:
        read_adjudication_tasks(path)
    assert err.value.code == "no-adjudication-tasks" and "run `newscorpus adjudicate` first" in str(err.value)
    path.write_text(json.dumps([TASK]), encoding="utf-8")
    assert read_adjudication_tasks(path) == [TASK]
    path.write_text("[]", encoding="utf-8")
    assert read_adjudication_tasks(path) == []
    for bad in ('{"data": {}}', '[{"data": {"article_id": "a1"}}]', "not json"):
        path.write_text(bad, encoding="utf-8")
        with pytest.raises(LabelStudioError) as err:
            read_adjudication_tasks(path)
        assert err.value.code == "bad-adjudication-tasks"

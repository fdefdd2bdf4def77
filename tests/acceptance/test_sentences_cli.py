"""`newscorpus sentences split / merge` on a record file: the file written only when valid,
refusals write nothing, and the next `tasks` carries the new read-only sentence regions."""

from __future__ import annotations

import json

from click.testing import CliRunner

from newscorpus.cli import cli


def invoke(*args):
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def _regions(out) -> list[tuple[str, int, int, bool]]:
    task = json.loads((out / "tasks.json").read_text(encoding="utf-8"))[0]
    return [(r["id"], r["value"]["start"], r["value"]["end"], r["readonly"])
            for r in task["predictions"][0]["result"] if r["from_name"] == "sentence"]


def test_split_and_merge_round_with_tasks_and_validate(tmp_path, small_corpus):
    path = small_corpus / "small.json"
    result = invoke("sentences", "split", "small", "--at", 12, "--annotations", small_corpus)
    assert result.exit_code == 0, result.output
    assert result.output == "small: split s0 [0, 43) into s0 [0, 12) and c13 [13, 43); 0 sentence label(s) copied\n"
    record = json.loads(path.read_text(encoding="utf-8"))
    assert [(s["id"], s["start"], s["end"]) for s in record["sentences"]] == [
        ("s0", 0, 12), ("c13", 13, 43), ("s1", 44, 64), ("s2", 65, 97)]
    assert invoke("validate", small_corpus).exit_code == 0
    assert sorted(p.name for p in small_corpus.iterdir() if not p.name.startswith(".newscorpus")) == ["small.json"]
    out = tmp_path / "ls"
    assert invoke("tasks", "--annotations", small_corpus, "--out", out).exit_code == 0
    assert _regions(out) == [("s0", 0, 12, True), ("c13", 13, 43, True), ("s1", 44, 64, True), ("s2", 65, 97, True)]

    result = invoke("sentences", "merge", "small", "s1", "s2", "--annotations", small_corpus)
    assert result.exit_code == 0, result.output
    assert result.stdout == "small: merged s1 [44, 64) and s2 [65, 97) into s1 [44, 97); 0 sentence label(s) kept, 0 conflict(s)\n"
    assert invoke("validate", small_corpus).exit_code == 0
    assert invoke("tasks", "--annotations", small_corpus, "--out", out).exit_code == 0
    assert _regions(out) == [("s0", 0, 12, True), ("c13", 13, 43, True), ("s1", 44, 97, True)]


def test_refusals_are_one_line_and_write_nothing(small_corpus):
    path = small_corpus / "small.json"
    before = path.read_bytes()
    result = invoke("sentences", "split", "small", "--at", 43, "--annotations", small_corpus)
    assert result.exit_code == 1
    assert result.stderr.startswith(f"error: {path}::$.sentences: offset 43 is not inside a sentence (it is on the edge of s0 [0, 43) ")
    result = invoke("sentences", "merge", "small", "s0", "s2", "--annotations", small_corpus)
    assert result.exit_code == 1
    assert result.stderr.startswith(f"error: {path}::$.sentences[2]: s0 [0, 43) ")
    assert "are not adjacent (s1 between them)" in result.stderr
    result = invoke("sentences", "merge", "nope", "s0", "s1", "--annotations", small_corpus)
    assert result.exit_code == 1
    assert result.stderr.startswith(f"error: {small_corpus / 'nope.json'}::$: no record of article 'nope'")
    assert path.read_bytes() == before
    assert sorted(p.name for p in small_corpus.iterdir() if not p.name.startswith(".newscorpus")) == ["small.json"]


def test_an_invalid_record_is_refused_before_any_change(small_corpus):
    path = small_corpus / "small.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["sentences"][1]["end"] = 500
    path.write_text(json.dumps(data), encoding="utf-8")
    before = path.read_bytes()
    result = invoke("sentences", "split", "small", "--at", 12, "--annotations", small_corpus)
    assert result.exit_code == 1
    assert result.stderr.startswith(f"error: {path}::$.sentences: text[44:65] = ")
    assert "lies in no sentence" in result.stderr
    assert path.read_bytes() == before


def test_merge_lists_the_conflicts_and_keeps_the_record_valid(small_corpus):
    path = small_corpus / "small.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    roles = [{"sentence": s, "layer": "discourse_role", "label": label}
             for s, label in (("s0", "MAIN_EVENT"), ("s1", "CONSEQUENCE"), ("s2", "EVALUATION"))]
    data["annotations"] = [{"id": "ls-p1-a1", "annotator": "ls-2", "status": "submitted", "ground_truth": False,
                            "origin": {"tool": "label-studio", "version": None, "project": 1, "task": 1, "annotation": 1},
                            "created_at": None, "updated_at": None, "lead_time": None, "article_labels": {},
                            "sentence_labels": roles, "spans": [], "relations": []}]
    data["gold"] = {"method": "single", "decided_by": None, "from_annotations": ["ls-p1-a1"], "article_labels": {},
                    "sentence_labels": roles, "spans": [], "relations": []}
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    result = invoke("sentences", "merge", "small", "s1", "s2", "--annotations", small_corpus)
    assert result.exit_code == 0, result.output
    assert result.stdout == "small: merged s1 [44, 64) and s2 [65, 97) into s1 [44, 97); 0 sentence label(s) kept, 2 conflict(s)\n"
    assert result.stderr == ("conflict: ls-p1-a1 discourse_role: s1 CONSEQUENCE, s2 EVALUATION: s1 left unlabelled there\n"
                             "conflict: gold discourse_role: s1 CONSEQUENCE, s2 EVALUATION: s1 left unlabelled there\n")
    record = json.loads(path.read_text(encoding="utf-8"))
    assert record["gold"]["sentence_labels"] == [roles[0]] and record["annotations"][0]["sentence_labels"] == [roles[0]]
    assert invoke("validate", small_corpus).exit_code == 0
    # a split copies: the sentence's label reaches both parts
    result = invoke("sentences", "split", "small", "--at", 12, "--annotations", small_corpus)
    assert result.stdout == "small: split s0 [0, 43) into s0 [0, 12) and c13 [13, 43); 2 sentence label(s) copied\n"
    record = json.loads(path.read_text(encoding="utf-8"))
    assert [(sl["sentence"], sl["label"]) for sl in record["gold"]["sentence_labels"]] == [("s0", "MAIN_EVENT"), ("c13", "MAIN_EVENT")]

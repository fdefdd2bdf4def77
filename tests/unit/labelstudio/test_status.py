"""Counting a team's progress from the tasks of a full export: per annotator, complete
articles, articles open for adjudication; what counts as the same labels."""

from __future__ import annotations

from newscorpus.labelstudio.adjudication import adjudication_title
from newscorpus.labelstudio.status import AnnotatorProgress, ProjectStatus, count_status, labels_of


def span(rid, start, end, label, control="entity"):
    return {"id": rid, "from_name": control, "to_name": "text", "type": "labels",
            "value": {"start": start, "end": end, "text": "x", "labels": [label]}}


def choice(control, choices, rid="c", where=None):
    value = {"choices": choices} if where is None else {"start": where[0], "end": where[1], "choices": choices}
    return {"id": rid, "from_name": control, "to_name": "text", "type": "choices", "value": value}


SENTENCE = span("s0", 0, 24, "SENTENCE", control="sentence")


def test_labels_of_compares_what_is_said_not_ids_order_sentences_or_notes():
    one = [SENTENCE, span("a", 0, 5, "PERSON"), span("b", 18, 23, "GPE"), choice("genre", ["reporting"]),
           choice("discourse_role", ["MAIN_EVENT"], rid="s0", where=(0, 24)),
           {"type": "relation", "from_id": "a", "to_id": "b", "direction": "right", "labels": ["SPEAKER"]}]
    two = [span("y", 18, 23, "GPE"), span("x", 0, 5, "PERSON"), choice("genre", ["reporting"], rid="other"),
           {"id": "n", "from_name": "note", "to_name": "text", "type": "textarea", "value": {"text": ["doubt"]}},
           choice("discourse_role", ["MAIN_EVENT"], rid="s0", where=(0, 24)),
           {"type": "relation", "from_id": "y", "to_id": "x", "direction": "left", "labels": ["SPEAKER"]}]
    assert labels_of(one) == labels_of(two)
    assert labels_of(one) != labels_of([*one[:-1]])  # without the relation
    assert labels_of([span("a", 0, 5, "PERSON")]) != labels_of([span("a", 0, 5, "ORG")])
    assert labels_of([choice("frames", ["Economic", "Political"])]) == labels_of([choice("frames", ["Political", "Economic"])])
    assert labels_of([SENTENCE]) == labels_of([]) == frozenset()


def ann(aid, user, result, *, cancelled=False, updated="2024-01-01T00:00:00Z", as_object=False):
    return {"id": aid, "completed_by": {"id": user} if as_object else user, "was_cancelled": cancelled, "result": result,
            "updated_at": updated}


def task(tid, article, annotations=(), drafts=()):
    return {"id": tid, "data": {"article_id": article}, "annotations": list(annotations), "drafts": list(drafts)}


def test_count_status_exact():
    tasks = [
        # both agree on alpha (ids differ); ann 2 submitted twice: the latest counts
        task(1, "alpha", [ann(1, 7, [span("a", 0, 5, "PERSON")]), ann(2, 8, [span("z", 0, 5, "ORG")], updated="2024-01-01T00:00:00Z"),
                          ann(3, 8, [span("b", 0, 5, "PERSON")], updated="2024-02-01T00:00:00Z", as_object=True)]),
        # they disagree on beta
        task(2, "beta", [ann(4, 7, [span("a", 0, 5, "PERSON")]), ann(5, 8, [])]),
        # 7 skipped gamma, 8 has a draft of it (drafts name their user by e-mail, and by id in created_username)
        task(3, "gamma", [ann(6, 7, [], cancelled=True)],
             drafts=[{"id": 1, "user": "eight@example.com", "created_username": "eight@example.com, 8", "result": []}]),
        # delta: one annotator only, 9 has a draft too
        task(4, "delta", [ann(7, 7, [span("a", 0, 5, "PERSON")])], drafts=[{"id": 2, "user": {"id": 9}, "result": []}]),
        # epsilon: they disagree, but it was adjudicated
        task(5, "epsilon", [ann(8, 7, [choice("genre", ["opinion"])]), ann(9, 8, [choice("genre", ["satire"])])]),
        task(6, "zeta"),
    ]
    count, people, complete, open_ = count_status(tasks, overlap=2, adjudicated=["epsilon"])
    assert count == 6
    assert people == [AnnotatorProgress("ls-7", submitted=4, drafts=0, skipped=1),
                      AnnotatorProgress("ls-8", submitted=3, drafts=1, skipped=0),
                      AnnotatorProgress("ls-9", submitted=0, drafts=1, skipped=0)]
    assert complete == ["alpha", "beta", "epsilon"]
    assert open_ == ["beta"]
    assert count_status(tasks, overlap=3)[2:] == ([], ["beta", "epsilon"])
    assert count_status([], overlap=1) == (0, [], [], [])
    named = count_status(tasks, overlap=2, server="newsroom")[1]
    assert [p.annotator for p in named] == ["ls-newsroom-7", "ls-newsroom-8", "ls-newsroom-9"]


def test_status_to_dict_and_adjudication_title():
    status = ProjectStatus(1, "news", 2, 2, [AnnotatorProgress("ls-3", 1, 0, 1)], ["a"], [], [], "news adjudication")
    assert status.to_dict() == {
        "project_id": 1, "project_title": "news", "tasks": 2, "overlap": 2,
        "annotators": [{"annotator": "ls-3", "submitted": 1, "drafts": 0, "skipped": 1}],
        "complete": ["a"], "open_for_adjudication": [], "adjudicated": [], "adjudication_project": "news adjudication",
    }
    assert adjudication_title("news") == "news adjudication"

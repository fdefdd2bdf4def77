"""The adjudication round in Label Studio: the open units as tasks of an adjudication project.

``newscorpus adjudicate`` writes the articles with open units as Label Studio tasks, one
prediction per annotator (:mod:`newscorpus.agreement.adjudication_tasks`; the candidates
differ exactly on the open units). :func:`push_adjudication` sends them to the project
``"<project> adjudication"`` (:func:`adjudication_title`), with every candidate under one
model version, :data:`CANDIDATES`, set as that project's model version too (the labeling
view shows only predictions of the project's model version), and one annotator per task.
The adjudicator opens a task, finds the first candidate filled in and the others one tab
away, decides, and submits; ``newscorpus ls pull --adjudication`` brings that annotation
into the records and ``newscorpus adjudicate --adjudicator ls-<id>`` makes it the gold.

Sentence regions arrive read-only (:mod:`newscorpus.labelstudio.tasks`) but for the
sentences whose candidates differ (an open sentence unit): a choice on a read-only region
cannot be changed in Label Studio, and the adjudicator has to change that one.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from newscorpus.core.scheme import Scheme, default_scheme
from newscorpus.errors import LabelStudioError
from newscorpus.labelstudio.client import DEFAULT_PROJECT, Progress
from newscorpus.labelstudio.server import PushReport, push_tasks
from newscorpus.labelstudio.tasks import SENTENCE_CONTROL, label_config

__all__ = ["ADJUDICATION_SUFFIX", "CANDIDATES", "adjudication_title", "as_adjudication_task", "read_adjudication_tasks",
           "push_adjudication"]

#: The adjudication project of project ``P`` is titled ``P`` + this.
ADJUDICATION_SUFFIX = " adjudication"
#: The model version of every candidate, and of the adjudication project.
CANDIDATES = "candidates"


def adjudication_title(project: str) -> str:
    """The title of ``project``'s adjudication project: ``"<project> adjudication"``."""
    return project + ADJUDICATION_SUFFIX


def _choices_on(prediction: dict, region: str) -> frozenset:
    return frozenset((item.get("from_name"), tuple((item.get("value") or {}).get("choices") or ()))
                     for item in prediction.get("result") or () if item.get("type") == "choices" and item.get("id") == region)


def as_adjudication_task(task: dict) -> dict:
    """``task`` (an adjudication task as ``newscorpus adjudicate --tasks`` writes it) ready
    for the adjudication project, a new dict: every prediction under :data:`CANDIDATES`,
    and every sentence region read-only but those whose choices (the discourse role) differ
    between the candidates."""
    predictions = [dict(p, model_version=CANDIDATES, result=[dict(item) for item in p.get("result") or ()])
                   for p in task.get("predictions") or ()]
    for prediction in predictions:
        for item in prediction["result"]:
            if item.get("from_name") == SENTENCE_CONTROL and item.get("type") == "labels":
                if len({_choices_on(p, item.get("id")) for p in predictions}) == 1:
                    item["readonly"] = True
    return dict(task, predictions=predictions)


def read_adjudication_tasks(path: str | Path) -> list[dict]:
    """The tasks of an adjudication tasks file (a JSON list of tasks, each with
    ``data.article_id`` and ``data.text_sha256``). Raises :class:`LabelStudioError`
    ``no-adjudication-tasks`` when the file is missing and ``bad-adjudication-tasks`` when
    it is not such a list."""
    path = Path(path)
    try:
        tasks = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise LabelStudioError(f"{path}: no adjudication tasks file", code="no-adjudication-tasks",
                               hint="run `newscorpus adjudicate` first: it writes the open units there") from None
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise LabelStudioError(f"{path}: cannot read the adjudication tasks: {exc}", code="bad-adjudication-tasks") from None
    for i, task in enumerate(tasks if isinstance(tasks, list) else [None]):
        data = task.get("data") if isinstance(task, dict) else None
        if not isinstance(data, dict) or not all(isinstance(data.get(k), str) for k in ("article_id", "text_sha256")):
            raise LabelStudioError(f"{path}: task {i} has no data.article_id and data.text_sha256: not adjudication tasks",
                                   code="bad-adjudication-tasks", hint="write them with `newscorpus adjudicate --tasks FILE`")
    return tasks


def push_adjudication(
    *,
    url: str,
    tasks: Sequence[dict],
    project: str = DEFAULT_PROJECT,
    api_key: str | None = None,
    scheme: Scheme | None = None,
    progress: Progress | None = None,
) -> PushReport:
    """Create or update the adjudication project of ``project`` (:func:`adjudication_title`)
    and import the adjudication ``tasks`` (:func:`read_adjudication_tasks`) of articles it
    does not hold yet, each made ready by :func:`as_adjudication_task`: the label config of
    ``scheme``, :data:`CANDIDATES` as the project's model version, one annotator per task.
    An article already there is left alone (its candidates are not replaced). Raises as
    :func:`newscorpus.labelstudio.server.push`."""
    tasks = list(tasks)
    return push_tasks(
        url=url, articles=[(t["data"]["article_id"], t["data"]["text_sha256"]) for t in tasks],
        make_task=lambda i: as_adjudication_task(tasks[i]), project=adjudication_title(project),
        config=label_config(scheme or default_scheme()), model_version=CANDIDATES, overlap=1, api_key=api_key,
        progress=progress,
    )

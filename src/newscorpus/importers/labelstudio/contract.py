"""What the import relies on in a Label Studio full JSON export (docs/design.md, Label Studio).

The control names are those of the label config newscorpus generates
(:mod:`newscorpus.labelstudio.tasks`, the writing side of the same contract). A result
item is one of four types:

- ``labels``: a region ``{"id", "from_name": <control>, "type": "labels", "value": {"start",
  "end", "text", "labels": [<one label>]}}``; the control ``sentence`` marks a pre-made
  sentence, any other control names the span layer;
- ``choices``: ``{"id", "from_name": <layer>, "value": {"choices": [...]}}``, per region
  (the region's id) for a sentence layer, else for the whole article;
- ``relation``: ``{"from_id", "to_id", "direction": "right" | "left" | "bi", "labels": [...]}``;
- ``textarea``: a note, ``{"id", "from_name": "span_note" | "note", "value": {"text": [...]}}``.

Ids in records: annotations ``ls-p<project>-a<id>`` and drafts ``ls-p<project>-d<id>``
(Label Studio ids are unique only within a project), annotators ``ls-<user id>``,
relations ``<label>:<head>><tail>``. When the corpus names the server (``[labelstudio]
server``, ``import --server``), its name follows ``ls-``: ``ls-<server>-p<project>-a<id>``,
annotators ``ls-<server>-<user id>`` (ids of two servers never collide).
"""

from __future__ import annotations

import re
from typing import Literal

from newscorpus.labelstudio.tasks import ANNOTATION_NOTE, SENTENCE_CONTROL, SPAN_NOTE

__all__ = [
    "OffsetUnit",
    "ANNOTATION_NOTE",
    "SENTENCE_CONTROL",
    "SPAN_NOTE",
    "REGION",
    "LATER",
    "ID",
    "annotation_id",
    "annotator_id",
    "task_link",
    "relation_id",
    "user_id",
]

#: How an export counts offsets: code points (Label Studio >= 1.4) or UTF-16 code units.
OffsetUnit = Literal["codepoint", "utf16"]

#: The result type of a region (a span or a sentence).
REGION = "labels"
#: The result types converted after every region of the annotation is known.
LATER = ("choices", "relation", "textarea")

#: The pattern of an id in a record (``core.models.Id``): what a region id must match.
ID = re.compile(r"[A-Za-z0-9_.:>\-]{1,200}")


def annotation_id(project: int | None, raw_id: int, *, draft: bool, server: str | None = None) -> str:
    """The record id of Label Studio annotation (or draft) ``raw_id`` of ``project``, on the
    server the corpus names ``server`` (None: no name, the ids of schema 1.1.0)."""
    scope = "ls-" if server is None else f"ls-{server}-"
    if project is not None:
        scope += f"p{project}-"
    return f"{scope}{'d' if draft else 'a'}{raw_id}"


def annotator_id(user: int, *, server: str | None = None) -> str:
    """The pseudonymous annotator id of Label Studio user ``user``: ``ls-<user id>``, or
    ``ls-<server>-<user id>`` on the server the corpus names ``server``."""
    return f"ls-{user}" if server is None else f"ls-{server}-{user}"


def task_link(project: int | None, task: int | None, server_url: str | None = None) -> str:
    """Where a person finds Label Studio task ``task`` of ``project``: its address
    ``<server_url>/projects/<project>/data?task=<task>`` when the server's URL and the
    project are known, else ``task <task>``."""
    if server_url and project is not None and task is not None:
        return f"{server_url.rstrip('/')}/projects/{project}/data?task={task}"
    return f"task {task}"


def relation_id(label: str, head: str, tail: str) -> str:
    """The record id of a relation: ``<label>:<head>><tail>`` (head and tail: span ids)."""
    return f"{label}:{head}>{tail}"


def user_id(value: object, *, fallback_name: object = None) -> int | None:
    """The Label Studio user id of ``completed_by`` (an int, or an object with ``id``), or
    of a draft's ``created_username`` (``"Name email, <id>"``) when ``value`` (a draft's
    ``user``, an e-mail address) gives none. None when there is no positive id."""
    if isinstance(value, dict):
        value = value.get("id")
    if isinstance(value, int) and not isinstance(value, bool):
        return value if value > 0 else None
    if isinstance(fallback_name, str) and ", " in fallback_name:
        tail = fallback_name.rsplit(", ", 1)[1].strip()
        if tail.isdigit():
            return int(tail)
    return None

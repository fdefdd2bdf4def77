"""The article record (docs/design.md, The record) as pydantic models.

One :class:`ArticleRecord` is one ``annotations/<article_id>.json`` file. All offsets are
Unicode code points, 0-based and end-exclusive: a span's ``text`` is ``record.text[start:end]``.
Field order here is the key order of the files on disk. Labels are plain strings in the
models; which labels exist is the scheme's business (:mod:`newscorpus.core.scheme`), and the
published JSON Schema (:mod:`newscorpus.schema.generate`) adds them as enums.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, NonNegativeInt

__all__ = [
    "SCHEMA_VERSION",
    "SchemeRef",
    "Meta",
    "Sentence",
    "Segmenter",
    "Span",
    "Relation",
    "SentenceLabel",
    "SERVER_NAME",
    "ServerName",
    "Origin",
    "Annotation",
    "Gold",
    "RevisedSpan",
    "Revision",
    "ArticleRecord",
]

#: The schema version this package writes. Records of older versions are read through
#: :mod:`newscorpus.records.versions`.
SCHEMA_VERSION = "1.3.0"

Id = Annotated[str, Field(min_length=1, max_length=200, pattern=r"^[A-Za-z0-9_.:>\-]+$")]
ArticleId = Annotated[
    str,
    Field(
        min_length=1,
        max_length=200,
        pattern=r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$",
        description="A safe file stem: letters, digits, '_', '.', '-'; no path separators.",
    ),
]
Offset = NonNegativeInt
ArticleLabels = Annotated[
    dict[str, list[str]],
    Field(description="Article-level labels by layer name, e.g. {'genre': ['reporting']}."),
]


#: Since schema 1.1.0: an annotator's free-text remark (a doubt, a question for the
#: adjudicator). Omitted from the file when null, so a 1.0.0 record needs no other change.
_NOTE = "Free-text remark of the annotator (a doubt, a question); omitted when null. Since 1.1.0."


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SchemeRef(_Model):
    """The annotation scheme a record follows: the name and version of its scheme file. Since 1.2.0."""

    name: str = Field(min_length=1, description="The scheme's name, e.g. 'newscorpus-default'.")
    version: str = Field(min_length=1, description="The scheme's version, e.g. '1.0.0'.")


class Meta(_Model):
    """What is known of an article's source and rights."""

    title: str | None = Field(description="Headline, or null when the source gives none.")
    publisher: str
    url: str | None = Field(description="Canonical address, or null when none is known.")
    published: dt.date = Field(description="Publication date (ISO 8601).")
    language: str = Field(
        pattern=r"^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$", description="BCP-47 language tag."
    )
    license: str = Field(
        pattern=r"^(LicenseRef-[A-Za-z0-9.\-]+|[A-Za-z0-9.+\-]+)$",
        description="SPDX licence id of the article text, or a LicenseRef-… id.",
    )
    redistributable: bool = Field(description="Whether the text itself may be published.")
    source_file: str = Field(description="The seed file the text was ingested from.")
    split: Literal["train", "validation", "test"] | None = Field(
        default=None, description="Overrides the hash-based split assignment."
    )


class Sentence(_Model):
    """A sentence: ``[start, end)`` in code points, trimmed of surrounding whitespace."""

    id: Id
    start: Offset
    end: Offset


class Segmenter(_Model):
    """The sentence segmenter that produced ``sentences``: its name and version."""

    name: str
    version: str


class Span(_Model):
    """A labelled span of a span layer; ``text == article_text[start:end]`` always holds."""

    id: Id
    layer: str
    label: str
    start: Offset
    end: Offset
    text: str
    note: str | None = Field(default=None, exclude_if=lambda v: v is None, description=_NOTE)


class Relation(_Model):
    """A directed relation from span ``head`` to span ``tail`` (span ids of the same annotation)."""

    id: Id
    label: str
    head: Id
    tail: Id


class SentenceLabel(_Model):
    """The label of one sentence layer for one sentence (by sentence id)."""

    sentence: Id
    layer: str
    label: str


#: The name a corpus gives a Label Studio server (``[labelstudio] server``, ``import
#: --server``): a short lowercase slug, part of the ids of that server's annotations and
#: annotators. Since 1.2.0.
SERVER_NAME = r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$"
ServerName = Annotated[str, Field(max_length=32, pattern=SERVER_NAME)]


class Origin(_Model):
    """Where an annotation was made: tool, tool version, project, task and annotation ids,
    and the name of the tool's server when the corpus gives it one."""

    tool: str
    version: str | None = None
    project: int | None = None
    task: int | None = None
    annotation: int | None = None
    server: ServerName | None = Field(
        default=None, exclude_if=lambda v: v is None,
        description="The corpus's name for the server the annotation came from (e.g. 'newsroom'); omitted when none was given. Since 1.2.0.",
    )


class Annotation(_Model):
    """One annotator's work on one article, as made (raw, not adjudicated)."""

    id: Id
    annotator: Annotated[str, Field(pattern=r"^[a-z][a-z0-9]*-[A-Za-z0-9_\-]+$")] = Field(
        description="Pseudonymous annotator id, e.g. 'ls-3' for Label Studio user 3."
    )
    status: Literal["submitted", "cancelled", "draft"]
    ground_truth: bool = False
    origin: Origin
    created_at: AwareDatetime | None = Field(default=None, description="RFC 3339 date-time with a UTC offset.")
    updated_at: AwareDatetime | None = Field(default=None, description="RFC 3339 date-time with a UTC offset.")
    lead_time: float | None = Field(default=None, ge=0, description="Seconds spent, if known.")
    article_labels: ArticleLabels = Field(default_factory=dict)
    sentence_labels: list[SentenceLabel] = Field(default_factory=list)
    spans: list[Span] = Field(default_factory=list)
    relations: list[Relation] = Field(default_factory=list)
    note: str | None = Field(default=None, exclude_if=lambda v: v is None, description=_NOTE)


class Gold(_Model):
    """The adjudicated reference annotation and how it was decided."""

    method: Literal["single", "majority", "adjudicated", "ground_truth"]
    decided_by: str | None = Field(description="Adjudicator id, or null for a rule.")
    from_annotations: list[Id] = Field(description="Ids of the annotations gold derives from.")
    article_labels: ArticleLabels = Field(default_factory=dict)
    sentence_labels: list[SentenceLabel] = Field(default_factory=list)
    spans: list[Span] = Field(default_factory=list)
    relations: list[Relation] = Field(default_factory=list)


class RevisedSpan(_Model):
    """A span whose text a revision changed (``after``) or removed (``after`` null): where
    it is (``part``: the annotation id, or ``gold``), its id, and its text before and after."""

    part: Id = Field(description="The id of the annotation holding the span, or 'gold'.")
    span: Id
    before: str = Field(description="The span's text before the revision.")
    after: str | None = Field(description="The span's text after the revision; null when the span was dropped.")


class Revision(_Model):
    """One correction of the article text (``newscorpus revise``): the text it replaced,
    when, and what happened to the annotations. Since 1.3.0."""

    previous_text_sha256: str = Field(pattern=r"^[0-9a-f]{64}$", description="text_sha256 of the text before the revision.")
    revised_at: AwareDatetime = Field(description="When the revision was made (UTC, RFC 3339).")
    moved: NonNegativeInt = Field(description="Spans (of every annotation and the gold) moved with their text unchanged.")
    changed: list[RevisedSpan] = Field(default_factory=list, description="Spans an edit touched, kept with their new text (revise --accept-changed).")
    dropped: list[RevisedSpan] = Field(default_factory=list, description="Spans whose whole text was deleted, dropped (revise --drop-deleted).")
    sentences_added: list[Id] = Field(default_factory=list, description="Sentences made for text inserted on lines of its own.")
    sentences_dropped: list[Id] = Field(default_factory=list, description="Sentences whose whole text was deleted.")
    accepted: bool = Field(description="Whether spans whose text changed were accepted (revise --accept-changed).")


class ArticleRecord(_Model):
    """One article with its sentences, every raw annotation and the gold annotation."""

    schema_version: str = Field(pattern=r"^\d+\.\d+\.\d+$")
    scheme: SchemeRef | None = Field(
        default=None,
        exclude_if=lambda v: v is None,
        description="The annotation scheme whose labels the record uses; every command that writes records sets it. Since 1.2.0.",
    )
    id: ArticleId
    text: str = Field(description="Canonical text: NFC, LF line ends, no BOM.")
    text_sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    meta: Meta
    sentences: list[Sentence]
    segmenter: Segmenter
    annotations: list[Annotation] = Field(default_factory=list)
    gold: Gold | None = None
    revisions: list[Revision] = Field(
        default_factory=list, exclude_if=lambda v: not v,
        description="Corrections of the text since ingest, oldest first (newscorpus revise); omitted when none. Since 1.3.0.",
    )

"""TEMPORARY copy of the shared contract of branch fmt-in (dataclasses only); replaced by
fmt-in's module at the merge."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class SourceSpan:
    id: str
    start: int
    end: int
    label: str
    layer: str | None = None
    note: str | None = None
    line: int | None = None
    text: str | None = None


@dataclass(frozen=True)
class SourceRelation:
    id: str
    head: str
    tail: str
    label: str
    line: int | None = None


@dataclass(frozen=True)
class SourceDocument:
    file: str
    annotation_file: str
    name: str
    text: str
    spans: tuple[SourceSpan, ...] = ()
    relations: tuple[SourceRelation, ...] = ()
    meta: dict[str, str] = field(default_factory=dict)

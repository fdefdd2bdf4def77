"""The annotation scheme: which layers exist, at which level, with which labels.

The scheme is data (``newscorpus/data/scheme.yaml``, docs/design.md, The annotation scheme). Everything that
depends on label sets is generated from it: the JSON Schema enums (:mod:`newscorpus.schema.generate`),
the Label Studio label config (:mod:`newscorpus.labelstudio.tasks`), the Hugging Face ``ClassLabel``
names (:mod:`newscorpus.dataset.build`) and the tables of ``docs/``. Label order in the file is the
``ClassLabel`` order of the published dataset.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, field_validator, model_validator

__all__ = ["Label", "Layer", "RelationType", "Role", "ROLE_KINDS", "Scheme", "load_scheme", "default_scheme"]

Level = Literal["article", "sentence", "span"]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Label(_Frozen):
    """One label of a layer: its ``name`` (as stored in records) and a one-line ``definition``."""

    name: str
    definition: str


class Layer(_Frozen):
    """A named set of labels applied at one level.

    ``level`` is ``article`` (labels of the whole article), ``sentence`` (one label per
    sentence) or ``span`` (labelled character spans). ``cardinality`` says whether an
    article or sentence layer takes one label (``single``) or several (``multi``);
    ``overlap`` says whether spans of a span layer may overlap one another. ``source`` names
    the published label set the labels come from.
    """

    name: str
    level: Level
    source: str
    labels: tuple[Label, ...]
    cardinality: Literal["single", "multi"] = "single"
    overlap: bool = True

    @property
    def label_names(self) -> list[str]:
        """Label names in scheme order."""
        return [label.name for label in self.labels]


class RelationLabel(_Frozen):
    """A relation label with the span labels allowed at its head and tail."""

    name: str
    definition: str
    directed: bool = True
    head_labels: tuple[str, ...]
    tail_labels: tuple[str, ...]


class RelationType(_Frozen):
    """A relation layer: directed links between two spans of the same annotation."""

    name: str
    source: str
    labels: tuple[RelationLabel, ...]

    @property
    def label_names(self) -> list[str]:
        """Relation label names in scheme order."""
        return [label.name for label in self.labels]


#: The roles a scheme may declare, and what each names: a span label (``"span"``: a span
#: ``layer`` and its ``label``) or a relation label (``"relation"``). To add a role: add it
#: here with its kind, declare it in the scheme file (``roles:``), and ask for it with
#: :meth:`Scheme.role` where it is needed (a role is never a label literal in code).
ROLE_KINDS = {
    "quote": "span",  # the quoted words of a direct quotation (the `quotes` config)
    "speaker": "relation",  # from a quotation to its speaker's mention
}


class Role(_Frozen):
    """What a part of the pipeline needs to find in the scheme, by its role ``name`` (one of
    :data:`ROLE_KINDS`): the span label ``label`` of the span layer ``layer``, or the
    relation label ``relation``. The scheme file gives roles as a mapping, name -> fields
    (``quote: {layer: attribution, label: QUOTE}``)."""

    name: str
    layer: str | None = None
    label: str | None = None
    relation: str | None = None


class Scheme(_Frozen):
    """The whole annotation scheme: span, sentence and article layers, relation types, and
    the :class:`Role` of the labels that code needs to find (:meth:`role`)."""

    name: str
    version: str
    layers: tuple[Layer, ...]
    relations: tuple[RelationType, ...] = ()
    roles: tuple[Role, ...] = ()

    @field_validator("roles", mode="before")
    @classmethod
    def _roles_by_name(cls, value: Any) -> Any:
        if isinstance(value, dict):  # the file's form: {name: {layer, label} or {relation}}
            return tuple({**dict(role or {}), "name": name} for name, role in value.items())
        return value

    @model_validator(mode="after")
    def _check(self) -> Scheme:
        names = [layer.name for layer in self.layers]
        if len(set(names)) != len(names):
            raise ValueError(f"layer names must be unique, got {names}")
        span_labels = [name for layer in self.span_layers for name in layer.label_names]
        if len(set(span_labels)) != len(span_labels):
            raise ValueError("span labels must be unique across span layers")
        for rel in self.relations:
            for label in rel.labels:
                for name in (*label.head_labels, *label.tail_labels):
                    if name not in span_labels:
                        raise ValueError(f"relation {label.name} names unknown span label {name!r}")
        self._check_roles()
        return self

    def _check_roles(self) -> None:
        """Each role is known, declared once, and names a label of this scheme."""
        names = [role.name for role in self.roles]
        if len(set(names)) != len(names):
            raise ValueError(f"role names must be unique, got {names}")
        for role in self.roles:
            kind = ROLE_KINDS.get(role.name)
            if kind is None:
                raise ValueError(f"unknown role {role.name!r}: the roles are {', '.join(ROLE_KINDS)}")
            if kind == "span":
                if role.layer is None or role.label is None or role.relation is not None:
                    raise ValueError(f"role {role.name} names a span label: give its layer and label (no relation)")
                layer = next((layer for layer in self.span_layers if layer.name == role.layer), None)
                if layer is None:
                    raise ValueError(f"role {role.name} names layer {role.layer!r}, which is not a span layer of the scheme")
                if role.label not in layer.label_names:
                    raise ValueError(f"role {role.name} names label {role.label!r}, which the span layer {role.layer} does not have")
            else:
                if role.relation is None or role.layer is not None or role.label is not None:
                    raise ValueError(f"role {role.name} names a relation label: give its relation (no layer or label)")
                if role.relation not in self.relation_labels:
                    raise ValueError(f"role {role.name} names relation {role.relation!r}, which the scheme does not have")

    def role(self, name: str) -> Role | None:
        """The role ``name`` (one of :data:`ROLE_KINDS`) as this scheme declares it, or None
        when it does not (a scheme without the ``quote`` role has no ``quotes`` config)."""
        for role in self.roles:
            if role.name == name:
                return role
        return None

    def layers_at(self, level: Level) -> list[Layer]:
        """The layers of one level, in scheme order."""
        return [layer for layer in self.layers if layer.level == level]

    @property
    def span_layers(self) -> list[Layer]:
        """Span layers in scheme order."""
        return self.layers_at("span")

    @property
    def sentence_layers(self) -> list[Layer]:
        """Sentence layers in scheme order."""
        return self.layers_at("sentence")

    @property
    def article_layers(self) -> list[Layer]:
        """Article layers in scheme order."""
        return self.layers_at("article")

    def layer(self, name: str) -> Layer:
        """The layer called ``name``; raises ``KeyError`` when there is none."""
        for layer in self.layers:
            if layer.name == name:
                return layer
        raise KeyError(name)

    @property
    def span_labels(self) -> list[str]:
        """All span labels, layer by layer in scheme order (the span ``ClassLabel`` names)."""
        return [name for layer in self.span_layers for name in layer.label_names]

    def span_layer_of(self, label: str) -> str | None:
        """The span layer that owns ``label``, or None when no span layer has it."""
        for layer in self.span_layers:
            if label in layer.label_names:
                return layer.name
        return None

    @property
    def relation_labels(self) -> list[str]:
        """All relation labels in scheme order."""
        return [name for rel in self.relations for name in rel.label_names]

    def relation_label(self, name: str) -> RelationLabel | None:
        """The relation label called ``name``, or None."""
        for rel in self.relations:
            for label in rel.labels:
                if label.name == name:
                    return label
        return None


def load_scheme(path: str | Path) -> Scheme:
    """Read a scheme YAML file. Raises ``pydantic.ValidationError`` on a malformed scheme."""
    with open(path, encoding="utf-8") as fh:
        return Scheme.model_validate(yaml.safe_load(fh))


@cache
def default_scheme() -> Scheme:
    """The default scheme shipped with the package (docs/design.md, The annotation scheme)."""
    ref = resources.files("newscorpus") / "data" / "scheme.yaml"
    return Scheme.model_validate(yaml.safe_load(ref.read_text(encoding="utf-8")))

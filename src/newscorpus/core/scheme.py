"""The annotation scheme: which layers exist, at which level, with which labels.

The scheme is data (docs/design.md, The annotation scheme): the packaged ``newscorpus/data/scheme.yaml``
(:func:`default_scheme`), or a corpus's own file (:func:`load_scheme`, which checks it). It
is loaded once, at the command line, and passed down as an argument. Everything that
depends on label sets is generated from it: the JSON Schema enums
(:mod:`newscorpus.schema.generate`), the Label Studio label config
(:mod:`newscorpus.labelstudio.tasks`), the Hugging Face ``ClassLabel`` names
(:mod:`newscorpus.dataset.build`) and the tables of ``docs/``. Label order in the file is
the ``ClassLabel`` order of the published dataset.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, ValidationInfo, field_validator, model_validator

from newscorpus.errors import SchemeError, describe_field_error, json_path

__all__ = [
    "Label",
    "Layer",
    "RelationLabel",
    "RelationType",
    "Role",
    "ROLE_KINDS",
    "Scheme",
    "SchemeProblem",
    "RESERVED_NAMES",
    "scheme_problems",
    "load_scheme",
    "default_scheme",
]

#: Names a layer may not take: the controls the Label Studio label config has of its own
#: (:mod:`newscorpus.labelstudio.tasks`: the ``<Text>`` object ``text``, the sentence
#: regions ``sentence``, the notes ``span_note`` and ``note``). A layer's name is the name of
#: its control there.
RESERVED_NAMES = frozenset({"text", "sentence", "span_note", "note"})

# A validation context key: load_scheme checks the scheme itself, to report codes and paths.
_DEFER_CHECKS = "newscorpus.defer_scheme_checks"

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
    """The whole annotation scheme: span, sentence and article layers and relation types.

    ``name`` and ``version`` identify it; records name the scheme they follow by them.
    Building one checks it (:func:`scheme_problems`); an inconsistent scheme raises
    ``pydantic.ValidationError`` with the first problem.
    """

    name: str = Field(min_length=1)
    version: str = Field(min_length=1)
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
    def _check(self, info: ValidationInfo) -> Scheme:
        if not (info.context or {}).get(_DEFER_CHECKS):
            problems = scheme_problems(self)
            if problems:
                raise ValueError(f"{problems[0].where}: {problems[0].message}")
        return self

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


@dataclass(frozen=True)
class SchemeProblem:
    """One inconsistency of a scheme: ``where`` its YAML path (``$.layers[2].name``),
    ``code`` a ``scheme-…`` code of :class:`~newscorpus.errors.SchemeError`, ``message``
    what is wrong, with the values."""

    where: str
    code: str
    message: str


def scheme_problems(scheme: Scheme) -> list[SchemeProblem]:
    """Every inconsistency of ``scheme``, in file order: a reserved layer name
    (:data:`RESERVED_NAMES`), a layer or relation type without labels, a layer name used
    twice, a label twice in a layer, a span label in two span layers (a span's label names
    its layer), a relation label twice, a relation head or tail label no span layer has."""
    problems: list[SchemeProblem] = []
    layer_at: dict[str, int] = {}
    span_label_at: dict[str, tuple[int, int]] = {}
    for i, layer in enumerate(scheme.layers):
        where = f"$.layers[{i}]"
        if layer.name in RESERVED_NAMES:
            problems.append(SchemeProblem(f"{where}.name", "scheme-reserved-name",
                                          f"layer name {layer.name!r} is reserved: the Label Studio label config has a control of "
                                          f"that name (reserved: {', '.join(sorted(RESERVED_NAMES))}); rename the layer"))
        if layer.name in layer_at:
            problems.append(SchemeProblem(f"{where}.name", "scheme-duplicate-layer",
                                          f"layer {layer.name!r} is defined twice (first at $.layers[{layer_at[layer.name]}])"))
        layer_at.setdefault(layer.name, i)
        if not layer.labels:
            problems.append(SchemeProblem(f"{where}.labels", "scheme-empty-layer", f"layer {layer.name!r} has no labels"))
        label_at: dict[str, int] = {}
        for j, label in enumerate(layer.labels):
            if label.name in label_at:
                problems.append(SchemeProblem(f"{where}.labels[{j}].name", "scheme-duplicate-label",
                                              f"label {label.name!r} appears twice in layer {layer.name!r} "
                                              f"(first at {where}.labels[{label_at[label.name]}])"))
                continue
            label_at[label.name] = j
            if layer.level != "span":
                continue
            if label.name in span_label_at:
                li, lj = span_label_at[label.name]
                problems.append(SchemeProblem(f"{where}.labels[{j}].name", "scheme-duplicate-label",
                                              f"span label {label.name!r} is in span layers {scheme.layers[li].name!r} and "
                                              f"{layer.name!r}: a span's label names its layer, so span labels are unique "
                                              f"across span layers (first at $.layers[{li}].labels[{lj}])"))
            span_label_at.setdefault(label.name, (i, j))
    relation_at: dict[str, str] = {}
    for r, rel in enumerate(scheme.relations):
        where = f"$.relations[{r}]"
        if not rel.labels:
            problems.append(SchemeProblem(f"{where}.labels", "scheme-empty-layer", f"relation type {rel.name!r} has no labels"))
        for k, label in enumerate(rel.labels):
            if label.name in relation_at:
                problems.append(SchemeProblem(f"{where}.labels[{k}].name", "scheme-duplicate-label",
                                              f"relation label {label.name!r} is defined twice (first at {relation_at[label.name]})"))
            relation_at.setdefault(label.name, f"{where}.labels[{k}]")
            for role, names in (("head", label.head_labels), ("tail", label.tail_labels)):
                for m, name in enumerate(names):
                    if name not in span_label_at:
                        problems.append(SchemeProblem(f"{where}.labels[{k}].{role}_labels[{m}]", "scheme-unknown-label",
                                                      f"relation {label.name!r} names {role} label {name!r}, which no span layer "
                                                      f"has (span labels: {', '.join(span_label_at) or 'none'})"))
    problems.extend(_role_problems(scheme))
    return problems


def _role_problems(scheme: Scheme) -> list[SchemeProblem]:
    """What is wrong with the scheme's roles, in file order: a role that is unknown
    (:data:`ROLE_KINDS`), declared twice, of the wrong kind, or naming a label or relation
    the scheme does not have."""
    problems: list[SchemeProblem] = []
    seen: set[str] = set()
    for role in scheme.roles:
        where = f"$.roles.{role.name}"
        kind = ROLE_KINDS.get(role.name)
        if kind is None:
            problems.append(SchemeProblem(where, "scheme-invalid-role", f"unknown role {role.name!r}: the roles are {', '.join(ROLE_KINDS)}"))
            continue
        if role.name in seen:
            problems.append(SchemeProblem(where, "scheme-invalid-role", f"role {role.name!r} is declared twice"))
            continue
        seen.add(role.name)
        if kind == "span":
            if role.layer is None or role.label is None or role.relation is not None:
                problems.append(SchemeProblem(where, "scheme-invalid-role", f"role {role.name} names a span label: give its layer and label (no relation)"))
                continue
            layer = next((layer for layer in scheme.span_layers if layer.name == role.layer), None)
            if layer is None:
                problems.append(SchemeProblem(where, "scheme-invalid-role", f"role {role.name} names layer {role.layer!r}, which is not a span layer of the scheme"))
            elif role.label not in layer.label_names:
                problems.append(SchemeProblem(where, "scheme-invalid-role", f"role {role.name} names label {role.label!r}, which the span layer {role.layer} does not have"))
        elif role.relation is None or role.layer is not None or role.label is not None:
            problems.append(SchemeProblem(where, "scheme-invalid-role", f"role {role.name} names a relation label: give its relation (no layer or label)"))
        elif role.relation not in scheme.relation_labels:
            problems.append(SchemeProblem(where, "scheme-invalid-role", f"role {role.name} names relation {role.relation!r}, which the scheme does not have"))
    return problems


def load_scheme(path: str | Path) -> Scheme:
    """Read and check a scheme YAML file.

    Raises :class:`~newscorpus.errors.SchemeError` naming the file and the YAML path of the
    first problem: ``scheme-not-found``, ``scheme-invalid-yaml``, ``scheme-invalid`` (a
    missing or unknown key, a wrong type or value), or a problem of :func:`scheme_problems`.
    """
    file = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise SchemeError("no such scheme file", file=file, code="scheme-not-found") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise SchemeError(f"cannot read the scheme file: {exc}", file=file, code="scheme-not-found") from exc
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        at = f" at line {mark.line + 1} column {mark.column + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise SchemeError(f"not valid YAML{at}: {problem}", file=file, code="scheme-invalid-yaml") from exc
    if not isinstance(data, dict):
        raise SchemeError(f"a scheme is a YAML mapping, found {type(data).__name__}", file=file, code="scheme-invalid")
    try:
        scheme = Scheme.model_validate(data, context={_DEFER_CHECKS: True})
    except ValidationError as exc:
        err = exc.errors()[0]
        raise SchemeError(describe_field_error(err, Scheme), file=file, where=json_path(err["loc"]), code="scheme-invalid") from exc
    problems = scheme_problems(scheme)
    if problems:
        first = problems[0]
        raise SchemeError(first.message, file=file, where=first.where, code=first.code)
    return scheme


@cache
def default_scheme() -> Scheme:
    """The default scheme shipped with the package (``newscorpus-default``; docs/design.md, The annotation scheme)."""
    ref = resources.files("newscorpus") / "data" / "scheme.yaml"
    return Scheme.model_validate(yaml.safe_load(ref.read_text(encoding="utf-8")))

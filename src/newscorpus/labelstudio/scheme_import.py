"""A scheme from a Label Studio label config (``newscorpus scheme from-labelstudio``).

A team with a Label Studio project brings its labels over as a scheme file
(docs/configuration.md, A corpus's own scheme; docs/corpus.md). What each part of the
config becomes:

- ``<Labels name="X">`` with ``<Label value=...>`` children: the span layer X with those
  labels (``overlap: true``: Label Studio lets regions overlap);
- ``<Choices name="X">``: the article layer X, ``single`` for ``choice="single"`` or
  ``"single-radio"`` (Label Studio's default), ``multi`` for ``"multiple"``;
- ``<Choices name="X" perRegion="true">``: the sentence layer X, only when the config has
  newscorpus's sentence regions (``<Labels name="sentence">`` with the one label
  ``SENTENCE``, as ``newscorpus tasks`` writes); in any other config it labels arbitrary
  regions, which newscorpus does not keep: an error;
- ``<Relations>`` with ``<Relation value=...>``: one relation type, ``relations``, whose
  labels may join any two span labels (Label Studio does not restrict them);
- ``<TextArea>`` and every other control (an element with ``toName``): ignored, with a
  warning (newscorpus's own notes, ``note`` and ``span_note``, silently).

A label's name is what Label Studio writes into results: its ``alias`` when it has one,
else its ``value``; its definition is its ``hint`` (else ``title``), or a placeholder.
The names the scheme checks reserve (:data:`newscorpus.core.scheme.RESERVED_NAMES`) and
the name of any ``<Text>`` object are never layers. The config is read with expat: no
DTD, no entity declarations.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from xml.parsers import expat

import yaml

from newscorpus.core.scheme import RESERVED_NAMES, Label, Layer, RelationLabel, RelationType, Scheme, scheme_problems
from newscorpus.errors import SchemeError
from newscorpus.labelstudio.tasks import ANNOTATION_NOTE, SENTENCE_CONTROL, SENTENCE_LABEL, SPAN_NOTE

__all__ = ["NO_DEFINITION", "RELATION_TYPE", "SchemeImport", "scheme_from_label_config", "scheme_yaml"]

#: The definition of a label whose config gives none (no ``hint`` or ``title``).
NO_DEFINITION = "(no definition in the Label Studio config)"
#: The name of the one relation type made of ``<Relations>``.
RELATION_TYPE = "relations"
_SINGLE = {None: "single", "single": "single", "single-radio": "single", "multiple": "multi"}


@dataclass
class _Element:
    tag: str
    attrs: dict[str, str]
    line: int
    children: list[_Element] = field(default_factory=list)

    @property
    def opening(self) -> str:
        """The element as its opening tag, with its name or value: ``<Labels name="ner">``."""
        key = "name" if "name" in self.attrs else "value" if "value" in self.attrs else None
        return f"<{self.tag}{f' {key}={_quote(self.attrs[key])}' if key else ''}>"

    def __str__(self) -> str:
        return f"{self.opening} at line {self.line}"

    def walk(self):
        """This element and every element inside it, in document order (no recursion: a
        config nested thousands deep is walked like any other)."""
        stack = [self]
        while stack:
            element = stack.pop()
            yield element
            stack.extend(reversed(element.children))

    @property
    def definition(self) -> str:
        """The label definition this element gives: its ``hint``, else ``title`` (spaces
        collapsed), else :data:`NO_DEFINITION`."""
        text = " ".join((self.attrs.get("hint") or self.attrs.get("title") or "").split())
        return text or NO_DEFINITION


def _quote(value: str) -> str:
    """``value`` in double quotes, as an XML attribute is written."""
    return '"' + value.replace('"', "&quot;") + '"'


@dataclass(frozen=True)
class SchemeImport:
    """What :func:`scheme_from_label_config` made: the ``scheme``, ``warnings`` (one line
    each, ``<element> at line N: what was ignored``) and ``file`` the config read."""

    scheme: Scheme
    warnings: list[str]
    file: str


def _parse(data: bytes, file: str) -> _Element:
    """The element tree of ``data`` with line numbers; raises :class:`SchemeError`
    (``labelstudio-config-invalid``) for anything that is not well-formed XML or declares a DTD."""
    parser = expat.ParserCreate()
    stack: list[_Element] = []
    roots: list[_Element] = []

    def start(tag: str, attrs: dict[str, str]) -> None:
        element = _Element(tag, attrs, parser.CurrentLineNumber)
        (stack[-1].children if stack else roots).append(element)
        stack.append(element)

    def refuse(*_args) -> None:
        raise SchemeError("a label config has no DTD or entity declarations", file=file,
                          where=f"line {parser.CurrentLineNumber}", code="labelstudio-config-invalid")

    parser.StartElementHandler = start
    parser.EndElementHandler = lambda _tag: stack.pop()
    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    try:
        parser.Parse(data, True)
    except expat.ExpatError as exc:
        raise SchemeError(f"not XML: {expat.ErrorString(exc.code)}", file=file,
                          where=f"line {exc.lineno} column {exc.offset + 1}", code="labelstudio-config-invalid") from exc
    return roots[0]


class _Reader:
    """The walk over one config: layers, relation labels and warnings, in document order."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.layers: list[Layer] = []
        self.layer_at: dict[str, _Element] = {}
        self.span_label_at: dict[str, tuple[_Element, _Element]] = {}  # label -> (its <Labels>, its <Label>)
        self.relations: list[tuple[str, str]] = []
        self.relations_at: _Element | None = None
        self.per_region: list[_Element] = []
        self.sentences = False
        self.ignored: list[tuple[_Element, str]] = []  # (control, why)

    def ignore(self, element: _Element, why: str) -> None:
        self.ignored.append((element, why))

    @property
    def warnings(self) -> list[str]:
        """One line per control ignored: ``<element> at line N: ignored: why``."""
        return [f"{element}: ignored: {why}" for element, why in self.ignored]

    def error(self, element: _Element, message: str, code: str) -> SchemeError:
        return SchemeError(message, file=self.file, where=str(element), code=code)

    def required(self, element: _Element, attr: str) -> str:
        value = element.attrs.get(attr, "").strip()
        if not value:
            raise self.error(element, f"<{element.tag}> has no {attr}", "labelstudio-config-invalid")
        return value

    def labels(self, control: _Element, child: str, *, span: bool) -> tuple[Label, ...]:
        """The labels of ``control`` (its ``child`` descendants), checked for duplicates."""
        seen: dict[str, _Element] = {}
        out = []
        for element in control.walk():
            if element.tag != child:
                continue
            value = self.required(element, "value")
            name = element.attrs.get("alias", "").strip() or value
            if name in seen:
                raise self.error(element, f"label {name!r} appears twice in {control.opening} (first at line {seen[name].line})",
                                 "scheme-duplicate-label")
            if span and name in self.span_label_at:
                first, label = self.span_label_at[name]
                raise self.error(element, f"span label {name!r} is in {first.opening} too (line {label.line}): a span's label "
                                          "names its layer, so span labels are unique across <Labels>", "scheme-duplicate-label")
            seen[name] = element
            out.append(Label(name=name, definition=element.definition))
        if not out:
            raise self.error(control, f"no <{child}>: a layer needs labels", "scheme-empty-layer")
        if span:
            self.span_label_at.update((name, (control, element)) for name, element in seen.items())
        return tuple(out)

    def add(self, control: _Element, layer: Layer) -> None:
        if layer.name in self.layer_at:
            raise self.error(control, f"{layer.name!r} names {self.layer_at[layer.name]} too: a layer's name is unique",
                             "scheme-duplicate-layer")
        self.layer_at[layer.name] = control
        self.layers.append(layer)

    def source(self, control: _Element) -> str:
        return f"Label Studio label config {Path(self.file).name}, {control.opening}"

    def control(self, element: _Element, objects: set[str]) -> None:
        tag, name = element.tag, element.attrs.get("name", "")
        if tag == "Labels" and name == SENTENCE_CONTROL and [c.attrs.get("value") for c in element.walk() if c.tag == "Label"] == [SENTENCE_LABEL]:
            self.sentences = True
            return
        if tag == "TextArea" and name in (SPAN_NOTE, ANNOTATION_NOTE):
            return
        if tag not in ("Labels", "Choices"):
            self.ignore(element, f"newscorpus has no layer for {'a free-text answer' if tag == 'TextArea' else f'<{tag}>'}")
            return
        name = self.required(element, "name")
        if name in RESERVED_NAMES or name in objects:
            why = "a <Text> object's name" if name in objects else "reserved for newscorpus's own controls"
            self.ignore(element, f"{name!r} is {why}, not a layer name")
            return
        if element.attrs.get("value", "").startswith("$"):
            raise self.error(element, f"the labels come from task data ({element.attrs['value']}): list them in the config",
                             "labelstudio-config-unsupported")
        if tag == "Labels":
            if element.attrs.get("choice") == "multiple":
                self.ignore(element, 'choice="multiple": newscorpus keeps one label per span (the import refuses a region with several)')
            self.add(element, Layer(name=name, level="span", source=self.source(element), labels=self.labels(element, "Label", span=True)))
            return
        choice = element.attrs.get("choice")
        if choice not in _SINGLE:
            raise self.error(element, f"choice={_quote(choice)} is not one of single, single-radio, multiple", "labelstudio-config-invalid")
        per_region = element.attrs.get("perRegion", "").lower() == "true"
        layer = Layer(name=name, level="sentence" if per_region else "article", cardinality=_SINGLE[choice],
                      source=self.source(element), labels=self.labels(element, "Choice", span=False))
        if per_region:
            self.per_region.append(element)
        self.add(element, layer)

    def relation_labels(self, element: _Element) -> None:
        if self.relations_at is not None:
            raise self.error(element, f"a second <Relations> (first at line {self.relations_at.line})", "labelstudio-config-invalid")
        self.relations_at = element
        seen: dict[str, _Element] = {}
        for child in element.walk():
            if child.tag != "Relation":
                continue
            value = self.required(child, "value")
            if value in seen:
                raise self.error(child, f"relation label {value!r} appears twice in <Relations> (first at line {seen[value].line})",
                                 "scheme-duplicate-label")
            seen[value] = child
            self.relations.append((value, child.definition))
        if not seen:
            self.ignore(element, "relations without labels (the import needs a label on every relation)")


def scheme_from_label_config(path: str | Path, *, name: str | None = None, version: str = "1.0.0") -> SchemeImport:
    """The scheme of the Label Studio label config file ``path`` (XML), called ``name``
    (default: the file's stem) at ``version``; the rules are in this module's docstring.

    Raises :class:`~newscorpus.errors.SchemeError`, one line naming the file and the
    element (``<Labels name="ner"> at line 3``): ``scheme-not-found`` (no such file),
    ``labelstudio-config-invalid`` (not XML, a DTD, a control without ``name`` or a label
    without ``value``, an unknown ``choice``), ``labelstudio-config-empty`` (no
    ``<Labels>`` or ``<Choices>`` that becomes a layer), ``labelstudio-config-unsupported``
    (per-region choices without newscorpus's sentence regions, labels loaded from task
    data, relations without span labels), ``scheme-duplicate-label``,
    ``scheme-duplicate-layer``, ``scheme-empty-layer``.
    """
    file = str(path)
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise SchemeError(f"cannot read the label config: {exc.strerror or exc}", file=file, code="scheme-not-found") from exc
    root = _parse(data, file)
    objects = {e.attrs["name"] for e in root.walk() if e.tag == "Text" and "name" in e.attrs}
    reader = _Reader(file)
    for element in root.walk():
        if element.tag == "Relations":
            reader.relation_labels(element)
        elif "toName" in element.attrs:
            reader.control(element, objects)
    if not reader.layers:
        ignored = f" (ignored: {'; '.join(str(element) for element, _why in reader.ignored)})" if reader.ignored else ""
        raise SchemeError(f"no <Labels> or <Choices> that could become a layer{ignored}", file=file, where=str(root),
                          code="labelstudio-config-empty")
    if reader.per_region and not reader.sentences:
        raise reader.error(reader.per_region[0], "per-region choices label any region; newscorpus keeps them only on its "
                                    f"sentence regions (<Labels name=\"{SENTENCE_CONTROL}\"> with the one label {SENTENCE_LABEL}, "
                                    "as `newscorpus tasks` writes), which this config does not have", "labelstudio-config-unsupported")
    span_labels = [label.name for layer in reader.layers if layer.level == "span" for label in layer.labels]
    relations: tuple[RelationType, ...] = ()
    if reader.relations:
        if not span_labels:
            raise reader.error(reader.relations_at, "relations join spans, and this config has no <Labels>", "labelstudio-config-unsupported")
        labels = tuple(RelationLabel(name=n, definition=d, head_labels=tuple(span_labels), tail_labels=tuple(span_labels))
                       for n, d in reader.relations)
        relations = (RelationType(name=RELATION_TYPE, source=reader.source(reader.relations_at), labels=labels),)
    scheme = Scheme.model_construct(name=name or Path(path).stem, version=version, layers=tuple(reader.layers),
                                    relations=relations, roles=())
    problems = scheme_problems(scheme)
    if problems:  # what the walk above does not already refuse with the element named
        raise SchemeError(problems[0].message, file=file, where=problems[0].where, code=problems[0].code)
    return SchemeImport(Scheme.model_validate(scheme.model_dump()), reader.warnings, file)


class _Dumper(yaml.SafeDumper):
    """Block YAML with lists indented under their key, as the packaged scheme is written."""

    def increase_indent(self, flow: bool = False, indentless: bool = False):
        return super().increase_indent(flow, False)


class _Flow(list):
    """A list written inline: ``[A, B]``."""


_Dumper.add_representer(_Flow, lambda dumper, data: dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=True))

_HEADER = f"""\
# The annotation scheme written by `newscorpus scheme from-labelstudio` from the Label
# Studio label config {{file}}. Check it before use: give each label a definition where
# it says {NO_DEFINITION!r}; set `overlap: false` on a
# span layer whose spans never overlap or nest (the `ner` config's IOB2 tags need one);
# say in `source` where the labels come from. Label order is the dataset's ClassLabel order.
"""
_RELATIONS_NOTE = """\
# Label Studio does not restrict which spans a relation joins: head_labels and tail_labels
# are every span label. Narrow them to what your guidelines allow.
"""


def _layer(layer: Layer) -> dict:
    shape = {"overlap": layer.overlap} if layer.level == "span" else {"cardinality": layer.cardinality}
    return {"name": layer.name, "level": layer.level, **shape, "source": layer.source,
            "labels": [{"name": label.name, "definition": label.definition} for label in layer.labels]}


def _relation(rel: RelationType) -> dict:
    return {"name": rel.name, "source": rel.source, "labels": [
        {"name": label.name, "definition": label.definition, "directed": label.directed,
         "head_labels": _Flow(label.head_labels), "tail_labels": _Flow(label.tail_labels)} for label in rel.labels]}


def scheme_yaml(imported: SchemeImport) -> str:
    """The scheme file of ``imported``: a header saying where it came from and what to
    check, then the scheme in the packaged scheme's key order (no ``roles``: a config
    declares none), relation types under a comment saying that their head and tail labels
    are every span label. :func:`newscorpus.core.scheme.load_scheme` reads it back to the
    same scheme."""
    scheme = imported.scheme
    dump = lambda data: yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=10_000)
    text = _HEADER.format(file=Path(imported.file).name)
    text += dump({"name": scheme.name, "version": scheme.version, "layers": [_layer(layer) for layer in scheme.layers]})
    if scheme.relations:
        text += "\n" + _RELATIONS_NOTE + dump({"relations": [_relation(rel) for rel in scheme.relations]})
    return text

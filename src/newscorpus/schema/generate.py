"""The published JSON Schema of article records (docs/design.md, Schema and versioning).

The schema is generated, never edited by hand: the structure comes from the pydantic models
(:mod:`newscorpus.core.models`, ``model_json_schema``), and the label sets from the scheme
(:mod:`newscorpus.core.scheme`), injected as enums so that the schema itself rejects a label
that does not exist or does not belong to its layer:

- a span's ``layer`` is one of the span layers, and (``allOf`` of ``if``/``then`` on the
  layer) its ``label`` one of that layer's labels; likewise ``sentence_labels`` items;
- ``article_labels`` is an object with one property per article layer: an array of that
  layer's labels, ``uniqueItems``, ``maxItems: 1`` for a single-cardinality layer, and no
  other property;
- a relation's ``label`` is one of the relation labels;
- ``scheme.name`` is the constant name of the scheme (a record of another scheme is refused);
- ``schema_version`` is the constant version of the file: a schema file accepts records of
  exactly its version (older records are upgraded with ``newscorpus migrate``).

The result is draft 2020-12, self-contained (``$defs`` only, no external ``$ref``), with the
absolute ``$id`` ``https://newscorpus.dev/schema/<scheme name>/<scheme version>/<X.Y.Z>/article.schema.json``
(:func:`schema_id`: the schema of one record version for one scheme; versions before 1.2.0,
whose records did not name their scheme, have ``https://newscorpus.dev/schema/<X.Y.Z>/article.schema.json``). Each version
is committed as ``schema/<X.Y.Z>/article.schema.json`` (what is published) and shipped in the
package as ``newscorpus/data/schema/<X.Y.Z>/article.schema.json`` (what the code reads).
"""

from __future__ import annotations

import copy
import json
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import quote

from newscorpus.errors import SchemaVersionError
from newscorpus.util.fileio import atomic_write_text
from newscorpus.core.models import SCHEMA_VERSION, ArticleRecord
from newscorpus.core.scheme import Scheme, default_scheme

__all__ = [
    "DIALECT",
    "SCHEMA_FILENAME",
    "schema_id",
    "build_schema",
    "dump_schema",
    "load_schema",
    "published_versions",
    "write_schema",
]

DIALECT = "https://json-schema.org/draft/2020-12/schema"
SCHEMA_FILENAME = "article.schema.json"
_BASE = "https://newscorpus.dev/schema"


def schema_id(version: str = SCHEMA_VERSION, scheme: Scheme | None = None) -> str:
    """The absolute ``$id`` of the schema of record version ``version`` for ``scheme``:
    ``https://newscorpus.dev/schema/<scheme name>/<scheme version>/<version>/article.schema.json``
    (docs/schema.md). Without a scheme, the id the files of versions before 1.2.0 carry
    (their records named no scheme): ``https://newscorpus.dev/schema/<version>/article.schema.json``.
    Name and version are percent-encoded where a URI path needs it (``acme news`` -> ``acme%20news``)."""
    if scheme is None:
        return f"{_BASE}/{version}/{SCHEMA_FILENAME}"
    name, scheme_version = (quote(part, safe="") for part in (scheme.name, scheme.version))
    return f"{_BASE}/{name}/{scheme_version}/{version}/{SCHEMA_FILENAME}"


def _label_rules(scheme: Scheme, level: str) -> list[dict[str, Any]]:
    """``if layer == L then label in L's labels``, one rule per layer of ``level``."""
    return [
        {
            "if": {"properties": {"layer": {"const": layer.name}}, "required": ["layer"]},
            "then": {
                "properties": {
                    "label": {
                        "enum": layer.label_names,
                        "description": f"Labels of the {layer.name!r} layer ({layer.source}).",
                    }
                }
            },
        }
        for layer in scheme.layers_at(level)  # type: ignore[arg-type]
    ]


def _article_labels(scheme: Scheme) -> dict[str, Any]:
    properties: dict[str, Any] = {}
    for layer in scheme.article_layers:
        prop: dict[str, Any] = {
            "description": f"{layer.cardinality}-label layer ({layer.source}).",
            "type": "array",
            "items": {"enum": layer.label_names},
            "uniqueItems": True,
        }
        if layer.cardinality == "single":
            prop["maxItems"] = 1
        properties[layer.name] = prop
    return {
        "description": "Article-level labels by layer name, e.g. {'genre': ['reporting']}.",
        "type": "object",
        "properties": properties,
        "additionalProperties": False,
    }


def build_schema(scheme: Scheme | None = None, *, version: str = SCHEMA_VERSION) -> dict[str, Any]:
    """The JSON Schema (a dict) of article records for ``scheme`` (default: the package's).

    ``version`` goes into ``$id`` (with the scheme's name and version, :func:`schema_id`)
    and into the ``schema_version`` constant; only the current
    :data:`~newscorpus.core.models.SCHEMA_VERSION` matches the models of this package.
    """
    scheme = scheme or default_scheme()
    generated = ArticleRecord.model_json_schema(mode="validation")
    defs = generated.pop("$defs")
    span_layers = [layer.name for layer in scheme.span_layers]
    sentence_layers = [layer.name for layer in scheme.sentence_layers]

    defs["Span"]["properties"]["layer"]["enum"] = span_layers
    defs["SentenceLabel"]["properties"]["layer"]["enum"] = sentence_layers
    for name, level in (("Span", "span"), ("SentenceLabel", "sentence")):
        rules = _label_rules(scheme, level)
        if rules:  # `allOf` may not be empty: a scheme without layers of a level has no rule
            defs[name]["allOf"] = rules
    defs["Relation"]["properties"]["label"]["enum"] = scheme.relation_labels
    defs["SchemeRef"]["properties"]["name"]["const"] = scheme.name
    defs["ArticleLabels"] = _article_labels(scheme)
    for name in ("Annotation", "Gold"):
        defs[name]["properties"]["article_labels"] = {"$ref": "#/$defs/ArticleLabels", "default": {}}

    version_prop = generated["properties"]["schema_version"]
    version_prop.pop("pattern", None)
    version_prop["const"] = version
    version_prop["description"] = (
        f"The schema version the record conforms to; this file describes {version}."
    )
    schema: dict[str, Any] = {
        "$schema": DIALECT,
        "$id": schema_id(version, scheme),
        "title": f"newscorpus article record {version}",
        "description": (
            "One annotations/<article_id>.json file: the canonical text of a news article, its "
            "sentences, every annotator's raw annotation and the gold annotation. Offsets are "
            "Unicode code points, 0-based, end-exclusive. Generated from the newscorpus models "
            f"and the {scheme.name!r} scheme {scheme.version}; do not edit."
        ),
    }
    generated.pop("title", None)
    generated.pop("description", None)
    schema.update(generated)
    schema["$defs"] = dict(sorted(defs.items()))
    return schema


def dump_schema(schema: dict[str, Any]) -> str:
    """The canonical text of a schema file: 2-space indent, UTF-8, trailing newline."""
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


@cache
def _packaged(version: str) -> dict[str, Any]:
    ref = resources.files("newscorpus") / "data" / "schema" / version / SCHEMA_FILENAME
    try:
        return json.loads(ref.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise SchemaVersionError(
            f"no published schema for version {version}",
            code="unknown-schema-version",
            hint=f"known versions: {', '.join(published_versions())}",
        ) from exc


def load_schema(version: str = SCHEMA_VERSION) -> dict[str, Any]:
    """The published schema of ``version`` as shipped in the package (a fresh copy).

    Raises :class:`~newscorpus.errors.SchemaVersionError` for a version never published.
    """
    return copy.deepcopy(_packaged(version))


def _version_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))


def published_versions() -> list[str]:
    """The schema versions shipped in the package, oldest first."""
    root = resources.files("newscorpus") / "data" / "schema"
    names = [entry.name for entry in root.iterdir() if entry.is_dir() and entry.name[0].isdigit()]
    return sorted(names, key=_version_key)


def write_schema(*, root: str | Path = ".", scheme: Scheme | None = None, package_copy: bool = True) -> list[Path]:
    """Write the current version's schema to ``<root>/schema/<v>/article.schema.json`` and,
    with ``package_copy`` (this repository), to the package copy
    ``<root>/src/newscorpus/data/schema/<v>/article.schema.json``; a corpus repository
    (``newscorpus init``) has only the first.

    Only the current :data:`~newscorpus.core.models.SCHEMA_VERSION` is written: a released
    version's file never changes. Returns the files whose bytes changed (atomic writes).
    """
    text = dump_schema(build_schema(scheme))
    root = Path(root)
    targets = [root / "schema" / SCHEMA_VERSION / SCHEMA_FILENAME]
    if package_copy:
        targets.append(root / "src" / "newscorpus" / "data" / "schema" / SCHEMA_VERSION / SCHEMA_FILENAME)
    return [target for target in targets if atomic_write_text(target, text)]

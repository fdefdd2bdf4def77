"""The JSON Schema of a corpus's own scheme: a scheme without layers of some level still gives
a valid schema (no empty ``allOf``), and ``schema --write`` in a corpus repository writes
only ``schema/`` (the package copy belongs to newscorpus's own repository)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import jsonschema
import jsonschema_rs
import pytest
import yaml

from newscorpus.core.models import SCHEMA_VERSION
from newscorpus.core.scheme import Scheme, load_scheme
from newscorpus.ingest.run import ingest_all
from newscorpus.schema.generate import build_schema, dump_schema, write_schema
from newscorpus.validate.run import validate_paths

from tests.support import SMALL_TEXT, write_seed

SPANS_ONLY = {
    "name": "acme-ner",
    "version": "0.1.0",
    "layers": [{"name": "ner", "level": "span", "overlap": False, "source": "ACME",
                "labels": [{"name": n, "definition": f"a {n}"} for n in ("PER", "ORG", "LOC")]}],
}
ARTICLES_ONLY = {
    "name": "acme-topics",
    "version": "2.0.0",
    "layers": [{"name": "topic", "level": "article", "cardinality": "multi", "source": "ACME",
                "labels": [{"name": "politics", "definition": "politics"}, {"name": "sport", "definition": "sport"}]}],
}
SENTENCES_ONLY = {
    "name": "acme-stance",
    "version": "1.0.0",
    "layers": [{"name": "stance", "level": "sentence", "source": "ACME",
                "labels": [{"name": "FOR", "definition": "for"}, {"name": "AGAINST", "definition": "against"}]}],
}


@pytest.mark.parametrize("data", [SPANS_ONLY, ARTICLES_ONLY, SENTENCES_ONLY], ids=["spans", "articles", "sentences"])
def test_a_scheme_without_layers_of_a_level_gives_a_valid_schema(tmp_path, data):
    scheme = Scheme.model_validate(data)
    schema = build_schema(scheme)
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema_rs.Draft202012Validator(schema, validate_formats=True)  # compiles
    assert schema["$defs"]["SchemeRef"]["properties"]["name"]["const"] == data["name"]
    levels = {layer["level"] for layer in data["layers"]}
    assert ("allOf" in schema["$defs"]["Span"]) == ("span" in levels)
    assert ("allOf" in schema["$defs"]["SentenceLabel"]) == ("sentence" in levels)
    # a record ingested under the scheme is valid under it
    write_seed(tmp_path / "seeds", "small", SMALL_TEXT)
    ingest_all(tmp_path / "seeds", annotations_dir=tmp_path / "annotations", scheme=scheme)
    result = validate_paths([tmp_path / "annotations"], scheme=scheme)
    assert result.valid, [v.code for f in result.files for v in f.violations]


def test_write_schema_without_the_package_copy(tmp_path):
    scheme = Scheme.model_validate(SPANS_ONLY)
    rel = Path(SCHEMA_VERSION) / "article.schema.json"
    assert write_schema(root=tmp_path, scheme=scheme, package_copy=False) == [tmp_path / "schema" / rel]
    assert (tmp_path / "schema" / rel).read_text(encoding="utf-8") == dump_schema(build_schema(scheme))
    assert not (tmp_path / "src").exists()


def test_cli_schema_write_in_a_corpus_writes_only_schema(tmp_path):
    (tmp_path / "scheme.yaml").write_text(yaml.safe_dump(SPANS_ONLY), encoding="utf-8")
    (tmp_path / "newscorpus.toml").write_text('[corpus]\nscheme = "scheme.yaml"\n', encoding="utf-8")
    run = lambda: subprocess.run([sys.executable, "-m", "newscorpus.cli", "schema", "--write"], cwd=tmp_path,
                                 capture_output=True, text=True, check=True).stdout
    assert run() == f"wrote schema/{SCHEMA_VERSION}/article.schema.json\n"
    assert run() == "schema up to date\n"
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file()) == [
        "newscorpus.toml", f"schema/{SCHEMA_VERSION}/article.schema.json", "scheme.yaml"]
    written = (tmp_path / "schema" / SCHEMA_VERSION / "article.schema.json").read_text(encoding="utf-8")
    assert written == dump_schema(build_schema(load_scheme(tmp_path / "scheme.yaml")))

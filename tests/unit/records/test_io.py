"""Writing a record puts it in canonical form under the scheme in use: the record names the
scheme (name and version, right after schema_version), in the model form and in the JSON
form alike; a record of another scheme is refused with the file named."""

from __future__ import annotations

import json

import pytest

from newscorpus.core.models import ArticleRecord
from newscorpus.core.scheme import default_scheme
from newscorpus.errors import RecordError
from newscorpus.records.io import canonicalize_data, dump_record_bytes, dump_record_data_bytes, read_record, write_record

from tests.support import REPO

SCHEME = default_scheme()
RECORD = REPO / "annotations" / "000_ba712161f3bc6069.json"


def _record(**scheme) -> ArticleRecord:
    record = read_record(RECORD)
    record.scheme = None if not scheme else record.scheme.model_copy(update=scheme)
    return record


def test_a_record_without_scheme_is_written_with_the_scheme_in_use():
    record = _record()
    data = record.model_dump(mode="json")
    assert "scheme" not in data
    written = dump_record_bytes(record, SCHEME)
    assert written == RECORD.read_bytes()
    assert list(json.loads(written))[:3] == ["schema_version", "scheme", "id"]
    assert dump_record_data_bytes(data, SCHEME) == written  # inserted right after schema_version
    assert list(data)[:3] == ["schema_version", "scheme", "id"]


def test_a_newer_version_of_the_same_scheme_is_written_as_the_version_in_use():
    newer = SCHEME.model_copy(update={"version": "1.1.0"})
    record = _record()
    data = record.model_dump(mode="json")
    assert json.loads(dump_record_bytes(record, newer))["scheme"] == {"name": "newscorpus-default", "version": "1.1.0"}
    assert canonicalize_data(data, newer)["scheme"] == {"name": "newscorpus-default", "version": "1.1.0"}
    assert dump_record_bytes(_record(version="0.9.0"), SCHEME) == RECORD.read_bytes()


def test_a_record_of_another_scheme_is_refused(tmp_path):
    message = ("::$.scheme.name: the record follows the scheme 'my-scheme', the scheme in use is 'newscorpus-default' 2.0.0 "
               "(hint: use the record's scheme (newscorpus.toml, [corpus] scheme), or change $.scheme if its labels fit this one)")
    with pytest.raises(RecordError) as info:
        write_record(_record(name="my-scheme"), tmp_path, SCHEME)
    assert (info.value.code, str(info.value)) == ("scheme-mismatch", f"{tmp_path / RECORD.name}{message}")
    assert not (tmp_path / RECORD.name).exists()
    data = _record(name="my-scheme").model_dump(mode="json")
    with pytest.raises(RecordError) as info:
        dump_record_data_bytes(data, SCHEME, file="x.json")
    assert (info.value.code, str(info.value)) == ("scheme-mismatch", f"x.json{message}")

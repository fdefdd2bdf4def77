"""Scheme roles: what code needs to find in the scheme (the quotation's span label, the
speaker relation) is declared there and checked when the scheme loads."""

from __future__ import annotations

import pytest
import yaml
from pydantic import ValidationError

from newscorpus.core.scheme import ROLE_KINDS, Role, Scheme, default_scheme, load_scheme


def _data() -> dict:
    return default_scheme().model_dump()


def test_the_default_scheme_declares_the_quote_and_speaker_roles():
    scheme = default_scheme()
    assert scheme.role("quote") == Role(name="quote", layer="attribution", label="QUOTE")
    assert scheme.role("speaker") == Role(name="speaker", relation="SPEAKER")
    assert [role.name for role in scheme.roles] == list(ROLE_KINDS)
    assert scheme.role("narrator") is None
    hash(scheme)  # still hashable, as a frozen model


def test_roles_load_from_a_file_as_a_mapping(tmp_path):
    data = _data()
    data["roles"] = {"quote": {"layer": "attribution", "label": "QUOTE"}}
    path = tmp_path / "scheme.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    scheme = load_scheme(path)
    assert scheme.role("quote") == Role(name="quote", layer="attribution", label="QUOTE")
    assert scheme.role("speaker") is None
    assert Scheme.model_validate(scheme.model_dump()) == scheme  # the dumped form (a list) loads too


def test_a_scheme_without_roles_has_none():
    data = _data()
    del data["roles"]
    assert Scheme.model_validate(data).role("quote") is None


@pytest.mark.parametrize(
    ("roles", "message"),
    [
        ({"quote": {"layer": "attribution", "label": "QUOTATION"}}, "role quote names label 'QUOTATION', which the span layer attribution does not have"),
        ({"quote": {"layer": "entity", "label": "QUOTE"}}, "role quote names label 'QUOTE', which the span layer entity does not have"),
        ({"quote": {"layer": "genre", "label": "reporting"}}, "role quote names layer 'genre', which is not a span layer of the scheme"),
        ({"quote": {"relation": "SPEAKER"}}, "role quote names a span label: give its layer and label (no relation)"),
        ({"speaker": {"relation": "SPOKE"}}, "role speaker names relation 'SPOKE', which the scheme does not have"),
        ({"speaker": {"layer": "attribution", "label": "SOURCE"}}, "role speaker names a relation label: give its relation (no layer or label)"),
        ({"qoute": {"layer": "attribution", "label": "QUOTE"}}, "unknown role 'qoute': the roles are quote, speaker"),
        ([{"name": "speaker", "relation": "SPEAKER"}, {"name": "speaker", "relation": "SPEAKER"}], "role 'speaker' is declared twice"),
    ],
)
def test_a_role_must_name_a_label_of_the_scheme(roles, message):
    data = _data()
    data["roles"] = roles
    with pytest.raises(ValidationError) as err:
        Scheme.model_validate(data)
    assert message in str(err.value)

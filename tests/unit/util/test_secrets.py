"""No credential reaches a Label Studio error's text (issue 13, item 7)."""

from __future__ import annotations

import pytest

from newscorpus.errors import LabelStudioError
from newscorpus.util.secrets import redact

JWT = "eyJhbGciOiJIUzI1NiJ9.eyJ0b2tlbl90eXBlIjoiYWNjZXNzIn0.c2lnbmF0dXJlLXBhcnQ"


@pytest.mark.parametrize("text,expected", [
    ("https://anna:s3cret@ls.example.org/api/projects", "https://anna:***@ls.example.org/api/projects"),
    ("http://:pw@127.0.0.1:8080/x", "http://:***@127.0.0.1:8080/x"),
    (f"401: token {JWT} expired", "401: token *** expired"),
    ("headers: Authorization: Token 0123456789abcdef0123", "headers: Authorization: Token ***"),
    ("Bearer abcdefgh.ijklmnop", "Bearer ***"),
    ("http://127.0.0.1:8080/api/projects?page=2", "http://127.0.0.1:8080/api/projects?page=2"),
    ("the Token of a task", "the Token of a task"),
])
def test_redact(text, expected):
    assert redact(text) == expected


def test_a_label_studio_error_never_shows_a_credential():
    exc = LabelStudioError(f"http://ann:pw@127.0.0.1:1/api: refused ({JWT})", code="unauthorized",
                           hint=f"Authorization: Bearer {JWT}")
    assert str(exc) == "http://ann:***@127.0.0.1:1/api: refused (***) (hint: Authorization: Bearer ***)"
    assert exc.code == "unauthorized"

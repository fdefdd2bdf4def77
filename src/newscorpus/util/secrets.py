"""Credentials never reach output: what :func:`redact` removes from any text a newscorpus
error carries.

Removed, whatever key the user gave: the password of a URL (``https://user:secret@host``
keeps ``user``), JSON Web Tokens (Label Studio's personal access tokens and the
short-lived access tokens the SDK derives from them: three base64url parts, the first
``eyJ``), and the value after ``Token`` / ``Bearer`` (an ``Authorization`` header's form
of a legacy token).
"""

from __future__ import annotations

import re

__all__ = ["redact"]

_URL_PASSWORD = re.compile(r"(?i)\b([a-z][a-z0-9+.\-]*://[^/\s:@]*):[^/\s@]*@")
_JWT = re.compile(r"\beyJ[A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]*")
_SCHEME_TOKEN = re.compile(r"(?i)\b(Token|Bearer)(\s+|=)[A-Za-z0-9_\-.~+/]{8,}=*")


def redact(text: str) -> str:
    """``text`` with every URL password, JSON Web Token and ``Token``/``Bearer`` value
    replaced by ``***``."""
    text = _URL_PASSWORD.sub(r"\1:***@", text)
    text = _JWT.sub("***", text)
    return _SCHEME_TOKEN.sub(r"\1\2***", text)

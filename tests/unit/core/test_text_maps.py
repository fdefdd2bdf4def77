"""The exact maps from a source text's positions to its canonical text's (core/text.py)."""

from __future__ import annotations

from newscorpus.core.text import canonical_form, canonical_offset_map, line_form, nfc_offset_map
from newscorpus.ingest.run import canonical_text


def test_canonical_form_is_what_ingest_makes_of_the_bytes():
    raw = "\ufeffCafe\u0301\r\nline\rend\n"
    assert canonical_form(raw) == canonical_text(raw.encode("utf-8")) == "Caf\u00e9\nline\nend\n"
    assert line_form(raw) == "Cafe\u0301\nline\nend\n"


def test_the_bom_and_crlf_map():
    assert canonical_offset_map("abc\nd") is None
    assert canonical_offset_map("\ufeffa\r\nb\rc") == [0, 0, 1, -1, 2, 3, 4, 5]


def test_the_nfc_map_keeps_the_edges_of_what_nfc_composes():
    text = "Cafe\u0301 e\u0301\u0323x \u1100\u1161 A\u030a"
    assert canonical_form(text) == "Caf\u00e9 \u1eb9\u0301x \uac00 \u00c5"
    assert nfc_offset_map(text) == [0, 1, 2, 3, -1, 4, 5, -1, -1, 7, 8, 9, -1, 10, 11, -1, 12]
    assert nfc_offset_map("plain") == [0, 1, 2, 3, 4, 5]

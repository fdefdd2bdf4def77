"""Shared fixtures: small articles ingested into a throwaway annotations folder."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SEED = REPO / "seeds" / "000_ba712161f3bc6069.txt"

#: A small article with an astral character (😀, 2 UTF-16 code units) before its last
#: sentence, accents and curly quotes. Code-point offsets of its parts are asserted in tests.
SMALL_TEXT = "Qin Gang met Aung San Suu Kyi in Naypyidaw.\n“We agree,” he said. 😀 Café owners in Yangon cheered."

META = {
    "title": "A small test article",
    "publisher": "newscorpus tests",
    "url": None,
    "published": "2023-05-02",
    "language": "en",
    "license": "CC-BY-4.0",
    "redistributable": True,
}


def write_seed(folder: Path, article_id: str, text: str | bytes, meta: dict | None = None) -> Path:
    """Write ``<folder>/<id>.txt`` and its ``.meta.json``; returns the text file's path."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{article_id}.txt"
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    (folder / f"{article_id}.meta.json").write_text(json.dumps(meta or META), encoding="utf-8")
    return path


@pytest.fixture
def small_corpus(tmp_path: Path) -> Path:
    """An ``annotations/`` folder holding the ingested record of ``small`` (SMALL_TEXT)."""
    from newscorpus.ingest import ingest_all

    seeds = tmp_path / "seeds"
    write_seed(seeds, "small", SMALL_TEXT)
    ann = tmp_path / "annotations"
    ingest_all(seeds, annotations_dir=ann)
    return ann


# --- a real Label Studio server (scripts/ls_server.py) -------------------------------------


def _ls_server_module():
    import importlib.util
    import sys

    if "ls_server" in sys.modules:
        return sys.modules["ls_server"]
    spec = importlib.util.spec_from_file_location("ls_server", REPO / "scripts" / "ls_server.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["ls_server"] = module  # dataclasses look their module up while it loads
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def ls_server(tmp_path_factory):
    """One Label Studio 1.23.2 server for the whole session, on 127.0.0.1 with a throwaway
    data directory (the first start migrates its SQLite database: about 30 s).

    Yields a ``LabelStudioServer`` (``url``, ``pid``, ``username``, ``password``,
    ``legacy_token``, ``personal_access_token``); stops it by PID at the end. A missing
    Label Studio install fails the test (``make label-studio``), it is never skipped.
    """
    ls_server = _ls_server_module()
    try:
        server = ls_server.start(data_dir=tmp_path_factory.mktemp("label-studio"))
    except ls_server.ServerError as exc:
        pytest.fail(f"cannot start Label Studio: {exc}", pytrace=False)
    try:
        yield server
    finally:
        server.stop()

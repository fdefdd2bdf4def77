"""Shared fixtures: small articles ingested into a throwaway annotations folder, a real Label Studio server."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.support import SMALL_TEXT, ls_server_module, write_seed


@pytest.fixture(scope="session", autouse=True)
def import_cache_dir(tmp_path_factory) -> Path:
    """The import cache (``NEWSCORPUS_CACHE_DIR``, :mod:`newscorpus.importers.cache`) of the
    whole session in a throwaway folder, never the user's; subprocesses inherit it."""
    folder = tmp_path_factory.mktemp("newscorpus-cache")
    before = os.environ.get("NEWSCORPUS_CACHE_DIR")
    os.environ["NEWSCORPUS_CACHE_DIR"] = str(folder)
    yield folder
    if before is None:
        os.environ.pop("NEWSCORPUS_CACHE_DIR", None)
    else:
        os.environ["NEWSCORPUS_CACHE_DIR"] = before


@pytest.fixture
def small_corpus(tmp_path: Path) -> Path:
    """An ``annotations/`` folder holding the ingested record of ``small`` (SMALL_TEXT)."""
    from newscorpus.ingest.run import ingest_all

    seeds = tmp_path / "seeds"
    write_seed(seeds, "small", SMALL_TEXT)
    ann = tmp_path / "annotations"
    ingest_all(seeds, annotations_dir=ann)
    return ann


@pytest.fixture(scope="session")
def ls_server(tmp_path_factory):
    """One Label Studio 1.23.2 server for the whole session, on 127.0.0.1 with a throwaway
    data directory (the first start migrates its SQLite database: about 30 s).

    Yields a ``LabelStudioServer`` (``url``, ``pid``, ``username``, ``password``,
    ``legacy_token``, ``personal_access_token``); stops it by PID at the end. A missing
    Label Studio install fails the test (``make label-studio``), it is never skipped.
    """
    ls_server = ls_server_module()
    try:
        server = ls_server.start(data_dir=tmp_path_factory.mktemp("label-studio"))
    except ls_server.ServerError as exc:
        pytest.fail(f"cannot start Label Studio: {exc}", pytrace=False)
    try:
        yield server
    finally:
        server.stop()

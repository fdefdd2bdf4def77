"""Shared test helpers: the repository's paths, a small article and its seed writer."""

from __future__ import annotations

import json
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
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



def ingest_articles(tmp_path: Path, articles: dict[str, str]) -> Path:
    """Seeds of ``articles`` (id -> text) under ``tmp_path/seeds``, ingested into
    ``tmp_path/annotations``; returns the annotations folder."""
    from newscorpus.ingest.run import ingest_all

    seeds = tmp_path / "seeds"
    for name, text in articles.items():
        write_seed(seeds, name, text)
    ann = tmp_path / "annotations"
    ingest_all(seeds, annotations_dir=ann)
    return ann


# --- a real Label Studio server (scripts/ls_server.py) -------------------------------------


def ls_server_module():
    import importlib.util
    import sys

    if "ls_server" in sys.modules:
        return sys.modules["ls_server"]
    spec = importlib.util.spec_from_file_location("ls_server", REPO / "scripts" / "ls_server.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["ls_server"] = module  # dataclasses look their module up while it loads
    spec.loader.exec_module(module)
    return module

"""A small corpus shaped like the benchmark's (scripts/synth.py): seeds, records, export."""

from __future__ import annotations

import sys
from pathlib import Path

from tests.support import REPO


def bench_corpus(root: Path, n: int) -> tuple[Path, Path]:
    """Write ``n`` synthetic seeds under ``root/seeds``, ingest them into
    ``root/annotations`` and write their Label Studio export (two annotators a task) to
    ``root/export.json``; returns the annotations folder and the export."""
    sys.path.insert(0, str(REPO / "scripts"))
    import synth

    from newscorpus.ingest.run import ingest_all

    synth.write_seeds(n, root / "seeds")
    ingest_all(root / "seeds", annotations_dir=root / "annotations")
    synth.write_export(n, root / "annotations", root / "export.json")
    return root / "annotations", root / "export.json"

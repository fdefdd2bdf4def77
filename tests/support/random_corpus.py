"""Seeded random corpora for property tests: records made one by one and written to a folder."""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path

from newscorpus.core.models import ArticleRecord
from newscorpus.core.scheme import default_scheme
from newscorpus.records.io import write_record


def random_corpus(root: Path, seed: int, n: int,
                  make: Callable[[random.Random, Path, int], ArticleRecord]) -> tuple[Path, dict[str, ArticleRecord]]:
    """Write ``n`` records made by ``make(rng, seeds_folder, index)`` (one seeded generator
    for all) to ``root/annotations``; returns that folder and the records by id."""
    rng = random.Random(seed)
    ann = root / "annotations"
    records = {}
    for index in range(n):
        record = make(rng, root / "seeds", index)
        write_record(record, ann, default_scheme())
        records[record.id] = record
    return ann, records

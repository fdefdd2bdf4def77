"""What a build wrote: :class:`BuildResult` and the :class:`SplitStats` of each config and split.

Shared by the build (:mod:`newscorpus.dataset.build`, which makes them) and the dataset card
(:mod:`newscorpus.dataset.card`, which states them), so neither imports the other's module
for them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["SplitStats", "BuildResult"]


@dataclass(frozen=True)
class SplitStats:
    """One config's split: its Parquet file's ``path`` relative to the folder, rows, Arrow
    bytes (what ``datasets`` calls ``num_bytes``) and size in bytes (of all its files)."""

    path: str
    num_examples: int
    num_bytes: int
    file_size: int
    #: every file of the split, in row order: ``(path,)``, or the shards
    #: ``<config>/<split>-0000k-of-0000n.parquet`` of a split with more rows than one file
    #: takes (:data:`~newscorpus.dataset.parquet.SHARD_ROW_GROUPS`); ``path`` is then the first
    shards: tuple[str, ...] = ()

    @property
    def files(self) -> tuple[str, ...]:
        """The split's files, relative to the folder, in row order."""
        return self.shards or (self.path,)


@dataclass
class BuildResult:
    """What a build wrote: ``out`` folder, ``files`` (relative paths, sorted), per config and
    split :class:`SplitStats` (only configs and splits with rows), the split of each article, the ids of articles whose text was
    withheld, and ``crossing`` (gold spans of overlapping layers, such as a quotation of two
    sentences, crossing a sentence boundary, article id and span id: they are only in the
    ``articles`` config; an entity that crosses one fails the build)."""

    out: Path
    files: list[str]
    configs: dict[str, dict[str, SplitStats]]
    article_splits: dict[str, str]
    withheld: list[str]
    crossing: list[tuple[str, str]] = field(default_factory=list)

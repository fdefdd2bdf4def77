"""Train / validation / test assignment by a stable hash of the article id (docs/design.md, Dataset).

An article's split depends on its id alone (and the ratios): the first 8 bytes of
``sha256(id)`` read as a big-endian integer, divided by 2**64, give a number in [0, 1) that
falls into one of the cumulative ratio buckets. Adding or removing other articles never moves
an article; ``meta.split`` in its record overrides the hash.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from newscorpus.errors import BuildError

__all__ = ["SPLITS", "SplitRatios", "split_position", "assign_split"]

#: Split names in card order.
SPLITS = ("train", "validation", "test")


@dataclass(frozen=True)
class SplitRatios:
    """Shares of train, validation and test; each in [0, 1], summing to 1 (within 1e-9)."""

    train: float = 0.8
    validation: float = 0.1
    test: float = 0.1

    def __post_init__(self) -> None:
        values = (self.train, self.validation, self.test)
        if any(v < 0 or v > 1 for v in values) or abs(sum(values) - 1) > 1e-9:
            raise BuildError(
                f"split ratios {values} must each lie in [0, 1] and sum to 1",
                code="bad-split-ratios",
                hint="for example --split-ratios 0.8,0.1,0.1",
            )

    @classmethod
    def parse(cls, text: str) -> SplitRatios:
        """Read ``"0.8,0.1,0.1"`` (train, validation, test). Raises :class:`BuildError`."""
        try:
            parts = [float(p) for p in text.split(",")]
        except ValueError:
            parts = []
        if len(parts) != 3:
            raise BuildError(f"split ratios {text!r} are not three numbers", code="bad-split-ratios", hint="for example 0.8,0.1,0.1")
        return cls(*parts)


def split_position(article_id: str) -> float:
    """The article's stable position in [0, 1): ``int(sha256(id)[:8]) / 2**64``."""
    digest = hashlib.sha256(article_id.encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def assign_split(article_id: str, *, ratios: SplitRatios = SplitRatios(), override: str | None = None) -> str:
    """The split of an article: ``override`` when given (a record's ``meta.split``), else the
    bucket of :func:`split_position` under ``ratios`` (train first, then validation, test)."""
    if override is not None:
        return override
    pos = split_position(article_id)
    if pos < ratios.train:
        return "train"
    if pos < ratios.train + ratios.validation:
        return "validation"
    return "test" if ratios.test > 0 else ("validation" if ratios.validation > 0 else "train")

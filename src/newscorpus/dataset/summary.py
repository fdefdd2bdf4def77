"""Summary of a built dataset folder, read back through ``datasets.load_dataset``.

Loading every config with ``datasets`` (not with pyarrow) is the point: the summary proves
that the folder loads the way users will load it, with the declared features.
"""

from __future__ import annotations

import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from newscorpus.errors import BuildError

__all__ = ["DatasetSummary", "summarize", "format_summary"]


@dataclass
class DatasetSummary:
    """Counts of a built folder: ``rows[config][split]``, articles, sentences, tokens,
    gold spans per label name (``spans``), articles whose text is withheld."""

    path: Path
    rows: dict[str, dict[str, int]]
    articles: int
    sentences: int
    tokens: int
    spans: Counter = field(default_factory=Counter)
    withheld: int = 0


def summarize(path: str | Path) -> DatasetSummary:
    """Load every config of the folder ``path`` with ``datasets.load_dataset`` (in a temporary
    cache) and count. Raises :class:`BuildError` when the folder does not load."""
    import datasets

    path = Path(path)
    if not (path / "README.md").is_file():
        raise BuildError("not a built dataset folder (no README.md)", file=str(path), code="no-dataset", hint="run `newscorpus build` first")
    datasets.disable_progress_bars()
    rows: dict[str, dict[str, int]] = {}
    spans: Counter = Counter()
    articles = sentences = tokens = withheld = 0
    with tempfile.TemporaryDirectory(prefix="newscorpus-summary-") as cache:
        try:
            names = datasets.get_dataset_config_names(str(path))
            for config in names:
                loaded = datasets.load_dataset(str(path), config, cache_dir=cache)
                rows[config] = {split: ds.num_rows for split, ds in loaded.items()}
                for ds in loaded.values():
                    if config == "articles":
                        label_names = ds.features["spans"].feature["label"].names
                        articles += ds.num_rows
                        for row in ds.select_columns(["spans", "sentences", "text", "redistributable"]):
                            sentences += len(row["sentences"])
                            spans.update(label_names[s["label"]] for s in row["spans"])
                            withheld += row["text"] is None
                    elif config == "ner":
                        tokens += sum(len(starts) for starts in ds["token_starts"])
                del loaded
        except (ValueError, OSError, datasets.exceptions.DatasetGenerationError) as exc:
            raise BuildError(f"load_dataset failed: {exc}", file=str(path), code="load-failed") from exc
    return DatasetSummary(path=path, rows=rows, articles=articles, sentences=sentences, tokens=tokens, spans=spans, withheld=withheld)


def format_summary(summary: DatasetSummary) -> str:
    """The summary as a few lines of text (what ``newscorpus summary`` prints)."""
    lines = [
        f"{summary.path}: {summary.articles} article(s), {summary.sentences} sentence(s), "
        f"{summary.tokens} token(s), {sum(summary.spans.values())} gold span(s)"
        + (f"; text withheld for {summary.withheld} article(s)" if summary.withheld else ""),
        "configs (rows per split):",
    ]
    for config, splits in summary.rows.items():
        lines.append(f"  {config:<12} " + ", ".join(f"{s} {n}" for s, n in splits.items()))
    if summary.spans:
        lines.append("gold spans per label:")
        lines += [f"  {label:<12} {n}" for label, n in sorted(summary.spans.items(), key=lambda kv: (-kv[1], kv[0]))]
    return "\n".join(lines)

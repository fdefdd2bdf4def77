"""Build: article records -> a Hugging Face dataset folder (DESIGN section 7).

Layout of the folder (no loading script; ``datasets.load_dataset(DIR)`` reads it)::

    README.md                                  dataset card: YAML (configs, dataset_info) + body
    <config>/<split>-00000-of-00001.parquet    one file per config and split

Configs are :data:`newscorpus.features.CONFIGS`. ``datasets`` cannot load a split of 0 rows
("corresponds to no data"), so a split with no rows in a config is left out of that config,
and a config with no rows at all (``quotes`` before any quotation is annotated) is left out
of the card; :attr:`BuildResult.configs` says what was written. Each Parquet file is written by pyarrow with
exactly the arrow schema of the config's declared ``Features``. The same records give
byte-identical files. The folder is built in a temporary sibling and swapped in at the end:
on any error the previous folder is left as it was.
"""

from __future__ import annotations

import io
import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from .errors import BuildError, RecordError
from .features import CONFIGS, config_features
from .models import ArticleRecord
from .records import iter_record_paths, read_record
from .rows import check_record, record_rows
from .scheme import Scheme, default_scheme
from .splits import SPLITS, SplitRatios, assign_split

__all__ = ["SplitStats", "BuildResult", "build_dataset", "load_records", "parquet_path", "text_included"]

_ROW_GROUP = {"articles": 64, "annotations": 256}
_DEFAULT_ROW_GROUP = 10_000
_KNOWN_ENTRIES = {"README.md", ".gitattributes", *CONFIGS}


@dataclass(frozen=True)
class SplitStats:
    """One Parquet file: its ``path`` relative to the folder, rows, Arrow bytes (what
    ``datasets`` calls ``num_bytes``) and file size in bytes."""

    path: str
    num_examples: int
    num_bytes: int
    file_size: int


@dataclass
class BuildResult:
    """What a build wrote: ``out`` folder, ``files`` (relative paths, sorted), per config and
    split :class:`SplitStats` (only configs and splits with rows), the split of each article, the ids of articles whose text was
    withheld, and ``crossing`` (gold spans crossing a sentence boundary, article id and span
    id: they are only in the ``articles`` config)."""

    out: Path
    files: list[str]
    configs: dict[str, dict[str, SplitStats]]
    article_splits: dict[str, str]
    withheld: list[str]
    crossing: list[tuple[str, str]] = field(default_factory=list)


def parquet_path(config: str, split: str) -> str:
    """``<config>/<split>-00000-of-00001.parquet`` (the Hub's shard naming)."""
    return f"{config}/{split}-00000-of-00001.parquet"


def text_included(record: ArticleRecord, *, public: bool, include_restricted_text: bool) -> bool:
    """Whether an article's text goes into the dataset: always for a local build; for a
    public one only when ``meta.redistributable`` or ``include_restricted_text``."""
    return not public or record.meta.redistributable or include_restricted_text


def load_records(
    annotations_dir: str | Path, *, scheme: Scheme, progress: Callable[[str, int, int], None] | None = None
) -> list[ArticleRecord]:
    """Read and check every record of ``annotations_dir`` (sorted by file name).

    Raises :class:`RecordError` for an unreadable record, :class:`BuildError` for a record the
    build cannot represent (unknown label, span text mismatch, overlapping entities) or a
    missing folder or duplicate article id.
    """
    directory = Path(annotations_dir)
    if not directory.is_dir():
        raise BuildError("no such folder of article records", file=str(directory), code="no-annotations")
    paths = list(iter_record_paths(directory))
    records: list[ArticleRecord] = []
    seen: dict[str, Path] = {}
    for n, path in enumerate(paths, 1):
        record = read_record(path)
        if record.id in seen:
            raise RecordError(f"article id {record.id!r} is also in {seen[record.id]}", file=str(path), where="$.id", code="duplicate-id")
        seen[record.id] = path
        check_record(record, scheme=scheme, file=str(path))
        records.append(record)
        if progress:
            progress("reading records", n, len(paths))
    return records


def _table_bytes(table: pa.Table, *, config: str) -> bytes:
    """Parquet bytes of ``table`` (zstd, statistics, bounded row groups)."""
    sink = io.BytesIO()
    pq.write_table(
        table,
        sink,
        compression="zstd",
        row_group_size=_ROW_GROUP.get(config, _DEFAULT_ROW_GROUP),
        write_statistics=True,
    )
    return sink.getvalue()


def _check_out(out: Path) -> None:
    if out.exists():
        if not out.is_dir():
            raise BuildError("the output path exists and is not a folder", file=str(out), code="bad-output")
        stray = sorted(p.name for p in out.iterdir() if p.name not in _KNOWN_ENTRIES)
        if stray:
            raise BuildError(
                f"the output folder holds files a build did not write ({', '.join(stray[:3])}); refusing to replace it",
                file=str(out),
                code="bad-output",
                hint="choose another --out or empty the folder",
            )


def _swap_in(tmp: Path, out: Path) -> None:
    old = None
    if out.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
        os.replace(out, old / out.name)
    os.replace(tmp, out)
    if old is not None:
        shutil.rmtree(old)


def build_dataset(
    *,
    annotations_dir: str | Path = "annotations",
    out: str | Path = "dist/dataset",
    scheme: Scheme | None = None,
    ratios: SplitRatios = SplitRatios(),
    public: bool = False,
    include_restricted_text: bool = False,
    progress: Callable[[str, int, int], None] | None = None,
) -> BuildResult:
    """Build the dataset folder ``out`` from the records of ``annotations_dir``.

    ``public=True`` withholds the text of articles whose ``meta.redistributable`` is false
    (null text, span text and tokens; offsets, labels, hash and URL kept) unless
    ``include_restricted_text``. ``progress(stage, done, total)`` is called once per record
read (stage ``"reading records"``) and once per record converted (``"building rows"``).
    Raises :class:`BuildError` / :class:`RecordError` (nothing written), or ``OSError``.
    """
    from .card import render_card  # card imports build's dataclasses

    scheme = scheme or default_scheme()
    out = Path(out)
    _check_out(out)
    records = load_records(annotations_dir, scheme=scheme, progress=progress)
    if not records:
        raise BuildError("no article records (*.json) found", file=str(annotations_dir), code="no-records")

    rows: dict[str, dict[str, list[dict]]] = {c: {s: [] for s in SPLITS} for c in CONFIGS}
    article_splits: dict[str, str] = {}
    withheld: list[str] = []
    crossing: list[tuple[str, str]] = []
    for n, record in enumerate(records, 1):
        if progress:
            progress("building rows", n, len(records))
        split = assign_split(record.id, ratios=ratios, override=record.meta.split)
        article_splits[record.id] = split
        with_text = text_included(record, public=public, include_restricted_text=include_restricted_text)
        if not with_text:
            withheld.append(record.id)
        for config, config_rows in record_rows(record, scheme=scheme, with_text=with_text).items():
            rows[config][split].extend(config_rows)
        crossing += _crossing_spans(record)

    splits = [s for s in SPLITS if rows["articles"][s]]
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.tmp-", dir=out.parent))
    try:
        stats: dict[str, dict[str, SplitStats]] = {}
        for config in CONFIGS:
            schema = config_features(config, scheme).arrow_schema
            stats[config] = {}
            for split in splits:
                if not rows[config][split]:
                    continue  # datasets cannot load a split of 0 rows: leave it out
                try:
                    table = pa.Table.from_pylist(rows[config][split], schema=schema)
                except (pa.ArrowInvalid, pa.ArrowTypeError) as exc:
                    raise BuildError(f"rows of {config}/{split} do not fit the declared features: {exc}", code="schema-mismatch") from exc
                data = _table_bytes(table, config=config)
                rel = parquet_path(config, split)
                (tmp / config).mkdir(exist_ok=True)
                (tmp / rel).write_bytes(data)
                stats[config][split] = SplitStats(rel, table.num_rows, table.nbytes, len(data))
        result = BuildResult(
            out=out,
            files=sorted(["README.md", *(s.path for c in stats.values() for s in c.values())]),
            configs=stats,
            article_splits=article_splits,
            withheld=withheld,
            crossing=crossing,
        )
        card = render_card(records, scheme=scheme, result=result, public=public)
        (tmp / "README.md").write_text(card, encoding="utf-8", newline="\n")
        for path in tmp.rglob("*"):
            if path.is_file():
                path.chmod(0o644)
            else:
                path.chmod(0o755)
        tmp.chmod(0o755)
        _swap_in(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return result


def _crossing_spans(record: ArticleRecord) -> list[tuple[str, str]]:
    if record.gold is None:
        return []
    out = []
    for span in record.gold.spans:
        if not any(s.start <= span.start and span.end <= s.end for s in record.sentences):
            out.append((record.id, span.id))
    return out

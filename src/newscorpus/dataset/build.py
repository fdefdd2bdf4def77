"""Build: article records -> a Hugging Face dataset folder (docs/design.md, Dataset).

Layout of the folder (no loading script; ``datasets.load_dataset(DIR)`` reads it)::

    README.md                                  dataset card: YAML (configs, dataset_info) + body
    guidelines.md                              the annotation guidelines, when the corpus names
                                               them (``[card] guidelines``)
    <config>/<split>-00000-of-00001.parquet    one file per config and split (shards
                                               <split>-0000k-of-0000n.parquet past
                                               SHARD_ROW_GROUPS row groups)

Configs are those of the registry :data:`newscorpus.dataset.configs.CONFIGS` that exist under
the scheme (:func:`~newscorpus.dataset.configs.configs_for`). ``datasets`` cannot load a split of 0 rows
("corresponds to no data"), so a split with no rows in a config is left out of that config,
and a config with no rows at all (``quotes`` before any quotation is annotated) is left out
of the card; :attr:`BuildResult.configs` says what was written. Each Parquet file is written by pyarrow with
exactly the arrow schema of the config's declared ``Features``. The same records give
byte-identical files. The folder is built in a temporary sibling and swapped in at the end:
on any error the previous folder is left as it was.

The build streams: records are read one at a time (sorted by file name), validated, and
their rows are made column by column from the parsed JSON (:func:`newscorpus.dataset.configs.add_article_rows`:
no pydantic models, one tokenizer call an article) into one batch per config and split;
a batch becomes Arrow a row group at a time and goes to one ``pq.ParquetWriter`` per config
and split (the bytes of ``pq.write_table`` over all rows), whose encoding runs on a thread.
The card is written from running counters (:class:`newscorpus.dataset.card.stats.CardStats`), so
memory does not grow with the corpus beyond one row group per file and one short licensing
line per article. The build imports neither ``datasets`` nor pandas (the features are
declared without them, :mod:`newscorpus.dataset.features`).

From :data:`POOL_THRESHOLD` records on a machine of two or more CPUs the build runs on two
processes (:mod:`newscorpus.dataset.two_processes`): a spawned worker reads and gates the
records and makes the ``ner`` rows (the validator and spaCy's tokenizer,
:mod:`newscorpus.dataset.gate`) a chunk at a time, while this process reads them again for the other configs
(:mod:`newscorpus.dataset.rows`), the card, the Arrow conversion and the Parquet writers,
and loads neither the validator nor spaCy (the worker does not load pyarrow): two
processes of a build stay under 300 MB together (docs/performance.md). The files and the
errors are those of one process, record for record.
"""

from __future__ import annotations

import gc
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pyarrow as pa

from newscorpus.errors import BuildError, RecordError
from newscorpus.dataset.card.about import GUIDELINES_FILE, CardInfo
from newscorpus.dataset.card.render import card_parts
from newscorpus.dataset.card.stats import CardStats
from newscorpus.dataset.arrow import Columns
from newscorpus.dataset.configs import CONFIGS, config_batches, config_schema, configs_for
from newscorpus.dataset.gate import WORKER_CONFIGS, article_into
from newscorpus.dataset.parquet import BackgroundWrites, ParquetStream, row_group_size, shard_name
from newscorpus.dataset.rows import BuildOptions
from newscorpus.dataset.two_processes import two_process_outcomes
from newscorpus.records.access import locked_folders
from newscorpus.records.io import iter_record_paths
from newscorpus.dataset.result import BuildResult, SplitStats
from newscorpus.core.scheme import Scheme, default_scheme
from newscorpus.dataset.splits import SPLITS, SplitRatios
from newscorpus.util.fileio import current_umask
from newscorpus.util.parallel import default_workers
from newscorpus.util.swap import recover_swap, swap_in

__all__ = ["build_dataset", "parquet_path", "POOL_THRESHOLD"]

#: Records from which a build runs on two processes (this one and a worker, when the
#: machine has two CPUs; ``NEWSCORPUS_WORKERS`` overrides): the worker's start (spawn, the
#: validator, spaCy) kept this process waiting about a second, so that 1,000 records took
#: as long on two processes as on one, 4,000 records 1.3 times less (docs/performance.md).
POOL_THRESHOLD = 2000

_KNOWN_ENTRIES = {"README.md", GUIDELINES_FILE, ".gitattributes", *CONFIGS}


def parquet_path(config: str, split: str) -> str:
    """``<config>/<split>-00000-of-00001.parquet`` (the Hub's shard naming): the file of a
    split that fits in one file (see :class:`SplitStats`)."""
    return f"{config}/{shard_name(split, 0, 1)}"


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


@locked_folders("annotations_dir", "read")
def build_dataset(
    *,
    annotations_dir: str | Path = "annotations",
    out: str | Path = "dist/dataset",
    scheme: Scheme | None = None,
    ratios: SplitRatios = SplitRatios(),
    public: bool = False,
    include_restricted_text: bool = False,
    progress: Callable[[str, int, int], None] | None = None,
    agreement: dict | None = None,
    card: CardInfo = CardInfo(),
    workers: int | None = None,
) -> BuildResult:
    """Build the dataset folder ``out`` from the records of ``annotations_dir``.

    ``card`` is what the corpus says about itself (``[card]`` of ``newscorpus.toml``): the
    card's name, curators, links, citation; its ``guidelines`` file is copied into ``out``
    as ``guidelines.md`` and linked from the card (``no-guidelines`` when it cannot be read).

    ``agreement`` is the report of ``newscorpus agreement`` over the same records (its
    ``to_dict()`` / ``agreement.json``); the card quotes its figures. It must count the same
    articles as the build (``agreement-stale`` otherwise).

    ``public=True`` withholds the text of articles whose ``meta.redistributable`` is false
    (null text, span text and tokens; offsets, labels, hash and URL kept) unless
    ``include_restricted_text``. ``progress(stage, done, total)`` is called once per record
    read, checked and written (stage ``"building rows"``). ``workers``: processes (default:
    two, this one and a worker, from :data:`POOL_THRESHOLD` records on two or more CPUs, else
    one; ``NEWSCORPUS_WORKERS`` overrides; more than two count as two); the files and the
    errors are the same for any number.
    Raises :class:`BuildError` (among them ``entity-crosses-sentence``: a gold entity that
    crosses a sentence boundary) / :class:`RecordError` (nothing written), or ``OSError``.
    Reads holding the records' lock; ``out`` is swapped in whole and never goes missing,
    and what a killed build left beside it is repaired first (:mod:`newscorpus.util.swap`).
    """
    scheme = scheme or default_scheme()
    out = Path(out)
    recover_swap(out)
    _check_out(out)
    if card.guidelines is not None and not Path(card.guidelines).is_file():
        raise BuildError("no such guidelines file", file=str(card.guidelines), code="no-guidelines",
                         hint="set [card] guidelines of newscorpus.toml to the annotation guidelines (Markdown)")
    directory = Path(annotations_dir)
    if not directory.is_dir():
        raise BuildError("no such folder of article records", file=str(directory), code="no-annotations")
    paths = [str(p) for p in iter_record_paths(directory)]  # str: a Path costs about 4 times the memory
    if not paths:
        raise BuildError("no article records (*.json) found", file=str(annotations_dir), code="no-records")

    gc.freeze()  # the modules' objects: the collector need not scan them again per article
    # pyarrow's default allocator (mimalloc) keeps freed pages: about 15 MB more at the peak
    pool = pa.default_memory_pool()
    pa.set_memory_pool(pa.system_memory_pool())
    try:
        if workers is None:
            workers = default_workers(len(paths), threshold=POOL_THRESHOLD)
        return _build(paths, directory=directory, out=out, options=BuildOptions(scheme, ratios, public, include_restricted_text),
                      progress=progress, agreement=agreement, card=card, workers=workers)
    finally:
        pa.set_memory_pool(pool)
        gc.unfreeze()


def _build(paths: list[str], *, directory: Path, out: Path, options: BuildOptions,
           progress: Callable[[str, int, int], None] | None, agreement: dict | None, card: CardInfo, workers: int) -> BuildResult:
    scheme, public = options.scheme, options.public
    article_splits: dict[str, str] = {}
    withheld: list[str] = []
    crossing: list[tuple[str, str]] = []
    stats = CardStats()
    configs = configs_for(scheme)
    schemas = {name: config_schema(name, scheme) for name in configs}
    examples = [name for name, config in configs.items() if config.example_note is not None]
    writers: dict[tuple[str, str], ParquetStream] = {}
    background = BackgroundWrites()
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.tmp-", dir=out.parent))
    made: Iterator = iter(())
    try:
        # Rows of the articles not yet handed to a writer, per split and config: every config
        # in one process; on two cores those this process makes (not WORKER_CONFIGS).
        mine = {name: schema for name, schema in schemas.items() if workers < 2 or name not in WORKER_CONFIGS}
        pending: dict[str, dict[str, Columns]] = {split: config_batches(mine) for split in SPLITS}
        total = len(paths)

        def hand_over(config: str, split: str, rows: Columns | None = None) -> None:
            writer = writers.get((config, split))
            if writer is None:  # datasets cannot load a split of 0 rows: a file only once a row arrives
                rel = parquet_path(config, split)
                writer = writers[config, split] = ParquetStream(tmp / rel, schemas[config], config=config, split=split, background=background)
            if rows is None:
                writer.add(pending[split][config])
                pending[split][config] = configs[config].batch(schemas[config])
            else:
                writer.add(rows)

        def after_rows(split: str) -> None:
            """After an article's rows of this process were added to ``pending[split]``."""
            if len(stats.example) < len(examples):
                for name in examples:  # the first article with rows in a config: they are its only rows pending
                    if name not in stats.example and name in pending[split] and pending[split][name].num_rows:
                        stats.example[name] = pending[split][name].table().to_pylist()[0]
            for config, batch in pending[split].items():
                if batch.num_rows >= row_group_size(config):
                    hand_over(config, split)

        if workers < 2:
            paths.reverse()
            made = ((p, article_into(p, options, pending), None) for p in _consume(paths))  # the list shrinks as the build goes
        else:
            made = two_process_outcomes(paths, options, pending, schemas, after_rows)

        for n, (path, article, worker) in enumerate(made, 1):
            article_id, failed, split, with_text, summary, crossed = article
            if article_id in article_splits:
                raise RecordError(f"article id {article_id!r} is also in {_earlier(directory, article_id)}", file=path, where="$.id", code="duplicate-id")
            if failed is not None:
                raise BuildError(failed[0], **failed[1])
            article_splits[article_id] = split
            if not with_text:
                withheld.append(article_id)
            if worker is None:
                after_rows(split)
            else:  # this process's rows were added, and after_rows called, ahead (two_process_outcomes)
                index, rows_of = worker
                for name in examples:
                    if name not in stats.example and rows_of.first.get(name, (None,))[0] == index:  # made by the worker
                        stats.example[name] = rows_of.batches[split, name].table().to_pylist()[0]
                if index == len(rows_of.gates) - 1:  # the worker's chunk is done
                    for (chunk_split, config), rows in rows_of.batches.items():
                        hand_over(config, chunk_split, rows)
            stats.add(summary, split)
            crossing += crossed
            if progress:
                progress("building rows", n, total)
        for split, batches in pending.items():
            for config, batch in batches.items():
                if batch.num_rows:
                    hand_over(config, split)
        # A writer holds the footer of its file until it closes (pyarrow keeps the metadata
        # and statistics of every row group; `articles`, 64 rows a group, has the most a
        # row): closing the files of the smallest row groups last writes their footers
        # after the others are freed.
        closed = {key: writers[key].close() for key in sorted(writers, key=lambda k: (-row_group_size(k[0]), k))}
        background.shutdown()
        configs: dict[str, dict[str, SplitStats]] = {
            config: {split: _split_stats(config, split, writers[config, split], closed[config, split]) for split in SPLITS if (config, split) in closed}
            for config in configs
        }
        result = BuildResult(
            out=out,
            files=sorted(["README.md", *([GUIDELINES_FILE] if card.guidelines is not None else []),
                          *(f for c in configs.values() for s in c.values() for f in s.files)]),
            configs=configs,
            article_splits=article_splits,
            withheld=withheld,
            crossing=crossing,
        )
        if agreement is not None and (agreement.get("articles"), agreement.get("articles_with_multiple_annotators")) != (stats.n, stats.multi):
            raise BuildError(
                f"the agreement figures count {agreement.get('articles')} articles ({agreement.get('articles_with_multiple_annotators')} "
                f"with two or more annotators), the build {stats.n} ({stats.multi})",
                code="agreement-stale", hint="re-run `newscorpus agreement` on the same annotations",
            )
        with open(tmp / "README.md", "w", encoding="utf-8", newline="\n") as card_file:
            card_file.writelines(card_parts(stats, scheme=scheme, result=result, public=public, agreement=agreement, info=card))
        if card.guidelines is not None:
            shutil.copyfile(card.guidelines, tmp / GUIDELINES_FILE)
        # What the umask allows (mkdtemp made the folder 0700): a local build may hold text
        # whose licence forbids redistribution, so never wider than the user asked for.
        mask = current_umask()
        for path in tmp.rglob("*"):
            path.chmod((0o666 if path.is_file() else 0o777) & ~mask)
        tmp.chmod(0o777 & ~mask)
        swap_in(tmp, out)
    except BaseException:
        if hasattr(made, "close"):
            made.close()  # stops the worker
        background.shutdown()
        for writer in writers.values():
            writer.abort()
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return result


def _split_stats(config: str, split: str, writer: ParquetStream, closed: tuple[int, int, int]) -> SplitStats:
    files = tuple(f"{config}/{p.name}" for p in writer.paths)
    return SplitStats(files[0], *closed, shards=files if len(files) > 1 else ())


def _consume(paths: list[str]) -> Iterator[str]:
    """The items of ``paths`` from last to first, each removed from the list as it is given."""
    while paths:
        yield paths.pop()


def _earlier(directory: Path, article_id: str) -> str:
    """The file of the article ``article_id`` built before: every record built so far passed
    validation, so its file is ``<directory>/<id>.json`` (rule ``file-name-mismatch``), as
    ``iter_record_paths`` names it; the build keeps no map from ids to files (memory)."""
    return str(directory / f"{article_id}.json")

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
from newscorpus.dataset.card.stats import CardStats, article_summary
from newscorpus.dataset.article import plain_record
from newscorpus.dataset.arrow import Columns
from newscorpus.dataset.crossing import crossing_error, crossing_spans
from newscorpus.dataset.configs import CONFIGS, add_article_rows, config_batches, config_schema, configs_for
from newscorpus.dataset.parquet import BackgroundWrites, ParquetStream, row_group_size, shard_name
from newscorpus.records.access import locked_folders
from newscorpus.records.io import iter_record_paths, load_record_json
from newscorpus.dataset.result import BuildResult, SplitStats
from newscorpus.core.scheme import Scheme, default_scheme
from newscorpus.dataset.splits import SPLITS, SplitRatios, assign_split
from newscorpus.util.fileio import current_umask
from newscorpus.util.swap import recover_swap, swap_in
from newscorpus.validate.run import validate_record

__all__ = ["build_dataset", "parquet_path"]

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
    read, checked and written (stage ``"building rows"``).
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
        return _build(paths, directory=directory, out=out, scheme=scheme, ratios=ratios, public=public,
                      include_restricted_text=include_restricted_text, progress=progress, agreement=agreement, card=card)
    finally:
        pa.set_memory_pool(pool)
        gc.unfreeze()


def _build(paths: list[str], *, directory: Path, out: Path, scheme: Scheme, ratios: SplitRatios, public: bool,
           include_restricted_text: bool, progress: Callable[[str, int, int], None] | None,
           agreement: dict | None = None, card: CardInfo = CardInfo()) -> BuildResult:
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
    try:
        options = (scheme, ratios, public, include_restricted_text)
        # Rows of the articles not yet handed to a writer, per split and config.
        pending: dict[str, dict[str, Columns]] = {split: config_batches(schemas) for split in SPLITS}
        # One process: a pool of processes, each importing spaCy, pydantic, pyarrow and the
        # compiled schema, breaks the 300 MB bound, and on two shared cores it did not pay
        # (docs/performance.md). Parquet encoding runs on a thread (BackgroundWrites).
        total = len(paths)
        paths.reverse()
        made = ((p, _article_into(p, options, pending)) for p in _consume(paths))  # the list shrinks as the build goes

        def hand_over(config: str, split: str) -> None:
            writer = writers.get((config, split))
            if writer is None:  # datasets cannot load a split of 0 rows: a file only once a row arrives
                rel = parquet_path(config, split)
                writer = writers[config, split] = ParquetStream(tmp / rel, schemas[config], config=config, split=split, background=background)
            writer.add(pending[split][config])
            pending[split][config] = configs[config].batch(schemas[config])

        for n, (path, article) in enumerate(made, 1):
            article_id, failed, split, with_text, summary, crossed = article
            if article_id in article_splits:
                raise RecordError(f"article id {article_id!r} is also in {_earlier(directory, article_id)}", file=path, where="$.id", code="duplicate-id")
            if failed is not None:
                raise BuildError(failed[0], **failed[1])
            article_splits[article_id] = split
            if not with_text:
                withheld.append(article_id)
            if len(stats.example) < len(examples):
                for name in examples:  # the first article with rows in a config: they are its only rows pending
                    if name not in stats.example and pending[split][name].num_rows:
                        stats.example[name] = pending[split][name].table().to_pylist()[0]
            stats.add(summary, split)
            crossing += crossed
            for config, batch in pending[split].items():
                if batch.num_rows >= row_group_size(config):
                    hand_over(config, split)
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


def _rejection(path: str, violations: list) -> tuple[str, dict]:
    """The build's error for a record that does not validate: the first violation's
    message and the fields of its :class:`BuildError` (file, where, code, and a hint with
    how many more violations there are and the command that lists them)."""
    first = violations[0]
    more = f" (and {len(violations) - 1} more)" if len(violations) > 1 else ""
    return first.message, {"file": path, "where": first.path, "code": first.rule,
                           "hint": f"the record does not validate{more}: run `newscorpus validate {path}`"}


def _article_into(path: str, options: tuple, pending: dict[str, dict[str, Columns]]) -> tuple:
    """Read and check the record at ``path``; its id, the check's error (message and
    fields, raised by the caller after the duplicate-id check, as the sequential order has
    it) or None, split, whether its text is included, its card summary and its gold spans
    crossing a sentence boundary. An entity of a non-overlapping layer that crosses one is
    the error (``entity-crosses-sentence``, :func:`newscorpus.dataset.crossing.crossing_error`).
    Its rows of every config are added to ``pending[split]``."""
    scheme, ratios, public, include_restricted_text = options
    data = load_record_json(path)
    # The build is a gate like `newscorpus validate`: a record it rejects is never published.
    violations = validate_record(data, file=path, scheme=scheme)
    if violations:
        return str(data.get("id")), _rejection(path, violations), None, None, None, None
    rec = plain_record(data)
    crossing = crossing_spans(rec)
    if crossing:
        flat = {layer.name for layer in scheme.span_layers if not layer.overlap}
        entities = [c for c in crossing if c.layer in flat]
        if entities:  # an entity cut by a boundary would be O in `ner`: never published
            return rec["id"], crossing_error(rec["id"], path, entities), None, None, None, None
    meta = rec["meta"]
    split = assign_split(rec["id"], ratios=ratios, override=meta.get("split"))
    # the text goes in for a local build; for a public one only if redistributable or asked for
    with_text = not public or meta["redistributable"] or include_restricted_text
    add_article_rows(rec, scheme=scheme, with_text=with_text, out=pending[split])
    return rec["id"], None, split, with_text, article_summary(rec), [(rec["id"], c.span_id) for c in crossing]

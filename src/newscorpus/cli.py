"""The ``newscorpus`` command: a thin layer over the library.

Each command parses its options, calls one library function and reports the result;
errors from the library (:mod:`newscorpus.errors`) become one line on stderr and exit 1.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .errors import NewscorpusError

ANNOTATIONS = click.option(
    "--annotations",
    "annotations_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("annotations"),
    show_default=True,
    help="Folder of article records (annotations/<article_id>.json).",
)


def _fail(exc: NewscorpusError) -> None:
    click.echo(f"error: {exc}", err=True)
    sys.exit(1)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="newscorpus")
def cli() -> None:
    """newscorpus: news articles into a validated, labelled corpus.

    \b
    Pipeline (DESIGN section 1):
      ingest    seeds/*.txt + .meta.json  -> annotations/<id>.json (text, sentences)
      tasks     records -> Label Studio label config + tasks JSON
      import    Label Studio JSON export -> annotations/<id>.json
      validate  JSON Schema + semantic checks over annotations/
      build     annotations/ -> Hugging Face dataset folder (Parquet + card)
      summary   load a built folder with datasets and print its counts
      publish   push a built folder to the Hugging Face Hub

    Offsets everywhere are Unicode code points, 0-based, end-exclusive.
    """


@cli.command()
@click.argument("seeds", type=click.Path(exists=True, path_type=Path), default=Path("seeds"))
@ANNOTATIONS
def ingest(seeds: Path, annotations_dir: Path) -> None:
    """Ingest seed articles (SEEDS: a folder of <id>.txt + <id>.meta.json, or one .txt).

    Writes a record with canonical text, text_sha256 and sentences for each new article.
    An existing record keeps its annotations; its metadata is refreshed from the sidecar.
    A seed whose canonical text differs from its record's is refused (annotations were
    made against the old text).
    """
    from .ingest import ingest_all

    try:
        report = ingest_all(seeds, annotations_dir=annotations_dir)
    except NewscorpusError as exc:
        _fail(exc)
    click.echo(f"ingested {report.total} article(s): {report.created} new, {report.updated} updated, {report.unchanged} unchanged")


# --- Hugging Face dataset: build, summary, publish (issue 4) ---------------------------------

OUT_DIR = click.option(
    "--out",
    "out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("dist/dataset"),
    show_default=True,
    help="Dataset folder to write (replaced as a whole when the build succeeds).",
)
RESTRICTED = click.option(
    "--include-restricted-text",
    is_flag=True,
    help="Keep the text of articles whose metadata says redistributable: false (only if you hold the rights).",
)


@cli.command()
@ANNOTATIONS
@OUT_DIR
@click.option("--public", is_flag=True, help="Withhold the text of non-redistributable articles (what `publish` requires).")
@RESTRICTED
@click.option(
    "--split-ratios",
    default="0.8,0.1,0.1",
    show_default=True,
    help="Train,validation,test shares for the id-hash split (meta.split overrides it).",
)
def build(annotations_dir: Path, out: Path, public: bool, include_restricted_text: bool, split_ratios: str) -> None:
    """Build the Hugging Face dataset folder (Parquet per config and split + dataset card).

    \b
    Configs: articles (default), sentences, ner, quotes, annotations.
    A local build keeps every text; --public withholds the text of articles whose licence
    forbids redistribution (offsets, labels, hash and URL kept). The same records give
    byte-identical files. Load it with datasets.load_dataset(OUT).
    """
    from rich.progress import Progress

    from .build import build_dataset
    from .splits import SplitRatios

    try:
        ratios = SplitRatios.parse(split_ratios)
        with Progress(console=_stderr_console(), transient=True) as bar:
            task = bar.add_task("reading records", total=None)
            result = build_dataset(
                annotations_dir=annotations_dir,
                out=out,
                ratios=ratios,
                public=public,
                include_restricted_text=include_restricted_text,
                progress=lambda stage, done, total: bar.update(task, description=stage, completed=done, total=total),
            )
    except NewscorpusError as exc:
        _fail(exc)
    counts = ", ".join(f"{c} {sum(s.num_examples for s in splits.values())}" for c, splits in result.configs.items() if splits)
    click.echo(f"built {result.out}: {counts} rows; {len(result.files)} files")
    if result.withheld:
        click.echo(f"text withheld for {len(result.withheld)} article(s) not redistributable: {', '.join(result.withheld)}")
    if result.crossing:
        click.echo(f"warning: {len(result.crossing)} gold span(s) cross a sentence boundary (only in `articles`)", err=True)


@cli.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path), default=Path("dist/dataset"))
def summary(directory: Path) -> None:
    """Load a built DIRECTORY with datasets.load_dataset and print its counts."""
    from .summary import format_summary, summarize

    try:
        result = summarize(directory)
    except NewscorpusError as exc:
        _fail(exc)
    click.echo(format_summary(result))


@cli.command()
@click.argument("repo_id")
@click.option("--dir", "directory", type=click.Path(file_okay=False, path_type=Path), default=Path("dist/dataset"), show_default=True, help="Built dataset folder to push.")
@click.option("--private", is_flag=True, help="Create the repo as private.")
@click.option("--dry-run", is_flag=True, help="List the exact files that would be pushed; upload nothing.")
@RESTRICTED
def publish(repo_id: str, directory: Path, private: bool, dry_run: bool, include_restricted_text: bool) -> None:
    """Push a built dataset folder to the Hub dataset repo REPO_ID (owner/name).

    The token is read from HF_TOKEN and never printed. A folder holding text that may not be
    redistributed is refused unless --include-restricted-text: build it with --public.
    """
    from .publish import publish_dataset

    try:
        result = publish_dataset(
            repo_id, directory=directory, private=private, dry_run=dry_run, include_restricted_text=include_restricted_text
        )
    except NewscorpusError as exc:
        _fail(exc)
    verb = "would push" if result.dry_run else "pushed"
    click.echo(f"{verb} {len(result.plan.files)} file(s) to {'private ' if private else ''}dataset {repo_id}:")
    for rel, size in result.plan.files:
        click.echo(f"  {rel}  {size} bytes")
    if result.commit_url:
        click.echo(result.commit_url)


def _stderr_console():
    from rich.console import Console

    return Console(stderr=True)

# --- end Hugging Face dataset ----------------------------------------------------------------


def main() -> None:
    """Console entry point."""
    cli()


if __name__ == "__main__":
    main()

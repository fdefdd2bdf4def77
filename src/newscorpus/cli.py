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


def main() -> None:
    """Console entry point."""
    cli()


if __name__ == "__main__":
    main()

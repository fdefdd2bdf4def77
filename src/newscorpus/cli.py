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


# --- schema, validate, migrate (issue 5) -------------------------------------------------


@cli.command()
@click.option("--write", is_flag=True, help="Write schema/<version>/ and the package copy instead of printing.")
@click.option(
    "--root",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("."),
    show_default=True,
    help="Repository root that holds schema/ and src/newscorpus/data/schema/ (with --write).",
)
def schema(write: bool, root: Path) -> None:
    """Print the JSON Schema of article records, generated from the models and the scheme.

    With --write, regenerate schema/<version>/article.schema.json and its copy inside the
    package for the current version only (released versions never change).
    """
    from .schema import build_schema, dump_schema, write_schema

    if write:
        changed = write_schema(root=root)
        click.echo("\n".join(f"wrote {p}" for p in changed) if changed else "schema up to date")
    else:
        click.echo(dump_schema(build_schema()), nl=False)


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text: one line per error grouped by file, counts per rule; json: for tools.",
)
def validate(paths: tuple[Path, ...], fmt: str) -> None:
    """Validate article records (PATHS: files or folders; default: annotations).

    Stage 1 is the published JSON Schema with format checking (offline); stage 2 the
    checks of meaning: offsets, span texts, text hash, labels per layer, ids, relations,
    sentences. Exit 0 when every record is valid, 1 otherwise. Rule codes: docs/schema.md.
    """
    from .validate import REPORTERS, validate_paths

    targets = list(paths) or [Path("annotations")]
    with _progress("validating") as tick:
        result = validate_paths(targets, on_file=tick)
    click.echo(REPORTERS[fmt](result), nl=False)
    sys.exit(0 if result.valid else 1)


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--check", is_flag=True, help="Only report which records need migrating; exit 1 if any does.")
def migrate(paths: tuple[Path, ...], check: bool) -> None:
    """Upgrade records (PATHS: files or folders; default: annotations) to the current
    schema version, in place and atomically. Nothing is written unless every record
    migrates and type-checks.
    """
    from .migrate import migrate_paths

    try:
        report = migrate_paths(list(paths) or [Path("annotations")], check=check)
    except NewscorpusError as exc:
        _fail(exc)
    for line in report.lines():
        click.echo(line)
    sys.exit(1 if check and report.pending else 0)


class _progress:
    """A transient rich progress bar on stderr, shown only on a terminal; yields a tick."""

    def __init__(self, label: str) -> None:
        self.label = label
        self.bar = None

    def __enter__(self):
        if not sys.stderr.isatty():
            return None
        from rich.console import Console
        from rich.progress import Progress

        self.bar = Progress(console=Console(stderr=True), transient=True)
        self.bar.start()
        task = self.bar.add_task(self.label, total=None)
        return lambda _path: self.bar.advance(task)

    def __exit__(self, *exc) -> None:
        if self.bar is not None:
            self.bar.stop()


# --- end schema, validate, migrate ----------------------------------------------------------


def main() -> None:
    """Console entry point."""
    cli()


if __name__ == "__main__":
    main()

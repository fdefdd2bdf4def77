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


# --- tasks / import (Label Studio files) -------------------------------------------------


def _records(annotations_dir: Path):
    from .records import iter_record_paths, read_record

    return [read_record(p) for p in iter_record_paths(annotations_dir)]


@cli.command()
@ANNOTATIONS
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("dist/labelstudio"),
              show_default=True, help="Folder for label_config.xml and tasks.json.")
@click.option("--model-version", default=None, help="model_version of the pre-annotations [default: newscorpus-<schema version>].")
def tasks(annotations_dir: Path, out_dir: Path, model_version: str | None) -> None:
    """Write the Label Studio label config and tasks (one per article).

    Paste label_config.xml into the project's Labeling Interface (Code view) and import
    tasks.json. Each task pre-annotates the sentence regions (ids = sentence ids) and any
    gold, as predictions under one model_version; set the same model version on the project
    so the labeling view shows them.
    """
    from .tasks import write_tasks

    try:
        report = write_tasks(_records(annotations_dir), out_dir=out_dir, model_version=model_version)
    except NewscorpusError as exc:
        _fail(exc)
    click.echo(f"wrote {report.config_path} and {report.tasks_path} ({report.tasks} task(s))")


@cli.command("import")
@click.argument("export", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@ANNOTATIONS
@click.option("--offset-unit", type=click.Choice(["codepoint", "utf16"]), default="codepoint", show_default=True,
              help="How the export counts offsets: code points (Label Studio >= 1.4) or UTF-16 code units (older).")
def import_(export: Path, annotations_dir: Path, offset_unit: str) -> None:
    """Import a Label Studio JSON export (EXPORT) into annotations/<article_id>.json.

    Reads the full JSON export (not JSON_MIN or CONLL: they drop relations and ids),
    streaming. Every annotation, cancelled annotation and draft is kept with its status
    and a pseudonymous annotator id (ls-<user id>). Gold is set to the single submitted
    annotation when there is exactly one and no adjudicated gold. On any error nothing is
    written. Re-importing the same export changes no byte.
    """
    from rich.progress import BarColumn, DownloadColumn, Progress, TimeRemainingColumn

    from .importer import import_export

    size = export.stat().st_size
    try:
        with Progress("[progress.description]{task.description}", BarColumn(), DownloadColumn(), TimeRemainingColumn(),
                      transient=True, disable=size < 5_000_000) as bar:
            job = bar.add_task("import", total=size)
            report = import_export(export, annotations_dir=annotations_dir, offset_unit=offset_unit,
                                   progress=lambda n: bar.update(job, completed=n))
    except NewscorpusError as exc:
        _fail(exc)
    for warning in report.warnings:
        click.echo(f"warning: {export}::{warning}", err=True)
    counts = ", ".join(f"{n} {status}" for status, n in report.annotations.items())
    click.echo(f"imported {report.tasks} task(s) ({counts}); {len(report.written)} record(s) written, "
               f"{len(report.unchanged)} unchanged")


# --- ls (a live Label Studio server) ------------------------------------------------------

LS_URL = click.option("--url", required=True, envvar="LABEL_STUDIO_URL", show_envvar=True,
                      help="Label Studio's address, e.g. http://127.0.0.1:8080.")
LS_PROJECT = click.option("--project", default="newscorpus", show_default=True, help="Title of the project.")


def _ls_progress(label: str):
    """A rich progress bar on stderr and the ``progress(stage, done, total)`` callback feeding it."""
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TaskProgressColumn

    console = Console(stderr=True)
    bar = Progress("[progress.description]{task.description}", BarColumn(), TaskProgressColumn(),
                   console=console, transient=True, disable=not console.is_terminal)
    jobs: dict[str, int] = {}

    def update(stage: str, done: int, total: int) -> None:
        if stage not in jobs:
            jobs[stage] = bar.add_task(f"{label}: {stage}", total=total or None)
        bar.update(jobs[stage], completed=done, total=total or None)

    return bar, update


@cli.group("ls")
def ls_group() -> None:
    """Push tasks to a live Label Studio server and pull the annotations back.

    \b
    The API key is read from LABEL_STUDIO_API_KEY (never from the command line): a
    personal access token (Account & Settings > Personal Access Token) or a legacy token
    (organisations with legacy tokens enabled). It is never printed or written.
    See docs/label-studio.md.
    """


@ls_group.command("push")
@LS_URL
@LS_PROJECT
@ANNOTATIONS
@click.option("--model-version", default=None,
              help="model_version of the predictions and of the project [default: newscorpus-<schema version>].")
def ls_push(url: str, project: str, annotations_dir: Path, model_version: str | None) -> None:
    """Create or update the project and import the tasks of articles not yet in it.

    The project gets the label config generated from the scheme and MODEL_VERSION as its
    model version (the labeling view shows only predictions of that version). Tasks are
    matched by data.article_id and data.text_sha256: pushing twice creates no duplicate,
    and an article whose text changed is refused (nothing is pushed).
    """
    from .labelstudio import push

    bar, progress = _ls_progress("push")
    try:
        with bar:
            report = push(url=url, annotations_dir=annotations_dir, project=project,
                          model_version=model_version, progress=progress)
    except NewscorpusError as exc:
        _fail(exc)
    state = "created" if report.project_created else ("label config updated" if report.config_updated else "up to date")
    click.echo(f"project {report.project_title!r} (id {report.project_id}, {state}, model version "
               f"{report.model_version}): {report.imported} task(s) imported, {report.already_present} already there")


@ls_group.command("pull")
@LS_URL
@LS_PROJECT
@ANNOTATIONS
def ls_pull(url: str, project: str, annotations_dir: Path) -> None:
    """Export the project in full and import it into annotations/<article_id>.json.

    The export holds every task, every annotation (submitted, cancelled, ground truth),
    drafts and full predictions; it is streamed to a temporary file, imported as
    `newscorpus import` does (nothing written on any error), then deleted.
    """
    from .labelstudio import pull

    bar, progress = _ls_progress("pull")
    try:
        with bar:
            report = pull(url=url, annotations_dir=annotations_dir, project=project, progress=progress)
    except NewscorpusError as exc:
        _fail(exc)
    imp = report.imported
    for warning in imp.warnings:
        click.echo(f"warning: {warning}", err=True)
    counts = ", ".join(f"{n} {status}" for status, n in imp.annotations.items())
    click.echo(f"pulled project {report.project_title!r} (id {report.project_id}, {report.export_bytes} bytes): "
               f"{imp.tasks} task(s) ({counts}); {len(imp.written)} record(s) written, {len(imp.unchanged)} unchanged")


def main() -> None:
    """Console entry point."""
    cli()


if __name__ == "__main__":
    main()

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


# --- tasks / import (Label Studio files) -------------------------------------------------


def _records(annotations_dir: Path):
    from .records import iter_record_paths, read_record

    return (read_record(p) for p in iter_record_paths(annotations_dir))  # streamed: one record in memory

# --- agreement and adjudication (issue 7) -------------------------------------------------


def _record_progress(label: str):
    """A rich progress bar on stderr and the ``on_record(done, total)`` callback driving it."""
    from rich.console import Console
    from rich.progress import Progress

    console = Console(stderr=True)
    progress = Progress(console=console, transient=True, disable=not console.is_terminal)
    task = progress.add_task(label, total=None)

    def on_record(done: int, total: int) -> None:
        progress.update(task, completed=done, total=total)

    return progress, on_record


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


@cli.command()
@ANNOTATIONS
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("dist/agreement"),
    show_default=True,
    help="Build folder for agreement.json and agreement.png.",
)
@click.option(
    "--exclude",
    multiple=True,
    metavar="ANNOTATOR",
    help="Leave this annotator out (e.g. the adjudicator, ls-7). Repeatable.",
)
def agreement(annotations_dir: Path, out_dir: Path, exclude: tuple[str, ...]) -> None:
    """Inter-annotator agreement per layer and label, from submitted annotations.

    \b
    Span layers: pairwise F1 between annotators, exact (same start, end, label)
      and overlap (same label, overlapping offsets), per label and micro.
    Sentence roles and genre: Krippendorff's alpha (nominal, missing values
      allowed); Cohen's kappa when there are two annotators (per pair in JSON).
    Frames: alpha per frame (has it or not, per article).
    Prints a table and writes OUT/agreement.json and OUT/agreement.png.
    See docs/agreement.md for how to read the figures.
    """
    from rich.console import Console

    from .agreement_report import agreement_dir, agreement_tables
    from .scheme import default_scheme

    progress, on_record = _record_progress("reading records")
    try:
        with progress:
            run = agreement_dir(annotations_dir, out_dir=out_dir, scheme=default_scheme(), exclude=exclude, on_record=on_record)
    except NewscorpusError as exc:
        _fail(exc)
    Console().print(agreement_tables(run.report))
    click.echo(f"wrote {run.json_path} and {run.chart_path}")


@cli.command()
@ANNOTATIONS
@click.option("--adjudicator", metavar="ANNOTATOR", help="Annotator id whose own annotation becomes gold (e.g. ls-7).")
@click.option("--force", is_flag=True, help="Rebuild gold even where it was adjudicated before.")
@click.option(
    "--tasks",
    "tasks_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("dist/adjudication/tasks.json"),
    show_default=True,
    help="Label Studio tasks of the open disagreements, one prediction per annotator.",
)
def adjudicate(annotations_dir: Path, adjudicator: str | None, force: bool, tasks_path: Path) -> None:
    """Build gold in every record from its submitted annotations.

    \b
    Rules, first that applies (the record keeps the method and the annotation ids):
      an adjudicated gold is kept (unless --force);
      adjudicated   the --adjudicator's own annotation;
      ground_truth  exactly one annotation flagged ground_truth in Label Studio
                    (several flags decide nothing: they are reported);
      single        one annotator only;
      majority      a vote per span, sentence role, article label, relation;
                    ties are left open.
    Cancelled annotations and drafts are never gold. Open units are listed and
    written to --tasks for the adjudicator to import into Label Studio.
    """
    from .adjudicate import adjudicate_dir
    from .scheme import default_scheme

    progress, on_record = _record_progress("adjudicating")
    try:
        with progress:
            result = adjudicate_dir(
                annotations_dir, scheme=default_scheme(), adjudicator=adjudicator, force=force, tasks_path=tasks_path, on_record=on_record
            )
    except NewscorpusError as exc:
        _fail(exc)
    methods: dict[str, int] = {}
    for rep in result.reports:
        key = rep.method if rep.status == "set" else rep.status
        methods[key or "none"] = methods.get(key or "none", 0) + 1
    summary = ", ".join(f"{n} {m}" for m, n in sorted(methods.items()))
    click.echo(f"adjudicated {len(result.reports)} record(s): {summary}; {result.written} file(s) changed")
    for rep in result.reports:
        for note in rep.notes:
            click.echo(f"{rep.article_id}: {note}")
        for unit in rep.open:
            cands = ", ".join(f"{name}={'—' if v is None else v}" for name, v in unit.candidates.items())
            click.echo(f"{rep.article_id}: open {unit.kind} {unit.layer} {unit.unit}: {cands}")
    click.echo(f"wrote {result.tasks} adjudication task(s) to {result.tasks_path}")

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

"""Commands that keep records trustworthy: schema, validate, migrate, recover."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from newscorpus.cli._common import ANNOTATIONS, corpus_config, corpus_scheme, fail, progress
from newscorpus.errors import NewscorpusError


@click.command()
@click.option("--write", is_flag=True, help="Write schema/<version>/ (and the package copy, in newscorpus's own repository) instead of printing.")
@click.option(
    "--root",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("."),
    show_default=True,
    help="Repository root that holds schema/ (and src/newscorpus/data/schema/ in newscorpus's own) (with --write).",
)
def schema(write: bool, root: Path) -> None:
    """Print the JSON Schema of article records, generated from the models and the scheme
    (the corpus's, from newscorpus.toml, else the packaged one).

    With --write, regenerate schema/<version>/article.schema.json for the current version
    only (released versions never change), and its copy inside the package when ROOT is
    newscorpus's own repository (it has src/newscorpus/).
    """
    from newscorpus.schema.generate import build_schema, dump_schema, write_schema

    scheme = corpus_scheme()
    if write:
        changed = write_schema(root=root, scheme=scheme, package_copy=(root / "src" / "newscorpus").is_dir())
        click.echo("\n".join(f"wrote {p}" for p in changed) if changed else "schema up to date")
    else:
        click.echo(dump_schema(build_schema(scheme)), nl=False)


@click.command()
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
    """Validate article records (PATHS: files or folders; default: [paths] annotations of
    newscorpus.toml, else annotations) against the corpus's scheme.

    Stage 1 is the published JSON Schema with format checking (offline); stage 2 the
    checks of meaning: offsets, span texts, text hash, labels per layer, ids, relations,
    sentences. Exit 0 when every record is valid, 1 otherwise. Rule codes: docs/schema.md.
    """
    from newscorpus.validate.run import REPORTERS, record_files, validate_paths

    targets = list(paths) or [corpus_config().paths.annotations]
    scheme = corpus_scheme()
    with progress("validating") as update:
        update(total=len(record_files(targets)))
        result = validate_paths(targets, scheme=scheme, on_file=lambda _path: update(advance=1))
    click.echo(REPORTERS[fmt](result), nl=False)
    sys.exit(0 if result.valid else 1)


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--check", is_flag=True, help="Only report which records need migrating; exit 1 if any does.")
def migrate(paths: tuple[Path, ...], check: bool) -> None:
    """Upgrade records (PATHS: files or folders; default: [paths] annotations of
    newscorpus.toml, else annotations) to the current schema version, in place and
    atomically. Nothing is written unless every record migrates and type-checks.
    """
    from newscorpus.records.migrate import migrate_paths

    targets = list(paths) or [corpus_config().paths.annotations]
    scheme = corpus_scheme()
    try:
        report = migrate_paths(targets, scheme=scheme, check=check)
    except NewscorpusError as exc:
        fail(exc)
    for line in report.lines():
        click.echo(line)
    sys.exit(1 if check and report.pending else 0)


@click.command()
@ANNOTATIONS
def recover(annotations_dir: Path) -> None:
    """Finish or remove what a killed command left in the records' folder.

    A change of many records that was interrupted after its journal was written is
    finished (its staged records moved in); staging folders and temporary files are
    removed. Every command that writes the folder does this first; validate only reports
    them (interrupted-change, leftover-staging). See docs/team.md.
    """
    from newscorpus.records.access import recover_folder

    report = recover_folder(annotations_dir)
    click.echo(f"{annotations_dir}: {report.moved} staged record(s) moved in, {len(report.removed)} leftover(s) removed")


COMMANDS = [schema, validate, migrate, recover]

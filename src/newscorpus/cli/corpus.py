"""Commands that set a corpus up: init."""

from __future__ import annotations

from pathlib import Path

import click


@click.command()
@click.argument("directory", type=click.Path(path_type=Path))
@click.option("--scheme", "scheme_file", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="The corpus's annotation scheme (YAML; copied to scheme.yaml) [default: a copy of the packaged scheme].")
@click.option("--force", is_flag=True, help="In a folder that is not empty: add only the missing files, keep every existing one.")
def init(directory: Path, scheme_file: Path | None, force: bool) -> None:
    """Scaffold a new corpus repository in DIRECTORY (new or empty).

    \b
    Writes newscorpus.toml, scheme.yaml, schema/ (the JSON Schema of that scheme),
    seeds/, annotations/, a README with its two commands, a .pre-commit-config.yaml that
    runs newscorpus validate, a .gitignore and a CI workflow that validates
    (.github/workflows/validate.yml). See docs/corpus.md.
    """
    from newscorpus.scaffold.corpus import init_corpus

    report = init_corpus(directory, scheme_file=scheme_file, force=force)
    for rel in report.created:
        click.echo(f"created {directory / rel}")
    for rel in report.kept:
        click.echo(f"kept    {directory / rel}")
    click.echo(f"next: put articles in {directory / 'seeds'}/, then in {directory}: newscorpus ingest && newscorpus validate")


COMMANDS = [init]

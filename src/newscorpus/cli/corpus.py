"""Commands that set a corpus up: init, scheme from-labelstudio."""

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


@click.group("scheme")
def scheme_group() -> None:
    """Write a corpus's annotation scheme from what a team already has.

    See docs/configuration.md (A corpus's own scheme) and docs/corpus.md.
    """


@scheme_group.command("from-labelstudio")
@click.argument("config", type=click.Path(dir_okay=False, path_type=Path))
@click.option("-o", "--out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Scheme file to write [default: print it].")
@click.option("--name", default=None, help="The scheme's name [default: CONFIG's file name without .xml].")
@click.option("--version", "version", default="1.0.0", show_default=True, help="The scheme's version.")
def scheme_from_labelstudio(config: Path, out: Path | None, name: str | None, version: str) -> None:
    """Write a scheme from a Label Studio label config (CONFIG, the XML of the project's
    Labeling Interface, Code view).

    \b
    <Labels name=X>                 span layer X, its <Label>s the labels
    <Choices name=X>                article layer X (choice="multiple": several labels)
    <Choices perRegion="true">      sentence layer, only on newscorpus's sentence regions
    <Relations><Relation value=R>   relation label R, between any two span labels
    <TextArea>, other controls      ignored, with a warning
    Definitions come from each label's hint (or title). The result passes the scheme checks;
    review it (definitions, overlap, relation head and tail labels) before use.
    """
    from newscorpus.labelstudio.scheme_import import scheme_from_label_config, scheme_yaml
    from newscorpus.util.fileio import atomic_write_text

    imported = scheme_from_label_config(config, name=name, version=version)
    for warning in imported.warnings:
        click.echo(f"warning: {config}::{warning}", err=True)
    text = scheme_yaml(imported)
    if out is None:
        click.echo(text, nl=False)
        return
    atomic_write_text(out, text)
    scheme = imported.scheme
    counts = {level: len(scheme.layers_at(level)) for level in ("span", "sentence", "article")}
    click.echo(f"wrote {out}: scheme {scheme.name} {scheme.version}, "
               + ", ".join(f"{n} {level} layer(s)" for level, n in counts.items())
               + f", {len(scheme.relation_labels)} relation label(s)")


COMMANDS = [init, scheme_group]

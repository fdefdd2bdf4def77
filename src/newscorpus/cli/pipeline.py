"""Commands of the annotation round trip: ingest, tasks, import."""

from __future__ import annotations

import re
from pathlib import Path

import click

from newscorpus.cli._common import ANNOTATIONS, config_default, corpus_scheme, fail, progress
from newscorpus.errors import NewscorpusError
from newscorpus.importers import IMPORTERS


@click.command()
@click.argument("seeds", type=click.Path(exists=True, path_type=Path), required=False,
                callback=config_default("paths", "seeds"))
@ANNOTATIONS
def ingest(seeds: Path, annotations_dir: Path) -> None:
    """Ingest seed articles (SEEDS: a folder of <id>.txt + <id>.meta.json, or one .txt;
    default: [paths] seeds of newscorpus.toml, else seeds).

    Writes a record with canonical text, text_sha256 and sentences for each new article.
    An existing record keeps its annotations; its metadata is refreshed from the sidecar.
    A seed whose canonical text differs from its record's is refused (annotations were
    made against the old text).
    """
    from newscorpus.ingest.run import ingest_all

    if not seeds.exists():
        raise click.BadParameter(f"Path '{seeds}' does not exist.", param_hint="'[SEEDS]'")
    scheme = corpus_scheme()
    try:
        with progress("ingesting") as update:
            report = ingest_all(seeds, annotations_dir=annotations_dir, scheme=scheme,
                                progress=lambda done, total: update(completed=done, total=total))
    except NewscorpusError as exc:
        fail(exc)
    click.echo(f"ingested {report.total} article(s): {report.created} new, {report.updated} updated, {report.unchanged} unchanged")


def _records(annotations_dir: Path, update=None):
    """The records of ``annotations_dir`` one at a time, in file-name order; ``update`` (a
    progress bar's) is told the total and each record read."""
    from newscorpus.records.io import iter_record_paths, read_record

    paths = list(iter_record_paths(annotations_dir))
    if update is not None:
        update(total=len(paths))
    for done, path in enumerate(paths, 1):
        yield read_record(path)
        if update is not None:
            update(completed=done)


@click.command()
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
    from newscorpus.labelstudio.tasks import write_tasks

    scheme = corpus_scheme()
    try:
        with progress("writing tasks") as update:
            report = write_tasks(_records(annotations_dir, update), out_dir=out_dir, scheme=scheme,
                                 model_version=model_version)
    except NewscorpusError as exc:
        fail(exc)
    click.echo(f"wrote {report.config_path} and {report.tasks_path} ({report.tasks} task(s))")


def _tool_version(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """--tool-version: a release such as 1.23.2 (letters, digits, '.', '+', '-'; at most 40)."""
    if value is not None and not re.fullmatch(r"[0-9A-Za-z][0-9A-Za-z.+\-]{0,39}", value):
        raise click.BadParameter(f"{value!r} is not a release such as 1.23.2 (letters, digits, '.', '+' and '-')")
    return value


@click.command("import")
@click.argument("export", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@ANNOTATIONS
@click.option("--format", "format_name", type=click.Choice(list(IMPORTERS)), default="labelstudio", show_default=True,
              help="Format of EXPORT: " + "; ".join(f"{name}: {imp.description}" for name, imp in IMPORTERS.items()) + ".")
@click.option("--offset-unit", type=click.Choice(["codepoint", "utf16"]), default="codepoint", show_default=True,
              help="How the export counts offsets: code points (Label Studio >= 1.4) or UTF-16 code units (older).")
@click.option("--label-map", "label_map_file", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="YAML or JSON file mapping the export's control and label names onto the scheme (docs/corpus.md).")
@click.option("--new-articles", is_flag=True, help="Make a new record of each task (tasks with text but no data.article_id).")
@click.option("--text-field", default="text", show_default=True, help="With --new-articles: the data field holding the text.")
@click.option("--id-field", default=None, help="With --new-articles: the data field giving the article id [default: lt-<16 hex of the text's sha256>].")
@click.option("--meta-field", "meta_fields", multiple=True, metavar="KEY=FIELD",
              help="With --new-articles: take meta KEY from data field FIELD (repeatable), e.g. title=headline.")
@click.option("--meta", "meta_defaults", multiple=True, metavar="KEY=VALUE",
              help="With --new-articles: meta KEY for every new article (repeatable), e.g. license=CC-BY-4.0.")
@click.option("--server", default=None, callback=config_default("labelstudio", "server"),
              show_default="[labelstudio] server of newscorpus.toml, else none",
              help="This corpus's name for the Label Studio server of EXPORT (a short slug): part of every imported "
                   "annotation's id (ls-NAME-p<project>-a<id>) and annotator (ls-NAME-<user id>), so two servers never collide.")
@click.option("--skip-invalid", is_flag=True,
              help="Import every valid annotation and write the refused ones to a JSON report (--report) instead of refusing the export.")
@click.option("--report", "report_file", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Where --skip-invalid writes the refused annotations.  [default: EXPORT's name + .refused.json, beside it]")
@click.option("--tool-version", default=None, callback=_tool_version, metavar="VERSION",
              help="The release of the tool that made EXPORT (e.g. 1.23.2: Label Studio's version, shown under its "
                   "user menu and at /api/version), recorded as every imported annotation's origin.version "
                   "[default: unknown, null; `ls pull` asks the server].")
@click.pass_context
def import_(ctx: click.Context, export: Path, annotations_dir: Path, format_name: str, offset_unit: str,
            label_map_file: Path | None, new_articles: bool, text_field: str, id_field: str | None,
            meta_fields: tuple[str, ...], meta_defaults: tuple[str, ...], server: str | None,
            skip_invalid: bool, report_file: Path | None, tool_version: str | None) -> None:
    """Import an annotation tool's export (EXPORT) into annotations/<article_id>.json.

    Label Studio (the default format): reads the full JSON export (not JSON_MIN or CONLL:
    they drop relations and ids), streaming. Every annotation, cancelled annotation and
    draft is kept with its status and a pseudonymous annotator id (ls-<user id>). Gold is
    set to the single submitted annotation when there is exactly one and no adjudicated
    gold. Each record is checked as `newscorpus validate` checks it before it is written:
    on any error (with the validator's rule code) nothing is written. Re-importing the same
    export changes no byte.

    --label-map renames the export's controls and labels onto the scheme; a label the
    scheme does not know is an error listing every such label with its count.
    --new-articles brings in an ordinary Label Studio project: each task's text becomes a
    new record (canonical text, sentences), metadata from --meta-field / --meta.
    """
    importer = IMPORTERS[format_name]
    scheme = corpus_scheme()
    options = {}
    if "offset_unit" in importer.options:
        options["offset_unit"] = offset_unit
    elif ctx.get_parameter_source("offset_unit") is not click.core.ParameterSource.DEFAULT:
        raise click.UsageError(f"--offset-unit does not apply to --format {format_name}")
    if server is not None and "server" in importer.options:
        options["server"] = server
    if tool_version is not None:
        if "tool_version" not in importer.options:
            raise click.UsageError(f"--tool-version does not apply to --format {format_name}")
        options["tool_version"] = tool_version
    if skip_invalid or report_file is not None:
        if "skip_invalid" not in importer.options:
            raise click.UsageError(f"--skip-invalid does not apply to --format {format_name}")
        options.update(skip_invalid=skip_invalid, report_file=report_file)
    adapt = _adapt_options(ctx, importer, scheme, label_map_file, new_articles, text_field, id_field, meta_fields, meta_defaults)
    run = importer.run
    if adapt:  # the Label Studio export renamed or made into new records first (importers/adapted.py)
        from newscorpus.importers.adapted import import_adapted

        run, options = import_adapted, {**options, **adapt}
    size = export.stat().st_size
    try:
        with progress("import (bytes)") as update:
            update(total=size)
            report = run(export, annotations_dir=annotations_dir, scheme=scheme,
                         progress=lambda n: update(completed=n), **options)
    except NewscorpusError as exc:
        fail(exc)
    for warning in report.warnings:
        click.echo(f"warning: {export}::{warning}", err=True)
    counts = ", ".join(f"{n} {status}" for status, n in report.annotations.items())
    click.echo(f"imported {report.tasks} task(s) ({counts}); {len(report.written)} record(s) written, "
               f"{len(report.unchanged)} unchanged")
    if report.refused:
        click.echo(f"refused {len(report.refused)} invalid annotation(s), listed in {report.report_file}")


def _pairs(values: tuple[str, ...], flag: str) -> dict[str, str]:
    pairs = {}
    for value in values:
        key, sep, rest = value.partition("=")
        if not sep or not key.strip() or not rest.strip():
            raise click.BadParameter(f"{value!r} is not KEY=VALUE", param_hint=f"'{flag}'")
        pairs[key.strip()] = rest.strip()
    return pairs


def _adapt_options(ctx: click.Context, importer, scheme, label_map_file, new_articles, text_field, id_field,
                   meta_fields, meta_defaults) -> dict:
    """The importer options of --label-map and --new-articles (and the options only they take)."""
    from newscorpus.importers.labelmap import load_label_map
    from newscorpus.importers.new_articles import NewArticles

    flags = {"text_field": "--text-field", "id_field": "--id-field", "meta_fields": "--meta-field", "meta_defaults": "--meta"}
    only_new = [flag for name, flag in flags.items() if ctx.get_parameter_source(name) is not click.core.ParameterSource.DEFAULT]
    if only_new and not new_articles:
        raise click.UsageError(f"{only_new[0]} applies only with --new-articles")
    if (label_map_file or new_articles) and importer.name != "labelstudio":
        raise click.UsageError(f"--label-map and --new-articles do not apply to --format {importer.name}")
    options: dict = {}
    if label_map_file is not None:
        try:
            options["label_map"] = load_label_map(label_map_file, scheme)
        except NewscorpusError as exc:
            fail(exc)
    if new_articles:
        options["new_articles"] = NewArticles(text_field, id_field, _pairs(meta_fields, "--meta-field"), _pairs(meta_defaults, "--meta"))
    return options


COMMANDS = [ingest, tasks, import_]

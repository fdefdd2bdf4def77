"""Commands of the annotation round trip: ingest, revise, tasks, import."""

from __future__ import annotations

import re
import sys
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
    A seed whose canonical text differs from its record's is ingested afresh when the
    record holds no annotations; else it is skipped with a warning (annotations were made
    against the old text: `newscorpus revise` moves them) and the others are ingested
    (exit 0).
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
    for warning in report.skipped:
        click.echo(f"warning: {warning}", err=True)
    skipped = f", {len(report.skipped)} skipped (text changed: run `newscorpus revise`)" if report.skipped else ""
    click.echo(f"ingested {report.total} article(s): {report.created} new, {report.updated} updated, "
               f"{report.unchanged} unchanged{skipped}")


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
@click.argument("export", type=click.Path(exists=True, path_type=Path))
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
              help="With --new-articles or a format other than labelstudio: meta KEY for every new article (repeatable), "
                   "e.g. license=CC-BY-4.0 (publisher, published, language, license and redistributable are required).")
@click.option("--annotator", default=None, metavar="ID",
              help="brat, ptc, wadm, conll, webanno: the pseudonymous annotator id of the imported annotations, e.g. brat-1 "
                   "[default: <format>-source].")
@click.option("--gold", "as_gold", is_flag=True,
              help="brat, ptc, wadm, conll, webanno: make each imported annotation the article's gold (method ground_truth: the source "
                   "corpus's reference annotation).")
@click.option("--text", "text_file", type=click.Path(exists=True, path_type=Path), default=None,
              help="wadm: the text every annotation targets [default: the file beside the JSON named after the target's "
                   "source]. conll: the articles' own texts, a folder of NAME.txt (NAME: the document's name), or the text "
                   "file of a one-document file; each token is found in it in order [default: the text rebuilt from the tokens].")
@click.option("--tagging", type=click.Choice(["auto", "iob1", "iob2"]), default="auto", show_default=True,
              help="conll: how the tags are read: iob2 (an I- after O is an error), iob1 (an I- after O starts an entity) "
                   "or auto (iob1 when I- starts entities and B- only separates two of one type).")
@click.option("--layer", "layers", multiple=True, metavar="NAME",
              help="webanno: import only this span or relation layer (its type name or the part after the last dot; "
                   "repeatable) [default: every layer].")
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
            meta_fields: tuple[str, ...], meta_defaults: tuple[str, ...], annotator: str | None, as_gold: bool,
            text_file: Path | None, tagging: str, layers: tuple[str, ...], server: str | None, skip_invalid: bool,
            report_file: Path | None, tool_version: str | None) -> None:
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

    brat, ptc, wadm, conll and webanno (EXPORT: a file or a folder) bring in texts and
    their annotations:
    each text becomes a new record (or is matched to the record with the same id and
    text), each document one annotation by --annotator (or, with --gold, also the gold).
    Every span is checked against the text and the scheme first: on any error (file, line
    and item named) nothing is written. docs/formats.md says what each format keeps.
    """
    importer = IMPORTERS[format_name]
    scheme = corpus_scheme()
    reader_options = {name: value for name, value in (("tagging", tagging), ("layers", layers))
                      if ctx.get_parameter_source(name) is click.core.ParameterSource.COMMANDLINE}
    if format_name != "labelstudio":
        _import_documents(ctx, export, annotations_dir, importer, scheme, label_map_file, meta_defaults, annotator, as_gold,
                          text_file, reader_options)
        return
    if export.is_dir():
        raise click.BadParameter(f"{export} is a folder; --format labelstudio reads one export file", param_hint="'EXPORT'")
    for flag, name in (("--annotator", "annotator"), ("--gold", "as_gold"), ("--text", "text_file"),
                       *((flag, name) for name, flag in _READER_FLAGS.items())):
        if ctx.get_parameter_source(name) is not click.core.ParameterSource.DEFAULT:
            raise click.UsageError(f"{flag} does not apply to --format labelstudio")
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


#: The command-line flags of the readers' own options.
_READER_FLAGS = {"tagging": "--tagging", "layers": "--layer"}


def _import_documents(ctx: click.Context, path: Path, annotations_dir: Path, importer, scheme, label_map_file: Path | None,
                      meta_defaults: tuple[str, ...], annotator: str | None, as_gold: bool, text_file: Path | None,
                      reader_options: dict) -> None:
    """``import --format F`` for a format read into documents (brat, ptc, wadm, conll, webanno)."""
    from newscorpus.importers.labelmap import load_label_map

    only_ls = {"offset_unit": "--offset-unit", "new_articles": "--new-articles", "text_field": "--text-field",
               "id_field": "--id-field", "meta_fields": "--meta-field", "server": "--server", "skip_invalid": "--skip-invalid",
               "report_file": "--report"}
    for name, flag in only_ls.items():
        if ctx.get_parameter_source(name) is click.core.ParameterSource.COMMANDLINE:
            raise click.UsageError(f"{flag} does not apply to --format {importer.name}")
    options: dict = {"annotator": annotator, "as_gold": as_gold, "meta_defaults": _pairs(meta_defaults, "--meta")}
    if text_file is not None:
        if "text" not in importer.options:
            raise click.UsageError(f"--text does not apply to --format {importer.name}")
        options["text"] = text_file
    for name, value in reader_options.items():
        if name not in importer.options:
            raise click.UsageError(f"{_READER_FLAGS[name]} does not apply to --format {importer.name}")
        options[name] = value
    try:
        if label_map_file is not None:
            options["label_map"] = load_label_map(label_map_file, scheme)
        with progress("import (documents)") as update:
            report = importer.run(path, annotations_dir=annotations_dir, scheme=scheme, progress=lambda n: update(completed=n),
                                  **options)
    except NewscorpusError as exc:
        fail(exc)
    for warning in report.warnings:
        click.echo(f"warning: {warning}", err=True)
    click.echo(f"imported {report.tasks} document(s) ({report.annotations['submitted']} annotation(s)); "
               f"{len(report.written)} record(s) written, {len(report.unchanged)} unchanged")


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


@click.command()
@click.argument("article_ids", nargs=-1, metavar="[ARTICLE_ID]...")
@click.option("--seeds", "seeds", type=click.Path(file_okay=False, path_type=Path), default=None,
              callback=config_default("paths", "seeds"), show_default="[paths] seeds of newscorpus.toml, else seeds",
              help="Folder of the seeds (<id>.txt) holding the corrected texts.")
@ANNOTATIONS
@click.option("--accept-changed", is_flag=True,
              help="Keep the spans an edit touched, with their new offsets and text (without it they stop the run).")
@click.option("--drop-deleted", is_flag=True,
              help="Drop the spans (and the relations naming them) and the labelled sentences whose whole text was "
                   "deleted (without it they stop the run).")
@click.option("--dry-run", is_flag=True, help="Report what would be revised; write nothing.")
def revise(article_ids: tuple[str, ...], seeds: Path, annotations_dir: Path, accept_changed: bool, drop_deleted: bool,
           dry_run: bool) -> None:
    """Move the annotations of articles whose seed text was corrected onto the new text.

    For every record (or ARTICLE_ID...) whose seed's canonical text differs from the
    record's, the two texts are compared character by character and every span of every
    annotation and of the gold, and every sentence (by id, with its labels), is moved
    onto the new text. A span whose own text no edit touched moves silently. A span an
    edit touched is listed and kept only with --accept-changed; a span whose whole text
    was deleted only goes with --drop-deleted. The record keeps a revision history
    (previous text_sha256, when, what moved and changed).

    Nothing is written when any record is refused (exit 1). Pull from Label Studio
    before revising; then run `newscorpus ls push`: it updates the Label Studio tasks of
    revised articles in place. See docs/corpus.md, Correcting a text.
    """
    from newscorpus.revise.run import revise_dir

    scheme = corpus_scheme()
    try:
        report = revise_dir(seeds, annotations_dir=annotations_dir, scheme=scheme, ids=article_ids,
                            accept_changed=accept_changed, drop_deleted=drop_deleted, dry_run=dry_run)
    except NewscorpusError as exc:
        fail(exc)
    for article_id in report.unchanged:
        click.echo(f"{article_id}: text unchanged, nothing to revise")
    for rev in report.revisions:
        click.echo(f"{rev.article_id}: {rev.moved} span(s) moved, {len(rev.changed)} changed, {len(rev.deleted)} deleted; "
                   f"sentences: {len(rev.sentences_changed)} changed, {len(rev.sentences_added)} added, "
                   f"{len(rev.sentences_dropped)} dropped")
        for change in rev.changes:
            if change.deleted and rev.drop_deleted:
                click.echo(f"  span dropped: {change.line()}")
            elif not change.deleted and rev.accept_changed:
                click.echo(f"  span changed (accepted): {change.line()}")
        for part, relation in rev.relations_dropped:
            click.echo(f"  relation dropped: {part} {relation}")
        for refusal in rev.refusals:
            click.echo(f"  refused: {refusal}")
    if report.refused:
        hints = []
        if any(c for r in report.refused for c in r.changed) and not accept_changed:
            hints.append("--accept-changed keeps the changed spans with their new text")
        if any(r.deleted or r.sentences_labelled_dropped for r in report.refused) and not drop_deleted:
            hints.append("--drop-deleted drops what was deleted")
        click.echo(f"error: nothing written: {len(report.refused)} of {len(report.revisions)} record(s) refused"
                   + (f" ({'; '.join(hints)})" if hints else ""), err=True)
        sys.exit(1)
    if not report.revisions:
        click.echo(f"nothing to revise: {report.checked} record(s) checked against their seeds")
    elif report.written:
        click.echo(f"revised {len(report.revisions)} of {report.checked} record(s); "
                   "`newscorpus ls push` updates their Label Studio tasks")
    else:
        click.echo(f"dry run: {len(report.revisions)} of {report.checked} record(s) would be revised; nothing written")


COMMANDS = [ingest, revise, tasks, import_]

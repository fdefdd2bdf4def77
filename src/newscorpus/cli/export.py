"""The command that writes the corpus in other tools' formats: export."""

from __future__ import annotations

from pathlib import Path

import click

from newscorpus.cli._common import ANNOTATIONS, corpus_config, corpus_scheme, fail, progress
from newscorpus.errors import NewscorpusError
from newscorpus.exporters import EXPORTERS


@click.command()
@click.option("--format", "format_name", type=click.Choice(list(EXPORTERS)), required=True,
              help="Format to write (each is described above and in docs/formats.md).")
@click.option("--out", "out", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="Folder to write; it must be missing or empty unless --force.")
@ANNOTATIONS
@click.option("--layer", default="gold", show_default=True, metavar="gold|ANNOTATOR",
              help="What to export of each article: its gold, or the submitted annotation of one annotator (e.g. ls-3).")
@click.option("--split-ratios", default=None, show_default="[splits] of newscorpus.toml, else 0.8,0.1,0.1",
              help="Train,validation,test shares, as for build: conll and spacy write a file per split.")
@click.option("--force", is_flag=True, help="Replace a non-empty --out folder whole (nothing of it is kept).")
def export(format_name: str, out: Path, annotations_dir: Path, layer: str, split_ratios: str | None, force: bool) -> None:
    """Write the records in another tool's format (see docs/formats.md).

    \b
    brat         <id>.txt + <id>.ann per article, annotation.conf
    conll        <split>.conll: exactly the tokens and IOB2 tags of the dataset's ner config
    wadm         <id>.jsonld (W3C Web Annotation collection) + <id>.txt per article
    spacy        <split>.spacy DocBin: entities, a span group per layer, sentence starts
    labelstudio  tasks.json (as annotations, for another project) + label_config.xml

    By default each article's gold is written and articles without decided gold are
    skipped (the summary counts them); --layer ANNOTATOR writes that annotator's submitted
    annotation instead. Every record is checked as `newscorpus validate` checks it.
    Offsets stay code points. The folder is written beside OUT and swapped in at the end:
    on any error nothing is written. A format that cannot hold something exactly (a brat
    label with a space) refuses it rather than change it.
    """
    from newscorpus.dataset.splits import SplitRatios
    from newscorpus.exporters.run import export_corpus

    scheme = corpus_scheme()
    try:
        ratios = SplitRatios.parse(split_ratios) if split_ratios is not None else corpus_config().splits.ratios()
        with progress(f"exporting {format_name}") as update:
            report = export_corpus(format_name, annotations_dir=annotations_dir, out=out, scheme=scheme, layer=layer,
                                   ratios=ratios, force=force, progress=lambda done, total: update(completed=done, total=total))
    except NewscorpusError as exc:
        fail(exc)
    what = "gold" if layer == "gold" else f"the annotations of {layer}"
    click.echo(f"exported {what} of {report.exported} article(s) as {format_name} to {report.out} ({len(report.files)} file(s))")
    if report.skipped:
        why = "no gold decided" if layer == "gold" else f"no submitted annotation of {layer}"
        shown = ", ".join(report.skipped[:5]) + (", ..." if len(report.skipped) > 5 else "")
        click.echo(f"skipped {len(report.skipped)} article(s) with {why}: {shown}")


COMMANDS = [export]

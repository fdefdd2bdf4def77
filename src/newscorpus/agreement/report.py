"""Agreement outputs: a rich table for the terminal, a JSON file and a PNG chart.

:func:`agreement_dir` reads a folder of records, computes :func:`corpus_agreement` and writes
``agreement.json`` and ``agreement.png`` to the build folder (default ``dist/agreement/``);
:func:`agreement_tables` renders the report for the terminal. The chart draws one bar per
label: exact and overlap F1 for span labels, alpha for sentence and article labels.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

from matplotlib.figure import Figure
from rich.console import Group
from rich.table import Table

from newscorpus.agreement.corpus import tally_folder
from newscorpus.agreement.figures import AgreementReport, CategoricalAgreement
from newscorpus.core.scheme import Scheme
from newscorpus.errors import AgreementError
from newscorpus.records.access import locked_folders
from newscorpus.util.fileio import atomic_write_bytes, atomic_write_text

__all__ = ["AgreementRun", "agreement_dir", "agreement_tables", "write_agreement_json", "write_agreement_chart"]


@dataclass(frozen=True)
class AgreementRun:
    """The report and the files :func:`agreement_dir` wrote."""

    report: AgreementReport
    json_path: Path
    chart_path: Path


@locked_folders("annotations_dir", "read")
def agreement_dir(
    annotations_dir: str | Path,
    *,
    out_dir: str | Path,
    scheme: Scheme,
    exclude: Iterable[str] = (),
    on_record: Callable[[int, int], None] | None = None,
) -> AgreementRun:
    """Agreement of every record in ``annotations_dir``, written to ``out_dir`` as
    ``agreement.json`` and ``agreement.png`` (atomically).

    Raises :class:`~newscorpus.errors.AgreementError` when the folder does not exist and
    :class:`~newscorpus.errors.RecordError` (naming the file) for an unreadable record;
    nothing is written then. ``on_record(done, total)`` is called after each record read.
    Memory does not grow with the number of records.
    Reads holding the folder's lock, after finishing an interrupted change
    (:func:`newscorpus.records.access.read_access`).
    """
    folder = Path(annotations_dir)
    if not folder.is_dir():
        raise AgreementError("no such folder of records", file=str(folder), code="no-annotations-dir")
    tally = tally_folder(folder, scheme=scheme, exclude=exclude, on_record=on_record)
    unknown = sorted(set(exclude) - tally.known)
    if unknown:
        raise AgreementError(f"--exclude names annotator(s) with no annotation in {folder}: {', '.join(unknown)}",
                             code="unknown-annotator", hint="annotators are ls-<Label Studio user id>")
    report = tally.report()
    out = Path(out_dir)
    json_path, chart_path = out / "agreement.json", out / "agreement.png"
    write_agreement_json(report, json_path)
    write_agreement_chart(report, chart_path)
    return AgreementRun(report, json_path, chart_path)


def write_agreement_json(report: AgreementReport, path: str | Path) -> None:
    """``report.to_dict()`` as indented UTF-8 JSON with a trailing newline."""
    atomic_write_text(Path(path), json.dumps(report.to_dict(), ensure_ascii=False, indent=2) + "\n")


def _fmt(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f}"


def agreement_tables(report: AgreementReport) -> Group:
    """Rich tables of ``report``: span F1 per layer and label, then alpha and kappa per
    sentence and article layer and label. Labels nobody used are left out."""
    head = (
        f"{report.articles} article(s), {report.articles_with_multiple_annotators} with two or more annotators; "
        f"annotators: {', '.join(report.annotators) or '—'}"
        + (f"; excluded: {', '.join(report.excluded)}" if report.excluded else "")
    )
    spans = Table(title="Span layers: pairwise F1", title_justify="left")
    for col in ("layer", "label", "exact F1", "overlap F1", "spans"):
        spans.add_column(col, justify="right" if col not in ("layer", "label") else "left")
    for layer in report.span_layers:
        spans.add_row(layer.layer, "[b]micro[/b]", _fmt(layer.micro.exact_f1), _fmt(layer.micro.overlap_f1), str(layer.micro.spans))
        for fig in layer.labels:
            if fig.spans:
                spans.add_row("", fig.label, _fmt(fig.exact_f1), _fmt(fig.overlap_f1), str(fig.spans))
    o = report.span_overall
    spans.add_row("[b]all[/b]", "[b]micro[/b]", _fmt(o.exact_f1), _fmt(o.overlap_f1), str(o.spans), end_section=True)
    cats = Table(title="Sentence and article layers: Krippendorff's alpha (nominal), Cohen's kappa", title_justify="left")
    for col in ("layer", "label", "alpha", "kappa", "units", "coders"):
        cats.add_column(col, justify="right" if col not in ("layer", "label") else "left")
    for layer in [*report.sentence_layers, *report.article_layers]:
        kappa = _fmt(layer.kappa)
        cats.add_row(layer.layer, "[b]all[/b]", _fmt(layer.alpha), kappa, str(layer.units), str(layer.annotators))
        for fig in layer.labels:
            if fig.used:
                cats.add_row("", fig.label, _fmt(fig.alpha), "", f"used {fig.used}", "")
    key = (
        "kappa is Cohen's kappa, given when a layer has exactly two annotators (per pair in agreement.json); "
        "units are those coded by two or more annotators; — means undefined (no pairable data or no variation)"
    )
    parts = [head, spans, cats, key, *report.notes]
    return Group(*parts)


def _bars(report: AgreementReport) -> list[tuple[str, list[tuple[str, float | None, float | None]], bool]]:
    groups = []
    for layer in report.span_layers:
        rows = [(f.label, f.exact_f1, f.overlap_f1) for f in layer.labels if f.spans]
        groups.append((f"{layer.layer}: F1 exact (dark) / overlap (light)", rows, True))
    cats: list[CategoricalAgreement] = [*report.sentence_layers, *report.article_layers]
    for layer in cats:
        rows = [(f.label, f.alpha, None) for f in layer.labels if f.used]
        groups.append((f"{layer.layer}: alpha per label (all: {_fmt(layer.alpha)})", rows, False))
    return groups


def write_agreement_chart(report: AgreementReport, path: str | Path) -> None:
    """A PNG with one panel per layer and one horizontal bar per used label (F1 or alpha,
    axis from -1 to 1 for alpha, 0 to 1 for F1; undefined figures drawn as 'n/a')."""
    groups = _bars(report)
    heights = [max(1, len(rows)) * 0.32 + 0.7 for _, rows, _ in groups]
    # the object-oriented API (no pyplot): no global backend, no figure to close; PNG via Agg
    fig = Figure(figsize=(8, sum(heights)))
    axes = fig.subplots(len(groups), 1, gridspec_kw={"height_ratios": heights}, squeeze=False)
    for ax, (title, rows, is_span) in zip(axes[:, 0], groups):
        ax.set_title(title, fontsize=9, loc="left")
        ax.set_xlim(0 if is_span else -1, 1)
        ax.axvline(0, color="#888888", linewidth=0.6)
        if not rows:
            ax.text(0.5, 0.5, "no data", transform=ax.transAxes, ha="center", va="center", fontsize=8)
            ax.set_yticks([])
            continue
        names = [r[0] for r in rows]
        ys = range(len(rows))
        first = [r[1] if r[1] is not None else 0 for r in rows]
        if is_span:
            ax.barh(ys, [r[2] if r[2] is not None else 0 for r in rows], color="#9ecae1", height=0.7)
        ax.barh(ys, first, color="#3182bd", height=0.45 if is_span else 0.7)
        for y, (_, first_value, second_value) in zip(ys, rows):
            label = _fmt(first_value) + (f" / {_fmt(second_value)}" if is_span else "")
            x = max(v for v in (first_value, second_value, 0) if v is not None)
            ax.text(min(x, 0.78) + 0.02, y, "n/a" if first_value is None else label, va="center", fontsize=7)
        ax.set_yticks(list(ys), names, fontsize=7)
        ax.invert_yaxis()
        ax.tick_params(axis="x", labelsize=7)
    fig.tight_layout()
    buf = BytesIO()
    fig.savefig(buf, format="png", dpi=110, metadata={"Software": None})
    atomic_write_bytes(Path(path), buf.getvalue())

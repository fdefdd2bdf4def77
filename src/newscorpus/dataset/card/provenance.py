"""The card's "Annotation process": how the annotations were made, as the records say it.

Every figure is counted from the records (:class:`~newscorpus.dataset.card.stats.CardStats`):
the annotations per tool and tool release (``origin.tool``, ``origin.version``; a release
the record does not hold is "release not recorded"), per status, the annotations whose
``lead_time`` was measured (a null lead time is never filled in), and the gold per method.
What the records do not hold (whether an annotator saw pre-annotations) is said to be
unknown, with what newscorpus's own tasks carry.
"""

from __future__ import annotations

from newscorpus.dataset.card.about import GUIDELINES_FILE
from newscorpus.dataset.card.markdown import code
from newscorpus.dataset.card.stats import CardStats
from newscorpus.dataset.card.structure import plural

__all__ = ["annotation_process"]


def _origins(stats: CardStats) -> str:
    parts = []
    for (tool, version), n in sorted(stats.origins.items(), key=lambda item: (item[0][0], item[0][1] or "")):
        release = f"release {code(version)}" if version else "release not recorded"
        parts.append(f"{code(tool)}, {release} ({n:,})")
    return "; ".join(parts)


def _lead_time(stats: CardStats) -> str:
    total = stats.n_annotations
    said = (f"Lead time (the seconds an annotator spent, as the tool measured it) is recorded for {stats.timed:,} of "
            f"{plural(total, 'annotation')}")
    if not stats.timed:
        return said + ": it was not measured, and no figure is filled in."
    mean = f" (mean {stats.lead_time / stats.timed:,.1f} s)"
    return said + mean + ("." if stats.timed == total else "; the others have none, and no figure is filled in.")


def annotation_process(stats: CardStats, *, guidelines: bool) -> str:
    """The body of "Annotation process" (Markdown, no heading); ``guidelines`` says whether
    the build publishes the guidelines as ``guidelines.md``."""
    rules = (f"Annotators follow the annotation guidelines published with this dataset: [{GUIDELINES_FILE}]({GUIDELINES_FILE})."
             if guidelines else "No annotation guidelines are published with this release.")
    if not stats.n_annotations:
        made = "No annotation has been imported into this release yet."
    else:
        status = ", ".join(f"{n:,} {s}" for s, n in sorted(stats.status.items()))
        made = (f"{plural(stats.n_annotations, 'annotation')} ({status}) by {plural(len(stats.annotators), 'annotator')}, "
                f"by tool and release: {_origins(stats)}. Each was imported from the tool's export with its "
                f"exact offsets and kept as made (the `annotations` config). {_lead_time(stats)}")
        if any(tool == "label-studio" for tool, _ in stats.origins):
            made += (" The records do not say whether an annotator saw pre-annotations: a Label Studio task made by "
                     "`newscorpus tasks` or `ls push` carries the article's sentences as read-only regions and, when the "
                     "record already had gold, that gold as a prediction.")
    methods = ", ".join(f"{n:,} by method `{m}`" for m, n in sorted(stats.methods.items()))
    gold = f"Gold: {methods}." if methods else "No article has gold yet."
    return f"{made}\n{gold} {rules}\nEntity boundaries follow the OntoNotes 5.0 (BBN) guidelines; see the label tables above."

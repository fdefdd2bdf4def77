"""The record rules (record scope): the file is named after the id, the text is the one
ingested and canonical, annotation ids are unique, annotators and the adjudicator are
pseudonyms, and the gold derives from annotations the record has (docs/design.md, Canonical
text and The record).

Per rule, ``<rule>_clean`` (where the rule has a pre-check) and ``<rule>`` take a
:class:`~newscorpus.validate.view.RecordView` (the pre-check and the exact check of a
:class:`~newscorpus.validate.semantic.Check`).
"""

from __future__ import annotations

import hashlib
import os.path
import re
import unicodedata
from collections.abc import Iterator
from pathlib import PurePath

from newscorpus.validate.items import duplicate_ids
from newscorpus.validate.rules import Violation
from newscorpus.validate.view import RecordView

__all__ = [
    "PSEUDONYM",
    "file_name_clean", "file_name",
    "text_hash", "text_canonical",
    "annotation_ids_clean", "annotation_ids",
    "annotators", "adjudicator",
    "gold_sources_clean", "gold_sources",
]

#: A pseudonymous annotator id: a tool prefix and the tool's user id, e.g. ``ls-3``.
PSEUDONYM = re.compile(r"^[a-z][a-z0-9]*-[A-Za-z0-9_\-]+$")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+")


def file_name_clean(view: RecordView) -> bool:
    """True when the path's last component is ``<id>.json`` (the base name of a path is its
    last component whenever it equals a name that holds no separator and ends in ``.json``)."""
    return os.path.basename(view.file) == f"{view.data['id']}.json"


def file_name(view: RecordView) -> Iterator[Violation]:
    """``file-name-mismatch`` at ``$.id`` when the file is not named ``<id>.json``."""
    expected, name = f"{view.data['id']}.json", PurePath(view.file).name
    if name != expected:
        yield Violation(view.file, ("id",), "file-name-mismatch", f"the record of {view.data['id']!r} must be in a file named {expected!r}, not {name!r}")


def text_hash(view: RecordView) -> Iterator[Violation]:
    """``text-hash-mismatch`` at ``$.text_sha256`` when it is not the SHA-256 of the text's
    UTF-8 bytes."""
    digest = hashlib.sha256(view.text.encode("utf-8")).hexdigest()
    if view.data["text_sha256"] != digest:
        yield Violation(
            view.file,
            ("text_sha256",),
            "text-hash-mismatch",
            f"{view.data['text_sha256']} is not the SHA-256 of the text ({digest}): the text was "
            "changed after ingest, and offsets made against the old text cannot be trusted",
        )


def text_canonical(view: RecordView) -> Iterator[Violation]:
    """``text-not-canonical`` at ``$.text`` for a byte-order mark, a carriage return or text
    not in NFC (the first found, in that order)."""
    text = view.text
    if text.startswith("\ufeff") or "\r" in text or not unicodedata.is_normalized("NFC", text):
        what = "a byte-order mark" if text.startswith("\ufeff") else "a carriage return" if "\r" in text else "characters not in NFC"
        yield Violation(view.file, ("text",), "text-not-canonical",
                        f"the text holds {what}; canonical text is UTF-8 without BOM, LF line ends, NFC (fixed once at ingest)")


def annotation_ids_clean(view: RecordView) -> bool:
    """True when no two annotations share an id."""
    return len({ann["id"] for ann in view.annotations}) == len(view.annotations)


def annotation_ids(view: RecordView) -> Iterator[Violation]:
    """``duplicate-id`` at ``$.annotations[i].id`` for each repeated annotation id."""
    return duplicate_ids(view.annotations, ("annotations",), "annotation", view.file)


def annotators(view: RecordView) -> Iterator[Violation]:
    """``not-pseudonymous`` at ``$.annotations[i].annotator`` for an id that is not like
    ``ls-3``."""
    for i, ann in enumerate(view.annotations):
        if not PSEUDONYM.fullmatch(ann["annotator"]):
            yield Violation(view.file, ("annotations", i, "annotator"), "not-pseudonymous",
                            f"annotator {ann['annotator']!r} is not a pseudonymous id like 'ls-3' (never an e-mail address or a name)")


def adjudicator(view: RecordView) -> Iterator[Violation]:
    """``not-pseudonymous`` at ``$.gold.decided_by`` for an id that looks like an e-mail
    address."""
    decided_by = view.gold.get("decided_by") if view.gold is not None else None
    if decided_by is not None and _EMAIL.search(decided_by):
        yield Violation(view.file, ("gold", "decided_by"), "not-pseudonymous",
                        f"decided_by {decided_by!r} looks like an e-mail address: use a pseudonymous id like 'ls-3'")


def gold_sources_clean(view: RecordView) -> bool:
    """True when the record has no gold, or every id of ``gold.from_annotations`` is an
    annotation of the record."""
    return view.gold is None or {ann["id"] for ann in view.annotations}.issuperset(view.gold["from_annotations"])


def gold_sources(view: RecordView) -> Iterator[Violation]:
    """``dangling-annotation`` at ``$.gold.from_annotations[j]`` for each id that is not an
    annotation of the record."""
    if view.gold is None:
        return
    known = {ann["id"] for ann in view.annotations}
    for j, ann_id in enumerate(view.gold["from_annotations"]):
        if ann_id not in known:
            yield Violation(view.file, ("gold", "from_annotations", j), "dangling-annotation",
                            f"gold derives from annotation {ann_id!r}, which the record does not have (annotations: {sorted(known)})")

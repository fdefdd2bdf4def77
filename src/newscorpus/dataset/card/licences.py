"""The Hub's licence fields of the card's YAML header, honest for a corpus whose article
texts carry licences of their own.

Our annotations are CC BY 4.0 (:data:`ANNOTATIONS_LICENSE`); each article's text keeps the
licence of its sidecar (an SPDX id such as ``CC-BY-4.0``, or ``LicenseRef-...``). The Hub
reads ``license`` as one id or a list of ids from its list of licences
(https://hf.co/docs/hub/repositories-licenses), ``other`` for one it does not list, with
``license_name`` (an id for that licence) and the legacy ``license_details`` (text). So the
header lists the annotations' licence and every article text's licence (the Hub's id, or
``other``), an article whose text is copyright of its publisher shows as ``other``, never
hidden behind ``cc-by-4.0``, and ``license_details`` says which licence covers what.
"""

from __future__ import annotations

from collections import Counter

__all__ = ["ANNOTATIONS_LICENSE", "HUB_LICENSES", "hub_license", "license_metadata"]

#: Licence of our annotations (offsets, labels, relations, sentence boundaries, metadata).
ANNOTATIONS_LICENSE = "cc-by-4.0"

#: The Hub's ids of the data and content licences it lists (a subset of its list: any other
#: licence is written as ``other``, which is never wrong, only less specific).
HUB_LICENSES = frozenset({
    "apache-2.0", "mit", "unlicense", "gfdl", "cc0-1.0", "cc-by-2.0", "cc-by-2.5", "cc-by-3.0", "cc-by-4.0",
    "cc-by-sa-3.0", "cc-by-sa-4.0", "cc-by-nc-2.0", "cc-by-nc-3.0", "cc-by-nc-4.0", "cc-by-nd-4.0",
    "cc-by-nc-nd-3.0", "cc-by-nc-nd-4.0", "cc-by-nc-sa-2.0", "cc-by-nc-sa-3.0", "cc-by-nc-sa-4.0",
    "odc-by", "odbl", "pddl", "cdla-sharing-1.0", "cdla-permissive-1.0", "cdla-permissive-2.0",
})


def hub_license(spdx: str) -> str | None:
    """The Hub's id of the SPDX licence id ``spdx`` (``CC-BY-4.0`` -> ``cc-by-4.0``), or None
    when the Hub does not list it (``LicenseRef-AP-copyright``)."""
    hub = spdx.lower()
    return hub if hub in HUB_LICENSES else None


def _articles(n: int) -> str:
    return f"{n:,} article{'' if n == 1 else 's'}"


def license_metadata(texts: Counter, restricted: Counter, *, notes: str | None = None) -> dict:
    """The header's licence fields, in written order.

    ``texts`` counts articles per text licence (SPDX id as in the sidecars), ``restricted``
    the articles per licence whose text may not be redistributed; ``notes`` is the corpus's
    own text (``[card] license_notes``), added to ``license_details``. Gives
    ``{"license": "cc-by-4.0"}`` when every text is CC BY 4.0, else ``license`` as a list
    (``cc-by-4.0`` first, then the texts' Hub ids, ``other`` last), ``license_name`` when
    ``other`` stands for exactly one licence (its id, lower case), and ``license_details``.
    """
    ids = {ANNOTATIONS_LICENSE}
    unlisted = sorted(spdx for spdx in texts if hub_license(spdx) is None)
    ids.update(h for spdx in texts if (h := hub_license(spdx)) is not None)
    if ids == {ANNOTATIONS_LICENSE} and not unlisted and not notes:
        return {"license": ANNOTATIONS_LICENSE}
    listed = [ANNOTATIONS_LICENSE, *sorted(ids - {ANNOTATIONS_LICENSE})] + (["other"] if unlisted else [])
    out: dict = {"license": listed[0] if len(listed) == 1 else listed}
    if len(unlisted) == 1:
        out["license_name"] = unlisted[0].lower()
    parts = []
    for spdx, n in sorted(texts.items()):
        kept = restricted.get(spdx, 0)
        rights = "" if not kept else ", not redistributable" if kept == n else f"; {kept:,} of them not redistributable"
        parts.append(f"{spdx} ({_articles(n)}{rights})")
    details = (f"Annotations (offsets, labels, relations, sentence boundaries, metadata): CC BY 4.0. "
               f"Article texts keep their own licences, listed per article in the card: {', '.join(parts)}.")
    if notes:
        details += " " + " ".join(notes.split())
    out["license_details"] = details
    return out

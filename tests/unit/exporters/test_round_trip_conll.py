"""The CoNLL round trip, record -> ``export --format conll`` -> ``import --format conll``
with each article's own text (``--text``, a folder of NAME.txt) -> record, as a seeded
random property test (docs/formats.md, Round trips): the entity spans come back exactly
(offsets, labels, texts). CoNLL holds tokens and IOB2 tags only: the text comes from
``--text`` (rebuilt from the tokens it would be another text), documents are named
``<split>-<n>`` in the order of the export (records by id), the other layers, relations
and notes are not in the format.

The records: random Unicode words (combining marks, astral characters, Arabic and Hebrew,
CJK) in sentences and lines, non-overlapping entity spans on word boundaries, each seed file
written with CRLF (ingest makes it LF).
"""

from __future__ import annotations

import random
from pathlib import Path

from newscorpus.core.models import Gold, Span
from newscorpus.core.scheme import default_scheme
from newscorpus.exporters.run import export_corpus
from newscorpus.importers import IMPORTERS
from newscorpus.ingest.run import ingest_seed
from newscorpus.records.io import read_record

from tests.support import META, write_seed
from tests.support.random_corpus import random_corpus

WORDS = ["Zoë", "met", "محمد", "שלום", "in", "東京", "e\u0301te\u0301", "𝔘nion", "😀", "the", "Bank", "of", "café",
         "Ⅻ", "naïve", "Québec", "bought", "3", "ok", "नमस्ते"]
ENDS = [".", "!", "?"]
N = 40
SCHEME = default_scheme()
ENTITIES = next(layer.label_names for layer in SCHEME.span_layers if layer.name == "entity")
META_DEFAULTS = {k: str(v).lower() if isinstance(v, bool) else v for k, v in META.items() if k != "title" and v is not None}


def _record(rng: random.Random, seeds: Path, n: int):
    lines = []
    for _ in range(rng.randint(1, 3)):
        sentences = [" ".join(rng.choice(WORDS) for _ in range(rng.randint(2, 7))) + rng.choice(ENDS)
                     for _ in range(rng.randint(1, 2))]
        lines.append(" ".join(s[0].upper() + s[1:] for s in sentences))
    raw = "\r\n".join(lines) + "\r\n"
    record = ingest_seed(write_seed(seeds, f"cr{n:03d}", raw.encode("utf-8"), dict(META, split="train")))
    text = record.text
    words = [(m, m + len(w)) for m, w in _word_offsets(text)]
    spans, taken = [], []
    for k in range(rng.randint(0, 5)):
        i = rng.randrange(len(words))
        j = min(len(words) - 1, i + rng.randint(0, 2))
        start, end = words[i][0], words[j][1]
        inside = [s for s in record.sentences if s.start <= start and end <= s.end]
        if not inside or any(a < end and start < b for a, b in taken):
            continue  # an entity never crosses a sentence boundary (the build refuses it)
        taken.append((start, end))
        spans.append(Span(id=f"e{k}", layer="entity", label=rng.choice(ENTITIES), start=start, end=end, text=text[start:end]))
    record.gold = Gold(method="single", decided_by=None, from_annotations=[], spans=spans, relations=[])
    return record


def _word_offsets(text: str) -> list[tuple[int, str]]:
    """The words of WORDS in ``text`` with their start (code points), in text order."""
    out, i = [], 0
    for token in text.replace("\n", " ").split(" "):
        word = token.rstrip("".join(ENDS))
        if word:
            out.append((i, word))
        i += len(token) + 1
    return out


def test_record_conll_record_keeps_the_entities(tmp_path):
    ann, records = random_corpus(tmp_path, 47, N, _record)
    report = export_corpus("conll", annotations_dir=ann, out=tmp_path / "out")
    assert (report.exported, report.skipped) == (N, [])
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["train.conll"]
    texts = tmp_path / "texts"
    texts.mkdir()
    order = sorted(records)  # the export's order: records by id
    for n, rid in enumerate(order, start=1):
        (texts / f"train-{n}.txt").write_text(records[rid].text, encoding="utf-8")
    back = tmp_path / "back"
    imported = IMPORTERS["conll"].run(tmp_path / "out" / "train.conll", annotations_dir=back, as_gold=True,
                                      text=texts, tagging="iob2", meta_defaults=META_DEFAULTS)
    assert (imported.tasks, [w.code for w in imported.warnings]) == (N, [])
    entities = 0
    for n, rid in enumerate(order, start=1):
        record, again = records[rid], read_record(back / f"train-{n}.json")
        assert again.text == record.text
        want = {(s.start, s.end, s.label, s.text) for s in record.gold.spans}
        assert {(s.start, s.end, s.label, s.text) for s in again.gold.spans} == want
        assert {s.layer for s in again.gold.spans} <= {"entity"}
        entities += len(want)
    assert entities > 60

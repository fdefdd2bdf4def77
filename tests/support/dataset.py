"""Fixture records for the dataset build tests, and an end-to-end checker for any records.

Two articles made through the real ingest (``ingest_seed``):

- the seed (``seeds/000_ba712161f3bc6069.txt``, not redistributable) with a small gold layer
  whose offsets are computed here with ``str.index``: it is a test fixture, not the
  project's gold annotation;
- a synthetic article with accents, CJK and emoji (redistributable, ``meta.split`` = train),
  with two annotators.

:func:`check_built_dataset` loads every config of a built folder with ``load_dataset``
(normally and streaming) and checks it against the records; it works for any records,
including the seed's real gold once it lands in ``annotations/``.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pyarrow.parquet as pq
from datasets import get_dataset_config_names, load_dataset

from newscorpus.dataset.configs import config_features
from newscorpus.ingest.run import ingest_seed
from newscorpus.core.models import Annotation, ArticleRecord, Gold, Origin, Relation, SentenceLabel, Span
from newscorpus.records.io import write_record
from newscorpus.core.scheme import default_scheme
from newscorpus.dataset.tokens import entities_from_iob2

REPO = Path(__file__).resolve().parents[2]
SEED = REPO / "seeds" / "000_ba712161f3bc6069.txt"
SEED_ID = "000_ba712161f3bc6069"
SYNTH_ID = "synthetic_unicode"

SYNTH_TEXT = (
    "Zoë Díaz met 王小明 in 東京都 on 5 März 2024 🎉.\n"
    "“Ça va très bien,” she said about the Café Müller 😀 in São Paulo.\n"
    "Nothing else happened.\n"
)


def span_at(text: str, sid: str, layer: str, label: str, needle: str, *, after: str = "") -> Span:
    """A span over the first ``needle`` after the first ``after`` (offsets by ``str.index``)."""
    start = text.index(needle, text.index(after) if after else 0)
    return Span(id=sid, layer=layer, label=label, start=start, end=start + len(needle), text=needle)


def seed_gold(record: ArticleRecord) -> Gold:
    """A small gold layer on the seed: entities incl. ``Myanmar’s``, two quotes, SPEAKERs."""
    t = record.text
    spans = [
        span_at(t, "e1", "entity", "ORG", "United Nations"),
        span_at(t, "e2", "entity", "GPE", "Myanmar"),
        span_at(t, "e3", "entity", "DATE", "2021"),
        span_at(t, "e4", "entity", "PERSON", "Qin Gang"),
        span_at(t, "e5", "entity", "GPE", "Myanmar", after="Fighting between"),
        span_at(t, "e6", "entity", "DATE", "more than 1,000 days"),
        span_at(t, "e7", "entity", "NORP", "Russian", after="The Chinese and"),
        span_at(t, "e8", "entity", "GPE", "U.S."),
        span_at(t, "q1", "attribution", "QUOTE", "strengthening the border defense system."),
        span_at(t, "q2", "attribution", "QUOTE", "It is necessary to coordinate border management, border trade development, and bilateral relations,"),
        span_at(t, "src1", "attribution", "SOURCE", "he", after="bilateral relations,”"),
    ]
    relations = [
        Relation(id="r1", label="SPEAKER", head="q1", tail="e4"),
        Relation(id="r2", label="SPEAKER", head="q2", tail="src1"),
    ]
    roles = ["MAIN_EVENT", "PREVIOUS_EVENT"] + ["CURRENT_CONTEXT"] * (len(record.sentences) - 2)
    return Gold(
        method="single",
        decided_by=None,
        from_annotations=["a1"],
        article_labels={"genre": ["reporting"], "frames": ["Security_and_defense", "Political"]},
        sentence_labels=[SentenceLabel(sentence=s.id, layer="discourse_role", label=r) for s, r in zip(record.sentences, roles)],
        spans=spans,
        relations=relations,
    )


def synth_gold(record: ArticleRecord) -> Gold:
    """Gold on the synthetic article; ``東京`` cuts the spaCy token ``東京都``."""
    t = record.text
    spans = [
        span_at(t, "e1", "entity", "PERSON", "Zoë Díaz"),
        span_at(t, "e2", "entity", "PERSON", "王小明"),
        span_at(t, "e3", "entity", "GPE", "東京"),
        span_at(t, "e4", "entity", "DATE", "5 März 2024"),
        span_at(t, "e5", "entity", "FAC", "Café Müller"),
        span_at(t, "e6", "entity", "GPE", "São Paulo"),
        span_at(t, "q1", "attribution", "QUOTE", "Ça va très bien,"),
        span_at(t, "s1", "attribution", "SOURCE", "she"),
    ]
    return Gold(
        method="adjudicated",
        decided_by="ls-9",
        from_annotations=["a1", "a2"],
        article_labels={"genre": ["satire"], "frames": []},
        sentence_labels=[SentenceLabel(sentence="s0", layer="discourse_role", label="MAIN_EVENT")],
        spans=spans,
        relations=[Relation(id="r1", label="SPEAKER", head="q1", tail="s1")],
    )


def _annotation(aid: str, annotator: str, gold: Gold, n: int) -> Annotation:
    return Annotation(
        id=aid,
        annotator=annotator,
        status="submitted",
        origin=Origin(tool="label-studio", version="1.23.2", project=1, task=1, annotation=n),
        created_at=dt.datetime(2024, 5, 1, 12, 0, n, tzinfo=dt.timezone.utc),
        updated_at=dt.datetime(2024, 5, 1, 12, 30, n, tzinfo=dt.timezone.utc),
        lead_time=60.5 * n,
        article_labels=gold.article_labels,
        sentence_labels=gold.sentence_labels,
        spans=gold.spans,
        relations=gold.relations,
    )


def seed_record() -> ArticleRecord:
    record = ingest_seed(SEED)
    record.meta.split = None  # the fixture tests the hash assignment (0.870 -> validation)
    record.gold = seed_gold(record)
    record.annotations = [_annotation("a1", "ls-1", record.gold, 1)]
    return record


def synth_record(tmp: Path) -> ArticleRecord:
    seeds = tmp / "synth-seeds"
    seeds.mkdir(parents=True, exist_ok=True)
    (seeds / f"{SYNTH_ID}.txt").write_text(SYNTH_TEXT, encoding="utf-8")
    meta = {
        "title": "Zoë in 東京 🎉",
        "publisher": "newscorpus tests",
        "url": "https://example.org/zoe",
        "published": "2024-03-05",
        "language": "en",
        "license": "CC-BY-4.0",
        "redistributable": True,
        "split": "train",
    }
    (seeds / f"{SYNTH_ID}.meta.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    record = ingest_seed(seeds / f"{SYNTH_ID}.txt")
    record.gold = synth_gold(record)
    record.annotations = [_annotation("a1", "ls-1", record.gold, 1), _annotation("a2", "ls-2", record.gold, 2)]
    return record


def write_fixture(tmp: Path, *, synthetic: bool = True, seed_gold_too: bool = True) -> tuple[Path, list[ArticleRecord]]:
    """Write fixture records to ``tmp/annotations``; returns the folder and the records."""
    records = [seed_record()]
    if not seed_gold_too:
        records[0].gold = None
        records[0].annotations = []
    if synthetic:
        records.append(synth_record(tmp))
    ann = tmp / "annotations"
    for record in records:
        write_record(record, ann, default_scheme())
    return ann, sorted(records, key=lambda r: r.id)


def check_built_dataset(out: Path, records: list[ArticleRecord], *, cache: Path, withheld: set[str] = frozenset()) -> dict:
    """Check a built folder against ``records`` through ``load_dataset``; returns rows per config.

    For every declared config: loads normally and with ``streaming=True``; features equal the
    declared ones; each Parquet file's schema is the features' arrow schema; row counts
    match the records; every span and token equals its slice of the text (or is null for a
    withheld article); every IOB2 entity decodes to exactly the gold entity spans.
    """
    scheme = default_scheme()
    by_id = {r.id: r for r in records}
    expected = {
        "articles": len(records),
        "sentences": sum(len(r.sentences) for r in records if r.gold),  # only decided gold teaches
        "ner": sum(len(r.sentences) for r in records if r.gold),
        "quotes": sum(
            max(1, sum(1 for rel in r.gold.relations if rel.head == s.id and rel.label == "SPEAKER"))
            for r in records if r.gold for s in r.gold.spans if s.label == "QUOTE"
        ),
        "annotations": sum(len(r.annotations) for r in records),
    }
    expected = {c: n for c, n in expected.items() if n}
    assert get_dataset_config_names(str(out)) == list(expected)
    got: dict[str, list[dict]] = {}
    for config in expected:
        feats = config_features(config, scheme)
        loaded = load_dataset(str(out), config, cache_dir=str(cache))
        streamed = load_dataset(str(out), config, streaming=True)
        assert set(loaded) == set(streamed)
        rows = []
        for split, ds in loaded.items():
            assert ds.features == feats, (config, split)
            assert streamed[split].features == feats, (config, split)
            assert list(streamed[split]) == ds.to_list(), (config, split)
            rows += ds.to_list()
        for path in sorted((out / config).glob("*.parquet")):
            assert pq.read_schema(path).remove_metadata() == feats.arrow_schema.remove_metadata(), path
        assert len(rows) == expected[config], config
        got[config] = rows

    span_names = scheme.span_labels
    for row in got["articles"]:
        rec = by_id[row["id"]]
        assert row["text_sha256"] == rec.text_sha256
        assert row["text"] == (None if rec.id in withheld else rec.text)
        submitted = any(a.status == "submitted" for a in rec.annotations)
        assert row["gold_status"] == ("decided" if rec.gold else "undecided" if submitted else "unannotated")
        gold = rec.gold.spans if rec.gold else []
        assert [(s["id"], span_names[s["label"]], s["start"], s["end"]) for s in row["spans"]] == [
            (s.id, s.label, s.start, s.end) for s in gold
        ]
        for s in row["spans"]:
            assert s["text"] == (None if rec.id in withheld else rec.text[s["start"] : s["end"]])
    for row in got.get("sentences", []):
        rec = by_id[row["article_id"]]
        sent = rec.text[row["start"] : row["end"]]
        assert row["text"] == (None if rec.id in withheld else sent)
        for s in row["spans"]:
            assert s["text"] == (None if rec.id in withheld else sent[s["start"] : s["end"]])
    tag_names = loaded_names = config_features("ner", scheme)["ner_tags"].feature.names
    assert loaded_names[0] == "O"
    decoded: dict[str, set] = {r.id: set() for r in records}
    for row in got.get("ner", []):
        rec = by_id[row["article_id"]]
        pairs = list(zip(row["token_starts"], row["token_ends"]))
        if rec.id in withheld:
            assert row["tokens"] is None
        else:
            assert row["tokens"] == [rec.text[a:b] for a, b in pairs]
        assert all(rec.text[a:b].strip() == rec.text[a:b] != "" for a, b in pairs)
        tags = [tag_names[t] for t in row["ner_tags"]]
        for label, start, end in entities_from_iob2(tags, row["token_starts"], row["token_ends"]):
            decoded[rec.id].add((label, start, end, rec.text[start:end]))
    for rec in records:
        gold_entities = {(s.label, s.start, s.end, s.text) for s in (rec.gold.spans if rec.gold else []) if s.layer == "entity"}
        assert decoded[rec.id] == gold_entities, rec.id
    return got

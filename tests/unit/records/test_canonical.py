"""The canonical writer (records/io.py) against its reference form (tests/unit/records/oracles.py).

The package sorts and dumps records in their JSON form and writes them with orjson when
that is provably what ``json.dumps(indent=2, ensure_ascii=False)`` writes; over seeded
random records (shuffled arrays, unknown layers and labels, floats orjson writes otherwise,
lone surrogates) it must give the bytes and the order of the model form.
"""

from __future__ import annotations

import random

from newscorpus.core.models import Annotation, ArticleRecord, Gold, Origin, SentenceLabel, Span, Relation
from newscorpus.core.scheme import default_scheme
from newscorpus.records.io import canonicalize, canonicalize_data, dump_record, dump_record_bytes, dump_record_data_bytes, read_record

from tests.unit.records.oracles import canonical_models, dump_models

SCHEME = default_scheme()
LEAD_TIMES = [None, 12.5, 0.1, 1e-07, 1e16, 3.0, 123456789.125, 2.5e-300]


def _labels(rng: random.Random, layer_name: str) -> list[str]:
    names = SCHEME.layer(layer_name).label_names + ["zz-unknown", "AA"]
    return rng.sample(names, rng.randrange(1, 4))


def _part(rng: random.Random, record: ArticleRecord, cls, **fields):
    text = record.text
    spans = []
    for k in range(rng.randrange(0, 9)):
        start = rng.randrange(0, len(text) + 3)
        end = start + rng.randrange(0, 6)
        layer = rng.choice(["entity", "attribution", "topic"])
        label = rng.choice(SCHEME.layer(layer).label_names if layer != "topic" else ["X"])
        note = rng.choice([None, None, "why?", "lone \ud83d surrogate"])
        spans.append(Span(id=f"e{rng.randrange(5)}", layer=layer, label=label, start=start, end=end, text=text[start:end], note=note))
    relations = [Relation(id=f"SPEAKER:q{rng.randrange(4)}>e{rng.randrange(4)}", label="SPEAKER", head="q1", tail="e1")
                 for _ in range(rng.randrange(0, 4))]
    sentence_ids = [s.id for s in record.sentences] + ["s9", "a0"]
    sentence_labels = [SentenceLabel(sentence=rng.choice(sentence_ids), layer=rng.choice(["discourse_role", "zz"]),
                                     label=rng.choice(["MAIN_EVENT", "OTHER", "EVALUATION"])) for _ in range(rng.randrange(0, 5))]
    layers = rng.sample(["genre", "frames", "zz-layer", "aa-layer"], rng.randrange(0, 4))
    article_labels = {name: _labels(rng, name) if name in ("genre", "frames") else ["b", "a"] for name in layers}
    return cls(spans=spans, relations=relations, sentence_labels=sentence_labels, article_labels=article_labels, **fields)


def _record(rng: random.Random, base: ArticleRecord) -> ArticleRecord:
    record = base.model_copy(deep=True)
    rng.shuffle(record.sentences)
    for n in range(rng.randrange(0, 5)):
        annotation = _part(
            rng, record, Annotation, id=f"ls-p1-a{rng.randrange(9)}", annotator=f"ls-{rng.randrange(5)}",
            status=rng.choice(["submitted", "cancelled", "draft"]), lead_time=rng.choice(LEAD_TIMES),
            origin=Origin(tool="label-studio", project=1, task=1, annotation=rng.choice([None, 1, 2, 10, 3])),
        )
        record.annotations.append(annotation)
    if rng.random() < 0.6:
        ids = [a.id for a in record.annotations] + ["ls-x"]
        record.gold = _part(rng, record, Gold, method=rng.choice(["single", "majority", "adjudicated", "ground_truth"]),
                            decided_by=rng.choice([None, "ls-9"]), from_annotations=rng.sample(ids, rng.randrange(0, len(ids) + 1)))
    return record


def test_the_json_form_writes_the_bytes_and_order_of_the_model_form(small_corpus):
    base = read_record(small_corpus / "small.json")
    rng = random.Random(6)
    fallbacks = 0
    for _ in range(400):
        record = _record(rng, base)
        expected = dump_models(record.model_copy(deep=True), SCHEME)
        assert dump_record_bytes(record, SCHEME) == expected
        assert dump_record_data_bytes(record.model_dump(mode="json"), SCHEME) == expected
        lone = "\ud83d".encode("utf-8", "surrogatepass") in expected
        if not lone:  # text with a lone surrogate has bytes but no UTF-8 text
            assert dump_record(record, SCHEME).encode("utf-8") == expected
        ordered = canonical_models(record.model_copy(deep=True), SCHEME)
        assert canonicalize_data(record.model_dump(mode="json"), SCHEME) == ordered.model_dump(mode="json")
        same = record.model_copy(deep=True)
        assert canonicalize(same, SCHEME) is same and same == ordered
        fallbacks += b"1e-07" in expected or b"2.5e-300" in expected or lone
    assert fallbacks > 50  # the json.dumps fallback ran, not only orjson


def test_writing_puts_the_record_itself_in_canonical_order(small_corpus):
    record = _record(random.Random(7), read_record(small_corpus / "small.json"))
    expected = canonical_models(record.model_copy(deep=True), SCHEME)
    assert record != expected
    dump_record_bytes(record, SCHEME)
    assert record == expected

"""The streamed agreement figures equal those computed the old way, with every record in
memory (``tests/unit/agreement/oracles.py``), on seeded random corpora; tallies of parts of
a corpus merge into the figures of the whole; the alpha from value counts equals the
``krippendorff`` package's."""

from __future__ import annotations

import math
import random

import pytest
from tests.support.agreement import make_annotation, make_record
from tests.unit.agreement import oracles

from newscorpus.agreement.coefficients import nominal_alpha
from newscorpus.agreement.figures import AgreementTally, corpus_agreement
from newscorpus.core.scheme import default_scheme

SCHEME = default_scheme()
ENTITY = ["PERSON", "ORG", "GPE", "DATE"]
ROLES = ["MAIN_EVENT", "CONSEQUENCE", "EVALUATION"]
FRAMES = ["Economic", "Political", "Morality", "Security_and_defense", "Health_and_safety"]
WORDS = ["Ann", "met", "Bo", "in", "Oslo", "on", "Monday", "and", "said", "“no”", "🙂", "prices", "rose"]


def random_record(rng: random.Random, index: int, max_annotators: int):
    """A record with 0 to ``max_annotators`` submitting annotators (some of them twice),
    cancelled annotations and drafts, spans mostly from a pool the annotators share (a few
    empty: ``read_record`` does not refuse them, and they overlap nothing), roles (some on
    sentences the record does not have), genres (sometimes two) and frames."""
    sentences, text = [], ""
    for _ in range(rng.randint(1, 5)):
        sentence = " ".join(rng.choice(WORDS) for _ in range(rng.randint(2, 8))) + "."
        start = len(text) + (1 if text else 0)
        text += (" " if text else "") + sentence
        sentences.append((start, len(text)))
    def any_span() -> tuple[str, str, int, int]:
        start = rng.randrange(len(text) - 1)
        end = rng.randint(start + 1, min(len(text), start + 12)) if rng.random() < 0.95 else start  # empty: no overlap
        layer = rng.choice(["entity", "entity", "attribution"])
        return layer, rng.choice(ENTITY) if layer == "entity" else rng.choice(["QUOTE", "SOURCE"]), start, end

    pool = [any_span() for _ in range(5)]  # what annotators find, mostly
    people = rng.sample([f"ls-{k}" for k in range(1, 8)], rng.randint(0, max_annotators))
    annotations, ls_id = [], 100 * index
    for person in people + rng.sample(people, min(len(people), rng.randint(0, 2))) + ["ls-9"] * rng.randint(0, 1):
        ls_id += 1
        status = "submitted" if person != "ls-9" else rng.choice(["cancelled", "draft"])
        chosen = [s for s in pool if rng.random() < 0.6] + [any_span() for _ in range(rng.randint(0, 2))]
        spans = [(f"x{ls_id}-{k}", *span) for k, span in enumerate(chosen)]
        roles = {f"s{i}": rng.choice(ROLES) for i in range(len(sentences) + 1) if rng.random() < 0.7}
        labels = {}
        if rng.random() < 0.8:
            labels["genre"] = rng.sample(["reporting", "opinion", "satire"], 2 if rng.random() < 0.05 else 1)
        if rng.random() < 0.8:
            labels["frames"] = rng.sample(FRAMES, rng.randint(1, 3))
        annotations.append(make_annotation(text, ls_id, person, status=status, spans=tuple(spans), roles=roles, labels=labels))
    return make_record(f"r{index:03d}", text, sentences, annotations)


def close(a: object, b: object, tol: float) -> bool:
    """``a == b``, except that floats may differ by ``tol``."""
    if isinstance(a, float) and isinstance(b, float):
        return math.isclose(a, b, rel_tol=0, abs_tol=tol)
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(close(a[k], b[k], tol) for k in a)
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(close(x, y, tol) for x, y in zip(a, b))
    return a == b


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("exclude", [(), ("ls-2",)])
def test_streamed_figures_equal_the_old_in_memory_ones(seed, exclude):
    # Up to three annotators a unit: every m_u - 1 is 1 or 2, the coincidences are exact
    # both ways, and the figures are equal to the last bit.
    rng = random.Random(seed)
    records = [random_record(rng, i, 3) for i in range(rng.randint(1, 40))]
    expected = oracles.corpus_agreement(records, scheme=SCHEME, exclude=exclude).to_dict()
    assert corpus_agreement(iter(records), scheme=SCHEME, exclude=exclude).to_dict() == expected


@pytest.mark.parametrize("seed", range(4))
def test_streamed_figures_with_many_annotators_agree_to_1e_15(seed):
    # Four or more annotators a unit: krippendorff sums quotients like 1/3 rounded, in
    # unit order; the tally sums them exactly and rounds once.
    rng = random.Random(100 + seed)
    records = [random_record(rng, i, 6) for i in range(40)]
    expected = oracles.corpus_agreement(records, scheme=SCHEME).to_dict()
    got = corpus_agreement(records, scheme=SCHEME).to_dict()
    assert close(got, expected, 1e-15)
    assert got["annotators"] == expected["annotators"] and len(got["annotators"]) >= 4


@pytest.mark.parametrize("seed", range(4))
def test_tallies_of_parts_merge_into_the_whole(seed):
    rng = random.Random(200 + seed)
    records = [random_record(rng, i, 3) for i in range(30)]
    cuts = sorted(rng.sample(range(1, 30), 4))
    whole = AgreementTally(SCHEME)
    for start, end in zip([0, *cuts], [*cuts, 30]):
        part = AgreementTally(SCHEME)
        for record in records[start:end]:
            part.add(record)
        whole.merge(part)
    assert whole.report().to_dict() == oracles.corpus_agreement(records, scheme=SCHEME).to_dict()
    assert whole.known == {a.annotator for r in records for a in r.annotations}


def test_alpha_from_value_counts_equals_the_krippendorff_package():
    rng = random.Random(7)
    exact = 0
    for _ in range(1500):
        coders, units, values = rng.randint(1, 6), rng.randint(0, 40), rng.randint(1, 5)
        missing = rng.random()
        data = [[None if rng.random() < missing else f"v{rng.randrange(values)}" for _ in range(units)] for _ in range(coders)]
        expected, got = oracles.nominal_alpha(data), nominal_alpha(data)
        if coders <= 3:
            assert got == expected, data
            exact += expected is not None
        else:
            assert (got is None) == (expected is None) and (got is None or abs(got - expected) <= 1e-15), data
    assert exact > 300  # most of the small cases have a figure

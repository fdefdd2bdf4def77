"""The ``ner`` config in any language: every language spaCy ships a blank pipeline for (and
one it has none for) builds, and every gold entity decodes back to its exact span from the
``ner`` tokens and tags, wherever its boundaries fall (inside a word, an emoji sequence, a
base letter and its combining mark).

The texts are short news-like sentences written for these tests (no copyrighted text).
"""

from __future__ import annotations

import json
import random
import unicodedata
from pathlib import Path

import pytest

from newscorpus.core.models import ArticleRecord, Gold, Span
from newscorpus.core.scheme import default_scheme
from newscorpus.dataset.build import build_dataset
from newscorpus.dataset.configs.ner import ner_tag_names
from newscorpus.dataset.tokens import INSTEAD, entities_from_iob2, sentence_tokens, tokenizer
from newscorpus.ingest.run import ingest_seed
from newscorpus.records.io import write_record
from newscorpus.validate.run import validate_record
from tests.support import write_seed
from tests.support.dataset import check_built_dataset
from tests.unit.dataset.fastpath import assert_same_tables, fast_tables, record_datas, reference_tables
from tests.unit.dataset.oracles import token_offsets

#: Astral characters (emoji, a ZWJ sequence, a mathematical letter, an astral Han character)
#: and a Latin letter with a combining mark that NFC keeps apart (q + U+0307).
ASTRAL = "Zeugen 🎉 sahen 👩‍👩‍👧 und 𝕏 in 𠀋市, q̇ auch."

#: Two or three sentences per language; entities are drawn at random positions in them.
TEXTS = {
    "en": "The United Nations met in Geneva on Monday. “We agree,” said Dr. Amina Yusuf of Nigeria’s delegation.",
    "de": "Die Bundesregierung in Berlin beschloss am Dienstag neue Maßnahmen. Olaf Schmidt sprach von „großer Sorge“.",
    "fr": "Le président s’est rendu à Marseille jeudi. « C’est un jour historique », a déclaré l’Élysée.",
    "ru": "Президент России прибыл вМоскву в среду. Т. е. переговоры продолжатся, сообщил Кремль.",
    "uk": "Уряд України зібрався в Києві у вівторок. Міністр сказав, що рішення ухвалено.",
    "ar": "وصل الرئيس إلى لبنان وبيروت تستعد للقمة. وقال الوزيرُ إنَّ المحادثات ستستمر.",
    "fa": "رئیس‌جمهور به تهران رفت و با وزیران دیدار کرد. او گفت که گفت‌وگوها ادامه می‌یابد.",
    "he": "ראש הממשלה נפגש בירושלים עם שַׂר החוץ. הוא אמר שהשיחות יימשכו.",
    "zh": "王小明在北京会见了联合国代表。他说：“我们同意。”会谈将于2024年继续。",
    "ja": "東京都知事は月曜日に記者会見を開いた。「協力します」と述べた。",
    "ko": "대통령은 서울에서 기자회견을 열었다. 그는 “협력하겠다”고 말했다.",
    "th": "นายกรัฐมนตรีเดินทางไปกรุงเทพมหานครเมื่อวันจันทร์ เขากล่าวว่าการเจรจาจะดำเนินต่อไป",
    "hi": "प्रधानमंत्री ने नई दिल्ली में बैठक की। उन्होंने कहा कि बातचीत जारी रहेगी।",
    "el": "Ο πρωθυπουργός επισκέφθηκε την Αθήνα την Τρίτη. «Συμφωνούμε», δήλωσε ο υπουργός.",
    "tr": "Cumhurbaşkanı İstanbul’da bir toplantı yaptı. Bakan, görüşmelerin süreceğini söyledi.",
    "vi": "Thủ tướng đã đến Hà Nội hôm thứ Hai. Ông nói rằng các cuộc đàm phán sẽ tiếp tục.",
    "sw": "Rais aliwasili Nairobi Jumatatu. Alisema mazungumzo yataendelea.",  # no spaCy pipeline: xx
}


def _meta(language: str, title: str = "A test article") -> dict:
    return {"title": title, "publisher": "newscorpus tests", "url": None, "published": "2024-05-02",
            "language": language, "license": "CC-BY-4.0", "redistributable": True}


def _ingest(tmp: Path, language: str, text: str) -> ArticleRecord:
    return ingest_seed(write_seed(tmp / "seeds", f"lang_{language}", unicodedata.normalize("NFC", text), _meta(language)))


def _gold(spans: list[Span]) -> Gold:
    return Gold(method="single", decided_by=None, from_annotations=[], spans=spans)


def _entity(text: str, sid: str, label: str, start: int, end: int) -> Span:
    return Span(id=sid, layer="entity", label=label, start=start, end=end, text=text[start:end])


def _decoded(ner_rows: list[dict], tag_names: list[str]) -> set[tuple[str, int, int]]:
    out = set()
    for row in ner_rows:
        tags = [tag_names[t] for t in row["ner_tags"]]
        out.update(entities_from_iob2(tags, row["token_starts"], row["token_ends"]))
    return out


# ---------------------------------------------------------------- the crashes of issue 15


def test_a_chinese_article_builds_one_token_per_character(tmp_path):
    """Was ``AttributeError: 'ChineseTokenizer' object has no attribute 'rules'``."""
    record = _ingest(tmp_path, "zh", "王小明在北京会见了联合国代表。")
    t = record.text
    record.gold = _gold([_entity(t, "e1", "PERSON", 0, 3), _entity(t, "e2", "GPE", t.index("北京"), t.index("北京") + 2)])
    write_record(record, tmp_path / "annotations", default_scheme())
    build_dataset(annotations_dir=tmp_path / "annotations", out=tmp_path / "out")
    (row,) = check_built_dataset(tmp_path / "out", [record], cache=tmp_path / "cache")["ner"]
    names = ner_tag_names(default_scheme())
    assert list(zip(row["tokens"], (names[i] for i in row["ner_tags"])))[:6] == [
        ("王", "B-PERSON"), ("小", "I-PERSON"), ("明", "I-PERSON"), ("在", "O"), ("北", "B-GPE"), ("京", "I-GPE"),
    ]
    assert row["tokens"] == list(t)  # one token per character


@pytest.mark.parametrize(("language", "text", "needle", "tokens"), [
    ("ar", "ذهب الرئيس وبيروت جميلة.", "بيروت", ["ذهب", "الرئيس", "و", "بيروت", "جميلة", "."]),
    ("fa", "او به تهرانی رفت.", "تهران", ["او", "به", "تهران", "ی", "رفت", "."]),
    ("ru", "Он приехал вМоскву вчера.", "Москв", ["Он", "приехал", "в", "Москв", "у", "вчера", "."]),
])
def test_an_entity_boundary_inside_a_word_cuts_the_word(tmp_path, language, text, needle, tokens):
    """Was ``TypeError: string indices must be integers`` (the offsets of a tokenizer with
    special cases holding whitespace came out as floats)."""
    record = _ingest(tmp_path, language, text)
    start = record.text.index(needle)
    record.gold = _gold([_entity(record.text, "e1", "GPE", start, start + len(needle))])
    write_record(record, tmp_path / "annotations", default_scheme())
    build_dataset(annotations_dir=tmp_path / "annotations", out=tmp_path / "out")
    (row,) = check_built_dataset(tmp_path / "out", [record], cache=tmp_path / "cache")["ner"]
    names = ner_tag_names(default_scheme())
    assert row["tokens"] == tokens
    assert [names[i] for i in row["ner_tags"]] == ["B-GPE" if tok == needle else "O" for tok in tokens]


# ---------------------------------------------------------------- every language


def test_the_tokenizer_of_every_language_needs_nothing_but_spacy():
    """Languages whose blank pipeline would load an optional package take a fixed tokenizer;
    a language spaCy has no pipeline for takes ``xx``."""
    for language in TEXTS:
        assert callable(tokenizer(language)), language
    assert set(INSTEAD) == {"zh", "ja", "th", "ko", "vi"}
    assert [t.text for t in tokenizer("ja")("東京で")] == ["東", "京", "で"]
    assert [t.text for t in tokenizer("ko")("서울에서 “협력”.")] == ["서울에서", "“", "협력", "”", "."]
    assert [t.text for t in tokenizer("vi")("Hà Nội, Việt Nam.")] == ["Hà", "Nội", ",", "Việt", "Nam", "."]
    assert [t.text for t in tokenizer("zh-Hant-TW")("臺北")] == ["臺", "北"]


@pytest.mark.parametrize("language", sorted(TEXTS))
def test_one_call_gives_the_tokens_of_one_call_per_sentence(tmp_path, language):
    record = _ingest(tmp_path, language, TEXTS[language] + "\n" + ASTRAL)
    bounds = [(s.start, s.end) for s in record.sentences]
    starts, ends, counts = sentence_tokens(record.text, bounds, language=language)
    want_s, want_e, want_n = [], [], []
    for a, b in bounds:
        s, e = token_offsets(record.text, a, b, language=language)
        want_s += s
        want_e += e
        want_n.append(len(s))
    assert (starts.tolist(), ends.tolist(), counts.tolist()) == (want_s, want_e, want_n)


def _random_entities(rng: random.Random, record: ArticleRecord, labels: list[str]) -> list[Span]:
    """Up to six non-overlapping entities at random code-point positions inside sentences
    (trimmed, as validation wants), so boundaries fall inside words, emoji sequences and
    letter + combining mark pairs."""
    text, taken, spans = record.text, [], []
    for k in range(rng.randint(1, 6)):
        sent = rng.choice(record.sentences)
        start = rng.randrange(sent.start, sent.end)
        end = rng.randint(start + 1, min(sent.end, start + 12))
        if text[start].isspace() or text[end - 1].isspace() or any(a < end and start < b for a, b in taken):
            continue
        taken.append((start, end))
        spans.append(_entity(text, f"e{k}", rng.choice(labels), start, end))
    return spans


def test_every_entity_decodes_back_to_its_span_in_every_language(tmp_path):
    """A seeded property test: for each language, random gold entities anywhere inside its
    sentences; the build's rows (the shipped path, from the records' JSON) equal the
    oracle's (one tokenizer call per sentence), and the ``ner`` tags of every sentence
    decode back to exactly its gold entities."""
    rng = random.Random(15)
    scheme = default_scheme()
    labels = scheme.layer("entity").label_names
    tag_names = ner_tag_names(scheme)
    bases = {language: _ingest(tmp_path, language, TEXTS[language] + "\n" + ASTRAL) for language in TEXTS}
    seen = {"astral": 0, "mark": 0}  # boundaries next to an astral character, before a combining mark
    for draw in range(12):
        records = []
        for language, base in bases.items():
            record = base.model_copy(deep=True)
            record.id = f"{language}_{draw}"
            record.gold = _gold(_random_entities(rng, record, labels))
            records.append(record)
            t = record.text
            for b in (x for s in record.gold.spans for x in (s.start, s.end) if 0 < x < len(t)):
                seen["astral"] += max(ord(t[b - 1]), ord(t[b])) > 0xFFFF
                seen["mark"] += unicodedata.category(t[b]).startswith("M")
        datas = record_datas(records, tmp_path / str(draw))
        for data in datas:
            assert validate_record(data, file=f"{data['id']}.json", scheme=scheme) == [], data["id"]
        fast = fast_tables(datas, scheme, True)
        assert_same_tables(fast, reference_tables(records, scheme, True))
        rows = fast["ner"].to_pylist()
        for record in records:
            mine = [row for row in rows if row["article_id"] == record.id]
            assert len(mine) == len(record.sentences)
            for row in mine:
                assert row["tokens"] == [record.text[a:b] for a, b in zip(row["token_starts"], row["token_ends"])]
                assert all(tok.strip() == tok != "" for tok in row["tokens"]), record.id
            want = {(s.label, s.start, s.end) for s in record.gold.spans}
            assert _decoded(mine, tag_names) == want, (record.id, json.dumps(sorted(want), ensure_ascii=False))
    assert seen["astral"] >= 20 and seen["mark"] >= 10, seen


def test_held_out_corpora_in_many_languages_build_and_decode_exactly(tmp_path):
    """One build of an article per language, with entities inside words, loaded back with
    ``load_dataset`` (:func:`check_built_dataset` decodes every entity)."""
    rng = random.Random(2024)
    labels = default_scheme().layer("entity").label_names
    records = []
    for language, text in TEXTS.items():
        record = _ingest(tmp_path / language, language, text + "\n" + ASTRAL)
        record.gold = _gold(_random_entities(rng, record, labels))
        write_record(record, tmp_path / "annotations", default_scheme())
        records.append(record)
    result = build_dataset(annotations_dir=tmp_path / "annotations", out=tmp_path / "out")
    assert len(result.article_splits) == len(TEXTS)
    got = check_built_dataset(tmp_path / "out", sorted(records, key=lambda r: r.id), cache=tmp_path / "cache")
    assert len(got["ner"]) == sum(len(r.sentences) for r in records)

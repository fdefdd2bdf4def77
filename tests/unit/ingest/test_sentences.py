"""The segmenter of ingest (newscorpus.ingest.sentences): the hard cases of news text, each
with its exact sentence offsets (checked by hand: the slices are written out beside them),
other languages, and the coverage contract on random text."""

from __future__ import annotations

import random
import re

import pytest

from newscorpus.ingest.sentences import RULES_VERSION, SEGMENTER_NAME, news_boundaries, segment, segmenter_info, sentencizer_starts

# (case id, text, [(start, end, sentence text)]); the texts are written for these tests
HARD = [
    ("ranks", "Sgt. Maria Lopez said the convoy left. Lt. Col. James Whitfield agreed.",
     [(0, 38, "Sgt. Maria Lopez said the convoy left."), (39, 71, "Lt. Col. James Whitfield agreed.")]),
    ("titles", "Gov. Helen Marsh met Sen. Paul Okafor and Rep. Lena Brandt. Dr. Ian Fisk, Mr. Fisk and Mrs. Carter left.",
     [(0, 59, "Gov. Helen Marsh met Sen. Paul Okafor and Rep. Lena Brandt."), (60, 104, "Dr. Ian Fisk, Mr. Fisk and Mrs. Carter left.")]),
    ("supt-gen", "Supt. Alan Greer spoke. Gen. Omar Haddad did not.",
     [(0, 23, "Supt. Alan Greer spoke."), (24, 49, "Gen. Omar Haddad did not.")]),
    ("number", "The fire started at No. 12 Harbour Road. It spread.",
     [(0, 40, "The fire started at No. 12 Harbour Road."), (41, 51, "It spread.")]),
    # "No." before a capitalised word is the answer, a sentence of its own
    ("no-answer", "Was it planned? No. The police said so.",
     [(0, 15, "Was it planned?"), (16, 19, "No."), (20, 39, "The police said so.")]),
    ("saint-fort", "He lived in St. Louis and trained at Ft. Bragg. Then he left.",
     [(0, 47, "He lived in St. Louis and trained at Ft. Bragg."), (48, 61, "Then he left.")]),
    # spaCy's English tokenizer keeps "St." as one token, so a street at a sentence's end is
    # not split: a missed boundary, never a wrong one
    ("street", "The office is on Main St. It moved last year.",
     [(0, 45, "The office is on Main St. It moved last year.")]),
    ("months", "The vote was on Jan. 15, and the count on Aug. 3. Sept. 11 changed air travel.",
     [(0, 49, "The vote was on Jan. 15, and the count on Aug. 3."), (50, 78, "Sept. 11 changed air travel.")]),
    ("initials", "J.R.R. Tolkien and John F. Kennedy met in the U.K. and the U.S. on paper.",
     [(0, 73, "J.R.R. Tolkien and John F. Kennedy met in the U.K. and the U.S. on paper.")]),
    ("dotted-end", "Exports went to the U.S. The rest went to Canada.",
     [(0, 24, "Exports went to the U.S."), (25, 49, "The rest went to Canada.")]),
    ("opening-quote", "The ministry said in a statement. “We will not yield,” the minister added.",
     [(0, 33, "The ministry said in a statement."), (34, 74, "“We will not yield,” the minister added.")]),
    ("opening-straight-quote", 'The mayor spoke first. "The water is safe," she said.',
     [(0, 22, "The mayor spoke first."), (23, 53, '"The water is safe," she said.')]),
    ("closing-quote", "“I love crêpes!” the chef shouted. “Why now?” asked one resident.",
     [(0, 34, "“I love crêpes!” the chef shouted."), (35, 65, "“Why now?” asked one resident.")]),
    ("closing-quote-then-sentence", "She said: “We are ready.” Then she left.",
     [(0, 25, "She said: “We are ready.”"), (26, 40, "Then she left.")]),
    ("nested-quotes", "“He told me, ‘Leave now,’ and I did,” the guard said. The crowd waited.",
     [(0, 53, "“He told me, ‘Leave now,’ and I did,” the guard said."), (54, 71, "The crowd waited.")]),
    ("nested-quotes-closing", "“The order was clear: ‘No one leaves.’” The crowd waited.",
     [(0, 39, "“The order was clear: ‘No one leaves.’”"), (40, 57, "The crowd waited.")]),
    ("ellipses", "The talks dragged on... and then collapsed. “We tried … we really tried,” he said.",
     [(0, 43, "The talks dragged on... and then collapsed."), (44, 82, "“We tried … we really tried,” he said.")]),
    ("decimals", "Inflation rose 3.5 percent. The index fell 0.25 points to 1,204.7 on Friday.",
     [(0, 27, "Inflation rose 3.5 percent."), (28, 76, "The index fell 0.25 points to 1,204.7 on Friday.")]),
    ("dateline", "BERKELEY, Calif. — Officials declared the plan a success.",
     [(0, 57, "BERKELEY, Calif. — Officials declared the plan a success.")]),
    ("line-breaks", "Title line\nFirst sentence. Second one.\n\n“Third,” he said.",
     [(0, 10, "Title line"), (11, 26, "First sentence."), (27, 38, "Second one."), (40, 57, "“Third,” he said.")]),
]


@pytest.mark.parametrize("text, expected", [(t, e) for _, t, e in HARD], ids=[c for c, _, _ in HARD])
def test_hard_cases_of_news(text, expected):
    sentences = segment(text)
    assert [(s.start, s.end, text[s.start:s.end]) for s in sentences] == expected
    assert [s.id for s in sentences] == [f"s{i}" for i in range(len(expected))]


def test_the_plain_sentencizer_gets_them_wrong():
    """What the rules mend: spaCy's sentencizer alone, on three of the cases above."""
    lines = ["Sgt. Maria Lopez said the convoy left.", "The ministry said in a statement. “We will not yield,” the minister added.",
             "“I love crêpes!” the chef shouted."]
    assert sentencizer_starts(lines) == [[5], [35], [17]]  # after "Sgt.", after "“", before "the chef"


LANGUAGES = [
    ("de", "Er sagte: „Wir kommen.“ Dann ging er. Dr. Müller blieb.",
     [(0, 23, "Er sagte: „Wir kommen.“"), (24, 37, "Dann ging er."), (38, 55, "Dr. Müller blieb.")]),
    ("zh", "我们来了。“你好！”他说。今天下雨。", [(0, 5, "我们来了。"), (5, 10, "“你好！”"), (10, 13, "他说。"), (13, 18, "今天下雨。")]),
    ("ja", "今日は雨です。「行きます」と彼は言った。明日は晴れ。",
     [(0, 7, "今日は雨です。"), (7, 20, "「行きます」と彼は言った。"), (20, 26, "明日は晴れ。")]),
    ("ru", "Он сказал: «Мы придём». Потом ушёл. т. е. нет.", [(0, 23, "Он сказал: «Мы придём»."), (24, 46, "Потом ушёл. т. е. нет.")]),
    ("ar", "قال الوزير. ثم غادر بيروت.", [(0, 11, "قال الوزير."), (12, 26, "ثم غادر بيروت.")]),
    ("es", "«Vendremos», dijo el ministro. El Sr. Pérez se fue. ¿Por qué? Nadie lo sabe.",
     [(0, 30, "«Vendremos», dijo el ministro."), (31, 51, "El Sr. Pérez se fue."), (52, 61, "¿Por qué?"), (62, 76, "Nadie lo sabe.")]),
    ("sw", "Rais aliwasili Nairobi. Alisema mazungumzo yataendelea.", [(0, 23, "Rais aliwasili Nairobi."), (24, 55, "Alisema mazungumzo yataendelea.")]),
]


@pytest.mark.parametrize("language, text, expected", LANGUAGES, ids=[lang for lang, _, _ in LANGUAGES])
def test_other_languages(language, text, expected):
    assert [(s.start, s.end, text[s.start:s.end]) for s in segment(text, language=language)] == expected


def test_rules_on_sentencizer_starts():
    line = "He said. “Go.” Then “Stop!” she said."
    assert sentencizer_starts([line]) == [[10, 15, 28]]
    # the opening quote moves to its sentence; "Then" starts one; "she" goes on
    assert news_boundaries(line, [10, 15, 28]) == [9, 15]


def test_segmenter_info():
    info = segmenter_info()
    assert (info.name, info.version) == (SEGMENTER_NAME, f"3.8.18+rules.{RULES_VERSION}") == ("spacy.sentencizer+news", "3.8.18+rules.1")


_PIECES = ["Sgt.", "No.", "U.S.", "“", "”", '"', "'", "‘", "’", "...", "…", "!", "?", ".", "3.5", "Jan.", "J.", "word", "Word",
           "мир", "東京", "。", " ", " ", "  ", "\n", ",", "—", "(", ")", "St.", "e.g."]


def test_every_non_blank_character_in_exactly_one_trimmed_sentence():
    """A seeded property test over random texts of the pieces the rules look at."""
    rng = random.Random(15)
    for _ in range(400):
        text = "".join(rng.choice(_PIECES) for _ in range(rng.randint(1, 40)))
        for language in ("en", "de", "zh"):
            sentences = segment(text, language=language)
            covered = [0] * len(text)
            last_end = -1
            for i, s in enumerate(sentences):
                assert s.id == f"s{i}" and last_end <= s.start < s.end <= len(text)
                chunk = text[s.start:s.end]
                assert chunk == chunk.strip() and "\n" not in chunk
                for k in range(s.start, s.end):
                    covered[k] += 1
                last_end = s.end
            assert all(covered[k] == 1 for k, ch in enumerate(text) if re.match(r"\S", ch)), (text, language)


def test_reingest_keeps_the_sentences_a_record_was_annotated_on(tmp_path):
    """A record segmented by the plain sentencizer (a split after "Sgt.", a sentence label
    on s1) keeps its sentences, their ids and its segmenter when ingested again: sentence
    labels name sentence ids, so only new articles get the news rules."""
    from newscorpus.core.models import Segmenter, Sentence, SentenceLabel
    from newscorpus.core.scheme import default_scheme
    from newscorpus.ingest.run import ingest_all
    from newscorpus.records.io import read_record, write_record

    from tests.support import write_seed
    from tests.support.agreement import make_annotation

    seeds, ann = tmp_path / "seeds", tmp_path / "annotations"
    write_seed(seeds, "old", "Police said Sgt. Maria Lopez was hurt.")
    ingest_all(seeds, annotations_dir=ann)
    record = read_record(ann / "old.json")
    assert [(s.start, s.end) for s in record.sentences] == [(0, 38)]
    record.sentences = [Sentence(id="s0", start=0, end=16), Sentence(id="s1", start=17, end=38)]
    record.segmenter = Segmenter(name="spacy.sentencizer", version="3.8.18")
    record.annotations = [make_annotation(record.text, 1, "ls-1", roles={"s1": "MAIN_EVENT"})]
    assert record.annotations[0].sentence_labels == [SentenceLabel(sentence="s1", layer="discourse_role", label="MAIN_EVENT")]
    write_record(record, ann, default_scheme())
    before = (ann / "old.json").read_bytes()
    report = ingest_all(seeds, annotations_dir=ann)
    assert (report.created, report.updated, report.unchanged) == (0, 0, 1)
    assert (ann / "old.json").read_bytes() == before

"""The conll and webanno entries of the import registry: their readers through the shared
core, offsets exact in the canonical text (CRLF, NFD, astral characters), nothing written
on an error."""

from __future__ import annotations

import json

import pytest

from newscorpus.core.scheme import default_scheme
from newscorpus.errors import ExportError
from newscorpus.importers import DOCUMENT_OPTIONS, IMPORTERS
from newscorpus.importers.labelmap import LabelMap

META = {"publisher": "Test", "published": "2024-05-01", "language": "fr", "license": "CC0-1.0", "redistributable": "true"}
CONLL_2003 = LabelMap(labels={"entity": {"PER": "PERSON", "LOC": "GPE", "MISC": "NORP"}})


def spans(record: dict) -> list[tuple[int, int, str, str]]:
    return [(s["start"], s["end"], s["label"], s["text"]) for s in record["annotations"][0]["spans"]]


def test_the_registry_entries_name_their_reader_options():
    assert IMPORTERS["conll"].options == (*DOCUMENT_OPTIONS, "text", "tagging")
    assert IMPORTERS["webanno"].options == (*DOCUMENT_OPTIONS, "layers")


def test_conll_tokens_in_a_crlf_nfd_text_land_exactly_on_the_canonical_text(tmp_path):
    text = "Le Pre\u0301fet  de Cae\u0301n\r\nparle a\u0300 Paris\u00a0.\r\n"  # NFD accents, CRLF, a no-break space
    (tmp_path / "texts").mkdir()
    (tmp_path / "texts" / "article.txt").write_bytes(text.encode("utf-8"))
    conll = tmp_path / "article.conll"
    conll.write_text("Le O\nPre\u0301fet B-PER\nde I-PER\nCae\u0301n I-PER\n\nparle O\na\u0300 O\nParis B-LOC\n. O\n", encoding="utf-8")
    ann = tmp_path / "ann"
    ann.mkdir()
    report = IMPORTERS["conll"].run(conll, annotations_dir=ann, label_map=CONLL_2003, annotator="test-1", meta_defaults=META,
                                    text=tmp_path / "texts")
    assert [p.name for p in report.written] == ["article.json"]
    record = json.loads((ann / "article.json").read_text(encoding="utf-8"))
    assert record["text"] == "Le Préfet  de Caén\nparle à Paris\u00a0.\n"
    assert spans(record) == [(3, 18, "PERSON", "Préfet  de Caén"), (27, 32, "GPE", "Paris")]


def test_webanno_utf16_offsets_through_the_core(tmp_path):
    tsv = tmp_path / "emoji.tsv"
    tsv.write_text("#FORMAT=WebAnno TSV 3.3\n#T_SP=de.tudarmstadt.ukp.dkpro.core.api.ner.type.NamedEntity|value\n\n\n"
                   "#Text=😊 Paris 𝔘 Caén\n1-1\t0-2\t😊\t_\t\n1-2\t3-8\tParis\tLOC[1]\t\n1-3\t9-11\t𝔘\tLOC[1]\t\n"
                   "1-4\t12-16\tCaén\tPER\t\n", encoding="utf-8")
    ann = tmp_path / "ann"
    ann.mkdir()
    label_map = LabelMap(controls={"NamedEntity": "entity"}, labels=CONLL_2003.labels)
    IMPORTERS["webanno"].run(tsv, annotations_dir=ann, label_map=label_map, meta_defaults=META, as_gold=True, scheme=default_scheme())
    record = json.loads((ann / "emoji.json").read_text(encoding="utf-8"))
    assert spans(record) == [(2, 9, "GPE", "Paris 𝔘"), (10, 14, "PERSON", "Caén")]
    assert record["gold"]["method"] == "ground_truth"


def test_an_error_in_the_second_document_writes_nothing(tmp_path):
    conll = tmp_path / "two.conll"
    conll.write_text("-DOCSTART- O\n\nParis B-LOC\n\n-DOCSTART- O\n\nrejects O\nGerman I-MISC\n", encoding="utf-8")
    ann = tmp_path / "ann"
    ann.mkdir()
    with pytest.raises(ExportError) as err:
        IMPORTERS["conll"].run(conll, annotations_dir=ann, label_map=CONLL_2003, meta_defaults=META, tagging="iob2")
    assert (err.value.code, err.value.where) == ("iob-continuation", "line 8")
    assert list(ann.iterdir()) == []

"""The registry of dataset configs: each config owns its features, rows and card text; the
``quotes`` config follows the scheme's ``quote`` and ``speaker`` roles and exists only when
the scheme declares the quote role."""

from __future__ import annotations

import pytest
import yaml

from newscorpus.core.scheme import Label, Layer, RelationLabel, RelationType, Role, Scheme, default_scheme
from newscorpus.dataset.build import build_dataset
from newscorpus.dataset.configs import CONFIGS, DEFAULT_CONFIG, config_schema, config_spec, configs_for
from tests.support.dataset import write_fixture
from tests.unit.dataset.fastpath import assert_same_tables, fast_tables, record_datas, reference_tables, varied_records


def _small_scheme(**roles) -> Scheme:
    """A scheme of one span layer of two labels and one relation, with the roles given."""
    spans = Layer(name="mention", level="span", source="tests", overlap=False,
                  labels=(Label(name="SAY", definition="s"), Label(name="WHO", definition="w")))
    said = RelationType(name="said", source="tests",
                        labels=(RelationLabel(name="BY", definition="b", head_labels=("SAY",), tail_labels=("WHO",)),))
    return Scheme(name="small", version="0.1.0", layers=(spans,), relations=(said,), roles=roles)


def test_the_registry_is_ordered_with_articles_first():
    assert list(CONFIGS) == ["articles", "sentences", "ner", "quotes", "annotations"]
    assert DEFAULT_CONFIG == next(iter(CONFIGS))
    assert all(name == config.name for name, config in CONFIGS.items())


def test_quotes_exist_only_under_a_scheme_with_the_quote_role():
    assert list(configs_for(default_scheme())) == list(CONFIGS)
    bare = _small_scheme()
    assert list(configs_for(bare)) == ["articles", "sentences", "ner", "annotations"]
    with pytest.raises(KeyError, match="the 'quotes' config needs a role that the scheme 'small' does not declare"):
        config_spec("quotes", bare)
    with_role = _small_scheme(quote={"layer": "mention", "label": "SAY"})
    assert list(configs_for(with_role)) == list(CONFIGS)
    assert config_schema("quotes", with_role).field("speaker_label").type == config_schema("quotes", default_scheme()).field("speaker_label").type
    with pytest.raises(KeyError):
        config_spec("no-such-config", default_scheme())


@pytest.mark.parametrize("scheme", [default_scheme(), _small_scheme(), _small_scheme(quote={"layer": "mention", "label": "SAY"}, speaker={"relation": "BY"})],
                         ids=["default", "small", "small-with-roles"])
def test_every_column_of_every_config_is_described(scheme):
    layer_names = {layer.name for layer in scheme.layers}
    for name, config in configs_for(scheme).items():
        docs = config.column_docs(scheme)
        assert list(docs) == list(config.features(scheme)), name
        for column, doc in docs.items():
            assert doc.endswith(".") and "\n" not in doc, (name, column)
            if column not in layer_names:
                assert "(see Label definitions)" not in doc, (name, column)


def test_the_quotes_docs_name_the_labels_of_the_roles():
    docs = CONFIGS["quotes"].column_docs(default_scheme())
    assert docs["quote_id"] == "Id of the QUOTE span."
    assert docs["speaker_id"] == "Id of the speaker's mention (SPEAKER relation tail), null when none is annotated."
    small = CONFIGS["quotes"].column_docs(_small_scheme(quote={"layer": "mention", "label": "SAY"}, speaker={"relation": "BY"}))
    assert (small["quote_id"], small["speaker_id"]) == ("Id of the SAY span.", "Id of the speaker's mention (BY relation tail), null when none is annotated.")
    alone = CONFIGS["quotes"].column_docs(_small_scheme(quote={"layer": "mention", "label": "SAY"}))
    assert alone["speaker_id"] == "Id of the speaker's mention (the scheme has no speaker relation), null when none is annotated."


def _without_roles(scheme: Scheme) -> Scheme:
    return scheme.model_copy(update={"roles": ()})


def _quote_is_source(scheme: Scheme) -> Scheme:
    """The default scheme with the quote role on SOURCE spans (and no speaker role)."""
    return scheme.model_copy(update={"roles": (Role(name="quote", layer="attribution", label="SOURCE"),)})


@pytest.mark.parametrize("change", [_without_roles, _quote_is_source], ids=["no-roles", "quote-is-source"])
@pytest.mark.parametrize("with_text", [True, False])
def test_rows_follow_the_roles_of_the_scheme(tmp_path, change, with_text):
    scheme = change(default_scheme())
    records = varied_records(tmp_path)
    fast, reference = fast_tables(record_datas(records, tmp_path), scheme, with_text), reference_tables(records, scheme, with_text)
    assert_same_tables(fast, reference)
    if scheme.role("quote") is None:
        assert "quotes" not in fast
    else:
        ids = [row["quote_id"] for row in fast["quotes"].to_pylist()]
        sources = [s.id for r in records if r.gold for s in r.gold.spans if s.label == "SOURCE"]
        assert sorted(ids) == sorted(sources) and ids
        assert {row["speaker_id"] for row in fast["quotes"].to_pylist()} == {None}


def test_a_build_under_a_scheme_without_the_quote_role_has_no_quotes(tmp_path):
    ann, _ = write_fixture(tmp_path)
    scheme = _without_roles(default_scheme())
    result = build_dataset(annotations_dir=ann, out=tmp_path / "out", scheme=scheme)
    assert list(result.configs) == ["articles", "sentences", "ner", "annotations"]
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["README.md", "annotations", "articles", "ner", "sentences"]
    card = (tmp_path / "out" / "README.md").read_text(encoding="utf-8")
    meta = yaml.safe_load(card.split("---\n")[1])
    assert [c["config_name"] for c in meta["configs"]] == ["articles", "sentences", "ner", "annotations"]
    assert "`quotes`" not in card and "quote_start" not in card
    assert "Only direct quotations are annotated" not in card
    default = build_dataset(annotations_dir=ann, out=tmp_path / "default")
    for config in result.configs:  # the other configs are those of the default scheme, byte for byte
        for split, stats in result.configs[config].items():
            assert (tmp_path / "out" / stats.path).read_bytes() == (tmp_path / "default" / default.configs[config][split].path).read_bytes()


def test_notes_reach_the_annotations_config(tmp_path):
    """Annotation and span notes (schema 1.1.0) are columns of `annotations`: a nullable
    string on each row and in each span struct, kept in a public build (the annotator's own
    words, not the article's)."""
    from datasets import load_dataset

    from newscorpus.records.io import write_record
    from tests.support.dataset import SEED_ID, SYNTH_ID

    ann, records = write_fixture(tmp_path)
    synth = next(r for r in records if r.id == SYNTH_ID)
    second = synth.annotations[1]
    second.note = "Is “Café Müller” a FAC or an ORG? 🎉"
    second.spans = [s.model_copy(update={"note": "ORG?"}) if s.id == "e5" else s for s in second.spans]
    seed = next(r for r in records if r.id == SEED_ID)  # not redistributable: its text is withheld in a public build
    seed.annotations[0].spans = [s.model_copy(update={"note": "which year?"}) if s.id == "e3" else s for s in seed.annotations[0].spans]
    for record in (synth, seed):
        write_record(record, ann, default_scheme())
    for public in (False, True):
        out = tmp_path / f"out-{public}"
        build_dataset(annotations_dir=ann, out=out, public=public)
        loaded = load_dataset(str(out), "annotations", cache_dir=str(tmp_path / f"cache-{public}"))
        rows = loaded["train"].to_list()
        assert [(r["annotation_id"], r["note"]) for r in rows] == [("a1", None), ("a2", "Is “Café Müller” a FAC or an ORG? 🎉")]
        assert [(s["id"], s["note"]) for s in rows[1]["spans"] if s["note"] is not None] == [("e5", "ORG?")]
        assert {s["note"] for s in rows[0]["spans"]} == {None}
        assert [k for k in rows[1]["spans"][0]] == ["id", "layer", "label", "start", "end", "text", "note"]
        (seed_row,) = loaded["validation"].to_list()
        assert seed_row["note"] is None
        assert [(s["id"], s["note"], s["text"]) for s in seed_row["spans"] if s["note"]] == [("e3", "which year?", None if public else "2021")]
    assert "note" not in config_spec("articles", default_scheme())["spans"].feature


def test_ner_ids_are_those_of_the_hubs_ontonotes_and_the_card_lists_them(tmp_path):
    """The ner ClassLabel equals conll2012_ontonotesv5's named_entities names, id for id
    (issue 15, item 5), and the card has the id-to-tag table and says so."""
    from newscorpus.dataset.configs.ner import ONTONOTES_HUB_TAGS, NerConfig, ner_tag_names
    from newscorpus.core.scheme import default_scheme

    names = ner_tag_names(default_scheme())
    assert names[:16] == ["O", "B-PERSON", "I-PERSON", "B-NORP", "I-NORP", "B-FAC", "I-FAC", "B-ORG", "I-ORG", "B-GPE",
                          "I-GPE", "B-LOC", "I-LOC", "B-PRODUCT", "I-PRODUCT", "B-DATE"]
    assert names[27:] == ["B-CARDINAL", "I-CARDINAL", "B-EVENT", "I-EVENT", "B-WORK_OF_ART", "I-WORK_OF_ART", "B-LAW",
                          "I-LAW", "B-LANGUAGE", "I-LANGUAGE"]
    assert tuple(names) == ONTONOTES_HUB_TAGS and len(names) == 37
    note = NerConfig().card_note(default_scheme())
    assert "the same ids as the `named_entities` of the Hub's `conll2012_ontonotesv5`" in note
    assert "| 0 | `O` |\n| 1 | `B-PERSON` |" in note and "| 36 | `I-LANGUAGE` |" in note

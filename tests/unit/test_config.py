"""The corpus configuration (newscorpus.toml): defaults without a file, paths relative to the
file, the scheme it names, and one exact line for every wrong key or value."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pytest

from newscorpus.config import CONFIG_FILE, Config, config_scheme, read_config
from newscorpus.core.scheme import default_scheme
from newscorpus.dataset.splits import SplitRatios
from newscorpus.errors import ConfigError
from newscorpus.ingest.sentences import SEGMENTER_NAME

PACKAGED_SCHEME = resources.files("newscorpus") / "data" / "scheme.yaml"


def test_no_file_means_the_defaults(tmp_path):
    config = read_config(cwd=tmp_path)
    assert config == Config() and config.file is None
    assert (config.paths.seeds, config.paths.annotations, config.paths.dataset) == (Path("seeds"), Path("annotations"), Path("dist/dataset"))
    assert config.splits.ratios() == SplitRatios()
    assert config.segmenter.name == SEGMENTER_NAME == "spacy.sentencizer+news"
    assert config.corpus.scheme is None and config_scheme(config) is default_scheme()


def test_the_file_of_the_current_folder_is_read_and_its_paths_are_relative_to_it(tmp_path):
    (tmp_path / "schemes").mkdir()
    (tmp_path / "schemes" / "news.yaml").write_text(PACKAGED_SCHEME.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / CONFIG_FILE).write_text(
        '[corpus]\nscheme = "schemes/news.yaml"\n\n[paths]\nannotations = "records"\ndataset = "/srv/dataset"\n\n'
        '[splits]\ntrain = 0.7\nvalidation = 0.2\ntest = 0.1\n', encoding="utf-8")
    config = read_config(cwd=tmp_path)
    assert config.file == tmp_path / CONFIG_FILE
    assert config.corpus.scheme == tmp_path / "schemes" / "news.yaml"
    assert (config.paths.seeds, config.paths.annotations, config.paths.dataset) == (tmp_path / "seeds", tmp_path / "records", Path("/srv/dataset"))
    assert config.splits.ratios() == SplitRatios(0.7, 0.2, 0.1)
    assert config_scheme(config) == default_scheme()
    assert read_config(tmp_path / CONFIG_FILE) == config


def test_the_labelstudio_section(tmp_path):
    assert (Config().labelstudio.url, Config().labelstudio.project, Config().labelstudio.overlap) == (None, "newscorpus", None)
    (tmp_path / CONFIG_FILE).write_text('[labelstudio]\nurl = "http://127.0.0.1:8080"\nproject = "news"\noverlap = 2\n',
                                        encoding="utf-8")
    ls = read_config(cwd=tmp_path).labelstudio
    assert (ls.url, ls.project, ls.overlap) == ("http://127.0.0.1:8080", "news", 2)


def test_a_file_in_the_current_folder_keeps_paths_relative(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / CONFIG_FILE).write_text('[paths]\nseeds = "articles"\n', encoding="utf-8")
    config = read_config()
    assert (config.file, config.paths.seeds, config.paths.annotations) == (Path(CONFIG_FILE), Path("articles"), Path("annotations"))


# (case id, file text, TOML key, message)
BAD = [
    ("unknown-key", '[paths]\nseed = "s"\n', "paths.seed", "unknown key (allowed: seeds, annotations, dataset)"),
    ("unknown-section", "[dataset]\nname = 1\n", "dataset", "unknown key (allowed: corpus, paths, splits, segmenter, labelstudio, card)"),
    ("bad-segmenter", '[segmenter]\nname = "stanza"\n', "segmenter.name", "'stanza' is not one of 'spacy.sentencizer+news'"),
    ("ratios-sum", "[splits]\ntrain = 0.5\n", "splits",
     "train, validation and test must each lie in [0, 1] and sum to 1, found 0.5, 0.1, 0.1"),
    ("ratio-type", '[splits]\ntrain = "most"\n', "splits.train",
     "Input should be a valid number, unable to parse string as a number, found 'most'"),
    ("section-type", 'paths = "here"\n', "paths", "expected keys and values, found str"),
    ("scheme-type", "[corpus]\nscheme = 3\n", "corpus.scheme", "expected a path (a string), found 3"),
    ("overlap-zero", "[labelstudio]\noverlap = 0\n", "labelstudio.overlap", "Input should be greater than or equal to 1, found 0"),
    ("labelstudio-key", "[labelstudio]\nservers = 1\n", "labelstudio.servers", "unknown key (allowed: server, url, project, overlap)"),
    ("card-key", '[card]\nauthors = ["A"]\n', "card.authors",
     "unknown key (allowed: pretty_name, curators, card_authors, funded_by, homepage, repository, paper, contact, "
     "license_notes, citation, direct_use, out_of_scope_use, guidelines)"),
    ("card-url", '[card]\nhomepage = "example.org"\n', "card.homepage", "expected an http(s) URL without spaces, found 'example.org'"),
    ("card-citation", '[card]\ncitation = "Lovelace 2025"\n', "card.citation",
     "expected BibTeX: one or more entries, the first starting with @ (e.g. @misc{...})"),
    ("card-empty", '[card]\ncontact = " "\n', "card.contact", "empty: remove the key when there is nothing to state"),
    ("card-curators", '[card]\ncurators = "Ada"\n', "card.curators", "Input should be a valid tuple, found 'Ada'"),
]


@pytest.mark.parametrize("text,key,message", [case[1:] for case in BAD], ids=[case[0] for case in BAD])
def test_a_wrong_key_or_value_is_one_line_naming_file_and_key(tmp_path, text, key, message):
    path = tmp_path / CONFIG_FILE
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        read_config(path)
    assert (info.value.code, info.value.where, info.value.message) == ("config-invalid", key, message)
    assert str(info.value) == f"{path}::{key}: {message}"


def test_a_scheme_file_that_does_not_exist(tmp_path):
    path = tmp_path / CONFIG_FILE
    path.write_text('[corpus]\nscheme = "nope.yaml"\n', encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        read_config(path)
    assert str(info.value) == (f"{path}::corpus.scheme: no such scheme file: {tmp_path / 'nope.yaml'} (hint: give the scheme "
                               "file's path relative to this file, or remove the key for the packaged scheme)")


def test_not_toml_and_no_such_file(tmp_path):
    path = tmp_path / CONFIG_FILE
    path.write_text("[paths\n", encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        read_config(path)
    assert (info.value.code, str(info.value)) == (
        "config-invalid-toml", f"{path}::$: not valid TOML: Expected ']' at the end of a table declaration (at line 1, column 7)")
    with pytest.raises(ConfigError) as info:
        read_config(tmp_path / "other.toml")
    assert (info.value.code, str(info.value)) == ("config-not-found", f"{tmp_path / 'other.toml'}::$: no such configuration file")


def test_the_card_section(tmp_path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "guidelines.md").write_text("# Guidelines\n", encoding="utf-8")
    path = tmp_path / CONFIG_FILE
    path.write_text('[card]\npretty_name = "ACME"\ncurators = ["Ada", "Charles"]\nguidelines = "docs/guidelines.md"\n'
                    "citation = \'\'\'\n@misc{a,\n  title = {A}\n}\n\'\'\'\n", encoding="utf-8")
    info = read_config(path).card
    assert (info.pretty_name, info.curators, info.guidelines, info.citation) == (
        "ACME", ("Ada", "Charles"), tmp_path / "docs" / "guidelines.md", "@misc{a,\n  title = {A}\n}")
    assert info.contact is None and info.card_authors is None
    path.write_text('[card]\nguidelines = "nope.md"\n', encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        read_config(path)
    assert str(err.value) == (f"{path}::card.guidelines: no such guidelines file: {tmp_path / 'nope.md'} (hint: give the path "
                              "of the annotation guidelines (Markdown) relative to this file, or remove the key)")


def test_the_repository_s_own_configuration():
    from tests.support.dataset import REPO

    config = read_config(REPO / CONFIG_FILE)
    # every other section keeps today's defaults
    assert config.model_dump(exclude={"card", "paths"}) == Config().model_dump(exclude={"card", "paths"})
    assert config.paths.model_dump() == {k: REPO / v for k, v in Config().paths.model_dump().items()}
    assert config.card.pretty_name == "newscorpus seed corpus"
    assert config.card.guidelines == REPO / "docs" / "guidelines.md"
    assert config.card.curators is None and config.card.citation is None  # no name or paper made up

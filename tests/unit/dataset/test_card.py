"""The dataset card: Hub metadata YAML, features round trip, body filled from the data."""

from __future__ import annotations

import re

import pytest
import yaml
from datasets import Features

from tests.support.dataset import REPO, SEED_ID, write_fixture
from newscorpus.dataset.card.about import CardInfo
from newscorpus.dataset.build import build_dataset
from newscorpus.dataset.card.render import agreement_section, size_category
from newscorpus.dataset.configs import CONFIGS, config_features
from newscorpus.core.scheme import default_scheme
from newscorpus.dataset.article import plain_record
from newscorpus.dataset.card.stats import article_summary
from tests.unit.dataset.fastpath import record_datas, varied_records
from tests.unit.dataset.oracles import card_stats, model_summary

#: What the fixture corpus says about itself ([card] of its newscorpus.toml).
FIXTURE_CARD = CardInfo(
    pretty_name="newscorpus test fixture",
    curators=("Ada Lovelace", "Charles Babbage"),
    card_authors=("Ada Lovelace",),
    homepage="https://example.org/fixture",
    repository="https://github.com/example/fixture",
    paper="Lovelace and Babbage (2025), A fixture corpus",
    contact="fixture@example.org",
    license_notes="Titles are quoted from their publishers.",
    citation="@misc{fixture2025,\n  title = {A fixture corpus},\n  year = {2025}\n}",
    direct_use="Testing newscorpus.",
    out_of_scope_use="Anything else.",
    guidelines=REPO / "docs" / "guidelines.md",
)

PLACEHOLDERS = re.compile(r"more information needed|\bTODO\b|\bTBD\b|\bFIXME\b|\[needs more|lorem ipsum|\{\{", re.IGNORECASE)


def _split(card: str) -> tuple[dict, str]:
    assert card.startswith("---\n")
    end = card.index("\n---\n", 4)
    return yaml.safe_load(card[4:end]), card[end + 5 :]


@pytest.fixture(scope="module")
def cards(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("card")
    ann, records = write_fixture(tmp)
    build_dataset(annotations_dir=ann, out=tmp / "local")
    build_dataset(annotations_dir=ann, out=tmp / "public", public=True, card=FIXTURE_CARD)
    return {k: (tmp / k / "README.md").read_text(encoding="utf-8") for k in ("local", "public")}, records


def test_hub_metadata(cards):
    meta, _ = _split(cards[0]["public"])
    assert list(meta)[:11] == [
        "pretty_name", "license", "language", "multilinguality", "size_categories", "source_datasets",
        "task_categories", "task_ids", "annotations_creators", "language_creators", "tags",
    ]
    # the seed is AP copyright: it shows as `other`, never behind the annotations' cc-by-4.0
    assert meta["license"] == ["cc-by-4.0", "other"]
    assert meta["license_name"] == "licenseref-ap-copyright"
    assert meta["license_details"] == (
        "Annotations (offsets, labels, relations, sentence boundaries, metadata): CC BY 4.0. Article texts keep their own "
        "licences, listed per article in the card: CC-BY-4.0 (1 article), LicenseRef-AP-copyright (1 article, not "
        "redistributable). Titles are quoted from their publishers.")
    assert list(meta)[11:14] == ["license_name", "license_details", "configs"]
    assert meta["language"] == ["en"]
    assert meta["size_categories"] == ["n<1K"]
    assert meta["task_categories"] == ["token-classification", "text-classification"]
    assert meta["task_ids"] == ["named-entity-recognition", "multi-class-classification", "multi-label-classification"]
    assert meta["annotations_creators"] == ["expert-generated"]
    assert meta["pretty_name"].startswith("newscorpus")
    assert [c["config_name"] for c in meta["configs"]] == list(CONFIGS)
    assert meta["configs"][0] == {
        "config_name": "articles",
        "default": True,
        "data_files": [
            {"split": "train", "path": "articles/train-00000-of-00001.parquet"},
            {"split": "validation", "path": "articles/validation-00000-of-00001.parquet"},
        ],
    }
    assert [c.get("default", False) for c in meta["configs"]] == [True, False, False, False, False]


def test_dataset_info_features_round_trip(cards):
    meta, _ = _split(cards[0]["public"])
    scheme = default_scheme()
    assert [i["config_name"] for i in meta["dataset_info"]] == list(CONFIGS)
    for info in meta["dataset_info"]:
        assert Features._from_yaml_list(info["features"]) == config_features(info["config_name"], scheme)
        assert sum(s["num_examples"] for s in info["splits"]) == {
            "articles": 2, "sentences": 17, "ner": 17, "quotes": 3, "annotations": 3
        }[info["config_name"]]
        assert info["download_size"] > 0 and info["dataset_size"] > 0
    labels = meta["dataset_info"][0]["features"][11]
    assert labels["name"] == "spans"
    assert labels["list"][2] == {"name": "label", "dtype": {"class_label": {"names": {str(i): n for i, n in enumerate(scheme.span_labels)}}}}


def test_no_placeholders_and_same_metadata_both_builds(cards):
    for card in cards[0].values():
        assert not PLACEHOLDERS.search(card), PLACEHOLDERS.search(card).group(0)


def test_body_sections_and_counts(cards):
    _, body = _split(cards[0]["public"])
    headings = re.findall(r"^(#{2,3}) (.+)$", body, re.MULTILINE)
    assert [h for level, h in headings if level == "##"] == [
        "Dataset Description", "Uses", "Dataset Structure", "Dataset Creation", "Considerations for Using the Data", "Additional Information",
    ]
    for section in ("Dataset Summary", "Supported Tasks and Leaderboards", "Languages", "Data Instances", "Data Fields",
                    "Data Splits", "Label definitions and counts", "Curation Rationale", "Source Data", "Annotations",
                    "Personal and Sensitive Information", "Other Known Limitations", "Licensing Information",
                    "Re-attaching withheld text", "Citation Information", "Dataset Sources", "Direct Use",
                    "Out-of-Scope Use", "Dataset Card Authors", "Dataset Card Contact"):
        assert section in [h for _, h in headings], section
    assert "This release holds\n2 articles, 17 sentences and 19 gold spans;" in body
    assert "| `PERSON` | People, including fictional; not titles or roles. | 3 |" in body
    assert "| `GPE` | Geo-political entities - countries, cities, states. | 5 |" in body
    assert "| `QUOTE` | The quoted words of a direct quotation, without the quotation marks. | 3 |" in body
    assert "| `SPEAKER` | From a QUOTE span to the mention of its speaker (an entity span, or a SOURCE span). | 3 |" in body
    assert "| `CURRENT_CONTEXT` | General context or circumstances, ongoing at the time, that help understand the main event. | 12 |" in body
    assert "| `reporting` | The article reports events and facts, attributing opinions to their sources. | 1 |" in body
    assert "| `articles` | 1 | 1 | – |" in body and "| `quotes` | 1 | 2 | – |" in body
    assert "1 of 2 articles has submitted annotations by two or more annotators; 2 have at least one." in body


def test_licensing_per_article(cards):
    (local, public), records = (cards[0]["local"], cards[0]["public"]), cards[1]
    row = f"| `{SEED_ID}` | China's foreign minister makes rare visit to Myanmar border | Associated Press | `LicenseRef-AP-copyright` | no |"
    assert f"{row} no (withheld) |" in public
    assert f"{row} yes |" in local
    assert "| `synthetic_unicode` | Zoë in 東京 🎉 | newscorpus tests | `CC-BY-4.0` | yes | yes |" in public
    seed = next(r for r in records if r.id == SEED_ID)
    assert seed.text[:60] not in public
    assert f'"text_sha256": "{seed.text_sha256}"' in public
    assert 'split="validation"' in public


def test_agreement_section_counts_distinct_submitters(cards):
    records = cards[1]
    assert agreement_section(card_stats(records)) == ("1 of 2 articles has submitted annotations by two or more annotators; 2 have at least one."
                                          " Agreement figures were not computed for this build (`newscorpus agreement`).")
    single = [r for r in records if r.id == SEED_ID]
    text = agreement_section(card_stats(single))
    assert text.startswith("0 of 1 article have submitted annotations by two or more annotators; 1 has at least one.")
    assert "no agreement figure can be computed" in text


def test_size_categories():
    assert [size_category(n) for n in (0, 999, 1000, 54_321, 2_000_000)] == ["n<1K", "n<1K", "1K<n<10K", "10K<n<100K", "1M<n<10M"]


def test_the_summary_of_the_plain_record_is_the_models(tmp_path):
    """The build summarises each record from its plain dicts: what the model gives."""
    records = varied_records(tmp_path)
    for record, data in zip(records, record_datas(records, tmp_path)):
        assert article_summary(plain_record(data)) == model_summary(record), record.id


# ---------------------------------------------------------------- values from sidecars stay text

HOSTILE = {
    "title": "## Fake Licensing section\n<img src=x onerror=alert(1)>\n\n# Take over",
    "publisher": "**Evil** | [Press](https://evil.example) <script>alert(1)</script> &lt;b&gt; _x_ `y`\n- item",
    "url": "https://evil.example/a_b*c*`d`|e?x=<b>",
    "published": "2023-05-02",
    "language": "en-GB",
    "license": "LicenseRef-x.y",
    "redistributable": True,
}


def _rendered(card: str) -> list:
    """The card body as markdown-it-py parses it (CommonMark with GFM tables and strikethrough)."""
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark").enable(["table", "strikethrough"]).parse(_split(card)[1])


def _headings(tokens: list) -> list[tuple[str, str]]:
    return [(t.tag, tokens[i + 1].content) for i, t in enumerate(tokens) if t.type == "heading_open"]


def _inline_types(tokens: list) -> set[str]:
    return {c.type for t in tokens if t.type == "inline" for c in t.children or ()}


def test_values_from_a_sidecar_can_only_be_text(tmp_path):
    """A title, publisher and URL holding Markdown, HTML and newlines change no heading,
    add no HTML, link, image, emphasis or table cell: the card is the one of a plain title."""
    from newscorpus.ingest.run import ingest_seed
    from newscorpus.records.io import write_record
    from tests.support import SMALL_TEXT, write_seed

    cards = {}
    for name, meta in (("plain", {**HOSTILE, "title": "A title", "publisher": "A publisher", "url": None}), ("hostile", HOSTILE)):
        record = ingest_seed(write_seed(tmp_path / name / "seeds", "small", SMALL_TEXT, meta))
        write_record(record, tmp_path / name / "annotations", default_scheme())
        build_dataset(annotations_dir=tmp_path / name / "annotations", out=tmp_path / name / "out")
        cards[name] = (tmp_path / name / "out" / "README.md").read_text(encoding="utf-8")
    plain, hostile = _rendered(cards["plain"]), _rendered(cards["hostile"])
    assert _headings(hostile) == _headings(plain)
    assert ("h2", "Fake Licensing section") not in _headings(hostile) and ("h1", "Take over") not in _headings(hostile)
    assert [t.type for t in hostile] == [t.type for t in plain]  # the same blocks: no new list, quote, HTML block, row
    assert _inline_types(hostile) == _inline_types(plain)
    assert not {"html_inline", "image", "link_open", "em_open", "strong_open", "s_open"} & _inline_types(hostile)
    row = next(line for line in _split(cards["hostile"])[1].splitlines() if line.startswith("| `small` |"))
    assert row == ("| `small` | \\#\\# Fake Licensing section &lt;img src=x onerror=alert(1)&gt; \\# Take over | "
                   "\\*\\*Evil\\*\\* \\| \\[Press\\](https://evil.example) &lt;script&gt;alert(1)&lt;/script&gt; "
                   "&amp;lt;b&amp;gt; \\_x\\_ \\`y\\` - item | `LicenseRef-x.y` | yes | yes |")
    from markdown_it import MarkdownIt

    html = MarkdownIt("commonmark").enable(["table", "strikethrough"]).render(_split(cards["hostile"])[1])
    assert "<td>## Fake Licensing section &lt;img src=x onerror=alert(1)&gt; # Take over</td>" in html  # as the reader sees it
    assert ("<td>**Evil** | [Press](https://evil.example) &lt;script&gt;alert(1)&lt;/script&gt; &amp;lt;b&amp;gt; _x_ `y` - item</td>"
            in html)
    assert "<img" not in html and "<script" not in html


def test_the_card_speaks_of_one_article_and_one_date(tmp_path):
    """'1 of 1 article has', a single date when the first and last are the same."""
    ann, _ = write_fixture(tmp_path, synthetic=False)
    build_dataset(annotations_dir=ann, out=tmp_path / "out")
    card = (tmp_path / "out" / "README.md").read_text(encoding="utf-8")
    assert "1 of 1 article has decided gold." in card
    assert "1 of 1 article has gold decided by a single annotator" in card
    assert "published on 2023-05-02:" in card and "between 2023-05-02 and 2023-05-02" not in card
    assert "articles have" not in card and "1 articles" not in card


def test_markdown_text_and_code_render_as_the_value(tmp_path):
    """Seeded random values made of Markdown and HTML specials, letters, spaces and line
    breaks render (markdown-it-py, CommonMark with GFM tables) as exactly their characters,
    in a paragraph and in a table cell, as text and as code."""
    import random

    from markdown_it import MarkdownIt

    from newscorpus.dataset.card import markdown

    md = MarkdownIt("commonmark").enable(["table", "strikethrough"])
    alphabet = list("\\`*_[]{}()#+-.!|~<>&=:;\"' aZ9é東🎉\u0301") + ["\n", "\r\n", "\u2028", "  ", "&amp;", "<b>", "**", "__", "```", "1. ", "- ", "> ", "# ", "\t", "2)", "+ ", "---", "===", "\\*"]
    rng = random.Random(7)

    def shown(value: str) -> str:  # what markdown-it gives for those characters as text
        return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")

    for _ in range(1500):
        value = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 12)))
        flat = re.sub("[\r\n\u2028]+", " ", value)  # a run of line breaks is one space
        want = flat.strip()
        if not want.strip():
            continue
        assert md.render(f"x {markdown.text(value)} y") == f"<p>x {shown(want)} y</p>\n", repr(value)
        assert md.render(f"{markdown.text(value)}\n") == f"<p>{shown(want)}</p>\n", repr(value)  # at the start of a line
        table = md.render(f"| a | b |\n|---|---|\n| {markdown.text(value)} | {markdown.code(value, in_table=True)} |")
        cells = table.split("<tbody>\n<tr>\n")[1].split("</tr>")[0]
        code = flat if not (flat.startswith(" ") and flat.endswith(" ") and flat.strip()) else flat[1:-1]
        assert cells == f"<td>{shown(want)}</td>\n<td><code>{shown(code)}</code></td>\n", repr(value)
        assert md.render(f"x {markdown.code(value)} y") == f"<p>x <code>{shown(code)}</code> y</p>\n", repr(value)

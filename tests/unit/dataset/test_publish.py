"""Publish: only the Hub calls (HfApi.create_repo / upload_folder) are replaced."""

from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner
from huggingface_hub import HfApi

from tests.support.dataset import SEED_ID, write_fixture
from newscorpus.dataset.build import build_dataset
from newscorpus.cli import cli
from newscorpus.errors import PublishError
from newscorpus.dataset.publish import plan_publish, publish_dataset

FILES = [
    "README.md",
    "annotations/train-00000-of-00001.parquet",
    "annotations/validation-00000-of-00001.parquet",
    "articles/train-00000-of-00001.parquet",
    "articles/validation-00000-of-00001.parquet",
    "ner/train-00000-of-00001.parquet",
    "ner/validation-00000-of-00001.parquet",
    "quotes/train-00000-of-00001.parquet",
    "quotes/validation-00000-of-00001.parquet",
    "sentences/train-00000-of-00001.parquet",
    "sentences/validation-00000-of-00001.parquet",
]


@pytest.fixture
def hub(monkeypatch):
    """Records the Hub calls and what the upload would contain (files and their bytes)."""
    calls: list = []

    def create_repo(self, repo_id, **kwargs):
        calls.append(("create_repo", repo_id, kwargs))
        return f"https://huggingface.co/datasets/{repo_id}"

    def upload_folder(self, **kwargs):
        folder = Path(kwargs["folder_path"])
        uploaded = {rel: (folder / rel).read_bytes() for rel in kwargs["allow_patterns"]}
        calls.append(("upload_folder", kwargs, uploaded, self.token))
        return "https://huggingface.co/datasets/me/news/commit/abc"

    monkeypatch.setattr(HfApi, "create_repo", create_repo)
    monkeypatch.setattr(HfApi, "upload_folder", upload_folder)
    return calls


@pytest.fixture(scope="module")
def folders(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("publish")
    ann, records = write_fixture(tmp)
    build_dataset(annotations_dir=ann, out=tmp / "local")
    build_dataset(annotations_dir=ann, out=tmp / "public", public=True)
    (tmp / "public" / ".gitattributes").write_text("*.parquet filter=lfs\n", encoding="utf-8")
    seed = next(r for r in records if r.id == SEED_ID)
    return tmp, seed


def test_public_folder_is_pushed_exactly_without_seed_text(folders, hub, monkeypatch):
    tmp, seed = folders
    monkeypatch.setenv("HF_TOKEN", "hf_secret_token")
    result = publish_dataset("me/news", directory=tmp / "public", private=True)
    assert result.commit_url == "https://huggingface.co/datasets/me/news/commit/abc"
    assert [c[0] for c in hub] == ["create_repo", "upload_folder"]
    assert hub[0][1:] == ("me/news", {"repo_type": "dataset", "private": True, "exist_ok": True})
    _, kwargs, uploaded, token = hub[1]
    assert token == "hf_secret_token"
    assert kwargs["repo_type"] == "dataset" and kwargs["repo_id"] == "me/news"
    assert kwargs["allow_patterns"] == FILES  # .gitattributes and anything else stays home
    assert kwargs["delete_patterns"] == ["*.parquet"]
    assert sorted(uploaded) == FILES
    card = uploaded["README.md"].decode("utf-8")
    assert card == (tmp / "public" / "README.md").read_text(encoding="utf-8")
    assert "license:\n- cc-by-4.0\n- other\n" in card and "no (withheld)" in card
    for rel in FILES:
        data = uploaded[rel]
        assert seed.text[:50].encode() not in data
        if rel.endswith(".parquet"):
            rows = pq.read_table(tmp / "public" / rel).to_pylist()
            assert not any(isinstance(v, str) and "Qin Gang" in v for v in _leaves(rows)), rel


def _leaves(value):
    if isinstance(value, dict):
        for v in value.values():
            yield from _leaves(v)
    elif isinstance(value, list):
        for v in value:
            yield from _leaves(v)
    else:
        yield value


def test_local_folder_with_restricted_text_is_refused(folders, hub, monkeypatch):
    tmp, _ = folders
    monkeypatch.setenv("HF_TOKEN", "hf_secret_token")
    with pytest.raises(PublishError) as err:
        publish_dataset("me/news", directory=tmp / "local")
    assert err.value.code == "restricted-text"
    assert SEED_ID in str(err.value) and "--public" in str(err.value)
    assert hub == []


def test_explicit_flag_pushes_restricted_text(folders, hub, monkeypatch):
    tmp, seed = folders
    monkeypatch.setenv("HF_TOKEN", "hf_secret_token")
    publish_dataset("me/news", directory=tmp / "local", include_restricted_text=True)
    uploaded = hub[1][2]
    rows = pq.read_table(tmp / "local" / "articles" / "validation-00000-of-00001.parquet").to_pylist()
    assert rows[0]["text"] == seed.text and sorted(uploaded) == FILES


def test_dry_run_lists_files_without_token_or_network(folders, hub, monkeypatch):
    tmp, _ = folders
    monkeypatch.delenv("HF_TOKEN", raising=False)
    res = CliRunner().invoke(cli, ["publish", "me/news", "--dir", str(tmp / "public"), "--dry-run"])
    assert res.exit_code == 0, res.output
    lines = res.stdout.splitlines()
    assert lines[0] == "would push 11 file(s) to dataset me/news:"
    assert [line.split()[0] for line in lines[1:12]] == FILES
    sizes = dict(plan_publish(tmp / "public").files)
    assert lines[1] == f"  README.md  {sizes['README.md']} bytes"
    assert lines[12:] == [  # per article (in file order: train, then validation), whether its text goes up and why
        "article texts (1 of 2 included):",
        "  synthetic_unicode  included: licence CC-BY-4.0 allows redistribution",
        f"  {SEED_ID}  withheld: licence LicenseRef-AP-copyright does not allow redistribution (build --public)",
    ]
    assert hub == []


def test_dry_run_of_a_local_folder_names_the_restricted_text_it_would_push(folders, hub, monkeypatch):
    tmp, _ = folders
    monkeypatch.delenv("HF_TOKEN", raising=False)
    res = CliRunner().invoke(cli, ["publish", "me/news", "--dir", str(tmp / "local"), "--dry-run", "--include-restricted-text"])
    assert res.exit_code == 0, res.output
    assert res.stdout.splitlines()[12:] == [
        "article texts (2 of 2 included):",
        "  synthetic_unicode  included: licence CC-BY-4.0 allows redistribution",
        f"  {SEED_ID}  included although licence LicenseRef-AP-copyright does not allow redistribution "
        "(a local build, or --include-restricted-text)",
    ]
    res = CliRunner().invoke(cli, ["publish", "me/news", "--dir", str(tmp / "local"), "--dry-run"])
    assert res.exit_code == 1 and "restricted-text" not in res.stdout and SEED_ID in res.stderr
    assert hub == []


def test_the_published_guidelines_go_up_with_the_card(tmp_path, hub, monkeypatch):
    from newscorpus.dataset.card.about import CardInfo
    from tests.support.dataset import REPO

    ann, _ = write_fixture(tmp_path, synthetic=False)
    build_dataset(annotations_dir=ann, out=tmp_path / "out", public=True, card=CardInfo(guidelines=REPO / "docs" / "guidelines.md"))
    assert (tmp_path / "out" / "guidelines.md").read_bytes() == (REPO / "docs" / "guidelines.md").read_bytes()
    monkeypatch.setenv("HF_TOKEN", "hf_secret_token")
    publish_dataset("me/news", directory=tmp_path / "out")
    assert sorted(hub[1][2]) == ["README.md", "annotations/validation-00000-of-00001.parquet",
                                 "articles/validation-00000-of-00001.parquet", "guidelines.md",
                                 "ner/validation-00000-of-00001.parquet", "quotes/validation-00000-of-00001.parquet",
                                 "sentences/validation-00000-of-00001.parquet"]


def test_missing_token_and_bad_repo(folders, hub, monkeypatch):
    tmp, _ = folders
    monkeypatch.delenv("HF_TOKEN", raising=False)
    with pytest.raises(PublishError) as err:
        publish_dataset("me/news", directory=tmp / "public")
    assert err.value.code == "no-token"
    for bad in ("news", "me/bad name", "../x/y"):
        with pytest.raises(PublishError) as err:
            publish_dataset(bad, directory=tmp / "public", dry_run=True)
        assert err.value.code == "bad-repo-id"
    with pytest.raises(PublishError) as err:
        publish_dataset("me/news", directory=tmp / "nowhere", dry_run=True)
    assert err.value.code == "no-dataset"
    assert hub == []


def test_hub_error_never_shows_the_token(folders, monkeypatch):
    tmp, _ = folders
    monkeypatch.setenv("HF_TOKEN", "hf_secret_token")

    def create_repo(self, repo_id, **kwargs):
        raise OSError("401 Unauthorized for token hf_secret_token")

    monkeypatch.setattr(HfApi, "create_repo", create_repo)
    res = CliRunner().invoke(cli, ["publish", "me/news", "--dir", str(tmp / "public")])
    assert res.exit_code == 1
    assert res.stderr == "error: the Hub refused the upload: OSError: 401 Unauthorized for token ***\n"
    assert "hf_secret_token" not in res.output

"""The `ls` commands' options: --url, --project and --overlap default from [labelstudio] of
newscorpus.toml; without any URL the command stops with a usage error."""

from __future__ import annotations

from click.testing import CliRunner

from newscorpus.cli import cli


def test_url_from_the_configuration_and_none_at_all(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("LABEL_STUDIO_URL", raising=False)
    monkeypatch.setenv("LABEL_STUDIO_API_KEY", "some-key")
    (tmp_path / "annotations").mkdir()
    runner = CliRunner()
    result = runner.invoke(cli, ["ls", "pull"])
    assert result.exit_code == 2
    assert "give --url, set LABEL_STUDIO_URL, or set [labelstudio] url in newscorpus.toml" in result.stderr

    (tmp_path / "newscorpus.toml").write_text('[labelstudio]\nurl = "http://127.0.0.1:9"\nproject = "news"\n', encoding="utf-8")
    result = runner.invoke(cli, ["ls", "pull"])
    assert result.exit_code == 1
    assert result.stderr.startswith("error: http://127.0.0.1:9: connect: cannot reach Label Studio")

    result = runner.invoke(cli, ["ls", "push", "--overlap", "0"])
    assert result.exit_code == 2 and "0 is not in the range x>=1" in result.stderr

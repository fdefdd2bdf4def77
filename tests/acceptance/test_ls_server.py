"""scripts/ls_server.py without starting a server: what it refuses, and the environment it gives."""

from __future__ import annotations

import socket
import subprocess

import pytest

from tests.support import ls_server_module as _ls_server_module

ls_server = _ls_server_module()


def test_stop_refuses_a_process_that_is_not_label_studio():
    proc = subprocess.Popen(["sleep", "30"])
    try:
        with pytest.raises(ls_server.ServerError, match=rf"process {proc.pid} is not a Label Studio server"):
            ls_server.stop(proc.pid)
        assert proc.poll() is None  # not signalled
    finally:
        proc.kill()
        proc.wait()
    assert ls_server.stop(proc.pid) is False  # gone: nothing to stop


def test_a_taken_port_is_refused_before_anything_starts(tmp_path):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        port = sock.getsockname()[1]
        with pytest.raises(ls_server.ServerError, match=rf"port {port} on 127.0.0.1 is taken"):
            ls_server.start(data_dir=tmp_path / "ls", port=port)
    assert not (tmp_path / "ls" / "label-studio.log").exists()


def test_a_restart_needs_the_password(tmp_path):
    (tmp_path / "label_studio.sqlite3").write_bytes(b"")
    with pytest.raises(ls_server.ServerError, match="already holds a Label Studio database: give the admin's password"):
        ls_server.start(data_dir=tmp_path)


def test_server_environment_drops_what_label_studio_would_read(tmp_path, monkeypatch):
    for name in ("HOST", "PORT", "USERNAME", "PASSWORD", "LABEL_STUDIO_HOST", "HEARTEX_PORT", "LABEL_STUDIO_USER_TOKEN"):
        monkeypatch.setenv(name, "from-the-caller")
    env = ls_server._server_env(tmp_path, "pw", None)
    assert [n for n in env if env[n] == "from-the-caller"] == []
    assert (env["LABEL_STUDIO_LATEST_VERSION_CHECK"], env["LABEL_STUDIO_COLLECT_ANALYTICS"]) == ("false", "false")
    assert (env["LABEL_STUDIO_SENTRY_DSN"], env["LABEL_STUDIO_FRONTEND_SENTRY_DSN"]) == ("", "")
    assert (env["LABEL_STUDIO_PASSWORD"], env["LABEL_STUDIO_BASE_DATA_DIR"]) == ("pw", str(tmp_path))
    assert "LABEL_STUDIO_USER_TOKEN" not in env

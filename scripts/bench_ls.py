"""The benchmark's Label Studio stages (``scripts/bench.py --with-label-studio``).

A real local Label Studio (``scripts/ls_server.py``, from ``$NEWSCORPUS_LS_VENV`` or
``.venv-ls``) is started once by the bench's parent process; each stage runs in a child
process and finds the server through ``BENCH_LS_URL`` and ``BENCH_LS_TOKEN`` (a legacy
token, also given to our commands as ``LABEL_STUDIO_API_KEY``). Stages, in order:

    ref-ls-import   POST the tasks file of the ``tasks`` stage to a fresh project's import
                    API in one request (what Label Studio itself does with the file)
    ls-push         ``newscorpus ls push`` of the same records to another project
    ref-ls-export   Label Studio's own export call on the pushed project (snapshot, wait,
                    download), then our import of the downloaded file, timed apart
    ls-pull         ``newscorpus ls pull`` of the pushed project (export and import)
"""

from __future__ import annotations

import json
import os
import tempfile
import time
import urllib.request
from pathlib import Path

__all__ = ["STAGES", "start_server", "run"]

STAGES = ["ref-ls-import", "ls-push", "ref-ls-export", "ls-pull"]
_REF_PROJECT, _PROJECT = "bench-reference", "bench"


def start_server(root: Path):
    """Start Label Studio with its data in ``root/ls-data``; returns the server (``.stop()``)
    and sets ``BENCH_LS_URL`` / ``BENCH_LS_TOKEN`` for the stage processes."""
    import ls_server

    server = ls_server.start(data_dir=root / "ls-data")
    os.environ["BENCH_LS_URL"] = server.url
    os.environ["BENCH_LS_TOKEN"] = server.legacy_token or ""
    return server


def _api(method: str, path: str, body: bytes | None = None, *, timeout: float = 3600.0) -> object:
    request = urllib.request.Request(os.environ["BENCH_LS_URL"].rstrip("/") + path, data=body, method=method,
                                     headers={"Authorization": f"Token {os.environ['BENCH_LS_TOKEN']}",
                                              "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=timeout) as resp:
        raw = resp.read()
    return json.loads(raw) if raw else None


def _project_id(title: str) -> int:
    listing = _api("GET", f"/api/projects?title={urllib.request.quote(title)}&page_size=100")
    items = listing["results"] if isinstance(listing, dict) else listing
    return next(p["id"] for p in items if p["title"] == title)


def run(name: str, root: Path, n: int) -> dict:
    """Run the Label Studio stage ``name`` in this process: ``{units, bytes, ...}``."""
    os.environ["LABEL_STUDIO_API_KEY"] = os.environ["BENCH_LS_TOKEN"]
    url = os.environ["BENCH_LS_URL"]
    ann, tasks = root / "annotations", root / "ls" / "tasks.json"
    if name == "ref-ls-import":
        from newscorpus.labelstudio.tasks import default_model_version, label_config

        body = json.dumps({"title": _REF_PROJECT, "label_config": label_config(), "model_version": default_model_version()})
        project = _api("POST", "/api/projects", body.encode("utf-8"))
        data = tasks.read_bytes()
        answer = _api("POST", f"/api/projects/{project['id']}/import?commit_to_project=true", data)
        assert answer["task_count"] == n, answer
        return {"units": n, "bytes": len(data)}
    if name == "ls-push":
        from newscorpus.labelstudio.server import push

        report = push(url=url, annotations_dir=ann, project=_PROJECT)
        assert report.imported == n, report
        return {"units": n, "bytes": tasks.stat().st_size}
    if name == "ref-ls-export":
        from newscorpus.importers.run import import_export
        from newscorpus.labelstudio.export import EXPORT_OPTIONS

        pid = _project_id(_PROJECT)
        t0 = time.perf_counter()
        snap = _api("POST", f"/api/projects/{pid}/exports", json.dumps({"title": "bench", **EXPORT_OPTIONS}).encode("utf-8"))
        while snap["status"] != "completed":
            assert snap["status"] != "failed", snap
            time.sleep(0.5)
            snap = _api("GET", f"/api/projects/{pid}/exports/{snap['id']}")
        with tempfile.TemporaryDirectory(dir=root) as tmp:
            export = Path(tmp) / "export.json"
            request = urllib.request.Request(f"{url.rstrip('/')}/api/projects/{pid}/exports/{snap['id']}/download?exportType=JSON",
                                             headers={"Authorization": f"Token {os.environ['BENCH_LS_TOKEN']}"})
            with urllib.request.urlopen(request, timeout=3600) as resp, open(export, "wb") as fh:
                while chunk := resp.read(1 << 16):
                    fh.write(chunk)
            _api("DELETE", f"/api/projects/{pid}/exports/{snap['id']}")
            exported = time.perf_counter() - t0
            size = export.stat().st_size
            report = import_export(export, annotations_dir=ann)
            assert report.tasks == n, report.tasks
        return {"units": n, "bytes": size, "export_seconds": exported, "import_seconds": time.perf_counter() - t0 - exported}
    if name == "ls-pull":
        from newscorpus.labelstudio.server import pull

        report = pull(url=url, annotations_dir=ann, project=_PROJECT)
        assert report.imported.tasks == n, report.imported.tasks
        return {"units": n, "bytes": report.export_bytes}
    raise SystemExit(f"unknown Label Studio stage {name}")

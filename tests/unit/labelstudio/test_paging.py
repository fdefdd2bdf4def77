"""Every loop over a Label Studio server's answers is bounded: a server that ignores
``page`` makes ``ls pull`` fail at once with a one-line error instead of looping."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import SimpleNamespace

import pytest

from newscorpus.errors import LabelStudioError
from newscorpus.labelstudio.paging import bounded_chunks, bounded_pages
from newscorpus.labelstudio.server import pull


class _IgnoresPage(BaseHTTPRequestHandler):
    """Answers every list request with the same full first page."""

    requests: list[str] = []

    def do_GET(self):  # noqa: N802 - the http.server name
        type(self).requests.append(self.path)
        if self.path.startswith("/api/current-user/whoami"):
            body = {"id": 1, "username": "annotator", "email": "a@example.org"}
        elif self.path.startswith("/api/projects"):
            body = {"count": 10**9, "next": f"http://{self.headers['Host']}/api/projects/?page=2", "previous": None,
                    "results": [{"id": k, "title": f"project {k}"} for k in range(1, 1001)]}
        else:
            self.send_error(404)
            return
        data = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _IgnoresPage)
    _IgnoresPage.requests = []
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_pull_from_a_server_that_ignores_page_fails_fast(server, small_corpus):
    start = time.monotonic()
    with pytest.raises(LabelStudioError) as err:
        pull(url=server, annotations_dir=small_corpus, project="newscorpus", api_key="not-a-real-token")
    assert time.monotonic() - start < 20
    assert err.value.code == "paging-loop"
    assert str(err.value).startswith(f"{server}: listing projects: page 2 repeats id 1 of an earlier page: the server ignores `page`; stopped")
    assert len([r for r in _IgnoresPage.requests if r.startswith("/api/projects")]) == 2


def _pager(pages):
    return SimpleNamespace(iter_pages=lambda: iter(SimpleNamespace(items=items) for items in pages))


def _endless():
    k = 0
    while True:
        yield [SimpleNamespace(id=k + i) for i in range(10)]
        k += 10


def test_a_server_that_pages_forever_stops_at_the_page_cap_or_the_timeout():
    assert [x.id for x in bounded_pages(_pager([[SimpleNamespace(id=1)], [SimpleNamespace(id=2)]]), what="tasks", url="u")] == [1, 2]
    with pytest.raises(LabelStudioError) as err:
        for _ in bounded_pages(_pager(_endless()), what="tasks", url="http://x", max_pages=50):
            pass
    assert (err.value.code, err.value.message) == ("too-many-pages", "http://x: listing tasks: more than 50 pages; stopped")

    def slow():
        for page in _endless():
            time.sleep(0.01)
            yield page

    with pytest.raises(LabelStudioError) as err:
        for _ in bounded_pages(_pager(slow()), what="tasks", url="http://x", timeout=0.2):
            pass
    assert err.value.code == "list-timeout"


def test_a_download_has_an_overall_timeout():
    def chunks():
        while True:
            time.sleep(0.01)
            yield b"x"

    with pytest.raises(LabelStudioError) as err:
        for _ in bounded_chunks(chunks(), what="export download", url="http://x", timeout=0.2):
            pass
    assert err.value.code == "download-timeout"


def test_a_404_for_the_next_page_ends_the_listing_as_the_sdk_does():
    class NotFound(Exception):
        status_code = 404

    def pages():
        yield [SimpleNamespace(id=1)]
        raise NotFound

    assert [x.id for x in bounded_pages(_pager(pages()), what="tasks", url="u")] == [1]

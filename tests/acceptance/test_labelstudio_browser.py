"""A person labels the seed in a real browser: headless Debian Chromium driven by playwright.

Log in through the form, open the seed's task in the labeling view, see the 14 sentence
regions of the predictions, pick the GPE label, double-click the first "Myanmar" with the
mouse, Submit; then ``pull`` and find that span in the record at code points [51, 58).
The browser may talk to 127.0.0.1 only: its resolver maps every other host name to nothing,
and a request to any other host fails the test.
A screenshot of the labeling page goes to ``dist/screenshots/labeling.png``.
"""

from __future__ import annotations

import contextlib
import shutil
from urllib.parse import urlsplit

import pytest

from newscorpus.core.models import SentenceLabel
from newscorpus.core.scheme import default_scheme
from newscorpus.labelstudio import server as labelstudio
from newscorpus.ingest.run import ingest_all
from newscorpus.records.io import read_record

from tests.support import REPO, SEED

pytestmark = [pytest.mark.server, pytest.mark.browser]

ARTICLE = "000_ba712161f3bc6069"
SCREENSHOT = REPO / "dist" / "screenshots" / "labeling.png"
CHROMIUM_ARGS = [
    "--no-sandbox",  # as root (CI)
    "--disable-background-networking",
    "--disable-component-update",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",  # nothing but the local server
]
SENTENCE_REGIONS = ".htx-highlight[data-label$=':SENTENCE']"

# The on-screen box of the first occurrence of a word inside an element: layout is read,
# nothing is changed (the selection itself is made with the mouse).
_WORD_BOX = """(root, word) => {
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const at = node.data.indexOf(word);
    if (at >= 0) {
      const range = document.createRange();
      range.setStart(node, at);
      range.setEnd(node, at + word.length);
      const box = range.getBoundingClientRect();
      return {x: box.x, y: box.y, width: box.width, height: box.height};
    }
  }
  return null;
}"""


@contextlib.contextmanager
def _screenshot_on_failure(page):
    """Save what the page showed to ``dist/screenshots/failure.png`` when the block fails."""
    try:
        yield
    except BaseException:
        SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOT.with_name("failure.png")))
        raise


@pytest.fixture(scope="module")
def chromium() -> str:
    path = shutil.which("chromium")
    if path is None:
        pytest.fail("Debian's chromium is not installed: run 'make browser' (as root: apt-get install -y chromium)",
                    pytrace=False)
    return path


@contextlib.contextmanager
def _labeling_view(ls_server, chromium: str, project_id: int, task_id: int, outside: list[str]):
    """Headless Chromium logged in as the server's owner, on the labeling view of the task,
    its sentence regions drawn and the page settled. Yields the page; requests to any other
    host than 127.0.0.1 are appended to ``outside``."""
    from playwright.sync_api import sync_playwright

    def note_outside(request) -> None:
        # Observed, not intercepted: routing every request through Python slows the page
        # enough to expose a race in Label Studio's frontend (the task loads without its
        # predictions). The resolver rule above is what blocks other hosts.
        if not request.url.startswith(("data:", "blob:")) and urlsplit(request.url).hostname != "127.0.0.1":
            outside.append(request.url)

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, headless=True, args=CHROMIUM_ARGS)
        try:
            page = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
            page.set_default_timeout(120_000)
            page.on("request", note_outside)

            page.goto(f"{ls_server.url}/user/login/")
            page.fill("#email", ls_server.username)
            page.fill("#password", ls_server.password)
            page.click("button[type=submit]")
            page.wait_for_url(lambda u: "/user/login" not in u)

            page.goto(f"{ls_server.url}/projects/{project_id}/data?task={task_id}")
            with _screenshot_on_failure(page):
                page.locator(SENTENCE_REGIONS).first.wait_for()
                page.wait_for_load_state("networkidle")  # the labeling view has settled
                yield page
        finally:
            browser.close()


def _sentence_regions(page) -> list[tuple[int, int, int]]:
    """(index, start, end) of every sentence region on the page, from its highlight spans."""
    regions = page.locator(SENTENCE_REGIONS).evaluate_all(
        "els => els.map(e => [Number(e.dataset.index), Number(e.dataset.start), Number(e.dataset.end)])")
    return sorted({tuple(r) for r in regions})


def test_label_a_word_in_the_browser_and_pull_it(ls_server, chromium, tmp_path):
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    ann = tmp_path / "annotations"
    ingest_all(SEED, annotations_dir=ann)
    key = ls_server.legacy_token
    pushed = labelstudio.push(url=ls_server.url, annotations_dir=ann, project="browser", api_key=key)
    client = labelstudio.connect(url=ls_server.url, api_key=key)
    (task,) = list(client.tasks.list(project=pushed.project_id))

    outside: list[str] = []
    with _labeling_view(ls_server, chromium, pushed.project_id, task.id, outside) as page:
        record = read_record(ann / f"{ARTICLE}.json")
        assert _sentence_regions(page) == [(i + 1, s.start, s.end) for i, s in enumerate(record.sentences)]
        assert len(record.sentences) == 14

        made = page.locator(".htx-highlight[data-label$=':GPE']")
        gpe = page.locator(".lsf-label", has_text="GPE").first
        for _attempt in range(3):  # a busy machine can re-render the view under the mouse
            if "lsf-label_selected" not in (gpe.get_attribute("class") or ""):
                gpe.click()  # pick the label, then select the word
            box = page.locator(".htx-highlight[data-label='1:SENTENCE']").first.evaluate(_WORD_BOX, "Myanmar")
            assert box is not None
            page.mouse.dblclick(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
            try:
                made.first.wait_for(timeout=15_000)
                break
            except PlaywrightTimeout:
                page.keyboard.press("Escape")  # deselect whatever the click selected
                continue
        assert made.evaluate_all(
            "els => els.map(e => [Number(e.dataset.start), Number(e.dataset.end), e.textContent])") == [
            [51, 58, "Myanmar"]]
        made.first.click()  # select the new region: the side panel shows its label
        page.wait_for_timeout(500)
        SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOT))

        with page.expect_response(
            lambda r: r.request.method == "POST" and f"/api/tasks/{task.id}/annotations" in r.url
        ) as resp:
            page.get_by_role("button", name="Submit").click()
        assert resp.value.status == 201
    assert outside == []  # the labeling view called nothing but the local server

    report = labelstudio.pull(url=ls_server.url, annotations_dir=ann, project="browser", api_key=key)
    assert report.imported.annotations == {"submitted": 1, "cancelled": 0, "draft": 0}
    rec = read_record(ann / f"{ARTICLE}.json")
    (a,) = rec.annotations
    assert (a.annotator, a.status, a.origin.task) == (f"ls-{client.users.whoami().id}", "submitted", task.id)
    assert [(s.layer, s.label, s.start, s.end, s.text) for s in a.spans] == [("entity", "GPE", 51, 58, "Myanmar")]
    assert rec.text[51:58] == "Myanmar"
    assert (a.relations, a.sentence_labels, a.article_labels) == ([], [], {})
    assert rec.gold is not None and rec.gold.method == "single" and rec.gold.spans == a.spans
    assert SCREENSHOT.stat().st_size > 20_000


# The on-screen point just inside the start (side "start") or end of an element's text.
_EDGE = """(el, side) => {
  const range = document.createRange();
  range.selectNodeContents(el);
  const boxes = range.getClientRects();
  const box = side === "start" ? boxes[0] : boxes[boxes.length - 1];
  return side === "start" ? {x: box.left + 1, y: box.top + box.height / 2} : {x: box.right - 1, y: box.top + box.height / 2};
}"""


def test_sentence_regions_cannot_be_broken_in_the_browser(ls_server, chromium, tmp_path):
    """SENTENCE is not offered (no label, no hotkey, refused even when forced), and a
    selected sentence region survives dragging its edges and its body, Backspace, Delete
    and a click on another label; its discourse role can still be chosen. After Submit
    the annotation holds the 14 sentence regions at their offsets, read-only, and the pull
    imports them."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    ann = tmp_path / "annotations"
    ingest_all(SEED, annotations_dir=ann)
    record = read_record(ann / f"{ARTICLE}.json")
    expected = [(i + 1, s.start, s.end) for i, s in enumerate(record.sentences)]
    key = ls_server.legacy_token
    pushed = labelstudio.push(url=ls_server.url, annotations_dir=ann, project="browser-sentences", api_key=key)
    client = labelstudio.connect(url=ls_server.url, api_key=key)
    (task,) = list(client.tasks.list(project=pushed.project_id))
    scheme = default_scheme()
    span_labels = [label for layer in scheme.span_layers for label in layer.label_names]

    outside: list[str] = []
    with _labeling_view(ls_server, chromium, pushed.project_id, task.id, outside) as page:
        assert _sentence_regions(page) == expected
        # SENTENCE is not offered: the labels on screen are the span labels, each with its hotkey
        shown = page.locator(".lsf-label").evaluate_all(
            "els => els.filter(e => e.offsetParent !== null).map(e => e.firstChild.textContent)")
        assert shown == span_labels
        selected = ".lsf-label_selected"
        page.keyboard.press("x")  # SENTENCE's hotkey before
        assert [t for t in page.locator(selected).all_text_contents() if t.startswith("SENTENCE")] == []
        # even selected by force, it draws nothing: Label Studio refuses the new region
        page.locator(".lsf-label", has_text="SENTENCE").evaluate("e => e.click()")
        assert [t for t in page.locator(selected).all_text_contents() if t.startswith("SENTENCE")] != []
        box = page.locator(".htx-highlight[data-label='1:SENTENCE']").first.evaluate(_WORD_BOX, "Myanmar")
        page.mouse.dblclick(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        warning = page.get_by_text("You can't use SENTENCE more than -1 time(s)").first
        warning.wait_for()
        page.get_by_role("button", name="OK").click()
        assert _sentence_regions(page) == expected

        second = page.locator(".htx-highlight[data-label='2:SENTENCE']")
        first_span, last_span = second.first, second.last

        shown_selected = page.locator(".htx-highlight.__active[data-label='2:SENTENCE']").first  # the selected region

        def select_it() -> None:
            for _attempt in range(4):  # a click on the selected region unselects it
                if shown_selected.is_visible():
                    return
                point = first_span.evaluate(_WORD_BOX, "Foreign")
                assert point is not None, "the second sentence region is gone"
                page.mouse.click(point["x"] + point["width"] / 2, point["y"] + point["height"] / 2)
                try:
                    shown_selected.wait_for(timeout=5_000)
                except PlaywrightTimeout:
                    continue
            shown_selected.wait_for(timeout=1_000)

        def drag(start: dict, dx: float, dy: float = 0.0) -> None:
            page.mouse.move(start["x"], start["y"])
            page.mouse.down()
            page.mouse.move(start["x"] + dx / 2, start["y"] + dy / 2, steps=5)
            page.mouse.move(start["x"] + dx, start["y"] + dy, steps=5)
            page.mouse.up()
            page.wait_for_timeout(300)
            page.evaluate("() => window.getSelection().removeAllRanges()")  # the text the drag selected
            page.keyboard.press("Escape")

        select_it()
        drag(first_span.evaluate(_EDGE, "start"), 120)  # its start edge, inward
        select_it()
        drag(last_span.evaluate(_EDGE, "end"), -120)  # its end edge, inward
        select_it()
        drag(last_span.evaluate(_EDGE, "end"), 0, 40)  # its end edge, onto the next line
        select_it()
        body = first_span.evaluate(_WORD_BOX, "visit")
        drag({"x": body["x"] + 2, "y": body["y"] + body["height"] / 2}, 200, 20)  # its body
        for name in ("Backspace", "Delete"):
            select_it()
            page.keyboard.press(name)
            page.wait_for_timeout(300)
        select_it()
        page.locator(".lsf-label", has_text="GPE").first.click()  # another label, region selected
        page.wait_for_timeout(300)
        assert _sentence_regions(page) == expected
        assert page.locator(".htx-highlight[data-label$=':GPE']").count() == 0

        # the discourse role of the selected sentence can still be chosen
        select_it()
        role = page.locator(".ant-radio-wrapper", has_text="MAIN_EVENT").first
        role.scroll_into_view_if_needed()
        role.click()
        page.wait_for_timeout(300)
        with page.expect_response(
            lambda r: r.request.method == "POST" and f"/api/tasks/{task.id}/annotations" in r.url
        ) as resp:
            page.get_by_role("button", name="Submit").click()
        assert resp.value.status == 201
    assert outside == []

    (made,) = client.annotations.list(id=task.id)
    regions = [r for r in made.result if r.get("from_name") == "sentence"]
    assert [(r["id"], r["value"]["start"], r["value"]["end"], r["value"]["labels"], r.get("readonly")) for r in regions] == [
        (s.id, s.start, s.end, ["SENTENCE"], True) for s in record.sentences]
    report = labelstudio.pull(url=ls_server.url, annotations_dir=ann, project="browser-sentences", api_key=key)
    assert report.imported.annotations == {"submitted": 1, "cancelled": 0, "draft": 0} and report.imported.warnings == []
    rec = read_record(ann / f"{ARTICLE}.json")
    (a,) = rec.annotations
    assert (a.spans, a.relations, a.article_labels) == ([], [], {})
    assert a.sentence_labels == [SentenceLabel(sentence="s1", layer="discourse_role", label="MAIN_EVENT")]
    assert rec.sentences == record.sentences

"""Submit the seed's gold annotation (scripts/seed_gold.yaml) through a real Label Studio server.

The decisions are in the YAML file, mention by mention, each located in its sentence by
its words (and which occurrence of them in that sentence, as whole words). This script
turns them into Label Studio result items at exact code-point offsets, pushes the seed's
task, posts the result as an annotation with the annotator's API key (as the labeling
view would on Submit), pulls the export and imports it: the same path as any annotation.

    python scripts/annotate_seed.py --url http://127.0.0.1:8080   # LABEL_STUDIO_API_KEY set
    python scripts/annotate_seed.py --start-server                 # a throwaway local server
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
SPEC = REPO / "scripts" / "seed_gold.yaml"


def _find(text: str, start: int, end: int, words: str, occurrence: int) -> tuple[int, int]:
    """Offsets of the ``occurrence``-th whole-word match of ``words`` within ``text[start:end]``."""
    pattern = re.compile(r"(?<!\w)" + re.escape(words) + r"(?!\w)")
    matches = list(pattern.finditer(text, start, end))
    if occurrence >= len(matches):
        raise ValueError(f"{words!r} occurs {len(matches)} time(s) in [{start}, {end}), not {occurrence + 1}")
    return matches[occurrence].start(), matches[occurrence].end()


def _mention(item) -> tuple[str, int]:
    if isinstance(item, str):
        return item, 0
    return item[0], (item[1] if len(item) > 1 else 0)


def build_result(record, spec: dict) -> list[dict]:
    """Label Studio result items for ``record`` from the gold ``spec`` (see seed_gold.yaml).

    Region ids are deterministic: ``<sentence>-e<k>`` for entities, ``<sentence>-src<k>``
    for sources, ``<sentence>-<quote id>`` for quotes; sentence regions keep sentence ids.
    Raises ValueError when a mention cannot be found in its sentence.
    """
    text = record.text
    sentences = {s.id: s for s in record.sentences}
    result: list[dict] = []

    def region(rid: str, control: str, start: int, end: int, label: str) -> None:
        result.append({"id": rid, "from_name": control, "to_name": "text", "type": "labels",
                       "value": {"start": start, "end": end, "text": text[start:end], "labels": [label]}})

    for sid, item in spec["sentences"].items():
        sent = sentences[sid]
        region(sid, "sentence", sent.start, sent.end, "SENTENCE")
        result.append({"id": sid, "from_name": "discourse_role", "to_name": "text", "type": "choices",
                       "value": {"start": sent.start, "end": sent.end, "text": text[sent.start:sent.end], "choices": [item["role"]]}})
        speakers: dict[tuple[str, int], str] = {}
        for k, entity in enumerate(item.get("entities", [])):
            label, words = entity[0], entity[1]
            occ = entity[2] if len(entity) > 2 else 0
            start, end = _find(text, sent.start, sent.end, words, occ)
            rid = f"{sid}-e{k}"
            region(rid, "entity", start, end, label)
            speakers.setdefault((words, occ), rid)
        for k, source in enumerate(item.get("sources", [])):
            words, occ = _mention(source)
            start, end = _find(text, sent.start, sent.end, words, occ)
            rid = f"{sid}-src{k}"
            region(rid, "attribution", start, end, "SOURCE")
            speakers[(words, occ)] = rid
        for quote in item.get("quotes", []):
            start, end = _find(text, sent.start, sent.end, quote["text"].rstrip(".,"), 0)
            # the quoted words run to the closing quotation mark (punctuation inside it included)
            while end < sent.end and text[end] in ".,":
                end += 1
            if text[start:end] != quote["text"]:
                raise ValueError(f"quote {quote['id']} is {text[start:end]!r}, not {quote['text']!r}")
            rid = f"{sid}-{quote['id']}"
            region(rid, "attribution", start, end, "QUOTE")
            speaker = speakers[_mention(quote["speaker"])]
            result.append({"type": "relation", "from_id": rid, "to_id": speaker, "direction": "right", "labels": ["SPEAKER"]})
    result.append({"id": "article-genre", "from_name": "genre", "to_name": "text", "type": "choices",
                   "value": {"choices": [spec["genre"]]}})
    result.append({"id": "article-frames", "from_name": "frames", "to_name": "text", "type": "choices",
                   "value": {"choices": list(spec["frames"])}})
    return result


def load_spec(path: Path = SPEC) -> dict:
    """The gold spec as a dict."""
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", help="Label Studio URL (API key in LABEL_STUDIO_API_KEY)")
    parser.add_argument("--start-server", action="store_true", help="start a throwaway local Label Studio")
    parser.add_argument("--annotations", type=Path, default=REPO / "annotations")
    parser.add_argument("--project", default="newscorpus seed gold")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(REPO / "scripts"))
    from newscorpus.records.io import read_record, record_path

    spec = load_spec()
    record = read_record(record_path(args.annotations, spec["article"]))
    result = build_result(record, spec)
    return _submit(args, record, result)


def _submit(args, record, result) -> int:
    from newscorpus.labelstudio import server as labelstudio
    from newscorpus.labelstudio.client import connect

    server = None
    if args.start_server:
        import tempfile

        import ls_server

        server = ls_server.start(data_dir=Path(tempfile.mkdtemp(prefix="newscorpus-ls-")))
        url, key = server.url, server.legacy_token
    else:
        url, key = args.url, os.environ["LABEL_STUDIO_API_KEY"]
    try:
        pushed = labelstudio.push(url=url, api_key=key, records=[record], project=args.project)
        client = connect(url=url, api_key=key)
        (task,) = [t for t in client.tasks.list(project=pushed.project_id, fields="all")
                   if (t.data or {}).get("article_id") == record.id]
        # no lead_time: the annotation is written from seed_gold.yaml by this script, so no
        # annotator time was measured (a figure that was not measured is not recorded)
        client.annotations.create(id=task.id, result=result)
        report = labelstudio.pull(url=url, api_key=key, project=args.project, annotations_dir=args.annotations)
        imported = report.imported
        print(f"imported {imported.tasks} task(s) {imported.annotations}; written: {[str(p) for p in imported.written]}")
        for warning in imported.warnings:
            print(f"warning: {warning}")
    finally:
        if server is not None:
            server.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

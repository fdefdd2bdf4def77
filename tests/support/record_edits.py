"""Seeded random edits of a record that keep its JSON Schema structure (types and required
keys) but may break any semantic rule: the inputs of the property tests that hold each
semantic check's fast pre-check to its exact loop."""

from __future__ import annotations

import random
from typing import Any

from newscorpus.core.scheme import Scheme


def _part(data: dict, rng: random.Random) -> dict:
    parts = list(data.get("annotations", []))
    if data.get("gold") is not None:
        parts.append(data["gold"])
    if not parts:
        data["annotations"] = [{"id": "x1", "annotator": "ls-1", "spans": [], "relations": [], "sentence_labels": [], "article_labels": {}}]
        parts = data["annotations"]
    return rng.choice(parts)


def _any_label(scheme: Scheme, rng: random.Random) -> str:
    names = [label for layer in scheme.layers for label in layer.label_names] + scheme.relation_labels
    return rng.choice([*names, "BOGUS"])


def _piece(text: str, start: float, end: float) -> str:
    return text[int(start) : int(end)]


def _shift(item: dict, key: str, rng: random.Random, size: int) -> None:
    item[key] = max(0, item[key] + rng.choice([-40, -3, -1, 1, 2, 5, 40, size]))


def _edit_span(part: dict, data: dict, rng: random.Random, scheme: Scheme) -> None:
    spans, text = part.setdefault("spans", []), data["text"]
    if not spans:
        start = rng.randrange(len(text))
        spans.append({"id": "n0", "layer": "entity", "label": "PERSON", "start": start, "end": start + 3, "text": text[start : start + 3]})
        return
    span = rng.choice(spans)
    what = rng.randrange(13)
    if what == 0:
        _shift(span, rng.choice(["start", "end"]), rng, len(text))
        if rng.random() < 0.6:
            span["text"] = _piece(text, span["start"], span["end"])
    elif what == 1:
        span["end"] = span["start"] - rng.choice([0, 1])
    elif what == 2:
        span[rng.choice(["start", "end"])] = float(span["start"])
    elif what == 3:
        span["text"] = rng.choice(["", " ", span["text"] + " ", span["text"][:-1], span["text"].upper()])
    elif what == 4:
        span["label"] = _any_label(scheme, rng)
    elif what == 5:
        span["layer"] = rng.choice([*(layer.name for layer in scheme.span_layers), "bogus"])
    elif what == 6:
        span["id"] = rng.choice(spans)["id"]
    elif what in (7, 8):
        start = max(0, min(len(text) - 1, span["start"] + rng.choice([-2, 0, 1, 3])))
        end = max(start + 1, min(len(text), span["end"] + rng.choice([-2, 0, 1, 3])))
        spans.insert(rng.randrange(len(spans) + 1), dict(span, id=f"n{rng.randrange(10**6)}", start=start, end=end, text=_piece(text, start, end)))
    elif what == 9:
        spans.remove(span)
    elif what == 10:
        span["end"] = min(len(text), span["end"] + 1)
        span["text"] = _piece(text, span["start"], span["end"])
    elif what == 11:
        rng.shuffle(spans)  # out of text order, overlapping no more than before
    else:
        span["end"] = len(text) + rng.choice([0, 1, 5])


def _edit_relation(part: dict, rng: random.Random, scheme: Scheme) -> None:
    relations, spans = part.setdefault("relations", []), part.get("spans", [])
    if not relations or rng.random() < 0.2:
        ids = [s["id"] for s in spans] or ["nope"]
        relations.append({"id": f"r{rng.randrange(10**6)}", "label": rng.choice([*scheme.relation_labels, "BOGUS"]),
                          "head": rng.choice(ids), "tail": rng.choice(ids)})
        return
    rel = rng.choice(relations)
    what = rng.randrange(4)
    if what == 0:
        rel[rng.choice(["head", "tail"])] = rng.choice([*(s["id"] for s in spans), "nope"])
    elif what == 1:
        rel["label"] = _any_label(scheme, rng)
    elif what == 2:
        relations.append(dict(rel))
    else:
        rel["head"], rel["tail"] = rel["tail"], rel["head"]


def _edit_labels(part: dict, data: dict, rng: random.Random, scheme: Scheme) -> None:
    items = part.setdefault("sentence_labels", [])
    if rng.random() < 0.5:
        sentence_ids = [s["id"] for s in data["sentences"]] + ["s999"]
        layers = [layer.name for layer in scheme.sentence_layers] + ["bogus"]
        item = rng.choice(items) if items else None
        what = rng.randrange(4)
        if item is None or what == 0:
            items.append({"sentence": rng.choice(sentence_ids), "layer": rng.choice(layers), "label": _any_label(scheme, rng)})
        elif what == 1:
            items.append(dict(item, label=_any_label(scheme, rng) if rng.random() < 0.5 else item["label"]))
        elif what == 2:
            item[rng.choice(["sentence", "layer", "label"])] = rng.choice([rng.choice(sentence_ids), rng.choice(layers), _any_label(scheme, rng)])
        else:
            items.remove(item)
        return
    labels = part.setdefault("article_labels", {})
    layer = rng.choice([*(layer.name for layer in scheme.article_layers), "bogus"])
    values = labels.setdefault(layer, [])
    if values and rng.random() < 0.3:
        values.append(rng.choice(values))
    else:
        values.append(_any_label(scheme, rng))


def _edit_sentences(data: dict, rng: random.Random) -> None:
    sentences, text = data["sentences"], data["text"]
    sent = rng.choice(sentences)
    what = rng.randrange(7)
    if what == 0:
        _shift(sent, rng.choice(["start", "end"]), rng, len(text))
    elif what == 1 and len(sentences) > 1:
        i = rng.randrange(len(sentences) - 1)
        sentences[i], sentences[i + 1] = sentences[i + 1], sentences[i]
    elif what == 2 and len(sentences) > 1:
        sentences.remove(sent)
    elif what == 3:
        sent["id"] = rng.choice(sentences)["id"]
    elif what == 4:
        sent[rng.choice(["start", "end"])] = float(sent["start"])
    elif what == 5:
        sent["end"] = sent["start"] - rng.choice([0, 1])
    else:
        sent["end"] = len(text) + rng.choice([0, 1])


def _edit_record(data: dict, file: str, rng: random.Random) -> str:
    what = rng.randrange(7)
    annotations = data.get("annotations", [])
    if what == 0:
        return rng.choice(["other.json", f"dir/{file}", f"dir/{file}/x.json", f"{data['id']}.JSON"])
    if what == 1:
        data["text_sha256"] = "0" * 64
    elif what == 2:
        i = rng.randrange(len(data["text"]) + 1)
        data["text"] = data["text"][:i] + rng.choice(["\r", "e\u0301", " "]) + data["text"][i:]
    elif what == 3 and annotations:
        rng.choice(annotations)["annotator"] = rng.choice(["jane@example.org", "Jane Doe", "ls-9"])
    elif what == 4 and len(annotations) > 1:
        annotations[1]["id"] = annotations[0]["id"]
    elif what == 5 and data.get("gold") is not None:
        data["gold"]["from_annotations"].append(rng.choice(["nope", *(a["id"] for a in annotations)]))
    elif what == 6 and data.get("gold") is not None:
        data["gold"]["decided_by"] = rng.choice(["ls-2", "jane@example.org", None])
    return file


def random_edit(data: dict[str, Any], file: str, rng: random.Random, scheme: Scheme) -> str:
    """Change ``data`` in place by one random edit (a span, relation, label, sentence or
    record field); returns the file name to validate it under (sometimes a wrong one)."""
    kind = rng.choices(["span", "relation", "labels", "sentences", "record"], weights=[5, 2, 2, 2, 2])[0]
    if kind == "span":
        _edit_span(_part(data, rng), data, rng, scheme)
    elif kind == "relation":
        _edit_relation(_part(data, rng), rng, scheme)
    elif kind == "labels":
        _edit_labels(_part(data, rng), data, rng, scheme)
    elif kind == "sentences":
        _edit_sentences(data, rng)
    else:
        file = _edit_record(data, file, rng)
    return file

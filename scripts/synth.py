"""Synthetic seed-like articles and a matching Label Studio full JSON export, for the benchmark.

Everything is deterministic in the article index ``i`` (``random.Random(i)``), so the
seeds and the export are generated streaming, one article at a time, in bounded memory.

An article is built to the seed's profile (``seeds/000_ba712161f3bc6069.txt``: about 2,680
code points, 14 sentences, 45 entity spans, 5 QUOTE + 2 SOURCE spans, 5 SPEAKER relations,
14 sentence roles, a genre and 5 frames), with varied Unicode: accents (São Paulo, Zürich),
CJK names (王毅, 北京), emoji (📈, 🌏, astral: one code point, two UTF-16 code units), curly quotes.

Each article is a list of sentences; each sentence a list of pieces ``(text, label)``
(label None for filler). Sentences are joined with one space, 1 to 2 sentences a line, so
spaCy's sentencizer (ingest) finds exactly the planned sentences; the export takes the
sentence offsets from the ingested record anyway, so a different split would still be
imported correctly.

    python scripts/synth.py --n 20 --out /tmp/synth   # seeds/ and, after ingest, export.json
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Article", "article", "write_seeds", "task_for", "write_export", "EXPORT_COUNTS", "USERS"]

ENTITIES: dict[str, list[str]] = {
    "PERSON": ["Qin Gang", "Aung San Suu Kyi", "José Álvarez", "王毅", "Zoë Müller", "Nguyễn Văn An", "Søren Dahl",
               "Amélie Durand", "Łukasz Wójcik", "佐藤 花子", "Chiamaka Okafor", "İbrahim Çelik"],
    "NORP": ["Chinese", "Burmese", "Brazilian", "Québécois", "Norwegian", "Kurdish"],
    "FAC": ["Kyaukphyu port", "the Øresund Bridge", "Changi Airport"],
    "ORG": ["United Nations", "Communist Party", "People’s Liberation Army", "Banco do Brasil", "Médecins Sans Frontières",
            "新华社", "European Central Bank", "Reuters"],
    "GPE": ["Myanmar", "China", "São Paulo", "Zürich", "北京", "Côte d’Ivoire", "Reykjavík", "Kraków", "Yangon"],
    "LOC": ["the Mekong", "the Andes", "Lake Malawi"],
    "EVENT": ["the Games", "Expo 2030"],
    "LAW": ["the Border Act"],
    "DATE": ["2021", "the past year", "May 2", "last week", "Tuesday", "more than 1,000 days"],
    "TIME": ["early morning", "10 p m"],
    "PERCENT": ["12%", "a third of a percent", "4.5%"],
    "MONEY": ["$5 million", "€3.2 billion", "¥80,000"],
    "QUANTITY": ["300 kilometres", "12 tonnes"],
    "ORDINAL": ["first", "third"],
    "CARDINAL": ["a third", "two", "dozens", "1,200"],
}
_LABELS = list(ENTITIES)
FILLER = [
    "said on", "reported that", "met officials from", "near the border with", "according to a statement 📈 from",
    "after talks with", "as prices rose in", "while observers 🌏 in", "despite warnings from", "in a meeting with",
    "with support from", "amid protests in", "over concerns raised by", "ahead of a visit to", "as crowds gathered in",
]
QUOTES = [
    "It is necessary to coordinate border management and bilateral relations",
    "We will not accept any delay in the negotiations",
    "Prices have doubled since the start of the crisis and families are struggling",
    "The agreement protects workers, farmers and small businesses alike",
    "Nobody expected the response to be this fast 🙂",
    "This is a turning point for the whole region",
]
ROLES = ["MAIN_EVENT", "CONSEQUENCE", "PREVIOUS_EVENT", "CURRENT_CONTEXT", "HISTORICAL_EVENT", "EVALUATION", "EXPECTATION"]
FRAMES = ["Economic", "Capacity_and_resources", "Morality", "Legality_Constitutionality_and_jurisprudence",
          "Policy_prescription_and_evaluation", "Crime_and_punishment", "Security_and_defense", "Health_and_safety",
          "Quality_of_life", "Political", "External_regulation_and_reputation"]
PRONOUNS = ["he", "she", "they"]
# Entities per plain sentence (9 plain sentences, 34 entities) and per quote sentence
# (3 with an entity speaker: speaker + 2; 2 with a pronoun speaker: 1): 34 + 9 + 2 = 45.
_PLAIN_ENTITIES = [4, 4, 4, 4, 4, 4, 4, 3, 3]
_TARGET_SENTENCE = 190  # code points: 14 sentences + separators ≈ 2,680

META = {"title": None, "publisher": "newscorpus bench", "url": None, "published": "2024-01-15", "language": "en",
        "license": "CC-BY-4.0", "redistributable": True}

#: Per task of the export: annotations (by default; the benchmark asks for 3), entity/QUOTE/SOURCE
#: spans, relations, sentence roles, frames per annotation (annotator 1; annotator 2 drops one
#: entity and the last frame; annotator 3 drops another entity and swaps the first frame).
EXPORT_COUNTS = {"annotations": 2, "entities": 45, "quotes": 5, "sources": 2, "relations": 5, "roles": 14, "frames": 5}


@dataclass(frozen=True)
class Mention:
    """A planned span: ``rid``, control (``entity`` / ``attribution``), label, code-point offsets."""

    rid: str
    control: str
    label: str
    start: int
    end: int


@dataclass(frozen=True)
class Article:
    """One synthetic article: id, text, planned mentions, relations (quote id, speaker id),
    genre and frames."""

    id: str
    text: str
    mentions: list[Mention]
    relations: list[tuple[str, str]]
    genre: str
    frames: list[str]


def _plain(rng: random.Random, n_entities: int) -> list[tuple[str, str | None]]:
    pieces: list[tuple[str, str | None]] = [("In", None)]
    for k in range(n_entities):
        label = rng.choice(_LABELS)
        pieces.append((rng.choice(ENTITIES[label]), label))
        pieces.append((rng.choice(FILLER), None))
    return pieces


def _quote(rng: random.Random, speaker_entity: bool, extra: int) -> list[tuple[str, str | None]]:
    pieces: list[tuple[str, str | None]] = [("“", None), (rng.choice(QUOTES), "QUOTE"), (",” said", None)]
    pieces.append((rng.choice(ENTITIES["PERSON"]), "PERSON") if speaker_entity else (rng.choice(PRONOUNS), "SOURCE"))
    pieces.append(("on a visit that", None))
    for _ in range(extra):
        label = rng.choice(["GPE", "ORG", "DATE", "NORP"])
        pieces.append((rng.choice(FILLER), None))
        pieces.append((rng.choice(ENTITIES[label]), label))
    return pieces


def article(i: int) -> Article:
    """The ``i``-th synthetic article (deterministic), id ``bench_<i:07d>``."""
    rng = random.Random(i)
    kinds = ["plain"] * 9 + ["qe"] * 3 + ["qs"] * 2
    rng.shuffle(kinds)
    plain_counts = iter(_PLAIN_ENTITIES)
    text = ""
    mentions: list[Mention] = []
    relations: list[tuple[str, str]] = []
    line_len = 0
    for s, kind in enumerate(kinds):
        if kind == "plain":
            pieces = _plain(rng, next(plain_counts))
        else:
            pieces = _quote(rng, kind == "qe", 2 if kind == "qe" else 1)
        # pad with filler to the target length, then end the sentence
        while sum(len(p) + 1 for p, _ in pieces) < _TARGET_SENTENCE - 12:
            pieces.append((rng.choice(FILLER) + " the talks", None))
        if text:
            sep = "\n" if line_len >= 1 and (line_len >= 2 or rng.random() < 0.6) else " "
            line_len = 0 if sep == "\n" else line_len
            text += sep
        line_len += 1
        quote_id = speaker_id = None
        for k, (piece, label) in enumerate(pieces):
            if k and not (piece.startswith(",") or pieces[k - 1][0] == "“"):
                text += " "
            start = len(text)
            text += piece
            if label is None:
                continue
            control = "attribution" if label in ("QUOTE", "SOURCE") else "entity"
            rid = f"r{s}x{k}"
            mentions.append(Mention(rid, control, label, start, len(text)))
            if label == "QUOTE":
                quote_id = rid
            elif quote_id and speaker_id is None and label in ("PERSON", "SOURCE"):
                speaker_id = rid
        text += "."
        if quote_id:
            relations.append((quote_id, speaker_id))
    genre = "reporting" if rng.random() < 0.8 else "opinion"
    frames = sorted(rng.sample(FRAMES, 5), key=FRAMES.index)
    return Article(f"bench_{i:07d}", text, mentions, relations, genre, frames)


def write_seeds(n: int, folder: Path, *, progress: Callable[[int], object] | None = None) -> None:
    """Write ``<folder>/bench_<i>.txt`` and ``.meta.json`` for i in 0..n-1."""
    folder.mkdir(parents=True, exist_ok=True)
    meta = json.dumps(META)
    for i in range(n):
        if progress is not None and i % 500 == 0:
            progress(i)
        art = article(i)
        (folder / f"{art.id}.txt").write_text(art.text, encoding="utf-8", newline="\n")
        (folder / f"{art.id}.meta.json").write_text(meta, encoding="utf-8")


def _region(rid: str, control: str, start: int, end: int, text: str, label: str) -> dict:
    return {"value": {"start": start, "end": end, "text": text[start:end], "labels": [label]}, "id": rid,
            "from_name": control, "to_name": "text", "type": "labels"}


def _roles(rng: random.Random, earlier: list[list[str]], n: int) -> list[str]:
    """Sentence roles of one annotator: the first two choose at random; the third takes the
    first's role (55%) or the second's (42%), or chooses at random (3%), so that three
    annotators mostly have a majority and sometimes a three-way tie (an open unit)."""
    if len(earlier) < 2:
        return [rng.choice(ROLES) for _ in range(n)]
    out = []
    for k in range(n):
        x = rng.random()
        out.append(earlier[0][k] if x < 0.55 else earlier[1][k] if x < 0.97 else rng.choice(ROLES))
    return out


def _result(art: Article, sentences: list[tuple[str, int, int]], rng: random.Random, variant: int,
            earlier: list[list[str]] | None = None) -> list[dict]:
    """The result of annotator ``variant`` (0, 1 or 2); ``earlier``: the roles the annotators
    before it chose (this one's are appended)."""
    text = art.text
    out = []
    earlier = [] if earlier is None else earlier
    roles = _roles(rng, earlier, len(sentences))
    earlier.append(roles)
    for (sid, start, end), role in zip(sentences, roles):
        out.append(_region(sid, "sentence", start, end, text, "SENTENCE"))
        out.append({"value": {"start": start, "end": end, "choices": [role]},
                    "id": sid, "from_name": "discourse_role", "to_name": "text", "type": "choices"})
    dropped = None
    if variant:  # the second (third) annotator misses the first (second) entity that is not a speaker
        speakers = {tail for _, tail in art.relations}
        dropped = [m.rid for m in art.mentions if m.control == "entity" and m.rid not in speakers][variant - 1]
    for m in art.mentions:
        if m.rid != dropped:
            out.append(_region(m.rid, m.control, m.start, m.end, text, m.label))
    for head, tail in art.relations:
        out.append({"from_id": head, "to_id": tail, "type": "relation", "direction": "right", "labels": ["SPEAKER"]})
    # the second annotator drops the last frame, the third swaps the first for one not chosen
    frames = art.frames[:-1] if variant == 1 else art.frames
    if variant == 2:
        other = next(f for f in FRAMES if f not in art.frames)
        frames = sorted([other, *art.frames[1:]], key=FRAMES.index)
    out.append({"value": {"choices": [art.genre]}, "id": "g", "from_name": "genre", "to_name": "text", "type": "choices"})
    out.append({"value": {"choices": frames}, "id": "f", "from_name": "frames", "to_name": "text", "type": "choices"})
    return out


#: The Label Studio user ids of the export's annotators, in order.
USERS = (3, 7, 11)


def task_for(i: int, record: dict, *, annotators: int = 2) -> dict:
    """The full-export task of article ``i`` with ``annotators`` annotators (2 or 3: users
    :data:`USERS`), for its ingested ``record`` (a parsed ``annotations/<id>.json``: its
    sentences and hash are used). The first two annotations do not depend on ``annotators``."""
    art = article(i)
    assert record["text"] == art.text, f"record {record['id']} does not hold article {i}"
    assert annotators in (2, 3), annotators
    rng = random.Random(-i - 1)
    sentences = [(s["id"], s["start"], s["end"]) for s in record["sentences"]]
    tid = i + 1
    stamp = "2026-11-01T09:%02d:%02d.123456Z"
    annotations = []
    roles: list[list[str]] = []
    for k, user in enumerate(USERS[:annotators]):
        aid = 2 * tid + k if k < 2 else 3 * tid + 10**9  # unique, and the first two as before
        annotations.append({
            "id": aid, "completed_by": user, "result": _result(art, sentences, rng, k, roles), "was_cancelled": False,
            "ground_truth": False, "created_at": stamp % (k, i % 60), "updated_at": stamp % (k + 1, i % 60),
            "draft_created_at": None, "lead_time": round(120 + rng.random() * 600, 3), "prediction": {},
            "result_count": 0, "unique_id": f"{i:08x}-bench-{k}", "import_id": None, "last_action": None,
            "bulk_created": False, "task": tid, "project": 1, "updated_by": user, "parent_prediction": 1,
            "parent_annotation": None, "last_created_by": None,
        })
    prediction = {
        "id": tid, "result": [_region(sid, "sentence", s, e, art.text, "SENTENCE") for sid, s, e in sentences],
        "model_version": "newscorpus-1.0.0", "created_ago": "1 day", "score": None, "cluster": None, "neighbors": None,
        "mislabeling": 0.0, "created_at": "2026-10-31T08:00:00.000000Z", "updated_at": "2026-10-31T08:00:00.000000Z",
        "model": None, "model_run": None, "task": tid, "project": 1,
    }
    return {
        "id": tid, "annotations": annotations, "file_upload": "tasks.json", "drafts": [], "predictions": [prediction],
        "data": {"text": art.text, "article_id": art.id, "text_sha256": record["text_sha256"]}, "meta": {},
        "created_at": "2026-10-31T08:00:00.000000Z", "updated_at": "2026-11-01T09:10:00.000000Z", "inner_id": tid,
        "total_annotations": annotators, "cancelled_annotations": 0, "total_predictions": 1, "comment_count": 0,
        "unresolved_comment_count": 0, "last_comment_updated_at": None, "project": 1, "updated_by": 7, "comment_authors": [],
    }


def iter_tasks(n: int, annotations_dir: Path, *, annotators: int = 2) -> Iterator[bytes]:
    """Compact JSON of each task, reading each ingested record from ``annotations_dir``."""
    for i in range(n):
        path = annotations_dir / f"bench_{i:07d}.json"
        record = json.loads(path.read_bytes())
        yield json.dumps(task_for(i, record, annotators=annotators), ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def write_export(n: int, annotations_dir: Path, out: Path, *, annotators: int = 2) -> int:
    """Write the compact full JSON export of articles 0..n-1 to ``out`` (``annotators`` per
    task, 2 or 3); returns its size in bytes."""
    with open(out, "wb") as fh:
        fh.write(b"[")
        for k, blob in enumerate(iter_tasks(n, annotations_dir, annotators=annotators)):
            if k:
                fh.write(b",")
            fh.write(blob)
        fh.write(b"]")
    return out.stat().st_size


if __name__ == "__main__":  # pragma: no cover - manual use
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=20)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    write_seeds(args.n, args.out / "seeds")
    print(f"wrote {args.n} seed(s) to {args.out / 'seeds'}")

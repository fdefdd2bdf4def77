"""The import cache: what importing a task did last time, so that an unchanged export is
not converted, merged and checked again.

An entry says: the task whose JSON text has digest T (:func:`task_digest`), imported into the record whose
bytes have digest R, changes nothing, keeps these annotation counts and predictions, and
warns of nothing. It is kept only for a task the last import met without a warning or a
refusal, whose article had no other task in that export, and with R the digest of the
record's bytes as that import left them (:func:`newscorpus.importers.merge.merge_annotations`
is idempotent: merging the same annotations again gives the same bytes). An import uses
an entry only for the first task of an article in the export, and only when the record
file's bytes still have digest R: a record edited by hand, written by another command or
migrated since is imported in full. Every entry belongs to a *context*: the digest of
newscorpus's own source files, the scheme and every import option that reaches a record
or a message; another context ignores the whole cache.

The cache never lives in the annotations folder (no command leaves anything there,
docs/team.md): it is one file per annotations folder under :func:`cache_root`
(``$NEWSCORPUS_CACHE_DIR``, else ``$XDG_CACHE_HOME/newscorpus``, else
``~/.cache/newscorpus``; ``NEWSCORPUS_CACHE_DIR=off`` turns it off), named by the digest of
the folder's real path, replaced atomically by each import that succeeds, while it holds
the folder's lock. A cache that is missing, unreadable or of another version is empty;
one that cannot be written is left alone: the import's result never depends on it.
"""

from __future__ import annotations

import hashlib
import os
import re
from functools import cache
from pathlib import Path

import orjson

from newscorpus.util.fileio import atomic_write_bytes

__all__ = ["CACHE_ENV", "ImportCache", "answer", "cache_root", "digest", "task_digest"]

#: The environment variable naming the cache folder (``off``: no cache).
CACHE_ENV = "NEWSCORPUS_CACHE_DIR"
_VERSION = 1


def digest(data: bytes) -> str:
    """The cache's digest of ``data``: the first 16 bytes of its SHA-256, in hex (32 characters)."""
    return hashlib.sha256(data).hexdigest()[:32]


#: Label Studio's relative ages ("created_ago": "2 minutes"): they change while nothing else
#: does, and no import reads them. Only a key and a string value without escapes are cut: a
#: quote inside a JSON string is always escaped, so this never matches inside a string.
_AGES = re.compile(rb'"(?:created|updated)_ago"[ \t\n\r]*:[ \t\n\r]*"[^"\\]*"')


_AGE_TAIL = b'_ago"'  # what every match of _AGES holds 8 bytes in: '"created' and '"updated' are 8 bytes long


def task_digest(raw: bytes) -> str:
    """The cache's digest of a task's JSON text ``raw``: :func:`digest` of the text without
    Label Studio's relative ages (``created_ago``, ``updated_ago``), which differ from one
    export of an unchanged project to the next.

    The text is what ``_AGES.sub(b"", raw)`` leaves (tests hold it to that): each match is
    tried only where ``bytes.find`` meets ``_ago"``, which is 8 bytes into every match, so
    that a 54 KB task costs a search for one short string, not a pass of the pattern."""
    at = raw.find(_AGE_TAIL, 8)
    if at < 0:
        return digest(raw)
    h, view = hashlib.sha256(), memoryview(raw)
    done = 0  # raw[:done] is hashed or cut
    while at >= 0:
        match = _AGES.match(raw, at - 8) if at - 8 >= done else None
        if match is None:
            at = raw.find(_AGE_TAIL, at + 1)
            continue
        h.update(view[done : match.start()])
        done = match.end()
        at = raw.find(_AGE_TAIL, done + 8)
    h.update(view[done:])
    return h.hexdigest()[:32]


def cache_root() -> Path | None:
    """The folder of newscorpus's caches (see the module doc), or None when turned off."""
    chosen = os.environ.get(CACHE_ENV)
    if chosen:
        return None if chosen == "off" else Path(chosen)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "newscorpus"


@cache
def _code_digest() -> str:
    """The digest of newscorpus's own source files (their relative paths and bytes)."""
    package = Path(__file__).resolve().parent.parent
    h = hashlib.sha256()
    for path in sorted(package.rglob("*.py")):
        h.update(path.relative_to(package).as_posix().encode("utf-8") + b"\0")
        h.update(path.read_bytes() + b"\0")
    return h.hexdigest()


#: one entry: (record digest, article id, whether the report lists the article, submitted,
#: cancelled, draft, predictions)
Entry = tuple[str, str, bool, int, int, int, int]


class ImportCache:
    """The cache of one annotations folder for one import context.

    ``entries`` maps a task digest (:func:`digest` of its JSON text) to an :data:`Entry`:
    the record's digest after that task, the task's article id, whether the import lists
    the article among the records it read (not for a task that stages nothing: no
    annotation), the counts of submitted, cancelled and draft annotations, and the
    predictions. :meth:`load` reads it (empty when missing,
    unreadable, of another version or context, or turned off); :meth:`save` writes the
    entries an import gathered with :meth:`keep`.
    """

    def __init__(self, path: Path | None, context: str, entries: dict[str, Entry] | None = None) -> None:
        self.path = path
        self.context = context
        self.entries: dict[str, Entry] = entries if entries is not None else {}
        self.kept: dict[str, Entry] = {}

    @classmethod
    def load(cls, folder: str | Path, options: dict[str, object]) -> ImportCache:
        """The cache of ``folder`` (the annotations folder) for an import with ``options``
        (plain JSON values: the scheme, offset unit, server and anything else that reaches
        a record or a message)."""
        context = hashlib.sha256(orjson.dumps({"code": _code_digest(), **options}, option=orjson.OPT_SORT_KEYS)).hexdigest()
        root = cache_root()
        if root is None:
            return cls(None, context)
        path = root / "import" / f"{digest(os.path.realpath(folder).encode('utf-8', 'surrogateescape'))}.json"
        try:
            data = orjson.loads(path.read_bytes())
            if data.get("version") != _VERSION or data.get("context") != context:
                return cls(path, context)
            entries = {key: tuple(value) for key, value in data["entries"].items()}
        except (OSError, ValueError, TypeError, KeyError, AttributeError):
            return cls(path, context)
        return cls(path, context, entries)  # type: ignore[arg-type]

    def by_article(self) -> dict[str, tuple[str, Entry]]:
        """The entries by article id: ``{article id: (task digest, entry)}``. An import keeps
        at most one entry an article (:meth:`keep` is given only the tasks of articles with
        one task in the export), so this is what a worker needs to answer the first task
        of an article (:func:`answer`) without a copy of the whole cache: the workers get
        only the entry of each task they are sent."""
        return {entry[1]: (key, entry) for key, entry in self.entries.items()}

    def keep(self, task_digest: str, entry: Entry) -> None:
        """Keep ``entry`` for ``task_digest`` in what :meth:`save` writes."""
        self.kept[task_digest] = entry

    def save(self) -> bool:
        """Replace the cache file with the kept entries (atomically); True when written,
        False when the cache is off or its folder cannot be written (no error: the cache
        only saves time)."""
        if self.path is None:
            return False
        payload = orjson.dumps({"version": _VERSION, "context": self.context, "entries": self.kept})
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            atomic_write_bytes(self.path, payload)
        except OSError:
            return False
        return True


def answer(asked: tuple[str, Entry], task_digest: str, article_id: str, folder: str) -> Entry | None:
    """The entry of ``asked`` (``(task digest, entry)``, from :meth:`ImportCache.by_article`)
    when the task's digest is ``task_digest``, the entry is of ``article_id`` and the record
    file of that article in ``folder`` still holds the bytes it names (read and digested
    here), else None (the task is then imported in full)."""
    known, entry = asked
    if known != task_digest or entry[1] != article_id:
        return None
    try:
        with open(os.path.join(folder, f"{article_id}.json"), "rb") as fh:
            current = fh.read()
    except OSError:
        return None
    return entry if digest(current) == entry[0] else None

"""A new corpus repository: the files ``newscorpus init DIR`` writes (docs/corpus.md).

A corpus repository holds::

    newscorpus.toml                 the configuration: [corpus] scheme = "scheme.yaml", every
                                    other key commented with its default
    scheme.yaml                     the annotation scheme: a copy of the packaged one, or of
                                    the scheme file given
    schema/<X.Y.Z>/article.schema.json  the JSON Schema generated for that scheme
    seeds/README.md                 the seed and sidecar format
    annotations/README.md           what the records are
    README.md                       its two commands and the round trip
    .pre-commit-config.yaml         newscorpus's validate hook, run by the installed newscorpus
    .gitignore                      dist/, and the lock, journal and staging leftovers
    .github/workflows/validate.yml  CI: validate, schema version, schema/ current

The fixed files are package data, ``newscorpus/data/corpus/`` (a template named
``dot-<name>`` becomes ``.<name>``, since package data globs skip dotfiles); in them
``@CORPUS_NAME@`` becomes the folder's name and ``@NEWSCORPUS_VERSION@`` the installed
newscorpus's version. To add a file to every new corpus: add it there (the package data
globs of pyproject.toml take any file up to three folders deep).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import metadata, resources
from importlib.resources.abc import Traversable
from pathlib import Path

from newscorpus.core.models import SCHEMA_VERSION
from newscorpus.core.scheme import default_scheme, load_scheme
from newscorpus.errors import ScaffoldError
from newscorpus.schema.generate import SCHEMA_FILENAME, build_schema, dump_schema
from newscorpus.util.fileio import atomic_write_bytes

__all__ = ["SCHEME_FILE", "ScaffoldReport", "corpus_files", "init_corpus"]

#: The scheme file of a new corpus, named by its ``newscorpus.toml``.
SCHEME_FILE = "scheme.yaml"
#: Entries of a folder that do not make it "not empty" (``git init`` first is fine).
_IGNORED = frozenset({".git"})
_DOT = "dot-"

_DEFAULT_HEADER = """\
# The annotation scheme of this corpus: a copy of newscorpus's default scheme, to edit.
# Give it your corpus's name and a version, keep the layers and labels you need, add your
# own (docs/configuration.md of newscorpus, "A corpus's own scheme"); then run
# `newscorpus schema --write` and commit schema/ with it.
#
"""


@dataclass(frozen=True)
class ScaffoldReport:
    """What :func:`init_corpus` did in ``root``: ``created`` the files it wrote and ``kept``
    the files that were there already (``force``), as paths relative to ``root``, sorted."""

    root: Path
    created: list[Path] = field(default_factory=list)
    kept: list[Path] = field(default_factory=list)


def _templates(folder: Traversable, prefix: str = "") -> dict[str, bytes]:
    """The template files below ``folder``: path relative to the corpus root -> bytes."""
    out: dict[str, bytes] = {}
    for entry in folder.iterdir():
        name = "." + entry.name[len(_DOT):] if entry.name.startswith(_DOT) else entry.name
        if entry.is_dir():
            out.update(_templates(entry, f"{prefix}{name}/"))
        elif not entry.name.startswith((".", "__")):
            out[prefix + name] = entry.read_bytes()
    return out


def _version() -> str:
    try:
        return metadata.version("newscorpus")
    except metadata.PackageNotFoundError:  # pragma: no cover - running from a source tree without metadata
        return "0.0.0"


def corpus_files(*, name: str, scheme_file: str | Path | None = None) -> dict[str, bytes]:
    """Every file of a new corpus called ``name``: its path relative to the corpus root
    (``/``-separated) -> its bytes, sorted by path.

    ``scheme_file`` is the corpus's scheme, copied byte for byte after it is checked
    (:func:`newscorpus.core.scheme.load_scheme`: a bad one raises
    :class:`~newscorpus.errors.SchemeError`); None copies the packaged scheme under a header
    that says what to edit. ``schema/`` holds the JSON Schema generated for that scheme.
    """
    if scheme_file is None:
        scheme = default_scheme()
        scheme_bytes = (_DEFAULT_HEADER + (resources.files("newscorpus") / "data" / "scheme.yaml").read_text(encoding="utf-8")).encode("utf-8")
    else:
        scheme = load_scheme(scheme_file)
        scheme_bytes = Path(scheme_file).read_bytes()
    values = {"@CORPUS_NAME@": name, "@NEWSCORPUS_VERSION@": _version()}
    files: dict[str, bytes] = {}
    for path, data in _templates(resources.files("newscorpus") / "data" / "corpus").items():
        text = data.decode("utf-8")
        for placeholder, value in values.items():
            text = text.replace(placeholder, value)
        files[path] = text.encode("utf-8")
    files[SCHEME_FILE] = scheme_bytes
    files[f"schema/{SCHEMA_VERSION}/{SCHEMA_FILENAME}"] = dump_schema(build_schema(scheme)).encode("utf-8")
    return dict(sorted(files.items()))


def _entries(directory: Path) -> list[str]:
    if not directory.exists():
        return []
    if not directory.is_dir():
        raise ScaffoldError(f"{directory} is a file: newscorpus init makes a corpus in a folder", code="corpus-not-a-folder")
    return sorted(entry.name for entry in directory.iterdir() if entry.name not in _IGNORED)


def init_corpus(directory: str | Path, *, scheme_file: str | Path | None = None, force: bool = False) -> ScaffoldReport:
    """Scaffold a new corpus repository in ``directory`` (created if missing): the files of
    :func:`corpus_files`, named after the folder.

    Refuses a folder that holds anything but ``.git`` with
    :class:`~newscorpus.errors.ScaffoldError` (``corpus-not-empty``), unless ``force``:
    then only the missing files are written and every existing one is kept as it is. A
    path that is a file, or a file where a folder of the corpus goes, is
    ``corpus-not-a-folder``. A bad ``scheme_file`` raises
    :class:`~newscorpus.errors.SchemeError` before anything is written.
    """
    root = Path(directory)
    entries = _entries(root)
    if entries and not force:
        shown = ", ".join(entries[:5]) + (f" and {len(entries) - 5} more" if len(entries) > 5 else "")
        raise ScaffoldError(f"{root} is not empty ({shown}): newscorpus init makes a new corpus in a new or empty folder",
                            code="corpus-not-empty", hint="--force adds only the missing files and keeps every existing one")
    files = corpus_files(name=root.resolve().name, scheme_file=scheme_file)
    report = ScaffoldReport(root)
    for rel, data in files.items():
        target = root / rel
        if target.exists():
            report.kept.append(Path(rel))
            continue
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
        except (FileExistsError, NotADirectoryError) as exc:
            raise ScaffoldError(f"cannot make the folder of {target}: a file stands in its way", code="corpus-not-a-folder") from exc
        atomic_write_bytes(target, data)
        report.created.append(Path(rel))
    return report

"""The corpus configuration: ``newscorpus.toml`` at the corpus root, and its defaults.

One file configures one corpus (docs/configuration.md lists every key)::

    [corpus]
    scheme = "scheme.yaml"          # the annotation scheme; default: the packaged one

    [paths]
    seeds = "seeds"
    annotations = "annotations"
    dataset = "dist/dataset"

    [splits]
    train = 0.8
    validation = 0.1
    test = 0.1

    [segmenter]
    name = "spacy.sentencizer+news"

    [labelstudio]
    server = "newsroom"             # this corpus's name for its Label Studio server
    url = "http://127.0.0.1:8080"   # the server of `newscorpus ls`
    project = "newscorpus"
    overlap = 2                     # annotators per task

    [card]
    pretty_name = "ACME news entities"
    curators = ["Ada Lovelace (ACME News)"]
    repository = "https://github.com/acme/news-corpus"
    contact = "corpus@acme.example"
    guidelines = "docs/guidelines.md"   # copied into the dataset as guidelines.md
    citation = '''
    @misc{acme2025, title = {ACME news entities}, year = {2025}}
    '''

Every key is optional; without a file every default applies. Relative paths are relative
to the folder that holds the file. The command line reads the file once (from the current
folder, or ``--config FILE``), loads the scheme it names once, and passes both down; the
library never reads it.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, model_validator

from newscorpus.core.models import ServerName
from newscorpus.core.scheme import Scheme, default_scheme, load_scheme
from newscorpus.dataset.card.about import CardInfo
from newscorpus.dataset.splits import SplitRatios
from newscorpus.errors import ConfigError, NewscorpusError, describe_field_error
from newscorpus.ingest.sentences import SEGMENTER_NAME

__all__ = [
    "CONFIG_FILE",
    "Corpus",
    "Paths",
    "Splits",
    "Segmenter",
    "LabelStudio",
    "Config",
    "read_config",
    "config_scheme",
]

#: The configuration's file name, looked for in the current folder.
CONFIG_FILE = "newscorpus.toml"

_DEFAULT_RATIOS = SplitRatios()


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Corpus(_Section):
    """``[corpus]``: ``scheme``, the annotation scheme file (YAML; None: the packaged scheme)."""

    scheme: Path | None = None


class Paths(_Section):
    """``[paths]``: the folders of seeds, of article records and of the built dataset."""

    seeds: Path = Path("seeds")
    annotations: Path = Path("annotations")
    dataset: Path = Path("dist/dataset")


class Splits(_Section):
    """``[splits]``: the shares of train, validation and test in the id-hash split (each in
    [0, 1], summing to 1; :class:`newscorpus.dataset.splits.SplitRatios`)."""

    train: float = _DEFAULT_RATIOS.train
    validation: float = _DEFAULT_RATIOS.validation
    test: float = _DEFAULT_RATIOS.test

    @model_validator(mode="after")
    def _check(self) -> Splits:
        self.ratios()
        return self

    def ratios(self) -> SplitRatios:
        """The shares as :class:`SplitRatios`; raises ``ValueError`` when they do not add up."""
        try:
            return SplitRatios(self.train, self.validation, self.test)
        except NewscorpusError as exc:
            raise ValueError(f"train, validation and test must each lie in [0, 1] and sum to 1, found "
                             f"{self.train}, {self.validation}, {self.test}") from exc


class Segmenter(_Section):
    """``[segmenter]``: ``name``, the sentence segmenter of ingest (only
    ``spacy.sentencizer+news`` today: spaCy's rule-based sentencizer in the language of each
    seed's metadata, with the rules of news text, :mod:`newscorpus.ingest.sentences`)."""

    name: Literal[SEGMENTER_NAME] = SEGMENTER_NAME  # type: ignore[valid-type]


class LabelStudio(_Section):
    """``[labelstudio]``: ``server``, the name this corpus gives its Label Studio server (a
    short lowercase slug; None: no name). It goes into the ids and annotators of imported
    annotations and their ``origin.server`` (:func:`newscorpus.importers.run.import_export`),
    so that two servers' annotations never collide. ``url``, the server of ``newscorpus ls``
    (None: give ``--url`` or ``$LABEL_STUDIO_URL``), the ``project`` title, and ``overlap``,
    how many annotators label each task (Label Studio's ``maximum_annotations``, at least 1;
    None: ``ls push`` leaves the project's setting alone, and a new project gets Label
    Studio's 1)."""

    server: ServerName | None = None
    url: str | None = None
    project: str = "newscorpus"
    overlap: Annotated[int, Field(ge=1)] | None = None


class Config(_Section):
    """A corpus configuration: its sections, paths resolved against the file's folder.
    ``card`` is :class:`~newscorpus.dataset.card.about.CardInfo` (``[card]``: what the
    dataset card says about the corpus, every key optional and never invented).
    :attr:`file` is the file read, or None when the defaults apply."""

    corpus: Corpus = Corpus()
    paths: Paths = Paths()
    splits: Splits = Splits()
    segmenter: Segmenter = Segmenter()
    labelstudio: LabelStudio = LabelStudio()
    card: CardInfo = CardInfo()
    _file: Path | None = PrivateAttr(default=None)

    @property
    def file(self) -> Path | None:
        """The configuration file read, or None (no file: the defaults)."""
        return self._file


def _dotted(loc: tuple[int | str, ...]) -> str:
    return ".".join(str(part) for part in loc)


def _resolved(config: Config, root: Path) -> Config:
    """``config`` with its relative paths made relative to ``root`` (the file's folder)."""
    paths = config.paths.model_copy(update={k: root / v for k, v in config.paths.model_dump().items()})
    scheme = config.corpus.scheme
    corpus = config.corpus.model_copy(update={"scheme": root / scheme if scheme is not None else None})
    guidelines = config.card.guidelines
    card = config.card.model_copy(update={"guidelines": root / guidelines if guidelines is not None else None})
    return config.model_copy(update={"paths": paths, "corpus": corpus, "card": card})


def read_config(path: str | Path | None = None, *, cwd: str | Path = ".") -> Config:
    """The configuration of ``path``, or of ``<cwd>/newscorpus.toml`` when ``path`` is None;
    the defaults when ``path`` is None and there is no such file.

    Relative paths of the file (``corpus.scheme``, ``paths.*``, ``card.guidelines``) come
    back joined to the file's folder. Raises :class:`~newscorpus.errors.ConfigError`, one
    line naming the file and the key: a named file that does not exist, a file that is not
    TOML, an unknown key (with the keys allowed there), a wrong value (with the values
    allowed), a scheme or guidelines file that does not exist.
    """
    if path is None:
        path = Path(cwd) / CONFIG_FILE
        if not path.is_file():
            return Config()
    path = Path(path)
    file = str(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ConfigError("no such configuration file", file=file, code="config-not-found") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read the configuration file: {exc}", file=file, code="config-not-found") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"not valid TOML: {exc}", file=file, code="config-invalid-toml") from exc
    try:
        config = Config.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        raise ConfigError(describe_field_error(err, Config), file=file, where=_dotted(err["loc"]), code="config-invalid") from exc
    config = _resolved(config, path.parent)
    scheme = config.corpus.scheme
    if scheme is not None and not scheme.is_file():
        raise ConfigError(f"no such scheme file: {scheme}", file=file, where="corpus.scheme", code="config-invalid",
                          hint="give the scheme file's path relative to this file, or remove the key for the packaged scheme")
    guidelines = config.card.guidelines
    if guidelines is not None and not guidelines.is_file():
        raise ConfigError(f"no such guidelines file: {guidelines}", file=file, where="card.guidelines", code="config-invalid",
                          hint="give the path of the annotation guidelines (Markdown) relative to this file, or remove the key")
    config._file = path
    return config


def config_scheme(config: Config) -> Scheme:
    """The annotation scheme ``config`` names (:func:`newscorpus.core.scheme.load_scheme`),
    or the packaged one. Raises :class:`~newscorpus.errors.SchemeError` for a bad scheme file."""
    return load_scheme(config.corpus.scheme) if config.corpus.scheme is not None else default_scheme()

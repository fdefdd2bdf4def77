"""Publish a built dataset folder to the Hugging Face Hub (``huggingface_hub``).

The files pushed are exactly the card (``README.md``), the Parquet files its YAML
declares and the annotation guidelines the build published (``guidelines.md``, when the
folder has it); nothing else in the folder goes up. The plan says, per article, whether its
text is in the folder and why (:class:`ArticleText`). Text whose licence forbids redistribution is
never pushed silently: when the folder holds the text of an article whose
``redistributable`` is false (a local build), publishing stops unless
``include_restricted_text`` is given; ``newscorpus build --public`` makes a folder without it.
The token comes from ``HF_TOKEN`` (or the ``token`` argument) and is never printed or stored.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow.parquet as pq
import yaml

from newscorpus.errors import PublishError

__all__ = ["ArticleText", "PublishPlan", "PublishResult", "plan_publish", "publish_dataset"]

#: Files a build writes beside the card and the Parquet files, pushed when present.
_EXTRA_FILES = ("guidelines.md",)


@dataclass(frozen=True)
class ArticleText:
    """One article of the folder's ``articles`` config: its ``id``, text ``license`` (as in
    its sidecar), whether that licence lets the text be ``redistributable``, and whether the
    text is ``included`` in the folder."""

    id: str
    license: str
    redistributable: bool
    included: bool

    @property
    def reason(self) -> str:
        """Why the text is or is not in the folder, in words (one line)."""
        if self.included and self.redistributable:
            return f"included: licence {self.license} allows redistribution"
        if self.included:
            return f"included although licence {self.license} does not allow redistribution (a local build, or --include-restricted-text)"
        if not self.redistributable:
            return f"withheld: licence {self.license} does not allow redistribution (build --public)"
        return f"withheld although licence {self.license} allows redistribution"


@dataclass(frozen=True)
class PublishPlan:
    """What a push would upload: ``files`` as ``(relative path, size in bytes)`` sorted by
    path, ``restricted`` (ids of non-redistributable articles whose text is included), and
    ``articles``, every article in file order with whether its text is included."""

    directory: Path
    files: list[tuple[str, int]]
    restricted: list[str]
    articles: list[ArticleText] = field(default_factory=list)


@dataclass(frozen=True)
class PublishResult:
    """The outcome: the plan, the repo id, privacy, whether it was a dry run, and the commit
    URL of the upload (None for a dry run)."""

    plan: PublishPlan
    repo_id: str
    private: bool
    dry_run: bool
    commit_url: str | None = None


def _card_yaml(directory: Path) -> dict:
    card = directory / "README.md"
    try:
        text = card.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise PublishError("no dataset card README.md: not a built dataset folder", file=str(directory), code="no-dataset", hint="run `newscorpus build --public` first") from exc
    if not text.startswith("---\n") or "\n---\n" not in text[4:]:
        raise PublishError("the dataset card has no YAML header", file=str(card), code="bad-card")
    return yaml.safe_load(text[4 : text.index("\n---\n", 4)]) or {}


def plan_publish(directory: str | Path, *, include_restricted_text: bool = False) -> PublishPlan:
    """The exact files to push from ``directory`` and a rights check.

    Raises :class:`PublishError`: ``no-dataset`` / ``bad-card`` for a folder that is not a
    build, ``missing-file`` for a declared file that is absent, ``restricted-text`` when the
    folder holds text that may not be redistributed and ``include_restricted_text`` is false.
    """
    directory = Path(directory)
    meta = _card_yaml(directory)
    paths = {"README.md"}
    for config in meta.get("configs", []):
        for entry in config.get("data_files", []):
            declared = entry["path"]  # one file, or the list of a split's shards
            paths.update([declared] if isinstance(declared, str) else declared)
    paths.update(name for name in _EXTRA_FILES if (directory / name).is_file())
    files = []
    for rel in sorted(paths):
        target = directory / rel
        if not target.is_file():
            raise PublishError("declared in the card but missing", file=str(target), code="missing-file", hint="rebuild the folder")
        files.append((rel, target.stat().st_size))
    restricted: list[str] = []
    articles: list[ArticleText] = []
    for rel in sorted(p for p in paths if p.startswith("articles/")):
        table = pq.read_table(directory / rel, columns=["id", "license", "redistributable"])
        included = pq.read_table(directory / rel, columns=["text"]).column("text").is_valid().to_pylist()
        for row, has_text in zip(table.to_pylist(), included):
            articles.append(ArticleText(row["id"], row["license"], row["redistributable"], has_text))
            if not row["redistributable"] and has_text:
                restricted.append(row["id"])
    if restricted and not include_restricted_text:
        raise PublishError(
            f"{len(restricted)} article(s) whose licence forbids redistribution have their text in this folder ({', '.join(restricted[:3])})",
            file=str(directory),
            code="restricted-text",
            hint="build it with `newscorpus build --public`, or pass --include-restricted-text if you hold the rights",
        )
    return PublishPlan(directory=directory, files=files, restricted=restricted, articles=articles)


def publish_dataset(
    repo_id: str,
    *,
    directory: str | Path = "dist/dataset",
    private: bool = False,
    dry_run: bool = False,
    include_restricted_text: bool = False,
    token: str | None = None,
) -> PublishResult:
    """Push ``directory`` to the dataset repo ``repo_id`` (created when missing).

    One commit uploads exactly :attr:`PublishPlan.files` and deletes Parquet files of the repo
    that the new card no longer declares. ``dry_run`` checks and plans without a token or
    network. Raises :class:`PublishError` (``bad-repo-id``, ``no-token``, ``hub-error`` and
    those of :func:`plan_publish`).
    """
    from huggingface_hub import HfApi
    from huggingface_hub.errors import HFValidationError
    from huggingface_hub.utils import validate_repo_id

    try:
        validate_repo_id(repo_id)
    except HFValidationError as exc:
        raise PublishError(f"{repo_id!r} is not a valid repo id: {exc}", code="bad-repo-id", hint="use owner/name") from exc
    if "/" not in repo_id:
        raise PublishError(f"{repo_id!r} names no owner", code="bad-repo-id", hint="use owner/name, e.g. your user or organisation name")
    plan = plan_publish(directory, include_restricted_text=include_restricted_text)
    if dry_run:
        return PublishResult(plan=plan, repo_id=repo_id, private=private, dry_run=True)
    token = token or os.environ.get("HF_TOKEN")
    if not token:
        raise PublishError("no Hugging Face token", code="no-token", hint="set HF_TOKEN to a token with write access")
    api = HfApi(token=token)
    try:
        api.create_repo(repo_id, repo_type="dataset", private=private, exist_ok=True)
        commit = api.upload_folder(
            repo_id=repo_id,
            repo_type="dataset",
            folder_path=str(plan.directory),
            allow_patterns=[rel for rel, _ in plan.files],
            delete_patterns=["*.parquet"],
            commit_message="Update dataset (newscorpus publish)",
        )
    except Exception as exc:  # huggingface_hub raises HTTP and OS errors of many kinds
        raise PublishError(f"the Hub refused the upload: {type(exc).__name__}: {exc}".replace(token, "***"), code="hub-error") from exc
    return PublishResult(plan=plan, repo_id=repo_id, private=private, dry_run=False, commit_url=str(getattr(commit, "commit_url", commit)))

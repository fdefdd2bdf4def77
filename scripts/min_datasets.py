"""Measure which ``datasets`` releases load a newscorpus build exactly as the pinned one does.

For each release it makes a throwaway venv (``python3.11 -m venv VENVS/ds-<release>``, then
``pip install datasets==<release>``: pip picks pyarrow, fsspec, numpy and the rest), runs
this same file there as ``probe``, and compares what that release read with what the
pinned release (``newscorpus.dataset.card.about.TESTED_DATASETS``) read:

- ``probe BUILD...`` (run inside a candidate venv): for every build folder, every config
  (a sub-folder holding Parquet files) and every split (the file names' ``<split>-`` prefix)
  it calls ``datasets.load_dataset(BUILD, CONFIG, split=SPLIT)`` with an empty cache and
  no network, reads every row, decodes every ClassLabel (``int2str``, -1 as "no label",
  also inside lists, after checking ``names`` and ``num_classes`` agree), and prints JSON: per build, config
  and split, the features (ClassLabel names, value dtypes, lists) and the row count and
  SHA-256 of the decoded rows, or the error (type and first line).
- ``run`` (the measurement): probes every release given (at most ``--jobs`` at a time),
  and prints the Markdown table of docs/dataset.md ("`datasets` version"): a release
  passes when it loads every config and split with the pinned release's features and rows.
  The minimum counts only releases installed with pip's own pick of dependencies; a
  candidate ``2.13.2:pyarrow<21`` adds a row with that pin, to tell why a release fails.

    python scripts/min_datasets.py run --build /tmp/dsmin/build --build /tmp/dsmin/build-synth \\
        --versions 2.14.7 3.0.2 4.0.0 5.2.0 --venvs /tmp --jobs 2 --json /tmp/dsmin/results.json

Only this file's standard library is needed outside the candidate venvs; the venvs need
PyPI (or a mirror) the first time and are reused after.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import re
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

PYTHON = "python3.11"


# --- probe: runs inside a candidate venv, imports only datasets -------------------------------

def _describe(feature) -> object:
    """A release-independent description of a feature: ClassLabel names, dtypes, lists."""
    from datasets import ClassLabel, Value

    if isinstance(feature, ClassLabel):
        return {"class_label": list(feature.names)}
    if isinstance(feature, Value):
        return {"dtype": feature.dtype}
    if isinstance(feature, dict):
        return {key: _describe(value) for key, value in feature.items()}
    if isinstance(feature, list):
        return {"list": _describe(feature[0])}
    inner = getattr(feature, "feature", None)
    if inner is not None:  # Sequence (all releases), List / LargeList (datasets >= 4)
        length = getattr(feature, "length", -1)
        return {"list": _describe(inner), **({"length": length} if length not in (-1, None) else {})}
    return {"type": type(feature).__name__}


def _decode(value, feature):
    """``value`` with every ClassLabel id replaced by its name (``int2str``)."""
    from datasets import ClassLabel

    if value is None:
        return None
    if isinstance(feature, ClassLabel):
        if len(feature.names) != feature.num_classes:
            raise ValueError(f"ClassLabel names {len(feature.names)} != num_classes {feature.num_classes}")
        return None if value == -1 else feature.int2str(value)  # -1: "no label"
    if isinstance(feature, dict):
        return {key: _decode(value[key], sub) for key, sub in feature.items()}
    inner = feature[0] if isinstance(feature, list) else getattr(feature, "feature", None)
    if inner is None:
        return value
    if isinstance(value, dict):  # a Sequence of a struct reads as a dict of lists
        return {key: [_decode(x, inner[key]) for x in value[key]] for key in inner}
    return [_decode(x, inner) for x in value]


def _plain(value):
    if isinstance(value, (dt.date, dt.datetime, dt.time)):
        return value.isoformat()
    if isinstance(value, bytes):
        return value.hex()
    return repr(value)


def _error(exc: BaseException) -> str:
    """``Type: first line [... last line]`` of an exception, and of its cause when it has one."""
    lines = str(exc).strip().splitlines() or [""]
    said = f"{type(exc).__name__}: {lines[0][:160]}" + (f" ... {lines[-1][:80]}" if len(lines) > 1 else "")
    cause = exc.__cause__ or exc.__context__
    return f"{said} (from {_error(cause)})" if cause is not None and cause is not exc else said


def layout(build: Path) -> dict[str, list[str]]:
    """``{config: [split, ...]}`` of a build folder, from its Parquet file names."""
    return {config.name: sorted({f.name.split("-", 1)[0] for f in config.glob("*.parquet")})
            for config in sorted(build.iterdir()) if config.is_dir() and any(config.glob("*.parquet"))}


def probe(builds: list[Path]) -> dict:
    """What the installed ``datasets`` reads from each build (see the module docstring)."""
    import datasets

    out: dict = {"datasets": datasets.__version__, "builds": {}}
    for name in ("pyarrow", "fsspec", "numpy", "huggingface_hub", "pandas"):
        try:
            out[name] = __import__(name).__version__
        except Exception:  # noqa: BLE001 - a dependency may be absent
            out[name] = None
    for build in builds:
        found = out["builds"][str(build)] = {}
        for config, splits in layout(build).items():
            for split in splits:
                with tempfile.TemporaryDirectory() as cache:
                    try:
                        ds = datasets.load_dataset(str(build), config, split=split, cache_dir=cache)
                        rows = [_decode(row, ds.features) for row in ds]
                        blob = json.dumps(rows, sort_keys=True, ensure_ascii=False, default=_plain)
                        found[f"{config}/{split}"] = {
                            "features": {key: _describe(f) for key, f in ds.features.items()},
                            "rows": len(rows), "sha256": hashlib.sha256(blob.encode()).hexdigest()}
                    except Exception as exc:  # noqa: BLE001 - every failure is a result
                        found[f"{config}/{split}"] = {"error": _error(exc)}
    return out


# --- run: the measurement, from any Python ----------------------------------------------------

def venv_for(candidate: str, venvs: Path) -> tuple[Path | None, str]:
    """``(python, "")`` of a venv holding the candidate (made if needed), or ``(None, why)``.

    A candidate is a release (``"2.14.7"``: pip picks every dependency) or a release and
    pins after ``:`` (``"2.13.2:pyarrow<21"``)."""
    version, *pins = candidate.split(":")
    root = venvs / ("ds-" + re.sub(r"[^A-Za-z0-9.]+", "-", candidate))
    python = root / "bin" / "python"
    if python.exists():
        done = subprocess.run([str(python), "-c", "import datasets; print(datasets.__version__)"],
                              capture_output=True, text=True)
        if done.returncode == 0 and done.stdout.strip() == version:
            return python, ""
    subprocess.run([PYTHON, "-m", "venv", "--clear", str(root)], check=True)
    done = subprocess.run([str(python), "-m", "pip", "install", "-q", f"datasets=={version}", *pins],
                          capture_output=True, text=True)
    if done.returncode:
        return None, "pip install failed: " + (done.stderr.strip().splitlines() or [""])[-1][:200]
    return python, ""


def measure(candidate: str, builds: list[Path], venvs: Path) -> dict:
    """The probe's result for one candidate (:func:`venv_for`), or ``{"datasets": ..., "error": ...}``;
    ``"pins"`` holds the candidate's pins (``""`` when pip picked everything)."""
    version, _, pins = candidate.partition(":")
    python, why = venv_for(candidate, venvs)
    if python is None:
        return {"datasets": version, "pins": pins, "error": why}
    env = dict(os.environ, HF_HUB_OFFLINE="1", HF_DATASETS_OFFLINE="1", HF_DATASETS_DISABLE_PROGRESS_BARS="1",
               PYTHONPATH="")
    with tempfile.TemporaryDirectory() as home:
        env["HF_HOME"] = home
        done = subprocess.run([str(python), __file__, "probe", *map(str, builds)],
                              capture_output=True, text=True, env=env)
    if done.returncode:
        last = (done.stderr.strip().splitlines() or ["(no output)"])[-1][:200]
        return {"datasets": version, "pins": pins, "error": f"probe failed: {last}"}
    try:
        found = json.loads(done.stdout.strip().splitlines()[-1])
    except (IndexError, ValueError):
        last = (done.stderr.strip().splitlines() or ["(no output)"])[-1][:200]
        return {"datasets": version, "pins": pins, "error": f"probe printed no result: {last}"}
    return {**found, "pins": pins}


def verdict(result: dict, reference: dict) -> tuple[bool, str]:
    """``(passes, why)``: every config and split loads with the reference's features and rows."""
    if "error" in result:
        return False, result["error"]
    problems = []
    for build, expected in reference["builds"].items():
        got = result["builds"].get(build, {})
        for key, want in expected.items():
            have = got.get(key, {"error": "not probed"})
            if "error" in have:
                problems.append(f"{key}: {have['error']}")
            elif have["features"] != want["features"]:
                differ = sorted(c for c in set(want["features"]) | set(have["features"])
                                if want["features"].get(c) != have["features"].get(c))
                problems.append(f"{key}: features differ ({', '.join(differ)})")
            elif (have["rows"], have["sha256"]) != (want["rows"], want["sha256"]):
                problems.append(f"{key}: rows differ ({have['rows']} vs {want['rows']})")
    if not problems:
        return True, "every config and split: same features and rows"
    same = {p.split(": ", 1)[1] for p in problems}
    return False, (f"{len(problems)} config/split(s): {same.pop()}" if len(same) == 1 else "; ".join(problems[:3]))


def version_key(version: str) -> tuple[int, ...]:
    """``"2.14.7"`` as ``(2, 14, 7)``, to sort releases."""
    return tuple(int(p) for p in version.split("."))


def table(results: list[dict], reference: dict) -> str:
    """The Markdown table: release, pins (else pip's pick), pyarrow and numpy installed, result, reason."""
    lines = ["| datasets | pinned | pyarrow | numpy | result | detail |", "|---|---|---|---|---|---|"]
    for result in sorted(results, key=lambda r: (version_key(r["datasets"]), r["pins"])):
        ok, why = verdict(result, reference)
        lines.append(f"| {result['datasets']} | {result['pins'] or '-'} | {result.get('pyarrow') or '-'} | "
                     f"{result.get('numpy') or '-'} | {'loads' if ok else 'fails'} | {why.replace('|', '/')} |")
    return "\n".join(lines)


def minimum(results: list[dict], reference: dict) -> str | None:
    """The lowest release measured with pip's pick of dependencies that passes, with every
    such release above it passing too."""
    low = None
    plain = [r for r in results if not r["pins"]]
    for result in sorted(plain, key=lambda r: version_key(r["datasets"]), reverse=True):
        if not verdict(result, reference)[0]:
            break
        low = result["datasets"]
    return low


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("probe", help="inside a candidate venv: print what it reads, as JSON")
    p.add_argument("builds", nargs="+", type=Path)
    r = sub.add_parser("run", help="probe every release and print the table")
    r.add_argument("--build", action="append", type=Path, required=True, help="a built dataset folder (repeatable)")
    r.add_argument("--versions", nargs="+", required=True,
                   help="datasets releases, each optionally with pins after ':' (2.13.2:pyarrow<21); "
                        "must include the pinned release")
    r.add_argument("--reference", help="the release to compare with (default: TESTED_DATASETS)")
    r.add_argument("--venvs", type=Path, default=Path(tempfile.gettempdir()), help="where the ds-<release> venvs go")
    r.add_argument("--jobs", type=int, default=2)
    r.add_argument("--json", type=Path, help="also write every raw result here")
    args = parser.parse_args(argv)
    if args.command == "probe":
        json.dump(probe([b.resolve() for b in args.builds]), sys.stdout)
        return 0
    reference_version = args.reference
    if reference_version is None:
        sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
        from newscorpus.dataset.card.about import TESTED_DATASETS as reference_version
    if reference_version not in args.versions:
        parser.error(f"--versions must include the reference release {reference_version}")
    builds = [b.resolve() for b in args.build]
    with ThreadPoolExecutor(args.jobs) as pool:
        results = list(pool.map(lambda v: measure(v, builds, args.venvs), args.versions))
    reference = next(r for r in results if r["datasets"] == reference_version and not r["pins"])
    if "error" in reference:
        parser.error(f"the reference release {reference_version} itself fails: {reference['error']}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=1), encoding="utf-8")
    print(table(results, reference))
    print(f"\nminimum: {minimum(results, reference)} (reference {reference_version}, "
          f"{sum(len(v) for v in reference['builds'].values())} config/split(s) in {len(builds)} build(s))")
    return 0


if __name__ == "__main__":
    sys.exit(main())

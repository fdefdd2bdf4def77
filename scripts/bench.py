"""The newscorpus benchmark: every stage on N synthetic seed-like articles, against references.

    python scripts/bench.py --n 10000          # make bench; make bench N=100000
    python scripts/bench.py --n 1000 --keep    # keep the scratch folder .bench/1000
    python scripts/bench.py --n 2000 --with-label-studio   # also ls push / ls pull (a real server)
    python scripts/bench.py --scaling          # cost per article across the sizes run so far

Generates N articles (scripts/synth.py) and a compact Label Studio full JSON export with three
annotators per task (about 54 KB a task), then times, each stage in a fresh process:

    ingest      seeds -> records (canonical text, spaCy sentencizer), MB/s of text
    tasks       records -> Label Studio tasks.json
    (--with-label-studio: ls push and ls pull, scripts/bench_ls.py, against Label Studio's
    own import API call with the same tasks file and its own export call)
    import      the export -> records        vs a bare ijson pass (yajl2_c) and the SDK's JSON -> JSON_MIN
    reimport    the same export again, nothing to change       vs the first import (the import cache answers
                the tasks: NEWSCORPUS_CACHE_DIR is the run's scratch folder, so every run starts without one)
    validate    records, JSON Schema + semantics  vs only parsing the records (orjson)
    build       records -> Hugging Face Parquet   vs writing the same rows with pyarrow directly
    agreement   records -> agreement.json and .png (three annotators)
    adjudicate  records -> gold in every record, adjudication tasks
    migrate     the records written back as schema 1.1.0 (no `scheme`), upgraded to the current version

Each run saves its numbers to .bench/results/<N>.json (with the commit and the load
average); --scaling prints the cost per article of every stage at each size saved, which
shows whether the cost is linear in N. Each reference runs on one core in its fastest way. Peak RSS is summed over the stage's
process and all its children (sampled every 20 ms with psutil, and never less than the
kernel's high-water mark of the stage's own process). CPU is user + system time of the stage
and its children. Targets that are missed print MISSED; the exit status is non-zero only on
an error.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import psutil

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "scripts"))

import bench_ls  # noqa: E402

# the rest are references and generators
OUR_STAGES = ["ingest", "tasks", "ls-push", "ls-pull", "import", "reimport", "validate", "build", "agreement", "adjudicate", "migrate"]
# build after adjudicate: only articles with decided gold have ner, sentences and quotes rows,
# and with three annotators a task has gold only once adjudicate has decided it (majority)
STAGES = ["ingest", "tasks", "export", "ref-ijson", "ref-sdk", "import", "reimport", "ref-parse", "validate", "agreement",
          "adjudicate", "ref-pyarrow", "build", "downgrade", "migrate"]
#: Annotators per task of the generated export (``--annotators``; the stages' child processes
#: read it from the environment).
ANNOTATORS = int(os.environ.get("NEWSCORPUS_BENCH_ANNOTATORS", "3"))


# ---------------------------------------------------------------- stages (child process)


def _stage(name: str, root: Path, n: int) -> dict:
    """Run one stage in this process; returns {units, bytes, extra...}."""
    seeds, ann, export = root / "seeds", root / "annotations", root / "export.json"
    if name == "ingest":
        from newscorpus.ingest.run import ingest_all

        size = sum(p.stat().st_size for p in seeds.glob("*.txt"))
        report = ingest_all(seeds, annotations_dir=ann)
        return {"units": report.total, "bytes": size}
    if name == "tasks":
        from newscorpus.records.io import iter_record_paths, read_record
        from newscorpus.labelstudio.tasks import write_tasks

        report = write_tasks((read_record(p) for p in iter_record_paths(ann)), out_dir=root / "ls")
        return {"units": report.tasks, "bytes": report.tasks_path.stat().st_size}
    if name == "export":
        import synth

        return {"units": n, "bytes": synth.write_export(n, ann, export, annotators=ANNOTATORS)}
    if name == "ref-ijson":
        import ijson

        assert ijson.backend == "yajl2_c", f"ijson backend is {ijson.backend}, not yajl2_c"
        with open(export, "rb") as fh:
            count = sum(1 for _ in ijson.items(fh, "item", use_float=True))
        return {"units": count, "bytes": export.stat().st_size}
    if name == "ref-sdk":
        import logging
        import tempfile

        from label_studio_sdk.converter import Converter

        from newscorpus.labelstudio.tasks import label_config

        logging.disable(logging.WARNING)
        with tempfile.TemporaryDirectory(dir=root) as tmp:
            Converter(label_config(), tmp, download_resources=False).convert_to_json_min(str(export), tmp, is_dir=False)
        return {"units": n, "bytes": export.stat().st_size}
    if name in ("import", "reimport"):
        from newscorpus.importers.run import import_export

        report = import_export(export, annotations_dir=ann)
        assert report.tasks == n and report.annotations["submitted"] == ANNOTATORS * n, report.annotations
        assert len(report.written) == (n if name == "import" else 0), len(report.written)
        return {"units": report.tasks, "bytes": export.stat().st_size, "written": len(report.written), "cached": report.cached}
    if name == "ref-parse":
        import orjson

        size = count = 0
        for path in sorted(ann.glob("*.json")):
            raw = path.read_bytes()
            orjson.loads(raw)
            size += len(raw)
            count += 1
        return {"units": count, "bytes": size}
    if name == "validate":
        from newscorpus.validate.run import validate_paths

        result = validate_paths([ann], checker="jsonschema-rs")
        bad = [str(v) for v in result.violations[:3]]
        assert result.valid, f"synthetic records are invalid: {bad}"
        return {"units": len(result.files), "bytes": sum(p.stat().st_size for p in ann.glob("*.json"))}
    if name == "ref-pyarrow":
        return _ref_pyarrow(ann, root / "ref-parquet")
    if name == "build":
        from newscorpus.dataset.build import build_dataset

        out = root / "dataset"
        result = build_dataset(annotations_dir=ann, out=out)
        size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
        return {"units": len(result.article_splits), "bytes": size}
    return _stage_after_build(name, root, n)


def _stage_after_build(name: str, root: Path, n: int) -> dict:
    """The stages after the build (they change the records: gold, then old copies)."""
    ann, old = root / "annotations", root / "old"
    records_bytes = sum(p.stat().st_size for p in ann.glob("*.json")) if name in ("agreement", "adjudicate") else 0
    if name == "agreement":
        from newscorpus.agreement.report import agreement_dir
        from newscorpus.core.scheme import default_scheme

        run = agreement_dir(ann, out_dir=root / "agreement", scheme=default_scheme())
        assert run.report.articles == n and run.report.articles_with_multiple_annotators == n, run.report.articles
        return {"units": n, "bytes": records_bytes}
    if name == "adjudicate":
        from newscorpus.agreement.adjudication_run import adjudicate_dir
        from newscorpus.core.scheme import default_scheme

        result = adjudicate_dir(ann, scheme=default_scheme(), tasks_path=root / "adjudication" / "tasks.json")
        assert result.written == n, result.written
        return {"units": n, "bytes": records_bytes, "tasks": result.tasks}
    if name == "downgrade":
        import orjson

        old.mkdir(exist_ok=True)
        size = 0
        for path in sorted(ann.glob("*.json")):
            data = orjson.loads(path.read_bytes())
            data["schema_version"] = "1.1.0"
            del data["scheme"]
            raw = orjson.dumps(data, option=orjson.OPT_INDENT_2) + b"\n"
            (old / path.name).write_bytes(raw)
            size += len(raw)
        return {"units": n, "bytes": size}
    if name == "migrate":
        from newscorpus.core.scheme import default_scheme
        from newscorpus.records.migrate import migrate_paths

        size = sum(p.stat().st_size for p in old.glob("*.json"))
        report = migrate_paths([old], scheme=default_scheme())
        assert len(report.pending) == n, len(report.pending)
        return {"units": n, "bytes": size}
    if name in bench_ls.STAGES:
        return bench_ls.run(name, root, n)
    raise SystemExit(f"unknown stage {name}")


def _ref_pyarrow(ann: Path, out: Path) -> dict:
    """The build's reference: read each record (orjson) and write its article row (text,
    sentences, spans, relations and article labels of every annotation) with pyarrow
    directly, inferring the types, zstd, one file."""
    import orjson
    import pyarrow as pa
    import pyarrow.parquet as pq

    out.mkdir(parents=True, exist_ok=True)
    writer = None
    batch: list[dict] = []
    count = 0

    def flush() -> None:
        nonlocal writer
        table = pa.Table.from_pylist(batch)
        if writer is None:
            writer = pq.ParquetWriter(out / "articles.parquet", table.schema, compression="zstd")
        writer.write_table(table)
        batch.clear()

    for path in sorted(ann.glob("*.json")):
        rec = orjson.loads(path.read_bytes())
        spans = [dict(s, annotation=a["id"]) for a in rec["annotations"] for s in a["spans"]]
        relations = [dict(r, annotation=a["id"]) for a in rec["annotations"] for r in a["relations"]]
        batch.append({"id": rec["id"], "text": rec["text"], "text_sha256": rec["text_sha256"], "meta": rec["meta"],
                      "sentences": rec["sentences"], "spans": spans, "relations": relations,
                      "sentence_labels": [dict(x, annotation=a["id"]) for a in rec["annotations"] for x in a["sentence_labels"]],
                      "genre": [g for a in rec["annotations"] for g in a["article_labels"].get("genre", [])],
                      "frames": [f for a in rec["annotations"] for f in a["article_labels"].get("frames", [])]})
        count += 1
        if len(batch) >= 256:
            flush()
    if batch:
        flush()
    if writer is not None:
        writer.close()
    return {"units": count, "bytes": (out / "articles.parquet").stat().st_size}


# ---------------------------------------------------------------- measuring (parent)


def _vm_hwm() -> int:
    """This process's peak RSS in bytes (VmHWM; ru_maxrss would carry the parent's from fork)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def run_stage(name: str, root: Path, n: int) -> dict:
    """Run ``name`` in a fresh process; add seconds, CPU seconds and peak RSS (bytes, summed
    over the process tree) to its result."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    cmd = [sys.executable, __file__, "--stage", name, "--root", str(root), "--n", str(n)]
    start = time.perf_counter()
    env = {**os.environ, "PYTHONPATH": f"{REPO / 'src'}:{os.environ.get('PYTHONPATH', '')}",
           "NEWSCORPUS_CACHE_DIR": str(root / "cache")}  # the import cache of this run only (importers/cache.py)
    child = subprocess.Popen(cmd, stdout=subprocess.PIPE, env=env)
    proc = psutil.Process(child.pid)
    peak = 0
    done = threading.Event()

    def sample() -> None:
        # the process tree is re-listed every 0.5 s (listing scans /proc: at every tick it
        # cost the sampler a quarter of a core); the RSS of each member is read every 20 ms
        nonlocal peak
        tree: list[psutil.Process] = [proc]
        tick = 0
        while not done.is_set():
            if tick % 25 == 0:
                try:
                    tree = [proc, *proc.children(recursive=True)]
                except psutil.Error:
                    pass
            total = 0
            for member in tree:
                try:
                    total += member.memory_info().rss
                except psutil.Error:
                    pass
            peak = max(peak, total)
            tick += 1
            done.wait(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, _ = child.communicate()
    seconds = time.perf_counter() - start
    done.set()
    sampler.join()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if child.returncode != 0:
        raise RuntimeError(f"stage {name} failed (exit {child.returncode})")
    result = json.loads(out.decode().strip().splitlines()[-1])
    result["seconds"] = result.pop("inner_seconds", seconds)
    result["cpu"] = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    result["rss"] = max(peak, result.pop("self_maxrss"))
    result["load"] = os.getloadavg()[0]
    return result


def _fmt_rate(x: float) -> str:
    return f"{x:,.0f}" if x >= 100 else f"{x:,.1f}"


def report(results: dict[str, dict], n: int) -> list[str]:
    """The table and the target lines; returns the missed targets."""
    print(f"\nN = {n:,} articles\n")
    head = f"{'stage':<14}{'seconds':>9}{'articles/s':>12}{'MB/s':>9}{'CPU s':>8}{'peak RSS MB':>13}{'µs/article':>12}{'load':>6}"
    print(head)
    print("-" * len(head))
    for name, r in results.items():
        if name.startswith("_"):
            continue
        print(f"{name:<14}{r['seconds']:>9.2f}{_fmt_rate(r['units'] / r['seconds']):>12}{r['bytes'] / r['seconds'] / 1e6:>9.1f}"
              f"{r['cpu']:>8.1f}{r['rss'] / 1e6:>13.0f}{r['seconds'] / max(r['units'], 1) * 1e6:>12,.0f}{r.get('load', 0):>6.1f}")
    print()
    missed: list[str] = []

    def target(label: str, ok: bool, detail: str) -> None:
        print(f"  {'ok    ' if ok else 'MISSED'}  {label}: {detail}")
        if not ok:
            missed.append(label)

    def rate(name: str) -> float:
        r = results[name]
        return r["bytes"] / r["seconds"]

    seed_sentences = results.get("_seed_sentences")
    ing = results.get("ingest")
    if ing:
        target("segmentation >= 1 MB/s (ingest, text)", rate("ingest") >= 1e6, f"{rate('ingest') / 1e6:.2f} MB/s")
    target("the seed keeps its 14 sentences", seed_sentences == 14, f"{seed_sentences} sentences")
    imp = results.get("import")
    if imp:
        r1 = rate("import") / rate("ref-ijson")
        r2 = rate("import") / rate("ref-sdk")
        target("import >= 1.0x a bare ijson pass", r1 >= 1.0, f"{r1:.2f}x ({rate('import') / 1e6:.1f} vs {rate('ref-ijson') / 1e6:.1f} MB/s)")
        target("import >= 3x the SDK's JSON -> JSON_MIN", r2 >= 3, f"{r2:.2f}x ({rate('ref-sdk') / 1e6:.1f} MB/s)")
    again = results.get("reimport")
    if imp and again:
        ratio = again["seconds"] / imp["seconds"]
        target("re-import of an unchanged export <= 0.3x the first import", ratio <= 0.3,
               f"{ratio:.2f}x ({again['seconds']:.1f} vs {imp['seconds']:.1f} s)")
    val = results.get("validate")
    if val:
        ref = results["ref-parse"]
        cpu_ratio = (val["cpu"] / val["units"]) / (ref["cpu"] / ref["units"])
        target("validate CPU per record <= 3x parsing", cpu_ratio <= 3,
               f"{cpu_ratio:.1f}x ({val['cpu'] / val['units'] * 1e6:,.0f} vs {ref['cpu'] / ref['units'] * 1e6:,.0f} µs of CPU a record "
               f"of {val['bytes'] / val['units'] / 1e3:.1f} KB; {val['units'] / val['seconds']:,.0f} records/s)")
    bld = results.get("build")
    if bld:
        ratio = bld["seconds"] / results["ref-pyarrow"]["seconds"]
        target("build <= 2x direct pyarrow", ratio <= 2, f"{ratio:.2f}x the time")
    push, pull = results.get("ls-push"), results.get("ls-pull")
    if push:
        ratio = push["seconds"] / results["ref-ls-import"]["seconds"]
        target("ls push <= 1.5x Label Studio's import API", ratio <= 1.5,
               f"{ratio:.2f}x ({push['seconds']:.1f} vs {results['ref-ls-import']['seconds']:.1f} s)")
    if pull:
        ref = results["ref-ls-export"]
        ratio = pull["seconds"] / (ref["export_seconds"] + ref["import_seconds"])
        target("ls pull <= 1.5x Label Studio's export call + our import", ratio <= 1.5,
               f"{ratio:.2f}x ({pull['seconds']:.1f} vs {ref['export_seconds']:.1f} + {ref['import_seconds']:.1f} s)")
    ours = {k: r for k, r in results.items() if k in OUR_STAGES and r}
    over = [k for k in ours if ours[k]["rss"] >= 300e6]
    worst = max(ours, key=lambda k: ours[k]["rss"], default=None)
    peak = ours[worst]["rss"] if worst else 0
    target("peak RSS < 300 MB in every stage of ours (all processes)", not over,
           f"{peak / 1e6:.0f} MB at most ({worst})" + (f"; over: {', '.join(over)}" if over else ""))
    print(f"\n  {len(missed)} target(s) MISSED" if missed else "\n  every target met")
    return missed


RESULTS = REPO / ".bench" / "results"


def _commit() -> str:
    try:
        out = subprocess.run(["git", "-C", str(REPO), "describe", "--always", "--dirty"], capture_output=True, text=True, check=True)
        return out.stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def save(results: dict[str, dict | None], n: int, missed: list[str]) -> Path:
    """Write this run's numbers to .bench/results/<n>.json (atomically); returns the path."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{n}.json"
    payload = {"n": n, "commit": _commit(), "finished": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
               "cpus": psutil.cpu_count(), "missed": missed, "results": results}
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(payload, indent=2) + "\n")
    os.replace(tmp, path)
    return path


#: the cost per article at the largest N may exceed the next size's by at most this factor
LINEAR_SLACK = 1.25


def _loads(run: dict) -> str:
    """``, load L1 to L2``: the range of load averages a saved run's stages ended at."""
    loads = [r["load"] for r in run["results"].values() if isinstance(r, dict) and "load" in r]
    return f", load {min(loads):.1f} to {max(loads):.1f}" if loads else ""


def scaling() -> int:
    """Print the cost per article of every stage at each N saved in .bench/results, CPU time
    first, then wall time, and whether the cost of our stages (:data:`OUR_STAGES`; references
    and the generator are shown, not judged) grows linearly: CPU per article at the largest N
    within LINEAR_SLACK of the next smaller N (small runs pay start-up, so their cost per
    article is higher, not lower). CPU time is judged because runs at different sizes meet
    different loads on a shared machine, which changes wall time but hardly CPU time."""
    runs = sorted((json.loads(p.read_text()) for p in RESULTS.glob("*.json")), key=lambda r: r["n"])
    if len(runs) < 2:
        print("--scaling needs runs at two sizes or more (make bench N=1000, N=10000, N=100000)", file=sys.stderr)
        return 1
    sizes = [r["n"] for r in runs]
    bad: list[str] = []
    for key, title in (("cpu", "µs of CPU per article (the stage and its children)"), ("seconds", "µs of wall time per article")):
        print(f"{title}\n")
        print(f"{'stage':<14}" + "".join(f"{f'N = {n:,}':>16}" for n in sizes) + f"{'last/previous':>15}")
        for name in [*STAGES, *bench_ls.STAGES]:
            cells, costs = [], []
            for run in runs:
                r = run["results"].get(name)
                cost = r[key] / max(r["units"], 1) * 1e6 if r else None
                costs.append(cost)
                cells.append(f"{cost:>16,.0f}" if cost is not None else f"{'-':>16}")
            growth = costs[-1] / costs[-2] if costs[-1] and costs[-2] else None
            judged = key == "cpu" and name in OUR_STAGES  # references and the generator are shown, not judged
            flag = "" if growth is None else f"{growth:>13.2f}x" + (" !" if judged and growth > LINEAR_SLACK else "")
            if judged and growth is not None and growth > LINEAR_SLACK:
                bad.append(name)
            print(f"{name:<14}" + "".join(cells) + f"{flag:>15}")
        print()
    print("  ".join(f"N = {r['n']:,}: {r['commit']}, {r['finished']}{_loads(r)}" for r in runs))
    print(f"\n  {'MISSED' if bad else 'ok    '}  cost linear in N (CPU per article at N = {sizes[-1]:,} within "
          f"{LINEAR_SLACK}x of N = {sizes[-2]:,}){': ' + ', '.join(bad) if bad else ''}")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description="newscorpus benchmark (see the module docstring)")
    parser.add_argument("--n", type=int, default=10_000, help="articles to generate [10000]")
    parser.add_argument("--root", type=Path, default=None, help="scratch folder [.bench/<n>]")
    parser.add_argument("--keep", action="store_true", help="keep the scratch folder")
    parser.add_argument("--annotators", type=int, default=None,
                        help="annotators per task of the generated export [3; 2 is the export of the benchmarks before issue 18]")
    parser.add_argument("--scaling", action="store_true", help="print the cost per article of every size saved in .bench/results")
    parser.add_argument("--with-label-studio", action="store_true",
                        help="also time ls push / ls pull against a local Label Studio (NEWSCORPUS_LS_VENV or .venv-ls)")
    parser.add_argument("--stage", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.annotators is not None:
        global ANNOTATORS
        ANNOTATORS = args.annotators
        os.environ["NEWSCORPUS_BENCH_ANNOTATORS"] = str(args.annotators)  # the stages' child processes
    if args.scaling:
        return scaling()
    if args.stage:
        t0 = time.perf_counter()
        result = _stage(args.stage, args.root, args.n)
        result["inner_seconds"] = time.perf_counter() - t0
        result["self_maxrss"] = _vm_hwm()
        print(json.dumps(result))
        return 0

    import synth
    from rich.progress import Progress

    from newscorpus.ingest.run import canonical_text, segment

    root = args.root or REPO / ".bench" / str(args.n)
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    print(f"newscorpus bench: N={args.n:,}, scratch {root}, {psutil.cpu_count()} CPUs, "
          f"{psutil.virtual_memory().total / 2**30:.1f} GiB RAM, load average {os.getloadavg()[0]:.2f}", flush=True)
    results: dict[str, dict | None] = {}
    stages = list(STAGES)
    server = None
    if args.with_label_studio:
        at = stages.index("tasks") + 1
        stages[at:at] = bench_ls.STAGES
    try:
        seed = REPO / "seeds" / "000_ba712161f3bc6069.txt"
        results["_seed_sentences"] = len(segment(canonical_text(seed.read_bytes())))
        with Progress(transient=True) as bar:
            job = bar.add_task("generating seeds", total=args.n)
            synth.write_seeds(args.n, root / "seeds", progress=lambda k: bar.update(job, completed=k))
        for name in stages:
            if name in bench_ls.STAGES and server is None:
                print("  starting Label Studio ...", end=" ", flush=True)
                server = bench_ls.start_server(root)
                print(server.url, flush=True)
            if name not in bench_ls.STAGES and server is not None:
                server.stop()
                server = None
            print(f"  {name} ...", end=" ", flush=True)
            results[name] = run_stage(name, root, args.n)
            r = results[name]
            print(f"{r['seconds']:.1f} s, peak RSS {r['rss'] / 1e6:.0f} MB, load average {r['load']:.2f}", flush=True)
    except Exception as exc:  # noqa: BLE001 - a failed stage is an error: say which and exit 1
        print(f"\nerror: {exc}", file=sys.stderr)
        return 1
    finally:
        if server is not None:
            server.stop()
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)
    missed = report(results, args.n)
    print(f"\n  saved to {save(results, args.n, missed).relative_to(REPO)}; `python scripts/bench.py --scaling` compares sizes")
    return 0


if __name__ == "__main__":
    sys.exit(main())

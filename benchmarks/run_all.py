"""hostkb's benchmark suite: every figure of issue 6 next to its floor, in one run.

    make bench                                   # everything (10 000-document builds take ~30 min)
    make bench BENCH_ARGS=--quick                # builds of 1 000 documents only
    .venv/bin/python benchmarks/run_all.py [--quick] [--skip-pdfplumber] [--only load extract build catalog]

Sections (each reuses the script of the same name, which also runs alone):

* load     ``bench_load``: pages/s of ``load_pdf`` vs pdfplumber ``extract_text()`` and
           pypdfium2 ``get_text_range()`` on ../shared/corpus/pdf, one core;
* extract  ``bench_extract``: kB/s of the extraction stage vs ``spacy.blank("en")``, both cold;
* build    full builds of a seeded synthetic corpus (scripts/make_synthetic_corpus.py,
           2 % PDFs) of 1 000 and 10 000 documents with 1 and 2 workers, each
           ``hostkb build`` in its own process: documents/s, CPU seconds, and the peak
           RSS of the whole process tree (parent + workers, summed, sampled every 0.1 s
           with psutil; shared pages are counted once per process, so this is an upper
           bound); then, on the 2-worker database, a rebuild with nothing changed and
           one with 1 % of the files rewritten with new content;
* catalog  ``bench_catalog``: p50/p95 of the ranking query and the host profile on
           synthetic databases of 100 000 and 1 000 000 measurements.

Writes ``benchmarks/results/latest.json`` and ``BENCHMARKS.md`` (the table, machine,
date and command; the "Profile" section of BENCHMARKS.md is kept as written).
Exit code 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import platform
import random
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(REPO))

RESULTS = HERE / "results"
SEED = 7
PDF_FRACTION = 0.02

# The floors of issue 6.
PDF_PAGES_PER_S = 50.0
EXTRACT_RATIO = 0.25
BUILD_10K_SECONDS = 600.0
PEAK_RSS_MB = 1000.0
NOOP_SHARE = 0.02
RANK_P95_MS = 100.0


# ---------------------------------------------------------------- helpers


def machine() -> dict:
    import psutil

    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {"cpu": cpu, "cores": os.cpu_count(), "memory_gb": round(psutil.virtual_memory().total / 2**30, 1),
            "python": platform.python_version(), "system": f"{platform.system()} {platform.release()}",
            "load_average_at_start": [round(x, 2) for x in os.getloadavg()]}


class TreeSampler(threading.Thread):
    """Peak of the summed RSS of a process and all its descendants."""

    def __init__(self, pid: int, interval: float = 0.1):
        super().__init__(daemon=True)
        import psutil

        self.root = psutil.Process(pid)
        self.interval = interval
        self.peak = 0
        self.peak_processes = 0
        self._halt = threading.Event()

    def run(self) -> None:
        import psutil

        while not self._halt.is_set():
            total, n = 0, 0
            try:
                procs = [self.root, *self.root.children(recursive=True)]
            except psutil.NoSuchProcess:
                break
            for p in procs:
                try:
                    total += p.memory_info().rss
                    n += 1
                except psutil.NoSuchProcess:
                    pass
            if total > self.peak:
                self.peak, self.peak_processes = total, n
            self._halt.wait(self.interval)

    def stop(self) -> None:
        self._halt.set()
        self.join()


def hostkb_build(corpus: Path, db: Path, workers: int, *extra: str) -> dict:
    """Run ``hostkb build`` in a child process; wall time, CPU time of the tree, peak RSS."""
    cmd = [sys.executable, "-m", "extractor.cli", "build", str(corpus), "--db", str(db),
           "--workers", str(workers), "--no-progress", *extra]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    sampler = TreeSampler(proc.pid)
    sampler.start()
    out, err = proc.communicate()
    wall = time.perf_counter() - t0
    sampler.stop()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    summary = next((line for line in out.splitlines() if line.startswith("hostkb: ")), "")
    if proc.returncode not in (0, 1) or not summary:
        raise RuntimeError(f"{' '.join(cmd)} failed ({proc.returncode}):\n{err[-2000:]}")
    m = re.search(r"(\d+) documents?, (\d+) built, (\d+) unchanged, (\d+) failed", summary)
    seen, built, unchanged, failed = map(int, m.groups())
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {"command": " ".join(["hostkb", *cmd[3:]]), "summary": summary, "seconds": round(wall, 2),
            "documents": seen, "built": built, "unchanged": unchanged, "failed": failed,
            "documents_per_s": round(seen / wall, 2), "cpu_seconds": round(cpu, 1),
            "cpu_ms_per_document": round(1000 * cpu / max(built, 1), 1),
            "peak_rss_mb": round(sampler.peak / 1e6, 1), "processes_at_peak": sampler.peak_processes,
            "max_single_process_rss_mb": round(after.ru_maxrss / 1e3, 1)}


def generator():
    spec = importlib.util.spec_from_file_location("make_synthetic_corpus", REPO / "scripts" / "make_synthetic_corpus.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def corpus(n: int, work: Path) -> Path:
    """The seeded synthetic corpus of n documents (made once, reused while unchanged)."""
    out = work / f"synthetic_{n}_{SEED}"
    manifest = out / "manifest.json"
    if manifest.exists() and json.loads(manifest.read_text()).get("n") == n and not (out / ".dirty").exists():
        return out
    shutil.rmtree(out, ignore_errors=True)
    t = time.perf_counter()
    generator().generate(n, SEED, out, pdf_fraction=PDF_FRACTION)
    print(f"  generated {n} documents in {out} ({time.perf_counter() - t:.0f} s)", flush=True)
    return out


def change_one_percent(folder: Path, n: int) -> list[str]:
    """Rewrite 1 % of the text files with another paper's content (seeded); return their names."""
    gen = generator()
    files = sorted(folder.glob("syn_*.txt"))
    chosen = random.Random(SEED).sample(files, max(1, n // 100))
    (folder / ".dirty").write_text("files rewritten by the incremental benchmark\n")
    for path in chosen:
        text, _ = gen.make_document(SEED + 1, int(path.stem.split("_")[1]))
        path.write_text(text + "\n", encoding="utf-8")
    return [p.name for p in chosen]


def fresh(db: Path) -> Path:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    return db


# ---------------------------------------------------------------- sections


def section_load(args) -> dict:
    import bench_load

    paths = sorted(bench_load.DEFAULT_DIR.glob("*.pdf"))
    results = {}
    for name, fn in bench_load.TOOLS.items():
        if name == "pdfplumber" and args.skip_pdfplumber:
            continue
        results[name] = bench_load.measure(fn, paths, 1 if name == "pdfplumber" else 3)
        print(f"  {name:<11} {results[name]['pages_per_s']:8.1f} pages/s", flush=True)
    return {"pdfs": len(paths), "pages": results["load_pdf"]["pages"],
            "pages_per_s": {k: v["pages_per_s"] for k, v in results.items()}}


def section_extract(args) -> dict:
    import bench_extract

    return bench_extract.main(["--repeat", "3"])


def section_build(args, work: Path) -> dict:
    out = {}
    for n in ([1000] if args.quick else [1000, 10000]):
        folder = corpus(n, work)
        runs = {}
        for workers in (1, 2):
            db = fresh(work / f"build_{n}_{workers}.db")
            r = hostkb_build(folder, db, workers)
            runs[str(workers)] = r
            print(f"  {n:>6} documents, {workers} worker{'s' if workers > 1 else ' '}: {r['seconds']:7.1f} s, "
                  f"{r['documents_per_s']:6.1f} docs/s, {r['cpu_ms_per_document']:5.0f} CPU ms/doc, "
                  f"peak RSS {r['peak_rss_mb']:6.0f} MB ({r['processes_at_peak']} processes)", flush=True)
        db = work / f"build_{n}_2.db"
        noop = hostkb_build(folder, db, 2)
        changed = change_one_percent(folder, n)
        one_percent = hostkb_build(folder, db, 2)
        shutil.rmtree(folder, ignore_errors=True)  # rewritten files: the next run makes it again
        full = runs["2"]["seconds"]
        print(f"  {n:>6} documents, no-op rebuild {noop['seconds']:.2f} s ({noop['seconds'] / full:.1%} of the build), "
              f"1 % changed ({len(changed)} files, {one_percent['built']} built) {one_percent['seconds']:.1f} s", flush=True)
        out[str(n)] = {"full": runs, "noop": noop, "one_percent": one_percent | {"changed_files": len(changed)},
                       "noop_share": round(noop["seconds"] / full, 4),
                       "one_percent_share": round(one_percent["seconds"] / full, 4)}
    return out


def section_catalog(args, work: Path) -> dict:
    import bench_catalog

    sizes = [100_000, 1_000_000]
    results = bench_catalog.run(sizes, 100, work / "catalog")
    for n, r in results.items():
        for name, q in r["queries"].items():
            print(f"  {int(n):>9,} measurements  {name:<18} p50 {q['p50_ms']:8.1f} ms  p95 {q['p95_ms']:8.1f} ms",
                  flush=True)
    return results


# ---------------------------------------------------------------- verdicts and report


def verdicts(res: dict) -> list[dict]:
    """One row per figure: measured, floor, ratio (> 1 is better than the floor), PASS/FAIL."""
    rows = []

    def add(what, value, unit, floor, higher_is_better, note=""):
        ok = value >= floor if higher_is_better else value < floor
        ratio = value / floor if higher_is_better else (floor / value if value else float("inf"))
        rows.append({"figure": what, "value": value, "unit": unit, "floor": floor,
                     "floor_text": f"{'≥' if higher_is_better else '<'} {floor:g} {unit}",
                     "ratio": round(ratio, 2), "verdict": "PASS" if ok else "FAIL", "note": note})

    if "load" in res:
        p = res["load"]["pages_per_s"]
        others = ", ".join(f"{k} {v:.1f}" for k, v in p.items() if k != "load_pdf")
        add("PDF loading, load_pdf, one core", p["load_pdf"], "pages/s", PDF_PAGES_PER_S, True,
            f"{res['load']['pages']} pages; {others} pages/s")
    if "extract" in res:
        e = res["extract"]
        add("Extraction ÷ bare tokenizer (both cold)", round(e["ratio"] * 100, 1), "%", EXTRACT_RATIO * 100, True,
            f"{e['extraction_kB_per_s']} vs {e['tokenizer_kB_per_s']} kB/s on {e['kB']} kB")
    if "build" in res:
        for n, b in res["build"].items():
            for w, r in b["full"].items():
                note = (f"{r['documents_per_s']} docs/s, {r['cpu_ms_per_document']} CPU ms/doc, "
                        f"{r['failed']} failed")
                if n == "10000" and w == "2":
                    add(f"Build {int(n):,} docs, {w} workers", r["seconds"], "s", BUILD_10K_SECONDS, False, note)
                else:
                    rows.append({"figure": f"Build {int(n):,} docs, {w} worker{'s' if w != '1' else ''}",
                                 "value": r["seconds"], "unit": "s", "floor": None, "floor_text": "—",
                                 "ratio": None, "verdict": "info", "note": note})
                add(f"Peak RSS, build {int(n):,} docs, {w} worker{'s' if w != '1' else ''}", r["peak_rss_mb"], "MB",
                    PEAK_RSS_MB, False, f"tree of {r['processes_at_peak']} processes, RSS summed")
            add(f"No-op rebuild, {int(n):,} docs (share of the 2-worker build)", round(b["noop_share"] * 100, 2), "%",
                NOOP_SHARE * 100, False, f"{b['noop']['seconds']} s vs {b['full']['2']['seconds']} s")
            o = b["one_percent"]
            rows.append({"figure": f"Rebuild, 1 % of {int(n):,} docs changed", "value": o["seconds"], "unit": "s",
                         "floor": None, "floor_text": "—", "ratio": None, "verdict": "info",
                         "note": f"{o['built']} built, {o['unchanged']} unchanged; "
                                 f"{b['one_percent_share']:.1%} of the full build"})
    if "catalog" in res:
        for n, c in res["catalog"].items():
            for name, q in c["queries"].items():
                label = {"rank_filtered": "Ranking query (metric + conditions)",
                         "rank_metric_top20": "Ranking query (metric only, top 20)",
                         "host_profile": "Host profile"}.get(name, name)
                what = f"{label} p95, {int(n):,} measurements"
                note = f"p50 {q['p50_ms']} ms; {q['query']}"
                if n == "1000000" and name.startswith("rank"):
                    add(what, q["p95_ms"], "ms", RANK_P95_MS, False, note)
                else:
                    rows.append({"figure": what, "value": q["p95_ms"], "unit": "ms", "floor": None,
                                 "floor_text": "—" if not name.startswith("rank") else f"(< {RANK_P95_MS:g} ms at 1 M)",
                                 "ratio": None, "verdict": "info", "note": note})
    return rows


def markdown(res: dict, rows: list[dict], command: str) -> str:
    m = res["machine"]
    lines = [
        "# hostkb benchmarks",
        "",
        f"Measured by `{command}` on {res['date']}: {m['cpu']}, {m['cores']} cores, {m['memory_gb']} GB, "
        f"Python {m['python']}, {m['system']} (load average at start {', '.join(map(str, m['load_average_at_start']))}; "
        "the machine is shared, so wall times carry other processes' load — CPU ms/doc do not).",
        "Raw figures: `benchmarks/results/latest.json`. Ratio: measured ÷ floor for \"≥\" floors, "
        "floor ÷ measured for \"<\" floors; above 1 is better than the floor.",
        "",
        "| figure | measured | floor | ratio | verdict | notes |",
        "|---|---:|---|---:|---|---|",
    ]
    for r in rows:
        ratio = "" if r["ratio"] is None else f"{r['ratio']:.2f}"
        lines.append(f"| {r['figure']} | {r['value']:g} {r['unit']} | {r['floor_text']} | {ratio} | "
                     f"{r['verdict']} | {r['note']} |")
    return "\n".join(lines) + "\n"


def write_report(res: dict, rows: list[dict], command: str, md_path: Path) -> None:
    table = markdown(res, rows, command)
    keep = ""
    if md_path.exists():
        old = md_path.read_text(encoding="utf-8")
        i = old.find("\n## Profile")
        if i >= 0:
            keep = old[i:]
    md_path.write_text(table + keep, encoding="utf-8")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="builds of 1 000 documents only")
    ap.add_argument("--skip-pdfplumber", action="store_true", help="leave out pdfplumber's slow run")
    ap.add_argument("--only", nargs="+", choices=["load", "extract", "build", "catalog"],
                    default=["load", "extract", "build", "catalog"])
    ap.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "hostkb-bench",
                    help="corpora and databases (kept between runs; default %(default)s)")
    ap.add_argument("--json", type=Path, default=RESULTS / "latest.json")
    ap.add_argument("--markdown", type=Path, default=REPO / "BENCHMARKS.md")
    args = ap.parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)
    command = "make bench" + (" BENCH_ARGS='" + " ".join(sys.argv[1:]) + "'" if sys.argv[1:] else "")
    res = {"date": datetime.now(timezone.utc).isoformat(timespec="seconds"), "command": command,
           "machine": machine()}
    for name in args.only:
        print(f"== {name}", flush=True)
        t = time.perf_counter()
        res[name] = {"load": section_load, "extract": section_extract,
                     "build": lambda a: section_build(a, args.work),
                     "catalog": lambda a: section_catalog(a, args.work)}[name](args)
        print(f"   ({time.perf_counter() - t:.0f} s)", flush=True)
    rows = verdicts(res)
    res["verdicts"] = rows
    print("\n== figures next to their floors")
    for r in rows:
        ratio = "" if r["ratio"] is None else f"x{r['ratio']:.2f}"
        print(f"  {r['verdict']:<5} {r['figure']:<62} {r['value']:>10g} {r['unit']:<8} {r['floor_text']:<18} {ratio}")
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(res, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    write_report(res, rows, command, args.markdown)
    print(f"\nwrote {args.json.relative_to(REPO) if args.json.is_relative_to(REPO) else args.json} and {args.markdown.name}")
    return 1 if any(r["verdict"] == "FAIL" for r in rows) else 0


if __name__ == "__main__":
    sys.exit(main())

"""Pages per second of ``load_pdf`` next to the two floors it is built on.

Runs, on the same PDFs and in one process, ``load_pdf`` (layout, roles, super/subscripts),
plain pdfplumber ``page.extract_text()`` and plain pypdfium2 ``textpage.get_text_range()``,
and prints pages/s and the ratios. Each tool gets one warm-up pass, then ``--repeat`` timed
passes; the best pass counts.

    .venv/bin/python benchmarks/bench_load.py [--json out.json] [--repeat 3] [PDF ...]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import pdfplumber
import pypdfium2 as pdfium

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from extractor.load_pdf import load_pdf  # noqa: E402

DEFAULT_DIR = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "pdf"


def run_load_pdf(path: Path) -> int:
    return load_pdf(path).page_count


def run_pdfplumber(path: Path) -> int:
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            page.extract_text()
        return len(pdf.pages)


def run_pypdfium2(path: Path) -> int:
    pdf = pdfium.PdfDocument(str(path))
    try:
        for page in pdf:
            page.get_textpage().get_text_range()
        return len(pdf)
    finally:
        pdf.close()


TOOLS = {"load_pdf": run_load_pdf, "pdfplumber": run_pdfplumber, "pypdfium2": run_pypdfium2}


def measure(fn, paths: list[Path], repeat: int) -> dict:
    for p in paths[:1]:
        fn(p)  # warm-up (library initialisation, imports)
    best = None
    per_file: dict[str, float] = {}
    for _ in range(repeat):
        pages = 0
        t0 = time.perf_counter()
        for p in paths:
            t = time.perf_counter()
            n = fn(p)
            dt = time.perf_counter() - t
            per_file[p.name] = min(per_file.get(p.name, float("inf")), dt)
            pages += n
        elapsed = time.perf_counter() - t0
        if best is None or elapsed < best[1]:
            best = (pages, elapsed)
    pages, elapsed = best
    return {"pages": pages, "seconds": round(elapsed, 4), "pages_per_s": round(pages / elapsed, 2),
            "per_file_s": {k: round(v, 4) for k, v in per_file.items()}}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("pdfs", nargs="*", type=Path, help=f"PDF files (default: {DEFAULT_DIR}/*.pdf)")
    ap.add_argument("--json", type=Path, help="also write the results as JSON here")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--skip-pdfplumber", action="store_true", help="pdfplumber is slow (1-6 pages/s)")
    args = ap.parse_args(argv)
    paths = args.pdfs or sorted(DEFAULT_DIR.glob("*.pdf"))
    if not paths:
        ap.error(f"no PDFs given and none in {DEFAULT_DIR}")
    results = {}
    for name, fn in TOOLS.items():
        if name == "pdfplumber" and args.skip_pdfplumber:
            continue
        results[name] = measure(fn, paths, 1 if name == "pdfplumber" else args.repeat)
    ours = results["load_pdf"]["pages_per_s"]
    print(f"{len(paths)} PDFs, {results['load_pdf']['pages']} pages, one core")
    print(f"{'tool':<12}{'pages/s':>10}{'seconds':>10}{'load_pdf ÷ tool':>18}")
    for name, r in results.items():
        print(f"{name:<12}{r['pages_per_s']:>10.1f}{r['seconds']:>10.2f}{ours / r['pages_per_s']:>18.2f}")
    print("\nload_pdf per file (s):")
    for fname, s in results["load_pdf"]["per_file_s"].items():
        print(f"  {fname:<60}{s:>8.3f}")
    if args.json:
        out = {"pdfs": [str(p) for p in paths], "results": results,
               "ratios": {name: round(ours / r["pages_per_s"], 3) for name, r in results.items()}}
        args.json.write_text(json.dumps(out, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())

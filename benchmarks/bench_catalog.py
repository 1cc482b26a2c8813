"""Catalog query latency at scale: the ranking query and the host profile, p50/p95, on a
synthetic database of N measurements in the real schema.

    .venv/bin/python benchmarks/bench_catalog.py [--measurements 100000 1000000] [--runs 100] [--json out.json]

The database is made by ``make_catalog_db``: ``store.open_db`` (the real schema, views
and vocabulary), then bulk inserts in one transaction, with the proportions of a build
of the synthetic corpus (per paper: 3 hosts, 3 aliases, 5 components, 8 cell tests,
18 measurements, 1 synthesis route of 6 steps, 4 properties) and its value
distributions (metrics, cell types, current densities, cathodes). Sentences: only the
evidence sentences that figures point to are inserted (one per two figures), not the
~50 per paper a real build stores; the queries timed here read sentences by primary
key only, and the full-text index is not filled (its trigger is dropped for the load).
``schema/indexes.sql`` (the catalog's extra indexes) is applied when present. A database
is cached (``--cache``) and reused while the schema, indexes and this script are the same.

Queries (each run with fresh parameters drawn from what the database holds):

* ``rank (filtered)``: ``extractor.rank.RANK_SQL`` with metric, cell type, current
  density and areal capacity, the catalog's usual question (the query's way "conditions":
  the matching figures from one range of an index of ``rank_figures``; it returns every
  matching design: ~1 500 rows at the median, up to ~5 500, at 1 M figures);
* ``rank (metric only, top 20)``: every design's best figure of one metric, first 20 (way
  "top": the figures walked best first from an index, stopping after 20 designs);
* ``host profile``: ``extractor.serve.HOST_PROFILE_SQL`` for one host name.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from extractor import store  # noqa: E402
from extractor.vocab import vocabulary  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results"

PER_PAPER = {"hosts": 3, "cell_tests": 8, "measurements": 18, "steps": 6, "properties": 4}
METRIC_WEIGHTS = {  # measurements per metric in a build of 1 000 synthetic papers
    "cycling_time": 3000, "specific_capacity": 3000, "nucleation_overpotential": 2533,
    "charge_transfer_resistance": 2000, "overpotential": 1618, "capacity_retention": 1510,
    "cycle_count": 1376, "coulombic_efficiency": 1000, "capacity_decay_rate": 1000,
    "max_current_density": 618, "energy_density": 288,
}
CELL_TYPES = [("symmetric", 26), ("half", 20), ("full", 29), ("pouch", 3), (None, 22)]
DENSITIES = [(1.0, 35), (0.5, 31), (2.0, 14), (3.0, 11), (0.1, 7), (5.0, 2)]
CATHODES = [(None, 60), ("LiNi0.8Co0.1Mn0.1O2", 20), ("LiFePO4", 20)]
SEEDS = ["Ag", "Au", "ZnO", "Sn", "Mo2N", "W2N", "Cu3N", "Si", "MgO", "Al2O3", "CoO", "Ni"]
DOPANTS = ["N", "S", "P", "B", "NS", "F", "O"]
MORPHS = ["HCS", "HCC", "CNF", "GA", "CNTS", "PCP", "CNSA", "YSC"]
METHODS = ["hydrothermal", "annealing", "carbonization", "electrospinning", "cvd", "etching", "mixing"]


def pick(rng: random.Random, weighted):
    values, weights = zip(*weighted)
    return rng.choices(values, weights)[0]


def _metric_values(rng: random.Random, metric: str) -> tuple[float, str]:
    unit = vocabulary().metrics[metric].unit
    return round(rng.lognormvariate(3, 1), 2), unit


def make_catalog_db(path: Path, measurements: int, seed: int = 7) -> dict:
    """Write a database of about ``measurements`` figures at ``path``; return its counts."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    rng = random.Random(seed)
    db = store.open_db(path)
    conn = db.conn
    conn.execute("PRAGMA foreign_keys = OFF")  # ids are made consistent here
    conn.execute("DROP TRIGGER IF EXISTS sentences_ai")
    metrics = list(METRIC_WEIGHTS.items())
    papers = max(1, measurements // PER_PAPER["measurements"])
    host_names = [f"{s}@{d}{m}" for s in SEEDS for d in DOPANTS for m in MORPHS]  # 672 designs
    material_names = sorted({*SEEDS, *(f"{d}-doped carbon" for d in DOPANTS), "carbon", "Cu foil"})
    started = time.perf_counter()
    conn.execute("BEGIN")
    conn.executemany("INSERT INTO materials (id, name) VALUES (?, ?)", list(enumerate(material_names, 1)))
    ids = dict(host=0, ct=0, m=0, s=0, p=0, step=0, prop=0)
    docs, passages, sentences, hosts, aliases, components = [], [], [], [], [], []
    cell_tests, figures, routes, steps, props = [], [], [], [], []

    def flush():
        conn.executemany("INSERT INTO documents (id, name, path, format, sha256, title, doi, year, journal, "
                         "n_passages, n_sentences, built_at, hostkb_version) "
                         "VALUES (?, ?, ?, 'txt', ?, ?, ?, ?, ?, 1, ?, '2025-01-01T00:00:00+00:00', 'bench')", docs)
        conn.executemany("INSERT INTO passages (id, document_id, idx, section, role, text, raw_start, raw_end) "
                         "VALUES (?, ?, 0, 'results', 'paragraph', '', 0, 0)", passages)
        conn.executemany("INSERT INTO sentences (id, document_id, passage_id, idx, section, role, page, text, "
                         "evidence, raw_start, raw_end) VALUES (?, ?, ?, ?, 'results', 'paragraph', NULL, ?, ?, 0, 0)",
                         sentences)
        conn.executemany("INSERT INTO hosts (id, document_id, name, kind, has_figures, sentence_id, evidence) "
                         "VALUES (?, ?, ?, ?, 1, ?, ?)", hosts)
        conn.executemany("INSERT OR IGNORE INTO host_aliases (host_id, alias) VALUES (?, ?)", aliases)
        conn.executemany("INSERT OR IGNORE INTO host_components (host_id, material_id, position) VALUES (?, ?, ?)",
                         components)
        conn.executemany("INSERT INTO cell_tests (id, document_id, cell_type, current_density_ma_cm2, "
                         "areal_capacity_mah_cm2, c_rate, cycles, cathode, electrolyte, temperature_c) "
                         "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", cell_tests)
        conn.executemany("INSERT INTO measurements (id, document_id, host_id, cell_test_id, metric, value, unit, "
                         "qualifier, raw, sentence_id, span_start, span_end, evidence) "
                         "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 5, NULL)", figures)
        conn.executemany("INSERT INTO synthesis_routes (id, document_id, host_id, evidence) VALUES (?, ?, ?, NULL)",
                         routes)
        conn.executemany("INSERT INTO synthesis_steps (id, route_id, step_order, method, temperature_c, duration_h, "
                         "atmosphere, sentence_id, evidence) VALUES (?, ?, ?, ?, ?, ?, 'Ar', ?, NULL)", steps)
        conn.executemany("INSERT INTO properties (id, document_id, material, property, value, unit, qualifier, "
                         "sentence_id) VALUES (?, ?, ?, 'specific_surface_area', ?, 'm2/g', 'eq', ?)", props)
        for batch in (docs, passages, sentences, hosts, aliases, components, cell_tests, figures, routes, steps, props):
            batch.clear()

    for d in range(1, papers + 1):
        docs.append((d, f"bench_{d:07d}.txt", f"/bench/bench_{d:07d}.txt", f"{d:064x}",
                     f"Synthetic paper {d}", f"10.1000/bench.{d}", 2015 + d % 10, "Bench Journal",
                     PER_PAPER["measurements"] // 2))
        passages.append((d, d))
        first_sentence = ids["s"] + 1
        for k in range(PER_PAPER["measurements"] // 2):
            ids["s"] += 1
            text = (f"The host delivered a stable Coulombic efficiency of {rng.uniform(95, 99.9):.1f}% "
                    f"over {rng.choice([100, 200, 500, 1000])} cycles at 1 mA cm-2 and 1 mAh cm-2.")
            sentences.append((ids["s"], d, d, k, text, text))
        sentence_ids = range(first_sentence, ids["s"] + 1)
        design = rng.choice(host_names)
        paper_hosts = []
        for kind, name in (("host", design), ("variant", f"{design}-2"), ("control", "bare Cu")):
            ids["host"] += 1
            hosts.append((ids["host"], d, name, kind, first_sentence, f"{name} was prepared."))
            aliases.append((ids["host"], name.replace("@", "/")))
            for pos, mid in enumerate(rng.sample(range(1, len(material_names) + 1), 2 if kind != "control" else 1)):
                components.append((ids["host"], mid, pos))
            paper_hosts.append(ids["host"])
        paper_tests = []
        for _ in range(PER_PAPER["cell_tests"]):
            ids["ct"] += 1
            density = pick(rng, DENSITIES)
            cell_tests.append((ids["ct"], d, pick(rng, CELL_TYPES), density, pick(rng, DENSITIES),
                               rng.choice([None, 0.5, 1.0, 2.0]), rng.choice([100, 200, 300, 500, 1000]),
                               pick(rng, CATHODES), "1 M LiTFSI in DOL/DME",
                               rng.choice([None, None, None, 25.0, 60.0])))
            paper_tests.append(ids["ct"])
        for _ in range(PER_PAPER["measurements"]):
            ids["m"] += 1
            metric = pick(rng, metrics)
            value, unit = _metric_values(rng, metric)
            figures.append((ids["m"], d, rng.choice(paper_hosts[:2]) if rng.random() < 0.9 else paper_hosts[2],
                            rng.choice(paper_tests), metric, value, unit,
                            rng.choice(["eq", "eq", "eq", "approx", "gt"]), f"{value}", rng.choice(sentence_ids)))
        ids["p"] += 1
        routes.append((ids["p"], d, paper_hosts[0]))
        for order in range(1, PER_PAPER["steps"] + 1):
            ids["step"] += 1
            steps.append((ids["step"], ids["p"], order, rng.choice(METHODS), rng.choice([None, 180.0, 800.0]),
                          rng.choice([None, 2.0, 12.0]), rng.choice(sentence_ids)))
        for _ in range(PER_PAPER["properties"]):
            ids["prop"] += 1
            props.append((ids["prop"], d, design, round(rng.uniform(50, 1500), 1), rng.choice(sentence_ids)))
        if d % 2000 == 0:
            flush()
    flush()
    conn.execute("COMMIT")
    indexes = REPO / "schema" / "indexes.sql"
    if indexes.exists():  # the catalog's extra indexes, once store.open_db applies them too
        conn.executescript(indexes.read_text(encoding="utf-8"))
    conn.execute("ANALYZE")
    counts = store.counts(db)
    counts["load_seconds"] = round(time.perf_counter() - started, 1)
    db.close()
    return counts


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1))))
    return ordered[k]


def queries() -> dict:
    """name -> (sql, source) of the queries the catalog runs."""
    out = {}
    try:
        from extractor.rank import RANK_SQL
        source = "extractor.rank.RANK_SQL"
    except ImportError:  # the ranking module is not there: an equivalent query on the figures view
        RANK_SQL = ("SELECT host, document, min(CASE better WHEN 'lower' THEN value ELSE -value END) AS v "
                    "FROM figures WHERE metric = :metric AND (:cell_type IS NULL OR cell_type = :cell_type) "
                    "GROUP BY document, host ORDER BY v LIMIT coalesce(:top, -1)")
        source = "an equivalent GROUP BY on the figures view (extractor.rank.RANK_SQL missing)"
    out["rank_filtered"] = (RANK_SQL, source)
    out["rank_metric_top20"] = (RANK_SQL, source)
    try:
        from extractor.serve import HOST_PROFILE_SQL
        out["host_profile"] = (HOST_PROFILE_SQL, "extractor.serve.HOST_PROFILE_SQL")
    except ImportError:
        out["host_profile"] = ("SELECT * FROM figures WHERE host = :host", "the figures view by host "
                               "(extractor.serve.HOST_PROFILE_SQL missing)")
    return out


def _params(name: str, rng: random.Random, hosts: list[str]) -> dict:
    base = {"metric": None, "cell_type": None, "current_density": None, "areal_capacity": None, "c_rate": None,
            "temperature": None, "cathode": None, "min_cycles": None, "electrolyte": None, "tolerance": 0.05, "include_cited": 0, "top": None}
    metric = pick(rng, list(METRIC_WEIGHTS.items()))
    if name == "rank_filtered":
        return base | {"metric": metric, "cell_type": rng.choice(["symmetric", "half", "full"]),
                       "current_density": pick(rng, DENSITIES), "areal_capacity": pick(rng, DENSITIES)}
    if name == "rank_metric_top20":
        return base | {"metric": metric, "top": 20}
    return {"host": rng.choice(hosts)}


def time_queries(path: Path, runs: int = 100, seed: int = 1, budget_s: float = 30.0) -> dict:
    """p50/p95 (ms) of each catalog query on the database at ``path`` (read-only, warm):
    ``runs`` runs, or as many as fit in ``budget_s`` seconds (at least 10)."""
    import sqlite3

    from extractor.catalog_guard import guard

    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    store.tune_for_reading(conn)  # as the catalog's connections are (its Datasette plugin),
    guard(conn)  # with their SQLite limits and bounded functions
    hosts = [h for (h,) in conn.execute("SELECT DISTINCT name FROM hosts WHERE kind = 'host' LIMIT 300")]
    rng = random.Random(seed)
    out = {}
    for name, (sql, source) in queries().items():
        conn.execute(sql, _params(name, rng, hosts)).fetchall()  # warm the page cache and the statement cache
        times, rows = [], []
        started = time.perf_counter()
        for i in range(runs):
            if i >= 10 and time.perf_counter() - started > budget_s:
                break
            params = _params(name, rng, hosts)
            t = time.perf_counter()
            result = conn.execute(sql, params).fetchall()
            times.append((time.perf_counter() - t) * 1000)
            rows.append(len(result))
        out[name] = {"p50_ms": round(percentile(times, 50), 2), "p95_ms": round(percentile(times, 95), 2),
                     "max_ms": round(max(times), 2), "runs": len(times), "rows_median": statistics.median(rows),
                     "query": source}
    conn.close()
    return out


def cached_db(measurements: int, cache: Path, seed: int = 7) -> tuple[Path, dict]:
    """The database of ``measurements`` figures, made once per schema (fingerprint in its name)."""
    sql = b"".join(p.read_bytes() for p in (REPO / "schema" / "schema.sql", REPO / "schema" / "vocab.toml",
                                            REPO / "schema" / "indexes.sql") if p.exists())
    import hashlib

    tag = hashlib.sha256(sql + Path(__file__).read_bytes()).hexdigest()[:10]
    cache.mkdir(parents=True, exist_ok=True)
    path = cache / f"catalog_{measurements}_{seed}_{tag}.db"
    meta = path.with_suffix(".json")
    if path.exists() and meta.exists():
        return path, json.loads(meta.read_text())
    for old in cache.glob(f"catalog_{measurements}_{seed}_*"):
        old.unlink()
    counts = make_catalog_db(path, measurements, seed)
    meta.write_text(json.dumps(counts))
    return path, counts


def run(sizes: list[int], runs: int, cache: Path) -> dict:
    results = {}
    for n in sizes:
        path, counts = cached_db(n, cache)
        results[str(n)] = {"counts": counts, "size_mb": round(os.path.getsize(path) / 1e6, 1),
                           "queries": time_queries(path, runs)}
    return results


def main(argv=None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--measurements", type=int, nargs="+", default=[100_000, 1_000_000])
    ap.add_argument("--runs", type=int, default=100)
    ap.add_argument("--cache", type=Path, default=RESULTS / "cache")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args(argv)
    results = run(args.measurements, args.runs, args.cache)
    for n, r in results.items():
        print(f"{int(n):>9,} measurements ({r['counts']['documents']:,} papers, {r['size_mb']} MB):")
        for name, q in r["queries"].items():
            print(f"    {name:<20} p50 {q['p50_ms']:8.1f} ms   p95 {q['p95_ms']:8.1f} ms   ({q['query']})")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))
    return results


if __name__ == "__main__":
    main()

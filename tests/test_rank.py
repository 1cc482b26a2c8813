"""Ranking host designs: the small hand-made knowledge base of tests/test_graph.py,
the SQL that every client shares, the `hostkb rank`/`graph`/`shared-components`/
`neighbours` commands, and the must-show rankings of the real papers."""

from __future__ import annotations

import collections
import csv
import io
import json
import random

import click
import networkx as nx
import pandas as pd
import pytest
from click.testing import CliRunner
from test_graph import make_small_kb, shared_kb, small_kb  # noqa: F401  (fixtures)

from extractor import rank as ranking
from extractor.cli_graph import register
from extractor.errors import UnknownMetric
from extractor.rank import RANK_SQL, rank, rank_records, to_records


def ranked(rows):
    return [(r.rank, r.host, r.value) for r in rows]


CE_1_1 = dict(cell_type="half", current_density=1, areal_capacity=1)


# ---------------------------------------------------------------- the ranking


def test_one_best_figure_per_design_in_the_right_direction(small_kb):
    rows = rank(small_kb, "coulombic_efficiency", **CE_1_1)
    # Ag@HC's best is its 60 °C figure; equal values are ordered by more cycles;
    # the control is ranked too; the figure quoted from other work is not.
    assert ranked(rows) == [(1, "Ag@HC", 99.8), (2, "AgNW@CF", 99.5), (3, "ZnO@CNF", 99.5), (4, "Cu foil", 95.0)]  # the control "bare Cu" is stored as "Cu foil"
    assert rows[0].conditions.temperature == 60.0
    assert "60 °C" in rows[0].conditions.describe()
    assert [r.conditions.cycles for r in rows[1:3]] == [500, 200]


def test_lower_is_better_for_overpotential(small_kb):
    rows = rank(small_kb, "overpotential", cell_type="symmetric", current_density=1)
    assert ranked(rows) == [(1, "Ag@HC", 15.0), (2, "AgNW@CF", 25.0)]


def test_every_row_has_conditions_paper_and_evidence(small_kb):
    for row in rank(small_kb, "coulombic_efficiency"):
        assert row.evidence and row.sentence_id
        assert row.document in ("a.txt", "b.txt", "c.txt")
        assert row.title and row.doi
        assert row.conditions.cell_type in ("half", "full")
    top = rank(small_kb, "coulombic_efficiency", **CE_1_1)[0]
    assert top.evidence == "At 60 °C the CE of Ag@HC reached 99.8% at 1 mA cm-2 and 1 mAh cm-2 over 100 cycles."


def test_numeric_filters_use_a_relative_tolerance(small_kb):
    # AgNW@CF was measured at 1.02 mA/cm2: within the default 5 %, not within 1 %
    assert "AgNW@CF" in [r.host for r in rank(small_kb, "coulombic_efficiency", **CE_1_1)]
    strict = rank(small_kb, "coulombic_efficiency", tolerance=0.01, **CE_1_1)
    assert "AgNW@CF" not in [r.host for r in strict]
    assert [r.host for r in rank(small_kb, "coulombic_efficiency", current_density=3)] == ["AgNW@CF"]


def test_temperature_filter_counts_unstated_temperatures_as_room_temperature(small_kb):
    hot = rank(small_kb, "coulombic_efficiency", temperature=60, **CE_1_1)
    assert ranked(hot) == [(1, "Ag@HC", 99.8)]
    room = rank(small_kb, "coulombic_efficiency", temperature=25, **CE_1_1)
    assert ranked(room) == [(1, "AgNW@CF", 99.5), (2, "Ag@HC", 99.5), (3, "ZnO@CNF", 99.5), (4, "Cu foil", 95.0)]


def test_cathode_and_c_rate_filters(small_kb):
    for cathode in ("LiFePO4", "lifepo4", "LFP"):
        assert ranked(rank(small_kb, "coulombic_efficiency", cathode=cathode)) == [(1, "ZnO@CNF", 99.9)]
    assert ranked(rank(small_kb, "coulombic_efficiency", c_rate=1)) == [(1, "ZnO@CNF", 99.9)]
    assert rank(small_kb, "coulombic_efficiency", cathode="NCM811") == []


def test_top_and_cited_figures(small_kb):
    assert len(rank(small_kb, "coulombic_efficiency", top=2, **CE_1_1)) == 2
    with_cited = rank(small_kb, "coulombic_efficiency", include_cited=True, **CE_1_1)
    assert (with_cited[0].host, with_cited[0].host_kind) == ("lithiophilic scaffold", "cited")


def test_unknown_metric_and_bad_filters(small_kb):
    with pytest.raises(UnknownMetric, match="'ce'"):
        rank(small_kb, "ce")
    with pytest.raises(ValueError, match="coin"):
        rank(small_kb, "coulombic_efficiency", cell_type="coin")
    with pytest.raises(ValueError, match="tolerance"):
        rank(small_kb, "coulombic_efficiency", tolerance=-1)


def test_records_are_flat_and_pandas_friendly(small_kb):
    frame = pd.DataFrame(rank_records(small_kb, "coulombic_efficiency", **CE_1_1))
    assert list(frame["host"]) == ["Ag@HC", "AgNW@CF", "ZnO@CNF", "Cu foil"]
    for column in ("rank", "value", "unit", "qualifier", "cell_type", "current_density", "areal_capacity",
                   "c_rate", "cycles", "cathode", "electrolyte", "temperature", "conditions_text",
                   "document", "title", "doi", "page", "sentence_id", "evidence"):
        assert column in frame.columns
    assert json.dumps(to_records(rank(small_kb, "overpotential")))  # JSON-ready


def test_rank_accepts_a_database_path(tmp_path):
    path = tmp_path / "kb.db"
    make_small_kb(path).close()
    assert ranked(rank(path, "overpotential", cell_type="symmetric"))[0] == (1, "Ag@HC", 15.0)


# ---------------------------------------------------------------- one SQL for every client


def test_rank_runs_the_shared_sql(small_kb):
    """The SQL text run directly (as the catalog does) gives rank()'s rows; empty strings,
    as Datasette sends for empty form fields, mean "any"."""
    params = {"metric": "coulombic_efficiency", "cell_type": "half", "current_density": "1",
              "areal_capacity": "1", "c_rate": "", "temperature": "", "cathode": "", "min_cycles": "",
              "electrolyte": "", "tolerance": "",
              "include_cited": "", "top": ""}
    direct = [dict(r) for r in small_kb.query(RANK_SQL, params)]
    assert [(r["rank"], r["host"], r["measurement_id"]) for r in direct] == \
           [(r.rank, r.host, r.measurement_id) for r in rank(small_kb, "coulombic_efficiency", **CE_1_1)]


def test_the_ranking_view_exists_and_lists_every_figure(small_kb):
    ranking.ensure_ranking_view(small_kb)
    assert "ranking_base" in small_kb.view_names()
    assert small_kb["ranking_base"].count == small_kb["measurements"].count


# ---------------------------------------------------------------- the SQL against a reference

# A randomized catalog written with direct inserts, and the ranking computed again in
# plain Python from its tables: RANK_SQL must return exactly the reference's rows (same
# columns, order, ranks and tie-breaks) for every combination of parameters, whichever
# of its ways (conditions / top / scan / none) the parameters send it down.

RANK_COLUMNS = ("rank", "host", "host_kind", "metric", "value", "unit", "qualifier", "raw", "cell_type",
                "current_density", "areal_capacity", "c_rate", "cycles", "cathode", "electrolyte",
                "temperature", "document", "title", "doi", "year", "journal", "authors", "sentence_id", "evidence", "page",
                "measurement_id", "host_id", "document_id")
METRICS = {"coulombic_efficiency": ("%", "higher"), "overpotential": ("mV", "lower"),
           "cycling_time": ("h", "higher")}
FILTERS = ("cell_type", "current_density", "areal_capacity", "c_rate", "temperature", "cathode", "min_cycles",
           "electrolyte", "tolerance", "include_cited", "top")


def sql_params(metric, **given) -> dict:
    """RANK_SQL's parameters: ``given``, and None ("any") for the others."""
    return {"metric": metric, **dict.fromkeys(FILTERS), **given}


def make_random_kb(path, seed: int):
    """Documents (some sharing a DOI, written in another case; some without one), hosts of
    a few shared names (some cited), cell tests on and near the tolerance boundaries, and
    figures with many equal values and cycle counts."""
    from extractor.store import open_db

    rng = random.Random(seed)
    db = open_db(path)
    conn = db.conn
    dois = ["10.1000/A", "10.1000/a", "10.1000/B", "10.1000/b", "10.1000/C", None, "", None]
    names = ["Ag@C", "ag@C", "ZnO@CNF", "bare Cu", "Li@Ag", "Sn"]
    values = [95.0, 98.5, 99.0, 99.5, 99.8, 20.0, 15.0]
    densities = [None, 1.0, 1.02, 1.05, 1.0500000000000003, 0.95, 0.9499999999999999, 0.5, 0.75, 0.25, 2.0]
    ids = dict(h=0, c=0, m=0, s=0)
    with conn:
        for d in range(1, 41):
            conn.execute("INSERT INTO documents (id, name, path, format, sha256, title, doi, year, "
                         "n_passages, n_sentences, built_at, hostkb_version) "
                         "VALUES (?, ?, ?, 'txt', ?, ?, ?, ?, 1, 3, '2025-01-01T00:00:00+00:00', 'test')",
                         (d, f"doc{rng.randint(0, 99):02d}_{d}.txt", f"/c/{d}", f"{d:064x}", f"Paper {d}",
                          rng.choice(dois), rng.choice([None, 2020, 2024])))
            conn.execute("INSERT INTO passages (id, document_id, idx, section, role, text, raw_start, raw_end) "
                         "VALUES (?, ?, 0, 'results', 'paragraph', '', 0, 0)", (d, d))
            sentences = []
            for k in range(3):
                ids["s"] += 1
                sentences.append(ids["s"])
                conn.execute("INSERT INTO sentences (id, document_id, passage_id, idx, section, role, page, text, "
                             "evidence, raw_start, raw_end) VALUES (?, ?, ?, ?, 'results', 'paragraph', ?, ?, ?, 0, 0)",
                             (ids["s"], d, d, k, rng.choice([None, 1, 2]), f"s{ids['s']}", f"Sentence {ids['s']}."))
            hosts = []
            for name in rng.sample(names, rng.randint(1, 3)):
                ids["h"] += 1
                hosts.append(ids["h"])
                conn.execute("INSERT INTO hosts (id, document_id, name, kind) VALUES (?, ?, ?, ?)",
                             (ids["h"], d, name, rng.choice(["host", "host", "variant", "control", "cited"])))
            tests = [None]
            for _ in range(rng.randint(1, 4)):
                ids["c"] += 1
                tests.append(ids["c"])
                conn.execute("INSERT INTO cell_tests (id, document_id, cell_type, current_density_ma_cm2, "
                             "areal_capacity_mah_cm2, c_rate, cycles, cathode, electrolyte, temperature_c) "
                             "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                             (ids["c"], d, rng.choice([None, "half", "half", "full", "symmetric", "pouch"]),
                              rng.choice(densities), rng.choice(densities), rng.choice([None, 0.5, 1.0]),
                              rng.choice([None, None, 100, 200, 200.0, 500]),
                              rng.choice([None, "LiFePO4", "NCM811", "LiNi0.8Co0.1Mn0.1O2"]),
                              rng.choice([None, "1 M LiTFSI", "1 M LiPF6 in EC/DEC"]), rng.choice([None, None, 25.0, 60.0, -20.0])))
            for _ in range(rng.randint(0, 12)):
                ids["m"] += 1
                metric = rng.choice(list(METRICS))
                value = rng.choice(values)
                conn.execute("INSERT INTO measurements (id, document_id, host_id, cell_test_id, metric, value, unit, "
                             "qualifier, raw, sentence_id, evidence) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                             (ids["m"], d, rng.choice(hosts), rng.choice(tests), metric, value, METRICS[metric][0],
                              rng.choice(["eq", "approx"]), f"{value:g}", rng.choice([None, *sentences]),
                              rng.choice([None, "", f"Figure {ids['m']}."])))
    return db


def _text(x):
    return None if x is None or x == "" else x


def _real(x):
    x = _text(x)
    return None if x is None else float(x)


def reference_rank(db, metric, cell_type=None, current_density=None, areal_capacity=None, c_rate=None,
                   temperature=None, cathode=None, min_cycles=None, electrolyte=None, tolerance=None,
                   include_cited=None, top=None):
    """The ranking, from the tables in plain Python (parameters as RANK_SQL takes them)."""
    def table(name):
        cursor = db.conn.execute(f"SELECT * FROM {name}")
        columns = [c[0] for c in cursor.description]
        return {row[0]: dict(zip(columns, row)) for row in cursor}

    docs, hosts, tests, sentences = table("documents"), table("hosts"), table("cell_tests"), table("sentences")
    better = dict(db.conn.execute("SELECT name, better FROM metrics").fetchall())
    if metric not in better:
        return []
    tol = _real(tolerance)
    tol = 0.05 if tol is None else tol
    top = _text(top)
    top = -1 if top is None else int(top)
    cited = _text(include_cited)
    cited = 0 if cited is None else int(cited)
    wanted = {"cell_type": _text(cell_type), "cathode": _text(cathode), "electrolyte": _text(electrolyte)}
    least_cycles = _real(min_cycles)
    numeric = {"current_density_ma_cm2": _real(current_density), "areal_capacity_mah_cm2": _real(areal_capacity),
               "c_rate": _real(c_rate), "temperature_c": _real(temperature)}

    def matches(m):
        h, c = hosts[m["host_id"]], tests.get(m["cell_test_id"]) or {}
        if not cited and h["kind"] == "cited":
            return False
        if wanted["cell_type"] is not None and c.get("cell_type") != wanted["cell_type"]:
            return False
        for column, want in numeric.items():
            if want is None:
                continue
            x = c.get(column)
            if column == "temperature_c" and x is None:
                x = 25.0
            if x is None or not abs(x - want) <= tol * abs(want):
                return False
        if least_cycles is not None and (c.get("cycles") is None or c["cycles"] < least_cycles):
            return False
        if wanted["electrolyte"] is not None and (c.get("electrolyte") is None
                                                  or wanted["electrolyte"].lower() not in c["electrolyte"].lower()):
            return False
        return wanted["cathode"] is None or (c.get("cathode") is not None
                                              and wanted["cathode"].lower() in c["cathode"].lower())

    def order(m):  # sort_value, then more cycles first (unknown last)
        sort_value = m["value"] if better[metric] == "lower" else -m["value"]
        cycles = (tests.get(m["cell_test_id"]) or {}).get("cycles")
        return (sort_value, cycles is None, -(cycles or 0))

    designs = {}
    for m in table("measurements").values():
        if m["metric"] != metric or not matches(m):
            continue
        doi, title = docs[m["document_id"]]["doi"], docs[m["document_id"]]["title"] or ""
        if doi:
            paper = ("doi", doi.lower())
        elif 20 <= len(title) <= 400:
            paper = ("title", "".join(ch for ch in title.lower() if ch not in " -‐–,.:'\""))
        else:
            paper = ("document", m["document_id"])
        design = (paper, hosts[m["host_id"]]["name"])
        if design not in designs or (order(m), m["id"]) < (order(designs[design]), designs[design]["id"]):
            designs[design] = m
    bests = list(designs.values())
    rows = []
    for m in bests:
        h, d, c = hosts[m["host_id"]], docs[m["document_id"]], tests.get(m["cell_test_id"]) or {}
        s = sentences.get(m["sentence_id"]) or {}
        rank = 1 + sum(order(x) < order(m) for x in bests)
        rows.append((rank, h["name"], h["kind"], metric, m["value"], m["unit"], m["qualifier"], m["raw"],
                     c.get("cell_type"), c.get("current_density_ma_cm2"), c.get("areal_capacity_mah_cm2"),
                     c.get("c_rate"), c.get("cycles"), c.get("cathode"), c.get("electrolyte"), c.get("temperature_c"),
                     d["name"], d["title"], d["doi"], d["year"], d["journal"], d["authors"], m["sentence_id"],
                     _text(m["evidence"]) or s.get("evidence"), s.get("page"), m["id"], m["host_id"],
                     m["document_id"]))
    rows.sort(key=lambda r: (r[0], r[16], r[1]))
    return rows if top < 0 else rows[:top]


def random_params(rng: random.Random) -> dict:
    """Parameters as rank() sends them (numbers, None) or as Datasette does (strings, '')."""
    def pick(*options):
        return rng.choice(options)

    params = dict(
        metric=pick(*METRICS, "coulombic_efficiency", "overpotential", "nope"),
        cell_type=pick(None, None, "", "half", "half", "full", "symmetric", "pouch", "coin"),
        current_density=pick(None, None, None, "", 1, 1.0, "1", 0.5, 2, 1.05),
        areal_capacity=pick(None, None, None, "", 1.0, "0.5", 0.95),
        c_rate=pick(None, None, None, "", 0.5, 1),
        temperature=pick(None, None, None, "", 25, "60", -20),
        cathode=pick(None, None, None, "", "lifepo4", "NCM", "zzz"),
        min_cycles=pick(None, None, None, None, "", 150, "200", 0),
        electrolyte=pick(None, None, None, None, "", "litfsi", "LiPF6", "zzz"),
        tolerance=pick(None, "", 0.05, 0.05, 0, 0.1, "0.01", 0.5),  # 0.5: 0.25 and 0.75 are just in
        include_cited=pick(None, "", 0, 1, "1", "0"),
        top=pick(None, None, "", 1, 2, 3, 5, "4", 0, 50, -1),
    )
    draw = rng.random()
    if draw < 0.25:  # the catalog's usual question: way "conditions"
        params.update(cell_type=pick("half", "full"), current_density=pick(1, 1.0, "1.0", 0.5))
    elif draw < 0.55:  # the first N designs, of any cell test or of one cell type: way "top"
        params.update(dict.fromkeys(("current_density", "areal_capacity", "c_rate", "temperature", "cathode",
                                     "min_cycles", "electrolyte")),
                      top=pick(0, 1, 2, 3, "5", 8, 100))
    return params


def way(params) -> str:
    """The way RANK_SQL takes to the figures for these parameters (see schema/ranking.sql)."""
    given = {k for k, v in params.items() if v is not None and v != ""}
    if "cell_type" in given and params["cell_type"] not in ("half", "full", "symmetric", "pouch"):
        return "none"
    if {"cell_type", "current_density"} <= given:
        return "conditions"
    if "top" in given and int(params["top"]) >= 0 and \
            not given & {"current_density", "areal_capacity", "c_rate", "temperature", "cathode", "min_cycles",
                         "electrolyte"}:
        return "top"
    return "scan"


@pytest.mark.parametrize("seed", range(6))
def test_rank_sql_equals_a_plain_python_reference(tmp_path, seed):
    db = make_random_kb(tmp_path / "kb.db", seed)
    rng = random.Random(1000 + seed)
    ranked_something = collections.Counter()
    try:
        for _ in range(250):
            params = random_params(rng)
            got = db.execute(RANK_SQL, params).fetchall()
            assert got == reference_rank(db, **params), params
            if got:
                ranked_something[way(params)] += 1
    finally:
        db.close()
    # each way was taken, and ranked something, many times
    assert min(ranked_something[w] for w in ("conditions", "top", "scan")) >= 5, ranked_something


def test_rank_sql_returns_the_columns_of_the_ranking_view(tmp_path):
    db = make_random_kb(tmp_path / "kb.db", 7)
    cursor = db.execute(RANK_SQL, sql_params("coulombic_efficiency", include_cited=1))
    assert tuple(c[0] for c in cursor.description) == RANK_COLUMNS
    rows = cursor.fetchall()
    assert rows
    view = [c for c in RANK_COLUMNS if c != "rank"]
    for row in rows:  # every row is the ranking_base row of its figure, with its rank
        base = db.execute(f"SELECT {', '.join(view)} FROM ranking_base WHERE measurement_id = ?",
                          [row[RANK_COLUMNS.index("measurement_id")]]).fetchone()
        assert row[1:] == base
    db.close()


def test_rank_sql_with_an_unknown_or_empty_metric_ranks_nothing(small_kb):
    for metric in ("nope", "", None):
        for top in ("", "3"):  # Datasette's empty fields
            params = {**dict.fromkeys(FILTERS, ""), "metric": metric, "top": top}
            assert small_kb.execute(RANK_SQL, params).fetchall() == []


def test_rank_sql_keeps_to_indexes_without_statistics(tmp_path):
    """A database that hostkb builds has no ANALYZE statistics: every way must still seek
    by index (a full scan of a table inside the NOT EXISTS of way "top" would be quadratic)."""
    db = make_random_kb(tmp_path / "kb.db", 1)
    assert not db.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'").fetchone()
    plan = "\n".join(r[3] for r in db.execute("EXPLAIN QUERY PLAN " + RANK_SQL, sql_params("overpotential")))
    db.close()
    # way "conditions": one index range, every filter tested in the index
    assert ("SEARCH f USING COVERING INDEX rank_figures_conditions "
            "(metric=? AND cell_type=? AND current_density>? AND current_density<?)") in plan
    assert "SEARCH f USING COVERING INDEX rank_figures_conditions (metric=?)" in plan  # way "scan"
    assert "rank_figures_value (metric=? AND value>?)" in plan  # way "top": walked in value order
    assert "rank_figures_design (paper=?)" in plan  # way "top": the design's other figures
    scanned = [line for line in plan.splitlines() if line.startswith("SCAN ")
               and line.split()[1] in ("f", "m", "c", "h", "d", "s", "mt", "ct", "b")]
    assert scanned == []


# ---------------------------------------------------------------- one paper built twice


def _one_paper_twice(tmp_path, doi_a, doi_b):
    """The same paper as twin.pdf and twin.txt, beside the small catalog: host "Ag@HC" in
    both, its best figure (97.5 %) in both, with the same cycles."""
    db = make_small_kb(tmp_path / "kb.db")
    with db.conn:
        for doc_id, name, doi in ((100, "twin.pdf", doi_a), (101, "twin.txt", doi_b)):
            db.conn.execute("INSERT INTO documents (id, name, path, format, sha256, title, doi, n_passages, "
                            "n_sentences, built_at, hostkb_version) VALUES (?, ?, ?, 'txt', ?, 'Silver', ?, 0, 0, "
                            "'2025-01-01T00:00:00+00:00', 'test')", (doc_id, name, f"/c/{name}", f"{doc_id:064x}", doi))
            db.conn.execute("INSERT INTO hosts (id, document_id, name, kind) VALUES (?, ?, 'Ag@HC', 'host')",
                            (doc_id, doc_id))
            db.conn.execute("INSERT INTO cell_tests (id, document_id, cell_type, current_density_ma_cm2, "
                            "areal_capacity_mah_cm2, cycles) VALUES (?, ?, 'half', 1, 1, 100)", (doc_id, doc_id))
        for m_id, doc_id, value in ((1000, 100, 97.0), (1002, 101, 97.5), (1001, 100, 97.5)):
            db.conn.execute("INSERT INTO measurements (id, document_id, host_id, cell_test_id, metric, value, unit, "
                            "qualifier) VALUES (?, ?, ?, ?, 'coulombic_efficiency', ?, '%', 'eq')",
                            (m_id, doc_id, doc_id, doc_id, value))
    return db


def test_the_same_paper_built_twice_ranks_its_designs_once(tmp_path):
    db = _one_paper_twice(tmp_path, "10.1000/Silver.1", "10.1000/silver.1")  # DOIs compare lower-cased
    try:
        for filters in ({}, dict(cell_type="half", current_density=1), dict(top=10), dict(cell_type="half", top=10)):
            rows = rank(db, "coulombic_efficiency", **filters)
            # one row for the design Ag@HC of the twin paper: its best figure, 97.5 %, is in both
            # files with the same cycles, and the smaller measurement id (in twin.pdf) wins
            assert [(r.host, r.value, r.document, r.measurement_id) for r in rows if r.title == "Silver"] == \
                   [("Ag@HC", 97.5, "twin.pdf", 1001)], filters
            # Ag@HC of a.txt is another paper (another DOI): still ranked on its own
            assert "a.txt" in [r.document for r in rows if r.host == "Ag@HC"], filters
    finally:
        db.close()


def test_documents_without_a_doi_are_papers_of_their_own(tmp_path):
    for doi_a, doi_b in ((None, None), ("", ""), ("10.1000/x", None), ("10.1000/x", "10.1000/y")):
        path = tmp_path / f"{doi_a}-{doi_b}".replace("/", "_")
        path.mkdir()
        db = _one_paper_twice(path, doi_a, doi_b)
        rows = [r for r in rank(db, "coulombic_efficiency", cell_type="half", current_density=1)
                if r.title == "Silver"]
        assert sorted((r.document, r.value) for r in rows) == [("twin.pdf", 97.5), ("twin.txt", 97.5)], (doi_a, doi_b)
        db.close()


# ---------------------------------------------------------------- commands


@pytest.fixture()
def db_path(tmp_path):
    path = tmp_path / "kb.db"
    make_small_kb(path).close()
    return path


def invoke(*args):
    @click.group()
    def cli():
        pass

    register(cli)
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def test_register_adds_the_commands():
    @click.group()
    def cli():
        pass

    register(cli)
    assert {"graph", "rank", "shared-components", "neighbours"} <= set(cli.commands)


def test_rank_command_table(db_path):
    result = invoke("rank", "coulombic_efficiency", "--db", db_path, "--cell-type", "half",
                    "--current-density", "1", "--areal-capacity", "1")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("Coulombic efficiency (higher is better), half cells, 1 mA/cm², 1 mAh/cm² (±5 %)")
    body = lines[3:]
    assert [line.split()[1] for line in body] == ["Ag@HC", "AgNW@CF", "ZnO@CNF", "Cu"]
    assert "99.8 %" in body[0] and "60 °C" in body[0] and "a.txt" in body[0]
    assert "At 60 °C the CE of Ag@HC" in body[0]


def test_rank_command_csv_and_json_keep_the_full_evidence(db_path):
    out = invoke("rank", "overpotential", "--db", db_path, "--cell-type", "symmetric", "--format", "csv").output
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [(r["host"], r["value"]) for r in rows] == [("Ag@HC", "15.0"), ("AgNW@CF", "25.0")]
    assert rows[0]["evidence"] == "In symmetric cells at 1 mA cm-2 and 1 mAh cm-2, Ag@HC showed an overpotential of 15 mV."
    data = json.loads(invoke("rank", "overpotential", "--db", db_path, "--format", "json", "--top", "1").output)
    assert [d["host"] for d in data] == ["Ag@HC"]


def test_rank_command_errors(db_path, tmp_path):
    result = invoke("rank", "ce", "--db", db_path)
    assert result.exit_code == 1 and "unknown metric 'ce'" in result.output
    result = invoke("rank", "overpotential", "--db", tmp_path / "nope.db")
    assert result.exit_code == 1 and "no database at" in result.output
    assert not (tmp_path / "nope.db").exists()


@pytest.mark.parametrize("suffix,fmt", [(".graphml", None), (".json", None), (".xml", "graphml")])
def test_graph_command_writes_the_file_and_the_tables(db_path, tmp_path, suffix, fmt):
    out = tmp_path / f"kb{suffix}"
    result = invoke("graph", "--db", db_path, "--out", out, *(("--format", fmt) if fmt else ()))
    assert result.exit_code == 0, result.output
    assert "nodes" in result.output and str(out) in result.output
    if suffix == ".json":
        G = nx.node_link_graph(json.loads(out.read_text(encoding="utf-8")), edges="links")
    else:
        G = nx.read_graphml(out, force_multigraph=True)
    from extractor.store import open_db
    db = open_db(db_path, create=False)
    assert db["graph_nodes"].count == G.number_of_nodes()
    assert db["graph_edges"].count == G.number_of_edges()
    db.close()


def test_shared_components_command(db_path):
    result = invoke("shared-components", "--db", db_path)
    assert result.exit_code == 0
    assert result.output.splitlines() == ["Ag@HC [a.txt]  ~  AgNW@CF [b.txt]: Ag",
                                          "Ag@HC [a.txt]  ~  ZnO@CNF [c.txt]: carbon"]
    data = json.loads(invoke("shared-components", "--db", db_path, "--by", "method", "--json").output)
    assert [(d["host_a"], d["host_b"], d["shared"]) for d in data] == [("Ag@HC", "ZnO@CNF", ["carbonization"])]


def test_neighbours_command(db_path):
    result = invoke("neighbours", "Ag@HC", "--db", db_path)
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Ag@HC (host, a.txt)")
    assert "host Ag@HC --has_component--> material Ag" in result.output
    assert "method templating (step 1)" in result.output
    assert "host Ag@HC --compared_with--> host Cu foil" in result.output
    data = json.loads(invoke("neighbours", "Ag@HC", "--db", db_path, "--json").output)
    assert "paper:a.txt" in {n["id"] for n in data["nodes"]}
    result = invoke("neighbours", "Ag@H", "--db", db_path)
    assert result.exit_code == 1 and "no host named 'Ag@H'" in result.output


# ---------------------------------------------------------------- must show: the real papers


@pytest.mark.shared
def test_must_show_coulombic_efficiency_half_cells_at_1_and_1(shared_kb):
    rows = rank(shared_kb, "coulombic_efficiency", cell_type="half", current_density=1, areal_capacity=1)
    assert [(r.host, r.value) for r in rows[:3]] == [
        ("Li5.4Ag0.6PS5Cl", 99.7), ("3S-Cu HoMS", 99.6), ("NHCNSs", 99.25)]
    assert rows[0].conditions.temperature == 60.0  # the ranking shows it was measured at 60 °C
    assert "99.7%" in rows[0].evidence and "60 °C" in rows[0].evidence
    assert "99.6%" in rows[1].evidence
    assert "99.25%" in rows[2].evidence


@pytest.mark.shared
def test_must_show_overpotential_symmetric_cells_at_1(shared_kb):
    rows = rank(shared_kb, "overpotential", cell_type="symmetric", current_density=1)
    hosts = [r.host for r in rows]
    assert hosts.index("NHCNSs") < hosts.index("3S-Cu HoMS")
    values = {r.host: r.value for r in rows}
    assert values["NHCNSs"] == pytest.approx(17) and values["3S-Cu HoMS"] == pytest.approx(20)
    assert all(r.evidence for r in rows)


@pytest.mark.shared
def test_must_show_in_the_rank_command(shared_kb):
    result = invoke("rank", "coulombic_efficiency", "--db", shared_kb, "--cell-type", "half",
                    "--current-density", "1", "--areal-capacity", "1")
    body = result.output.splitlines()[3:]
    assert [line.split()[1] for line in body[:3]] == ["Li5.4Ag0.6PS5Cl", "3S-Cu", "NHCNSs"]
    assert "60 °C" in body[0]

"""The web catalog (extractor/serve.py): every page and canned query answers with what
must be on it, the metadata describes every table and column, and the catalog is
read-only: every write attempt fails and leaves the database file byte-for-byte
unchanged.

Uses Datasette's own test client (``ds.client``, async) through ``asyncio.run``;
requests that the client would normalise (``/../etc/passwd``) go to the ASGI app raw.
"""

from __future__ import annotations

import asyncio
import hashlib
import html
import json
import re
import shutil
import sqlite3
import tempfile
import time
from pathlib import Path

import pytest

from extractor.serve import CANNED_QUERIES, SETTINGS, database_name, datasette_app, metadata

REPO = Path(__file__).resolve().parents[1]


# ---------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def db_path(tmp_path_factory) -> Path:
    """The demo corpus built into a database, with the knowledge graph and the ranking
    view, as `make demo` and `hostkb graph` leave it."""
    from extractor.build import build
    from extractor.graph import refresh_graph
    from extractor.rank import ensure_ranking_view
    from extractor.store import open_db

    path = tmp_path_factory.mktemp("catalog") / "kb.db"
    summary = build([REPO / "corpus"], path, progress=False)
    assert summary.ok, summary.format()
    refresh_graph(path)
    db = open_db(path, create=False)
    ensure_ranking_view(db)
    db.close()
    assert not Path(str(path) + "-wal").exists()
    return path


@pytest.fixture(scope="module")
def ds(db_path):
    return datasette_app(db_path)


@pytest.fixture(scope="module")
def db(db_path) -> str:
    return database_name(db_path)


@pytest.fixture(scope="module")
def conn(db_path):
    c = sqlite3.connect(db_path.resolve().as_uri() + "?mode=ro&immutable=1", uri=True)  # no -wal/-shm
    c.row_factory = sqlite3.Row
    yield c
    c.close()


def get(ds, path: str):
    return asyncio.run(ds.client.get(path))


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def text_of(response) -> str:
    """The page's text with HTML entities decoded (so quotes and ampersands compare)."""
    return html.unescape(response.text)


# ---------------------------------------------------------------- metadata


def test_metadata_describes_every_table_view_and_column(db_path, conn):
    meta = metadata(db_path)
    tables = meta["databases"][database_name(db_path)]["tables"]
    missing = []
    for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'view') "
                                "AND name NOT LIKE 'sqlite_%'"):
        entry = tables.get(name, {})
        if not entry.get("description"):
            missing.append(f"table {name}")
        for column in (r[1] for r in conn.execute(f"PRAGMA table_xinfo([{name}])")):
            if not entry.get("columns", {}).get(column):
                missing.append(f"column {name}.{column}")
    assert not missing, "describe these in extractor/serve.py TABLES: " + ", ".join(missing)


def test_metadata_has_title_licence_source_facets_and_units(db_path):
    meta = metadata(db_path)
    assert meta["title"] and meta["description_html"] and meta["license"] and meta["source"]
    tables = meta["databases"][database_name(db_path)]["tables"]
    assert tables["figures"]["facets"] == ["metric", "cell_type", "cathode", "paper"]
    assert "metric" in tables["measurements"]["facets"]
    assert tables["hosts"]["label_column"] == "name" and tables["documents"]["label_column"] == "name"
    cols = tables["cell_tests"]["columns"]
    assert "mA/cm2" in cols["current_density_ma_cm2"] and "mAh/cm2" in cols["areal_capacity_mah_cm2"]
    assert "Celsius" in cols["temperature_c"]
    assert "unit column" in tables["measurements"]["columns"]["value"]


def test_settings_limit_time_and_queries_are_read_only(db_path):
    assert SETTINGS["sql_time_limit_ms"] == 1000
    queries = metadata(db_path)["databases"][database_name(db_path)]["queries"]
    assert set(queries) == set(CANNED_QUERIES)
    assert not any(q.get("write") for q in queries.values())


def test_a_missing_or_foreign_database_is_a_named_error(tmp_path):
    from extractor.errors import DatabaseError

    with pytest.raises(DatabaseError, match="no database at"):
        datasette_app(tmp_path / "nope.db")
    other = tmp_path / "other.db"
    sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.commit()
    with pytest.raises(DatabaseError, match="not a hostkb one"):
        datasette_app(other)


# ---------------------------------------------------------------- pages


def test_index_and_database_pages(ds, db):
    index = get(ds, "/")
    assert index.status_code == 200
    assert "hostkb: lithium-metal anode hosts" in index.text
    assert f'href="/{db}/rank_hosts?metric=coulombic_efficiency' in index.text
    page = get(ds, f"/{db}")
    assert page.status_code == 200
    for query in CANNED_QUERIES:
        assert f'href="/{db}/{query}"' in page.text
    for table in ("documents", "hosts", "measurements", "sentences", "figures"):
        assert f'href="/{db}/{table}"' in page.text
    # the database is "hostkb" with a title and a description, whatever the file is called
    assert db == "hostkb" and "hostkb: host designs, synthesis and figures of merit" in page.text
    assert "Rank host designs" in page.text
    # what the ranking is computed from, and bookkeeping, is not offered for browsing
    for internal in ("ranking_base", "rank_figures_source", "rank_figures", "graph_nodes", "meta", "build_files"):
        assert f'href="/{db}/{internal}"' not in page.text, internal


def test_every_table_and_view_page(ds, db, conn):
    names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'view') "
                                        "AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'sentences_fts%'")]
    assert {"figures", "host_designs", "synthesis", "graph_nodes"} <= set(names)
    described = metadata(ds.get_database(db).path)["databases"][db]["tables"]
    for name in names:
        page = get(ds, f"/{db}/{name}")
        if name in ("ranking_base", "rank_figures_source"):  # internal views: not browsable
            assert page.status_code == 403, name
            continue
        assert page.status_code == 200, name
        assert html.escape(described[name]["description"], quote=False) in page.text, name


def test_figures_view_is_faceted_and_links_every_figure_to_its_sentence_and_paper(ds, db, conn):
    page = get(ds, f"/{db}/figures")
    assert page.status_code == 200
    for facet in ("metric", "cell_type", "cathode", "paper"):
        assert f'data-column="{facet}"' in page.text, facet
    assert f'href="/{db}/sentences/' in page.text and f'href="/{db}/documents/' in page.text
    # a chosen metric opens best first, in the metric's direction
    for metric, best in (("overpotential", "min"), ("coulombic_efficiency", "max")):
        rows = get(ds, f"/{db}/figures.json?metric={metric}&_shape=array").json()
        expected = conn.execute(f"SELECT {best}(value) FROM figures WHERE metric = ?", [metric]).fetchone()[0]
        assert rows[0]["value"] == expected, metric
        first = rows[0]
        page = get(ds, f"/{db}/figures?metric={metric}")
        assert f'href="/{db}/sentences/{first["sentence_id"]}"' in page.text
    # the base table too: its evidence cells link to the sentence
    page = get(ds, f"/{db}/measurements")
    assert f'href="/{db}/sentences/' in page.text


def test_row_pages(ds, db, conn):
    for table in ("documents", "hosts", "measurements", "passages", "materials", "synthesis_steps",
                  "cell_tests", "properties", "graph_edges"):
        (pk,) = conn.execute(f"SELECT id FROM [{table}] ORDER BY id LIMIT 1").fetchone()
        page = get(ds, f"/{db}/{table}/{pk}")
        assert page.status_code == 200, table


def test_evidence_page_shows_the_sentence_between_its_neighbours_and_its_figures(ds, db, conn):
    s = conn.execute("""
        SELECT s.id, s.evidence, p.evidence AS before, n.evidence AS after
        FROM sentences s
        JOIN sentences p ON p.passage_id = s.passage_id AND p.idx = s.idx - 1
        JOIN sentences n ON n.passage_id = s.passage_id AND n.idx = s.idx + 1
        WHERE s.id IN (SELECT sentence_id FROM measurements)
        ORDER BY s.id LIMIT 1""").fetchone()
    assert s is not None, "the demo corpus has a figure stated mid-passage"
    page = get(ds, f"/{db}/sentences/{s['id']}")
    assert page.status_code == 200
    text = text_of(page)
    assert f'<mark class="hostkb-sentence">{s["evidence"]}</mark>' in text
    assert s["before"] in text and s["after"] in text
    assert text.index(s["before"]) < text.index(s["evidence"]) < text.index(s["after"])
    assert "Figures stated in this sentence" in text
    figure = conn.execute("SELECT host, measurement_id FROM figures WHERE sentence_id = ? LIMIT 1",
                          [s["id"]]).fetchone()
    assert figure["host"] in text
    assert f'href="/{db}/measurements/{figure["measurement_id"]}"' in page.text


def test_evidence_page_of_a_passage_edge_says_so(ds, db, conn):
    (sid,) = conn.execute("SELECT s.id FROM sentences s JOIN passages p ON p.id = s.passage_id "
                          "WHERE NOT EXISTS (SELECT 1 FROM sentences t WHERE t.passage_id = s.passage_id "
                          "AND t.idx = s.idx - 1) ORDER BY s.id LIMIT 1").fetchone()
    page = get(ds, f"/{db}/sentences/{sid}")
    assert page.status_code == 200 and "(start of the passage)" in page.text


# ---------------------------------------------------------------- canned queries


def test_rank_hosts_is_the_ranking_of_hostkb_rank_with_a_chart(ds, db, db_path, tmp_path):
    from extractor.rank import rank

    copy = tmp_path / "copy.db"  # rank() opens the database for writing: not the served file
    shutil.copy(db_path, copy)
    expected = rank(copy, "cycling_time", cell_type="symmetric", current_density=1, areal_capacity=1)
    assert len(expected) >= 3
    query = "metric=cycling_time&cell_type=symmetric&current_density=1&areal_capacity=1"
    rows = get(ds, f"/{db}/rank_hosts.json?{query}&_shape=array").json()
    assert [(r["rank"], r["host"], r["value"], r["document"]) for r in rows] == \
        [(r.rank, r.host, r.value, r.document) for r in expected]
    page = get(ds, f"/{db}/rank_hosts?{query}")
    assert page.status_code == 200
    text = text_of(page)
    assert "<svg" in page.text and 'class="hostkb-chart"' in page.text
    best = expected[0]
    assert best.host in text and f"{best.value:g} h" in text
    # each bar and each row leads to the sentence stating the value
    assert f'<a href="/{db}/sentences/{best.sentence_id}">' in page.text


def test_rank_hosts_without_a_metric_shows_the_form_and_no_chart(ds, db):
    page = get(ds, f"/{db}/rank_hosts")
    assert page.status_code == 200
    assert 'name="metric"' in page.text and "<svg" not in page.text


def test_host_profile(ds, db, conn):
    host = conn.execute("SELECT h.name, d.title FROM hosts h JOIN documents d ON d.id = h.document_id "
                        "JOIN synthesis_routes r ON r.host_id = h.id "
                        "WHERE h.kind = 'host' ORDER BY (SELECT count(*) FROM measurements m "
                        "WHERE m.host_id = h.id) DESC LIMIT 1").fetchone()
    page = get(ds, f"/{db}/host_profile?host={host['name']}")
    assert page.status_code == 200
    rows = get(ds, f"/{db}/host_profile.json?host={host['name']}&_shape=array").json()
    parts = {r["part"] for r in rows}
    assert {"paper", "synthesis", "figure"} <= parts
    assert any(r["part"] == "paper" and r["item"] == host["title"] for r in rows)
    figures = [r for r in rows if r["part"] == "figure"]
    assert all(r["sentence_id"] for r in figures)
    assert f'href="/{db}/sentences/{figures[0]["sentence_id"]}"' in page.text
    # an alias finds the same host
    alias = conn.execute("SELECT alias FROM host_aliases a JOIN hosts h ON h.id = a.host_id "
                         "WHERE h.name = ? LIMIT 1", [host["name"]]).fetchone()
    if alias:
        by_alias = get(ds, f"/{db}/host_profile.json?host={alias[0]}&_shape=array").json()
        assert {r["host"] for r in by_alias} >= {host["name"]}


def test_compare_hosts_puts_comparable_figures_side_by_side(ds, db, conn):
    pair = conn.execute("""
        SELECT a.host AS host_a, b.host AS host_b, a.metric, a.value AS value_a, b.value AS value_b
        FROM figures a JOIN figures b ON a.metric = b.metric AND a.cell_type = b.cell_type
          AND a.current_density_ma_cm2 = b.current_density_ma_cm2
          AND a.areal_capacity_mah_cm2 = b.areal_capacity_mah_cm2 AND a.host < b.host
        ORDER BY a.measurement_id LIMIT 1""").fetchone()
    query = f"host_a={pair['host_a']}&host_b={pair['host_b']}&metric={pair['metric']}"
    rows = get(ds, f"/{db}/compare_hosts.json?{query}&_shape=array").json()
    assert any(r["value_a"] == pair["value_a"] and r["value_b"] == pair["value_b"] for r in rows)
    assert all(r["metric"] == pair["metric"] for r in rows)
    page = get(ds, f"/{db}/compare_hosts?{query}")
    assert page.status_code == 200
    assert pair["host_a"] in text_of(page) and f'href="/{db}/sentences/' in page.text


def test_search_evidence(ds, db, conn):
    page = get(ds, f"/{db}/search_evidence?q=overpotential")
    assert page.status_code == 200
    rows = get(ds, f"/{db}/search_evidence.json?q=overpotential&_shape=array").json()
    assert rows and all("overpotential" in r["evidence"].lower() for r in rows)
    first = rows[0]
    assert first["document"] and first["sentence_id"]
    assert f'href="/{db}/sentences/{first["sentence_id"]}"' in page.text
    assert f'href="/{db}/documents/{first["document_id"]}"' in page.text
    empty = get(ds, f"/{db}/search_evidence")
    assert empty.status_code == 200  # no query yet: the form, no error


def test_table_search_uses_the_full_text_index(ds, db):
    page = get(ds, f"/{db}/sentences?_search=dendrite")
    assert page.status_code == 200 and "dendrite" in page.text.lower()


# ---------------------------------------------------------------- read-only, provably


WRITE_SQL = [
    "DELETE FROM documents",
    "UPDATE documents SET title = 'x'",
    "INSERT INTO materials (name) VALUES ('x')",
    "DROP TABLE documents",
    "CREATE TABLE x (a)",
    "ATTACH DATABASE '/tmp/hostkb-attack.db' AS x",
    "PRAGMA writable_schema = 1",
    "SELECT * FROM pragma_writable_schema",
    "VACUUM",
    "REINDEX",
    "INSERT INTO sentences_fts (sentences_fts) VALUES ('rebuild')",
    # passes Datasette's "starts with WITH" check: only SQLite's immutable mode stops it
    "WITH x AS (SELECT 1) DELETE FROM documents",
    "WITH x AS (SELECT 1) UPDATE documents SET title = 'x'",
]


@pytest.fixture()
def unchanged(db_path):
    """Asserts, after the test, that the database file is byte-for-byte what it was and
    that nothing was written to a write-ahead log or journal (a read-only WAL reader
    may open an empty -wal file beside the database)."""
    before = sha256(db_path)
    size = db_path.stat().st_size
    yield
    assert db_path.stat().st_size == size
    assert sha256(db_path) == before
    wal = Path(str(db_path) + "-wal")
    assert not wal.exists() or wal.stat().st_size == 0
    assert not Path(str(db_path) + "-journal").exists()


@pytest.mark.parametrize("sql", WRITE_SQL)
def test_arbitrary_sql_that_modifies_fails(ds, db, unchanged, sql):
    from urllib.parse import quote

    response = get(ds, f"/{db}?sql={quote(sql)}")
    assert response.status_code >= 400, sql
    assert response.status_code != 500
    json_response = get(ds, f"/{db}.json?sql={quote(sql)}")
    assert json_response.status_code >= 400 and json_response.json()["ok"] is False


def test_sqlite_itself_refuses_writes_on_the_served_connection(ds, db, unchanged):
    database = ds.get_database(db)

    def write(conn):
        conn.execute("DELETE FROM documents")

    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        asyncio.run(database.execute_fn(write))
    with pytest.raises(sqlite3.OperationalError, match="readonly"):  # Datasette's write path too
        asyncio.run(database.execute_write("DELETE FROM documents"))


WRITE_ROUTES = [
    "/{db}/documents/-/insert",
    "/{db}/documents/-/upsert",
    "/{db}/documents/1/-/update",
    "/{db}/documents/1/-/delete",
    "/{db}/documents/-/drop",
    "/{db}/-/create",
    "/{db}",
    "/{db}/rank_hosts",
    "/{db}/search_evidence",
    "/{db}/documents",
    "/-/permissions",
]


@pytest.mark.parametrize("route", WRITE_ROUTES)
def test_write_routes_fail(ds, db, unchanged, route):
    path = route.format(db=db)
    attempts = [
        dict(json={"row": {"name": "x"}, "rows": [{"name": "x"}], "table": "x", "columns": [{"name": "a"}],
                   "update": {"title": "x"}, "sql": "DELETE FROM documents"}),
        dict(data={"sql": "DELETE FROM documents", "title": "x"}),
        dict(content=b"DELETE FROM documents", headers={"content-type": "text/plain"}),
    ]
    for method in ("POST", "PUT", "PATCH", "DELETE"):
        for kwargs in attempts:
            if method == "DELETE":
                kwargs = {}
            response = asyncio.run(ds.client.request(method, path, **kwargs))
            assert response.status_code == 405, (method, path, kwargs, response.status_code)
            assert "read-only" in response.text


def test_sql_time_limit_stops_a_heavy_query(ds, db):
    from urllib.parse import quote

    heavy = ("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c LIMIT 1000000000) "
             "SELECT count(*) FROM c")
    for extra in ("", "&_timelimit=600000"):  # _timelimit can only lower the limit
        started = time.monotonic()
        response = get(ds, f"/{db}?sql={quote(heavy)}{extra}")
        assert time.monotonic() - started < 10
        assert response.status_code == 400
        assert "SQL query took too long" in response.text


def asgi_get(ds, raw_path: str) -> tuple[int, bytes]:
    """GET ``raw_path`` straight through the ASGI app, without URL normalisation."""
    app = ds.app()
    messages = []

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):
        messages.append(message)

    path, _, query = raw_path.partition("?")
    scope = {"type": "http", "http_version": "1.1", "method": "GET", "scheme": "http",
             "path": path, "raw_path": path.encode(), "query_string": query.encode(),
             "headers": [(b"host", b"localhost")], "client": ("127.0.0.1", 1), "server": ("localhost", 80),
             "root_path": ""}
    asyncio.run(app(scope, receive, send))
    status = next(m["status"] for m in messages if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in messages if m["type"] == "http.response.body")
    return status, body


@pytest.mark.parametrize("raw_path", [
    "/../etc/passwd",
    "/../../../../etc/passwd",
    "/-/static/../../../../../etc/passwd",
    "/-/static/..%2f..%2f..%2f..%2f..%2fetc%2fpasswd",
    "/-/static/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
    "/-/static-plugins/hostkb_catalog/../../../../../etc/passwd",
    "/-/static-plugins/hostkb_catalog.py/hostkb_catalog.py",
    "/-/static/../serve.py",
    "/{db}/../../etc/passwd",
    "/{db}.db/../../etc/passwd",
])
def test_nothing_outside_the_database_is_served(ds, db, unchanged, raw_path):
    status, body = asgi_get(ds, raw_path.format(db=db))
    assert status == 404, (raw_path, status)
    assert b"root:" not in body and b"hookimpl" not in body


def test_the_database_itself_can_be_downloaded_and_is_the_file(ds, db, db_path, unchanged, tmp_path):
    response = get(ds, f"/{db}.db")
    assert response.status_code == 200
    downloaded = tmp_path / "downloaded.db"
    downloaded.write_bytes(response.content)
    assert len(response.content) == db_path.stat().st_size
    served, copy = sqlite3.connect(f"{db_path.as_uri()}?mode=ro", uri=True), sqlite3.connect(downloaded)
    try:
        assert list(copy.iterdump()) == list(served.iterdump())  # the same tables, rows and schema
    finally:
        served.close()
        copy.close()
    assert not list(Path(tempfile.gettempdir()).glob("hostkb-download-*"))  # the copy is not left behind


def test_reading_every_page_leaves_the_file_unchanged(ds, db, unchanged):
    for path in ("/", f"/{db}", f"/{db}/figures?_facet=metric", f"/{db}/sentences/1",
                 f"/{db}/rank_hosts?metric=overpotential", f"/{db}/search_evidence?q=lithium",
                 f"/{db}/figures.json", f"/{db}/figures.csv?_stream=1"):
        assert get(ds, path).status_code == 200, path


def test_metadata_json_is_what_datasette_serves(ds, db):
    served = get(ds, "/-/metadata.json").json()
    assert served["title"] == "hostkb: lithium-metal anode hosts"
    assert set(served["databases"][db]["queries"]) == set(CANNED_QUERIES)
    json.dumps(served)  # plain JSON, as `datasette --metadata` would read it


# ---------------------------------------------------------------- command line


def test_cli_register_adds_serve_with_its_options(db_path, tmp_path):
    import click
    from click.testing import CliRunner

    from extractor.cli_serve import register

    group = click.Group()
    register(group)
    runner = CliRunner()
    help_text = runner.invoke(group, ["serve", "--help"]).output
    assert "--db" in help_text and "--port" in help_text and "--host" in help_text
    missing = runner.invoke(group, ["serve", "--db", str(tmp_path / "nope.db")])
    assert missing.exit_code == 1 and "no database at" in missing.output


def test_serve_says_when_the_port_is_taken(db_path):
    import socket

    from extractor.serve import ServeError, serve

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        with pytest.raises(ServeError, match=f"cannot listen on 127.0.0.1:{port}"):
            serve(db_path, port=port, echo=lambda line: None)


def test_catalog_connections_read_with_a_large_cache_and_a_memory_map(ds, db):
    from extractor.store import READ_CACHE_KIB, READ_MMAP_BYTES

    async def pragmas():
        database = ds.get_database(db)
        cache = (await database.execute("PRAGMA cache_size")).first()[0]
        mmap = (await database.execute("PRAGMA mmap_size")).first()[0]
        return cache, mmap

    assert asyncio.run(pragmas()) == (-READ_CACHE_KIB, READ_MMAP_BYTES)


# ---------------------------------------------------------------- what a researcher sees


def test_unknown_conditions_are_empty_never_zero(ds, db, conn):
    host = conn.execute("SELECT f.host FROM figures f WHERE f.c_rate IS NULL AND f.temperature_c IS NULL "
                        "AND f.host_kind = 'host' LIMIT 1").fetchone()[0]
    rows = get(ds, f"/{db}/host_profile.json?host={host}&_shape=array").json()
    details = [r["details"] or "" for r in rows if r["part"] in ("figure", "synthesis")]
    assert details and not any(" 0 C" in d or "0 degC" in d or " 0 mAh" in d or " 0 h" in d or d.startswith("0 ")
                               for d in details), details
    # a figure whose cell test states nothing but the cell type shows just that
    bare = conn.execute("SELECT host, cell_type FROM figures WHERE current_density_ma_cm2 IS NULL "
                        "AND areal_capacity_mah_cm2 IS NULL AND c_rate IS NULL AND cycles IS NULL "
                        "AND temperature_c IS NULL AND cathode IS NULL AND cell_type IS NOT NULL LIMIT 1").fetchone()
    if bare:
        rows = get(ds, f"/{db}/host_profile.json?host={bare['host']}&_shape=array").json()
        assert any(r["part"] == "figure" and r["details"].startswith(bare["cell_type"]) and "mA" not in r["details"]
                   for r in rows)


def test_values_keep_their_qualifier(ds, db, conn):
    bound = conn.execute("SELECT host, metric, value, unit FROM figures WHERE qualifier = 'gt' "
                         "AND host_kind = 'host' LIMIT 1").fetchone()
    rows = get(ds, f"/{db}/host_profile.json?host={bound['host']}&_shape=array").json()
    assert f">{bound['value']:g} {bound['unit']}" in {r["shown"] for r in rows}
    page = get(ds, f"/{db}/figures?qualifier=gt")
    assert f'<span class="hostkb-qualified">&gt;{bound["value"]:g}</span>' in page.text


def test_compare_hosts_does_not_call_two_bounds_a_tie():
    from extractor.serve import COMPARE_SQL

    c = sqlite3.connect(":memory:")
    c.executescript("""
        CREATE TABLE figures (host TEXT, host_id INT, metric TEXT, value REAL, unit TEXT, qualifier TEXT,
            better TEXT, cell_type TEXT, current_density_ma_cm2 REAL, areal_capacity_mah_cm2 REAL, c_rate REAL,
            cycles REAL, cathode TEXT, electrolyte TEXT, temperature_c REAL, document TEXT, evidence TEXT,
            sentence_id INT, document_id INT);
        CREATE TABLE hosts (id INT, name TEXT); CREATE TABLE host_aliases (host_id INT, alias TEXT);
        INSERT INTO hosts VALUES (1, 'A'), (2, 'B'), (3, 'C');
        INSERT INTO figures VALUES ('A', 1, 'cycling_time', 1200, 'h', 'gt', 'higher', 'symmetric', 1, 1, NULL,
            NULL, NULL, NULL, NULL, 'a.txt', 'x', 1, 1);
        INSERT INTO figures VALUES ('B', 2, 'cycling_time', 1200, 'h', 'gt', 'higher', 'symmetric', 1, 1, NULL,
            NULL, NULL, NULL, NULL, 'b.txt', 'y', 2, 2);
        INSERT INTO figures VALUES ('C', 3, 'cycling_time', 1000, 'h', 'eq', 'higher', 'symmetric', 1, 1, NULL,
            NULL, NULL, NULL, NULL, 'c.txt', 'z', 3, 3);
    """)
    c.row_factory = sqlite3.Row

    def compare(a, b):
        return dict(c.execute(COMPARE_SQL, {"host_a": a, "host_b": b, "metric": "", "tolerance": ""}).fetchone())

    ab = compare("A", "B")
    assert (ab["shown_a"], ab["shown_b"]) == (">1200 h", ">1200 h")
    assert ab["better_host"].startswith("undecided")
    assert compare("A", "C")["better_host"] == "A"  # more than 1200 h beats 1000 h
    assert compare("C", "A")["better_host"] == "A"
    assert "0 C" not in compare("A", "C")["conditions_a"] and compare("A", "C")["conditions_a"] == \
        "symmetric, 1 mA/cm2, 1 mAh/cm2"


@pytest.mark.parametrize("query, found", [("Ag@CM", "ag@cm"), ("ZnO@NHC", "zno@nhc"), ("Li||Cu", "li"),
                                          ('"Coulombic efficiency"', "coulombic efficiency"),
                                          ("Mo2N/W2N@C", "demo_003")])
def test_search_takes_names_as_typed_in_the_catalog(ds, db, query, found):
    import urllib.parse

    q = urllib.parse.quote(query)
    rows = get(ds, f"/{db}/search_evidence.json?q={q}&_shape=array").json()
    assert rows, query
    assert all(found in (r["evidence"] + " " + r["document"]).lower() for r in rows)
    page = get(ds, f"/{db}/sentences?_search={q}")
    assert page.status_code == 200 and "error" not in text_of(page).lower().split("<table")[0]
    table = get(ds, f"/{db}/sentences.json?_search={q}&_shape=array").json()
    assert table, query


def test_raw_search_is_fts5_syntax(ds, db):
    rows = get(ds, f"/{db}/search_evidence.json?q=dendrite%20OR%20hysteresis&raw=1&_shape=array").json()
    text = " ".join(r["evidence"].lower() for r in rows)
    assert "dendrite" in text and "hysteresis" in text


def test_rank_form_offers_the_vocabulary_and_says_what_is_wrong(ds, db):
    page = get(ds, f"/{db}/rank_hosts")
    assert '<select id="qp1" name="metric">' in page.text and 'value="coulombic_efficiency"' in page.text
    assert 'name="cell_type"' in page.text and '<option value="half"' in page.text
    for name in ("min_cycles", "electrolyte"):
        assert f'name="{name}"' in page.text
    for query, message in (("metric=CE", "unknown metric 'CE'"), ("metric=overpotential&cell_type=Half",
                           "unknown cell type 'Half'"), ("metric=overpotential&current_density=abc",
                           "current density must be a number (mA/cm2), not 'abc'")):
        page = get(ds, f"/{db}/rank_hosts?{query}")
        assert 'class="hostkb-problems' in page.text and message in text_of(page), query
        assert "0 results" not in page.text


def test_rank_chart_axis_spans_the_data_and_names_the_metric(ds, db):
    page = get(ds, f"/{db}/rank_hosts?metric=coulombic_efficiency&cell_type=half")
    text = text_of(page)
    assert "Coulombic efficiency (%)" in text and "higher is better" in text
    low = re.search(r"The axis spans ([\d.]+)–([\d.]+) %", text)
    assert low and float(low.group(1)) > 50  # not zero
    bound = get(ds, f"/{db}/rank_hosts?metric=cycling_time&cell_type=symmetric")
    assert re.search(r'<text class="value"[^>]*>&gt;\d', bound.text)  # >1600 h keeps its sign


def test_rank_filters_min_cycles_and_electrolyte(ds, db):
    every = get(ds, f"/{db}/rank_hosts.json?metric=coulombic_efficiency&_shape=array").json()
    kept = get(ds, f"/{db}/rank_hosts.json?metric=coulombic_efficiency&min_cycles=400&_shape=array").json()
    assert kept and len(kept) < len(every) and all(r["cycles"] >= 400 for r in kept)
    kept = get(ds, f"/{db}/rank_hosts.json?metric=coulombic_efficiency&electrolyte=LiPF6&_shape=array").json()
    assert kept and all("lipf6" in r["electrolyte"].lower() for r in kept)


def test_hosts_link_to_their_profile_ids_to_their_rows_and_dois_out(ds, db, conn):
    host_id, name, document_id, sentence_id = conn.execute(
        "SELECT id, name, document_id, sentence_id FROM hosts WHERE sentence_id IS NOT NULL LIMIT 1").fetchone()
    page = get(ds, f"/{db}/hosts/{host_id}")
    import urllib.parse
    assert f'href="/{db}/host_profile?host={urllib.parse.quote(name)}"' in page.text
    assert f'href="/{db}/documents/{document_id}"' in page.text
    assert f'href="/{db}/sentences/{sentence_id}"' in page.text
    figures = get(ds, f"/{db}/figures")
    assert f'href="/{db}/host_profile?host=' in figures.text
    doi = conn.execute("SELECT doi FROM documents WHERE doi IS NOT NULL LIMIT 1").fetchone()[0]
    assert f'href="https://doi.org/{doi}"' in get(ds, f"/{db}/documents").text
    assert 'href="https://doi.org/' in figures.text


def test_papers_are_named_by_first_author_and_year(ds, db, conn):
    page = get(ds, f"/{db}/rank_hosts?metric=coulombic_efficiency&cell_type=half")
    authors = conn.execute("SELECT authors FROM documents WHERE authors IS NOT NULL LIMIT 1").fetchone()[0]
    surname = json.loads(authors)[0].split()[-1]
    assert f"{surname} et al., " in text_of(page)


def test_metric_against_a_condition_plots_every_paper(ds, db, conn):
    query = "metric=coulombic_efficiency&condition=current_density"
    rows = get(ds, f"/{db}/metric_vs_condition.json?{query}&_shape=array").json()
    assert rows and all(r["x"] is not None for r in rows)
    assert len({r["document"] for r in rows}) >= 3
    xs = [r["x"] for r in rows]
    assert xs == sorted(xs)
    # one point per figure of a paper, though it was built from its PDF and its text
    keys = [(r["doi"], r["host"], r["value"], r["x"], r["cell_type"], r["qualifier"]) for r in rows]
    assert len(keys) == len(set(keys))
    page = get(ds, f"/{db}/metric_vs_condition?{query}")
    assert 'class="hostkb-chart hostkb-scatter"' in page.text
    assert page.text.count('<g class="point">') == len(rows)
    assert "Current density (mA/cm2)" in text_of(page)
    legend = page.text[page.text.index('<ol class="hostkb-legend">'):]
    assert rows[0]["host"] in legend

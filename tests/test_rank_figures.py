"""rank_figures, the table the ranking picks figures from, is derived data: it must hold
exactly the rows of the join it is derived from (the view rank_figures_source) after
every kind of write, and be redrawn for a database of an earlier schema."""

from __future__ import annotations

import sqlite3
from dataclasses import replace

from extractor import store
from extractor.rank import RANK_SQL
from extractor.serve import _bring_up_to_date
from test_rank import make_random_kb, sql_params
from test_store import make_extraction, make_seg


def derived(conn) -> set:
    return set(conn.execute("SELECT * FROM rank_figures").fetchall())


def source(conn) -> set:
    return set(conn.execute("SELECT * FROM rank_figures_source").fetchall())


def in_step(conn) -> bool:
    rows = derived(conn)
    n = conn.execute("SELECT count(*) FROM measurements").fetchone()[0]
    return rows == source(conn) and len(rows) == n


def test_saving_replacing_and_removing_documents_keeps_it_in_step(tmp_path):
    db = store.open_db(tmp_path / "kb.db")
    ex = make_extraction()
    store.save_document(db, make_seg("a.txt"), ex)
    store.save_document(db, make_seg("b.txt"), ex)
    assert in_step(db.conn) and derived(db.conn)
    store.save_document(db, make_seg("a.txt"), replace(ex, measurements=ex.measurements[1:]))  # a new version
    assert in_step(db.conn)
    store.remove_documents(db, ["b.txt"])
    assert in_step(db.conn)
    assert {row[-1] for row in derived(db.conn)} == {db.execute("SELECT id FROM documents").fetchone()[0]}
    db.close()


def test_changes_to_hosts_cell_tests_documents_and_figures_follow(tmp_path):
    db = make_random_kb(tmp_path / "kb.db", 3)
    conn = db.conn
    assert in_step(conn)
    with conn:
        conn.execute("UPDATE hosts SET name = name || ' (renamed)', kind = 'cited' WHERE id IN (1, 2)")
        conn.execute("UPDATE documents SET doi = '10.1000/NEW' WHERE id = 3")
        conn.execute("UPDATE cell_tests SET cell_type = 'pouch', current_density_ma_cm2 = 7 WHERE id = 2")
        conn.execute("UPDATE measurements SET value = value + 1, metric = 'cycling_time' WHERE id % 5 = 0")
    assert in_step(conn)
    with conn:  # measurements.cell_test_id is set to NULL by the foreign key
        conn.execute("DELETE FROM cell_tests WHERE id = 4")
        conn.execute("DELETE FROM hosts WHERE id = 5")  # its figures go with it
        conn.execute("DELETE FROM documents WHERE id = 6")
    assert in_step(conn)
    db.close()


def test_a_database_of_an_earlier_schema_gets_it_filled_when_opened_or_served(tmp_path):
    path = tmp_path / "kb.db"
    db = make_random_kb(path, 4)
    params = sql_params("coulombic_efficiency", cell_type="half", current_density=1)
    expected = db.execute(RANK_SQL, params).fetchall()
    assert expected
    db.close()

    def make_it_old():
        conn = sqlite3.connect(path)
        with conn:
            conn.execute("DELETE FROM rank_figures")
            conn.execute("INSERT INTO rank_figures (measurement_id, metric, value, host, host_kind, paper, "
                         "document, document_id) VALUES (999999, 'coulombic_efficiency', 1, 'x', 'host', 1, 'x', 1)")
            conn.execute("UPDATE meta SET value = 'an earlier schema' WHERE key = 'schema_fingerprint'")
        conn.close()

    make_it_old()
    db = store.open_db(path, create=False)
    assert in_step(db.conn)
    assert db.execute(RANK_SQL, params).fetchall() == expected
    db.close()

    make_it_old()
    _bring_up_to_date(path)  # what `hostkb serve` does first
    conn = sqlite3.connect(path)
    assert in_step(conn)
    conn.close()

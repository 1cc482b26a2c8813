"""Incremental builds: unchanged documents cost a stat (or a hash), a build with nothing
to do writes nothing, changed documents are replaced, deleted ones pruned, and the
graph follows the database."""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from extractor import store
from extractor.build import build
from extractor.graph import refresh_graph

REPO = Path(__file__).resolve().parents[1]
DEMO = sorted((REPO / "corpus").glob("*.txt"))
DAY_NS = 86_400 * 10**9


@pytest.fixture()
def corpus(tmp_path) -> Path:
    """The demo corpus in tmp_path, its files dated yesterday (older than the racy window)."""
    docs = tmp_path / "docs"
    docs.mkdir()
    for path in DEMO:
        shutil.copy(path, docs / path.name)
        age(docs / path.name)
    return docs


def age(path: Path) -> None:
    past = time.time_ns() - DAY_NS
    os.utime(path, ns=(past, past))


def fingerprint(db_path: Path) -> tuple:
    """What would show that a build wrote into the database."""
    st = db_path.stat()
    digest = hashlib.sha256(db_path.read_bytes()).hexdigest()
    return st.st_mtime_ns, st.st_size, digest


def counts(db_path: Path) -> dict:
    db = store.open_db(db_path, create=False)
    try:
        return store.counts(db)
    finally:
        db.close()


def rows(db_path: Path, sql: str, params=()) -> list:
    conn = sqlite3.connect(db_path)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def test_a_build_with_nothing_changed_writes_nothing(tmp_path, corpus):
    db = tmp_path / "kb.db"
    first = build([corpus], db, progress=False)
    assert (first.built, first.failed) == (5, 0)
    before, rows_before = fingerprint(db), counts(db)

    again = build([corpus], db, progress=False)
    assert (again.documents_seen, again.built, again.skipped_unchanged, again.failed, again.removed) == (5, 0, 5, 0, 0)
    assert again.hashed == 0, "unchanged size and mtime: no file is read"
    assert not again.graph_refreshed
    assert "5 documents, 0 built, 5 unchanged, 0 failed" in again.format()
    assert fingerprint(db) == before
    assert counts(db) == rows_before
    assert not Path(f"{db}-wal").exists() or Path(f"{db}-wal").stat().st_size == 0


def test_a_touched_file_is_hashed_not_rebuilt(tmp_path, corpus):
    db = tmp_path / "kb.db"
    build([corpus], db, progress=False)
    touched = corpus / DEMO[0].name
    earlier = time.time_ns() - 2 * DAY_NS
    os.utime(touched, ns=(earlier, earlier))  # another mtime, same bytes
    summary = build([corpus], db, progress=False)
    assert (summary.built, summary.skipped_unchanged, summary.hashed) == (0, 5, 1)
    summary = build([corpus], db, progress=False)
    assert (summary.built, summary.hashed) == (0, 0), "the new mtime was remembered"


def test_force_reads_and_rebuilds_everything(tmp_path, corpus):
    db = tmp_path / "kb.db"
    build([corpus], db, progress=False)
    summary = build([corpus], db, progress=False, force=True)
    assert (summary.built, summary.hashed) == (5, 5)


def test_one_changed_document_is_replaced_and_one_deleted_is_pruned(tmp_path, corpus):
    db = tmp_path / "kb.db"
    build([corpus], db, progress=False)
    changed, deleted = corpus / DEMO[1].name, corpus / DEMO[2].name
    stored_before = dict(rows(db, "SELECT name, id FROM documents"))
    text = changed.read_text(encoding="utf-8")
    # same size, new content: only the mtime tells, then the hash
    changed.write_text(text.replace("Lithium", "LITHIUM", 1), encoding="utf-8")
    assert changed.stat().st_size == len(text.encode("utf-8"))
    deleted.unlink()

    summary = build([corpus], db, progress=False, prune=True)
    assert (summary.documents_seen, summary.built, summary.skipped_unchanged, summary.removed) == (4, 1, 3, 1)
    names = dict(rows(db, "SELECT name, id FROM documents"))
    assert sorted(names) == sorted(p.name for p in DEMO if p.name != deleted.name)
    assert names[changed.name] != stored_before[changed.name], "the changed document was replaced"
    assert {n: i for n, i in names.items() if n != changed.name} == \
        {n: i for n, i in stored_before.items() if n in names and n != changed.name}, "the others were left alone"
    assert rows(db, "SELECT sha256 FROM documents WHERE name = ?", [changed.name]) == [
        (hashlib.sha256(changed.read_bytes()).hexdigest(),)]
    assert rows(db, "SELECT count(*) FROM sentences s LEFT JOIN documents d ON d.id = s.document_id "
                    "WHERE d.id IS NULL") == [(0,)], "nothing of the pruned document is left"
    assert rows(db, "SELECT count(*) FROM build_files WHERE name = ?", [changed.name]) == [(1,)]


NO_OP_PROBE = """
import sys
from extractor.build import build
s = build([sys.argv[1]], sys.argv[2], progress=False, workers=2)
heavy = sorted(m for m in ("sqlite_utils", "pandas", "numpy", "spacy", "pint", "networkx") if m in sys.modules)
print(s.documents_seen, s.skipped_unchanged, s.built, ",".join(heavy) or "-")
"""


def probe(corpus: Path, db: Path) -> list[str]:
    out = subprocess.run([sys.executable, "-c", NO_OP_PROBE, str(corpus), str(db)], cwd=REPO,
                         capture_output=True, text=True, check=True).stdout
    return out.split()


def test_a_build_with_nothing_to_do_imports_no_database_library_or_pipeline(tmp_path, corpus):
    db = tmp_path / "kb.db"
    assert build([corpus], db, progress=False).built == 5
    before = fingerprint(db)
    assert probe(corpus, db) == ["5", "5", "0", "-"]
    assert fingerprint(db) == before


def test_the_quick_no_op_check_gives_way_when_anything_differs(tmp_path, corpus):
    db = tmp_path / "kb.db"
    build([corpus], db, progress=False)
    # the database was made with other schema files: the full build opens it (and
    # applies this installation's schema), still building nothing
    conn = sqlite3.connect(db)
    with conn:
        conn.execute("UPDATE meta SET value = 'older' WHERE key = 'schema_fingerprint'")
    conn.close()
    seen, skipped, built, heavy = probe(corpus, db)
    assert (seen, skipped, built) == ("5", "5", "0") and "sqlite_utils" in heavy
    assert rows(db, "SELECT value FROM meta WHERE key = 'schema_fingerprint'") != [("older",)]
    assert probe(corpus, db)[3] == "-", "and the next build is quick again"
    # a new file, or a problem to report, takes the full build too
    (corpus / "new.txt").write_text("A short note on nothing in particular.\n", encoding="utf-8")
    assert probe(corpus, db)[:3] == ["6", "5", "1"]
    summary = build([corpus, tmp_path / "missing"], db, progress=False)
    assert [(reason) for _, reason, _ in summary.errors] == ["not_found"]


def test_the_graph_follows_an_incremental_build(tmp_path, corpus):
    db = tmp_path / "kb.db"
    assert build([corpus], db, progress=False).graph_refreshed
    papers = rows(db, "SELECT count(*) FROM graph_nodes WHERE document_id IS NOT NULL "
                      "GROUP BY document_id")
    assert len(papers) == 5
    (corpus / DEMO[0].name).unlink()
    summary = build([corpus], db, progress=False, prune=True)
    assert summary.removed == 1 and summary.graph_refreshed
    assert len(rows(db, "SELECT DISTINCT document_id FROM graph_nodes WHERE document_id IS NOT NULL")) == 4
    changed = corpus / DEMO[1].name
    changed.write_text(changed.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert build([corpus], db, progress=False).built == 1
    # the graph, redrawn for the changed document only, is the graph of the whole database
    nodes = "SELECT id, type, label, attributes, document_id FROM graph_nodes"
    edges = "SELECT source, target, type, attributes, document_id FROM graph_edges"
    stored = (sorted(rows(db, nodes)), sorted(rows(db, edges), key=repr))
    refresh_graph(db, full=True)
    assert stored == (sorted(rows(db, nodes)), sorted(rows(db, edges), key=repr))


def test_a_build_does_not_tune_its_connection_for_reading(tmp_path, corpus, monkeypatch):
    """The memory map and large page cache of the catalog would count in a build's RSS
    (hundreds of MB on a large database) and do not speed up writing."""
    def refuse(conn):
        raise AssertionError("the build tuned its connection for reading")

    monkeypatch.setattr(store, "tune_for_reading", refuse)
    summary = build([corpus], tmp_path / "kb.db")
    assert summary.built == len(DEMO) and summary.failed == 0

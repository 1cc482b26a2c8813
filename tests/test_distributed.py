"""The distributed engine: the demo corpus built on a local Dask cluster (a scheduler
and two worker processes on loopback) equals a local build, record for record."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

distributed = pytest.importorskip("distributed", reason="needs dask[distributed] (the test extra)")

from extractor import store  # noqa: E402
from extractor.build import build  # noqa: E402
from extractor.distributed import build as distributed_build  # noqa: E402
from extractor.export import export_records  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
DEMO = sorted((REPO / "corpus").glob("*.txt"))


@pytest.fixture(scope="module")
def cluster():
    from distributed import LocalCluster

    with LocalCluster(n_workers=2, processes=True, threads_per_worker=1, host="127.0.0.1",
                      dashboard_address=None) as local:
        yield local


def records(db_path: Path) -> dict:
    db = store.open_db(db_path, create=False)
    try:
        return export_records(db)  # keyed by document name; no database ids inside
    finally:
        db.close()


def table(db_path: Path, sql: str) -> list:
    conn = sqlite3.connect(db_path)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def test_a_cluster_build_equals_a_local_build_record_for_record(tmp_path, cluster):
    assert len(DEMO) == 5
    local = build(DEMO, tmp_path / "local.db", progress=False, graph=False)
    remote = distributed_build(DEMO, tmp_path / "cluster.db", scheduler=cluster.scheduler_address,
                               progress=False, graph=False)
    assert (remote.built, remote.failed, remote.sentences, remote.measurements) == \
        (local.built, local.failed, local.sentences, local.measurements) == (5, 0, local.sentences, local.measurements)
    expected = records(tmp_path / "local.db")
    assert sum(len(r["performance"]) for r in expected.values()) > 0
    assert records(tmp_path / "cluster.db") == expected
    # the text too, ids aside (documents arrive in another order on a cluster)
    text = ("SELECT d.name, s.idx, s.section, s.role, s.text, s.evidence, s.raw_start, s.raw_end "
            "FROM sentences s JOIN documents d ON d.id = s.document_id ORDER BY 1, 2")
    assert table(tmp_path / "cluster.db", text) == table(tmp_path / "local.db", text)


def test_a_cluster_build_is_incremental_and_reports_bad_files(tmp_path, cluster):
    docs = tmp_path / "docs"
    docs.mkdir()
    for path in DEMO[:2]:
        (docs / path.name).write_bytes(path.read_bytes())
    (docs / "empty.txt").write_bytes(b"")
    db = tmp_path / "kb.db"
    first = distributed_build([docs], db, scheduler=cluster.scheduler_address, progress=False, graph=False)
    assert (first.built, first.failed) == (2, 1)
    assert [name for name, _, _ in first.errors] == ["empty.txt"]
    again = distributed_build([docs], db, scheduler=cluster.scheduler_address, progress=False, graph=False)
    assert (again.built, again.skipped_unchanged) == (0, 2)


def test_the_time_limit_holds_on_the_workers_threads(tmp_path, cluster):
    """Dask runs each task in a worker thread, where no alarm signal reaches: the
    pipeline's own deadline checks stop a document over its time."""
    summary = distributed_build(DEMO[:2], tmp_path / "kb.db", scheduler=cluster.scheduler_address,
                                progress=False, graph=False, time_limit=1e-6)
    assert (summary.built, summary.failed) == (0, 2)
    assert {reason for _, reason, _ in summary.errors} == {"time_limit"}


def test_an_unreachable_scheduler_is_a_clear_error(tmp_path, monkeypatch):
    from extractor import distributed as engine
    from extractor.errors import HostkbError

    monkeypatch.setattr(engine, "CONNECT_TIMEOUT", "2s")
    with pytest.raises(HostkbError, match="Dask scheduler at tcp://127.0.0.1:9"):
        distributed_build(DEMO[:1], tmp_path / "kb.db", scheduler="tcp://127.0.0.1:9", progress=False)

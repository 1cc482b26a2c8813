"""Faults, load and hostile input (issue 14): one regression test per case, named after
the bug, each of which failed before its fix.

The build's orchestration is driven with the stand-in pipeline of test_build.py
(``fake_pipeline``); the catalog with Datasette's test client, and the load test with
a real ``hostkb serve`` on loopback while ``hostkb build --force`` rewrites its file.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from extractor import build as build_module
from extractor.build import build
from extractor.cli import cli

from test_build import fake_pipeline, paper, write  # noqa: F401  (fixture)


def lines_of(summary_echo: list[str], prefix: str = "hostkb: ") -> list[str]:
    return [line for text in summary_echo for line in text.splitlines() if line.startswith(prefix)]


# ---------------------------------------------------------------- 1. workers


class _CountingPool:
    """Stands in for ProcessPoolExecutor in the parent: records how many processes a
    build asks for, and runs the work in this process."""

    asked: list[int] = []

    def __init__(self, max_workers):
        _CountingPool.asked.append(max_workers)

    def submit(self, fn, *args):
        from concurrent.futures import Future

        future = Future()
        future.set_result(fn(*args))
        return future

    def shutdown(self, wait=True, cancel_futures=False):
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.shutdown()


@pytest.fixture()
def counting_pool(monkeypatch):
    _CountingPool.asked = []
    monkeypatch.setattr(build_module, "ProcessPoolExecutor", _CountingPool)
    return _CountingPool.asked


def test_workers_100000_start_no_more_processes_than_cpus(tmp_path, fake_pipeline, counting_pool):
    for i in range(6):
        write(tmp_path / "papers", f"p{i}.md", paper(i))
    said: list[str] = []
    summary = build([tmp_path / "papers"], tmp_path / "kb.db", workers=100000, progress=False, echo=said.append)
    assert summary.built == 6
    cpus = build_module.usable_cpus()
    assert counting_pool == [min(cpus, 6)]
    assert any("100000 workers asked for, using" in line and "CPU" in line for line in said), said


def test_workers_64_on_one_document_start_one_process(tmp_path, fake_pipeline, counting_pool, monkeypatch):
    monkeypatch.setattr(build_module, "max_workers", lambda: (64, "a test"))
    write(tmp_path / "papers", "only.md", paper(1))
    summary = build([tmp_path / "papers"], tmp_path / "kb.db", workers=64, progress=False, echo=lambda s: None)
    assert summary.built == 1
    assert counting_pool == [1]


def test_workers_are_capped_by_the_memory_budget(monkeypatch):
    monkeypatch.setattr(build_module, "usable_cpus", lambda: 64)
    monkeypatch.setattr(build_module, "_available_memory", lambda: 3 * build_module.WORKER_MEMORY_BYTES + 1)
    limit, why = build_module.max_workers()
    assert limit == 3 and "memory" in why


# ---------------------------------------------------------------- 11. control characters


def test_a_file_name_with_a_newline_cannot_forge_an_error_line(tmp_path, fake_pipeline):
    folder = tmp_path / "papers"
    forged = "x.md\nhostkb: forged.md: fake: all is well\r.md"
    write(folder, forged, "BAD: a bad\nfile\x1b[31m")
    said: list[str] = []
    summary = build([folder], tmp_path / "kb.db", progress=False, echo=said.append)
    assert summary.failed == 1
    assert len(said) == 1 and "\n" not in said[0] and "\r" not in said[0] and "\x1b" not in said[0]
    assert said[0].startswith("hostkb: x.md\\x0ahostkb: forged.md: fake: all is well\\x0d.md: bad_input: ")
    assert sqlite3.connect(tmp_path / "kb.db").execute("SELECT name FROM ingest_errors").fetchone()[0] == forged


def test_printable_escapes_every_control_and_line_separator():
    from extractor.errors import printable

    assert printable("a\tb\nc\rd\x00e\x7ff\x85g\u2028h") == "a\\x09b\\x0ac\\x0dd\\x00e\\x7ff\\x85g\\u2028h"
    assert printable("Li–Cu mesh, 1 mA cm⁻²") == "Li–Cu mesh, 1 mA cm⁻²"


def test_stats_escapes_control_characters_of_stored_errors(tmp_path, fake_pipeline):
    folder = tmp_path / "papers"
    write(folder, "y\nerror: forged.md: none: fine.md", "BAD: broken")
    build([folder], tmp_path / "kb.db", progress=False, echo=lambda s: None)
    result = CliRunner().invoke(cli, ["stats", "--db", str(tmp_path / "kb.db")])
    errors = [line for line in result.output.splitlines() if line.strip().startswith("error:")]
    assert len(errors) == 1 and "y\\x0aerror: forged.md" in errors[0]


# ---------------------------------------------------------------- 12. options and outputs


@pytest.fixture()
def small_db(tmp_path, fake_pipeline):
    write(tmp_path / "papers", "a.md", paper(1))
    build([tmp_path / "papers"], tmp_path / "kb.db", progress=False, echo=lambda s: None)
    return tmp_path / "kb.db"


def test_export_into_an_unwritable_folder_is_a_clean_error_not_a_traceback(small_db):
    result = CliRunner().invoke(cli, ["export", "--db", str(small_db), "--out", "/proc/nope"])
    assert result.exit_code == 1
    assert "cannot create the folder /proc/nope" in result.output
    assert isinstance(result.exception, SystemExit)


@pytest.mark.parametrize("value", ["nan", "inf", "1e300", "-1"])
def test_time_limit_nan_or_1e300_is_refused_by_the_option(tmp_path, value):
    write(tmp_path, "a.md", paper(1))
    result = CliRunner().invoke(cli, ["build", str(tmp_path / "a.md"), "--db", str(tmp_path / "kb.db"),
                                      "--time-limit", value])
    assert result.exit_code == 2, result.output
    assert "--time-limit" in result.output
    assert not (tmp_path / "kb.db").exists()


def test_the_library_refuses_a_nan_time_limit(tmp_path):
    from extractor.errors import HostkbError

    with pytest.raises(HostkbError, match="time limit"):
        build([tmp_path], tmp_path / "kb.db", time_limit=float("nan"), progress=False)


@pytest.mark.parametrize("option,value", [("--current-density", "-1"), ("--current-density", "nan"),
                                          ("--current-density", "inf"), ("--areal-capacity", "0"),
                                          ("--c-rate", "nan"), ("--temperature", "-300"),
                                          ("--tolerance", "nan")])
def test_rank_current_density_minus_1_nan_inf_are_refused(small_db, option, value):
    result = CliRunner().invoke(cli, ["rank", "coulombic_efficiency", "--db", str(small_db), option, value])
    assert result.exit_code == 2, result.output
    assert option in result.output


def test_rank_accepts_an_ordinary_current_density(small_db):
    result = CliRunner().invoke(cli, ["rank", "coulombic_efficiency", "--db", str(small_db),
                                      "--current-density", "1", "--temperature", "-20"])
    assert result.exit_code == 0, result.output


def test_eval_gold_etc_without_gold_files_fails(small_db, tmp_path):
    empty = tmp_path / "no-gold"
    empty.mkdir()
    (empty / "notes.txt").write_text("not a gold file", encoding="utf-8")
    result = CliRunner().invoke(cli, ["eval", "--db", str(small_db), "--gold", str(empty)])
    assert result.exit_code == 1
    assert "no gold record files" in result.output


def _change_schema_version(db_path: Path) -> None:
    conn = sqlite3.connect(db_path)
    conn.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    conn.commit()
    conn.close()


def test_a_database_of_another_schema_version_is_not_built_into(tmp_path, fake_pipeline):
    source = write(tmp_path / "papers", "a.md", paper(1))
    os.utime(source, ns=(source.stat().st_mtime_ns - 10**10,) * 2)  # old enough to be trusted unchanged
    db_path = tmp_path / "kb.db"
    build([tmp_path / "papers"], db_path, progress=False, echo=lambda s: None)
    _change_schema_version(db_path)
    result = CliRunner().invoke(cli, ["build", str(tmp_path / "papers"), "--db", str(db_path)])
    assert result.exit_code == 1, result.output  # not "1 unchanged": the no-op check reads the version too
    assert "schema version '99'" in result.output


def test_a_database_of_another_schema_version_is_not_served(small_db):
    from extractor.errors import DatabaseError
    from extractor.serve import datasette_app

    _change_schema_version(small_db)
    with pytest.raises(DatabaseError, match="schema version '99'"):
        datasette_app(small_db)


# ---------------------------------------------------------------- 7. powers of ten


@pytest.mark.parametrize("written,value,unit", [
    ("The cells ran for 10^{3} h without a short circuit.", 1000.0, "h"),
    ("The cells ran for 10$^3$ cycles without a short circuit.", 1000.0, "cycles"),
    ("The cells ran for 10³ h without a short circuit.", 1000.0, "h"),
    ("The cells ran for 10<sup>3</sup> h without a short circuit.", 1000.0, "h"),
    ("The cells ran for $10^{3}$ h without a short circuit.", 1000.0, "h"),
    ("The film conducts 10⁻³ S cm-1 at room temperature.", 1e-3, "S/cm"),
    ("The film conducts 2.5 × 10^{-3} S cm-1 at room temperature.", 2.5e-3, "S/cm"),
    ("The plating lasted 1 × 10^4 s in total.", 10000 / 3600, "h"),
    ("The plating lasted 1 × 10<sup>4</sup> s in total.", 10000 / 3600, "h"),
])
def test_powers_of_ten_10_sup_3_are_not_read_as_103(written, value, unit):
    from extractor.normalize import normalize
    from extractor.quantities import parse_quantities

    text = normalize(written).text
    assert "10^" in text and "103" not in text and "104" not in text, text
    (q,) = parse_quantities(text)
    assert q.unit == unit and q.value == pytest.approx(value)
    assert normalize(text).text == text


@pytest.mark.parametrize("written,value", [("The host kept 103 h of cycling.", 103.0),
                                          ("The host kept 10 h of cycling at 10 mA cm^-2.", 10.0),
                                          ("The host kept 210³ h of cycling.", 2103.0)])
def test_plain_numbers_and_unit_exponents_stay_as_they_were(written, value):
    from extractor.normalize import normalize
    from extractor.quantities import parse_quantities

    text = normalize(written).text
    assert "^" not in text
    assert parse_quantities(text)[0].value == value


def test_powers_of_ten_reach_the_pipeline_as_powers():
    from extractor.nlp import nlp
    from extractor.normalize import normalize

    doc = nlp()(normalize("The symmetric cell cycled stably for 10<sup>3</sup> h at 1 mA cm-2.").text)
    assert [q.value for q in doc._.quantities if q.unit == "h"] == [1000.0]


# ---------------------------------------------------------------- 13. idempotence and evidence


@pytest.mark.parametrize("written", ["Half (½) of the pores", "a ¼ turn", "⅔ of the area", "2½ h"])
def test_normalize_is_idempotent_on_vulgar_fractions(written):
    from extractor.normalize import normalize

    once = normalize(written).text
    assert normalize(once).text == once
    assert "⁄" not in once


def test_inline_abstract_label_cut_out_keeps_evidence_equal_to_its_raw_span(tmp_path):
    from extractor.load import load
    from extractor.segment import segment

    path = tmp_path / "inline_abstract.txt"
    path.write_text("A study of carbon hosts\n\nIntroduction\n\nThe carbon host is used together with "
                    "ABSTRACT: electrolytes of many kinds in half cells. It cycles for 500 h at 1 mA cm-2.\n",
                    encoding="utf-8")
    seg = segment(load(path))
    for s in seg.sentences:
        assert " ".join(seg.raw.text[s.raw_start:s.raw_end].split()) == s.evidence
        assert "ABSTRACT" not in s.evidence
    assert any(s.section == "abstract" and s.text.startswith("electrolytes") for s in seg.sentences)


# ---------------------------------------------------------------- 10. skipped paths


def _errors(db_path: Path) -> dict[str, str]:
    conn = sqlite3.connect(db_path)
    try:
        return dict(conn.execute("SELECT name, reason FROM ingest_errors").fetchall())
    finally:
        conn.close()


def test_symlink_loops_dangling_links_and_unreadable_folders_are_reported_not_skipped(
        tmp_path, fake_pipeline, monkeypatch):
    import os

    corpus = tmp_path / "corpus"
    write(corpus, "good.md", paper(1))
    os.symlink("loop_b.md", corpus / "loop_a.md")
    os.symlink("loop_a.md", corpus / "loop_b.md")
    os.symlink("gone.md", corpus / "dangling.md")
    (corpus / "sub").mkdir()
    os.symlink("..", corpus / "sub" / "parent")
    (corpus / "locked").mkdir()
    write(corpus / "locked", "hidden_from_us.md", paper(2))
    real_scandir = os.scandir

    def scandir(path):  # the tests run as root, who can read any folder: refuse it here
        if Path(path).name == "locked":
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(build_module.os, "scandir", scandir)
    said: list[str] = []
    summary = build([corpus], tmp_path / "kb.db", progress=False, echo=said.append)
    assert summary.built == 1
    reasons = {line.split(": ")[1]: line.split(": ")[2] for line in said}
    assert reasons == {"loop_a.md": "symlink_loop", "loop_b.md": "symlink_loop",
                       "dangling.md": "dangling_symlink", "parent": "symlink_loop",
                       "locked": "unreadable_folder"}, said
    assert _errors(tmp_path / "kb.db") == reasons
    assert summary.failed == 5 and not summary.ok


def test_a_symlinked_folder_is_followed(tmp_path, fake_pipeline):
    import os

    elsewhere = tmp_path / "elsewhere"
    write(elsewhere, "linked.md", paper(3))
    corpus = tmp_path / "corpus"
    write(corpus, "own.md", paper(4))
    os.symlink(elsewhere, corpus / "more")
    summary = build([corpus], tmp_path / "kb.db", progress=False, echo=lambda s: None)
    assert summary.built == 2 and summary.ok


# ---------------------------------------------------------------- 8. concurrent builds


def test_two_builds_creating_the_same_new_database_one_says_busy(tmp_path, fake_pipeline):
    """The second build of a database another build is writing stops at once with a clear
    message (it used to fail half-way with "no such table: documents")."""
    import threading

    from extractor.errors import BuildBusy

    write(tmp_path / "papers", "a.md", paper(1))
    db_path = tmp_path / "new.db"
    inside = threading.Event()
    release = threading.Event()

    def another_build():
        with build_module._build_lock(db_path):
            inside.set()
            release.wait(10)

    holder = threading.Thread(target=another_build)
    holder.start()
    try:
        assert inside.wait(10)
        with pytest.raises(BuildBusy, match="is busy: another build is writing it"):
            build([tmp_path / "papers"], db_path, progress=False, echo=lambda s: None)
    finally:
        release.set()
        holder.join()
    assert build([tmp_path / "papers"], db_path, progress=False, echo=lambda s: None).built == 1


@pytest.mark.slow
def test_two_hostkb_build_processes_at_once_never_fail_half_way(tmp_path):
    import os
    import subprocess
    import sys

    for i in range(3):
        write(tmp_path / "papers", f"p{i}.md", paper(i))
    db_path = tmp_path / "kb.db"
    env = dict(os.environ, HOSTKB_TEST_DELAY="0.3")
    command = [sys.executable, "-m", "extractor.cli", "build", str(tmp_path / "papers"), "--db", str(db_path),
               "--no-progress"]
    repo = Path(__file__).resolve().parents[1]
    first = subprocess.Popen(command, cwd=repo, env=env, stderr=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    second = subprocess.Popen(command, cwd=repo, env=env, stderr=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    outputs = [p.communicate(timeout=120) for p in (first, second)]
    codes = sorted(p.returncode for p in (first, second))
    text = "\n".join(out + err for out, err in outputs)
    assert codes == [0, 1], text
    assert "is busy: another build is writing it" in text
    assert "no such table" not in text
    conn = sqlite3.connect(db_path)
    assert conn.execute("SELECT count(*) FROM documents").fetchone()[0] == 3
    conn.close()


# ---------------------------------------------------------------- 4. graph refresh


def _paper_nodes(db_path: Path) -> int:
    conn = sqlite3.connect(db_path)
    try:
        return conn.execute("SELECT count(*) FROM graph_nodes WHERE type = 'paper'").fetchone()[0]
    finally:
        conn.close()


def test_a_kill_before_the_graph_refresh_is_finished_by_the_next_build(tmp_path, fake_pipeline, monkeypatch):
    import extractor.graph as graph_module

    for i in range(3):
        write(tmp_path / "papers", f"p{i}.md", paper(i))
    db_path = tmp_path / "kb.db"

    def killed(db, **kw):  # the process dies between the last document and the graph
        raise KeyboardInterrupt

    with monkeypatch.context() as m:
        m.setattr(graph_module, "refresh_graph", killed)
        with pytest.raises(KeyboardInterrupt):
            build([tmp_path / "papers"], db_path, progress=False, echo=lambda s: None)
    assert _paper_nodes(db_path) == 0
    again = build([tmp_path / "papers"], db_path, progress=False, echo=lambda s: None)
    assert again.built == 0 and again.skipped_unchanged == 3
    assert again.graph_refreshed
    assert _paper_nodes(db_path) == 3
    conn = sqlite3.connect(db_path)
    assert conn.execute("SELECT value FROM meta WHERE key = 'graph_pending'").fetchone() is None
    conn.close()
    # and once drawn, a no-op build does not draw it again
    assert not build([tmp_path / "papers"], db_path, progress=False, echo=lambda s: None).graph_refreshed


def test_a_failed_graph_refresh_stays_pending(tmp_path, fake_pipeline, monkeypatch):
    import extractor.graph as graph_module

    write(tmp_path / "papers", "p.md", paper(1))
    db_path = tmp_path / "kb.db"
    said: list[str] = []
    with monkeypatch.context() as m:
        m.setattr(graph_module, "refresh_graph", lambda db, **kw: 1 / 0)
        assert not build([tmp_path / "papers"], db_path, progress=False, echo=said.append).graph_refreshed
    assert any("graph: not refreshed" in line for line in said)
    assert build([tmp_path / "papers"], db_path, progress=False, echo=lambda s: None).graph_refreshed
    assert _paper_nodes(db_path) == 1


# ---------------------------------------------------------------- 6. paths


def _stored_paths(db_path: Path) -> list[str]:
    conn = sqlite3.connect(db_path)
    try:
        return [row[0] for table in ("documents", "build_files", "ingest_errors")
                for row in conn.execute(f"SELECT path FROM {table}")]
    finally:
        conn.close()


def test_absolute_paths_of_the_building_machine_are_not_published(tmp_path, fake_pipeline):
    corpus = tmp_path / "papers"
    write(corpus / "sub", "a.md", paper(1))
    write(corpus, "b.md", paper(2))
    write(corpus, "broken.md", "BAD: unreadable on purpose")
    single = write(tmp_path / "elsewhere", "c.md", paper(3))
    for f in (*corpus.rglob("*.md"), single):  # older than the racy-mtime window
        os.utime(f, ns=(f.stat().st_mtime_ns - 10**10,) * 2)
    db_path = tmp_path / "kb.db"
    build([corpus, single], db_path, progress=False, echo=lambda s: None)
    stored = _stored_paths(db_path)
    assert sorted(stored) == sorted(["papers/sub/a.md", "papers/b.md", "c.md",            # documents
                                     "papers/sub/a.md", "papers/b.md", "c.md",            # build_files
                                     "papers/broken.md"])                                 # ingest_errors
    assert not any(str(tmp_path) in p or p.startswith("/") for p in stored)
    # the relative paths still identify the files: nothing is rebuilt, not even hashed
    again = build([corpus, single], db_path, progress=False, echo=lambda s: None)
    assert again.built == 0 and again.hashed == 1  # only the broken file, which has no record


def test_prune_finds_gone_files_by_their_relative_path(tmp_path, fake_pipeline):
    corpus = tmp_path / "papers"
    write(corpus, "keep.md", paper(1))
    gone = write(corpus, "gone.md", paper(2))
    db_path = tmp_path / "kb.db"
    build([corpus], db_path, progress=False, echo=lambda s: None)
    gone.unlink()
    summary = build([corpus], db_path, progress=False, prune=True, echo=lambda s: None)
    assert summary.removed == 1
    conn = sqlite3.connect(db_path)
    assert [r[0] for r in conn.execute("SELECT name FROM documents")] == ["keep.md"]
    conn.close()


def test_absolute_paths_only_on_request(tmp_path, fake_pipeline):
    write(tmp_path / "papers", "a.md", paper(1))
    db_path = tmp_path / "kb.db"
    result = CliRunner().invoke(cli, ["build", str(tmp_path / "papers"), "--db", str(db_path), "--absolute-paths",
                                      "--no-progress"])
    assert result.exit_code == 0, result.output
    assert _stored_paths(db_path) == [str((tmp_path / "papers" / "a.md").resolve())] * 2


# ---------------------------------------------------------------- 5. expensive functions in the catalog


@pytest.fixture()
def catalog(small_db):
    from extractor.serve import database_name, datasette_app

    return datasette_app(small_db), database_name(small_db)


def _sql(catalog, sql: str):
    import asyncio
    import time
    from urllib.parse import quote

    ds, name = catalog
    started = time.perf_counter()
    response = asyncio.run(ds.client.get(f"/{name}.json?sql={quote(sql)}&_shape=array"))
    return response, time.perf_counter() - started


@pytest.mark.parametrize("sql,answer", [
    ("select length(printf('%.*c', 1000000000, 'x'))", None),          # 12.7 s and 2.45 GB before
    ("select length(randomblob(900000000))", "too big"),
    ("select length(zeroblob(900000000))", "too big"),
    ("select length(replace(printf('%.*c', 30000000, 'x'), 'x', 'xxxx'))", None),
    # quadratic searches: a 30 MB text against a 100 kB pattern that almost matches everywhere
    ("select instr(printf('%.*c', 30000000, 'a'), printf('%.*c', 100000, 'a') || 'b')", 0),
    ("select length(replace(printf('%.*c', 30000000, 'a'), printf('%.*c', 100000, 'a') || 'b', 'c'))", 30000000),
    ("select length(trim(printf('%.*c', 30000000, 'a') || 'b', printf('%.*c', 1000000, 'a')))", 1),
])
def test_one_expensive_function_call_is_refused_at_once_not_run_for_seconds(catalog, sql, answer):
    response, seconds = _sql(catalog, sql)
    assert seconds < 1.5, seconds
    if isinstance(answer, str):
        assert response.status_code == 400
        assert answer in response.text
    else:
        assert response.status_code == 200, response.text
        assert list(response.json()[0].values()) == [answer]


@pytest.mark.parametrize("sql,answer", [
    ("select printf('%5.2f|%-4s|%d%%|%.*c', 3.14159, 'ab', 7, 3, 'z')", " 3.14|ab  |7%|zzz"),
    ("select format('%s-%s', 'a', 2)", "a-2"),
    ("select instr('Li||Cu cell', 'Cu'), instr(x'0102', x'02'), instr(12345, 34)", None),
    ("select replace('Li-Cu', '-', '||'), replace('abc', '', 'x'), replace(1.5, '.', ',')", None),
    ("select trim('xxLixx', 'x'), ltrim('xxLi', 'x'), rtrim('Lixx', 'x'), trim('  a  ')", None),
])
def test_the_bounded_functions_answer_like_sqlites_own(sql, answer):
    from extractor.catalog_guard import guard

    plain, guarded = sqlite3.connect(":memory:"), sqlite3.connect(":memory:")
    guard(guarded)
    expected = plain.execute(sql).fetchone()
    assert guarded.execute(sql).fetchone() == expected
    if answer is not None:
        assert expected == (answer,)


def test_ordinary_queries_still_answer_under_the_limits(catalog):
    response, _ = _sql(catalog, "select length(printf('%.*c', 1000, 'x')) as n, count(*) as d from documents")
    assert response.status_code == 200
    assert response.json() == [{"n": 1000, "d": 1}]


def test_catalog_connections_carry_the_limits(catalog):
    import asyncio

    from extractor.catalog_guard import CATALOG_LIMITS

    ds, name = catalog
    limits = asyncio.run(ds.get_database(name).execute_fn(
        lambda conn: {category: conn.getlimit(category) for category in CATALOG_LIMITS}))
    assert limits == CATALOG_LIMITS


# ---------------------------------------------------------------- 9. serving after a killed build


def test_serving_right_after_a_killed_build_reads_its_write_ahead_log(tmp_path):
    """A build killed before its connection closed leaves its documents in the -wal file
    only; the catalog reads them (it used to say "not a hostkb one (no meta table)")."""
    import asyncio

    from extractor import store
    from extractor.serve import datasette_app
    from extractor.types import Extraction
    from test_build import _fake_load, _fake_segment

    source = write(tmp_path / "papers", "killed.md", paper(5))
    db_path = tmp_path / "kb.db"
    pid = os.fork()
    if pid == 0:  # the build, killed once its document is committed
        try:
            db = store.open_db(db_path, reading=False)
            store.save_document(db, _fake_segment(_fake_load(source)), Extraction())
        finally:
            os._exit(0)  # no close, no checkpoint: what kill -9 leaves
    os.waitpid(pid, 0)
    assert Path(str(db_path) + "-wal").stat().st_size > 0
    ds = datasette_app(db_path)
    from extractor.serve import database_name

    response = asyncio.run(ds.client.get(f"/{database_name(db_path)}/documents.json?_shape=array"))
    assert response.status_code == 200
    assert [row["name"] for row in response.json()] == ["killed.md"]


# ---------------------------------------------------------------- 2. serving while a build rewrites


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str, timeout: float = 10.0) -> tuple[int, bytes]:
    import urllib.error
    import urllib.request

    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


@pytest.mark.slow
def test_300_catalog_requests_during_build_force_all_succeed_with_old_or_new_data(tmp_path):
    """While ``hostkb build --force`` rewrites the served database again and again (one
    document changing between two versions of its title), 300 requests to the catalog
    all answer 200, each with every document whole and of one version or the other (it
    used to give 500s and "database disk image is malformed")."""
    import json
    import shutil
    import subprocess
    import sys
    import threading
    import time
    from urllib.parse import quote

    repo = Path(__file__).resolve().parents[1]
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for source in sorted((repo / "corpus").glob("*.txt")):
        shutil.copy(source, corpus / source.name)
    changing = sorted(corpus.glob("*.txt"))[0]
    original = changing.read_text(encoding="utf-8")
    versions = ["This copy of the paper is the first version of the file.",
                "This copy of the paper is the second version of the file."]

    conclusions = original.index("\nAcknowledgements\n")

    def set_version(i: int) -> None:  # a paragraph of its own at the end of the conclusions
        changing.write_text(original[:conclusions] + "\n" + versions[i] + "\n" + original[conclusions:],
                            encoding="utf-8")

    db_path = tmp_path / "kb.db"
    command = [sys.executable, "-m", "extractor.cli"]
    set_version(0)
    subprocess.run(command + ["build", str(corpus), "--db", str(db_path), "--no-progress"], cwd=repo,
                   check=True, capture_output=True, timeout=120)
    port = _free_port()
    server = subprocess.Popen(command + ["serve", "--db", str(db_path), "--port", str(port), "--host", "127.0.0.1"],
                              cwd=repo, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    stop = threading.Event()
    builds: list[int] = []

    def rebuild_again_and_again():
        i = 1
        while not stop.is_set():
            set_version(i % 2)
            done = subprocess.run(command + ["build", str(corpus), "--db", str(db_path), "--force", "--no-progress"],
                                  cwd=repo, capture_output=True, timeout=120,
                                  env=dict(os.environ, HOSTKB_TEST_DELAY="0.05"))
            builds.append(done.returncode)
            i += 1

    base = f"http://127.0.0.1:{port}"
    builder = threading.Thread(target=rebuild_again_and_again)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:  # the server is up
            try:
                if _get(base + "/", timeout=1)[0] == 200:
                    break
            except OSError:
                time.sleep(0.2)
        else:
            pytest.fail("hostkb serve did not start")
        builder.start()
        time.sleep(2.0)  # the first rebuild is under way
        whole = quote("SELECT d.name, d.n_sentences, (SELECT count(*) FROM sentences s "
                      "WHERE s.document_id = d.id) AS stored, (SELECT group_concat(s.text, '|') FROM sentences s "
                      "WHERE s.document_id = d.id AND s.text LIKE '%version of the file%') AS version "
                      "FROM documents d ORDER BY d.name")
        from extractor.serve import database_name

        kb = "/" + database_name(db_path)
        urls = [f"{kb}.json?sql={whole}&_shape=array", f"{kb}/documents.json?_shape=array",
                f"{kb}/figures.json?_size=20", f"{kb}/rank_hosts.json?metric=coulombic_efficiency&_shape=array",
                kb, f"{kb}/figures", "/", f"{kb}.db"]
        failures, titles = [], set()
        names = sorted(p.name for p in corpus.glob("*.txt"))
        started = time.monotonic()
        for i in range(300):
            url = urls[i % len(urls)]
            status, body = _get(base + url)
            if status != 200:
                failures.append((url, status, body[:200]))
                continue
            if i % len(urls) == 0:
                rows = json.loads(body)
                assert sorted(r["name"] for r in rows) == names
                assert all(r["n_sentences"] == r["stored"] for r in rows), rows  # every document whole
                titles.update(r["version"] for r in rows if r["name"] == changing.name)
        elapsed = time.monotonic() - started
    finally:
        stop.set()
        if builder.is_alive():
            builder.join(timeout=180)
        server.terminate()
        server.wait(timeout=30)
    assert not failures, failures[:5]
    assert len(builds) >= 2 and set(builds) == {0}, builds  # the builds overlapped the requests and succeeded
    assert titles <= set(versions) and titles, titles  # one version or the other, never both or none
    assert elapsed < 120


# ---------------------------------------------------------------- 3. memory per document


def test_a_text_longer_than_max_chars_fails_alone_as_too_large(tmp_path, fake_pipeline):
    write(tmp_path / "papers", "fine.md", paper(1))
    write(tmp_path / "papers", "long.md", paper(2) + "\n\nThe host was cycled again. " * 200)
    said: list[str] = []
    long_text = (tmp_path / "papers" / "long.md").read_text(encoding="utf-8")
    summary = build([tmp_path / "papers"], tmp_path / "kb.db", progress=False, echo=said.append, max_chars=2000)
    assert summary.built == 1 and summary.failed == 1
    assert said == [f"hostkb: long.md: too_large: {len(long_text):,} characters of text, more than the 2,000 "
                    "one document may have (raise it with --max-chars)"]
    assert _errors(tmp_path / "kb.db") == {"long.md": "too_large"}


def test_a_plain_text_file_too_long_to_fit_is_refused_before_it_is_read(tmp_path, fake_pipeline):
    write(tmp_path / "papers", "huge.txt", "BUG: reading this file is the bug\n" + "x" * 50_000)
    said: list[str] = []
    summary = build([tmp_path / "papers"], tmp_path / "kb.db", progress=False, echo=said.append, max_chars=10_000)
    assert summary.failed == 1
    assert "huge.txt: too_large: at least" in said[0]


@pytest.mark.slow
def test_a_16_mb_text_under_max_size_is_refused_in_bounded_memory_and_time(tmp_path):
    """A 16 MB text (under the 200 MB --max-size) took 1.18 GB and 136 s; a 157 MB one
    10.7 GB. Now it fails alone as too_large, in a fraction of that."""
    import subprocess
    import sys
    import time

    sentence = "The seeded carbon host kept a Coulombic efficiency of 99.1% over 300 cycles at 1 mA cm-2. "
    paragraph = sentence * 20 + "\n\n"
    (tmp_path / "huge.txt").write_text(paragraph * (16_000_000 // len(paragraph)), encoding="utf-8")
    # the peak is read from the child's own VmHWM (ru_maxrss of a child counts the parent's
    # pages it had before exec)
    peak = ("import sys\nfrom extractor.cli import cli\ntry:\n    cli.main(args=sys.argv[1:])\nfinally:\n"
            "    print('peak', next(l.split()[1] for l in open('/proc/self/status') if l.startswith('VmHWM')),"
            " file=sys.stderr)")
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-c", peak, "build", str(tmp_path / "huge.txt"), "--db",
                           str(tmp_path / "kb.db"), "--no-progress"], cwd=Path(__file__).resolve().parents[1],
                          capture_output=True, text=True, timeout=300)
    seconds = time.monotonic() - started
    assert done.returncode == 1
    assert "huge.txt: too_large:" in done.stderr
    peak_kib = int(done.stderr.rsplit("peak ", 1)[1].split()[0])
    assert peak_kib * 1024 < 400 * 2**20, peak_kib
    assert seconds < 30


def test_graph_out_into_an_unwritable_folder_is_a_clean_error_not_a_traceback(small_db):
    result = CliRunner().invoke(cli, ["graph", "--db", str(small_db), "--out", "/proc/nope/kb.graphml"])
    assert result.exit_code == 1
    assert "cannot write /proc/nope/kb.graphml" in result.output
    assert isinstance(result.exception, SystemExit)


def test_the_bounded_printf_formats_numbers_exactly_as_sqlite_does():
    import random

    from extractor.catalog_guard import guard

    plain, guarded = sqlite3.connect(":memory:"), sqlite3.connect(":memory:")
    guard(guarded)
    rng = random.Random(14)
    values = [0, 1, -1, 0.5, -0.0, 1e-05, 1234567.0, 99.25, 1e300, 2**62, 7] + [
        rng.uniform(-1e6, 1e6) for _ in range(200)] + [10 ** rng.uniform(-8, 8) for _ in range(200)]
    for value in values:
        for fmt in ("%g", "%g mA/cm2", "x%d%%", "%s|%g"):
            args = ("a", value) if fmt.startswith("%s") else (value,)
            if fmt == "x%d%%":
                args = (int(value) if abs(value) < 2**62 else 7,)
            sql = f"SELECT printf(?, {', '.join('?' * len(args))})"
            assert guarded.execute(sql, (fmt, *args)).fetchone() == plain.execute(sql, (fmt, *args)).fetchone()


def test_a_database_in_a_folder_the_server_may_not_write_is_still_served(small_db, tmp_path):
    """Read-only WAL readers need to make a shared-memory file beside the database; where
    they cannot, the catalog reads the file as it is (immutable), as it always did."""
    import shutil

    import datasette.app  # noqa: F401  (imported before dropping privileges)

    from extractor.serve import _uri

    import tempfile

    folder = Path(tempfile.mkdtemp(prefix="hostkb-readonly-"))  # reachable by any user (tmp_path is not)
    shutil.copy(small_db, folder / "kb.db")
    (folder / "kb.db").chmod(0o644)
    folder.chmod(0o555)
    pid = os.fork()
    if pid == 0:
        code = 1
        try:
            if os.geteuid() == 0:  # root may write anywhere: be nobody
                os.setgid(65534)
                os.setuid(65534)
            conn = sqlite3.connect(_uri(folder / "kb.db"), uri=True)
            code = 0 if conn.execute("SELECT count(*) FROM documents").fetchone() == (1,) else 2
        finally:
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    folder.chmod(0o755)
    shutil.rmtree(folder)
    assert os.waitstatus_to_exitcode(status) == 0


def test_the_front_page_counts_follow_a_build_made_while_serving(tmp_path, fake_pipeline):
    import asyncio

    from extractor.serve import database_name, datasette_app

    write(tmp_path / "papers", "a.md", paper(1))
    db_path = tmp_path / "kb.db"
    build([tmp_path / "papers"], db_path, progress=False, echo=lambda s: None)
    ds = datasette_app(db_path)

    def front_page() -> str:
        return asyncio.run(ds.client.get(f"/{database_name(db_path)}")).text

    assert "extracted from 1 paper(s)" in front_page()
    write(tmp_path / "papers", "b.md", paper(2))
    build([tmp_path / "papers"], db_path, progress=False, echo=lambda s: None)
    assert "extracted from 2 paper(s)" in front_page()

"""Building: skipping, replacing, bad inputs, workers, and a build killed mid-way.

Two layers:
* the orchestration (hashing, skipping, errors, workers, pruning) with a stand-in
  pipeline defined here (``fake_pipeline``), so it is tested on its own;
* the same promises end to end, through the real loaders and ``hostkb build``, on
  documents and bad inputs generated in tmp_path.
"""

from __future__ import annotations

import hashlib
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from extractor import build as build_module
from extractor.build import BuildSummary, build, discover
from extractor.cli import cli
from extractor.errors import LoadError
from extractor.types import Block, Extraction, PaperMeta, Passage, RawDocument, SegmentedDocument, Sentence

REPO = Path(__file__).resolve().parents[1]

PAPER = """# {title}

## Abstract

Lithium metal anodes suffer from dendrite growth and a fragile solid electrolyte interphase.
Here we embed {seed} nanoparticles in porous carbon fibres ({host}) to guide uniform lithium deposition.

## Experimental

The fibres were electrospun from a polyacrylonitrile solution and carbonized at 900 °C for 2 h under argon.
Half cells were assembled with 1 M LiTFSI in DOL/DME containing 2 wt% LiNO3.

## Results and discussion

The {host} electrode delivered an average Coulombic efficiency of {ce}% over 400 cycles at 1 mA cm-2 and 1 mAh cm-2.
Symmetric cells cycled stably for {hours} h with an overpotential of 18 mV.

## Conclusions

Lithiophilic seeds in a conductive scaffold are a simple route to dendrite-free lithium anodes.
"""


def paper(i: int, **kw) -> str:
    values = dict(title=f"Seeded carbon fibre hosts, study {i}", seed=["Ag", "Au", "ZnO", "Sn"][i % 4],
                  host=f"CF-{i}", ce=f"{98 + (i % 10) / 10:.1f}", hours=200 + 10 * i)
    values.update(kw)
    return PAPER.format(**values)


def rows(db_path, sql, params=()):
    conn = sqlite3.connect(db_path)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def assert_consistent(db_path):
    """Integrity ok, FTS in sync, and every document fully present."""
    assert rows(db_path, "PRAGMA integrity_check") == [("ok",)]
    assert rows(db_path, "PRAGMA foreign_key_check") == []
    rows(db_path, "INSERT INTO sentences_fts(sentences_fts, rank) VALUES('integrity-check', 1)")
    for name, n_sentences, stored in rows(
            db_path, "SELECT d.name, d.n_sentences, (SELECT count(*) FROM sentences s WHERE s.document_id = d.id) "
                     "FROM documents d"):
        assert stored == n_sentences, name


# ---------------------------------------------------------------- orchestration, stand-in pipeline


def _fake_load(path):
    path = Path(path)
    text = path.read_text(encoding="utf-8")
    if text.startswith("BAD:"):
        raise LoadError(str(path), "bad_input", text[4:].strip())
    if text.startswith("CRASH"):
        os._exit(3)  # a native library dying in a worker
    if text.startswith("BUG"):
        raise ValueError("an unforeseen input")
    if text.startswith("SLOW"):
        while True:  # a document the loader never finishes (pure Python, like a runaway regex)
            sum(range(1000))
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    return RawDocument(name=path.name, path=str(path), format=path.suffix[1:], sha256=sha, text=text,
                       blocks=(Block(0, len(text)),))


def _fake_segment(raw):
    passages, sentences, pos = [], [], 0
    for i, part in enumerate(p for p in raw.text.split("\n") if p.strip()):
        start = raw.text.index(part, pos)
        pos = start + len(part)
        passages.append(Passage(i, "body", "paragraph", part, tuple(range(start, pos + 1))))
        sentences.append(Sentence(i, i, 0, len(part), part, start, pos, part))
    return SegmentedDocument(raw, PaperMeta(title=raw.name), tuple(passages), tuple(sentences))


def _fake_extract(seg):
    return Extraction()


@pytest.fixture()
def fake_pipeline(monkeypatch):
    """Replace load/segment/extract (in this process and, by fork, in workers)."""
    monkeypatch.setattr(build_module, "_pipeline", lambda: (_fake_load, _fake_segment, _fake_extract))


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_discover_expands_folders_recursively(tmp_path):
    write(tmp_path, "a.txt", "x")
    write(tmp_path, "sub/b.md", "x")
    write(tmp_path, "sub/deeper/c.PDF", "x")
    write(tmp_path, "sub/notes.docx", "x")
    write(tmp_path, ".hidden/d.txt", "x")
    write(tmp_path, "sub/.e.txt", "x")
    files, problems = discover([tmp_path, tmp_path / "a.txt", tmp_path / "missing.txt"])
    assert sorted(f.name for f in files) == ["a.txt", "b.md", "c.PDF"]
    assert problems == [(tmp_path / "missing.txt", "not_found", "no such file or folder")]


def test_build_counts_skips_and_replaces(tmp_path, fake_pipeline, capsys):
    docs = tmp_path / "docs"
    write(docs, "one.txt", "First line.\nSecond line.")
    write(docs, "two.txt", "Only line.")
    write(docs, "bad.txt", "BAD: the file is broken")
    db = tmp_path / "kb.db"

    first = build([docs], db, progress=False)
    assert isinstance(first, BuildSummary)
    assert (first.documents_seen, first.built, first.skipped_unchanged, first.failed) == (3, 2, 0, 1)
    assert first.sentences == 3
    assert first.errors == (("bad.txt", "bad_input", "the file is broken"),)
    assert "hostkb: bad.txt: bad_input: the file is broken" in capsys.readouterr().err
    assert rows(db, "SELECT name, reason FROM ingest_errors") == [("bad.txt", "bad_input")]

    second = build([docs], db, progress=False)
    assert (second.built, second.skipped_unchanged, second.failed) == (0, 2, 1)
    assert rows(db, "SELECT count(*) FROM ingest_errors") == [(1,)], "errors hold the latest attempt"

    write(docs, "one.txt", "First line, revised.\nSecond line.\nThird line.")
    write(docs, "bad.txt", "Fixed now.")
    third = build([docs], db, progress=False)
    assert (third.built, third.skipped_unchanged, third.failed) == (2, 1, 0)
    assert rows(db, "SELECT n_sentences FROM documents WHERE name = 'one.txt'") == [(3,)]
    assert rows(db, "SELECT count(*) FROM ingest_errors") == [(0,)], "a fixed file clears its error"
    assert rows(db, "SELECT sha256 FROM documents WHERE name = 'one.txt'") == [
        (hashlib.sha256((docs / "one.txt").read_bytes()).hexdigest(),)]

    forced = build([docs], db, progress=False, force=True)
    assert forced.built == 3
    assert_consistent(db)


def test_build_prunes_documents_whose_file_is_gone(tmp_path, fake_pipeline):
    docs = tmp_path / "docs"
    write(docs, "keep.txt", "Kept.")
    gone = write(docs, "gone.txt", "Removed later.")
    db = tmp_path / "kb.db"
    build([docs], db, progress=False)
    gone.unlink()
    summary = build([docs], db, progress=False)
    assert summary.removed == 0 and len(rows(db, "SELECT * FROM documents")) == 2
    summary = build([docs], db, progress=False, prune=True)
    assert summary.removed == 1
    assert rows(db, "SELECT name FROM documents") == [("keep.txt",)]


def test_unexpected_exceptions_and_size_limit_are_reported_per_document(tmp_path, fake_pipeline, capsys):
    docs = tmp_path / "docs"
    write(docs, "bug.txt", "BUG")
    write(docs, "big.txt", "x" * 5000)
    write(docs, "fine.txt", "Fine.")
    summary = build([docs], tmp_path / "kb.db", progress=False, max_bytes=4000)
    assert summary.built == 1
    reasons = {name: reason for name, reason, _ in summary.errors}
    assert reasons == {"bug.txt": "internal_error", "big.txt": "too_large"}
    err = capsys.readouterr().err
    assert "hostkb: bug.txt: internal_error: ValueError: an unforeseen input (at test_build.py:" in err
    assert "hostkb: big.txt: too_large:" in err


@pytest.mark.parametrize("workers", [1, 2])
def test_a_document_over_the_time_limit_fails_alone(tmp_path, fake_pipeline, capsys, workers):
    docs = tmp_path / "docs"
    for i in range(4):
        write(docs, f"doc{i}.txt", f"Document {i}.")
    write(docs, "endless.txt", "SLOW")
    handler = signal.getsignal(signal.SIGALRM)
    started = time.perf_counter()
    summary = build([docs], tmp_path / "kb.db", progress=False, workers=workers, time_limit=0.5)
    assert time.perf_counter() - started < 30
    assert summary.built == 4
    assert [(n, r) for n, r, _ in summary.errors] == [("endless.txt", "time_limit")]
    assert "hostkb: endless.txt: time_limit: not done within 0.5 s" in capsys.readouterr().err
    assert rows(tmp_path / "kb.db", "SELECT reason FROM ingest_errors WHERE name = 'endless.txt'") == [("time_limit",)]
    # the alarm is off once the build is over, and its handler is the one from before
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    assert signal.getsignal(signal.SIGALRM) is handler


def test_duplicate_file_names_are_refused(tmp_path, fake_pipeline):
    write(tmp_path / "a", "same.txt", "From a.")
    write(tmp_path / "b", "same.txt", "From b.")
    summary = build([tmp_path / "a", tmp_path / "b"], tmp_path / "kb.db", progress=False)
    assert summary.built == 1
    assert [(n, r) for n, r, _ in summary.errors] == [("same.txt", "duplicate_name")]


def test_parallel_build_matches_serial(tmp_path, fake_pipeline):
    docs = tmp_path / "docs"
    for i in range(12):
        write(docs, f"doc{i:02}.txt", f"Document {i}.\nIt has two lines.")
    write(docs, "bad.txt", "BAD: broken")
    serial = build([docs], tmp_path / "serial.db", progress=False)
    parallel = build([docs], tmp_path / "parallel.db", progress=False, workers=3)
    for s in (serial, parallel):
        assert (s.built, s.failed, s.sentences) == (12, 1, 24)
    query = "SELECT d.name, s.idx, s.text FROM sentences s JOIN documents d ON d.id = s.document_id ORDER BY 1, 2"
    assert rows(tmp_path / "serial.db", query) == rows(tmp_path / "parallel.db", query)
    assert_consistent(tmp_path / "parallel.db")


def test_a_crashing_worker_fails_only_its_document(tmp_path, fake_pipeline, capsys):
    docs = tmp_path / "docs"
    for i in range(8):
        write(docs, f"doc{i:02}.txt", f"Document {i}.")
    write(docs, "crash.txt", "CRASH")
    summary = build([docs], tmp_path / "kb.db", progress=False, workers=2)
    assert summary.built == 8
    assert [(n, r) for n, r, _ in summary.errors] == [("crash.txt", "worker_crashed")]
    assert "hostkb: crash.txt: worker_crashed:" in capsys.readouterr().err


def test_build_refuses_a_foreign_database(tmp_path, fake_pipeline):
    conn = sqlite3.connect(tmp_path / "other.db")
    conn.execute("CREATE TABLE t (x)")
    conn.close()
    write(tmp_path / "docs", "a.txt", "A.")
    result = CliRunner().invoke(cli, ["build", str(tmp_path / "docs"), "--db", str(tmp_path / "other.db")])
    assert result.exit_code == 1
    assert "not a hostkb one" in result.stderr


# ---------------------------------------------------------------- end to end, real loaders


@pytest.fixture()
def real_pipeline():
    pytest.importorskip("extractor.load", reason="extractor/load.py not written yet")
    pytest.importorskip("extractor.segment", reason="extractor/segment.py not written yet")


def make_pdf(path: Path, lines: list[str], *, encrypt: str | None = None, text: bool = True) -> Path:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path), pagesize=A4, encrypt=encrypt)
    for page in range(3):
        y = 800
        for line in lines:
            if text:
                c.drawString(60, y, line)
            else:  # shapes only: what a scanned page without OCR looks like to a text extractor
                c.rect(60, y - 2, 7 * len(line) % 450 + 20, 9, fill=1)
            y -= 14
        c.circle(300, 200, 80 + page * 10)
        c.showPage()
    c.save()
    return path


@pytest.fixture()
def corpus(tmp_path):
    """Good documents and one of every kind of bad input."""
    docs = tmp_path / "papers"
    docs.mkdir()
    write(docs, "good_one.md", paper(1))
    write(docs, "good_two.txt", paper(2, seed="Au"))
    (docs / "latin1.txt").write_bytes(paper(3, title="Zinc oxide seeds déposées à 25 °C").encode("cp1252"))
    lines = [s for s in paper(4).splitlines() if s.strip()]
    make_pdf(docs / "good_three.pdf", [l[:95] for l in lines])
    rng = random.Random(7)
    (docs / "empty.txt").write_bytes(b"")
    (docs / "junk.pdf").write_bytes(bytes(rng.randrange(256) for _ in range(20000)))
    (docs / "junk.txt").write_bytes(bytes(rng.randrange(256) for _ in range(20000)))
    full = make_pdf(tmp_path / "full.pdf", [l[:95] for l in lines] * 3)
    (docs / "truncated.pdf").write_bytes(full.read_bytes()[:3000])
    make_pdf(docs / "encrypted.pdf", ["Secret lithium results."], encrypt="s3cret")
    make_pdf(docs / "image_only.pdf", lines, text=False)
    write(docs, "huge.txt", paper(5) * 2000)  # ~1.5 MB, refused with --max-size 1
    return docs


BAD = ["empty.txt", "junk.pdf", "junk.txt", "truncated.pdf", "encrypted.pdf", "image_only.pdf", "huge.txt"]
GOOD = ["good_one.md", "good_two.txt", "latin1.txt", "good_three.pdf"]


def test_cli_build_reports_each_bad_input_and_keeps_the_good(tmp_path, corpus, real_pipeline):
    db = tmp_path / "kb.db"
    result = CliRunner().invoke(cli, ["build", str(corpus), "--db", str(db), "--no-progress", "--max-size", "1"])
    assert result.exit_code == 1, result.output
    err_lines = [l for l in result.stderr.splitlines() if l.startswith("hostkb: ")]
    for name in BAD:
        mine = [l for l in err_lines if l.startswith(f"hostkb: {name}: ")]
        assert len(mine) == 1, (name, result.stderr)
        assert len(mine[0].split(": ")) >= 4, f"'hostkb: NAME: reason: detail' expected, got {mine[0]!r}"
    errors = dict(rows(db, "SELECT name, reason FROM ingest_errors"))
    assert sorted(errors) == sorted(BAD)
    assert errors["huge.txt"] == "too_large"
    assert sorted(n for (n,) in rows(db, "SELECT name FROM documents")) == sorted(GOOD)
    assert "4 built" in result.stdout and f"{len(BAD)} failed" in result.stdout
    assert_consistent(db)
    # the non-UTF-8 text is decoded, not mangled
    evidence = " ".join(e for (e,) in rows(db, "SELECT s.evidence FROM sentences s JOIN documents d "
                                               "ON d.id = s.document_id WHERE d.name = 'latin1.txt'"))
    assert "°C" in evidence or "déposées" in evidence
    pdf = rows(db, "SELECT page_count, n_sentences FROM documents WHERE name = 'good_three.pdf'")[0]
    assert pdf[0] == 3 and pdf[1] > 0

    again = CliRunner().invoke(cli, ["build", str(corpus), "--db", str(db), "--no-progress", "--max-size", "1"])
    assert again.exit_code == 1
    assert "0 built, 4 unchanged" in again.stdout

    good = CliRunner().invoke(cli, ["build", *(str(corpus / n) for n in GOOD), "--db", str(db), "--force"])
    assert good.exit_code == 0, good.output
    assert "4 built" in good.stdout


def _generate(folder: Path, n: int) -> None:
    folder.mkdir()
    for i in range(n):
        write(folder, f"paper_{i:03}.md", paper(i))


@pytest.mark.slow
def test_kill_9_mid_build_leaves_a_consistent_database_and_the_next_build_resumes(tmp_path, real_pipeline):
    docs = tmp_path / "many"
    _generate(docs, 40)
    db = tmp_path / "kb.db"
    env = dict(os.environ, HOSTKB_TEST_DELAY="0.15", PYTHONPATH=str(REPO))
    proc = subprocess.Popen([sys.executable, "-m", "extractor.cli", "build", str(docs), "--db", str(db),
                             "--no-progress"], cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    done = 0
    try:
        while time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.05)
            try:
                done = rows(db, "SELECT count(*) FROM documents")[0][0]
            except sqlite3.Error:  # not created yet
                continue
            if done >= 5:
                break
    finally:
        proc.send_signal(signal.SIGKILL)
        out, err = proc.communicate()
    assert proc.returncode == -signal.SIGKILL, (out, err)
    assert 5 <= done < 40, f"{done} documents before the kill: {err.decode()[-2000:]}"

    assert_consistent(db)
    present = rows(db, "SELECT count(*) FROM documents")[0][0]
    assert present >= done

    summary = build([docs], db, progress=False)
    assert summary.skipped_unchanged == present
    assert summary.built == 40 - present
    assert summary.failed == 0
    assert rows(db, "SELECT count(*) FROM documents") == [(40,)]
    assert_consistent(db)

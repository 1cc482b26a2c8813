"""The hostkb command: each command on a small database made from hand-built documents."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from test_store import SENTENCES, make_extraction, make_seg

from extractor import store
from extractor.cli import cli


@pytest.fixture()
def db_path(tmp_path):
    path = tmp_path / "kb.db"
    db = store.open_db(path)
    store.save_document(db, make_seg("paper.txt"), make_extraction())
    store.record_error(db, "/in/broken.pdf", "encrypted", "the PDF needs a password")
    db.close()
    return path


def invoke(*args):
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def test_help_lists_the_commands():
    result = invoke("--help")
    assert result.exit_code == 0
    for command in ("build", "text", "export", "eval", "stats", "search"):
        assert command in result.output


def test_version():
    result = invoke("--version")
    assert result.exit_code == 0 and "hostkb" in result.output


def test_stats(db_path):
    result = invoke("stats", "--db", db_path)
    assert result.exit_code == 0
    assert "documents" in result.output and "measurements" in result.output
    assert "error: broken.pdf: encrypted: the PDF needs a password" in result.output
    data = json.loads(invoke("stats", "--db", db_path, "--json").output)
    assert data["counts"]["documents"] == 1
    assert data["counts"]["measurements"] == 3
    assert data["errors"] == [{"name": "broken.pdf", "reason": "encrypted", "detail": "the PDF needs a password"}]


def test_commands_that_read_refuse_a_missing_database(tmp_path):
    for args in (("stats",), ("export", "--out", tmp_path / "out"), ("search", "lithium")):
        result = invoke(*args, "--db", tmp_path / "nope.db")
        assert result.exit_code == 1, args
        assert "no database at" in result.output
        assert not (tmp_path / "nope.db").exists()


def test_export_writes_records(db_path, tmp_path):
    out = tmp_path / "records"
    result = invoke("export", "--db", db_path, "--out", out)
    assert result.exit_code == 0, result.output
    assert "wrote 1 record file" in result.output
    record = json.loads((out / "paper.json").read_text(encoding="utf-8"))
    assert record["doc"] == "paper.txt"
    assert record["performance"][0]["value"] == 98.9


def test_eval_scores_against_gold(db_path, tmp_path):
    gold = tmp_path / "gold"
    gold.mkdir()
    (gold / "paper.json").write_text(json.dumps({
        "doc": "paper.txt", "paper": {"title": None, "doi": None, "year": None, "journal": None},
        "hosts": [{"name": "Ag@HCS", "aliases": [], "kind": "host", "components": []}],
        "synthesis": [],
        "performance": [
            {"host": "Ag@HCS", "metric": "coulombic_efficiency", "value": 98.9, "qualifier": "eq",
             "cell_type": "half", "current_density": 1, "areal_capacity": 1, "c_rate": None, "cycles": None,
             "cathode": None, "electrolyte": None, "temperature": None, "evidence": SENTENCES[1]},
            {"host": "Ag@HCS", "metric": "overpotential", "value": 15, "qualifier": "eq", "cell_type": None,
             "current_density": None, "areal_capacity": None, "c_rate": None, "cycles": None, "cathode": None,
             "electrolyte": None, "temperature": None, "evidence": "x"},
        ],
        "properties": [],
    }), encoding="utf-8")
    scores = tmp_path / "scores.json"
    result = invoke("eval", "--db", db_path, "--gold", gold, "--json", scores)
    assert result.exit_code == 0, result.output
    assert "overall:" in result.output and "paper.txt" in result.output
    overall = json.loads(scores.read_text())["overall"]
    assert overall["tp"] == 1 and overall["n_gold"] == 2 and overall["recall"] == 0.5


def test_eval_with_a_bad_gold_folder_is_a_clean_error(db_path, tmp_path):
    gold = tmp_path / "gold"
    gold.mkdir()
    (gold / "broken.json").write_text("{not json", encoding="utf-8")
    result = CliRunner().invoke(cli, ["eval", "--db", str(db_path), "--gold", str(gold)])
    assert result.exit_code == 1
    assert "not valid JSON" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_search_finds_sentences(db_path):
    result = invoke("search", "Coulombic", "--db", db_path)
    assert result.exit_code == 0
    assert result.output.strip() == f"paper.txt [results]: {SENTENCES[1]}"
    # what is typed is searched as words: an unbalanced quote is no error; --raw is FTS5 syntax
    assert CliRunner().invoke(cli, ["search", 'unbalanced "quote', "--db", str(db_path)]).exit_code == 0
    bad = CliRunner().invoke(cli, ["search", 'unbalanced "quote', "--raw", "--db", str(db_path)])
    assert bad.exit_code == 1 and "bad search query" in bad.output


def test_build_reports_a_missing_path(tmp_path):
    pytest.importorskip("extractor.load", reason="extractor/load.py not written yet")
    pytest.importorskip("extractor.segment", reason="extractor/segment.py not written yet")
    result = CliRunner().invoke(cli, ["build", str(tmp_path / "missing"), "--db", str(tmp_path / "kb.db")])
    assert result.exit_code == 1
    assert "hostkb: missing: not_found: no such file or folder" in result.stderr


def test_text_prints_the_analysed_text(tmp_path):
    pytest.importorskip("extractor.load", reason="extractor/load.py not written yet")
    pytest.importorskip("extractor.segment", reason="extractor/segment.py not written yet")
    paper = tmp_path / "paper.md"
    paper.write_text("# Copper foam hosts\n\n## Results\n\nThe host kept a Coulombic efficiency of 99.1% "
                     "over 500 cycles at 2 mA cm$^{-2}$.\n\n## References\n\n[1] A. Person, J. Nowhere 1 (2020) 1.\n",
                     encoding="utf-8")
    result = invoke("text", paper)
    assert result.exit_code == 0, result.output
    assert "Coulombic efficiency of 99.1%" in result.output
    assert "A. Person" not in result.output, "references are left out"
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4 nothing else")
    result = CliRunner().invoke(cli, ["text", str(broken)])
    assert result.exit_code == 1 and "broken.pdf" in result.output

"""Golden tests: build real papers end to end (load → segment → extract → store →
export) and score the exported records against hand-made annotations.

The floors are the project's quality bar; a regression in any stage that costs
extraction quality fails here. The full report (per document, every miss and
extra) is printed, so `pytest -s -k golden` shows what changed.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from extractor.build import build
from extractor.evaluate import evaluate_dirs
from extractor.export import export_records
from extractor.store import open_db

SHARED_DOCS = [
    "000_574e15555b411302.txt",
    "002_a0972aa46f509e1c.txt",
    "004_b4e1dfcc32238737.txt",
    "pdf/01_LiMetal_EESBatteries2025_Jun_additives.pdf",
    "pdf/02_LiMetal_NatCommun2025_Ag_exsolution_anodefree.pdf",
]


def _score(paths: list[Path], gold_dir: Path, db_path: Path):
    summary = build(paths, db_path, progress=False)
    assert summary.failed == 0, summary.errors
    db = open_db(db_path, create=False)
    report = evaluate_dirs(export_records(db), gold_dir)
    print(report.format(verbose=True))
    return report


@pytest.fixture(scope="module")
def shared_report(shared_dir, tmp_path_factory):
    paths = [shared_dir / "corpus" / p for p in SHARED_DOCS]
    return _score(paths, shared_dir / "gold", tmp_path_factory.mktemp("golden") / "kb.db")


@pytest.mark.shared
def test_shared_gold_performance_records(shared_report):
    assert shared_report.precision >= 0.90
    assert shared_report.recall >= 0.85


@pytest.mark.shared
def test_shared_gold_conditions_hosts_and_synthesis(shared_report):
    assert shared_report.conditions >= 0.90
    assert shared_report.host_recall == 1.0
    assert shared_report.synthesis_f1 >= 0.80


@pytest.mark.shared
def test_every_shared_document_is_scored(shared_report):
    assert len(shared_report.documents) == len(SHARED_DOCS)
    for doc in shared_report.documents:
        assert doc.recall is not None and doc.recall >= 0.6, doc


def test_demo_corpus_gold(repo_dir, tmp_path):
    """Our own demo papers (written for hostkb, not tuned on): a floor against regressions."""
    paths = sorted((repo_dir / "corpus").glob("*.txt"))
    report = _score(paths, repo_dir / "corpus" / "gold", tmp_path / "demo.db")
    assert report.precision >= 0.85
    assert report.recall >= 0.65
    assert report.conditions >= 0.85
    assert report.host_recall == 1.0

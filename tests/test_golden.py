"""Golden tests: build real papers end to end (load → segment → extract → store →
export) and score the exported records against hand-made annotations.

Every file in ``../shared/gold`` is scored: its ``doc`` names a file somewhere under
``../shared/corpus`` (texts, publisher PDFs, rendered PDFs, XML, converter output), and
that file is built. A new gold file therefore needs no change here. The full report
(per document, every miss and extra) is printed, so `pytest -s -k golden` shows what
changed.

The floors below are regression guards at the level the extractor reaches today; the
targets of the project are higher (see EVALUATION.md).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from extractor.build import build
from extractor.evaluate import evaluate_dirs
from extractor.export import export_records
from extractor.store import open_db


def gold_documents(shared_dir: Path) -> dict[str, Path]:
    """Each gold file's document name → the corpus file it annotates (recursive search)."""
    corpus = {p.name: p for p in sorted((shared_dir / "corpus").rglob("*")) if p.is_file()}
    found: dict[str, Path] = {}
    for gold in sorted((shared_dir / "gold").glob("*.json")):
        name = json.loads(gold.read_text(encoding="utf-8"))["doc"]
        assert name in corpus, f"{gold.name}: its document {name} is not under {shared_dir / 'corpus'}"
        found[name] = corpus[name]
    return found


def _score(paths: list[Path], gold_dir: Path, db_path: Path, verbose: bool = True):
    summary = build(paths, db_path, progress=False)
    assert summary.failed == 0, summary.errors
    db = open_db(db_path, create=False)
    report = evaluate_dirs(export_records(db), gold_dir)
    print(report.format(verbose=verbose))  # held-out sets print scores only: their errors stay unread
    return report


@pytest.fixture(scope="module")
def shared_docs(shared_dir):
    return gold_documents(shared_dir)


@pytest.fixture(scope="module")
def shared_report(shared_dir, shared_docs, tmp_path_factory):
    return _score(list(shared_docs.values()), shared_dir / "gold", tmp_path_factory.mktemp("golden") / "kb.db")


@pytest.mark.shared
def test_gold_discovery_finds_every_gold_file(shared_dir, shared_docs):
    assert len(shared_docs) == len(list((shared_dir / "gold").glob("*.json")))
    assert len(shared_docs) >= 5


@pytest.mark.shared
def test_shared_gold_performance_records(shared_report):
    assert shared_report.precision >= 0.93
    assert shared_report.recall >= 0.88


@pytest.mark.shared
def test_shared_gold_conditions_hosts_and_synthesis(shared_report):
    assert shared_report.conditions >= 0.92
    assert shared_report.host_recall == 1.0
    assert shared_report.synthesis_f1 >= 0.72


@pytest.mark.shared
def test_a_typeset_pdf_reads_as_well_as_its_text(shared_report, shared_docs):
    """Every ``NNN_rendered.pdf`` with gold scores within 0.05 F1 of the text ``NNN_*.txt`` it was typeset from."""
    f1 = {d.doc: d.f1 for d in shared_report.documents}
    pairs = 0
    for name in shared_docs:
        if name.endswith("_rendered.pdf"):
            prefix = name.split("_")[0] + "_"
            (text,) = [t for t in shared_docs if t.startswith(prefix) and t.endswith(".txt")]
            assert f1[name] >= f1[text] - 0.05, (name, f1[name], text, f1[text])
            pairs += 1
    assert pairs >= 1


@pytest.mark.shared
def test_every_shared_document_is_scored(shared_report, shared_docs):
    scored = {d.doc for d in shared_report.documents if d.predicted}
    assert scored == set(shared_docs), set(shared_docs) - scored
    assert not shared_report.unevaluated
    for doc in shared_report.documents:  # no document is read badly (a broken loader or section map)
        assert doc.recall is not None and doc.recall >= 0.6, (doc.doc, doc.recall)


def test_demo_corpus_gold(repo_dir, tmp_path):
    """Our own demo papers (written for hostkb, not tuned on): a floor against regressions."""
    paths = sorted((repo_dir / "corpus").glob("*.txt"))
    report = _score(paths, repo_dir / "corpus" / "gold", tmp_path / "demo.db")
    assert report.precision >= 0.88
    assert report.recall >= 0.85
    assert report.conditions >= 0.90
    assert report.host_recall == 1.0


def test_composed_papers_gold(repo_dir, tmp_path):
    """Papers composed by the team without looking at the rules, in six rounds (tests/data/
    composed 01-06: five research papers and a review; 07-11: five papers in other authors'
    styles; 12-15: four more, two of them also typeset as PDFs; 16-20: a review, three papers and
    one as MinerU Markdown; 21-24: four papers first held out; 25-28: three papers and one as
    Markdown; 29-33, 34-38, 41-45, 47-51 and 53-57: five rounds of reviews, papers and
    converter Markdown whose PDFs are in composed_pdf), each then used to find error classes.
    Scored on first sight at P 0.76 / R 0.63, P 0.76 / R 0.73, P 0.74 / R 0.76, P 0.83 / R 0.79,
    P 0.90 / R 0.85, P 0.69 / R 0.65, P 0.76 / R 0.66, P 0.83 / R 0.83, P 0.84 / R 0.81, P 0.77 /
    R 0.77 and P 0.89 / R 0.84 (EVALUATION.md); a floor against regressions now."""
    composed = repo_dir / "tests" / "data" / "composed"
    paths = sorted(p for p in composed.iterdir() if p.suffix in (".txt", ".md"))
    report = _score(paths, composed / "gold", tmp_path / "composed.db")
    assert len(report.documents) == len(list((composed / "gold").glob("*.json"))) >= 53
    assert not report.unevaluated
    assert report.precision >= 0.92
    assert report.recall >= 0.90
    assert report.conditions >= 0.92
    assert report.host_recall >= 0.88
    assert report.synthesis_f1 >= 0.45


def test_composed_papers_typeset_by_another_hand(repo_dir, tmp_path):
    """Composed papers typeset as PDFs by colleagues' own reportlab layouts (one column with
    italic captions; two columns with a running header and run-in bold headings; one column with
    deep subscripts drawn as their own fragments; two columns with a gridded table and
    first-page footnotes; two columns on a garnet cell; two columns set 6 pt apart; a
    one-column abstract over two columns with a highlights box), scored on the same records as their texts: the reading must not lose
    what the text gives."""
    pdfs = repo_dir / "tests" / "data" / "composed_pdf"
    report = _score(sorted(pdfs.glob("*.pdf")), pdfs / "gold", tmp_path / "composed_pdf.db")
    assert len(report.documents) == 7 and not report.unevaluated
    assert report.precision >= 0.85
    assert report.recall >= 0.85


def test_last_round_held_out_papers_gold(repo_dir, tmp_path):
    """The thirteenth round (an RSC-like two-column PDF, a coated-separator paper, marker Markdown on a
    garnet interlayer, a dense anode-free paper, a review of 3D hosts, docling Markdown on a
    single-atom host), composed blind to the rules and scored on first sight without its errors
    being read: P 0.88 R 0.72 (EVALUATION.md; one gold file records every repetition of a figure).
    Held out like the fourth round: a change that needs its errors to pass is tuning."""
    held = repo_dir / "tests" / "data" / "heldout13"
    paths = sorted(p for p in held.iterdir() if p.suffix in (".txt", ".md", ".pdf"))
    report = _score(paths, held / "gold", tmp_path / "heldout13.db", verbose=False)
    assert len(report.documents) == len(list((held / "gold").glob("*.json"))) == 6
    assert not report.unevaluated
    assert report.precision >= 0.85
    assert report.recall >= 0.70


def test_held_out_papers_gold(repo_dir, tmp_path):
    """Four papers (a review, two research papers, one as converter Markdown) composed blind to the
    rules and scored on first sight without their errors being read: P 0.93 R 0.86 (EVALUATION.md).
    They stay held out: a change that needs their errors to pass is tuning."""
    heldout = repo_dir / "tests" / "data" / "heldout"
    paths = sorted(p for p in heldout.iterdir() if p.suffix in (".txt", ".md"))
    report = _score(paths, heldout / "gold", tmp_path / "heldout.db", verbose=False)
    assert len(report.documents) == len(list((heldout / "gold").glob("*.json"))) == 4
    assert not report.unevaluated
    assert report.precision >= 0.90
    assert report.recall >= 0.86

"""What a researcher types on the demo corpus: names as search terms, rank filters for
cycles and electrolyte, BibTeX of the papers behind a ranking."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from click.testing import CliRunner

from extractor.cli import cli

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory) -> Path:
    from extractor.build import build

    path = tmp_path_factory.mktemp("research") / "kb.db"
    summary = build([REPO / "corpus"], path, progress=False)
    assert summary.ok, summary.format()
    return path


def invoke(*args):
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


@pytest.mark.parametrize("query, expected", [
    ("ZnO@NHC", "ZnO@NHC"),
    ("Ag@CM", "Ag@CM"),
    ("Li||Cu", "Li"),
    ('"Coulombic efficiency" ZnO@NHC', "ZnO@NHC"),
])
def test_search_takes_names_as_typed(demo_db, query, expected):
    result = invoke("search", query, "--db", demo_db, "--limit", 5)
    assert result.exit_code == 0, result.output + result.stderr
    lines = result.stdout.splitlines()
    assert lines, f"no sentence found for {query!r}"
    assert all(expected.lower() in line.lower() for line in lines)


def test_search_names_with_fts_operators_do_not_fail(demo_db):
    for query in ("CE 99.1%", "Mo2N/W2N", "N-doped", "1.0 M", "Li|Li", 'unbalanced "quote'):
        result = invoke("search", query, "--db", demo_db)
        assert result.exit_code == 0, (query, result.stdout, result.stderr)


def test_raw_search_keeps_fts5_syntax_and_names_its_errors(demo_db):
    result = invoke("search", "dendrite OR hysteresis", "--raw", "--db", demo_db, "--limit", 50)
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert any("dendrite" in line.lower() for line in lines) and any("hysteresis" in line.lower() for line in lines)
    bad = invoke("search", "NEAR(ZnO", "--raw", "--db", demo_db)
    assert bad.exit_code == 1 and "bad search query 'NEAR(ZnO'" in bad.stderr


def _csv(result) -> list[dict]:
    assert result.exit_code == 0, result.stdout + result.stderr
    return list(csv.DictReader(io.StringIO(result.stdout)))


def test_rank_min_cycles_keeps_figures_stated_for_that_many_cycles(demo_db):
    every = _csv(invoke("rank", "coulombic_efficiency", "--db", demo_db, "--format", "csv"))
    kept = _csv(invoke("rank", "coulombic_efficiency", "--db", demo_db, "--format", "csv", "--min-cycles", 400))
    assert kept and len(kept) < len(every)
    assert all(r["cycles"] and float(r["cycles"]) >= 400 for r in kept)
    assert any(not r["cycles"] or float(r["cycles"]) < 400 for r in every)


def test_rank_electrolyte_filters_by_part_of_the_electrolyte(demo_db):
    every = _csv(invoke("rank", "coulombic_efficiency", "--db", demo_db, "--format", "csv"))
    kept = _csv(invoke("rank", "coulombic_efficiency", "--db", demo_db, "--format", "csv", "--electrolyte", "lipf6"))
    assert kept and len(kept) < len(every)
    assert all("lipf6" in r["electrolyte"].lower() for r in kept)
    table = invoke("rank", "coulombic_efficiency", "--db", demo_db, "--electrolyte", "LiPF6")
    assert "electrolyte LiPF6" in table.stdout.splitlines()[0]


def test_rank_csv_leaves_unknown_conditions_empty_and_shows_qualifiers(demo_db):
    rows = _csv(invoke("rank", "cycling_time", "--db", demo_db, "--format", "csv"))
    assert any(r["c_rate"] == "" for r in rows)  # not 0
    assert all(r["c_rate"] != "0" and r["temperature"] != "0.0" for r in rows)
    bounded = [r for r in rows if r["qualifier"] == "gt"]
    assert bounded and all(r["display_value"].startswith(">") for r in bounded)


def test_cite_writes_bibtex_that_parses(demo_db):
    from pybtex.database import parse_string

    result = invoke("cite", "coulombic_efficiency", "--db", demo_db, "--cell-type", "half")
    assert result.exit_code == 0, result.stderr
    bib = parse_string(result.stdout, "bibtex")
    ranked = _csv(invoke("rank", "coulombic_efficiency", "--db", demo_db, "--cell-type", "half", "--format", "csv"))
    dois = {r["doi"].lower() for r in ranked if r["doi"]}
    assert {e.fields["doi"].lower() for e in bib.entries.values()} == dois  # one entry per paper
    # the text version of a paper is cited with the authors and title its PDF has
    zno = next(e for e in bib.entries.values() if e.fields["doi"].endswith("demo.001"))
    assert str(zno.persons["author"][0]).startswith("Lindqvist") and "Zinc Oxide" in zno.fields["title"]
    assert invoke("rank", "coulombic_efficiency", "--db", demo_db, "--cell-type", "half",
                  "--format", "bibtex").stdout == result.stdout
    every = parse_string(invoke("cite", "--db", demo_db).stdout, "bibtex")
    assert len(every.entries) == 5  # six documents, five papers


def test_rank_table_names_papers_by_first_author_and_year(demo_db):
    result = invoke("rank", "coulombic_efficiency", "--db", demo_db, "--cell-type", "half")
    assert "Lindqvist et al., 2024" in result.stdout


def test_neighbours_of_a_name_several_papers_use_asks_for_the_paper(demo_db):
    ambiguous = invoke("neighbours", "bare Cu foil", "--db", demo_db)
    assert ambiguous.exit_code == 1
    assert "demo_003_mo2n_w2n.txt" in ambiguous.stderr and "demo_004_mxene_aerogel.txt" in ambiguous.stderr
    assert "--paper" in ambiguous.stderr
    chosen = invoke("neighbours", "bare Cu foil", "--paper", "demo_003_mo2n_w2n.txt", "--db", demo_db)
    assert chosen.exit_code == 0 and chosen.stdout.startswith("Cu foil (control, demo_003_mo2n_w2n.txt)")
    # the PDF and the text version of one paper (same DOI) are one paper: no question
    same_paper = invoke("neighbours", "ZnO@NHC", "--db", demo_db)
    assert same_paper.exit_code == 0 and "ZnO@NHC (host, " in same_paper.stdout


def test_documents_of_one_paper_without_a_doi_rank_once_by_title(tmp_path):
    """Two files of one paper that has no DOI (its PDF and its text) are one paper when
    their titles are the same up to case, spaces and punctuation; another title is another paper."""
    from test_store import make_extraction, make_seg

    from extractor import store
    from extractor.rank import rank

    db = store.open_db(tmp_path / "kb.db")
    titles = {"paper.pdf": "Silver Seeds in Hollow Carbon: Dendrite-Free Lithium Plating",
              "paper.txt": "Silver seeds in hollow carbon - dendrite free lithium plating.",
              "other.txt": "Silver seeds in hollow carbon spheres for sodium anodes"}
    for name, title in titles.items():
        store.save_document(db, make_seg(name, title=title), make_extraction())
    with db.conn:
        db.execute("UPDATE documents SET doi = NULL")
    rows = [r for r in rank(db, "coulombic_efficiency") if r.host == "Ag@HCS"]
    assert sorted(r.document for r in rows) in (["other.txt", "paper.pdf"], ["other.txt", "paper.txt"])
    db.close()

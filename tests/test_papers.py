"""Papers as a reader cites them: labels (Python and the papers view agree), DOI links, BibTeX."""

from __future__ import annotations

import json

import pytest

from extractor import store
from extractor.papers import bibtex, doi_url, paper_label

AUTHOR_LISTS = [
    ["Mara T. Lindqvist", "Oren K. Basu", "Yiling Zhao"],
    ["Wen-Jie Huang", "Priya Raghunathan"],
    ["Sebastián Olmedo*"],
    ["Plato"],
    [],
    None,
]


@pytest.mark.parametrize("authors, year, journal, expected", [
    (AUTHOR_LISTS[0], 2024, "J. Demo", "Lindqvist et al., 2024, J. Demo"),
    (AUTHOR_LISTS[1], 2023, None, "Huang and Raghunathan, 2023"),
    (AUTHOR_LISTS[2], None, None, "Olmedo"),
    (None, 2024, None, "paper.txt, 2024"),
    (None, None, None, "paper.txt"),
])
def test_paper_label(authors, year, journal, expected):
    assert paper_label(json.dumps(authors) if authors is not None else None, year, journal, "paper.txt") == expected


def test_the_papers_view_labels_as_python_does(tmp_path):
    db = store.open_db(tmp_path / "kb.db")
    with db.conn:
        for i, authors in enumerate(AUTHOR_LISTS * 2):
            db.execute("INSERT INTO documents (id, name, path, format, sha256, year, journal, authors, n_passages, "
                       "n_sentences, built_at, hostkb_version) VALUES (?, ?, ?, 'txt', ?, ?, ?, ?, 0, 0, 'x', 'x')",
                       [i + 1, f"doc{i}.txt", f"/p/{i}", f"{i:064x}", 2020 + i if i % 3 else None,
                        "J. Test" if i % 2 else None, None if authors is None else json.dumps(authors)])
        db.execute("INSERT INTO documents (id, name, path, format, sha256, authors, n_passages, n_sentences, "
                   "built_at, hostkb_version) VALUES (99, 'bad.txt', '/p/bad', 'txt', 'f', 'not json', 0, 0, 'x', 'x')")
    for row in db.query("SELECT p.paper, d.authors, d.year, d.journal, d.name FROM papers p "
                        "JOIN documents d ON d.id = p.document_id"):
        authors = row["authors"] if row["authors"] != "not json" else None
        assert row["paper"] == paper_label(authors, row["year"], row["journal"], row["name"])
    db.close()


def test_doi_url():
    assert doi_url("10.5555/x.1") == "https://doi.org/10.5555/x.1"
    assert doi_url("https://doi.org/10.5555/x.1") == "https://doi.org/10.5555/x.1"
    assert doi_url("doi: 10.5555/x.1") == "https://doi.org/10.5555/x.1"
    assert doi_url(None) is None


def test_bibtex_has_one_entry_per_paper_and_parses():
    from pybtex.database import parse_string

    docs = [
        {"name": "a.pdf", "title": "Seeds in cages", "doi": "10.5555/A", "year": 2024, "journal": "J. Demo",
         "authors": json.dumps(["Mara T. Lindqvist", "Oren K. Basu"])},
        {"name": "a.txt", "title": None, "doi": "10.5555/a", "year": 2024, "journal": None, "authors": None},
        {"name": "b.txt", "title": "A {braced} title & more", "doi": None, "year": 2024, "journal": None,
         "authors": json.dumps(["Mara Lindqvist"])},
        {"name": "c.txt", "title": None, "doi": None, "year": None, "journal": None, "authors": None},
    ]
    bib = parse_string(bibtex(docs), "bibtex")
    assert list(bib.entries) == ["Lindqvist2024", "Lindqvist2024a", "c"]
    first = bib.entries["Lindqvist2024"]
    assert first.fields["doi"] == "10.5555/A" and first.fields["journal"] == "J. Demo"
    assert [str(p) for p in first.persons["author"]] == ["Lindqvist, Mara T.", "Basu, Oren K."]
    assert "braced" in bib.entries["Lindqvist2024a"].fields["title"]
    assert bib.entries["c"].fields["note"] == "hostkb document c.txt"

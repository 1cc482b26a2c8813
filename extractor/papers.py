"""Papers as a reader cites them: a short label and BibTeX.

``paper_label`` gives "First author et al., year, journal" (with what the document
knows; its file name when it knows nothing), ``doi_url`` the address of a DOI, and
``bibtex`` the BibTeX of a set of documents, written by pybtex (never formatted by hand).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping

__all__ = ["paper_label", "first_author_surname", "doi_url", "bibtex", "bibtex_key"]


def _authors(authors) -> list[str]:
    if not authors or not isinstance(authors, (str, list, tuple)):  # None, or NaN from pandas
        return []
    if isinstance(authors, str):
        try:
            authors = json.loads(authors)
        except ValueError:
            authors = [a for a in re.split(r"\s*[;,]\s*(?:and\s+)?|\s+and\s+", authors) if a]
    return [str(a).strip() for a in authors if str(a).strip()]


def first_author_surname(authors) -> str | None:
    """The surname of the first author of a JSON list (or a list) of names
    ("Mara T. Lindqvist" -> "Lindqvist"; "Lindqvist, Mara T." -> "Lindqvist")."""
    names = _authors(authors)
    if not names:
        return None
    name = names[0].rstrip("*† ").strip()
    if "," in name:
        return name.split(",", 1)[0].strip() or None
    parts = name.split()
    return parts[-1] if parts else None


def paper_label(authors=None, year=None, journal=None, document: str | None = None) -> str:
    """"Lindqvist et al., 2024, J. Demo. Energy Mater.": the first author (with "et al."
    when there are more), the year and the journal, as far as they are known; the file name
    of the document stands in for an unknown author."""
    names = _authors(authors)
    surname = first_author_surname(names)
    parts = []
    if surname:
        parts.append(surname + (" et al." if len(names) > 2 else
                                f" and {first_author_surname(names[1:])}" if len(names) == 2 else ""))
    else:
        parts.append(document or "unknown paper")
    if isinstance(year, float) and year == year:  # a year read by pandas: 2024.0 (NaN is unknown)
        year = int(year)
    if isinstance(year, (int, str)) and str(year).strip():
        parts.append(str(year))
    if isinstance(journal, str) and journal.strip():
        parts.append(journal.strip())
    return ", ".join(parts)


def doi_url(doi: str | None) -> str | None:
    """https://doi.org/<doi> (None without a DOI)."""
    if not doi:
        return None
    doi = re.sub(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", "", doi.strip(), flags=re.I)
    return f"https://doi.org/{doi}"


def bibtex_key(doc: Mapping, taken: set[str]) -> str:
    """A citation key: surname + year (+ a, b, ... when taken), else the file stem."""
    surname = first_author_surname(doc.get("authors"))
    base = f"{surname}{doc.get('year') or ''}" if surname else re.sub(r"\.\w+$", "", doc.get("name") or "paper")
    base = re.sub(r"[^A-Za-z0-9_:-]", "", base) or "paper"
    key, n = base, 0
    while key in taken:
        n += 1
        key = base + "abcdefghijklmnopqrstuvwxyz"[(n - 1) % 26] * ((n - 1) // 26 + 1)
    taken.add(key)
    return key


def bibtex(documents: Iterable[Mapping]) -> str:
    """BibTeX (one @article per paper) of rows with name, title, doi, year, journal,
    authors (a JSON list); rows of one paper (same DOI) give one entry. Written by pybtex."""
    from pybtex.database import BibliographyData, Entry, Person

    data = BibliographyData()
    taken: set[str] = set()
    seen: set[str] = set()
    for doc in documents:
        identity = (doc.get("doi") or "").lower() or doc.get("name")
        if identity in seen:
            continue
        seen.add(identity)
        fields = {}
        for field in ("title", "journal", "year", "doi"):
            if doc.get(field):
                fields[field] = str(doc[field])
        if doc.get("doi"):
            fields["url"] = doi_url(doc["doi"])
        if not fields.get("title"):
            fields["note"] = f"hostkb document {doc.get('name')}"
        persons = {"author": [Person(a.rstrip("*† ")) for a in _authors(doc.get("authors"))]}
        if not persons["author"]:
            persons = {}
        data.entries[bibtex_key(doc, taken)] = Entry("article", fields=fields, persons=persons)
    return data.to_string("bibtex")

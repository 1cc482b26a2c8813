"""Export: the database's facts as extraction records (docs/records.md).

One JSON object per document, with exactly the fields of the records format; unknown
values are ``null``. The database is richer (offsets, pages, units of properties,
cell-test rows); this is its flat, interchangeable view.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import sqlite_utils

from .controls import paper_name
from .errors import DatabaseError, OutputError

__all__ = ["export_document", "export_records", "export_all"]


def _number(value):
    """Integral floats as ints (300.0 cycles -> 300); other values unchanged."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def export_document(db: sqlite_utils.Database, document_id: int) -> dict:
    """The records of one stored document (by ``documents.id``)."""
    doc = db.execute("SELECT name, title, doi, year, journal FROM documents WHERE id = ?",
                     [document_id]).fetchone()
    if doc is None:
        raise DatabaseError(f"no document with id {document_id}")
    name, title, doi, year, journal = doc
    hosts = _hosts(db, document_id)
    names = {stored: h["name"] for h, stored in hosts}
    return {
        "doc": name,
        "paper": {"title": title, "doi": doi, "year": year, "journal": journal},
        "hosts": [h for h, _ in hosts],
        "synthesis": _renamed(_synthesis(db, document_id), names),
        "performance": _renamed(_performance(db, document_id), names),
        "properties": _properties(db, document_id),
    }


def _hosts(db, document_id: int) -> list[tuple[dict, str]]:
    """(host record, name it is stored under) of each host of the document."""
    out = []
    for host_id, name, kind, has_figures in db.execute(
            "SELECT id, name, kind, has_figures FROM hosts WHERE document_id = ? ORDER BY id", [document_id]):
        aliases = [a for (a,) in db.execute(
            "SELECT alias FROM host_aliases WHERE host_id = ? ORDER BY rowid", [host_id])]
        components = [c for (c,) in db.execute(
            "SELECT m.name FROM host_components hc JOIN materials m ON m.id = hc.material_id "
            "WHERE hc.host_id = ? ORDER BY hc.position", [host_id])]
        # the paper's own name: a control stored under its canonical name ("Cu foil") is
        # written as the paper names it ("bare Cu foil"), the canonical name as an alias
        own = paper_name(name, kind, aliases)
        if own != name:
            aliases = [name] + [a for a in aliases if a != own]
        record = {"name": own, "aliases": aliases, "kind": kind, "components": components}
        if has_figures is not None:
            record["has_figures"] = bool(has_figures)
        out.append((record, name))
    return out


def _renamed(records: list[dict], names: dict[str, str]) -> list[dict]:
    """``records`` with each host named as its paper names it (see ``_hosts``)."""
    for record in records:
        record["host"] = names.get(record["host"], record["host"])
    return records


def _synthesis(db, document_id: int) -> list[dict]:
    out = []
    for route_id, host, evidence in db.execute(
            "SELECT r.id, h.name, r.evidence FROM synthesis_routes r JOIN hosts h ON h.id = r.host_id "
            "WHERE r.document_id = ? ORDER BY r.id", [document_id]):
        steps = []
        for step_id, method, conditions, step_evidence in db.execute(
                "SELECT id, method, conditions, evidence FROM synthesis_steps WHERE route_id = ? "
                "ORDER BY step_order, id", [route_id]):
            precursors = [p for (p,) in db.execute(
                "SELECT m.name FROM step_precursors sp JOIN materials m ON m.id = sp.material_id "
                "WHERE sp.step_id = ? ORDER BY sp.position", [step_id])]
            steps.append({"method": method, "precursors": precursors, "conditions": conditions,
                          "evidence": step_evidence})
        out.append({"host": host, "steps": steps, "evidence": evidence})
    return out


def _performance(db, document_id: int) -> list[dict]:
    rows = db.execute(
        """SELECT h.name, m.metric, m.value, m.qualifier, c.cell_type, c.current_density_ma_cm2,
                  c.areal_capacity_mah_cm2, c.c_rate, c.cycles, c.cathode, c.electrolyte, c.temperature_c,
                  COALESCE(NULLIF(m.evidence, ''), s.evidence)
           FROM measurements m
           JOIN hosts h ON h.id = m.host_id
           LEFT JOIN cell_tests c ON c.id = m.cell_test_id
           LEFT JOIN sentences s ON s.id = m.sentence_id
           WHERE m.document_id = ? ORDER BY m.id""", [document_id])
    keys = ("host", "metric", "value", "qualifier", "cell_type", "current_density", "areal_capacity",
            "c_rate", "cycles", "cathode", "electrolyte", "temperature", "evidence")
    out = []
    for row in rows:
        record = dict(zip(keys, row))
        record["cycles"] = _number(record["cycles"])
        out.append(record)
    return out


def _properties(db, document_id: int) -> list[dict]:
    rows = db.execute(
        """SELECT p.material, p.property, p.value, p.unit, p.qualifier, p.note,
                  COALESCE(NULLIF(p.evidence, ''), s.evidence)
           FROM properties p LEFT JOIN sentences s ON s.id = p.sentence_id
           WHERE p.document_id = ? ORDER BY p.id""", [document_id])
    keys = ("material", "property", "value", "unit", "qualifier", "note", "evidence")
    return [dict(zip(keys, row)) for row in rows]


def export_records(db: sqlite_utils.Database) -> dict[str, dict]:
    """Every stored document's records, keyed by document name (what evaluation reads)."""
    return {name: export_document(db, doc_id)
            for doc_id, name in db.execute("SELECT id, name FROM documents ORDER BY name")}


def _file_names(names: list[str]) -> dict[str, str]:
    """``<doc stem>.json`` per document; documents whose stems collide (a.txt, a.pdf)
    keep their full name instead (a.txt.json, a.pdf.json)."""
    stems = Counter(Path(n).stem for n in names)
    return {n: (Path(n).stem if stems[Path(n).stem] == 1 else n) + ".json" for n in names}


def export_all(db: sqlite_utils.Database, out_dir: str | Path) -> list[Path]:
    """Write one JSON file per document into ``out_dir`` (created if missing);
    return the paths written."""
    out = Path(out_dir)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot create the folder {out}: {exc.strerror or exc}") from None
    docs = db.execute("SELECT id, name FROM documents ORDER BY name").fetchall()
    file_names = _file_names([name for _, name in docs])
    written = []
    for doc_id, name in docs:
        path = out / file_names[name]
        record = export_document(db, doc_id)
        try:
            path.write_text(json.dumps(record, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        except OSError as exc:
            raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from None
        written.append(path)
    return written

"""Storage: schema, one transaction per document, replacement, FTS, views, export.

Documents here are built by hand from the plain-data types, so these tests do not
depend on the loaders or the extractor.
"""

from __future__ import annotations

import json
import sqlite3

import pytest

from extractor import export, store
from factories import segmented
from extractor.errors import DatabaseError
from extractor.types import (
    CellTest,
    Extraction,
    Host,
    Measurement,
    PaperMeta,
    Property,
    SegmentedDocument,
    SynthesisRoute,
    SynthesisStep,
)

SENTENCES = [
    "Hollow carbon spheres decorated with silver nanoparticles (Ag@HCS) were prepared as lithium hosts.",
    "The Ag@HCS electrode kept a Coulombic efficiency of 98.9% over 300 cycles at 1 mA cm-2 and 1 mAh cm-2.",
    "Bare Cu foil failed after 60 cycles under the same conditions.",
    "The specific surface area of Ag@HCS was 412 m2 g-1.",
]


def make_seg(name: str = "paper.txt", sentences=SENTENCES, *, title="Silver seeds in hollow carbon",
             sha256: str | None = None) -> SegmentedDocument:
    meta = PaperMeta(title=title, doi="10.1000/hostkb.test", year=2024, journal="J. Test. Chem.",
                     authors=("A. Author", "B. Author"))
    return segmented(name, sentences, meta, sha256=sha256, dropped=("references",))


def make_extraction(host_for_measurement: str = "Ag@HCS") -> Extraction:
    hosts = (
        Host(name="Ag@HCS", kind="host", aliases=("Li@Ag@HCS", "Ag@HCSs"),
             components=("Ag", "hollow carbon spheres"), sentence=0, evidence=SENTENCES[0]),
        Host(name="Cu foil", kind="control", aliases=("bare Cu foil",), components=("Cu",)),
    )
    synthesis = (
        SynthesisRoute(host="Ag@HCS", evidence=SENTENCES[0], steps=(
            SynthesisStep(order=1, method="templating", precursors=("SiO2", "resorcinol")),
            SynthesisStep(order=2, method="carbonization", temperature_c=800.0, duration_h=2.0,
                          atmosphere="Ar", conditions="800 °C, 2 h, Ar", sentence=0),
            SynthesisStep(order=3, method="reduction", precursors=("AgNO3",)),
        )),
    )
    conditions = CellTest(cell_type="half", current_density=1.0, areal_capacity=1.0)
    measurements = (
        Measurement(host=host_for_measurement, metric="coulombic_efficiency", value=98.9, unit="%",
                    qualifier="eq", conditions=conditions, raw="98.9%", sentence=1, start=45, end=50,
                    evidence=SENTENCES[1]),
        Measurement(host="Ag@HCS", metric="cycle_count", value=300, unit="cycles", qualifier="gt",
                    conditions=conditions, raw="300 cycles", sentence=1, start=56, end=66,
                    evidence=SENTENCES[1]),
        Measurement(host="bare Cu foil", metric="cycle_count", value=60, unit="cycles", qualifier="eq",
                    conditions=conditions, raw="60 cycles", sentence=2, start=26, end=35,
                    evidence=SENTENCES[2]),
    )
    properties = (
        Property(material="Ag@HCS", property="specific_surface_area", value=412, unit="m2/g",
                 raw="412 m2 g-1", sentence=3, evidence=SENTENCES[3]),
    )
    return Extraction(hosts=hosts, synthesis=synthesis, measurements=measurements, properties=properties)


@pytest.fixture()
def db(tmp_path):
    database = store.open_db(tmp_path / "kb.db")
    yield database
    database.close()


def count(db, table, where="1", params=()):
    return db.execute(f"SELECT count(*) FROM [{table}] WHERE {where}", params).fetchone()[0]


# ---------------------------------------------------------------- schema


def test_schema_is_applied_with_foreign_keys_and_wal(db):
    tables = set(db.table_names())
    assert {"documents", "passages", "sentences", "sentences_fts", "ingest_errors", "hosts",
            "host_aliases", "materials", "host_components", "synthesis_routes", "synthesis_steps",
            "step_precursors", "cell_tests", "measurements", "properties", "metrics", "meta"} <= tables
    assert {"figures", "host_designs", "synthesis"} <= set(db.view_names())
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db["meta"].get("schema_version")["value"] == store.SCHEMA_VERSION
    fks = {(fk.column, fk.other_table) for fk in db["measurements"].foreign_keys}
    assert {("document_id", "documents"), ("host_id", "hosts"), ("cell_test_id", "cell_tests"),
            ("sentence_id", "sentences"), ("metric", "metrics")} <= fks


def test_metrics_table_is_filled_from_the_vocabulary(db):
    ce = db["metrics"].get("coulombic_efficiency")
    assert (ce["unit"], ce["better"]) == ("%", "higher")
    assert db["metrics"].get("overpotential")["better"] == "lower"


def test_foreign_keys_are_enforced(db):
    with pytest.raises(sqlite3.IntegrityError):
        db.execute("INSERT INTO passages (document_id, idx, section, role, text, raw_start, raw_end) "
                   "VALUES (999, 0, 'body', 'paragraph', 'x', 0, 1)")


def test_reopening_keeps_data_and_refuses_foreign_databases(tmp_path):
    path = tmp_path / "kb.db"
    db = store.open_db(path)
    store.save_document(db, make_seg(), make_extraction())
    db.close()
    again = store.open_db(path)
    assert count(again, "documents") == 1
    again.close()

    other = tmp_path / "other.db"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE birds (name TEXT)")
    conn.commit()
    conn.close()
    with pytest.raises(DatabaseError, match="not a hostkb"):
        store.open_db(other)

    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not sqlite at all" * 100)
    with pytest.raises(DatabaseError, match="junk.db"):
        store.open_db(junk)

    with pytest.raises(DatabaseError, match="no database"):
        store.open_db(tmp_path / "missing.db", create=False)


def test_other_schema_version_is_refused(tmp_path):
    path = tmp_path / "kb.db"
    db = store.open_db(path)
    db.execute("UPDATE meta SET value = '0' WHERE key = 'schema_version'")
    db.close()
    with pytest.raises(DatabaseError, match="schema version '0'"):
        store.open_db(path)


# ---------------------------------------------------------------- saving


def test_save_document_stores_text_and_extraction(db):
    doc_id = store.save_document(db, make_seg(), make_extraction())
    doc = db["documents"].get(doc_id)
    assert (doc["name"], doc["title"], doc["year"], doc["n_sentences"]) == (
        "paper.txt", "Silver seeds in hollow carbon", 2024, 4)
    assert json.loads(doc["authors"]) == ["A. Author", "B. Author"]
    assert count(db, "passages") == 4 and count(db, "sentences") == 4
    sentence = db.execute("SELECT * FROM sentences WHERE idx = 1").fetchone()
    assert sentence is not None
    assert count(db, "hosts") == 2
    assert count(db, "host_aliases") == 4  # the control named canonically keeps its own name as first alias
    assert sorted(r["name"] for r in db["materials"].rows) == sorted(
        ["Ag", "hollow carbon spheres", "Cu", "SiO2", "resorcinol", "AgNO3"])
    assert count(db, "synthesis_steps") == 3
    assert count(db, "cell_tests") == 1, "identical conditions share one cell_tests row"
    assert count(db, "measurements") == 3
    control = db.execute("SELECT h.name FROM measurements m JOIN hosts h ON h.id = m.host_id "
                         "WHERE m.raw = '60 cycles'").fetchone()[0]
    assert control == "Cu foil", "a measurement naming an alias is linked to the host"
    assert count(db, "properties") == 1


def test_materials_are_shared_between_documents(db):
    store.save_document(db, make_seg("a.txt"), make_extraction())
    store.save_document(db, make_seg("b.txt", sha256="b" * 64), make_extraction())
    assert count(db, "materials", "name = 'Ag'") == 1
    assert count(db, "host_components", "material_id = (SELECT id FROM materials WHERE name = 'Ag')") == 2


def test_save_replaces_the_previous_version(db):
    store.save_document(db, make_seg(), make_extraction())
    new = make_seg(sentences=SENTENCES[:2], title="Second edition", sha256="f" * 64)
    store.save_document(db, new, Extraction())
    assert count(db, "documents") == 1
    assert store.document_state(db, "paper.txt") == "f" * 64
    assert db.execute("SELECT title FROM documents").fetchone()[0] == "Second edition"
    assert count(db, "sentences") == 2
    for table in ("hosts", "host_aliases", "host_components", "synthesis_routes", "synthesis_steps",
                  "step_precursors", "cell_tests", "measurements", "properties", "materials"):
        assert count(db, table) == 0, table
    assert list(db.execute("INSERT INTO sentences_fts(sentences_fts, rank) VALUES('integrity-check', 1)"))\
        == []


def test_failure_midway_leaves_the_old_version_intact(db):
    store.save_document(db, make_seg(), make_extraction())
    before = {t: count(db, t) for t in ("documents", "sentences", "hosts", "measurements", "materials")}
    broken = make_extraction(host_for_measurement="Nonexistent host")
    with pytest.raises(store.InconsistentExtraction, match="'Nonexistent host'"):
        store.save_document(db, make_seg(sha256="e" * 64, title="Broken edition"), broken)
    after = {t: count(db, t) for t in before}
    assert after == before
    assert store.document_state(db, "paper.txt") != "e" * 64
    assert db.execute("SELECT title FROM documents").fetchone()[0] == "Silver seeds in hollow carbon"


def test_failure_of_a_new_document_leaves_nothing(db):
    with pytest.raises(store.InconsistentExtraction):
        store.save_document(db, make_seg("new.txt"), make_extraction(host_for_measurement="ghost"))
    for table in ("documents", "passages", "sentences", "hosts", "materials", "measurements"):
        assert count(db, table) == 0, table
    assert store.document_state(db, "new.txt") is None


def test_unknown_metric_and_sentence_are_refused(db):
    ex = make_extraction()
    bad_metric = Extraction(hosts=ex.hosts, measurements=(
        Measurement(host="Ag@HCS", metric="coolness", value=1, unit="%", qualifier="eq",
                    conditions=CellTest(), raw="1%", sentence=0, start=0, end=2, evidence="x"),))
    with pytest.raises(store.InconsistentExtraction, match="'coolness'"):
        store.save_document(db, make_seg(), bad_metric)
    bad_sentence = Extraction(properties=(Property(material="x", property="density", value=1, unit="g/cm3",
                                                   sentence=42),))
    with pytest.raises(store.InconsistentExtraction, match="sentence 42"):
        store.save_document(db, make_seg(), bad_sentence)
    assert count(db, "documents") == 0


def test_full_text_search_finds_a_sentence(db):
    store.save_document(db, make_seg(), make_extraction())
    hits = list(db["sentences"].search("coulombic efficiency"))
    assert [h["idx"] for h in hits] == [1]
    rows = db.execute("SELECT s.text FROM sentences_fts f JOIN sentences s ON s.id = f.rowid "
                      "WHERE sentences_fts MATCH 'silver'").fetchall()
    assert rows and "silver nanoparticles" in rows[0][0]


def test_figures_view_has_one_row_per_measurement_with_context(db):
    store.save_document(db, make_seg(), make_extraction())
    rows = list(db.query("SELECT * FROM figures ORDER BY measurement_id"))
    assert len(rows) == 3
    ce = rows[0]
    assert ce["host"] == "Ag@HCS" and ce["host_kind"] == "host"
    assert (ce["metric"], ce["value"], ce["unit"], ce["better"]) == ("coulombic_efficiency", 98.9, "%", "higher")
    assert (ce["cell_type"], ce["current_density_ma_cm2"], ce["areal_capacity_mah_cm2"]) == ("half", 1.0, 1.0)
    assert ce["document"] == "paper.txt" and ce["doi"] == "10.1000/hostkb.test"
    assert ce["evidence"] == SENTENCES[1]
    hosts = {r["host"]: r for r in db.query("SELECT * FROM host_designs")}
    assert hosts["Ag@HCS"]["components"] == "Ag, hollow carbon spheres"
    assert hosts["Ag@HCS"]["n_figures"] == 2
    steps = list(db.query("SELECT * FROM synthesis ORDER BY step_order"))
    assert [s["method"] for s in steps] == ["templating", "carbonization", "reduction"]
    assert steps[0]["precursors"] == "SiO2, resorcinol"


def test_record_error_keeps_the_latest_attempt_and_save_clears_it(db):
    store.record_error(db, "/x/bad.pdf", "encrypted", "the PDF is password-protected")
    store.record_error(db, "/x/bad.pdf", "encrypted", "the PDF is password-protected")
    assert count(db, "ingest_errors") == 1
    row = next(db["ingest_errors"].rows)
    assert (row["name"], row["reason"]) == ("bad.pdf", "encrypted")
    store.save_document(db, make_seg("bad.pdf"), Extraction())
    assert count(db, "ingest_errors") == 0


def test_remove_documents(db):
    store.save_document(db, make_seg("a.txt"), make_extraction())
    store.save_document(db, make_seg("b.txt"), Extraction())
    assert store.remove_documents(db, ["a.txt", "missing.txt"]) == 1
    assert store.document_names(db) == {"b.txt": "/corpus/b.txt"}
    assert count(db, "materials") == 0
    assert count(db, "sentences") == len(SENTENCES)


# ---------------------------------------------------------------- export


def test_export_document_follows_the_records_format(db):
    doc_id = store.save_document(db, make_seg(), make_extraction())
    record = export.export_document(db, doc_id)
    assert list(record) == ["doc", "paper", "hosts", "synthesis", "performance", "properties"]
    assert record["doc"] == "paper.txt"
    assert record["paper"] == {"title": "Silver seeds in hollow carbon", "doi": "10.1000/hostkb.test",
                               "year": 2024, "journal": "J. Test. Chem."}
    assert record["hosts"][0] == {"name": "Ag@HCS", "aliases": ["Li@Ag@HCS", "Ag@HCSs"], "kind": "host",
                                  "components": ["Ag", "hollow carbon spheres"]}
    assert record["hosts"][1]["kind"] == "control"
    route = record["synthesis"][0]
    assert route["host"] == "Ag@HCS" and route["evidence"] == SENTENCES[0]
    assert [s["method"] for s in route["steps"]] == ["templating", "carbonization", "reduction"]
    assert route["steps"][0]["precursors"] == ["SiO2", "resorcinol"]
    assert route["steps"][1]["conditions"] == "800 °C, 2 h, Ar"
    assert route["steps"][0]["conditions"] is None
    ce = record["performance"][0]
    assert ce == {"host": "Ag@HCS", "metric": "coulombic_efficiency", "value": 98.9, "qualifier": "eq",
                  "cell_type": "half", "current_density": 1.0, "areal_capacity": 1.0, "c_rate": None,
                  "cycles": None, "cathode": None, "electrolyte": None, "temperature": None,
                  "evidence": SENTENCES[1]}
    # a control keeps one canonical name in the database ("Cu foil"); the export names it as
    # the extraction did: here already "Cu foil", its other forms ("bare Cu foil") as aliases
    assert record["hosts"][1]["name"] == "Cu foil" and "bare Cu foil" in record["hosts"][1]["aliases"]
    assert record["performance"][2]["host"] == "Cu foil"
    assert record["properties"] == [{"material": "Ag@HCS", "property": "specific_surface_area",
                                     "value": 412.0, "unit": "m2/g", "qualifier": "eq", "note": None,
                                     "evidence": SENTENCES[3]}]
    json.dumps(record)  # serializable as is


def test_export_of_an_empty_extraction_uses_nulls_and_empty_lists(db):
    seg = make_seg("bare.md")
    seg = type(seg)(raw=seg.raw, meta=type(seg.meta)(), passages=seg.passages, sentences=seg.sentences)
    doc_id = store.save_document(db, seg, Extraction())
    record = export.export_document(db, doc_id)
    assert record == {"doc": "bare.md", "paper": {"title": None, "doi": None, "year": None, "journal": None},
                      "hosts": [], "synthesis": [], "performance": [], "properties": []}


def test_export_all_writes_one_json_per_document(db, tmp_path):
    store.save_document(db, make_seg("a.txt"), make_extraction())
    store.save_document(db, make_seg("b.paper.pdf"), Extraction())
    out = tmp_path / "records"
    written = export.export_all(db, out)
    assert sorted(p.name for p in written) == ["a.json", "b.paper.json"]
    record = json.loads((out / "a.json").read_text(encoding="utf-8"))
    assert record["doc"] == "a.txt" and len(record["performance"]) == 3


def test_has_figures_is_exported_only_when_known(db):
    ex = Extraction(hosts=(Host(name="X", kind="cited", has_figures=False), Host(name="Y", kind="cited")))
    doc_id = store.save_document(db, make_seg(), ex)
    hosts = export.export_document(db, doc_id)["hosts"]
    assert hosts[0]["has_figures"] is False
    assert "has_figures" not in hosts[1]


def test_a_control_named_canonically_exports_under_its_own_name(db):
    """Regression: a control the extraction names canonically ("Li foil") with another form as
    alias ("pure lithium") was exported under the alias; one stored under its canonical name
    still exports as the paper named it."""
    from extractor.types import PaperMeta

    for doc, name, aliases in (("a.txt", "Li foil", ("pure lithium",)), ("b.txt", "bare Li foil", ("Li foil",))):
        seg = segmented(doc, ["The Sn@CF half cell keeps a CE of 98.1%."], PaperMeta(title="T " + doc))
        ex = Extraction(hosts=(Host(name="Sn@CF", kind="host"), Host(name=name, kind="control", aliases=aliases)))
        doc_id = store.save_document(db, seg, ex)
        assert {h["name"] for h in export.export_document(db, doc_id)["hosts"]} == {"Sn@CF", name}

"""save_document's bulk path: every column lands where it belongs, ids are assigned
as SQLite would one row at a time, a second save replaces the first exactly, and a
failure (inconsistent extraction or a broken constraint) leaves the database as it was.

Documents are built by hand (see test_store.py), so these tests do not depend on the
loaders or the extractor.
"""

from __future__ import annotations

import sqlite3
from dataclasses import replace

import pytest

from extractor import store
from extractor.types import CellTest, Extraction, Host, Measurement, Property, SynthesisRoute, SynthesisStep
from test_store import SENTENCES, count, make_extraction, make_seg

# Every table save_document writes (or clears), and the columns that vary between runs.
TABLES = ("documents", "passages", "sentences", "hosts", "host_aliases", "host_components", "materials",
          "synthesis_routes", "synthesis_steps", "step_precursors", "cell_tests", "measurements",
          "properties", "ingest_errors")
CLOCK = {"built_at", "at"}


@pytest.fixture()
def db(tmp_path):
    database = store.open_db(tmp_path / "kb.db")
    yield database
    database.close()


def snapshot(db) -> dict[str, list[tuple]]:
    """Every row of every table save_document touches (without timestamps), and the
    sentences' full-text index as seen through a search for each of their words."""
    out = {}
    for table in TABLES:
        columns = [c.name for c in db[table].columns if c.name not in CLOCK]
        out[table] = db.execute(f"SELECT {', '.join(columns)} FROM [{table}] ORDER BY 1, 2").fetchall()
    out["fts"] = db.execute("SELECT rowid FROM sentences_fts WHERE sentences_fts MATCH 'cycles OR silver' "
                            "ORDER BY rowid").fetchall()
    return out


def test_every_column_is_stored_in_its_own_place(db):
    """Distinct values in every field, so a column list out of step with its row would show."""
    conditions = CellTest(cell_type="full", current_density=1.5, areal_capacity=2.5, c_rate=0.5, cycles=300.0,
                          cathode="LFP", electrolyte="LiPF6 in EC/DEC", temperature=25.0)
    ex = Extraction(
        hosts=(Host(name="Ag@HCS", kind="host", aliases=("AgHCS",), components=("HCS", "Ag"), has_figures=True,
                    evidence="ev-host", sentence=0),),
        synthesis=(SynthesisRoute(host="Ag@HCS", evidence="ev-route", steps=(
            SynthesisStep(order=7, method="carbonization", precursors=("PDA", "Ag"), conditions="800 °C, 2 h",
                          temperature_c=800.0, duration_h=2.0, atmosphere="Ar", evidence="ev-step", sentence=1),)),),
        measurements=(Measurement(host="AgHCS", metric="coulombic_efficiency", value=98.9, unit="%",
                                  qualifier="approx", conditions=conditions, raw="~98.9%", sentence=1, start=45,
                                  end=50, evidence="ev-measurement"),),
        properties=(Property(material="HCS", property="specific_surface_area", value=412.0, unit="m2/g",
                             qualifier="gt", note="BET", raw=">412 m2 g-1", sentence=3, evidence="ev-property"),),
    )
    doc_id = store.save_document(db, make_seg(), ex)
    doc = db.execute("SELECT name, path, format, title, doi, year, journal, authors, page_count, n_passages, "
                     "n_sentences, dropped, hostkb_version FROM documents WHERE id = ?", [doc_id]).fetchone()
    assert doc == ("paper.txt", "/corpus/paper.txt", "txt", "Silver seeds in hollow carbon", "10.1000/hostkb.test",
                   2024, "J. Test. Chem.", '["A. Author", "B. Author"]', None, 4, 4, '["references"]',
                   store.__version__)
    sentence = db.execute("SELECT document_id, idx, section, role, page, text, evidence, raw_start, raw_end, "
                          "passage_id = (SELECT id FROM passages WHERE idx = 1) FROM sentences WHERE idx = 1").fetchone()
    start = len(SENTENCES[0]) + 2
    assert sentence == (doc_id, 1, "results", "paragraph", None, SENTENCES[1], SENTENCES[1], start,
                        start + len(SENTENCES[1]), 1)
    passage = db.execute("SELECT document_id, idx, section, role, page, heading, text, raw_start, raw_end "
                         "FROM passages WHERE idx = 1").fetchone()
    assert passage == (doc_id, 1, "results", "paragraph", None, None, SENTENCES[1], start, start + len(SENTENCES[1]))

    def sentence_id(idx):
        return db.execute("SELECT id FROM sentences WHERE idx = ?", [idx]).fetchone()[0]

    host = db.execute("SELECT id, document_id, name, kind, has_figures, sentence_id, evidence FROM hosts").fetchone()
    assert host[1:] == (doc_id, "Ag@HCS", "host", 1, sentence_id(0), "ev-host")
    assert db.execute("SELECT host_id, alias FROM host_aliases").fetchall() == [(host[0], "AgHCS")]
    components = db.execute("SELECT m.name, hc.position FROM host_components hc JOIN materials m "
                            "ON m.id = hc.material_id WHERE hc.host_id = ? ORDER BY position", [host[0]]).fetchall()
    assert components == [("HCS", 0), ("Ag", 1)]
    route = db.execute("SELECT id, document_id, host_id, evidence FROM synthesis_routes").fetchone()
    assert route[1:] == (doc_id, host[0], "ev-route")
    step = db.execute("SELECT id, route_id, step_order, method, conditions, temperature_c, duration_h, atmosphere, "
                      "sentence_id, evidence FROM synthesis_steps").fetchone()
    assert step[1:] == (route[0], 7, "carbonization", "800 °C, 2 h", 800.0, 2.0, "Ar", sentence_id(1), "ev-step")
    precursors = db.execute("SELECT m.name, sp.position FROM step_precursors sp JOIN materials m "
                            "ON m.id = sp.material_id WHERE sp.step_id = ? ORDER BY position", [step[0]]).fetchall()
    assert precursors == [("PDA", 0), ("Ag", 1)]
    assert [name for (name,) in db.execute("SELECT name FROM materials ORDER BY id")] == ["HCS", "Ag", "PDA"], \
        "materials are numbered in order of first use"
    cell = db.execute("SELECT id, document_id, cell_type, current_density_ma_cm2, areal_capacity_mah_cm2, c_rate, "
                      "cycles, cathode, electrolyte, temperature_c FROM cell_tests").fetchone()
    assert cell[1:] == (doc_id, "full", 1.5, 2.5, 0.5, 300.0, "LFP", "LiPF6 in EC/DEC", 25.0)
    measurement = db.execute("SELECT document_id, host_id, cell_test_id, metric, value, unit, qualifier, raw, "
                             "sentence_id, span_start, span_end, evidence FROM measurements").fetchone()
    assert measurement == (doc_id, host[0], cell[0], "coulombic_efficiency", 98.9, "%", "approx", "~98.9%",
                           sentence_id(1), 45, 50, "ev-measurement")
    prop = db.execute("SELECT document_id, material, property, value, unit, qualifier, note, raw, sentence_id, "
                      "evidence FROM properties").fetchone()
    assert prop == (doc_id, "HCS", "specific_surface_area", 412.0, "m2/g", "gt", "BET", ">412 m2 g-1",
                    sentence_id(3), "ev-property")


def test_ids_follow_on_from_the_rows_already_stored(db):
    """Ids are max(id) + 1 onwards in every table, as when rows were inserted one by one,
    and cell tests are shared by the measurements with the same conditions."""
    store.save_document(db, make_seg("a.txt"), make_extraction())
    before = {t: db.execute(f"SELECT max(id) FROM [{t}]").fetchone()[0]
              for t in ("passages", "sentences", "hosts", "synthesis_routes", "synthesis_steps", "cell_tests",
                        "measurements", "properties")}
    doc_id = store.save_document(db, make_seg("b.txt", sha256="b" * 64), make_extraction())
    for table, last in before.items():
        ids = [i for (i,) in db.execute(f"SELECT id FROM [{table}] WHERE id > ? ORDER BY id", [last])]
        assert ids == list(range(last + 1, last + 1 + len(ids))) and ids, table
    assert count(db, "cell_tests", "document_id = ?", [doc_id]) == 1
    assert db.execute("SELECT count(DISTINCT cell_test_id) FROM measurements WHERE document_id = ?",
                      [doc_id]).fetchone()[0] == 1


def test_saving_the_same_document_twice_leaves_exactly_one_copy(db):
    store.save_document(db, make_seg(), make_extraction())
    once = snapshot(db)
    store.save_document(db, make_seg(), make_extraction())
    assert snapshot(db) == once, "the second save replaces the first row for row, ids included"
    assert list(db.execute("INSERT INTO sentences_fts(sentences_fts, rank) VALUES('integrity-check', 1)")) == []


def test_replacing_one_of_several_documents_keeps_the_counts(db):
    store.save_document(db, make_seg("a.txt"), make_extraction())
    store.save_document(db, make_seg("b.txt", sha256="b" * 64), make_extraction())
    counts = store.counts(db)
    hits = db.execute("SELECT count(*) FROM sentences_fts WHERE sentences_fts MATCH 'silver'").fetchone()[0]
    store.save_document(db, make_seg("a.txt"), make_extraction())
    assert store.counts(db) == counts
    assert db.execute("SELECT count(*) FROM sentences_fts WHERE sentences_fts MATCH 'silver'").fetchone()[0] == hits
    assert list(db.execute("INSERT INTO sentences_fts(sentences_fts, rank) VALUES('integrity-check', 1)")) == []


def test_a_long_document_and_many_materials(db):
    """More sentences than one INSERT takes and more materials than one SELECT asks for."""
    sentences = [f"Sentence {i} reports {i} cycles of lithium plating." for i in range(523)]
    components = tuple(f"material-{i}" for i in range(1203))
    ex = Extraction(hosts=(Host(name="X", kind="host", components=components + components[:5]),))
    store.save_document(db, make_seg("long.txt", sentences), ex)
    assert count(db, "sentences") == 523
    assert db.execute("SELECT count(*) FROM sentences_fts WHERE sentences_fts MATCH 'plating'").fetchone()[0] == 523
    stored = db.execute("SELECT m.name FROM host_components hc JOIN materials m ON m.id = hc.material_id "
                        "ORDER BY hc.position").fetchall()
    assert [name for (name,) in stored] == list(components)
    store.save_document(db, make_seg("long.txt", sentences[:3]), Extraction())
    assert count(db, "materials") == 0 and count(db, "sentences") == 3


def test_an_unknown_host_changes_nothing(db):
    store.save_document(db, make_seg(), make_extraction())
    store.save_document(db, make_seg("other.txt", sha256="o" * 64),
                        replace(make_extraction(), hosts=(Host(name="Ag@HCS", kind="host", components=("Zn",)),
                                                          make_extraction().hosts[1])))
    store.record_error(db, "/corpus/paper.txt", "encrypted", "an earlier attempt")
    before = snapshot(db)
    for broken in (make_extraction(host_for_measurement="ghost"),
                   replace(make_extraction(), synthesis=(SynthesisRoute(host="ghost", steps=()),))):
        with pytest.raises(store.InconsistentExtraction, match="'ghost'"):
            store.save_document(db, make_seg(sha256="e" * 64), broken)
        assert snapshot(db) == before
    with pytest.raises(store.InconsistentExtraction):
        store.save_document(db, make_seg("new.txt"), make_extraction(host_for_measurement="ghost"))
    assert snapshot(db) == before


def test_a_broken_constraint_is_reported_before_a_later_inconsistency(db):
    """A host of an impossible kind, then a measurement of an unknown host: the host row
    came first, so its constraint is what fails (as when rows were written one by one)."""
    store.save_document(db, make_seg(), make_extraction())
    before = snapshot(db)
    ex = make_extraction(host_for_measurement="ghost")
    broken = replace(ex, hosts=(replace(ex.hosts[0], kind="favourite"), ex.hosts[1]))
    with pytest.raises(sqlite3.IntegrityError, match="CHECK constraint failed"):
        store.save_document(db, make_seg(sha256="e" * 64), broken)
    assert snapshot(db) == before
    # the other way round: the inconsistency comes first
    broken = replace(ex, hosts=(replace(ex.hosts[0], sentence=99), replace(ex.hosts[1], kind="favourite")))
    with pytest.raises(store.InconsistentExtraction, match="sentence 99"):
        store.save_document(db, make_seg(sha256="e" * 64), broken)
    # measurements are written together after all of them are checked: an unknown host wins
    bad_qualifier = replace(ex, measurements=(replace(ex.measurements[1], qualifier="roughly"), ex.measurements[0]))
    with pytest.raises(store.InconsistentExtraction, match="'ghost'"):
        store.save_document(db, make_seg(sha256="e" * 64), bad_qualifier)
    assert snapshot(db) == before


def test_no_orphan_materials_after_saves_and_replacements(db):
    def orphans():
        return count(db, "materials", "id NOT IN (SELECT material_id FROM host_components) "
                                      "AND id NOT IN (SELECT material_id FROM step_precursors)")

    ex = make_extraction()
    store.save_document(db, make_seg("a.txt"), ex)
    store.save_document(db, make_seg("b.txt"), replace(ex, hosts=(replace(ex.hosts[0], components=("Zn",)),
                                                                   ex.hosts[1])))
    assert orphans() == 0
    store.save_document(db, make_seg("a.txt"), Extraction(hosts=ex.hosts[1:]))
    assert orphans() == 0
    assert {n for (n,) in db.execute("SELECT name FROM materials")} == {"Zn", "Cu", "SiO2", "resorcinol", "AgNO3"}


def test_open_db_reads_with_a_large_cache_and_a_memory_map(tmp_path):
    db = store.open_db(tmp_path / "kb.db")
    try:
        assert db.execute("PRAGMA cache_size").fetchone()[0] == -store.READ_CACHE_KIB
        assert db.execute("PRAGMA mmap_size").fetchone()[0] == store.READ_MMAP_BYTES
    finally:
        db.close()


def test_open_db_for_writing_keeps_sqlites_small_cache_and_no_memory_map(tmp_path):
    db = store.open_db(tmp_path / "kb.db", reading=False)
    try:
        default_cache = sqlite3.connect(":memory:").execute("PRAGMA cache_size").fetchone()[0]
        assert db.execute("PRAGMA cache_size").fetchone()[0] == default_cache
        assert db.execute("PRAGMA mmap_size").fetchone()[0] == 0
    finally:
        db.close()

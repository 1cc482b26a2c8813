"""Controls under one name across papers: a bare substrate that papers call "bare Cu
foil", "planar Cu" or "commercial Cu foil" is stored as "Cu foil", the paper's name kept
as an alias (and written by the export)."""

from __future__ import annotations

import pytest

from extractor import export, store
from extractor.controls import canonical_control
from extractor.types import CellTest, Extraction, Host, Measurement


@pytest.mark.parametrize("name, canonical", [
    ("bare Cu foil", "Cu foil"), ("planar Cu", "Cu foil"), ("bare Cu", "Cu foil"), ("Cu foil", "Cu foil"),
    ("commercial copper foil", "Cu foil"), ("pristine Li foils", "Li foil"), ("bare Li", "Li foil"),
    ("Cu mesh", "Cu mesh"), ("bare Ni foam", "Ni foam"), ("commercial carbon paper", "carbon paper"),
    ("planar stainless steel", "stainless steel"),
])
def test_bare_substrates_get_their_canonical_name(name, canonical):
    assert canonical_control(name) == canonical


@pytest.mark.parametrize("name", ["ZnO@NHC", "NHC", "Zn", "Ag-coated Cu foil", "Cu@Ag", "CNT film",
                                  "bare carbon nanofibers", "Li-Cu alloy", "bare"])
def test_other_names_are_not_substrates(name):
    assert canonical_control(name) is None


def _paper(db, name: str, control: str, value: float) -> int:
    from test_store import make_seg

    ex = Extraction(
        hosts=(Host(name="X@Y", kind="host"), Host(name=control, kind="control")),
        measurements=(Measurement(host=control, metric="cycle_count", value=value, unit="cycles",
                                  qualifier="eq", conditions=CellTest(cell_type="half"), raw=f"{value:g} cycles",
                                  sentence=2, start=0, end=3, evidence="It failed."),),
    )
    return store.save_document(db, make_seg(name), ex)


def test_the_same_control_of_two_papers_has_one_name_and_keeps_each_papers_name(tmp_path):
    db = store.open_db(tmp_path / "kb.db")
    first = _paper(db, "a.txt", "bare Cu foil", 60)
    second = _paper(db, "b.txt", "planar Cu", 45)
    controls = list(db.query("SELECT h.id, h.name, h.document_id FROM hosts h WHERE kind = 'control' ORDER BY id"))
    assert [c["name"] for c in controls] == ["Cu foil", "Cu foil"]
    aliases = {c["document_id"]: [a for (a,) in db.execute(
        "SELECT alias FROM host_aliases WHERE host_id = ? ORDER BY rowid", [c["id"]])] for c in controls}
    assert aliases == {first: ["bare Cu foil"], second: ["planar Cu"]}
    # the figure is the control's, and the export names the control as its paper does
    record = export.export_document(db, second)
    assert record["hosts"][1]["name"] == "planar Cu" and record["hosts"][1]["aliases"] == ["Cu foil"]
    assert record["performance"][0]["host"] == "planar Cu"
    db.close()


def test_a_control_keeps_its_name_when_the_paper_has_a_host_of_the_canonical_name(tmp_path):
    from test_store import make_seg

    db = store.open_db(tmp_path / "kb.db")
    ex = Extraction(hosts=(Host(name="Cu foil", kind="host"), Host(name="bare Cu", kind="control")))
    store.save_document(db, make_seg("c.txt"), ex)
    assert sorted(r["name"] for r in db.query("SELECT name FROM hosts")) == ["Cu foil", "bare Cu"]
    db.close()

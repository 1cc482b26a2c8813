"""Materials and host rules, on sentences written for these tests."""

import pytest

from extractor import materials as mat


@pytest.mark.parametrize(
    "sentence, short, long",
    [
        ("We grew nitrogen-doped porous carbon cages (NPCCs) on copper.", "NPCCs", "nitrogen-doped porous carbon cages"),
        ("A lithiophilic zinc oxide interlayer (ZOI) was sputtered.", "ZOI", "zinc oxide interlayer"),
        ("The hollow multishelled structure (HoMS) keeps Li inside.", "HoMS", "hollow multishelled structure"),
        ("solid electrolyte interphase (SEI) forms at once", "SEI", "solid electrolyte interphase"),
    ],
)
def test_abbreviation_definitions(sentence, short, long):
    found = {a.short: a.long for a in mat.find_abbreviations(sentence)}
    assert found.get(short) == long


@pytest.mark.parametrize(
    "sentence",
    ["The capacity reached 150 mAh g-1 (Figure 2a).", "This was reported before (ref 12).", "at 25 °C (RT)"],
)
def test_parentheses_that_define_nothing(sentence):
    assert [a.short for a in mat.find_abbreviations(sentence) if a.short.startswith(("Fig", "ref"))] == []
    assert all(a.short != "Figure" for a in mat.find_abbreviations(sentence))


@pytest.mark.parametrize(
    "name, expected",
    [
        ("Li@NPCCs", "npccs"), ("Li/ZnO@C", "zno@c"), ("Mo₂N", "mo2n"), ("Mo_{2}N", "mo2n"),
        ("$\\text{Mo}_2$N", "mo2n"), ("ZnO@C/Li", "zno@c"), ("Li–Ag@Cu", "ag@cu"), ("Li6PS5Cl", "li6ps5cl"),
    ],
)
def test_key_normalizes_spellings(name, expected):
    assert mat.key(name) == expected


@pytest.mark.parametrize("token", ["Li5.4Ag0.6PS5Cl", "Mo2N", "WN/Mo2N@HCN", "Ag@Cu", "Ti3C2Tx", "3S-Cu", "NPCCs", "ZnO"])
def test_material_tokens(token):
    assert mat.is_material_token(token, frozenset({"NPCCs"}))


@pytest.mark.parametrize("token", ["The", "Figure", "SEM", "CE", "XRD", "2023", "cycles", "Li"])
def test_not_material_tokens(token):
    assert not mat.is_material_token(token)


def _cands(sentence, abbreviations=()):
    return {(c.text, c.kind_hint) for c in mat.find_candidates(sentence, frozenset(abbreviations))}


def test_host_candidates_in_host_contexts():
    assert ("ZnO@NHC", "host") in _cands("The Li@ZnO@NHC anode kept a flat voltage profile.")
    assert ("Mo2N/W2N@C", "host") in _cands("Symmetric cells with Mo2N/W2N@C electrodes ran for 900 h.")
    assert ("NPCCs", "host") in _cands("The NPCCs||LFP full cell retained 90% of its capacity.", ["NPCCs"])
    assert ("3S-Cu HoMS", "host") in _cands("Cells with the 3S-Cu HoMS membrane stayed stable.", ["HoMS"])


def test_control_candidates():
    cands = _cands("In contrast, the bare Cu foil failed after 60 cycles while planar Cu lasted longer.")
    assert ("bare Cu foil", "control") in cands
    assert ("planar Cu", "control") in cands
    assert ("without additives", "control") in _cands("The cell without additives died after 40 h.")


def test_additive_candidates():
    assert ("naphthalene", "additive") in _cands("The cell with naphthalene cycled for 300 h.")
    assert not any(k == "additive" for _, k in _cands("The cell with high capacity cycled for 300 h."))


def test_cathodes_are_not_hosts():
    cands = _cands("The ZnO@NHC||LFP cell and the NCM811 electrode were tested.")
    assert all(not mat.is_cathode(t) for t, _ in cands)
    assert [c for c, _, _ in mat.find_cathodes("paired with NCM 811 and LFP cathodes")] == [
        "LiNi0.8Co0.1Mn0.1O2", "LiFePO4"]


def test_split_components():
    assert mat.split_components("WN/Mo2N@HCN") == ["WN", "Mo2N", "HCN"]
    assert mat.split_components("Ag@Cu") == ["Ag", "Cu"]
    assert mat.split_components("3S-Cu HoMS") == ["Cu", "HoMS"]


def test_formula_spellings():
    assert mat.formula_spellings("Mo2N") == ["Mo₂N", "Mo_2N", "Mo_{2}N"]
    assert "Li₅.₄Ag₀.₆PS₅Cl" in mat.formula_spellings("Li5.4Ag0.6PS5Cl")
    assert mat.formula_spellings("NHCNSs") == []


def test_expand_composition_series():
    assert mat.find_family_lists("The Li6-xAgxPS5Cl (x = 0, 0.2, 0.6) electrolytes") == [
        ["Li6PS5Cl", "Li5.8Ag0.2PS5Cl", "Li5.4Ag0.6PS5Cl"]]
    assert mat.expand_family("Na3-xKxVO4", 0.5) == "Na2.5K0.5VO4"


# ---------------------------------------------------------------- cathodes by grammar (issue 11)


@pytest.mark.parametrize("text, cathode", [
    ("the LiNi0.8Mn0.1Co0.1O2 cathode", "LiNi0.8Mn0.1Co0.1O2"),  # metals in another order
    ("a Li1.2Ni0.13Co0.13Mn0.54O2 cathode", "Li1.2Ni0.13Co0.13Mn0.54O2"),
    ("Sn@CF||LMO full cells", "LiMn2O4"),
    ("a Li–S cell", "S"),
    ("the Sn@CF||S cell", "S"),
    ("paired with a sulfur cathode", "S"),
])
def test_cathodes_by_grammar_and_vocabulary(text, cathode):
    from extractor.materials import find_cathodes

    assert [c for c, _, _ in find_cathodes(text)] == [cathode]


@pytest.mark.parametrize("text", ["Li2S deposits on the surface", "the NiS phase", "MoS2 flakes", "SnO2 particles",
                                  "S atoms of the binder"])
def test_sulfur_compounds_are_no_sulfur_cathode(text):
    from extractor.materials import find_cathodes

    assert find_cathodes(text) == []

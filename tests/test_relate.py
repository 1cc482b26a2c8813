"""Extraction rules, specified by sentences written for these tests.

Each case is a short results section (the rules skip introductions and methods for
figures) and the records it must give: (host, metric, value) plus the conditions
named in the case. Cases in NOTHING must give no figure at all.
"""

from __future__ import annotations

import pytest

from extractor.load_text import load_text
from extractor.relate import extract
from extractor.segment import segment


def run(body: str, intro: str = "", methods: str = ""):
    text = "A test paper on lithium anodes\n\n"
    if intro:
        text += "1. Introduction\n\n" + intro + "\n\n"
    if methods:
        text += "2. Experimental Section\n\n" + methods + "\n\n"
    text += "3. Results and Discussion\n\n" + body + "\n"
    return extract(segment(load_text("case.txt", text)))


def figures(ex):
    return {(m.host, m.metric, round(m.value, 3)) for m in ex.measurements}


def find(ex, metric, value):
    for m in ex.measurements:
        if m.metric == metric and abs(m.value - value) < 1e-6:
            return m
    raise AssertionError(f"no {metric}={value} in {sorted(figures(ex))}")


CASES = [
    # (body, expected figures, expected conditions of the first figure)
    (
        "Half cells of Li||NPCC were cycled at 0.5 mA cm−2 and 1 mAh cm−2. The NPCC electrode keeps an "
        "average Coulombic efficiency of 98.7% over 400 cycles.",
        {("NPCC", "coulombic_efficiency", 98.7)},
        {"cell_type": "half", "current_density": 0.5, "areal_capacity": 1.0, "cycles": 400},
    ),
    (
        "Symmetric cells with Li@ZnO@NHC electrodes show a voltage hysteresis of ≈14 mV and cycle stably for "
        "more than 1500 h at 2 mA cm-2 with 2 mAh cm-2.",
        {("ZnO@NHC", "overpotential", 14.0), ("ZnO@NHC", "cycling_time", 1500.0)},
        {"cell_type": "symmetric", "current_density": 2.0, "areal_capacity": 2.0},
    ),
    (
        "The nucleation overpotentials of bare Cu foil and Sn@CF electrodes are 58 and 12 mV, respectively.",
        {("bare Cu foil", "nucleation_overpotential", 58.0), ("Sn@CF", "nucleation_overpotential", 12.0)},
        {},
    ),
    (
        "Paired with an LFP cathode, the Li@MXA||LFP full cell delivers 151.2 mAh g-1 at 1 C and keeps 91.5% "
        "of its initial capacity after 300 cycles.",
        {("MXA", "specific_capacity", 151.2), ("MXA", "capacity_retention", 91.5)},
        {"cell_type": "full", "c_rate": 1.0, "cathode": "LiFePO4"},
    ),
    (
        "In the rate test the Li@GCF||NCM811 cell gives 190.5, 181.0 and 160.2 mAh g-1 at 0.2, 0.5 and 1 C, "
        "respectively.",
        {("GCF", "specific_capacity", 190.5), ("GCF", "specific_capacity", 181.0), ("GCF", "specific_capacity", 160.2)},
        {"cell_type": "full", "c_rate": 0.2, "cathode": "LiNi0.8Co0.1Mn0.1O2"},
    ),
    (
        "The Li@CNT-Ag||LFP cell decays by only 0.031% per cycle over 800 cycles at 2 C.",
        {("CNT-Ag", "capacity_decay_rate", 0.031)},
        {"cell_type": "full", "c_rate": 2.0, "cycles": 800},
    ),
    (
        "The critical current density of the Li|LLZO-CP|Li cell reaches 6.5 mA cm-2.",
        {("LLZO-CP", "max_current_density", 6.5)},
        {},
    ),
    (
        "The charge-transfer resistance of the Li@VN-G electrode is 12.4 Ω, far below that of bare Cu foil (45.8 Ω).",
        {("VN-G", "charge_transfer_resistance", 12.4), ("bare Cu foil", "charge_transfer_resistance", 45.8)},
        {},
    ),
    (
        "A pouch cell built with the Li@VN-G anode and an NCM811 cathode reaches an energy density of 402 Wh kg-1.",
        {("VN-G", "energy_density", 402.0)},
        {"cell_type": "pouch", "cathode": "LiNi0.8Co0.1Mn0.1O2"},
    ),
    (
        "The cell with bare Cu foil fails after 90 cycles, whereas the cell with the CoN@C host runs stably for "
        "over 700 cycles.",
        {("bare Cu foil", "cycle_count", 90.0), ("CoN@C", "cycle_count", 700.0)},
        {},
    ),
    (
        "The activation energy for Li+ desolvation on TiN@C is 0.41 eV.",
        {("TiN@C", "activation_energy", 39.559)},
        {},
    ),
    (
        "Plating at 0.5 mA cm-2 gives a nucleation overpotential of 11 mV on Li@SnO2@CF, 35 mV on Li@CF and "
        "64 mV on bare Cu foil.",
        {("SnO2@CF", "nucleation_overpotential", 11.0), ("CF", "nucleation_overpotential", 35.0),
         ("bare Cu foil", "nucleation_overpotential", 64.0)},
        {"current_density": 0.5},
    ),
    (
        "The Li@NPCC electrode keeps a Coulombic efficiency of 99.0% over 400 cycles. The undoped Li@PCC "
        "electrode reaches 97.4% over 150 cycles.",
        {("NPCC", "coulombic_efficiency", 99.0), ("PCC", "coulombic_efficiency", 97.4)},
        {},
    ),
    (
        "At 5 C the Li@FeN-C||LFP cell still delivers 118.3 mAh g-1 vs 75.6 mAh g-1 for the cell with bare Cu foil.",
        {("FeN-C", "specific_capacity", 118.3), ("bare Cu foil", "specific_capacity", 75.6)},
        {"cell_type": "full", "c_rate": 5.0},
    ),
]


@pytest.mark.parametrize("body, expected, conditions", CASES, ids=[c[0][:40] for c in CASES])
def test_sentence_gives_records(body, expected, conditions):
    ex = run(body)
    got = figures(ex)
    missing = expected - got
    assert not missing, f"missing {missing}; got {sorted(got)}"
    extra = {g for g in got if g not in expected}
    assert not extra, f"unexpected {extra}"
    if conditions:
        host, metric, value = sorted(expected)[0] if len(expected) == 1 else next(iter(sorted(expected, key=lambda e: body.find(str(e[2]).rstrip("0").rstrip(".")))))
        m = find(ex, metric, value)
        for field, want in conditions.items():
            assert getattr(m.conditions, field) == pytest.approx(want) if isinstance(want, float) else getattr(m.conditions, field) == want, (field, m.conditions)


NOTHING = [
    # background values, theory and DFT, methods conditions, cut-off voltages, characterization
    "Li metal offers a theoretical specific capacity of 3860 mAh g-1 and a potential of -3.04 V vs SHE.",
    "DFT calculations give a binding energy of -2.35 eV for Li on pyridinic nitrogen.",
    "The cells were cycled between 2.8 and 4.3 V at 25 °C.",
    "The particles have a diameter of about 200 nm as shown in Figure 2a.",
    "The XRD pattern shows peaks at 26.4° and 44.5°.",
]


@pytest.mark.parametrize("body", NOTHING, ids=[b[:40] for b in NOTHING])
def test_sentences_that_must_give_nothing(body):
    assert figures(run(body)) == set()


def test_introduction_values_are_not_results():
    ex = run("The NPCC electrode reaches 99.1% Coulombic efficiency over 300 cycles.",
             intro="Earlier hosts such as graphene foams reached 98.0% Coulombic efficiency over 100 cycles.")
    assert ("NPCC", "coulombic_efficiency", 99.1) in figures(ex)
    assert all(v != 98.0 for _, _, v in figures(ex))


def test_conditions_carry_within_a_paragraph_and_methods_give_document_wide_ones():
    ex = run(
        "Symmetric cells were tested at 3 mA cm-2 and 3 mAh cm-2. Under these conditions the Li@MoN@C cell "
        "shows an overpotential of only 19 mV.",
        methods="The electrolyte was 1 M LiTFSI in DOL/DME (1:1 by volume) with 2 wt% LiNO3. All cells were "
        "tested at 25 °C.",
    )
    m = find(ex, "overpotential", 19)
    assert (m.host, m.conditions.cell_type, m.conditions.current_density, m.conditions.areal_capacity) == (
        "MoN@C", "symmetric", 3.0, 3.0)
    assert m.conditions.electrolyte and "LiTFSI" in m.conditions.electrolyte
    assert m.conditions.temperature == 25.0


def test_repeated_figure_is_one_record_with_the_richest_conditions():
    ex = run(
        "The NPCC host reaches a Coulombic efficiency of 99.2%.\n\n"
        "In Li||NPCC half cells at 1 mA cm-2 and 1 mAh cm-2 the Coulombic efficiency is 99.2% over 500 cycles."
    )
    ce = [m for m in ex.measurements if m.metric == "coulombic_efficiency"]
    assert len(ce) == 1
    assert ce[0].conditions.current_density == 1.0 and ce[0].conditions.cycles == 500


def test_hosts_are_classified_and_aliased():
    ex = run(
        "Nitrogen-doped porous carbon cages (NPCCs) serve as the host. The Li@NPCCs electrode keeps a Coulombic "
        "efficiency of 99.0% over 300 cycles, while the bare Cu foil drops to 85.0% after 60 cycles."
    )
    kinds = {h.name: h.kind for h in ex.hosts}
    assert kinds.get("NPCCs") == "host"
    assert kinds.get("bare Cu foil") == "control"
    npcc = next(h for h in ex.hosts if h.name == "NPCCs")
    assert "Nitrogen-doped porous carbon cages" in npcc.aliases


def test_evidence_is_the_stating_sentence():
    ex = run("The Li@ZnO@NHC electrode keeps a Coulombic efficiency of 98.9% over 250 cycles.")
    m = find(ex, "coulombic_efficiency", 98.9)
    assert "98.9%" in m.evidence and m.evidence.startswith("The Li@ZnO@NHC")
    assert m.raw == "98.9%"


def test_synthesis_steps_in_order_with_conditions():
    ex = run(
        "The ZnO@NHC electrode keeps a Coulombic efficiency of 98.9% over 250 cycles.",
        methods="Synthesis of ZnO@NHC. SiO2 spheres were coated with polydopamine and carbonized at 800 °C for "
        "2 h under Ar. The SiO2 template was then etched in 10% HF. Zinc nitrate was infiltrated and the powder "
        "was annealed at 350 °C in air to give ZnO@NHC.",
    )
    route = next(r for r in ex.synthesis if r.host == "ZnO@NHC")
    methods = [s.method for s in route.steps]
    assert methods.index("carbonization") < methods.index("etching") < methods.index("annealing")
    carb = next(s for s in route.steps if s.method == "carbonization")
    assert carb.temperature_c == 800 and carb.atmosphere == "Ar"


@pytest.mark.parametrize(
    "body, expected",
    [
        ("The NPCC powder has a BET surface area of 642 m2 g-1 and a pore volume of 0.41 cm3 g-1.",
         {("specific_surface_area", 642.0, "m²/g"), ("pore_volume", 0.41, "cm³/g")}),
        ("TEM shows NPCC spheres with an average hollow cavity diameter of 310 nm and a shell thickness of 25 nm.",
         {("cavity_size", 310.0, "nm"), ("shell_thickness", 25.0, "nm")}),
        ("Electrolyte spreads at once on the NPCC film, with a contact angle of 12°.", {("contact_angle", 12.0, "°")}),
        ("After plating 5 mAh cm-2 the NPCC electrode is about 28 µm thick.", {("thickness", 28.0, "µm")}),
    ],
)
def test_properties_from_sentences(body, expected):
    ex = run("The Li@NPCC electrode keeps a Coulombic efficiency of 99.0% over 300 cycles. " + body)
    got = {(p.property, round(p.value, 3), p.unit) for p in ex.properties}
    assert expected <= got, got
    assert all(p.material == "NPCC" for p in ex.properties)


def test_fabrication_settings_are_not_properties():
    ex = run("The Li@NPCC electrode keeps a Coulombic efficiency of 99.0% over 300 cycles.",
             methods="The slurry was cast onto Cu foil at a thickness of 150 µm and dried at 80 °C.")
    assert [p for p in ex.properties if p.property == "thickness"] == []


@pytest.mark.parametrize(
    "methods_text, expected, absent",
    [
        ("Cu foam was treated in 2 M HCl for 10 min and then immersed in 10 mM AgNO3 solution for 30 s.",
         ["etching", "galvanic_replacement"], []),
        ("The carbon powder was immersed in a zinc nitrate solution, dried and annealed at 300 °C in Ar.",
         ["annealing"], ["galvanic_replacement"]),
        ("Glucose and sodium molybdate were dissolved in water, sealed in a Teflon-lined autoclave and heated at "
         "180 °C for 12 h.", ["hydrothermal"], []),
        ("The silica template was removed with 5 wt% HF.", ["etching"], ["mixing"]),
        ("The film was annealed at 250 °C under Ar/H2 for 1 h.", ["annealing"], ["reduction"]),
        # an autoclave with a solvent is solvothermal, not also hydrothermal
        ("The precursors in ethanol were kept solvothermally in an autoclave at 150 °C.", ["solvothermal"], ["hydrothermal"]),
        # "the coated meshes were annealed": an adjective, not a coating step
        ("The coated meshes were annealed at 150 °C for 1 h.", ["annealing"], ["coating"]),
        ("The slurry was spray-coated onto the carbon cloth.", ["coating"], []),
        # a control's preparation is no step of the design
        ("The etched bare mesh served as control.", [], ["etching"]),
        ("The slurry was doctor-bladed onto the carbon cloth.", ["coating"], []),
        ("A drop of the alloy was spread on the cleaned foil with a blade.", ["coating"], []),
        ("The two metals were melted together at 60 °C.", ["mixing"], []),
        ("The copper foil was cleaned in dilute acetic acid.", ["etching"], []),
        ("The copper foil was rinsed in ethanol.", [], ["etching"]),
    ],
)
def test_synthesis_method_cues(methods_text, expected, absent):
    ex = run("The ZnO@NHC electrode keeps a Coulombic efficiency of 98.9% over 250 cycles.",
             methods="Synthesis of ZnO@NHC. " + methods_text)
    methods = [s.method for r in ex.synthesis for s in r.steps]
    for m in expected:
        assert m in methods, methods
    for m in absent:
        assert m not in methods, methods


def test_a_variant_made_with_one_change_shares_the_designs_route():
    ex = run(
        "The ZnO@NHC-700 half cell keeps a CE of 98.9% over 250 cycles, and the ZnO@NHC-700 symmetric cell "
        "runs for 900 h. ZnO@NHC-500 and ZnO@NHC-900 deliver CEs of 97.8% and 98.1% in half cells, respectively.",
        methods="Synthesis of ZnO@NHC-700. SiO2 spheres were coated with polydopamine and carbonized at 700 °C "
        "for 2 h under Ar. The SiO2 template was then etched in 10% HF. For comparison, ZnO@NHC-500 and "
        "ZnO@NHC-900 were carbonized at 500 °C and 900 °C.",
    )
    routes = {r.host: [s.method for s in r.steps] for r in ex.synthesis}
    assert routes["ZnO@NHC-500"] == routes["ZnO@NHC-900"] == routes["ZnO@NHC-700"]
    assert {"coating", "carbonization", "etching"} <= set(routes["ZnO@NHC-500"])


def test_a_control_of_another_kind_does_not_share_the_route():
    ex = run(
        "The ZnO@NHC half cell keeps a CE of 98.9% over 250 cycles. Commercial Cu NPs electrodes deliver a CE "
        "of 95.0% in half cells.",
        methods="Synthesis of ZnO@NHC. SiO2 spheres were coated with polydopamine and carbonized at 700 °C.",
    )
    assert "Cu NPs" not in {r.host for r in ex.synthesis}


def test_a_composition_only_computed_gets_no_route():
    ex = run(
        "The ZnO@NHC-700 half cell keeps a CE of 98.9% over 250 cycles. DFT shows that ZnO@NHC-600 would "
        "keep a CE of 97.0% in half cells.",
        methods="Synthesis of ZnO@NHC-700. SiO2 spheres were coated with polydopamine and carbonized at 700 °C.",
    )
    assert "ZnO@NHC-600" not in {r.host for r in ex.synthesis}


def test_the_substrate_a_design_is_coated_onto_is_a_control_without_a_route():
    ex = run(
        "The PE cell fails after 40 cycles, whereas the ZrN-PE cell keeps a CE of 98.1% over 200 cycles at "
        "1 mA cm-2 in half cells.",
        methods="Preparation of ZrN-PE. ZrN powder was mixed with PVDF in NMP, and the slurry was coated onto "
        "the PE separator with a doctor blade.",
    )
    kinds = {h.name: h.kind for h in ex.hosts}
    assert kinds["PE"] == "control" and kinds["ZrN-PE"] == "host"
    assert {r.host for r in ex.synthesis} == {"ZrN-PE"}


def test_a_step_on_a_component_in_the_methods_is_a_step_of_the_design():
    ex = run(
        "The ZnO@P-Cu half cell keeps a CE of 99.1% over 400 cycles at 1 mA cm-2.",
        methods="The printed copper lattices (P-Cu) were etched in 1 M HCl. ZnO was then deposited on P-Cu by "
        "atomic layer deposition at 150 °C, and the coated lattices were annealed at 300 °C in Ar.",
    )
    route = next(r for r in ex.synthesis if r.host == "ZnO@P-Cu")
    assert {"atomic_layer_deposition", "annealing"} <= {s.method for s in route.steps}

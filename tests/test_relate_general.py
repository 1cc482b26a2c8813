"""How authors write, one rule at a time (issue 11's error classes).

Every rule has a sentence composed for it and a negative one: sweeps aligned with
"respectively", contrast clauses, full cells that do not inherit a half cell's
conditions, cathode loadings, retention without the word, implausible values.
"""

from __future__ import annotations

import pytest

from tests.test_relate import figures, find, run


def conditions_of(ex, metric, value):
    return find(ex, metric, value).conditions


# ---------------------------------------------------------------- sweeps


def test_sweep_gives_each_value_its_own_current_density():
    ex = run("For the Sn@CF electrode, the nucleation overpotentials at 0.1, 0.3, 1 and 4 mA cm-2 were "
             "17, 25, 38 and 71 mV, respectively.")
    got = {(m.value, m.conditions.current_density) for m in ex.measurements}
    assert got == {(17, 0.1), (25, 0.3), (38, 1.0), (71, 4.0)}


def test_sweep_of_areal_capacities_is_aligned_too():
    ex = run("Symmetric cells of Sn@CF at 1 mA cm-2 show hysteresis of 14 and 22 mV at 1 and 3 mAh cm-2, respectively.")
    assert conditions_of(ex, "overpotential", 14).areal_capacity == 1.0
    assert conditions_of(ex, "overpotential", 22).areal_capacity == 3.0


def test_one_condition_stated_twice_is_not_a_sweep():
    ex = run("At 1 C the Sn@CF||LFP cell gives 150 and 139 mAh g-1 before and after 200 cycles at 1 C.")
    assert {m.conditions.c_rate for m in ex.measurements} == {1.0}


# ---------------------------------------------------------------- contrast clauses


def test_hosts_of_the_contrast_clause_take_its_values_in_order():
    ex = run("In full cells with LFP at 1 C, the Li/Cu cell decays after 250 cycles, while the Li@Sn@CF and "
             "Li@Ag@CF cells keep 71% and 55% after 500 cycles.")
    got = figures(ex)
    assert ("Sn@CF", "capacity_retention", 71.0) in got
    assert ("Ag@CF", "capacity_retention", 55.0) in got
    assert ("Cu", "cycle_count", 250.0) in got


def test_controls_listed_with_failure_times():
    ex = run("Symmetric cells with Sn@CF run for 900 h at 1 mA cm-2. In contrast, the Cu foam and Ni foam "
             "anodes fail after 430 h and 515 h, respectively.")
    got = figures(ex)
    assert {("Cu foam", "cycling_time", 430.0), ("Ni foam", "cycling_time", 515.0)} <= got


def test_failure_hours_without_a_cell_are_not_cycling_time():
    # negative: a time that is a synthesis duration, not a failure point
    assert figures(run("The Sn@CF precursor was dried and held for 12 h before use.")) == set()


# ---------------------------------------------------------------- full cells, loadings


def test_full_cell_does_not_inherit_the_half_cell_conditions_of_the_paragraph():
    ex = run("Half cells with Sn@CF reach a CE of 99.0% at 1 mA cm-2 and 1 mAh cm-2. Full cells of "
             "Sn@CF||NCM811 retain 85% after 200 cycles at 0.5 C.")
    full = conditions_of(ex, "capacity_retention", 85)
    assert full.cell_type == "full" and full.current_density is None and full.areal_capacity is None
    half = conditions_of(ex, "coulombic_efficiency", 99.0)
    assert half.current_density == 1.0 and half.areal_capacity == 1.0


def test_conditions_of_an_unnamed_cell_still_carry():
    # negative of the rule above: the first sentence names no cell, so its conditions carry
    ex = run("All cells were run at 2 mA cm-2 and 1 mAh cm-2 in this series. The Sn@CF half cell keeps a CE of 98.8%.")
    assert conditions_of(ex, "coulombic_efficiency", 98.8).current_density == 2.0


def test_cathode_loading_is_not_the_plated_capacity():
    # a full cell's areal capacity is its cathode's (as the gold records it), never a plated capacity of the Li cells
    ex = run("The Sn@CF||NCM811 full cell with a cathode loading of 3.2 mAh cm-2 retains 85% after 200 cycles at 0.5 C. "
             "The Sn@CF half cell keeps a CE of 98.4% at 1 mA cm-2.")
    assert conditions_of(ex, "capacity_retention", 85).areal_capacity == 3.2
    assert conditions_of(ex, "coulombic_efficiency", 98.4).areal_capacity is None
    ex = run("The Sn@CF half cell cycled with a plating capacity of 3 mAh cm-2 keeps a CE of 98.1%.")
    assert conditions_of(ex, "coulombic_efficiency", 98.1).areal_capacity == 3.0


# ---------------------------------------------------------------- what a figure is


def test_keeping_a_share_of_capacity_in_a_full_cell_is_retention():
    ex = run("The Sn@CF||LFP full cell keeps 92% of its capacity after 400 cycles at 1 C.")
    assert ("Sn@CF", "capacity_retention", 92.0) in figures(ex)
    assert not any(m.metric == "coulombic_efficiency" for m in ex.measurements)


def test_maintaining_a_coulombic_efficiency_stays_ce():
    ex = run("The Sn@CF||LFP full cell maintains a Coulombic efficiency of 99.8% over 400 cycles at 1 C.")
    assert ("Sn@CF", "coulombic_efficiency", 99.8) in figures(ex)


@pytest.mark.parametrize("body", [
    "The Sn@CF half cell reaches a CE > 100% in the first cycles, a sign of side reactions.",
    "The bare Cu half cell shows a Coulombic efficiency of 104% due to parasitic reactions.",
])
def test_implausible_values_are_not_figures(body):
    assert figures(run(body)) == set()


# ---------------------------------------------------------------- host names and references


def test_a_short_label_glued_to_a_name_belongs_to_it():
    ex = run("Cu–Ag(3) electrodes were made by sputtering. Half cells with Cu–Ag(3) deliver a CE of 98.9% for "
             "250 cycles at 0.5 mA cm-2.")
    assert {m.host for m in ex.measurements} == {"Cu-Ag(3)"}


def test_a_parenthesis_after_a_space_is_not_part_of_the_name():
    ex = run("The ZnO@CC electrode (Fig. 3b) keeps a CE of 98.4% at 1 mA cm-2 in half cells.")
    assert {m.host for m in ex.measurements} == {"ZnO@CC"}


def test_generic_reference_resolves_to_the_papers_design_not_the_last_control():
    ex = run("Symmetric cells of MoN@CC run for 800 h at 1 mA cm-2. Bare Cu shows a CE that drops below 80% "
             "after 50 cycles. The modified electrode, by contrast, keeps a CE of 99.1% over 300 cycles at 1 mA cm-2.")
    assert ("MoN@CC", "coulombic_efficiency", 99.1) in figures(ex)
    assert not any(m.value == 99.1 and m.host != "MoN@CC" for m in ex.measurements)


def test_a_named_host_after_the_generic_phrase_wins():
    # negative: the generic phrase comes first, the control is named right before the value
    ex = run("Symmetric cells of MoN@CC run for 800 h at 1 mA cm-2. Unlike the composite anode, bare Cu "
             "fails after 120 h.")
    assert ("bare Cu", "cycling_time", 120.0) in figures(ex)


def test_li_cu_half_cell_notation_is_not_the_bare_cu_control():
    ex = run("In Li||Cu half cells, the Sn@CF electrode gives a CE of 98.2% at 1 mA cm-2.")
    assert figures(ex) == {("Sn@CF", "coulombic_efficiency", 98.2)}
    ex = run("The Li-Cu cells with the Sn@CF separator keep a CE of 97.7% at 1 mA cm-2.")
    assert figures(ex) == {("Sn@CF", "coulombic_efficiency", 97.7)}


def test_a_modifier_makes_any_material_a_control():
    ex = run("The overpotential of the symmetric cell with the pristine PE separator rises to 210 mV, "
             "while the cell with the ZrN-coated separator stays at 35 mV.")
    got = figures(ex)
    assert ("pristine PE separator", "overpotential", 210.0) in got
    assert ("ZrN", "overpotential", 35.0) in got
    assert {h.name: h.kind for h in ex.hosts}["pristine PE separator"] == "control"


def test_suspended_hyphens_name_each_coated_material_and_share_one_value():
    ex = run("The stable CEs of the half cells with the TiO2- and ZrO2-coated separators last until 140 cycles "
             "at 1 mA cm-2.")
    assert {("TiO2", "cycle_count", 140.0), ("ZrO2", "cycle_count", 140.0)} <= figures(ex)


def test_one_value_after_hosts_joined_by_a_comma_clause_is_not_shared():
    # negative: "compared with A, B ..." is no coordination
    ex = run("Compared with bare Cu, the ZrN@CF half cell keeps a CE of 98.6% over 200 cycles at 1 mA cm-2.")
    assert {m.host for m in ex.measurements if m.metric == "coulombic_efficiency"} == {"ZrN@CF"}


def test_a_formula_with_a_prefix_is_another_material():
    ex = run("Half cells with the n-TiO2-coated separator give a CE of 97.5% at 1 mA cm-2, "
             "and those with the TiO2-coated separator 93.1%.")
    hosts = {h.name for h in ex.hosts}
    assert {"n-TiO2", "TiO2"} <= hosts


def test_results_discussed_under_an_unrecognised_heading_are_still_read():
    text = ("A test paper on lithium anodes\n\n1. Introduction\n\nHosts matter for lithium anodes.\n\n"
            "Fig. 4(a) shows that the ZrN@CF half cell keeps a CE of 98.6% over 200 cycles at 1 mA cm-2.\n")
    from extractor.load_text import load_text
    from extractor.relate import extract
    from extractor.segment import segment

    ex = extract(segment(load_text("case.txt", text)))
    assert ("ZrN@CF", "coulombic_efficiency", 98.6) in figures(ex)


def test_introduction_citing_others_without_own_figures_stays_introduction():
    ex = run("The ZrN@CF half cell keeps a CE of 98.6% over 200 cycles at 1 mA cm-2.",
             intro="A carbon host reported earlier reached a CE of 97.0% over 100 cycles (Fig. 1).")
    assert all(m.value != 97.0 for m in ex.measurements)


# ---------------------------------------------------------------- names the paper gives


@pytest.mark.parametrize("sentence, names", [
    ("Cobalt nitride nanowires on nickel foam (hereafter named CoN-NF) served as the host.", ["CoN-NF"]),
    ("Three carbon hosts were prepared and labelled as G-400, G-600 and G-800.", ["G-400", "G-600", "G-800"]),
    ("Single nickel atoms anchored in hollow carbon spheres, denoted Ni-SA/HCS, were made.", ["Ni-SA/HCS"]),
    ("The ZnO-coated carbon cloth is abbreviated as ZnO@CC below.", ["ZnO@CC"]),
    ("Tin-coated nickel foam (Sn/NiF) was pressed.", ["Sn/NiF"]),
])
def test_naming_words_define_a_design(sentence, names):
    from extractor.materials import find_abbreviations, is_design_definition

    found = [a for a in find_abbreviations(sentence) if is_design_definition(a)]
    assert [a.short for a in found] == names


@pytest.mark.parametrize("sentence", [
    "The peak is named after the D band of carbon.",
    "Electrochemical impedance spectroscopy (EIS) was measured at open circuit.",
    "The sample is denoted as S1 in the following table.",
])
def test_sentences_that_define_no_design(sentence):
    from extractor.materials import find_abbreviations, is_design_definition

    assert not [a for a in find_abbreviations(sentence) if is_design_definition(a)]


def test_a_defined_name_is_a_host_wherever_it_is_written():
    ex = run("Three carbon hosts were made and labelled as G-400, G-600 and G-800. G-600 shows a CE of 98.7% "
             "at 1 mA cm-2 in half cells, higher than G-400 (97.1%) and G-800 (96.5%).")
    assert {("G-600", "coulombic_efficiency", 98.7), ("G-400", "coulombic_efficiency", 97.1),
            ("G-800", "coulombic_efficiency", 96.5)} <= figures(ex)


def review(body: str):
    from extractor.load_text import load_text
    from extractor.relate import extract
    from extractor.segment import segment

    text = ("Hosts for lithium metal anodes: a review\n\nAbstract\n\nThis review compares hosts.\n\n"
            "1. Introduction\n\nLithium anodes need hosts.\n\n2. Carbon hosts\n\n" + body + "\n")
    return extract(segment(load_text("review.txt", text)))


def test_a_review_credits_each_figure_to_the_design_its_sentence_names():
    ex = review("Hollow carbon spheres (HCS) reached a CE of 99.2% over 500 cycles at 1 mA cm-2 [4]. "
                "Vertical graphene on carbon cloth (VG@CC) failed after 900 h in symmetric cells [5]. "
                "The resulting electrode kept 80% after 200 cycles in full cells with LFP [5].")
    got = figures(ex)
    assert ("HCS", "coulombic_efficiency", 99.2) in got
    assert ("VG@CC", "cycling_time", 900.0) in got
    assert ("VG@CC", "capacity_retention", 80.0) in got  # "the resulting electrode": the work just named
    assert {h.kind for h in ex.hosts if h.name in ("HCS", "VG@CC")} == {"cited"}


def test_a_review_gives_no_figure_to_an_unnamed_design():
    ex = review("Hosts in general keep a CE above 99.0% over 300 cycles at 1 mA cm-2.")
    assert figures(ex) == set()


def test_a_new_work_in_a_review_does_not_inherit_the_previous_works_conditions():
    ex = review("Hollow carbon spheres (HCS) ran for 700 h at 3 mA cm-2 in symmetric cells [4]. "
                "Graphene foam (GF) ran for 500 h in symmetric cells [5].")
    assert find(ex, "cycling_time", 500).conditions.current_density is None


# ---------------------------------------------------------------- subjects, name boundaries, comparisons


def test_subjects_of_result_verbs_are_hosts_with_their_coordinated_names():
    ex = run("Symmetric cells of Sn@CF run for 900 h at 1 mA cm-2. Under identical conditions, Sn@CF-300 and "
             "Sn@CF-500 deliver average CEs of 97.4% and 98.2% in half cells, respectively.")
    got = figures(ex)
    assert {("Sn@CF-300", "coulombic_efficiency", 97.4), ("Sn@CF-500", "coulombic_efficiency", 98.2)} <= got


def test_a_lowercase_word_before_a_verb_is_no_subject():
    from extractor.materials import find_candidates

    assert not [c for c in find_candidates("The electrolyte shows a CE of 97.0% in half cells.", frozenset())
                if c.context == "subject"]


@pytest.mark.parametrize("text, host", [
    ("Half cells with Cu-In(4) keep a CE of 96.5% at 1 mA cm-2.", "Cu-In(4)"),
    ("Half cells with Cu-In keep a CE of 97.9% at 1 mA cm-2.", "Cu-In"),
])
def test_a_mention_ends_where_the_name_ends(text, host):
    ex = run("Cu-In electrodes and Cu-In(4) electrodes were both made. " + text)
    assert {m.host for m in ex.measurements} == {host}


def test_a_name_paired_with_a_cathode_is_still_mentioned():
    ex = run("The Sn@CF-NCM811 full cell gives 190 mAh g-1 at 0.1 C.")
    assert ("Sn@CF", "specific_capacity", 190.0) in figures(ex)


def test_a_host_after_than_does_not_take_the_value_before_it():
    ex = run("Symmetric cells of Sn@CF run for 900 h at 1 mA cm-2. The overpotential of this cell stays at 14 mV, "
             "much smaller than that of the pristine PE separator (48 mV).")
    assert ("Sn@CF", "overpotential", 14.0) in figures(ex)
    assert ("pristine PE separator", "overpotential", 48.0) in figures(ex)


def test_a_hyphenated_description_refers_to_the_papers_design():
    ex = run("The Cu-In mesh runs for 900 h in symmetric cells at 1 mA cm-2. Planar Cu fails after 120 h. "
             "At -20 °C, the full cell built with the indium-seeded mesh still delivers 141 mAh g-1 at 0.5 C with LFP.")
    assert ("Cu-In", "specific_capacity", 141.0) in figures(ex)


def test_by_comparison_carries_the_metric_of_the_sentence_before():
    ex = run("The overpotentials of Sn@CF at 0.5, 1 and 2 mA cm-2 are 8, 11 and 16 mV, respectively. "
             "Bare Li, by comparison, shows 24, 41 and 70 mV at 0.5, 1 and 2 mA cm-2.")
    got = figures(ex)
    assert {("bare Li", "overpotential", 24.0), ("bare Li", "overpotential", 70.0)} <= got
    assert find(ex, "overpotential", 41).conditions.current_density == 1.0


def test_without_a_comparison_word_the_metric_is_not_carried():
    ex = run("The overpotentials of Sn@CF at 0.5 and 1 mA cm-2 are 8 and 11 mV, respectively. "
             "The cells were then rested and measured at 24 mV.")
    assert all(m.value != 24 for m in ex.measurements)


def test_the_same_value_under_other_conditions_is_another_figure():
    ex = run("The overpotentials of Sn@CF at 0.5 and 1 mA cm-2 are 8 and 11 mV, respectively. "
             "At 3 mA cm-2 and 3 mAh cm-2, the Sn@CF symmetric cell keeps an overpotential of 11 mV for 500 h.")
    assert sorted(m.conditions.current_density for m in ex.measurements if m.metric == "overpotential" and m.value == 11) == [1.0, 3.0]


# ---------------------------------------------------------------- conditions from the methods


def test_the_methods_plated_capacity_applies_to_that_kind_of_cell():
    ex = run("The Sn@CF half cell keeps a CE of 98.4% at 1 mA cm-2. The Sn@CF symmetric cell runs for 800 h.",
             methods="Plating/stripping tests of Li||Cu cells were conducted with an areal capacity of 2 mAh cm-2.")
    assert find(ex, "coulombic_efficiency", 98.4).conditions.areal_capacity == 2.0
    assert find(ex, "cycling_time", 800).conditions.areal_capacity is None  # a symmetric cell: not stated


def test_two_plated_capacities_in_the_methods_give_none():
    ex = run("The Sn@CF half cell keeps a CE of 98.4% at 1 mA cm-2.",
             methods="Li||Cu cells were cycled with 1 mAh cm-2 and with 3 mAh cm-2.")
    assert find(ex, "coulombic_efficiency", 98.4).conditions.areal_capacity is None


def test_each_statement_of_a_sentence_keeps_its_own_conditions():
    ex = run("The Sn@CF symmetric cell runs for 1200 h at 1 mA cm-2 and 1 mAh cm-2, and for 600 h at "
             "5 mA cm-2 and 5 mAh cm-2.")
    long_run, short_run = find(ex, "cycling_time", 1200).conditions, find(ex, "cycling_time", 600).conditions
    assert (long_run.current_density, long_run.areal_capacity) == (1.0, 1.0)
    assert (short_run.current_density, short_run.areal_capacity) == (5.0, 5.0)


def test_a_semicolon_ends_a_statements_conditions():
    ex = run("At 3 mA cm-2, the Sn@CF half cell keeps a CE of 98.5% for 300 cycles; at 1 mA cm-2 the CE is 99.1%.")
    assert find(ex, "coulombic_efficiency", 98.5).conditions.current_density == 3.0
    assert find(ex, "coulombic_efficiency", 99.1).conditions.current_density == 1.0


def test_a_cathode_capacity_named_after_its_number_is_no_plated_capacity():
    ex = run("The Sn@CF||NCM811 full cell (N/P ratio of 2, 3 mAh cm-2 cathode) retains 80% after 150 cycles at 0.3 C.")
    assert find(ex, "capacity_retention", 80).conditions.areal_capacity is None


def test_the_highest_current_density_is_also_the_condition_of_what_ran_at_it():
    ex = run("Even at a high current density of 20 mA cm-2, the Sn@CF symmetric cell cycles stably for 300 h.")
    assert find(ex, "cycling_time", 300).conditions.current_density == 20.0


def test_a_compared_value_is_no_condition_of_the_first():
    ex = run("The exchange current density of Sn@CF is 1.2 mA cm-2, higher than that of bare Cu (0.4 mA cm-2).")
    assert find(ex, "exchange_current_density", 1.2).conditions.current_density is None


@pytest.mark.parametrize("body, kept", [
    ("The Sn@CF||S cell delivers an initial capacity of 1250 mAh g-1 at 0.2 C.", True),
    ("The Sn@CF||LFP cell delivers an initial capacity of 1250 mAh g-1 at 0.2 C.", False),  # no such LFP
    ("Li metal offers 3860 mAh g-1, and the Li–S cell with Sn@CF gives 1100 mAh g-1 at 0.1 C.", True),
])
def test_capacities_above_1000_need_a_sulfur_cathode(body, kept):
    values = {m.value for m in run(body).measurements if m.metric == "specific_capacity"}
    assert (max(values, default=0) >= 1000) == kept and 3860 not in values


def test_cycles_after_a_resistance_are_its_condition_not_a_cycle_life():
    ex = run("The charge transfer resistance of the Sn@CF symmetric cell decreases to 15.2 Ω after 10 cycles.")
    assert figures(ex) == {("Sn@CF", "charge_transfer_resistance", 15.2)}
    assert find(ex, "charge_transfer_resistance", 15.2).conditions.cycles == 10


@pytest.mark.parametrize("body", [
    "The Sn@CF films showed the highest doping efficiency of 30% at low doping levels.",
    "Transmittances higher than 80% were reached for the Sn@CF films in the visible range.",
    "Long purge times of 2 h gave a stable mass for the Sn@CF coating.",
    "The stress of the Sn@CF film increased to -2300 MPa after the 300 cycles of insertion.",
    "Readings were taken during the first and last 10 cycles of the Sn@CF deposition.",
])
def test_numbers_of_other_fields_are_no_battery_figures(body):
    assert figures(run(body)) == set()


def test_an_average_plating_efficiency_is_still_a_ce():
    assert ("Sn@CF", "coulombic_efficiency", 98.7) in figures(
        run("The Sn@CF half cell keeps an average plating efficiency of 98.7% over 300 cycles at 1 mA cm-2."))


def test_cycles_after_a_later_figure_belong_to_it():
    ex = run("The Sn@CF||LFP full cell shows a discharge capacity of 142 mAh g-1 at 1 C, which decreases to "
             "126 mAh g-1 after 300 cycles.")
    assert find(ex, "specific_capacity", 142).conditions.cycles is None
    assert find(ex, "specific_capacity", 126).conditions.cycles == 300


def test_cycles_after_a_list_belong_to_every_member():
    ex = run("The Sn@CF-300 and Sn@CF-500 half cells deliver CEs of 97.4% and 98.2% after 300 cycles at 1 mA cm-2, "
             "respectively.")
    assert {m.conditions.cycles for m in ex.measurements} == {300}


@pytest.mark.parametrize("opening", ["With an areal capacity of 4 mAh cm-2", "Under a fixed capacity of 4 mAh cm-2"])
def test_a_capacity_the_test_runs_with_is_a_condition(opening):
    ex = run(opening + " at 2 mA cm-2, the Sn@CF half cell maintains a CE of 98.6% for 150 cycles.")
    assert figures(ex) == {("Sn@CF", "coulombic_efficiency", 98.6)}
    assert find(ex, "coulombic_efficiency", 98.6).conditions.areal_capacity == 4.0


def test_a_high_areal_capacity_reached_is_a_figure():
    ex = run("The Sn@CF host accommodates a high areal capacity of up to 12 mAh cm-2 without dendrites.")
    assert ("Sn@CF", "areal_capacity", 12.0) in figures(ex)


def test_a_state_of_charge_is_no_figure_even_in_a_paragraph_about_retention():
    ex = run("The Sn@CF||LFP full cell keeps 91% of its capacity after 300 cycles at 1 C. "
             "The cell was opened at 50% state of discharge for imaging.")
    assert all(m.value != 50 for m in ex.measurements)


def test_values_in_parentheses_belong_to_the_host_right_before_them():
    ex = run("The overpotential of Sn@CF is 12 mV, much smaller than that of bare Cu (85 mV) and Cu foam (60 mV).")
    assert figures(ex) == {("Sn@CF", "overpotential", 12.0), ("bare Cu", "overpotential", 85.0),
                           ("Cu foam", "overpotential", 60.0)}


def test_two_values_in_parentheses_after_a_control_are_both_its():
    ex = run("At 1 and 3 mA cm-2, the Sn@CF symmetric cells show overpotentials of 12 and 20 mV, much smaller "
             "than those of bare Cu (85 and 140 mV).")
    assert {("bare Cu", "overpotential", 85.0), ("bare Cu", "overpotential", 140.0)} <= figures(ex)
    assert find(ex, "overpotential", 140).conditions.current_density == 3.0


def test_a_listed_subject_takes_its_place_in_the_list_of_values():
    ex = run("The CEs of Sn@CF, Ag@CF and bare Cu are 98.9%, 97.5% and 85.2%, respectively, at 1 mA cm-2 in half cells.")
    assert figures(ex) == {("Sn@CF", "coulombic_efficiency", 98.9), ("Ag@CF", "coulombic_efficiency", 97.5),
                           ("bare Cu", "coulombic_efficiency", 85.2)}


def test_the_value_of_the_compared_host_takes_the_metric_named_later():
    ex = run("Compared with bare Cu (45 mV), the Sn@CF electrode shows a much lower nucleation overpotential (8 mV).")
    assert figures(ex) == {("bare Cu", "nucleation_overpotential", 45.0), ("Sn@CF", "nucleation_overpotential", 8.0)}


@pytest.mark.parametrize("body, expected", [
    ("As shown in Fig. 3a, an average CE of 98.7% is obtained for Ag-NW/CM over 300 cycles at 1 mA cm-2.",
     {("Ag-NW/CM", "coulombic_efficiency", 98.7)}),
    ("The nucleation overpotential decreases from 56 mV for Cu mesh to 9 mV for Ag-NW/CM.",
     {("Cu mesh", "nucleation_overpotential", 56.0), ("Ag-NW/CM", "nucleation_overpotential", 9.0)}),
    ("The Ag-NW/CM anode shows a CE of 99.2% in half cells, higher than Cu mesh (95.1%) and Ag-NP/CM (97.3%).",
     {("Ag-NW/CM", "coulombic_efficiency", 99.2), ("Cu mesh", "coulombic_efficiency", 95.1),
      ("Ag-NP/CM", "coulombic_efficiency", 97.3)}),
])
def test_a_composite_name_is_a_host_wherever_it_stands(body, expected):
    assert figures(run(body)) == expected


@pytest.mark.parametrize("name", ["EC/DEC", "LiTFSI/DOL", "N/P", "Li/Li+"])
def test_mixes_ratios_and_references_are_no_composite(name):
    from extractor.materials import is_composite_name

    assert not is_composite_name(name)


def test_an_evolution_with_a_sweep_gives_each_value_its_condition():
    ex = run("When the current density increases from 0.5 to 5 mA cm-2, the overpotential of Ag-NW/CM in symmetric "
             "cells increases from 10 to 35 mV.")
    assert {(m.value, m.conditions.current_density) for m in ex.measurements} == {(10.0, 0.5), (35.0, 5.0)}


# ---------------------------------------------------------------- unnamed subjects, symbols, short forms


def test_an_unnamed_subject_after_a_controls_sentence_is_the_papers_design():
    ex = run("Symmetric cells of Sn@CF run for 900 h at 1 mA cm-2. Li foil shorts after 150 h. "
             "Rate: hysteresis = 11, 16 and 24 mV at 1, 2 and 5 mA cm-2, respectively.")
    assert {m.host for m in ex.measurements if m.metric == "overpotential"} == {"Sn@CF"}


def test_a_pronoun_goes_on_about_the_control():
    ex = run("Symmetric cells of Sn@CF run for 900 h at 1 mA cm-2. Li foil shows a hysteresis of 80 mV. "
             "Its voltage then rises sharply and it fails after 150 h.")
    assert ("Li foil", "cycling_time", 150.0) in figures(ex)


@pytest.mark.parametrize("body, expected", [
    ("Sn@CF symmetric cells show hysteresis of 20 mV. The host gives a CE of 98.9% at 1 mA cm-2 in half cells.",
     ("Sn@CF", "coulombic_efficiency", 98.9)),
    ("Sn@CF symmetric cells run for 500 h. At 5 mA cm-2 the composite still cycles for 300 h.",
     ("Sn@CF", "cycling_time", 300.0)),
])
def test_the_host_and_the_composite_are_the_papers_design(body, expected):
    assert expected in figures(run(body))


@pytest.mark.parametrize("body, expected", [
    ("At 0.5 mA cm-2, η_nuc = 8, 31 and 87 mV for Sn@CF, Sn/CF and bare Cu, respectively.",
     {("Sn@CF", "nucleation_overpotential", 8.0), ("Sn/CF", "nucleation_overpotential", 31.0),
      ("bare Cu", "nucleation_overpotential", 87.0)}),
    ("The Sn@CF symmetric cell stays stable up to 20 mA cm-2 (η = 68 mV).",
     {("Sn@CF", "max_current_density", 20.0), ("Sn@CF", "overpotential", 68.0)}),
])
def test_symbols_and_up_to_name_their_metric(body, expected):
    assert figures(run(body)) == expected


def test_a_full_cell_percentage_after_which_cycles_follow_is_retention():
    ex = run("Sn@CF||NCM811 full cells were cycled at 1 C. Li foil||NCM811: 52.3% after 300 cycles.")
    assert ("Li foil", "capacity_retention", 52.3) in figures(ex)


def test_a_decay_named_between_number_and_per_cycle():
    ex = run("The Sn@CF||NCM811 cell keeps 84.6% after 300 cycles at 1 C, a 0.051% decay per cycle.")
    assert ("Sn@CF", "capacity_decay_rate", 0.051) in figures(ex)


def test_a_failure_after_a_percentage_is_a_cycle_life():
    ex = run("Sn@CF half cells keep 99.0% at 1 mA cm-2. Bare Cu drops to 88.3% and fails after 90 cycles.")
    assert ("bare Cu", "cycle_count", 90.0) in figures(ex)


def test_a_parenthesised_phrase_with_a_ratio_is_no_defined_name():
    from extractor.materials import find_abbreviations, is_design_definition

    assert not [a for a in find_abbreviations("A pouch cell with Li foil (same N/P) drops to 80% after 62 cycles.")
                if is_design_definition(a)]


def test_a_design_the_abstract_presents_is_not_merged_into_its_bare_control():
    from extractor.load_text import load_text
    from extractor.relate import extract
    from extractor.segment import segment

    text = ("A lithium reservoir in a carbon sponge\n\nAbstract\n\nLi@MCS anodes are made by molten infusion.\n\n"
            "3. Results and Discussion\n\nHalf cells of bare MCS give a CE of 97.0% at 1 mA cm-2. Symmetric cells of "
            "Li@MCS cycle for 2400 h at 1 mA cm-2.\n")
    ex = extract(segment(load_text("case.txt", text)))
    kinds = {h.name: h.kind for h in ex.hosts}
    assert kinds.get("MCS") == "host" and kinds.get("bare MCS") == "control"
    assert ("MCS", "cycling_time", 2400.0) in figures(ex)


def test_a_host_in_parentheses_right_after_a_value_owns_it():
    ex = run("Rct after 10 cycles: 9.6 Ω (Li@Sn@CF) vs 41.3 Ω (Li foil).")
    assert figures(ex) == {("Sn@CF", "charge_transfer_resistance", 9.6), ("Li foil", "charge_transfer_resistance", 41.3)}


def test_a_short_sentence_opening_with_another_host_goes_on_comparing():
    ex = run("The Sn@CF nucleation overpotential is only 8 mV. Bare NF needs 42 mV.")
    assert ("bare NF", "nucleation_overpotential", 42.0) in figures(ex)


def test_a_long_sentence_opening_with_a_host_does_not_inherit_a_metric():
    # negative: a new, long statement about another host with its own unrelated number
    ex = run("The Sn@CF nucleation overpotential is only 8 mV. Bare NF was pressed at 10 MPa and then cut into "
             "discs of 12 mm before it was kept in the glovebox at 25 °C for later use in the cells.")
    assert all(m.value == 8.0 for m in ex.measurements)


def test_cycle_for_n_cycles_is_a_cycle_life():
    ex = run("In contrast, the CE of Sn/CF starts to decay after 180 cycles, and the Cu foil only can cycle for 80 cycles.")
    assert {("Sn/CF", "cycle_count", 180.0), ("Cu foil", "cycle_count", 80.0)} <= figures(ex)


def test_a_sweep_finds_the_list_of_its_length_among_more_conditions():
    ex = run("The overpotentials of Sn@CF at 0.5, 1, 2 and 5 mA cm-2 are 8, 11, 16 and 29 mV, respectively, and "
             "the cell short-circuits once the current reaches 10 mA cm-2.")
    got = {(m.value, m.conditions.current_density) for m in ex.measurements if m.metric == "overpotential"}
    assert got == {(8.0, 0.5), (11.0, 1.0), (16.0, 2.0), (29.0, 5.0)}


@pytest.mark.parametrize("body, value, cycles", [
    ("At 0.5 C the Sn@CF||NCM811 full cell delivers 192 mAh g-1 in the first cycle and keeps 85% after 250 cycles.", 192, 1),
    ("The Sn@CF||LFP cell starts at 154.8 mAh g-1 at 1 C and keeps 90% after 600 cycles.", 154.8, 1),
    ("The Li–S cell with Sn@CF delivers an initial capacity of 1126 mAh g-1 and still provides 842 mAh g-1 after "
     "200 cycles at 0.2 C.", 842, 200),
])
def test_the_first_cycle_is_read_where_it_is_said(body, value, cycles):
    assert find(run(body), "specific_capacity", value).conditions.cycles == cycles


def test_a_modified_controls_bare_name_and_lithiated_form_are_mentions():
    ex = run("Pristine CNTS is the unmodified sponge. Symmetric cells of Li@MCS cycle for 2400 h at 1 mA cm-2, "
             "whereas Li-CNTS fails after 900 h.")
    assert ("pristine CNTS", "cycling_time", 900.0) in figures(ex)


def test_names_listed_before_a_host_word_are_hosts_too():
    ex = run("The rGO–PP and CeO2–PP separators extend the lifetime of symmetric cells to 650 h and 820 h, respectively.")
    assert {("rGO-PP", "cycling_time", 650.0), ("CeO2-PP", "cycling_time", 820.0)} <= figures(ex)


def test_a_label_inside_a_name_belongs_to_it():
    ex = run("Symmetric cells built from Li-loaded ZnO(15)@P-Cu run for 2000 h at 1 mA cm-2, and ZnO(5)@P-Cu "
             "and ZnO(40)@P-Cu average CEs of 98.2% and 97.6% in half cells, respectively.")
    assert {("ZnO(15)@P-Cu", "cycling_time", 2000.0), ("ZnO(5)@P-Cu", "coulombic_efficiency", 98.2),
            ("ZnO(40)@P-Cu", "coulombic_efficiency", 97.6)} <= figures(ex)


@pytest.mark.parametrize("body, expected", [
    ("Sn@CF half cells keep a CE of 99.1%. Bare Cu averages 91.5% and runs until failure at cycle 130.",
     ("bare Cu", "cycle_count", 130.0)),
    ("At 60 °C, Sn@CF kept 80.2% after 200 cycles in full cells with LFP, whereas the PE cell failed at cycle 95.",
     ("PE", "cycle_count", 95.0)),
])
def test_a_cycle_named_by_its_number_is_a_cycle_life(body, expected):
    assert expected in figures(run(body))


def test_a_threshold_crossed_is_no_figure():
    ex = run("The Sn@CF pouch cell keeps 88% after 300 cycles with LFP, while the control pouch cell with bare Li "
             "lasts only 45 cycles before its capacity drops below 80%.")
    assert all(m.value != 80 for m in ex.measurements)
    assert ("bare Li", "cycle_count", 45.0) in figures(ex)


def test_a_bare_element_control_is_not_every_mention_of_the_element():
    ex = run("The PHN-coated Li cycles for 1800 h in Li||Li cells at 1 mA cm-2, whereas flat Li shorts after 200 h.")
    assert ("flat Li", "cycling_time", 1800.0) not in figures(ex)
    assert ("flat Li", "cycling_time", 200.0) in figures(ex)


def test_surviving_hours_is_a_cycling_time():
    assert ("Sn@CF", "cycling_time", 600.0) in figures(run("At 5 mA cm-2 the Sn@CF symmetric cell survives 600 h."))


def test_figures_of_a_design_named_in_the_sentence_before_in_a_review():
    ex = review("A hollow carbon fibre host (denoted HCF) was proposed by Li et al. It sustained 1000 h at 1 mA cm-2 "
                "in symmetric cells and kept a CE of 99.1% [12].")
    assert {("HCF", "cycling_time", 1000.0), ("HCF", "coulombic_efficiency", 99.1)} <= figures(ex)


def test_a_li_alloy_design_keeps_its_name_but_an_alloy_layer_is_no_design():
    ex = review("Li–Al alloy anodes showed an overpotential of 40 mV in symmetric cells [10]. In tin-coated foams "
                "a Li–Sn alloy layer forms during plating [11].")
    assert ("Li-Al", "overpotential", 40.0) in figures(ex)
    assert "Li-Sn" not in {h.name for h in ex.hosts}


def test_a_step_verb_after_the_hours_does_not_make_them_a_duration():
    ex = run("The Sn@CF symmetric cell sustained 1000 h at 1 mA cm-2 and kept a low hysteresis of 12 mV.")
    assert ("Sn@CF", "cycling_time", 1000.0) in figures(ex)
    assert figures(run("The Sn@CF precursor was kept at 80 °C for 12 h.")) == set()


# ---------------------------------------------------------------- what the rules found, on the Doc


def test_the_rules_findings_are_spans_on_the_sentence_doc():
    from extractor.load_text import load_text
    from extractor.nlp import nlp
    from extractor.relate.annotate import annotate, host_mentions
    from extractor.relate.hosts import build_host_table
    from extractor.segment import segment

    text = ("A test paper on lithium anodes\n\n3. Results and Discussion\n\nThe Sn@CF half cell keeps a Coulombic "
            "efficiency of 98.4% at 1 mA cm-2, while bare Cu fails; the composite anode is stable.\n")
    sentences = [s for s in segment(load_text("case.txt", text)).sentences if s.role != "heading"]
    table, _ = build_host_table(sentences)
    doc = annotate(nlp()(sentences[-1].text), table)
    assert [(s.text, s.label_) for s in doc.spans["hosts"]] == [("Sn@CF", "sn@cf"), ("bare Cu", "control:cu")]
    assert [s.label_ for s in doc.spans["host_references"]] == ["MAIN"]
    assert "coulombic_efficiency" in {s.label_ for s in doc.spans["metric_cues"]}
    assert "cell:half" in {s.label_ for s in doc.spans["conditions"]}
    assert [m[0] for m in host_mentions(doc)][0] == "sn@cf"


def test_attribution_reads_host_mentions_from_the_doc():
    from extractor.load_text import load_text
    from extractor.relate.attribution import _sentence_figures
    from extractor.relate.hosts import build_host_table
    from extractor.quantities import parse_quantities
    from extractor.segment import segment

    text = "A test paper\n\n3. Results and Discussion\n\nThe Sn@CF and Ag@CF half cells keep CEs of 98.4% and 97.1%.\n"
    sentences = [s for s in segment(load_text("case.txt", text)).sentences if s.role != "heading"]
    table, _ = build_host_table(sentences)
    s = sentences[-1]
    qs = parse_quantities(s.text)
    swapped = [("ag@cf", *table.mentions(s.text)[0][1:]), ("sn@cf", *table.mentions(s.text)[1][1:])]
    figs = _sentence_figures(s, qs, table, None, mentions=swapped)
    assert {(f.host, f.q.value) for f in figs} == {("ag@cf", 98.4), ("sn@cf", 97.1)}


def test_cycles_stated_before_a_list_of_figures_belong_to_each():
    ex = run("After 20 cycles, the charge-transfer resistances of the symmetric cells are 12.8 Ω for Sn@CF, 47.5 Ω for "
             "Sn/CF and 96.1 Ω for bare Cu.")
    assert {m.conditions.cycles for m in ex.measurements} == {20}


# ---------------------------------------------------------------- round-5 classes


def test_a_name_given_with_naming_words_is_a_design_whatever_its_long_form():
    ex = review("A mat of copper nanowires welded at the junctions by a short anneal (denoted CuNW-3D) was proposed "
                "by Li et al. It sustained 1000 h at 1 mA cm-2 in symmetric cells [3].")
    assert ("CuNW-3D", "cycling_time", 1000.0) in figures(ex)


@pytest.mark.parametrize("body, control", [
    ("The Sn@CF symmetric cell runs for 900 h, whereas copper foam fails after 280 h.", "copper foam"),
    ("The Sn@CF symmetric cell runs for 900 h, whereas planar copper fails after 150 h.", "planar copper"),
])
def test_spelled_out_metal_substrates_are_controls(body, control):
    ex = run(body)
    assert {h.name: h.kind for h in ex.hosts}.get(control) == "control"


def test_a_spelled_out_form_does_not_rename_a_control_written_with_its_symbol():
    ex = run("Symmetric cells of Li@Sn@CF run for 900 h at 1 mA cm-2, whereas Li foil fails after 260 h and "
             "Li foil again after 250 h at 2 mA cm-2. Pure lithium was used as received.")
    assert "Li foil" in {h.name for h in ex.hosts}


@pytest.mark.parametrize("body, expected", [
    ("A lithium-loaded Sn@CF anode in a pouch cell against NCM811 reached 350 Wh kg-1.", {("Sn@CF", "energy_density", 350.0)}),
    ("Li metal promises a theoretical 3500 Wh kg-1 in Sn@CF-based Li–air cells.", set()),
])
def test_watt_hours_per_kilogram_are_energy_density_unless_theoretical(body, expected):
    assert figures(run(body)) == expected


@pytest.mark.parametrize("body, kept", [
    ("Even at 5 mA cm-2 with 5 mAh cm-2 per cycle, the Sn@CF anode kept working for 900 h.", True),
    ("The Sn@CF precursor was kept at 60 °C for 12 h.", False),
])
def test_kept_working_is_a_lifetime_kept_at_is_a_step(body, kept):
    assert (("Sn@CF", "cycling_time", 900.0) in figures(run(body))) == kept


@pytest.mark.parametrize("body", [
    "Plan-view images of Sn@CF taken after 1000 h show a flat interface.",
    "Post-mortem cross sections show that the Sn@CF layer remains continuous after 500 cycles.",
])
def test_when_a_sample_was_looked_at_is_no_lifetime(body):
    assert figures(run(body)) == set()


def test_a_ccd_paragraph_carries_its_metric_to_short_sentences():
    ex = run("The Sn@CF anode raises the critical current density of symmetric cells to 3.2 mA cm-2. "
             "Bare Li shorted at 0.8 mA cm-2.")
    assert ("bare Li", "max_current_density", 0.8) in figures(ex)


def test_li_cu_cell_notation_never_names_the_cu_control():
    ex = run("Sn@CF lifts the Li||Cu efficiency to 99.2% at 1 mA cm-2 in half cells, while bare Cu gives 95.0%.")
    assert ("Sn@CF", "coulombic_efficiency", 99.2) in figures(ex)


def test_respectively_with_a_condition_sweep_pairs_values_with_the_sweep():
    ex = review("Nickel foam converted into a Ni3N-coated skeleton (Ni3N@NiF) lowered the hysteresis: the overpotentials "
                "of Li@Ni3N@NiF at 1, 3 and 5 mA cm-2 were 12, 18 and 29 mV, respectively [10].")
    assert {(m.host, m.value, m.conditions.current_density) for m in ex.measurements if m.metric == "overpotential"} == {
        ("Ni3N@NiF", 12.0, 1.0), ("Ni3N@NiF", 18.0, 3.0), ("Ni3N@NiF", 29.0, 5.0)}


def test_a_sweep_is_found_even_when_the_sentence_repeats_one_of_its_conditions_later():
    ex = review("Nickel foam turned into a Ni3N-coated skeleton (Ni3N@NiF) lowered the hysteresis: the overpotentials of "
                "Li@Ni3N@NiF at 1, 3 and 5 mA cm-2 were 12, 18 and 29 mV, respectively, and the symmetric cell ran for "
                "1000 h at 3 mA cm-2 [10].")
    assert {(m.host, m.value, m.conditions.current_density) for m in ex.measurements if m.metric == "overpotential"} == {
        ("Ni3N@NiF", 12.0, 1.0), ("Ni3N@NiF", 18.0, 3.0), ("Ni3N@NiF", 29.0, 5.0)}


def test_a_review_keeps_the_work_of_the_sentence_before_for_an_unnamed_full_cell():
    ex = review("Chen et al. grew a zinc oxide skin on copper foam, a design known as ZnO@CuF. Symmetric cells built "
                "with ZnO@CuF ran for 800 h at 3 mA cm-2. Paired with LiFePO4, the full cell held 91% of its capacity "
                "after 500 cycles at 1 C. Wang et al. anchored CoNi nanoparticles on carbon cloth (CoNi@CC); its "
                "symmetric cells lasted 2000 h at 1 mA cm-2.")
    assert ("ZnO@CuF", "capacity_retention", 91.0) in figures(ex)


@pytest.mark.parametrize("body, kept", [
    ("Even at 3 mA cm-2 and 3 mAh cm-2, the Sn@CF half cell retains an average CE of 98.6% for 300 cycles.", False),
    ("The Sn@CF symmetric cell showed smooth plateaux even at an ultrahigh rate of 64 mA cm-2 for 50 cycles.", True),
])
def test_a_current_density_reached_even_at_is_the_condition_of_the_figure_after_it(body, kept):
    ex = run(body)
    assert (("Sn@CF", "max_current_density", 3.0 if not kept else 64.0) in figures(ex)) == kept


@pytest.mark.parametrize("body, metric", [
    ("The PE cell decays after 300 cycles, while the ZrN-PE and TiN-PE cells keep 63.4% and 71.2%.", "capacity_retention"),
    ("The Sn@CF half cell keeps 98.6% over 300 cycles at 1 mA cm-2 in Li||Cu cells.", None),  # no capacity: not retention
])
def test_what_a_decaying_cell_keeps_is_its_capacity(body, metric):
    metrics = {m.metric for m in run(body).measurements if m.value in (63.4, 71.2, 98.6)}
    assert (metric in metrics) if metric else "capacity_retention" not in metrics


def test_each_clause_of_a_summary_sentence_keeps_its_own_kind_of_cell():
    ex = run("The coated separator extends Li||Li cycling of ZrN-PE to 1400 h at 2 mA cm-2, raises the average CE "
             "to 99.0% in Li||Cu cells, and lets the ZrN-PE pouch cell keep 83.5% after 300 cycles at 0.5 C.")
    assert find(ex, "cycling_time", 1400).conditions.cell_type == "symmetric"
    assert find(ex, "capacity_retention", 83.5).conditions.cell_type == "pouch"


# ---------------------------------------------------------------- round-6 classes


def test_a_list_of_values_with_parentheses_between_them_is_one_list():
    ex = run("In full cells with LFP, the retention of cells built on Li@bare NF and Li foil falls to 61.5% "
             "(300 cycles) and 45.0% (200 cycles), respectively.")
    assert {("bare NF", "capacity_retention", 61.5), ("Li foil", "capacity_retention", 45.0)} <= figures(ex)


def test_the_values_carry_the_metric_of_the_sentence_before():
    ex = run("Before cycling, the charge-transfer resistances of Sn@CF and bare Cu symmetric cells are 35.2 Ω and 80.4 Ω. "
             "After 20 cycles the values move in opposite directions, to 15.8 Ω and 146.5 Ω, respectively.")
    assert {("Sn@CF", "charge_transfer_resistance", 15.8), ("bare Cu", "charge_transfer_resistance", 146.5)} <= figures(ex)


def test_this_electrode_goes_on_about_the_control_just_named():
    ex = run("The Sn@CF half cell keeps a CE of 98.8% at 1 mA cm-2. Bare Cu behaves differently. At 1 mA cm-2 and "
             "1 mAh cm-2, this electrode maintains an average coulombic efficiency of only 93.0%.")
    assert ("bare Cu", "coulombic_efficiency", 93.0) in figures(ex)


@pytest.mark.parametrize("body, host", [
    ("Sn@CF symmetric cells run for 900 h. At 3 mA cm-2 the gradient host still averages a CE of 98.3% in half cells.", "Sn@CF"),
    ("Sn@CF symmetric cells run for 900 h. The gradient electrode keeps a hysteresis of 12 mV.", "Sn@CF"),
])
def test_a_described_host_or_electrode_is_the_papers_design(body, host):
    assert {m.host for m in run(body).measurements} == {host}


def test_the_counter_electrode_is_no_reference_to_the_design():
    from extractor.relate.hosts import GENERIC_REFERENCE

    assert not GENERIC_REFERENCE.search("Li foil served as the counter electrode and the reference electrode.")


@pytest.mark.parametrize("body, expected", [
    ("The Sn@CF anode sustained a maximum current density of 20 mA cm-2 without short circuit.",
     ("Sn@CF", "max_current_density", 20.0)),
    ("The Sn@CF framework accepts up to 8 mAh cm-2 of lithium at 1 mA cm-2 without surface deposits.",
     ("Sn@CF", "areal_capacity", 8.0)),
    ("The bare Cu cell, by contrast, keeps 31.7% after 100 cycles, corresponding to 0.683% per cycle.",
     ("bare Cu", "capacity_retention", 31.7)),
    ("The bare Cu pouch cell fell below 80% retention after only 38 cycles.", ("bare Cu", "cycle_count", 38.0)),
])
def test_round_six_phrasings(body, expected):
    assert expected in figures(run("The Sn@CF symmetric cell runs for 900 h at 1 mA cm-2. " + body))


def test_a_hyphenated_formula_with_a_substrate_is_a_design_name():
    from extractor.materials import is_design_name

    assert is_design_name("LiF-Cu") and is_design_name("PEO-Cu")
    assert not is_design_name("Li-Cu")


# ---------------------------------------------------------------- round-7 classes


def test_a_design_described_by_its_material_in_words():
    ex = run("We compare a silver film (Ag-LLZTO) and an alumina film (Al2O3-LLZTO) on garnet. Symmetric cells of "
             "Ag-LLZTO run for 1000 h at 0.5 mA cm-2. The alumina-coated pellet lasts 700 h at the same current. "
             "Its silver counterpart shows an overpotential of 42 mV.")
    got = figures(ex)
    assert ("Al2O3-LLZTO", "cycling_time", 700.0) in got and ("Ag-LLZTO", "overpotential", 42.0) in got


def test_a_material_word_shared_by_two_designs_names_neither():
    # negative: "the silver film" when two designs carry Ag is not resolved by the material
    from extractor.relate.attribution import _described_hosts
    from extractor.relate.hosts import build_host_table
    from extractor.load_text import load_text
    from extractor.segment import segment

    text = ("A test\n\n3. Results and Discussion\n\nThe Ag-LLZTO and Ag@Cu electrodes were compared. "
            "The silver-coated pellet lasts 700 h.\n")
    sentences = [s for s in segment(load_text("c.txt", text)).sentences if s.role != "heading"]
    table, _ = build_host_table(sentences)
    assert _described_hosts(sentences[-1].text, table) == []


def test_plural_critical_current_densities_of_a_list():
    ex = run("Bare LLZTO cells were compared with Al2O3-LLZTO cells and Ag-LLZTO cells. The critical current "
             "densities of bare LLZTO, Al2O3-LLZTO and Ag-LLZTO are 0.2, 0.9 and 1.6 mA cm-2, respectively.")
    assert {("bare LLZTO", "max_current_density", 0.2), ("Al2O3-LLZTO", "max_current_density", 0.9),
            ("Ag-LLZTO", "max_current_density", 1.6)} <= figures(ex)


def test_a_composite_built_on_a_named_component_is_the_design():
    ex = run("Undecorated networks (CuNW) serve as reference. The In2O3/CuNW half cell keeps a CE of 99.3%, the CuNW "
             "half cell 97.1%, and In2O3/CuNW symmetric cells run for 1000 h while CuNW cells run for 300 h and "
             "CuNW cells show 40 mV.")
    assert {h.name: h.kind for h in ex.hosts}.get("In2O3/CuNW") == "host"


def test_a_foam_control_does_not_take_the_foils_mentions():
    ex = run("The Sn@CF half cell keeps a CE of 99.0%. The nucleation overpotential falls from 96 mV on Cu foil and "
             "48 mV on commercial Cu foam to 12 mV on Sn@CF.")
    got = figures(ex)
    assert ("Cu foil", "nucleation_overpotential", 96.0) in got and ("commercial Cu foam", "nucleation_overpotential", 48.0) in got


# ---------------------------------------------------------------- areal capacity as a capability


def test_areal_capacity_stated_as_what_a_host_can_take_even_up_to():
    ex = run("The areal capacity of the CNF host can be even up to 15 mAh cm-2 in half cells.")
    assert figures(ex) >= {("CNF", "areal_capacity", 15.0)}


def test_areal_capacity_a_cell_is_cycled_up_to_is_a_condition_not_a_figure():
    # negative: "fixed" and "cycled" make the capacity the test's condition
    ex = run("The areal capacity of the CNF host was fixed while the cell was cycled up to 15 mAh cm-2.")
    assert not [m for m in ex.measurements if m.metric == "areal_capacity"]


# ---------------------------------------------------------------- when failure set in


def test_a_cell_that_starts_to_fail_lives_until_the_onset():
    ex = run("In contrast, the overpotential of the bare Cu cell begins to rise after only 80 h of cycling "
             "and surges at about 120 h.")
    assert [m.value for m in ex.measurements if m.metric == "cycling_time"] == [80.0]


def test_two_lives_under_two_currents_are_both_kept():
    # negative: times of different tests in one onset sentence are two figures
    ex = run("The bare Cu cell starts to fluctuate after 80 h at 1 mA cm-2 and after 30 h at 3 mA cm-2.")
    assert sorted(m.value for m in ex.measurements if m.metric == "cycling_time") == [30.0, 80.0]


def test_two_times_without_an_onset_are_both_kept():
    # negative: without "starts to" nothing says which time is the cell's life
    ex = run("The bare Cu cell fluctuates after 80 h and short-circuits at 120 h.")
    assert sorted(m.value for m in ex.measurements if m.metric == "cycling_time") == [80.0, 120.0]


def test_a_cell_whose_voltage_fluctuates_after_a_time_has_lived_that_long():
    ex = run("The bare Cu cell fluctuates after 80 h at 1 mA cm-2.")
    assert figures(ex) == {("bare Cu", "cycling_time", 80.0)}


def test_hours_a_furnace_is_held_after_its_temperature_rises_are_no_cycling_time():
    # negative: "increased" before a dwell time in a recipe is not a cell's decline
    ex = run("The temperature of the furnace was increased to 500 °C and held for 2 h before the Cu foam was used.")
    assert not [m for m in ex.measurements if m.metric == "cycling_time"]


# ---------------------------------------------------------------- "than that of" a bare percentage


def test_a_percentage_compared_by_than_that_of_reports_the_same_figure():
    ex = run("The CNF||LFP full cell runs for 600 cycles with a capacity decay rate of 0.03% per cycle, "
             "which is much lower than that of 0.09% for the Cu foil full cell.")
    assert ("Cu foil", "capacity_decay_rate", 0.09) in figures(ex)


def test_a_percentage_after_than_without_a_figure_before_it_is_not_one():
    # negative: nothing before "than that of" says what the percentage measures
    ex = run("The porosity of the CNF host is higher than that of 40% for the Cu foam.")
    assert not ex.measurements


# ---------------------------------------------------------------- the potential of plating


def test_a_potential_stated_for_li_deposition_is_the_plating_overpotential():
    ex = run("Once covered with Li, the Ag@CNF electrode shows a potential of -25 mV (vs Li/Li+) for the "
             "subsequent Li deposition.")
    assert figures(ex) == {("Ag@CNF", "overpotential", 25.0)}


def test_a_potential_an_electrode_is_driven_to_is_a_setting():
    # negative: "discharged to a potential of" before plating is where the test sends the cell
    ex = run("The Ag@CNF electrode was discharged to a potential of -25 mV before Li deposition.")
    assert not ex.measurements


# ---------------------------------------------------------------- "than the cell with the X"


def test_a_figure_after_a_control_compared_by_than_the_cell_with_belongs_to_the_subject():
    ex = run("Additionally, the cell with the Ag@CNF showed a higher capacity retention of 61.9% after 200 cycles "
             "than the cell with the bare Cu (42.6%), also retaining a high average CE of 97.5% over 200 cycles.")
    assert figures(ex) == {("Ag@CNF", "capacity_retention", 61.9), ("bare Cu", "capacity_retention", 42.6),
                           ("Ag@CNF", "coulombic_efficiency", 97.5)}


def test_a_figure_right_after_the_compared_control_is_the_controls():
    # negative: "which keeps" right after the control describes the control
    ex = run("The Ag@CNF electrode shows a higher CE than the symmetric cell using a bare Cu, which keeps 95.1% "
             "over 100 cycles.")
    assert figures(ex) == {("bare Cu", "coulombic_efficiency", 95.1)}


# ---------------------------------------------------------------- a value's own condition before "for X"


def test_a_value_given_for_a_control_after_its_own_cycle_count():
    ex = run("At 1 mA cm-2, the Ag@CNF electrode maintains an average CE of 99.1% over 500 cycles, compared with "
             "97.5% over 200 cycles for Sn@CNF and 93.0% over 100 cycles for bare Cu.")
    assert figures(ex) == {("Ag@CNF", "coulombic_efficiency", 99.1), ("Sn@CNF", "coulombic_efficiency", 97.5),
                           ("bare Cu", "coulombic_efficiency", 93.0)}
    assert find(ex, "coulombic_efficiency", 93.0).conditions.cycles == 100


def test_a_host_after_words_that_are_no_condition_does_not_take_the_value():
    # negative: "for the first time in X" is not the value's own condition followed by its host
    ex = run("The Ag@CNF electrode keeps a CE of 99.1% over 100 cycles for the first time in bare Cu foam.")
    assert figures(ex) == {("Ag@CNF", "coulombic_efficiency", 99.1)}


def test_a_cell_that_loses_its_efficiency_after_n_cycles_lived_n_cycles():
    ex = run("Bare Cu, in contrast, loses its efficiency after 30 cycles at 5 mA cm-2.")
    assert figures(ex) == {("bare Cu", "cycle_count", 30.0)}


def test_mass_lost_after_n_cycles_is_no_cycle_life():
    # negative: losing mass is no failure of the cell
    ex = run("The Ag@CNF electrode loses 2 mg of mass after 30 cycles.")
    assert not [m for m in ex.measurements if m.metric == "cycle_count"]


# ---------------------------------------------------------------- "A raises the X of B cells to N"


def test_a_value_a_design_raises_something_to_is_the_designs():
    ex = run("The Ag@CNF anode raises the critical current density of Li6PS5Cl symmetric cells to 3.2 mA cm-2.")
    assert figures(ex) == {("Ag@CNF", "max_current_density", 3.2)}


def test_from_a_control_to_a_value_the_design_brought_about():
    ex = run("The Ag@CNF interlayer raises the critical current density from 0.2 mA cm-2 for bare Cu to 1.6 mA cm-2.")
    assert figures(ex) == {("bare Cu", "max_current_density", 0.2), ("Ag@CNF", "max_current_density", 1.6)}


def test_the_subject_of_the_nearest_causative_verb_keeps_its_value():
    # negative: in the contrast clause the control itself raises its overpotential
    ex = run("The Ag@CNF anode lasts 500 h, while bare Cu raises its overpotential to 120 mV.")
    assert ("bare Cu", "overpotential", 120.0) in figures(ex)


# ---------------------------------------------------------------- what a counterpart keeps


def test_what_a_counterpart_keeps_after_a_retention_is_a_retention():
    ex = run("Paired with LiFePO4 at 1 C, the Ag@CNF anode retains 92.4% after 400 cycles, with an average CE of "
             "99.8%. The bare Cu counterpart keeps only 61.2% after the same 400 cycles.")
    assert ("bare Cu", "capacity_retention", 61.2) in figures(ex)


def test_what_a_counterpart_keeps_after_an_efficiency_alone_is_an_efficiency():
    # negative: no retention in the sentence before, so "keeps" goes on with the efficiency
    ex = run("The Ag@CNF half cell keeps an average CE of 99.1% over 400 cycles. By contrast, bare Cu keeps only 91.2%.")
    assert ("bare Cu", "coulombic_efficiency", 91.2) in figures(ex)


def test_metrics_are_classified_from_the_cues_given_not_from_the_text():
    from extractor.quantities import parse_quantities
    from extractor.relate.cues import METRIC, Cue, Cues
    from extractor.relate.metrics import classify

    text = "The value stays at 99.2% for the first 300 cycles."
    q = next(q for q in parse_quantities(text) if q.dimension == "percent")
    named = Cues([Cue(4, 9, METRIC, "coulombic_efficiency")])  # as if "value" were a CE cue in the vocabulary
    assert classify(q, text, "results", [q], named) == "coulombic_efficiency"
    assert classify(q, text, "results", [q], Cues([])) is None
    assert classify(q, text, "results", [q]) is None  # the vocabulary has no such cue


def test_sentence_cues_come_from_the_vocabulary_with_their_offsets():
    from extractor.relate.cues import Cues

    text = "In Li||Cu half cells the average Coulombic efficiency is 99.1%, and the LFP full cell retains 91%."
    cues = Cues.of(text)
    ce = cues.find("metric", "coulombic_efficiency")
    assert [text[c.start:c.end] for c in ce] == ["average Coulombic efficiency"]  # the leftmost of overlapping cues
    assert cues.metric("capacity_retention", text.index("retains"))
    assert not cues.metric("capacity_retention", 0, text.index("retains"))
    assert cues.cell_type() == "full"  # a full cell wherever it is named
    assert cues.cell_type(0, text.index(",")) == "half"
    assert cues.cathodes() == ["LiFePO4"]
    assert Cues.of("The film was dried at 80 °C.").cues == []


def test_a_percentage_a_figure_stays_at_is_no_atomic_percent():
    # "stays at 99.2%" is a figure; "5 at% Zn" and "2 wt% LiNO3" are compositions
    assert figures(run("The Coulombic efficiency of Sn@CF stays at 99.2% over 300 cycles.")) == {
        ("Sn@CF", "coulombic_efficiency", 99.2)}
    assert figures(run("The Sn@CF half cell, with 5 at% Zn and 2 wt% LiNO3, keeps a Coulombic efficiency of 98.1%.")) == {
        ("Sn@CF", "coulombic_efficiency", 98.1)}


def test_a_name_the_paper_gives_a_bare_substrate_is_that_control():
    # "carbon cloth (CC, 330 μm thick)": a short form leading a parenthesis of details
    methods = "Carbon cloth (CC, 330 μm thick) was washed in ethanol. Co nanoparticles were grown on it, denoted Co@CC."
    ex = run("The nucleation overpotentials of Co@CC and CC are 14 mV and 61 mV, respectively.", methods=methods)
    assert figures(ex) == {("Co@CC", "nucleation_overpotential", 14.0), ("CC", "nucleation_overpotential", 61.0)}
    assert {h.name: h.kind for h in ex.hosts}["CC"] == "control"
    # undefined, "CC" is constant current, not a control
    ex = run("The Co@CC cell was charged in CC mode and its nucleation overpotential is 14 mV.",
             methods="Co nanoparticles were grown on carbon cloth, denoted Co@CC.")
    assert "CC" not in {h.name for h in ex.hosts}


def test_an_electrolyte_the_paper_abbreviates_is_no_host():
    methods = ("A gel polymer electrolyte (GPE) was cast from PVDF-HFP. Sn nanoparticles were grown on Cu foam, "
               "denoted Sn@CF.")
    ex = run("The critical current density of Li-Sn@CF with GPE is 2.4 mA cm-2, and the pouch cell with GPE "
             "delivers 356 Wh kg-1.", methods=methods)
    assert figures(ex) == {("Sn@CF", "max_current_density", 2.4), ("Sn@CF", "energy_density", 356.0)}
    assert "GPE" not in {h.name for h in ex.hosts}
    # a separator or an interlayer the paper abbreviates is a design it can propose
    ex = run("The Li||Cu cell with CPS keeps a Coulombic efficiency of 98.9% over 300 cycles.",
             methods="A carbon-coated polypropylene separator (CPS) was prepared by blade coating.")
    assert figures(ex) == {("CPS", "coulombic_efficiency", 98.9)}


_SN_CF = "Sn nanoparticles were grown on Cu foam, denoted Sn@CF. Bare Li foil was used as the control."


def test_a_plain_li_full_cell_is_the_bare_li_control_where_the_design_names_its_own_cells():
    ex = run("The Li-Sn@CF||NCM811 cell retains 88.1% after 300 cycles. But the Li||NCM811 cell keeps only 52.1% "
             "after 300 cycles.", methods=_SN_CF)
    assert figures(ex) == {("Sn@CF", "capacity_retention", 88.1), ("bare Li foil", "capacity_retention", 52.1)}
    # the design's subject enables the cells: they are its own
    ex = run("The Li-Sn@CF||NCM811 cell retains 88.1% after 300 cycles. Sn@CF also lets a Li||NCM811 cell keep 92.1% "
             "at 0.5 C.", methods=_SN_CF)
    assert ("Sn@CF", "capacity_retention", 92.1) in figures(ex)
    # a separator paper writes its own full cells "Li||LFP": never the control's
    ex = run("Li||LiFePO4 cells with the CPS keep 91.5% after 300 cycles, while bare Li foil fails.",
             methods="A carbon-coated polypropylene separator (CPS) was prepared. Bare Li foil was the control.")
    assert ("CPS", "capacity_retention", 91.5) in figures(ex)


@pytest.mark.parametrize("sentence, expected", [
    ("The Li plating/stripping was carried for 2000 h in the symmetric Li-Sn@CF cell at 1 mA cm-2.",
     {("Sn@CF", "cycling_time", 2000.0)}),
    ("The interface resistance of Li-Sn@CF is 48 Ω, much lower than that of bare Li foil (312 Ω).",
     {("Sn@CF", "charge_transfer_resistance", 48.0), ("bare Li foil", "charge_transfer_resistance", 312.0)}),
    ("The Li||Sn@CF half cells ran for more than 900 cycles at 1 mA cm-2.", {("Sn@CF", "cycle_count", 900.0)}),
    ("For Sn@CF, stable plating/stripping was demonstrated up to 20 mA cm-2.", {("Sn@CF", "max_current_density", 20.0)}),
    # negatives: a step's hours, a resistance of something else, cycles that only set the test
    ("The Sn@CF precursor was stirred for 12 h before plating/stripping tests.", set()),
    ("The bulk resistance of the electrolyte in Sn@CF cells is 4.1 Ω.", set()),
    ("The Sn@CF half cells were pre-cycled for 5 cycles at 0.05 mA cm-2.", set()),
])
def test_cue_words_of_the_vocabulary(sentence, expected):
    assert figures(run(sentence, methods=_SN_CF)) == expected


_DEFINES_SHORT_FORMS = ("Sn nanoparticles were grown on Cu foam, denoted Sn@CF. The nucleation overpotential (NOP) and "
                        "voltage hysteresis (VH) were measured, and a pouch cell (PC) was built.")


@pytest.mark.parametrize("sentence, expected, cell", [
    ("At 0.5 mA cm-2, the NOPs of Cu foam and Sn@CF amount to 41 and 6 mV, respectively.",
     {("Cu foam", "nucleation_overpotential", 41.0), ("Sn@CF", "nucleation_overpotential", 6.0)}, None),
    ("The Li@Sn@CF symmetric cell runs for 2000 h with a VH of about 14 mV.",
     {("Sn@CF", "cycling_time", 2000.0), ("Sn@CF", "overpotential", 14.0)}, "symmetric"),
    ("The PC with Sn@CF retains 86.7% of its initial capacity after 150 cycles.",
     {("Sn@CF", "capacity_retention", 86.7)}, "pouch"),
])
def test_short_forms_a_paper_defines_for_metrics_and_cells_are_cues(sentence, expected, cell):
    ex = run(sentence, methods=_DEFINES_SHORT_FORMS)
    assert figures(ex) == expected
    assert "PC" not in {h.name for h in ex.hosts}
    if cell:
        assert {m.conditions.cell_type for m in ex.measurements} == {cell}


def test_a_short_form_of_a_material_is_no_cue():
    from extractor.relate.cues import DefinedCues

    defined = DefinedCues.from_abbreviations({"NOP": "nucleation overpotential", "NCNF": "N-doped carbon nanofibers",
                                              "PC": "pouch cell", "ACE": "average Coulombic efficiency"})
    assert defined.meaning["NOP"] == (("metric", "nucleation_overpotential"), ("metric", "overpotential"))
    assert defined.meaning["PC"] == (("cell", "pouch"),)
    assert defined.meaning["ACE"] == (("metric", "coulombic_efficiency"),)
    assert not defined.names_a_cue("NCNF")
    # without the definition "NOP" means nothing
    assert figures(run("The NOPs of Cu foam and Sn@CF amount to 41 and 6 mV, respectively.",
                       methods="Sn nanoparticles were grown on Cu foam, denoted Sn@CF.")) == set()


def test_a_figure_stated_only_in_a_caption_is_read_there():
    methods = "Sn nanoparticles were grown on Cu foam, denoted Sn@CF. NiO was grown on Cu foam, denoted NiO@CF."
    body = ("The Sn@CF electrode keeps an average CE of 98.9% for 400 cycles at 1 mA cm-2.\n\n"
            "Figure 2. (a) Symmetric cells at 1 mA cm-2 and 1 mAh cm-2. (b) CE of Sn@CF at 5 mA cm-2 and 2 mAh cm-2; "
            "the NiO@CF electrode failed after 70 cycles under this condition. (c) Half cells at 1 mA cm-2; the average "
            "CE of Sn@CF was 98.9% over 400 cycles.")
    ex = run(body, methods=methods)
    # the caption's own figure is read; conditions alone are no figure; a repeated one is one record
    assert figures(ex) == {("Sn@CF", "coulombic_efficiency", 98.9), ("NiO@CF", "cycle_count", 70.0)}
    assert len(ex.measurements) == 2


@pytest.mark.parametrize("sentence, expected", [
    # what a full cell keeps, right after a CE was named, is its retention
    ("Sn@CF gives an average Coulombic efficiency of 99.4% and a Li-Sn@CF||LiFePO4 cell that keeps 72.4% after 100 "
     "cycles.", {("Sn@CF", "coulombic_efficiency", 99.4), ("Sn@CF", "capacity_retention", 72.4)}),
    ("The Li||Sn@CF half cell keeps a Coulombic efficiency of 99.4% over 300 cycles.",
     {("Sn@CF", "coulombic_efficiency", 99.4)}),
    # what is usual, relative changes and criteria are no figures
    ("On Cu the Coulombic efficiency, typically 97-98% in ether electrolytes, limits cycling, while Sn@CF reaches 99.2%.",
     {("Sn@CF", "coulombic_efficiency", 99.2)}),
    ("The Coulombic efficiency of Sn@CF is 99.1%, and its Sn forms an alloy with a ~20% larger volume expansion.",
     {("Sn@CF", "coulombic_efficiency", 99.1)}),
    ("Taking 80% retention as end of life, the Li-Sn@CF||LiFePO4 cell lasts 620 cycles.", {("Sn@CF", "cycle_count", 620.0)}),
])
def test_what_a_cell_keeps_and_what_is_no_figure(sentence, expected):
    assert figures(run(sentence, methods=_SN_CF)) == expected


# ---------------------------------------------------------------- tables


_TABLE_METHODS = ("Sn nanoparticles were grown on Cu foam, denoted Sn@CF; Ag was grown the same way, denoted Ag@CF. "
                  "Bare Cu foil was used as the control.")


def test_a_column_of_stable_cycles_is_a_cycle_life():
    body = ("| Electrode | Average CE (%) | Stable cycles |\n|---|---|---|\n| Sn@CF | 99.1 | 600 |\n| Ag@CF | 98.6 | 380 |\n")
    ex = run(body, methods=_TABLE_METHODS)
    assert {("Sn@CF", "cycle_count", 600.0), ("Ag@CF", "cycle_count", 380.0)} <= figures(ex)
    assert find(ex, "coulombic_efficiency", 99.1).conditions.cycles is None  # a column of its own, not a condition


def test_a_pipe_table_gives_each_row_the_figures_its_columns_name():
    body = ("The Sn@CF electrode shows a nucleation overpotential of 9 mV.\n\n"
            "Table 1. Electrochemical figures of the electrodes.\n\n"
            "| Electrode | Nucleation overpotential (mV) | Average CE (%) | Symmetric cell lifetime (h) | Current density (mA cm-2) |\n"
            "|---|---|---|---|---|\n"
            "| Sn@CF | 9 | 99.2 | 1600 | 1 |\n"
            "| Ag@CF | 21 | 98.5 | 900 | 1 |\n"
            "| Cu foil | 88 | – | 120 | 0.5 |\n")
    ex = run(body, methods=_TABLE_METHODS)
    assert figures(ex) == {
        ("Sn@CF", "nucleation_overpotential", 9.0), ("Sn@CF", "coulombic_efficiency", 99.2), ("Sn@CF", "cycling_time", 1600.0),
        ("Ag@CF", "nucleation_overpotential", 21.0), ("Ag@CF", "coulombic_efficiency", 98.5), ("Ag@CF", "cycling_time", 900.0),
        ("bare Cu foil", "nucleation_overpotential", 88.0), ("bare Cu foil", "cycling_time", 120.0)}
    life = find(ex, "cycling_time", 120.0)
    assert (life.conditions.cell_type, life.conditions.current_density) == ("symmetric", 0.5)
    assert life.evidence == "Cu foil | 88 | – | 120 | 0.5"  # the row is the figure's sentence
    assert len([m for m in ex.measurements if m.value == 9.0]) == 1  # the text's figure, once


def test_rows_of_other_works_in_a_table_with_references_are_cited_designs():
    body = ("Table 2. Symmetric cells of this work and of reported hosts.\n"
            "Host\tCurrent density (mA cm-2)\tLifespan (h)\tOverpotential (mV)\tRef.\n"
            "Sn@CF\t1\t2000\t14\tThis work\n"
            "ZnO@CNT\t1\t800\t25\t[15]\n"
            "Co3O4-CC\t2\t600\t30\t[16]\n")
    ex = run(body, methods=_TABLE_METHODS)
    assert {("ZnO@CNT", "cycling_time", 800.0), ("Co3O4-CC", "overpotential", 30.0),
            ("Sn@CF", "cycling_time", 2000.0)} <= figures(ex)
    kinds = {h.name: h.kind for h in ex.hosts}
    assert kinds["ZnO@CNT"] == kinds["Co3O4-CC"] == "cited" and kinds["Sn@CF"] == "host"
    assert find(ex, "overpotential", 30.0).conditions.current_density == 2.0


def test_a_column_of_phrases_is_read_cell_by_cell():
    body = ("Host | Seed | Key result\n"
            "Sn@CF | Sn, 200 nm | CE 98.7% (300 cycles, 0.5 mA cm-2)\n"
            "Ag@CF | Ag, 30-50 nm | 1200 h (1 mA cm-2, 1 mAh cm-2)\n")
    ex = run(body, methods=_TABLE_METHODS)
    assert figures(ex) == {("Sn@CF", "coulombic_efficiency", 98.7), ("Ag@CF", "cycling_time", 1200.0)}
    ce = find(ex, "coulombic_efficiency", 98.7)
    assert (ce.conditions.cycles, ce.conditions.current_density) == (300, 0.5)


def test_tables_without_figures_of_merit_and_cell_notation_give_nothing():
    body = ("| Sample | BET area (m2 g-1) | Particle size (nm) |\n|---|---|---|\n"
            "| Sn@CF | 412 | 35 |\n| Ag@CF | 388 | 48 |\n\n"
            "The Li||Cu and Li|Li cells were assembled | tested | and compared.\n")
    assert figures(run(body, methods=_TABLE_METHODS)) == set()


def test_a_full_cell_takes_the_areal_capacity_of_its_cathode_and_a_half_cell_does_not():
    methods = _SN_CF + " NCM811 cathodes with an areal capacity of 3.1 mAh cm-2 were paired with the anodes."
    ex = run("The Li-Sn@CF||NCM811 full cell retains 84.9% after 200 cycles at 0.5 C. The Li||Sn@CF half cell keeps a "
             "Coulombic efficiency of 98.9% at 1 mA cm-2.", methods=methods)
    assert find(ex, "capacity_retention", 84.9).conditions.areal_capacity == 3.1
    assert find(ex, "coulombic_efficiency", 98.9).conditions.areal_capacity is None


def test_the_design_named_goes_on_not_the_substrate_it_was_made_on():
    from extractor.load_text import load_text
    from extractor.relate import extract
    from extractor.segment import segment

    text = ("Seeded hosts for lithium metal anodes: a review\n\n2. Seeded hosts\n\n"
            "Tin-plated copper foam (Sn@CuF) was prepared by electroless deposition of tin onto a commercial Cu foam. "
            "The resulting alloy layer decreased the nucleation overpotential to 11 mV, whereas the unmodified Cu foam "
            "exhibited 46 mV.\n")
    ex = extract(segment(load_text("review.txt", text)))
    assert ("Sn@CuF", "nucleation_overpotential", 11.0) in figures(ex)
    assert ("unmodified Cu foam", "nucleation_overpotential", 11.0) not in figures(ex)


def test_a_value_stated_for_the_heterostructure_is_the_designs_not_the_one_compared():
    methods = "Mo2N and W2N nanocrystals were embedded in carbon, denoted Mo2N/W2N@C; Mo2N alone gave Mo2N@C."
    ex = run("The Mo2N/W2N@C electrode keeps a Coulombic efficiency of 99.2% over 300 cycles, and its symmetric cell "
             "runs for 1200 h with an overpotential of 12 mV. The Mo2N@C electrode reaches 98.1%. "
             "The activation energy is 48.3 kJ mol-1 on the heterostructure, lower than on Mo2N@C (57.1 kJ mol-1).",
             methods=methods)
    assert ("Mo2N/W2N@C", "activation_energy", 48.3) in figures(ex)
    assert ("Mo2N@C", "activation_energy", 57.1) in figures(ex)


@pytest.mark.parametrize("sentence, expected", [
    ("The Ni3S2 layer turns into Li2S and Ni on contact with Li and lowers the nucleation overpotential to 8 mV.",
     ("Ni3S2@NF", "nucleation_overpotential", 8.0)),
    ("The built-in field at the CoN/VN interface reduces the nucleation overpotential to 9 mV.",
     ("CoN/VN@NF", "nucleation_overpotential", 9.0)),
    # a part-named material that is a design of its own keeps its figures
    ("The CoN/VN powder, tested alone on Cu, shows a nucleation overpotential of 30 mV.",
     ("CoN/VN", "nucleation_overpotential", 30.0)),
])
def test_a_figure_of_a_part_named_with_its_noun_is_the_whole_designs(sentence, expected):
    methods = ("Ni3S2 nanosheets were grown on Ni foam, denoted Ni3S2@NF; CoN and VN were grown on Ni foam, denoted "
               "CoN/VN@NF. The Ni3S2@NF electrode and the CoN/VN@NF electrode were compared with bare Ni foam.")
    ex = run("The Ni3S2@NF electrode keeps a Coulombic efficiency of 99.1%. " + sentence, methods=methods)
    assert expected in figures(ex)


_SNC = "Sn was grown on carbon cloth and annealed at 300, 500 and 700 °C, denoted SNC-300, SNC-500 and SNC-700."


@pytest.mark.parametrize("sentence, expected", [
    # values listed before the hosts they are recorded for, no "respectively"
    ("At 1 mA cm-2, nucleation overpotentials of 29, 9 and 22 mV were recorded for SNC-300, SNC-500 and SNC-700.",
     {("SNC-300", "nucleation_overpotential", 29.0), ("SNC-500", "nucleation_overpotential", 9.0),
      ("SNC-700", "nucleation_overpotential", 22.0)}),
    # the voltage a cycling time gives in parentheses is its overpotential; a cut-off is not
    ("At 3 mA cm-2 and 3 mAh cm-2, Li@SNC-500 operated for 1000 h (24 mV).",
     {("SNC-500", "cycling_time", 1000.0), ("SNC-500", "overpotential", 24.0)}),
    ("At 3 mA cm-2, Li@SNC-500 operated for 1000 h (cut-off 1 V).", {("SNC-500", "cycling_time", 1000.0)}),
    # how much Li a host holds, the verb before or after; a plated capacity is a condition
    ("Li deposition up to 16 mAh cm-2 was accommodated by SNC-500 without dendrites.",
     {("SNC-500", "areal_capacity", 16.0)}),
    ("SNC-500 keeps a Coulombic efficiency of 99.2% at 1 mA cm-2 and 1 mAh cm-2 and accommodates up to 20 mAh cm-2.",
     {("SNC-500", "coulombic_efficiency", 99.2), ("SNC-500", "areal_capacity", 20.0)}),
    ("Stable cycling of SNC-500 was possible at current densities up to 20 mA cm-2.",
     {("SNC-500", "max_current_density", 20.0)}),
    # a difference between two figures, a criterion
    ("The activation energy of SNC-500 is 14.2 kJ mol-1 lower than that of SNC-300.", set()),
    ("In contrast, the SNC-300 pouch reaches the 80% retention limit after 62 cycles.", {("SNC-300", "cycle_count", 62.0)}),
])
def test_round_nine_classes(sentence, expected):
    assert figures(run(sentence, methods=_SNC)) == expected


def test_a_unit_is_never_a_host():
    ex = run("The Ag-C/SUS pouch reached 402 Wh kg-1 at an E/C of 2.0 g Ah-1 and retained 84% after 100 cycles.",
             methods="Ag and carbon were coated on stainless steel, denoted Ag-C/SUS.")
    assert {h.name for h in ex.hosts} == {"Ag-C/SUS"}
    assert figures(ex) == {("Ag-C/SUS", "energy_density", 402.0), ("Ag-C/SUS", "capacity_retention", 84.0)}


def test_a_composite_after_a_hyphen_is_its_own_design():
    methods = "A LiPAA film and a Li3PO4 layer were coated on Cu, denoted LiPAA@Cu, LPO@Cu and, together, LiPAA-LPO@Cu."
    ex = run("LiPAA-LPO@Cu keeps 99.3% for 300 cycles. LiPAA@Cu and LPO@Cu decay after 140 and 110 cycles, respectively.",
             methods=methods)
    assert {("LiPAA@Cu", "cycle_count", 140.0), ("LPO@Cu", "cycle_count", 110.0)} <= figures(ex)


def test_list_items_are_sentences_that_keep_the_subject():
    ex = run("The optimized SNC-500 showed:\n- a nucleation overpotential of 9 mV;\n- an average CE of 99.2% for 500 cycles;\n"
             "- 2000 h of symmetric cycling at 1 mA cm-2.", methods=_SNC)
    assert figures(ex) == {("SNC-500", "nucleation_overpotential", 9.0), ("SNC-500", "coulombic_efficiency", 99.2),
                           ("SNC-500", "cycling_time", 2000.0)}


def test_an_html_table_is_read_like_a_pipe_table():
    body = ("<table><tr><td>Host</td><td>Lifespan (h)</td><td>Hysteresis (mV)</td><td>Ref.</td></tr>"
            "<tr><td>Ag@rGO</td><td>1000</td><td>15</td><td>[7]</td></tr>"
            "<tr><td>SNC-500</td><td>2000</td><td>11</td><td>This work</td></tr></table>")
    ex = run(body, methods=_SNC)
    assert {("Ag@rGO", "cycling_time", 1000.0), ("Ag@rGO", "overpotential", 15.0), ("SNC-500", "cycling_time", 2000.0),
            ("SNC-500", "overpotential", 11.0)} <= figures(ex)
    assert {h.name: h.kind for h in ex.hosts}["Ag@rGO"] == "cited"


def test_values_listed_before_hosts_stop_at_a_contrast():
    ex = run("The charge-transfer resistances were 21.4, 9.8 and 14.9 Ω for SNC-300, SNC-500 and SNC-700, versus "
             "38.7 Ω for bare CC.", methods=_SNC + " Bare carbon cloth (CC) was the control.")
    assert figures(ex) == {("SNC-300", "charge_transfer_resistance", 21.4), ("SNC-500", "charge_transfer_resistance", 9.8),
                           ("SNC-700", "charge_transfer_resistance", 14.9), ("bare CC", "charge_transfer_resistance", 38.7)}


def test_a_sweep_of_one_host_does_not_take_the_hosts_listed_before():
    ex = run("Lifetimes of 750 h (SNC-300) and 1100 h (SNC-700) were obtained. At 3 mA cm-2, Li@SNC-500 operated for "
             "1000 h. In a sweep at 2 mA cm-2, overpotentials of 18 and 29 mV were measured at 1 and 8 mAh cm-2.",
             methods=_SNC)
    assert {("SNC-500", "overpotential", 18.0), ("SNC-500", "overpotential", 29.0)} <= figures(ex)


def test_a_control_is_named_as_the_paper_mostly_writes_it():
    from collections import Counter

    from extractor.materials import control_name

    assert control_name(Counter({"Cu foil": 4, "planar Cu": 1})) == "Cu foil"
    assert control_name(Counter({"Cu foil": 2, "bare Cu foil": 2})) == "bare Cu foil"


def test_a_table_row_of_this_work_is_the_design_and_other_rows_keep_their_names():
    body = ("Sn@CF keeps a Coulombic efficiency of 99.3% over 300 cycles.\n\n"
            "| Host | Cathode | Retention (%) | Ref. |\n|---|---|---|---|\n"
            "| Sn (this work) | NCM622 | 72.4 | this work |\n| Ti3C2Tx/CNT | NCM622 | 65.0 | [8] |\n| 3D Cu | LFP | 80.1 | [9] |\n")
    ex = run(body, methods=_SN_CF)
    assert {("Sn@CF", "capacity_retention", 72.4), ("Ti3C2Tx/CNT", "capacity_retention", 65.0),
            ("3D Cu", "capacity_retention", 80.1)} <= figures(ex)
    assert "3D" not in {h.name for h in ex.hosts}


def test_a_value_given_as_n_times_that_of_a_host_in_parentheses_has_the_same_metric():
    ex = run("The exchange current density is 1.42 mA cm-2 for Sn@CF, about 3.7 times that of bare Cu foil (0.38 mA cm-2).",
             methods=_SN_CF)
    assert figures(ex) == {("Sn@CF", "exchange_current_density", 1.42), ("bare Cu foil", "exchange_current_density", 0.38)}


@pytest.mark.parametrize("sentence, expected", [
    ("Raising the current to 5 mA cm-2, Li@SNC-500 lasts 600 h at 28 mV, compared with 150 h for SNC-300.",
     {("SNC-500", "cycling_time", 600.0), ("SNC-500", "overpotential", 28.0), ("SNC-300", "cycling_time", 150.0)}),
    ("The SNC-300 full cell decays rapidly after 180 cycles and retains only 61.3% of its capacity after 300 cycles.",
     {("SNC-300", "cycle_count", 180.0), ("SNC-300", "capacity_retention", 61.3)}),
    # a voltage the cell was charged to is no overpotential; cycles that only set a retention stay a condition
    ("Li@SNC-500 runs for 600 h at 1 mA cm-2 and is charged to 4.3 V.", {("SNC-500", "cycling_time", 600.0)}),
    ("The SNC-300 full cell retains 61.3% of its capacity after 300 cycles.", {("SNC-300", "capacity_retention", 61.3)}),
])
def test_a_cells_voltage_at_its_lifetime_and_when_it_failed(sentence, expected):
    assert figures(run(sentence, methods=_SNC + " LiFePO4 cathodes were used in full cells.")) == expected


def test_one_control_under_several_modifiers_and_a_name_defined_after_a_long_phrase():
    methods = ("UiO-66 particles were deposited onto PP with a Nafion binder, denoted UiO-66@PP. Pristine PP, bare PP "
               "and plain PP separators were tested for comparison.")
    ex = run("The UiO-66@PP cell keeps 84.3% after 250 cycles with NCM811, while the bare PP cell keeps 61.0%. "
             "The plain PP cell fails after 120 cycles.", methods=methods)
    assert ("UiO-66@PP", "capacity_retention", 84.3) in figures(ex)
    assert len([h for h in ex.hosts if h.kind == "control"]) == 1


def test_a_review_names_the_works_it_reviews_in_its_introduction():
    from extractor.load_text import load_text
    from extractor.relate import extract
    from extractor.segment import segment

    text = ("Separator-side strategies for lithium metal anodes: a review\n\n1. Introduction\n\n"
            "Wang et al. deposited UiO-66 on PP, denoted UiO-66@PP [12]. The UiO-66@PP cell kept 84.3% after 250 "
            "cycles with NCM811.\n")
    ex = extract(segment(load_text("review.txt", text)))
    assert {h.name: h.kind for h in ex.hosts}.get("UiO-66@PP") == "cited"


def test_a_table_whose_columns_name_the_designs_gives_each_column_to_its_design():
    body = ("<table><tr><td>Temperature (°C)</td><td>Li@Sn@CF overpotential (mV)</td><td>Li@Sn@CF lifespan (h)</td>"
            "<td>Li@Cu foil lifespan (h)</td></tr>"
            "<tr><td>0</td><td>31</td><td>1200</td><td>110</td></tr>"
            "<tr><td>45</td><td>9</td><td>1000</td><td>130</td></tr></table>")
    ex = run(body, methods="Sn nanoparticles were grown on Cu foam, denoted Sn@CF. Cu foil served as the control.")
    assert figures(ex) == {("Sn@CF", "overpotential", 31.0), ("Sn@CF", "cycling_time", 1200.0),
                           ("Sn@CF", "overpotential", 9.0), ("Sn@CF", "cycling_time", 1000.0),
                           ("Cu foil", "cycling_time", 110.0), ("Cu foil", "cycling_time", 130.0)}
    assert find(ex, "overpotential", 9.0).conditions.temperature == 45


def test_a_pipe_table_cell_may_hold_a_cell_notation():
    body = ("| Host | Cell | Retention (%) | Ref. |\n|---|---|---|---|\n"
            "| ZnO@CNT | Li||LFP, 1 C | 92.1 | [3] |\n| Sn@CF | Li||NCM811, 0.5 C | 84.0 | this work |\n")
    ex = run(body, methods=_SN_CF)
    assert {("ZnO@CNT", "capacity_retention", 92.1), ("Sn@CF", "capacity_retention", 84.0)} <= figures(ex)


@pytest.mark.parametrize("sentence, expected", [
    ("Even at the highest current density of 10 mA cm-2 the Sn@CF profile stays flat, and back at 1 mA cm-2 the "
     "overpotential recovers to 12 mV.", {("Sn@CF", "max_current_density", 10.0), ("Sn@CF", "overpotential", 12.0)}),
    ("Even at 3 mA cm-2 and 3 mAh cm-2, Sn@CF keeps a Coulombic efficiency of 98.6%.", {("Sn@CF", "coulombic_efficiency", 98.6)}),
    ("The critical current density of Sn@CF was found with 0.05 mA cm-2 steps and is 1.4 mA cm-2.",
     {("Sn@CF", "max_current_density", 1.4)}),
])
def test_the_highest_current_density_reached_and_a_tests_step(sentence, expected):
    assert figures(run(sentence, methods=_SN_CF)) == expected


def test_a_composite_may_have_a_one_letter_part_and_a_skeleton_is_a_part():
    from extractor.materials import is_material_token

    assert is_material_token("VN/G") and is_material_token("Si/C")
    assert not is_material_token("N/P") and not is_material_token("E/C")
    methods = "Ni3Sn2 seeds were grown on vertical graphene (VG) on Ni foam, denoted Ni3Sn2@VG/NF; VG/NF alone was the control."
    ex = run("Ni3Sn2@VG/NF keeps a Coulombic efficiency of 99.0%. The high-area VG skeleton gives a nucleation "
             "overpotential of 8 mV.", methods=methods)
    assert ("Ni3Sn2@VG/NF", "nucleation_overpotential", 8.0) in figures(ex)


def test_a_formula_its_morphology_and_its_substrate_are_one_name():
    methods = "Cu foam (CF) was turned into a Cu3P nanowire array, denoted Cu3P NW/CF, via its CuO NW/CF precursor."
    ex = run("The nucleation overpotential of Cu3P NW/CF is only 9 mV, far below those of CuO NW/CF (24 mV) and "
             "bare CF (46 mV).", methods=methods)
    assert figures(ex) == {("Cu3P NW/CF", "nucleation_overpotential", 9.0), ("CuO NW/CF", "nucleation_overpotential", 24.0),
                           ("bare CF", "nucleation_overpotential", 46.0)}
    # a formula and a morphology alone stay a component ("ZnO NWs grew on the foam")
    from extractor.materials import find_candidates

    assert not any(c.text == "ZnO NWs grew" for c in find_candidates("ZnO NWs grew on the Cu foam.", frozenset()))


_ZF = "A ZnF2 interlayer was cast on Li, denoted ZF-IL. Bare Li foil was the control."


@pytest.mark.parametrize("sentence, expected", [
    # a design that changes a figure "from" one value "to" another: the first is the control's
    ("ZF-IL keeps a Coulombic efficiency of 99.3%. The interlayer lowers the nucleation overpotential from 47 mV to 6 mV.",
     {("ZF-IL", "coulombic_efficiency", 99.3), ("bare Li foil", "nucleation_overpotential", 47.0),
      ("ZF-IL", "nucleation_overpotential", 6.0)}),
    # one host's own two values
    ("The CE of ZF-IL increased from 97.1% to 99.2% over the first 20 cycles.",
     {("ZF-IL", "coulombic_efficiency", 97.1), ("ZF-IL", "coulombic_efficiency", 99.2)}),
    ("Increasing the current density raised the overpotential of ZF-IL from 12 to 30 mV.",
     {("ZF-IL", "overpotential", 12.0), ("ZF-IL", "overpotential", 30.0)}),
    # a usual range is no figure; "for reference" goes on comparing
    ("ZF-IL shows a nucleation overpotential of 12 mV. For comparison, bare Li in most studies falls between 30 and 60 mV.",
     {("ZF-IL", "nucleation_overpotential", 12.0)}),
    ("ZF-IL shows a nucleation overpotential of 12 mV. For reference, a bare Li foil tested the same way shows 71 mV.",
     {("ZF-IL", "nucleation_overpotential", 12.0), ("bare Li foil", "nucleation_overpotential", 71.0)}),
    # a plain Li anode against a sulfur cathode, where the design names its own Li-S cells
    ("The Li@ZF-IL||S cell delivers 845 mAh g-1 at first. The Li||S cell only has 612 mAh g-1 after 150 cycles.",
     {("ZF-IL", "specific_capacity", 845.0), ("bare Li foil", "specific_capacity", 612.0)}),
])
def test_round_eleven_classes(sentence, expected):
    assert figures(run(sentence, methods=_ZF)) == expected


_LIMG = "Li-Mg alloys with 5, 10 and 20 wt% Mg were rolled, denoted Li-Mg5, Li-Mg10 and Li-Mg20. Bare Li foil was the control."


def test_a_lithium_alloy_keeps_its_li_in_the_name_and_a_listed_metric_reaches_every_value():
    ex = run("The exchange current densities of bare Li foil, Li-Mg5, Li-Mg10 and Li-Mg20 are 0.21, 0.47, 0.58 and "
             "0.66 mA cm-2, respectively.", methods=_LIMG)
    assert figures(ex) == {("bare Li foil", "exchange_current_density", 0.21), ("Li-Mg5", "exchange_current_density", 0.47),
                           ("Li-Mg10", "exchange_current_density", 0.58), ("Li-Mg20", "exchange_current_density", 0.66)}
    # a current density the exchange current was measured at is no exchange current density
    assert figures(run("The exchange current density of Li-Mg10 was measured in cells cycled at 1 mA cm-2.",
                       methods=_LIMG)) == set()
    # a lithiated host keeps its own name
    assert {h.name for h in run("The Li@Sn@CF electrode keeps a CE of 99.1%.", methods=_SN_CF).hosts} >= {"Sn@CF"}


_AGZN = "Ag and Zn were sputtered on Cu, denoted Ag/Cu and Zn/Cu. Bare Cu was the control."


@pytest.mark.parametrize("sentence, expected", [
    ("Ag/Cu last 420 cycles with a stable voltage.", {("Ag/Cu", "cycle_count", 420.0)}),
    ("Zn/Cu reach 280 cycles, and after that the CE fluctuates.", {("Zn/Cu", "cycle_count", 280.0)}),
    ("Over the last 50 cycles, the CE of Ag/Cu stays at 98.7%.", {("Ag/Cu", "coulombic_efficiency", 98.7)}),
    ("The CE of Zn/Cu reaches 99.1% after 20 cycles.", {("Zn/Cu", "coulombic_efficiency", 99.1)}),
    # a converter splits the subscript of R_ct
    ("Nyquist plots give R ct of 6.4 Ω (Ag/Cu) and 15.7 Ω (Zn/Cu) after 10 cycles.",
     {("Ag/Cu", "charge_transfer_resistance", 6.4), ("Zn/Cu", "charge_transfer_resistance", 15.7)}),
])
def test_lives_stated_with_last_and_reach_and_a_split_rct(sentence, expected):
    assert figures(run(sentence, methods=_AGZN)) == expected


def test_a_list_of_lives_with_the_verb_left_out():
    methods = ("LiF was evaporated on Cu nanowires and on Cu foil, denoted LiF@CuNW and LiF@Cu; bare CuNW and Cu foil "
               "were the controls.")
    ex = run("Cu foil drops below 90% after 95 cycles, LiF@Cu after 170 cycles and CuNW after 230 cycles.", methods=methods)
    assert figures(ex) == {("Cu foil", "cycle_count", 95.0), ("LiF@Cu", "cycle_count", 170.0),
                           ("bare CuNW", "cycle_count", 230.0)}
    ex = run("The CuNW cell short-circuits at 850 h and the LiF@Cu cell at 390 h.", methods=methods)
    assert figures(ex) == {("bare CuNW", "cycling_time", 850.0), ("LiF@Cu", "cycling_time", 390.0)}
    # no life named first: cycles that follow a host are not a life
    assert figures(run("LiF@Cu was rested, and LiF@CuNW after 170 cycles was imaged.", methods=methods)) == set()


@pytest.mark.parametrize("sentence, expected", [
    ("The Sn@CF cell keeps a Coulombic efficiency of 99.1%, and its first-cycle loss (7.9%) is small.",
     {("Sn@CF", "coulombic_efficiency", 99.1)}),
    ("The Li-Sn@CF||NCM811 pouch retains 85.2% after 200 cycles, while on bare Li foil 80% is reached after only 38 cycles.",
     {("Sn@CF", "capacity_retention", 85.2)}),  # the 80% is the criterion, not a retention
    ("The hysteresis of Sn@CF barely changes across the first 1000 h of symmetric cycling, and the cell runs for 1800 h.",
     {("Sn@CF", "cycling_time", 1800.0)}),
])
def test_losses_criteria_reached_and_stretches_of_a_test_are_no_figures(sentence, expected):
    assert figures(run(sentence, methods=_SN_CF)) == expected


def test_an_alloy_named_by_its_partner_element_keeps_its_li():
    from extractor.materials import key

    assert key("Li-B") == "li-b" and key("Li–Mg") == "li–mg"
    assert key("Li@ZnO") == "zno" and key("Li-Cu") == "cu" and key("Li/Cu") == "cu"  # lithiated hosts, cells
    ex = run("The Li-B alloy was operated at 5 mA cm-2 and lasted more than 400 h.",
             intro="A lithium-boron alloy (Li-B) holds free lithium in a fibrous skeleton.")
    assert figures(ex) == {("Li-B", "cycling_time", 400.0)}

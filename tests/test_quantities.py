"""parse_quantities: sentence -> quantities. The table is the specification."""

from __future__ import annotations

import re
from typing import NamedTuple

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extractor.quantities import group_lists, parse_quantities
from extractor.units import WRITTEN, parse_unit, written_specs


class E(NamedTuple):
    """An expected quantity."""

    value: float
    unit: str
    qualifier: str = "eq"
    low: float | None = None
    high: float | None = None
    uncertainty: float | None = None
    raw: str | None = None


CASES = [
    # ---- plain quantities and their units
    ("The cell was cycled at 1 mA cm-2 for 1200 h.", [E(1, "mA/cm2"), E(1200, "h")]),
    ("It plated 10 mAh cm-2 and stripped at 10 mA cm-2.", [E(10, "mAh/cm2"), E(10, "mA/cm2")]),
    ("The anode delivered 165.2 mAh g-1 at 0.5 C.", [E(165.2, "mAh/g"), E(0.5, "C")]),
    ("Measured at 200 mA g-1 in the first cycle.", [E(200, "mA/g")]),
    ("A specific energy of 350 Wh kg-1 and 700 Wh L-1 was estimated.", [E(350, "Wh/kg"), E(700, "Wh/L")]),
    ("The average CE reached 99.25%.", [E(99.25, "%")]),
    ("It kept 97.6% of its capacity.", [E(97.6, "%")]),
    ("The carbon contains 5.2 wt% N and 3.1 at% O.", [E(5.2, "wt%"), E(3.1, "at%")]),
    ("The BET area is 812 m2 g-1 with a pore volume of 0.94 cm3 g-1.", [E(812, "m2/g"), E(0.94, "cm3/g")]),
    ("The hollow spheres are 240 nm wide with 15 nm shells.", [E(240, "nm"), E(15, "nm")]),
    ("The film is 20 µm thick, the foil 50 μm.", [E(20, "um", raw="20 µm"), E(50, "um", raw="50 μm")]),
    ("A loading of 12.5 mg cm-2 was used.", [E(12.5, "mg/cm2")]),
    ("The electrolyte was 1 M LiPF6 in EC/DEC.", [E(1, "M")]),
    ("The modulus was 8.6 GPa at 3 MPa stack pressure.", [E(8.6, "GPa"), E(3, "MPa")]),
    ("The contact angle dropped to 12°.", [E(12, "deg")]),
    ("Rct fell to 35.4 Ω after cycling.", [E(35.4, "ohm")]),
    ("An area-specific resistance of 12 Ω cm2 was found.", [E(12, "ohm*cm2")]),
    ("The ionic conductivity was 2.1 mS cm-1.", [E(2.1e-3, "S/cm")]),
    # ---- conversions
    ("The overpotential was 1.2 V at first.", [E(1200, "mV")]),
    ("A hysteresis of only 18 mV was seen.", [E(18, "mV")]),
    ("The activation energy was 0.36 eV.", [E(34.7347, "kJ/mol")]),
    ("The activation energy was 45.3 kJ mol-1.", [E(45.3, "kJ/mol")]),
    ("The test ran at 298 K.", [E(24.85, "degC")]),
    ("The cells rested for 20 min.", [E(20 / 60, "h")]),
    ("A current of 0.5 A g-1 was applied.", [E(500, "mA/g")]),
    ("A current of 50 µA cm-2 was applied.", [E(0.05, "mA/cm2")]),
    ("It delivered 0.16 Ah g-1.", [E(160, "mAh/g")]),
    # ---- temperature vs C-rate vs formulas
    ("Cells were tested at 25 °C and 1C.", [E(25, "degC"), E(1, "C")]),
    ("Full cells ran at 10 C for 500 cycles.", [E(10, "C"), E(500, "cycles")]),
    ("Cells were charged at C/10 before cycling.", [E(0.1, "C", raw="C/10")]),
    ("LiC6 and the C/S cathode are not rates.", []),
    ("Pouch cells at 0.2C/0.5C charge/discharge.", [E(0.2, "C"), E(0.5, "C")]),
    # ---- signs, uncertainty, percentages per cycle
    ("The nucleation overpotential was -365 mV.", [E(-365, "mV")]),
    ("The CE was 99.2 ± 0.3% over 200 cycles.", [E(99.2, "%", uncertainty=0.3), E(200, "cycles", "gt")]),
    ("The CE was 98.1% ± 0.4% on average.", [E(98.1, "%", uncertainty=0.4)]),
    ("The capacity decays by 0.045% per cycle.", [E(0.045, "%/cycle")]),
    ("A fading rate of 0.012% cycle-1 was found.", [E(0.012, "%/cycle")]),
    # ---- ranges
    ("Rates from 0.2–10 C were used.", [E(0.2, "C", low=0.2, high=10)]),
    ("Rates of 0.2-10 C were used.", [E(0.2, "C", low=0.2, high=10)]),
    ("The current went from 0.5 to 5 mA cm-2.", [E(0.5, "mA/cm2", low=0.5, high=5)]),
    ("Cycled between 2.0 and 4.2 V.", [E(2000, "mV", low=2000, high=4200)]),
    ("Cycled between 2.8 V and 4.3 V.", [E(2800, "mV", low=2800, high=4300)]),
    ("The window was 3.0 V–4.3 V.", [E(3000, "mV", low=3000, high=4300)]),
    ("Particles of ~20–30 nm formed.", [E(20, "nm", "approx", low=20, high=30)]),
    ("Pores of 2~5 nm were seen.", [E(2, "nm", low=2, high=5)]),
    ("Retention rose from 9% to 81% after coating.", [E(9, "%"), E(81, "%")]),
    # ---- lists with a shared unit, comparisons
    ("Rates of 0.5, 1, 2, 3, 4, and 5 C were applied.",
     [E(0.5, "C", raw="0.5"), E(1, "C"), E(2, "C"), E(3, "C"), E(4, "C"), E(5, "C", raw="5 C")]),
    ("Capacities were 156.5, 145.4 and 132.8 mAh g-1, respectively.",
     [E(156.5, "mAh/g"), E(145.4, "mAh/g"), E(132.8, "mAh/g")]),
    ("The host is better at 0.1C (190.1 vs 166.1 mAh g-1).",
     [E(0.1, "C"), E(190.1, "mAh/g"), E(166.1, "mAh/g")]),
    ("Capacities of about 150, 140 and 130 mAh g-1 were kept.",
     [E(150, "mAh/g", "approx"), E(140, "mAh/g", "approx"), E(130, "mAh/g", "approx")]),
    ("Tested at 1 mA cm-2/1 mAh cm-2 for 300 h.", [E(1, "mA/cm2"), E(1, "mAh/cm2"), E(300, "h")]),
    ("Tested at 1 mA cm-2 and 1 mAh cm-2.", [E(1, "mA/cm2"), E(1, "mAh/cm2")]),
    ("Current densities of 1, 3 and 5 mA cm-2 at 1 mAh cm-2.",
     [E(1, "mA/cm2"), E(3, "mA/cm2"), E(5, "mA/cm2"), E(1, "mAh/cm2")]),
    # ---- counts and times
    ("It ran stably for 500 cycles.", [E(500, "cycles")]),
    ("Over 600 cycles were achieved.", [E(600, "cycles", "gt")]),
    ("The CE over the first 130 cycles was high.", [E(130, "cycles")]),
    ("Stable cycling for >1200 h was shown.", [E(1200, "h", "gt")]),
    ("Stable cycling for 1,200 h was shown.", [E(1200, "h")]),
    ("The bare foil failed after 100 h.", [E(100, "h")]),
    ("After the 100th cycle the capacity dropped.", [E(100, "cycles")]),
    ("The pellet was pressed 5 times.", [E(5, "cycles")]),
    ("The flux is 3 times higher than on Cu.", []),
    ("Stable for 1000 cycles or more.", [E(1000, "cycles", "gt")]),
    # ---- qualifiers
    ("An areal capacity up to 10 mAh cm-2 was reached.", [E(10, "mAh/cm2", "up_to")]),
    ("A CE as high as 99.5% was kept.", [E(99.5, "%", "up_to")]),
    ("It lasted as long as 2000 h.", [E(2000, "h", "up_to")]),
    ("The overpotential was about 20 mV.", [E(20, "mV", "approx")]),
    ("The overpotential was approximately 20 mV.", [E(20, "mV", "approx")]),
    ("The overpotential was ≈15 mV.", [E(15, "mV", "approx")]),
    ("The overpotential was ~15 mV.", [E(15, "mV", "approx")]),
    ("The overpotential was ca. 15 mV.", [E(15, "mV", "approx")]),
    ("It retained more than 90% of capacity.", [E(90, "%", "gt")]),
    ("It cycled beyond 800 h.", [E(800, "h", "gt")]),
    ("It cycled at least 300 cycles.", [E(300, "cycles", "gt")]),
    ("The overpotential stays below 30 mV.", [E(30, "mV", "lt")]),
    ("The overpotential stays <30 mV.", [E(30, "mV", "lt")]),
    ("The overpotential was under 30 mV.", [E(30, "mV", "lt")]),
    ("Cells were cycled under 2 mA cm-2.", [E(2, "mA/cm2")]),
    # ---- scientific notation
    ("The conductivity is 1.2 × 10-3 S cm-1.", [E(1.2e-3, "S/cm")]),
    ("The conductivity is 1.2 × 10^-3 S cm-1.", [E(1.2e-3, "S/cm")]),
    ("The conductivity is 10-4 S cm-1.", [E(1e-4, "S/cm")]),
    ("A value of .5 mA cm-2 was used.", [E(0.5, "mA/cm2")]),
    # ---- compounds that must not be read as a shorter unit
    ("CV at 0.1 mV s-1 was recorded.", [E(0.1, "mV/s")]),
    ("Heated at 5 °C min-1 to 800 °C for 2 h.", [E(5, "degC/min"), E(800, "degC"), E(2, "h")]),
    ("The D band at 1350 cm-1 is strong.", []),
    ("A 10 nm-thick layer of h-BN was grown.", [E(10, "nm")]),
    # ---- leftovers of text extraction
    ("At 5 mA/cm2 with 2 mAh/cm2.", [E(5, "mA/cm2"), E(2, "mAh/cm2")]),
    ("At 3 mA cm−2 it gave 150 mA h g-1.", [E(3, "mA/cm2"), E(150, "mAh/g")]),
    ("At 1 mA·cm-2 the impedance was 25 Ohm.", [E(1, "mA/cm2"), E(25, "ohm")]),
    ("The resistance was 40 ohm.", [E(40, "ohm")]),
    ("At 4 mA cm^{-2} and 2 mAh cm⁻².", [E(4, "mA/cm2"), E(2, "mAh/cm2")]),
    # ---- not quantities
    ("As shown in Fig. 3b, the film is dense.", []),
    ("See Figure 2C and Table 1.", []),
    ("Dendrites form easily [12].", []),
    ("Li6PS5Cl was used as electrolyte.", []),
    ("The work was published in 2023.", []),
    ("An NCM811 cathode was paired.", []),
    ("LiNi0.8Co0.1Mn0.1O2 cathodes were used.", []),
    ("The peak at 2θ of the (002) plane.", []),
    ("As given in Eq. (1), the flux is uniform.", []),
    ("ZIF-8 crystals grew on Cu.", []),
    ("Forty samples were prepared in 3 batches.", []),
    ("In 2019, 5 mA cm-2 was the limit.", [E(5, "mA/cm2")]),
    ("Fig. 4h shows the voltage profiles.", []),
]


def _check(got, expected):
    assert len(got) == len(expected), [q.raw for q in got]
    for q, e in zip(got, expected):
        assert q.unit == e.unit, q
        assert q.value == pytest.approx(e.value, rel=1e-4), q
        assert q.qualifier == e.qualifier, q
        if e.low is None:
            assert q.low is None and q.high is None, q
        else:
            assert q.low == pytest.approx(e.low, rel=1e-4), q
            assert q.high == pytest.approx(e.high, rel=1e-4), q
        if e.uncertainty is not None:
            assert q.uncertainty == pytest.approx(e.uncertainty, rel=1e-4), q
        if e.raw is not None:
            assert q.raw == e.raw, q


@pytest.mark.parametrize("sentence, expected", CASES, ids=[c[0][:50] for c in CASES])
def test_sentence(sentence, expected):
    _check(parse_quantities(sentence), expected)


def test_the_table_is_large():
    assert len(CASES) >= 60


# ---------------------------------------------------------------- field semantics


def test_fields_of_a_converted_quantity():
    (q,) = parse_quantities("The overpotential was 1.2 V.")
    assert (q.value, q.unit, q.dimension) == (1200.0, "mV", "voltage")
    assert (q.raw, q.raw_value, q.raw_unit) == ("1.2 V", 1.2, "V")
    assert "The overpotential was 1.2 V."[q.start:q.end] == "1.2 V"


def test_range_value_is_the_low_end():
    (q,) = parse_quantities("between 2.0 and 4.2 V")
    assert (q.value, q.low, q.high, q.raw_value) == (2000.0, 2000.0, 4200.0, 2.0)
    assert q.raw == "2.0 and 4.2 V"


def test_list_members_span_their_own_number():
    text = "Rates of 0.5, 1 and 2 C."
    qs = parse_quantities(text)
    assert [q.raw for q in qs] == ["0.5", "1", "2 C"]
    assert all(q.raw_unit == "C" for q in qs)


def test_group_lists_pairs_respectively():
    text = "Capacities of 150, 140 and 120 mAh g-1 at 1, 2 and 5 C, respectively, at 1 mA cm-2."
    qs = parse_quantities(text)
    groups = group_lists(qs, text)
    assert [[q.value for q in g] for g in groups] == [[150, 140, 120], [1, 2, 5]]
    pairs = list(zip(*groups))
    assert [(a.value, b.value) for a, b in pairs] == [(150, 1), (140, 2), (120, 5)]


def test_group_lists_with_repeated_units_and_comparisons():
    text = "At 1 mA cm-2, 2 mA cm-2 and 5 mA cm-2 (190.1 vs 166.1 mAh g-1)."
    groups = group_lists(parse_quantities(text), text)
    assert [[q.value for q in g] for g in groups] == [[1, 2, 5], [190.1, 166.1]]


def test_group_lists_leaves_out_single_quantities():
    text = "At 1 mA cm-2 for 100 h."
    assert group_lists(parse_quantities(text), text) == []


def test_negative_values_keep_their_sign():
    (q,) = parse_quantities("a potential of −0.15 V")
    assert q.value == pytest.approx(-150.0)


def test_garbled_numbers_are_not_guessed():
    # "4. V": a digit lost in text extraction
    assert parse_quantities("between 2.0 and 4. V") == []


# ---------------------------------------------------------------- properties

_ALPHABET = st.sampled_from(
    list("0123456789.,;:-–−~≈±×x^()[]/%° abcdCVhgmAµμΩKMS") + ["mA cm-2", "mAh g-1", " to ", " and ", "Fig. ", "C/"]
)


def _check_spans(text, qs):
    last = 0
    for q in qs:
        assert 0 <= q.start < q.end <= len(text)
        assert text[q.start:q.end] == q.raw
        assert q.start >= last
        last = q.end


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
@given(st.text())
def test_arbitrary_text_never_crashes(text):
    _check_spans(text, parse_quantities(text))


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_ALPHABET, max_size=40).map("".join))
def test_number_heavy_text_never_crashes_and_spans_hold(text):
    qs = parse_quantities(text)
    _check_spans(text, qs)
    for q in qs:
        assert q.qualifier in ("eq", "approx", "gt", "lt", "up_to")
        if q.low is not None:
            assert q.low <= q.high


# one normalized spelling per row of units.WRITTEN
_SPELLINGS = [(i, d) for i, (d, _, _) in enumerate(WRITTEN) if not d.startswith("=")]


@settings(max_examples=300)
@given(
    row=st.sampled_from(_SPELLINGS),
    number=st.decimals(min_value="0.001", max_value="99999", places=3, allow_nan=False),
    glued=st.booleans(),
)
def test_number_unit_round_trips(row, number, glued):
    index, display = row
    written = f"{number}"
    text = f"{written}{'' if glued and display[0].isalpha() else ' '}{display}"
    qs = parse_quantities(text)
    assert len(qs) == 1, (text, qs)
    (q,) = qs
    spec = written_specs()[index]
    assert q.raw == text
    assert q.unit == spec.key
    assert q.raw_value == pytest.approx(float(written))
    assert q.value == pytest.approx(float(written) * spec.factor + spec.offset, rel=1e-9, abs=1e-9)
    assert parse_unit(q.raw_unit) == spec


@given(count=st.integers(min_value=1, max_value=5000))
def test_counts_round_trip(count):
    for text in (f"{count} cycles", f"the {count}th cycle", f"{count} times"):
        (q,) = parse_quantities(text)
        assert (q.value, q.unit) == (count, "cycles")


def test_unit_regex_prefers_longer_spellings():
    text = "10 mAh cm-2 vs 10 mA cm-2 vs 10 mA vs 10 mAh"
    assert [q.unit for q in parse_quantities(text)] == ["mAh/cm2", "mA/cm2", "mA", "mAh"]


def test_no_quantity_overlaps_in_real_looking_text():
    text = ("The Li||Cu cells with NHCNSs kept an average CE of 98.6% over 300 cycles at 1 mA cm-2 "
            "and 1 mAh cm-2, and the Li|Li cells ran for 1,200 h (Fig. 4c) [23]; full cells with "
            "LiFePO4 (12 mg cm-2) retained 91.3% after 500 cycles at 1C between 2.5 and 4.0 V.")
    qs = parse_quantities(text)
    _check_spans(text, qs)
    assert [(q.value, q.unit) for q in qs] == [
        (98.6, "%"), (300, "cycles"), (1, "mA/cm2"), (1, "mAh/cm2"), (1200, "h"),
        (12, "mg/cm2"), (91.3, "%"), (500, "cycles"), (1, "C"), (2500, "mV"),
    ]
    assert re.search("Fig", qs[4].raw) is None

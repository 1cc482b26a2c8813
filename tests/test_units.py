"""units: written units -> canonical units of schema/vocab.toml, through pint."""

from __future__ import annotations

import math

import pytest

from extractor.errors import HostkbError
from extractor.units import WRITTEN, UnitError, convert, normalize, parse_unit, written_specs
from extractor.vocab import vocabulary

NORMALIZE = [
    # (value, unit as written, expected value, canonical key)
    (1.2, "V", 1200.0, "mV"),
    (35, "mV", 35.0, "mV"),
    (0.36, "eV", 34.7347, "kJ/mol"),
    (25, "meV", 2.41213, "kJ/mol"),
    (45, "kJ mol-1", 45.0, "kJ/mol"),
    (45, "kJ/mol", 45.0, "kJ/mol"),
    (10, "kcal mol-1", 41.84, "kJ/mol"),
    (0.5, "A g-1", 500.0, "mA/g"),
    (0.5, "A/g", 500.0, "mA/g"),
    (200, "mA g-1", 200.0, "mA/g"),
    (2, "A cm-2", 2000.0, "mA/cm2"),
    (50, "µA cm-2", 0.05, "mA/cm2"),
    (50, "μA cm-2", 0.05, "mA/cm2"),  # Greek mu
    (50, "uA/cm2", 0.05, "mA/cm2"),
    (1, "mA cm-2", 1.0, "mA/cm2"),
    (1, "mA/cm2", 1.0, "mA/cm2"),
    (1, "mA cm−2", 1.0, "mA/cm2"),  # Unicode minus
    (1, "mA·cm-2", 1.0, "mA/cm2"),
    (1, "mA cm^-2", 1.0, "mA/cm2"),
    (1, "mA cm⁻²", 1.0, "mA/cm2"),
    (10, "A m-2", 1.0, "mA/cm2"),
    (0.16, "Ah g-1", 160.0, "mAh/g"),
    (160, "Ah kg-1", 160.0, "mAh/g"),
    (160, "mA h g-1", 160.0, "mAh/g"),
    (160, "mAh/g", 160.0, "mAh/g"),
    (3, "mAh cm-2", 3.0, "mAh/cm2"),
    (500, "µAh cm-2", 0.5, "mAh/cm2"),
    (350, "Wh kg-1", 350.0, "Wh/kg"),
    (350, "mWh g-1", 350.0, "Wh/kg"),
    (700, "Wh L-1", 700.0, "Wh/L"),
    (298.15, "K", 25.0, "degC"),
    (25, "°C", 25.0, "degC"),
    (30, "min", 0.5, "h"),
    (3600, "s", 1.0, "h"),
    (2, "days", 48.0, "h"),
    (100, "h", 100.0, "h"),
    (0.5, "C", 0.5, "C"),
    (500, "cycles", 500.0, "cycles"),
    (99.5, "%", 99.5, "%"),
    (0.05, "% cycle-1", 0.05, "%/cycle"),
    (0.05, "% per cycle", 0.05, "%/cycle"),
    (5, "wt%", 5.0, "wt%"),
    (5, "wt.%", 5.0, "wt%"),
    (5, "at%", 5.0, "at%"),
    (12, "Ω", 12.0, "ohm"),
    (12, "Ohm", 12.0, "ohm"),
    (12, "ohm", 12.0, "ohm"),
    (1.5, "kΩ", 1500.0, "ohm"),
    (12, "Ω cm2", 12.0, "ohm*cm2"),
    (1.2, "mS cm-1", 1.2e-3, "S/cm"),
    (0.12, "S m-1", 1.2e-3, "S/cm"),
    (850, "m2 g-1", 850.0, "m2/g"),
    (1.1, "cm3 g-1", 1.1, "cm3/g"),
    (2.3, "g cm-3", 2.3, "g/cm3"),
    (1.5, "mg cm-2", 1.5, "mg/cm2"),
    (1, "M", 1.0, "M"),
    (500, "mM", 0.5, "M"),
    (1, "mol L-1", 1.0, "M"),
    (8, "GPa", 8.0, "GPa"),
    (500, "kPa", 0.5, "MPa"),
    (20, "nm", 20.0, "nm"),
    (5, "Å", 0.5, "nm"),
    (10, "µm", 10.0, "um"),
    (10, "μm", 10.0, "um"),
    (0.5, "mm", 500.0, "um"),
    (120, "°", 120.0, "deg"),
    (0.1, "mV s-1", 0.1, "mV/s"),
    (5, "°C min-1", 5.0, "degC/min"),
    (2.5, "Ah", 2500.0, "mAh"),
]


@pytest.mark.parametrize("value, text, expected, key", NORMALIZE)
def test_normalize(value, text, expected, key):
    got, got_key = normalize(value, text)
    assert got_key == key
    assert got == pytest.approx(expected, rel=1e-3)


def test_ev_to_kj_per_mol_within_a_thousandth():
    value, key = normalize(0.36, "eV")
    assert key == "kJ/mol"
    assert abs(value - 34.73) / 34.73 < 1e-3


def test_kelvin_is_an_offset_not_a_factor():
    assert normalize(0, "K")[0] == pytest.approx(-273.15)
    assert normalize(373.15, "K")[0] == pytest.approx(100.0)


def test_parse_unit_gives_factor_offset_and_dimension():
    spec = parse_unit("V")
    assert (spec.key, spec.factor, spec.offset, spec.dimension) == ("mV", 1000.0, 0.0, "voltage")
    assert spec.apply(0.05) == pytest.approx(50.0)


@pytest.mark.parametrize("value, text, to_key, expected", [
    (1200, "mV", "V", 1.2),
    (1.2, "V", "V", 1.2),
    (1.2, "V", "mV", 1200.0),
    (90, "min", "min", 90.0),
    (2, "h", "min", 120.0),
    (25, "°C", "degC", 25.0),
    (300, "K", "degC", 26.85),
    (0.02, "µm", "nm", 20.0),
    (500, "mA/g", "mA/g", 500.0),
])
def test_convert_to_any_compatible_key(value, text, to_key, expected):
    assert convert(value, text, to_key) == pytest.approx(expected, rel=1e-6)


@pytest.mark.parametrize("text, to_key", [
    ("%", "wt%"),  # distinct dimensionless kinds stay apart
    ("%", "%/cycle"),
    ("C", "cycles"),
    ("mA cm-2", "mAh/cm2"),
    ("V", "h"),
])
def test_convert_refuses_incompatible_units(text, to_key):
    with pytest.raises(UnitError) as err:
        convert(1.0, text, to_key)
    assert text in str(err.value)


def test_convert_to_unknown_key_raises():
    with pytest.raises(UnitError, match="furlongs_per_fortnight"):
        convert(1.0, "mV", "furlongs_per_fortnight")


@pytest.mark.parametrize("text", ["blorbs", "mA zz-2", "", "   ", "12", "((("])
def test_unknown_unit_raises_unit_error_with_the_text(text):
    with pytest.raises(UnitError) as err:
        parse_unit(text)
    assert isinstance(err.value, HostkbError)
    assert err.value.unit_text == text
    assert repr(text) in str(err.value)


@pytest.mark.parametrize("text, key", [
    ("mA/mm2", "mA/cm2"),  # not in the spelling table: pint, then the key of the same dimensionality
    ("pm", "nm"),
    ("bar", "MPa"),
    ("hour", "h"),
])
def test_spellings_outside_the_table_go_through_pint(text, key):
    assert parse_unit(text).key == key


def test_every_written_unit_has_a_canonical_key_and_a_pint_factor():
    units = vocabulary().units
    specs = written_specs()
    assert len(specs) == len(WRITTEN)
    for (display, _pint, key), spec in zip(WRITTEN, specs):
        assert key in units, display
        assert spec.key == key
        assert spec.dimension == units[key].dimension
        assert math.isfinite(spec.factor) and spec.factor > 0, display


def test_every_display_form_reads_back_as_itself():
    for index, (display, _pint, _key) in enumerate(WRITTEN):
        if display.startswith("="):
            continue
        assert parse_unit(display) == written_specs()[index], display


def test_parse_unit_is_cached():
    parse_unit.cache_clear()
    parse_unit("mA cm-2")
    parse_unit("mA cm-2")
    assert parse_unit.cache_info().hits >= 1

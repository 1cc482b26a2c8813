"""Units as written in papers, and their conversion to the canonical units of
schema/vocab.toml.

Two layers:

* ``WRITTEN``: every unit spelling the quantity parser recognizes, as a display form
  in the normalizer's spelling (``"mA cm-2"``), the pint expression of what it means,
  and the canonical unit key it converts to. ``unit_pattern()`` turns the table into
  one regular expression (one named group per row) that also accepts the usual
  leftovers of text extraction: ``mA/cm2``, ``mA·cm−2``, ``mA h g-1``, ``μm`` and
  ``µm``, ``Ohm``, ``cm^-2``, ``cm⁻²``.
* pint does the arithmetic. One ``UnitRegistry`` is built on first use, with the
  battery units it lacks (``C_rate``, ``charge_cycle``, ``mAh``, ``wt_percent``,
  ``at_percent``); every conversion factor is computed once and cached, so parsing a
  sentence never calls pint.

``parse_unit(text)`` reads a unit as written and returns a ``UnitSpec``
(canonical key, factor, offset, dimension): ``canonical = written * factor + offset``.
``normalize(value, text)`` applies it; ``convert(value, text, to_key)`` converts to any
compatible canonical key (``V`` -> ``mV`` is the default, ``convert(1.2, "V", "V")``
keeps volts). Unknown or incompatible units raise ``UnitError`` carrying the text.

Choices worth knowing:

* every voltage goes to ``mV`` (dimension ``voltage``), every time (``min``, ``s``,
  ``days``) to ``h``, every temperature (``K``) to ``degC``;
* energies per particle (``eV``, ``meV``) become molar energies (× N_A) in ``kJ/mol``;
* lengths below a micrometre (``nm``, ``Å``) go to ``nm``, larger ones (``µm``, ``mm``,
  ``cm``) to ``um`` (the vocabulary keeps them as two dimensions);
* ``%``, ``wt%``, ``at%``, ``%/cycle``, C-rate and cycles are distinct dimensionless
  kinds: pint refuses to convert one into another.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from .errors import HostkbError
from .vocab import vocabulary

__all__ = [
    "UnitError",
    "UnitSpec",
    "WRITTEN",
    "convert",
    "normalize",
    "parse_unit",
    "registry",
    "unit_pattern",
    "written_specs",
]


class UnitError(HostkbError):
    """A unit that cannot be read or converted. ``unit_text`` is the unit as given."""

    def __init__(self, unit_text: str, reason: str = "unknown unit"):
        self.unit_text = unit_text
        self.reason = reason
        super().__init__(f"{reason}: {unit_text!r}")


class UnitSpec(NamedTuple):
    """How to turn a number in a written unit into the canonical unit ``key``:
    ``value * factor + offset``. ``dimension`` comes from schema/vocab.toml."""

    key: str
    factor: float
    offset: float
    dimension: str

    def apply(self, value: float) -> float:
        return value * self.factor + self.offset


# ---------------------------------------------------------------- written units

# (display form, pint expression, canonical key). The display form is the
# normalizer's spelling: tokens separated by spaces, a trailing signed integer is the
# exponent ("cm-2"). Rows starting with "=" are raw regular expressions (see _CUSTOM).
WRITTEN: tuple[tuple[str, str, str], ...] = (
    # current density
    ("mA cm-2", "milliampere / centimeter ** 2", "mA/cm2"),
    # A current per length is no battery test condition: "1.0 mA cm-1" beside a
    # capacity in mAh cm-2 is a dropped exponent of mA cm-2 (read as such, raw kept).
    ("mA cm-1", "milliampere / centimeter ** 2", "mA/cm2"),
    ("µA cm-2", "microampere / centimeter ** 2", "mA/cm2"),
    ("A cm-2", "ampere / centimeter ** 2", "mA/cm2"),
    ("A m-2", "ampere / meter ** 2", "mA/cm2"),
    # areal capacity
    ("mAh cm-2", "mAh / centimeter ** 2", "mAh/cm2"),
    ("µAh cm-2", "microampere * hour / centimeter ** 2", "mAh/cm2"),
    ("Ah cm-2", "ampere * hour / centimeter ** 2", "mAh/cm2"),
    # specific capacity and current
    ("mAh g-1", "mAh / gram", "mAh/g"),
    ("Ah g-1", "ampere * hour / gram", "mAh/g"),
    ("Ah kg-1", "ampere * hour / kilogram", "mAh/g"),
    ("mA g-1", "milliampere / gram", "mA/g"),
    ("A g-1", "ampere / gram", "mA/g"),
    ("A kg-1", "ampere / kilogram", "mA/g"),
    # energy
    ("Wh kg-1", "watt * hour / kilogram", "Wh/kg"),
    ("mWh g-1", "milliwatt * hour / gram", "Wh/kg"),
    ("kWh kg-1", "kilowatt * hour / kilogram", "Wh/kg"),
    ("Wh L-1", "watt * hour / liter", "Wh/L"),
    ("mWh cm-3", "milliwatt * hour / centimeter ** 3", "Wh/L"),
    # rates
    ("% cycle-1", "percent / charge_cycle", "%/cycle"),
    ("mV s-1", "millivolt / second", "mV/s"),
    ("V s-1", "volt / second", "mV/s"),
    ("°C min-1", "delta_degree_Celsius / minute", "degC/min"),
    ("K min-1", "kelvin / minute", "degC/min"),
    # resistance, conductivity
    ("Ω cm2", "ohm * centimeter ** 2", "ohm*cm2"),
    ("kΩ cm2", "kiloohm * centimeter ** 2", "ohm*cm2"),
    ("Ω", "ohm", "ohm"),
    ("mΩ", "milliohm", "ohm"),
    ("kΩ", "kiloohm", "ohm"),
    ("S cm-1", "siemens / centimeter", "S/cm"),
    ("mS cm-1", "millisiemens / centimeter", "S/cm"),
    ("µS cm-1", "microsiemens / centimeter", "S/cm"),
    ("S m-1", "siemens / meter", "S/cm"),
    # molar energy
    ("kJ mol-1", "kilojoule / mole", "kJ/mol"),
    ("J mol-1", "joule / mole", "kJ/mol"),
    ("kcal mol-1", "kilocalorie / mole", "kJ/mol"),
    ("eV", "electron_volt * avogadro_constant", "kJ/mol"),
    ("meV", "millielectron_volt * avogadro_constant", "kJ/mol"),
    # materials
    ("m2 g-1", "meter ** 2 / gram", "m2/g"),
    ("cm3 g-1", "centimeter ** 3 / gram", "cm3/g"),
    ("mL g-1", "milliliter / gram", "cm3/g"),
    ("g cm-3", "gram / centimeter ** 3", "g/cm3"),
    ("mg cm-2", "milligram / centimeter ** 2", "mg/cm2"),
    ("µg cm-2", "microgram / centimeter ** 2", "mg/cm2"),
    ("mol L-1", "mole / liter", "M"),
    ("M", "mole / liter", "M"),
    ("mM", "millimole / liter", "M"),
    ("GPa", "gigapascal", "GPa"),
    ("MPa", "megapascal", "MPa"),
    ("kPa", "kilopascal", "MPa"),
    ("nm", "nanometer", "nm"),
    ("Å", "angstrom", "nm"),
    ("µm", "micrometer", "um"),
    ("mm", "millimeter", "um"),
    ("cm", "centimeter", "um"),
    ("cm2", "centimeter ** 2", "cm2"),
    # fractions
    ("%", "percent", "%"),
    ("wt%", "wt_percent", "wt%"),
    ("at%", "at_percent", "at%"),
    # electrical
    ("mV", "millivolt", "mV"),
    ("V", "volt", "mV"),
    ("mAh", "mAh", "mAh"),
    ("Ah", "ampere * hour", "mAh"),
    ("mA", "milliampere", "mA"),
    ("µA", "microampere", "mA"),
    # temperature, angle
    ("°C", "degree_Celsius", "degC"),
    ("K", "kelvin", "degC"),
    ("°", "degree", "deg"),
    # time
    ("h", "hour", "h"),
    ("min", "minute", "h"),
    ("day", "day", "h"),
    ("=s", "second", "h"),
    # counts and rates
    ("C", "C_rate", "C"),
    ("cycles", "charge_cycle", "cycles"),
    ("=times", "charge_cycle", "cycles"),
    ("=th cycle", "charge_cycle", "cycles"),
)

# pint expressions of the canonical keys where vocab.toml's `pint` is empty or too
# coarse to keep the dimensionless kinds apart.
_KEY_PINT = {
    "C": "C_rate",
    "cycles": "charge_cycle",
    "%/cycle": "percent / charge_cycle",
    "wt%": "wt_percent",
    "at%": "at_percent",
    "degC/min": "kelvin / minute",
}

_SP = "[ \u00a0\u2009\u202f]"  # spaces that may sit inside a unit
_MU = "[µμu]"
_OHM = "(?:Ω|Ω|[Oo]hms?)"
_HSEP = "[ ·⋅∙*]?"  # between mA and h in "mA h"
_SEP = f"{_SP}*(?:[·⋅∙•*]{_SP}*)?"  # between two factors
_SUP = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻", "0123456789-")
_SUPERSCRIPT = {str(i): c for i, c in enumerate("⁰¹²³⁴⁵⁶⁷⁸⁹")}

# regular expressions of tokens whose spelling varies; anything else is literal.
_TOKEN_RE = {
    "mAh": f"mA{_HSEP}h",
    "µAh": f"{_MU}A{_HSEP}h",
    "Ah": f"A{_HSEP}h",
    "Wh": f"W{_HSEP}h",
    "mWh": f"mW{_HSEP}h",
    "kWh": f"kW{_HSEP}h",
    "µA": f"{_MU}A",
    "µS": f"{_MU}S",
    "µg": f"{_MU}g",
    "µm": "(?:[µμ]m|um)",
    "Ω": _OHM,
    "mΩ": "m" + _OHM,
    "kΩ": "k" + _OHM,
    "Å": "(?:Å|Å)",
    "°C": f"(?:[°º˚◦∘]{_SP}?C|℃|oC)",
    "°": f"[°º˚](?!{_SP}?[CF])",
    "wt%": f"wt\\.?{_SP}?%",
    "at%": f"at\\.?{_SP}?%",
    "h": "h(?:ours?|rs?)?",
    "min": "min(?:utes?|s)?",
    "day": "days?",
    "cycles": "cycles?",
    "cycle": "cycles?",
    "C": "C(?:[- ]rate)?",
}

_COMPARATIVE = (
    "higher|lower|larger|smaller|greater|bigger|more|less|fewer|faster|slower|longer|shorter|"
    "better|worse|thicker|thinner|than|as|that|the|of|increase\\w*|improve\\w*|reduc\\w*|"
    "enhance\\w*|high|low|large|small"
)
_CUSTOM = {
    "=s": f"(?<={_SP})(?:s|sec|seconds?)",  # needs a space: "1990s" is not a time
    "=times": f"times(?!{_SP}+(?:{_COMPARATIVE})\\b)",  # "3 times higher" is not a count
    "=th cycle": f"(?:st|nd|rd|th){_SP}+cycles?",  # "the 100th cycle"
}

# after a unit: no letter or digit ("mAh" is not "mA" + "h", "cm-1" is not "cm"), no
# exponent, no hyphenated capital or digit ("h-BN", "3C-SiC"); "nm-thick" is fine.
_END = "(?![\\w]|[-−^⁻][A-Z0-9¹²³⁻]|\\^)"
_END_C = "(?![\\w]|[-−^⁻][A-Z0-9¹²³⁻]|\\^|/[A-Za-z])"  # "C/S" is not a C-rate


def _token(tok: str) -> str:
    if tok in _TOKEN_RE:
        return _TOKEN_RE[tok]
    return re.escape(tok)


def _power(n: int, negative: bool) -> str:
    digits = f"(?:{n}|{_SUPERSCRIPT[str(n)]})"
    if negative:
        x = f"[-−–⁻]{_SP}*{digits}"
    elif n == 1:
        return ""
    else:
        x = digits
    return f"(?:\\^{_SP}*)?(?:\\{{{x}\\}}|\\({x}\\)|{x})"


def _factors(display: str) -> list[tuple[str, int]]:
    out = []
    for part in display.split():
        m = re.fullmatch(r"(.*?)(-?\d)?", part)
        out.append((m.group(1), int(m.group(2) or 1)))
    return out


def _render(display: str) -> str:
    """Regular expression for a display form, e.g. "mA cm-2" also reads "mA/cm2"."""
    if display.startswith("="):
        body = _CUSTOM[display]
    else:
        factors = _factors(display)
        tok, n = factors[0]
        parts = [_token(tok) + _power(n, False)]
        for tok, n in factors[1:]:
            t = _token(tok)
            if n < 0:
                k = -n
                alts = [f"{_SEP}{t}{_power(k, True)}", f"{_SP}*/{_SP}*{t}{_power(k, False)}"]
                if k == 1:
                    alts.append(f"{_SP}+per{_SP}+{t}")
                parts.append("(?:" + "|".join(alts) + ")")
            else:
                parts.append(f"{_SEP}{t}{_power(n, False)}")
        body = "".join(parts)
    if display in ("%", "wt%", "at%", "°"):
        return body
    return body + (_END_C if display == "C" else _END)


def _specificity(row: tuple[int, tuple[str, str, str]]) -> tuple[int, int]:
    display = row[1][0]
    n = 2 if display.startswith("=th") else len(display.split())
    return (-n, -len(display))


@lru_cache(maxsize=1)
def unit_pattern() -> str:
    """One alternation of every written unit, most specific first; the group of row
    ``i`` of ``WRITTEN`` is named ``u{i}``. No leading space: callers add it."""
    rows = sorted(enumerate(WRITTEN), key=_specificity)
    return "(?:" + "|".join(f"(?P<u{i}>{_render(d)})" for i, (d, _, _) in rows) + ")"


@lru_cache(maxsize=1)
def _unit_fullmatch() -> re.Pattern:
    return re.compile(unit_pattern())


# ---------------------------------------------------------------- pint


@lru_cache(maxsize=1)
def registry():
    """The one pint registry, with the battery units pint lacks."""
    import pint

    ureg = pint.UnitRegistry()
    ureg.define("C_rate = [c_rate]")
    ureg.define("charge_cycle = [cycle_count]")
    ureg.define("mAh = milliampere * hour")
    ureg.define("wt_fraction = [mass_fraction]")
    ureg.define("wt_percent = 0.01 * wt_fraction")
    ureg.define("at_fraction = [atom_fraction]")
    ureg.define("at_percent = 0.01 * at_fraction")
    return ureg


def _key_pint(key: str) -> str:
    units = vocabulary().units
    if key not in units:
        raise UnitError(key, "unknown canonical unit")
    return _KEY_PINT.get(key) or units[key].pint


def _factor_offset(src: str, dst: str, text: str) -> tuple[float, float]:
    """``dst = src * factor + offset`` by pint (handles °C and K offsets)."""
    import pint

    ureg = registry()
    try:
        zero = ureg.Quantity(0.0, src).to(dst).magnitude
        one = ureg.Quantity(1.0, src).to(dst).magnitude
    except pint.errors.DimensionalityError:
        raise UnitError(text, f"cannot convert {src!r} to {dst!r}") from None
    except (pint.errors.UndefinedUnitError, pint.errors.DefinitionSyntaxError, AttributeError,
            TypeError, ValueError, SyntaxError):
        raise UnitError(text) from None
    return float(one - zero), float(zero)


def _spec(pint_expr: str, key: str, text: str) -> UnitSpec:
    factor, offset = _factor_offset(pint_expr, _key_pint(key), text)
    return UnitSpec(key, factor, offset, vocabulary().units[key].dimension)


@lru_cache(maxsize=1)
def written_specs() -> tuple[UnitSpec, ...]:
    """``UnitSpec`` of each row of ``WRITTEN`` (computed with pint once)."""
    return tuple(_spec(p, key, d) for d, p, key in WRITTEN)


# ---------------------------------------------------------------- public API


def _pint_text(text: str) -> str:
    s = text.translate(_SUP).replace("−", "-").replace("–", "-")
    s = re.sub("[µμ]", "u", s)
    s = re.sub(_OHM, "ohm", s)
    s = s.replace("°C", "degC").replace("℃", "degC").replace("%", "percent")
    s = re.sub(r"\^\{?(-?\d+)\}?", r"\1", s)
    s = re.sub(r"([A-Za-z])(-?\d+)", r"\1**\2", s)
    s = re.sub(r"\s*[·⋅∙*]\s*(?!\*)|(?<=[A-Za-z0-9])\s+(?=[A-Za-z])", "*", s)
    return s.replace("***", "**")


def _pick_key(text: str, quantity) -> str:
    """Canonical key for a pint quantity of a unit not in ``WRITTEN``."""
    ureg = registry()
    candidates = []
    for key in vocabulary().units:
        try:
            target = ureg.Quantity(1.0, _key_pint(key))
        except Exception:  # noqa: BLE001 - a key without pint expression is no candidate
            continue
        if target.dimensionality == quantity.dimensionality:
            candidates.append(key)
    if not candidates:
        raise UnitError(text)
    if len(candidates) == 1:
        return candidates[0]
    size = quantity.to_base_units().magnitude
    for small, large, limit in (("nm", "um", 1e-6), ("MPa", "GPa", 1e9), ("mV", "V", None),
                                ("h", "min", None), ("%", "%/cycle", None), ("ohm", None, None)):
        if small in candidates:
            if limit is None or large not in candidates or abs(size) < limit:
                return small
            return large
    return candidates[0]


@lru_cache(maxsize=4096)
def parse_unit(unit_text: str) -> UnitSpec:
    """Read a unit as written (``"mA cm-2"``, ``"mA/cm2"``, ``"eV"``, ``"K"``) into a
    ``UnitSpec``. Spellings of ``WRITTEN`` are matched by regular expression; anything
    else goes through pint and is mapped to the canonical key of the same
    dimensionality. Raises ``UnitError`` when neither works."""
    text = unit_text.strip()
    if not text:
        raise UnitError(unit_text, "empty unit")
    m = _unit_fullmatch().fullmatch(text)
    if m:
        return written_specs()[int(m.lastgroup[1:])]
    import pint

    ureg = registry()
    try:
        quantity = ureg.Quantity(1.0, _pint_text(text))
    except (pint.errors.UndefinedUnitError, pint.errors.DefinitionSyntaxError, AttributeError,
            TypeError, ValueError, SyntaxError, KeyError, AssertionError):
        raise UnitError(unit_text) from None
    except Exception as exc:  # noqa: BLE001 - pint's tokenizer raises odd types on junk
        raise UnitError(unit_text, f"unknown unit ({type(exc).__name__})") from None
    if quantity.unitless and not text.strip("%"):
        raise UnitError(unit_text)
    key = _pick_key(unit_text, quantity)
    return _spec(_pint_text(text), key, unit_text)


def normalize(value: float, unit_text: str) -> tuple[float, str]:
    """``value`` in the written unit -> (value in the canonical unit, canonical key)."""
    spec = parse_unit(unit_text)
    return spec.apply(value), spec.key


@lru_cache(maxsize=256)
def _key_conversion(src_key: str, dst_key: str) -> tuple[float, float]:
    return _factor_offset(_key_pint(src_key), _key_pint(dst_key), src_key)


def convert(value: float, unit_text: str, to_key: str) -> float:
    """``value`` in the written unit -> value in canonical unit ``to_key`` (which may
    differ from the default one, e.g. ``convert(1200, "mV", "V") == 1.2``)."""
    spec = parse_unit(unit_text)
    v = spec.apply(value)
    if spec.key == to_key:
        return v
    if to_key not in vocabulary().units:
        raise UnitError(to_key, "unknown canonical unit")
    try:
        factor, offset = _key_conversion(spec.key, to_key)
    except UnitError:
        raise UnitError(unit_text, f"cannot convert to {to_key!r}") from None
    return v * factor + offset

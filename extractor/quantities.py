"""Numbers with units in a sentence of normalized text.

``parse_quantities(text)`` returns one ``Quantity`` per number that carries a unit
(its own, or the one shared by a list), in text order, with non-overlapping spans:
``text[q.start:q.end] == q.raw``. It is pure and does not call pint: unit factors
come from ``units.written_specs()``, computed once.

How it reads a sentence: one precompiled regular expression finds number starts
(with guards against formula digits, ``LiNi0.8Co0.1Mn0.1O2``, ``NCM811``, ``ZIF-8``);
at each one a small parser reads, in order,

* the number: sign, thousands separators (``1,200``), ``.5``, scientific notation
  (``1.2 × 10-3``, ``1.2 × 10^-3``, ``1.2e-3``), a power of ten (``10^3``, the spelling
  ``normalize`` gives ``10³``, ``10^{3}``, ``10<sup>3</sup>``);
* a range: ``0.2–10``, ``0.2-10``, ``0.2 to 10``, ``0.2~10``, ``between 2.0 and 4.2``;
  ``2.8 V–4.3 V`` and ``between 2.8 V and 4.3 V`` (same unit twice) are ranges too,
  but ``from 9% to 81%`` (a change) stays two quantities;
* ``± uncertainty`` before or after the unit;
* the unit: one alternation of every spelling of ``units.WRITTEN``, most specific
  first (``mAh cm-2`` before ``mA``; ``mV s-1`` before ``mV``);
* list continuation: ``,`` ``and`` ``or`` ``vs`` followed by another number. A number
  without a unit takes the unit of the next number of its list that has one
  (``0.5, 1, 2 and 5 C``; ``190.1 vs 166.1 mAh g-1``). Numbers that end up with no
  unit are dropped.

Field semantics:

* ``value``, ``low``, ``high``, ``uncertainty`` are in the canonical unit ``unit``;
  ``raw_value`` is the number as written (the low end for a range), ``raw_unit`` the
  unit as written (for list members, the shared unit).
* A range gives one Quantity with ``low``/``high`` set (``low <= high``) and
  ``value = low``; the caller decides which end it wants.
* A list member's span covers only its number (``"0.5"`` in ``"0.5, 1 and 2 C"``);
  the member carrying the unit spans number and unit. ``group_lists`` recovers lists.
* Spans start at the number (or sign): qualifier words and symbols are not included.
* ``qualifier``: ``approx`` (≈ ~ about approximately around ca. nearly close to
  roughly almost), ``gt`` (> ≥ over more than exceeding above beyond at least greater/
  higher/longer than; trailing "or more"), ``lt`` (< ≤ less than below under lower/
  smaller than at most no more than; trailing "or less"), ``up_to`` (up to, as high/
  long/large/much/many/low/small as, a maximum of). "under" before a test condition
  (current density, capacity, C-rate, temperature, pressure) means "at": ``eq``.
  A qualifier before the first number of a shared-unit list applies to the list.
* ``C/10`` is 0.1 C. ``N times`` is N cycles (not ``3 times higher``); ``the 100th
  cycle`` is 100 cycles.

Not quantities: numbers glued to letters (formulas, ``2θ``), figure, table, equation,
scheme, reference and section numbers (``Fig. 3b``, ``Table 2``), years after "in",
"since", ... and bare numbers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .types import Quantity
from .units import WRITTEN, unit_pattern, written_specs

__all__ = ["NUMBER_PATTERN", "group_lists", "parse_quantities"]

_SP = "[ \u00a0\u2009\u202f]"
_SP_RE = re.compile(_SP)
_SUP = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻−–", "0123456789---")

# A number as written: sign, thousands separators, decimals, scientific notation.
_NUMBER_CORE = (
    r"(?:(?P<sign>[-−+])(?=\.?\d))?"
    r"(?P<body>\d{1,3}(?:,\d{3})+(?![\d])(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)"
    r"(?:(?<=(?<![\d.,])10)\^(?P<pow>[-+−]?\d{1,2}))?"  # a power of ten as normalize writes it: 10^3
    r"(?:" + _SP + r"*[×x✕]" + _SP + r"*10" + _SP + r"*(?:\^|\*\*)?" + _SP + r"*\{?\(?"
    r"(?P<exp>[-−–⁻+]?" + _SP + r"?[\d⁰¹²³⁴⁵⁶⁷⁸⁹]{1,2})\)?\}?"
    r"|[eE](?P<exp2>[-+−]?\d{1,2}))?"
    r"(?![\d])"
)
# A number that starts a quantity: not glued to a word or another number, not after
# "Li-" / "ZIF-" / "2-", not a reference after "word," ("growth,12").
NUMBER_PATTERN = r"(?<![\w.])(?<![A-Za-z][-−])(?<!\d[-−–])(?<![A-Za-z],)" + _NUMBER_CORE
_CFRAC = r"(?<![\w/])C" + _SP + r"?/" + _SP + r"?(?P<den>\d+(?:\.\d+)?)(?![\w./])"

_START = re.compile(f"(?=[-−+.\\dC])(?:(?P<cfrac>{_CFRAC})|{NUMBER_PATTERN})")
# a number after a range or list separator ("1-3 h", "2.8 V–4.3 V", "1, 2 and 5 C")
_NEXT = re.compile(f"(?P<cfrac>{_CFRAC})|{_NUMBER_CORE}")

_UNIT = re.compile(f"{_SP}*{unit_pattern()}")
_RANGE_SEP = re.compile(
    f"(?P<dash>{_SP}*[–—]{_SP}*|-|−|{_SP}+[-−]{_SP}+)|{_SP}*[~～∼]{_SP}*|{_SP}+to{_SP}+"
)
_AND = re.compile(f"{_SP}+and{_SP}+")
_PM = re.compile(f"{_SP}*(?:±|\\+/-|\\+-){_SP}*")
_LIST_SEP = re.compile(
    f"(?:{_SP}*,{_SP}*(?:(?:and|or|&){_SP}+)?|{_SP}+(?:and|or|&|vs\\.?|versus){_SP}+)"
    f"(?:[~≈∼]{_SP}*)?"
)
_TRAILING = re.compile(
    f"{_SP}+(?:(?P<gt>or (?:more|longer|higher|above|greater)|and (?:above|beyond|more))"
    f"|(?P<lt>or (?:less|shorter|lower|below|fewer)))\\b"
)

_QUALIFIER = re.compile(
    r"(?:(?P<approx>[≈~∼≃～]|\b(?:about|approximately|approx\.|around|ca\.|circa|nearly|"
    r"close to|roughly|almost|some))"
    r"|(?P<gt>>|≥|⩾|≫|\b(?:over|more than|exceeding|exceeds?|above|beyond|at least|"
    r"greater than|higher than|longer than|larger than|in excess of))"
    r"|(?P<lt><|≤|⩽|≪|\b(?:less than|below|lower than|smaller than|shorter than|"
    r"fewer than|at most|no more than))"
    r"|(?P<under>\bunder)"
    r"|(?P<up_to>\b(?:up to|as (?:high|long|large|much|many|low|small|fast) as|"
    r"a maximum of|maximum of)))"
    + _SP + r"*$",
    re.IGNORECASE,
)
_QUAL_CHARS = frozenset("≈~∼≃～>≥⩾≫<≤⩽≪")

_EXCLUDE_BEFORE = re.compile(
    r"\b(?:Fig(?:ure)?s?\.?|Tables?|Tab\.|Eqs?\.?|Equations?|Schemes?|Refs?\.?|References?|"
    r"Sections?|Sec\.|Nos?\.|Steps?|Entry|Chapter|Note|Movies?|Videos?|Panels?)"
    + _SP + r"*(?:S" + _SP + r"?)?$",
    re.IGNORECASE,
)
_YEAR_BEFORE = re.compile(
    r"\b(?:in|In|since|Since|by|until|during|of|year|years|from|From|early|late|mid|©)"
    + _SP + r"*\(?$"
)
_BETWEEN = re.compile(r"\bbetween" + _SP + r"+$")

# "under 1 mA cm-2" is a test condition, not an upper bound.
_CONDITION_DIMENSIONS = frozenset(
    {"current_density", "areal_capacity", "c_rate", "specific_current", "temperature",
     "pressure", "pressure_mpa"}
)

_C_INDEX = next(i for i, row in enumerate(WRITTEN) if row[0] == "C")


@dataclass
class _Item:
    start: int
    end: int  # end of the number (or range, or ±), then of the unit once read
    value: float
    low: float | None = None
    high: float | None = None
    uncertainty: float | None = None
    unit: int | None = None  # index into WRITTEN
    unit_text: str | None = None
    qualifier: str | None = None


def _number(m: re.Match) -> float:
    value = float(m.group("body").replace(",", ""))
    if m.group("pow"):
        value = 10.0 ** int(m.group("pow").replace("−", "-"))
    exp = m.group("exp") or m.group("exp2")
    if exp:
        exp = _SP_RE.sub("", exp.translate(_SUP))
        value *= 10.0 ** int(exp)
    if m.group("sign") in ("-", "−"):
        value = -value
    return value


def _qualifier(text: str, start: int) -> str | None:
    lo = max(0, start - 24)
    window = text[lo:start]
    tail = window.rstrip(" \u00a0\u2009\u202f")
    if not tail:
        return None
    last = tail[-1]
    if not (last.isalpha() or last in _QUAL_CHARS or last == "."):
        return None
    m = _QUALIFIER.search(window)
    if not m:
        return None
    return m.lastgroup


def _excluded(text: str, start: int, body: str | None, has_unit: bool) -> bool:
    window = text[max(0, start - 14):start]
    if not window:
        return False
    if _EXCLUDE_BEFORE.search(window):
        return True
    if (not has_unit and body is not None and len(body) == 4 and body.isdigit()
            and 1900 <= int(body) <= 2100 and _YEAR_BEFORE.search(window)):
        return True
    return False


def _between(text: str, start: int) -> bool:
    lo = max(0, start - 12)
    return "between" in text[lo:start] and _BETWEEN.search(text, lo, start) is not None


def _read_item(text: str, m: re.Match) -> _Item:
    """Number, range, ±, unit, trailing ± / repeated-unit range at match ``m``."""
    if m.group("cfrac"):
        den = float(m.group("den"))
        value = 1.0 / den if den else 0.0
        return _Item(m.start(), m.end(), value, unit=_C_INDEX, unit_text="C")
    start, end = m.start(), m.end()
    value = _number(m)
    item = _Item(start, end, value)
    # range without unit on the first number
    r = _RANGE_SEP.match(text, end)
    if r is None and _between(text, start):
        r = _AND.match(text, end)
    if r is not None:
        m2 = _NEXT.match(text, r.end())
        if m2 is not None and not m2.group("cfrac"):
            v2 = _number(m2)
            if (r.lastgroup == "dash" and m.group("body") == "10" and not m.group("exp")
                    and r.group().strip() in ("-", "−") and v2 < 10 and v2 == int(v2)
                    and m2.group("sign") is None):
                item.value = 10.0 ** -v2  # "10-3 S cm-1": a flattened exponent
            else:
                item.low, item.high = min(value, v2), max(value, v2)
                item.value = item.low
            item.end = m2.end()
    # ± before the unit: "99.2 ± 0.3%"
    p = _PM.match(text, item.end)
    if p is not None:
        m3 = _NEXT.match(text, p.end())
        if m3 is not None and not m3.group("cfrac"):
            item.uncertainty = abs(_number(m3))
            item.end = m3.end()
    u = _UNIT.match(text, item.end)
    if u is None:
        return item
    item.unit = int(u.lastgroup[1:])
    item.unit_text = u.group(u.lastgroup)
    item.end = u.end()
    # ± after the unit: "99.2% ± 0.3%"
    p = _PM.match(text, item.end)
    if p is not None and item.uncertainty is None:
        m3 = _NEXT.match(text, p.end())
        if m3 is not None and not m3.group("cfrac"):
            u3 = _UNIT.match(text, m3.end())
            if u3 is None or int(u3.lastgroup[1:]) == item.unit:
                item.uncertainty = abs(_number(m3))
                item.end = u3.end() if u3 is not None else m3.end()
    # same unit twice: "2.8 V–4.3 V", "between 2.8 V and 4.3 V"
    if item.low is None:
        r = _RANGE_SEP.match(text, item.end)
        if r is not None and r.lastgroup == "dash":
            pass
        elif _between(text, start):
            r = _AND.match(text, item.end)
        else:
            r = None
        if r is not None:
            m2 = _NEXT.match(text, r.end())
            if m2 is not None and not m2.group("cfrac"):
                u2 = _UNIT.match(text, m2.end())
                if u2 is not None and int(u2.lastgroup[1:]) == item.unit:
                    v2 = _number(m2)
                    item.low, item.high = min(value, v2), max(value, v2)
                    item.value = item.low
                    item.end = u2.end()
    t = _TRAILING.match(text, item.end)
    if t is not None:
        item.qualifier = t.lastgroup
    return item


def _to_quantity(text: str, item: _Item, unit: int, unit_text: str, qualifier: str) -> Quantity:
    spec = written_specs()[unit]
    f, o = spec.factor, spec.offset
    if qualifier == "under":
        qualifier = "eq" if spec.dimension in _CONDITION_DIMENSIONS else "lt"
    raw_value = item.low if item.low is not None else item.value
    return Quantity(
        value=item.value * f + o,
        unit=spec.key,
        dimension=spec.dimension,
        raw=text[item.start:item.end],
        start=item.start,
        end=item.end,
        qualifier=qualifier,
        low=None if item.low is None else item.low * f + o,
        high=None if item.high is None else item.high * f + o,
        uncertainty=None if item.uncertainty is None else item.uncertainty * abs(f),
        raw_value=raw_value,
        raw_unit=unit_text,
    )


def parse_quantities(text: str) -> list[Quantity]:
    """Every number with a unit in ``text`` (a sentence of normalized text), in order."""
    out: list[Quantity] = []
    pos = 0
    n = len(text)
    search = _START.search
    while pos < n:
        m = search(text, pos)
        if m is None:
            break
        first = _read_item(text, m)
        items = [first]
        while True:
            s = _LIST_SEP.match(text, items[-1].end)
            if s is None:
                break
            m2 = _NEXT.match(text, s.end())
            if m2 is None:
                break
            items.append(_read_item(text, m2))
        if all(item.unit is None for item in items):
            pos = items[-1].end
            continue
        if _excluded(text, first.start, m.group("body"), first.unit is not None):
            pos = first.end  # "Fig. 3h", "in 2019, 5 mA cm-2": drop the head, read on
            continue
        pos = items[-1].end
        # shared units flow backwards from the number that carries one
        shared: tuple[int, str] | None = None
        assigned: list[tuple[_Item, int, str]] = []
        for item in reversed(items):
            if item.unit is not None:
                shared = (item.unit, item.unit_text)
                assigned.append((item, item.unit, item.unit_text))
            elif shared is not None:
                assigned.append((item, shared[0], shared[1]))
        if not assigned:
            continue
        assigned.reverse()
        head = _qualifier(text, items[0].start)
        in_head_list = True  # the head's list runs up to the first number with a unit
        for item, unit, unit_text in assigned:
            if item is items[0]:
                qualifier = head
            else:
                qualifier = _qualifier(text, item.start)
                if qualifier is None and in_head_list:
                    qualifier = head  # "about 150, 140 and 130 mAh g-1"
            if item.unit is not None:
                in_head_list = False
            qualifier = item.qualifier or qualifier or "eq"
            out.append(_to_quantity(text, item, unit, unit_text, qualifier))
    return _cycle_numbers(text, out)


# "until failure at cycle 130", "fails at cycle 95": a cycle named by its number
_CYCLE_NUMBER = re.compile(r"\b(?:at|until|by|in|around|near|before|after|from)\s+(?:the\s+)?cycle\s+(\d{1,6})\b(?!\s*(?:%|mA|mV|h\b))")


def _cycle_numbers(text: str, found: list[Quantity]) -> list[Quantity]:
    """Cycles written as "cycle 130" (the unit before the number) added to the quantities."""
    extra = []
    for m in _CYCLE_NUMBER.finditer(text):
        if any(q.start <= m.start(1) < q.end for q in found):
            continue
        start = m.start() + m.group(0).rfind("cycle")
        extra.append(Quantity(value=float(m.group(1)), unit="cycles", dimension="cycles", raw=text[start:m.end(1)],
                              start=start, end=m.end(1), raw_value=float(m.group(1)), raw_unit="cycle"))
    return sorted(found + extra, key=lambda q: q.start) if extra else found


def group_lists(quantities: list[Quantity], text: str) -> list[list[Quantity]]:
    """Lists of two or more quantities of one unit, written as a list in ``text``
    (separated only by ``,`` ``and`` ``or`` ``vs``): ``0.5, 1 and 2 C`` or ``1 mA cm-2,
    2 mA cm-2 and 5 mA cm-2``. Two lists can then be paired by "respectively"."""
    groups: list[list[Quantity]] = []
    current: list[Quantity] = []
    for q in quantities:
        if (current and q.unit == current[-1].unit
                and _LIST_SEP.fullmatch(text, current[-1].end, q.start)):
            current.append(q)
            continue
        if len(current) > 1:
            groups.append(current)
        current = [q]
    if len(current) > 1:
        groups.append(current)
    return groups

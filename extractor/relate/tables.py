"""Figures of merit in a paper's tables: a row names a design, a column says what its
cells measure.

Segmentation gives each table a passage whose first sentence is the header
(``table_header``) and every other sentence a row (``table_row``), cells joined by
`` | ``. A column's meaning comes from its header, read with the same cue words as a
sentence (:mod:`.cues`: "Average CE (%)", "Nucleation overpotential (mV)", "Lifespan (h)",
"Current density (mA cm-2)") and the unit it gives; a column of phrases ("Key result":
"CE 98.7% (300 cycles)") is read cell by cell like a short sentence. The row's design is
the host its first (or "Host"/"Electrode"/"Sample") cell names; a row the paper's text
never names, in a table with a reference column, is another work's design (``cited``).
"""

from __future__ import annotations

import re
from dataclasses import replace

from .. import materials as mat
from ..quantities import parse_quantities
from ..types import Quantity, Sentence
from ..vocab import vocabulary
from .attribution import Figure
from .conditions import _conditions_from, _conditions_from_quantities
from .cues import CELL, METRIC, Cues, DefinedCues
from .hosts import HostTable
from .metrics import classify, is_setting

CELL_SEPARATOR = " | "

_HOST_HEADER = re.compile(
    r"\b(?:hosts?|materials?|anodes?|electrodes?|samples?|designs?|substrates?|collectors?|separators?|interlayers?|"
    r"systems?|scaffolds?|frameworks?|structures?|skeletons?|strategy|strategies)\b", re.I)
_REF_HEADER = re.compile(r"\s*(?:refs?\.?|references?|source|works?|literature)\s*", re.I)
_THIS_WORK = re.compile(r"\b(?:this|present|our|current)\s+(?:work|study|paper)\b", re.I)
_UNIT = re.compile(r"[(\[]\s*([^()\[\]]{1,25}?)\s*[)\]]\s*$|,\s*([^,]{1,25})$")
_LIFE = re.compile(r"\b(?:life|lifespan|life-span|lifetime|cycling time|duration|stable cycl(?:ing|es)|cycle number|"
                   r"cycles? to failure|time)\b", re.I)
_CONDITION_HEADERS = (
    ("current_density", re.compile(r"current density|\bmA\s?cm|\bj\b", re.I)),
    ("areal_capacity", re.compile(r"areal capacity|capacity\s*[(\[]\s*mAh\s?cm|\bmAh\s?cm", re.I)),
    ("c_rate", re.compile(r"c-?rate|\brate\b", re.I)),
    ("cycles", re.compile(r"\bcycles?\b|cycle number", re.I)),
    ("temperature", re.compile(r"temperature|°C", re.I)),
    ("cathode", re.compile(r"cathode", re.I)),
)
_CONDITION_UNITS = {"current_density": "mA cm-2", "areal_capacity": "mAh cm-2", "c_rate": "C", "cycles": "cycles",
                    "temperature": "°C"}
# metrics a header names by cue words, most specific first
_HEADER_METRICS = ("nucleation_overpotential", "coulombic_efficiency", "capacity_retention", "capacity_decay_rate",
                   "max_current_density", "energy_density", "charge_transfer_resistance", "exchange_current_density",
                   "activation_energy", "overpotential")
_LITHIATED = re.compile(r"^\s*Li\s?[@/\-–]\s?(?=\S)")  # "Li@Cu lifespan (h)": the Cu control's column
_EMPTY = re.compile(r"\s*(?:[-–—/]|n\.?\s?[ar]\.?|n/a|none|—)?\s*", re.I)


def _cells(text: str) -> list[tuple[str, int]]:
    """A row's cells with their offsets in the row's text."""
    out, pos = [], 0
    for part in text.split(CELL_SEPARATOR):
        out.append((part, pos))
        pos += len(part) + len(CELL_SEPARATOR)
    return out


def _column(header: str, defined: DefinedCues | None) -> tuple[str, str | None, str]:
    """What a column holds: ``("metric", name, unit)``, ``("condition", name, unit)``,
    ``("host", None, "")``, ``("ref", None, "")`` or ``("text", None, "")``."""
    m = _UNIT.search(header)
    unit = (m.group(1) or m.group(2) or "").strip() if m else ""
    label = header[:m.start()] if m else header
    if _REF_HEADER.fullmatch(header):
        return "ref", None, ""
    cues = Cues.of(label, defined)
    named = {c.name for c in cues.find(METRIC)}
    for name in _HEADER_METRICS:
        if name in named:
            return "metric", name, unit
    unit_dimension = _dimension_of(unit)
    if _LIFE.search(label) and unit_dimension == "time":
        return "metric", "cycling_time", unit
    if _LIFE.search(label) and (unit_dimension == "cycles" or re.search(r"\bcycles?\b", label, re.I)):
        return "metric", "cycle_count", unit or "cycles"
    if re.search(r"\b(?:specific|discharge|reversible|initial)\s+capacity", label, re.I) or unit_dimension == "specific_capacity":
        return "metric", "specific_capacity", unit
    for name, pattern in _CONDITION_HEADERS:
        if pattern.search(header):
            return "condition", name, unit
    if _HOST_HEADER.search(label):
        return "host", None, ""
    return "text", None, ""


def _dimension_of(unit: str) -> str | None:
    if not unit:
        return None
    qs = parse_quantities("1 " + unit)
    return qs[0].dimension if qs and qs[0].start == 0 else None


def _value(cell: str, unit: str, metric: str) -> Quantity | None:
    """The quantity a cell of a numeric column states, in the header's unit (or the
    metric's)."""
    if _EMPTY.fullmatch(cell) or not re.search(r"\d", cell):
        return None
    number = re.match(r"\s*([~≈<>≥≤]\s*)?[-−]?\d+(?:\.\d+)?", cell)
    if not number:
        return None
    if not unit:
        unit = vocabulary().metric(metric).unit if metric in vocabulary().metrics else _CONDITION_UNITS.get(metric, "")
    qs = parse_quantities(f"{number.group(0).strip()} {unit}".strip())
    if not qs or (metric in vocabulary().metrics and qs[0].dimension != vocabulary().metric(metric).dimension):
        return None
    return qs[0]


def table_figures(rows: list[Sentence], table: HostTable, defined: DefinedCues | None, caption: str | None,
                  main: str | None) -> list[Figure]:
    """The figures of one table: ``rows[0]`` is its header sentence, the rest its rows;
    ``caption`` its caption's text (conditions it states hold for every row); ``main``
    the entry key of the paper's design, for a row of "this work"."""
    header = [c for c, _ in _cells(rows[0].text)]
    columns = [_column(h, defined) for h in header]
    # a header that names a design ("Li@X lifespan (h)"): that column is the design's, whatever the row
    header_hosts = [(table.mentions(_LITHIATED.sub("", h)) or [(None,)])[0][0] for h in header]
    host_col = next((i for i, c in enumerate(columns) if c[0] == "host"), None)
    if host_col is None and not any(header_hosts[1:]) or host_col is None and columns[0][0] not in ("condition", "metric"):
        host_col = 0
    if host_col is not None:
        columns[host_col] = ("host", None, "")
    has_ref = any(c[0] == "ref" for c in columns)
    shared = _conditions_from(caption) if caption else {}
    cells_of = [Cues.of(h, defined).cell_type() for h in header]  # "Symmetric cell lifetime (h)"
    figures: list[Figure] = []
    for row in rows[1:]:
        cells = _cells(row.text)
        if len(cells) != len(columns):
            continue
        host = _row_host(cells[host_col][0], cells, columns, table, has_ref, main) if host_col is not None else None
        if host is None and not any(header_hosts):
            continue
        conditions = dict(shared)
        for (kind, name, unit), (cell, at) in zip(columns, cells):
            if kind == "condition" and name == "cathode":
                found = mat.find_cathodes(cell)
                if found:
                    conditions["cathode"] = found[0][0]
            elif kind == "condition":
                q = _value(cell, unit, name)
                if q is not None:
                    conditions[name] = q.value
        for (kind, name, unit), (cell, at), cell_type, column_host in zip(columns, cells, cells_of, header_hosts):
            owner = column_host or host
            if owner is None:
                continue
            if kind == "metric":
                q = _value(cell, unit, name)
                if q is not None:
                    q = replace(q, start=at, end=at + len(cell.rstrip()), raw=cell.strip())
                    own = {"cell_type": cell_type} if cell_type else {}
                    figures.append(Figure(owner, name, q, row, {**conditions, **own}))
            elif kind == "text":
                figures.extend(_phrase_figures(cell, at, owner, row, conditions, defined))
    return figures


def _row_host(cell: str, cells, columns, table: HostTable, has_ref: bool, main: str | None) -> str | None:
    """The host entry a row is about; a row of another work becomes a ``cited`` entry."""
    if _THIS_WORK.search(cell):
        return main  # "LiPAA-LPO (this work)"
    mentions = table.mentions(cell)
    if any(k == "ref" and _THIS_WORK.search(c) for (k, _, _), (c, _) in zip(columns, cells)):
        return mentions[0][0] if mentions else main
    if mentions:
        return mentions[0][0]
    name = cell.strip()
    # a row's name in a table of other works: a short name with a capital letter ("Ti3C2Tx/CNT")
    if not has_ref or not name or len(name.split()) > 4 or not re.search(r"[A-Z]", name):
        return None
    key = "cited:" + mat.key(name)
    if key not in table.entries:
        table.entries[key] = mat.HostEntry(name=name, kind="cited")
        table.entries[key].forms[name] += 1
    return key


def _phrase_figures(cell: str, at: int, host: str, row: Sentence, conditions: dict,
                    defined: DefinedCues | None) -> list[Figure]:
    """Figures a cell states as a phrase ("CE 98.7% (300 cycles, 0.5 mA cm-2)", "1200 h
    (1 mA cm-2)", "up to 20 mA cm-2"), read like a short sentence."""
    qs = parse_quantities(cell)
    if not qs:
        return []
    cues = Cues.of(cell, defined)
    metric_of = {}
    for q in qs:
        if is_setting(cell, q):
            continue
        m = classify(q, cell, "results", qs, cues)
        if m is None and q.dimension == "time" and q.unit == "h" and q is qs[0]:
            m = "cycling_time"  # a lifetime stated alone in a results column
        if m is None and q.dimension == "current_density" and re.search(r"\bup to\s*$", cell[:q.start], re.I):
            m = "max_current_density"
        if m:
            metric_of[id(q)] = m
    if not metric_of:
        return []
    stated = dict(conditions)
    stated.update(_conditions_from_quantities(cell, [q for q in qs if id(q) not in metric_of], "results", cues))
    for q in qs:
        if id(q) not in metric_of and q.dimension == "cycles":
            stated["cycles"] = q.value
    if cues.has(CELL):
        stated["cell_type"] = cues.cell_type()
    return [Figure(host, metric_of[id(q)], replace(q, start=q.start + at, end=q.end + at), row, dict(stated))
            for q in qs if id(q) in metric_of]

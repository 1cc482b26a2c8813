"""Which figure of merit a number is: cue words near a quantity, its dimension, and
what it cannot be (settings, curve points, loadings, implausible values)."""

from __future__ import annotations

import re
from dataclasses import replace

from ..segment import clause_bounds
from ..types import (
    Quantity,
)
from .cues import Cues

# "keeps 92% after 500 cycles" in a full cell: a retention although the word is not there
_KEEP_VERB = re.compile(r"\b(?:keep|keeps|kept|maintain|maintains|maintained|preserv\w*|hold|holds|held|remain\w*)\b", re.I)


# settings and curve points that are voltages but no figure of merit
_NOT_A_VOLTAGE_FIGURE = re.compile(
    r"(?:threshold|criteri(?:on|a)|cut-?off|limit|applied|bias|constant voltage|potentiostatic|held at|"
    r"dips? to|dipped to|plateau (?:at|of)|discharged? to|charged? to)\b[^.;]{0,40}$", re.I)


_THEORETICAL = re.compile(r"theoretical|theoretically|in theory|calculated capacity", re.I)


_STABLE_VERB = re.compile(
    r"stabl[ey]|stability|sustain|\bruns?\b|operat|surviv|cycl(?:e|ed|ing) for|life ?span|lifetime|cycle life|"
    r"\bfail|short[- ]circuit|\bdies?\b|collaps", re.I)


_MAX_CD_CUE = re.compile(
    r"ultra-?high (?:current density|rate)|(?:maximum|highest|limiting) current densit(?:y|ies)|"
    r"(?:even|as high as|high as)\s+(?:at\s+|up to\s+)?(?:an?\s+)?(?:\w+\s+){0,2}(?:current density|rate)?\s*(?:of\s*)?$|even up to\s*$|"
    r"(?:stable|stably|cycl\w*|operat\w*|tolerat\w*|sustain\w*|withstand\w*)\s+(?:[\w/-]+\s+){0,3}up to\s*$|"
    r"\bcurrent densit(?:y|ies)\s+(?:of\s+|as high as\s+)?up to\s*$",
    re.I,
)


_AREAL_METRIC_CUE = re.compile(
    r"(?:high|large|huge|ultra-?high|remarkable|superior)\s+(?:areal\s+)?(?:discharge\s+)?capacity\s*(?:of|\(|:)?\s*(?:up to\s*)?$|"
    r"areal (?:discharge )?capacity (?:\w+ ){0,7}(?:up to|as high as|reach(?:es|ed)?)(?: even)?\s*$|"
    r"areal (?:discharge )?capacity of\s*$|equivalent to\s*$|"
    r"(?:accommodat|accept|host|stor|hold|load|tak)\w*\s+(?:\w+\s+){0,2}up to\s*$",
    re.I,
)


_AREAL_CONDITION_CUE = re.compile(
    r"plating|deposit|stripping|cycling capacity|fixed|increased to|"
    r"\b(?:with|under|at|using)\s+(?:an?\s+|the\s+)?(?:high\s+|fixed\s+)?(?:areal\s+)?capacity of|"
    r"(?:tested|cycled|measured|conducted|performed|evaluated|operated)\s+(?:\w+\s+){0,2}(?:with|at|under)\b", re.I)


_FAILED_AFTER = re.compile(
    r"\b(?:decay|fail|short[- ]circuit|drop|fad|deteriorat|collaps|die)\w*\s+(?:\w+\s+){0,2}(?:after|at)\s+"
    r"(?:only\s+|about\s+|~\s*|the\s+)?$", re.I)
_ACCOMMODATED = re.compile(r"\baccommodat\w*|\bhoused?\b", re.I)
_ACCOMMODATED_AFTER = re.compile(r"\s*(?:of\s+(?:Li|lithium)\s+)?(?:was|were|is|are|can be|could be|has been|have been)\s+"
                                 r"(?:\w+\s+)?(?:accommodat|housed)", re.I)  # "16 mAh cm-2 was accommodated by X"

# "14.2 kJ mol-1 lower than that of CC": a difference between two figures, not a figure
_DIFFERENCE_AFTER = re.compile(r"\s*(?:\w+\s+)?(?:lower|higher|smaller|larger|greater|less|more|bigger)\s+than\b", re.I)


_FOR_CYCLES = re.compile(r"(?:for|after|over|in|during|within|of|upon)\s+(?:the\s+)?(?:first\s+|initial\s+)?(?:more than\s+|over\s+)?$", re.I)


_PERCENT_OF_WHAT = re.compile(
    r"\s*(?:purity|porosity|Aldrich|yield|humidity|utili[sz]ation|of (?:the )?Li|depth|DOD|excess|loading|"
    r"state of (?:dis)?charge|SO[CD]\b|strain|compression|relative|RH\b|"
    # "a ~20% larger volume expansion": a relative change, not a figure
    r"(?:larger|smaller|higher|lower|greater|more|less|bigger|faster|slower|thicker|thinner)\b|"
    # "taking 80% retention as end of life": a criterion
    r"(?:\w+\s+){0,2}as\s+(?:the\s+|an?\s+)?(?:end[- ]of[- ]life|criteri(?:on|a)|cut-?off|threshold|failure)|"
    # "the 80% retention limit"; "80% reached after only 38 cycles"
    r"(?:\w+\s+)?(?:limit|criterion|threshold|cut-?off)\b|(?:is\s+|was\s+)?reached\b)", re.I)

# "typically 97-98% in ether electrolytes": what is usual, not what this work measured
_USUALLY = re.compile(r"\b(?:typically|usually|generally|commonly|normally|routinely)\s+(?:\w+\s+){0,2}$", re.I)

# "a full cell that keeps 72.4%": what a cell keeps is its retention, even after a CE was named
_KEPT_JUST_BEFORE = re.compile(r"\b(?:keep|keeps|kept|maintain|maintains|maintained|hold|holds|held)\s+"
                               r"(?:only\s+|about\s+|nearly\s+|~\s*|≈\s*)?$", re.I)


_THRESHOLD_CROSSED = re.compile(
    r"\b(?:drop|fall|fell|decreas|declin|decay|reach)\w*\s+(?:\w+\s+){0,2}(?:below|under|beneath|less than)\s*$", re.I)


def is_percent_setting(text: str, q: Quantity) -> bool:
    """A percentage that is a setting, a composition or a threshold, never a figure: "50%
    depth of discharge", "50% state of discharge", "99.9% purity", "2 wt% FEC", "before its
    capacity drops below 80%"."""
    return bool(_PERCENT_OF_WHAT.match(text, q.end) or re.search(r"\b(?:wt|vol|mol)\.?\s?$", text[max(0, q.start - 6):q.start])
                or _THRESHOLD_CROSSED.search(text[max(0, q.start - 60):q.start])
                or _USUALLY.search(text[max(0, q.start - 40):q.start]))


_BETWEEN = re.compile(r"\bbetween\s+(?:about\s+|~\s*)?(?:[-−]?\d+(?:\.\d+)?\s*(?:[^\s\d]+\s*)?and\s+)?$", re.I)


def is_setting(text: str, q: Quantity) -> bool:
    """A quantity that no rule may turn into a figure, however its sentence reads."""
    if _BETWEEN.search(text[max(0, q.start - 40):q.start]):
        return True  # "falls between 30 and 60 mV": a range of what is usual, or a window
    if q.dimension == "percent":
        return is_percent_setting(text, q)
    if q.dimension == "voltage":
        return bool(_NOT_A_VOLTAGE_FIGURE.search(text[max(0, q.start - 60):q.start]))
    return _is_cathode_loading(text, q)


# "images taken after 1000 h", "post-mortem cross sections after 500 cycles": when a sample
# was looked at, not how long a cell lived
_LOOKED_AT = re.compile(
    r"\b(?:images?|micrographs?|SEM|TEM|XPS|spectra|cross[- ]sections?|post[- ]mortem|morpholog\w*|photographs?|"
    r"views?|mapping|analysis)\b[^.;]{0,60}\bafter\s+(?:the\s+)?$", re.I)


_FOR_PLATING = re.compile(
    r"\s*(?:\((?:vs\.?|versus)[^)]{0,15}\)\s*)?(?:during|for)\s+(?:the\s+)?(?:subsequent\s+|further\s+|continued\s+|following\s+)?"
    r"Li\s+(?:metal\s+)?(?:deposition|plating|growth)", re.I)
_THAN_THAT_OF = re.compile(r"\bthan\s+(?:that|those)\s+of\s*(?:only\s+|about\s+|~\s*|≈\s*)?$", re.I)


def _named_last(cues: Cues, names: tuple[str, ...], start: int, end: int) -> str | None:
    """Of the metrics ``names``, the one whose cue ends last in ``[start, end)``."""
    found = [(c.end, c.name) for name in names for c in cues.find("metric", name, start, end)]
    return max(found)[1] if found else None


def _full_cell(cues: Cues, start: int = 0, end: int | None = None) -> bool:
    return bool(cues.cathodes(start, end)) or cues.has("cell", "full", start, end) or cues.has("cell", "pouch", start, end)


def classify(q: Quantity, text: str, section: str, others: list[Quantity], cues: Cues | None = None) -> str | None:
    """The metric a quantity reports in this sentence, or None when it is a condition,
    a background value or not a figure of merit. ``cues``: the sentence's cue words
    (:mod:`.cues`; the Doc's when the pipeline ran)."""
    cues = Cues.of(text) if cues is None else cues
    cs, ce = clause_bounds(text, q.start)
    if _DIFFERENCE_AFTER.match(text, q.end) and q.dimension != "percent":
        return None  # "is 14.2 kJ mol-1 lower than that of X" (a percentage "20% lower" is a setting)
    before = text[max(cs, q.start - 90):q.start]
    after = text[q.end:min(len(text), q.end + 40)]
    d = q.dimension
    if d == "percent":
        if q.unit == "%/cycle" or re.match(r"\s*(?:(?:capacity\s+)?(?:decay|loss|fading|fade)\s+)?(?:per cycle|cycle-1|/cycle)", after):
            return "capacity_decay_rate"
        if is_percent_setting(text, q):
            return None
        if re.search(r"\bloss(?:es)?\s*(?:\(|of|is|was|:|=)?\s*(?:only\s+|about\s+|~\s*)?$", text[max(0, q.start - 30):q.start], re.I):
            return None  # "its first-cycle loss (12.4%)": what is lost, not an efficiency
        if _THAN_THAT_OF.search(text[max(0, q.start - 40):q.start]):
            # "a decay rate of 0.03% per cycle, lower than that of 0.09% for Cu": the same figure
            prior = [o for o in others if o.dimension in ("percent", "decay_rate") and o.end <= q.start]
            if prior:
                return classify(prior[-1], text, section, others, cues)
        if _KEPT_JUST_BEFORE.search(text[max(cs, q.start - 25):q.start]) and _full_cell(cues, cs, ce):
            return "capacity_retention"
        named = _named_last(cues, ("coulombic_efficiency", "capacity_retention", "capacity_decay_rate"),
                            max(cs, q.start - 90), q.start)
        if named:
            return named
        if cues.metric("capacity_retention", q.end, q.end + 30):
            return "capacity_retention"
        ce_named, retention_named = cues.metric("coulombic_efficiency"), cues.metric("capacity_retention")
        if _KEEP_VERB.search(before[-40:]) and not cues.metric("coulombic_efficiency", cs, ce) and (
                _full_cell(cues) or (q.value < 95 and re.search(r"\bdecay|\bcapacit|per cycle", text, re.I))):
            return "capacity_retention"  # what is kept of a capacity: "P decays ..., while Q keeps 63%"
        if ce_named and not retention_named:
            return "coulombic_efficiency"
        if retention_named and not ce_named:
            return "capacity_retention"
        if q.value < 97 and re.search(r"\bafter\s+(?:\w+\s+)?\d", text[q.end:q.end + 30]) and _full_cell(cues):
            return "capacity_retention"  # "Li||NCM811: 52.3% after 300 cycles": what a full cell keeps
        return None
    if d == "decay_rate":
        return "capacity_decay_rate"
    if d == "specific_capacity":
        if _THEORETICAL.search(text[max(0, q.start - 60):q.start]) or q.value >= 1700 or (
                q.value >= 1000 and not _SULFUR.search(text)):
            # Li metal's 3860 mAh g-1 is background; above 1000 only a sulfur cathode delivers
            return None
        return "specific_capacity"
    if d == "areal_capacity":
        verb = [m for m in _ACCOMMODATED.finditer(text, cs, q.start)]
        # the verb, then only this list of capacities: "accommodated areal capacities of 10 and 6 mAh cm-2"
        listed = bool(verb) and all(o.dimension == "areal_capacity" for o in others if verb[-1].end() <= o.start < q.start)
        next_start = min([o.start for o in others if o.start >= q.end] + [ce])
        if (listed or _ACCOMMODATED_AFTER.match(text[q.end:min(next_start, q.end + 60)])) and not _is_cathode_loading(text, q):
            return "areal_capacity"  # "up to 16 mAh cm-2 was accommodated by X": how much Li the host holds
        if _AREAL_CONDITION_CUE.search(text[cs:q.start]):
            return None
        if _AREAL_METRIC_CUE.search(before) and not re.search(r"(?:plating|deposition|stripping)\s+(?:areal\s+)?capacity of\s*$", before, re.I):
            return "areal_capacity"
        return None
    if d in ("time", "cycles") and _LOOKED_AT.search(text[max(0, q.start - 90):q.start]):
        return None
    if d == "time":
        if re.search(r"\b(?:across|during|over|within|in)\s+the\s+first\s*$", before, re.I):
            return None  # "barely changes across the first 1000 h": a stretch of the test, not its length
        if re.search(r"(?:sites?|positions?|Wyckoff)\s*\(?\s*$", before, re.I) or re.match(r"\s*\)?\s*(?:sites?|positions?|Wyckoff)", after, re.I):
            return None  # "the 48h sites": crystallographic notation
        if q.unit != "h" or not (cues.metric("cycling_time", cs, ce) or cues.metric("cycling_time", max(0, q.start - 150), q.start)):
            return None
        if re.search(r"\b(?:rest|dried|stirr|soak|immers|aged|held|heated|annealed)\w*|\bkept\s+(?:at|in|under|overnight)\b",
                     text[cs:q.start], re.I):
            return None  # "dried at 80 °C for 12 h": a step's duration (the verb comes before the number)
        return "cycling_time"
    if d == "cycles":
        if _FAILED_AFTER.search(text[cs:q.start]):
            return "cycle_count"  # "decays rapidly after 180 cycles and retains 61.3%": when it failed
        prior = [o for o in others if o is not q and cs <= o.start < q.start and not is_setting(text, o)
                 and o.dimension in ("percent", "specific_capacity", "decay_rate", "voltage", "resistance")]
        if prior and not _STABLE_VERB.search(text[prior[-1].end:q.start]):
            return None  # "99.25% for the first 500 cycles": a condition of the figure before it
        if _FOR_CYCLES.search(before[-30:]) and any(o.dimension in ("percent", "specific_capacity", "decay_rate")
                                                     for o in others if q.end <= o.start < ce):
            return None
        to_value = re.search(r"\bto\s+[-−]?\d[^,;]*$", text[cs:q.start])
        if to_value and re.search(r"\bafter\s+(?:the\s+)?$", before) and not _STABLE_VERB.search(to_value.group(0)):
            return None  # "the stress increased to -2300 MPa after 300 cycles": when, not how long
        if re.search(r"\b(?:pre-?cycl\w*|activat\w*|formation)\b", text[cs:q.start], re.I):
            return None  # "pre-cycled for 5 cycles", "three formation cycles": how a test begins
        if cues.metric("cycle_count", cs, ce):
            return "cycle_count"
        return None
    if d == "voltage":
        if re.match(r"\s*(?:vs\.?|versus)", after) and abs(q.value) > 1000:
            return None
        if _NOT_A_VOLTAGE_FIGURE.search(before[-60:]):
            return None  # a threshold, cut-off or applied bias is a setting, not a result
        if q.low is not None and q.high is not None and q.high != q.low:
            return None  # a voltage window
        near = ((max(0, q.start - 150), q.start), (q.end, ce))
        nucleation = any(cues.metric("nucleation_overpotential", a, b) for a, b in near)
        overpotential = any(cues.metric("overpotential", a, b) for a, b in near)
        if nucleation and overpotential:
            return "nucleation_overpotential"
        if nucleation:
            return None  # "during nucleation the potential dips to -48 mV": a point of the curve
        if overpotential and 0 < abs(q.value) < 2000:
            return "overpotential"
        if "mV" in q.raw and re.search(r"\bpotential\s+(?:of\s+)?(?:about\s+|~\s*|≈\s*)?$", before) and _FOR_PLATING.match(text, q.end):
            return "overpotential"  # "a potential of -62 mV for the subsequent Li deposition": the plating overpotential
        return None
    if d == "current_density":
        if re.match(r"\s*(?:steps?|increments?|intervals?)\b", after, re.I):
            return None  # "CCD tests with 0.05 mA cm-2 steps": how the test climbs
        if cues.metric("exchange_current_density", max(0, q.start - 160), q.start) and not re.search(
                r"\b(?:at|under|with)\s+(?:an?\s+)?(?:\w+\s+){0,2}$", text[max(0, q.start - 30):q.start]):
            # "the exchange current densities of A, B and C are 0.21, 0.47 and 0.66 mA cm-2" (not "... at 1 mA cm-2")
            return "exchange_current_density"
        if _MAX_CD_CUE.search(before[-60:]) or cues.metric("max_current_density", cs, q.start) or (
                cues.metric("max_current_density", max(0, q.start - 120), q.start)
                and not re.search(r"\b(?:at|under|with)\s+(?:a\s+|an\s+)?(?:\w+\s+){0,3}$", text[max(0, q.start - 40):q.start])):
            # "The critical current densities of A, B and C are 0.2, 0.9 and 1.6 mA cm-2"
            return "max_current_density"
        return None
    if d == "specific_energy":
        # Wh kg-1 of a cell is its energy density, named or not; a theoretical one is not a figure
        return None if _THEORETICAL.search(text[max(0, q.start - 60):q.start]) else "energy_density"
    if d == "resistance":
        return "charge_transfer_resistance" if cues.metric("charge_transfer_resistance") else None
    if d == "molar_energy":
        return "activation_energy" if cues.metric("activation_energy") else None
    return None


_SULFUR = re.compile(r"\bsulfur|\bsulphur|Li[–-]S\b|\|\|\s?S\b|‖\s?S\b|/S\b|\bS cathode", re.I)
_EVOLUTION = re.compile(r"\b(?:increas|ris|rais|grow|grew|decreas|drop|reduc|lower|declin|fall|fell|chang|climb|jump|evolv|improv|"
                        r"boost|enhanc|extend)\w*\s+(?:\S+\s+){0,6}?from\s*$", re.I)


def _split_evolutions(text: str, qs: list[Quantity]) -> list[Quantity]:
    """"increased from 196 to 226 mV" states two values of one figure (before and after),
    not a window: the range becomes two quantities, each on its own number."""
    out = []
    for q in qs:
        if q.low is not None and q.high is not None and q.low != q.high and _EVOLUTION.search(text[max(0, q.start - 40):q.start]):
            cut = q.raw.find(" to ")
            first_end = q.start + cut if cut > 0 else q.start + len(q.raw) // 2
            out.append(replace(q, value=q.low, low=None, high=None, end=first_end, raw=text[q.start:first_end]))
            out.append(replace(q, value=q.high, low=None, high=None, start=first_end + 4 if cut > 0 else first_end,
                               raw=text[first_end + 4 if cut > 0 else first_end:q.end]))
        else:
            out.append(q)
    return out


_LOADING_BEFORE = re.compile(r"(?:loading|cathodes?|N/P|mass)\b[^,;.]{0,40}?(?:of|is|was|=|:|with|about|~|≈)?\s*$", re.I)


def _is_cathode_loading(text: str, q: Quantity) -> bool:
    """``a cathode loading of 3.2 mAh cm-2``: the cathode's capacity per area is a property
    of the cathode, not the Li plated per cycle (a test condition) nor a figure."""
    return q.dimension == "areal_capacity" and bool(
        _LOADING_BEFORE.search(text[max(0, q.start - 45):q.start])
        or re.match(r"\s*\)?\s*(?:cathodes?|loading|LFP|NCM\w*|NMC\w*|LCO|sulfur)\b", text[q.end:q.end + 20], re.I))

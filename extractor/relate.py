"""Relate quantities, materials and cues into records: hosts, figures of merit with
their test conditions, synthesis routes and properties.

``extract(seg)`` is the one entry point: a pure function of a segmented document.
The rules read sentence text that the normalizer has already put into one spelling
(``mA cm-2``, ``Li2CO3``, ``°C``) and quantities from ``quantities.parse_quantities``.
Each figure keeps the sentence it came from and the span of its number.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace

from . import materials as mat
from .deadline import checked
from .quantities import parse_quantities
from .segment import clause_bounds
from .types import (
    CellTest,
    Extraction,
    Host,
    Measurement,
    Quantity,
    SegmentedDocument,
    Sentence,
)
from .vocab import vocabulary

# Sections whose numbers are results. Introductions cite other work; methods state
# how things were made and tested (read for document-wide conditions instead).
RESULT_SECTIONS = {"abstract", "results", "conclusions", "body", "title"}

_FIG_REF = re.compile(r"\((?:Supplementary\s+)?(?:Figure|Fig\.?)\s*(\d+)\s*([a-j](?:\s?[,–-]\s?[a-j])*)?", re.I)

_CE_CUE = re.compile(r"coulombic efficienc|\bCEs?\b|plating/stripping efficiency|(?<!energy )(?<!voltage )\befficienc(?:y|ies)\b", re.I)
_RETENTION_CUE = re.compile(
    r"retention|retain|of (?:the|its|their) (?:initial |original |first[- ]cycle )?capacity|capacity remain", re.I)
# "keeps 92% after 500 cycles" in a full cell: a retention although the word is not there
_KEEP_VERB = re.compile(r"\b(?:keep|keeps|kept|maintain|maintains|maintained|preserv\w*|hold|holds|held|remain\w*)\b", re.I)
_DECAY_CUE = re.compile(r"decay rate|decay of|fading rate|capacity (?:decay|fading|loss)|per cycle", re.I)
_NUCLEATION_CUE = re.compile(r"nucleation", re.I)
_OVERPOT_CUE = re.compile(
    r"over-?\s?potential|polari[sz]ation|hysteresis|voltage gap|voltage difference|nucleation barrier", re.I
)
# settings and curve points that are voltages but no figure of merit
_NOT_A_VOLTAGE_FIGURE = re.compile(
    r"(?:threshold|criteri(?:on|a)|cut-?off|limit|applied|bias|constant voltage|potentiostatic|held at|"
    r"dips? to|dipped to|plateau (?:at|of)|discharged? to|charged? to)\b[^.;]{0,40}$", re.I)
_THEORETICAL = re.compile(r"theoretical|theoretically|in theory|calculated capacity", re.I)
_CYCLE_LIFE_CUE = re.compile(
    r"stabl[ey]|stability|lifetime|life ?span|cycle life|cycling life|sustain|run|operat|survive|"
    r"last|continu|without (?:short|failure|obvious)|decay|drop|fail|stopped|short[- ]circuit|"
    r"decreas|declin|degrad|fad(?:e|es|ed|ing)\b|collaps|worsen|"
    r"increase|rise|fluctuat|deteriorat|cycled for|cycling for|over\s*$|more than|up to",
    re.I,
)
_STABLE_VERB = re.compile(r"stabl[ey]|stability|sustain|\bruns?\b|operat|surviv|cycl(?:e|ed|ing) for|life ?span|lifetime|cycle life", re.I)
_HOURS_CUE = re.compile(
    r"cycl|operat|stabl|lifetime|lifespan|run|\bran\b|sustain|last|short|polari|hysteresis|over|more than|up to|"
    r"\bfail|\bdie[sd]?\b|collaps|breakdown|break down", re.I)
_MAX_CD_CUE = re.compile(
    r"critical current density|\bCCD\b|ultra-?high (?:current density|rate)|"
    r"(?:even|as high as|high as)\s+(?:at\s+|up to\s+)?(?:an?\s+)?(?:\w+\s+){0,2}(?:current density|rate)?\s*(?:of\s*)?$|even up to\s*$",
    re.I,
)
_AREAL_METRIC_CUE = re.compile(
    r"(?:high|large|huge|ultra-?high|remarkable|superior)\s+(?:areal\s+)?(?:discharge\s+)?capacity\s*(?:of|\(|:)?\s*(?:up to\s*)?$|"
    r"areal (?:discharge )?capacity (?:\w+ ){0,5}(?:up to|as high as|reach(?:es|ed)?)\s*$|"
    r"areal (?:discharge )?capacity of\s*$|equivalent to\s*$",
    re.I,
)
_AREAL_CONDITION_CUE = re.compile(
    r"plating|deposit|stripping|cycling capacity|fixed|increased to|with a capacity of|"
    r"(?:tested|cycled|measured|conducted|performed|evaluated|operated)\s+(?:\w+\s+){0,2}(?:with|at|under)\b", re.I)
_ENERGY_CUE = re.compile(r"energy density|specific energy", re.I)
_RCT_CUE = re.compile(r"charge[- ]transfer|\bR_?ct\b|interfacial resistance", re.I)
_EA_CUE = re.compile(r"activation energ|\bE_?a\b", re.I)
_EXCHANGE_CUE = re.compile(r"exchange current", re.I)
_FOR_CYCLES = re.compile(r"(?:for|after|over|in|during|within|of|upon)\s+(?:the\s+)?(?:first\s+|initial\s+)?(?:more than\s+|over\s+)?$", re.I)
_FIRST_CYCLE = re.compile(r"\b(?:initial|first[- ]cycle|first cycle|1st cycle|in the first cycle)\b", re.I)
_BOTH = re.compile(r"\b(?:both|all (?:the )?(?:two|three)) (?:electrodes|cells|samples|anodes|substrates)\b", re.I)
_LISTABLE = ("voltage", "resistance", "current_density", "molar_energy", "time")
_COMPARED = re.compile(r"compared (?:with|to)|\bagainst\b|\bversus\b|\bvs\.?|\bthan\b|\bwhile\b|\bwhereas\b", re.I)
_THAN = re.compile(r"\bthan\s+(?:that of\s+|those of\s+|the one with\s+|the ones with\s+|those with\s+)?(?:the\s+)?(?:cells? with\s+)?$", re.I)
_COMPARISON_OPENER = re.compile(
    r"\b(?:by|in) (?:comparison|contrast)\b|\b(?:similarly|likewise|conversely|meanwhile)\b|\bon the other hand\b", re.I)
_THAN_AFTER = re.compile(r"\bthan\b|\bcompared (?:with|to)\b|\bversus\b|\bvs\b|\bwhereas\b|\bwhile\b", re.I)
_RESPECTIVELY = re.compile(r"\brespectively\b", re.I)
_ELECTROLYTE = re.compile(
    r"(\d+(?:\.\d+)?\s?M\s+(?:Li[A-Za-z0-9]+|lithium [a-z]+)(?:\s+and\s+\d+(?:\.\d+)?\s?(?:M|wt%)\s+\S+)?\s+(?:in|dissolved in)\s+"
    r"[A-Za-z0-9/:,().\- ]+?)(?=\s+(?:was|were|is|as|with|served|and the|\()|[.;]|$)"
)
_TEMPERATURE_TEST = re.compile(r"(?:tested|cycled|measured|maintained|operated|performed|conducted)[^.]{0,60}?at\s+(-?\d+(?:\.\d+)?)\s?°C", re.I)

_CELL_DEFAULT = {
    "coulombic_efficiency": "half",
    "nucleation_overpotential": "half",
    "cycling_time": "symmetric",
    "specific_capacity": "full",
    "capacity_retention": "full",
    "capacity_decay_rate": "full",
    "energy_density": "full",
    "charge_transfer_resistance": "symmetric",
    "exchange_current_density": "symmetric",
}


# ------------------------------------------------------------------ document context


@dataclass
class DocumentContext:
    """Conditions stated once for the whole document (methods section)."""

    electrolyte: str | None = None
    temperature: float | None = None
    cathodes: Counter = field(default_factory=Counter)
    # plated capacity per cycle the methods give for a kind of cell (None: no cell named)
    areal_capacity: dict = field(default_factory=dict)

    def plated_capacity(self, cell_type: str | None) -> float | None:
        """The methods' one areal capacity for this kind of Li-plating cell, if there is one."""
        if cell_type not in ("half", "symmetric"):
            return None
        values = self.areal_capacity.get(cell_type) or self.areal_capacity.get(None) or set()
        return next(iter(values)) if len(values) == 1 else None


# "tests for Li|Cu cells were conducted with ...": a method statement wherever it stands
_METHOD_STATEMENT = re.compile(r"\b(?:was|were)\s+(?:conducted|performed|tested|cycled|carried out|measured|assembled|run)\b", re.I)


def document_context(sentences: list[Sentence], quantities: dict | None = None) -> DocumentContext:
    ctx = DocumentContext()
    electrolytes: Counter = Counter()
    temperatures: Counter = Counter()
    for s in sentences:
        if quantities is not None and (s.section == "experimental" or (
                s.section == "body" and _METHOD_STATEMENT.search(s.text))):
            capacities = {q.value for q in quantities.get(s.index, ())
                          if q.dimension == "areal_capacity" and not _is_cathode_loading(s.text, q)}
            if capacities:
                ctx.areal_capacity.setdefault(_cell_type(s.text), set()).update(capacities)
        for m in _ELECTROLYTE.finditer(s.text):
            electrolytes[m.group(1).strip(" ,")] += 2 if s.section == "experimental" else 1
        if s.section == "experimental":
            for m in _TEMPERATURE_TEST.finditer(s.text):
                temperatures[float(m.group(1))] += 1
            if re.search(r"room temperature", s.text, re.I) and re.search(r"test|cycl|galvanostat|measure", s.text, re.I):
                temperatures[25.0] += 1
        for name, _, _ in mat.find_cathodes(s.text):
            ctx.cathodes[name] += 1
    if electrolytes:
        ctx.electrolyte = electrolytes.most_common(1)[0][0]
    if len(temperatures) == 1:
        ctx.temperature = next(iter(temperatures))
    return ctx


# ------------------------------------------------------------------ hosts


@dataclass
class HostTable:
    entries: dict[str, mat.HostEntry]  # by entry key
    pattern: re.Pattern | None
    form_to_entry: dict[str, str]  # form key -> entry key
    main: str | None = None

    def mentions(self, text: str) -> list[tuple[str, int, int]]:
        """Host mentions ``(entry key, start, end)`` in a sentence, left to right."""
        if self.pattern is None:
            return []
        out = []
        for m in self.pattern.finditer(text):
            form = mat.key(m.group(0))
            entry = self.form_to_entry.get(form) or self.form_to_entry.get(_singular(form))
            if entry:
                before = text[max(0, m.start() - 14):m.start()]
                if re.search(r"\b(?:coated|deposited|grown|loaded|cast|plated|supported|placed)\s+(?:on|onto)\s+(?:the\s+)?$", before) and self.entries[entry].kind == "control":
                    continue
                if self.entries[entry].kind == "control" and _CELL_NOTATION.search(before) and _HALF_CELL_AFTER.match(text, m.end()):
                    continue  # "Li||Cu half cells" names the kind of test, not the bare-Cu control
                out.append((entry, m.start(), m.end()))
        return out


_CELL_NOTATION = re.compile(r"Li\s?(?:\|\||‖|\||//|-|–)\s?$")
# "Li||Cu half cells", "Li-Cu cells with the X separator": the kind of test, not the Cu control
_HALF_CELL_AFTER = re.compile(
    r"\s+(?:half|asymmetric|coin)\b|\s?(?:\|\||‖|\|)\s?Li\b|\s+cells?\s+(?:with|using|containing|employing|of)\b", re.I)


def _singular(k: str) -> str:
    if k.endswith("es") and len(k) > 5 and not k.endswith("ses"):
        return k[:-2] if k[-3] in "sx" else k[:-1]
    return k[:-1] if k.endswith("s") and len(k) > 3 else k


def _control_group(text: str) -> str:
    t = text.casefold()
    if re.search(r"without|w/o|free of|\bno\b|pristine electrolyte", t):
        return "control:without"
    if re.search(r"\b(?:control|reference|baseline)\s", t):
        return "control:sample"
    for base in ("stainless steel", "carbon paper", "graphite", "cu", "li", "ni", "al", "zn", "ti", "ss"):
        if re.search(r"(?<![a-z])" + re.escape(base) + r"(?![a-z])", t):
            return "control:" + base
    return "control:" + mat.key(text)


def build_host_table(sentences: list[Sentence], found: dict[int, tuple] | None = None) -> tuple[HostTable, dict[str, str]]:
    """Host table of a document. ``found`` maps a sentence index to the abbreviation
    definitions the spaCy pipeline found in it (computed here when not given)."""
    abbreviations: dict[str, str] = {}
    designs: set[str] = set()  # names the paper defines for made materials and electrodes
    for s in sentences:
        defs = found[s.index] if found is not None else mat.find_abbreviations(s.text)
        for a in defs:
            abbreviations.setdefault(a.short, a.long)
            if mat.is_design_definition(a) and mat.is_material_token(a.short, frozenset({a.short})):
                designs.add(a.short)
    abbr = frozenset(abbreviations)
    design_pattern = re.compile(r"(?<![\w@.\-])(?:" + "|".join(
        re.escape(d) for d in sorted(designs, key=len, reverse=True)) + r")(?![\w@])") if designs else None
    entries: dict[str, mat.HostEntry] = {}
    weight = {"title": 3.0, "abstract": 2.0, "results": 1.0, "conclusions": 1.0, "body": 1.0}
    for s in sentences:
        if s.section in ("introduction", "references"):
            continue
        candidates = mat.find_candidates(s.text, abbr)
        if design_pattern:  # a defined design is a candidate wherever it is written
            candidates += [mat.Candidate(m.group(0), m.start(), m.end(), "host", "defined")
                           for m in design_pattern.finditer(s.text)
                           if not any(c.start <= m.start() < c.end for c in candidates)]
        for c in candidates:
            text = c.text.strip()
            if c.kind_hint == "host" and text in mat.ELEMENTS and not (c.context == "li_anchor" and _is_bare_substrate(text)):
                continue  # a lone element ("Ag seeds", "Cu layer") is a component, not a design
            if re.search(r"\d-[xyδ]|^[xyδ][A-Z]", text):
                continue  # Li6-xAgxPS5Cl names a family of compositions, not one design
            if c.kind_hint == "control" or (c.kind_hint == "host" and _is_bare_substrate(text)):
                k = _control_group(text)
                kind = "control"
            else:
                k = _singular(mat.key(text))
                kind = "host"
                if len(k) < 2 or k in mat.NOT_MATERIALS:
                    continue
            e = entries.get(k)
            if e is None:
                e = entries[k] = mat.HostEntry(name=text, kind=kind, first_sentence=s.index)
            e.forms[text] += 1
            e.score += weight.get(s.section, 0.5)
    for s in sentences:
        for members in mat.find_family_lists(s.text):
            for f in members:
                k = _singular(mat.key(f))
                e = entries.setdefault(k, mat.HostEntry(name=f, kind="host", first_sentence=s.index))
                e.forms[f] += 1
    _merge_suffixes(entries)
    _merge_into_controls(entries)
    for k, e in entries.items():
        if e.kind == "host":
            short = e.name if e.name in abbreviations else None
            if short:
                e.long_form = abbreviations[short]
    table = _compile_table(entries)
    return table, abbreviations


def _is_bare_substrate(text: str) -> bool:
    """``Cu``, ``Cu foil``, ``Li metal``: a plain substrate is a control, not a design."""
    return bool(re.fullmatch(r"(?:Cu|Li|Ni|Al|Zn|Ti|SS|stainless steel)(?:\s+(?:foils?|mesh|foam|metal|plates?))?", text))


_HEAD_NOUN = re.compile(r"\s+(?:" + "|".join(mat.HOST_HEADS) + r")$", re.I)


def _merge_into_controls(entries: dict[str, mat.HostEntry]) -> None:
    """``untreated PP separator`` is the control; ``PP`` and ``PP separator`` written alone in
    the same paper are that control too, not a design of their own."""
    for ck, control in list(entries.items()):
        if control.kind != "control":
            continue
        for form in list(control.forms):
            words = form.split()
            if len(words) < 2 or words[0].casefold() not in mat.CONTROL_MODIFIERS:
                continue
            base = " ".join(words[1:])
            for name in {base, _HEAD_NOUN.sub("", base)}:
                k = _singular(mat.key(name))
                e = entries.get(k)
                if e is not None and e.kind == "host" and k != ck:
                    control.forms.update(e.forms)
                    control.score += e.score
                    del entries[k]


def _merge_suffixes(entries: dict[str, mat.HostEntry]) -> None:
    """``Cu HoMS`` and ``HoMS`` are the ``3S-Cu HoMS`` of the same paper: a host key that is
    a token suffix of another, more frequent-or-longer key is merged into it."""
    hosts = [k for k, e in entries.items() if e.kind == "host"]
    for short in sorted(hosts, key=len):
        if short not in entries:
            continue
        short_forms = {f.casefold() for f in entries[short].forms}
        longer = [k for k in hosts if k != short and k in entries and k.endswith(short)
                  and any(f.casefold().endswith((" " + sf, "-" + sf)) for f in entries[k].forms for sf in short_forms)]
        if not longer:
            continue
        if mat.is_formula(entries[short].name):
            # "NbO2" and "n-NbO2", "Si" and "a-Si": a prefix on a formula makes another material
            longer = [k for k in longer if any(f.casefold().endswith(tuple(" " + sf for sf in short_forms))
                                               for f in entries[k].forms)]
            if not longer:
                continue
        target = max(longer, key=lambda k: entries[k].score)
        if entries[target].score >= 1:
            entries[target].forms.update(entries[short].forms)
            entries[target].score += entries[short].score
            del entries[short]


def _compile_table(entries: dict[str, mat.HostEntry]) -> HostTable:
    form_to_entry: dict[str, str] = {}
    surface: set[str] = set()
    for k, e in entries.items():
        forms = set(e.forms)
        if e.long_form:
            forms.add(e.long_form)
        if e.kind == "control":
            for f in list(forms):
                m = re.search(r"(Cu|Li|Ni|Al|Zn|Ti)\b", f)
                if m and k.startswith("control:") and k != "control:without":
                    forms.add(m.group(1) + " foil")
                    if m.group(1) != "Li":
                        forms.add(m.group(1))
        for f in forms:
            surface.add(f)
            form_to_entry.setdefault(mat.key(f), k)
            form_to_entry.setdefault(_singular(mat.key(f)), k)
            if e.kind == "host" and not f.endswith("s"):
                surface.add(f + "s")
    if not surface:
        return HostTable(entries, None, form_to_entry)
    alts = sorted(surface, key=len, reverse=True)
    body = "|".join(re.escape(a).replace(r"\ ", r"\s+").replace("@", r"\s?@\s?") for a in alts)
    # a mention ends where the name ends: "Cu-In" is not written inside "Cu-In(4)" or
    # "Bi-NCS@CC" inside "Bi-NCS@CC-600", but "X-coated" and "X-based" mention X
    pattern = re.compile(r"(?<![\w@.])(?:Li\s?(?:@|/|-|–)\s?)?(?:" + body + r")"
                         r"(?![\w@]|\([\w.]{1,4}\)|[-–](?!(?:based|coated|modified|decorated|derived|supported|loaded|"
                         r"free|like|containing|grafted|covered|doped|cells?|anodes?|electrodes?)\b|"
                         r"(?:LFP|LiFePO4|NCM|NMC|LCO|LiCoO2|NCA|LiNi|LMO|S\b))\w)")  # X-NCM811: X paired with a cathode
    return HostTable(entries, pattern, form_to_entry)


# ------------------------------------------------------------------ figures


@dataclass
class Figure:
    host: str | None  # entry key
    metric: str
    q: Quantity
    sentence: Sentence
    conditions: dict
    rank: int = 0  # tie-break when deduplicating
    tentative: bool = False  # host carried over from an earlier sentence


def classify(q: Quantity, text: str, section: str, others: list[Quantity]) -> str | None:
    """The metric a quantity reports in this sentence, or None when it is a condition,
    a background value or not a figure of merit."""
    cs, ce = clause_bounds(text, q.start)
    clause = text[cs:ce]
    before = text[max(cs, q.start - 90):q.start]
    after = text[q.end:min(len(text), q.end + 40)]
    d = q.dimension
    if d == "percent":
        if q.unit == "%/cycle" or re.match(r"\s*(?:per cycle|cycle-1|/cycle)", after):
            return "capacity_decay_rate"
        if re.match(r"\s*(?:purity|porosity|Aldrich|yield|humidity|utili[sz]ation|of (?:the )?Li|depth|DOD|excess|loading|"
                    r"state of (?:dis)?charge|SO[CD]\b|strain|compression|relative|RH\b)", after, re.I):
            return None
        if re.search(r"\b(?:wt|at|vol|mol)\s?$", before):
            return None
        cues = [(m.end(), "coulombic_efficiency") for m in _CE_CUE.finditer(before)]
        cues += [(m.end(), "capacity_retention") for m in _RETENTION_CUE.finditer(before)]
        cues += [(m.end(), "capacity_decay_rate") for m in _DECAY_CUE.finditer(before)]
        if cues:
            return max(cues)[1]
        if _RETENTION_CUE.search(after[:30]):
            return "capacity_retention"
        if _KEEP_VERB.search(before[-40:]) and not _CE_CUE.search(clause) and (
                mat.find_cathodes(text) or re.search(r"full[- ]cell|pouch", text, re.I)):
            return "capacity_retention"
        if _CE_CUE.search(text) and not _RETENTION_CUE.search(text):
            return "coulombic_efficiency"
        if _RETENTION_CUE.search(text) and not _CE_CUE.search(text):
            return "capacity_retention"
        return None
    if d == "decay_rate":
        return "capacity_decay_rate"
    if d == "specific_capacity":
        if _THEORETICAL.search(text[max(0, q.start - 60):q.start]) or q.value >= 1000:
            return None
        return "specific_capacity"
    if d == "areal_capacity":
        if _AREAL_CONDITION_CUE.search(text[cs:q.start]):
            return None
        if _AREAL_METRIC_CUE.search(before) and not re.search(r"(?:plating|deposition|stripping)\s+(?:areal\s+)?capacity of\s*$", before, re.I):
            return "areal_capacity"
        return None
    if d == "time":
        if re.search(r"(?:sites?|positions?|Wyckoff)\s*\(?\s*$", before, re.I) or re.match(r"\s*\)?\s*(?:sites?|positions?|Wyckoff)", after, re.I):
            return None  # "the 48h sites": crystallographic notation
        if q.unit != "h" or not (_HOURS_CUE.search(clause) or _HOURS_CUE.search(text[max(0, q.start - 150):q.start])):
            return None
        if re.search(r"\b(?:rest|dried|stirr|soak|immers|aged|held|kept|heated|annealed)\w*", clause, re.I):
            return None
        return "cycling_time"
    if d == "cycles":
        prior = [o for o in others if o is not q and cs <= o.start < q.start
                 and o.dimension in ("percent", "specific_capacity", "decay_rate", "voltage")]
        if prior and not _STABLE_VERB.search(text[prior[-1].end:q.start]):
            return None  # "99.25% for the first 500 cycles": a condition of the figure before it
        if _FOR_CYCLES.search(before[-30:]) and any(o.dimension in ("percent", "specific_capacity", "decay_rate")
                                                     for o in others if q.end <= o.start < ce):
            return None
        if _CYCLE_LIFE_CUE.search(clause):
            return "cycle_count"
        return None
    if d == "voltage":
        if re.match(r"\s*(?:vs\.?|versus)", after) and abs(q.value) > 1000:
            return None
        if _NOT_A_VOLTAGE_FIGURE.search(before[-60:]):
            return None  # a threshold, cut-off or applied bias is a setting, not a result
        if q.low is not None and q.high is not None and q.high != q.low:
            return None  # a voltage window
        near = text[max(0, q.start - 150):q.start] + text[q.end:ce]
        if _NUCLEATION_CUE.search(near) and _OVERPOT_CUE.search(near):
            return "nucleation_overpotential"
        if _NUCLEATION_CUE.search(near):
            return None  # "during nucleation the potential dips to -48 mV": a point of the curve
        if _OVERPOT_CUE.search(near) and 0 < abs(q.value) < 2000:
            return "overpotential"
        return None
    if d == "current_density":
        if _EXCHANGE_CUE.search(before):
            return "exchange_current_density"
        if _MAX_CD_CUE.search(before[-60:]) or re.search(r"critical current density|\bCCD\b", text[cs:q.start], re.I):
            return "max_current_density"
        return None
    if d == "specific_energy":
        return "energy_density" if _ENERGY_CUE.search(text) else None
    if d == "resistance":
        return "charge_transfer_resistance" if _RCT_CUE.search(text) else None
    if d == "molar_energy":
        return "activation_energy" if _EA_CUE.search(text) else None
    return None


def _nearest(qs: list[Quantity], pos: int, dims: tuple[str, ...], exclude: set[int]) -> Quantity | None:
    best = None
    for o in qs:
        if o.dimension in dims and id(o) not in exclude:
            dist = abs(o.start - pos)
            if best is None or dist < best[0]:
                best = (dist, o)
    return best[1] if best else None


def _cell_type(text: str) -> str | None:
    vocab = vocabulary()
    found = []
    for name in ("pouch", "full", "symmetric", "half"):
        for pattern in vocab.cell_types[name].cues:
            m = pattern.search(text)
            if m:
                found.append((name, m.start()))
                break
    if not found:
        return None
    names = {n for n, _ in found}
    if "pouch" in names:
        return "pouch"
    if "full" in names:
        return "full"
    return min(found, key=lambda x: x[1])[0]


def _caption_panels(seg: SegmentedDocument) -> dict[tuple[str, str | None], str]:
    """Caption text by (figure number, panel letter); panel None holds the whole caption.
    ``a,c) ...`` gives its text to both a and c."""
    out: dict[tuple[str, str | None], str] = {}
    for p in seg.passages:
        if p.role != "caption":
            continue
        m = re.match(r"\s*(?:Figure|Fig\.?)\s*S?(\d+)", p.text, re.I)
        if not m:
            continue
        num = m.group(1)
        out[(num, None)] = p.text
        pieces = re.split(r"(?:(?<=[\s.;,])|^)\(?([a-j](?:\s?[,–-]\s?[a-j])*)\)\s", p.text[m.end():])
        for i in range(1, len(pieces) - 1, 2):
            for letter in _panel_letters(pieces[i]):
                out[(num, letter)] = out.get((num, letter), "") + " " + pieces[i + 1]
    return out


def _panel_letters(label: str) -> list[str]:
    """``a,c`` → a, c; ``b–d`` → b, c, d; ``e,f`` → e, f."""
    letters: list[str] = []
    for part in re.split(r"\s?,\s?", label):
        r = re.fullmatch(r"([a-j])\s?[–-]\s?([a-j])", part)
        if r:
            letters.extend(chr(c) for c in range(ord(r.group(1)), ord(r.group(2)) + 1))
        elif part:
            letters.append(part[0])
    return letters


def _caption_conditions(sentence: str, captions: dict) -> dict:
    m = _FIG_REF.search(sentence)
    if not m:
        return {}
    num = m.group(1)
    letters = _panel_letters(m.group(2)) if m.group(2) else []
    panel = " ".join(captions.get((num, x), "") for x in letters).strip()
    whole = captions.get((num, None), "")
    if not (panel or whole):
        return {}
    return {**_conditions_from(whole), **_conditions_from(panel)} if panel else _conditions_from(whole)


def _add_cell_and_cathode(text: str, out: dict) -> dict:
    """The cell type and the first cathode a text names, added to ``out``."""
    ct = _cell_type(text)
    if ct:
        out["cell_type"] = ct
    cath = mat.find_cathodes(text)
    if cath:
        out["cathode"] = cath[0][0]
    return out


def _conditions_from(text: str) -> dict:
    out: dict = {}
    qs = parse_quantities(text)
    for q in qs:
        if q.dimension == "current_density" and "current_density" not in out:
            out["current_density"] = q.value
        elif q.dimension == "areal_capacity" and "areal_capacity" not in out:
            out["areal_capacity"] = q.value
        elif q.dimension == "c_rate" and "c_rate" not in out:
            out["c_rate"] = q.value
        elif q.dimension == "temperature" and "temperature" not in out:
            out["temperature"] = q.value
    return _add_cell_and_cathode(text, out)


_CONTRAST = re.compile(r"[;:]|\b(?:while|whereas|but|in contrast|by contrast|however|compared (?:with|to)|than)\b", re.I)


def _contrast_clause_start(text: str, pos: int) -> int:
    """Where the clause holding ``pos`` starts when clauses are cut at contrast words and
    semicolons (commas inside a list of hosts do not cut)."""
    start = 0
    for m in _CONTRAST.finditer(text, 0, pos):
        start = m.end()
    return start


MAIN = "*main*"  # stands for the paper's proposed design until it is known
# Generic referring phrases: "the composite anode", "the as-prepared host", "our design",
# "the modified electrode". They name the paper's own design, never a host of their own.
GENERIC_REFERENCE = re.compile(
    r"\b(?:the|our|this|these|such)\s+(?:(?:as-?|newly\s+)?(?:prepared|fabricated|developed|designed|synthesi[sz]ed|obtained)\s+|"
    r"(?:modified|composite|proposed|engineered|hybrid|coated|protected|lithiophilic|new|optimi[sz]ed|functional)\s+){1,3}"
    r"(?:[a-z]+\s+)?(?:hosts?|anodes?|electrodes?|substrates?|current collectors?|frameworks?|scaffolds?|skeletons?|"
    r"separators?|interlayers?|membranes?|designs?|samples?|cells?|batter(?:y|ies)|structures?)\b"
    r"|\bour\s+(?:design|host|anode|electrode|separator|strategy|structure)s?\b"
    # "the indium-seeded mesh", "the carbon-coated separator" (lower case: a description, not a name)
    r"|\bthe\s+[a-z]+-(?:seeded|coated|decorated|doped|modified|loaded|treated|functionali[sz]ed|engineered|"
    r"protected|infused|grafted|covered|embedded|anchored)\s+(?:[a-z]+\s+)?(?:hosts?|anodes?|electrodes?|"
    r"substrates?|current collectors?|frameworks?|scaffolds?|skeletons?|separators?|interlayers?|membranes?|meshe?s?|"
    r"foams?|cloths?|papers?|foils?|films?)\b",
    re.I,
)

_COORDINATION = re.compile(r"\s*-?\s*(?:,\s*(?:and\s+|or\s+)?|(?:and|or|&)\s+)(?:the\s+)?")


def _coordinated_subject(text: str, mentions: list[tuple[str, int, int]], q: Quantity) -> list[str]:
    """Hosts that share one value as a coordinated subject: "the cells with the A- and
    B-coated separators are maintained until 150 cycles", "both P and Q fail after 25
    cycles". The mentions must be joined by and/or/commas only, and be the last ones
    before the value in its clause."""
    start = _contrast_clause_start(text, q.start)
    before = [m for m in mentions if start <= m[1] and m[2] <= q.start]
    if len(before) < 2:
        return []
    if not re.search(r"\b(?:and|or)\b|&", text[before[-2][2]:before[-1][1]]):
        return []  # "compared with A, B keeps ...": a comma alone does not coordinate
    chain = [before[-1]]
    for m in reversed(before[:-1]):
        if not _COORDINATION.fullmatch(text[m[2]:chain[0][1]]):
            break
        chain.insert(0, m)
    keys = list(dict.fromkeys(k for k, _, _ in chain))
    return keys if len(keys) > 1 else []


_CONDITION_OF = {"current_density": "current_density", "areal_capacity": "areal_capacity", "c_rate": "c_rate",
                 "temperature": "temperature", "cycles": "cycles"}


def _condition_sweeps(qs: list[Quantity], metric_of: dict[int, str]) -> dict[str, list[Quantity]]:
    """Conditions a sentence lists for a sweep: two or more quantities of one condition
    dimension that are not figures themselves, in the order written ("at 0.2, 0.5 and
    1 C"). A value repeated in the list ("1 C ... 1 C") is one condition, not a sweep."""
    out: dict[str, list[Quantity]] = {}
    for dimension in _CONDITION_OF:
        values = [q for q in qs if q.dimension == dimension and id(q) not in metric_of]
        if len(values) > 1 and len({round(v.value, 6) for v in values}) == len(values):
            out[dimension] = values
    return out


def _sentence_figures(s: Sentence, qs: list[Quantity], table: HostTable, carried: str | None,
                      previous_list: list[str] | None = None, topic: str | None = None,
                      review: bool = False, compared_metrics: dict[str, str] | None = None) -> list[Figure]:
    """Figures of merit of one sentence, each with its host (entry key) and the
    conditions the sentence itself states."""
    text = s.text
    mentions = table.mentions(text)
    metric_of: dict[int, str] = {}
    for q in qs:
        m = classify(q, text, s.section, qs)
        if m:
            metric_of[id(q)] = m
    for q in qs:  # "9 mV on A, 27 mV on B and 58 mV on C": later values of a listed metric
        if id(q) in metric_of or q.dimension not in _LISTABLE:
            continue
        prior = [o for o in qs if id(o) in metric_of and o.end <= q.start and o.dimension == q.dimension]
        if prior and re.search(r"\b(?:on|for|of|in)\b", text[q.end:q.end + 12]):
            metric_of[id(q)] = metric_of[id(prior[-1])]
    if topic and not _CE_CUE.search(text) and not _RETENTION_CUE.search(text):
        for q in qs:  # "CM reaches 96.9% over 150 cycles": the paragraph is about one percent metric
            if q.dimension == "percent" and id(q) not in metric_of and not re.match(
                    r"\s*(?:purity|porosity|yield|utili[sz]ation)", text[q.end:q.end + 20], re.I):
                metric_of[id(q)] = topic
    for q in qs:  # "8.5 mA cm-2, compared with 3.5 mA cm-2 for ZCP": same metric as the figure compared
        if id(q) in metric_of:
            continue
        prior = [o for o in qs if id(o) in metric_of and o.end <= q.start and o.dimension == q.dimension]
        if prior and _COMPARED.search(text[prior[-1].end:q.start]) and q.dimension not in ("cycles",):
            metric_of[id(q)] = metric_of[id(prior[-1])]
    if compared_metrics and _COMPARISON_OPENER.search(text):
        # "Bare Li, by comparison, shows 24, 41 and 70 mV": the metric of the sentence before
        classified = {o.dimension for o in qs if id(o) in metric_of}
        for q in qs:
            d = q.dimension
            if id(q) not in metric_of and d in compared_metrics and d not in _CONDITION_OF and d not in classified:
                metric_of[id(q)] = compared_metrics[d]
    if not metric_of:
        return []
    used_as_metric = {i for i in metric_of}
    figures = []
    metric_qs = [q for q in qs if id(q) in metric_of]
    # lists of values of one metric, in order (for "respectively" and "A vs B")
    groups: list[list[Quantity]] = []
    for q in metric_qs:
        if groups and metric_of[id(groups[-1][-1])] == metric_of[id(q)] and re.fullmatch(
            r"[\s,]*(?:and|or|vs\.?|versus|to|,)?[\s,]*(?:and\s+)?", text[groups[-1][-1].end - len(groups[-1][-1].raw) + len(groups[-1][-1].raw):q.start]
        ):
            groups[-1].append(q)
        else:
            groups.append([q])
    respectively = bool(_RESPECTIVELY.search(text))
    host_mentions = [m for m in mentions]
    # c-rate lists zipped with value lists ("... at 0.5, 1, 2 C, respectively")
    crates = [q for q in qs if q.dimension == "c_rate"]
    sweeps = _condition_sweeps(qs, metric_of)
    generic_refs = list(GENERIC_REFERENCE.finditer(text))
    for gi, group in enumerate(groups):
        hosts_for: list[str | None] = [None] * len(group)
        # a host named right after the value: "146 h for the cell without additives"
        for i, q in enumerate(group):
            follow = text[q.end:q.end + 60]
            fm = re.match(r"\s*\)?\s*(?:for|of|with|in|on)\s+(?:the\s+)?(?:cells?\s+|Li[–-]Li\s+(?:symmetric\s+)?cells?\s+)?(?:with\s+|using\s+)?", follow)
            if fm:
                for key_, ms, me in host_mentions:
                    if ms == q.end + fm.end():
                        hosts_for[i] = key_
        joined_by_vs = len(group) > 1 and re.search(r"\bvs\.?\b|versus", text[group[0].start:group[-1].start])
        if len(group) > 1 and hosts_for[-1] and not any(hosts_for[:-1]) and not joined_by_vs:
            hosts_for = [hosts_for[-1]] * len(group)  # "148.5, 136.3 and 88.8 mAh g-1 for the Li-Cu cell"
        if len(group) > 1 and not any(hosts_for):
            before_mentions = [m for m in host_mentions if m[2] <= group[0].start]
            distinct = list(dict.fromkeys(k for k, _, _ in before_mentions))
            paired = respectively or re.search(r"\bvs\.?\b|versus", text[group[0].start:group[-1].end])
            if paired and len(distinct) >= len(group):
                hosts_for = distinct[-len(group):]
            elif not paired and len(distinct) == len(group):
                hosts_for = distinct  # "A and B keep 98.6% and 97.1%"
            elif len(distinct) > len(group):
                # "P decays after 300 cycles, while Q and R keep 63% and 48%": the hosts of the
                # contrast clause that holds the values, in order
                contrast = _contrast_clause_start(text, group[0].start)
                in_clause = list(dict.fromkeys(k for k, ms, _ in before_mentions if ms >= contrast))
                if len(in_clause) == len(group):
                    hosts_for = in_clause
            elif len(distinct) >= 2 and len(group) % 2 == 0 and re.search(r"\bvs\b|versus", text):
                pair = distinct[-2:]
                hosts_for = [pair[i % 2] for i in range(len(group))]
        if len(group) > 1 and not any(hosts_for) and not host_mentions and previous_list and len(previous_list) == len(group):
            hosts_for = list(previous_list)  # "their activation energies were 0.36, 0.37 and 0.39 eV, respectively"
        for i, q in enumerate(group):
            host = hosts_for[i]
            if host is None:
                prev = [m for m in host_mentions if m[2] <= q.start and not (
                    _THAN.search(text[max(0, m[1] - 30):m[1]]) and q.start - m[2] > 30)]
                generic = [g for g in generic_refs if g.end() <= q.start and (not prev or g.start() >= prev[-1][2])]
                if generic:
                    # "the modified electrode keeps 99.1%": the paper's design; in a review, the
                    # design the passage is about
                    host = carried if review else MAIN
                elif prev:
                    host = prev[-1][0]
                else:
                    nxt = [m for m in host_mentions if m[1] >= q.end and m[1] - q.end < 40
                           and not _THAN_AFTER.search(text[q.end:m[1]])]  # "14 mV, smaller than that of X"
                    host = nxt[0][0] if nxt else carried
            conds: dict = {}
            if not host_mentions and _BOTH.search(text):
                figures.append(Figure("*both*", metric_of[id(q)], q, s, {}))
                continue
            # a sweep: "at 0.5, 1 and 2 mA cm-2 ... 12, 18 and 27 mV, respectively" gives each
            # value the condition in the same place of the condition list
            for dimension, values in sweeps.items():
                if len(values) == len(group) and len(group) > 1:
                    conds[_CONDITION_OF[dimension]] = values[i].value
            shared = _coordinated_subject(text, host_mentions, q) if len(group) == 1 and hosts_for[i] is None else []
            for h in shared or [host]:
                figures.append(Figure(h, metric_of[id(q)], q, s, dict(conds)))
    # "vs" pairs like "0.1C (190.1 vs 166.1 mAh g-1)": c-rate is the one right before the parenthesis
    for f in figures:
        if "c_rate" not in f.conditions:
            prev_c = [c for c in crates if c.end <= f.q.start]
            if prev_c and re.fullmatch(r"\s*\(?[\d.\s]*(?:vs\.?|versus)?[\s\d.]*", text[prev_c[-1].end:f.q.start]):
                f.conditions["c_rate"] = prev_c[-1].value
    for f in figures:
        q = f.q
        exclude = used_as_metric
        if f.metric != "max_current_density":
            cd = _nearest(qs, q.start, ("current_density",), exclude)
            if cd:
                f.conditions.setdefault("current_density", cd.value)
        ac = _nearest(qs, q.start, ("areal_capacity",), exclude | {id(q)})
        if ac and f.metric != "areal_capacity":
            f.conditions.setdefault("areal_capacity", ac.value)
        elif ac and f.metric == "areal_capacity" and ac is not q:
            pass
        cr = _nearest(qs, q.start, ("c_rate",), exclude)
        if cr:
            f.conditions.setdefault("c_rate", cr.value)
        t = _nearest(qs, q.start, ("temperature",), exclude)
        if t:
            f.conditions.setdefault("temperature", t.value)
        if f.metric not in ("cycle_count",):
            cs, _ = clause_bounds(text, q.start)
            cyc = [o for o in qs if o.dimension == "cycles" and (id(o) not in used_as_metric or o.end <= q.start)]
            if f.metric in ("specific_capacity", "areal_capacity") and _FIRST_CYCLE.search(text[max(cs, q.start - 80):q.start]):
                f.conditions.setdefault("cycles", 1.0)
            elif cyc:
                best = min(cyc, key=lambda o: (0 if o.start > q.end else 1, abs(o.start - q.end)))
                f.conditions.setdefault("cycles", best.value)
    return figures


_EVOLUTION = re.compile(r"\b(?:increas|ris|grow|grew|decreas|drop|reduc|declin|fall|fell|chang|climb|jump|evolv)\w*\s+(?:\w+\s+)?from\s*$", re.I)


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


_LOADING_BEFORE = re.compile(r"(?:loading|cathode|N/P|mass)\b[^,;.]{0,25}?(?:of|is|was|=|:|with|about|~|≈)?\s*$", re.I)


def _is_cathode_loading(text: str, q: Quantity) -> bool:
    """``a cathode loading of 3.2 mAh cm-2``: the cathode's capacity per area is a property
    of the cathode, not the Li plated per cycle (a test condition) nor a figure."""
    return q.dimension == "areal_capacity" and bool(_LOADING_BEFORE.search(text[max(0, q.start - 45):q.start]))


_CELL_BOUND = ("current_density", "areal_capacity", "c_rate", "cycles", "cathode")


def _drop_conditions_of_another_cell(conds: dict, stated_for: dict, local: tuple[dict, ...]) -> None:
    """A condition carried over from an earlier sentence of the paragraph belongs to the cell
    that sentence named: a full cell does not inherit a half cell's current density.
    ``stated_for`` maps each carried condition to the cell type its sentence named (None)."""
    cell = conds.get("cell_type")
    for name in _CELL_BOUND:
        if name in conds and not any(source.get(name) is not None for source in local):
            if cell and stated_for.get(name) and stated_for[name] != cell:
                del conds[name]


def _share_conditions_of_one_test(figures: list[Figure]) -> None:
    """Figures of one host over the same number of cycles in the same kind of cell
    describe one test ("sustained for 1000 cycles at 1 mA cm-2" in the abstract, "CE of
    99.7% for 1000 cycles" in the results): a condition only one of them states, and
    on which they do not disagree, is given to the others."""
    groups: dict[tuple, list[Figure]] = defaultdict(list)
    for f in figures:
        cycles = f.q.value if f.metric == "cycle_count" else f.conditions.get("cycles")
        if cycles and f.conditions.get("cell_type"):
            groups[(f.host, f.conditions["cell_type"], cycles)].append(f)
    for group in groups.values():
        if len(group) < 2:
            continue
        for field in ("current_density", "areal_capacity", "c_rate", "cathode", "temperature"):
            values = {f.conditions[field] for f in group if f.conditions.get(field) is not None}
            if len(values) == 1:
                value = values.pop()
                for f in group:
                    f.conditions.setdefault(field, value)


_SUMMARY_SECTIONS = {"title", "abstract", "conclusions"}  # they restate results
_TEST_FIELDS = ("current_density", "areal_capacity", "c_rate")


def _same_test(a: dict, b: dict) -> bool:
    """No test condition that both state differs."""
    return all(a.get(k) is None or b.get(k) is None or a[k] == b[k] for k in _TEST_FIELDS)


def _dedupe(figures: list[Figure]) -> list[Figure]:
    """One record per figure stated several times (abstract, results, conclusions): same
    host, metric and value under compatible conditions; the statement with the richest
    conditions is kept. The same value under other conditions is another figure."""
    kept: dict[tuple, list[tuple[tuple, Figure]]] = defaultdict(list)
    section_rank = {"results": 3, "body": 2, "conclusions": 1, "abstract": 1, "title": 0}
    for f in figures:
        k = (f.host, f.metric, round(f.q.value, 4))
        score = (sum(v is not None for v in f.conditions.values()), section_rank.get(f.sentence.section, 0))
        for i, (other_score, other) in enumerate(kept[k]):
            restated = {f.sentence.section, other.sentence.section} & _SUMMARY_SECTIONS
            if restated or _same_test(f.conditions, other.conditions):
                if score > other_score:
                    kept[k][i] = (score, f)
                break
        else:
            kept[k].append((score, f))
    flat = [sf for group in kept.values() for sf in group]
    return [f for _, f in sorted(flat, key=lambda sf: (sf[1].sentence.index, sf[1].q.start))]


# ------------------------------------------------------------------ sections

_REVIEW_TITLE = re.compile(r"\b(?:review|progress|perspectives?|overview|survey|recent advances|state of the art)\b", re.I)
_REVIEW_ABSTRACT = re.compile(r"\b(?:this|the present|our)\s+(?:mini-?)?(?:review|perspective|overview)\b|\bwe (?:review|summari[sz]e)\b", re.I)


def is_review(seg: SegmentedDocument) -> bool:
    """A review reports other works' designs: its title says so, or its abstract does."""
    if seg.meta.title and _REVIEW_TITLE.search(seg.meta.title):
        return True
    return any(_REVIEW_ABSTRACT.search(s.text) for s in seg.sentences if s.section == "abstract")


# A reference to one of the paper's own result figures: "Fig. 5(a) shows", "(Figure 3b)".
# Figure 1 and schemes are left out: introductions show them.
_OWN_FIGURE = re.compile(r"\b(?:Fig(?:ure)?s?\.?)\s*(?:[2-9]|\d\d)\s*(?:\(?[a-j]\b|\))?")


def _results_read_as_introduction(sentences: list[Sentence]) -> list[Sentence]:
    """Sentences with the section the paper meant when its results heading was not found.

    A paper always has results; when none was recognised (a heading set in body type,
    an unusual name) and the introduction runs on into passages that discuss the
    paper's own figures, those passages and the ones after them are results."""
    if any(s.section == "results" for s in sentences):
        return sentences
    intro = [s for s in sentences if s.section == "introduction" and s.role != "caption"]
    first = next((s.passage for s in intro if _OWN_FIGURE.search(s.text)), None)
    if first is None:
        return sentences
    return [replace(s, section="results") if s.section == "introduction" and s.passage >= first else s
            for s in sentences]


# ------------------------------------------------------------------ main entry


def extract(seg: SegmentedDocument, nlp=None) -> Extraction:
    """All records of one document. Sentences go through the spaCy pipeline
    (``nlp.nlp()``: quantities and materials components); the rules here relate what
    the components found."""
    from .nlp import nlp as shared_nlp

    sentences = _results_read_as_introduction([s for s in seg.sentences if s.role != "heading"])
    review = is_review(seg)
    # checked: the document's time limit, per sentence
    docs = {s.index: doc for s, doc in zip(sentences, (nlp or shared_nlp()).pipe(checked(s.text for s in sentences)))}
    quantities = {i: list(doc._.quantities) for i, doc in docs.items()}
    table, abbreviations = build_host_table(sentences, {i: doc._.abbreviations for i, doc in docs.items()})
    ctx = document_context(sentences, quantities)
    captions = _caption_panels(seg)

    figures: list[Figure] = []
    passage_ctx: dict = {}
    stated_for: dict = {}
    compared_metrics: dict = {}
    last_passage = None
    carried: str | None = None
    last_cathode: str | None = None
    previous_list: list[str] | None = None
    topic: str | None = None
    for s in checked(sentences):
        if s.passage != last_passage:
            passage_ctx, last_passage, carried, previous_list, topic = {}, s.passage, None, None, None
            stated_for = {}  # condition -> the cell type named where it was stated
            compared_metrics = {}  # dimension -> metric of the last sentence with figures
        if s.role == "caption" or s.section not in RESULT_SECTIONS:
            continue
        qs = _split_evolutions(s.text, [q for q in quantities[s.index] if not _is_cathode_loading(s.text, q)])
        stated = _conditions_from_quantities(s.text, qs, s.section)
        mentions = table.mentions(s.text)
        if review and mentions and mentions[0][0] != carried and table.entries[mentions[0][0]].kind != "control":
            passage_ctx, stated_for = {}, {}  # a review's next work: its own conditions
        figs = _sentence_figures(s, qs, table, carried, previous_list, topic, review, compared_metrics) if qs else []
        compared_metrics = {f.q.dimension: f.metric for f in figs} or compared_metrics
        for f in figs:
            if f.q.dimension == "percent":
                topic = f.metric
        for f in figs:
            if f.host is not None and f.host == carried and not any(m[0] == carried for m in mentions):
                f.tentative = True
        caption_conds = _caption_conditions(s.text, captions)
        for f in figs:
            conds = {}
            for source in (passage_ctx, caption_conds, stated, f.conditions):
                conds.update({k: v for k, v in source.items() if v is not None})
            if "cell_type" not in stated and stated.get("cathode"):
                conds["cell_type"] = "full"
            elif "cell_type" not in stated and _CE_CUE.search(s.text) and not stated.get("cathode") and conds.get("cell_type") not in ("full", "pouch"):
                conds["cell_type"] = "half"
            _drop_conditions_of_another_cell(conds, stated_for, (caption_conds, stated, f.conditions))
            if last_cathode and "cathode" not in conds:
                conds["_doc_cathode"] = last_cathode
            f.conditions = conds
        figures.extend(figs)
        if stated.get("cathode"):
            last_cathode = stated["cathode"]
        passage_ctx.update(stated)
        for name in stated:
            stated_for[name] = stated.get("cell_type")
        if mentions:
            carried = mentions[-1][0]
        generic = [g for g in GENERIC_REFERENCE.finditer(s.text) if not mentions or g.start() >= mentions[-1][2]]
        if generic and not review:
            carried = MAIN
        families = mat.find_family_lists(s.text)
        if families:
            previous_list = [_singular(mat.key(f)) for f in families[-1]]
        elif len({m[0] for m in mentions}) >= 2:
            previous_list = list(dict.fromkeys(m[0] for m in mentions))

    # which candidate is the proposed host: the one credited with the most figures
    credit = Counter(f.host for f in figures if f.host in table.entries and table.entries[f.host].kind == "host")
    main = max(credit, key=lambda k: credit[k] + 0.25 * table.entries[k].score) if credit else None
    if main is None:
        hosts_by_score = sorted((e.score, k) for k, e in table.entries.items() if e.kind == "host")
        main = hosts_by_score[-1][1] if hosts_by_score else None
    for f in figures:  # a design carried over from an earlier sentence must be the host or a control
        if f.tentative and f.host in table.entries and f.host != main and table.entries[f.host].kind != "control":
            f.host = main
    controls = sorted((e.score, k) for k, e in table.entries.items() if e.kind == "control")
    expanded = []
    for f in figures:
        if f.host == "*both*":
            for k in filter(None, (main, controls[-1][1] if controls else None)):
                expanded.append(replace(f, host=k, conditions=dict(f.conditions)))
        else:
            expanded.append(f)
    figures = expanded
    for f in figures:
        if f.host is None or f.host == MAIN:
            f.host = None if review else main  # a review's figure needs a design it names
    figures = [f for f in figures if f.host is not None]
    figures = _dedupe(figures)
    _share_conditions_of_one_test(figures)

    measurements = []
    names = {k: _display_name(e) for k, e in table.entries.items()}
    for f in figures:
        c = dict(f.conditions)
        ct = c.get("cell_type")
        if ct is None:
            if c.get("cathode") or c.get("c_rate"):
                ct = "full"
            else:
                ct = _CELL_DEFAULT.get(f.metric)
        if ct in ("full", "pouch") and not c.get("cathode"):
            c["cathode"] = c.get("_doc_cathode") or (next(iter(ctx.cathodes)) if len(ctx.cathodes) == 1 else None)
        if ct in ("half", "symmetric"):
            c.pop("cathode", None)
            c.pop("c_rate", None)
        value = abs(f.q.value) if f.metric in ("overpotential", "nucleation_overpotential") else f.q.value
        metric = vocabulary().metric(f.metric)
        if not metric.is_plausible(value):
            continue  # "CE > 100%", "an overpotential of 3 V": not a figure of merit
        conditions = CellTest(
            cell_type=ct,
            current_density=c.get("current_density"),
            areal_capacity=(c.get("areal_capacity") or ctx.plated_capacity(ct)) if f.metric != "areal_capacity" else None,
            c_rate=c.get("c_rate"),
            cycles=c.get("cycles") if f.metric != "cycle_count" else None,
            cathode=c.get("cathode"),
            electrolyte=ctx.electrolyte,
            temperature=c.get("temperature", ctx.temperature),
        )
        measurements.append(Measurement(
            host=names[f.host], metric=f.metric, value=value, unit=metric.unit, qualifier=f.q.qualifier,
            conditions=conditions, raw=f.q.raw, sentence=f.sentence.index, start=f.q.start, end=f.q.end,
            evidence=f.sentence.evidence,
        ))

    hosts = _hosts(table, figures, main, names, abbreviations, "\n".join(s.text for s in sentences))
    if review:  # a review proposes no design: what it reports figures for is other works'
        hosts = [replace(h, kind="cited") if h.kind in ("host", "variant") else h for h in hosts]
    hosts.extend(_composition_family(sentences, main and names[main], {h.name for h in hosts}))
    from .synthesis import extract_synthesis
    from .properties import extract_properties

    synthesis = extract_synthesis(sentences, hosts, seg.passages)
    properties = extract_properties(sentences, hosts, table, quantities)
    return Extraction(hosts=tuple(hosts), synthesis=tuple(synthesis), measurements=tuple(measurements),
                      properties=tuple(properties))


_FORMULA_WORD = re.compile(r"(?<![\w.])((?:[A-Z][a-z]?(?:\d+(?:\.\d+)?)?){2,})(?![\w])")


def _elements(formula: str) -> dict[str, float]:
    out: dict[str, float] = {}
    for sym, n in re.findall(r"([A-Z][a-z]?)(\d+(?:\.\d+)?)?", formula):
        out[sym] = out.get(sym, 0.0) + float(n or 1)
    return out


def _is_parent_composition(name: str, main: str) -> bool:
    """``Li6PS5Cl`` is the undoped parent of ``Li5.4Ag0.6PS5Cl``: the usual control."""
    if not (mat.is_formula(name) and mat.is_formula(main)):
        return False
    a, b = set(_elements(name)), set(_elements(main))
    return a < b and len(b - a) == 1 and len(a) >= 3


def _composition_family(sentences: list[Sentence], main: str | None, known: set[str]) -> list[Host]:
    """When the proposed design is a compound (``Li5.4Ag0.6PS5Cl``), the other
    stoichiometries of the same elements made in the paper are its variants, and the
    parent without the dopant (``Li6PS5Cl``) its control."""
    if not main or not mat.is_formula(main) or len(_elements(main)) < 3:
        return []
    target = _elements(main)
    found: dict[str, str] = {}
    for s in sentences:
        if s.section == "introduction":
            continue
        for m in _FORMULA_WORD.finditer(s.text):
            f = m.group(1)
            if f in known or f in found or f == main or not mat.is_formula(f):
                continue
            el = _elements(f)
            if set(el) == set(target) and el != target:
                found[f] = "variant"
            elif set(el) < set(target) and len(set(target) - set(el)) == 1 and len(el) >= 3:
                found[f] = "control"
    return [Host(name=f, kind=k, components=(f,), has_figures=False) for f, k in found.items()]


def _conditions_from_quantities(text: str, qs: list[Quantity], section: str = "results") -> dict:
    """Test conditions a sentence states: current densities, areal capacities and
    C-rates that are not themselves the figure of merit, the cell type and cathode."""
    out: dict = {}
    for q in qs:
        if q.dimension in ("current_density", "areal_capacity") and classify(q, text, section, qs) is None:
            out.setdefault(q.dimension, q.value)
        elif q.dimension == "c_rate":
            out.setdefault("c_rate", q.value)
    return _add_cell_and_cathode(text, out)


def _display_name(e: mat.HostEntry) -> str:
    if e.kind == "control":
        return mat.control_name(e.forms)
    counts = Counter()
    for f, n in e.forms.items():
        counts[f] += n
    return counts.most_common(1)[0][0]


def _hosts(table: HostTable, figures: list[Figure], main: str | None, names: dict, abbreviations: dict,
           document_text: str = "") -> list[Host]:
    credited = Counter(f.host for f in figures)
    out = []
    for k, e in table.entries.items():
        if credited[k] == 0 and k != main and e.kind != "control":
            continue  # a candidate design with no figure is only talk; controls are listed anyway
        kind = "control" if e.kind == "control" else ("host" if k == main else "variant")
        if kind == "variant" and main and _is_parent_composition(names[k], names[main]):
            kind = "control"
        aliases = set(e.forms) - {names[k]}
        if e.long_form:
            aliases.add(e.long_form)
        for form in list(aliases | {names[k]}):
            aliases.update(mat.formula_spellings(form))  # Mo₂N, Mo_2N, Mo_{2}N
            for prefix in ("Li@", "Li/", "Li-", "Li–"):
                if prefix + form in document_text:  # lithiated forms as the paper writes them
                    aliases.add(prefix + form)
        aliases.discard(names[k])
        components = mat.split_components(names[k]) if e.kind == "host" else [names[k]]
        out.append(Host(name=names[k], kind=kind, aliases=tuple(sorted(aliases)),
                        components=tuple(components), has_figures=credited[k] > 0 or None,
                        sentence=e.first_sentence))
    out.sort(key=lambda h: ({"host": 0, "variant": 1, "control": 2, "cited": 3}[h.kind], h.name))
    return out

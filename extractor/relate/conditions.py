"""Test conditions of a figure: what its sentence states, what its caption states, what
the paragraph carried, and what the methods state once for the whole document."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

from .. import materials as mat
from ..quantities import parse_quantities
from ..segment import clause_bounds
from ..types import (
    Quantity,
    SegmentedDocument,
    Sentence,
)
from .cues import Cues
from .metrics import _is_cathode_loading, classify

if TYPE_CHECKING:
    from .attribution import Figure

_FIG_REF = re.compile(r"\((?:Supplementary\s+)?(?:Figure|Fig\.?)\s*(\d+)\s*([a-j](?:\s?[,–-]\s?[a-j])*)?", re.I)


_FIRST_CYCLE = re.compile(
    r"\b(?:initial|initially|first[- ]cycle|first cycle|1st cycle|in the first cycle|starts? at|starting at|begins? at)\b", re.I)
# the first cycle named right after the value: "192 mAh g-1 in the first cycle", "152 mAh g-1 initially"
_FIRST_CYCLE_AFTER = re.compile(r"\s*(?:\([^)]*\)\s*)?(?:at [\d.]+\s?C\s+)?(?:in the first cycle|initially|at the first cycle|in the 1st cycle)\b", re.I)


_ELECTROLYTE = re.compile(
    r"(\d+(?:\.\d+)?\s?M\s+(?:Li[A-Za-z0-9]+|lithium [a-z]+)(?:\s+and\s+\d+(?:\.\d+)?\s?(?:M|wt%)\s+\S+)?\s+(?:in|dissolved in)\s+"
    r"[A-Za-z0-9/:,().\- ]+?)(?=\s+(?:was|were|is|as|with|served|and the|\()|[.;]|$)"
)



_TEMPERATURE_TEST = re.compile(r"(?:tested|cycled|measured|maintained|operated|performed|conducted)[^.]{0,60}?at\s+(-?\d+(?:\.\d+)?)\s?°C", re.I)


_CELL_DEFAULT = {
    "coulombic_efficiency": "half",
    "nucleation_overpotential": "half",
    "cycling_time": "symmetric",
    "overpotential": "symmetric",  # most plating/stripping overpotentials are read from Li||Li cells
    "specific_capacity": "full",
    "capacity_retention": "full",
    "capacity_decay_rate": "full",
    "energy_density": "full",
    "charge_transfer_resistance": "symmetric",
    "exchange_current_density": "symmetric",
}


@dataclass
class DocumentContext:
    """Conditions stated once for the whole document (methods section)."""

    electrolyte: str | None = None
    temperature: float | None = None
    cathodes: Counter = field(default_factory=Counter)
    # plated capacity per cycle the methods give for a kind of cell (None: no cell named)
    areal_capacity: dict = field(default_factory=dict)
    # areal capacities the document gives its cathodes ("an LFP cathode of 3.1 mAh cm-2")
    cathode_capacity: set = field(default_factory=set)

    def plated_capacity(self, cell_type: str | None) -> float | None:
        """The methods' one areal capacity for this kind of cell, if there is one: a
        Li-plating cell's plated capacity, a full cell's cathode capacity."""
        if cell_type in ("full", "pouch"):
            return next(iter(self.cathode_capacity)) if len(self.cathode_capacity) == 1 else None
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
        if quantities is not None:
            ctx.cathode_capacity.update(q.value for q in quantities.get(s.index, ())
                                        if q.dimension == "areal_capacity" and _is_cathode_loading(s.text, q))
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


# Where one statement of a sentence ends and the next begins, for conditions: "runs for
# 1200 h at 1 mA cm-2, and for 600 h at 5 mA cm-2"; "98.5% at 3 mA cm-2; at 1 mA cm-2 ...".
_CONDITION_SCOPE = re.compile(
    r";|\b(?:while|whereas|but|however|in contrast|by contrast)\b|"
    r",\s+(?:and|or)\s+(?=(?:at|for|with|under|in|after|over|the|it|its|a|an)\b)", re.I)


def condition_scope(text: str, pos: int) -> tuple[int, int]:
    """The span of the statement around ``pos`` whose conditions belong to it."""
    return clause_bounds(text, pos, _CONDITION_SCOPE)


def _nearest(qs: list[Quantity], pos: int, dims: tuple[str, ...], exclude: set[int],
             scope: tuple[int, int] | None = None) -> Quantity | None:
    """The quantity of ``dims`` nearest to ``pos``: in ``scope`` (the statement) when one is
    there, else anywhere in the sentence."""
    pool = [o for o in qs if o.dimension in dims and id(o) not in exclude]
    if scope is not None:
        pool = [o for o in pool if scope[0] <= o.start < scope[1]] or pool
    return min(pool, key=lambda o: abs(o.start - pos), default=None)


def _cell_type(text: str) -> str | None:
    """The kind of cell a text names (:meth:`.cues.Cues.cell_type`)."""
    return Cues.of(text).cell_type()


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


def _add_cell_and_cathode(text: str, out: dict, cues: Cues | None = None) -> dict:
    """The cell type and the first cathode a text names, added to ``out``."""
    cues = Cues.of(text) if cues is None else cues
    ct = cues.cell_type()
    if ct:
        out["cell_type"] = ct
    cath = cues.cathodes()
    if cath:
        out["cathode"] = cath[0]
    return out


def _conditions_from(text: str) -> dict:
    """The conditions a caption (or a part of one) states; every sentence that cites the
    figure asks, so the answer is remembered per text."""
    return dict(_caption_text_conditions(text))


@lru_cache(maxsize=1024)
def _caption_text_conditions(text: str) -> tuple:
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
    return tuple(_add_cell_and_cathode(text, out).items())


_CONDITION_OF = {"current_density": "current_density", "areal_capacity": "areal_capacity", "c_rate": "c_rate",
                 "temperature": "temperature", "cycles": "cycles"}


def _condition_sweeps(qs: list[Quantity], metric_of: dict[int, str], text: str = "") -> dict[str, list[list[Quantity]]]:
    """Conditions a sentence lists for a sweep: two or more quantities of one condition
    dimension that are not figures themselves, in the order written ("at 0.2, 0.5 and
    1 C"). A value repeated in the list ("1 C ... 1 C") is one condition, not a sweep.
    Per dimension: all of them, then each run written as one list ("0.5, 1, 2 and 5 mA cm-2"
    apart from a later "10 mA cm-2"), so a list of figures finds the list of its length."""
    out: dict[str, list[list[Quantity]]] = {}
    for dimension in _CONDITION_OF:
        values = [q for q in qs if q.dimension == dimension and id(q) not in metric_of]
        if len(values) < 2:
            continue
        runs, run = [], [values[0]]
        for a, b in zip(values, values[1:]):
            if text and not re.fullmatch(r"[\s,]*(?:(?:and|or)\s*)?", text[a.end:b.start]):
                runs.append(run)
                run = [b]
            else:
                run.append(b)
        runs.append(run)
        lists = [values] + [r for r in runs if 1 < len(r) < len(values)]
        lists = [v for v in lists if len({round(q.value, 6) for q in v}) == len(v)]  # "1 C ... 1 C" is no sweep
        if lists:
            out[dimension] = lists
    return out


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
        for name in ("current_density", "areal_capacity", "c_rate", "cathode", "temperature"):
            values = {f.conditions[name] for f in group if f.conditions.get(name) is not None}
            if len(values) == 1:
                value = values.pop()
                for f in group:
                    f.conditions.setdefault(name, value)


def _conditions_from_quantities(text: str, qs: list[Quantity], section: str = "results",
                                cues: Cues | None = None) -> dict:
    """Test conditions a sentence states: current densities, areal capacities and
    C-rates that are not themselves the figure of merit, the cell type and cathode."""
    cues = Cues.of(text) if cues is None else cues
    out: dict = {}
    for q in qs:
        if q.dimension in ("current_density", "areal_capacity") and classify(q, text, section, qs, cues) is None:
            out.setdefault(q.dimension, q.value)
        elif q.dimension == "c_rate":
            out.setdefault("c_rate", q.value)
    return _add_cell_and_cathode(text, out, cues)

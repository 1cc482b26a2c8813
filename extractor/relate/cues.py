"""The cue words of one sentence: words that name a metric, a kind of cell or a cathode,
found once from ``schema/vocab.toml`` and read by every rule.

A rule asks "is there a Coulombic-efficiency cue between the clause start and this
number?" (:meth:`Cues.find`) instead of matching its own pattern on the text, so the
vocabulary is the one place a cue is defined and the spans a user sees on the Doc
(``doc.spans["metric_cues"]``, ``doc.spans["conditions"]``) are the ones the rules used.

The cues of one vocabulary entry are matched as one pattern (its alternatives), so of two
overlapping cues of one metric ("average Coulombic efficiency", "Coulombic efficiency")
the leftmost is kept.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .. import materials as mat
from ..vocab import vocabulary

# kinds of cue
METRIC = "metric"
CELL = "cell"
CATHODE = "cathode"


@dataclass(frozen=True, slots=True)
class Cue:
    start: int
    end: int
    kind: str  # METRIC, CELL or CATHODE
    name: str  # the metric, cell type or cathode formula


# metrics whose cue words only ever classify a number of the metric's own dimension (the
# cue words of efficiencies, retentions and decay rates also say what a sentence is about)
_OWN_DIMENSION_ONLY = frozenset({"cycling_time", "cycle_count", "overpotential", "nucleation_overpotential",
                                 "max_current_density", "energy_density", "charge_transfer_resistance",
                                 "exchange_current_density", "activation_energy"})


def _dimension(metric: str) -> str:
    return vocabulary().metrics[metric].dimension


@lru_cache(maxsize=1)
def _patterns() -> tuple[tuple[str, str, re.Pattern], ...]:
    """One pattern per metric and per cell type: the vocabulary's cues as alternatives
    (overlapping cues of one metric need not both be found: a window asks for any)."""
    vocab = vocabulary()
    metric_patterns = tuple((METRIC, name, _joined(metric.cues)) for name, metric in vocab.metrics.items() if metric.cues)
    return metric_patterns + _cell_patterns()


@lru_cache(maxsize=1)
def _cell_patterns() -> tuple[tuple[str, str, re.Pattern], ...]:
    return tuple((CELL, name, _joined(cell.cues)) for name, cell in vocabulary().cell_types.items() if cell.cues)


def _joined(patterns: tuple[re.Pattern, ...]) -> re.Pattern:
    return re.compile("|".join(f"(?:{p.pattern})" for p in patterns), re.IGNORECASE)


class Cues:
    """The cues of one text, left to right, with lookups by kind, name and window."""

    __slots__ = ("cues",)

    def __init__(self, cues: list[Cue]):
        self.cues = sorted(set(cues), key=lambda c: (c.start, c.end, c.kind, c.name))

    @classmethod
    def of(cls, text: str, defined: DefinedCues | None = None, metrics: bool = True,
           dimensions: frozenset[str] | None = None) -> Cues:
        """The cues of ``text``: the vocabulary's, and the short forms a paper defines for
        them (``defined``: "nucleation overpotential (NOP)" makes "NOP" a cue). Without
        ``metrics``, only cells and cathodes (a sentence with no number to classify); with
        ``dimensions`` (of the sentence's quantities), a metric read only from numbers of its
        own dimension is looked for only when the sentence has one."""
        found = []
        for kind, name, pattern in _patterns() if metrics else _cell_patterns():
            if dimensions is not None and name in _OWN_DIMENSION_ONLY and _dimension(name) not in dimensions:
                continue
            found += [Cue(m.start(), m.end(), kind, name) for m in pattern.finditer(text)]
        found += [Cue(s, e, CATHODE, name) for name, s, e in mat.find_cathodes(text)]
        if defined is not None and defined.pattern is not None:
            for m in defined.pattern.finditer(text):
                found += [Cue(m.start(), m.end(), kind, name) for kind, name in defined.meaning[m.group(0)]
                          if metrics or kind == CELL]
        return cls(found)

    def find(self, kind: str, name: str | None = None, start: int = 0, end: int | None = None) -> list[Cue]:
        """Cues of ``kind`` (and ``name``) lying wholly in ``[start, end)``."""
        stop = float("inf") if end is None else end
        return [c for c in self.cues if c.kind == kind and (name is None or c.name == name)
                and c.start >= start and c.end <= stop]

    def has(self, kind: str, name: str | None = None, start: int = 0, end: int | None = None) -> bool:
        return bool(self.find(kind, name, start, end))

    def metric(self, name: str, start: int = 0, end: int | None = None) -> bool:
        """Whether a cue of metric ``name`` lies in ``[start, end)``."""
        return self.has(METRIC, name, start, end)

    def cell_type(self, start: int = 0, end: int | None = None) -> str | None:
        """The kind of cell a stretch names: a pouch or full cell wherever it is named
        (a full cell's sentence also mentions its Li anode), else the first named."""
        cells = self.find(CELL, None, start, end)
        names = {c.name for c in cells}
        for name in ("pouch", "full"):
            if name in names:
                return name
        return cells[0].name if cells else None

    def cathodes(self, start: int = 0, end: int | None = None) -> list[str]:
        return [c.name for c in self.find(CATHODE, None, start, end)]


# Metrics whose cues name them (a short form can stand for them); cycle life and time are
# read from context words, capacities from their units.
_NAMED_METRICS = ("coulombic_efficiency", "capacity_retention", "overpotential", "nucleation_overpotential",
                  "capacity_decay_rate", "max_current_density", "energy_density", "charge_transfer_resistance",
                  "exchange_current_density", "activation_energy")


@dataclass(frozen=True)
class DefinedCues:
    """Short forms a paper defines for cue words: "average Coulombic efficiency (ACE)",
    "voltage hysteresis (VH)", "symmetric cell (SSC)", "pouch cell (PC)"."""

    meaning: dict[str, tuple[tuple[str, str], ...]]  # short form -> (kind, name) of its long form's cues
    pattern: re.Pattern | None

    @classmethod
    def from_abbreviations(cls, abbreviations: dict[str, str]) -> DefinedCues:
        meaning: dict[str, tuple[tuple[str, str], ...]] = {}
        for short, long in abbreviations.items():
            cues = Cues.of(long)
            named = {(c.kind, c.name) for c in cues.cues
                     if (c.kind == METRIC and c.name in _NAMED_METRICS) or c.kind == CELL}
            if named and short != long:
                meaning[short] = tuple(sorted(named))
        pattern = re.compile(r"(?<![\w@/.\-])(?:" + "|".join(re.escape(s) for s in sorted(meaning, key=len, reverse=True))
                             + r")(?:s)?(?![\w@/\-])") if meaning else None
        if pattern is not None:  # a plural short form ("NOPs") means what its singular does
            meaning.update({s + "s": v for s, v in list(meaning.items())})
        return cls(meaning, pattern)

    def names_a_cue(self, short: str) -> bool:
        return short in self.meaning

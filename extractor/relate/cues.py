"""The cue words of one sentence: words that name a metric, a kind of cell or a cathode,
found once from ``schema/vocab.toml`` and read by every rule.

A rule asks "is there a Coulombic-efficiency cue between the clause start and this
number?" (:meth:`Cues.find`) instead of matching its own pattern on the text, so the
vocabulary is the one place a cue is defined and the spans a user sees on the Doc
(``doc.spans["metric_cues"]``, ``doc.spans["conditions"]``) are the ones the rules used.

Each pattern of a vocabulary entry is matched on its own, so overlapping cues ("average
Coulombic efficiency" and "Coulombic efficiency") are both kept and a window that starts
inside the longer one still sees the shorter.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

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


class Cues:
    """The cues of one text, left to right, with lookups by kind, name and window."""

    __slots__ = ("cues",)

    def __init__(self, cues: list[Cue]):
        self.cues = sorted(set(cues), key=lambda c: (c.start, c.end, c.kind, c.name))

    @classmethod
    def of(cls, text: str, defined: DefinedCues | None = None) -> Cues:
        """The cues of ``text``: the vocabulary's, and the short forms a paper defines for
        them (``defined``: "nucleation overpotential (NOP)" makes "NOP" a cue)."""
        vocab = vocabulary()
        found = [Cue(m.start(), m.end(), METRIC, name) for name, metric in vocab.metrics.items()
                 for pattern in metric.cues for m in pattern.finditer(text)]
        found += [Cue(m.start(), m.end(), CELL, name) for name, cell in vocab.cell_types.items()
                  for pattern in cell.cues for m in pattern.finditer(text)]
        found += [Cue(s, e, CATHODE, name) for name, s, e in mat.find_cathodes(text)]
        if defined is not None and defined.pattern is not None:
            for m in defined.pattern.finditer(text):
                found += [Cue(m.start(), m.end(), kind, name) for kind, name in defined.meaning[m.group(0)]]
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

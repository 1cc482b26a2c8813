"""Measured properties of materials (surface area, pore volume, sizes, thickness,
modulus, contact angle, element content, density, lattice spacing), as in the spec.

A property needs a cue naming it and a quantity in the property's unit in the
same clause; the material is the host named nearest before the number, the
material named after ``of`` for lattice planes, or the document's host.
"""

from __future__ import annotations

import re

from .quantities import parse_quantities
from .types import Host, Property, Sentence
from .vocab import vocabulary

_UNIT_FOR_DIMENSION = {
    "specific_surface_area": "m2/g", "specific_volume": "cm3/g", "length": "nm", "length_um": "um",
    "pressure": "GPa", "angle": "deg", "mass_fraction": "wt%", "density": "g/cm3",
}
_SPEC_UNIT = {"m2/g": "m²/g", "cm3/g": "cm³/g", "nm": "nm", "um": "µm", "GPa": "GPa", "deg": "°",
              "wt%": "wt%", "g/cm3": "g/cm³"}
_OF_MATERIAL = re.compile(r"plane of\s+([A-Z][A-Za-z0-9]*)")
_SKIP = re.compile(r"\b(?:theoretical|reported|previous|literature)\b", re.I)
_CLAUSE = re.compile(r"[;,]\s+|\s+(?:while|whereas)\s+")


def _clause(text: str, pos: int) -> tuple[int, int]:
    start, end = 0, len(text)
    for m in _CLAUSE.finditer(text):
        if m.end() <= pos:
            start = m.end()
        elif m.start() >= pos:
            end = m.start()
            break
    return start, end


def extract_properties(sentences: list[Sentence], hosts: list[Host], table=None,
                       quantities: dict[int, list] | None = None) -> list[Property]:
    vocab = vocabulary()
    main = next((h.name for h in hosts if h.kind == "host"), None)
    out: list[Property] = []
    seen = set()
    for s in sentences:
        if s.section in ("introduction",) or s.role == "caption":
            continue
        qs = quantities[s.index] if quantities is not None else parse_quantities(s.text)
        if not qs:
            continue
        mentions = table.mentions(s.text) if table is not None else []
        for q in qs:
            unit = q.unit if q.unit in _SPEC_UNIT else _UNIT_FOR_DIMENSION.get(q.dimension)
            if unit not in _SPEC_UNIT:
                continue
            cs, ce = _clause(s.text, q.start)
            before = s.text[max(cs, q.start - 80):q.start]
            if _SKIP.search(before):
                continue
            best = None
            for name, prop in vocab.properties.items():
                if prop.unit != unit:
                    continue
                for cue in prop.cues:
                    for m in cue.finditer(before):
                        if best is None or m.end() > best[0]:
                            best = (m.end(), name)
            if best is None:
                continue
            prop_name = best[1]
            material = None
            om = _OF_MATERIAL.search(s.text[q.end:q.end + 60])
            if prop_name == "lattice_spacing" and om:
                material = om.group(1)
            else:
                prev = [m for m in mentions if m[2] <= q.start]
                if prev and table is not None:
                    entry = table.entries[prev[-1][0]]
                    material = next((h.name for h in hosts if h.name in entry.forms or h.name == entry.name), None)
                material = material or main
            if material is None:
                continue
            k = (material, prop_name, round(q.value, 4))
            if k in seen:
                continue
            seen.add(k)
            out.append(Property(material=material, property=prop_name, value=q.value, unit=_SPEC_UNIT[unit],
                                qualifier=q.qualifier, raw=q.raw, sentence=s.index, evidence=s.evidence))
    return out

"""Measured properties of materials (surface area, pore volume, sizes, thickness,
modulus, contact angle, element content, density, lattice spacing), as in the spec.

A property needs a cue naming it and a quantity in the property's unit in the
same clause; the material is the host named nearest before the number, the
material named after ``of`` for lattice planes, or the document's host.
"""

from __future__ import annotations

import re

from .quantities import parse_quantities
from .segment import clause_bounds
from .types import Host, Property, Sentence
from .vocab import vocabulary

_UNIT_FOR_DIMENSION = {
    "specific_surface_area": "m2/g", "specific_volume": "cm3/g", "length": "nm", "length_um": "um",
    "pressure": "GPa", "angle": "deg", "mass_fraction": "wt%", "density": "g/cm3",
}
_SPEC_UNIT = {"m2/g": "m²/g", "cm3/g": "cm³/g", "nm": "nm", "um": "µm", "GPa": "GPa", "deg": "°",
              "wt%": "wt%", "g/cm3": "g/cm³"}
# Units that name their property on their own.
_PROPERTY_OF_UNIT = {"m2/g": "specific_surface_area", "cm3/g": "pore_volume", "g/cm3": "density"}
# When several cues match, the more specific property wins ("cavity diameter" is a cavity size).
_SPECIFICITY = ("cavity_size", "shell_thickness", "lattice_spacing", "pore_volume", "specific_surface_area",
                "contact_angle", "youngs_modulus", "element_content", "density", "particle_size", "thickness")
_OF_MATERIAL = re.compile(r"plane of\s+([A-Z][A-Za-z0-9]*)")
_SKIP = re.compile(r"\b(?:theoretical|reported|previous|literature)\b", re.I)
_CLAUSE = re.compile(r"[;,]\s+|\s+(?:while|whereas)\s+")


def extract_properties(sentences: list[Sentence], hosts: list[Host], table=None,
                       quantities: dict[int, list] | None = None) -> list[Property]:
    vocab = vocabulary()
    main = next((h.name for h in hosts if h.kind == "host"), None)
    out: list[Property] = []
    seen = set()
    for s in sentences:
        if s.section in ("introduction", "experimental") or s.role == "caption":
            continue  # background values, and fabrication settings rather than measurements
        qs = quantities[s.index] if quantities is not None else parse_quantities(s.text)
        if not qs:
            continue
        mentions = table.mentions(s.text) if table is not None else []
        for q in qs:
            unit = q.unit if q.unit in _SPEC_UNIT else _UNIT_FOR_DIMENSION.get(q.dimension)
            if unit not in _SPEC_UNIT:
                continue
            cs, ce = clause_bounds(s.text, q.start, _CLAUSE)
            previous_end = max((o.end for o in qs if o.end <= q.start), default=0)
            before = s.text[max(cs, previous_end, q.start - 80):q.start]  # cues since the previous number
            if _SKIP.search(before):
                continue
            after = s.text[q.end:min(ce, q.end + 25)]
            matched = []
            for name, prop in vocab.properties.items():
                if prop.unit != unit:
                    continue
                if any(cue.search(before) or cue.match(after.lstrip()) for cue in prop.cues):
                    matched.append(name)
            if unit in _PROPERTY_OF_UNIT and not matched:
                matched.append(_PROPERTY_OF_UNIT[unit])
            if not matched:
                continue
            best = (0, min(matched, key=lambda n: _SPECIFICITY.index(n) if n in _SPECIFICITY else len(_SPECIFICITY)))
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

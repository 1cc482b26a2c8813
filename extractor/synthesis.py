"""Synthesis routes: ordered steps with a method from schema/vocab.toml, the
precursors named in the step's sentence, and its conditions (temperature, time,
atmosphere, concentration).

Pure rules over sentences. Steps come from the methods section (and from
sentences elsewhere that say how the host was made); each sentence is credited
to the host it names, the host named by its subsection heading, or the host of
the sentence before it.
"""

from __future__ import annotations

import re
from collections import defaultdict

from . import materials as mat
from .quantities import parse_quantities
from .types import Host, Sentence, SynthesisRoute, SynthesisStep
from .vocab import vocabulary

_MADE = re.compile(r"\b(?:synthesi[sz]ed|prepared|fabricated|obtained|grown|produced|constructed|made)\b", re.I)
_NOT_SYNTHESIS_HEADING = re.compile(
    r"characteri[sz]ation|electrochemical|measurement|computation|calculation|simulation|DFT|assembly|instrument",
    re.I,
)
_NOT_SYNTHESIS_SENTENCE = re.compile(
    r"\b(?:assembled|coin cells?|CR20\d\d|galvanostatic|SEM|TEM|XRD|XPS|spectr|was tested|were tested|"
    r"glove ?box|potentiostat|diffractometer|microscop|were recorded|was recorded|electrolyte was|"
    r"were measured|was measured)\b",
    re.I,
)
_ATMOSPHERE = re.compile(r"\b(?:under|in)\s+(?:an?\s+)?(?:flowing\s+)?(Ar|argon|N2|nitrogen|air|vacuum|NH3|ammonia|H2/Ar|Ar/H2|O2|oxygen)\b(?:\s+atmosphere)?", re.I)
_CHEMICAL = re.compile(
    r"\b(?:\d+(?:\.\d+)?\s?(?:M|mM|wt\s?%|mg|g|mL|mmol)\s+(?:of\s+)?)?"
    r"((?:[A-Z][a-z]?\d*(?:\.\d+)?){2,}(?:·\d*H2O)?|[A-Z][a-z]?\d+[A-Za-z\d]*|"
    r"[a-z]+(?:-[a-z0-9]+)*\s(?:acid|chloride|nitrate|sulfate|acetate|oxide|hydroxide|solution|powder|foil)|"
    r"(?:\d,\d-)?[a-z]*(?:benzoic|methylene|amine|ethylene|pyrrole|dopamine|glucose|urea|melamine|ethanol|"
    r"hexamethylenetetramine|tetraethyl orthosilicate|resorcinol|formaldehyde)[a-z]*(?:\s\([A-Z]+\))?)"
)
_HEADING_HOST = re.compile(r"(?:synthesis|preparation|fabrication) of (?:the\s+)?(.+)", re.I)


def _methods_in(text: str) -> list[tuple[int, str]]:
    found = []
    for name, method in vocabulary().methods.items():
        for pattern in method.cues:
            m = pattern.search(text)
            if m:
                found.append((m.start(), name))
                break
    found.sort()
    # a sentence that says "electrodeposited" also says "deposited": keep one method per span
    out, last_pos = [], -100
    for pos, name in found:
        if out and abs(pos - last_pos) < 3:
            continue
        out.append((pos, name))
        last_pos = pos
    return out


def _conditions(text: str) -> tuple[str | None, float | None, float | None, str | None]:
    parts, temp, dur = [], None, None
    for q in parse_quantities(text):
        if q.dimension == "temperature" and temp is None:
            temp = q.value
            parts.append(q.raw)
        elif q.dimension in ("time", "duration_min") and dur is None:
            dur = q.value if q.unit == "h" else q.value / 60.0
            parts.append(q.raw)
        elif q.dimension in ("concentration", "mass_fraction"):
            parts.append(q.raw)
    atm = None
    m = _ATMOSPHERE.search(text)
    if m:
        atm = m.group(1)
        parts.append(m.group(0).strip())
    return ("; ".join(parts) or None), temp, dur, atm


def _precursors(text: str, host_names: set[str]) -> tuple[str, ...]:
    out = []
    for m in _CHEMICAL.finditer(text):
        name = m.group(1).strip()
        if mat.key(name) in host_names or name.casefold() in mat.NOT_MATERIALS or len(name) < 2:
            continue
        if name not in out:
            out.append(name)
    return tuple(out[:8])


def extract_synthesis(sentences: list[Sentence], hosts: list[Host]) -> list[SynthesisRoute]:
    designs = [h for h in hosts if h.kind in ("host", "variant")]
    if not designs:
        return []
    main = next((h for h in designs if h.kind == "host"), designs[0])
    forms = {}
    for h in designs:
        for f in (h.name, *h.aliases):
            if len(f) >= 2:
                forms[f] = h.name
    pattern = re.compile("|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True))) if forms else None
    host_keys = {mat.key(f) for f in forms}
    steps: dict[str, list[SynthesisStep]] = defaultdict(list)
    evidence: dict[str, str] = {}
    current = None
    for s in sentences:
        in_methods = s.section == "experimental"
        named = [forms[m.group(0)] for m in pattern.finditer(s.text)] if pattern else []
        if not in_methods and not (named and _MADE.search(s.text)):
            continue
        if s.role == "heading":
            hm = _HEADING_HOST.search(s.text)
            current = None
            if hm and pattern:
                mm = pattern.search(hm.group(1))
                current = forms[mm.group(0)] if mm else None
            continue
        if _NOT_SYNTHESIS_SENTENCE.search(s.text):
            continue
        methods = _methods_in(s.text)
        if not methods:
            if named:
                current = named[0]
            continue
        host = named[0] if named else (current or main.name)
        if in_methods:
            current = host
        conditions, temp, dur, atm = _conditions(s.text)
        precursors = _precursors(s.text, host_keys)
        for _, method in methods:
            prior = steps[host]
            if prior and prior[-1].method == method and prior[-1].sentence == s.index:
                continue
            prior.append(SynthesisStep(order=len(prior) + 1, method=method, precursors=precursors,
                                       conditions=conditions, temperature_c=temp, duration_h=dur,
                                       atmosphere=atm, evidence=s.evidence, sentence=s.index))
        evidence.setdefault(host, s.evidence)
    return [SynthesisRoute(host=h, steps=tuple(v), evidence=evidence.get(h)) for h, v in steps.items() if v]

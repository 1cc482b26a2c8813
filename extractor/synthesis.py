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
from dataclasses import replace

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
    if any(n == "solvothermal" for _, n in found):
        found = [(p, n) for p, n in found if n != "hydrothermal"]  # an autoclave with a solvent
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
        if re.fullmatch(r"[A-Z][A-Za-z\d.]*", name) and not (mat.is_formula(name) and len(re.findall(r"[A-Z]", name)) >= 2):
            continue  # "Li6" of "Li6-xAgxPS5Cl", "SEs": not a compound
        if text[m.end(1):m.end(1) + 2] in ("-x", "-y"):
            continue
        if name not in out:
            out.append(name)
    return tuple(out[:8])


_CHARACTERIZATION = re.compile(
    r"\b(?:as shown in|shown in Fig|images?|SEM|TEM|XRD|XPS|Raman|spectr\w*|pattern|isotherm|reveal\w*|"
    r"indicat\w*|confirm\w*|observed)\b", re.I)
_OTHER_COMPONENT = re.compile(
    r"\b(?:cathode|positive electrode|electrolyte was|electrolyte is|separator was used|as (?:the )?separator|counter electrode|"
    r"coin cells?|pouch cells? (?:was|were)|was used as the electrolyte|alumin(?:i)?um (?:foil|current collector)|Al foil)\b", re.I)
_OTHER_SUBJECT = re.compile(r"^\W*(?:The |A |An )?(?:positive electrode|cathode|composite cathode|electrolyte|separator|\S+ cathode)\b", re.I)
_FAMILY = re.compile(r"\d-[xyδ]|\(x\s?=")
_SERVED_AS_CONTROL = re.compile(r"\b(?:served|used|taken|employed)\s+as\s+(?:the\s+|a\s+)?(?:controls?|references?|comparisons?|baselines?)\b", re.I)


def extract_synthesis(sentences: list[Sentence], hosts: list[Host], passages=None) -> list[SynthesisRoute]:
    """Routes of the proposed host and its variants.

    A passage turns into a synthesis description at a sentence of the methods
    section, or one that names a design with a making verb ("NPCCs were prepared
    by ..."); later sentences of that passage with a method cue add steps until a
    sentence turns to characterization. Per host the richest passage gives the route;
    methods named only in other passages are added after it.
    """
    designs = [h for h in hosts if h.kind in ("host", "variant")]
    if not designs:
        return []
    main = next((h for h in designs if h.kind == "host"), designs[0])
    forms = {}
    for h in designs:
        for f in (h.name, *h.aliases):
            if len(f) >= 2:
                forms[f] = h.name
    pattern = re.compile(r"(?<![\w@])(?:" + "|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True)) + r")(?![\w@])", re.I)
    forms.update({f.casefold(): n for f, n in list(forms.items())})
    host_keys = {mat.key(f) for f in forms}
    headings = {p.index: (p.heading or "") for p in passages} if passages else {}
    family = [main.name]
    for s in sentences:
        for members in mat.find_family_lists(s.text):
            if main.name in members:
                family = [m for m in members if m in {h.name for h in designs}] or family
    by_passage: dict[tuple[str, int], list[SynthesisStep]] = defaultdict(list)
    active_passage, current = None, None
    for s in sentences:
        if s.role in ("heading", "caption") or s.section in ("references",):
            continue
        if s.passage != active_passage:
            active_passage, current = None, None
        in_methods = s.section == "experimental"
        if in_methods and _NOT_SYNTHESIS_HEADING.search(headings.get(s.passage, "")):
            continue
        named = [forms.get(m.group(0)) or forms[m.group(0).casefold()] for m in pattern.finditer(s.text)]
        starts = in_methods or (named and _MADE.search(s.text)) or (
            _FAMILY.search(s.text) and _MADE.search(s.text))
        if starts:
            active_passage = s.passage
        if active_passage != s.passage:
            continue
        if (_OTHER_COMPONENT.search(s.text) and not named) or _OTHER_SUBJECT.search(s.text):
            continue
        if not in_methods and _CHARACTERIZATION.search(s.text) and not _MADE.search(s.text):
            active_passage = None
            continue
        if in_methods and _NOT_SYNTHESIS_SENTENCE.search(s.text) and not named:
            continue
        if _SERVED_AS_CONTROL.search(s.text):
            continue  # "the etched bare mesh served as control": no step of the design
        methods = _methods_in(s.text)
        if _FAMILY.search(s.text):
            current = tuple(family)  # "Li6-xAgxPS5Cl (x = 0, 0.2, 0.4)": every member is made this way
        elif named:
            current = tuple(dict.fromkeys(named)) if re.search(r"\band\b", s.text) else (named[0],)
            if in_methods and main.name not in current and any(n in main.name for n in current):
                # "ZnO was deposited by ALD" in the methods of ZnO@P-Cu: a step of the design
                current = (main.name,) + current
        if not methods:
            continue
        targets = current or (main.name,)
        conditions, temp, dur, atm = _conditions(s.text)
        precursors = _precursors(s.text, host_keys)
        for host in targets:
            steps = by_passage[(host, s.passage)]
            for _, method in methods:
                if steps and steps[-1].method == method and steps[-1].sentence == s.index:
                    continue
                steps.append(SynthesisStep(order=0, method=method, precursors=precursors, conditions=conditions,
                                           temperature_c=temp, duration_h=dur, atmosphere=atm,
                                           evidence=s.evidence, sentence=s.index))
    routes = []
    by_passage_hosts = {h for h, _ in by_passage}
    for host in dict.fromkeys(h for h, _ in by_passage):
        groups = [(p, st) for (h, p), st in by_passage.items() if h == host]
        groups.sort(key=lambda g: (-len({x.method for x in g[1]}), g[0]))
        chosen = list(groups[0][1])
        have = {x.method for x in chosen}
        for _, st in sorted(groups[1:], key=lambda g: g[0]):
            for x in st:
                if x.method not in have:
                    chosen.append(x)
                    have.add(x.method)
        chosen.sort(key=lambda x: x.sentence)
        chosen = [x for i, x in enumerate(chosen) if i == 0 or x.method != chosen[i - 1].method]
        steps = tuple(replace(x, order=i + 1) for i, x in enumerate(chosen))
        routes.append(SynthesisRoute(host=host, steps=steps, evidence=steps[0].evidence if steps else None))
    in_methods = " ".join(s.text for s in sentences if s.section == "experimental")
    made = [h for h in designs if h.name in by_passage_hosts or any(
        f and f in in_methods for f in (h.name, *h.aliases))]
    return _variants_share_the_route(routes, main, made)


def _stem(name: str) -> str:
    """A design name without its numbers and labels: ``Cu–In(4)`` and ``Cu-In(16)`` → ``cu-in``."""
    plain = re.sub(r"\([^)]*\)|[\d.]+|[-–]?\b[A-Z]\b$", "", mat.key(name).replace("–", "-"))
    return plain.strip("-– ")


def _same_family(a: str, b: str) -> bool:
    """Names of one design family: the same stem (``Bi-NCS@CC-600`` / ``Bi-NCS@CC``, ``LIP-Li-L`` /
    ``LIP-Li``, ``Au60@X`` / ``Au@X``) or the same elements (``Li5.8Ag0.2PS5Cl`` / ``Li5.4Ag0.6PS5Cl``)."""
    sa, sb = _stem(a), _stem(b)
    if sa and sb and (sa == sb or sa.startswith(sb) or sb.startswith(sa)) and min(len(sa), len(sb)) >= 3:
        return True
    fa, fb = _formula_part(a), _formula_part(b)  # "n-NbO2" is a treated NbO2: the same family as Nb2O5
    return bool(fa and fb) and set(re.findall(r"[A-Z][a-z]?", fa)) == set(re.findall(r"[A-Z][a-z]?", fb))


def _formula_part(name: str) -> str | None:
    """The formula of a name, without a lower-case treatment prefix (``n-NbO2`` → ``NbO2``)."""
    core = re.sub(r"^[a-z]{1,3}-", "", name.strip())
    return core if mat.is_formula(core) else None


def _variants_share_the_route(routes: list[SynthesisRoute], main: Host, designs: list[Host]) -> list[SynthesisRoute]:
    """``designs``: the designs the paper made (named in its methods or given steps there).
    A variant is the design made with one thing changed ("carbonized at 600 °C instead"):
    its route is the design's route, with the steps the paper states for the variant
    itself in place of the design's steps of the same method."""
    by_host = {r.host: r for r in routes}
    base = by_host.get(main.name)
    if base is None:
        return routes
    out = []
    for h in designs:
        if h.kind != "variant" and h.name != main.name:
            continue
        if h.name != main.name and not _same_family(h.name, main.name):
            if h.name in by_host:
                out.append(by_host[h.name])
            continue
        own = by_host.get(h.name)
        if h.name == main.name:
            out.append(base)
            continue
        if own is not None and 2 * len(own.steps) >= len(base.steps):
            out.append(own)  # the paper describes the variant's own route
            continue
        own_steps = {x.method: x for x in (own.steps if own else ())}
        # in the design's order, the variant's own step standing in for the design's
        merged = [own_steps.pop(x.method, x) for x in base.steps] + list(own_steps.values())
        steps = tuple(replace(x, order=i + 1) for i, x in enumerate(merged))
        out.append(SynthesisRoute(host=h.name, steps=steps, evidence=steps[0].evidence if steps else None))
    named = {r.host for r in out}
    return out + [r for r in routes if r.host not in named]

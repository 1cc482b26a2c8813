"""The designs a paper reports: candidates from materials.find_candidates gathered into a
host table (the proposed host, its variants and controls), their mentions in sentences,
and the Host records with aliases and components."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .. import materials as mat
from ..controls import canonical_control
from .cues import DefinedCues
from ..types import (
    Host,
    Sentence,
)

if TYPE_CHECKING:
    from .attribution import Figure


@dataclass
class HostTable:
    entries: dict[str, mat.HostEntry]  # by entry key
    pattern: re.Pattern | None
    form_to_entry: dict[str, str]  # form key -> entry key
    main: str | None = None
    # the paper writes its design's full cells as "Li-X||NCM811": a plain "Li||NCM811" is then
    # the bare-Li control's cell (a separator or coating paper writes its own cells "Li||LFP")
    bare_li_cells_are_control: bool = False
    defined_cues: DefinedCues | None = None  # short forms the paper defines for metrics and cells

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
                if self.entries[entry].kind == "control" and (
                        _CELL_BARS.search(before) or _CELL_NOTATION.search(before) and _HALF_CELL_AFTER.match(text, m.end())):
                    continue  # "Li||Cu half cells" names the kind of test, not the bare-Cu control
                out.append((entry, m.start(), m.end()))
        if self.bare_li_cells_are_control and "control:li" in self.entries:  # "the Li||NCM811 cell"
            for m in _BARE_LI_CELL.finditer(text):
                clause = re.split(r"[,;:]", text[:m.start()])[-1]
                if _SUBJECT_OPENING.fullmatch(clause) and _cathode_after_bars(text, m.start() + 2, m.end()):
                    out.append(("control:li", m.start(), m.start() + 2))
            out.sort(key=lambda x: x[1])
        return out


# a cell whose anode is written as plain "Li" ("Li||NCM811", "Li‖LFP"), not "Li-X||NCM811",
# as the subject of its clause ("But the Li||NCM811 cell keeps ..."; not "X enables Li||LFP
# cells with ...", where the cells are the design's)
_BARE_LI_CELL = re.compile(r"(?<![\w@/.\-–|‖])Li\s?(?:\|\||‖|//)\s?")
_SUBJECT_OPENING = re.compile(
    r"\s*(?:(?:but|and|while|whereas|however|meanwhile|comparatively|in contrast|by contrast|for comparison)\s*,?\s*)?"
    r"(?:the|a|an)?\s*", re.I)


_CELL_BARS = re.compile(r"Li\s?(?:\|\||‖|\|)\s?$")  # "Li||Cu", "Li|Cu": always a cell, never the Cu control
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
    # a foam, mesh or cloth of a metal is another substrate than its foil: "bare Cu" and
    # "Cu foam" are two controls
    form = re.search(r"\b(foams?|meshe?s?|cloths?|felts?|papers?|fib(?:er|re)s?|powders?)\b", t)
    suffix = " " + form.group(1).rstrip("s").replace("meshe", "mesh") if form else ""
    t = re.sub(r"\bcopper\b", "cu", re.sub(r"\bnickel\b", "ni", re.sub(r"\blithium\b", "li", t)))
    t = re.sub(r"\balumini?um\b", "al", re.sub(r"\bzinc\b", "zn", re.sub(r"\btitanium\b", "ti", t)))
    for base in ("stainless steel", "carbon paper", "graphite", "cu", "li", "ni", "al", "zn", "ti", "ss"):
        if re.search(r"(?<![a-z])" + re.escape(base) + r"(?![a-z])", t):
            return "control:" + base + ("" if base.endswith("paper") else suffix)
    # "pristine PP", "bare PP" and "plain PP" are one control
    words = text.split()
    while len(words) > 1 and words[0].casefold() in mat.CONTROL_MODIFIERS:
        words = words[1:]
    return "control:" + _singular(mat.key(_HEAD_NOUN.sub("", " ".join(words)) or " ".join(words)))


def build_host_table(sentences: list[Sentence], found: dict[int, tuple] | None = None,
                     review: bool = False) -> tuple[HostTable, dict[str, str]]:
    """Host table of a document. ``found`` maps a sentence index to the abbreviation
    definitions the spaCy pipeline found in it (computed here when not given). A research
    paper's introduction names other works; a ``review``'s introduction names the works it
    reviews."""
    abbreviations: dict[str, str] = {}
    designs: set[str] = set()  # names the paper defines for made materials and electrodes
    for s in sentences:
        defs = found[s.index] if found is not None else mat.find_abbreviations(s.text)
        for a in defs:
            abbreviations.setdefault(a.short, a.long)
            if mat.is_design_definition(a) and mat.is_material_token(a.short, frozenset({a.short})):
                designs.add(a.short)
    defined_cues = DefinedCues.from_abbreviations(abbreviations)
    abbr = frozenset(abbreviations)
    design_pattern = re.compile(r"(?<![\w@.\-])(?:" + "|".join(
        re.escape(d) for d in sorted(designs, key=len, reverse=True)) + r")(?![\w@])") if designs else None
    entries: dict[str, mat.HostEntry] = {}
    weight = {"title": 3.0, "abstract": 2.0, "results": 1.0, "conclusions": 1.0, "body": 1.0}
    for s in sentences:
        if s.section == "references" or (s.section == "introduction" and not review):
            continue
        candidates = mat.find_candidates(s.text, abbr)
        if design_pattern:  # a defined design is a candidate wherever it is written
            candidates += [mat.Candidate(m.group(0), m.start(), m.end(), "host", "defined")
                           for m in design_pattern.finditer(s.text)
                           if not any(c.start <= m.start() < c.end for c in candidates)]
        for c in candidates:
            text = c.text.strip()
            last = text.rsplit(" ", 1)
            if len(last) == 2 and defined_cues.names_a_cue(last[1]):
                text = last[0]  # "the Li@X SSC" (symmetric cell): the design is X
            if c.kind_hint == "host" and text in mat.ELEMENTS and not (c.context == "li_anchor" and _is_bare_substrate(text)):
                continue  # a lone element ("Ag seeds", "Cu layer") is a component, not a design
            if re.search(r"\d-[xyδ]|^[xyδ][A-Z]", text):
                continue  # Li6-xAgxPS5Cl names a family of compositions, not one design
            if text in abbreviations and ((_NOT_A_DESIGN.search(abbreviations[text]) and len(abbreviations[text].split()) <= 4)
                                          or defined_cues.names_a_cue(text)):
                continue  # "gel polymer electrolyte (GPE)", "pouch cell (PC)": not a host
            # "carbon cloth (CC)": a name the paper gives a bare substrate is that control
            substrate = abbreviations[text] if text in abbreviations and canonical_control(abbreviations[text]) else None
            if c.kind_hint == "control" or substrate or (c.kind_hint == "host" and _is_bare_substrate(text)):
                k = _control_group(substrate or text)
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
    _substrates_are_controls(entries, sentences)
    _merge_suffixes(entries)
    _merge_into_controls(entries, " ".join(s.text for s in sentences if s.section in ("title", "abstract")))
    for k, e in entries.items():
        if e.kind == "host":
            short = e.name if e.name in abbreviations else None
            if short:
                e.long_form = abbreviations[short]
    table = _compile_table(entries)
    table.bare_li_cells_are_control = _design_cells_named(table, sentences)
    table.defined_cues = defined_cues
    return table, abbreviations


_FULL_CELL_ANODE = re.compile(r"(\S+?)\s?(?:\|\||‖)\s?(?=\S)")


def _cathode_after_bars(text: str, anode_end: int, bars_end: int) -> bool:
    """Whether the cell notation whose anode ends at ``anode_end`` and whose bars end at
    ``bars_end`` names a cathode next ("||NCM811", "||S": a sulfur cathode is found with its bars)."""
    return any(start <= bars_end - anode_end for _, start, _ in mat.find_cathodes(text[anode_end:bars_end + 25]))


def _design_cells_named(table: HostTable, sentences: list[Sentence]) -> bool:
    """Whether the paper writes a design (not a control) as the anode of a full cell:
    "Li-X||NCM811", "X||LFP"."""
    for s in sentences:
        if "|" not in s.text and "‖" not in s.text:
            continue
        for m in _FULL_CELL_ANODE.finditer(s.text):
            if not _cathode_after_bars(s.text, m.end(1), m.end()):
                continue
            anode = re.sub(r"^(?:Li|lithium)[-–/@]", "", m.group(1).strip("(["))
            entry = table.form_to_entry.get(mat.key(anode))
            if entry and table.entries[entry].kind == "host":
                return True
    return False


# long forms of names that are a test's ingredients, not electrodes: electrolytes, solvents,
# salts, binders, additives
_NOT_A_DESIGN = re.compile(r"\b(?:electrolytes?|solutions?|solvents?|salts?|binders?|additives?|diluents?)$", re.I)


def _is_bare_substrate(text: str) -> bool:
    """``Cu``, ``Cu foil``, ``Li metal``: a plain substrate is a control, not a design."""
    return bool(re.fullmatch(r"(?:Cu|Li|Ni|Al|Zn|Ti|SS|stainless steel)(?:\s+(?:foils?|mesh|foam|metal|plates?))?", text))


_HEAD_NOUN = re.compile(r"\s+(?:" + "|".join(mat.HOST_HEADS) + r")$", re.I)


_COATED_ONTO = re.compile(
    r"\b(?:coated|cast|applied|spread|sprayed|spray-coated|blade-coated|spin-coated|drop-cast|pasted|laminated)\s+"
    r"(?:\w+\s+){0,3}?(?:onto|on|to)\s+(?:the\s+|a\s+|one side of the\s+|both sides of the\s+)?(?:\w+\s+)?$", re.I)


def _substrates_are_controls(entries: dict[str, mat.HostEntry], sentences: list[Sentence]) -> None:
    """What the methods coat the design onto ("the slurries were applied to the PP separator")
    is its substrate: the bare substrate is the control it is compared with."""
    hosts = {k: e for k, e in entries.items() if e.kind == "host"}
    if len(hosts) < 2:
        return
    for s in sentences:
        if s.section != "experimental":
            continue
        for k, e in list(hosts.items()):
            for form in e.forms:
                for m in re.finditer(r"(?<![\w@/.-])" + re.escape(form) + r"(?![\w@/-])", s.text):
                    if _COATED_ONTO.search(s.text[max(0, m.start() - 80):m.start()]):
                        e.kind = "control"
                        hosts.pop(k, None)
                        break
                if e.kind == "control":
                    break


def _merge_into_controls(entries: dict[str, mat.HostEntry], summary: str = "") -> None:
    """``untreated PP separator`` is the control; ``PP`` and ``PP separator`` written alone in
    the same paper are that control too, not a design of their own. A name the title or
    abstract presents (``Li@MCS`` with ``bare MCS`` as its unlithiated control) stays a design."""
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
                presented = any(re.search(r"(?<![\w-])" + re.escape(f) + r"(?![\w-])", summary) for f in (e.forms if e else ()))
                if e is not None and e.kind == "host" and k != ck and not presented:
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
        # "LiPAA-LPO@Cu" and "LPO@Cu" are two designs: a composite name after a hyphen is not a
        # shortening of the longer one
        joints = (" ",) if re.search(r"[@/]", entries[short].name) else (" ", "-")
        longer = [k for k in hosts if k != short and k in entries and k.endswith(short)
                  and any(f.casefold().endswith(tuple(j + sf for j in joints)) for f in entries[k].forms for sf in short_forms)]
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
                # the plain metal's control is also "Cu foil" and "Cu"; its foam or mesh is not
                if m and k.startswith("control:") and k != "control:without" and " " not in k:
                    forms.add(m.group(1) + " foil")
                    if m.group(1) != "Li":
                        forms.add(m.group(1))
                words = f.split()
                if (len(words) > 1 and words[0].casefold() in mat.CONTROL_MODIFIERS and re.search(r"[A-Z]", words[1])
                        and _HEAD_NOUN.sub("", " ".join(words[1:])) not in mat.ELEMENTS):
                    # "pristine CNTS" is also written "CNTS" and "Li-CNTS" once lithiated
                    forms.add(_HEAD_NOUN.sub("", " ".join(words[1:])))
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
    pattern = re.compile(r"(?<![\w@.\-–])(?:Li\s?(?:@|/|-|–)\s?)?(?:" + body + r")"
                         r"(?![\w@]|\([\w.]{1,4}\)|[-–](?!(?:based|coated|modified|decorated|derived|supported|loaded|"
                         r"free|like|containing|grafted|covered|doped|cells?|anodes?|electrodes?)\b|"
                         r"(?:LFP|LiFePO4|NCM|NMC|LCO|LiCoO2|NCA|LiNi|LMO|S\b))\w)")  # X-NCM811: X paired with a cathode
    return HostTable(entries, pattern, form_to_entry)


MAIN = "*main*"  # stands for the paper's proposed design until it is known


# Generic referring phrases: "the composite anode", "the as-prepared host", "our design",
# "the modified electrode". They name the paper's own design, never a host of their own.
GENERIC_REFERENCE = re.compile(
    r"\b(?:the|our|this|these|such)\s+(?:(?:as-?|newly\s+)?(?:prepared|fabricated|developed|designed|synthesi[sz]ed|obtained)\s+|"
    r"(?:modified|composite|proposed|engineered|hybrid|coated|protected|lithiophilic|new|optimi[sz]ed|functional)\s+){1,3}"
    r"(?:[a-z]+\s+)?(?:hosts?|anodes?|electrodes?|substrates?|current collectors?|frameworks?|scaffolds?|skeletons?|"
    r"separators?|interlayers?|membranes?|designs?|samples?|cells?|batter(?:y|ies)|structures?)\b"
    r"|\bour\s+(?:design|host|anode|electrode|separator|strategy|structure)s?\b"
    # the paper's one host or composite, named by what it is: "the host gives 98.9%", "the composite cycles"
    r"|\bthe\s+(?:host|composite|scaffold|framework|skeleton|heterostructure|heterojunction)\b(?!\s+(?:material|materials|of|for)\b)"
    # "the gradient host", "the gradient electrode": a description of the design (not "the counter electrode")
    r"|\bthe\s+(?!(?:bare|pristine|planar|blank|pure|commercial|conventional|unmodified|untreated|plain|counter|working|"
    r"reference|negative|positive|lithium|metal|same|other|opposite|copper|nickel|original|corresponding|whole|entire|"
    r"symmetric|full|half|pouch|coin|cathode|control)\b)[a-z]{4,}\s+(?:host|electrode|framework|scaffold|skeleton|collector)\b"
    # "the indium-seeded mesh", "the carbon-coated separator" (lower case: a description, not a name)
    r"|\bthe\s+[a-z]+-(?:seeded|coated|decorated|doped|modified|loaded|treated|functionali[sz]ed|engineered|"
    r"protected|infused|grafted|covered|embedded|anchored)\s+(?:[a-z]+\s+)?(?:hosts?|anodes?|electrodes?|"
    r"substrates?|current collectors?|frameworks?|scaffolds?|skeletons?|separators?|interlayers?|membranes?|meshe?s?|"
    r"foams?|cloths?|papers?|foils?|films?)\b",
    re.I,
)



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


def _display_name(e: mat.HostEntry) -> str:
    if e.kind == "control":
        return mat.control_name(e.forms)
    alloys = [f for f in e.forms if mat.is_li_alloy_name(f)]
    if alloys:  # "Li-Mg10", not the "Mg10" inside it
        return max(alloys, key=lambda f: e.forms[f])
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
        kind = e.kind if e.kind in ("control", "cited") else ("host" if k == main else "variant")
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
        components = mat.split_components(names[k]) if e.kind in ("host", "cited") else [names[k]]
        out.append(Host(name=names[k], kind=kind, aliases=tuple(sorted(aliases)),
                        components=tuple(components), has_figures=credited[k] > 0 or None,
                        sentence=e.first_sentence))
    out.sort(key=lambda h: ({"host": 0, "variant": 1, "control": 2, "cited": 3}[h.kind], h.name))
    return out

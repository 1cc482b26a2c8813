#!/usr/bin/env python3
"""Seeded generator of synthetic lithium-metal-anode papers with a record of the planted facts.

    python scripts/make_synthetic_corpus.py --n 10000 --seed 7 --out /tmp/syn
    python scripts/make_synthetic_corpus.py --n 200 --seed 1 --out /tmp/syn --pdf-fraction 0.05

Writes, streaming (one document at a time, nothing accumulated):

* ``syn_00000.txt`` ... : papers in the plain-text corpus format (title, authors, journal,
  "Received ..." and DOI lines, Abstract, numbered sections, "Figure N." captions,
  Acknowledgements, References). About a fifth are hard-wrapped at 64-80 columns
  (no hyphenation, so evidence still matches after collapsing white space).
* ``syn_00000.pdf`` ... : with ``--pdf-fraction``, that share of the documents is laid out as a
  two-column PDF by ``make_demo_pdf.render_pdf`` instead of being written as text.
* ``facts.jsonl`` : one line per document, in the records format of
  ``shared/spec/records.md`` (doc, paper, hosts, synthesis, performance, properties), holding
  exactly the facts that were planted; every evidence string is a verbatim sentence of the
  text (for PDFs: of the text the PDF was rendered from). An extra key ``synthetic`` tells the
  format, wrapping and unit style used.
* ``manifest.json`` : seed, n, counts, written at the end.

Host names are composed from parts (seed material x dopant x morphology x substrate), test
conditions and figures are drawn from plausible ranges, and every fact has several sentence
templates and unit spellings. Each document is drawn from ``random.Random(f"{seed}-{i}")``, so
output depends only on (seed, i) and the script, never on n or on other documents.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import textwrap
import time
from pathlib import Path

SCRIPTS = Path(__file__).resolve().parent

# ----------------------------------------------------------------------------- vocabulary of parts

DOPANTS = [  # (prefix in the abbreviation, phrase, component)
    ("N", "nitrogen-doped", "N-doped carbon"),
    ("S", "sulfur-doped", "S-doped carbon"),
    ("P", "phosphorus-doped", "P-doped carbon"),
    ("B", "boron-doped", "B-doped carbon"),
    ("NS", "N,S-co-doped", "N,S-co-doped carbon"),
    ("F", "fluorine-doped", "F-doped carbon"),
    ("O", "oxygen-rich", "O-functionalized carbon"),
]
MORPHS = [  # (phrase, abbreviation, route, hollow?, self-supporting?)
    ("hollow carbon spheres", "HCS", "silica_template", True, False),
    ("hollow carbon cages", "HCC", "silica_template", True, False),
    ("carbon nanofibers", "CNF", "electrospinning", False, True),
    ("graphene aerogel", "GA", "graphene_hydrothermal", False, True),
    ("carbon nanotube sponge", "CNTS", "cvd", False, True),
    ("porous carbon polyhedra", "PCP", "mof", False, False),
    ("carbon nanosheet arrays", "CNSA", "hydrothermal", False, False),
    ("yolk-shell carbon spheres", "YSC", "silica_template", True, False),
]
SEEDS = [  # (formula, seeding route)
    ("ZnO", "ald"), ("ZnO", "impregnation"), ("Ag", "sputtering"), ("Ag", "galvanic"), ("Au", "sputtering"),
    ("SnO2", "hydrothermal"), ("Co", "impregnation_reduction"), ("MgO", "impregnation"), ("Al2O3", "ald"),
    ("Cu3N", "nitridation"), ("Sn", "electrodeposition"), ("Mo2N", "nitridation"), ("In", "electrodeposition"),
]
SUBSTRATES = [("Cu foil", "", None), ("Ni foam", "/NF", "Ni foam"), ("carbon cloth", "/CC", "carbon cloth"),
              ("Cu foam", "/CuF", "Cu foam")]
ELECTROLYTES = [
    "1.0 M LiTFSI in DOL/DME (1:1 by volume) with 2 wt% LiNO3",
    "1 M LiTFSI in DOL/DME (1:1, v/v) containing 1 wt% LiNO3",
    "1 M LiPF6 in EC/DEC (1:1 by volume) with 10 wt% FEC",
    "1 M LiPF6 in EC/DMC (1:1 v/v) with 5 wt% FEC",
    "1.2 M LiFSI in DME",
]
JOURNALS = ["Journal of Demonstration Energy Materials", "Demo Reports in Battery Science",
            "Annals of Example Electrochemistry", "Fictional Transactions on Energy Storage",
            "Synthetic Letters in Electrode Design", "Placeholder Journal of Applied Batteries"]
GIVEN = ["A.", "B.", "C.", "D.", "E.", "F.", "G.", "H.", "I.", "J.", "K.", "L.", "M.", "N.", "O.", "P.", "R.",
         "S.", "T.", "V.", "W.", "Y.", "Z."]
FAMILY = ["Andersen", "Bello", "Castro", "Dubois", "Eriksen", "Fujita", "Garcia", "Haddad", "Ito", "Jansen",
          "Kowalski", "Lopez", "Mensah", "Novak", "Okafor", "Petrov", "Quinn", "Rossi", "Sato", "Tanaka",
          "Usman", "Varga", "Wang", "Xu", "Yilmaz", "Zhou", "Li", "Kim", "Singh", "Moreau"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]

# Unit spellings, chosen once per document (papers are internally consistent, the corpus is not).
STYLES = [
    {"cd": "mA cm−2", "ac": "mAh cm−2", "sc": "mAh g−1", "ed": "Wh kg−1", "ssa": "m2 g−1", "pv": "cm3 g−1",
     "ohm": "Ω", "deg": "°", "ramp": "°C min−1"},
    {"cd": "mA cm-2", "ac": "mAh cm-2", "sc": "mA h g-1", "ed": "Wh kg-1", "ssa": "m2 g-1", "pv": "cm3 g-1",
     "ohm": "ohm", "deg": " deg", "ramp": "°C min-1"},
    {"cd": "mA/cm2", "ac": "mAh/cm2", "sc": "mAh/g", "ed": "Wh/kg", "ssa": "m2/g", "pv": "cm3/g",
     "ohm": "Ω", "deg": "°", "ramp": "°C/min"},
    {"cd": "mA cm^-2", "ac": "mA h cm^-2", "sc": "mA h g^-1", "ed": "Wh kg^-1", "ssa": "m^2 g^-1",
     "pv": "cm^3 g^-1", "ohm": "ohm", "deg": "°", "ramp": "°C min^-1"},
    {"cd": "mA cm⁻²", "ac": "mAh cm⁻²", "sc": "mAh g⁻¹", "ed": "Wh kg⁻¹", "ssa": "m² g⁻¹", "pv": "cm³ g⁻¹",
     "ohm": "Ω", "deg": "°", "ramp": "°C min⁻¹"},
    {"cd": "mA·cm−2", "ac": "mAh·cm−2", "sc": "mAh·g−1", "ed": "Wh·kg−1", "ssa": "m2·g−1", "pv": "cm3·g−1",
     "ohm": "Ω", "deg": "°", "ramp": "°C·min−1"},
]
APPROX = ["≈", "~", "about ", "approximately ", "ca. "]
GT = [("over ", "gt"), ("more than ", "gt"), (">", "gt"), ("beyond ", "gt")]
CATHODES = {"LFP": ("LiFePO4", "LiFePO4 (LFP)", "LFP", (132, 162)),
            "NCM811": ("LiNi0.8Co0.1Mn0.1O2", "LiNi0.8Co0.1Mn0.1O2 (NCM811)", "NCM811", (176, 206))}


def headline(phrase: str) -> str:
    return " ".join(w[:1].upper() + w[1:] for w in phrase.split())


def fmt(x: float, nd: int = 1) -> str:
    s = f"{x:.{nd}f}"
    return s.rstrip("0").rstrip(".") if "." in s else s


# ----------------------------------------------------------------------------- one document


class DocBuilder:
    """Collects the lines of one paper and the facts planted in it."""

    def __init__(self, rng: random.Random, name: str, seed: int, index: int):
        self.rng, self.name = rng, name
        self.style = rng.randrange(len(STYLES))
        self.u = STYLES[self.style]
        self.lines: list[str] = []
        self.performance: list[dict] = []
        self.properties: list[dict] = []
        self.synthesis: list[dict] = []
        self.hosts: list[dict] = []
        self.doi = f"10.5555/hostkb.syn.{seed}.{index:05d}"
        self.figure = 0

    # -- helpers
    def pick(self, seq):
        return seq[self.rng.randrange(len(seq))]

    def approx(self) -> str:
        return self.pick(APPROX)

    def perf(self, host, metric, value, qualifier, cell, evidence, *, cd=None, ac=None, c=None, cycles=None,
             cathode=None, temperature=None):
        self.performance.append({
            "host": host, "metric": metric, "value": value, "qualifier": qualifier, "cell_type": cell,
            "current_density": cd, "areal_capacity": ac, "c_rate": c, "cycles": cycles, "cathode": cathode,
            "electrolyte": self.electrolyte, "temperature": self.temperature if temperature is None else temperature,
            "evidence": evidence})

    def prop(self, material, prop, value, unit, evidence, qualifier=None, note=None):
        d = {"material": material, "property": prop, "value": value, "unit": unit}
        if qualifier:
            d["qualifier"] = qualifier
        if note:
            d["note"] = note
        d["evidence"] = evidence
        self.properties.append(d)

    def caption(self, text: str) -> None:
        self.figure += 1
        self.lines.append(f"Figure {self.figure}. {text}")
        self.lines.append("")

    def para(self, sentences: list[str]) -> None:
        self.lines.append(" ".join(s for s in sentences if s))
        self.lines.append("")

    # -- design
    def design(self) -> None:
        r = self.rng
        dop = self.pick(DOPANTS)
        morph = self.pick(MORPHS)
        seed_mat, seed_route = self.pick(SEEDS)
        sub = self.pick(SUBSTRATES) if morph[4] and r.random() < 0.35 else SUBSTRATES[0]
        core = dop[0] + morph[1]
        self.host = f"{seed_mat}@{core}{sub[1]}"
        self.core_phrase = f"{dop[1]} {morph[0]}"
        self.seed_mat, self.seed_route, self.morph, self.dop, self.sub = seed_mat, seed_route, morph, dop, sub
        # variant: the same scaffold without the seed, or the seed on an undoped scaffold
        if r.random() < 0.6:
            self.variant, self.variant_phrase = core + sub[1], f"the seed-free {self.core_phrase}"
            v_comp = [dop[2], morph[0]]
        else:
            self.variant, self.variant_phrase = f"{seed_mat}@{morph[1]}{sub[1]}", f"{seed_mat} on undoped {morph[0]}"
            v_comp = [seed_mat, morph[0]]
        self.infused = morph[4] and r.random() < 0.6  # molten Li for self-supporting hosts
        self.li_prefix = self.pick(["Li@", "Li-", "Li/"])
        if self.infused or r.random() < 0.3:
            self.control, c_alias, c_comp = "Li foil", ["bare Li foil", "Li foil electrode"], ["Li"]
        else:
            self.control, c_alias, c_comp = "bare Cu foil", ["Cu foil", "Cu", "Li@Cu", "planar Cu"], ["Cu foil"]
        self.ctl_cell = "Li foil" if self.control == "Li foil" else "Li@Cu"
        base = [sub[2]] if sub[2] else ([] if morph[4] else ["Cu foil"])
        self.hosts = [
            {"name": self.host, "aliases": [self.li_prefix + self.host, f"{self.host} electrode",
                                            f"{seed_mat}-decorated {self.core_phrase}"],
             "kind": "host", "components": [seed_mat, dop[2], morph[0]] + base},
            {"name": self.variant, "aliases": [self.li_prefix + self.variant], "kind": "variant",
             "components": v_comp + base},
            {"name": self.control, "aliases": c_alias, "kind": "control", "components": c_comp},
        ]
        self.electrolyte = self.pick(ELECTROLYTES)
        self.temperature = self.pick([25, 25, 25, 30])

    # -- sections
    def front(self, seed: int) -> None:
        r = self.rng
        title = self.pick([
            f"{self.seed_mat}-Decorated {headline(self.core_phrase)} as a Lithiophilic Host for Dendrite-Free Lithium Metal Anodes",
            f"Guiding Lithium Nucleation with {self.seed_mat} Sites in {headline(self.core_phrase)}",
            f"A {headline(self.core_phrase)} Host with {self.seed_mat} Seeds Enables Long-Life Lithium Metal Batteries",
            f"Lithiophilic {self.seed_mat} in {headline(self.core_phrase)}: Uniform Lithium Plating at High Areal Capacity",
        ])
        authors = ", ".join(f"{self.pick(GIVEN)} {self.pick(FAMILY)}" for _ in range(r.randint(3, 6))) + "*"
        self.journal = self.pick(JOURNALS)
        self.title = title
        m1 = r.randrange(7)
        m2 = m1 + r.randint(1, 5)
        self.lines += [title, authors, self.journal,
                       f"Received {r.randint(1, 28)} {MONTHS[m1]} 2024; accepted {r.randint(1, 28)} {MONTHS[m2]} 2024",
                       f"DOI: {self.doi}", ""]

    def intro(self) -> None:
        u, r = self.u, self.rng
        self.lines += ["1. Introduction", ""]
        self.para([
            self.pick([f"Metallic lithium offers a theoretical capacity of 3860 {u['sc']} and a potential of −3.04 V vs SHE, which makes it the most energy-dense anode available.",
                       f"With 3860 {u['sc']} in theory and −3.04 V versus the standard hydrogen electrode, lithium metal is the natural end point of anode development.",
                       f"The lithium metal anode combines a specific capacity of 3860 {u['sc']} with the lowest redox potential of all candidates (−3.04 V vs SHE)."]),
            self.pick(["Its practical use is limited by dendritic growth, a fragile solid electrolyte interphase and large volume changes during cycling.",
                       "Uneven plating, repeated breakage of the interphase and the absence of a host lead to low Coulombic efficiency and short life.",
                       "Dendrites, dead lithium and the volume change of a hostless electrode remain the main obstacles."]),
        ])
        e1, e2 = round(r.uniform(1.8, 3.4), 2), round(r.uniform(0.6, 1.2), 2)
        self.para([
            "Three-dimensional hosts lower the local current density and store the deposited metal, but carbon scaffolds are usually lithiophobic.",
            f"Density functional theory gives a Li binding energy of −{fmt(e1, 2)} eV on {self.seed_mat}, compared with −{fmt(e2, 2)} eV on graphene, so {self.seed_mat} sites should attract the first lithium.",
            f"Here we place {self.seed_mat} inside {self.core_phrase} ({self.host}) and compare it with {self.variant_phrase} ({self.variant}) and with {self.control}.",
        ])

    def experimental(self) -> None:
        u, r = self.u, self.rng
        self.lines += ["2. Experimental Section", "", "2.1. Synthesis", ""]
        steps: list[dict] = []
        sentences: list[str] = []

        def step(method, precursors, conditions, sentence):
            steps.append({"method": method, "precursors": precursors, "conditions": conditions, "evidence": sentence})
            sentences.append(sentence)

        route = self.morph[2]
        t_c = self.pick([600, 700, 750, 800, 850, 900, 1000])
        h_c = self.pick([1, 2, 3, 4])
        ramp = self.pick([2, 3, 5, 10])
        gas = self.pick(["Ar", "N2", "Ar/H2 (95:5)"])
        if route == "silica_template":
            step("templating", ["SiO2 spheres", "dopamine hydrochloride"],
                 "polydopamine grown on SiO2 spheres in Tris buffer (pH 8.5), 24 h",
                 "Stöber SiO2 spheres were coated with polydopamine by stirring them with dopamine hydrochloride in Tris buffer (pH 8.5) for 24 h.")
            step("carbonization", [], f"{t_c} °C, {h_c} h, {gas}, {ramp} °C/min",
                 f"The coated spheres were carbonized at {t_c} °C for {h_c} h under {gas} with a ramp of {ramp} {u['ramp']}.")
            step("etching", ["HF" if r.random() < 0.5 else "NaOH"], "template removal",
                 self.pick(["The silica template was removed with 10 wt% HF for 12 h.",
                            "The silica template was etched away in 2 M NaOH at 80 °C for 6 h."]))
            steps[-1]["precursors"] = ["HF"] if "HF" in sentences[-1] else ["NaOH"]
        elif route == "electrospinning":
            step("other", ["polyacrylonitrile", "DMF"], "electrospinning at 15 kV",
                 "A polyacrylonitrile solution in DMF (10 wt%) was electrospun at 15 kV onto a rotating drum.")
            step("annealing", [], "stabilized in air at 250 °C for 2 h",
                 "The membrane was stabilized in air at 250 °C for 2 h.")
            step("carbonization", [], f"{t_c} °C, {h_c} h, {gas}",
                 f"It was then carbonized at {t_c} °C for {h_c} h in {gas}.")
        elif route == "graphene_hydrothermal":
            t_h = self.pick([160, 180, 200])
            step("hydrothermal", ["graphene oxide", "urea"], f"{t_h} °C, 12 h",
                 f"A graphene oxide dispersion (4 mg mL−1) containing urea was sealed in an autoclave and heated at {t_h} °C for 12 h.")
            step("other", [], "freeze-drying, 48 h", "The hydrogel was freeze-dried for 48 h.")
            step("annealing", [], f"{t_c} °C, {h_c} h, {gas}",
                 f"The aerogel was annealed at {t_c} °C for {h_c} h under {gas}.")
        elif route == "cvd":
            step("chemical_vapor_deposition", ["ethylene", "ferrocene"], f"{t_c} °C, 30 min",
                 f"The carbon nanotube sponge was grown by chemical vapor deposition from ethylene with ferrocene as catalyst at {t_c} °C for 30 min.")
        elif route == "mof":
            step("mof_derivation", ["Zn(NO3)2·6H2O", "2-methylimidazole"], "ZIF-8 precipitated in methanol, 24 h",
                 "ZIF-8 polyhedra were precipitated by mixing Zn(NO3)2·6H2O and 2-methylimidazole in methanol for 24 h.")
            step("carbonization", [], f"{t_c} °C, {h_c} h, {gas}",
                 f"The ZIF-8 crystals were pyrolyzed at {t_c} °C for {h_c} h under {gas}.")
        else:  # hydrothermal nanosheets
            t_h = self.pick([120, 150, 180])
            step("hydrothermal", ["glucose", "urea"], f"{t_h} °C, {self.pick([6, 8, 12])} h",
                 f"Glucose and urea were dissolved in water and treated hydrothermally at {t_h} °C.")
            step("carbonization", [], f"{t_c} °C, {h_c} h, {gas}",
                 f"The product was carbonized at {t_c} °C for {h_c} h in {gas}.")
        if self.dop[0] != "N" and self.dop[0] != "O":
            dop_src = {"S": "thiourea", "P": "phytic acid", "B": "boric acid", "NS": "thiourea", "F": "NH4F"}[self.dop[0]]
            t_d = self.pick([400, 500, 600])
            step("annealing", [dop_src], f"annealed with {dop_src} at {t_d} °C, 2 h, Ar",
                 f"Heteroatoms were introduced by annealing the carbon with {dop_src} at {t_d} °C for 2 h in Ar.")
        seed_steps_start = len(steps)
        sr, sm = self.seed_route, self.seed_mat
        if sr == "ald":
            prec = {"ZnO": ["diethylzinc", "water"], "Al2O3": ["trimethylaluminum", "water"]}[sm]
            n = self.pick([20, 30, 50, 100])
            step("atomic_layer_deposition", prec, f"{n} cycles at 150 °C",
                 f"{sm} was deposited by atomic layer deposition ({n} cycles at 150 °C) using {prec[0]} and water, at a growth rate of {fmt(r.uniform(0.1, 0.2), 2)} nm per cycle.")
        elif sr == "sputtering":
            t = self.pick([30, 60, 120, 300])
            step("sputtering", [f"{sm} target"], f"DC magnetron, {t} s",
                 f"A thin {sm} layer was sputtered onto the scaffold from a {sm} target for {t} s.")
        elif sr == "galvanic":
            step("galvanic_replacement", ["AgNO3"], "5 mM AgNO3, 60 s",
                 "Ag nanoparticles were formed by galvanic replacement in 5 mM AgNO3 for 60 s.")
        elif sr == "electrodeposition":
            salt = {"Sn": "SnCl2", "In": "InCl3"}[sm]
            step("electrodeposition", [salt], f"{sm} electrodeposited at 2 mA cm−2 for 120 s",
                 f"{sm} was electrodeposited from an aqueous {salt} bath at 2 {u['cd']} for 120 s.")
        elif sr == "hydrothermal":
            step("hydrothermal", ["SnCl4·5H2O"], "160 °C, 8 h",
                 "SnO2 nanocrystals were grown on the carbon by a hydrothermal reaction with SnCl4·5H2O at 160 °C for 8 h.")
        elif sr == "nitridation":
            prec = {"Cu3N": "Cu(NO3)2", "Mo2N": "(NH4)6Mo7O24·4H2O"}[sm]
            t_n = self.pick([500, 600, 700])
            step("mixing", [prec], "impregnation", f"The scaffold was impregnated with {prec}.")
            step("nitridation", ["NH3"], f"{t_n} °C, 2 h, NH3",
                 f"It was then nitrided in flowing NH3 at {t_n} °C for 2 h to give {sm}.")
        else:  # impregnation (+ reduction)
            prec = {"ZnO": "Zn(NO3)2·6H2O", "MgO": "Mg(NO3)2·6H2O", "Co": "Co(NO3)2·6H2O"}[sm]
            t_a = self.pick([300, 350, 400])
            step("mixing", [prec], "vacuum impregnation", f"The powder was impregnated with an ethanolic solution of {prec} under vacuum.")
            if sr == "impregnation_reduction":
                step("reduction", ["H2/Ar"], f"{t_a} °C, 2 h, H2/Ar",
                     f"The nitrate was reduced to metallic Co in H2/Ar at {t_a} °C for 2 h.")
            else:
                step("annealing", [], f"{t_a} °C, 2 h, Ar", f"Annealing at {t_a} °C for 2 h in Ar converted the nitrate into {sm}.")
        seed_steps_end = len(steps)
        if self.infused:
            t_m = self.pick([300, 320, 350])
            li_step = ("molten_infusion", ["Li"], f"{t_m} °C, Ar glovebox",
                       f"Lithium was infused by touching the scaffold to molten lithium at {t_m} °C in an argon-filled glovebox.")
        else:
            if not self.morph[4]:
                step("coating", ["PVDF", "NMP", "Cu foil"], "slurry (9:1 with PVDF) blade-coated on Cu foil",
                     "The powder was mixed with PVDF (9:1) in NMP and the slurry was blade-coated onto Cu foil.")
            q = self.pick([4, 5, 6, 8, 10])
            li_step = ("electrodeposition", ["Li"], f"{q} mAh cm−2 Li at 0.5 mA cm−2",
                       f"For symmetric and full cells, {q} {u['ac']} of lithium was electrodeposited at 0.5 {u['cd']}.")
        step(*li_step)
        self.para(sentences[:seed_steps_start])
        self.para(sentences[seed_steps_start:])
        variant_steps = steps[:seed_steps_start] + steps[seed_steps_end:]
        self.synthesis = [{"host": self.host, "steps": steps, "evidence": steps[0]["evidence"]}]
        if self.variant.startswith(self.dop[0] + self.morph[1]):  # seed-free variant
            self.synthesis.append({"host": self.variant, "steps": variant_steps, "evidence": variant_steps[0]["evidence"]})
        self.lines += ["2.2. Electrochemical measurements", ""]
        self.para([
            f"CR2032 coin cells were assembled in an argon-filled glovebox with {self.electrolyte} as the electrolyte.",
            f"All tests were carried out at {self.temperature} °C unless noted otherwise.",
            "Coulombic efficiencies were measured in Li||Cu-type cells with a lithium counter electrode.",
        ])

    def results(self) -> None:
        u, r = self.u, self.rng
        H, V, C = self.host, self.variant, self.control
        P = self.li_prefix
        self.lines += ["3. Results and Discussion", "", "3.1. Structure", ""]
        s = []
        ssa = r.randint(60, 900)
        s.append(self.pick([f"The BET surface area of {H} is {ssa} {u['ssa']}.",
                            f"Nitrogen sorption gives a specific surface area of {ssa} {u['ssa']} for {H}."]))
        self.prop(H, "specific_surface_area", ssa, "m²/g", s[-1])
        if r.random() < 0.7:
            pv = round(r.uniform(0.15, 1.8), 2)
            s.append(f"The total pore volume of {H} is {fmt(pv, 2)} {u['pv']}.")
            self.prop(H, "pore_volume", pv, "cm³/g", s[-1])
        if self.morph[3]:
            d = r.randint(150, 600)
            t = r.randint(6, 60)
            a = self.approx()
            s.append(f"The spheres have a diameter of {a}{d} nm and a shell thickness of {t} nm.")
            self.prop(H, "particle_size", d, "nm", s[-1], qualifier="approx")
            self.prop(H, "shell_thickness", t, "nm", s[-1])
        ps = round(r.uniform(2, 40), 1)
        s.append(f"The {self.seed_mat} particles have an average size of {fmt(ps)} nm.")
        self.prop(self.seed_mat, "particle_size", ps, "nm", s[-1])
        self.para(s)
        self.caption(f"(a) Schematic of the synthesis of {H}. (b, c) SEM and TEM images. (d) N2 sorption isotherms.")
        if r.random() < 0.5:
            ca_h, ca_c = r.randint(5, 40), r.randint(60, 140)
            what = "molten lithium" if self.infused else "the electrolyte"
            sent = f"The contact angle of {what} is {ca_h}{u['deg']} on {H} but {ca_c}{u['deg']} on {self.morph[0] if self.infused else 'Cu foil'}."
            self.para([sent])
            self.prop(H, "contact_angle", ca_h, "°", sent)

        # ------------------------------------------------------------ half cells
        self.lines += ["3.2. Nucleation and Coulombic efficiency", ""]
        s = []
        cd0 = self.pick([0.1, 0.5, 1.0])
        n_h = r.randint(3, 25)
        n_v = n_h + r.randint(6, 30)
        n_c = n_v + r.randint(8, 50)
        if C == "Li foil":
            s.append(self.pick([
                f"At {fmt(cd0)} {u['cd']} the nucleation overpotentials of {H} and {V} are {n_h} and {n_v} mV, respectively.",
                f"The nucleation overpotential at {fmt(cd0)} {u['cd']} is only {n_h} mV for {H}, against {n_v} mV for {V}."]))
            trio = ((H, n_h), (V, n_v))
        elif r.random() < 0.5:
            s.append(f"At {fmt(cd0)} {u['cd']} the nucleation overpotentials of {H}, {V} and {self.ctl_cell} are {n_h}, {n_v} and {n_c} mV, respectively.")
            trio = ((H, n_h), (V, n_v), (C, n_c))
        else:
            s.append(f"The nucleation overpotential at {fmt(cd0)} {u['cd']} is only {n_h} mV for {H}, against {n_v} mV for {V} and {n_c} mV for {self.ctl_cell}.")
            trio = ((H, n_h), (V, n_v), (C, n_c))
        for host, val in trio:
            self.perf(host, "nucleation_overpotential", val, "eq", "half", s[-1], cd=cd0)
        cd, ac = self.pick([(0.5, 1), (1, 1), (1, 2), (2, 2), (3, 3), (0.5, 0.5)])
        ce_h = round(r.uniform(98.0, 99.7), self.pick([1, 2]))
        cyc_h = self.pick(range(150, 901, 50))
        ce_v = round(r.uniform(95.0, ce_h - 0.3), 1)
        cyc_v = self.pick(range(80, cyc_h, 20))
        tmpl = self.pick([
            "At {cd} {ucd} and {ac} {uac}, {H} delivers an average Coulombic efficiency of {ce}% over {cyc} cycles.",
            "{H} sustains an average CE of {ce}% for {cyc} cycles at {cd} {ucd} with {ac} {uac}.",
            "Cycled at {cd} {ucd} and {ac} {uac}, the {H} electrode keeps a Coulombic efficiency of {ce}% over {cyc} cycles.",
        ])
        s.append(tmpl.format(cd=fmt(cd), ucd=u["cd"], ac=fmt(ac), uac=u["ac"], H=H, ce=fmt(ce_h, 2), cyc=cyc_h))
        self.perf(H, "coulombic_efficiency", ce_h, "eq", "half", s[-1], cd=cd, ac=ac, cycles=cyc_h)
        s.append(f"{V} reaches {fmt(ce_v)}% over {cyc_v} cycles under the same conditions.")
        self.perf(V, "coulombic_efficiency", ce_v, "eq", "half", s[-1], cd=cd, ac=ac, cycles=cyc_v)
        if C == "bare Cu foil":
            fail = self.pick(range(40, 160, 10))
            s.append(self.pick([f"Bare Cu foil fails after {fail} cycles.",
                                f"The efficiency of bare Cu foil collapses after {fail} cycles."]))
            self.perf(C, "cycle_count", fail, "eq", "half", s[-1], cd=cd, ac=ac)
        self.para(s)
        self.caption(f"(a) Nucleation overpotentials. (b) Coulombic efficiency at {fmt(cd)} {u['cd']} and {fmt(ac)} {u['ac']}.")

        # ------------------------------------------------------------ symmetric cells
        self.lines += ["3.3. Symmetric cells", ""]
        s = []
        t_h = self.pick(range(400, 3001, 100))
        eta = r.randint(8, 40)
        word, q = self.pick(GT + [("", "eq"), ("", "eq")])
        volts = r.random() < 0.2
        eta_txt = f"{fmt(eta / 1000, 3)} V" if volts else f"{eta} mV"
        a = self.approx()
        s.append(self.pick([
            f"At {fmt(cd)} {u['cd']} and {fmt(ac)} {u['ac']}, the {P}{H} symmetric cell cycles stably for {word}{t_h} h with a voltage hysteresis of {a}{eta_txt}.",
            f"The {P}{H} symmetric cell runs for {word}{t_h} h at {fmt(cd)} {u['cd']} ({fmt(ac)} {u['ac']}) with an overpotential of {a}{eta_txt}.",
        ]))
        self.perf(H, "cycling_time", t_h, q, "symmetric", s[-1], cd=cd, ac=ac)
        self.perf(H, "overpotential", eta, "approx", "symmetric", s[-1], cd=cd, ac=ac)
        t_v = self.pick(range(200, t_h, 20))
        t_c = self.pick(range(60, min(t_v, 400), 10))
        s.append(f"Under the same conditions {P}{V} lasts {t_v} h, whereas the {self.ctl_cell} cell short-circuits after {t_c} h.")
        self.perf(V, "cycling_time", t_v, "eq", "symmetric", s[-1], cd=cd, ac=ac)
        self.perf(C, "cycling_time", t_c, "eq", "symmetric", s[-1], cd=cd, ac=ac)
        if r.random() < 0.6:
            cd2 = self.pick([5, 8, 10, 20])
            n2 = self.pick(range(100, 1001, 50))
            eta2 = eta + r.randint(10, 60)
            s.append(f"Even at {cd2} {u['cd']} and {fmt(ac)} {u['ac']}, {H} cycles for more than {n2} cycles with an overpotential of {eta2} mV.")
            self.perf(H, "cycle_count", n2, "gt", "symmetric", s[-1], cd=cd2, ac=ac)
            self.perf(H, "overpotential", eta2, "eq", "symmetric", s[-1], cd=cd2, ac=ac)
        rct_h = round(r.uniform(4, 30), 1)
        rct_c = round(r.uniform(35, 150), 1)
        s.append(f"After 10 cycles the charge-transfer resistance is {fmt(rct_h)} {u['ohm']} for {P}{H} and {fmt(rct_c)} {u['ohm']} for {self.ctl_cell}.")
        self.perf(H, "charge_transfer_resistance", rct_h, "eq", "symmetric", s[-1], cycles=10)
        self.perf(C, "charge_transfer_resistance", rct_c, "eq", "symmetric", s[-1], cycles=10)
        self.para(s)
        self.caption(f"Voltage profiles of symmetric cells at {fmt(cd)} {u['cd']} and {fmt(ac)} {u['ac']}.")

        # ------------------------------------------------------------ full cells
        self.lines += ["3.4. Full cells", ""]
        s = []
        key = self.pick(list(CATHODES))
        cathode, long_name, short, (lo, hi) = CATHODES[key]
        c = self.pick([0.5, 1, 1, 2]) if key == "LFP" else self.pick([0.3, 0.5, 1])
        cap = round(r.uniform(lo, hi), 1)
        cyc = self.pick(range(200, 1001, 50))
        ret = round(r.uniform(75, 96), 1)
        decay = round((100 - ret) / cyc, 3)
        s.append(f"Paired with {long_name}, the {P}{H} full cell delivers {fmt(cap)} {u['sc']} at {fmt(c)} C and retains {fmt(ret)}% after {cyc} cycles, a decay of {decay:.3f}% per cycle.")
        self.perf(H, "specific_capacity", cap, "eq", "full", s[-1], c=c, cycles=1, cathode=cathode)
        self.perf(H, "capacity_retention", ret, "eq", "full", s[-1], c=c, cycles=cyc, cathode=cathode)
        self.perf(H, "capacity_decay_rate", decay, "eq", "full", s[-1], c=c, cycles=cyc, cathode=cathode)
        if r.random() < 0.5:
            ret_c = round(r.uniform(30, ret - 10), 1)
            cyc_c = self.pick(range(100, cyc + 1, 50))
            s.append(f"The {self.ctl_cell}||{short} cell retains only {fmt(ret_c)}% after {cyc_c} cycles.")
            self.perf(C, "capacity_retention", ret_c, "eq", "full", s[-1], c=c, cycles=cyc_c, cathode=cathode)
        else:
            f_c = self.pick(range(40, 200, 5))
            s.append(f"The {self.ctl_cell}||{short} cell decays rapidly after {f_c} cycles.")
            self.perf(C, "cycle_count", f_c, "eq", "full", s[-1], c=c, cathode=cathode)
        c_hi = self.pick([3, 5, 10] if key == "LFP" else [2, 3])
        hi_h = round(cap * r.uniform(0.6, 0.85), 1)
        hi_c = round(hi_h * r.uniform(0.4, 0.85), 1)
        s.append(self.pick([
            f"At {c_hi} C the capacities are {fmt(hi_h)} and {fmt(hi_c)} {u['sc']} for the {H} and {self.ctl_cell} cells, respectively.",
            f"At {c_hi} C the {H} cell still delivers {fmt(hi_h)} {u['sc']} vs {fmt(hi_c)} {u['sc']} for the {self.ctl_cell} cell.",
        ]))
        self.perf(H, "specific_capacity", hi_h, "eq", "full", s[-1], c=c_hi, cathode=cathode)
        self.perf(C, "specific_capacity", hi_c, "eq", "full", s[-1], c=c_hi, cathode=cathode)
        if r.random() < 0.3:
            ed = r.randint(300, 460)
            s.append(f"A single-layer pouch cell with the {P}{H} anode reaches an energy density of {ed} {u['ed']}.")
            self.perf(H, "energy_density", ed, "eq", "pouch", s[-1], cathode=cathode)
        self.para(s)
        self.caption(f"(a) Cycling of {short} full cells at {fmt(c)} C. (b) Rate capability.")

    def back(self) -> None:
        r = self.rng
        self.lines += ["4. Conclusions", ""]
        self.para([f"{self.seed_mat} sites inside {self.core_phrase} make a lithiophilic, conductive host.",
                   "Lithium nucleates on the seeds, fills the scaffold and leaves a stable interphase, which gives high efficiency and long life in half, symmetric and full cells."])
        self.lines += ["Acknowledgements", "", "This synthetic document was generated for testing; no real funding is implied.", "",
                       "References", ""]
        for k in range(1, r.randint(4, 9)):
            self.lines.append(f"[{k}] {self.pick(GIVEN)} {self.pick(FAMILY)}, Imaginary Journal of Batteries {r.randint(2010, 2023)}, {r.randint(1, 60)}, {r.randint(1, 9999)}.")
        self.lines.append("")

    def abstract(self) -> list[str]:
        return ["Abstract",
                f"We report {self.core_phrase} decorated with {self.seed_mat} ({self.host}) as a host for lithium metal. "
                f"The seeds lower the nucleation barrier and confine plating inside the scaffold, giving higher efficiency and longer cycling than {self.variant} and {self.control}.",
                ""]


def make_document(seed: int, index: int) -> tuple[str, dict]:
    """Return (text, facts) for document ``index``; depends only on (seed, index)."""
    rng = random.Random(f"{seed}-{index}")
    name = f"syn_{index:05d}.txt"
    b = DocBuilder(rng, name, seed, index)
    b.design()
    b.front(seed)
    head = b.lines
    b.lines = []
    b.intro()
    b.experimental()
    b.results()
    b.back()
    text = "\n".join(head + b.abstract() + b.lines)
    facts = {"doc": name,
             "paper": {"title": b.title, "doi": b.doi, "year": 2024, "journal": b.journal},
             "hosts": b.hosts, "synthesis": b.synthesis, "performance": b.performance,
             "properties": b.properties,
             "synthetic": {"format": "txt", "wrapped": False, "unit_style": b.style}}
    return text, facts


def hard_wrap(text: str, width: int) -> str:
    out = []
    for k, line in enumerate(text.split("\n")):  # the title/author/journal/date/DOI block stays as is
        long = len(line) > width and k >= 5
        out.append(textwrap.fill(line, width, break_long_words=False, break_on_hyphens=False) if long else line)
    return "\n".join(out)


def generate(n: int, seed: int, out: Path, pdf_fraction: float = 0.0, progress: bool = False) -> dict:
    out.mkdir(parents=True, exist_ok=True)
    render_pdf = None
    if pdf_fraction > 0:
        sys.path.insert(0, str(SCRIPTS))
        from make_demo_pdf import render_pdf  # noqa: PLC0415
    counts = {"documents": 0, "txt": 0, "pdf": 0, "wrapped": 0, "hosts": 0, "performance": 0, "properties": 0,
              "synthesis_steps": 0}
    t0 = time.perf_counter()
    with open(out / "facts.jsonl", "w", encoding="utf-8") as facts_out:
        for i in range(n):
            text, facts = make_document(seed, i)
            choice = random.Random(f"{seed}-{i}-layout")
            if render_pdf is not None and choice.random() < pdf_fraction:
                name = f"syn_{i:05d}.pdf"
                render_pdf(text, out / name)
                facts["doc"], facts["synthetic"]["format"] = name, "pdf"
                counts["pdf"] += 1
            else:
                if choice.random() < 0.2:
                    text = hard_wrap(text, choice.randint(64, 80))
                    facts["synthetic"]["wrapped"] = True
                    counts["wrapped"] += 1
                (out / facts["doc"]).write_text(text + "\n", encoding="utf-8")
                counts["txt"] += 1
            facts_out.write(json.dumps(facts, ensure_ascii=False) + "\n")
            counts["documents"] += 1
            counts["hosts"] += len(facts["hosts"])
            counts["performance"] += len(facts["performance"])
            counts["properties"] += len(facts["properties"])
            counts["synthesis_steps"] += sum(len(s["steps"]) for s in facts["synthesis"])
            if progress and (i + 1) % 1000 == 0:
                print(f"{i + 1} documents, {time.perf_counter() - t0:.1f} s", file=sys.stderr)
    manifest = {"generator": "scripts/make_synthetic_corpus.py", "seed": seed, "n": n, "pdf_fraction": pdf_fraction,
                "counts": counts}
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return manifest


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Seeded synthetic corpus of lithium-metal-anode papers.")
    ap.add_argument("--n", type=int, required=True, help="number of documents")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out", type=Path, required=True, help="output directory")
    ap.add_argument("--pdf-fraction", type=float, default=0.0, help="share of documents written as PDF (e.g. 0.05)")
    ap.add_argument("--progress", action="store_true")
    args = ap.parse_args(argv)
    if args.n < 0 or not 0 <= args.pdf_fraction <= 1:
        ap.error("--n must be >= 0 and --pdf-fraction in [0, 1]")
    t0 = time.perf_counter()
    manifest = generate(args.n, args.seed, args.out, args.pdf_fraction, args.progress)
    print(json.dumps({**manifest["counts"], "seconds": round(time.perf_counter() - t0, 2)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Materials and host designs: pure rules over normalized sentence text.

What a paper calls its design is found from how it is used, not from a list of
known names: abbreviation definitions (``N-doped hollow carbon nanospheres
(NHCNSs)``), material-like tokens (formulas, ``@``/``/`` composites, defined
abbreviations) in host contexts (``Li@X``, ``X electrode``, ``cells with X``,
``X||LFP``), and control phrases (``bare Cu foil``, ``planar Cu``, ``without
additives``). Which candidate is *the* host is decided later from the figures
each one is credited with (see relate.py).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

from .vocab import vocabulary

# ------------------------------------------------------------------ keys

_SUBSCRIPTS = str.maketrans("₀₁₂₃₄₅₆₇₈₉⁰¹²³⁴⁵⁶⁷⁸⁹₊₋⁺⁻", "01234567890123456789+-+-")
_LATEX = re.compile(r"\\text\{|\\mathrm\{|[${}_\\]")
_LI_PREFIX = re.compile(r"^li\s*(?:@|/|-|–|−|\|)\s*")
_LI_SUFFIX = re.compile(r"\s*(?:/|-|–|−)\s*li$")


# elements a lithium alloy is named by ("Li-B", "Li–Mg", "Li-Sn"); not the metals of current collectors
_ALLOY_PARTNERS = frozenset("B Mg Si Sn In Al Ga Ge Bi Ca Sr Ag Au Zn Na Sb Pb".split())


@lru_cache(maxsize=16384)
def key(name: str) -> str:
    """Matching key of a material or host name: NFKC, plain digits, no markup or
    spaces, case folded, a ``Li@``/``Li-``/``Li/`` prefix or ``/Li`` suffix dropped."""
    s = unicodedata.normalize("NFKC", name.translate(_SUBSCRIPTS))
    s = _LATEX.sub("", s).casefold().strip()
    rest = _LI_PREFIX.sub("", s)
    # "Li-B", "Li–Mg": an alloy named by its partner element keeps its Li (a lone element is no host)
    if len(s) > 3 and not (re.match(r"li\s?[-–−]", s) and rest.capitalize() in _ALLOY_PARTNERS):
        s = rest
    s = _LI_SUFFIX.sub("", s) if len(s) > 3 else s
    return re.sub(r"\s+", "", s)


# ------------------------------------------------------------------ vocabulary of non-hosts

# Things that look like materials but are never an anode host design.
# Cathodes: layered and spinel oxides and phosphates by formula (any order of the
# transition metals: LiNi0.8Mn0.1Co0.1O2), short names, and a sulfur cathode named as
# such ("Li–S cell", "||S", "sulfur cathode"); the names a paper may use come from
# schema/vocab.toml [cathodes].
_CATHODE_FORMULA = (r"Li(?:Ni|Co|Mn|Al|Fe)[\d./]*(?:(?:Ni|Co|Mn|Al|Fe|Mg|Ti|Zr)[\d./]*){0,3}(?:O2|O4|PO4)|"
                    r"LiFe(?:Mn)?[\d.]*PO4|LiMn[\d.]*Fe[\d.]*PO4|Li[\d.]+Ni[\d.]*(?:Co|Mn)[\d.]*(?:Mn|Co)?[\d.]*O2")
_CATHODE_RE = re.compile(
    r"(?<![\w.])(" + _CATHODE_FORMULA + r"|LFP|LCO|LMO|LNMO|LMFP|LMR|NCA|"
    r"N[CM][CM]\s?-?\s?(?:9055|955|811|622|532|523|111|90)|NCM|NMC)(?![\w])"
)
_SULFUR_CATHODE = re.compile(
    r"(?<![\w.])(?:Li\s?[–-]\s?S(?=\s+(?:cells?|batter|full|pouch|coin|system))|(?<=\|\|)\s?S\b|(?<=‖)\s?S\b|"
    r"(?<=//)S\b|\b(?:sulfur|sulphur|S/C|S@\w+|S)\s+cathodes?\b|\bcathode of (?:sulfur|sulphur)\b)", re.I)

ELECTROLYTE_WORDS = {
    "lipf6", "litfsi", "lifsi", "libob", "lidfob", "lino3", "liclo4", "ec", "dec", "dmc", "emc",
    "fec", "dol", "dme", "tegdme", "diglyme", "sei", "cei", "electrolyte", "lipo2f2",
}

# Technique and generic abbreviations that must not become hosts.
NOT_MATERIALS = {
    "ce", "ces", "sei", "cei", "sem", "tem", "hrtem", "xrd", "xps", "eis", "dft", "bet", "eds", "edx",
    "edS", "cv", "gitt", "ccd", "afm", "ftir", "nmr", "tga", "saed", "stem", "haadf", "fig", "figs",
    "lib", "libs", "lmb", "lmbs", "lmba", "assb", "assbs", "se", "ses", "ocv", "soc", "dod", "pvdf",
    "nmp", "cmc", "sbr", "ppm", "rt", "uv", "ir", "ev", "li", "li+", "dfts", "md", "aimd", "cnt",
    "rct", "rsei", "ea", "vs", "ref", "refs", "eq", "ii", "iii", "iv", "vi", "a", "i",
    "ni", "pt", "ar", "id", "ig", "hf", "pcm", "cc", "cccv", "sus", "supplementary", "table", "figure",
    "0d", "1d", "2d", "3d",
}

ELEMENTS = set(
    "H He Li Be B C N O F Ne Na Mg Al Si P S Cl Ar K Ca Sc Ti V Cr Mn Fe Co Ni Cu Zn Ga Ge As Se Br Kr "
    "Rb Sr Y Zr Nb Mo Tc Ru Rh Pd Ag Cd In Sn Sb Te I Xe Cs Ba La Ce Pr Nd Sm Eu Gd Tb Dy Ho Er Tm Yb "
    "Lu Hf Ta W Re Os Ir Pt Au Hg Tl Pb Bi".split()
)

# Element symbols that are also English words when capitalized ("In symmetric cells").
AMBIGUOUS_ELEMENTS = {"In", "As", "At", "Be", "He", "No", "Am", "I", "Es", "Ho", "Os"}
# Morphology abbreviations that may follow a material name: "Cu NPs", "ZnO NWs".
MORPHOLOGY_SUFFIXES = {"NPs", "NP", "NWs", "NW", "NSs", "NS", "NTs", "NRs", "NFs", "NCs", "QDs", "NSAs"}
_SPACED_COMPOSITE = re.compile(
    r"(?<![\w@/.\-])([A-Z][\w\-–]*)\s(" + "|".join(sorted(MORPHOLOGY_SUFFIXES, key=len, reverse=True))
    + r"|NWAs?|NAs?)([@/][A-Za-z0-9][\w@/\-–]*[\w])")
_CATHODE_START = r"(?:LFP|LiFePO4|NCM|NMC|LCO|LiCoO2|LMO|LNMO|LMFP|LMR|NCA|LiMn|LiNi|LiCo|S\b)"
_PAIRING_TAIL = re.compile(r"(?://|‖|\|\||\||/|-|–)" + _CATHODE_START + r"\S*$")

_FORMULA_TOKEN = re.compile(r"^(?:[A-Z][a-z]?(?:\d+(?:\.\d+)?|x|y|δ)?)+$")

# Words that may stand in front of a material name in a control phrase.
CONTROL_MODIFIERS = ("bare", "planar", "pristine", "blank", "pure", "commercial", "conventional",
                     "unmodified", "untreated", "plain", "routine", "normal", "flat")
HOST_HEADS = ("electrodes?", "hosts?", "anodes?", "substrates?", "membranes?", "layers?",
              "frameworks?", "scaffolds?", "skeletons?", "current collectors?", "foils?",
              "composites?", "films?", "bilayers?", "interlayers?", "coatings?", "separators?",
              "full[- ]cells?", "half[- ]cells?", "symmetric(?:al)? cells?", "pouch cells?", "coin cells?", "cells?",
              "batter(?:y|ies)",
              "counterparts?", "samples?", "based anodes?", "meshe?s?", "foams?", "cloths?", "papers?",
              "fib(?:er|re)s?", "sponges?")
_HEAD = r"(?:" + "|".join(HOST_HEADS) + r")\b"
_HEAD_AFTER_SPACE = re.compile(r"\s+" + _HEAD)


def is_formula(token: str) -> bool:
    """``Li5.4Ag0.6PS5Cl``, ``Mo2N``, ``AgCuF3``, ``Cu``: element symbols with optional counts."""
    if not token or not _FORMULA_TOKEN.match(token):
        return False
    symbols = re.findall(r"[A-Z][a-z]?", token)
    return all(s in ELEMENTS for s in symbols)


# a unit with its exponent, never a material: "Ah-1", "cm-2", "kg-1", "mAh", "Wh"
_UNIT_TOKEN = re.compile(r"(?:[mkµμ]?(?:Ah|Wh|A|V|W|g|L|S|Ω)|cm|mol|h|s|K)(?:[-−⁻]?[0-9¹²³]+)?")


@lru_cache(maxsize=16384)
def is_material_token(token: str, abbreviations: frozenset[str] = frozenset()) -> bool:
    """A token that can name a material: a formula, a defined abbreviation, a composite
    with ``@``/``/``, or a mixed-case token with digits (``3S-Cu``, ``Ti3C2Tx``); a short
    label glued to its end (``Cu–Ag(5)``) belongs to the name."""
    if _INNER_LABEL.search(token) and not token.startswith("("):
        return is_material_token(_INNER_LABEL.sub("", token), abbreviations)
    glued = _GLUED_LABEL.fullmatch(token.rstrip(",;:."))
    if glued and not token.startswith("("):
        return is_material_token(glued.group(1), abbreviations)
    t = token.strip("()[],;:.")
    if t in AMBIGUOUS_ELEMENTS or t in MORPHOLOGY_SUFFIXES or _UNIT_TOKEN.fullmatch(t):
        return False
    if len(t) < 2 or t.casefold() in NOT_MATERIALS and t not in abbreviations:
        return False
    if t in abbreviations:
        return True
    if "@" in t:
        return all(is_material_token(p, abbreviations) or p[:1].isupper() for p in t.split("@") if p)
    if "/" in t and not t.startswith("/") and not t.endswith("/"):
        parts = [p for p in t.split("/") if p]
        # "VN/G", "Si/C": one part may be a single element letter beside a material (not "N/P", "E/C")
        named = [is_material_token(p, abbreviations) for p in parts]
        return len(parts) > 1 and any(named) and all(
            ok or (len(p) == 1 and p in ELEMENTS | {"G"}) for ok, p in zip(named, parts))
    if is_formula(t):
        return len(t) > 1 and not (t.isalpha() and t.istitle() and t not in ELEMENTS)
    core = t.replace("-", "").replace("–", "")
    if re.search(r"[A-Z]", core) and re.search(r"\d", core) and re.fullmatch(r"[\w.\-–]+", t):
        return True
    # Abbreviation-like: two or more capitals (HoMS, NHCNSs, MXene), not an English word
    return bool(re.fullmatch(r"[A-Za-z]*[A-Z][A-Za-z]*[A-Z][A-Za-z]*s?", core)) and len(core) <= 12


# ------------------------------------------------------------------ abbreviations


@dataclass(frozen=True)
class Abbreviation:
    short: str
    long: str
    start: int  # of the long form in the sentence text
    named: bool = False  # given with naming words ("denoted X"), not only in parentheses


# "(CC)", and "(CC, 330 μm thick)": a short form may lead a parenthesis of details
_PAREN = re.compile(r"\(([^()\s,;]{2,14}(?: [^()\s,;]{1,6})?)(?:[,;]\s[^()]{1,80})?\)")
_NAME_TOKEN = r"[A-Za-z0-9][\w.@/\-–+]*[\w+](?:\([\w.]{1,4}\))?"


def _best_long_form(short: str, before: str) -> str | None:
    """Schwartz & Hearst (2003): walk the short form backwards through the words before
    the parenthesis; every short-form character must be found, the first one at the
    start of a word."""
    s_chars = [c.lower() for c in short if c.isalnum()]
    if not s_chars or not short[0].isalnum():
        return None
    words = before.rstrip().split(" ")
    max_words = min(len(s_chars) + 5, len(s_chars) * 2)
    candidate = " ".join(words[-max_words:])
    text = candidate.lower()
    s_i, l_i = len(s_chars) - 1, len(text) - 1
    while s_i >= 0:
        c = s_chars[s_i]
        while l_i >= 0 and (text[l_i] != c or (s_i == 0 and l_i > 0 and text[l_i - 1].isalnum())):
            l_i -= 1
        if l_i < 0:
            return None
        s_i -= 1
        l_i -= 1
    start = text.rfind(" ", 0, l_i + 1) + 1
    long_form = candidate[start:].strip(" ,;:")
    if not long_form or len(long_form) <= len(short) or long_form.lower().startswith(short.lower()):
        return None
    return long_form


# "(denoted as X)", "hereafter named X", "labelled X", "abbreviated as X", "referred to as X":
# the paper gives its design a name; lists ("labelled A, B and C") name several.
_NAMING = re.compile(
    r"\b(?:(?:hereafter|hereinafter|henceforth)\s+(?:(?:denoted|named|called|termed|labell?ed|referred to|abbreviated|designated)\s+)?|"
    r"(?:denoted|named|termed|labell?ed|abbreviated|designated|referred to|marked|noted)\s+)(?:as\s+)?[\"“'‘]?"
    r"(" + _NAME_TOKEN + r"(?:\s*(?:,|,?\s*and|,?\s*or)\s*[\"“'‘]?" + _NAME_TOKEN + r")*)"
)
# the long form a name is given to: the noun phrase before the naming words
_NAMED_PHRASE = re.compile(r"([A-Za-z0-9][^,;:()]{3,80}?)\s*[,(]?\s*$")


def find_definitions(text: str) -> list[Abbreviation]:
    """Names a sentence gives with naming words (``denoted as X``, ``hereafter named X``,
    ``labelled A, B and C``), each with the phrase before it as its long form."""
    out = []
    for m in _NAMING.finditer(text):
        before = text[: m.start()]
        long_m = _NAMED_PHRASE.search(before)
        long_form = long_m.group(1).strip() if long_m else ""
        # "three hosts were prepared and labelled X": the subject is what is named
        long_form = re.split(r"\s+(?:is|are|was|were|be|been|being)\b", long_form)[0].strip()
        for name in re.finditer(_NAME_TOKEN, m.group(1)):
            short = name.group(0).rstrip(".,;:")
            if is_material_token(short, frozenset({short})) and re.search(r"[A-Z]", short):
                out.append(Abbreviation(short, long_form or short, max(0, m.start() - len(long_form)), named=True))
    return out


def find_abbreviations(text: str) -> list[Abbreviation]:
    """``long form (SHORT)`` definitions in one sentence, and names given with naming words."""
    out = find_definitions(text)
    for m in _PAREN.finditer(text):
        short = m.group(1)
        if not re.search(r"[A-Z]", short) or re.fullmatch(r"[\d.,%\s]+|[A-Z]|Fig\w*|Figure \w+|Table \w+", short):
            continue
        if short.count(" ") and not re.search(r"[A-Z].*[A-Z]", short):
            continue
        long_form = _best_long_form(short, text[: m.start()])
        if long_form is None and " " not in short and is_material_token(short) and (
                is_composite_name(short) or is_formula(short.split("-")[0])):
            # "tin-coated copper foam (Sn/CuF)": a formula-spelled name of the phrase before it
            words = text[: m.start()].rstrip().split(" ")[-6:]
            phrase = " ".join(words).strip(" ,;:")
            if _DESIGN_WORDS.search(words[-1] if words else ""):
                long_form = phrase
        if long_form and not any(a.short == short for a in out):
            out.append(Abbreviation(short, long_form, m.start() - len(long_form) - 1))
    return out


# Words that make a long form the description of a made thing (a design), not of a
# method, a quantity or a phenomenon: "hollow porous carbon spheres (NS-HPCS)".
_DESIGN_WORDS = re.compile(
    r"\b(?:carbons?|graphenes?|foams?|spheres?|nanospheres?|films?|nanotubes?|tubes?|fib(?:er|re)s?|skeletons?|hosts?|"
    r"anodes?|electrodes?|frameworks?|scaffolds?|separators?|interlayers?|layers?|coatings?|cloths?|papers?|meshe?s?|"
    r"foils?|particles?|nanoparticles?|wires?|nanowires?|sheets?|nanosheets?|composites?|alloys?|arrays?|polyhedra|"
    r"aerogels?|membranes?|collectors?|substrates?|shells?|cages?|matrix|matrices|networks?|architectures?|"
    r"structures?|nanofibers?|rods?|nanorods?|platelets?|flakes?|oxides?|nitrides?|sulfides?|phosphides?|carbides?)\b",
    re.I)


def is_design_definition(abbreviation: Abbreviation) -> bool:
    """Whether a definition names a made material or electrode (a possible host design)."""
    composite = is_composite_name(abbreviation.short) and abbreviation.long != abbreviation.short
    # a name given with naming words ("denoted CuNW-3D") is a made thing's name
    named = abbreviation.named and len(abbreviation.short) >= 3
    return (composite or named or bool(_DESIGN_WORDS.search(abbreviation.long))) and abbreviation.short.casefold() not in NOT_MATERIALS


# ------------------------------------------------------------------ mentions in context

# a name token: inner punctuation (Co4N/Ni3N@NCS, Co3O4–NC@CF, Cu–Ag(5)) and a short
# parenthesised count or label glued to its end
_TOKEN = r"[A-Za-z0-9](?:[\w.@/\-–+]|\([\w.]{1,4}\)(?=[@/\-–]))*[\w+](?:\([\w.]{1,4}\))?|[A-Z]"
_TOKEN_RE = re.compile(_TOKEN)
_ROLE_SUFFIX = re.compile(r"[-–](?:based|modified|coated|decorated|derived|supported|loaded|free|like)$")
_PREPOSITION = re.compile(r"\b(?:with|using|employing|on|of|for|by|from|to|in)\s+(?:the\s+)?(?=[A-Z0-9])")
_LIST_JOIN = re.compile(r"(?:,\s*(?:and\s+|or\s+)?|\s+and\s+|\s+or\s+)(?:the\s+)?")
_GLUED_LABEL = re.compile(r"(.*[\w+])\(([\w.]{1,4})\)")
_INNER_LABEL = re.compile(r"\([\w.]{1,4}\)(?=[@/\-–])")  # "ZnO(15)@P-Cu": a label inside a name
_LI_ANCHOR = re.compile(r"(?<![\w.])Li\s?(?:@|/|-|–|−|\||‖)\s?(?=[A-Z0-9])")
_WITH_ADDITIVE = re.compile(
    r"\b(?:cells?|electrolytes?|Li|electrodes?|anodes?|batter(?:y|ies))\s+(?:with|containing|using)\s+"
    r"(?:\d+(?:\.\d+)?\s?(?:wt|vol|mol)\s?%\s+(?:of\s+)?)?(?:the\s+|an?\s+)?"
    r"([a-z][a-z\-]{3,}(?:ene|ane|ine|ide|ate|ite|ol|one|acid|amide|ether|oxide|salt|fluoride|nitrate))\b"
)
_WITHOUT = re.compile(r"\b(?:without|w/o|free of|no)\s+(?:any\s+)?(additives?|coating|modification|treatment|host|interlayer|membrane)\b", re.I)
_CONTROL = re.compile(
    r"\b(" + "|".join(CONTROL_MODIFIERS) + r")\s+((?:Li|Cu|Ni|Al|Zn|Ti|stainless steel|SS|carbon paper|graphite|"
    r"copper|nickel|lithium|alumini?um|zinc|titanium)"
    r"(?:\s+(?:foils?|meshes|mesh|foams?|metal|paper|sheets?|plates?|substrates?|current collectors?))?)\b",
    re.I,
)
# "pristine PP separator", "bare CC", "commercial Celgard": a modifier in front of any
# material-like name makes it the control (metal substrates are covered above)
_CONTROL_ANY = re.compile(
    r"\b((?i:" + "|".join(CONTROL_MODIFIERS) + r"))\s+([A-Z][\w\-–]*(?:\s+(?:separators?|cloths?|papers?|foams?|films?|"
    r"membranes?|electrodes?|anodes?|substrates?|hosts?|current collectors?))?)\b"
)
# modifiers that make a bare name a control ("bare CC"); "commercial CeO2" is a reagent
_SUBSTRATE_MODIFIERS = {"bare", "pristine", "planar", "blank", "unmodified", "untreated", "plain"}
# Suspended hyphens: "Nb2O5- and NbO2-coated separators", "Ag-, Au- and Zn-decorated Cu"
_SUSPENDED = re.compile(
    r"((?:[A-Za-z0-9][\w.@/]*-(?:\s*,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+))+)"
    r"([A-Za-z0-9][\w.@/]*)-(?:coated|modified|based|decorated|doped|loaded|containing|derived|grafted|covered)\b"
)
# a name as the subject of a result: "Bi–NCS@CC-600 and Bi–NCS@CC-800 deliver ...", "Cu–In(16) keeps"
_SUBJECT_VERB = re.compile(
    r"\s+(?:(?:also|still|only|further|then|even|stably|consistently|clearly|again)\s+)?"
    r"(?:deliver|show|exhibit|keep|retain|sustain|achiev|reach|display|maintain|run|ran\b|surviv|provid|enabl|"
    r"giv|gave|requir|need|fail|decay|last|perform|reduc|lower|cycl|lose|lost|undergo|underwent|suffer|remain|"
    r"stay|present|possess|demonstrat|attain|yield|offer)\w*\b")
_CONTROL_SAMPLE = re.compile(r"\b(?:control|reference|baseline)\s+(?:electrodes?|cells?|samples?|anodes?)\b", re.I)
_PLAIN_FOIL = re.compile(
    r"(?<![\w@/\-–])((?:Cu|Li|Ni|Al|Zn|Ti|SS|stainless steel|[Cc]opper|[Nn]ickel|[Ll]ithium|[Aa]lumini?um|[Zz]inc|[Tt]itanium)"
    r"\s+(?:foils?|meshes|mesh|foams?))\b")
_PAIR_CATHODE = re.compile(r"\s*(?:\|\||‖|//|/|\|)\s*(?=" + _CATHODE_START + ")")


@dataclass(frozen=True)
class Candidate:
    text: str  # as written, Li@/Li- anchors removed
    start: int
    end: int
    kind_hint: str  # host, control, additive, control_additive
    context: str  # which rule found it


def _cut_token(tok: str) -> str:
    """``Ag@Cu//LFP`` → ``Ag@Cu``; ``HoMS-NCM811`` → ``HoMS``; ``NHCNSs-based`` → ``NHCNSs``."""
    m = _PAIRING_TAIL.search(tok)
    if m and m.start() > 0:
        tok = tok[: m.start()]
    tok = _ROLE_SUFFIX.sub("", tok)
    return tok.rstrip(".,;:/-–")


def material_phrase_at(text: str, start: int, abbreviations: frozenset[str]) -> tuple[int, int] | None:
    """The material phrase beginning at ``start``: one to three material tokens, so that
    ``3S-Cu HoMS``, ``Cu NPs`` and ``WN/Mo2N@HCN`` come out whole."""
    pos, end, n = start, None, 0
    while n < 3:
        m = _TOKEN_RE.match(text, pos)
        if not m:
            break
        full = m.group(0).rstrip(".,;:")
        tok = _cut_token(full)
        tok_end = m.start() + len(tok)
        if not (is_material_token(tok, abbreviations) or (end is not None and tok in MORPHOLOGY_SUFFIXES)):
            break
        end, n = tok_end, n + 1
        if tok != full:
            break
        if tok_end < len(text) and text[tok_end] == " ":
            pos = tok_end + 1
        else:
            break
    return (start, end) if end else None


def _phrase_before(text: str, end: int, abbreviations: frozenset[str]) -> tuple[int, int] | None:
    """The material phrase ending right before ``end`` (white space skipped), at most three tokens."""
    j = end
    while j > 0 and text[j - 1] == " ":
        j -= 1
    tokens = list(_TOKEN_RE.finditer(text[max(0, j - 80):j]))
    if not tokens:
        return None
    base = max(0, j - 80)
    best = None
    for m in reversed(tokens[-3:]):
        tok = m.group(0)
        if base + m.end() != j and best is None:
            return None
        cut = _cut_token(tok)
        if best is None and cut != tok:
            j = base + m.start() + len(cut)
            tok = cut
        if not (is_material_token(tok, abbreviations) or (best is None and tok in MORPHOLOGY_SUFFIXES)):
            break
        if best is not None and text[base + m.end():best[0]].strip():
            break
        best = (base + m.start(), j)
    if best and text[best[0]:best[1]] in MORPHOLOGY_SUFFIXES:
        return None
    return best


# "Mg10" in "Li-Mg10": the share of the alloying element, part of the alloy's name
_ALLOY_LABEL = re.compile(r"(?:" + "|".join(sorted(_ALLOY_PARTNERS, key=len, reverse=True)) + r")\d+(?:\.\d+)?")


def is_li_alloy_name(name: str) -> bool:
    """``Li-Mg10``, ``Li–Sn5``: a lithium alloy named with its Li and the share of its partner."""
    return bool(re.fullmatch(r"Li\s?[-–−]\s?" + _ALLOY_LABEL.pattern, name))


def find_candidates(text: str, abbreviations: frozenset[str]) -> list[Candidate]:
    """Host and control candidates in one sentence, each with the rule that found it."""
    out: list[Candidate] = []
    for m in _LI_ANCHOR.finditer(text):
        span = material_phrase_at(text, m.end(), abbreviations)
        alloy_label = span and _ALLOY_LABEL.fullmatch(text[span[0]:span[1]])
        if span and (alloy_label or re.match(
                r"\s+alloys?\b(?!\s+(?:layers?|phases?|interphases?|films?|coatings?|forms?|formation|nuclei|seeds?))",
                text[span[1]:])) and text[m.start():m.end()].strip()[-1:] in "-–−":
            # "Li–Mg alloy", "Li-Mg10" (10% Mg): the alloy is named with its Li, not a lithiated Mg host
            out.append(Candidate(text[m.start():span[1]], m.start(), span[1], "host", "alloy"))
        elif span:
            out.append(Candidate(text[span[0]:span[1]], span[0], span[1], "host", "li_anchor"))
    for m in _HEAD_AFTER_SPACE.finditer(text):
        span = _phrase_before(text, m.start(), abbreviations)
        if span:
            out.append(Candidate(text[span[0]:span[1]], span[0], span[1], "host", "head"))
    for m in _PAIR_CATHODE.finditer(text):
        span = _phrase_before(text, m.start(), abbreviations)
        if span:
            out.append(Candidate(text[span[0]:span[1]], span[0], span[1], "host", "pair"))
    for m in _PREPOSITION.finditer(text):
        span = material_phrase_at(text, m.end(), abbreviations)
        if span and (text[span[0]:span[1]] in abbreviations or is_composite_name(text[span[0]:span[1]])):
            out.append(Candidate(text[span[0]:span[1]], span[0], span[1], "host", "with"))
    for m in (_TOKEN_RE.finditer(text) if ("@" in text or "/" in text) else ()):
        # a composite written anywhere ("Ag-NW/CM", "ZnO@NC") is a made thing, not a word
        if "@" not in m.group(0) and "/" not in m.group(0):
            continue
        name = _cut_token(m.group(0))
        if is_composite_name(name) and is_material_token(name, abbreviations) and not any(
                c.start <= m.start() < c.end for c in out):
            out.append(Candidate(name, m.start(), m.start() + len(name), "host", "composite"))
    for m in _SPACED_COMPOSITE.finditer(text):
        # "Cu3P NW/CF", "ZnO NRs@CC": a formula, its morphology and what it stands on is one name
        if is_material_token(m.group(1), abbreviations) and is_material_token(m.group(3).lstrip("@/"), abbreviations):
            out = [c for c in out if not (m.start() <= c.start < m.end())]
            out.append(Candidate(m.group(0), m.start(), m.end(), "host", "composite"))
    for m in _SUBJECT_VERB.finditer(text):
        span = _phrase_before(text, m.start(), abbreviations)
        if span and is_design_name(text[span[0]:span[1]], abbreviations):
            out.append(Candidate(text[span[0]:span[1]], span[0], span[1], "host", "subject"))
            for part in _coordinated_before(text, span[0], abbreviations):
                out.append(Candidate(text[part[0]:part[1]], part[0], part[1], "host", "subject"))
    for c in [c for c in out if c.kind_hint == "host"]:
        # a list that goes on from a found name, or leads to it: "The CEs of Sn@CF, Ag@CF and
        # bare Cu are ...", "the rGO–PP and CeO2–PP separators"
        for part in _coordinated_after(text, c.end, abbreviations) + _coordinated_before(text, c.start, abbreviations):
            out.append(Candidate(text[part[0]:part[1]], part[0], part[1], "host", "list"))
    for m in _WITH_ADDITIVE.finditer(text):
        if m.group(1).casefold() in CONTROL_MODIFIERS:
            continue  # "cells with the pristine separator": a modifier, not an additive
        out.append(Candidate(m.group(1), m.start(1), m.end(1), "additive", "with_additive"))
    for m in _WITHOUT.finditer(text):
        out.append(Candidate(m.group(0), m.start(), m.end(), "control", "without"))
    for m in _CONTROL.finditer(text):
        out.append(Candidate(m.group(0), m.start(), m.end(), "control", "control_modifier"))
    for m in _CONTROL_ANY.finditer(text):
        name = m.group(2).split()[0]
        has_head = len(m.group(2).split()) > 1
        if (has_head or m.group(1).casefold() in _SUBSTRATE_MODIFIERS) and is_material_token(name, abbreviations) and not any(
                c.start <= m.start() < c.end for c in out if c.kind_hint == "control"):
            out.append(Candidate(m.group(0), m.start(), m.end(), "control", "control_modifier"))
    for m in _SUSPENDED.finditer(text):
        pos = m.start(1)
        for part in re.finditer(r"([A-Za-z0-9][\w.@/]*)-", m.group(1)):
            if is_material_token(part.group(1), abbreviations):
                out.append(Candidate(part.group(1), pos + part.start(1), pos + part.end(1), "host", "suspended"))
    for m in _CONTROL_SAMPLE.finditer(text):
        out.append(Candidate(m.group(0), m.start(), m.end(), "control", "control_sample"))
    for m in _PLAIN_FOIL.finditer(text):
        out.append(Candidate(m.group(1), m.start(1), m.end(1), "control", "plain_foil"))
    alloys = [c for c in out if c.context == "alloy"]
    if alloys:  # "Li-Mg10" is the name; the "Mg10" other rules see inside it is not
        out = [c for c in out if c.context == "alloy" or not any(
            a.start <= c.start and c.end <= a.end and (a.start, a.end) != (c.start, c.end) for a in alloys)]
    return [_strip_li(c) for c in out if not is_cathode(c.text) and key(c.text) not in ELECTROLYTE_WORDS]


def is_design_name(name: str, abbreviations: frozenset[str] = frozenset()) -> bool:
    """A name that can only be a made thing's name: a composite (``@``, ``/``), a name with
    digits and capitals (``Bi–NCS@CC-600``, ``Cu–In(8)``) or a defined abbreviation; not a
    lone element, a technique or a chemical name of one word."""
    t = name.strip()
    if t in ELEMENTS or not is_material_token(t.split()[-1], abbreviations):
        return False
    hyphenated = re.fullmatch(r"([A-Za-z0-9]+)[-–]([A-Za-z0-9]+)", t)
    return bool(re.search(r"[@/]", t) or (re.search(r"\d", t) and re.search(r"[A-Z].*[A-Z-]", t))
                or t in abbreviations or (hyphenated and all(is_material_token(p, abbreviations) or p in ELEMENTS
                                                         for p in hyphenated.groups())
                                          and any(re.search(r"[A-Z].*[A-Z]|\d", p) for p in hyphenated.groups())))


def is_composite_name(name: str) -> bool:
    """``X@Y`` or ``X/Y`` made of material names: a composite design, unless it is an
    electrolyte or solvent mix (``EC/DEC``, ``LiTFSI/DOL``), a ratio (``N/P``) or the
    ``Li/Li+`` reference."""
    t = name.strip()
    if "@" not in t and "/" not in t:
        return False
    parts = [p for p in re.split(r"[@/]", t) if p]
    if len(parts) < 2 or all(key(p) in ELECTROLYTE_WORDS for p in parts):
        return False
    if re.search(r"\bN/P\b", t) or re.fullmatch(r"Li\+?/Li\+?|Li/Li\s?\+|C/\d+|\d+C/\d+", t) or any(
            re.fullmatch(r"[\d.]+", p) for p in parts) or " " in t:
        return False
    return all(p[:1].isalnum() for p in parts)


def _coordinated_before(text: str, start: int, abbreviations: frozenset[str]) -> list[tuple[int, int]]:
    """Names coordinated with the one at ``start``: "A, B and C deliver" gives A and B."""
    out = []
    while True:
        m = re.search(r"(?:,\s*|\s+and\s+|\s+or\s+|,\s*and\s+)$", text[max(0, start - 8):start])
        if not m:
            return out
        end = max(0, start - 8) + m.start()
        span = _phrase_before(text, end, abbreviations)
        if not span or not is_design_name(text[span[0]:span[1]], abbreviations):
            return out
        out.append(span)
        start = span[0]


def _coordinated_after(text: str, end: int, abbreviations: frozenset[str]) -> list[tuple[int, int]]:
    """Design names listed after the one ending at ``end``: "A, B and C" gives B and C."""
    out = []
    while True:
        m = _LIST_JOIN.match(text, end)
        if not m:
            return out
        span = material_phrase_at(text, m.end(), abbreviations)
        if not span or not is_design_name(text[span[0]:span[1]], abbreviations):
            return out
        out.append(span)
        end = span[1]


def _strip_li(c: Candidate) -> Candidate:
    """``Li@ZnO@NHC`` names the lithiated host ``ZnO@NHC`` (a ``Li–Mg`` alloy keeps its name)."""
    if c.context == "alloy":
        return c
    m = re.match(r"Li\s?(?:@|/|-|–|−|\||‖)\s?(?=[A-Z0-9])", c.text)
    if m and len(c.text) > m.end() + 1 and not (c.text[m.end():] in _ALLOY_PARTNERS and re.match(r"Li\s?[-–−]", c.text)):
        return Candidate(c.text[m.end():], c.start + m.end(), c.end, c.kind_hint, c.context)
    return c


def is_cathode(name: str) -> bool:
    k = key(name).replace("-", "")
    return k in vocabulary().cathodes or bool(_CATHODE_RE.fullmatch(name.strip()))


def find_cathodes(text: str) -> list[tuple[str, int, int]]:
    """Cathode mentions, normalized (``LFP`` → ``LiFePO4``, ``NCM 811`` → ``LiNi0.8Co0.1Mn0.1O2``)."""
    return list(_cathodes(text))


@lru_cache(maxsize=4096)
def _cathodes(text: str) -> tuple[tuple[str, int, int], ...]:
    """:func:`find_cathodes`, remembered: the rules ask it of one sentence several times."""
    out = []
    for m in _CATHODE_RE.finditer(text):
        out.append((vocabulary().cathode(m.group(1)), m.start(), m.end()))
    for m in _SULFUR_CATHODE.finditer(text):
        out.append(("S", m.start(), m.end()))
    return tuple(sorted(out, key=lambda c: c[1]))


# ------------------------------------------------------------------ host table


@dataclass
class HostEntry:
    name: str
    kind: str
    forms: Counter = field(default_factory=Counter)  # surface forms seen
    long_form: str | None = None
    score: float = 0.0
    figures: int = 0
    first_sentence: int | None = None


def split_components(name: str) -> list[str]:
    """``WN/Mo2N@HCN`` → ``['WN', 'Mo2N', 'HCN']``; ``3S-Cu HoMS`` → ``['Cu', 'HoMS']``."""
    parts = re.split(r"\s*[@/|]\s*|\s+-\s+", name)
    out = []
    for p in parts:
        p = p.strip()
        if not p:
            continue
        m = re.fullmatch(r"\d+S-(\w+)(?:\s+(.+))?", p)  # 3S-Cu HoMS: shell count prefix
        if m:
            out.extend(x for x in m.groups() if x)
        else:
            out.append(p)
    return out


_SPELLED_METAL = re.compile(r"\b(?:copper|nickel|lithium|alumini?um|zinc|titanium)\b")


def control_name(forms: Counter) -> str:
    """The name a paper uses for its control: the most frequent form with a modifier
    (``bare Cu foil``, ``planar Cu``) when there is one, else the most frequent form."""
    modified: Counter = Counter()
    for f, n in forms.items():
        # "pure lithium" written out once is not the name the paper uses for "Li foil"
        if f.split()[0].casefold() in CONTROL_MODIFIERS and not _SPELLED_METAL.search(f):
            modified[f[0].lower() + f[1:]] += n  # "Bare Li" opening a sentence is "bare Li"
    # a modified form written once beside a plain name written four times is not the name
    pool = modified if modified and 2 * max(modified.values()) >= max(forms.values()) else forms
    return max(pool.items(), key=lambda kv: (kv[1], len(kv[0])))[0]


# ------------------------------------------------------------------ composition families

_FAMILY_NOTATION = re.compile(
    r"((?:[A-Z][a-z]?(?:\d+(?:\.\d+)?-[xy]|[xy]|\d+(?:\.\d+)?)?){2,})\s*\(\s*[xy]\s*=\s*"
    r"((?:-?\d+(?:\.\d+)?\s*(?:,|and|,\s*and)?\s*)+)\)"
)


def expand_family(formula: str, x: float) -> str:
    """``Li6-xAgxPS5Cl`` at x = 0.2 → ``Li5.8Ag0.2PS5Cl``; at x = 0 → ``Li6PS5Cl``."""
    out = []
    # an element symbol's second letter is never the variable (Dy is the one symbol ending in y)
    for sym, count in re.findall(r"(Dy|[A-Z][a-wz]?)((?:\d+(?:\.\d+)?-[xy])|[xy]|\d+(?:\.\d+)?)?", formula):
        if not count:
            n = None
        elif count in ("x", "y"):
            n = x
        elif count.endswith(("-x", "-y")):
            n = float(count[:-2]) - x
        else:
            n = float(count)
        if n is not None and abs(n) < 1e-9:
            continue
        text = "" if n is None else f"{round(n, 4):g}"
        out.append(sym + text)
    return "".join(out)


def find_family_lists(text: str) -> list[list[str]]:
    """Composition series written with a variable: ``Li6-xAgxPS5Cl (x = 0, 0.2, 0.4)``."""
    out = []
    for m in _FAMILY_NOTATION.finditer(text):
        xs = [float(v) for v in re.findall(r"-?\d+(?:\.\d+)?", m.group(2))]
        if len(xs) >= 2 and re.search(r"[xy]", m.group(1)):
            out.append([expand_family(m.group(1), x) for x in xs])
    return out


_SUB = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


def formula_spellings(name: str) -> list[str]:
    """Other ways papers write a formula-bearing name: ``Mo2N`` → ``Mo₂N``, ``Mo_2N``,
    ``Mo_{2}N``; ``Li5.4Ag0.6PS5Cl`` → ``Li₅.₄Ag₀.₆PS₅Cl``, ``Li_{5.4}Ag_{0.6}PS_5Cl``."""
    counts = list(re.finditer(r"(?<=[A-Za-z)])(\d+(?:\.\d+)?)", name))
    if not counts:
        return []
    def sub(repl):
        out, last = [], 0
        for m in counts:
            out.append(name[last:m.start()])
            out.append(repl(m.group(1)))
            last = m.end()
        out.append(name[last:])
        return "".join(out)
    return [
        sub(lambda n: n.translate(_SUB)),
        sub(lambda n: "_" + n if len(n) == 1 else "_{" + n + "}"),
        sub(lambda n: "_{" + n + "}"),
    ]

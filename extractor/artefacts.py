"""Rewrites that undo what PDF-to-Markdown converters (docling, marker, MinerU) leave
in their text; ``normalize`` runs them as its own passes, with the offset map kept.

Each rule is a compiled regex and a replacement factory with the contract of
``normalize._apply``: the replacement returns ``None`` (keep the match), a ``str``
(spread over the match) or a list of pieces (``(start, end)`` of the current text to
copy with its offsets, or ``(text, offsets)`` already mapped).

- ``GLYPHS`` (before every other pass): glyph names printed instead of characters
  (``/uniFB01`` → ``ﬁ``, ``/u1D702`` → ``𝜂``, ``/hairspace``, ``/thinspace``; a thin
  space between the digit groups of a number is dropped: ``10/thinspace000`` → ``10000``),
  ``GLYPH<...>`` placeholders, HTML entities (``&gt;``, ``&#956;``), HTML comments
  (``<!-- formula-not-decoded -->``, ``<!-- image -->``) and spaces inside LaTeX script
  groups (``^{- 10}`` → ``^{-10}``). Characters come out as the PDF would have them;
  the character pass folds them further.
- ``SCRIPTS`` (the last pass, after white space): sub- and superscripts a converter split off
  with a space, rejoined only where the result is a chemical formula (element symbols
  with counts: ``Na 3 PS 4`` → ``Na3PS4``) or a unit with its exponent (``mAh g -1``,
  ``S cm -1``, ``1 cm 2``) or a power of ten before a unit (``10 -10 S cm-1``); a
  micro sign split from its unit (``5 µ m``); a decimal split after its point before
  a unit (``35. 1 %``); a hyphen followed by a space inside a compound
  (``plasma- assisted``, MinerU); hyphenated compounds glued when a line-end hyphen was
  dropped (``anodefree`` → ``anode-free``), for the words listed in
  ``schema/vocab.toml`` ``[compounds]`` (``GLUED``, a pass of its own).

``SCRIPTS_SCAN`` offers ``finditer`` over ``SCRIPTS`` tried only where a match can
start, which keeps the pass cheap on clean text.
"""

from __future__ import annotations

import html.entities
import re

from .materials import AMBIGUOUS_ELEMENTS, ELEMENTS
from .vocab import glued_compounds

__all__ = [
    "GLYPHS", "GLYPHS_AT", "GLYPHS_AT_MATH", "glyphs_repl",
    "SCRIPTS", "SCRIPTS_SCAN", "GLUED", "has_glued", "scripts_repl_factory", "element_symbols",
]

# ---------------------------------------------------------------- glyph names, entities, comments

# Adobe glyph names whose spelling cannot be an ordinary word after a slash
_GLYPH_NAMES = {
    "hairspace": "\u200a", "thinspace": "\u2009", "nbspace": "\u00a0", "periodcentered": "·",
    "plusminus": "±", "multiply": "×", "lessequal": "≤", "greaterequal": "≥", "approxequal": "≈",
    "endash": "–", "emdash": "—", "arrowright": "→", "quoteright": "’", "quoteleft": "‘",
    "quotedblleft": "“", "quotedblright": "”",
}
_GLYPH_NAME = "|".join(sorted(_GLYPH_NAMES, key=len, reverse=True))
GLYPHS = re.compile(
    r"/uni(?P<uni>[0-9A-F]{4})"
    r"|/u(?P<u>1[0-9A-F]{4}|[0-9A-F]{4})(?![0-9A-F])"
    # a thin space grouping the digits of a number (1/thinspace000, 10 000) is no space
    r"|(?P<group>(?<=\d)(?:/(?:hair|thin|nb)space|[\u2009\u202f\u200a])(?=\d{3}(?![\d.,]|\.\d)))"
    r"|/(?P<name>" + _GLYPH_NAME + r")"
    r"|(?P<glyph>GLYPH<[^<>\n]{0,80}>)"
    r"|&(?P<ent>#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});"
    r"|(?P<comment><!--[^\n]{0,200}?-->)"
    # LaTeX as MinerU writes it: spaces in script groups (^{- 10}, ^{3 + }, _{1 - x}), a unit glued
    # to the exponent before it (10^{-10}\mathrm{S...}) and inside (\mathrm{Scm})
    r"|(?P<script>[\^_]\{(?=[-−–+\d. \txyzδ]{1,12}\})[^}]*\s[^}]*\})(?P<rm>(?=\\mathrm\{))?"
    r"|(?P<sexp>[\^]\{[-−–]?\d{1,2}\}|(?<![\w^_{.])\d+(?:\.\d+)?)(?=\\mathrm\{[A-Za-zµ])"
    r"|(?P<scm>\\mathrm\{[mµ]?S)(?=cm\})"
)
GLYPHS_AT = re.compile(r"[/&<^_\\\u2009\u202f\u200a]|G(?=LYPH<)")
GLYPHS_AT_MATH = re.compile(GLYPHS_AT.pattern + r"|\d[\d.]*(?=\\mathrm\{)")  # for text with \mathrm


def _code_point(hexdigits: str) -> str | None:
    cp = int(hexdigits, 16)
    if cp > 0x10FFFF or 0xD800 <= cp <= 0xDFFF:
        return None
    return chr(cp)


def glyphs_repl(m: re.Match):
    kind = m.lastgroup
    if kind in ("uni", "u"):
        start = m.string.rfind(" ", max(0, m.start() - 200), m.start()) + 1
        if "://" in m.string[start : m.start()] or "www." in m.string[start : m.start()]:
            return None  # a path in a web address
        return _code_point(m.group(kind))
    if kind == "name":
        return _GLYPH_NAMES[m.group("name")]
    if kind in ("glyph", "comment"):
        return " "
    if kind == "group":
        return ""
    if kind == "ent":
        ent = m.group("ent")
        if ent[0] == "#":
            return _code_point(ent[2:] if ent[1] in "xX" else format(int(ent[1:]), "X"))
        return html.entities.html5.get(ent + ";")
    if kind in ("script", "rm"):  # ^{- 10} -> ^{-10}; a unit right after it is set apart
        out = "".join(m.group("script").split()).replace("−", "-").replace("–", "-")
        return out + " " if m.group("rm") is not None and out[0] == "^" else out  # not after a subscript
    if kind in ("sexp", "scm"):
        return m.group().replace("−", "-").replace("–", "-") + " "
    return None


# ---------------------------------------------------------------- split scripts and words

# units that take an exponent, and units that may stand before them in a compound unit
_EXP_UNITS = "cm|mm|µm|nm|km|m|kg|mg|µg|g|mL|µL|L|s|h|min|mol|K|Pa|S|V|W|A"
_PRE_UNITS = frozenset(
    "mA µA A mAh Ah µAh mWh Wh kWh W mW kW V mV µV S mS µS Ω mΩ kΩ J kJ mJ C mol mmol g mg µg kg "
    "cm mm µm nm m L mL F mF µF K Pa s h min · / cm-1 cm-2 cm-3 g-1 kg-1 s-1 m-2".split()
)
_LENGTH_UNITS = frozenset("cm mm µm nm m".split())
# symbols that end formulas counted after a group of several ("LiFePO 4", "CO 2")
_ANION_ENDS = frozenset("H C N O F P S Cl Se Br I Te".split())
_DIATOMIC = frozenset("H N O F Cl".split())
_COUNT = r"(?:[1-9]\d?(?:\.\d{1,3})?|0?\.\d{1,3})"  # a count is never 0

_GROUP = r"(?:[A-Z][a-z]?){1,6}"
_GLUED = glued_compounds()
SCRIPTS = re.compile(
    # formula: Na 3 PS 4, Li 2 S, LiFePO 4, O 2
    r"(?P<formula>(?<![\w.])" + _GROUP + r"(?: " + _COUNT + r" " + _GROUP + r")* " + _COUNT
    + r"(?: " + _GROUP + r")?(?![\w]|\.\d))"
    # power of ten split from its exponent: 10 -10 S cm-1, × 10 -4
    r"|(?P<pow>(?<![\w.])10) (?P<pe>-\d{1,2})(?![\w.])"
    # unit and exponent: cm -2, g -1, cm 2
    r"|(?P<unit>(?<![A-Za-zµ])(?:" + _EXP_UNITS + r")) ?(?P<ue>-[1-4]|[23])(?![\w.]|\.\d)"
    # micro sign split from its unit: 5 µ m
    r"|(?P<micro>(?<=\d)(?P<msp> ?)µ (?=(?:m|g|L|l|A|s|V|mol|M|F|W)(?![A-Za-z])))"
    # decimal split after its point: 35. 1 %
    # (not a page number ending a reference: "2019, 12, 340–345. 5 S. Author")
    r"|(?P<dec>(?<![\w.,–-])(?<!\d, )(?<!\d,)\d{1,3}\.) (?=\d{1,3} ?(?:%|°|wt|at\.?%|[mµk]?(?:Ah|A|V|W|g|L|S|Wh)(?![A-Za-z])"
    r"|nm|cm|mm|M(?![A-Za-z])|h(?![A-Za-z])|C(?![A-Za-z]))(?!\. ?[A-Z][a-z]*[.,]))"
    # hyphen followed by a space inside a compound: plasma- assisted
    # (an ion's charge before "anions" stays: "PF6- anions", "TFSI- anions")
    r"|(?P<hyph>(?<=[A-Za-z0-9])- (?!(?:and|or|nor|to|as|vs|versus|but)\b)(?!(?:an|cat)ions?\b|(?<=\d- )ions?\b)(?=[A-Za-z]))"
)
# every match of SCRIPTS covers a space before a digit, a sign or a split micro sign, or
# after a hyphen or a micro sign
_SPACES_AT = re.compile(r" (?:(?=-?\.?\d|µ )|(?<=[-µ] ))")  # a literal space first: re scans fast
# lower-case words a match can start with (units before an exponent, the micro sign)
_LOWER_STARTS = frozenset([*(u for u in _EXP_UNITS.split("|") if u.islower()), "µ"])
_RUN_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789µ·/*.")


class _Anchored:
    """``SCRIPTS`` tried only where a match can start: at the run of word characters
    before a trigger space, after a separator inside that run (``mA·cm``), or right
    before the space. Offers ``finditer`` like a compiled pattern (for ``_apply``)."""

    def __init__(self, pattern: re.Pattern) -> None:
        self.pattern = pattern

    def finditer(self, text: str):
        pos = 0
        match = self.pattern.match
        for t in _SPACES_AT.finditer(text):
            p = t.start()
            if p < pos:
                continue
            q, low = p, max(pos, p - 14)
            while q > low and text[q - 1] in _RUN_CHARS:
                q -= 1
            word = text[q:p]
            if word.isalpha() and word.islower() and word not in _LOWER_STARTS:
                continue  # "of 5 mA": an ordinary word before the number
            starts = [q] if q < p else []
            starts += [i + 1 for i in range(q, p) if text[i] in "·/*"]
            starts += [p - 1, p]
            for q in starts:
                if q < pos:
                    continue
                m = match(text, q)
                if m is not None and m.end() > p:
                    yield m
                    pos = m.end()
                    break


def _trie(words) -> str:
    """A regex matching exactly ``words`` (lower case; first letters also capital), built as
    a trie: ``re`` tries an alternation branch by branch, a trie one letter at a time."""
    root: dict = {}
    for w in words:
        node = root
        for c in w:
            node = node.setdefault(c, {})
        node[""] = {}

    def emit(node: dict) -> str:
        alts = [("[" + c + c.upper() + "]" if c.isalpha() else re.escape(c)) + emit(sub)
                for c, sub in sorted(node.items()) if c]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return "(?:" + body + ")?" if "" in node else body

    return emit(root)


SCRIPTS_SCAN = _Anchored(SCRIPTS)

# glued compound words: anodefree, Liion
GLUED = re.compile(r"\b" + (_trie(_GLUED) if _GLUED else "(?!)") + r"(?![A-Za-z])")


def has_glued(text: str) -> bool:
    """Whether ``GLUED`` can match at all (substring tests are far cheaper than the scan)."""
    low = text.lower()
    return any(word in low for word in _GLUED)


def element_symbols(group: str) -> list[str] | None:
    """``"LiFePO"`` → ``["Li", "Fe", "P", "O"]``; ``None`` when it is not made of element symbols."""
    out: list[str] = []
    i = 0
    while i < len(group):
        two = group[i : i + 2]
        if len(two) == 2 and two[1].islower() and two in ELEMENTS:
            out.append(two)
            i += 2
        elif group[i] in ELEMENTS:
            out.append(group[i])
            i += 1
        else:
            return None
    return out


_TOKEN_BEFORE = re.compile(r"(\S+) $")
_NUMBERED_THINGS = frozenset("fig figure figs table ref refs eq no section scheme".split())
_FORMULA_TOKENS = re.compile(r"\S+")


def _number_token(tok: str) -> bool:
    return bool(re.fullmatch(r"[-+±~≈<>]?\d+(?:[.,]\d+)?[%]?", tok))


def _formula_pieces(text: str, m: re.Match):
    """Pieces of the rejoined formula, or None when the tokens are not a formula."""
    s, e = m.span()
    toks = [(t.start(), t.end(), t.group()) for t in _FORMULA_TOKENS.finditer(text, s, e)]
    groups = toks[0::2]
    counts = toks[1::2]
    parsed = [element_symbols(g[2]) for g in groups]
    if any(p is None for p in parsed):  # a group that is not made of element symbols
        return None
    before = _TOKEN_BEFORE.search(text, max(0, s - 30), s)
    if before and (_number_token(before.group(1)) or before.group(1) in ("at", "At")):
        return None  # "5 C 2 V": a number and units, not a formula
    first = parsed[0]
    if len(groups) == 1:
        # one group and a count: "LiFePO 4", "CO 2", "O 2"
        count = counts[0][2]
        if len(first) >= 2:
            # an anion ends the formula ("LiFePO 4"), or metal symbols written in mixed case
            # make an intermetallic ("LiMg 5", "CuZn 3"); capitals alone are an acronym ("CV 5")
            alloy = not set(first) & _ANION_ENDS and not groups[0][2].isupper()
            if (first[-1] not in _ANION_ENDS and not alloy) or "." in count or int(count) > 12:
                return None
        elif not (first[0] in _DIATOMIC and count == "2"):
            return None
        nxt = re.match(r" ?(\S+)", text[e : e + 20])
        if nxt and (nxt.group(1) in _PRE_UNITS or _number_token(nxt.group(1))):
            return None
    elif len(first) == 1 and groups[0][2] in AMBIGUOUS_ELEMENTS and len(counts) < 2:
        return None  # "In 2 Ways": an English word, not indium
    return [(a, b) for a, b, _ in toks]


def _unit_ok(text: str, m: re.Match) -> bool:
    s = m.start("unit")
    unit = m.group("unit")
    exp = m.group("ue")
    before = _TOKEN_BEFORE.search(text, max(0, s - 30), s)
    prev = before.group(1) if before else ""
    glued = s > 0 and text[s - 1] in "·/*"
    if exp.startswith("-"):
        if m.group().find(" ") < 0:  # "cm-2" already
            return False
        return glued or prev in _PRE_UNITS or _number_token(prev) or prev.endswith(("·", "/"))
    # a positive exponent only on a length after a number: "a 1 cm 2 electrode"; metres
    # only before another unit ("1200 m 2 g-1")
    if " " not in m.group() or unit not in _LENGTH_UNITS:
        return False
    if unit == "m":
        after = re.match(r" ?([^\s-]+)", text[m.end() : m.end() + 20])
        if not (after and after.group(1) in _PRE_UNITS):
            return False
    return _number_token(prev) or prev.endswith("×")


_WORD = re.compile(r"[A-Za-z]{4,}")


def _broken_word(text: str, s: int, e: int, words: dict[str, set[str]]) -> bool:
    """``reten- tion`` where the text also writes ``retention``: a word a line break split,
    copied into the middle of a line; ``plasma- assisted`` stays a compound."""
    if not words:
        words["plain"] = {w.lower() for w in _WORD.findall(text)}
    left = re.search(r"[A-Za-z]+$", text[max(0, s - 30):s])
    right = re.match(r"[A-Za-z]+", text[e:e + 30])
    return bool(left and right) and (left.group() + right.group()).lower() in words["plain"]


def scripts_repl_factory(offs: list[int]):
    """The replacement of ``SCRIPTS`` and ``GLUED``; ``offs`` are the offsets of the text
    it runs on."""
    glued = _GLUED
    words: dict[str, set[str]] = {}  # the text's words, read once at its first split hyphen

    def repl(m: re.Match):
        kind = m.lastgroup
        text = m.string
        s, e = m.span()
        if kind == "formula":
            return _formula_pieces(text, m)
        if kind in ("pow", "pe"):
            after = re.match(r" ?(\S+)", text[e : e + 20])
            before = _TOKEN_BEFORE.search(text, max(0, s - 30), s)
            times = before and before.group(1) in ("×", "x", "*")
            if times or (after and after.group(1).split("-")[0] in _PRE_UNITS):
                return [(s, m.end("pow")), m.span("pe")]
            return None
        if kind in ("unit", "ue"):
            if not _unit_ok(text, m):
                return None
            return [m.span("unit"), m.span("ue")]
        if kind in ("micro", "msp"):
            return [(s, m.end("msp") + 1)]  # "µ" kept, the space after it dropped
        if kind == "dec":
            before = _TOKEN_BEFORE.search(text, max(0, s - 30), s)
            if before and before.group(1).rstrip(".").lower() in _NUMBERED_THINGS:
                return None  # "Fig. 3. 5 mg": the number of a figure ends its reference
            return [m.span("dec")]
        if kind == "hyph":
            return "" if _broken_word(text, s, e, words) else "-"
        if kind is None:  # GLUED
            if s and text[s - 1].isalpha():  # "\b" also lets a digit or "_" through
                return None
            word = m.group()
            cuts = glued.get(word.lower())
            if cuts is None:
                return None
            pieces: list = []
            pos = s
            for cut in cuts:
                pieces += [(pos, s + cut), ("-", [offs[s + cut]])]
                pos = s + cut
            return [*pieces, (pos, e)]
        return None

    return repl


"""Normalize paper text for analysis, keeping a map back to the source.

``normalize(text) -> Normalized`` is pure. It runs a few single-pass rewrites, each
one compiled regex whose matches are replaced; unchanged stretches are copied with
their offsets by slicing, so the cost is a handful of C-level passes over the text
plus a little Python per match.

Passes, in order (the converter passes 0 and 6 live in ``artefacts.py``):

0. **converter glyphs** - glyph names (``/uniFB01``, ``/u1D702``, ``/hairspace``),
   HTML entities (``&gt;``), HTML comments (``<!-- formula-not-decoded -->``) and
   spaces in LaTeX script groups (``^{- 10}``) become what they stand for.
   Then **powers of ten** - ``10^{3}``, ``10$^3$``, ``10<sup>3</sup>``, ``10³``, ``10⁻³``
   (also after a mantissa: ``1 × 10^4``) become ``10^3``, ``10^-3``, ``1 × 10^4``, the one
   spelling of a power of ten that later passes keep (they drop other carets).
1. **citations** - ``^{[12]}``, ``^[1,2]``, ``[1,2]``, ``[3–5]`` and superscript
   citation digits glued to a word (``growth¹²``) are removed. Superscript digits
   after a unit symbol (``cm²``), a chemical symbol (``Mn²⁺``) or a short word
   (``sp²``) are kept (they become plain digits in pass 3).
2. **markup** - LaTeX-flavoured math: ``$...$`` delimiters, ``\\text{}``/``\\mathrm{}``,
   ``^{}``/``_{}`` groups, ``Mo_2N``, ``cm^-2``, symbol commands (``\\sim`` → ``~``,
   ``\\approx`` → ``≈``, ``\\pm`` → ``±``, ``\\times`` → ``×``, ``\\circ`` → ``°``,
   ``\\mu`` → ``µ``, Greek letters), escapes (``\\%``, ``\\*``, ``\\_``), markdown
   emphasis and links, ``<sub>``/``<sup>`` tags.
3. **characters** - compatibility folding (NFKC per character, ligatures ﬁ ﬂ),
   super/subscript digits and signs to plain (``cm⁻²`` → ``cm-2``, ``Li₂CO₃`` →
   ``Li2CO3``), odd spaces to ``' '``, zero-width characters and soft hyphens
   removed, quotes to ASCII. ``µ`` (micro sign, also for Greek mu) and ``°`` are kept.
   Dashes: minus signs and hyphen variants (− ‐ ‑ ‒ U+FFFE) become ``-``; an en dash
   between two numbers is kept as ``–`` (a range marker: ``1–5 mA``); an en dash
   glued between letters (``Li–S``) becomes ``-``; em dashes and other en dashes
   become ``–``.
4. **units** - one spelling per unit: ``mA cm-2``, ``mAh cm-2``, ``mAh g-1``,
   ``mA g-1``, ``Wh kg-1``, ``m2 g-1``, ``cm3 g-1``, ``°C`` (from ``mA/cm2``,
   ``mA·cm-2``, ``mAcm@2``, ``cm(cid:0)2``, ``mA h g-1``, ``oC`` after a number, ...).
5. **white space** - hyphenated line breaks joined (``elec-\\ntrochemical`` →
   ``electrochemical``) unless the hyphen belongs to a compound (``N-\\ndoped``,
   ``large-\\ncavity``); line breaks after ``/`` or ``@`` joined; other line breaks
   and runs of white space become one space; the ends are trimmed.
6. **split scripts and words** (last, on single spaces) - sub/superscripts split off
   by a converter rejoined where the result is a formula or a unit with its exponent
   (``Na 3 PS 4`` → ``Na3PS4``, ``mAh g -1`` → ``mAh g-1``, ``10 -10 S cm-1``),
   ``5 µ m``, ``35. 1 %``, ``plasma- assisted``, glued compounds of ``vocab.toml``
   ``[compounds]`` (``anodefree``).

If the result still holds markup that a pass can only see after another pass
(nested braces, escapes of escapes), the passes run again on it, at most three
times, so that ``normalize`` is idempotent on its own output.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Callable

from .artefacts import GLUED, GLYPHS, GLYPHS_AT, GLYPHS_AT_MATH, SCRIPTS_SCAN, glyphs_repl, has_glued, scripts_repl_factory
from .types import Normalized

__all__ = ["normalize"]

# A replacement function gets a match and returns:
#   None             keep the match as it is
#   str              replacement, mapped proportionally onto the matched span
#   list of pieces   each piece is a str (mapped onto the whole match), a tuple
#                    (start, end) of the current text to copy with its offsets,
#                    or a tuple (text, offsets) already mapped.


def _spread(text: str, offs: list[int], s: int, e: int) -> list[int]:
    """Offsets for ``text`` replacing ``[s, e)``: proportional, non-decreasing."""
    k = len(text)
    span = e - s
    if k == 0:
        return []
    if span == k:
        return offs[s:e]
    if span <= 0:
        return [offs[s]] * k
    if k == 1:
        return [offs[s]]
    last = span - 1
    return [offs[s + (j * last) // (k - 1)] for j in range(k)]


def _triggered(text: str, pattern: re.Pattern, trigger: re.Pattern, back: int):
    """Matches of ``pattern``, tried only around hits of the cheap ``trigger`` regex.

    With ``back == 0`` a match must start at a trigger; otherwise it must cover one and
    start at most ``back`` characters before it (and end before ``back`` after it)."""
    pos = 0
    n = len(text)
    for t in trigger.finditer(text):
        p = t.start()
        if p < pos:
            continue
        if not back:
            m = pattern.match(text, p)
            if m is not None and m.end() > p:
                yield m
                pos = m.end()
            continue
        s = max(pos, p - back)
        while True:
            m = pattern.search(text, s, min(n, p + back))
            if m is None or m.start() > p:
                break
            if m.end() > p:
                yield m
                pos = m.end()
                break
            s = max(m.end(), s + 1)


def _apply(
    text: str,
    offs: list[int],
    pattern: re.Pattern,
    repl: Callable,
    trigger: re.Pattern | None = None,
    back: int = 0,
) -> tuple[str, list[int]]:
    """Replace every match of ``pattern`` in ``text``; carry ``offs`` (len(text)+1) along.

    ``trigger`` (a plain character class, which ``re`` scans fast) limits the places
    where ``pattern`` is tried; see ``_triggered``."""
    out_t: list[str] = []
    out_o: list[int] = []
    pos = 0
    changed = False
    matches = pattern.finditer(text) if trigger is None else _triggered(text, pattern, trigger, back)
    for m in matches:
        r = repl(m)
        if r is None or (isinstance(r, str) and r == m.group()):
            continue
        s, e = m.span()
        changed = True
        if pos < s:
            out_t.append(text[pos:s])
            out_o.extend(offs[pos:s])
        if isinstance(r, str):
            if r:
                out_t.append(r)
                out_o.extend(_spread(r, offs, s, e))
        else:
            for piece in r:
                if isinstance(piece, str):
                    if piece:
                        out_t.append(piece)
                        out_o.extend(_spread(piece, offs, s, e))
                elif isinstance(piece[0], int):
                    a, b = piece
                    if a < b:
                        out_t.append(text[a:b])
                        out_o.extend(offs[a:b])
                else:
                    ptext, poffs = piece
                    if ptext:
                        out_t.append(ptext)
                        out_o.extend(poffs[: len(ptext)])
        pos = e
    if not changed:
        return text, offs
    out_t.append(text[pos:])
    out_o.extend(offs[pos:])
    return "".join(out_t), out_o


# ---------------------------------------------------------------- pass 0: powers of ten

# "10^{3}", "10^3", "10$^3$", "10$^{-3}$", "10<sup>3</sup>", "10³", "10⁻³": the number 10
# (not part of a longer number or word) with an exponent written as a superscript. Every
# later pass would drop the superscript marker and leave "103"; this pass writes the
# power as "10^3" instead, which the other passes keep and quantities reads as 1000.
_EXP = r"(?P<{}>[-+−–]?\s?\d{{1,2}})"
_POWERS = re.compile(
    r"(?<![\w.,^])10(?:"
    r"\s?\^\s?\{\s?" + _EXP.format("e1") + r"\s?\}"
    r"|\$\s?\^\s?\{?\s?" + _EXP.format("e2") + r"\s?\}?\s?\$"
    r"|\s?\^\s?\(?" + _EXP.format("e3") + r"\)?(?![\d.])"
    r"|<sup>\s?" + _EXP.format("e4") + r"\s?</sup>"
    r"|(?P<e5>[⁻⁺]?[⁰¹²³⁴⁵⁶⁷⁸⁹]{1,2})(?![⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻])"
    r")"
)
_POWERS_AT = re.compile(r"10")
_EXP_CHARS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺−–", "0123456789-+--")


def _powers_repl(m: re.Match):
    exp = next(g for g in (m.group("e1"), m.group("e2"), m.group("e3"), m.group("e4"), m.group("e5")) if g)
    exp = "".join(exp.translate(_EXP_CHARS).split()).lstrip("+")
    return "10^" + exp


# ---------------------------------------------------------------- pass 1: citations

_SUP_DIGITS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
_SUP_DIGIT_CLASS = "[⁰¹²³⁴⁵⁶⁷⁸⁹]"

# unit symbols a superscript exponent may follow
_UNIT_WORDS = frozenset(
    "m cm mm nm km um µm μm g kg mg µg ng L mL µL l ml s ms µs ns min h hr hrs mol mmol "
    "Pa kPa MPa GPa J kJ W kW Wh Å A mA µA V mV eV K Hz in ft".split()
)

_CITE_NUM = r"[1-9]\d{0,2}(?:\s*[,–\-−‒—]\s*[1-9]\d{0,2}){0,30}"
_CITATIONS = re.compile(
    r"(?P<supbr>\^\s*\{\s*\[[^\[\]{}\n]{1,60}\]\s*\})"  # ^{[12]}
    r"|(?P<supsq>\^\s*\[\s*" + _CITE_NUM + r"\s*\])"  # ^[1,2]
    r"|(?P<sq>\[\s*" + _CITE_NUM + r"\s*\](?!\())"  # [1,2]  [3–5]  (not a markdown link)
    r"|(?P<supnum>\^\s*\{?\s*" + _CITE_NUM + r"\s*\}?)"  # growth^{12} (checked below)
    r"|(?P<uni>" + _SUP_DIGIT_CLASS + r"+(?:[,⁻–\-]" + _SUP_DIGIT_CLASS + r"+)*(?![⁺⁻]))"  # growth¹²
)
_CITATIONS_AT = re.compile(r"[\[\^⁰¹²³⁴⁵⁶⁷⁸⁹]")
_WORD_BEFORE = re.compile(r"([A-Za-zµμ]+)$")


def _is_glued_citation(text: str, s: int) -> bool:
    """Superscript numbers at ``s`` follow a plain lowercase word or closing punctuation."""
    if s == 0:
        return False
    prev = text[s - 1]
    if prev in ".,;:)]":
        return True
    m = _WORD_BEFORE.search(text, max(0, s - 30), s)
    if not m:
        return False
    word = m.group(1)
    if word in _UNIT_WORDS or len(word) < 3:
        return False
    return word.islower()


def _cite_repl(m: re.Match):
    kind = m.lastgroup
    if kind in ("supnum", "uni"):
        return "" if _is_glued_citation(m.string, m.start()) else None
    return ""


# ---------------------------------------------------------------- pass 2: markup

_SYMBOLS = {
    "sim": "~", "approx": "≈", "simeq": "≈", "cong": "≈", "pm": "±", "mp": "∓",
    "times": "×", "cdot": "·", "bullet": "·", "circ": "°", "degree": "°", "deg": "°",
    "mu": "µ", "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "Delta": "Δ",
    "epsilon": "ε", "varepsilon": "ε", "eta": "η", "theta": "θ", "kappa": "κ",
    "lambda": "λ", "nu": "ν", "pi": "π", "rho": "ρ", "sigma": "σ", "Sigma": "Σ",
    "tau": "τ", "phi": "φ", "varphi": "φ", "chi": "χ", "psi": "ψ", "omega": "ω",
    "Omega": "Ω", "Phi": "Φ", "Gamma": "Γ", "Lambda": "Λ", "Theta": "Θ",
    "le": "≤", "leq": "≤", "leqslant": "≤", "ge": "≥", "geq": "≥", "geqslant": "≥",
    "lt": "<", "gt": ">", "ll": "≪", "gg": "≫", "neq": "≠", "ne": "≠",
    "to": "→", "rightarrow": "→", "longrightarrow": "→", "leftarrow": "←",
    "leftrightarrow": "↔", "rightleftharpoons": "⇌", "infty": "∞", "AA": "Å",
    "angstrom": "Å", "prime": "'", "ldots": "...", "cdots": "...", "dots": "...",
    "quad": " ", "qquad": " ", "parallel": "‖", "Vert": "‖", "|": "‖", "percent": "%",
    "textdegree": "°", "textmu": "µ", "textperthousand": "‰", "%": "%",
}
_SYMBOL_CMD = "|".join(sorted((re.escape(k) for k in _SYMBOLS if k.isalpha()), key=len, reverse=True))
_TEXT_CMDS = r"(?:text|mathrm|mathbf|mathit|mathsf|mathtt|textrm|textit|textbf|textsf|rm|bf|it|operatorname|boldsymbol|mathbb|mathcal|textsubscript|textsuperscript|ce|mbox|hbox)"

# inside math: every command, brace and script marker
_MATH_TOKENS = re.compile(
    r"(?P<mu>\\mu\s?(?=[A-Za-z]))"
    r"|(?P<cmd>\\[A-Za-z]+)"
    r"|(?P<esc>\\[%$&#_{}*~|])"
    r"|(?P<space>\\[,;:! ]|~)"
    r"|(?P<brace>[{}])"
    r"|(?P<script>_|(?<!(?<![\w.,^])10)\^)"
)


def _math_repl(m: re.Match):
    kind = m.lastgroup
    tok = m.group()
    if kind == "mu":
        return "µ"
    if kind == "cmd":
        return _SYMBOLS.get(tok[1:], "")
    if kind == "esc":
        return _SYMBOLS.get(tok[1:], tok[1:])
    if kind == "space":
        return "" if tok == "\\!" else " "
    return ""


def _math(text: str, offs: list[int], s: int, e: int, ms: int, me: int) -> tuple[str, list[int]]:
    """Markup inside ``[s, e)``; the result is anchored to the whole match ``[ms, me)``
    (first character to its start, last to its end) so spans cover the markup."""
    t, o = _apply(text[s:e], offs[s : e + 1], _MATH_TOKENS, _math_repl)
    o = o[: len(t)]
    if o:
        o[0] = offs[ms]
        o[-1] = offs[me - 1]
    return t, o


_MARKUP = re.compile(
    r"(?P<math>\$\$?(?P<mc>[^$\n]{1,400}?)\$\$?)"
    r"|(?P<grp>(?:\\" + _TEXT_CMDS + r"\s*|[\^_]\s*)\{[^{}$\n]{0,200}\})"
    r"|(?P<mu>\\mu\s?(?=[A-Za-z]))"
    r"|(?P<sym>\\(?:" + _SYMBOL_CMD + r")(?![A-Za-z]))"
    r"|(?P<esc>\\[%*_&#$\[\]~{}()<>|])"
    r"|(?P<caret>(?<!(?<![\w.,^])10)\^(?=\s?[-+−–\d\\(]))"
    r"|(?P<sub>(?<=[A-Za-z0-9)\]])_(?=\.?\d|[xyzδ](?![A-Za-z])))"
    r"|(?P<bold>\*\*(?=\S)(?P<bc>[^*\n]{1,300}?)(?<=\S)\*\*)"
    r"|(?P<ital>(?<![\w*\\])\*(?=[^\s*])(?P<ic>[^*\n]{1,200}?)(?<=[^\s*\\])\*(?![\w*]))"
    r"|(?P<link>\[(?P<lt>[^\[\]\n]{0,300})\]\((?:https?://|www\.|doi:)[^()\s]*(?:\([^()\s]*\)[^()\s]*)*\))"
    r"|(?P<tag></?(?:sub|sup|su[bp]\s[^>]{0,40}|i|b|em|strong|br\s*/?)>)"
)
_MARKUP_AT = re.compile(r"[$\\^_*\[<]")


def _markup_repl_factory(offs: list[int]):
    """The replacement for pass 2; ``offs`` are the offsets of the text it runs on."""

    def repl(m: re.Match):
        kind = m.lastgroup
        text = m.string
        if kind in ("math", "mc"):
            s, e = m.span("mc")
            return [_math(text, offs, s, e, *m.span())]
        if kind == "grp":
            s, e = m.span()
            return [_math(text, offs, s, e, s, e)]
        if kind == "mu":
            return "µ"
        if kind == "sym":
            return _SYMBOLS[m.group()[1:]]
        if kind == "esc":
            return m.group()[1:]
        if kind in ("caret", "sub"):
            return ""
        if kind in ("bold", "bc", "ital", "ic", "link", "lt"):
            s, e = m.span({"bold": "bc", "ital": "ic", "link": "lt"}.get(kind, kind))
            inner, inner_offs = _markup(text[s:e], offs[s : e + 1])
            return [(inner, inner_offs[: len(inner)])]
        if kind == "tag":
            return " " if m.group().startswith("<br") else ""
        return None

    return repl


def _markup(text: str, offs: list[int]) -> tuple[str, list[int]]:
    return _apply(text, offs, _MARKUP, _markup_repl_factory(offs), _MARKUP_AT)


# ---------------------------------------------------------------- pass 3: characters

_FIXED = {
    # spaces and invisible characters
    "\u00a0": " ", "\u1680": " ", "\u2000": " ", "\u2001": " ", "\u2002": " ", "\u2003": " ",
    "\u2004": " ", "\u2005": " ", "\u2006": " ", "\u2007": " ", "\u2008": " ", "\u2009": " ",
    "\u200a": " ", "\u202f": " ", "\u205f": " ", "\u3000": " ", "\u2028": "\n", "\u2029": "\n",
    "\u0085": "\n",
    "\u200b": "", "\u200c": "", "\u200d": "", "\u2060": "", "\ufeff": "", "\u00ad": "",
    "\u200e": "", "\u200f": "",
    # dashes and minus signs (en dash and em dash are decided in context)
    "\u2212": "-", "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2043": "-", "\ufe63": "-",
    "\uff0d": "-", "\ufffe": "-", "\u02d7": "-", "\u2796": "-", "\u2015": "–",
    "\ufe58": "–",
    # super/subscripts
    "⁰": "0", "¹": "1", "²": "2", "³": "3", "⁴": "4", "⁵": "5", "⁶": "6", "⁷": "7", "⁸": "8",
    "⁹": "9", "⁺": "+", "⁻": "-", "⁼": "=", "⁽": "(", "⁾": ")", "ⁿ": "n", "ˣ": "x",
    "₀": "0", "₁": "1", "₂": "2", "₃": "3", "₄": "4", "₅": "5", "₆": "6", "₇": "7", "₈": "8",
    "₉": "9", "₊": "+", "₋": "-", "₌": "=", "₍": "(", "₎": ")", "ₓ": "x", "ᵧ": "y", "ᵟ": "δ",
    # quotes and primes
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "\u00b4": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
    "\u00ab": '"', "\u00bb": '"',
    # symbols kept meaningful
    "\u00b5": "µ", "\u03bc": "µ", "\u00b0": "°", "\u00ba": "°", "\u02da": "°",
    "\u2103": "°C", "\u2109": "°F", "\u212b": "Å", "\u2126": "Ω",
    "\u00b1": "±", "\u00d7": "×", "\u00b7": "·", "\u22c5": "·", "\u2219": "·", "\u2022": "·",
    "\u2016": "‖", "\u2225": "‖", "\u2248": "≈", "\u223c": "~", "\u02dc": "~", "\uff5e": "~",
    "\u2264": "≤", "\u2265": "≥", "\u2a7d": "≤", "\u2a7e": "≥", "\u2192": "→",
    "\u2026": "...", "\u2215": "/", "\u2044": "/", "\u2217": "*",
}
_EN_DASH = "\u2013"
_EM_DASH = "\u2014"


@lru_cache(maxsize=8192)
def _fold_char(c: str) -> str:
    if c in _FIXED:
        return _FIXED[c]
    cat = unicodedata.category(c)
    if cat == "Cc":
        return "\n" if c in "\x0b\x0c\x1c\x1d\x1e" else " "
    if cat in ("Cf", "Cs", "Co", "Cn") and c not in _FIXED:
        return "" if cat in ("Cf",) else c
    if cat == "Zs":
        return " "
    folded = unicodedata.normalize("NFKC", c)
    if not folded:
        return c
    # NFKC sometimes yields characters we fold further (ﬁ -> fi is plain; ½ -> 1⁄2 has
    # a fraction slash, folded to "/" here so that a second run changes nothing)
    return "".join(_FIXED.get(f, f) for f in folded)


_FOLD = re.compile(r"[^\x09\x0a\x0d\x20-\x7e]+")


def _fold_repl(m: re.Match):
    """A run of non-ASCII characters: the folded run (same length) or (piece, index) pairs."""
    run = m.group()
    s = m.start()
    if _EN_DASH not in run and _EM_DASH not in run:
        out = "".join(map(_fold_char, run))
        if out == run:
            return None
        if len(out) == len(run):
            return out
        return [(_fold_char(c), s + i) for i, c in enumerate(run)]
    text = m.string
    return [
        (_en_dash(text, s + i) if c == _EN_DASH else _em_dash(text, s + i) if c == _EM_DASH else _fold_char(c), s + i)
        for i, c in enumerate(run)
    ]


def _en_dash(text: str, i: int) -> str:
    j = i - 1
    while j >= 0 and text[j] in " \u00a0\u2009\u202f":
        j -= 1
    k = i + 1
    n = len(text)
    while k < n and text[k] in " \u00a0\u2009\u202f":
        k += 1
    left = text[j] if j >= 0 else ""
    right = text[k] if k < n else ""
    if left.isdigit() and (right.isdigit() or right in "-−."):
        return _EN_DASH
    if j == i - 1 and k == i + 1 and left.isalnum() and right.isalnum():
        return "-"
    return _EN_DASH


def _em_dash(text: str, i: int) -> str:
    """An em dash glued between words reads as a pause: spaced, so it is not a hyphen."""
    if 0 < i < len(text) - 1 and text[i - 1].isalnum() and text[i + 1].isalnum():
        return " – "
    return _EN_DASH


def _apply_fold(text: str, offs: list[int]) -> tuple[str, list[int]]:
    """Pass 3: like ``_apply`` but each folded character keeps its own source offset."""
    out_t: list[str] = []
    out_o: list[int] = []
    pos = 0
    changed = False
    for m in _FOLD.finditer(text):
        r = _fold_repl(m)
        if r is None:
            continue
        changed = True
        s, e = m.span()
        if pos < s:
            out_t.append(text[pos:s])
            out_o.extend(offs[pos:s])
        if isinstance(r, str):  # same length as the run
            out_t.append(r)
            out_o.extend(offs[s:e])
        else:
            for piece, idx in r:
                if piece:
                    out_t.append(piece)
                    out_o.extend([offs[idx]] * len(piece))
        pos = e
    if not changed:
        return text, offs
    out_t.append(text[pos:])
    out_o.extend(offs[pos:])
    return "".join(out_t), out_o


# ---------------------------------------------------------------- pass 4: units

_NUMER = r"(?P<n>[mµu]?A\s?h|[mµk]?W\s?h|[mµu]?A|m2|cm3)"
_DEN = r"(?P<d>cm|mg|kg|g|L|m)"
_UNITS = re.compile(
    # mA cm-2, mAcm@2, mA·cm-2, mA cm(cid:0)2, mA cm^-2 (caret already removed), mA h g-1
    r"(?<![A-Za-z0-9])" + _NUMER + r"(?P<sep>\s*[·*⋅]\s*|\s*)" + _DEN
    + r"(?:\s?(?:-|@|\(cid:0\))\s?)(?P<e>[1-3])(?!\d|\.\d)"
    # mA/cm2, mAh/g, Wh/kg, m2/g, cm3/g
    r"|(?<![A-Za-z0-9])(?P<n2>[mµu]?A\s?h|[mµk]?W\s?h|[mµu]?A|m2|cm3)\s*/\s*(?P<d2>cm|mg|kg|g|L|m)(?P<e2>[1-3])?(?![A-Za-z0-9])"
    # stray PDF minus artefacts after a unit symbol: 1599 cm@1, cm(cid:0)1
    r"|(?<![A-Za-z])(?P<u3>cm|kg|mg|g|s|h|L|m)(?:@|\(cid:0\))(?P<e3>[1-3])(?!\d)"
    r"|(?P<cid>\(cid:0\))(?=\d)"
)


_UNITS_AT = re.compile(
    r"[/\-@(·⋅*](?:(?<=[-@])(?=\s?[1-3])|(?<=/)(?=\s*[cmkgL])|(?<=\()(?=cid)|(?<=[·⋅*]))"
)
# degrees Celsius: 25 oC, 25° C, 25 ºC (º was folded to ° in pass 3)
_CELSIUS = re.compile(r"(?<=\d)(?P<sp>\s?)(?:o|°)\s?C(?![A-Za-z])|°\s+C(?![A-Za-z])")
_CELSIUS_AT = re.compile(r"[o°](?:(?<=o)(?=\s?C)|(?<=°))")


def _celsius_repl(m: re.Match):
    sp = m.group("sp")
    return "°C" if sp is None else f"{sp}°C"


def _numer(n: str) -> str:
    return n.replace(" ", "").replace("u", "µ") if n[0] == "u" else n.replace(" ", "")


def _units_repl(m: re.Match):
    g = m.group
    if g("n") is not None:
        exp = g("e")
        if g("sep").strip() == "" and " " not in g("sep") and g("n") in ("m2", "cm3"):
            return None
        return f"{_numer(g('n'))} {g('d')}-{exp}"
    if g("n2") is not None:
        return f"{_numer(g('n2'))} {g('d2')}-{g('e2') or '1'}"
    if g("u3") is not None:
        return f"{g('u3')}-{g('e3')}"
    return "-"  # (cid:0) before a digit


# ---------------------------------------------------------------- pass 5: white space

# right-hand parts after which a line-break hyphen belongs to the word
_COMPOUND_TAILS = frozenset(
    """doped free based like rich type shaped coated assisted derived state dependent
    induced containing modified treated loaded decorated supported functionalized
    functionalised mediated driven enabled enhanced controlled related oriented
    sized scale level layer layered dimensional rate term range time step pot cell
    cells ion ions metal metals electrode electrodes anode anodes cathode cathodes
    deficient poor lean stable resistant resistance sensitive selective specific
    terminated bonded linked grafted wrapped embedded anchored encapsulated
    filled infused plated deposited assembled organized templated sacrificed
    situ vitro vivo ray rays""".split()
)
_COMPOUND_HEADS = frozenset(
    "self well high low large small long short non half semi quasi all cross co "
    "one two three four multi single double triple".split()
)
_WS = re.compile(
    r"(?P<hy>(?<=\w)-[ \t]*\r?\n[ \t]*(?=\w))"
    r"|(?P<glue>(?<=[/@])\r?\n[ \t]*(?=\S))"
    r"|(?P<ws>[\r\n\t\f\v][ \t\r\n\f\v]*)"
)
_WS_AT = re.compile(r"[\r\n\t\f\v-]")
# after the line breaks are gone: runs of spaces, and spaces left before punctuation
# by a removed citation ("systems [1]." -> "systems .")
_SPACES = re.compile(r" {2,}| +(?=[.,;:](?:\s|$))")
_LEFT_WORD = re.compile(r"(\w+)$")
_RIGHT_WORD = re.compile(r"\w+")


def _ws_repl_factory(compounds: frozenset):
    def repl(m: re.Match):
        kind = m.lastgroup
        if kind == "ws":
            return " "
        if kind == "glue":
            return ""
        text = m.string
        s, e = m.span()
        lm = _LEFT_WORD.search(text, max(0, s - 40), s)
        rm = _RIGHT_WORD.match(text, e)
        left = lm.group(1) if lm else ""
        right = rm.group() if rm else ""
        keep = (
            right.lower() in _COMPOUND_TAILS
            or left.lower() in _COMPOUND_HEADS
            or not left.islower()
            or not right.islower()
            or f"{left}-{right}".lower() in compounds
        )
        return "-" if keep else ""

    return repl


def _spaces_repl(m: re.Match):
    return " " if m.group(0)[-1:] == " " and m.end() < len(m.string) and m.string[m.end()] not in ".,;:" else ""


_HYPHENATED = re.compile(r"\b[A-Za-z]+-[A-Za-z]+\b")



def _again(t: str) -> bool:
    """Markup a later pass revealed to an earlier one (nested braces, escaped escapes)."""
    if any(glyphs_repl(m) is not None for m in _triggered(t, GLYPHS, GLYPHS_AT, 0)):
        return True  # an entity of an entity (&amp;gt;)
    for pattern, trigger in ((_MARKUP, _MARKUP_AT), (_CITATIONS, _CITATIONS_AT)):
        for m in _triggered(t, pattern, trigger, 0):
            if pattern is _MARKUP or m.lastgroup not in ("supnum", "uni") or _is_glued_citation(t, m.start()):
                return True
    if "@" in t and _UNIT_ARTEFACT_LEFT.search(t):
        return True  # a line break joined after "@" ("L@\n1") revealed a unit's minus artefact
    return "  " in t


_UNIT_ARTEFACT_LEFT = re.compile(r"(?<![A-Za-z])(?:cm|kg|mg|g|s|h|L|m)@[1-3](?!\d)")


# ---------------------------------------------------------------- driver


def _run(text: str) -> tuple[str, list[int]]:
    offs = list(range(len(text) + 1))
    t = text
    t, offs = _apply(t, offs, GLYPHS, glyphs_repl, GLYPHS_AT_MATH if "\\mathrm{" in t else GLYPHS_AT)
    t, offs = _apply(t, offs, _POWERS, _powers_repl, _POWERS_AT)
    t, offs = _apply(t, offs, _CITATIONS, _cite_repl, _CITATIONS_AT)
    t, offs = _markup(t, offs)
    t, offs = _apply_fold(t, offs)
    t, offs = _apply(t, offs, _UNITS, _units_repl, _UNITS_AT, back=24)
    t, offs = _apply(t, offs, _CELSIUS, _celsius_repl, _CELSIUS_AT, back=4)
    compounds = frozenset(w.lower() for w in _HYPHENATED.findall(t)) if "-\n" in t or "-\r" in t or "- \n" in t else frozenset()
    t, offs = _apply(t, offs, _WS, _ws_repl_factory(compounds), _WS_AT)
    t, offs = _apply(t, offs, _SPACES, _spaces_repl)
    # converter scripts and words last, on single spaces (a line break is a space by now)
    t, offs = _apply(t, offs, SCRIPTS_SCAN, scripts_repl_factory(offs))
    if has_glued(t):
        t, offs = _apply(t, offs, GLUED, scripts_repl_factory(offs))
    # trim; the end offset is one past the last source character used
    a, b = 0, len(t)
    while a < b and t[a] == " ":
        a += 1
    while b > a and t[b - 1] == " ":
        b -= 1
    if b == a:
        return "", [min(offs[a], len(text))]
    end = min(offs[b - 1] + 1, len(text))
    if a or b != len(t):
        t, offs = t[a:b], offs[a:b]
    else:
        del offs[-1]
    offs.append(end)
    return t, offs


def normalize(text: str) -> Normalized:
    """Normalize ``text`` (see the module docstring); offsets map back into ``text``."""
    if not text:
        return Normalized("", (0,))
    t, offs = _run(text)
    for _ in range(3):
        if not _again(t):
            break
        t2, offs2 = _run(t)
        if t2 == t:
            break
        offs = [offs[i] for i in offs2]
        t = t2
    return Normalized(t, tuple(offs))

"""Load a publisher PDF into a :class:`RawDocument`: text in reading order, cut into blocks.

The loader reads characters and their boxes with PDFium (``pypdfium2``): pdfminer (under
pdfplumber) runs at 1-6 pages/s on these papers, PDFium's text page at ~200 pages/s and it
is cleaner (ligatures resolved, words spaced, line-end hyphens marked). Two ctypes calls per
character (code point, loose box) feed numpy; everything after works on fragments and lines,
which keeps the loader above 50 pages/s. From the characters it builds, per page:

1. *fragments*: runs of characters PDFium put on one line, split where the next character
   does not overlap the previous one vertically (a new line) or jumps far left/right;
   rotated characters (margin watermarks) are dropped; a word space the text layer lacks
   is put back where two glyphs of one size and baseline stand further apart than letters
   do; symbol-font glyphs without Unicode names are mapped by :func:`symbol_glyph`;
2. *lines*: fragments merged when they sit on the same line (a superscript, a subscript
   pushed after its line by the content stream, the rest of a line after an exponent);
   raised/lowered smaller glyphs become Unicode super/subscripts (``cm⁻²``, ``Li₂CO₃``);
3. *reading order*: a column gutter is looked for from the lines' x-extents; full-width lines
   above the columns come first, then the left column, the right column, then full-width
   lines below (full-width lines between column text, i.e. floats, come after the columns);
4. *blocks*: lines grouped into paragraphs (a gap wider than the document's leading, a
   size change, a bold line, an indent, a caption start), with roles ``title`` (the first
   page's largest type, if short), ``heading``, ``caption``, ``body``, ``footnote`` or
   ``unknown``; body text a layout poured into a caption's style is cut off the caption
   (:func:`caption_tail`).

Running heads, footers and page numbers are removed generically: a line in the top or bottom
margin whose text (digits ignored) recurs at the same height on many pages; they are kept in
``meta["furniture"]`` as ``(page, "header"|"footer", text)`` for ``hostkb text --layout``. Hyphens at line
ends are joined or kept by :func:`join_hyphenated`, which looks at the document's own words.
"""

from __future__ import annotations

import bisect
import ctypes
import hashlib
import re
import statistics
import unicodedata
from collections import Counter, defaultdict
from ctypes import CFUNCTYPE, c_float, c_int, c_uint, c_ulong, c_void_p
from dataclasses import dataclass, field
from itertools import repeat
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from .deadline import check
from .errors import LoadError
from .types import Block, RawDocument, Table, TableCell

__all__ = ["load_pdf", "join_hyphenated", "to_superscript", "to_subscript", "symbol_glyph", "caption_tail"]


# ---------------------------------------------------------------- PDFium calls
# Per-character calls dominate the run time. ctypes prototypes taking plain integers (no
# pointer objects to build per call) and ``map`` over index ranges keep the loop in C.


def _proto(fn, restype, *argtypes):
    return CFUNCTYPE(restype, *argtypes)(ctypes.cast(fn, c_void_p).value)


_get_unicode = _proto(pdfium_c.FPDFText_GetUnicode, c_uint, c_void_p, c_int)
_get_loose_box = _proto(pdfium_c.FPDFText_GetLooseCharBox, c_int, c_void_p, c_int, c_void_p)
_get_angle = _proto(pdfium_c.FPDFText_GetCharAngle, c_float, c_void_p, c_int)
_get_weight = _proto(pdfium_c.FPDFText_GetFontWeight, c_int, c_void_p, c_int)
_get_font_info = _proto(
    pdfium_c.FPDFText_GetFontInfo, c_ulong, c_void_p, c_int, c_void_p, c_ulong, c_void_p
)


# ---------------------------------------------------------------- character repair

_LIGATURES = {
    "\ufb00": "ff",
    "\ufb01": "fi",
    "\ufb02": "fl",
    "\ufb03": "ffi",
    "\ufb04": "ffl",
    "\ufb05": "st",
    "\ufb06": "st",
    # Private-use code points some publisher fonts give their ligatures (seen in RSC PDFs).
    "\ue09d": "ft",
    "\ue103": "fi",
    "\ue104": "fl",
    "\ue0d5": "-",  # a hyphen in ACS (Advent) fonts: "β-MnO2"
}
# Symbol fonts whose glyphs PDFium cannot name (no ToUnicode map, an encoding of their own)
# come out as the font's raw codes: a control character, a Latin letter, or U+F0xx (a
# symbolic TrueType font). The table maps (font family, code) to the character meant; the
# family is matched on the font's base name without its subset tag ("ABCDEF+").
_GREEK = {ord(a): b for a, b in zip(
    "abcdefghiklmnopqrstwxyzABDEFGHKLMNPQRSTUXYZ",
    "αβχδεφγηικλµνοπθρστωξψζΑΒΔΕΦΓΗΚΛΜΝΠΘΡΣΤΩΞΨΖ")}
_SYMBOL_FONTS: tuple[tuple[re.Pattern, dict[int, str]], ...] = (
    # Advent 3B2 Greek fonts (upright and italic, seen in RSC papers): Latin letters on the
    # Symbol font's Greek layout, except that "U" is the Omega ("25 kU" is 25 kΩ).
    (re.compile(rb"^AdvPS(?:3F4C13|4721B4)$"), _GREEK),
    # Advent 3B2 math fonts ("AdvP…", "AdvMacMthSy…") put math glyphs on Latin-1 codes.
    (re.compile(rb"^Adv(P|Mac|Mth|Sym|PS)|MathPi|MTSY|Mathematical", re.I),
     {0xBC: "=", 0xF0: "(", 0xDE: ")", 0xFE: "+", 0xBD: "[", 0xFFFD: "]"}),
    # TeX math symbol fonts in the OMS encoding (Computer/Latin Modern, TX, PX, MathTime).
    (re.compile(rb"^(?:CMSY|LMMathSymbols|rtxsy|txsy|pxsy)", re.I),
     {0x00: "−", 0x01: "·", 0x02: "×", 0x06: "±", 0x0E: "°", 0x14: "≤", 0x15: "≥",
      0x18: "~", 0x19: "≈", 0x6A: "|", 0x6B: "‖"}),
)
# Codes worth a look at their font on every page (letters only on pages that use a font
# whose table maps letters, see :func:`_page_symbol_codes`).
_SYMBOL_CODES = frozenset(
    {c for _, table in _SYMBOL_FONTS for c in table if not chr(c).isalpha() or c > 0x7F}
    | {0xF000 + c for _, t in _SYMBOL_FONTS for c in t if c < 0x100}
    | set(range(32))
)
_LETTER_FONTS = tuple(family for family, table in _SYMBOL_FONTS if any(chr(c).isalpha() and c < 0x80 for c in table))
_get_text_font = _proto(pdfium_c.FPDFTextObj_GetFont, c_void_p, c_void_p)
_font_base_name = _proto(pdfium_c.FPDFFont_GetBaseFontName, c_ulong, c_void_p, c_void_p, c_ulong)


def _page_symbol_codes(page) -> frozenset:
    """``_SYMBOL_CODES``, plus the letters when the page uses a font whose table maps
    letters (a Greek font): its text objects' fonts are read once per page."""
    if not _LETTER_FONTS:
        return _SYMBOL_CODES
    names = set()
    buf = ctypes.create_string_buffer(128)
    for i in range(pdfium_c.FPDFPage_CountObjects(page.raw)):
        obj = pdfium_c.FPDFPage_GetObject(page.raw, i)
        if pdfium_c.FPDFPageObj_GetType(obj) == pdfium_c.FPDF_PAGEOBJ_TEXT:
            font = _get_text_font(ctypes.cast(obj, c_void_p).value)
            if font and font not in names:
                names.add(font)
                _font_base_name(font, ctypes.addressof(buf), 128)
                base = _SUBSET_TAG.sub(b"", buf.value)
                if any(f.search(base) for f in _LETTER_FONTS):
                    return _SYMBOL_CODES | frozenset(range(0x41, 0x7B))
    return _SYMBOL_CODES
_SUBSET_TAG = re.compile(rb"^[A-Z]{6}\+")
_CELL_GAP = 0.9  # glyphs further apart than this (in glyph heights) inside a table: two cells
_WORD_GAP = 0.12  # a gap wider than this (in glyph heights) between letters is a word space
_CLOSERS = np.array([ord(c) for c in ".,;:)]%"])
_OPENERS = np.array([ord(c) for c in "(["])


def _wordy(c: np.ndarray) -> np.ndarray:
    """Letters and digits (ASCII, Latin-1 and beyond, Greek), vectorised over code points."""
    return (((c >= 48) & (c <= 57)) | ((c >= 65) & (c <= 90)) | ((c >= 97) & (c <= 122))
            | ((c >= 0xC0) & (c < 0x2000) & (c != 0xD7) & (c != 0xF7)))


def symbol_glyph(font: bytes, code: int) -> str | None:
    """The character a symbol font's glyph stands for, from ``_SYMBOL_FONTS``; ``None`` when
    the font is not a known symbol font or the code is not in its table."""
    base = _SUBSET_TAG.sub(b"", font)
    for family, table in _SYMBOL_FONTS:
        if family.search(base):
            ch = table.get(code)
            if ch is None and 0xF000 <= code <= 0xF0FF:
                ch = table.get(code - 0xF000)
            return ch
    return None
_HYPHENS = "-\ufffe\u00ad\u2010\u2011"

_SUPER = str.maketrans("0123456789+-−=()ni", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁻⁼⁽⁾ⁿⁱ")
_SUB = str.maketrans("0123456789+-−=()x", "₀₁₂₃₄₅₆₇₈₉₊₋₋₌₍₎ₓ")
_SUPERABLE = frozenset("0123456789+-−=()ni")
_SUBABLE = frozenset("0123456789+-−=()x")


def to_superscript(run: str) -> str:
    """A raised run as Unicode superscripts. A leading dash of any kind, or a glyph the font
    could not map (``@``, a control character, U+FFFD, private use), before a digit is a minus."""
    if len(run) > 1 and run[1].isdigit() and (run[0] in "-−–‐@\ufffd" or _junk(run[0])):
        run = "−" + run[1:]
    out = []
    for ch in run:
        out.append(ch.translate(_SUPER) if ch in _SUPERABLE else ch)
    return "".join(out)


def to_subscript(run: str) -> str:
    return "".join(ch.translate(_SUB) if ch in _SUBABLE else ch for ch in run)


def _junk(ch: str) -> bool:
    o = ord(ch)
    return o < 32 or 0xE000 <= o <= 0xF8FF or ch == "\ufffd"


# ---------------------------------------------------------------- hyphenation

# Right-hand parts that make a compound with a hyphen in chemistry/materials prose.
_COMPOUND_TAILS = frozenset(
    "free based like type doped coated rich poor scale state derived assisted dependent "
    "induced modified containing ion ions art layer layered dimensional step pot temperature "
    "situ made sized shaped term density rate cell cells film films loaded treated terminated "
    "functionalized supported stabilized driven resolved enhanced related level specific "
    "selective".split()
)
_COMPOUND_HEADS = frozenset(
    "self non well cross half quasi semi multi all high low long short two three one four "
    "dual single double triple ultra anode cathode lithium sodium metal carbon dendrite "
    "solid liquid state".split()
)


def join_hyphenated(left: str, right: str, words: set[str] = frozenset(),
                    hyphenated: set[str] = frozenset()) -> str:
    """Join the two parts of a word broken at a line end by a hyphen.

    ``left`` is the part before the hyphen (hyphen removed), ``right`` the part after.
    ``words`` are the document's unhyphenated words and ``hyphenated`` its words written with
    a hyphen inside a line (both lowercase). The document decides first: ``left+right`` seen
    elsewhere joins, ``left-right`` seen elsewhere keeps the hyphen. Otherwise the hyphen is
    kept when the right part starts with a capital or digit, when the left part holds a capital
    or digit (``N-doped``, ``Li-ion``, ``3D-printed``) or is one letter (``p-type``), or when
    either part is a usual compound head/tail (``dendrite-free``, ``self-assembled``).
    """
    lw = re.search(r"[\w]+$", left)
    rw = re.match(r"[\w]+", right)
    lword = lw.group(0) if lw else ""
    rword = rw.group(0) if rw else ""
    if not lword or not rword:
        return f"{left}-{right}"
    joined = (lword + rword).lower()
    if joined in words:
        return left + right
    if f"{lword}-{rword}".lower() in hyphenated:
        return f"{left}-{right}"
    if (rword[0].isupper() or rword[0].isdigit() or any(c.isupper() or c.isdigit() for c in lword)
            or len(lword) == 1 or rword.lower() in _COMPOUND_TAILS
            or lword.lower() in _COMPOUND_HEADS):
        return f"{left}-{right}"
    return left + right


# ---------------------------------------------------------------- page model


@dataclass
class _Line:
    chars: list  # [ch, left, right, bottom, top, fragment_id]
    x0: float
    x1: float
    y0: float  # bottom
    y1: float  # top
    h: float = 0.0  # dominant loose-box height (a font size proxy)
    text: str = ""
    bold: bool = False  # bold, or the whole line in a (non-italic) font other than the body's
    font: bytes = b""
    first: int = -1  # PDFium index of the first/last letter (to query font facts)
    last: int = -1
    page: int = 0
    col: str = "full"  # full, left, right

    plain: bool = False  # one fragment, one size, one baseline
    cy0: float = 0.0  # vertical band of the full-size glyphs (sub/superscripts left out)
    cy1: float = 0.0
    runin: int = 0  # length of a bold run-in heading that opens the line ("2.1. Materials. The ...")
    runin_head: bool = False  # this line is such a heading, split off its line

    def overlap(self, other: "_Line") -> float:
        return min(self.cy1, other.cy1) - max(self.cy0, other.cy0)


@dataclass
class _Block:
    lines: list[_Line]
    page: int
    role: str = "body"
    text: str = ""
    size: float = 0.0
    extra: dict = field(default_factory=dict)


_CAPTION = re.compile(
    r"^(?:Fig(?:ure)?s?\.?|FIG(?:URE|\.)|Table|TABLE|Scheme|SCHEME|Chart|CHART)\s*S?\d+[A-Za-z]?\b"
)
_CAPTION_PUNCT = re.compile(
    r"^(?:Fig(?:ure)?s?\.?|FIG(?:URE|\.)|Table|TABLE|Scheme|SCHEME|Chart|CHART)\s*S?\d+[A-Za-z]?\s*[.:|]"
)
_NUMBERED_HEADING = re.compile(r"^(?:\d+(?:\.\d+)*\.?|[IVX]+\.|[A-H]\.)\s+[A-Z]")
# A section number as headings write it ("2.", "2.1", "2.1.", "IV."); a count ("10 C") is not.
_SECTION_NUMBER = re.compile(r"^(?:\d{1,2}(?:\.\d{1,2})*\.|\d{1,2}(?:\.\d{1,2})+|[IVX]{1,4}\.)\s+[A-Z]")
_LICENSE = re.compile(r"^(?:Open Access\b|©)|licensed under a Creative Commons|Reprints and permissions|"
                      r"permits unrestricted use, distribution", re.I)
_DOI = re.compile(r"\b(10\.\d{4,9}/[^\s\"<>,;]+[^\s\"<>,;.)\]])")
_BOILERPLATE = re.compile(
    r"^(?:Downloaded (?:via|from|by)|Open Access Article|This article is licensed under|"
    r"View Article Online|View Journal|See https://pubs\.acs\.org/sharingguidelines|"
    r"This is an open access article published under)",
    re.I,
)


_FRONT_LINE = re.compile(r"^(?:Received|Accepted|Revised|Published(?: online)?|Available online)\b[\s:]*\d")
_FIRST_PAGE_FOOT = 0.22  # share of the page height at its foot where page 1 puts small print
_TITLE_WORDS = 40  # longer than any paper title; an abstract set in large type is longer


def _fragments(raw: int, codes: list[int], box, symbol_codes: frozenset = frozenset()) -> list[list[tuple]]:
    """Split a page's characters into fragments: PDFium's lines, cut again where a glyph does
    not overlap the previous one vertically or jumps far left/right. Rotated fragments are
    dropped. A glyph is ``(char, left, right, bottom, top, fragment, index)``; spaces inside
    a fragment are kept as zero-width glyphs. Vectorised: this runs for every character."""
    n = len(codes)
    code = np.asarray(codes)
    newline = (code == 10) | (code == 13)
    space = (code == 32) | (code == 0xA0)
    g = np.flatnonzero(~newline & ~space)
    if g.size == 0:
        return []
    left, top, right, bottom = (box[g, k].astype(np.float64) for k in range(4))
    h = top - bottom
    nl = np.cumsum(newline)
    brk = np.empty(g.size, dtype=bool)
    brk[0] = True
    ph = h[:-1]
    brk[1:] = ((nl[g[1:]] != nl[g[:-1]])
               | (top[1:] <= bottom[:-1] + 0.05 * ph) | (bottom[1:] >= top[:-1] - 0.05 * ph)
               | (left[1:] < left[:-1] - 3 * ph) | (left[1:] > right[:-1] + 2.5 * ph))
    fid = np.cumsum(brk)
    starts = g[brk]
    angles = list(map(_get_angle, repeat(raw, starts.size), starts.tolist()))
    keep_frag = [True] + [a <= 0.05 or abs(a - 6.2832) <= 0.05 for a in angles]
    # Spaces between two glyphs of one fragment.
    sp = np.flatnonzero(space)
    if sp.size:
        pos = np.searchsorted(g, sp)
        ok = (pos > 0) & (pos < g.size)
        sp, pos = sp[ok], pos[ok]
        same = fid[pos - 1] == fid[pos]
        sp, pos = sp[same], pos[same]
        # one space per gap
        if sp.size:
            first = np.ones(sp.size, dtype=bool)
            first[1:] = pos[1:] != pos[:-1]
            sp, pos = sp[first], pos[first]
    # Word gaps the text layer left without a space: two glyphs of one size on one baseline,
    # a word character (or closing punctuation) then a word character (or an opening
    # bracket), further apart than letters ever are.
    cg = code[g]
    gap = left[1:] - right[:-1]
    cand = ((fid[1:] == fid[:-1]) & (gap > _WORD_GAP * ph) & (gap < 2.5 * ph)
            & (np.abs(bottom[1:] - bottom[:-1]) < 0.1 * ph) & (np.abs(h[1:] - ph) < 0.05 * ph)
            & (_wordy(cg[:-1]) | np.isin(cg[:-1], _CLOSERS)) & (_wordy(cg[1:]) | np.isin(cg[1:], _OPENERS)))
    if sp.size:
        cand[pos - 1] = False  # a space is already there
    if cand.any():  # letter-spaced text ("A R T I C L E"): three gaps in a row or more
        run_id = np.cumsum(np.concatenate(([True], cand[1:] != cand[:-1])))
        run_len = np.bincount(run_id)[run_id]
        cand &= run_len < 3
    syn = np.flatnonzero(cand) + 1  # position (in g) of the glyph after the gap
    idx = np.concatenate((g, sp, g[syn]))
    order = np.argsort(np.concatenate((2 * g, 2 * sp, 2 * g[syn] - 1)), kind="stable")
    idx = idx[order]
    is_sp = np.concatenate((np.zeros(g.size, dtype=bool), np.ones(sp.size + syn.size, dtype=bool)))[order]
    ids = np.concatenate((fid, fid[pos] if sp.size else fid[:0], fid[syn]))[order]
    b = box[idx].astype(np.float64)
    lft, tp, rgt, bot = b[:, 0], b[:, 1], b[:, 2], b[:, 3]
    rgt = np.where(is_sp, lft, rgt)
    tp = np.where(is_sp, bot, tp)
    chars = [chr(codes[i]) for i in idx.tolist()]
    for k, i in enumerate(idx.tolist()):
        if is_sp[k]:
            chars[k] = " "
            continue
        c = codes[i]
        if c in symbol_codes:
            mapped = symbol_glyph(_font_name(raw, i) or b"", c)
            if mapped is not None:
                chars[k] = mapped
            elif c == 2 and i + 1 < n and codes[i + 1] not in (10, 13):
                chars[k] = "\ufffe"  # PDFium's 0x02: a line-end hyphen it joined to the next line
    glyphs = list(zip(chars, lft.tolist(), rgt.tolist(), bot.tolist(), tp.tolist(),
                      ids.tolist(), idx.tolist()))
    cuts = (np.flatnonzero(np.diff(ids)) + 1).tolist()
    # Per-fragment geometry: extents, median glyph height and band, "plain" (one baseline,
    # one size: nothing to do for super/subscripts).
    starts = np.flatnonzero(brk)
    counts = np.diff(np.append(starts, g.size))
    mid = starts + counts // 2
    x0 = np.minimum.reduceat(left, starts).tolist()
    x1 = np.maximum.reduceat(right, starts).tolist()
    y0 = np.minimum.reduceat(bottom, starts)
    y1 = np.maximum.reduceat(top, starts).tolist()
    hmed = h[np.lexsort((h, fid))][mid]
    cy0 = bottom[np.lexsort((bottom, fid))][mid].tolist()
    cy1 = top[np.lexsort((top, fid))][mid].tolist()
    plain = ((np.minimum.reduceat(h, starts) >= 0.92 * hmed)
             & (np.maximum.reduceat(bottom, starts) - y0 < 0.15 * hmed)).tolist()
    y0, hmed = y0.tolist(), hmed.tolist()
    frags = []
    for a, z in zip([0] + cuts, cuts + [len(glyphs)]):
        f = ids[a]
        if keep_frag[f]:
            k = f - 1
            frags.append((glyphs[a:z], x0[k], x1[k], y0[k], y1[k], hmed[k], cy0[k], cy1[k], plain[k]))
    return frags


def _read_page(page, textpage, pageno: int) -> list[_Line]:
    """Characters of one page as lines (fragments merged), rotated text dropped."""
    raw = ctypes.cast(textpage.raw, c_void_p).value
    n = pdfium_c.FPDFText_CountChars(textpage.raw)
    if n <= 0:
        return []
    codes = list(map(_get_unicode, repeat(raw, n), range(n)))
    rects = (c_float * (4 * n))()
    base = ctypes.addressof(rects)
    list(map(_get_loose_box, repeat(raw, n), range(n), range(base, base + 16 * n, 16)))
    frags = _fragments(raw, codes, np.frombuffer(rects, dtype=np.float32).reshape(n, 4),
                       _page_symbol_codes(page))

    lines: list[_Line] = []
    for frag, x0, x1, y0, y1, h, cy0, cy1, plain in frags:
        line = _Line(chars=frag, x0=x0, x1=x1, y0=y0, y1=y1, h=h, page=pageno,
                     cy0=cy0, cy1=cy1, plain=plain)
        # Attach to one of the last lines when on the same line and adjacent/overlapping.
        host = None
        for cand in reversed(lines[-4:]):
            ov = line.overlap(cand)
            # a subscript or exponent the text layer gave its own fragment ("Ni3S" then a
            # lowered "2") overlaps the line's band by less than a full glyph does
            small = line.h < 0.85 * cand.h and len(line.chars) <= 8
            need = 0.15 * (line.cy1 - line.cy0) if small else 0.4 * min(line.cy1 - line.cy0, cand.cy1 - cand.cy0)
            if ov < need or ov <= 0:
                continue
            hh = max(cand.h, line.h)
            if line.x0 > cand.x1 + 1.0 * hh or line.x1 < cand.x0 - 1.0 * hh:
                continue
            if (line.x0 - cand.x1 > 0.55 * hh and len(cand.chars) >= 15 and abs(line.h - cand.h) < 0.1 * hh):
                continue  # two columns set close together: long lines side by side, not one line
            host = cand
            break
        if host is None:
            lines.append(line)
            continue
        host.plain = False
        if line.x0 >= host.x1 - 0.3 * host.h:
            host.chars.extend(line.chars)
        elif line.x1 <= host.x0 + 0.5:
            host.chars[:0] = line.chars
        elif line.h < 0.85 * host.h or len(line.chars) <= 2:
            host.chars = _interleave(host.chars, line.chars)
        else:  # same height, overlapping: another line that happens to touch this one
            lines.append(line)
            continue
        host.x0, host.x1 = min(host.x0, line.x0), max(host.x1, line.x1)
        host.y0, host.y1 = min(host.y0, line.y0), max(host.y1, line.y1)
        if line.h > host.h:
            host.h = line.h
    for line in lines:
        line.text = _fix_chars(_render(line))
        chars = line.chars
        line.first = next((g[6] for g in chars if g[0].isalnum()), -1)
        line.last = next((g[6] for g in reversed(chars) if g[0].isalnum()), -1)
    return lines


def _interleave(host: list, extra: list) -> list:
    """Insert the words of a small fragment (a subscript pushed to the end of the content
    stream, an accent) into a line at their x positions. A space that only stood for the gap
    the inserted glyphs fill is dropped; the fragment's own spaces are kept."""
    out = list(host)
    words: list[list] = [[]]
    for g in extra:
        if g[0] == " ":
            words.append([g])
        else:
            words[-1].append(g)
    for word in words:
        glyphs = [g for g in word if g[0] != " "]
        if not glyphs:
            continue
        mid = (glyphs[0][1] + glyphs[0][2]) / 2
        k = len(out)
        for idx, h in enumerate(out):
            if h[0] != " " and h[1] >= mid:
                k = idx
                break
        if word[0][0] != " " and k > 0 and out[k - 1][0] == " ":
            nxt = out[k] if k < len(out) else None
            if nxt is not None and nxt[1] - glyphs[-1][2] < 0.15 * (nxt[4] - nxt[3]):
                out.pop(k - 1)
            k -= 1
        out[k:k] = word
    return out


def _render(line: _Line) -> str:
    """Text of a line: gaps between fragments become spaces, raised/lowered small glyphs
    become Unicode super/subscripts."""
    if line.plain:
        return "".join([g[0] for g in line.chars])
    glyphs = [g for g in line.chars if g[0] != " "]
    hs = sorted(g[4] - g[3] for g in glyphs)
    H = hs[len(hs) // 2] or 1.0
    line.h = H
    chars = line.chars
    # Fast path: one fragment, every glyph full size on one baseline (most lines).
    if hs[0] >= 0.92 * H and chars[0][5] == chars[-1][5]:
        bottoms = [g[3] for g in glyphs]
        if max(bottoms) - min(bottoms) < 0.15 * H:
            return "".join([g[0] for g in chars]).strip()
    bases = sorted(g[3] + 0.22 * (g[4] - g[3]) for g in glyphs if g[4] - g[3] >= 0.9 * H)
    base = bases[len(bases) // 2] if bases else glyphs[0][3]
    out: list[str] = []
    kinds: list[int] = []  # 0 normal, 1 super, -1 sub, per emitted char
    prev = None
    for g in line.chars:
        ch = g[0]
        if ch == " ":
            if out and out[-1] != " ":
                out.append(" ")
                kinds.append(0)
            continue
        h = g[4] - g[3]
        dy = g[3] + 0.22 * h - base
        kind = 0
        if h < 0.92 * H or abs(dy) > 0.3 * H:
            if dy > 0.18 * H:
                kind = 1
            elif dy < -0.1 * H and h < 0.9 * H:
                kind = -1
        if prev is not None and out and out[-1] != " " and g[5] != prev[5]:
            gap = g[1] - prev[2]
            if gap > 0.2 * H and kind == 0:
                out.append(" ")
                kinds.append(0)
        out.append(ch)
        kinds.append(kind)
        prev = g
    # Emit runs.
    res: list[str] = []
    i = 0
    m = len(out)
    while i < m:
        k = kinds[i]
        j = i + 1
        while j < m and kinds[j] == k:
            j += 1
        run = "".join(out[i:j])
        if k == 1:
            res.append(_super_run(run, res))
        elif k == -1:
            res.append(_sub_run(run, res))
        else:
            res.append(run)
        i = j
    return "".join(res).strip()


def _super_run(run: str, before: list[str]) -> str:
    prev = before[-1][-1:] if before else ""
    core = run.strip()
    if not core:
        return run
    # Only numeric-ish runs become superscripts; raised letters (affiliations, footnote
    # marks) stay as they are.
    if all(c in _SUPERABLE or c in ",–‐@\ufffd" or _junk(c) for c in core) and any(
        c.isdigit() or c in "+-−" for c in core
    ):
        return to_superscript(core) if prev != " " else " " + to_superscript(core)
    return run


def _sub_run(run: str, before: list[str]) -> str:
    prev = before[-1][-1:] if before else ""
    core = run.strip()
    if core and prev and prev not in " (" and all(c in _SUBABLE or c == "." for c in core) and (
        any(c.isdigit() for c in core) or core == "x"
    ) and core[0] != "." and core[-1] != ".":
        return to_subscript(core)
    return run


# ---------------------------------------------------------------- page layout


@dataclass
class _Region:
    """Lines stacked into one column-shaped run (one or more paragraphs)."""

    lines: list[_Line]
    x0: float
    x1: float
    y0: float
    y1: float
    col: str = "full"
    _weight: int | None = None

    def add(self, line: _Line) -> None:
        self._weight = None
        self.lines.append(line)
        self.x0, self.x1 = min(self.x0, line.x0), max(self.x1, line.x1)
        self.y0, self.y1 = min(self.y0, line.y0), max(self.y1, line.y1)

    @property
    def weight(self) -> int:
        if self._weight is None:
            self._weight = sum(len(l.text) for l in self.lines)
        return self._weight


def _is_caption_start(line: _Line) -> bool:
    return bool(_CAPTION.match(line.text)) and (bool(_CAPTION_PUNCT.match(line.text)) or line.bold)


def _continues(prev: _Line, line: _Line) -> bool:
    """Does ``line`` continue the run whose last line is ``prev`` (directly below, same size,
    same left edge or overlapping)? The gap is measured between full-size glyphs, so an
    exponent raised at a line's end does not bring the line up to the one above."""
    h = max(prev.h, line.h)
    if abs(prev.h - line.h) > 0.15 * h:
        return False
    gap = prev.cy0 - line.cy1  # full-size glyphs: a raised exponent does not close the gap
    if gap < -0.35 * h or gap > 0.9 * h:
        return False
    overlap = min(prev.x1, line.x1) - max(prev.x0, line.x0)
    if overlap < 0.5 * min(prev.x1 - prev.x0, line.x1 - line.x0) and abs(line.x0 - prev.x0) > 1.5 * h:
        return False
    return not (_is_caption_start(line) and (line.bold or prev.text[-1:] in ".!?"))


def _regions(lines: list[_Line]) -> list[_Region]:
    """Lines (content order) into column-shaped regions. A line joins one of the last open
    regions if it continues it, so interleaved content streams still group right."""
    regions: list[_Region] = []
    for line in lines:
        for reg in reversed(regions[-3:]):
            if _continues(reg.lines[-1], line):
                reg.add(line)
                break
        else:
            regions.append(_Region([line], line.x0, line.x1, line.y0, line.y1))
    return regions


def _find_gutter(regions: list[_Region], width: float) -> float | None:
    """x of the column gutter: the x in the middle of the text span crossed by the least text,
    with at least 15% of the page's text on each side."""
    xs0 = min(r.x0 for r in regions)
    xs1 = max(r.x1 for r in regions)
    span = xs1 - xs0
    if span < 0.5 * width:
        return None
    total = sum(r.weight for r in regions) or 1
    mid = xs0 + span / 2
    best = None
    x = xs0 + 0.3 * span
    while x <= xs0 + 0.7 * span:
        cross = left = right = 0
        for r in regions:
            if r.x1 <= x + 2:
                left += r.weight
            elif r.x0 >= x - 2:
                right += r.weight
            else:
                cross += r.weight
        if left >= 0.15 * total and right >= 0.15 * total:
            key = (cross, abs(x - mid))
            if best is None or key < best[0]:
                best = (key, x)
        x += 2.0
    return best[1] if best else None


def _order_regions(regions: list[_Region], width: float) -> list[_Region]:
    """Regions in reading order: bands of columns (left column, then right) separated by
    full-width regions; narrow regions beside a full-width one (a side bar) follow it."""
    if not regions:
        return []
    gutter = _find_gutter(regions, width)
    by_top = sorted(regions, key=lambda r: -r.y1)
    if gutter is None:
        return by_top
    for r in regions:
        r.col = "left" if r.x1 <= gutter + 2 else "right" if r.x0 >= gutter - 2 else "full"
    out: list[_Region] = []
    band: list[_Region] = []
    floor = None  # bottom of the last full-width region
    for r in by_top:
        if r.col == "full":
            out.extend(sorted(band, key=lambda r: (r.col != "left", -r.y1)))
            band = []
            out.append(r)
            floor = r.y0
        elif floor is not None and r.y1 > floor + 0.5 * r.lines[0].h:
            out.append(r)  # beside the full-width region above
        else:
            band.append(r)
    out.extend(sorted(band, key=lambda r: (r.col != "left", -r.y1)))
    return out


def _repeated_keys(pages: list[list[_Line]], heights: list[float]) -> set[tuple[int, int]]:
    """(page, line id) of running heads/footers: margin lines recurring, digits ignored,
    at the same height on at least 40% of the pages (and two of them)."""
    seen: dict[str, list[tuple[int, float, int]]] = defaultdict(list)
    for p, lines in enumerate(pages):
        H = heights[p]
        for l in lines:
            yc = (l.y0 + l.y1) / 2
            if H * 0.1 < yc < H * 0.9:
                continue
            key = re.sub(r"\d+", "#", l.text.lower()).strip()
            key = re.sub(r"\s+", " ", key)
            seen[key].append((p, yc, id(l)))
    drop: set[tuple[int, int]] = set()
    n = len(pages)
    need = max(2, 0.4 * n) if n > 1 else 99
    for key, hits in seen.items():
        if re.fullmatch(r"[#\s|.\-–/of page]*", key):  # page numbers and "Page # of #"
            drop.update((p, i) for p, _, i in hits)
            continue
        ys = sorted(y for _, y, _ in hits)
        med = ys[len(ys) // 2]
        near = [(p, i) for p, y, i in hits if abs(y - med) < 12]
        if len({p for p, _ in near}) >= need:
            drop.update(near)
    return drop


# ---------------------------------------------------------------- blocks


def _leading(regions: list[_Region]) -> dict[float, float]:
    """The document's usual baseline-to-baseline distance inside a paragraph, in line
    heights, per type size (rounded to 0.5): the median over consecutive lines of that size.
    Small print is often set on the body's pitch, so each size gets its own; key 0.0 holds
    the median over all sizes."""
    ratios: dict[float, list[float]] = defaultdict(list)
    for reg in regions:
        for prev, line in zip(reg.lines, reg.lines[1:]):
            if line.h > 0 and abs(prev.h - line.h) < 0.05 * line.h:
                r = (prev.cy0 - line.cy0) / line.h
                if 0.8 < r < 2.5:
                    ratios[round(line.h * 2) / 2].append(r)
    out = {size: statistics.median(rs) for size, rs in ratios.items() if len(rs) >= 5}
    every = [r for rs in ratios.values() for r in rs]
    if len(every) >= 10:
        out[0.0] = statistics.median(every)
    return out


def _paragraphs(region: _Region, page: int, leading: dict[float, float] | None = None) -> list[_Block]:
    """Split a region into paragraphs. A new one starts at an indented first line after a
    line ending a sentence, at a caption opening, after a bold heading line, at a bold line
    after plain ones (a heading on its own line), at a bold numbered line after another
    bold line (a section heading, then its first subsection), at a change of type size,
    and after a gap wider than the usual pitch (paragraphs set apart by space rather than by
    an indent): the region's own when it is long enough, else the document's ``leading``
    for the line's type size."""
    lines: list[_Line] = []
    for line in region.lines:
        # on its own a run-in heading is two words or numbered; the run-in end of a heading
        # whose first line stands above may be one word and open in lowercase
        head = line.text[: line.runin].split()
        if line.runin and ((lines and lines[-1].bold) or (
                not head[0][:1].islower() and (len(head) >= 2 or head[0][:1].isdigit()))):
            lines.extend(_split_runin(line))
        else:
            lines.append(line)
    blocks: list[_Block] = []
    cur: list[_Line] = [lines[0]]
    own = _leading([region]).get(0.0)  # a region of ten lines or more: its own pitch
    for prev, line in zip(lines, lines[1:]):
        h = line.h
        short = prev.x1 < region.x1 - 1.5 * h
        indented = line.x0 > region.x0 + 0.6 * h
        ends = prev.text[-1:] in ".:!?"
        lower = line.text[:1].islower()
        usual = own or (leading or {}).get(round(h * 2) / 2) or (leading or {}).get(0.0)
        spaced = usual is not None and h > 0 and (prev.cy0 - line.cy0) / h > usual + 0.25
        resized = abs(prev.h - line.h) > 0.05 * max(prev.h, line.h)
        new = (
            (indented and (short or ends) and not lower)
            or (prev.bold and not line.bold and prev.text[-1:] not in ".,;" and all(l.bold for l in cur)
                and not lower)
            or (line.bold and not prev.bold and not lower and (spaced or ends or short or resized))
            or (line.bold and prev.bold and _SECTION_NUMBER.match(line.text) is not None)
            or ((spaced or resized) and not lower)
            or prev.runin_head or (line.runin_head and not all(l.bold for l in cur))
            or line.text.startswith("■") or prev.text.startswith("■")
        )
        if new:
            blocks.append(_Block(cur, page))
            cur = [line]
        else:
            cur.append(line)
    blocks.append(_Block(cur, page))
    blocks[0].extra["region_start"] = True
    return blocks


def _join_lines(lines: list[_Line], words: set[str], hyph: set[str]) -> str:
    text = ""
    for line in lines:
        t = line.text
        if not text:
            text = t
            continue
        if text[-1] in _HYPHENS and len(text) > 1 and text[-2].isalpha() and t[:1].isalpha():
            left = text[:-1]
            m = re.match(r"\S+", t)
            right_word = m.group(0)
            joined = join_hyphenated(left, right_word, words, hyph)
            text = joined + t[len(right_word):]
        else:
            text = text + " " + t
    text = text.replace("\ufffe", "-").replace("\u00ad", "")
    if "- " in text:
        text = _INLINE_BREAK.sub(lambda m: _inline_break(m, words), text)
    return text


# "reten- tion" inside a line: a line-break hyphen of the text the page was typeset from
_INLINE_BREAK = re.compile(r"(?<![\w-])([A-Za-z]+)- ([a-z]+)\b")


def _inline_break(m: re.Match, words: set[str]) -> str:
    joined = m.group(1) + m.group(2)
    return joined if joined.lower() in words else m.group(0)


_LIGATURE_TABLE = str.maketrans(_LIGATURES)
_RARE = re.compile(r"[\x00@˚¨´ˇ˜\ufb00-\ufb06\ue09d\ue103\ue104\ue0d5]|\(cid:|[⁻₋] ")


def _fix_chars(text: str) -> str:
    if not _RARE.search(text):  # most lines: nothing to repair
        return text
    text = text.translate(_LIGATURE_TABLE)
    if "(cid:" in text:
        text = re.sub(r"\(cid:0\)", "−", text)
        text = re.sub(r"\(cid:\d+\)", "\ufffd", text)
    text = text.replace("\x00", "−")
    if "@" in text:  # a minus some fonts' glyph tables name "@": "at @0.03 V" (not "Li@C", mail)
        text = _AT_MINUS.sub("−", text)
    if "⁻ " in text or "₋ " in text:  # a raised minus and its digit set apart: "cm⁻  ²"
        text = _SPLIT_EXPONENT.sub(r"\1", text)
    if "˚" in text or "¨" in text or "´" in text or "ˇ" in text or "˜" in text:
        text = _ACCENT.sub(_accent, text)
    return text


_SPACING_ACCENTS = {"¨": "\u0308", "´": "\u0301", "`": "\u0300", "ˆ": "\u0302", "˜": "\u0303",
                    "˚": "\u030a", "ˇ": "\u030c", "¸": "\u0327"}
_ACCENT = re.compile(r"([A-Za-z])\s?([¨´ˆ˜˚ˇ¸])|([¨´ˆ˜˚ˇ])\s?([A-Za-z])|(\d\s?)˚(?=\s?[CFK]\b)")


def _accent(m: re.Match) -> str:
    """A spacing accent PDFium gave as its own glyph, put back on its letter (``A˚`` → ``Å``);
    ``˚C`` after a number is a degree sign."""
    if m.group(5) is not None:
        return m.group(5) + "°"
    letter, acc = (m.group(1), m.group(2)) if m.group(1) else (m.group(4), m.group(3))
    composed = unicodedata.normalize("NFC", letter + _SPACING_ACCENTS[acc])
    return composed if len(composed) == 1 else m.group(0)


_AT_MINUS = re.compile(r"(?<![\w@.\-/])@(?=\d)")
_SPLIT_EXPONENT = re.compile(r"([⁻₋])\s+(?=[⁰¹²³⁴⁵⁶⁷⁸⁹₀₁₂₃₄₅₆₇₈₉])")
_CONTROL = re.compile(r"[\x01-\x08\x0b\x0c\x0e-\x1f]")


def _resolve_controls(texts: list[str]) -> dict[str, str]:
    """Meaning of the control characters symbol fonts left in a document's text, voted from
    their contexts: ``150 ?C`` is a degree sign, ``4 ? 10¹⁰`` a times sign, ``2.09 ? 0.10`` a
    plus-minus, ``at ?290 eV`` a tilde. Unresolved ones become U+FFFD."""
    votes: dict[str, Counter] = defaultdict(Counter)
    for text in texts:
        for m in _CONTROL.finditer(text):
            before, after = text[max(0, m.start() - 12): m.start()], text[m.end(): m.end() + 12]
            c = m.group(0)
            if re.match(r"\s?[CFK]\b", after) and re.search(r"\d\s?$", before):
                votes[c]["°"] += 1
            elif re.match(r"\s?10[⁰¹²³⁴⁵⁶⁷⁸⁹⁻\x01-\x08\x0b\x0c\x0e-\x1f]", after) and re.search(r"\d\s?$", before):
                votes[c]["×"] += 1
            elif re.search(r"\d\s$", before) and re.match(r"\s\d", after):
                votes[c]["±"] += 1
            elif re.search(r"(^|[\s(])$", before) and re.match(r"\d", after):
                votes[c]["~"] += 1
            elif re.match(r"[⁰¹²³⁴⁵⁶⁷⁸⁹]", after):
                votes[c]["⁻"] += 1
    return {c: v.most_common(1)[0][0] for c, v in votes.items()}


# ---------------------------------------------------------------- public


def load_pdf(path) -> RawDocument:
    """Read a PDF into text blocks in reading order. Raises :class:`LoadError`."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise LoadError(str(path), "unreadable", f"{exc.strerror}: {path}") from exc
    if not data.strip():
        raise LoadError(str(path), "empty_file", f"{len(data)} bytes")
    head = data[:1024]
    if b"%PDF-" not in head:
        raise LoadError(str(path), "not_a_pdf", f"no %PDF- header; starts with {data[:16]!r}")
    if b"%%EOF" not in data[-4096:]:
        raise LoadError(str(path), "corrupt_pdf",
                        f"truncated: no %%EOF in the last 4096 of {len(data)} bytes")
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        code = getattr(exc, "err_code", None)
        if code in (pdfium_c.FPDF_ERR_PASSWORD, pdfium_c.FPDF_ERR_SECURITY):
            raise LoadError(str(path), "encrypted_pdf", f"password required ({exc})") from exc
        raise LoadError(str(path), "corrupt_pdf", str(exc)) from exc
    try:
        return _load(pdf, path, data)
    finally:
        pdf.close()


def _load(pdf, path: Path, data: bytes) -> RawDocument:
    n_pages = len(pdf)
    if n_pages == 0:
        raise LoadError(str(path), "corrupt_pdf", "document has 0 pages")
    pages: list[list[_Line]] = []
    runin_fonts: dict[int, tuple] = {}  # lines opened by a heading set off by its font only
    heights: list[float] = []
    widths: list[float] = []
    n_chars = 0
    for i in range(n_pages):
        check()  # the document's time limit, per page
        try:
            page = pdf[i]
            textpage = page.get_textpage()
        except pdfium.PdfiumError as exc:
            raise LoadError(str(path), "corrupt_pdf", f"page {i + 1}: {exc}") from exc
        try:
            left, bottom, right, top = page.get_cropbox()
            lines = _read_page(page, textpage, i + 1)
            raw = ctypes.cast(textpage.raw, c_void_p).value
            for line in lines:
                line.y0 -= bottom
                line.y1 -= bottom
                line.x0 -= left
                line.x1 -= left
                if line.first >= 0:
                    first_bold = _is_bold(raw, line.first)
                    line.bold = first_bold and _is_bold(raw, line.last)
                    f1, f2 = _font_name(raw, line.first), _font_name(raw, line.last)
                    if (first_bold and not line.bold) or f1 != f2:
                        line.runin = _runin_length(raw, line, first_bold, f1)
                        if line.runin and not first_bold:
                            runin_fonts[id(line)] = (f1, f2)
                    italic = bool(_FLAGS.value & 0x40) or bool(re.search(rb"Ital|Obl|\.I\b|\.BI\b", f2 or b""))
                    line.font = f1 if f1 == f2 and not italic else b"?"
            n_chars += sum(len(l.text) for l in lines)
        finally:
            textpage.close()
            page.close()
        pages.append(lines)
        heights.append(top - bottom)
        widths.append(right - left)
    if n_chars == 0:
        raise LoadError(str(path), "no_text_layer", f"no extractable characters on {n_pages} pages")

    fonts = Counter()
    for lines in pages:
        for l in lines:
            fonts[l.font] += len(l.text)
    body_font = fonts.most_common(1)[0][0] if fonts else b""
    for lines in pages:
        for l in lines:
            if id(l) in runin_fonts and runin_fonts[id(l)] != (runin_fonts[id(l)][0], body_font):
                l.runin = 0  # set off by its font only: the rest must be body text
    for lines in pages:
        for l in lines:
            if l.font not in (b"?", b"", body_font) and re.match(r"\W?\s?[A-Za-z]", l.text) and len(l.text) > 3:
                l.bold = True
    controls = _resolve_controls([l.text for lines in pages for l in lines])
    for lines in pages:
        for l in lines:
            if _CONTROL.search(l.text):
                l.text = _CONTROL.sub(lambda m: controls.get(m.group(0), "\ufffd"), l.text)
    drop = _repeated_keys(pages, heights)
    furniture: list[tuple[int, str, str]] = []  # (page, "header"/"footer", text) left out
    blocks: list[_Block] = []
    page_regions = []
    for p, lines in enumerate(pages):
        kept = []
        for l in lines:
            if (p, id(l)) in drop or _BOILERPLATE.match(l.text):
                where = "header" if (l.y0 + l.y1) / 2 > heights[p] / 2 else "footer"
                furniture.append((p + 1, where, l.text))
            else:
                kept.append(l)
        page_regions.append(_order_regions(_regions(kept), widths[p]))
    leading = _leading([r for regions in page_regions for r in regions])
    for p, regions in enumerate(page_regions):
        for region in regions:
            for b in _paragraphs(region, p + 1, leading):
                b.extra["page_height"] = heights[p]
                blocks.append(b)

    # Document vocabulary for hyphenation decisions.
    words: set[str] = set()
    hyph: set[str] = set()
    for lines in pages:
        for l in lines:
            body = l.text[:-1] if l.text.endswith(tuple(_HYPHENS)) else l.text
            for w in re.findall(r"[A-Za-z]+(?:-[A-Za-z]+)*", body):
                if "-" in w:
                    hyph.add(w.lower())
                else:
                    words.add(w.lower())

    sizes = Counter()
    for b in blocks:
        for l in b.lines:
            sizes[round(l.h, 1)] += len(l.text)
    body_size = sizes.most_common(1)[0][0] if sizes else 10.0
    for b in blocks:
        b.text = _join_lines(b.lines, words, hyph).strip()
        b.size = statistics.median(l.h for l in b.lines)
    blocks = [b for b in blocks if b.text]
    meta = {}
    try:
        info = pdf.get_metadata_dict(skip_empty=True)
    except Exception:  # noqa: BLE001 - a broken info dict must not stop loading
        info = {}
    for key in ("Title", "Author", "Subject"):
        if info.get(key):
            meta[key.lower()] = info[key]
    _assign_roles(blocks, body_size, meta.get("title", ""))
    blocks = _split_caption_tails(blocks)
    blocks = _merge_cells(blocks)
    tables = _find_tables(blocks, controls)
    blocks = _merge_continuations(blocks, words, hyph)

    parts: list[str] = []
    out_blocks: list[Block] = []
    pos = 0
    for b in blocks:
        if parts:
            pos += 2
        out_blocks.append(Block(pos, pos + len(b.text), b.page, b.role))
        parts.append(b.text)
        pos += len(b.text)
    text = "\n\n".join(parts)

    first_page = "\n".join(l.text for l in pages[0])  # running footers included
    m = _DOI.search(first_page) or _DOI.search(meta.get("subject", ""))
    if m:
        meta["doi"] = m.group(1)
    meta["furniture"] = tuple(furniture)
    return RawDocument(
        name=path.name,
        path=str(path),
        format="pdf",
        sha256=hashlib.sha256(data).hexdigest(),
        text=text,
        blocks=tuple(out_blocks),
        page_count=n_pages,
        meta=meta,
        tables=tuple(tables),
    )


_RUNIN = re.compile(r"^(?:\d{1,2}(?:\.\d{1,2})*\.?\s+)?[A-Za-z][^.]{2,120}\.$")


def _runin_length(raw: int, line: _Line, bold: bool, font: bytes | None) -> int:
    """Length of the run-in heading opening ``line`` ("2.1. Electrode Preparation." then the
    paragraph), or 0: the glyphs before the first letter that is not bold (when the line
    opens in bold) or not in the opening font, ending in a full stop; a figure or table
    label is not one. (:func:`_paragraphs` decides on the words, knowing the line above.)"""
    if _CAPTION.match(line.text) or ". " not in line.text[:125]:
        return 0
    chars = line.chars

    def other(g) -> bool:
        return (not _is_bold(raw, g[6])) if bold else _font_name(raw, g[6]) != font

    # The heading ends at a full stop: the first one that a letter in another style follows.
    for j, g in enumerate(chars[:130]):
        if g[0] != "." or j == 0 or other(chars[j - 1]):
            continue
        k = next((i for i in range(j + 1, len(chars)) if chars[i][0].isalnum()), None)
        if k is not None and other(chars[k]):
            break
    else:
        return 0
    head = _Line(chars=line.chars[:k], x0=line.x0, x1=line.x1, y0=line.y0, y1=line.y1, h=line.h,
                 plain=line.plain)
    text = _fix_chars(_render(head)).strip()
    if not line.text.startswith(text) or not _RUNIN.match(text):
        return 0
    return len(text)


def _split_runin(line: _Line) -> tuple[_Line, _Line]:
    """A line opened by a run-in heading as two lines: the heading and the rest."""
    cut = line.x0 + (line.x1 - line.x0) * line.runin / max(len(line.text), 1)
    head = _Line(chars=line.chars, x0=line.x0, x1=cut, y0=line.y0, y1=line.y1, h=line.h,
                 text=line.text[: line.runin].strip(), bold=True, font=line.font, page=line.page,
                 col=line.col, cy0=line.cy0, cy1=line.cy1, runin_head=True)
    tail = _Line(chars=line.chars, x0=cut, x1=line.x1, y0=line.y0, y1=line.y1, h=line.h,
                 text=line.text[line.runin:].strip(), bold=False, font=line.font, page=line.page,
                 col=line.col, cy0=line.cy0, cy1=line.cy1)
    return head, tail


_FONT_BUF = ctypes.create_string_buffer(128)
_FLAGS = c_int()


def _font_name(raw: int, index: int) -> bytes | None:
    if not _get_font_info(raw, index, ctypes.addressof(_FONT_BUF), 128, ctypes.addressof(_FLAGS)):
        return None
    return _FONT_BUF.value


def _is_bold(raw: int, index: int) -> bool:
    weight = _get_weight(raw, index)
    if weight >= 600:
        return True
    name = _font_name(raw, index) or b""
    return bool(re.search(rb"Bold|Black|Heavy|Semibold|[.,-]B(?:I)?$|\.B\b", name))


def _assign_roles(blocks: list[_Block], body_size: float, meta_title: str = "") -> None:
    """Title: on page 1, the block matching the info-dict title, else the largest-type block of
    four words or more. Captions: a figure/table label opening a block set apart by a bold
    label, other type size, or punctuation after the label at the start of a region. Headings:
    short bold or larger lines, numbered lines, ACS "■" lines. Small print: footnotes, or
    ``unknown`` when it is mostly short lines (text inside figures)."""
    page1 = [b for b in blocks if b.page == 1 and len(b.text.split()) >= 4]
    title = None
    norm = lambda t: re.sub(r"[^a-z0-9]", "", t.lower())  # noqa: E731
    mt = norm(meta_title)
    if len(mt) > 15:
        title = next((b for b in page1 if norm(b.text)[:40] == mt[:40]), None)
    if title is None and page1:
        # The first block set in the page's largest type, if it reads like a title: short
        # (an abstract set large is not one) and not the tail of a sentence.
        top = max(b.size for b in page1)
        biggest = next(b for b in page1 if b.size >= 0.97 * top)
        if (biggest.size >= 1.25 * body_size and len(biggest.text.split()) <= _TITLE_WORDS
                and not biggest.text[:1].islower()):
            title = biggest
    if title is not None:
        title.role = "title"
    caption = None
    for b in blocks:
        if b.role == "title":
            continue
        t = b.text
        if _LICENSE.search(t[:300]):
            b.role = "footnote"
            continue
        if (caption is not None and caption.page == b.page and abs(b.size - caption.size) < 0.05 * caption.size
                and abs(b.size - body_size) > 0.05 * body_size and not _CAPTION.match(t)
                and len(t) > 60 and len(t) / len(b.lines) > 30):
            b.role = "caption"
            continue
        bold = b.lines[0].bold
        other_size = abs(b.size - body_size) > 0.05 * body_size
        if _CAPTION.match(t) and (bold or other_size or (
                b.extra.get("region_start") and _CAPTION_PUNCT.match(t))):
            b.role = "caption"
            caption = b
            continue
        caption = None
        if _FRONT_LINE.match(t) and len(t) < 200:
            b.role = "footnote"  # "Received 5th February 2025, Accepted ...": not a heading
            continue
        if (b.page == 1 and b.size < 0.95 * body_size
                and max(l.y1 for l in b.lines) < _FIRST_PAGE_FOOT * b.extra.get("page_height", 800)):
            b.role = "footnote"  # first-page foot: correspondence, dates, DOI, licence
            continue
        if b.lines[-1].runin_head and len(t) <= 200:
            b.role = "heading"
        elif len(t) <= 150 and len(b.lines) <= 3 and t[-1:] not in ".,;" and (
            (bold and b.lines[-1].bold) or b.size > 1.12 * body_size or t.startswith("■")
            or (_NUMBERED_HEADING.match(t) and len(t) < 80)
        ) and not t[:1].islower() and _mostly_letters(t) and t.count(",") < 3 and "=" not in t:
            b.role = "heading"
        elif b.size < 0.85 * body_size:
            short = sum(1 for l in b.lines if len(l.text) < 30)
            if short > len(b.lines) / 2:
                b.role = "unknown"
            elif max(l.y1 for l in b.lines) < 0.3 * b.extra.get("page_height", 800):
                b.role = "footnote"


_CAPTION_NUMBER = re.compile(r"^\W*(?:Fig(?:ure)?s?\.?|FIG(?:URE|\.)|Table|TABLE|Scheme|SCHEME|Chart|CHART)\s*(S?\d+)")
_FIGURE_CITE = re.compile(r"\((?:Fig(?:ure)?s?\.?|Table|Scheme)\s*(S?\d+)")
_PANEL = re.compile(r"(?:\(?[a-z](?:\s?[,–-]\s?[a-z])*\)|[a-z](?:\s?[,–-]\s?[a-z])*\s*[A-Z(])")
_ABBREVIATED = re.compile(r"(?:\b(?:i\.e|e\.g|cf|ca|vs|approx|etc|al|resp|Fig|Figs|Eq|Ref|No)\.)$")
_SENTENCE_GAP = re.compile(r"(?<=[.!?])\s+(?=\S)")


def caption_tail(text: str, interrupts: bool = True) -> int | None:
    """Where a caption block stops being the caption: the start of the first sentence after
    its label that cannot belong to it, because it starts in lowercase (not a panel label
    such as ``b)``), closes a parenthesis it never opened (``Information). The``), is a
    numbered section heading, or cites another figure than the caption's own while saying
    something of its own (``... (Figure 3a).``) while ``interrupts`` (the caption stands
    inside an unfinished paragraph). Body text that a layout poured into the
    caption's style (a paragraph interrupted by the float) starts there; ``None`` when the
    whole block is caption."""
    own = _CAPTION_NUMBER.match(text)
    if own is None:
        return None
    for m in _SENTENCE_GAP.finditer(text, own.end()):
        if _ABBREVIATED.search(text, max(0, m.start() - 8), m.start()):
            continue
        rest = text[m.end():]
        first = rest.split(None, 1)[0]
        if rest[:1].islower() and not _PANEL.match(rest):
            return m.end()
        if re.match(r"[A-Za-z][\w-]{2,}\)", first):
            return m.end()
        if _SECTION_NUMBER.match(rest):
            return m.end()
        end = _SENTENCE_GAP.search(rest)
        sentence = rest[: end.start()] if end else rest
        cites = [c.group(1) for c in _FIGURE_CITE.finditer(sentence)]
        if interrupts and cites and all(c != own.group(1) for c in cites) and not _PANEL.match(rest):
            return m.end()
    return None


def _split_caption_tails(blocks: list[_Block]) -> list[_Block]:
    """Captions cut at :func:`caption_tail`; the tail becomes a body block, and caption-style
    blocks that carried such a tail on (same page, lowercase start) are body too."""
    out: list[_Block] = []
    tail_open = False
    for b in blocks:
        if b.role == "caption" and _CAPTION_NUMBER.match(b.text):
            body = next((x for x in reversed(out) if x.role == "body"), None)
            cut = caption_tail(b.text, body is not None and body.text.rstrip()[-1:] not in ".!?:")
            tail_open = False
            if cut is not None:
                head, tail = b.text[:cut].rstrip(), b.text[cut:]
                b.text = head
                out.append(b)
                out.append(_Block(list(b.lines), b.page, "body", tail, b.size))
                tail_open = tail.rstrip()[-1:] not in ".!?"
                continue
        elif b.role == "caption" and tail_open and out and out[-1].page == b.page:
            b.role = "body"
            tail_open = b.text.rstrip()[-1:] not in ".!?"
        else:
            tail_open = False
        out.append(b)
    return out


def _mostly_letters(text: str) -> bool:
    """Letters make most of a heading, marks before it ("#### 4.", "■") not counted."""
    core = re.sub(r"^[#*■\s]+", "", text)
    return sum(c.isalpha() for c in core) > 0.6 * len(core)


def _merge_cells(blocks: list[_Block]) -> list[_Block]:
    """Runs of three or more one-line scraps (table cells, labels inside figures, short
    unnumbered "headings" among them) on a page become one ``unknown`` block."""
    out: list[_Block] = []
    run: list[_Block] = []

    def flush():
        labels = sum(b.role == "heading" for b in run)
        if len(run) - labels >= 3 or (labels >= 2 and len(run) >= 3):
            merged = _Block([l for b in run for l in b.lines], run[0].page, "unknown",
                            " ".join(b.text for b in run), run[0].size)
            out.append(merged)
        else:
            out.extend(run)
        run.clear()

    for b in blocks:
        scrap = (len(b.lines) == 1 and len(b.text) < 40 and (
            b.role in ("body", "unknown", "footnote")
            # a short unnumbered "heading" among scraps is a label inside a figure ("Bias (mV)")
            or (b.role == "heading" and len(b.text) < 25 and not _SECTION_NUMBER.match(b.text)
                and not b.text.startswith("■"))))
        if scrap and (not run or run[-1].page == b.page):
            run.append(b)
        else:
            flush()
            if scrap:
                run.append(b)
            else:
                out.append(b)
    flush()
    return out


_TABLE_CAPTION = re.compile(r"^\W*(?:Table|TABLE)\s*S?\d+")


def _find_tables(blocks: list[_Block], controls: dict[str, str]) -> list[Table]:
    """Tables: the scraps (``unknown`` blocks) that follow a ``Table N`` caption on its page
    become ``table`` blocks, and their glyphs a grid of cells (:func:`_grid`); ``controls``
    are the document's meanings of control characters (:func:`_resolve_controls`)."""
    tables: list[Table] = []
    for i, b in enumerate(blocks):
        if b.role != "caption" or not _TABLE_CAPTION.match(b.text):
            continue
        body = []
        for nxt in blocks[i + 1:]:
            if nxt.page != b.page or nxt.role != "unknown":
                break
            body.append(nxt)
        cells = [TableCell(c.row, c.col, _cell_text(c.text, controls), c.x0, c.y0, c.x1, c.y1)
                 for c in _grid([l for x in body for l in x.lines])]
        if len(cells) < 4:
            continue
        for x in body:
            x.role = "table"
        tables.append(Table(b.page, b.text, tuple(cells), min(c.x0 for c in cells), min(c.y0 for c in cells),
                            max(c.x1 for c in cells), max(c.y1 for c in cells)))
    return tables


def _cell_text(text: str, controls: dict[str, str]) -> str:
    text = _CONTROL.sub(lambda m: controls.get(m.group(0), "\ufffd"), text)
    return text.replace("\ufffe", "−" if re.match(r"\ufffe\d", text) else "-")


def _grid(lines: list[_Line]) -> list[TableCell]:
    """Cells of a table from its lines: a line is cut where its glyphs stand apart by more
    than ``_CELL_GAP`` glyph heights; rows are cells whose vertical bands overlap (top
    first), columns the clusters of the cells' left edges."""
    raw_cells = []  # (text, x0, y0, x1, y1) in page points
    for line in lines:
        glyphs = [g for g in line.chars if g[0] != " "]
        if not glyphs:
            continue
        dx = min(g[1] for g in glyphs) - line.x0  # the crop box offset
        dy = min(g[3] for g in glyphs) - line.y0
        runs, cur = [], [line.chars[0]]
        last = line.chars[0] if line.chars[0][0] != " " else None
        for g in line.chars[1:]:
            if g[0] != " " and last is not None and g[1] - last[2] > _CELL_GAP * (line.h or 1):
                runs.append(cur)
                cur = []
            cur.append(g)
            if g[0] != " ":
                last = g
        runs.append(cur)
        for run in runs:
            gl = [g for g in run if g[0] != " "]
            if not gl:
                continue
            part = _Line(chars=run, x0=0, x1=0, y0=0, y1=0, h=line.h)
            text = _fix_chars(_render(part)).strip()
            if text:
                raw_cells.append((text, min(g[1] for g in gl) - dx, min(g[3] for g in gl) - dy,
                                  max(g[2] for g in gl) - dx, max(g[4] for g in gl) - dy))
    if not raw_cells:
        return []
    # rows: top to bottom, a cell whose middle lies below the current row's band opens a new one
    raw_cells.sort(key=lambda c: (-(c[2] + c[4]) / 2, c[1]))
    rows: list[list[tuple]] = []
    band = None
    for c in raw_cells:
        mid = (c[2] + c[4]) / 2
        if band is None or mid < band[0]:
            rows.append([c])
            band = [c[2], c[4]]
        else:
            rows[-1].append(c)
            band = [min(band[0], c[2]), max(band[1], c[4])]
    # columns: the x-ranges covered by the cells of the fuller rows (a cell spanning several
    # columns, as a group label, does not join them), merged where they overlap
    full = statistics.median(len(r) for r in rows)
    spans = sorted((c[1], c[3]) for r in rows if len(r) >= full for c in r)
    cols: list[list[float]] = []
    for a, b in spans:
        if cols and a <= cols[-1][1]:
            cols[-1][1] = max(cols[-1][1], b)
        else:
            cols.append([a, b])

    def column(c) -> int:
        overlap = [min(c[3], b) - max(c[1], a) for a, b in cols]
        best = max(range(len(cols)), key=lambda k: overlap[k])
        if overlap[best] > 0:
            return best
        return bisect.bisect_right([a for a, _ in cols], c[1]) - 1 if c[1] >= cols[0][0] else 0

    out: list[TableCell] = []
    for r, row in enumerate(rows):
        by_col: dict[int, list[tuple]] = defaultdict(list)
        for c in row:
            by_col[column(c)].append(c)
        for col, parts in sorted(by_col.items()):
            parts.sort(key=lambda c: (-c[4], c[1]))
            out.append(TableCell(r, col, " ".join(p[0] for p in parts), round(min(p[1] for p in parts), 1),
                                 round(min(p[2] for p in parts), 1), round(max(p[3] for p in parts), 1),
                                 round(max(p[4] for p in parts), 1)))
    return out


def _merge_continuations(blocks: list[_Block], words, hyph) -> list[_Block]:
    """A body block that ends mid-sentence and the next body block on the same page that
    starts in lowercase are one paragraph broken by a column end."""
    out: list[_Block] = []
    for b in blocks:
        if out and b.role == "body":
            prev = None
            for cand in reversed(out[-3:]):
                if cand.role == "body":
                    prev = cand
                    break
            if (prev is not None and prev is out[-1] and prev.page == b.page
                    and prev.text[-1:] not in ".!?:" and b.text[:1].islower()):
                if prev.text[-1] in _HYPHENS and prev.text[-2:-1].isalpha():
                    m = re.match(r"\S+", b.text)
                    joined = join_hyphenated(prev.text[:-1], m.group(0), words, hyph)
                    prev.text = joined + b.text[m.end():]
                else:
                    prev.text = prev.text + " " + b.text
                prev.lines.extend(b.lines)
                continue
            if (prev is not None and prev.text[-1:] in _HYPHENS and prev.text[-2:-1].isalpha()
                    and b.text[:1].islower()):
                # Across a page or a float: join the broken word, keep the blocks.
                m = re.match(r"\S+", b.text)
                left_word = re.search(r"\S+$", prev.text).group(0)[:-1]
                joined = join_hyphenated(left_word, m.group(0), words, hyph)
                prev.text = prev.text[: -len(left_word) - 1] + joined
                b.text = b.text[m.end():].lstrip()
                if not b.text:
                    continue
        out.append(b)
    return out

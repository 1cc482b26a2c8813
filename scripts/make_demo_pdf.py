#!/usr/bin/env python3
"""Lay out a demo paper (plain-text format of ``corpus/*.txt``) as a two-column journal PDF.

The output imitates what the PDF loader meets in real papers: a full-width title and
abstract block on page 1, two text columns, a running header (journal name and page
number) on every page, figure captions as separate, smaller paragraphs, and real
super/subscripts (``cm<super>−2</super>``, ``Li<sub>2</sub>CO<sub>3</sub>``).

Output is byte-for-byte reproducible: reportlab runs in invariant mode (fixed creation
date and document ID) and the fonts are the Bitstream Vera TTFs that ship inside
reportlab, so no system font is involved. The reportlab version is written into the
PDF's keywords so that a test can tell a layout change from a library upgrade.

    python scripts/make_demo_pdf.py                       # corpus/demo_001_zno_nhc.txt
    python scripts/make_demo_pdf.py corpus/demo_001_zno_nhc.txt --out-dir corpus/pdf

Input format (the one written by the demo corpus and by make_synthetic_corpus.py):
line 1 title, line 2 authors, then header lines (journal, "Received ...", "DOI: ...")
up to a blank line; "Abstract" and its paragraph(s); numbered headings ("2.1. ...");
one paragraph per line; captions start with "Figure N."; "References" ends the body.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

import reportlab
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (BaseDocTemplate, Frame, FrameBreak, NextPageTemplate, PageTemplate,
                                Paragraph)
from reportlab.platypus.flowables import HRFlowable

REPO = Path(__file__).resolve().parents[1]
DEFAULT_SOURCE = REPO / "corpus" / "demo_001_zno_nhc.txt"
DEFAULT_OUT_DIR = REPO / "corpus" / "pdf"

PAGE_W, PAGE_H = A4
MARGIN_X = 17 * mm
MARGIN_TOP = 20 * mm  # room for the running header
MARGIN_BOTTOM = 18 * mm
GUTTER = 6 * mm
COL_W = (PAGE_W - 2 * MARGIN_X - GUTTER) / 2

# ----------------------------------------------------------------------------- fonts

_FONT_DIR = Path(reportlab.__file__).parent / "fonts"
_FONTS = {"Vera": "Vera.ttf", "Vera-Bold": "VeraBd.ttf", "Vera-Italic": "VeraIt.ttf",
          "Vera-BoldItalic": "VeraBI.ttf"}
_GLYPHS: set[int] = set()


def register_fonts() -> None:
    """Register the Vera family shipped with reportlab (idempotent)."""
    if _GLYPHS:
        return
    for name, fname in _FONTS.items():
        pdfmetrics.registerFont(TTFont(name, str(_FONT_DIR / fname)))
    pdfmetrics.registerFontFamily("Vera", normal="Vera", bold="Vera-Bold", italic="Vera-Italic",
                                  boldItalic="Vera-BoldItalic")
    _GLYPHS.update(pdfmetrics.getFont("Vera").face.charToGlyph)


# ----------------------------------------------------------------------------- markup

_SUB_DIGITS = str.maketrans("₀₁₂₃₄₅₆₇₈₉₊₋ₓ", "0123456789+−x")
_SUP_CHARS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻", "0123456789+−")
_FALLBACK = {"μ": "µ", "→": "->", "⇌": "<->", "∼": "~", "′": "'", "″": '"', "\u2009": " ",
             "\u202f": " ", "\u00a0": " ", "‐": "-", "‑": "-"}
_ELEMENTS = set("""H He Li Be B C N O F Ne Na Mg Al Si P S Cl Ar K Ca Sc Ti V Cr Mn Fe Co Ni Cu Zn
Ga Ge As Se Br Kr Rb Sr Y Zr Nb Mo Tc Ru Rh Pd Ag Cd In Sn Sb Te I Xe Cs Ba La Ce Pr Nd Pm Sm Eu
Gd Tb Dy Ho Er Tm Yb Lu Hf Ta W Re Os Ir Pt Au Hg Tl Pb Bi Po At Rn Fr Ra Ac Th Pa U""".split())
_DIATOMIC = {"H2", "N2", "O2", "F2", "Cl2", "Br2", "I2"}
_FORMULA_TOKEN = re.compile(r"(?<![A-Za-z])(?:[A-Z]|\([A-Z][A-Za-z0-9.]*\)\d*)(?:[A-Za-z0-9]|\.(?=\d)|\([A-Z][A-Za-z0-9.]*\)\d*)*")
_ELEMENT_RUN = re.compile(r"([A-Z][a-z]?)(\d+(?:\.\d+)?)?|\(([^()]*)\)(\d+(?:\.\d+)?)?")
_UNIT_EXP = re.compile(r"\b(cm|mg|kg|mL|Ah|min|mol|g|h|s|L|K|m)(\^?)([−-]\d)(?!\d|\.\d)")
_AREA_VOL = re.compile(r"(?<![A-Za-z])(c?m)([23])(?![\w.])")


def _is_formula(tok: str) -> bool:
    if not any(ch.isdigit() for ch in tok):
        return False
    symbols: list[str] = []
    pos = 0
    for m in _ELEMENT_RUN.finditer(tok):
        if m.start() != pos:
            return False
        pos = m.end()
        if m.group(1):
            symbols.append(m.group(1))
        else:
            inner = _ELEMENT_RUN.findall(m.group(3))
            if not inner or "".join(a + b for a, b, _, _ in inner) != m.group(3):
                return False
            symbols.extend(a for a, _, _, _ in inner)
    if pos != len(tok) or not all(s in _ELEMENTS for s in symbols):
        return False
    return len(symbols) >= 2 or tok in _DIATOMIC


def _subscript_formula(tok: str) -> str:
    def rep(m: re.Match) -> str:
        if m.group(1):
            return m.group(1) + (f"<sub>{m.group(2)}</sub>" if m.group(2) else "")
        inner = _subscript_formula(m.group(3))
        return f"({inner})" + (f"<sub>{m.group(4)}</sub>" if m.group(4) else "")
    return _ELEMENT_RUN.sub(rep, tok)


def to_markup(text: str) -> str:
    """Plain text -> reportlab paragraph markup with sub/superscripts."""
    text = re.sub(r"[₀-₉₊₋ₓ]+", lambda m: "\x01" + m.group(0).translate(_SUB_DIGITS) + "\x02", text)
    text = re.sub(r"[⁰¹²³⁴-⁹⁺⁻]+", lambda m: "\x03" + m.group(0).translate(_SUP_CHARS) + "\x04", text)
    text = "".join(_FALLBACK.get(ch, ch) for ch in text)
    if _GLYPHS:
        text = "".join(ch if ord(ch) < 32 or ord(ch) in _GLYPHS else "?" for ch in text)
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _FORMULA_TOKEN.sub(lambda m: _subscript_formula(m.group(0)) if _is_formula(m.group(0)) else m.group(0),
                              text)
    text = _UNIT_EXP.sub(lambda m: f"{m.group(1)}<super>{m.group(3).replace('-', '−')}</super>", text)
    text = _AREA_VOL.sub(lambda m: f"{m.group(1)}<super>{m.group(2)}</super>", text)
    return (text.replace("\x01", "<sub>").replace("\x02", "</sub>")
                .replace("\x03", "<super>").replace("\x04", "</super>"))


# ----------------------------------------------------------------------------- parsing

_HEADING = re.compile(r"^(\d+(?:\.\d+)*)\.?\s+[A-Z][^\n]{0,90}$")
_CAPTION = re.compile(r"^(?:\*\*)?(Figure|Fig\.|Table)\s+\d+\.")
_NAMED_HEADINGS = {"abstract", "acknowledgements", "acknowledgments", "references", "conclusions"}


@dataclass
class Paper:
    title: str
    authors: str = ""
    journal: str = ""
    received: str = ""
    doi: str = ""
    abstract: list[str] = field(default_factory=list)
    blocks: list[tuple[str, str]] = field(default_factory=list)  # (kind, text)


def parse_paper(text: str) -> Paper:
    lines = [ln.strip() for ln in text.splitlines()]
    while lines and not lines[0]:
        lines.pop(0)
    paper = Paper(title=lines[0], authors=lines[1] if len(lines) > 1 else "")
    i = 2
    while i < len(lines) and lines[i] and lines[i].lower() != "abstract":
        ln = lines[i]
        if ln.upper().startswith("DOI"):
            paper.doi = ln
        elif "received" in ln.lower():
            paper.received = ln
        elif not paper.journal:
            paper.journal = ln
        else:
            paper.received = (paper.received + "; " + ln).strip("; ")
        i += 1
    section = "front"
    for ln in lines[i:]:
        if not ln:
            continue
        low = ln.lower().rstrip(":")
        if low == "abstract":
            section = "abstract"
            continue
        if section == "abstract" and not _HEADING.match(ln):
            paper.abstract.append(ln)
            continue
        if low in _NAMED_HEADINGS or (_HEADING.match(ln) and not ln.endswith(".")):
            level = len(re.findall(r"\d+", ln.split()[0])) if ln[0].isdigit() else 1
            kind = "heading" if level <= 1 else "subheading"
            paper.blocks.append((kind, ln))
            section = "references" if low == "references" else "body"
            continue
        if section == "references":
            paper.blocks.append(("reference", ln))
        elif _CAPTION.match(ln):
            paper.blocks.append(("caption", ln.replace("**", "")))
        else:
            paper.blocks.append(("body", ln))
    return paper


# ----------------------------------------------------------------------------- layout


def _styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("body", fontName="Vera", fontSize=8.6, leading=11.2, alignment=TA_JUSTIFY,
                          spaceAfter=3.5, firstLineIndent=8)
    return {
        "title": ParagraphStyle("title", fontName="Vera-Bold", fontSize=15, leading=19, alignment=TA_LEFT,
                                spaceAfter=6),
        "authors": ParagraphStyle("authors", fontName="Vera", fontSize=10, leading=13, spaceAfter=3),
        "meta": ParagraphStyle("meta", fontName="Vera-Italic", fontSize=7.8, leading=10, spaceAfter=1),
        "abstract_head": ParagraphStyle("abstract_head", fontName="Vera-Bold", fontSize=9, leading=12,
                                        spaceBefore=6, spaceAfter=2),
        "abstract": ParagraphStyle("abstract", fontName="Vera", fontSize=8.8, leading=11.6,
                                   alignment=TA_JUSTIFY, spaceAfter=4),
        "heading": ParagraphStyle("heading", fontName="Vera-Bold", fontSize=9.8, leading=12.5, spaceBefore=7,
                                  spaceAfter=3, keepWithNext=1),
        "subheading": ParagraphStyle("subheading", fontName="Vera-BoldItalic", fontSize=8.8, leading=11.5,
                                     spaceBefore=5, spaceAfter=2, keepWithNext=1),
        "body": base,
        "caption": ParagraphStyle("caption", fontName="Vera", fontSize=7.2, leading=9.2, alignment=TA_JUSTIFY,
                                  spaceBefore=4, spaceAfter=6, leftIndent=4, rightIndent=4),
        "reference": ParagraphStyle("reference", fontName="Vera", fontSize=7.0, leading=8.8, leftIndent=10,
                                    firstLineIndent=-10, spaceAfter=1.5),
        "header": ParagraphStyle("header", fontName="Vera-Italic", fontSize=7.5, alignment=TA_CENTER),
    }


def _caption_markup(text: str) -> str:
    m = _CAPTION.match(text)
    head, rest = text[: m.end()], text[m.end():]
    return f"<b>{to_markup(head)}</b>{to_markup(rest)}"


def build_story(paper: Paper, styles: dict[str, ParagraphStyle]) -> tuple[list, list]:
    front = [Paragraph(to_markup(paper.title), styles["title"]),
             Paragraph(to_markup(paper.authors), styles["authors"])]
    for meta in (paper.journal, paper.received, paper.doi):
        if meta:
            front.append(Paragraph(to_markup(meta), styles["meta"]))
    if paper.abstract:
        front.append(Paragraph("Abstract", styles["abstract_head"]))
        front.extend(Paragraph(to_markup(p), styles["abstract"]) for p in paper.abstract)
    front.append(HRFlowable(width="100%", thickness=0.6, spaceBefore=2, spaceAfter=2))
    body = []
    for kind, text in paper.blocks:
        if kind == "caption":
            body.append(Paragraph(_caption_markup(text), styles["caption"]))
        else:
            body.append(Paragraph(to_markup(text), styles[kind]))
    return front, body


def _front_height(front: list, width: float) -> float:
    total = 0.0
    for flow in front:
        _, h = flow.wrap(width, PAGE_H)
        total += h + flow.getSpaceBefore() + flow.getSpaceAfter()
    return total + 14  # frame padding


def render_pdf(text: str, out_path: str | os.PathLike, *, journal: str | None = None) -> Path:
    """Render one paper (plain-text corpus format) to ``out_path``; returns the path."""
    register_fonts()
    paper = parse_paper(text)
    styles = _styles()
    front, body = build_story(paper, styles)
    running = journal or paper.journal or "hostkb demo corpus"
    out_path = Path(out_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)

    full_w = PAGE_W - 2 * MARGIN_X
    body_top = PAGE_H - MARGIN_TOP
    body_h = body_top - MARGIN_BOTTOM
    front_h = min(_front_height(front, full_w - 12), body_h * 0.75)
    col_h_first = body_h - front_h

    def columns(height: float, suffix: str) -> list[Frame]:
        return [Frame(MARGIN_X, MARGIN_BOTTOM, COL_W, height, id=f"left{suffix}", showBoundary=0),
                Frame(MARGIN_X + COL_W + GUTTER, MARGIN_BOTTOM, COL_W, height, id=f"right{suffix}",
                      showBoundary=0)]

    def on_page(canv, doc):
        canv.saveState()
        canv.setFont("Vera-Italic", 7.5)
        y = PAGE_H - 12 * mm
        canv.drawString(MARGIN_X, y, running)
        canv.drawRightString(PAGE_W - MARGIN_X, y, str(doc.page))
        canv.setLineWidth(0.4)
        canv.line(MARGIN_X, y - 2.5, PAGE_W - MARGIN_X, y - 2.5)
        canv.restoreState()

    first = PageTemplate(id="First", onPage=on_page,
                         frames=[Frame(MARGIN_X, body_top - front_h, full_w, front_h, id="front")]
                         + columns(col_h_first, "1"))
    later = PageTemplate(id="Later", onPage=on_page, frames=columns(body_h, "2"))
    doc = BaseDocTemplate(str(out_path), pagesize=A4, leftMargin=MARGIN_X, rightMargin=MARGIN_X,
                          topMargin=MARGIN_TOP, bottomMargin=MARGIN_BOTTOM, pageTemplates=[first, later],
                          title=paper.title, author=paper.authors, subject=paper.doi or "hostkb demo paper",
                          creator="hostkb scripts/make_demo_pdf.py", producer="hostkb",
                          keywords=f"hostkb-demo; reportlab {reportlab.Version}", invariant=1)
    story = front + [FrameBreak(), NextPageTemplate("Later")] + body
    doc.build(story)
    return out_path


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("source", nargs="?", default=str(DEFAULT_SOURCE), help="demo paper (.txt)")
    ap.add_argument("--out-dir", default=str(DEFAULT_OUT_DIR), help="directory for <stem>.pdf")
    args = ap.parse_args(argv)
    src = Path(args.source)
    out = render_pdf(src.read_text(encoding="utf-8"), Path(args.out_dir) / (src.stem + ".pdf"))
    print(out)
    return 0


if __name__ == "__main__":
    sys.exit(main())

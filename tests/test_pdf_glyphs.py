"""Words and characters from glyphs: spaces restored from the gaps between glyph boxes,
symbol-font glyphs mapped by (font, code), minus signs printed as "@"; and a clean-text check
over every shared PDF.

The PDFs here are written byte by byte (``_pdf``) so that the text layer is exactly what the
test needs: words placed one by one with no space characters between them, or a font that
PDFium has no Unicode names for (a TeX symbol font, not embedded, no ToUnicode map).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from extractor.load_pdf import load_pdf, symbol_glyph
from extractor.segment import render_text, segment

pdfmetrics = pytest.importorskip("reportlab.pdfbase.pdfmetrics")


_STANDARD = {"Times-Roman", "Symbol", "Helvetica"}


def _pdf(path: Path, runs: list[tuple[str, str, float, float, float, str]]) -> Path:
    """A one-page PDF. ``runs``: (font resource, base font, x, y, size, hex string of codes)."""
    fonts: dict[str, str] = {}
    for res, base, *_ in runs:
        fonts.setdefault(res, base)
    content = "\n".join(f"BT /{res} {size} Tf 1 0 0 1 {x:.2f} {y:.2f} Tm <{hx}> Tj ET"
                        for res, _, x, y, size, hx in runs) + "\n"
    refs = " ".join(f"/{res} {5 + i} 0 R" for i, res in enumerate(fonts))
    objs = ["<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
            f"/Resources << /Font << {refs} >> >> >>",
            f"<< /Length {len(content)} >>\nstream\n{content}endstream"]
    widths = "[" + " ".join(["778"] * 256) + "]"  # symbol fonts: every glyph one em wide-ish
    objs += [f"<< /Type /Font /Subtype /Type1 /BaseFont /{base} >>" if base in _STANDARD
             else f"<< /Type /Font /Subtype /Type1 /BaseFont /{base} /FirstChar 0 /LastChar 255 /Widths {widths} >>"
             for base in fonts.values()]
    out, offsets = "%PDF-1.4\n", []
    for i, obj in enumerate(objs):
        offsets.append(len(out))
        out += f"{i + 1} 0 obj\n{obj}\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n" + "".join(f"{o:010d} 00000 n \n" for o in offsets)
    out += f"trailer\n<< /Size {len(objs) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n"
    path.write_bytes(out.encode("latin-1"))
    return path


def _hex(text: str) -> str:
    return text.encode("latin-1").hex()


def _words(path: Path, lines: list[str], gap: float, size: float = 10.0) -> Path:
    """Each word drawn on its own at its place, ``gap`` points after the previous one: the
    text layer holds no space character at all."""
    runs = []
    for row, line in enumerate(lines):
        x = 72.0
        for word in line.split():
            runs.append(("F1", "Times-Roman", x, 700 - 14 * row, size, _hex(word)))
            x += pdfmetrics.stringWidth(word, "Times-Roman", size) + gap
    return _pdf(path, runs)


LINES = [
    "The voltage was stable for a long time at 0.04 V for the host.",
    "Dense lithium grew on the coated foil in every cell we made.",
    "A thin layer kept the interface clean during the cycling test.",
    "We saw no dendrites after many hundreds of hours of plating.",
]


@pytest.mark.parametrize("gap", [1.4, 2.0, 3.0])
def test_spaces_restored_from_gaps_between_glyphs(tmp_path, gap):
    doc = load_pdf(_words(tmp_path / "nospace.pdf", LINES, gap))
    for line in LINES:
        assert line in doc.text, doc.text


def test_letters_are_not_split_and_letter_spacing_is_not_words(tmp_path):
    """Glyphs that abut stay one word; a letter-spaced label is not cut into letters."""
    runs = [("F1", "Times-Roman", 72, 700 - 14 * i, 10, _hex(line)) for i, line in enumerate(LINES)]
    x = 72.0
    for ch in "HIGHLIGHTS":
        runs.append(("F1", "Times-Roman", x, 600, 10, _hex(ch)))
        x += pdfmetrics.stringWidth(ch, "Times-Roman", 10) + 1.3
    doc = load_pdf(_pdf(tmp_path / "tracked.pdf", runs))
    assert all(line in doc.text for line in LINES), doc.text
    assert "H I G H" not in doc.text


# ---------------------------------------------------------------- symbol fonts

# TeX math symbol font (OMS encoding): code -> character meant.
OMS = {0x00: "−", 0x02: "×", 0x06: "±", 0x0E: "°", 0x14: "≤", 0x15: "≥", 0x18: "~", 0x19: "≈",
       0x6B: "‖"}


@pytest.mark.parametrize("code, char", sorted(OMS.items()))
def test_tex_symbol_font_glyphs_on_a_generated_pdf(tmp_path, code, char):
    body = [("F1", "Times-Roman", 72, 700 - 14 * i, 10, _hex(line)) for i, line in enumerate(LINES)]
    x = 72 + pdfmetrics.stringWidth("Li ", "Times-Roman", 10)
    runs = body + [
        ("F1", "Times-Roman", 72, 600, 10, _hex("Li ")),
        # two glyphs: PDFium leaves out a text object of one control code on its own
        ("F2", "ABCDEF+CMSY10", x, 600, 10, f"{code:02x}{code:02x}"),
        ("F1", "Times-Roman", x + 2 * 7.78, 600, 10, _hex("5 cells")),
    ]
    doc = load_pdf(_pdf(tmp_path / "cmsy.pdf", runs))
    assert f"Li {char}{char}5 cells" in doc.text, repr(doc.text[-40:])


@pytest.mark.parametrize("code, char", [(0x2D, "−"), (0x6D, "\u00b5"), (0x57, "\u2126"), (0xB1, "±"),
                                        (0xB4, "×"), (0xB0, "°"), (0xBB, "≈"), (0xA3, "≤"),
                                        (0xB3, "≥"), (0x7E, "∼")])
def test_adobe_symbol_font_glyphs_on_a_generated_pdf(tmp_path, code, char):
    """PDFium knows the standard Symbol font (micro and ohm come as U+00B5 and U+2126): its
    glyphs must come through untouched."""
    body = [("F1", "Times-Roman", 72, 700 - 14 * i, 10, _hex(line)) for i, line in enumerate(LINES)]
    runs = body + [("F1", "Times-Roman", 72, 600, 10, _hex("at ")),
                   ("F2", "Symbol", 72 + pdfmetrics.stringWidth("at ", "Times-Roman", 10), 600, 10,
                    f"{code:02x}"),
                   ("F1", "Times-Roman", 100, 600, 10, _hex("end"))]
    doc = load_pdf(_pdf(tmp_path / "symbol.pdf", runs))
    assert f"at {char}" in doc.text, repr(doc.text[-30:])


@pytest.mark.parametrize("code, char", [("U", "Ω"), ("m", "µ"), ("a", "α"), ("D", "Δ"), ("c", "χ")])
def test_advent_greek_font_glyphs_on_a_generated_pdf(tmp_path, code, char):
    body = [("F1", "Times-Roman", 72, 700 - 14 * i, 10, _hex(line)) for i, line in enumerate(LINES)]
    x = 72 + pdfmetrics.stringWidth("of 25 k", "Times-Roman", 10)
    runs = body + [("F1", "Times-Roman", 72, 600, 10, _hex("of 25 k")),
                   ("F2", "AdvPS3F4C13", x, 600, 10, _hex(code)),
                   ("F1", "Times-Roman", x + 7.78, 600, 10, _hex(" in all cells"))]
    doc = load_pdf(_pdf(tmp_path / "greek.pdf", runs))
    assert f"of 25 k{char} in all cells" in doc.text, repr(doc.text[-40:])


def test_symbol_table_lookup_by_font_and_code():
    assert symbol_glyph(b"ABCDEF+CMSY10", 0x6B) == "‖"
    assert symbol_glyph(b"CMSY7", 0xF006) == "±"  # symbolic TrueType: U+F0xx
    assert symbol_glyph(b"AdvP4C4E74", 0xBC) == "="
    assert symbol_glyph(b"Times-Roman", 0x6B) is None  # a text font's "k" is a k
    assert symbol_glyph(b"ABCDEF+CMSY10", 0x41) is None  # not in the table
    assert symbol_glyph(b"AdvPS3F4C13", ord("U")) == "Ω"
    assert symbol_glyph(b"AdvOT2e364b11", ord("U")) is None  # Advent's text fonts are text


def test_at_sign_for_a_minus_before_a_number(tmp_path):
    runs = [("F1", "Times-Roman", 72, 700 - 14 * i, 10, _hex(line)) for i, line in enumerate(LINES)]
    runs.append(("F1", "Times-Roman", 72, 600, 10, _hex("plated at @0.03 V on Li@C, mail a@b.org")))
    doc = load_pdf(_pdf(tmp_path / "at.pdf", runs))
    assert "plated at −0.03 V on Li@C, mail a@b.org" in doc.text


# ---------------------------------------------------------------- shared PDFs: clean text

_GLUED = re.compile(r"[a-z]{26,}|\b(?:of|and|in|to|for|with|on)the[a-z]+|[a-z]{3,}(?:ofthe|andthe|inthe|tothe)\b")
_BAD = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe]|\(cid:\d+\)|(?<![\w@.\-/])@\d")


@pytest.mark.shared
def test_analysed_text_of_every_shared_pdf_is_clean(shared_dir):
    paths = sorted((shared_dir / "corpus" / "pdf").glob("*.pdf"))
    paths += sorted((shared_dir / "corpus" / "rendered").glob("*.pdf"))
    assert len(paths) >= 13
    found = {}
    for path in paths:
        text = render_text(segment(load_pdf(path)))
        bad = [text[max(0, m.start() - 20): m.end() + 20] for m in _BAD.finditer(text)]
        bad += [m.group(0) for m in _GLUED.finditer(text)]
        if bad:
            found[path.name] = bad[:5]
    assert not found, found

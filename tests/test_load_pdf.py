"""load_pdf: reading order, clean body text, roles, super/subscripts and named errors.

Golden checks run on the real publisher PDFs in ../shared/corpus/pdf (read at test time);
small PDFs for the super/subscript and bad-input cases are drawn with reportlab here.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from extractor.errors import LoadError
from extractor.load_pdf import join_hyphenated, load_pdf, to_subscript, to_superscript

# Similarity floors reached on the reference conversions (measured level minus a margin).
# Measured: 10 md recall 0.980, md F1 0.870, md seq 0.835, TEI F1 0.900;
#           11 md recall 0.967, md F1 0.873, md seq 0.846, TEI F1 0.860.
# Precision against the markdown is lower because it leaves out captions and some blocks,
# so recall is the sharpest check that no body text is lost.
FLOORS = {
    "10": {"md_recall": 0.95, "md_f1": 0.84, "md_seq": 0.80, "tei_f1": 0.87},
    "11": {"md_recall": 0.94, "md_f1": 0.84, "md_seq": 0.81, "tei_f1": 0.83},
}


# ---------------------------------------------------------------- fixtures


def _pdfs(shared_dir: Path) -> list[Path]:
    paths = sorted((shared_dir / "corpus" / "pdf").glob("*.pdf"))
    assert paths, "no PDFs in shared corpus/pdf"
    return paths


@pytest.fixture(scope="session")
def corpus(shared_dir):
    """Every shared PDF loaded once: {path: RawDocument}."""
    return {p: load_pdf(p) for p in _pdfs(shared_dir)}


def _body_text(doc, roles=("body",)) -> str:
    return "\n\n".join(doc.text[b.start:b.end] for b in doc.blocks if b.role in roles)


def _by_prefix(corpus, prefix: str):
    return next(doc for p, doc in corpus.items() if p.name.startswith(prefix + "_"))


# ---------------------------------------------------------------- shape of the output


@pytest.mark.shared
def test_every_pdf_loads_with_a_full_text_layer(corpus):
    for path, doc in corpus.items():
        with pdfium.PdfDocument(str(path)) as pdf:
            assert doc.page_count == len(pdf), path.name
        assert doc.format == "pdf" and doc.name == path.name and len(doc.sha256) == 64
        per_page = len(doc.text) / doc.page_count
        assert per_page > 1000, f"{path.name}: {per_page:.0f} chars/page"


@pytest.mark.shared
def test_blocks_index_the_text_in_order(corpus):
    for path, doc in corpus.items():
        pos = 0
        for b in doc.blocks:
            assert b.start >= pos and b.end > b.start, path.name
            assert b.role in {"title", "heading", "body", "caption", "footnote", "table", "unknown"}
            assert 1 <= b.page <= doc.page_count
            pos = b.end
        assert "\n\n".join(doc.text[b.start:b.end] for b in doc.blocks) == doc.text
        pages = [b.page for b in doc.blocks]
        assert pages == sorted(pages), f"{path.name}: blocks not in page order"


@pytest.mark.shared
def test_title_and_doi(corpus):
    for path, doc in corpus.items():
        titles = [doc.text[b.start:b.end] for b in doc.blocks if b.role == "title"]
        assert len(titles) == 1 and len(titles[0].split()) >= 4, (path.name, titles)
        assert re.match(r"10\.\d{4,9}/\S+", doc.meta.get("doi", "")), (path.name, doc.meta)
    doc10 = _by_prefix(corpus, "10")
    assert doc10.meta["doi"].lower() == "10.1039/c7ra07722j"
    assert doc10.meta["author"] == "N. Hornsveld"
    title = next(doc10.text[b.start:b.end] for b in doc10.blocks if b.role == "title")
    assert title.startswith("Plasma-assisted and thermal atomic layer deposition")


@pytest.mark.shared
def test_headings_found(corpus):
    doc10 = _by_prefix(corpus, "10")
    headings = {doc10.text[b.start:b.end] for b in doc10.blocks if b.role == "heading"}
    assert {"Introduction", "Experimental", "Results and discussion", "Conclusions"} <= headings
    doc11 = _by_prefix(corpus, "11")
    headings = {doc11.text[b.start:b.end] for b in doc11.blocks if b.role == "heading"}
    assert any("INTRODUCTION" in h for h in headings), headings


# ---------------------------------------------------------------- text quality


GLUED = ["owingtotheir", "highenergydensity", "lithiummetal", "currentdensity", "inthis", "ofthe"]
# Long single words that are real (chemical names and the like).
LONG_WORDS = re.compile(r"(methyl|ethyl|silyl|silaz|fluoro|phosph|carbon|oxy|amin|amide|"
                        r"semiquantitative|nonsuperconducting|electrochemical|spectroscop)")


@pytest.mark.shared
def test_no_glued_words(corpus):
    for path, doc in corpus.items():
        text = _body_text(doc, ("body", "heading", "caption", "title")).lower()
        long = [w for w in re.findall(r"[a-z]{25,}", text) if not LONG_WORDS.search(w)]
        assert not long, f"{path.name}: {long[:5]}"
        for glued in GLUED:
            assert not re.search(rf"\b{glued}\b", text), f"{path.name}: {glued}"


def _running_heads(path: Path) -> set[str]:
    """Lines PDFium's plain text repeats (digits ignored) on at least half of the pages."""
    with pdfium.PdfDocument(str(path)) as pdf:
        seen = Counter()
        for page in pdf:
            lines = {re.sub(r"\d+", "#", l.strip()) for l in page.get_textpage().get_text_range().splitlines()}
            seen.update(l for l in lines if len(l) >= 12 and sum(c.isalpha() for c in l) >= 6)
        n = len(pdf)
    return {l for l, k in seen.items() if k >= max(2, n / 2)}


WATERMARKS = ["Downloaded via", "Open Access Article", "licensed under", "This journal is ©",
              "View Article Online", "Downloaded from", "sharingguidelines"]


@pytest.mark.shared
def test_no_running_heads_or_watermarks_in_body(corpus):
    for path, doc in corpus.items():
        body = _body_text(doc, ("body", "heading", "caption", "title"))
        for mark in WATERMARKS:
            assert mark not in body, f"{path.name}: {mark!r} left in the body"
        # Pages after the first, before the references (which cite the same journal).
        flat = re.sub(r"\d+", "#", _doc_text(doc, first_page=False))
        for head in _running_heads(path):
            if re.search(r"doi|https?:|www\.", head, re.I):
                continue  # a footer DOI may also be quoted in the text (Supporting Information)
            assert head not in flat, f"{path.name}: running head {head!r} left in the body"


UNIT = re.compile(r"\bm\s?A\s?h?\s?cm(.{0,2})")


@pytest.mark.shared
def test_areal_units_keep_their_exponent(corpus):
    found = 0
    for path, doc in corpus.items():
        for m in UNIT.finditer(doc.text):
            found += 1
            # An exponent follows (cm⁻², cm−2, cm²; cm⁻¹ occurs for linear densities), never a
            # stray "@", "(cid:" or nothing.
            assert re.match(r"[⁻−\-–]?[0-9¹²³]|²", m.group(1)), f"{path.name}: {m.group(0)!r}"
        assert "(cid:" not in doc.text and "@2" not in doc.text
    assert found >= 20


@pytest.mark.shared
def test_sub_and_superscripts_in_real_papers(corpus):
    doc10 = _by_prefix(corpus, "10")
    assert doc10.text.count("Li₂CO₃") > 30
    assert "Li2 CO3" not in doc10.text and "Li CO" not in doc10.text
    doc01 = _by_prefix(corpus, "01")
    assert "10 mA cm⁻²" in doc01.text and "0.59 g cm⁻³" in doc01.text
    doc02 = _by_prefix(corpus, "02")
    assert "mAh cm⁻²" in doc02.text and "Li₆PS₅Cl" in doc02.text


@pytest.mark.shared
def test_ligatures_accents_and_symbol_fonts_repaired(corpus):
    doc10 = _by_prefix(corpus, "10")
    assert "thin film" in doc10.text and "\ue103" not in doc10.text
    assert "150 °C" in doc10.text and "0.8 Å" in doc10.text
    doc14 = _by_prefix(corpus, "14")
    assert "x = 0.31" in doc14.text and " ¼ " not in doc14.text
    for path, doc in corpus.items():
        assert not re.search("[\ufb00-\ufb06\ufffe\x00-\x08\x0e-\x1f]", doc.text), path.name


@pytest.mark.shared
def test_line_end_hyphens_in_real_papers(corpus):
    doc01 = _by_prefix(corpus, "01")
    assert "lithium dendrites" in doc01.text
    assert not re.search(r"den[-\s]drites", doc01.text)
    doc10 = _by_prefix(corpus, "10")
    assert "plasma-assisted" in doc10.text.lower()


@pytest.mark.shared
def test_captions_are_their_own_blocks(corpus):
    for path, doc in corpus.items():
        captions = [doc.text[b.start:b.end] for b in doc.blocks if b.role == "caption"]
        assert captions, f"{path.name}: no caption block"
        # A caption block opens with its label unless it continues the caption before it.
        for prev, b in zip(doc.blocks, doc.blocks[1:]):
            if b.role == "caption" and prev.role != "caption":
                assert re.match(r"(Fig|FIG|Table|TABLE|Scheme)", doc.text[b.start:b.end]), (
                    path.name, doc.text[b.start:b.start + 60])
        for b in doc.blocks:
            if b.role == "body":
                assert not re.search(r"Fig\. \d+ \|", doc.text[b.start:b.end]), path.name
    doc02 = _by_prefix(corpus, "02")
    opening = [doc02.text[b.start:b.end][:8] for b in doc02.blocks if b.role == "caption"]
    assert {"Fig. 1 |", "Fig. 2 |", "Fig. 3 |", "Fig. 4 |"} <= set(opening)


# ---------------------------------------------------------------- similarity to references


def _tokens(text: str) -> list[str]:
    text = unicodedata.normalize("NFKC", text).lower()
    return re.findall(r"[a-z0-9]+", text)


def _cut_references(text: str) -> str:
    m = re.search(r"^(?:#\s*|■\s*)?(?:references|references and notes|notes and references)\s*$",
                  text, re.I | re.M)
    return text[: m.start()] if m else text


def _md_text(path: Path) -> str:
    md = _cut_references(path.read_text(encoding="utf-8"))
    md = re.sub(r"\\(mathrm|mathbf|mathit|text|operatorname)\s*", "", md)
    md = re.sub(r"\\[a-zA-Z]+", " ", md)  # other commands (\circ, \dagger, ...)
    md = re.sub(r"[{}$_^]", "", md)
    return re.sub(r"!\[[^\]]*\]\([^)]*\)|<[^>]+>", " ", md)


def _tei_text(path: Path) -> str:
    root = ET.parse(path).getroot()
    ns = {"t": "http://www.tei-c.org/ns/1.0"}
    parts = []
    header_title = root.find(".//t:teiHeader//t:titleStmt/t:title", ns)
    if header_title is not None:
        parts.append("".join(header_title.itertext()))
    abstract = root.find(".//t:teiHeader//t:abstract", ns)
    if abstract is not None:
        parts.append(" ".join(abstract.itertext()))
    body = root.find(".//t:text/t:body", ns)
    if body is not None:
        parts.append(" ".join(body.itertext()))
    return "\n".join(parts)


def _doc_text(doc, first_page=True) -> str:
    """Title, headings, body and captions up to the references heading."""
    parts = []
    for b in doc.blocks:
        t = doc.text[b.start:b.end]
        if b.role == "heading" and re.fullmatch(r"(■\s*)?(references|notes and references)", t, re.I):
            break
        if b.role in ("title", "heading", "body", "caption") and (first_page or b.page > 1):
            parts.append(t)
    return "\n".join(parts)


def _f1(a: list[str], b: list[str]) -> float:
    ca, cb = Counter(a), Counter(b)
    common = sum((ca & cb).values())
    if not common:
        return 0.0
    p, r = common / sum(ca.values()), common / sum(cb.values())
    return 2 * p * r / (p + r)


def _recall(mine: list[str], ref: list[str]) -> float:
    return sum((Counter(mine) & Counter(ref)).values()) / max(1, len(ref))


def _seq(a: list[str], b: list[str]) -> float:
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


@pytest.mark.shared
@pytest.mark.parametrize("prefix,md,tei", [("10", "T2", "T3"), ("11", "T4", "T5")])
def test_body_text_matches_reference_conversions(corpus, shared_dir, prefix, md, tei):
    ref = shared_dir / "corpus" / "reference"
    doc = _by_prefix(corpus, prefix)
    mine = _tokens(_doc_text(doc))
    md_tokens = _tokens(_md_text(next(ref.glob(f"{md}_*.md"))))
    tei_tokens = _tokens(_tei_text(next(ref.glob(f"{tei}_*.xml"))))
    scores = {
        "md_recall": _recall(mine, md_tokens),
        "md_f1": _f1(mine, md_tokens),
        "md_seq": _seq(mine, md_tokens),
        "tei_f1": _f1(mine, tei_tokens),
    }
    print(f"\n{doc.name}: " + ", ".join(f"{k}={v:.3f}" for k, v in scores.items()))
    for key, floor in FLOORS[prefix].items():
        assert scores[key] >= floor, (key, scores)


# ---------------------------------------------------------------- pure functions


@pytest.mark.parametrize(
    "left,right,words,hyphenated,expected",
    [
        ("den", "drites", set(), set(), "dendrites"),
        ("electro", "lyte", {"electrolyte"}, set(), "electrolyte"),
        ("N", "doped", set(), set(), "N-doped"),
        ("dendrite", "free", set(), set(), "dendrite-free"),
        ("self", "assembled", set(), set(), "self-assembled"),
        ("Li", "ion", set(), set(), "Li-ion"),
        ("p", "type", set(), set(), "p-type"),
        ("3D", "printed", set(), set(), "3D-printed"),
        ("well", "known", set(), {"well-known"}, "well-known"),
        ("non", "polar", {"nonpolar"}, set(), "nonpolar"),
        ("the lithium den", "drites.", set(), set(), "the lithium dendrites."),
        ("Li", "Metal", set(), set(), "Li-Metal"),
    ],
)
def test_join_hyphenated(left, right, words, hyphenated, expected):
    assert join_hyphenated(left, right, words, hyphenated) == expected


def test_super_and_subscript_maps():
    assert to_superscript("−2") == "⁻²"
    assert to_superscript("-1") == "⁻¹"
    assert to_superscript("@2") == "⁻²"
    assert to_superscript("\x032") == "⁻²"
    assert to_superscript("2,3") == "²,³"
    assert to_subscript("2") == "₂" and to_subscript("x") == "ₓ"


# ---------------------------------------------------------------- generated PDFs

canvas_mod = pytest.importorskip("reportlab.pdfgen.canvas")


def _page_of_words(c, y=700, n=8):
    """Some ordinary prose, so the page has a body size to compare glyphs with."""
    for i in range(n):
        c.setFont("Helvetica", 10)
        c.drawString(72, y - 14 * i, "An ordinary line of body text for the loader to read here.")


def test_super_and_subscripts_from_glyph_size_and_baseline(tmp_path):
    path = tmp_path / "scripts.pdf"
    c = canvas_mod.Canvas(str(path))
    _page_of_words(c)
    y = 560
    c.setFont("Helvetica", 10)
    c.drawString(72, y, "at 10 mA cm")
    x = 72 + c.stringWidth("at 10 mA cm", "Helvetica", 10)
    c.setFont("Helvetica", 7)
    c.drawString(x, y + 4, "-2")  # raised, smaller
    x += c.stringWidth("-2", "Helvetica", 7)
    c.setFont("Helvetica", 10)
    c.drawString(x, y, " and the Li")
    x += c.stringWidth(" and the Li", "Helvetica", 10)
    for part, lowered in (("2", True), ("CO", False), ("3", True), (" layer grew.", False)):
        size = 7 if lowered else 10
        c.setFont("Helvetica", size)
        c.drawString(x, y - 2.5 if lowered else y, part)
        x += c.stringWidth(part, "Helvetica", size)
    c.showPage()
    c.save()
    doc = load_pdf(path)
    assert "10 mA cm⁻²" in doc.text, doc.text
    assert "Li₂CO₃ layer" in doc.text, doc.text


def test_a_deep_subscript_in_its_own_fragment_stays_with_its_formula(tmp_path):
    """A typesetter that lowers subscripts far (about half a glyph) and draws each run as its
    own text object: the lowered "2" overlaps the line's band by little, yet is the formula's."""
    path = tmp_path / "deep.pdf"
    c = canvas_mod.Canvas(str(path))
    _page_of_words(c)
    y, x = 560, 72
    for part, lowered in (("grown Ni", False), ("3", True), ("S", False), ("2", True), (" nanosheets on foam.", False)):
        size = 8 if lowered else 10
        c.setFont("Helvetica", size)
        c.drawString(x, y - 6.5 if lowered else y, part)
        x += c.stringWidth(part, "Helvetica", size)
    c.showPage()
    c.save()
    assert "grown Ni₃S₂ nanosheets on foam." in load_pdf(path).text


def test_subscripts_drawn_after_their_line_are_put_back(tmp_path):
    """Publishers often draw a formula's subscripts after the whole line ("Li CO" then "2 3")."""
    path = tmp_path / "pushed.pdf"
    c = canvas_mod.Canvas(str(path))
    _page_of_words(c)
    y = 560
    c.setFont("Helvetica", 10)
    c.drawString(72, y, "thin Li")
    x_li = 72 + c.stringWidth("thin Li", "Helvetica", 10)
    w2 = c.stringWidth("2", "Helvetica", 7)
    c.drawString(x_li + w2, y, "CO")
    x_co = x_li + w2 + c.stringWidth("CO", "Helvetica", 10)
    c.drawString(x_co + w2, y, " films")
    c.setFont("Helvetica", 7)
    c.drawString(x_li, y - 2.5, "2")
    c.drawString(x_co, y - 2.5, "3")
    c.showPage()
    c.save()
    doc = load_pdf(path)
    assert "thin Li₂CO₃ films" in doc.text, doc.text


def test_two_columns_read_left_then_right(tmp_path):
    path = tmp_path / "columns.pdf"
    c = canvas_mod.Canvas(str(path))  # A4-ish letter page, 612 wide
    c.setFont("Helvetica-Bold", 18)
    c.drawString(72, 740, "A Title Across The Page For Testing")
    c.setFont("Helvetica", 9)
    left = [f"left column line {i} about lithium metal anodes" for i in range(30)]
    right = [f"right column line {i} about host structures" for i in range(30)]
    # Draw interleaved (row by row) so content order is wrong; geometry must win.
    for i, (a, b) in enumerate(zip(left, right)):
        c.drawString(50, 700 - 12 * i, a)
        c.drawString(320, 700 - 12 * i, b)
    c.showPage()
    c.save()
    doc = load_pdf(path)
    t = doc.text
    assert t.index("A Title Across") < t.index("left column line 0 ")
    assert t.index("left column line 29") < t.index("right column line 0 ")
    assert "left column line 3 about lithium metal anodes left column line 4" in t


# ---------------------------------------------------------------- bad input


def _reason(path) -> str:
    with pytest.raises(LoadError) as info:
        load_pdf(path)
    err = info.value
    assert str(path) in str(err) and "\n" not in str(err)
    return err.reason


def test_empty_file(tmp_path):
    path = tmp_path / "empty.pdf"
    path.write_bytes(b"")
    assert _reason(path) == "empty_file"


def test_binary_junk(tmp_path):
    path = tmp_path / "junk.pdf"
    path.write_bytes(bytes(range(256)) * 40)
    assert _reason(path) == "not_a_pdf"


@pytest.mark.shared
def test_truncated_pdf(tmp_path, shared_dir):
    src = _pdfs(shared_dir)[0].read_bytes()
    path = tmp_path / "half.pdf"
    path.write_bytes(src[: len(src) // 2])
    assert _reason(path) == "corrupt_pdf"


def test_encrypted_pdf(tmp_path):
    path = tmp_path / "locked.pdf"
    c = canvas_mod.Canvas(str(path), encrypt="s3cret")
    _page_of_words(c)
    c.showPage()
    c.save()
    assert _reason(path) == "encrypted_pdf"


def test_image_only_pdf(tmp_path):
    path = tmp_path / "scan.pdf"
    c = canvas_mod.Canvas(str(path))
    for i in range(20):
        c.rect(50 + 10 * i, 100 + 20 * i, 200, 100, fill=i % 2)
    c.showPage()
    c.rect(100, 100, 300, 300, fill=1)
    c.showPage()
    c.save()
    assert _reason(path) == "no_text_layer"


def test_missing_file(tmp_path):
    assert _reason(tmp_path / "nope.pdf") == "unreadable"


def test_a_line_break_hyphen_typeset_inside_a_line_is_joined_when_the_paper_writes_the_word():
    # a page typeset from text that kept its old line breaks: "reten- tion" mid-line
    from extractor.load_pdf import _join_lines, _Line

    line = _Line(chars=[], x0=0, x1=1, y0=0, y1=1, text="kept 91% capacity reten- tion and a plasma- assisted film")
    joined = _join_lines([line], words={"retention", "plasma", "film"}, hyph=set())
    assert "capacity retention and" in joined
    assert "plasma- assisted" in joined  # negative: "plasmaassisted" is no word of the paper


def test_two_columns_set_close_together_are_not_read_across(tmp_path):
    """A layout whose gutter (6 pt) is narrower than a glyph: a short left-column block and the
    right column start on the same baselines; each line stays in its column."""
    path = tmp_path / "tight.pdf"
    c = canvas_mod.Canvas(str(path))
    _page_of_words(c, y=520, n=8)
    left = ["The left column says the host lasts 720 h", "at 1 mA cm-2 with a low overpotential of",
            "23 mV in symmetric cells over the test."]
    right = ["The right column reports the exchange", "current density from Tafel plots as 1.46",
             "mA cm-2 on the host, three times more."]
    c.setFont("Helvetica", 9)
    right_x = 76 + max(c.stringWidth(t, "Helvetica", 9) for t in left) + 6  # a 6 pt gutter
    for column, x in ((left, 76), (right, right_x)):  # drawn column by column, as typesetters do
        for i, line in enumerate(column):
            c.drawString(x, 700 - 11 * i, line)
    c.showPage()
    c.save()
    text = " ".join(load_pdf(path).text.split())
    assert "host lasts 720 h at 1 mA cm-2 with a low overpotential of 23 mV" in text, text
    assert "The right column reports the exchange current density" in text, text

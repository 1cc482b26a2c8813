"""Structure from typography on composed PDFs: each test draws a two-column paper with
reportlab in one layout style and checks the blocks and sections hostkb reads from it.

The prose is written for these tests. Layout features covered: paragraphs set apart by
space instead of an indent, bold numbered headings at (about) body size, a section heading
followed directly by its first subsection, an abstract set in large bold type with no
title, a title in the largest type, a caption whose tail carries on the body paragraph the
figure interrupted, running headers and page numbers.
"""

from __future__ import annotations

import pytest

from extractor.load_pdf import caption_tail, load_pdf
from extractor.segment import segment

canvas_mod = pytest.importorskip("reportlab.pdfgen.canvas")
from reportlab.lib.utils import simpleSplit  # noqa: E402

BODY = ("Times-Roman", 9.0)
BOLD = ("Times-Bold", 9.6)
CAPTION = ("Times-Italic", 8.0)
LEADING = 1.2  # line pitch in type sizes
COL_X = (50, 315)
COL_W = 245
TOP, BOTTOM = 760, 60

FILLER = (
    "Porous hosts spread the current over a large area so that lithium plates evenly. "
    "The cells were cycled for many hours while the voltage stayed flat. "
    "Thin coatings of oxides also helped the deposits stay dense and smooth. "
)


class Composer:
    """Pours styled paragraphs into two columns, page after page, with a running header
    and a page number on every page."""

    def __init__(self, path, header="Journal of Composed Layouts"):
        self.c = canvas_mod.Canvas(str(path))
        self.header = header
        self.page = 0
        self._new_page()

    def _new_page(self):
        if self.page:
            self.c.showPage()
        self.page += 1
        self.c.setFont("Times-Roman", 7)
        self.c.drawString(50, 815, self.header)
        self.c.drawString(540, 30, str(self.page))
        self.c.drawString(50, 20, f"Downloaded from https://example.org/doi/10.1000/x{self.page} "
                                  f"by a reader on {self.page + 2} May 2024")
        self.col = 0
        self.y = self.top = TOP

    def _next_column(self):
        if self.col == 0:
            self.col, self.y = 1, self.top
        else:
            self._new_page()

    def full_width(self, text, font, space_after=20):
        name, size = font
        for line in simpleSplit(text, name, size, 500):
            self.c.setFont(name, size)
            self.c.drawString(50, self.y, line)
            self.y -= size * LEADING
        self.y -= space_after
        self.top = self.y  # the columns start below

    def para(self, text, font=BODY, space_before=4.0):
        name, size = font
        self.y -= space_before
        for line in simpleSplit(text, name, size, COL_W):
            if self.y < BOTTOM:
                self._next_column()
            self.c.setFont(name, size)
            self.c.drawString(COL_X[self.col], self.y, line)
            self.y -= size * LEADING

    def runin(self, head, text, font=BODY, head_font=("Times-Bold", 9.0), space_before=4.0):
        """A paragraph opened by a run-in heading in ``head_font`` on its first line."""
        name, size = font
        self.y -= space_before
        if self.y < BOTTOM:
            self._next_column()
        x = COL_X[self.col]
        self.c.setFont(*head_font)
        self.c.drawString(x, self.y, head)
        lead = self.c.stringWidth(head + " ", *head_font)
        first = simpleSplit(text, name, size, COL_W - lead)[0]
        self.c.setFont(name, size)
        self.c.drawString(x + lead, self.y, first)
        self.y -= size * LEADING
        self.para(text[len(first):].strip(), font, space_before=0)

    def save(self):
        self.c.showPage()
        self.c.save()


def _sections(seg):
    order = []
    for p in seg.passages:
        if p.section not in order:
            order.append(p.section)
    return order


def _paper(path, *, title=None, abstract_large=False, caption_tail_text=None):
    doc = Composer(path)
    abstract = ("We describe a lithium metal anode held in a light carbon scaffold. " * 3
                + "The scaffold keeps its shape and the anode cycles for a long time. " * 3)
    if title:
        doc.full_width(title, ("Times-Bold", 16))
    if abstract_large:
        doc.full_width(abstract, ("Times-Bold", 13))
    else:
        doc.para(abstract)
    doc.para("1. Introduction", BOLD, space_before=8)
    for _ in range(3):
        doc.para(FILLER * 2)
    doc.para("2. Experimental Section", BOLD, space_before=8)
    doc.para("2.1. Preparation of the Scaffold", BOLD, space_before=2)
    doc.para("The carbon powder was mixed with a binder and cast on copper foil. " + FILLER)
    doc.runin("2.2. Electrochemical Tests.", "Coin cells were assembled in a glove box and "
              "cycled at a fixed current. " + FILLER)
    doc.para("3. Results and Discussion", BOLD, space_before=8)
    doc.para(FILLER * 2)
    if caption_tail_text:
        doc.para(FILLER + "The scaffold electrode kept a high average")
        doc.runin("Figure 2.", "Voltage profiles of the cells. a) Scaffold and b) bare foil at "
                  "one current density. " + caption_tail_text, CAPTION, ("Times-Bold", 8.0))
    for _ in range(14):  # enough for a second page
        doc.para(FILLER * 2)
    doc.para("4. Conclusions", BOLD, space_before=8)
    doc.para("The scaffold gave dense lithium and long cycling in every test we ran. " + FILLER)
    doc.save()
    return load_pdf(path)


def _roles(doc, role):
    return [doc.text[b.start:b.end] for b in doc.blocks if b.role == role]


def test_headings_at_body_size_in_paragraphs_set_apart_by_space(tmp_path):
    doc = _paper(tmp_path / "spaced.pdf", title="A Carbon Scaffold for Lithium Metal Anodes")
    headings = _roles(doc, "heading")
    for h in ("1. Introduction", "2. Experimental Section", "2.1. Preparation of the Scaffold",
              "3. Results and Discussion", "4. Conclusions"):
        assert h in headings, headings
    seg = segment(doc)
    assert _sections(seg) == ["title", "abstract", "introduction", "experimental", "results",
                              "conclusions"]
    # paragraphs are cut at the space between them, not left as one block per column
    body = _roles(doc, "body")
    assert sum(t.startswith("Porous hosts") for t in body) >= 3, body


def test_running_header_and_page_numbers_leave_the_reading_flow(tmp_path):
    doc = _paper(tmp_path / "header.pdf", title="A Carbon Scaffold for Lithium Metal Anodes")
    assert doc.page_count >= 2
    assert "Journal of Composed Layouts" not in doc.text
    assert all(not t.strip().isdigit() for t in (doc.text[b.start:b.end] for b in doc.blocks))
    assert "Downloaded from" not in doc.text


def test_title_is_the_largest_type_and_the_abstract_stays_apart(tmp_path):
    doc = _paper(tmp_path / "title.pdf", title="A Carbon Scaffold for Lithium Metal Anodes")
    assert _roles(doc, "title") == ["A Carbon Scaffold for Lithium Metal Anodes"]
    seg = segment(doc)
    assert seg.meta.title == "A Carbon Scaffold for Lithium Metal Anodes"
    abstract = [p.text for p in seg.passages if p.section == "abstract"]
    assert abstract and abstract[0].startswith("We describe")


def test_abstract_in_large_type_is_not_a_title(tmp_path):
    """No title on the page, the abstract set large and bold: it is read as the abstract."""
    doc = _paper(tmp_path / "no_title.pdf", abstract_large=True)
    assert _roles(doc, "title") == []
    seg = segment(doc)
    assert seg.meta.title is None
    assert _sections(seg)[:3] == ["abstract", "introduction", "experimental"]
    assert "results" in _sections(seg)


def test_body_text_poured_into_a_caption_goes_back_to_its_paragraph(tmp_path):
    doc = _paper(tmp_path / "tail.pdf", title="A Carbon Scaffold for Lithium Metal Anodes",
                 caption_tail_text="efficiency of 99.1% over 300 cycles (Figure 3a). The bare "
                                   "foil lost capacity quickly.")
    captions = _roles(doc, "caption")
    assert len(captions) == 1 and captions[0].endswith("at one current density."), captions
    seg = segment(doc)
    joined = [p.text for p in seg.passages if "kept a high average" in p.text]
    assert joined and "average efficiency of 99.1% over 300 cycles" in joined[0], joined


@pytest.mark.parametrize(
    "text, tail",
    [
        ("Figure 6. Cycling of full cells. c) long-term cycling at 0.2 C. at high rates. At 10 C.",
         "at high rates. At 10 C."),
        ("Figure 5. Symmetric cells. Inset: profiles. Information). The electrode was stable.",
         "Information). The electrode was stable."),
        ("Figure 4. Schematic of growth. e) Cu foil. 2.5. Symmetric Cell Cycling", "2.5. Symmetric Cell Cycling"),
    ],
)
def test_caption_tail_positive(text, tail):
    cut = caption_tail(text)
    assert cut is not None and text[cut:] == tail


@pytest.mark.parametrize(
    "text",
    [
        "Figure 1. SEM image. b) TEM image (Figure 1a). c,d) XRD patterns.",
        "Fig. 3 | Cell performance. a Coulombic efficiency of cells. d, e Violin plots of data.",
        "Fig. 2. XPS. (a) Nb 3d; (b) fitted spectra. (c) O 1s spectra.",
        "Figure 7. Ratio Rx (i.e. the ratio of doping cycles) against thickness.",
    ],
)
def test_caption_tail_negative(text):
    assert caption_tail(text) is None


def test_foreign_figure_cited_only_when_a_paragraph_is_open():
    text = "Figure 2. Profiles of the cells. Compared with the cells of (Figure 1c), these are flat."
    assert caption_tail(text, interrupts=False) is None
    assert text[caption_tail(text, interrupts=True):].startswith("Compared with")


# ---------------------------------------------------------------- shared PDFs: section order

_MAIN = ["abstract", "introduction", "experimental", "results", "conclusions"]
# The sections each shared paper has, in its own order (Nature Communications papers have no
# introduction heading and put Methods last; EES Batteries puts the experimental part after
# the conclusions; 000's text has neither a title nor an experimental part).
_SECTION_ORDER = {
    "01": ["title", "abstract", "introduction", "results", "conclusions", "experimental"],
    "02": ["title", "abstract", "results", "experimental"],
    "13": ["title", "abstract", "introduction", "results", "experimental", "conclusions"],
    "000_rendered": ["abstract", "introduction", "results", "conclusions"],
    "004_rendered": ["title", "abstract", "introduction", "results", "conclusions"],
}
_USUAL = ["title"] + _MAIN


def _shared_pdfs(shared_dir):
    paths = sorted((shared_dir / "corpus" / "pdf").glob("*.pdf"))
    paths += sorted((shared_dir / "corpus" / "rendered").glob("*.pdf"))
    assert len(paths) >= 13
    return paths


@pytest.mark.shared
def test_section_sequence_of_every_shared_pdf(shared_dir):
    """Sections in reading order, each once, as the paper has them: a heading missed, a
    float read into the wrong place or a running header taken for a heading shows here."""
    wrong = {}
    for path in _shared_pdfs(shared_dir):
        key = path.stem if path.stem in _SECTION_ORDER else path.stem.split("_")[0]
        order = []
        for p in segment(load_pdf(path)).passages:
            if p.section != "body" and (not order or order[-1] != p.section):
                order.append(p.section)
        if order != _SECTION_ORDER.get(key, _USUAL):
            wrong[path.name] = order
    assert not wrong, wrong


# ---------------------------------------------------------------- hostkb text --layout


def test_layout_view_shows_blocks_with_page_role_and_section(tmp_path):
    from extractor.segment import render_layout

    doc = _paper(tmp_path / "layout.pdf", title="A Carbon Scaffold for Lithium Metal Anodes",
                 caption_tail_text="efficiency of 99.1% over 300 cycles (Figure 3a).")
    rows = [line.split(None, 3) for line in render_layout(segment(doc)).splitlines()]
    assert rows[0][:2] == ["p1", "header"] and rows[0][3] == "Journal of Composed Layouts"
    assert ["p1", "title", "title"] == rows[1][:3]
    assert ["p1", "heading", "introduction", "1. Introduction"] in rows
    assert any(r[:3] == ["p1", "caption", "results"] and r[3].startswith("Figure 2.") for r in rows)
    assert any(r[1] == "footer" and r[3] == "2" and r[0] == "p2" for r in rows)
    pages = [int(r[0][1:]) for r in rows]
    assert pages == sorted(pages)


def test_cli_text_layout(tmp_path):
    from click.testing import CliRunner

    from extractor.cli import cli

    path = tmp_path / "cli.pdf"
    _paper(path, title="A Carbon Scaffold for Lithium Metal Anodes")
    result = CliRunner().invoke(cli, ["text", "--layout", str(path)])
    assert result.exit_code == 0, result.output
    assert "heading   experimental  2. Experimental Section" in result.output


def test_run_in_bold_heading_at_body_size_is_split_off(tmp_path):
    doc = _paper(tmp_path / "runin.pdf", title="A Carbon Scaffold for Lithium Metal Anodes",
                 caption_tail_text="efficiency of 99.1% over 300 cycles (Figure 3a).")
    blocks = [(b.role, doc.text[b.start:b.end]) for b in doc.blocks]
    k = blocks.index(("heading", "2.2. Electrochemical Tests."))
    assert blocks[k + 1][0] == "body" and blocks[k + 1][1].startswith("Coin cells were assembled")
    seg = segment(doc)
    passage = next(p for p in seg.passages if p.text.startswith("Coin cells"))
    assert passage.section == "experimental" and passage.heading == "2.2. Electrochemical Tests."
    # a bold figure label opening a caption is no run-in heading
    assert any(role == "caption" and text.startswith("Figure 2.") for role, text in blocks)


# ---------------------------------------------------------------- tables


TABLE = [["Host", "CE (%)", "Cycles", "Current (mA cm-2)"],
         ["Carbon scaffold", "99.1", "300", "1.0"],
         ["Copper mesh", "97.4", "150", "2.0"],
         ["Bare foil", "91.0", "80", "1.0"]]


def _table_paper(path):
    doc = Composer(path)
    doc.full_width("A Carbon Scaffold for Lithium Metal Anodes", ("Times-Bold", 16))
    doc.para("We describe a lithium metal anode held in a light carbon scaffold. " * 4)
    doc.para("1. Introduction", BOLD, space_before=8)
    doc.para(FILLER * 2)
    doc.para("Table 1. Hosts compared in this work.", ("Times-Bold", 8.0), space_before=8)
    xs = [COL_X[doc.col], COL_X[doc.col] + 80, COL_X[doc.col] + 125, COL_X[doc.col] + 165]
    for row in TABLE:
        doc.y -= 11
        for x, cell in zip(xs, row):
            doc.c.setFont("Times-Roman", 7.5)
            doc.c.drawString(x, doc.y, cell)
    doc.y -= 6
    doc.para(FILLER * 2)
    doc.save()
    return load_pdf(path)


def test_table_under_its_caption_is_kept_as_rows_and_cells(tmp_path):
    doc = _table_paper(tmp_path / "table.pdf")
    (table,) = doc.tables
    assert table.page == 1 and table.caption == "Table 1. Hosts compared in this work."
    assert table.rows == TABLE
    cell = next(c for c in table.cells if c.text == "Copper mesh")
    assert (cell.row, cell.col) == (2, 0) and 0 < cell.x0 < cell.x1 and 0 < cell.y0 < cell.y1
    # the cells are a block of role "table": out of the prose, a sentence per row
    table_text = " ".join(doc.text[b.start:b.end] for b in doc.blocks if b.role == "table")
    assert table_text.startswith("Host") and "Copper mesh" in table_text
    sentences = segment(doc).sentences
    assert [s.text.split(" | ") for s in sentences if s.role in ("table_header", "table_row")] == TABLE
    assert not any("Copper mesh" in s.text for s in sentences if s.role not in ("table_header", "table_row"))


def test_tables_are_stored_and_described_in_the_catalog(tmp_path):
    from extractor.build import build
    from extractor.serve import metadata
    from extractor.store import open_db

    _table_paper(tmp_path / "table.pdf")
    db_path = tmp_path / "kb.db"
    assert build([tmp_path / "table.pdf"], db_path, progress=False).failed == 0
    db = open_db(db_path, create=False)
    (row,) = db.execute("SELECT id, page, caption, n_rows, n_cols FROM pdf_tables").fetchall()
    assert row[1:] == (1, "Table 1. Hosts compared in this work.", 4, 4)
    cells = db.execute("SELECT row, col, text FROM table_cells WHERE table_id = ? ORDER BY row, col",
                       [row[0]]).fetchall()
    assert [[t for r, c, t in cells if r == k] for k in range(4)] == TABLE
    # rebuilding the document replaces its tables
    assert build([tmp_path / "table.pdf"], db_path, progress=False, force=True).failed == 0
    assert db.execute("SELECT count(*) FROM table_cells").fetchone()[0] == 16
    db.close()
    tables = next(iter(metadata(db_path)["databases"].values()))["tables"]
    assert "Table N caption" in tables["pdf_tables"]["description"] and tables["table_cells"]["description"]


def test_first_page_small_print_leaves_the_reading_flow(tmp_path):
    """Correspondence and dates in type a little smaller than the body's at the foot of
    page 1, under the columns, are footnotes, out of the sentences."""
    path = tmp_path / "foot.pdf"
    doc = Composer(path)
    doc.c.setFont("Times-Roman", 8.2)  # 0.91 of the body size: not small enough for the old rule
    doc.c.drawString(50, 52, "* Corresponding author. E-mail address: someone@example.org")
    doc.c.drawString(50, 42, "Received 3 March 2024; accepted 9 April 2024")
    doc.full_width("A Carbon Scaffold for Lithium Metal Anodes", ("Times-Bold", 16))
    doc.para("We describe a lithium metal anode held in a light carbon scaffold. " * 4)
    doc.para("1. Introduction", BOLD, space_before=8)
    for _ in range(12):
        doc.para(FILLER * 2)
    doc.save()
    raw = load_pdf(path)
    foot = [b for b in raw.blocks if "someone@example.org" in raw.text[b.start:b.end]]
    assert foot and all(b.role == "footnote" and b.page == 1 for b in foot)
    assert not any("someone@example.org" in s.text or "Received 3 March" in s.text
                   for s in segment(raw).sentences)


def test_sentences_crossing_column_and_page_breaks_are_whole(tmp_path):
    """Every sentence of the composed paper's body comes out whole, although its paragraphs
    run across columns and pages, past running headers, page numbers and download footers."""
    doc = _paper(tmp_path / "breaks.pdf", title="A Carbon Scaffold for Lithium Metal Anodes")
    assert doc.page_count >= 2
    written = {s.strip() + "." for s in FILLER.split(".") if s.strip()}
    seg = segment(doc)
    body = [s.text for s in seg.sentences if s.section == "results" and s.role == "paragraph"]
    assert len(body) > 40
    assert set(body) <= written, set(body) - written


@pytest.mark.parametrize("raise_", [4.0, 6.0, 7.0])
def test_line_ending_in_a_raised_exponent_keeps_its_place(tmp_path, raise_):
    """Regression: with tight leading, an exponent raised at a line's end reached the line
    above, so the line was read as part of the paragraph before (out of order)."""
    path = tmp_path / "exponent.pdf"
    c = canvas_mod.Canvas(str(path))
    for i in range(8):
        c.setFont("Times-Roman", 10)
        c.drawString(72, 700 - 12 * i, "An ordinary line of body text for the loader to read here.")
    c.drawString(72, 610, "The cells of the second paragraph were built with care, and")
    c.drawString(72, 600, "they were cycled at 1 mA cm")
    x = 72 + c.stringWidth("they were cycled at 1 mA cm", "Times-Roman", 10)
    c.setFont("Times-Roman", 6)
    c.drawString(x, 600 + raise_, "\u22122")
    c.setFont("Times-Roman", 10)
    c.drawString(72, 590, "for a long time without any short circuit.")
    c.showPage()
    c.save()
    doc = load_pdf(path)
    assert ("The cells of the second paragraph were built with care, and they were cycled at "
            "1 mA cm⁻² for a long time without any short circuit.") in doc.text, doc.text

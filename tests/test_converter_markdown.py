"""Markdown written by PDF converters (docling, marker, MinerU): recognised by its
artefacts and read with the structure of a PDF. Composed fixtures for each converter
and artefact class; the shared MinerU conversions; and the acceptance test: a
converter-style version of each shared text scores within 0.05 F1 of the text."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from extractor.build import build
from extractor.evaluate import evaluate, load_gold
from extractor.export import export_records
from extractor.load import load
from extractor.load_text import converter_of
from extractor.segment import segment
from extractor.store import open_db

from converter_style import converter_markdown

DOCLING = """## Research Article

## A Nickel Foam Host Coated With Zinc Oxide for Stable Lithium Metal Anodes

School of Chemistry, Example University, Springfield 12345, Country

## Abstract

We report a nickel foam host coated with ZnO that guides uniform Li plating. The Li 2 O \
rich interphase formed on it is stable, and a half/hairspacecell with the host keeps a \
Coulombic e/uniFB03ciency of 99. 2% for 300 cycles at 1 mA cm -2.

## 1. Introduction

Lithium metal anodes su/uniFB00er from dendrites &amp; dead lithium. Hosts with a \
lithiophilic coating lower the nucleation barrier (&lt; 20 mV) and make anodefree cells

Adv. Example Mater. 2026, 16, 2601234

2601234 (2 of 9)

feasible in principle when the coating is thin and uniform.

<!-- image -->

## FIGURE 1

Voltage profiles of the host at 1 mA cm -2. a) First cycle. b) Later cycles.

## 2. Results

The host delivered 160 mAh g -1 with a LiFePO 4 cathode and a conductivity of 10 -4 S cm -1 \
was measured for the 5 µ m thick coating.

| Host | CE (%) |
|------|--------|
| foam | 99.2   |

## Adv. Example Mater. 2026, 16, 2601234

2601234 (3 of 9)

## References

- [1] A. Author, B. Author, J. Example Chem. 2020, 12, 345.
- [2] C. Author, Example Lett. 2021, 3, 456.
"""

MARKER = """<span id="page-0-0"></span># A Copper Mesh Host for Lithium Metal

<span id="page-0-1"></span>## Introduction

The copper mesh host supports dense plating of lithium at high rates.

![](_page_1_Picture_2.jpeg)

**Figure 2.** Cycling of the copper mesh host at 2 mA cm -2 in symmetric cells.

{1}------------------------------------------------

<span id="page-1-0"></span>## Results

Symmetric cells with the copper mesh host ran for 800 h at 2 mA cm<sup>-2</sup> with a Li<sub>3</sub>N layer.

## References

1. D. Author, Example J. 2019, 4, 10.
"""

MINERU = """# A Silver Coated Carbon Paper Host for Lithium Anodes

E. Author, F. Author

Department of Materials, Example Institute of Technology, Springfield 54321, Country

ABSTRACT: Carbon paper coated with silver guides Li plating and keeps a Coulombic \
efficiency of  $99.1\\%$  at  $1\\mathrm{mA\\ cm^{-2}}$ .

rsc.li/example- journal

# Introduction

Silver is lithiophilic and forms an alloy with lithium at low overpotential of  $\\sim 10\\mathrm{mV}$ .

![](images/0123456789abcdef0123456789abcdef.jpg)
Fig. 1 Plating on the silver coated carbon paper at  $0.5\\mathrm{mA}\\mathrm{cm}^{-2}$ .

Table1  $\\mathrm{Ag}_2\\mathrm{O}$  content of the coatings

<table><tr><td>Host</td><td>CE (%)</td></tr><tr><td>Ag@CP</td><td>99.1</td></tr></table>

# Results and discussion

The plasma- assisted coating was uniform and the half- cells ran for 400 cycles.

# References

1 G. Author, Example Chem. 2018, 1, 2.
"""


def _seg(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return segment(load(path))


# ---------------------------------------------------------------- recognition


@pytest.mark.parametrize("text, name", [(DOCLING, "docling"), (MARKER, "marker"), (MINERU, "mineru")])
def test_converter_is_recognised_by_its_artefacts(text, name):
    assert converter_of(text) == name


def test_section_heading_starting_with_a_roman_numeral_letter_is_a_section(tmp_path):
    """Regression: "Introduction" lost its "I" as if it were a Roman numeral, so the
    heading before any title was taken for a journal banner."""
    seg = _seg(tmp_path, "intro.md", "<!-- image -->\n\n## Introduction\n\nHosts guide plating.\n\n## IV. RESULTS\n\nIt works.\n")
    assert [(p.section, p.role) for p in seg.passages] == [
        ("introduction", "heading"), ("introduction", "paragraph"), ("results", "heading"), ("results", "paragraph")]


def test_docling_without_glyph_names_is_recognised_by_its_picture_comments(tmp_path):
    text = "## A Host\n\n## Introduction\n\nPlain text.\n\n<!-- 🖼️❌ Image not available -->\n\nMore text.\n"
    assert converter_of(text) == "docling"
    seg = _seg(tmp_path, "pictures.md", text)
    assert [s.text for s in seg.sentences if s.role == "paragraph"] == ["Plain text.", "More text."]


def test_hand_written_markdown_is_no_converter_output(tmp_path):
    text = "# A Host for Lithium\n\n## Introduction\n\nA well-known idea, written by hand.\n"
    assert converter_of(text) is None
    path = tmp_path / "a.md"
    path.write_text(text, encoding="utf-8")
    assert "converter" not in load(path).meta


# ---------------------------------------------------------------- structure


def test_docling_structure(tmp_path):
    seg = _seg(tmp_path, "docling.md", DOCLING)
    assert seg.raw.meta["converter"] == "docling"
    assert seg.meta.title == "A Nickel Foam Host Coated With Zinc Oxide for Stable Lithium Metal Anodes"
    sections = [p.section for p in seg.passages if p.role == "paragraph"]
    assert sections == ["abstract", "introduction", "results"]
    text = " ".join(s.text for s in seg.sentences)
    # banner, affiliation, page headers and footers, image comment and references are gone
    for gone in ("Research Article", "Example University", "2 of 9", "Adv. Example", "J. Example Chem", "image", "|"):
        assert gone not in text
    assert not [p for p in seg.passages if p.role == "heading" and "Example" in p.text]  # a running head
    assert "references" in seg.dropped


def test_the_title_is_the_longest_title_like_heading_before_the_sections(tmp_path):
    text = ("## Journal of Example Energy Materials\n\n## PAPER\n\n"
            "## Copper Foam Hosts With Silver Seeds for Dense Lithium Plating\n\n<!-- image -->\n\n"
            "## Introduction\n\nHosts guide plating.\n")
    seg = _seg(tmp_path, "banners.md", text)
    assert seg.meta.title == "Copper Foam Hosts With Silver Seeds for Dense Lithium Plating"
    assert [p.text for p in seg.passages if p.role == "heading" and p.section != "title"] == ["Introduction"]


def test_docling_page_break_inside_a_paragraph_is_joined(tmp_path):
    seg = _seg(tmp_path, "docling.md", DOCLING)
    (intro,) = [p for p in seg.passages if p.section == "introduction" and p.role == "paragraph"]
    assert "make anode-free cells feasible in principle" in intro.text


def test_docling_figure_label_heading_and_caption_are_one_caption(tmp_path):
    seg = _seg(tmp_path, "docling.md", DOCLING)
    (caption,) = [p for p in seg.passages if p.role == "caption"]
    assert caption.text.startswith("FIGURE 1 Voltage profiles of the host at 1 mA cm-2.")
    assert not [p for p in seg.passages if p.role == "heading" and "Figure" in p.text]


def test_docling_artefacts_are_undone_and_evidence_is_the_files_text(tmp_path):
    seg = _seg(tmp_path, "docling.md", DOCLING)
    by_text = {s.text: s for s in seg.sentences}
    ce = next(s for s in seg.sentences if "99.2%" in s.text)
    assert "Coulombic efficiency of 99.2% for 300 cycles at 1 mA cm-2" in ce.text
    assert "a half cell with the host" in ce.text
    assert ce.evidence in " ".join(DOCLING.split())  # evidence is cut from the file as written
    assert "e/uniFB03ciency" in ce.evidence
    results = next(s for s in by_text.values() if "160 mAh g-1" in s.text)
    assert "LiFePO4 cathode" in results.text and "10-4 S cm-1" in results.text and "5 µm thick" in results.text
    intro = next(s for s in seg.sentences if "dendrites" in s.text)
    assert "dendrites & dead lithium" in intro.text


def test_marker_structure(tmp_path):
    seg = _seg(tmp_path, "marker.md", MARKER)
    assert seg.meta.title == "A Copper Mesh Host for Lithium Metal"
    assert [p.section for p in seg.passages if p.role == "paragraph"] == ["introduction", "results"]
    (caption,) = [p for p in seg.passages if p.role == "caption"]
    assert caption.text.startswith("Figure 2. Cycling of the copper mesh host at 2 mA cm-2")
    assert [p.text for p in seg.passages if p.role == "heading" and p.section != "title"] == ["Introduction", "Results"]
    assert not any("---" in s.text for s in seg.sentences)  # the page separator
    assert any("800 h at 2 mA cm-2 with a Li3N layer" in s.text for s in seg.sentences)


def test_mineru_structure(tmp_path):
    seg = _seg(tmp_path, "mineru.md", MINERU)
    assert seg.raw.meta["converter"] == "mineru"
    assert seg.meta.title == "A Silver Coated Carbon Paper Host for Lithium Anodes"
    (abstract,) = [p for p in seg.passages if p.section == "abstract"]
    assert abstract.text == "Carbon paper coated with silver guides Li plating and keeps a Coulombic efficiency of 99.1% at 1 mA cm-2."
    figure, table = [p for p in seg.passages if p.role == "caption"]
    assert figure.text == "Fig. 1 Plating on the silver coated carbon paper at 0.5 mA cm-2."
    assert table.text == "Table1 Ag2O content of the coatings"
    text = " ".join(s.text for s in seg.sentences if not s.role.startswith("table"))
    assert "~ 10 mV" in text and "plasma-assisted coating" in text and "half-cells ran" in text
    for gone in ("Example Institute", "rsc.li", "images/", "<table>", "Ag@CP", "G. Author"):
        assert gone not in text
    # the HTML table is out of the prose, a sentence per row
    assert [s.text for s in seg.sentences if s.role.startswith("table")] == ["Host | CE (%)", "Ag@CP | 99.1"]


def test_a_running_head_is_furniture_even_once(tmp_path):
    text = "## A Porous Copper Host for Lithium Metal\n\n## Introduction\n\nThe host was tested in half cells at\n\n" \
        "J. Example Energy Chem. 2025, 81, 112-120\n\na current density of 1 mA cm -2 for 200 cycles.\n\nGLYPH<c=1,font=/X>\n"
    seg = _seg(tmp_path, "head.md", text)
    (intro,) = [p for p in seg.passages if p.role == "paragraph"]
    assert intro.text == "The host was tested in half cells at a current density of 1 mA cm-2 for 200 cycles."


def test_page_furniture_needs_to_recur(tmp_path):
    """A short line that occurs once is text, not a page header."""
    text = DOCLING.replace("2601234 (3 of 9)\n\n", "").replace(
        "## Adv. Example Mater. 2026, 16, 2601234\n\n## References", "Cells were assembled in argon\n\n## References"
    )
    seg = _seg(tmp_path, "once.md", text)
    assert any("Cells were assembled in argon" in s.text for s in seg.sentences)
    assert any("2601234 (2 of 9)" in s.text for s in seg.sentences)


def test_mathrm_unit_after_a_number_is_set_apart_but_formula_counts_are_not():
    from extractor.normalize import normalize

    assert normalize("at $1\\mathrm{mA\\ cm^{-2}}$ for").text == "at 1 mA cm-2 for"
    assert normalize("of $\\mathrm{Li}_2\\mathrm{CO}_3$ films").text == "of Li2CO3 films"


# ---------------------------------------------------------------- shared MinerU conversions


@pytest.mark.shared
@pytest.mark.parametrize("name", ["T2_BattMat_RSCAdv2017_Hornsveld_content.md", "T4_BattMat_JPCC2019_Nieminen_content.md"])
def test_shared_mineru_conversions_load_with_a_pdfs_structure(shared_dir, name):
    raw = load(shared_dir / "corpus" / "reference" / name)
    seg = segment(raw)
    assert raw.meta["converter"] == "mineru"
    assert seg.meta.title and len(seg.meta.title.split()) >= 8 and "$" not in seg.meta.title and "\\" not in seg.meta.title
    assert seg.meta.doi and seg.meta.doi.startswith("10.")
    sections = {p.section for p in seg.passages if p.role == "paragraph"}
    assert {"abstract", "introduction", "experimental", "results", "conclusions"} <= sections
    assert "references" in seg.dropped
    captions = [p for p in seg.passages if p.role == "caption"]
    assert len(captions) >= 8 and all(p.text.startswith(("Fig", "Table")) for p in captions)
    # the reference list is left out: no sentence after the conclusions cites a journal year list
    last = max(i for i, p in enumerate(seg.passages) if p.section == "conclusions")
    assert all(p.section == "conclusions" for p in seg.passages[last:])
    text = " ".join(s.text for s in seg.sentences)
    assert "$" not in text and "\\mathrm" not in text and "![](" not in text and "<table>" not in text


# ---------------------------------------------------------------- acceptance: shared texts as converter output


def _converted_scores(gold: dict[str, dict], find, tmp: Path) -> dict[str, tuple[float, float]]:
    """Each text with gold and its converter-style Markdown, built in one database; the
    Markdown's records are scored on the text's gold (as the same document)."""
    paths = []
    for doc in gold:
        text_path = find(doc)
        md_path = tmp / (text_path.stem + ".md")
        md_path.write_text(converter_markdown(text_path.read_text(encoding="utf-8")), encoding="utf-8")
        paths += [text_path, md_path]
    summary = build(paths, tmp / "kb.db", progress=False)
    assert summary.failed == 0, summary.errors
    records = export_records(open_db(tmp / "kb.db", create=False))
    scores = {}
    for doc, g in gold.items():
        md = dict(records[Path(doc).stem + ".md"], doc=doc)
        text_report = evaluate({doc: records[doc]}, {doc: g})
        md_report = evaluate({doc: md}, {doc: g})
        print(f"{doc}: text F1 {text_report.f1:.3f}, converter Markdown F1 {md_report.f1:.3f}")
        scores[doc] = (text_report.f1, md_report.f1)
    return scores


@pytest.mark.shared
def test_converter_markdown_of_each_shared_text_scores_as_the_text(shared_dir, tmp_path):
    gold = {doc: g for doc, g in load_gold(shared_dir / "gold").items() if doc.endswith(".txt")}
    assert gold, "no shared text has gold"
    scores = _converted_scores(gold, lambda doc: next((shared_dir / "corpus").rglob(doc)), tmp_path)
    for doc, (text_f1, md_f1) in scores.items():
        assert md_f1 >= text_f1 - 0.05, (doc, text_f1, md_f1)


def test_converter_markdown_of_each_composed_paper_scores_as_the_text(repo_dir, tmp_path):
    composed = repo_dir / "tests" / "data" / "composed"
    texts = {doc: g for doc, g in load_gold(composed / "gold").items() if doc.endswith(".txt")}  # not the .md ones
    scores = _converted_scores(texts, lambda doc: composed / doc, tmp_path)
    assert len(scores) >= 5
    for doc, (text_f1, md_f1) in scores.items():
        assert md_f1 >= text_f1 - 0.05, (doc, text_f1, md_f1)


@pytest.mark.shared
def test_generated_markdown_carries_every_artefact_class(shared_dir):
    """The acceptance test above means something only if the Markdown is really garbled."""
    docs = [json.loads(p.read_text(encoding="utf-8"))["doc"] for p in (shared_dir / "gold").glob("*.json")]
    texts = [next((shared_dir / "corpus").rglob(d)).read_text(encoding="utf-8") for d in docs if d.endswith(".txt")]
    md = "\n".join(converter_markdown(t) for t in texts)
    assert converter_of(md) == "docling"
    for artefact in ("/uniFB01", "&gt;", "## Figure", "## Research Article", "(3 of 14)", " -1", " µ m", "μ",
                     "<!-- formula-not-decoded -->", "<!-- image -->", "E-mail:", "## Adv. Example Mater.", "/thinspace"):
        assert artefact in md, artefact
    import re

    assert re.search(r"\b[A-Z][a-z]?[A-Za-z]* \d \w", md)  # a split formula count
    assert re.search(r"(?:cm|g) -\d", md)  # a split unit exponent

"""segment(): meta, sections, passages, sentences; on small made-up papers and on the shared texts."""

from __future__ import annotations

import json
import re

import pytest

from extractor.load import load
from extractor.load_text import load_text
from extractor.segment import render_text, segment, split_sentences

PAPER = """# Nickel Foam Coated with Silver for Dendrite-Free Lithium Anodes

Cite This: Imaginary Energy Lett. 2021, 4, 100-110

ABSTRACT: A silver coated nickel foam hosts lithium at 2 mA cm^{-2} for 800 h.[3] It keeps 98.5% of its capacity.

## 1. INTRODUCTION

Lithium metal anodes grow dendrites.[1,2] Hosts made of porous metals help, as shown by Wu et al. in a earlier
work. The foam is cheap (ca. 5 nm pores are absent).

## 2. EXPERIMENTAL SECTION

**2.1. Synthesis.** The foam was dipped in AgNO$_3$ solution at 25 $^\\circ$C for 2 h.

## 3. RESULTS AND DISCUSSION

The coated foam gives a CE of 99.25% over 300 cycles (Fig. 3a). Its overpotential stays at 15 mV and the
host carries 10 mAh cm−2 without dendrites. The cell was cycled between 2.8 and 4. V at 1 C. The retention
Figure 2. Cycling of symmetric cells. (a) Voltage profiles at 1 mA cm−2.

is 91% after 200 cycles.

## 4. CONCLUSIONS

A silver coated foam is a good lithium host.

## ACKNOWLEDGMENTS

We thank the funding agency.

## REFERENCES

- (1) Wu, A.; Li, B. Lithium hosts. J. Imag. Chem. 2019, 5, 1-10.
- (2) Chen, C. et al., 2020. Foams for metals. Imag. Mater. 2020, 7, 20.
"""

DOI_PAPER = """Porous Carbon Fibres Host Lithium

DOI: 10.1234/imag.2022.0042.

Received: May 3, 2022

This is the opening of the abstract, written as plain prose for a test. It runs on for a while to look like prose in a paper.

1. Introduction

Carbon fibres are light.
"""


def _doc(tmp_path, text, name="paper.md"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return segment(load(path))


def test_meta_from_header_lines(tmp_path):
    seg = _doc(tmp_path, PAPER)
    assert seg.meta.title == "Nickel Foam Coated with Silver for Dendrite-Free Lithium Anodes"
    assert seg.meta.year == 2021
    assert seg.meta.journal == "Imaginary Energy Lett."
    assert seg.meta.doi is None  # never guessed


def test_meta_doi_and_received_year(tmp_path):
    seg = _doc(tmp_path, DOI_PAPER, "doi.txt")
    assert seg.meta.doi == "10.1234/imag.2022.0042"
    assert seg.meta.year == 2022
    assert seg.meta.title == "Porous Carbon Fibres Host Lithium"
    assert seg.meta.journal is None


def test_sections_and_dropped_parts(tmp_path):
    seg = _doc(tmp_path, PAPER)
    sections = {p.section for p in seg.passages}
    assert {"title", "abstract", "introduction", "experimental", "results", "conclusions"} <= sections
    assert "references" in seg.dropped and "acknowledgements" in seg.dropped
    texts = " ".join(s.text for s in seg.sentences)
    assert "funding agency" not in texts and "Lithium hosts. J. Imag." not in texts
    abstract = [p for p in seg.passages if p.section == "abstract"]
    assert abstract[0].text.startswith("A silver coated nickel foam")


def test_caption_apart_and_paragraph_joined_across_it(tmp_path):
    seg = _doc(tmp_path, PAPER)
    captions = [p for p in seg.passages if p.role == "caption"]
    assert len(captions) == 1 and captions[0].text.startswith("Figure 2. Cycling of symmetric cells.")
    joined = [s for s in seg.sentences if s.text.startswith("The retention")]
    assert joined and joined[0].text == "The retention is 91% after 200 cycles."
    assert joined[0].evidence == "The retention is 91% after 200 cycles."


def test_sentence_text_is_normalized_and_evidence_is_raw(tmp_path):
    seg = _doc(tmp_path, PAPER)
    s = next(s for s in seg.sentences if "800 h" in s.text)
    assert s.text == "A silver coated nickel foam hosts lithium at 2 mA cm-2 for 800 h."
    assert "cm^{-2}" in s.evidence
    assert seg.raw.text[s.raw_start : s.raw_end].startswith("A silver")
    assert " ".join(seg.raw.text[s.raw_start : s.raw_end].split()) == s.evidence
    assert [x.index for x in seg.sentences] == list(range(len(seg.sentences)))


SPLITS = [
    ("The layer is shown in Fig. 3a and it is thin. Next one.", ["The layer is shown in Fig. 3a and it is thin.", "Next one."]),
    ("As Zhang et al. reported, it works. Then it fails.", ["As Zhang et al. reported, it works.", "Then it fails."]),
    ("The pores are ca. 5 nm wide. They are open.", ["The pores are ca. 5 nm wide.", "They are open."]),
    ("The CE is 99.25% here. It is high.", ["The CE is 99.25% here.", "It is high."]),
    ("Cycled between 2.8 and 4. V at 1 C. The end.", ["Cycled between 2.8 and 4. V at 1 C.", "The end."]),
    ("Figure 2. Voltage profiles. (a) At 1 mA.", ["Figure 2. Voltage profiles.", "(a) At 1 mA."]),
    ("Made by J. Smith and co-workers (e.g. Ref. 4). It works.", ["Made by J. Smith and co-workers (e.g. Ref. 4).", "It works."]),
    ("See Eq. 2 and Figs. 3-4. They agree.", ["See Eq. 2 and Figs. 3-4.", "They agree."]),
]


@pytest.mark.parametrize("text, expected", SPLITS)
def test_sentence_splitter(text, expected):
    assert [text[a:b] for a, b in split_sentences(text)] == expected


def test_render_text(tmp_path):
    seg = _doc(tmp_path, PAPER)
    out = render_text(seg)
    assert out.startswith("# Nickel Foam")
    assert "## results" in out and "## experimental" in out
    assert "[caption] Figure 2. Cycling" in out
    assert "REFERENCES" not in out and "Wu, A." not in out


def test_plain_text_without_blocks():
    raw = load_text("x.txt", "One sentence here. Another one there.")
    seg = segment(raw)
    assert [s.text for s in seg.sentences] == ["One sentence here.", "Another one there."]


# ---------------------------------------------------------------- shared texts


def _gold(shared_dir, stem):
    """The gold of the shared text ``stem_*.txt`` (other gold files share its stem: ``stem_rendered``)."""
    (text,) = (shared_dir / "corpus").glob(f"{stem}_*.txt")
    (record,) = [r for r in (json.loads(p.read_text(encoding="utf-8")) for p in (shared_dir / "gold").glob(f"{stem}_*.json"))
                 if r["doc"] == text.name]
    return record["paper"]


def _shared(shared_dir, stem):
    (path,) = (shared_dir / "corpus").glob(f"{stem}_*.txt")
    return segment(load(path))


@pytest.mark.shared
def test_shared_002_meta(shared_dir):
    seg = _shared(shared_dir, "002")
    gold = _gold(shared_dir, "002")
    assert seg.meta.doi == "10.1021/acsaem.3c00939"
    assert seg.meta.year == 2023
    assert seg.meta.journal == "ACS Appl. Energy Mater."
    assert seg.meta.title == gold["title"]


@pytest.mark.shared
def test_shared_004_meta(shared_dir):
    seg = _shared(shared_dir, "004")
    gold = _gold(shared_dir, "004")
    assert seg.meta.doi == gold["doi"]
    assert seg.meta.year == gold["year"]
    assert seg.meta.title == gold["title"]


@pytest.mark.shared
def test_shared_000_has_no_title(shared_dir):
    seg = _shared(shared_dir, "000")
    assert seg.meta.title is None
    assert seg.meta.doi is None


@pytest.mark.shared
@pytest.mark.parametrize("stem", ["000", "002", "004"])
def test_shared_sentences_are_clean(shared_dir, stem):
    seg = _shared(shared_dir, stem)
    assert len(seg.sentences) > 50
    assert {"introduction", "results", "conclusions"} <= {s.section for s in seg.sentences}
    for s in seg.sentences:
        assert not re.match(r"\s*(?:- )?(?:\[\d+\]|\(\d+\))\s", s.text), s.text
        assert not re.search(r"et al\., (?:19|20)\d\d", s.text), s.text
        assert "^{" not in s.text and "\\text" not in s.text, s.text
        assert 0 <= s.raw_start < s.raw_end <= len(seg.raw.text)
        assert s.evidence and "  " not in s.evidence
    rendered = render_text(seg)
    assert "## results" in rendered


@pytest.mark.shared
def test_shared_speed(shared_dir):
    import time

    docs = [load(p) for p in sorted((shared_dir / "corpus").glob("*.txt"))]
    t0 = time.perf_counter()
    for doc in docs:
        segment(doc)
    assert time.perf_counter() - t0 < 2.0


def test_affiliation_blocks_are_left_out_of_analysis():
    from extractor.load_text import load_text

    text = ("A host paper\n\n1. Introduction\n\nLithium metal is attractive for anodes.\n\n"
            "¹School of Materials, Example University, Springfield, USA. ²Department of Chemistry, "
            "Sample Institute of Technology, Shelbyville, USA.\n\n"
            "2. Results and Discussion\n\nThe host keeps 99% efficiency.\n")
    seg = segment(load_text("aff.txt", text))
    assert not any("University" in s.text for s in seg.sentences)
    assert "author information" in seg.dropped


@pytest.mark.parametrize("heading, section", [
    ("2 | Fabrication and characterization methods", "experimental"),
    ("3. Findings", "results"),
    ("3 Electrochemical results", "results"),
])
def test_headings_that_name_their_section_last(heading, section):
    from extractor.segment import classify_heading

    assert classify_heading(heading) == ("section", section)


@pytest.mark.parametrize("heading", ["2.3 Electrochemical tests", "3.1 Coating morphology", "A note on the results of others elsewhere in the literature of this field"])
def test_subsection_words_are_no_section(heading):
    from extractor.segment import classify_heading

    assert classify_heading(heading) is None

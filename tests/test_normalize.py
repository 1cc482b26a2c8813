"""normalize(): one spelling for what papers write in many ways, with offsets back to the source."""

from __future__ import annotations

import string

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extractor.normalize import normalize

CASES = [
    # units: one spelling each
    ("at 2 mA cm−2", "at 2 mA cm-2"),
    ("at 2 mA cm^{-2}", "at 2 mA cm-2"),
    ("at 2 mA cm⁻²", "at 2 mA cm-2"),
    ("at 2 mA\u00a0 cm−2", "at 2 mA cm-2"),
    ("at 2 mA/cm2", "at 2 mA cm-2"),
    ("at 2 mA/cm^2", "at 2 mA cm-2"),
    ("at 2 mA·cm-2", "at 2 mA cm-2"),
    ("at 2 mAcm@2", "at 2 mA cm-2"),
    ("at 2 mA cm(cid:0)2", "at 2 mA cm-2"),
    ("at 2 $\\text{mA cm}^{-2}$", "at 2 mA cm-2"),
    ("plated 3 mA h cm−2 of Li", "plated 3 mAh cm-2 of Li"),
    ("plated 3 mAh/cm2 of Li", "plated 3 mAh cm-2 of Li"),
    ("plated 3 mAh cm^{-2} of Li", "plated 3 mAh cm-2 of Li"),
    ("delivers 140 mA h g⁻¹", "delivers 140 mAh g-1"),
    ("delivers 140 mAh/g", "delivers 140 mAh g-1"),
    ("at 500 mA/g", "at 500 mA g-1"),
    ("reaches 350 Wh/kg", "reaches 350 Wh kg-1"),
    ("an area of 812 m2/g", "an area of 812 m2 g-1"),
    ("an area of 812 m^2 g^{-1}", "an area of 812 m2 g-1"),
    ("a volume of 0.4 cm3/g", "a volume of 0.4 cm3 g-1"),
    ("heated at 600 ^\\circ C", "heated at 600 °C"),
    ("heated at 600 ^{\\circ}C", "heated at 600 °C"),
    ("heated at 600 oC", "heated at 600 °C"),
    ("heated at 600 ℃", "heated at 600 °C"),
    # sub/superscripts and formula markup
    ("a Li₂CO₃ shell", "a Li2CO3 shell"),
    ("Mo_2N and Mo_{2}N", "Mo2N and Mo2N"),
    ("LiNi_{0.8}Co_{0.1}Mn_{0.1}O₂ cathode", "LiNi0.8Co0.1Mn0.1O2 cathode"),
    ("$\\text{LiNi}_{0.8}\\text{Co}_{0.1}\\text{Mn}_{0.1}\\text{O}_2$", "LiNi0.8Co0.1Mn0.1O2"),
    ("Mn²⁺ ions and sp² carbon", "Mn2+ ions and sp2 carbon"),
    # LaTeX symbols and escapes
    ("$\\sim$30 nm", "~30 nm"),
    ("$\\approx$ 12 mV", "≈ 12 mV"),
    ("45 $\\pm$ 3 nm", "45 ± 3 nm"),
    ("2 $\\times$ 10", "2 × 10"),
    ("a 20 $\\mu$m film", "a 20 µm film"),
    ("a 20 \\mu m film", "a 20 µm film"),
    ("kept 95\\% of it", "kept 95% of it"),
    ("Corresponding author\\*", "Corresponding author*"),
    ("the **bold** and *italic* words", "the bold and italic words"),
    # citation markers
    ("grows fast.^{[12]} Then", "grows fast. Then"),
    ("grows fast^[1,2] and", "grows fast and"),
    ("as reported [1,2].", "as reported."),
    ("as reported [3–5], and", "as reported, and"),
    ("dendrite growth¹² is", "dendrite growth is"),
    ("was shown.¹⁻³ Next", "was shown. Next"),
    ("an area of 3 cm² only", "an area of 3 cm2 only"),
    # dashes
    ("−3.04 V", "-3.04 V"),
    ("1–5 mA cm−2", "1–5 mA cm-2"),
    ("a Li–S cell", "a Li-S cell"),
    ("nitrogen‐doped", "nitrogen-doped"),
    ("high stability—over 500 cycles", "high stability – over 500 cycles"),
    # spaces, line breaks, ligatures
    ("a\u00a0b\u2009c\u200bd", "a b cd"),
    ("two  spaces\tand\ttabs", "two spaces and tabs"),
    ("one line\nanother line", "one line another line"),
    ("elec-\ntrochemical", "electrochemical"),
    ("large-\ncavity spheres", "large-cavity spheres"),
    ("N-\ndoped carbon", "N-doped carbon"),
    ("binder-\nfree film", "binder-free film"),
    ("energy/\npower", "energy/power"),
    ("the ﬁrst ﬂat part", "the first flat part"),
]


@pytest.mark.parametrize("raw, expected", CASES)
def test_normalize_table(raw, expected):
    assert normalize(raw).text == expected


def test_offsets_map_unit_back_to_latex():
    raw = "cycled at 3 mA cm^{-2} for 200 h"
    n = normalize(raw)
    i = n.text.index("mA cm-2")
    a, b = n.source_span(i, i + len("mA cm-2"))
    assert raw[a:b] == "mA cm^{-2}"


def test_offsets_map_formula_and_words_back():
    raw = "The  LiNi_{0.8}Co_{0.1}Mn_{0.1}O₂ cathode\nworks."
    n = normalize(raw)
    i = n.text.index("cathode")
    a, b = n.source_span(i, i + len("cathode"))
    assert raw[a:b] == "cathode"
    i = n.text.index("LiNi0.8")
    a, b = n.source_span(i, i + len("LiNi0.8Co0.1Mn0.1O2"))
    assert raw[a:b] == "LiNi_{0.8}Co_{0.1}Mn_{0.1}O₂"
    i = n.text.index("works")
    assert raw[n.offsets[i] : n.offsets[i] + 5] == "works"


def test_offsets_after_removed_citation():
    raw = "as shown before [4,5]. The host"
    n = normalize(raw)
    assert n.text == "as shown before. The host"
    i = n.text.index("host")
    assert raw[n.offsets[i] : n.offsets[i] + 4] == "host"


def test_empty_and_blank():
    assert normalize("").text == ""
    assert normalize("").offsets == (0,)
    blank = normalize(" \n\t ")
    assert blank.text == "" and len(blank.offsets) == 1


def _check_offsets(src: str, n) -> None:
    assert len(n.offsets) == len(n.text) + 1
    assert all(0 <= o <= len(src) for o in n.offsets)
    assert all(a <= b for a, b in zip(n.offsets, n.offsets[1:]))


@settings(max_examples=400, deadline=None)
@given(st.text())
def test_arbitrary_unicode_never_crashes(s):
    _check_offsets(s, normalize(s))


_PAPERISH = st.lists(
    st.sampled_from(list("abcLNmAgh0123 \n-–−^_{}[]$\\.,/@()*%²⁻₂µ°") + ["\\text", "cm", "mA", "^{-2}", "$\\sim$"]),
    max_size=40,
).map("".join)


@settings(max_examples=400, deadline=None)
@given(_PAPERISH)
def test_paper_like_text_offsets(s):
    _check_offsets(s, normalize(s))


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=string.printable, max_size=80))
def test_idempotent_on_ascii(s):
    once = normalize(s).text
    assert normalize(once).text == once


@settings(max_examples=300, deadline=None)
@given(_PAPERISH)
def test_idempotent_on_paper_like_text(s):
    once = normalize(s).text
    assert normalize(once).text == once


def test_speed_on_shared_texts(shared_dir):
    import time

    text = "\n\n".join(p.read_text(encoding="utf-8") for p in sorted((shared_dir / "corpus").glob("*.txt")))
    t0 = time.perf_counter()
    n = normalize(text * 4)
    seconds = time.perf_counter() - t0
    assert n.text
    assert len((text * 4).encode()) / seconds > 1_000_000  # > 1 MB/s even on a slow CI machine


def test_a_unit_minus_revealed_by_a_joined_line_is_read_in_the_same_call():
    # "L@" at a line end and "1" on the next: the join makes the PDF minus artefact "L@1"
    once = normalize("0.5 mol L@\n1 of LiTFSI").text
    assert once == "0.5 mol L-1 of LiTFSI" and normalize(once).text == once

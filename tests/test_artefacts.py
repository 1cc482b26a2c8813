"""Converter artefacts undone by ``normalize`` (extractor/artefacts.py): each class with
composed positive and negative sentences, and the offsets still pointing at the source."""

from __future__ import annotations

import pytest

from extractor.artefacts import element_symbols
from extractor.normalize import normalize
from extractor.vocab import glued_compounds


def norm(text: str) -> str:
    return normalize(text).text


def assert_offsets_cover(source: str, fragment_out: str, fragment_in: str) -> None:
    """The normalized ``fragment_out`` maps back onto ``fragment_in`` of ``source``."""
    n = normalize(source)
    i = n.text.index(fragment_out)
    a, b = n.offsets[i], n.offsets[i + len(fragment_out) - 1] + 1
    assert source[a:b] == fragment_in


# ---------------------------------------------------------------- glyph names and entities


@pytest.mark.parametrize(
    "raw, clean",
    [
        ("the /uniFB01rst cycle was ef/uniFB01cient", "the first cycle was efficient"),
        ("a sta/uniFB00 member and a di/uniFB00erent /uniFB02ow", "a staff member and a different flow"),
        ("an e/uniFB03cient host", "an efficient host"),
        ("the efficiency /u1D702 reached 99.2%", "the efficiency η reached 99.2%"),
        ("at 2/hairspacemA cm-2 for 1/thinspace000 h", "at 2 mA cm-2 for 1000 h"),
        ("over 10\u2009000 cycles and 1\u202f200 h", "over 10000 cycles and 1200 h"),  # thin spaces in numbers
        ("cells 1\u2009200 and 3", "cells 1200 and 3"),
        ("at 5\u2009mA and 2\u20091.5 V", "at 5 mA and 2 1.5 V"),  # before a unit or a decimal: a space
        ("cycled at 3/thinspacemA/hairspacecm-2", "cycled at 3 mA cm-2"),
        ("a CE &gt; 99% and a gap &lt; 20 mV", "a CE > 99% and a gap < 20 mV"),
        ("Li &amp; Na anodes of 20 &#956;m and 30 &micro;m", "Li & Na anodes of 20 µm and 30 µm"),
        ("double escaped &amp;gt; sign", "double escaped > sign"),
        ("the flux <!-- formula-not-decoded --> is uniform", "the flux is uniform"),
        ("a host GLYPH<c=3,font=/ABCDEF+Times> made", "a host made"),
    ],
)
def test_glyph_names_and_entities_become_characters(raw, clean):
    assert norm(raw) == clean


@pytest.mark.parametrize(
    "text",
    [
        "the universal and unique anode",  # /uni... needs four capital hex digits
        "plus/minus values and on/off ratios",  # ordinary words after a slash
        "see https://example.org/u2024/report",  # lower-case path, no glyph name
        "R&D and AT&T; are names",  # an ampersand that is no entity
        "the ratio x/y and 10/20 cells",
    ],
)
def test_text_that_only_looks_like_glyph_names_is_kept(text):
    assert norm(text) == text


def test_glyph_name_offsets_cover_the_name():
    source = "an e/uniFB03cient host"
    assert_offsets_cover(source, "efficient", "e/uniFB03cient")
    assert_offsets_cover("a CE &gt; 99%", "> 99%", "&gt; 99%")


# ---------------------------------------------------------------- split formulas


@pytest.mark.parametrize(
    "raw, clean",
    [
        ("a Na 3 PS 4 electrolyte", "a Na3PS4 electrolyte"),
        ("the Li 2 S shell", "the Li2S shell"),
        ("an Li 6 PS 5 Cl pellet", "an Li6PS5Cl pellet"),
        ("a Li 2 CO 3 layer", "a Li2CO3 layer"),
        ("paired with LiFePO 4 cathodes", "paired with LiFePO4 cathodes"),
        ("in O 2 plasma", "in O2 plasma"),
        ("the In 2 O 3 coating", "the In2O3 coating"),
        ("LiNi 0.8 Co 0.1 Mn 0.1 O 2 cathodes", "LiNi0.8Co0.1Mn0.1O2 cathodes"),
        ("a Co 3 O 4 film.", "a Co3O4 film."),
        ("a LiMg 5 alloy foil", "a LiMg5 alloy foil"),  # metals in mixed case: an intermetallic
        ("the CuZn 3 layer", "the CuZn3 layer"),
    ],
)
def test_split_formula_counts_are_rejoined(raw, clean):
    assert norm(raw) == clean


@pytest.mark.parametrize(
    "text",
    [
        "In 2 experiments the host failed",  # In: an English word with one count
        "at 5 C 2 V was reached",  # a number and units, not carbon and vanadium
        "the Cu 2p and Li 1s spectra",  # XPS levels
        "Figure 2 B shows the cell",  # not element symbols
        "the CV 5 scans",  # vanadium cannot end a formula counted as a group
        "Li 20 mAh was plated",  # a count before a unit is a quantity
        "cells A 3 and B 4 failed",  # A is no element
        "the Ta 2 sample",  # one metal and a number: a sample label
        "the LiMg 5 mAh cell",  # a count before a unit is a quantity, alloy or not
        "the NiCo 15 sample",  # no intermetallic counts above twelve
    ],
)
def test_words_and_numbers_are_not_joined_into_formulas(text):
    assert norm(text) == text


def test_element_symbols():
    assert element_symbols("LiFePO") == ["Li", "Fe", "P", "O"]
    assert element_symbols("PS") == ["P", "S"]
    assert element_symbols("NCM") is None  # M is no element


def test_rejoined_formula_points_at_the_spaced_source():
    assert_offsets_cover("a Na 3 PS 4 electrolyte", "Na3PS4", "Na 3 PS 4")


# ---------------------------------------------------------------- split exponents


@pytest.mark.parametrize(
    "raw, clean",
    [
        ("at 1 mA·cm -2 for", "at 1 mA cm-2 for"),
        ("160 mAh g -1 at 1 C", "160 mAh g-1 at 1 C"),
        ("a conductivity of 10 -10 S cm -1 was", "a conductivity of 10-10 S cm-1 was"),
        ("of 1.2 × 10 -4 S cm -1", "of 1.2 × 10-4 S cm-1"),
        ("a scan rate of 0.5 mV s -1", "a scan rate of 0.5 mV s-1"),
        ("a surface area of 1200 m 2 g -1", "a surface area of 1200 m2 g-1"),
        ("a 1 cm 2 disk", "a 1 cm2 disk"),
        ("a loading of 2 mg cm −2", "a loading of 2 mg cm-2"),
        ("with $\\mathrm{mA\\ cm^{-2}}$ steps", "with mA cm-2 steps"),
        ("of 165 mAh g $^{-1}$", "of 165 mAh g-1"),
        ("about $\\sim$ 20 mV", "about ~ 20 mV"),
        ("of $10^{- 10}\\mathrm{Scm}^{- 1}$ only", "of 10^-10 S cm-1 only"),  # a power of ten keeps its caret (issue 14)
        ("$\\mathrm{Mn^{3 + }}$ ions", "Mn3+ ions"),
        ("$\\mathrm{Li}_{1 - x}\\mathrm{Mn}_2\\mathrm{O}_4$ films", "Li1-xMn2O4 films"),
    ],
)
def test_split_exponents_are_rejoined_on_units(raw, clean):
    assert norm(raw) == clean


@pytest.mark.parametrize(
    "text",
    [
        "the cm 2 groups",  # no number before the unit
        "after 10 -5 cells",  # a power of ten needs a unit or a times sign
        "from 3 m 2 steps away",  # m is only squared before a unit
        "a range of 5 - 10 mA",  # a spaced dash
        "the s -1 branch",  # no unit or number before
    ],
)
def test_numbers_after_words_are_not_exponents(text):
    assert norm(text) == text


# ---------------------------------------------------------------- decimals, micro sign, hyphens


@pytest.mark.parametrize(
    "raw, clean",
    [
        ("a CE of 99. 5 % over", "a CE of 99.5 % over"),
        ("a gap of 35. 1 mV", "a gap of 35.1 mV"),
        ("a 5 µ m thick layer", "a 5 µm thick layer"),
        ("a 5 μ m thick layer", "a 5 µm thick layer"),  # Greek mu
        ("20 μm and 20 µm", "20 µm and 20 µm"),  # both Unicode forms agree
        ("the plasma- assisted process", "the plasma-assisted process"),
        ("an X- ray pattern", "an X-ray pattern"),
        ("LiNbO3- coated particles and Li- ion cells", "LiNbO3-coated particles and Li-ion cells"),
        # a line-break hyphen copied into a line: the text writes the whole word elsewhere
        ("a capacity reten- tion of 91%; the retention", "a capacity retention of 91%; the retention"),
        # negative: a compound the text never writes as one word keeps its hyphen
        ("the plasma- assisted route; plasma treatment", "the plasma-assisted route; plasma treatment"),
    ],
)
def test_split_decimals_micro_signs_and_hyphens(raw, clean):
    assert norm(raw) == clean


@pytest.mark.parametrize(
    "text",
    [
        "shown in Fig. 3. 5 mg of powder",  # a figure number ends the reference
        "it ended in 2021. 5 cells",  # a year, and no unit follows
        "Example Lett., 2019, 12, 340–345. 5 S. Author and C. Writer",  # a reference list
        "Example Lett., 2019, 345. 12 C. A. Writer",
        "the µ phase was",  # no number before the micro sign
        "pre- and post-cycling images",  # a suspended hyphen
        "Li- or Na-based hosts",
        "binds PF6- anions and TFSI- anions",  # charges of ions
    ],
)
def test_sentence_ends_and_suspended_hyphens_are_kept(text):
    assert norm(text) == text


# ---------------------------------------------------------------- glued compounds


@pytest.mark.parametrize(
    "raw, clean",
    [
        ("an anodefree cell", "an anode-free cell"),
        ("in halfcell tests", "in half-cell tests"),
        ("Liion batteries", "Li-ion batteries"),
        ("a Selfstanding film", "a Self-standing film"),
        ("allsolidstate batteries", "all-solid-state batteries"),
        ("allsolid-state batteries", "all-solid-state batteries"),
    ],
)
def test_glued_compounds_of_the_vocabulary_are_split(raw, clean):
    assert norm(raw) == clean


@pytest.mark.parametrize("text", ["an ultrathin film", "the cellular host", "a freestanding host", "lion and anion"])
def test_words_not_in_the_vocabulary_are_kept(text):
    assert norm(text) == text


def test_glued_compound_offsets_and_vocabulary():
    assert glued_compounds()["anodefree"] == (len("anode"),)
    assert glued_compounds()["allsolidstate"] == (3, 8)
    assert_offsets_cover("an anodefree cell", "anode-free", "anodefree")


def test_normalize_is_idempotent_on_converter_text():
    text = "a Na 3 PS 4 ef/uniFB01cient anodefree halfcell at 2 mA·cm -2 &gt; 99. 5 % 5 µ m"
    once = norm(text)
    assert norm(once) == once


def test_thin_space_grouping_digits_was_read_as_zero_cycles():
    from extractor.quantities import parse_quantities

    text = norm("stable for 10\u2009000 cycles and 1/thinspace200 h")
    assert [(q.value, q.unit) for q in parse_quantities(text)] == [(10000.0, "cycles"), (1200.0, "h")]


# ---------------------------------------------------------------- properties on converter-like text

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_CONVERTER_TOKENS = st.lists(
    st.sampled_from(
        [" ", " ", "\n", "Li", "PS", "Na", "O", "In", "C", "2", "4", "0", "0.8", "10", "-", "- ", "-1", "cm", "g", "mAh",
         "mA", "S", "·", "µ", "μ", "m", "35.", "1", "%", ".", "anodefree", "Liion", "&gt;", "&amp;", "/uniFB01",
         "/thinspace", "/hairspace", "\u2009", "000", "$^{-1}$", "^{- 2}", "<!-- image -->", "×", "and", "x", "ions"]
    ),
    max_size=30,
).map("".join)


@settings(max_examples=400, deadline=None)
@given(_CONVERTER_TOKENS)
def test_converter_like_text_is_normalized_idempotently_with_monotonic_offsets(s):
    n = normalize(s)
    assert len(n.offsets) == len(n.text) + 1
    assert all(0 <= o <= len(s) for o in n.offsets)
    assert all(a <= b for a, b in zip(n.offsets, n.offsets[1:]))
    assert normalize(n.text).text == n.text

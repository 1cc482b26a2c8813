"""load(): sniffing, decoding and named failures; text files and XML into blocks."""

from __future__ import annotations

import pytest

from extractor.errors import LoadError, UnsupportedFormat
from extractor.load import load
from extractor.load_text import text_blocks

PAPER = (
    "# A Porous Copper Host for Lithium Metal\n\n"
    "Ann Author, Ben Writer\n\n"
    "1. Introduction\n\n"
    "Lithium metal is attractive. Dendrites are a problem for the\n\n"
    "practical use of lithium anodes in cells.\n\n"
    "Figure 1. Schematic of the copper host. a) SEM image.\n\n"
    "2. Experimental Section\n"
    "The host was annealed at 400 °C for 2 h.\n"
)


def _write(tmp_path, name, data):
    path = tmp_path / name
    path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return path


def test_empty_file(tmp_path):
    with pytest.raises(LoadError) as err:
        load(_write(tmp_path, "empty.txt", b""))
    assert err.value.reason == "empty_file"


def test_binary_junk_txt(tmp_path):
    junk = bytes(range(256)) * 40
    with pytest.raises(LoadError) as err:
        load(_write(tmp_path, "junk.txt", junk))
    assert err.value.reason == "binary_content"


def test_control_characters_without_nul(tmp_path):
    junk = ("\x01\x02\x03abc\x04\x05" * 500).encode()
    with pytest.raises(LoadError) as err:
        load(_write(tmp_path, "ctrl.txt", junk))
    assert err.value.reason == "binary_content"


def test_not_a_pdf(tmp_path):
    with pytest.raises(LoadError) as err:
        load(_write(tmp_path, "fake.pdf", "just some text, no header"))
    assert err.value.reason == "not_a_pdf"


def test_too_large(tmp_path):
    path = _write(tmp_path, "big.txt", "Lithium plating. " * 200)
    with pytest.raises(LoadError) as err:
        load(path, max_bytes=1000)
    assert err.value.reason == "too_large"
    assert load(path, max_bytes=10_000).text.startswith("Lithium")


def test_unknown_suffix(tmp_path):
    with pytest.raises(UnsupportedFormat) as err:
        load(_write(tmp_path, "paper.docx", "x"))
    assert err.value.reason == "unsupported_format"


def test_missing_file(tmp_path):
    with pytest.raises(LoadError) as err:
        load(tmp_path / "nope.txt")
    assert err.value.reason == "not_found"


def test_latin1_text_loads_with_fallback(tmp_path):
    raw = "Annealed at 300 °C under Ar; capacity 5 mAh cm\xb2 (µ-sized).".encode("latin-1")
    doc = load(_write(tmp_path, "old.txt", raw))
    assert "300 °C" in doc.text and "µ-sized" in doc.text
    assert doc.meta["encoding"] in ("cp1252", "latin-1")
    assert doc.meta["encoding_fallback"] is True


def test_utf16_with_bom(tmp_path):
    raw = "Li₂CO₃ forms at −20 °C.".encode("utf-16")
    doc = load(_write(tmp_path, "wide.txt", raw))
    assert doc.text == "Li₂CO₃ forms at −20 °C."
    assert doc.meta["encoding"] == "utf-16"


def test_utf8_bom_is_dropped(tmp_path):
    doc = load(_write(tmp_path, "bom.txt", b"\xef\xbb\xbfHello lithium."))
    assert doc.text == "Hello lithium."


def test_sha256_of_bytes(tmp_path):
    import hashlib

    data = "Some text about anodes.".encode()
    doc = load(_write(tmp_path, "a.md", data))
    assert doc.sha256 == hashlib.sha256(data).hexdigest()
    assert doc.format == "md" and doc.name == "a.md"


def test_blocks_and_roles(tmp_path):
    doc = load(_write(tmp_path, "paper.md", PAPER))
    roles = [(b.role, doc.text[b.start : b.end].split("\n")[0][:30]) for b in doc.blocks]
    assert roles[0] == ("title", "# A Porous Copper Host for Lit")
    assert ("heading", "1. Introduction") in roles
    assert ("caption", "Figure 1. Schematic of the cop") in roles
    # a heading that opens a block is cut off
    assert ("heading", "2. Experimental Section") in roles
    assert ("body", "The host was annealed at 400 °") in roles
    # the block after a column break continues the paragraph
    cont = [doc.text[doc.blocks[i].start : doc.blocks[i].end] for i in doc.meta["continuations"]]
    assert cont == ["practical use of lithium anodes in cells."]


def test_caption_inside_a_paragraph_is_cut_off():
    text = (
        "The film is dense and smooth as shown in Figure 2. Cracks appear later. Enough "
        "Figure 3. Cycling of the symmetric cells at 1 mA cm−2. (a) Voltage profiles.\n"
    )
    blocks, _ = text_blocks(text)
    assert [b.role for b in blocks] == ["body", "caption"]
    assert text[blocks[1].start :].startswith("Figure 3. Cycling")
    assert text[blocks[0].start : blocks[0].end].endswith("Enough")


def test_heading_kinds():
    text = "RESULTS AND DISCUSSION\n\n2.3. Electrochemical Measurements\n\nAcknowledgements\n\nThanks to all."
    blocks, _ = text_blocks(text)
    assert [b.role for b in blocks] == ["heading", "heading", "heading", "body"]


def test_first_short_line_is_title_only_when_it_looks_like_one():
    blocks, _ = text_blocks("Hollow Carbon Spheres as Lithium Hosts\n\nSome prose follows here.")
    assert blocks[0].role == "title"
    blocks, _ = text_blocks("This paragraph starts the text and is long\nand wraps over lines.\n\nMore.")
    assert blocks[0].role == "body"


@pytest.mark.shared
def test_shared_texts_load(shared_dir):
    paths = sorted((shared_dir / "corpus").glob("*.txt"))
    assert paths
    for path in paths:
        doc = load(path)
        assert doc.format == "txt" and doc.meta["encoding"] == "utf-8"
        assert len(doc.blocks) > 10
        assert all(0 <= b.start < b.end <= len(doc.text) for b in doc.blocks)
        assert any(b.role == "heading" for b in doc.blocks)
        assert any(b.role == "caption" for b in doc.blocks)


@pytest.mark.shared
def test_shared_jats_xml_loads(shared_dir):
    (path,) = sorted((shared_dir / "corpus" / "xml").glob("*.xml"))
    doc = load(path)
    assert doc.format == "xml" and doc.meta["xml_schema"] == "jats"
    assert doc.meta["doi"].startswith("10.")
    assert isinstance(doc.meta["year"], int)
    roles = {b.role for b in doc.blocks}
    assert {"title", "heading", "body", "caption"} <= roles
    assert "<" not in doc.text[:2000]


@pytest.mark.shared
def test_shared_reference_texts_load(shared_dir):
    for path in sorted((shared_dir / "corpus" / "reference").glob("*")):
        doc = load(path)
        assert doc.text.strip() and doc.blocks

"""Turn a clean paper text into Markdown as a PDF converter (docling, marker, MinerU)
writes it, with the artefact classes hostkb has to undo. Used by the tests at test
time; the page furniture and affiliation lines are composed here, not taken from papers.

``converter_markdown(text)``:

- every heading and the title become ``## `` headings; a journal banner heading comes
  first; an affiliation paragraph follows the title;
- captions are paragraphs; every other one has its label as a ``## Figure N`` heading;
- page headers and footers (journal line, page number, web address, copyright) are
  interleaved between paragraphs, and every few pages in the middle of a paragraph;
  on every other page the running head is a ``## `` heading;
  the first page's footnotes (an address, an e-mail) come at its end; image comments
  stand before captions and ``formula-not-decoded`` placeholders between paragraphs;
- hard-wrapped lines are joined, a line-end hyphen between lower-case word parts dropped;
- in the text: formula counts and unit exponents split off with a space (``Li 2 S``,
  ``LiFePO 4``, ``mAh g -1``, ``10 -10``), ligatures and η as glyph names (``/uniFB01``),
  ``&``, ``<`` and ``>`` as HTML entities, hyphenated compounds of the vocabulary glued
  (``anodefree``), the micro sign split from its unit or written as Greek mu, a few
  decimals split after the point, hair spaces as glyph names, thin spaces grouping the
  digits of large numbers (``1/thinspace200 h``).
"""

from __future__ import annotations

import re

from extractor.artefacts import element_symbols
from extractor.load_text import text_blocks
from extractor.tables import find_text_tables
from extractor.vocab import glued_compounds

_BANNER = "## Research Article"
_AFFILIATION = "School of Materials Science and Engineering, Example University, Springfield 12345, Country"
_FIRST_PAGE_NOTES = (
    "Department of Chemistry, Example Institute of Technology, Shelbyville 54321, Country",
    "E-mail: corresponding.author@example.org",
)
_FURNITURE = (
    "Adv. Example Mater. 2026, 16, 2601234",
    "2601234 ({page} of 14)",
    "www.example-journal.org",
    "© 2026 Example Publishing GmbH",
)

_SUPER = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺₀₁₂₃₄₅₆₇₈₉", "0123456789-+0123456789")
_FORMULA = re.compile(r"(?<![\w@/.\-])((?:[A-Z][a-z]?(?:\d+(?:\.\d+)?)?){2,})(?![\w+\-−])")
_COUNT = re.compile(r"\d+(?:\.\d+)?")
_EXPONENT = re.compile(r"(?<=[\s·/])(cm|g|kg|s|h|m)(?:\^\{[-−]?(\d)\}|\^-(\d)|[-−](\d))(?![\w]|\.\d)")
_POWER = re.compile(r"(?<=[×x] )10[-−](\d{1,2})(?![\w.])|(?<![\w.])10[-−](\d{1,2})(?= S\b)")
_DECIMAL = re.compile(r"(?<![\w.])(\d{1,3})\.(\d{1,2})(?= ?(?:%|mV|mAh|mA|V)(?![A-Za-z]))")
_SPACE_UNIT = re.compile(r"(?<=\d) (?=mA\b)")
_THOUSANDS = re.compile(r"(?<![\w.,/-])(\d{1,2})(\d{3})(?= (?:h|cycles|mAh)\b)")


def _unwrap(chunk: str) -> str:
    chunk = re.sub(r"(?<=[a-z])-\n(?=[a-z])", "", chunk)  # the converter drops a line-end hyphen
    return " ".join(chunk.split())


def _split_formula(m: re.Match) -> str:
    token = m.group(1)
    if not any(c.isdigit() for c in token):
        return token
    letters = _COUNT.sub(" ", token).split()
    if any(element_symbols(g) is None for g in letters) or sum(len(element_symbols(g)) for g in letters) < 2:
        return token
    return " ".join(p for p in re.split(r"(\d+(?:\.\d+)?)", token) if p)


def _glue(text: str) -> str:
    for glued, cuts in glued_compounds().items():
        hyphenated = "".join(
            glued[a:b] + ("-" if b < len(glued) else "") for a, b in zip((0, *cuts), (*cuts, len(glued)))
        )
        text = re.sub(r"(?<![\w-])" + re.escape(hyphenated) + r"(?![\w-])", lambda m: m.group().replace("-", ""), text, flags=re.I)
    return text


def _every_other(pattern: re.Pattern, repl, text: str) -> str:
    count = 0

    def sub(m: re.Match) -> str:
        nonlocal count
        count += 1
        return repl(m) if count % 2 else m.group()

    return pattern.sub(sub, text)


def _artefacts(text: str) -> str:
    text = re.sub(r"_\{(\d+(?:\.\d+)?)\}", r"\1", text).translate(_SUPER)
    text = _EXPONENT.sub(lambda m: f"{m.group(1)} -{m.group(2) or m.group(3) or m.group(4)}", text)
    text = _POWER.sub(lambda m: f"10 -{m.group(1) or m.group(2)}", text)
    text = _FORMULA.sub(_split_formula, text)
    text = _glue(text)
    text = _every_other(re.compile(r"(?<=\d) ?µm\b"), lambda m: " \x00 m", text)
    text = text.replace("µ", "μ").replace("\x00", "µ")  # the unsplit ones as Greek mu
    text = _every_other(_DECIMAL, lambda m: f"{m.group(1)}. {m.group(2)}", text)
    text = _every_other(_SPACE_UNIT, lambda m: "/hairspace", text)
    text = _every_other(_THOUSANDS, lambda m: f"{m.group(1)}/thinspace{m.group(2)}", text)
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = text.replace("η", "/u1D702")
    for chars, glyph in (("ffi", "/uniFB03"), ("ffl", "/uniFB04"), ("fi", "/uniFB01"), ("fl", "/uniFB02"), ("ff", "/uniFB00")):
        text = re.sub(r"(?<=[a-z])" + chars + r"|" + chars + r"(?=[a-z])", glyph, text)
    return text


def _heading_text(chunk: str) -> str:
    return " ".join(chunk.strip().lstrip("#").replace("**", "").split())


def converter_markdown(text: str) -> str:
    """``text`` as converter Markdown (see the module docstring)."""
    blocks, _ = text_blocks(text)
    out: list[str] = [_BANNER]
    page = 1
    bodies = 0

    def furniture() -> list[str]:
        nonlocal page
        page += 1
        notes = list(_FIRST_PAGE_NOTES) if page == 2 else []  # first-page footnotes at its end
        lines = [f.format(page=page) for f in _FURNITURE]
        if page % 2:
            lines[0] = "## " + lines[0]  # the running head taken for a heading
        return notes + lines

    figures = 0
    for block in blocks:
        chunk = text[block.start : block.end]
        tables = find_text_tables(text, block.start, block.end)
        if tables:  # a table as docling writes one: pipe rows under a separator line
            before = text[block.start : tables[0].start].strip()
            if before:
                out.append(_artefacts(_unwrap(before)))
            for t in tables:
                rows = [[" ".join(text[a:b].split()) for a, b in row] for row in t.rows]
                out.append("\n".join(["| " + " | ".join(rows[0]) + " |", "|" + "---|" * len(rows[0])]
                                     + ["| " + " | ".join(r) + " |" for r in rows[1:]]))
            after = text[tables[-1].end : block.end].strip()
            if after:
                out.append(_artefacts(_unwrap(after)))
            continue
        if block.role in ("title", "heading"):
            out.append("## " + _artefacts(_heading_text(chunk)))
            if block.role == "title":
                out.append(_AFFILIATION)
            continue
        para = _artefacts(_unwrap(chunk))
        if block.role == "caption":
            figures += 1
            out.append("<!-- image -->")
            label = re.match(r"((?:Figure|Fig\.|Table|Scheme)\s*S?\d+[a-z]?)[.:|]?\s+", para)
            if label and figures % 2:
                out += [f"## {label.group(1)}", para[label.end() :]]
            else:
                out.append(para)
            continue
        bodies += 1
        words = para.split(" ")
        if bodies % 6 == 3 and len(words) > 40:  # a page break in the middle of a sentence
            cut = len(words) // 2
            while cut < len(words) - 1 and not words[cut - 1][-1:].islower():  # mid-sentence, after a word
                cut += 1
            out += [" ".join(words[:cut]), *furniture(), " ".join(words[cut:])]
        else:
            out.append(para)
            if bodies % 5 == 2:
                out.append("<!-- formula-not-decoded -->")
            if bodies % 4 == 0:
                out += furniture()
    return "\n\n".join(out) + "\n"

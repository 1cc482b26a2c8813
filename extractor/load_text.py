"""Plain text and markdown into blocks.

``text_blocks(text)`` cuts a text into blocks (runs of non-blank lines) and guesses
each block's role:

- ``title``: a leading markdown ``# `` heading, or a first block that is one short
  line looking like a title;
- ``heading``: markdown ``#`` headings, short numbered headings (``1. Introduction``,
  ``2.3. Electrochemical Measurements``), known section names (``Acknowledgements``)
  and short all-capital lines (``RESULTS AND DISCUSSION``); a heading that opens a
  block of text is cut off into its own block;
- ``caption``: blocks starting ``Figure N``/``Fig. N``/``Table N``/``Scheme N``; a
  caption that starts in the middle of a hard-wrapped paragraph (after a column
  break) is cut off and runs to the end of that paragraph;
- ``footnote``: page furniture and front matter that is not prose (e-mail and postal
  addresses, ``DOI:``/``Received:`` lines, ``Cite This:`` headers, copyright lines);
- ``body``: everything else. An inline ``ABSTRACT:`` starts a new block.

Hard-wrapped text is often split by a blank line at a column or page break. The
block after such a break continues the paragraph before it when the earlier block
does not end a sentence and the later one starts in lower case; ``text_blocks``
lists those block indices (``meta["continuations"]``) and ``segment`` joins them.

Markdown that a PDF converter wrote (docling, marker, MinerU; ``converter_of`` knows
them by their artefacts, ``meta["converter"]`` names it) gets its blocks mapped to a
PDF's structure by ``converter_blocks``: journal banners before the title, running
heads, page numbers, affiliations and first-page footnotes become front matter, figure
label headings join their caption, images, tables and comments are not text. Its text
artefacts (glyph names, split sub- and superscripts) are undone by ``normalize``.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from pathlib import Path

from .deadline import check
from .types import Block, RawDocument

__all__ = ["text_blocks", "load_text", "SECTION_WORDS", "converter_of", "converter_blocks"]

_PARA = re.compile(r"[^\n]*\S[^\n]*(?:\n[^\n]*\S[^\n]*)*")
_MD_HEADING = re.compile(r"#{1,6}[ \t]+\S")
_NUMBERED = re.compile(r"(?:\d{1,2}\.(?:\d{1,2}\.?){0,3}|\d{1,2}\.\d{1,2}|[IVX]{1,4}\.)[ \t]+[A-Z][A-Za-z]")

# section names that make a line a heading even without a number
SECTION_WORDS = re.compile(
    r"(?:abstract|introduction|background|experimental(?: section| details| procedures?| methods)?"
    r"|methods?|materials and methods|materials|results(?: and discussion)?|discussion"
    r"|results & discussion|conclusions?(?: and (?:outlook|perspectives?))?|summary(?: and outlook)?|outlook"
    r"|references?|bibliography|notes and references|acknowledge?ments?|acknowledge?ment"
    r"|author information|author contributions?|authors'? contributions|authors|corresponding authors?"
    r"|notes|conflicts? of interests?|competing interests?|declaration of competing interest"
    r"|data availability(?: statement)?|code availability|supporting information|supplementary (?:information|material|data)"
    r"|associated content|keywords|abbreviations|funding|additional information|ethics declarations"
    r"|credit authorship contribution statement|open access|rights and permissions)",
    re.I,
)
_CAPTION = re.compile(r"[*_]{0,2}\s*(?:Figure|Fig\.?|Table|Scheme)\s*S?\d+[a-z]?\s*(?:[.:|]|\*\*|\s+[A-Z(])")
_INLINE_CAPTION = re.compile(r"(?<=\S)[ \t]+(?=(?:Figure|Fig\.|Table|Scheme)\s+S?\d+[.:|]\s+[A-Z(])|\n(?=(?:Figure|Fig\.|Table|Scheme)\s+S?\d+[.:|]\s+[A-Z(])")
_NOT_BEFORE_CAPTION = frozenset(
    "in of from see and to with by as at on or than vs vs. the a an that under for into per both also figures".split()
)
_INLINE_ABSTRACT = re.compile(r"(?<=\S)[ \t]+(?=ABSTRACT\s*:)")
_FRONT = re.compile(
    r"[\w.+-]+@[\w-]+\.[\w.]+|\bORCID\b|^\s*(?:DOI|doi)\s*:|^\s*(?:Received|Revised|Accepted|Published)\b[^.]{0,40}\d{4}"
    r"|Cite This:|©|\bCopyright\b|^\s*www\.|^\s*https?://\S+\s*$",
    re.M,
)
_AFFILIATION = re.compile(r"\b(?:University|Institute|Laboratory|Academy|College|School of|Department|Centre|Center)\b")
_SENTENCE_END = re.compile(r"[.!?][)\]\"'’”]*\s*$")


def _strip_md(line: str) -> str:
    return line.strip().strip("#*_ ").strip()


def _is_heading_line(line: str) -> bool:
    s = line.strip()
    if not s or len(s) > 120 or "\n" in s:
        return False
    if _MD_HEADING.match(s):
        return True
    core = _strip_md(s)
    if not core or core[-1] in ",;" or len(core.split()) > 16:
        return False
    if _NUMBERED.match(core):
        return not core.endswith(".") or len(core) < 80 and core.count(". ") <= 1
    bare = re.sub(r"^(?:\d{1,2}(?:\.\d{1,2})*\.?|[IVX]{1,4}\.)\s*", "", core).rstrip(".:")
    if SECTION_WORDS.fullmatch(bare):
        return True
    letters = [c for c in bare if c.isalpha()]
    return len(letters) >= 6 and all(c.isupper() for c in letters) and len(bare) <= 60 and not bare.endswith(".")


def _looks_like_title(text: str) -> bool:
    s = text.strip().lstrip("#").strip()
    if "\n" in s or not (15 <= len(s) <= 250) or not s[0].isupper():
        return False
    if s.endswith((".", ",", ";", ":")) or "@" in s or "http" in s or _is_heading_line(s):
        return False
    return 3 <= len(s.split()) <= 40 and ". " not in s and not _FRONT.search(s)


def _is_front(text: str) -> bool:
    if _FRONT.search(text):
        return True
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    return (
        len(lines) >= 2
        and bool(_AFFILIATION.search(text))
        and all(ln[0].isupper() or ln[0].isdigit() for ln in lines)
        and not any(_SENTENCE_END.search(ln) for ln in lines)
    )


def _cuts(text: str, s: int, e: int) -> list[int]:
    """Positions inside ``text[s:e]`` where a new block starts."""
    cuts: list[int] = []
    chunk = text[s:e]
    # a heading that opens a block of text
    nl = chunk.find("\n")
    if nl > 0 and _is_heading_line(chunk[:nl]) and not _CAPTION.match(chunk[:nl]):
        rest = chunk[nl + 1 :].lstrip()
        if rest and (rest[0].isupper() or rest[0].isdigit() or rest[0] in "#*"):
            cuts.append(s + nl + 1)
    # a heading that closes a block (no blank line after a caption or paragraph)
    last_nl = chunk.rstrip().rfind("\n")
    if last_nl > 0:
        last = chunk[last_nl + 1 :]
        if _is_heading_line(last) and _NUMBERED.match(_strip_md(last)) and _SENTENCE_END.search(chunk[:last_nl]):
            cuts.append(s + last_nl + 1)
    for m in _INLINE_ABSTRACT.finditer(chunk):
        cuts.append(s + m.end())
    for m in _INLINE_CAPTION.finditer(chunk):
        before = chunk[: m.start()].split()
        prev = before[-1].lower() if before else ""
        if prev.strip("(") in _NOT_BEFORE_CAPTION or prev.endswith("(") or not before:
            continue
        cuts.append(s + m.end())
    return sorted(set(c for c in cuts if s < c < e))


def _caption_end(text: str, s: int, e: int) -> int | None:
    """Where the paragraph that a caption interrupted resumes inside the caption's block:
    a line after one ending a sentence that is indented or starts in lower case."""
    pos = text.find("\n", s, e)
    while pos != -1 and pos + 1 < e:
        line_start = pos + 1
        prev = text[text.rfind("\n", s, pos) + 1 if text.rfind("\n", s, pos) >= 0 else s : pos].rstrip()
        first = text[line_start]
        stripped = text[line_start:e].lstrip(" \t")
        if prev.endswith((".", ".)")) and stripped and (first in " \t" or stripped[0].islower()):
            return line_start
        pos = text.find("\n", line_start, e)
    return None


def _trim(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return s, e


def _role(chunk: str, first: bool, seen_heading: bool) -> str:
    if _MD_HEADING.match(chunk) and "\n" not in chunk:
        if first and chunk.startswith("# ") and not seen_heading and not _is_heading_line(chunk[2:]):
            return "title"
        return "heading"
    if _CAPTION.match(chunk):
        return "caption"
    if _is_heading_line(chunk):
        return "heading"
    if first and _looks_like_title(chunk):
        return "title"
    if _is_front(chunk):
        return "footnote"
    return "body"


def continues(prev: str, nxt: str) -> bool:
    """Does block text ``nxt`` continue the paragraph ``prev`` (cut by a column break)?"""
    p = prev.rstrip()
    n = nxt.lstrip()
    if not p or not n or _SENTENCE_END.search(p):
        return False
    return n[0].islower() or n[0] in "(,;)" or (n[0].isdigit() and p[-1].isalpha() and p[-1].islower())


def text_blocks(text: str) -> tuple[tuple[Block, ...], list[int]]:
    """Blocks of ``text`` and the indices of blocks that continue the previous one."""
    spans: list[tuple[int, int]] = []
    for m in _PARA.finditer(text):
        check()  # the document's time limit, per paragraph
        s, e = m.span()
        bounds = [s, *_cuts(text, s, e), e]
        for a, b in zip(bounds, bounds[1:]):
            a, b = _trim(text, a, b)
            if a < b and _CAPTION.match(text, a, b):
                cut = _caption_end(text, a, b)
                if cut is not None:
                    spans.append(_trim(text, a, cut))
                    a, b = _trim(text, cut, b)
            if a < b:
                spans.append((a, b))
    blocks: list[Block] = []
    continued: list[int] = []
    seen_heading = False
    for i, (s, e) in enumerate(spans):
        chunk = text[s:e]
        role = _role(chunk, first=not blocks, seen_heading=seen_heading)
        seen_heading = seen_heading or role == "heading"
        if role == "body" and blocks and blocks[-1].role == "body" and continues(text[blocks[-1].start : blocks[-1].end], chunk):
            continued.append(len(blocks))
        blocks.append(Block(s, e, None, role))
    return tuple(blocks), continued


# ---------------------------------------------------------------- converter Markdown

# what each converter leaves in its Markdown (docling, marker, MinerU); the first that
# matches names the converter
_CONVERTERS = (
    ("docling", re.compile(r"<!-- (?:image|formula-not-decoded) -->|<!-- 🖼|/uni[0-9A-F]{4}|GLYPH<|/(?:hair|thin)space")),
    ("marker", re.compile(r'<span id="page-\d+-\d+">|!\[\]\(_page_\d+_(?:Picture|Figure)_\d+')),
    ("mineru", re.compile(r"!\[\]\(images/[0-9a-f]{16,}|\$\\mathrm\{|<table><tr><td>|\w- (?=[a-z]).*\w- (?=[a-z])")),
)
_LABEL_ONLY = re.compile(r"(?:Figure|Fig\.|Table|Scheme)\s*S?\d+[a-z]?[.:|]?\s*$", re.I)
_NOT_TEXT = re.compile(
    r"\s*(?:!\[[^\]\n]*\]\([^)\n]*\)|<table\b|<!--[^\n]*-->\s*$|<img\b"
    r"|\|[^\n]*\|\s*(?:\n\s*\|[^\n]*\|\s*)*$"  # a pipe table
    r"|\{\d+\}-{8,}\s*$|(?:-{3,}|\*{3,}|_{3,})\s*$)"  # marker's page separator, a rule
)
_IMAGE_LINE = re.compile(r"[ \t]*!\[[^\]\n]*\]\([^)\n]*\)[ \t]*\n")
# converters glue the label to the caption ("Table 2Properties", "Fig.4 Phase")
_LOOSE_CAPTION = re.compile(r"(?:Figure|Fig\.?|Table|Scheme)\s*S?\d+[a-z]?\s*(?:[.:|]|[A-Z($])")
_BANNER_HEADING = re.compile(r"(?:supporting information|associated content|article recommendations|metrics (?:&|and) more)\b", re.I)
_SPAN = re.compile(r'\s*<span id="[^"]{1,40}"></span>\s*')
_PAGE_NUMBER = re.compile(r"(?:page\s*)?\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?", re.I)
# a running head naming journal, year, volume and page: "Adv. Example Mater. 2026, 16, 2601234"
_RUNNING_HEAD = re.compile(r"[A-Z][A-Za-z.&' ]{2,60}\s(?:19|20)\d{2}\s*,\s*\d{1,4}\s*,\s*[A-Za-z]?\d+(?:\s*[–-]\s*\d+)?")
_WEB_LINE = re.compile(r"(?:https?://)?[a-z0-9-]+(?:\.[a-z0-9-]+)+/[\w./ -]{0,60}", re.I)
_SMALL_WORDS = frozenset("of and the for in at on de la du der und".split())


def converter_of(text: str) -> str | None:
    """The converter (``docling``, ``marker``, ``mineru``) whose artefacts ``text`` carries,
    or ``None`` for Markdown written by hand."""
    for name, mark in _CONVERTERS:
        if mark.search(text):
            return name
    return None


def _furniture_key(chunk: str) -> str | None:
    """A page header or footer, with its numbers masked, when ``chunk`` can be one: a
    single short line that is no sentence."""
    s = chunk.strip()
    if "\n" in s or len(s) > 100 or _SENTENCE_END.search(s) and len(s.split()) > 6:
        return None
    return re.sub(r"\d+", "#", s)


def _is_affiliation(chunk: str) -> bool:
    """An address block: names of institutions and places, not a sentence."""
    s = " ".join(chunk.split())
    if len(s) > 400 or not _AFFILIATION.search(s):
        return False
    words = [w for w in re.findall(r"[A-Za-z][A-Za-z'’-]*", s) if w.lower() not in _SMALL_WORDS]
    capital = sum(w[0].isupper() for w in words)
    return len(words) >= 3 and capital >= 0.7 * len(words)


def _is_section_name(bare: str) -> bool:
    """``Introduction``, ``2. Experimental Section``, ``IV. RESULTS``."""
    return bool(SECTION_WORDS.fullmatch(re.sub(r"^(?:\d{1,2}(?:\.\d{1,2})*\.?|[IVX]{1,4}\.)\s*", "", bare).rstrip(".:")))


def _is_furniture(line: str, key: str | None, repeated: set[str]) -> bool:
    """A page header or footer: a short line recurring with other numbers, a running
    head (journal, year, volume, page), a page number or a web address."""
    return (
        (key is not None and key in repeated)
        or bool(_RUNNING_HEAD.fullmatch(line) or _PAGE_NUMBER.fullmatch(line))
        or (len(line.split()) <= 3 and bool(_WEB_LINE.fullmatch(line)))
    )


def _anchored_heading(chunk: str) -> bool:
    """A heading line after marker's page anchor (``<span id="page-2-0"></span>## ...``)."""
    anchor = _SPAN.match(chunk)
    return bool(anchor and anchor.end() < len(chunk) and "\n" not in chunk and _MD_HEADING.match(chunk, anchor.end()))


def _title_index(text: str, blocks: tuple[Block, ...]) -> int | None:
    """The title among the headings before the first section: the longest that reads as
    a title (journal names and banners before it are shorter)."""
    best, best_words = None, 2
    for i, b in enumerate(blocks):
        chunk = text[b.start : b.end]
        if b.role not in ("title", "heading") and not _anchored_heading(chunk):
            continue
        bare = _strip_md(_SPAN.sub("", chunk, count=1))
        if _is_section_name(bare):
            break
        words = len(bare.split())
        if words > best_words and _looks_like_title(bare) and not _CAPTION.match(bare) and not _LABEL_ONLY.match(bare):
            best, best_words = i, words
    return best


def converter_blocks(text: str, blocks: tuple[Block, ...]) -> tuple[Block, ...]:
    """Blocks of converter Markdown mapped to a PDF's structure: the title is the first
    heading that reads as one (journal banners before it are front matter); a figure
    label heading (``## Figure 3``) and the paragraph after it are one caption, and so
    is a caption under an image; page headers and footers (also when marked as
    headings) and affiliation paragraphs are front matter; images, tables, comments and
    page separators are not text."""
    keys = [_furniture_key(_strip_md(text[b.start : b.end])) for b in blocks]
    repeated = {k for k, n in Counter(keys).items() if k and n >= 2}
    out: list[Block] = []
    seen_section = False
    titled = False
    title_at = _title_index(text, blocks)
    skip = -1
    for i, b in enumerate(blocks):
        if i == skip:
            continue
        s, e, role = b.start, b.end, b.role
        chunk = text[s:e]
        anchor = _SPAN.match(chunk)  # marker's page anchor before a heading
        if _anchored_heading(chunk):
            role = "heading"
        if role in ("title", "heading"):
            if anchor and anchor.end() < len(chunk):
                s += anchor.end()
                chunk = text[s:e]
            bare = _strip_md(chunk)
            if _LABEL_ONLY.match(bare):
                nxt = blocks[i + 1] if i + 1 < len(blocks) else None
                label = s + chunk.find(bare[:4])
                if nxt is not None and nxt.role == "body":
                    out.append(Block(label, nxt.end, b.page, "caption"))
                    skip = i + 1
                else:
                    out.append(Block(label, e, b.page, "caption"))
                continue
            if not _is_section_name(bare) and _is_furniture(bare, keys[i], repeated):
                out.append(Block(s, e, b.page, "footnote"))  # a running head marked as a heading
                continue
            if _CAPTION.match(bare):
                out.append(Block(s + chunk.find(bare[:4]), e, b.page, "caption"))
                continue
            if not seen_section and titled and _BANNER_HEADING.match(bare):
                out.append(Block(s, e, b.page, "footnote"))  # a link line under the title
                continue
            if not titled and not seen_section:
                if i == title_at:
                    out.append(Block(s, e, b.page, "title"))
                    titled = True
                    continue
                if not _is_section_name(bare):
                    out.append(Block(s, e, b.page, "footnote"))  # a banner before the title
                    continue
            seen_section = True
            out.append(Block(s, e, b.page, "heading" if role == "title" and titled else role))
            continue
        image = _IMAGE_LINE.match(chunk)
        if image:  # an image with its caption right under it (MinerU)
            out.append(Block(s, s + image.end() - 1, b.page, "unknown"))
            s, e = _trim(text, s + image.end(), e)
            chunk = text[s:e]
            if _LOOSE_CAPTION.match(chunk):
                role = "caption"
        if _NOT_TEXT.match(chunk):
            out.append(Block(s, e, b.page, "unknown"))
            continue
        if role == "body" and _LOOSE_CAPTION.match(chunk):
            role = "caption"
        if role == "body" and (_is_furniture(chunk.strip(), keys[i], repeated) or _is_affiliation(chunk)):
            role = "footnote"
        out.append(Block(s, e, b.page, role))
    return tuple(out)


def _continued(text: str, blocks: tuple[Block, ...]) -> list[int]:
    return [
        i for i in range(1, len(blocks))
        if blocks[i].role == "body" and blocks[i - 1].role == "body"
        and continues(text[blocks[i - 1].start : blocks[i - 1].end], text[blocks[i].start : blocks[i].end])
    ]


def load_text(path: str | Path, text: str, *, fmt: str = "txt", sha256: str | None = None, meta: dict | None = None) -> RawDocument:
    """A ``RawDocument`` from already decoded ``text`` (``load`` reads and decodes files)."""
    p = Path(path)
    blocks, continued = text_blocks(text)
    info = dict(meta or {})
    converter = converter_of(text) if fmt == "md" else None
    if converter:
        blocks = converter_blocks(text, blocks)
        continued = _continued(text, blocks)
        info["converter"] = converter
    info["continuations"] = continued
    digest = sha256 or hashlib.sha256(text.encode("utf-8")).hexdigest()
    return RawDocument(name=p.name, path=str(p), format=fmt, sha256=digest, text=text, blocks=blocks, page_count=None, meta=info)

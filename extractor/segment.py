"""Segment a loaded document: paper metadata, sections, passages and sentences.

``segment(raw) -> SegmentedDocument``

- **Meta** (``PaperMeta``): title, DOI, year, journal, authors - taken from loader
  metadata, the title block, ``DOI:``/``doi.org`` mentions outside the reference list,
  ``Published``/``Cite This``/``Received``/``©`` lines and known journal header lines.
  A field is ``None`` when the document does not state it; nothing is guessed.
- **Sections** follow heading keywords: ``abstract`` (prose before the first heading,
  or an ``ABSTRACT:`` block), ``introduction``, ``experimental``, ``results``,
  ``conclusions``; unknown headings keep the current section. References,
  acknowledgements, author information, conflicts of interest, data availability,
  supporting-information listings, keywords and front matter (addresses, ``DOI:``
  lines) are left out and named in ``SegmentedDocument.dropped``.
- **Passages**: logical paragraphs (blocks cut by a column or page break are joined,
  also across a caption or address block placed in between), captions on their own,
  headings; text normalized by ``normalize`` with offsets into ``raw.text``.
- **Sentences**: a rule-based splitter that knows scientific abbreviations (Fig.,
  Eq., Ref., et al., e.g., ca., ...), decimals, initials, and garbled numbers such as
  ``4. V``.

``render_text(seg)`` gives the analysed text: ``## section`` marks, ``[caption]``
prefixes, references left out.
"""

from __future__ import annotations

import bisect
import re

from .deadline import check
from .load_text import continues
from .normalize import normalize
from .tables import find_text_tables
from .types import Block, Passage, PaperMeta, RawDocument, SegmentedDocument, Sentence

__all__ = ["segment", "render_text", "render_layout", "split_sentences"]

# ---------------------------------------------------------------- headings → sections

# a main-section number ("2.", "3 |", "IV."), not a subsection ("2.1")
_TOP_LEVEL_NUMBER = re.compile(r"(?:\d{1,2}|[IVX]{1,4})(?:\.(?!\d)|\s*\|)?\s+[A-Z]")
_SECTION_NO = re.compile(r"^(\d{1,2})(?:\.(\d{1,2}))?\.?\s")
_NUM_PREFIX = re.compile(r"^(?:\d{1,2}(?:\.\d{1,2})*\.?|[IVX]{1,4}\.)\s*")
_SECTION_RULES = (
    ("abstract", re.compile(r"abstract\b")),
    ("introduction", re.compile(r"(?:introduction|background)\b")),
    ("experimental", re.compile(r"(?:experimental|experiments?\b|methods?\b|materials and methods|methodology)")),
    ("results", re.compile(r"(?:results?\b|discussion\b)")),
    ("conclusions", re.compile(r"(?:conclusions?|concluding remarks|summary|outlook)\b")),
)
# headings that name their section last: "Fabrication and characterization methods",
# "Electrochemical results", "Findings"
_SECTION_TAILS = (
    ("experimental", re.compile(r"\b(?:methods|methodology|procedures|experimental details)$")),
    ("results", re.compile(r"^findings\b|\b(?:results|findings)$")),
)
# subsections that open the experimental part when it has no main heading
_EXPERIMENTAL_SUB = re.compile(r"(?:synthesis of|preparation of|fabrication of|materials?\b|chemicals\b|electrochemical measurements?|characteri[sz]ations?\b)")
_DROPPED_RULES = (
    ("references", re.compile(r"(?:references?|bibliography|notes and references|literature cited)\b")),
    ("acknowledgements", re.compile(r"acknowledge?ments?\b")),
    ("author information", re.compile(r"(?:author information|corresponding authors?|authors\b|orcid)")),
    ("author contributions", re.compile(r"(?:author'?s?'? contributions?|credit authorship)")),
    ("conflicts of interest", re.compile(r"(?:conflicts? of interests?|competing interests?|declaration of competing)")),
    ("data availability", re.compile(r"(?:data availability|code availability|data and code availability)")),
    ("supporting information", re.compile(r"(?:supporting information|supplementary (?:information|material|data)|associated content|electronic supplementary)")),
    ("keywords", re.compile(r"key ?words\b")),
    ("notes", re.compile(r"notes\b")),
    ("funding", re.compile(r"funding\b")),
    ("abbreviations", re.compile(r"abbreviations\b")),
    ("additional information", re.compile(r"(?:additional information|ethics declarations|rights and permissions|open access|publisher'?s note)")),
)


_AFFILIATION = re.compile(
    r"^\W{0,2}(?:[\d¹²³⁴⁵⁶⁷⁸⁹⁰]{1,2}|[a-z*†‡])\s?[A-Z][^.]{0,120}?\b(?:University|Universit\w+|Institute|Department|"
    r"Laboratory|School|College|Center|Centre|Academy)\b")


def _heading_key(text: str) -> str:
    t = text.strip().lstrip("#").strip().replace("\\*", "").strip("*_ ").strip()
    t = re.sub(r"^[^\w(]+", "", t)
    t = _NUM_PREFIX.sub("", t).strip("*_ ")
    t = re.sub(r"^[|:–—-]\s*", "", t).rstrip(".:").strip()  # "2 | Results" (Wiley)
    return " ".join(t.split()).lower().replace("’", "'")


def classify_heading(text: str) -> tuple[str, str] | None:
    """``("section", name)``, ``("dropped", name)`` or ``None`` for an unknown heading."""
    key = _heading_key(text)
    for name, rule in _DROPPED_RULES:
        if rule.match(key) and len(key) <= 60:
            return "dropped", name
    for name, rule in _SECTION_RULES:
        if rule.match(key):
            return "section", name
    for name, rule in _SECTION_TAILS:
        if rule.search(key) and len(key) <= 60:
            return "section", name
    return None


# ---------------------------------------------------------------- sentences

_ABBREVIATIONS = frozenset(
    """fig figs eq eqs ref refs al e.g i.e vs ca approx no nos wt dr mr ms prof cf resp vol pp ed eds
    sec sect suppl est ext min.no calc exp expt co ltd inc corp mol.wt jan feb mar apr jun jul aug sep sept
    oct nov dec viz cit op ibid eg ie etc.al""".split()
)
_UNIT_AFTER_NUMBER = frozenset(
    "V mV C °C K h min s mA mAh A Ah nm µm mm cm m g mg kg M mM wt% % Hz kHz MHz W Wh eV Pa MPa GPa".split()
)
_CANDIDATE = re.compile(r"[.!?][\"')\]]*(?=\s+(?:\([a-z]\)|[\"'(\[]?[A-Z0-9]))"
                        # a list item: "X showed: - a CE of 99.2%; - 2000 h of cycling"
                        r"|[:;](?=\s+[-•▪●◦]\s+\S)")
_TOKEN_BEFORE = re.compile(r"(\S+)$")
_NEXT_WORD = re.compile(r"\s+(\S+)")
_CAPTION_LABEL = re.compile(r"\s*(?:\[caption\]\s*)?(?:Figure|Fig\.|Figs\.|Table|Scheme)\s*S?\d+[a-z]?$")


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans of ``text`` (already normalized)."""
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _CANDIDATE.finditer(text):
        end = m.end()
        if _keep_together(text, m.start(), end, start):
            continue
        spans.append((start, end))
        start = end
    spans.append((start, len(text)))
    out = []
    for s, e in spans:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if s < e:
            out.append((s, e))
    return out


def _keep_together(text: str, p: int, end: int, start: int) -> bool:
    """Is the punctuation at ``p`` not a sentence end?"""
    if text[p] != ".":
        return False
    tm = _TOKEN_BEFORE.search(text, max(start, p - 40), p)
    if not tm:
        return True
    tok = tm.group(1)
    bare = tok.lstrip("([\"'").lower()
    if bare in _ABBREVIATIONS or bare.rstrip(".") in _ABBREVIATIONS:
        return True
    nm = _NEXT_WORD.match(text, end)
    nxt = nm.group(1).rstrip(".,;:)") if nm else ""
    core = tok.lstrip("([")
    # an initial: "J. Wang", but not a unit after a number ("at 1 C. The")
    if len(core) == 1 and core.isupper():
        before = _TOKEN_BEFORE.search(text, max(start, tm.start() - 20), tm.start() - 1) if tm.start() > start else None
        if not (before and re.fullmatch(r"[\d.,]+", before.group(1))):
            return True
    # "4. V": a number whose decimals were lost, followed by a unit
    if re.fullmatch(r"\d+", core) and nxt in _UNIT_AFTER_NUMBER:
        return True
    # the label of a caption: "Figure 2. Voltage profiles"
    if re.fullmatch(r"S?\d+[a-z]?", core) and _CAPTION_LABEL.match(text, start, p):
        return True
    return False


# ---------------------------------------------------------------- meta

_DOI = r"(10\.\d{4,9}/[^\s\"<>\]\[]+)"
_DOI_LABELLED = re.compile(r"(?:\bdoi\s*:?\s*|doi\.org/|/doi/(?:abs/|full/|pdf/|epdf/)?)" + _DOI, re.I)
_DOI_ANY = re.compile(_DOI)
_DATA_DOI = ("10.5281/", "10.6084/", "10.17632/", "10.5061/")
_MONTH = r"(?:January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.?"
_DATE = r"(?:" + _MONTH + r"\s+\d{1,2},?\s+|\d{1,2}(?:st|nd|rd|th)?\s+" + _MONTH + r",?\s+|\d{1,2}[./-]\d{1,2}[./-])?((?:19|20)\d{2})\b"
_YEAR_RULES = (
    re.compile(r"\bPublished(?:\s+online)?(?:\s+on)?\s*:?\s*" + _DATE, re.I),
    re.compile(r"Cite [Tt]his:[^\n]{0,120}?\b((?:19|20)\d{2})\b"),
    re.compile(r"\bAccepted(?:\s+on)?\s*:?\s*" + _DATE, re.I),
    re.compile(r"\bReceived(?:\s+on)?\s*:?\s*" + _DATE, re.I),
    re.compile(r"(?:©|\(c\)|Copyright\s*©?)\s*((?:19|20)\d{2})\b"),
)
_CITE_THIS = re.compile(r"Cite [Tt]his:\s*(?P<j>[A-Z][^\n\d]{2,80}?),?\s+(?:19|20)\d{2}\b")
_JOURNALS = (
    "Nature Communications", "Nature Energy", "Nature Materials", "Nature Nanotechnology", "Nature",
    "Science", "Science Advances", "Joule", "Matter", "Chem", "EES Batteries", "Energy & Environmental Science",
    "Energy and Environmental Science", "Advanced Materials", "Advanced Energy Materials",
    "Advanced Functional Materials", "Advanced Science", "Angewandte Chemie", "Small", "Nano Letters",
    "ACS Nano", "ACS Energy Letters", "ACS Applied Materials & Interfaces", "ACS Applied Energy Materials",
    "Journal of the American Chemical Society", "Journal of Power Sources", "Energy Storage Materials",
    "Nano Energy", "Chemical Engineering Journal", "Journal of Materials Chemistry A", "RSC Advances",
    "Chemical Science", "Nanoscale", "Nanoscale Research Letters", "Carbon", "Electrochimica Acta",
    "Journal of Energy Chemistry", "Batteries & Supercaps", "eScience", "InfoMat", "Carbon Energy",
    "Journal of The Electrochemical Society", "Electrochemistry Communications", "Chemistry of Materials",
    "The Journal of Physical Chemistry C", "Journal of Alloys and Compounds", "Applied Surface Science",
)
_JOURNAL_LINE = re.compile(r"(?:" + "|".join(re.escape(j) for j in sorted(_JOURNALS, key=len, reverse=True)) + r")")
_NAME = re.compile(r"[A-Z][\w'’.-]*(?:\s+(?:[A-Z][\w'’.-]*|van|von|de|der|da|di|le|la))*\s+[A-Z][\w'’-]+")


def _clean_doi(doi: str) -> str:
    doi = re.split(r"[?#&]", doi, 1)[0]
    return doi.rstrip(".,;:)]}>'\"*_")


def _find_doi(text: str) -> str | None:
    for m in _DOI_LABELLED.finditer(text):
        doi = _clean_doi(m.group(1))
        if not doi.startswith(_DATA_DOI):
            return doi
    for m in _DOI_ANY.finditer(text, 0, min(len(text), 5000)):
        doi = _clean_doi(m.group(1))
        if not doi.startswith(_DATA_DOI):
            return doi
    return None


def _find_year(text: str) -> int | None:
    for rule in _YEAR_RULES:
        m = rule.search(text)
        if m:
            return int(m.group(m.lastindex or 1))
    return None


def _find_journal(text: str) -> str | None:
    m = _CITE_THIS.search(text)
    if m:
        return " ".join(m.group("j").split()).rstrip(",")
    for line in text[:4000].splitlines():
        s = line.strip().strip("#*_ ").strip()
        if 3 <= len(s) <= 60 and _JOURNAL_LINE.fullmatch(s):
            return s
    return None


def _plausible_title(title: str | None) -> bool:
    """PDF info titles are often file names or job ids ("d5eb00021a 310..319 ++")."""
    if not title:
        return False
    words = title.split()
    letters = sum(c.isalpha() for c in title)
    return (
        len(words) >= 3
        and 10 <= len(title) <= 400
        and letters >= 0.7 * len(title.replace(" ", ""))
        and not re.search(r"\.\.|\.(?:pdf|docx?|tex)\b|^untitled|^microsoft word", title, re.I)
    )


def _authors(text: str) -> tuple[str, ...]:
    text = text.split("Cite This", 1)[0]
    text = re.sub(r"\\?\*|[†‡§¶#]|\d+(?:,\d+)*", "", text)
    items = [x.strip() for x in re.split(r",\s*(?:and\s+)?|\s+and\s+", " ".join(text.split())) if x.strip()]
    if not 1 <= len(items) <= 60:
        return ()
    if all(_NAME.fullmatch(x) and len(x.split()) <= 5 for x in items):
        return tuple(items)
    return ()


def _clean_title(text: str) -> str:
    t = text.strip().lstrip("#").strip().replace("\\*", "").strip("*_ ").strip()
    t = re.sub(r"[\s*†‡§¶⁰¹²³⁴⁵⁶⁷⁸⁹,]+$", "", t)  # footnote marks after the title
    return " ".join(t.split())


# ---------------------------------------------------------------- blocks → passages

_REFERENCE_LINE = re.compile(r"^\s*(?:[-*]\s*)?(?:\[\d{1,4}\]|\(\d{1,4}\)|\d{1,4}\.)\s+\S.*\b(?:19|20)\d{2}\b", re.M)
_LABEL = re.compile(r"\s*(?:\*\*)?(ABSTRACT|Abstract|KEYWORDS|Keywords|Key words)(?:\*\*)?\s*[:.]\s*(?:\*\*)?\s*")
_SENTENCE_END = re.compile(r"[.!?][)\]\"'’”]*\s*$")
_MD_MARK = re.compile(r"#{1,6}[ \t]+")
_OPEN_END = re.compile(r"(?:[a-z,;\-]|[a-z]\))\s*$")


def _continues(prev: str, nxt: str) -> bool:
    """The open paragraph ``prev`` stops mid-sentence: ``nxt`` carries it on (across a
    column or page break, possibly with a caption or an address block in between)."""
    return bool(_OPEN_END.search(prev)) or continues(prev, nxt)


def _is_reference_block(text: str) -> bool:
    lines = [ln for ln in text.splitlines() if ln.strip()]
    hits = len(_REFERENCE_LINE.findall(text))
    return hits >= 1 and hits * 2 >= len(lines)


def _is_prose(text: str) -> bool:
    return bool(_SENTENCE_END.search(text)) and len(text.split()) >= 6


class _Para:
    """A paragraph under construction: raw pieces (block spans) in document order."""

    __slots__ = ("pieces", "section", "role", "page", "heading", "rows")

    def __init__(self, start: int, end: int, section: str, role: str, page, heading, rows=None):
        self.pieces = [(start, end)]
        self.section = section
        self.role = role
        self.page = page
        self.heading = heading
        self.rows = rows  # a table's rows: cells as (text, raw offset of its first character)


def _with_text_tables(raw: RawDocument, blocks) -> tuple[list[Block], dict[tuple[int, int], list]]:
    """The blocks with every text table (pipe or tab rows, :mod:`.tables`) cut out as a
    block of role ``table``; its rows by the block's span. A PDF's tables come from the
    loader (``RawDocument.tables``), one per run of ``table`` blocks, in order."""
    text = raw.text
    out: list[Block] = []
    rows: dict[tuple[int, int], list] = {}
    pdf_tables = iter(raw.tables)
    previous_role = None
    for block in blocks:
        if block.role == "table":
            if previous_role != "table":
                table = next(pdf_tables, None)
                if table is not None:
                    out.append(Block(block.start, block.end, block.page, "table"))
                    rows[(block.start, block.end)] = [[(cell, block.start) for cell in row] for row in table.rows]
            previous_role = "table"
            continue
        previous_role = block.role
        found = find_text_tables(text, block.start, block.end) if block.role in ("body", "unknown", "caption") else []
        pos = block.start
        for t in found:
            if text[pos:t.start].strip():
                out.append(Block(pos, t.start, block.page, block.role))
            out.append(Block(t.start, t.end, block.page, "table"))
            rows[(t.start, t.end)] = [[(text[a:b], a) for a, b in row] for row in t.rows]
            pos = t.end
        if pos == block.start:
            out.append(block)
        elif text[pos:block.end].strip():
            out.append(Block(pos, block.end, block.page, "body"))
    return out, rows


def _table_passage(para: _Para) -> tuple[str, tuple[int, ...], list[tuple[int, int]]]:
    """A table's passage text (a row per line, cells joined by `` | ``), its offsets, and
    each row's span in it."""
    parts: list[str] = []
    offsets: list[int] = []
    spans = []
    for row in para.rows:
        row_start = sum(len(p) for p in parts)
        for i, (cell, raw_at) in enumerate(row):
            if i:
                parts.append(" | ")
                offsets.extend([offsets[-1] if offsets else raw_at] * 3)
            n = normalize(" ".join(cell.split()) if "\n" in cell else cell)
            parts.append(n.text)
            offsets.extend(raw_at + o for o in n.offsets[:-1])
        spans.append((row_start, sum(len(p) for p in parts)))
        parts.append("\n")
        offsets.append(offsets[-1] if offsets else 0)
    text = "".join(parts)
    return text, tuple(offsets + [offsets[-1] + 1 if offsets else 0]), spans


def _passage_text(raw_text: str, pieces: list[tuple[int, int]]):
    """Normalize the pieces as one text; offsets into ``raw_text``."""
    if len(pieces) == 1:
        s, e = pieces[0]
        n = normalize(raw_text[s:e])
        return n.text, tuple(o + s for o in n.offsets)
    joined_parts = []
    starts = []  # start of each piece in the joined text
    pos = 0
    for s, e in pieces:
        if joined_parts:
            joined_parts.append("\n")
            pos += 1
        starts.append(pos)
        joined_parts.append(raw_text[s:e])
        pos += e - s
    n = normalize("".join(joined_parts))
    offs = []
    for o in n.offsets:
        k = bisect.bisect_right(starts, o) - 1
        s, e = pieces[k]
        offs.append(min(s + (o - starts[k]), e))
    return n.text, tuple(offs)


def _evidence(raw_text: str, pieces: list[tuple[int, int]], a: int, b: int) -> str:
    parts = [raw_text[max(a, s) : min(b, e)] for s, e in pieces if max(a, s) < min(b, e)]
    return " ".join(" ".join(p.split()) for p in parts)


def segment(raw: RawDocument) -> SegmentedDocument:
    """Meta, passages and sentences of ``raw`` (see the module docstring)."""
    text = raw.text
    blocks, table_rows = _with_text_tables(raw, raw.blocks or (Block(0, len(text), None, "body"),))
    paras: list[_Para] = []
    dropped: list[str] = []
    section = "front"
    heading_text: str | None = None
    in_dropped: str | None = None
    open_para: _Para | None = None
    title_block: Block | None = None
    seen_heading = False
    main_number: str | None = None  # number of the last numbered main-section heading
    reference_spans: list[tuple[int, int]] = []

    def drop(name: str) -> None:
        if name not in dropped:
            dropped.append(name)

    for block in blocks:
        check()  # the document's time limit, per block
        s, e = block.start, block.end
        role = block.role
        if role in ("title", "heading"):
            md = _MD_MARK.match(text, s, e)
            if md:
                s = md.end()
        chunk = text[s:e]
        if not chunk.strip():
            continue
        if role == "title" and title_block is None and (raw.format == "pdf" or not seen_heading):
            title_block = block
            paras.append(_Para(s, e, "title", "heading", block.page, None))
            continue
        if role == "heading" or (role == "title" and title_block is not None):
            seen_heading = True
            open_para = None
            kind = classify_heading(chunk)
            if kind and kind[0] == "dropped":
                in_dropped = kind[1]
                drop(kind[1])
                if kind[1] == "references":
                    reference_spans.append((s, len(text)))
                continue
            number = _SECTION_NO.match(_MD_MARK.sub("", chunk.strip(), 1))
            if kind and kind[0] == "section" and number and number.group(2) and number.group(1) == main_number:
                kind = None  # "2.3 Experimental validation" under "2. Results": a part of the results
            elif kind and number:
                main_number = number.group(1)
            if kind:
                section = kind[1]
                in_dropped = None
            elif _EXPERIMENTAL_SUB.match(_heading_key(chunk)) and section in ("abstract", "introduction", "body"):
                section = "experimental"
                in_dropped = None
            elif section in ("abstract", "introduction") and _TOP_LEVEL_NUMBER.match(chunk.strip().lstrip("#").strip()):
                section = "body"  # "2. Carbon-based hosts": a new main section ends the introduction
                in_dropped = None
            elif in_dropped:
                continue
            elif section == "front":
                drop("front matter")  # journal banners, "PAPER", "Article"
                continue
            heading_text = _clean_title(chunk)
            paras.append(_Para(s, e, _public(section), "heading", block.page, heading_text))
            continue
        if role == "caption":
            paras.append(_Para(s, e, _public(section), "caption", block.page, heading_text))
            continue
        if role in ("footnote",):
            drop("front matter")
            continue
        if role == "table" and (s, e) in table_rows and not in_dropped:
            paras.append(_Para(s, e, _public(section), "table", block.page, heading_text, table_rows[(s, e)]))
            open_para = None
            continue
        if role in ("unknown", "table"):
            drop("figure and table text")  # text inside figures, table cells: no sentences
            continue
        if _AFFILIATION.match(chunk):
            drop("author information")
            continue
        label = _LABEL.match(chunk)
        if label and label.group(1).lower().startswith("key"):
            drop("keywords")
            continue
        if _is_reference_block(chunk):
            drop("references")
            in_dropped = "references"
            reference_spans.append((s, e))
            continue
        if in_dropped:
            if in_dropped == "references":
                reference_spans.append((s, e))
            continue
        if label:  # ABSTRACT: starts a paragraph of its own (never continues the open one,
            section = "abstract"  # whose sentence would then span the cut-out label)
            s = s + label.end()
            chunk = text[s:e]
            open_para = None
        elif section == "front":
            if not _is_prose(chunk):
                drop("front matter")
                continue
            section = "abstract"
        if open_para is not None and _continues(text[open_para.pieces[-1][0] : open_para.pieces[-1][1]], chunk):
            open_para.pieces.append((s, e))
            continue
        para = _Para(s, e, _public(section), "paragraph", block.page, heading_text)
        paras.append(para)
        open_para = para

    passages: list[Passage] = []
    sentences: list[Sentence] = []
    for para in paras:
        if para.role == "table":
            ptext, poffs, spans = _table_passage(para)
        else:
            ptext, poffs = _passage_text(text, para.pieces)
            spans = [(0, len(ptext))] if para.role == "heading" else split_sentences(ptext)
        if not ptext:
            continue
        pindex = len(passages)
        passages.append(Passage(pindex, para.section, para.role, ptext, poffs, para.page, para.heading))
        for k, (a, b) in enumerate(spans):
            raw_a, raw_b = poffs[a], poffs[b - 1] + 1
            sentences.append(
                Sentence(
                    passage=pindex,
                    index=len(sentences),
                    start=a,
                    end=b,
                    text=ptext[a:b],
                    raw_start=raw_a,
                    raw_end=raw_b,
                    evidence=ptext[a:b] if para.role == "table" else _evidence(text, para.pieces, raw_a, raw_b),
                    page=raw.page_at(raw_a) if raw.page_count else para.page,
                    section=para.section,
                    role=("table_header" if k == 0 else "table_row") if para.role == "table" else para.role,
                )
            )
    meta = _meta(raw, title_block, reference_spans)
    return SegmentedDocument(raw=raw, meta=meta, passages=tuple(passages), sentences=tuple(sentences), dropped=tuple(dropped))


def _public(section: str) -> str:
    return "body" if section == "front" else section


def _meta(raw: RawDocument, title_block: Block | None, reference_spans: list[tuple[int, int]]) -> PaperMeta:
    text = raw.text
    info = raw.meta or {}
    # the text outside the reference list
    if reference_spans:
        parts, pos = [], 0
        for s, e in sorted(reference_spans):
            if s > pos:
                parts.append(text[pos:s])
            pos = max(pos, e)
        parts.append(text[pos:])
        body = "\n".join(parts)
    else:
        body = text
    title = _clean_title(info["title"]) if _plausible_title(info.get("title")) else None
    if not title and title_block is not None:
        title = _clean_title(text[title_block.start : title_block.end]) or None
        if title and ("$" in title or "\\" in title or info.get("converter")):
            title = normalize(title).text
    doi = info.get("doi") or _find_doi(body)
    year = info.get("year") if isinstance(info.get("year"), int) else _find_year(body)
    journal = info.get("journal") or _find_journal(body)
    if not journal:
        m = _JOURNAL_LINE.match(str(info.get("subject") or ""))
        journal = m.group() if m and str(info["subject"])[m.end() : m.end() + 1] in ("", ",", ";", " ") else None
    authors = tuple(info.get("authors") or ())
    if not authors and title_block is not None:
        nxt = next((b for b in raw.blocks if b.start >= title_block.end), None)
        if nxt is not None:
            authors = _authors(text[nxt.start : nxt.end])
    return PaperMeta(title=title, doi=doi, year=year, journal=journal, authors=authors)


# ---------------------------------------------------------------- render


CLAUSE_SPLIT = re.compile(r"[;,]\s+|\s+(?:while|whereas|but|although)\s+|\s+and\s+(?=the\s)")


def clause_bounds(text: str, pos: int, splitter: re.Pattern = CLAUSE_SPLIT) -> tuple[int, int]:
    """Start and end of the clause of ``text`` around ``pos``: clauses are separated
    by commas, semicolons and contrast words (``while``, ``whereas``, ``but``)."""
    start, end = 0, len(text)
    for m in splitter.finditer(text):
        if m.end() <= pos:
            start = m.end()
        elif m.start() >= pos:
            end = m.start()
            break
    return start, end


def render_text(seg: SegmentedDocument) -> str:
    """The body text as analysed: ``## section`` marks, ``[caption]`` prefixes, no references."""
    out: list[str] = []
    section = None
    for p in seg.passages:
        if p.section == "title":
            out.append(f"# {p.text}")
            continue
        if p.section != section:
            section = p.section
            out.append(f"## {section}")
        if p.role == "heading":
            out.append(f"### {p.text}")
        elif p.role == "caption":
            out.append(f"[caption] {p.text}")
        else:
            out.append(p.text)
    return "\n\n".join(out) + ("\n" if out else "")


def render_layout(seg: SegmentedDocument, width: int = 100) -> str:
    """The loader's blocks, one a line, to see why a paper read badly: page, the block's
    role (``title``, ``heading``, ``body``, ``caption``, ``footnote``, ``table``, ``unknown``; page
    furniture the loader left out as ``header``/``footer``), the section the analysis put it
    in (``-`` when it was left out: references, front matter, text inside figures, table
    cells), and the start of its text."""
    raw = seg.raw
    starts = sorted((p.raw_start, p.raw_end, p.section) for p in seg.passages if p.offsets)
    keys = [s for s, _, _ in starts]

    def section_at(a: int, b: int) -> str:
        k = bisect.bisect_right(keys, b - 1) - 1
        for s, e, name in reversed(starts[max(0, k - 3): k + 1]):  # the passages starting last before b
            if s < b and e > a:
                return name
        return "-"

    rows: list[tuple[int, int, str, str, str]] = []
    for order, block in enumerate(raw.blocks):
        text = " ".join(raw.text[block.start:block.end].split())
        section = "-" if block.role in ("footnote", "unknown", "table") else section_at(block.start, block.end)
        rows.append((block.page or 0, order, block.role, section, text))
    for page, where, text in (raw.meta or {}).get("furniture", ()):
        rows.append((page, -1 if where == "header" else 10**9, where, "-", " ".join(text.split())))
    rows.sort(key=lambda r: (r[0], r[1]))
    out = []
    for page, _, role, section, text in rows:
        if len(text) > width:
            text = text[: width - 1] + "…"
        out.append(f"p{page or '-':<3} {role:<9} {section:<13} {text}")
    return "\n".join(out) + ("\n" if out else "")

"""Plain data passed between the pipeline stages.

Every stage takes and returns these small frozen dataclasses, so that a stage can
be tested on its own and its output turned into database rows or graph nodes
without knowing who made it.

Offsets: ``RawDocument.text`` is the text as loaded (evidence is cut from it).
Normalized text (what the NLP stages read) carries an ``offsets`` tuple that maps
every normalized character, plus one past the end, to a position in the raw text.
"""

from __future__ import annotations

from dataclasses import dataclass, field


# ---------------------------------------------------------------- load


@dataclass(frozen=True)
class Block:
    """A run of raw text the loader saw as one unit (a paragraph, a caption, a heading).

    ``start``/``end`` index ``RawDocument.text``. ``role`` is the loader's guess:
    ``title``, ``heading``, ``body``, ``caption``, ``footnote``, ``table`` (the cells of a
    table, see ``RawDocument.tables``) or ``unknown`` (text inside figures).
    ``page`` is 1-based, ``None`` for plain text files.
    """

    start: int
    end: int
    page: int | None = None
    role: str = "body"


@dataclass(frozen=True)
class TableCell:
    """One cell of a table read from a PDF page: its row and column (0-based, the header
    row first), its text, and its box in PDF points (origin at the page's lower left)."""

    row: int
    col: int
    text: str
    x0: float
    y0: float
    x1: float
    y1: float


@dataclass(frozen=True)
class Table:
    """A page region laid out as a table, under (or above) its ``Table N`` caption.
    ``caption`` is the caption's text; the cells' text also stays in ``RawDocument.text``
    as a block of role ``table`` (left out of sentence analysis)."""

    page: int
    caption: str | None
    cells: tuple[TableCell, ...]
    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def rows(self) -> list[list[str]]:
        """The cells' text as rows of columns ("" where a row has no cell)."""
        n_rows = 1 + max((c.row for c in self.cells), default=-1)
        n_cols = 1 + max((c.col for c in self.cells), default=-1)
        grid = [[""] * n_cols for _ in range(n_rows)]
        for c in self.cells:
            grid[c.row][c.col] = c.text
        return grid


@dataclass(frozen=True)
class RawDocument:
    """A loaded document: its raw text, the blocks it is made of, and where it came from."""

    name: str  # file name, not path
    path: str
    format: str  # pdf, txt, md, xml
    sha256: str
    text: str
    blocks: tuple[Block, ...]
    page_count: int | None = None
    meta: dict = field(default_factory=dict)  # loader-level metadata (pdf info dict, ...)
    tables: tuple[Table, ...] = ()  # tables found on PDF pages

    def page_at(self, offset: int) -> int | None:
        for block in self.blocks:
            if block.start <= offset < block.end:
                return block.page
        return None


# ---------------------------------------------------------------- normalize


@dataclass(frozen=True)
class Normalized:
    """Normalized text with a map back to the source: ``offsets[i]`` is the source index
    of normalized character ``i``; ``offsets[len(text)]`` is one past the last source char used."""

    text: str
    offsets: tuple[int, ...]

    def source_span(self, start: int, end: int) -> tuple[int, int]:
        """Source span covering normalized ``[start, end)``."""
        if end <= start:
            pos = self.offsets[start]
            return pos, pos
        return self.offsets[start], self.offsets[end - 1] + 1


# ---------------------------------------------------------------- segment


@dataclass(frozen=True)
class PaperMeta:
    title: str | None = None
    doi: str | None = None
    year: int | None = None
    journal: str | None = None
    authors: tuple[str, ...] = ()


@dataclass(frozen=True)
class Passage:
    """A logical paragraph, caption or heading with its normalized text.

    ``section`` is one of: ``title``, ``abstract``, ``introduction``, ``experimental``,
    ``results``, ``conclusions``, ``body`` (unknown), ``supporting``.
    ``role`` is ``paragraph``, ``caption`` or ``heading``.
    ``offsets`` maps each char of ``text`` (and one past the end) to ``RawDocument.text``.
    """

    index: int
    section: str
    role: str
    text: str
    offsets: tuple[int, ...]
    page: int | None = None
    heading: str | None = None  # the section heading as written

    @property
    def raw_start(self) -> int:
        return self.offsets[0] if self.offsets else 0

    @property
    def raw_end(self) -> int:
        return self.offsets[-1] if self.offsets else 0


@dataclass(frozen=True)
class Sentence:
    """A sentence of a passage. ``start``/``end`` index ``Passage.text`` (normalized);
    ``raw_start``/``raw_end`` index ``RawDocument.text``; ``evidence`` is the raw text
    it was read from, white space collapsed."""

    passage: int
    index: int  # position in the document, 0-based
    start: int
    end: int
    text: str
    raw_start: int
    raw_end: int
    evidence: str
    page: int | None = None
    section: str = "body"
    role: str = "paragraph"


@dataclass(frozen=True)
class SegmentedDocument:
    raw: RawDocument
    meta: PaperMeta
    passages: tuple[Passage, ...]
    sentences: tuple[Sentence, ...]
    dropped: tuple[str, ...] = ()  # names of parts left out of analysis (references, ...)


# ---------------------------------------------------------------- nlp / relate


@dataclass(frozen=True)
class Quantity:
    """A number with a unit found in text. ``value`` is in ``unit`` (canonical, from
    schema/vocab.toml); ``raw`` is the text as written; ``start``/``end`` index the
    text it was parsed from. ``low``/``high`` are set for ranges."""

    value: float
    unit: str  # canonical unit key, e.g. "mA/cm2", "mAh/g", "%", "h", "mV", "C", "degC", "cycles"
    dimension: str  # current_density, areal_capacity, specific_capacity, percent, time, voltage, ...
    raw: str
    start: int
    end: int
    qualifier: str = "eq"  # eq, approx, gt, lt, up_to
    low: float | None = None
    high: float | None = None
    uncertainty: float | None = None
    raw_value: float | None = None  # number as written, before conversion
    raw_unit: str | None = None  # unit as written


@dataclass(frozen=True)
class Mention:
    """A material or host mention in a sentence (char span in the sentence text)."""

    text: str
    start: int
    end: int
    label: str  # MATERIAL, HOST, CATHODE, ELECTROLYTE, CONTROL
    norm: str  # normalized key for matching


@dataclass(frozen=True)
class Host:
    name: str
    kind: str  # host, variant, control, cited
    aliases: tuple[str, ...] = ()
    components: tuple[str, ...] = ()
    has_figures: bool | None = None
    evidence: str | None = None
    sentence: int | None = None


@dataclass(frozen=True)
class SynthesisStep:
    order: int
    method: str
    precursors: tuple[str, ...] = ()
    conditions: str | None = None
    temperature_c: float | None = None
    duration_h: float | None = None
    atmosphere: str | None = None
    evidence: str | None = None
    sentence: int | None = None


@dataclass(frozen=True)
class SynthesisRoute:
    host: str
    steps: tuple[SynthesisStep, ...]
    evidence: str | None = None


@dataclass(frozen=True)
class CellTest:
    """Conditions under which a figure was measured."""

    cell_type: str | None = None  # symmetric, half, full, pouch
    current_density: float | None = None  # mA/cm2
    areal_capacity: float | None = None  # mAh/cm2
    c_rate: float | None = None  # C
    cycles: float | None = None
    cathode: str | None = None
    electrolyte: str | None = None
    temperature: float | None = None  # degC


@dataclass(frozen=True)
class Measurement:
    host: str
    metric: str
    value: float
    unit: str
    qualifier: str
    conditions: CellTest
    raw: str  # the quantity as written
    sentence: int  # Sentence.index
    start: int  # span of the quantity in the sentence's normalized text
    end: int
    evidence: str


@dataclass(frozen=True)
class Property:
    material: str
    property: str
    value: float
    unit: str
    qualifier: str = "eq"
    note: str | None = None
    raw: str = ""
    sentence: int | None = None
    evidence: str = ""


@dataclass(frozen=True)
class Extraction:
    """Everything extracted from one document."""

    hosts: tuple[Host, ...] = ()
    synthesis: tuple[SynthesisRoute, ...] = ()
    measurements: tuple[Measurement, ...] = ()
    properties: tuple[Property, ...] = ()

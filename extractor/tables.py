"""Tables written as text: rows of cells split by pipes (Markdown, ``A | B | C``) or tabs.

A converter's Markdown keeps a paper's tables as pipe tables; a text export keeps them as
tab-separated lines. Both are a run of lines that split into the same number of cells, the
first line the header. :func:`find_text_tables` finds them with the character span of
every cell, so a figure read from a cell points back at it.

PDF tables are read from the page geometry by the loader (``RawDocument.tables``); this
module is for text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_SEPARATOR_ROW = re.compile(r"\s*\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?\s*")  # |---|:--:|


@dataclass(frozen=True)
class TextTable:
    """A table found in text: ``rows[0]`` is the header; each row is its cells' spans
    ``(start, end)`` in the text, stripped of padding."""

    start: int
    end: int
    rows: tuple[tuple[tuple[int, int], ...], ...]


_SINGLE_PIPE = re.compile(r"(?<!\|)\|(?!\|)")  # a column bar, not the "||" of a cell notation


def _cells(text: str, start: int, end: int, delimiter: str) -> tuple[tuple[int, int], ...]:
    spans = []
    pos = start
    line = text[start:end]
    parts = _SINGLE_PIPE.split(line) if delimiter == "|" else line.split(delimiter)
    if delimiter == "|":  # "| a | b |": the outer pipes open and close the row
        if parts and not parts[0].strip():
            pos += len(parts[0]) + 1
            parts = parts[1:]
        if parts and not parts[-1].strip():
            parts = parts[:-1]
    for part in parts:
        lead = len(part) - len(part.lstrip())
        spans.append((pos + lead, pos + len(part.rstrip())))
        pos += len(part) + len(delimiter)
    return tuple(spans)


def _delimiter(line: str) -> str | None:
    if line.count("\t") >= 2:
        return "\t"
    if len(_SINGLE_PIPE.findall(line)) >= 2:
        return "|"  # "Li||Cu" is a cell, not two columns
    return None


_HTML_TABLE = re.compile(r"<table\b[^>]*>(.*?)</table>", re.I | re.S)
_HTML_ROW = re.compile(r"<tr\b[^>]*>(.*?)</tr>", re.I | re.S)
_HTML_CELL = re.compile(r"<t([dh])\b[^>]*>(.*?)</t\1>", re.I | re.S)


def _html_tables(text: str, start: int, end: int) -> list[TextTable]:
    """``<table><tr><td>…`` (MinerU's tables): a row per ``<tr>``, a cell per ``<td>``/``<th>``."""
    out = []
    for t in _HTML_TABLE.finditer(text, start, end):
        rows = []
        for r in _HTML_ROW.finditer(text, t.start(1), t.end(1)):
            cells = []
            for c in _HTML_CELL.finditer(text, r.start(1), r.end(1)):
                a, b = c.start(2), c.end(2)
                while a < b and text[a].isspace():
                    a += 1
                while b > a and text[b - 1].isspace():
                    b -= 1
                cells.append((a, b))
            if cells:
                rows.append(tuple(cells))
        width = len(rows[0]) if rows else 0
        if width >= 2 and len(rows) >= 2 and all(len(r) == width for r in rows):
            out.append(TextTable(t.start(), t.end(), tuple(rows)))
    return out


def find_text_tables(text: str, start: int = 0, end: int | None = None) -> list[TextTable]:
    """Tables in ``text[start:end]``: HTML tables, and three or more consecutive lines (a
    header and two rows at least) that split by one delimiter into the same number of
    cells, three or more, with a digit in most body rows."""
    end = len(text) if end is None else end
    if "<table" in text[start:end].lower():
        return _html_tables(text, start, end)
    lines = []
    pos = start
    for line in text[start:end].split("\n"):
        lines.append((pos, pos + len(line)))
        pos += len(line) + 1
    tables: list[TextTable] = []
    i = 0
    while i < len(lines):
        s, e = lines[i]
        delimiter = _delimiter(text[s:e])
        if delimiter is None:
            i += 1
            continue
        width = len(_cells(text, s, e, delimiter))
        rows, j = [], i
        while j < len(lines):
            ls, le = lines[j]
            line = text[ls:le]
            if delimiter == "|" and _SEPARATOR_ROW.fullmatch(line):
                j += 1
                continue
            if _delimiter(line) != delimiter:
                break
            cells = _cells(text, ls, le, delimiter)
            if len(cells) != width:
                break
            rows.append(cells)
            j += 1
        body = rows[1:]
        numeric = sum(any(re.search(r"\d", text[a:b]) for a, b in row) for row in body)
        if width >= 3 and len(body) >= 2 and numeric * 2 >= len(body):
            tables.append(TextTable(lines[i][0], lines[j - 1][1], tuple(rows)))
            i = j
        else:
            i = max(j, i + 1)
    return tables

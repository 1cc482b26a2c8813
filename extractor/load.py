"""Load a document into a ``RawDocument``: dispatch by suffix after sniffing the bytes.

- ``.pdf``  → ``load_pdf.load_pdf`` (imported on first use); the bytes must carry ``%PDF``.
- ``.txt``, ``.md`` → ``load_text``; decoded as UTF-8 (BOM allowed), else UTF-16/32 by
  BOM, else cp1252, else latin-1. ``meta["encoding"]`` records the codec used, and
  ``meta["encoding_fallback"]`` is true when the text was not valid UTF-8/16/32.
- ``.xml`` → JATS or TEI (GROBID) full text through ``xml.etree``: titles, section
  titles, paragraphs, figure/table captions and the reference list become blocks.

Named failures (``LoadError.reason``): ``not_found``, ``empty_file``, ``too_large``,
``not_a_pdf``, ``binary_content``, ``no_text``, ``bad_xml``; an unknown suffix raises
``UnsupportedFormat``.
"""

from __future__ import annotations

import codecs
import hashlib
import re
import xml.etree.ElementTree as ET
from pathlib import Path

from .errors import LoadError, UnsupportedFormat
from .load_text import load_text
from .types import Block, RawDocument

__all__ = ["load", "decode", "MAX_BYTES"]

MAX_BYTES = 200 * 1024 * 1024
_TEXT_SUFFIXES = {".txt": "txt", ".md": "md", ".markdown": "md", ".xml": "xml", ".pdf": "pdf"}
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def load(path: str | Path, *, max_bytes: int = MAX_BYTES) -> RawDocument:
    """Read ``path`` into a ``RawDocument``; raise ``LoadError`` with a reason code."""
    p = Path(path)
    suffix = p.suffix.lower()
    fmt = _TEXT_SUFFIXES.get(suffix)
    if fmt is None:
        raise UnsupportedFormat(str(p), suffix or p.name)
    try:
        size = p.stat().st_size
    except FileNotFoundError:
        raise LoadError(str(p), "not_found", "no such file") from None
    if size == 0:
        raise LoadError(str(p), "empty_file", "0 bytes")
    if size > max_bytes:
        raise LoadError(str(p), "too_large", f"{size} bytes > limit of {max_bytes} bytes")
    data = p.read_bytes()
    if fmt == "pdf":
        if b"%PDF" not in data[:1024]:
            raise LoadError(str(p), "not_a_pdf", f"starts with {data[:8]!r}, not %PDF")
        from .load_pdf import load_pdf  # heavy (pdfplumber); only when a PDF comes

        return load_pdf(p)
    digest = hashlib.sha256(data).hexdigest()
    if fmt == "xml":
        return _load_xml(p, data, digest)
    text, encoding, fallback = decode(data)
    _check_text(p, text)
    meta = {"encoding": encoding}
    if fallback:
        meta["encoding_fallback"] = True
    return load_text(p, text, fmt=fmt, sha256=digest, meta=meta)


def decode(data: bytes) -> tuple[str, str, bool]:
    """``(text, codec, fell_back)``: UTF-8/16/32 by BOM, UTF-8, BOM-less UTF-16, cp1252, latin-1."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(codec), codec, False
            except UnicodeDecodeError:
                break
    try:
        return data.decode("utf-8"), "utf-8", False
    except UnicodeDecodeError:
        pass
    sample = data[:4096]
    if len(sample) >= 4 and sample.count(0) >= len(sample) // 4:
        odd_nuls = sample[1::2].count(0)
        even_nuls = sample[0::2].count(0)
        codec = "utf-16-le" if odd_nuls > even_nuls else "utf-16-be"
        try:
            return data.decode(codec), codec, False
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("cp1252"), "cp1252", True
    except UnicodeDecodeError:
        return data.decode("latin-1"), "latin-1", True


def _check_text(p: Path, text: str) -> None:
    if "\x00" in text:
        raise LoadError(str(p), "binary_content", f"NUL characters at offset {text.index(chr(0))}")
    sample = text[:65536]
    controls = len(_CONTROL.findall(sample))
    if sample and controls / len(sample) > 0.02:
        raise LoadError(str(p), "binary_content", f"{controls} control characters in the first {len(sample)}")
    if not text.strip():
        raise LoadError(str(p), "no_text", "only white space")


# ---------------------------------------------------------------- XML (JATS, TEI)

_SUP = str.maketrans("0123456789+-−()=", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁻⁽⁾⁼")


def _local(tag) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


class _Builder:
    """Collects text and blocks while walking an XML tree."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.blocks: list[Block] = []
        self.length = 0

    def add(self, text: str, role: str) -> None:
        text = re.sub(r"[ \t\r\n]+", " ", text).strip()
        if not text:
            return
        if self.parts:
            self.parts.append("\n\n")
            self.length += 2
        self.blocks.append(Block(self.length, self.length + len(text), None, role))
        self.parts.append(text)
        self.length += len(text)

    def text(self) -> str:
        return "".join(self.parts)


_SKIP_INLINE = {"fig", "table-wrap", "table", "tex-math", "graphic", "figure", "disp-formula-group", "annotation"}


def _inline(el) -> str:
    """Text of an element: sub/superscripts as Unicode where possible, MathML flattened."""
    out: list[str] = []

    def walk(e) -> None:
        tag = _local(e.tag)
        if tag in _SKIP_INLINE:
            if e.tail:
                out.append(e.tail)
            return
        if tag in ("sup", "msup") and tag == "sup":
            inner = "".join(e.itertext())
            trans = inner.translate(_SUP)
            out.append(trans if all(c in "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁽⁾⁼" for c in trans) else inner)
        elif tag == "msup" and len(e) == 2:
            walk_children(e[0])
            sup = "".join(e[1].itertext())
            trans = sup.translate(_SUP)
            out.append(trans if all(c in "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁽⁾⁼" for c in trans) else sup)
        elif tag == "alternatives":
            for child in e:
                if _local(child.tag) == "math":
                    walk(child)
                    break
            else:
                for child in e:
                    walk(child)
        else:
            if e.text:
                out.append(e.text)
            for child in e:
                walk(child)
        if e.tail:
            out.append(e.tail)

    def walk_children(e) -> None:
        if e.text:
            out.append(e.text)
        for child in e:
            walk(child)

    walk_children(el)
    return "".join(out)


def _jats(article, b: _Builder, meta: dict) -> None:
    front = next((e for e in article.iter() if _local(e.tag) == "article-meta"), None)
    for e in article.iter():
        tag = _local(e.tag)
        if tag == "journal-title" and "journal" not in meta:
            meta["journal"] = " ".join("".join(e.itertext()).split())
        elif tag == "article-id" and e.get("pub-id-type") == "doi":
            meta.setdefault("doi", (e.text or "").strip())
        elif tag == "pub-date" and "year" not in meta:
            year = next((c.text for c in e if _local(c.tag) == "year"), None)
            if year and year.strip().isdigit():
                meta["year"] = int(year.strip())
    if front is not None:
        title = next((e for e in front.iter() if _local(e.tag) == "article-title"), None)
        if title is not None:
            b.add(_inline(title), "title")
            meta["title"] = " ".join(_inline(title).split())
        authors = []
        for contrib in front.iter():
            if _local(contrib.tag) == "contrib" and contrib.get("contrib-type") == "author":
                given = next((e.text or "" for e in contrib.iter() if _local(e.tag) == "given-names"), "")
                surname = next((e.text or "" for e in contrib.iter() if _local(e.tag) == "surname"), "")
                if surname:
                    authors.append(f"{given} {surname}".strip())
        if authors:
            meta["authors"] = authors
        for abstract in (e for e in front.iter() if _local(e.tag) == "abstract"):
            b.add("Abstract", "heading")
            _jats_section(abstract, b, skip_title=True)
    for part in ("body", "back"):
        el = next((e for e in article if _local(e.tag) == part), None)
        if el is not None:
            _jats_section(el, b)


def _jats_section(el, b: _Builder, skip_title: bool = False) -> None:
    for child in el:
        tag = _local(child.tag)
        if tag in ("title",) and not skip_title:
            b.add(_inline(child), "heading")
        elif tag == "p":
            b.add(_inline(child), "body")
            for sub in child:
                if _local(sub.tag) in ("fig", "table-wrap"):
                    _jats_caption(sub, b)
        elif tag in ("fig", "table-wrap"):
            _jats_caption(child, b)
        elif tag in ("sec", "ack", "app", "app-group", "list", "list-item", "boxed-text", "fn-group", "fn", "notes"):
            if tag == "ack" and not any(_local(c.tag) == "title" for c in child):
                b.add("Acknowledgements", "heading")
            _jats_section(child, b)
        elif tag == "ref-list":
            title = next((c for c in child if _local(c.tag) == "title"), None)
            b.add(_inline(title) if title is not None else "References", "heading")
            for ref in child.iter():
                if _local(ref.tag) in ("mixed-citation", "element-citation"):
                    b.add(" ".join(t.strip() for t in ref.itertext() if t.strip()), "body")
        elif tag == "disp-formula":
            b.add(_inline(child), "body")


def _jats_caption(el, b: _Builder) -> None:
    label = next((c for c in el if _local(c.tag) == "label"), None)
    caption = next((c for c in el if _local(c.tag) == "caption"), None)
    text = " ".join(x for x in ((_inline(label) if label is not None else ""), (_inline(caption) if caption is not None else "")) if x)
    if text.strip():
        b.add(text, "caption")


def _tei(root, b: _Builder, meta: dict) -> None:
    header = next((e for e in root.iter() if _local(e.tag) == "teiHeader"), None)
    if header is not None:
        for e in header.iter():
            tag = _local(e.tag)
            if tag == "title" and e.get("type") == "main" and "title" not in meta and e.get("level") in ("a", None):
                meta["title"] = " ".join("".join(e.itertext()).split())
                b.add(meta["title"], "title")
            elif tag == "title" and e.get("level") == "j" and "journal" not in meta:
                meta["journal"] = " ".join("".join(e.itertext()).split())
            elif tag == "idno" and (e.get("type") or "").upper() == "DOI":
                meta.setdefault("doi", (e.text or "").strip())
            elif tag == "date" and e.get("type") == "published" and "year" not in meta:
                m = re.match(r"(\d{4})", e.get("when") or "")
                if m:
                    meta["year"] = int(m.group(1))
        for abstract in (e for e in header.iter() if _local(e.tag) == "abstract"):
            b.add("Abstract", "heading")
            _tei_div(abstract, b)
    text = next((e for e in root.iter() if _local(e.tag) == "text"), None)
    if text is not None:
        for part in text:
            _tei_div(part, b)


def _tei_div(el, b: _Builder) -> None:
    for child in el:
        tag = _local(child.tag)
        if tag == "head":
            n = child.get("n")
            b.add(f"{n} {_inline(child)}" if n else _inline(child), "heading")
        elif tag == "p":
            b.add(_inline(child), "body")
        elif tag == "figure":
            head = " ".join(_inline(c) for c in child if _local(c.tag) in ("head", "label"))
            desc = " ".join(_inline(c) for c in child if _local(c.tag) == "figDesc")
            b.add(f"{head} {desc}", "caption")
        elif tag == "listBibl":
            b.add("References", "heading")
            for bib in child:
                b.add(" ".join(t.strip() for t in bib.itertext() if t.strip()), "body")
        elif tag == "div":
            if child.get("type") in ("acknowledgement", "acknowledgment") and not any(_local(c.tag) == "head" for c in child):
                b.add("Acknowledgements", "heading")
            _tei_div(child, b)
        elif tag in ("body", "back", "front", "div"):
            _tei_div(child, b)


def _load_xml(p: Path, data: bytes, digest: str) -> RawDocument:
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise LoadError(str(p), "bad_xml", str(exc)) from None
    b = _Builder()
    meta: dict = {}
    article = root if _local(root.tag) == "article" else next((e for e in root.iter() if _local(e.tag) == "article"), None)
    if article is not None:
        meta["xml_schema"] = "jats"
        _jats(article, b, meta)
    elif _local(root.tag) in ("TEI", "teiCorpus"):
        meta["xml_schema"] = "tei"
        _tei(root, b, meta)
    else:
        meta["xml_schema"] = _local(root.tag)
        for e in root.iter():
            if _local(e.tag) in ("p", "para", "title", "head"):
                b.add(_inline(e), "heading" if _local(e.tag) in ("title", "head") else "body")
    text = b.text()
    if not text.strip():
        raise LoadError(str(p), "no_text", f"no paragraphs found in <{_local(root.tag)}>")
    return RawDocument(name=p.name, path=str(p), format="xml", sha256=digest, text=text, blocks=tuple(b.blocks), meta=meta)

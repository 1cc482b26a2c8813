"""Hand-made pipeline objects for tests that store documents without loading files."""

from __future__ import annotations

import hashlib

from extractor.types import Block, PaperMeta, Passage, RawDocument, SegmentedDocument, Sentence


def segmented(name: str, sentences, meta: PaperMeta, *, sha256: str | None = None,
              dropped: tuple[str, ...] = ()) -> SegmentedDocument:
    """One results passage per sentence; normalized text equals raw text (identity offsets)."""
    text, blocks, passages, sents = "", [], [], []
    for i, s in enumerate(sentences):
        start = len(text)
        text += s + "\n\n"
        end = start + len(s)
        blocks.append(Block(start, end, None, "body"))
        passages.append(Passage(index=i, section="results", role="paragraph", text=s,
                                offsets=tuple(range(start, end + 1))))
        sents.append(Sentence(passage=i, index=i, start=0, end=len(s), text=s, raw_start=start,
                              raw_end=end, evidence=s, section="results"))
    raw = RawDocument(name=name, path=f"/corpus/{name}", format="txt",
                      sha256=sha256 or hashlib.sha256(text.encode()).hexdigest(), text=text,
                      blocks=tuple(blocks))
    return SegmentedDocument(raw=raw, meta=meta, passages=tuple(passages), sentences=tuple(sents),
                             dropped=dropped)

"""Where a paper reports its own results: result sections, results read as introduction
when their heading was not found, and whether the paper is a review."""

from __future__ import annotations

import re
from dataclasses import replace

from ..types import (
    SegmentedDocument,
    Sentence,
)

# Sections whose numbers are results. Introductions cite other work; methods state
# how things were made and tested (read for document-wide conditions instead).
RESULT_SECTIONS = {"abstract", "results", "conclusions", "body", "title"}


_REVIEW_TITLE = re.compile(r"\b(?:review|progress|perspectives?|overview|survey|recent advances|state of the art)\b", re.I)


_REVIEW_ABSTRACT = re.compile(r"\b(?:this|the present|our)\s+(?:mini-?)?(?:review|perspective|overview)\b|\bwe (?:review|summari[sz]e)\b", re.I)


def is_review(seg: SegmentedDocument) -> bool:
    """A review reports other works' designs: its title says so, or its abstract does."""
    if seg.meta.title and _REVIEW_TITLE.search(seg.meta.title):
        return True
    return any(_REVIEW_ABSTRACT.search(s.text) for s in seg.sentences if s.section == "abstract")


# A reference to one of the paper's own result figures: "Fig. 5(a) shows", "(Figure 3b)".
# Figure 1 and schemes are left out: introductions show them.
_OWN_FIGURE = re.compile(r"\b(?:Fig(?:ure)?s?\.?)\s*(?:[2-9]|\d\d)\s*(?:\(?[a-j]\b|\))?")


def _results_read_as_introduction(sentences: list[Sentence]) -> list[Sentence]:
    """Sentences with the section the paper meant when its results heading was not found.

    A paper always has results; when none was recognised (a heading set in body type,
    an unusual name) and the introduction runs on into passages that discuss the
    paper's own figures, those passages and the ones after them are results."""
    if any(s.section == "results" for s in sentences):
        return sentences
    intro = [s for s in sentences if s.section == "introduction" and s.role != "caption"]
    first = next((s.passage for s in intro if _OWN_FIGURE.search(s.text)), None)
    if first is None:
        return sentences
    return [replace(s, section="results") if s.section == "introduction" and s.passage >= first else s
            for s in sentences]

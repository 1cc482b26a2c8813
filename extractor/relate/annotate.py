"""What the rules found, as spans on each sentence's spaCy ``Doc``.

The pipeline's components put quantities and material names on the Doc; once a
document's host table is known (it needs the whole document), this stage adds

- ``doc.spans["hosts"]``: mentions of the paper's designs and controls, labelled by
  host-table entry;
- ``doc.spans["host_references"]``: generic references to the paper's design ("the
  composite anode", "our design");
- ``doc.spans["metric_cues"]``: the words that name a metric, labelled by metric
  (cues of ``schema/vocab.toml``);
- ``doc.spans["conditions"]``: cell-type cues and cathodes, labelled ``cell:<type>`` or
  ``cathode:<formula>``.

Cues and conditions are set on sentences that carry a quantity (the only ones with
figures to relate); hosts and references on every sentence.

The rules read all of these back from the Doc (:func:`host_mentions`, :func:`cues`), so a
span seen in a notebook (``doc.spans["hosts"]``, ``doc.spans["metric_cues"]``) is what the
rules used. Spans snap to token boundaries (``Cu`` in ``Li||Cu`` is the whole token); the
exact character offsets the rules need are kept beside them in ``doc._.host_mentions`` and
``doc._.cues``.
"""

from __future__ import annotations

from spacy.tokens import Doc

if not Doc.has_extension("host_mentions"):
    Doc.set_extension("host_mentions", default=())
if not Doc.has_extension("cues"):
    Doc.set_extension("cues", default=None)

from .cues import CATHODE, CELL, METRIC, Cues, DefinedCues
from .hosts import GENERIC_REFERENCE, HostTable


def _char_spans(doc: Doc, found: list[tuple[int, int, str]]):
    spans = []
    for start, end, label in found:
        span = doc.char_span(start, end, label=label, alignment_mode="expand")
        if span is not None:
            spans.append(span)
    return spans


def annotate(doc: Doc, table: HostTable, text: str | None = None) -> Doc:
    """Set the hosts, host references, metric cues and condition spans of one sentence
    (``text``: the Doc's text when the caller has it, which saves joining its tokens)."""
    text = doc.text if text is None else text
    mentions = table.mentions(text)
    doc._.host_mentions = tuple(mentions)
    doc.spans["hosts"] = _char_spans(doc, [(s, e, k) for k, s, e in mentions])
    doc.spans["host_references"] = _char_spans(doc, [(m.start(), m.end(), "MAIN") for m in GENERIC_REFERENCE.finditer(text)])
    if not doc._.quantities:
        return doc  # cues and conditions matter only where there are numbers to relate
    cues = doc._.cues = Cues.of(text, table.defined_cues, dimensions=frozenset(q.dimension for q in doc._.quantities))
    doc.spans["metric_cues"] = _char_spans(doc, [(c.start, c.end, c.name) for c in cues.find(METRIC)])
    doc.spans["conditions"] = _char_spans(doc, [(c.start, c.end, f"{c.kind}:{c.name}") for c in cues.cues
                                                if c.kind in (CELL, CATHODE)])
    return doc


def cues(doc: Doc, defined: DefinedCues | None = None) -> Cues:
    """The cue words :func:`annotate` found on ``doc`` (exact character offsets; the
    spans in ``doc.spans["metric_cues"]`` and ``["conditions"]`` snap to tokens); found
    now, with the paper's ``defined`` short forms, on a sentence without numbers."""
    if doc._.cues is None:  # a sentence without numbers: its cells and cathodes are what matters
        doc._.cues = Cues.of(doc.text, defined, metrics=bool(doc._.quantities))
    return doc._.cues


def host_mentions(doc: Doc) -> list[tuple[str, int, int]]:
    """The host mentions :func:`annotate` put on ``doc``: ``(entry key, start, end)`` in
    character offsets of the sentence, left to right."""
    return list(doc._.host_mentions)

"""spaCy components of the hostkb pipeline. Each is thin: a pure rule function
(``match``) over the Doc's text, then ``set_annotations`` on the Doc.

Registered factories (use with ``nlp.add_pipe(name)`` on ``spacy.blank("en")``):

- ``hostkb_quantities``: numbers with units → ``doc._.quantities`` (tuple of
  ``types.Quantity``) and ``doc.spans["quantities"]`` labelled by dimension.
- ``hostkb_materials``: abbreviation definitions → ``doc._.abbreviations``; material
  names (formulas, composites, defined abbreviations) and cathodes →
  ``doc.spans["materials"]`` labelled ``MATERIAL`` or ``CATHODE``.
"""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc

from . import materials as mat
from .quantities import parse_quantities

for _name, _default in (("quantities", ()), ("abbreviations", ())):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=_default)


def _spans(doc: Doc, found, label_of):
    spans = []
    for item in found:
        span = doc.char_span(item[0], item[1], label=label_of(item), alignment_mode="expand")
        if span is not None:
            spans.append(span)
    return spans


class QuantityRecognizer:
    def __init__(self, nlp: Language, name: str):
        self.name = name

    @staticmethod
    def match(text: str):
        return tuple(parse_quantities(text))

    def set_annotations(self, doc: Doc, quantities) -> None:
        doc._.quantities = quantities
        doc.spans["quantities"] = _spans(doc, [(q.start, q.end, q.dimension) for q in quantities], lambda t: t[2])

    def __call__(self, doc: Doc) -> Doc:
        text = doc.user_data.get("hostkb_text") or doc.text
        doc.user_data["hostkb_text"] = text  # joining the tokens again costs as much as a rule pass
        self.set_annotations(doc, self.match(text))
        return doc


# Material names carry a capital letter (formulas, abbreviations, composites): only
# such words are looked at.
_WORD = re.compile(r"(?<![\w.@/\-–+])[a-z0-9]*[A-Z][\w.@/\-–+]*[\w+]")


class MaterialRecognizer:
    def __init__(self, nlp: Language, name: str):
        self.name = name

    @staticmethod
    def match(text: str):
        abbreviations = tuple(mat.find_abbreviations(text))
        shorts = frozenset(a.short for a in abbreviations)
        found = [(s, e, "CATHODE") for _, s, e in mat.find_cathodes(text)]
        taken = {i for s, e, _ in found for i in range(s, e)}
        for m in _WORD.finditer(text):
            if m.start() in taken:
                continue
            if mat.is_material_token(m.group(0), shorts):
                found.append((m.start(), m.end(), "MATERIAL"))
        return abbreviations, sorted(found)

    def set_annotations(self, doc: Doc, result) -> None:
        abbreviations, found = result
        doc._.abbreviations = abbreviations
        doc.spans["materials"] = _spans(doc, found, lambda t: t[2])

    def __call__(self, doc: Doc) -> Doc:
        text = doc.user_data.get("hostkb_text") or doc.text
        self.set_annotations(doc, self.match(text))
        return doc


@Language.factory("hostkb_quantities", assigns=["doc._.quantities", "doc.spans"])
def make_quantities(nlp: Language, name: str):
    return QuantityRecognizer(nlp, name)


@Language.factory("hostkb_materials", assigns=["doc._.abbreviations", "doc.spans"])
def make_materials(nlp: Language, name: str):
    return MaterialRecognizer(nlp, name)

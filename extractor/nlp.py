"""The hostkb spaCy pipeline: ``spacy.blank("en")`` plus hostkb's own components.

No pretrained model is needed (or downloadable): tokenization is spaCy's rule-based
English tokenizer; everything else is hostkb's rules (see components.py).
"""

from __future__ import annotations

from functools import lru_cache

import spacy
from spacy.language import Language

from . import components  # noqa: F401  (registers the factories)

PIPES = ("hostkb_quantities", "hostkb_materials")


def make_nlp(pipes: tuple[str, ...] = PIPES) -> Language:
    nlp = spacy.blank("en")
    for name in pipes:
        nlp.add_pipe(name)
    return nlp


@lru_cache(maxsize=1)
def nlp() -> Language:
    """The shared pipeline (built once per process)."""
    return make_nlp()

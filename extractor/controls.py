"""Controls under one name across papers.

Papers name the same bare substrate in many ways ("bare Cu foil", "planar Cu",
"commercial Cu foil", "Cu"). ``canonical_control`` gives the canonical name of
``schema/vocab.toml`` ``[controls]`` ("Cu foil") for such a name, or None when the name
is not a bare substrate (a variant such as "NHC" stays as the paper names it).
``store.save_document`` stores a control under its canonical name with the paper's name
as its first alias; ``paper_name`` gives that name back (``hostkb export`` writes it).
"""

from __future__ import annotations

import re

from .vocab import vocabulary

__all__ = ["canonical_control", "paper_name"]

_WORD = re.compile(r"[^\s]+")


def canonical_control(name: str) -> str | None:
    """"bare Cu foil" -> "Cu foil", "planar Cu" -> "Cu foil", "pristine Li foils" ->
    "Li foil", "commercial carbon paper" -> "carbon paper"; None for anything else."""
    vocab = vocabulary()
    words = _WORD.findall(name or "")
    while words and words[0].casefold() in vocab.control_modifiers:
        words = words[1:]
    rest = " ".join(words)
    if not rest:
        return None
    for canonical, pattern in vocab.controls.items():
        if pattern.fullmatch(rest):
            return canonical
    return None


def paper_name(name: str, kind: str, aliases: list[str]) -> str:
    """The name the paper uses for a stored host: a control stored under its canonical
    name has the paper's own name as its first alias."""
    if kind == "control" and aliases and aliases[0] != name and canonical_control(aliases[0]) == name:
        return aliases[0]
    return name

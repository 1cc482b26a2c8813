"""The vocabularies of schema/vocab.toml, loaded once and read-only.

Metrics, units, synthesis methods, cell types and property names are data; this
module only reads them and offers small lookups over them.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from importlib.resources import files
from pathlib import Path

from .errors import UnknownMetric, VocabularyError


def schema_dir() -> Path:
    """Directory of the installed ``schema/`` folder (SQL and vocabularies)."""
    try:
        return Path(str(files("extractor.schema")))
    except ModuleNotFoundError:  # running from a source checkout without install
        return Path(__file__).resolve().parent.parent / "schema"


SCHEMA_VERSION = "1"  # of the database layout; a database of another version is refused
SCHEMA_FILES = ("schema.sql", "graph.sql", "indexes.sql", "ranking.sql", "vocab.toml")


def schema_fingerprint() -> str:
    """SHA-256 over the bytes of the schema files (``SCHEMA_FILES``): stored in a
    database's meta table when its schema is applied, so that a database made with
    other files gets this installation's tables, views, indexes and metrics applied
    when next opened, and one made with these is opened without writing."""
    h = hashlib.sha256()
    d = schema_dir()
    for name in SCHEMA_FILES:
        h.update(name.encode() + b"\0" + (d / name).read_bytes() + b"\0")
    return h.hexdigest()


@dataclass(frozen=True)
class Unit:
    key: str
    pint: str
    dimension: str


@dataclass(frozen=True)
class Metric:
    name: str
    unit: str
    better: str  # higher | lower
    dimension: str
    label: str
    cues: tuple[re.Pattern, ...]
    plausible: tuple[float, float] = (float("-inf"), float("inf"))

    def is_plausible(self, value: float) -> bool:
        """Whether ``value`` (in the metric's unit) can be a figure of merit at all."""
        return self.plausible[0] <= value <= self.plausible[1]


@dataclass(frozen=True)
class Method:
    name: str
    cues: tuple[re.Pattern, ...]


@dataclass(frozen=True)
class CellType:
    name: str
    label: str
    cues: tuple[re.Pattern, ...]


@dataclass(frozen=True)
class PropertyName:
    name: str
    unit: str
    cues: tuple[re.Pattern, ...]


@dataclass(frozen=True)
class Vocabulary:
    units: dict[str, Unit]
    metrics: dict[str, Metric]
    methods: dict[str, Method]
    cell_types: dict[str, CellType]
    properties: dict[str, PropertyName]
    cathodes: dict[str, str]  # short name (case-folded, no spaces or hyphens) -> formula
    controls: dict[str, re.Pattern] = field(default_factory=dict)  # canonical substrate -> whole-name pattern
    control_modifiers: frozenset[str] = frozenset()  # words dropped before matching (case-folded)
    material_names: dict[str, str] = field(default_factory=dict)  # "silver" -> "Ag", "alumina" -> "Al2O3"

    def cathode(self, name: str) -> str:
        """``LFP`` → ``LiFePO4``, ``NCM 811`` → ``LiNi0.8Co0.1Mn0.1O2``; unknown names as written."""
        return self.cathodes.get(re.sub(r"[\s-]", "", name).casefold(), name.strip())

    def metric(self, name: str) -> Metric:
        try:
            return self.metrics[name]
        except KeyError:
            raise UnknownMetric(name, self.metrics) from None


def _compile(patterns, where: str) -> tuple[re.Pattern, ...]:
    out = []
    for p in patterns:
        try:
            out.append(re.compile(p, re.IGNORECASE))
        except re.error as exc:
            raise VocabularyError(f"{where}: bad cue pattern {p!r}: {exc}") from None
    return tuple(out)


def parse_vocabulary(data: dict) -> Vocabulary:
    units = {k: Unit(k, v.get("pint", ""), v["dimension"]) for k, v in data["units"].items()}
    metrics = {}
    for name, v in data["metrics"].items():
        if v["unit"] not in units:
            raise VocabularyError(f"metric {name!r} has unknown unit {v['unit']!r}")
        if v["better"] not in ("higher", "lower"):
            raise VocabularyError(f"metric {name!r}: better must be higher or lower, not {v['better']!r}")
        metrics[name] = Metric(name, v["unit"], v["better"], v["dimension"], v.get("label", name),
                               _compile(v.get("cues", ()), f"metric {name}"),
                               tuple(float(x) for x in v.get("plausible", (float("-inf"), float("inf")))))
    methods = {k: Method(k, _compile(v.get("cues", ()), f"method {k}")) for k, v in data["methods"].items()}
    methods.setdefault("other", Method("other", ()))
    cell_types = {k: CellType(k, v.get("label", k), _compile(v.get("cues", ()), f"cell type {k}"))
                  for k, v in data["cell_types"].items()}
    properties = {}
    for k, v in data["properties"].items():
        if v["unit"] and v["unit"] not in units:
            raise VocabularyError(f"property {k!r} has unknown unit {v['unit']!r}")
        properties[k] = PropertyName(k, v["unit"], _compile(v.get("cues", ()), f"property {k}"))
    properties.setdefault("other", PropertyName("other", "", ()))
    cathodes = {str(k): str(v) for k, v in data.get("cathodes", {}).items()}
    section = data.get("controls", {})
    controls = {}
    for canonical, pattern in section.get("substrates", {}).items():
        try:
            controls[canonical] = re.compile(pattern, re.IGNORECASE)
        except re.error as exc:
            raise VocabularyError(f"control {canonical!r}: bad pattern {pattern!r}: {exc}") from None
    modifiers = frozenset(str(m).casefold() for m in section.get("modifiers", ()))
    material_names = {str(k).casefold(): str(v) for k, v in data.get("material_names", {}).items()}
    return Vocabulary(units, metrics, methods, cell_types, properties, cathodes, controls, modifiers, material_names)


@lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:
    path = schema_dir() / "vocab.toml"
    with open(path, "rb") as fh:
        return parse_vocabulary(tomllib.load(fh))


@lru_cache(maxsize=1)
def glued_compounds() -> dict[str, tuple[int, ...]]:
    """Hyphenated compounds of ``[compounds]`` as a converter glues them when it drops a
    line-end hyphen: glued lower-case form → where the hyphens go (``anodefree`` → (5,))."""
    with open(schema_dir() / "vocab.toml", "rb") as fh:
        words = tomllib.load(fh).get("compounds", {}).get("words", ())
    out: dict[str, tuple[int, ...]] = {}
    for word in words:
        parts = str(word).split("-")
        if len(parts) < 2 or not all(p.isalpha() for p in parts):
            raise VocabularyError(f"[compounds]: {word!r} is not a hyphenated compound of letters")
        cuts = [len(parts[0])]
        for p in parts[1:-1]:
            cuts.append(cuts[-1] + len(p))
        out["".join(parts).lower()] = tuple(cuts)
    return out

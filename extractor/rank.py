"""Ranking host designs by a figure of merit, on comparable conditions.

One definition, in SQL (``schema/ranking.sql``): the view ``ranking_base`` and the
parameterized query ``RANK_SQL``. ``rank()`` runs exactly that query, and so do
``hostkb rank``, the notebooks and the Datasette canned query, so they all rank the
same way:

* only figures of ``metric`` whose conditions match the filters count: ``cell_type``
  and ``cathode`` (a case-insensitive substring) exactly, the numbers within
  ``tolerance`` (relative: 0.05 accepts 0.95–1.05 mA/cm² for 1 mA/cm²), ``min_cycles``
  keeps figures stated for at least that many cycles, ``electrolyte`` is a
  case-insensitive substring of the electrolyte. A figure
  whose paper states no temperature counts as measured at 25 °C; a figure that lacks
  any other condition you filter on does not match;
* one best figure per design, in the metric's direction (``better`` in
  ``schema/vocab.toml``: higher Coulombic efficiency, lower overpotential); ties go to the
  figure sustained for more cycles, then to the smaller measurement id. A design is a
  host name in one paper, and a paper is identified by its DOI (compared lower-cased)
  when its document has one, else by its title (lower-cased, without spaces and
  punctuation), else by the document: the same paper built twice (the PDF and its text
  version) ranks each of its designs once, with the best figure of either file;
* designs with the same value and cycles share a rank; rows come in rank order, then by
  document and host name, and ``top`` keeps the first rows of that order;
* figures that a paper quotes from other work (hosts of kind ``cited``) are left out
  unless ``include_cited=True``.

Every row carries its conditions, paper and evidence sentence: a user must see that a
Coulombic efficiency was measured at 60 °C before comparing it with one at 25 °C.

    >>> rows = rank(db, "coulombic_efficiency", cell_type="half",
    ...             current_density=1, areal_capacity=1)
    >>> pd.DataFrame(to_records(rows))
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path

import sqlite_utils

from .papers import doi_url, paper_label
from .vocab import schema_dir, vocabulary

__all__ = [
    "RANK_SQL",
    "RANKING_VIEW_SQL",
    "DEFAULT_TOLERANCE",
    "ROOM_TEMPERATURE",
    "Conditions",
    "RankRow",
    "rank",
    "to_records",
    "rank_records",
    "ensure_ranking_view",
    "format_value",
    "papers",
]

DEFAULT_TOLERANCE = 0.05
ROOM_TEMPERATURE = 25.0  # °C assumed for figures whose paper states no temperature
_QUERY_MARKER = "-- query: rank"


def _ranking_sql() -> tuple[str, str]:
    """(the CREATE VIEW of ranking_base, the ranking query) from schema/ranking.sql.

    The query is made self-contained: the view's SELECT is prefixed as a common table
    expression of the same name, so it runs on any hostkb database (read-only, or one
    whose schema predates the view) and always ranks exactly what the view shows."""
    text = (schema_dir() / "ranking.sql").read_text(encoding="utf-8")
    head, sep, query = text.partition("\n" + _QUERY_MARKER + "\n")
    if not sep:
        raise RuntimeError(f"schema/ranking.sql has no {_QUERY_MARKER!r} line")
    view = head[head.index("CREATE VIEW"):].strip().rstrip(";")
    select = view[view.index("SELECT"):]
    query = "\n".join(line for line in query.strip().rstrip(";").splitlines()
                      if not line.lstrip().startswith("--"))
    if not query.startswith("WITH "):
        raise RuntimeError("the ranking query of schema/ranking.sql must start with WITH")
    return view, f"WITH ranking_base AS (\n{select}\n),\n{query[len('WITH '):]}"


RANKING_VIEW_SQL, RANK_SQL = _ranking_sql()
"""``RANKING_VIEW_SQL`` creates the ``ranking_base`` view; ``RANK_SQL`` is the ranking
query (parameters :metric, :cell_type, :current_density, :areal_capacity, :c_rate,
:temperature, :cathode, :min_cycles, :electrolyte, :tolerance, :include_cited, :top;
NULL or '' means "any"). It
carries the view's SELECT as a CTE, so it needs no view in the database; each row it
returns is the ``ranking_base`` row of the chosen figure, with its rank. It ranks on
narrow rows and reads the details of the returned rows only, and it needs SQLite 3.35 or
later (``NOT MATERIALIZED``); ``schema/indexes.sql`` holds the indexes that make it fast."""



@dataclass(frozen=True)
class Conditions:
    """The conditions a figure was measured under (None: the paper does not say)."""

    cell_type: str | None = None
    current_density: float | None = None  # mA/cm2
    areal_capacity: float | None = None  # mAh/cm2
    c_rate: float | None = None  # C
    cycles: float | None = None
    cathode: str | None = None
    electrolyte: str | None = None
    temperature: float | None = None  # °C

    def describe(self) -> str:
        """``half cell, 1 mA/cm², 1 mAh/cm², 1000 cycles, 60 °C`` (only what is known)."""
        parts = []
        if self.cell_type:
            parts.append(f"{self.cell_type} cell")
        if self.current_density is not None:
            parts.append(f"{_num(self.current_density)} mA/cm²")
        if self.areal_capacity is not None:
            parts.append(f"{_num(self.areal_capacity)} mAh/cm²")
        if self.c_rate is not None:
            parts.append(f"{_num(self.c_rate)} C")
        if self.cycles is not None:
            parts.append(f"{_num(self.cycles)} cycles")
        if self.cathode:
            parts.append(f"vs {self.cathode}")
        if self.electrolyte:
            parts.append(f"in {self.electrolyte}")
        if self.temperature is not None:
            parts.append(f"{_num(self.temperature)} °C")
        return ", ".join(parts) if parts else "conditions not stated"


@dataclass(frozen=True)
class RankRow:
    """One design's best figure of the metric, with where it comes from."""

    rank: int
    host: str
    host_kind: str
    metric: str
    value: float
    unit: str
    qualifier: str  # eq, approx, gt, lt, up_to
    conditions: Conditions
    document: str  # file name
    title: str | None
    doi: str | None
    year: int | None
    journal: str | None
    authors: str | None  # JSON list
    sentence_id: int | None
    evidence: str | None
    page: int | None
    measurement_id: int
    host_id: int

    @property
    def paper(self) -> str:
        """``Lindqvist et al., 2024, J. Demo`` (what is known; else the file name)."""
        return paper_label(self.authors, self.year, self.journal, self.document)

    @property
    def display_value(self) -> str:
        """``≈17 mV``, ``>99 %``, ``99.7 %``."""
        return format_value(self.value, self.unit, self.qualifier)


_QUALIFIER_SIGN = {"eq": "", "approx": "≈", "gt": ">", "lt": "<", "up_to": "≤"}


def format_value(value: float, unit: str, qualifier: str = "eq") -> str:
    sep = "" if unit in ("",) else " "
    return f"{_QUALIFIER_SIGN.get(qualifier, '')}{_num(value)}{sep}{unit}"


def _num(x: float) -> str:
    return f"{x:g}" if abs(x) < 1e6 else f"{x:.3g}"


# ---------------------------------------------------------------- database access


@contextmanager
def _database(db: sqlite_utils.Database | str | Path) -> Iterator[sqlite_utils.Database]:
    """Use an open database as is; open a path (which must exist) and close it after."""
    if isinstance(db, sqlite_utils.Database):
        yield db
        return
    from .store import open_db

    opened = open_db(db, create=False)
    try:
        yield opened
    finally:
        opened.close()


def ensure_ranking_view(db: sqlite_utils.Database) -> None:
    """Create the ``ranking_base`` view if the database lacks it (reads only otherwise)."""
    exists = db.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'view' AND name = 'ranking_base'").fetchone()
    if not exists:
        with db.conn:
            db.execute(RANKING_VIEW_SQL)


def query_params(metric: str, *, cell_type=None, current_density=None, areal_capacity=None,
                 c_rate=None, cathode=None, temperature=None, min_cycles=None, electrolyte=None,
                 tolerance=DEFAULT_TOLERANCE, top=None, include_cited=False) -> dict:
    """The parameters of ``RANK_SQL`` for these filters (validated: UnknownMetric, ValueError)."""
    vocab = vocabulary()
    vocab.metric(metric)  # raises UnknownMetric
    if cell_type is not None and cell_type not in vocab.cell_types:
        raise ValueError(f"unknown cell type {cell_type!r}; known: {', '.join(sorted(vocab.cell_types))}")
    if tolerance is None or tolerance < 0:
        raise ValueError(f"tolerance must be a relative value >= 0, not {tolerance!r}")
    if min_cycles is not None and min_cycles < 0:
        raise ValueError(f"min_cycles must be a number of cycles >= 0, not {min_cycles!r}")
    if top is not None and top < 1:
        raise ValueError(f"top must be at least 1, not {top!r}")
    if cathode is not None:
        cathode = vocabulary().cathode(cathode)
    return {
        "metric": metric, "cell_type": cell_type, "current_density": current_density,
        "areal_capacity": areal_capacity, "c_rate": c_rate, "temperature": temperature,
        "cathode": cathode, "min_cycles": min_cycles, "electrolyte": electrolyte or None,
        "tolerance": tolerance, "include_cited": int(bool(include_cited)),
        "top": top,
    }


def rank(db: sqlite_utils.Database | str | Path, metric: str, *, cell_type: str | None = None,
         current_density: float | None = None, areal_capacity: float | None = None,
         c_rate: float | None = None, cathode: str | None = None, temperature: float | None = None,
         min_cycles: float | None = None, electrolyte: str | None = None,
         tolerance: float = DEFAULT_TOLERANCE, top: int | None = None,
         include_cited: bool = False) -> list[RankRow]:
    """Rank host designs by ``metric`` on the given conditions (None: any); best first.

    ``db`` is an open database or the path of one. ``tolerance`` is relative and applies
    to current density, areal capacity, C-rate and temperature. Raises ``UnknownMetric``
    for a metric that is not in the vocabulary and ``ValueError`` for an unknown cell
    type or a negative tolerance.
    """
    params = query_params(metric, cell_type=cell_type, current_density=current_density,
                          areal_capacity=areal_capacity, c_rate=c_rate, cathode=cathode,
                          temperature=temperature, min_cycles=min_cycles, electrolyte=electrolyte,
                          tolerance=tolerance, top=top,
                          include_cited=include_cited)
    with _database(db) as database:
        cursor = database.execute(RANK_SQL, params)
        columns = [c[0] for c in cursor.description]
        rows = [_row(dict(zip(columns, values))) for values in cursor.fetchall()]
        return _with_paper_details(database, rows)


def _with_paper_details(db: sqlite_utils.Database, rows: list[RankRow]) -> list[RankRow]:
    """Rows whose document lacks a title, journal or authors get them from another document
    of the same paper (same DOI) that has them: the text version of a paper is cited as its PDF."""
    from dataclasses import replace

    lacking = [r for r in rows if r.doi and not (r.title and r.journal and r.authors)]
    if not lacking:
        return rows
    merged = {(d["doi"] or "").lower(): d for d in papers(db, lacking)}
    out = []
    for r in rows:
        d = merged.get((r.doi or "").lower()) if r in lacking else None
        out.append(replace(r, title=r.title or d["title"], journal=r.journal or d["journal"],
                           authors=r.authors or d["authors"]) if d else r)
    return out


def _row(r: dict) -> RankRow:
    return RankRow(
        rank=r["rank"], host=r["host"], host_kind=r["host_kind"], metric=r["metric"],
        value=r["value"], unit=r["unit"], qualifier=r["qualifier"],
        conditions=Conditions(
            cell_type=r["cell_type"], current_density=r["current_density"],
            areal_capacity=r["areal_capacity"], c_rate=r["c_rate"], cycles=r["cycles"],
            cathode=r["cathode"], electrolyte=r["electrolyte"], temperature=r["temperature"]),
        document=r["document"], title=r["title"], doi=r["doi"], year=r["year"], journal=r["journal"],
        authors=r["authors"], sentence_id=r["sentence_id"],
        evidence=r["evidence"], page=r["page"], measurement_id=r["measurement_id"],
        host_id=r["host_id"],
    )


def to_records(rows: list[RankRow]) -> list[dict]:
    """Flat dicts (conditions as columns), ready for ``pandas.DataFrame`` or JSON."""
    out = []
    for row in rows:
        record = asdict(row)
        conditions = record.pop("conditions")
        flat = {k: record[k] for k in ("rank", "host", "host_kind", "metric", "value", "unit", "qualifier")}
        flat.update(conditions)
        flat["conditions_text"] = row.conditions.describe()
        flat["display_value"] = row.display_value
        flat["paper"] = row.paper
        flat.update({k: record[k] for k in ("document", "title", "doi", "year", "journal")})
        flat["doi_url"] = doi_url(row.doi)
        flat.update({k: record[k] for k in ("page", "sentence_id", "evidence", "measurement_id", "host_id")})
        out.append(flat)
    return out


def rank_records(db, metric: str, **filters) -> list[dict]:
    """``to_records(rank(db, metric, **filters))``: ``pd.DataFrame(rank_records(db, "overpotential"))``."""
    return to_records(rank(db, metric, **filters))



def papers(db: sqlite_utils.Database | str | Path, rows: list[RankRow]) -> list[dict]:
    """The papers behind ``rows`` (name, title, doi, year, journal, authors), one per paper
    in the order the rows name them: documents that share a DOI are one paper, each field
    taken from the first of them that knows it (a text version may lack the title its PDF has)."""
    names = list(dict.fromkeys(r.document for r in rows))
    if not names:
        return []
    marks = ", ".join("?" * len(names))
    with _database(db) as database:
        found = list(database.query(
            "SELECT name, title, doi, year, journal, authors FROM documents "
            f"WHERE name IN ({marks}) OR lower(doi) IN (SELECT lower(doi) FROM documents "
            f"WHERE name IN ({marks}) AND doi IS NOT NULL AND doi != '') ORDER BY name", names + names))
    by_name = {d["name"]: d for d in found}
    out: dict[str, dict] = {}
    for name in names:
        doc = by_name.get(name)
        if doc is None:
            continue
        identity = (doc["doi"] or "").lower() or name
        if identity in out:
            continue
        merged = dict(doc)
        for other in found:
            if identity == (other["doi"] or "").lower():
                for key, value in other.items():
                    if merged.get(key) in (None, "") and value not in (None, ""):
                        merged[key] = value
        out[identity] = merged
    return list(out.values())

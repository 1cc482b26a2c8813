"""The knowledge graph: papers, host designs, what they are made of and how, where they
were tested and what they measured, as a networkx ``MultiDiGraph`` built from the
database.

Nodes (attribute ``type``; ids stable and readable):

===========  ==============================  =========================================
type         id                              attributes
===========  ==============================  =========================================
paper        ``paper:<document>``            document, title, doi, year, journal
host         ``host:<document>:<name>``      name, kind, aliases, components, evidence
material     ``material:<name>``             name
method       ``method:<name>``               name (a synthesis method of vocab.toml)
precursor    ``precursor:<name>``            name
cell_test    ``cell_test:<document>:<n>``    cell_type, current_density, ... (conditions)
cathode      ``cathode:<name>``              name
electrolyte  ``electrolyte:<name>``          name
metric       ``metric:<name>``               unit, better, label
measurement  ``measurement:<document>:<n>``  metric, value, unit, qualifier, evidence, ...
===========  ==============================  =========================================

Edges (attribute ``type``): reports (paper→host), has_component (host→material),
made_by (host→method, one per synthesis step, with ``step_order``), uses_precursor
(host→precursor, with the step), tested_in (host→cell_test), measured
(host→measurement), of_metric (measurement→metric), under (measurement→cell_test),
uses_cathode / uses_electrolyte (cell_test→cathode / electrolyte), compared_with
(host→its controls and variants in the same paper). Every edge drawn from a document
carries ``document`` and, where the database has one, the evidence ``sentence_id``.

Load, then save: ``build_graph`` only reads (the whole graph, in memory: for analysis
and export); ``refresh_graph`` keeps the ``graph_nodes`` and ``graph_edges`` tables
(schema/graph.sql) up to date after a build, one transaction, redrawing only the
documents that changed, a batch at a time (no document's subgraph depends on another's);
``save_graph`` replaces the tables with a given graph; ``export_graph`` writes GraphML
(Gephi, Cytoscape) or node-link JSON.
"""

from __future__ import annotations

import json
import sqlite3
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path

import networkx as nx
import sqlite_utils

from .errors import AmbiguousHost, HostNotFound, OutputError
from .rank import Conditions, _database, format_value, rank
from .vocab import schema_dir

__all__ = [
    "NODE_TYPES",
    "EDGE_TYPES",
    "HostNotFound",
    "AmbiguousHost",
    "SharedLink",
    "TopDesign",
    "build_graph",
    "save_graph",
    "refresh_graph",
    "GraphRefresh",
    "document_subgraph",
    "export_graph",
    "load_graph",
    "shared_components",
    "shared_methods",
    "methods_of_top",
    "neighbourhood",
    "find_hosts",
    "summary",
]

NODE_TYPES = ("paper", "host", "material", "method", "precursor", "cell_test", "cathode",
              "electrolyte", "metric", "measurement")
EDGE_TYPES = ("reports", "has_component", "made_by", "uses_precursor", "tested_in", "measured",
              "of_metric", "under", "uses_cathode", "uses_electrolyte", "compared_with")
FORMATS = ("graphml", "json")


# ---------------------------------------------------------------- ids


def paper_id(document: str) -> str:
    return f"paper:{document}"


def host_id(document: str, name: str) -> str:
    return f"host:{document}:{name}"


def _shared_id(kind: str, name: str) -> str:
    return f"{kind}:{name}"


# ---------------------------------------------------------------- building


def build_graph(db: sqlite_utils.Database | str | Path) -> nx.MultiDiGraph:
    """The knowledge graph of everything in ``db`` (an open database or a path)."""
    with _database(db) as database:
        return _build(database)


def document_subgraph(db: sqlite_utils.Database, document_ids: Iterable[int]) -> nx.MultiDiGraph:
    """The part of the knowledge graph drawn from these documents: their nodes and
    edges, the shared nodes (materials, methods, ...) they reach, and every metric.

    The whole graph is the union of its documents' subgraphs: no node or edge of one
    document depends on another. ``refresh_graph`` relies on it to update the stored
    graph document by document."""
    return _build(db, list(document_ids))


def _build(db: sqlite_utils.Database, document_ids: list[int] | None = None) -> nx.MultiDiGraph:
    G = nx.MultiDiGraph(name="hostkb")
    if document_ids is None:
        def only(column: str) -> tuple[str, list]:
            return "1", []
    else:
        wanted = json.dumps(document_ids)

        def only(column: str) -> tuple[str, list]:
            return f"{column} IN (SELECT value FROM json_each(?))", [wanted]

    def node(node_id: str, type_: str, label: str, document_id: int | None = None, **attrs) -> str:
        if node_id not in G:
            G.add_node(node_id, type=type_, label=label, document_id=document_id, **attrs)
        return node_id

    def edge(u: str, v: str, type_: str, document_id: int | None = None, **attrs) -> None:
        G.add_edge(u, v, type=type_, document_id=document_id, **attrs)

    # papers
    documents = {}
    where, params = only("id")
    for d in db.query(f"SELECT id, name, title, doi, year, journal, format FROM documents "
                      f"WHERE {where} ORDER BY name", params):
        documents[d["id"]] = d["name"]
        node(paper_id(d["name"]), "paper", d["title"] or d["name"], d["id"], document=d["name"],
             title=d["title"], doi=d["doi"], year=d["year"], journal=d["journal"], format=d["format"])

    # hosts, aliases, components
    where, params = only("h.document_id")
    aliases = defaultdict(list)
    for a in db.query(f"SELECT a.host_id, a.alias FROM host_aliases a JOIN hosts h ON h.id = a.host_id "
                      f"WHERE {where} ORDER BY a.host_id, a.alias", params):
        aliases[a["host_id"]].append(a["alias"])
    components = defaultdict(list)
    for c in db.query(f"SELECT hc.host_id, m.name FROM host_components hc "
                      f"JOIN hosts h ON h.id = hc.host_id JOIN materials m ON m.id = hc.material_id "
                      f"WHERE {where} ORDER BY hc.host_id, hc.position", params):
        components[c["host_id"]].append(c["name"])
    hosts: dict[int, str] = {}
    by_document = defaultdict(list)
    for h in db.query(f"SELECT h.id, h.document_id, h.name, h.kind, h.has_figures, h.sentence_id, "
                      f"h.evidence FROM hosts h WHERE {where} ORDER BY h.document_id, h.id", params):
        doc = documents[h["document_id"]]
        hid = node(host_id(doc, h["name"]), "host", h["name"], h["document_id"], name=h["name"],
                   kind=h["kind"], document=doc, aliases=aliases[h["id"]],
                   components=components[h["id"]],
                   has_figures=None if h["has_figures"] is None else bool(h["has_figures"]),
                   sentence_id=h["sentence_id"], evidence=h["evidence"])
        hosts[h["id"]] = hid
        by_document[h["document_id"]].append((h["id"], h["name"], h["kind"]))
        edge(paper_id(doc), hid, "reports", h["document_id"], document=doc, kind=h["kind"],
             sentence_id=h["sentence_id"])
        for position, name in enumerate(components[h["id"]], 1):
            mid = node(_shared_id("material", name), "material", name, name=name)
            edge(hid, mid, "has_component", h["document_id"], document=doc, position=position)

    # synthesis: one made_by edge per step, one uses_precursor edge per precursor of a step
    where, params = only("r.document_id")
    precursors = defaultdict(list)
    for p in db.query(f"SELECT sp.step_id, m.name FROM step_precursors sp "
                      f"JOIN synthesis_steps st ON st.id = sp.step_id "
                      f"JOIN synthesis_routes r ON r.id = st.route_id "
                      f"JOIN materials m ON m.id = sp.material_id "
                      f"WHERE {where} ORDER BY sp.step_id, sp.position", params):
        precursors[p["step_id"]].append(p["name"])
    for st in db.query(f"SELECT st.id, st.step_order, st.method, st.conditions, st.temperature_c, "
                       f"st.duration_h, st.atmosphere, st.sentence_id, st.evidence, r.id AS route_id, "
                       f"r.host_id, r.document_id FROM synthesis_steps st "
                       f"JOIN synthesis_routes r ON r.id = st.route_id "
                       f"WHERE {where} ORDER BY r.id, st.step_order, st.id", params):
        hid = hosts[st["host_id"]]
        doc = documents[st["document_id"]]
        mid = node(_shared_id("method", st["method"]), "method", st["method"], name=st["method"])
        edge(hid, mid, "made_by", st["document_id"], document=doc, step_order=st["step_order"],
             route=st["route_id"], conditions=st["conditions"], temperature_c=st["temperature_c"],
             duration_h=st["duration_h"], atmosphere=st["atmosphere"], precursors=precursors[st["id"]],
             sentence_id=st["sentence_id"], evidence=st["evidence"])
        for name in precursors[st["id"]]:
            pid = node(_shared_id("precursor", name), "precursor", name, name=name)
            edge(hid, pid, "uses_precursor", st["document_id"], document=doc,
                 step_order=st["step_order"], method=st["method"], sentence_id=st["sentence_id"])

    # metrics: all of them, whichever documents are drawn
    for m in db.query("SELECT name, unit, better, label FROM metrics ORDER BY name"):
        node(_shared_id("metric", m["name"]), "metric", m["label"], name=m["name"], unit=m["unit"],
             better=m["better"])

    # cell tests (those that state at least one condition)
    where, params = only("document_id")
    cell_tests: dict[int, str] = {}
    counters = defaultdict(int)
    for c in db.query(f"SELECT * FROM cell_tests WHERE {where} ORDER BY document_id, id", params):
        conditions = Conditions(c["cell_type"], c["current_density_ma_cm2"], c["areal_capacity_mah_cm2"],
                                c["c_rate"], c["cycles"], c["cathode"], c["electrolyte"], c["temperature_c"])
        if conditions == Conditions():
            continue
        doc = documents[c["document_id"]]
        counters[("cell_test", doc)] += 1
        cid = node(f"cell_test:{doc}:{counters[('cell_test', doc)]}", "cell_test", conditions.describe(),
                   c["document_id"], document=doc, **conditions.__dict__)
        cell_tests[c["id"]] = cid
        if c["cathode"]:
            kid = node(_shared_id("cathode", c["cathode"]), "cathode", c["cathode"], name=c["cathode"])
            edge(cid, kid, "uses_cathode", c["document_id"], document=doc)
        if c["electrolyte"]:
            eid = node(_shared_id("electrolyte", c["electrolyte"]), "electrolyte", c["electrolyte"],
                       name=c["electrolyte"])
            edge(cid, eid, "uses_electrolyte", c["document_id"], document=doc)

    # measurements
    where, params = only("m.document_id")
    tested = set()
    for m in db.query(f"SELECT m.*, s.idx AS sentence_idx, s.page, "
                      f"COALESCE(NULLIF(m.evidence, ''), s.evidence) AS evidence_text "
                      f"FROM measurements m LEFT JOIN sentences s ON s.id = m.sentence_id "
                      f"WHERE {where} ORDER BY m.document_id, s.idx, m.span_start, m.id", params):
        doc = documents[m["document_id"]]
        hid = hosts[m["host_id"]]
        counters[("measurement", doc)] += 1
        mid = node(f"measurement:{doc}:{counters[('measurement', doc)]}", "measurement",
                   f"{m['metric']} {format_value(m['value'], m['unit'], m['qualifier'])}",
                   m["document_id"], document=doc, host=G.nodes[hid]["name"], metric=m["metric"],
                   value=m["value"], unit=m["unit"], qualifier=m["qualifier"], raw=m["raw"],
                   sentence_id=m["sentence_id"], page=m["page"], evidence=m["evidence_text"],
                   measurement_id=m["id"])
        edge(hid, mid, "measured", m["document_id"], document=doc, sentence_id=m["sentence_id"])
        edge(mid, _shared_id("metric", m["metric"]), "of_metric", m["document_id"], document=doc)
        cid = cell_tests.get(m["cell_test_id"])
        if cid:
            edge(mid, cid, "under", m["document_id"], document=doc)
            if (hid, cid) not in tested:
                tested.add((hid, cid))
                edge(hid, cid, "tested_in", m["document_id"], document=doc, sentence_id=m["sentence_id"])

    # comparisons: each host of a paper against that paper's controls and variants
    for document_id, members in by_document.items():
        doc = documents[document_id]
        mains = [m for m in members if m[2] == "host"] or [m for m in members if m[2] == "variant"]
        others = [m for m in members if m[2] in ("control", "variant") and m not in mains]
        if not mains or not others:
            continue
        sentences = list(db.query("SELECT id, text FROM sentences WHERE document_id = ? ORDER BY idx",
                                  [document_id]))
        for main in mains:
            for other in others:
                sid = _sentence_naming(sentences, _names(G, hosts[main[0]]), _names(G, hosts[other[0]]))
                edge(hosts[main[0]], hosts[other[0]], "compared_with", document_id, document=doc,
                     role=other[2], sentence_id=sid)
    return G


def _names(G: nx.MultiDiGraph, node_id: str) -> list[str]:
    data = G.nodes[node_id]
    return [n.casefold() for n in (data["name"], *data["aliases"]) if len(n) > 1]


def _sentence_naming(sentences: list[dict], names_a: list[str], names_b: list[str]) -> int | None:
    """The first sentence that names both designs (evidence of the comparison), if any."""
    for s in sentences:
        text = s["text"].casefold()
        if any(a in text for a in names_a) and any(b in text for b in names_b):
            return s["id"]
    return None


def summary(G: nx.MultiDiGraph) -> dict[str, dict[str, int]]:
    """Counts of nodes and edges by type."""
    nodes = defaultdict(int)
    for _, t in G.nodes(data="type"):
        nodes[t] += 1
    edges = defaultdict(int)
    for *_, t in G.edges(data="type"):
        edges[t] += 1
    return {"nodes": dict(sorted(nodes.items())), "edges": dict(sorted(edges.items()))}


# ---------------------------------------------------------------- storing and exporting


def _graph_sql() -> str:
    return (schema_dir() / "graph.sql").read_text(encoding="utf-8")


def ensure_graph_tables(db: sqlite_utils.Database) -> None:
    """Create graph_nodes and graph_edges if missing (schema/graph.sql is idempotent)."""
    for statement in _statements(_graph_sql()):
        db.execute(statement)


def _statements(sql: str) -> list[str]:
    out, current = [], []
    for line in sql.splitlines():
        if not current and (not line.strip() or line.lstrip().startswith("--")):
            continue
        current.append(line)
        if sqlite3.complete_statement("\n".join(current)):
            out.append("\n".join(current))
            current = []
    return out


_RESERVED = ("type", "label", "document_id")
_INSERT_NODE = "INSERT INTO graph_nodes (id, type, label, attributes, document_id) VALUES (?, ?, ?, ?, ?)"
_INSERT_SHARED_NODE = _INSERT_NODE.replace("INSERT INTO", "INSERT OR IGNORE INTO")
_UPSERT_NODE = (_INSERT_NODE + " ON CONFLICT(id) DO UPDATE SET type = excluded.type, "
                "label = excluded.label, attributes = excluded.attributes")
_INSERT_EDGE = "INSERT INTO graph_edges (source, target, type, attributes, document_id) VALUES (?, ?, ?, ?, ?)"


def _node_rows(G: nx.MultiDiGraph, shared: bool | None = None) -> Iterator[tuple]:
    """graph_nodes rows of ``G``, made one at a time; ``shared`` True: only the nodes of
    no document, False: only documents' nodes, None: all."""
    for n, d in G.nodes(data=True):
        if shared is not None and (d.get("document_id") is None) != shared:
            continue
        yield (n, d["type"], d.get("label") or n,
               _json({k: v for k, v in d.items() if k not in _RESERVED}), d.get("document_id"))


def _edge_rows(G: nx.MultiDiGraph) -> Iterator[tuple]:
    for u, v, d in G.edges(data=True):
        yield (u, v, d["type"], _json({k: v for k, v in d.items() if k not in _RESERVED}),
               d.get("document_id"))


def save_graph(db: sqlite_utils.Database | str | Path, G: nx.MultiDiGraph) -> tuple[int, int]:
    """Replace the graph_nodes and graph_edges tables' rows with ``G``, in one
    transaction; return (nodes, edges) written."""
    with _database(db) as database:
        with database.atomic():
            ensure_graph_tables(database)
            database.execute("DELETE FROM graph_edges")
            database.execute("DELETE FROM graph_nodes")
            database.conn.executemany(_INSERT_NODE, _node_rows(G))
            database.conn.executemany(_INSERT_EDGE, _edge_rows(G))
    return G.number_of_nodes(), G.number_of_edges()


@dataclass(frozen=True)
class GraphRefresh:
    """What ``refresh_graph`` did: documents whose subgraph was (re)drawn, and the rows
    written and removed."""

    documents: int
    nodes_written: int
    edges_written: int
    nodes_removed: int
    total_nodes: int
    total_edges: int


def refresh_graph(db: sqlite_utils.Database | str | Path, *, full: bool = False,
                  batch: int = 200) -> GraphRefresh:
    """Bring the stored graph (graph_nodes, graph_edges) up to date with ``db``, in one
    transaction, touching only what changed.

    A document's graph rows carry its ``document_id`` and go with it (ON DELETE
    CASCADE), so a replaced or removed document has none left; those of every stored
    document without its paper node are drawn (``document_subgraph``), ``batch``
    documents at a time, so memory stays bounded whatever the corpus size. Shared nodes
    (materials, methods, ...) are added when first reached and removed when no edge
    reaches them any more; metric nodes follow the metrics table. ``full=True`` redraws
    every document (what ``save_graph(db, build_graph(db))`` stores, written in batches).
    """
    with _database(db) as database:
        with database.atomic():
            ensure_graph_tables(database)
            execute = database.conn.execute
            if full:
                execute("DELETE FROM graph_edges")
                execute("DELETE FROM graph_nodes")
            else:  # rows of documents gone while foreign keys were off
                execute("DELETE FROM graph_edges WHERE document_id IS NOT NULL "
                        "AND document_id NOT IN (SELECT id FROM documents)")
                execute("DELETE FROM graph_nodes WHERE document_id IS NOT NULL "
                        "AND document_id NOT IN (SELECT id FROM documents)")
            missing = [row[0] for row in execute(
                "SELECT d.id FROM documents d LEFT JOIN graph_nodes g "
                "ON g.id = 'paper:' || d.name AND g.document_id = d.id "
                "WHERE g.id IS NULL ORDER BY d.name")]
            nodes = edges = 0
            for first in range(0, len(missing), batch):
                chunk = missing[first:first + batch]
                # leftovers of an earlier version stored under another id
                for table in ("graph_edges", "graph_nodes"):
                    execute(f"DELETE FROM {table} WHERE document_id IN (SELECT value FROM json_each(?))",
                            [json.dumps(chunk)])
                G = _build(database, chunk)
                nodes += database.conn.executemany(_INSERT_SHARED_NODE, _node_rows(G, shared=True)).rowcount
                nodes += database.conn.executemany(_INSERT_NODE, _node_rows(G, shared=False)).rowcount
                edges += database.conn.executemany(_INSERT_EDGE, _edge_rows(G)).rowcount
            # metric nodes follow the metrics table, even with no document drawn
            metrics = _build(database, [])
            database.conn.executemany(_UPSERT_NODE, _node_rows(metrics, shared=True))
            removed = execute(
                "DELETE FROM graph_nodes WHERE document_id IS NULL AND NOT EXISTS "
                "(SELECT 1 FROM graph_edges e WHERE e.target = graph_nodes.id) AND NOT EXISTS "
                "(SELECT 1 FROM graph_edges e WHERE e.source = graph_nodes.id) "
                "AND (type <> 'metric' OR substr(id, 8) NOT IN (SELECT name FROM metrics))").rowcount
            total_nodes = execute("SELECT count(*) FROM graph_nodes").fetchone()[0]
            total_edges = execute("SELECT count(*) FROM graph_edges").fetchone()[0]
    return GraphRefresh(len(missing), nodes, edges, removed, total_nodes, total_edges)


def load_graph(db: sqlite_utils.Database | str | Path) -> nx.MultiDiGraph:
    """The graph as last saved in ``db``'s graph tables (``save_graph``)."""
    G = nx.MultiDiGraph(name="hostkb")
    with _database(db) as database:
        for n in database.query("SELECT * FROM graph_nodes ORDER BY rowid"):
            G.add_node(n["id"], type=n["type"], label=n["label"], document_id=n["document_id"],
                       **json.loads(n["attributes"]))
        for e in database.query("SELECT * FROM graph_edges ORDER BY id"):
            G.add_edge(e["source"], e["target"], type=e["type"], document_id=e["document_id"],
                       **json.loads(e["attributes"]))
    return G


def _json(value) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _scalar_copy(G: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """GraphML holds scalars only: lists and dicts become JSON strings, None is left out."""

    def clean(attrs: dict) -> dict:
        out = {}
        for k, v in attrs.items():
            if v is None:
                continue
            out[k] = _json(v) if isinstance(v, (list, tuple, dict)) else v
        return out

    H = nx.MultiDiGraph(name=G.graph.get("name", "hostkb"))
    for n, d in G.nodes(data=True):
        H.add_node(n, **clean(d))
    for u, v, k, d in G.edges(keys=True, data=True):
        H.add_edge(u, v, key=k, **clean(d))
    return H


def export_graph(G: nx.MultiDiGraph, path: str | Path, format: str = "graphml") -> Path:
    """Write ``G`` as GraphML (scalar attributes; lists as JSON strings) or node-link
    JSON (``networkx.node_link_data``). Returns the path written."""
    if format not in FORMATS:
        raise ValueError(f"unknown graph format {format!r}; use one of {', '.join(FORMATS)}")
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if format == "graphml":
            nx.write_graphml(_scalar_copy(G), path, encoding="utf-8")
        else:
            data = nx.node_link_data(G, edges="links")
            path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from None
    return path


# ---------------------------------------------------------------- queries


@dataclass(frozen=True)
class SharedLink:
    """Two designs that share materials (or synthesis methods)."""

    design_a: str  # node id
    design_b: str
    host_a: str
    host_b: str
    document_a: str
    document_b: str
    shared: tuple[str, ...]


def _designs(G: nx.MultiDiGraph, kinds: Iterable[str]) -> list[str]:
    kinds = set(kinds)
    return sorted(n for n, d in G.nodes(data=True) if d["type"] == "host" and d.get("kind") in kinds)


def _shared(G: nx.MultiDiGraph, edge_type: str, kinds, across_papers: bool) -> list[SharedLink]:
    reached = {h: {v for _, v, t in G.out_edges(h, data="type") if t == edge_type}
               for h in _designs(G, kinds)}
    by_target = defaultdict(set)
    for h, targets in reached.items():
        for t in targets:
            by_target[t].add(h)
    pairs = set()
    for members in by_target.values():
        pairs.update(combinations(sorted(members), 2))
    out = []
    for a, b in pairs:
        da, db_ = G.nodes[a], G.nodes[b]
        if across_papers and da["document"] == db_["document"]:
            continue
        shared = tuple(sorted(G.nodes[t]["label"] for t in reached[a] & reached[b]))
        out.append(SharedLink(a, b, da["name"], db_["name"], da["document"], db_["document"], shared))
    return sorted(out, key=lambda s: (-len(s.shared), s.design_a, s.design_b))


def shared_components(G: nx.MultiDiGraph, *, kinds=("host", "variant", "control"),
                      across_papers: bool = False) -> list[SharedLink]:
    """Pairs of designs that share at least one component, most shared first.
    ``across_papers=True`` keeps only pairs from different papers."""
    return _shared(G, "has_component", kinds, across_papers)


def shared_methods(G: nx.MultiDiGraph, *, kinds=("host", "variant", "control"),
                   across_papers: bool = False) -> list[SharedLink]:
    """Pairs of designs made with at least one common synthesis method."""
    return _shared(G, "made_by", kinds, across_papers)


@dataclass(frozen=True)
class TopDesign:
    """A top-ranked design and the synthesis steps behind it."""

    rank: int
    host: str
    document: str
    node: str
    value: str  # as displayed: "≈17 mV"
    conditions: str
    steps: tuple[tuple[int, str], ...]  # (step_order, method) in order

    @property
    def methods(self) -> tuple[str, ...]:
        """Distinct methods in the order first used."""
        return tuple(dict.fromkeys(m for _, m in self.steps))


def methods_of_top(db, G: nx.MultiDiGraph, metric: str, n: int = 5, **conditions) -> list[TopDesign]:
    """The synthesis methods behind the ``n`` best designs by ``metric`` (ranked by
    ``rank.rank`` with ``conditions``)."""
    out = []
    for row in rank(db, metric, top=n, **conditions):
        node_id = host_id(row.document, row.host)
        steps = ()
        if node_id in G:
            steps = tuple(sorted((d.get("step_order") or 0, G.nodes[v]["name"])
                                 for _, v, d in G.out_edges(node_id, data=True) if d["type"] == "made_by"))
        out.append(TopDesign(row.rank, row.host, row.document, node_id, row.display_value,
                             row.conditions.describe(), steps))
    return out


def find_hosts(G: nx.MultiDiGraph, host: str, document: str | None = None) -> list[str]:
    """Host node ids matching ``host``: a node id, or a name or alias (case-insensitive),
    optionally only in ``document``. Raises HostNotFound when none matches, and
    AmbiguousHost when designs of more than one paper match and no ``document`` is given
    (the documents of one paper, its PDF and its text version, count as one)."""
    if host in G and G.nodes[host].get("type") == "host":
        return [host]
    key = host.casefold().strip()
    found = []
    for n, d in G.nodes(data=True):
        if d["type"] != "host" or (document and d["document"] != document):
            continue
        if key == d["name"].casefold() or key in (a.casefold() for a in d.get("aliases") or ()):
            found.append(n)
    if not found:
        near = [d["name"] for _, d in G.nodes(data=True)
                if d["type"] == "host" and (key in d["name"].casefold() or d["name"].casefold() in key)]
        raise HostNotFound(host, near)
    papers = {_paper_key(G, G.nodes[n]["document"]) for n in found}
    if len(papers) > 1 and not document:
        raise AmbiguousHost(host, sorted((G.nodes[n]["name"], G.nodes[n].get("kind") or "host",
                                          G.nodes[n]["document"]) for n in found))
    return sorted(found)


def _paper_key(G: nx.MultiDiGraph, document: str) -> str:
    """The paper a document is a version of: its DOI lower-cased, else the document."""
    data = G.nodes.get(paper_id(document)) or {}
    return (data.get("doi") or "").lower() or document


def neighbourhood(G: nx.MultiDiGraph, host: str, radius: int = 1, *,
                  document: str | None = None) -> nx.MultiDiGraph:
    """The subgraph within ``radius`` steps (either direction) of a host: a node id or a
    name/alias (all designs of that name, or only those of ``document``)."""
    centres = find_hosts(G, host, document)
    undirected = G.to_undirected(as_view=True)
    keep = set()
    for c in centres:
        keep.update(nx.single_source_shortest_path_length(undirected, c, cutoff=radius))
    sub = G.subgraph(keep).copy()
    sub.graph["centres"] = centres
    return sub

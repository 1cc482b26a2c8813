"""The knowledge graph: built from a small hand-made knowledge base (three papers whose
sentences are written here) and from the real papers of ../shared.

The hand-made papers are also the fixture of tests/test_rank.py (``small_kb``)."""

from __future__ import annotations

import json
import sqlite3

import networkx as nx
import pytest

from extractor import graph, store
from factories import segmented
from extractor.types import (
    CellTest,
    Extraction,
    Host,
    Measurement,
    PaperMeta,
    SegmentedDocument,
    SynthesisRoute,
    SynthesisStep,
)

# ---------------------------------------------------------------- a small knowledge base

PAPER_A = [
    "Silver-decorated hollow carbon (Ag@HC) was made by templating and carbonization of AgNO3 and glucose.",
    "Ag@HC kept a CE of 99.5% for 300 cycles at 1 mA cm-2 and 1 mAh cm-2, against 95% for bare Cu.",
    "In symmetric cells at 1 mA cm-2 and 1 mAh cm-2, Ag@HC showed an overpotential of 15 mV.",
    "At 60 °C the CE of Ag@HC reached 99.8% at 1 mA cm-2 and 1 mAh cm-2 over 100 cycles.",
]
PAPER_B = [
    "Silver nanowires on copper foam (AgNW@CF) were grown by electrodeposition from AgNO3.",
    "AgNW@CF delivered a CE of 99.5% for 500 cycles at 1.02 mA cm-2 and 1 mAh cm-2.",
    "Its overpotential was 25 mV in symmetric cells at 1 mA cm-2.",
    "At 3 mA cm-2 and 3 mAh cm-2 the CE of AgNW@CF was 98%.",
]
PAPER_C = [
    "Zinc oxide on carbon nanofibres (ZnO@CNF) was made by electrospinning and carbonization.",
    "ZnO@CNF kept a CE of 99.5% for 200 cycles at 1 mA cm-2 and 1 mAh cm-2.",
    "A previous report claimed 99.9% for a lithiophilic scaffold at 1 mA cm-2 and 1 mAh cm-2.",
    "In full cells with LiFePO4 at 1 C the CE of ZnO@CNF was 99.9% over 400 cycles.",
]


def make_seg(name: str, sentences: list[str], title: str) -> SegmentedDocument:
    return segmented(name, sentences, PaperMeta(title=title, doi=f"10.1000/{name}", year=2024))


def figure(host, metric, value, unit, sentences, sentence, raw, qualifier="eq", **conditions):
    start = sentences[sentence].index(raw)
    return Measurement(host=host, metric=metric, value=value, unit=unit, qualifier=qualifier,
                       conditions=CellTest(**conditions), raw=raw, sentence=sentence, start=start,
                       end=start + len(raw), evidence=sentences[sentence])


HALF_1_1 = dict(cell_type="half", current_density=1.0, areal_capacity=1.0)


def paper_a() -> Extraction:
    s = PAPER_A
    return Extraction(
        hosts=(Host("Ag@HC", "host", aliases=("Li@Ag@HC",), components=("Ag", "carbon"), sentence=0,
                    evidence=s[0]),
               Host("bare Cu", "control", components=("Cu",))),
        synthesis=(SynthesisRoute("Ag@HC", evidence=s[0], steps=(
            SynthesisStep(1, "templating", precursors=("AgNO3", "glucose"), sentence=0, evidence=s[0]),
            SynthesisStep(2, "carbonization", temperature_c=800.0, sentence=0, evidence=s[0]))),),
        measurements=(
            figure("Ag@HC", "coulombic_efficiency", 99.5, "%", s, 1, "99.5%", cycles=300, **HALF_1_1),
            figure("bare Cu", "coulombic_efficiency", 95.0, "%", s, 1, "95%", **HALF_1_1),
            figure("Ag@HC", "overpotential", 15.0, "mV", s, 2, "15 mV", cell_type="symmetric",
                   current_density=1.0, areal_capacity=1.0),
            figure("Ag@HC", "coulombic_efficiency", 99.8, "%", s, 3, "99.8%", cycles=100, temperature=60.0,
                   **HALF_1_1),
        ))


def paper_b() -> Extraction:
    s = PAPER_B
    return Extraction(
        hosts=(Host("AgNW@CF", "host", components=("Ag", "Cu foam"), sentence=0, evidence=s[0]),),
        synthesis=(SynthesisRoute("AgNW@CF", steps=(
            SynthesisStep(1, "electrodeposition", precursors=("AgNO3",), sentence=0, evidence=s[0]),)),),
        measurements=(
            figure("AgNW@CF", "coulombic_efficiency", 99.5, "%", s, 1, "99.5%", cell_type="half",
                   current_density=1.02, areal_capacity=1.0, cycles=500),
            figure("AgNW@CF", "overpotential", 25.0, "mV", s, 2, "25 mV", cell_type="symmetric",
                   current_density=1.0),
            figure("AgNW@CF", "coulombic_efficiency", 98.0, "%", s, 3, "98%", cell_type="half",
                   current_density=3.0, areal_capacity=3.0),
        ))


def paper_c() -> Extraction:
    s = PAPER_C
    return Extraction(
        hosts=(Host("ZnO@CNF", "host", components=("ZnO", "carbon"), sentence=0, evidence=s[0]),
               Host("lithiophilic scaffold", "cited")),
        synthesis=(SynthesisRoute("ZnO@CNF", steps=(
            SynthesisStep(1, "carbonization", sentence=0, evidence=s[0]),)),),
        measurements=(
            figure("ZnO@CNF", "coulombic_efficiency", 99.5, "%", s, 1, "99.5%", cycles=200, **HALF_1_1),
            figure("lithiophilic scaffold", "coulombic_efficiency", 99.9, "%", s, 2, "99.9%", **HALF_1_1),
            figure("ZnO@CNF", "coulombic_efficiency", 99.9, "%", s, 3, "99.9%", cell_type="full",
                   c_rate=1.0, cathode="LiFePO4", cycles=400),
        ))


def make_small_kb(path=":memory:"):
    db = store.open_db(path)
    store.save_document(db, make_seg("a.txt", PAPER_A, "Silver in hollow carbon"), paper_a())
    store.save_document(db, make_seg("b.txt", PAPER_B, "Silver nanowires on copper foam"), paper_b())
    store.save_document(db, make_seg("c.txt", PAPER_C, "Zinc oxide on carbon nanofibres"), paper_c())
    return db


@pytest.fixture()
def small_kb():
    db = make_small_kb()
    yield db
    db.close()


@pytest.fixture(scope="session")
def shared_kb(shared_dir, tmp_path_factory):
    """The database built from ../shared's text papers and its first two PDFs."""
    from extractor.build import build

    corpus = shared_dir / "corpus"
    paths = sorted(corpus.glob("*.txt")) + sorted((corpus / "pdf").glob("01_*.pdf")) \
        + sorted((corpus / "pdf").glob("02_*.pdf"))
    path = tmp_path_factory.mktemp("shared-kb") / "kb.db"
    summary = build(paths, path, progress=False)
    assert summary.ok, summary.errors
    return path


def hosts(G):
    return [n for n, t in G.nodes(data="type") if t == "host"]


def edges_of(G, node, type_):
    return [(u, v, d) for u, v, d in G.out_edges(node, data=True) if d["type"] == type_]


# ---------------------------------------------------------------- structure


def test_node_ids_are_readable_and_typed(small_kb):
    G = graph.build_graph(small_kb)
    assert G.nodes["paper:a.txt"]["type"] == "paper"
    assert G.nodes["paper:a.txt"]["label"] == "Silver in hollow carbon"
    assert G.nodes["host:a.txt:Ag@HC"]["kind"] == "host"
    assert G.nodes["host:a.txt:Ag@HC"]["aliases"] == ["Li@Ag@HC"]
    assert G.nodes["material:Ag"]["type"] == "material"
    assert G.nodes["method:carbonization"]["type"] == "method"
    assert G.nodes["precursor:AgNO3"]["type"] == "precursor"
    assert G.nodes["metric:coulombic_efficiency"]["better"] == "higher"
    assert G.nodes["cathode:LiFePO4"]["type"] == "cathode"
    assert {t for _, t in G.nodes(data="type")} <= set(graph.NODE_TYPES)
    assert {t for *_, t in G.edges(data="type")} <= set(graph.EDGE_TYPES)


def test_every_host_links_to_its_paper(small_kb):
    G = graph.build_graph(small_kb)
    for h in hosts(G):
        papers = [u for u, _, t in G.in_edges(h, data="type") if t == "reports"]
        assert papers == [f"paper:{G.nodes[h]['document']}"], h


def test_every_measurement_is_reachable_from_its_host(small_kb):
    G = graph.build_graph(small_kb)
    measurements = [n for n, t in G.nodes(data="type") if t == "measurement"]
    assert len(measurements) == 10
    for m in measurements:
        h = f"host:{G.nodes[m]['document']}:{G.nodes[m]['host']}"
        assert nx.has_path(G, h, m), m
        assert [v for _, v, t in G.out_edges(m, data="type") if t == "of_metric"] == \
               [f"metric:{G.nodes[m]['metric']}"]


def test_synthesis_steps_keep_their_order_and_precursors(small_kb):
    G = graph.build_graph(small_kb)
    steps = sorted((d["step_order"], v) for _, v, d in edges_of(G, "host:a.txt:Ag@HC", "made_by"))
    assert steps == [(1, "method:templating"), (2, "method:carbonization")]
    precursors = {(v, d["step_order"], d["method"]) for _, v, d in edges_of(G, "host:a.txt:Ag@HC", "uses_precursor")}
    assert precursors == {("precursor:AgNO3", 1, "templating"), ("precursor:glucose", 1, "templating")}
    # AgNO3 is one node shared by two papers
    users = {u for u, _, t in G.in_edges("precursor:AgNO3", data="type") if t == "uses_precursor"}
    assert users == {"host:a.txt:Ag@HC", "host:b.txt:AgNW@CF"}


def test_cell_tests_carry_conditions_and_cathodes(small_kb):
    G = graph.build_graph(small_kb)
    full = [v for _, v, _ in edges_of(G, "host:c.txt:ZnO@CNF", "tested_in") if G.nodes[v]["cell_type"] == "full"]
    assert len(full) == 1
    assert G.nodes[full[0]]["c_rate"] == 1.0
    assert [v for _, v, _ in edges_of(G, full[0], "uses_cathode")] == ["cathode:LiFePO4"]


def test_hosts_are_compared_with_their_controls_with_evidence(small_kb):
    G = graph.build_graph(small_kb)
    (link,) = edges_of(G, "host:a.txt:Ag@HC", "compared_with")
    assert link[1] == "host:a.txt:Cu foil" and link[2]["role"] == "control"  # the control "bare Cu" under its canonical name
    sentence = small_kb.execute("SELECT text FROM sentences WHERE id = ?", [link[2]["sentence_id"]]).fetchone()[0]
    assert sentence == PAPER_A[1]
    assert not edges_of(G, "host:b.txt:AgNW@CF", "compared_with")


def test_edges_carry_their_document(small_kb):
    G = graph.build_graph(small_kb)
    for u, v, d in G.edges(data=True):
        if d["type"] in ("reports", "measured", "made_by", "tested_in", "compared_with"):
            assert d["document"] in ("a.txt", "b.txt", "c.txt"), (u, v, d)


# ---------------------------------------------------------------- queries


def test_shared_components_between_designs(small_kb):
    G = graph.build_graph(small_kb)
    pairs = {(s.host_a, s.host_b): s.shared for s in graph.shared_components(G)}
    assert pairs == {("Ag@HC", "AgNW@CF"): ("Ag",), ("Ag@HC", "ZnO@CNF"): ("carbon",)}


def test_shared_methods_across_papers(small_kb):
    G = graph.build_graph(small_kb)
    links = graph.shared_methods(G, across_papers=True)
    assert [(s.host_a, s.host_b, s.shared) for s in links] == [("Ag@HC", "ZnO@CNF", ("carbonization",))]


def test_methods_of_top_designs(small_kb):
    G = graph.build_graph(small_kb)
    top = graph.methods_of_top(small_kb, G, "coulombic_efficiency", n=2, cell_type="half",
                               current_density=1, areal_capacity=1)
    assert [(t.host, t.methods) for t in top] == [("Ag@HC", ("templating", "carbonization")),
                                                 ("AgNW@CF", ("electrodeposition",))]


def test_neighbourhood_of_a_host_by_name_or_alias(small_kb):
    G = graph.build_graph(small_kb)
    sub = graph.neighbourhood(G, "li@ag@hc")
    assert sub.graph["centres"] == ["host:a.txt:Ag@HC"]
    assert {"paper:a.txt", "material:Ag", "method:templating", "host:a.txt:Cu foil"} <= set(sub)
    assert "host:b.txt:AgNW@CF" not in sub
    wider = graph.neighbourhood(G, "Ag@HC", radius=2)
    assert "host:b.txt:AgNW@CF" in wider  # through the shared material Ag
    with pytest.raises(graph.HostNotFound, match="Ag@H"):
        graph.neighbourhood(G, "Ag@H")


# ---------------------------------------------------------------- storing and exporting


def test_save_graph_writes_node_and_edge_tables(small_kb):
    G = graph.build_graph(small_kb)
    assert graph.save_graph(small_kb, G) == (G.number_of_nodes(), G.number_of_edges())
    assert small_kb["graph_nodes"].count == G.number_of_nodes()
    assert small_kb["graph_edges"].count == G.number_of_edges()
    row = small_kb["graph_nodes"].get("host:a.txt:Ag@HC")
    assert row["type"] == "host" and json.loads(row["attributes"])["components"] == ["Ag", "carbon"]
    # saving again replaces, and the stored graph reads back the same
    graph.save_graph(small_kb, G)
    assert small_kb["graph_edges"].count == G.number_of_edges()
    H = graph.load_graph(small_kb)
    assert sorted(H.nodes) == sorted(G.nodes)
    assert H.number_of_edges() == G.number_of_edges()


def test_save_graph_is_one_transaction(small_kb):
    G = graph.build_graph(small_kb)
    graph.save_graph(small_kb, G)
    broken = G.copy()
    broken.add_node("zz:broken", type=None, label="no type")  # violates NOT NULL, after the other rows
    with pytest.raises(sqlite3.IntegrityError):
        graph.save_graph(small_kb, broken)
    assert small_kb["graph_nodes"].count == G.number_of_nodes()
    assert small_kb["graph_edges"].count == G.number_of_edges()


def test_graph_rows_go_with_their_document(small_kb):
    G = graph.build_graph(small_kb)
    graph.save_graph(small_kb, G)
    store.remove_documents(small_kb, ["b.txt"])
    assert not small_kb.execute("SELECT count(*) FROM graph_nodes WHERE id LIKE '%b.txt%'").fetchone()[0]
    dangling = small_kb.execute(
        "SELECT count(*) FROM graph_edges WHERE source NOT IN (SELECT id FROM graph_nodes) "
        "OR target NOT IN (SELECT id FROM graph_nodes)").fetchone()[0]
    assert dangling == 0


def stored_graph(db) -> tuple[list, list]:
    """The graph tables' rows, in an order that does not depend on how they were written."""
    nodes = sorted(db.execute("SELECT id, type, label, attributes, document_id FROM graph_nodes").fetchall())
    edges = sorted(db.execute("SELECT source, target, type, attributes, document_id FROM graph_edges")
                   .fetchall(), key=repr)
    return nodes, edges


def whole_graph(db) -> tuple[list, list]:
    """The rows of the graph built from the whole database in one piece."""
    G = graph.build_graph(db)
    return sorted(graph._node_rows(G)), sorted(graph._edge_rows(G), key=repr)


def test_refresh_draws_the_whole_graph_in_batches(small_kb):
    done = graph.refresh_graph(small_kb, batch=1)
    assert done.documents == 3
    assert stored_graph(small_kb) == whole_graph(small_kb)
    assert (done.total_nodes, done.total_edges) == (small_kb["graph_nodes"].count, small_kb["graph_edges"].count)


def test_refresh_with_nothing_changed_draws_nothing(small_kb):
    graph.refresh_graph(small_kb)
    before = stored_graph(small_kb)
    done = graph.refresh_graph(small_kb)
    assert (done.documents, done.nodes_written, done.edges_written, done.nodes_removed) == (0, 0, 0, 0)
    assert stored_graph(small_kb) == before


def test_refresh_redraws_only_changed_documents_and_drops_orphans(small_kb):
    graph.refresh_graph(small_kb)
    assert small_kb["graph_nodes"].count_where("id = 'material:Cu foam'") == 1
    # b.txt goes (and with it the only design made of Cu foam); a.txt is replaced by a
    # version with another component and one figure fewer
    store.remove_documents(small_kb, ["b.txt"])
    changed = paper_a()
    changed = Extraction(hosts=(Host("Ag@HC", "host", components=("Ag", "graphene"), sentence=0,
                                     evidence=PAPER_A[0]), changed.hosts[1]),
                         synthesis=changed.synthesis, measurements=changed.measurements[:-1])
    store.save_document(small_kb, make_seg("a.txt", PAPER_A, "Silver in hollow carbon"), changed)
    done = graph.refresh_graph(small_kb)
    assert done.documents == 1, "only the replaced document is drawn again"
    assert stored_graph(small_kb) == whole_graph(small_kb)
    ids = {row[0] for row in small_kb.execute("SELECT id FROM graph_nodes")}
    assert "material:Cu foam" not in ids and "material:graphene" in ids
    assert "material:carbon" in ids, "still reached from c.txt's design"
    assert "metric:energy_density" in ids, "metric nodes stay, reached or not"
    assert done.nodes_removed >= 1


def test_full_refresh_equals_saving_the_built_graph(small_kb):
    graph.save_graph(small_kb, graph.build_graph(small_kb))
    saved = stored_graph(small_kb)
    graph.refresh_graph(small_kb, full=True)
    assert stored_graph(small_kb) == saved


@pytest.mark.parametrize("fmt", ["graphml", "json"])
def test_export_reads_back_with_the_same_counts(small_kb, tmp_path, fmt):
    G = graph.build_graph(small_kb)
    path = graph.export_graph(G, tmp_path / f"kb.{fmt}", fmt)
    if fmt == "graphml":
        H = nx.read_graphml(path, force_multigraph=True)
        assert json.loads(H.nodes["host:a.txt:Ag@HC"]["components"]) == ["Ag", "carbon"]
    else:
        H = nx.node_link_graph(json.loads(path.read_text(encoding="utf-8")), edges="links")
    assert H.number_of_nodes() == G.number_of_nodes()
    assert H.number_of_edges() == G.number_of_edges()


def test_unknown_export_format(small_kb, tmp_path):
    with pytest.raises(ValueError, match="gexf"):
        graph.export_graph(graph.build_graph(small_kb), tmp_path / "g", "gexf")


# ---------------------------------------------------------------- the real papers


@pytest.mark.shared
def test_real_graph_hosts_link_to_papers_and_measurements_to_hosts(shared_kb):
    G = graph.build_graph(shared_kb)
    assert len(hosts(G)) >= 5
    for h in hosts(G):
        assert G.has_edge(f"paper:{G.nodes[h]['document']}", h), h
    for m, t in G.nodes(data="type"):
        if t == "measurement":
            assert nx.has_path(G, f"host:{G.nodes[m]['document']}:{G.nodes[m]['host']}", m)


@pytest.mark.shared
def test_real_graph_finds_designs_sharing_a_component(shared_kb):
    G = graph.build_graph(shared_kb)
    pairs = {(s.host_a, s.host_b): s.shared for s in graph.shared_components(G, across_papers=True)}
    assert pairs.get(("Ag@Cu", "3S-Cu HoMS")) == ("Cu",)


@pytest.mark.shared
def test_real_graph_graphml_round_trip(shared_kb, tmp_path):
    graph.refresh_graph(shared_kb, full=True)
    G = graph.load_graph(shared_kb)
    H = nx.read_graphml(graph.export_graph(G, tmp_path / "kb.graphml"), force_multigraph=True)
    assert (H.number_of_nodes(), H.number_of_edges()) == (G.number_of_nodes(), G.number_of_edges())

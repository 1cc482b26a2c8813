"""Write the notebooks of this folder from the cells below, executed, so that their
tables and plots show on the repository page.

    python notebooks/make_notebooks.py             # write and execute every notebook
    python notebooks/make_notebooks.py --no-execute

Edit the cells here, not in the .ipynb files, and run this script: the notebooks stay
reproducible and reviewable. Each notebook builds its own database from corpus/ when it
runs (HOSTKB_DB unset). tests/test_notebooks.py executes them again and checks that the
saved files have these cells and their outputs.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

HERE = Path(__file__).resolve().parent

# Every notebook starts with this cell: use this checkout's hostkb, and find the
# database in HOSTKB_DB or build one from the repository's corpus/ into a temp file.
SETUP = '''\
%matplotlib inline
import os
import sqlite3
import sys
import tempfile
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd

# Use the hostkb of this checkout (the folder above notebooks/), if there is one.
REPO = Path.cwd().resolve()
while not (REPO / "extractor").is_dir() and REPO != REPO.parent:
    REPO = REPO.parent
if (REPO / "extractor").is_dir():
    sys.path.insert(0, str(REPO))

from extractor.build import build


def find_database() -> Path:
    """HOSTKB_DB if set, else a fresh database built from the repository's corpus/."""
    if os.environ.get("HOSTKB_DB"):
        path = Path(os.environ["HOSTKB_DB"])
        if not path.is_file():
            raise FileNotFoundError(f"HOSTKB_DB={path} does not exist: run `hostkb build` first")
        return path
    path = Path(tempfile.mkdtemp(prefix="hostkb-")) / "kb.db"
    papers = sorted((REPO / "corpus").glob("*.txt"))  # the demo papers (the PDF repeats one of them)
    summary = build(papers, path, progress=False)
    print(summary.format())
    return path


DB = find_database()
print("database:", DB)
pd.set_option("display.max_colwidth", 120)
'''

NB1 = [
    new_markdown_cell("""\
# Querying the hostkb knowledge base with SQL

hostkb stores papers about lithium-metal anode hosts in one SQLite file: documents,
their sentences (with page and character span), the host designs each paper reports,
how they were made, and every figure of merit with its conditions and the sentence
that states it. Any SQL client works; here we use `pandas.read_sql`.

The first cell finds the database: the file named by the `HOSTKB_DB` environment
variable, or a new one built from the repository's `corpus/`."""),
    new_code_cell(SETUP),
    new_code_cell('''\
conn = sqlite3.connect(f"file:{DB}?mode=ro", uri=True)  # read-only
tables = pd.read_sql("SELECT type, name FROM sqlite_master WHERE type IN ('table', 'view') "
                     "AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '%_fts%' ORDER BY type, name", conn)
tables'''),
    new_markdown_cell("## Papers"),
    new_code_cell('''\
pd.read_sql("SELECT name, title, doi, year, journal, n_sentences FROM documents ORDER BY name", conn)'''),
    new_markdown_cell("""\
## Host designs

The `host_designs` view has one row per host with its paper, aliases and components.
`kind` says whether the paper proposes it (`host`), varies it (`variant`) or uses it
as a baseline (`control`)."""),
    new_code_cell('''\
pd.read_sql("SELECT host, kind, aliases, components, n_figures, document FROM host_designs "
            "ORDER BY document, kind, host", conn)'''),
    new_markdown_cell("""\
## Figures of merit

The `figures` view is the table for people who want one table: one row per reported
figure, with its host, conditions, paper and evidence. Here: every Coulombic
efficiency, best first. Note how different the conditions are."""),
    new_code_cell('''\
ce = pd.read_sql("""
    SELECT host, value, unit, qualifier, cell_type,
           current_density_ma_cm2 AS mA_cm2, areal_capacity_mah_cm2 AS mAh_cm2,
           cycles, cathode, temperature_c, document
    FROM figures
    WHERE metric = 'coulombic_efficiency'
    ORDER BY value DESC""", conn)
ce'''),
    new_markdown_cell("How many figures of each metric does the knowledge base hold?"),
    new_code_cell('''\
per_metric = pd.read_sql("SELECT metric, count(*) AS figures FROM figures GROUP BY metric ORDER BY figures", conn)
ax = per_metric.plot.barh(x="metric", y="figures", legend=False, figsize=(7, 4), color="tab:blue")
ax.set_xlabel("figures in the knowledge base")
ax.set_ylabel("")
plt.tight_layout()
plt.show()'''),
    new_markdown_cell("""\
## Evidence

Every number points back to its sentence. Here: the evidence for each host's
overpotential figures, with the page (for PDFs) and the section."""),
    new_code_cell('''\
pd.read_sql("""
    SELECT f.host, f.value || ' ' || f.unit AS value, f.cell_type, f.current_density_ma_cm2 AS mA_cm2,
           f.document, f.page, f.section, f.evidence
    FROM figures f WHERE f.metric = 'overpotential' ORDER BY f.document, f.value""", conn)'''),
    new_markdown_cell("## How the designs were made (the `synthesis` view)"),
    new_code_cell('''\
pd.read_sql("SELECT host, step_order, method, precursors, conditions, document FROM synthesis "
            "ORDER BY document, host, step_order", conn)'''),
    new_markdown_cell("## Full-text search over the sentences (SQLite FTS5)"),
    new_code_cell('''\
pd.read_sql("""
    SELECT d.name AS document, s.section, s.evidence
    FROM sentences_fts JOIN sentences s ON s.id = sentences_fts.rowid
    JOIN documents d ON d.id = s.document_id
    WHERE sentences_fts MATCH 'dendrit*' ORDER BY sentences_fts.rank LIMIT 5""", conn)'''),
]

NB2 = [
    new_markdown_cell("""\
# Ranking host designs by a figure of merit

`extractor.rank.rank()` ranks host designs on comparable conditions: one best figure
per design (a host in one paper), in the metric's direction (higher Coulombic
efficiency, lower overpotential), with the conditions, paper and evidence of every
row. The command `hostkb rank` and the catalog run the same SQL (`RANK_SQL`)."""),
    new_code_cell(SETUP),
    new_code_cell('''\
from extractor.rank import RANK_SQL, query_params, rank, rank_records

ce = pd.DataFrame(rank_records(DB, "coulombic_efficiency", cell_type="half",
                               current_density=1, areal_capacity=1))
ce[["rank", "host", "host_kind", "value", "unit", "qualifier", "conditions_text", "paper"]]'''),
    new_markdown_cell("""\
The numeric filters accept figures within a relative tolerance (default 5 %), so a
figure at 1.02 mA cm⁻² counts as 1 mA cm⁻². Read the conditions column: a figure
measured at another temperature or for fewer cycles is not the same achievement."""),
    new_code_cell('''\
def plot_ranking(frame, title, better):
    frame = frame.iloc[::-1]  # best at the top
    labels = [f"{h}\\n{c}" for h, c in zip(frame["host"], frame["conditions_text"])]
    fig, ax = plt.subplots(figsize=(8, 0.7 * len(frame) + 1.2))
    colors = ["tab:gray" if k == "control" else "tab:blue" for k in frame["host_kind"]]
    ax.barh(labels, frame["value"], color=colors)
    for y, (v, u) in enumerate(zip(frame["value"], frame["unit"])):
        ax.text(v, y, f" {v:g} {u}", va="center")
    lo, hi = frame["value"].min(), frame["value"].max()
    ax.set_xlim(lo - (hi - lo) * 0.5 - 1, hi + (hi - lo) * 0.3 + 1)
    ax.set_title(f"{title} ({better} is better; gray: controls)")
    plt.tight_layout()
    plt.show()


plot_ranking(ce, "Coulombic efficiency, half cells at 1 mA/cm² and 1 mAh/cm²", "higher")'''),
    new_markdown_cell("Each row keeps its evidence sentence:"),
    new_code_cell('''\
for row in rank(DB, "coulombic_efficiency", cell_type="half", current_density=1, areal_capacity=1):
    print(f"{row.rank}. {row.host}: {row.display_value} ({row.conditions.describe()}) [{row.paper}]")
    print(f"   {row.evidence}")'''),
    new_markdown_cell("""\
## Lower is better: overpotential in symmetric cells"""),
    new_code_cell('''\
eta = pd.DataFrame(rank_records(DB, "overpotential", cell_type="symmetric", current_density=1))
plot_ranking(eta, "Overpotential, symmetric cells at 1 mA/cm²", "lower")
eta[["rank", "host", "value", "unit", "qualifier", "conditions_text", "paper"]]'''),
    new_markdown_cell("""\
## The same ranking in SQL

`RANK_SQL` is the query every client runs. Parameters left `None` mean "any"."""),
    new_code_cell('''\
with sqlite3.connect(DB) as conn:
    params = query_params("coulombic_efficiency", cell_type="half", current_density=1, areal_capacity=1)
    by_sql = pd.read_sql(RANK_SQL, conn, params=params)
assert list(by_sql["host"]) == list(ce["host"])
by_sql[["rank", "host", "value", "cell_type", "current_density", "areal_capacity", "cycles", "temperature"]]'''),
    new_markdown_cell("""\
## Why conditions matter

The same host reports different Coulombic efficiencies at different current densities
and areal capacities: harder conditions give lower figures. Ranking across conditions
would reward the papers that tested gently. Below, the best figure of each design at
each (current density, areal capacity) of the half-cell tests, side by side."""),
    new_code_cell('''\
with sqlite3.connect(DB) as conn:
    settings = pd.read_sql("""
        SELECT DISTINCT current_density_ma_cm2 AS current_density, areal_capacity_mah_cm2 AS areal_capacity
        FROM figures
        WHERE metric = 'coulombic_efficiency' AND cell_type = 'half'
          AND current_density_ma_cm2 IS NOT NULL AND areal_capacity_mah_cm2 IS NOT NULL
        ORDER BY 1, 2""", conn)

frames = []
for cd, cap in settings.itertuples(index=False):
    rows = pd.DataFrame(rank_records(DB, "coulombic_efficiency", cell_type="half",
                                     current_density=cd, areal_capacity=cap, tolerance=0))
    rows["setting"] = f"{cd:g} mA/cm², {cap:g} mAh/cm²"
    frames.append(rows)
by_setting = pd.concat(frames, ignore_index=True)
by_setting["design"] = by_setting["host"] + " [" + by_setting["document"].str.slice(0, 14) + "]"
wide = by_setting.pivot_table(index="design", columns="setting", values="value", aggfunc="max")
wide'''),
    new_code_cell('''\
ax = wide.plot.bar(figsize=(10, 4.5), width=0.8)
ax.set_ylim(max(0, wide.min().min() - 5), 100.5)
ax.set_ylabel("Coulombic efficiency (%)")
ax.set_xlabel("")
ax.set_title("Best Coulombic efficiency per design, half cells, at each test setting")
ax.legend(title="current density, areal capacity", fontsize=8)
plt.xticks(rotation=30, ha="right")
plt.tight_layout()
plt.show()'''),
    new_markdown_cell("""\
Designs tested at several settings lose efficiency as the current density and areal
capacity rise; a design tested only under mild conditions cannot be compared with one
tested under harsh ones. Temperature matters too: `rank(..., temperature=25)` keeps
room-temperature figures (figures without a stated temperature count as 25 °C)."""),
    new_code_cell('''\
pd.DataFrame(rank_records(DB, "coulombic_efficiency", cell_type="half", temperature=25))[
    ["rank", "host", "value", "conditions_text", "paper"]]'''),
    new_markdown_cell("""\
## One metric against a condition, across papers

What a researcher asks first: how does Coulombic efficiency fall as the current density
rises, paper by paper? `METRIC_VS_CONDITION_SQL` is the catalog's `metric_vs_condition`
query (a paper built as PDF and as text counts once); each point is labelled by host and
paper ("first author et al., year", or the file name when the paper's authors are not known)."""),
    new_code_cell('''\
from extractor.papers import paper_label
from extractor.serve import METRIC_VS_CONDITION_SQL

with sqlite3.connect(DB) as conn:
    points = pd.read_sql(METRIC_VS_CONDITION_SQL, conn, params={
        "metric": "coulombic_efficiency", "condition": "current_density", "cell_type": "half"})
points["paper"] = [paper_label(a, y, j, d) for a, y, j, d in
                   zip(points["authors"], points["year"], points["journal"], points["document"])]

fig, ax = plt.subplots(figsize=(9, 5.5))
for paper, group in points.groupby("paper"):
    ax.scatter(group["x"], group["value"], s=40, label=paper)
    for x, y, host, q in zip(group["x"], group["value"], group["host"], group["qualifier"]):
        ax.annotate(("<" if q == "lt" else ">" if q == "gt" else "") + host, (x, y),
                    textcoords="offset points", xytext=(5, 3), fontsize=8)
ax.set_xlabel("Current density (mA/cm²)")
ax.set_ylabel("Coulombic efficiency (%)")
ax.set_title("Coulombic efficiency against current density, half cells, every paper")
ax.legend(fontsize=8, title="paper")
plt.tight_layout()
plt.show()
points[["host", "paper", "value", "qualifier", "x", "conditions"]]'''),
]

NB3 = [
    new_markdown_cell("""\
# Exploring the knowledge graph

`extractor.graph.build_graph()` turns the database into a networkx `MultiDiGraph`:
papers report hosts; hosts have components, are made by synthesis methods from
precursors, are tested in cells (with cathodes and electrolytes) and measured; hosts
are compared with their controls. `hostkb graph --db DB --out kb.graphml` writes the
same graph for Gephi or Cytoscape and stores it in the `graph_nodes` / `graph_edges`
tables."""),
    new_code_cell(SETUP),
    new_code_cell('''\
import networkx as nx

from extractor.graph import (build_graph, export_graph, methods_of_top, neighbourhood,
                             shared_components, shared_methods, summary)

G = build_graph(DB)
summary(G)'''),
    new_markdown_cell("## The neighbourhood of the best design by Coulombic efficiency"),
    new_code_cell('''\
top = methods_of_top(DB, G, "coulombic_efficiency", n=5, cell_type="half", current_density=1, areal_capacity=1)
pd.DataFrame([{"rank": t.rank, "host": t.host, "value": t.value, "conditions": t.conditions,
               "methods": " → ".join(t.methods), "document": t.document} for t in top])'''),
    new_code_cell('''\
import math

COLORS = {"paper": "#4c72b0", "host": "#dd8452", "material": "#55a868", "method": "#c44e52",
          "precursor": "#8172b3", "cell_test": "#937860", "cathode": "#da8bc3",
          "electrolyte": "#8c8c8c", "metric": "#ccb974", "measurement": "#64b5cd"}


def radial_layout(graph, centre):
    """The centre in the middle, every other node on a circle, grouped by type."""
    order = list(COLORS)
    others = sorted((n for n in graph if n != centre),
                    key=lambda n: (order.index(graph.nodes[n]["type"]), graph.nodes[n]["label"]))
    pos = {centre: (0.0, 0.0)}
    for i, n in enumerate(others):
        angle = 2 * math.pi * i / max(1, len(others))
        pos[n] = (math.cos(angle), math.sin(angle))
    return pos


def draw(graph, title, *, centre=None, seed=3, size=(12, 9)):
    if centre:
        pos = radial_layout(graph, centre)
    else:
        pos = nx.spring_layout(graph, seed=seed, k=2.5 / max(1, len(graph)) ** 0.5)
    fig, ax = plt.subplots(figsize=size)
    nx.draw_networkx_edges(graph, pos, ax=ax, alpha=0.25, arrows=False)
    for kind, color in COLORS.items():
        nodes = [n for n, t in graph.nodes(data="type") if t == kind]
        if nodes:
            nx.draw_networkx_nodes(graph, pos, nodelist=nodes, node_color=color, ax=ax,
                                   node_size=[700 if n == centre or kind == "host" else 160 for n in nodes],
                                   label=kind)
    for n, (x, y) in pos.items():
        label = graph.nodes[n]["label"]
        label = label[:30] + "…" if len(label) > 31 else label
        if centre and n != centre:  # labels outside the circle
            ax.text(1.08 * x, 1.08 * y, label, fontsize=7, va="center",
                    ha="left" if x >= 0 else "right", rotation=math.degrees(math.atan2(y, x)) if x >= 0
                    else math.degrees(math.atan2(y, x)) - 180, rotation_mode="anchor")
        else:
            ax.text(x, y, label, fontsize=8, ha="center", va="center")
    ax.legend(scatterpoints=1, fontsize=8, loc="upper left", bbox_to_anchor=(1.0, 1.0), markerscale=0.6)
    ax.set_title(title)
    if centre:
        ax.set_xlim(-1.9, 1.9)
        ax.set_ylim(-1.6, 1.6)
    ax.set_aspect("equal" if centre else "auto")
    ax.axis("off")
    plt.tight_layout()
    plt.show()


best = top[0].node
sub = neighbourhood(G, best, radius=1)
draw(sub, f"Neighbourhood of {G.nodes[best]['name']} ({G.nodes[best]['document']})", centre=best)'''),
    new_markdown_cell("""\
Edges carry their evidence: the sentence id and document. For example, the figures
measured for this design:"""),
    new_code_cell('''\
pd.DataFrame([{"metric": G.nodes[v]["metric"], "value": G.nodes[v]["label"], "page": G.nodes[v]["page"],
               "evidence": G.nodes[v]["evidence"]}
              for _, v, t in G.out_edges(best, data="type") if t == "measured"])'''),
    new_markdown_cell("""\
## What designs share

Designs of different papers that share a component or a synthesis method. Below, the
design space: hosts (orange) linked to their components (green) and methods (red)."""),
    new_code_cell('''\
pd.DataFrame([{"design A": f"{s.host_a} [{s.document_a}]", "design B": f"{s.host_b} [{s.document_b}]",
               "shared components": ", ".join(s.shared)} for s in shared_components(G)])'''),
    new_code_cell('''\
pd.DataFrame([{"design A": f"{s.host_a} [{s.document_a}]", "design B": f"{s.host_b} [{s.document_b}]",
               "shared methods": ", ".join(s.shared)} for s in shared_methods(G, across_papers=True)])'''),
    new_code_cell('''\
design = G.edge_subgraph([(u, v, k) for u, v, k, t in G.edges(keys=True, data="type")
                          if t in ("has_component", "made_by")
                          and G.nodes[u].get("kind") in ("host", "variant")])
draw(design, "Design space: hosts, their components and synthesis methods")'''),
    new_markdown_cell("## Export for Gephi or Cytoscape"),
    new_code_cell('''\
out = export_graph(G, Path(tempfile.mkdtemp(prefix="hostkb-graph-")) / "kb.graphml")
H = nx.read_graphml(out, force_multigraph=True)
print(out, H.number_of_nodes(), "nodes", H.number_of_edges(), "edges")
assert (H.number_of_nodes(), H.number_of_edges()) == (G.number_of_nodes(), G.number_of_edges())'''),
]

NOTEBOOKS = {
    "01_sql_queries.ipynb": NB1,
    "02_rank_hosts.ipynb": NB2,
    "03_knowledge_graph.ipynb": NB3,
}


def make(name: str, cells) -> nbformat.NotebookNode:
    nb = new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.metadata["language_info"] = {"name": "python"}
    for i, cell in enumerate(nb.cells):  # stable ids: regenerating gives the same files
        cell["id"] = f"{Path(name).stem[:2]}-{i:02d}"
    return nb


def execute(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Run ``nb`` top to bottom in a python3 kernel in this folder, without HOSTKB_DB (the
    notebook builds the demo corpus itself); raises on a cell error."""
    import os

    import nbclient

    env = {k: v for k, v in os.environ.items() if k != "HOSTKB_DB"}
    env["MPLBACKEND"] = "Agg"
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(HERE.parent), env.get("PYTHONPATH")) if p)
    client = nbclient.NotebookClient(nb, kernel_name="python3", timeout=300,
                                     resources={"metadata": {"path": str(HERE)}})
    client.execute(env=env)
    return nb


def main(argv: list[str] | None = None) -> None:
    import sys

    run = "--no-execute" not in (sys.argv[1:] if argv is None else argv)
    for name, cells in NOTEBOOKS.items():
        nb = make(name, cells)
        if run:
            execute(nb)
        nbformat.validate(nb)
        nbformat.write(nb, HERE / name)
        print(f"wrote {HERE / name}" + (" (executed)" if run else ""))


if __name__ == "__main__":
    main()

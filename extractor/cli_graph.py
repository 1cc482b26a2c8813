"""Commands for the knowledge graph and the ranking: ``graph``, ``rank``, ``cite``,
``shared-components`` and ``neighbours``.

Thin over ``extractor.graph`` and ``extractor.rank``; ``register(cli)`` adds them to
the ``hostkb`` group (extractor/cli.py calls it).
"""

from __future__ import annotations

import csv
import functools
import io
import json
from pathlib import Path

import click

from .cli_types import FiniteFloat
from .errors import HostkbError

__all__ = ["register"]

EVIDENCE_WIDTH = 70  # characters of evidence shown in the table format


def _db_option(func):
    return click.option(
        "--db", "db_path", default="hostkb.db", show_default=True, envvar="HOSTKB_DB",
        type=click.Path(dir_okay=False, path_type=Path), help="The SQLite database (env: HOSTKB_DB).",
    )(func)


def _library_errors(func):
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except (HostkbError, ValueError) as exc:
            raise click.ClickException(str(exc)) from exc
    return wrapper


def _open(db_path: Path):
    from .store import open_db
    return open_db(db_path, create=False)


def _truncate(text: str | None, width: int) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _table(headers: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(headers)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(headers, widths)).rstrip(),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in rows]
    return "\n".join(lines)


# ---------------------------------------------------------------- commands


@click.command()
@_db_option
@click.option("--out", "out_path", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="File to write the graph to.")
@click.option("--format", "fmt", type=click.Choice(["graphml", "json"]), default=None,
              help="GraphML (Gephi, Cytoscape) or node-link JSON; default: from the file suffix "
                   "(.json is JSON, anything else GraphML).")
@_library_errors
def graph(db_path, out_path, fmt):
    """Build the knowledge graph, store it in the graph_nodes and graph_edges tables
    and write it to a file."""
    from .graph import build_graph, export_graph, refresh_graph, summary

    fmt = fmt or ("json" if out_path.suffix.lower() == ".json" else "graphml")
    db = _open(db_path)
    try:
        refresh_graph(db, full=True)
        G = build_graph(db)
    finally:
        db.close()
    export_graph(G, out_path, fmt)
    counts = summary(G)
    click.echo(f"hostkb: graph of {G.number_of_nodes()} nodes and {G.number_of_edges()} edges "
               f"written to {out_path} ({fmt}) and to the graph tables of {db_path}")
    click.echo("  nodes: " + ", ".join(f"{k} {v}" for k, v in counts["nodes"].items()))
    click.echo("  edges: " + ", ".join(f"{k} {v}" for k, v in counts["edges"].items()))


def _metric_help() -> str:
    return "a metric of schema/vocab.toml (coulombic_efficiency, overpotential, cycle_count, ...)"


def _rank_options(func):
    """The filters of a ranking, shared by ``rank`` and ``cite``."""
    options = [
        click.option("--cell-type", type=click.Choice(["symmetric", "half", "full", "pouch"]),
                     help="Only figures of this cell type."),
        click.option("--current-density", type=FiniteFloat(min=0, min_open=True), help="mA/cm² (within --tolerance)."),
        click.option("--areal-capacity", type=FiniteFloat(min=0, min_open=True), help="mAh/cm² (within --tolerance)."),
        click.option("--c-rate", type=FiniteFloat(min=0, min_open=True), help="C (within --tolerance)."),
        click.option("--cathode", help="Cathode, a case-insensitive part of its name (LiFePO4, NCM) or LFP, "
                                       "NCM811, ..."),
        click.option("--electrolyte", help="Electrolyte, a case-insensitive part of it as written (LiTFSI, "
                                           "LiPF6, carbonate)."),
        click.option("--min-cycles", type=FiniteFloat(min=0),
                     help="Only figures stated for at least this many cycles."),
        click.option("--temperature", type=FiniteFloat(min=-273.15),
                     help="°C (within --tolerance); figures without a stated temperature count as 25 °C."),
        click.option("--tolerance", type=FiniteFloat(min=0), default=0.05, show_default=True,
                     help="Relative tolerance of the numeric filters (0.05: ±5 %)."),
        click.option("--top", type=click.IntRange(min=1), help="Show the best N designs only."),
        click.option("--include-cited", is_flag=True, help="Rank figures a paper quotes from other work too."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def _run_rank(db_path, metric, filters):
    from .rank import rank

    db = _open(db_path)
    try:
        return rank(db, metric, **filters)
    finally:
        db.close()


def _bibtex(db_path, rows) -> str:
    from .papers import bibtex
    from .rank import papers

    db = _open(db_path)
    try:
        return bibtex(papers(db, rows))
    finally:
        db.close()


@click.command(name="rank")
@click.argument("metric")
@_db_option
@_rank_options
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json", "bibtex"]), default="table",
              show_default=True, help="Evidence is shortened in the table, complete in csv and json; "
                                      "bibtex: the papers behind the ranking.")
@_library_errors
def rank_command(metric, db_path, fmt, **filters):
    """Rank host designs by METRIC on comparable conditions: one best figure per design
    (a host in one paper), best first, with its conditions, paper and evidence.

    METRIC is a metric of schema/vocab.toml, e.g. coulombic_efficiency or overpotential.
    Unknown values are left empty (csv, json: null), never shown as 0.
    """
    from .rank import to_records
    from .vocab import vocabulary

    rows = _run_rank(db_path, metric, filters)
    if fmt == "bibtex":
        click.echo(_bibtex(db_path, rows), nl=False)
        return
    records = to_records(rows)
    if fmt == "json":
        click.echo(json.dumps(records, indent=2, ensure_ascii=False))
        return
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=list(records[0]) if records else ["rank"], lineterminator="\n")
        writer.writeheader()
        writer.writerows(records)
        click.echo(out.getvalue(), nl=False)
        return
    m = vocabulary().metric(metric)
    click.echo(f"{m.label} ({m.better} is better), {_filters_text(**filters)}")
    if not rows:
        click.echo("hostkb: no figure matches these conditions", err=True)
        return
    click.echo(_table(
        ["rank", "host", "value", "conditions", "paper", "evidence"],
        [[str(r.rank), r.host + ("" if r.host_kind == "host" else f" ({r.host_kind})"), r.display_value,
          r.conditions.describe(), _truncate(r.paper, 40),
          _truncate(r.evidence, EVIDENCE_WIDTH) + (f" (p. {r.page})" if r.page else "")]
         for r in rows]))


@click.command(name="cite")
@click.argument("metric", required=False)
@_db_option
@_rank_options
@_library_errors
def cite(metric, db_path, **filters):
    """BibTeX of the papers behind a ranking of METRIC (the same filters as `hostkb rank`),
    best-ranked first; without METRIC, of every paper in the database. Documents of one
    paper (same DOI) give one entry."""
    if metric:
        rows = _run_rank(db_path, metric, filters)
        click.echo(_bibtex(db_path, rows), nl=False)
        return
    from .papers import bibtex

    db = _open(db_path)
    try:
        documents = list(db.query("SELECT name, title, doi, year, journal, authors FROM documents ORDER BY name"))
    finally:
        db.close()
    click.echo(bibtex(documents), nl=False)


def _filters_text(cell_type=None, current_density=None, areal_capacity=None, c_rate=None, cathode=None,
                  temperature=None, tolerance=0.05, electrolyte=None, min_cycles=None, **_) -> str:
    parts = []
    if cell_type:
        parts.append(f"{cell_type} cells")
    for value, unit in ((current_density, "mA/cm²"), (areal_capacity, "mAh/cm²"), (c_rate, "C"),
                        (temperature, "°C")):
        if value is not None:
            parts.append(f"{value:g} {unit}")
    if cathode:
        parts.append(f"cathode {cathode}")
    if electrolyte:
        parts.append(f"electrolyte {electrolyte}")
    if min_cycles is not None:
        parts.append(f"at least {min_cycles:g} cycles")
    if not parts:
        return "all conditions"
    if any(v is not None for v in (current_density, areal_capacity, c_rate, temperature)):
        return ", ".join(parts) + f" (±{tolerance * 100:g} %)"
    return ", ".join(parts)


@click.command(name="shared-components")
@_db_option
@click.option("--by", type=click.Choice(["component", "method"]), default="component", show_default=True,
              help="Share a component (material) or a synthesis method.")
@click.option("--across-papers", is_flag=True, help="Only pairs of designs from different papers.")
@click.option("--json", "as_json", is_flag=True, help="Print the pairs as JSON.")
@_library_errors
def shared_components_command(db_path, by, across_papers, as_json):
    """Pairs of host designs that share a component (or a synthesis method), most shared first."""
    from dataclasses import asdict

    from .graph import build_graph, shared_components, shared_methods

    db = _open(db_path)
    try:
        G = build_graph(db)
    finally:
        db.close()
    query = shared_components if by == "component" else shared_methods
    links = query(G, across_papers=across_papers)
    if as_json:
        click.echo(json.dumps([asdict(s) for s in links], indent=2, ensure_ascii=False))
        return
    if not links:
        click.echo(f"hostkb: no two designs share a {by}", err=True)
        return
    for s in links:
        click.echo(f"{s.host_a} [{s.document_a}]  ~  {s.host_b} [{s.document_b}]: {', '.join(s.shared)}")


@click.command(name="neighbours")
@click.argument("host")
@_db_option
@click.option("--radius", default=1, show_default=True, type=click.IntRange(min=1),
              help="How many steps away from the host.")
@click.option("--paper", "--document", "document", metavar="DOCUMENT",
              help="Only the host of this paper (its file name), when several papers name it.")
@click.option("--json", "as_json", is_flag=True, help="Print the subgraph as node-link JSON.")
@_library_errors
def neighbours(host, db_path, radius, document, as_json):
    """The neighbourhood of HOST (a name, an alias or a node id such as
    host:paper.txt:NAME) in the knowledge graph: its paper, components, synthesis,
    tests, figures and the designs it is compared with. A name that hosts of several
    papers have (Cu foil) lists them: choose one with --paper."""
    import networkx as nx

    from .graph import build_graph, neighbourhood

    db = _open(db_path)
    try:
        G = build_graph(db)
    finally:
        db.close()
    sub = neighbourhood(G, host, radius, document=document)
    if as_json:
        click.echo(json.dumps(nx.node_link_data(sub, edges="links"), indent=1, ensure_ascii=False))
        return
    for centre in sub.graph["centres"]:
        data = sub.nodes[centre]
        click.echo(f"{data['name']} ({data['kind']}, {data['document']}): "
                   f"{sub.number_of_nodes() - 1} nodes within {radius} step{'s' if radius > 1 else ''}")
        lines = []
        for u, v, d in sub.edges(data=True):
            if centre not in (u, v) and radius == 1:
                continue
            lines.append((d["type"], d.get("step_order") or 0, _edge_line(sub, u, v, d)))
        for *_, line in sorted(lines):
            click.echo(f"  {line}")


def _edge_line(G, u, v, d) -> str:
    def name(n):
        return f"{G.nodes[n]['type']} {_truncate(G.nodes[n]['label'], 60)}"
    extra = f" (step {d['step_order']})" if d.get("step_order") is not None and d["type"] == "made_by" else ""
    return f"{name(u)} --{d['type']}--> {name(v)}{extra}"


def register(cli_group: click.Group) -> None:
    """Add graph, rank, cite, shared-components and neighbours to ``cli_group``."""
    for command in (graph, rank_command, cite, shared_components_command, neighbours):
        cli_group.add_command(command)

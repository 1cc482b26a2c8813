"""The web catalog: a read-only Datasette over a hostkb database.

``metadata(db_path)`` describes every table, view and column (units in the column
names or the descriptions), sets the facets that matter and defines the canned
queries; ``datasette_app(db_path)`` builds the ``Datasette`` instance; ``serve``
runs it with uvicorn. Templates and the one plugin live in ``extractor/catalog/``.

Read-only, provably (tests/test_serve.py checks each point):

* the database is opened read-only (``file:...?mode=ro``), in WAL mode: SQLite itself
  refuses writes, no canned query writes, and any request but GET, HEAD and OPTIONS is
  refused at the door (the plugin). It is *not* opened immutable: ``hostkb build`` may
  write the file while it is served (WAL readers see the last committed state, never a
  torn one: every answer is from the old or the new data), and a write-ahead log left
  by a killed build is read, not ignored;
* every catalog connection is bounded by ``extractor.catalog_guard``: SQLite limits (no
  string or blob over 32 MiB, no SQL over 1 MiB) and bounded versions of the built-in
  functions whose one call could otherwise run for seconds in gigabytes, out of reach
  of the time limit (``printf('%.*c', 1e9, 'x')``, ``randomblob(9e8)``);
* no canned query is writable, and Datasette accepts only SELECT statements in
  arbitrary SQL (no PRAGMA other than its read-only list, no ATTACH);
* every query runs under ``sql_time_limit_ms`` (one second);
* no static mounts are added: the only files served besides the database are
  Datasette's own static assets (path traversal out of them answers 404).

The whole database can be downloaded (``/<db>.db``): the catalog exists to be shared.
The download is a consistent copy made with SQLite's backup API at the time of the
request (``snapshot``), so a download during a build is the database before or after
one of its documents, never a mix of pages.

The chart of a ranking is an inline SVG bar chart rendered on the server by a Jinja
template (``catalog/templates/_rank_chart.html``), not datasette-vega or
datasette-dashboards with Vega-Lite: it needs no JavaScript and no network (Vega-Lite
would have to be vendored, a few hundred kB, or fetched from a CDN at view time),
works in any browser, prints, and is plain HTML that the test client can check. Each
bar links to the sentence that states its value.
"""

from __future__ import annotations

import re
import socket
import sqlite3
from functools import lru_cache
from pathlib import Path

from .errors import DatabaseError, HostkbError
from .vocab import schema_dir

__all__ = ["ServeError", "CANNED_QUERIES", "metadata", "canned_queries", "datasette_app", "serve",
           "database_name", "SETTINGS"]

CATALOG_DIR = Path(__file__).resolve().parent / "catalog"
TEMPLATE_DIR = CATALOG_DIR / "templates"
PLUGINS_DIR = CATALOG_DIR / "plugins"

SETTINGS = {
    "sql_time_limit_ms": 1000,     # every query, canned or not
    "facet_time_limit_ms": 200,
    "default_page_size": 50,
    "max_returned_rows": 1000,
    "allow_download": True,        # the database file is the shareable product
    "allow_csv_stream": True,
    "default_allow_sql": True,     # arbitrary SELECTs, read-only and time-limited
    "suggest_facets": True,
    "truncate_cells_html": 400,    # long evidence sentences are shortened in table views
}


class ServeError(HostkbError):
    """The catalog cannot start (port in use, database being written, ...)."""


# ---------------------------------------------------------------- descriptions

TITLE = "hostkb: lithium-metal anode hosts"
DATABASE_TITLE = "hostkb: host designs, synthesis and figures of merit from lithium-metal anode papers"

DESCRIPTION_HTML = """
<p>Host designs for lithium-metal anodes, their synthesis and their figures of merit
(Coulombic efficiency, overpotential, cycling time, ...) under the test conditions the
papers report, extracted from {n_documents} paper(s) by <code>hostkb</code>:
{n_hosts} host(s), {n_figures} figure(s), {n_sentences} sentence(s) of evidence.
Every number links to the sentence that states it.</p>
<ul>
<li><a href="{db}/rank_hosts?metric=coulombic_efficiency&amp;cell_type=half">Rank host designs</a> by a metric
under chosen conditions, with a chart (e.g. Coulombic efficiency in half cells)</li>
<li><a href="{db}/host_profile">Host profile</a>: aliases, components, synthesis, every figure, papers</li>
<li><a href="{db}/compare_hosts">Compare two hosts</a> on the same metric under comparable conditions</li>
<li><a href="{db}/metric_vs_condition?metric=coulombic_efficiency&amp;condition=current_density">One metric
against a condition</a> across papers, as a scatter plot labelled by host and paper (e.g. Coulombic efficiency
against current density)</li>
<li><a href="{db}/search_evidence">Search the evidence</a> (full-text search over every sentence; host names such
as ZnO@NHC as typed)</li>
<li><a href="{db}/figures">All figures</a> with conditions and evidence, faceted by metric, cell type, cathode and
paper; choose a metric to see its best figures first (e.g.
<a href="{db}/figures?metric=coulombic_efficiency">Coulombic efficiency</a>,
<a href="{db}/figures?metric=overpotential">overpotential</a>)</li>
<li><a href="{db}/papers">Papers</a> as cited (first author, year, journal; DOI links) and <a href="{db}/host_designs">host designs</a></li>
<li><a href="{db}.db">Download the whole database</a> (one SQLite file)</li>
</ul>
<p>Units are in the column names (<code>current_density_ma_cm2</code> is mA/cm&sup2;) or, for
figures and properties, in the <code>unit</code> column next to the value.</p>
"""

SOURCE = "The papers listed in the documents table (title, DOI, journal, year)"
LICENSE = "Each paper's own licence (see its DOI); extracted data and hostkb code: MIT"

_ID = "Row id (integer primary key)."
_DOC = "The paper it comes from (documents.id)."
_SENT = "The evidence sentence (sentences.id); its page shows the sentence in context."
_EVIDENCE = "Raw text of the paper stating this, white space collapsed (click to see it in context)."
_QUALIFIER = "How the value is stated: eq (exactly), approx (~), gt (>), lt (<), up_to (up to)."
_CELL_TYPE = "Cell type of the test: symmetric (Li||Li), half (Li||Cu or host), full (Li||cathode) or pouch."
_CD = "Current density of the test, in mA/cm2."
_AC = "Areal capacity per cycle of the test, in mAh/cm2."
_CR = "C-rate of the test, in C (1 C = full charge in one hour)."
_CYCLES = "Number of cycles the figure refers to, in cycles."
_CATHODE = "Cathode of a full or pouch cell (e.g. LiFePO4), as written."
_ELECTROLYTE = "Electrolyte, as written."
_TEMP = "Test temperature, in degrees Celsius (NULL: not stated, usually room temperature)."
_RAW_START = "Start offset of the text in the document's loaded raw text (characters)."
_RAW_END = "End offset (exclusive) of the text in the document's loaded raw text (characters)."
_SECTION = "Section of the paper: title, abstract, introduction, experimental, results, conclusions, body, supporting."
_ROLE = "Kind of passage: paragraph, caption or heading."
_PAGE = "Page number, 1-based (NULL for text files)."
_VALUE = "The value, in the unit of the unit column."
_UNIT = "Canonical unit key of schema/vocab.toml (e.g. mA/cm2, %, mV, h)."
_PAPER = ("The paper as cited: first author et al., year, journal (the file name when the authors "
          "are not known).")
_METRIC = "Figure of merit (metrics.name), e.g. coulombic_efficiency, overpotential, cycling_time."

_RANK_FIGURE_COLUMNS = {
    "measurement_id": "The figure (measurements.id).", "metric": _METRIC, "value": _VALUE,
    "cell_type": _CELL_TYPE, "current_density": _CD, "areal_capacity": _AC, "c_rate": _CR,
    "temperature": _TEMP, "cathode": "Cathode, lower-cased.", "cycles": _CYCLES,
    "host": "Host name as written.", "host_kind": "host, variant, control or cited.",
    "paper": "The paper: the DOI lower-cased, or the document id when there is none.",
    "document": "File name of the paper.", "document_id": _DOC,
}

TABLES: dict[str, dict] = {
    "meta": {
        "description": "Bookkeeping of the database: application, schema version and fingerprint, hostkb version.",
        "columns": {"key": "Setting name.", "value": "Setting value."},
        "hidden": True,
    },
    "documents": {
        "description": "One row per paper built into the database.",
        "columns": {
            "id": _ID,
            "name": "File name of the paper (its identity in hostkb).",
            "path": "Path the paper was built from, relative to the folder named to the build.",
            "format": "File format: pdf, txt, md or xml.",
            "sha256": "SHA-256 of the file's bytes (unchanged files are not rebuilt).",
            "title": "Title of the paper.",
            "doi": "DOI of the paper.",
            "year": "Year of publication.",
            "journal": "Journal.",
            "authors": "Authors, a JSON list.",
            "page_count": "Number of pages (NULL for text files).",
            "n_passages": "Number of passages (paragraphs, captions, headings) kept.",
            "n_sentences": "Number of sentences kept.",
            "dropped": "Parts left out (references, acknowledgements, ...), a JSON list.",
            "built_at": "When the paper was built, ISO 8601 UTC.",
            "hostkb_version": "Version of hostkb that built it.",
        },
    },
    "ingest_errors": {
        "description": "Files that could not be built in the latest attempt, with the reason.",
        "columns": {
            "id": _ID, "path": "Path of the file, relative to the folder named to the build.", "name": "File name.",
            "reason": "Machine-readable reason (e.g. no_text_layer, encrypted, unsupported_format).",
            "detail": "Human-readable detail.", "sha256": "SHA-256 of the file's bytes, when it could be read.",
            "at": "When it failed, ISO 8601 UTC.",
        },
    },
    "build_files": {
        "description": "Bookkeeping of `hostkb build`: the file each paper was last built from, so that "
                       "unchanged files are skipped without reading them.",
        "columns": {
            "name": "File name (documents.name).", "path": "Path it was built from (as documents.path).",
            "size": "File size, in bytes.", "mtime_ns": "File modification time, in nanoseconds since the epoch.",
            "sha256": "SHA-256 of the file's bytes at that size and modification time.",
            "checked_ns": "When this row was written, in nanoseconds since the epoch.",
        },
        "hidden": True,
    },
    "passages": {
        "description": "Paragraphs, captions and headings of each paper, in order (references dropped).",
        "columns": {
            "id": _ID, "document_id": _DOC, "idx": "Position of the passage in the paper, 0-based.",
            "section": _SECTION, "role": _ROLE, "page": _PAGE, "heading": "Section heading as written.",
            "text": "Normalized text of the passage.", "raw_start": _RAW_START, "raw_end": _RAW_END,
        },
    },
    "pdf_tables": {
        "description": "Tables read from the pages of PDF papers (the region under a Table N caption), "
                       "one row each; their cells are in table_cells, their text is not in the sentences.",
        "columns": {
            "id": _ID, "document_id": _DOC, "idx": "Position of the table in the paper, 0-based.",
            "page": _PAGE, "caption": "The table's caption as read.", "n_rows": "Number of rows.",
            "n_cols": "Number of columns.", "x0": "Left edge of the cells, in PDF points.",
            "y0": "Bottom edge of the cells, in PDF points from the foot of the page.",
            "x1": "Right edge of the cells, in PDF points.", "y1": "Top edge of the cells, in PDF points.",
        },
    },
    "table_cells": {
        "description": "The cells of the PDF tables, by row (0 is the header row as printed) and column.",
        "columns": {
            "table_id": "The table (pdf_tables.id).", "row": "Row, 0-based, top first.",
            "col": "Column, 0-based, left first.", "text": "The cell's text as read.",
            "x0": "Left edge of the cell, in PDF points.", "y0": "Bottom edge, in PDF points from the foot of the page.",
            "x1": "Right edge of the cell, in PDF points.", "y1": "Top edge of the cell, in PDF points.",
        },
    },
    "sentences": {
        "description": "Every sentence of every paper: the evidence behind each fact. Full-text searchable.",
        "columns": {
            "id": _ID, "document_id": _DOC, "passage_id": "The passage it belongs to (passages.id).",
            "idx": "Position of the sentence in the paper, 0-based.", "section": _SECTION, "role": _ROLE,
            "page": _PAGE, "text": "Normalized text (what the extractor reads).",
            "evidence": "Raw text as in the paper, white space collapsed.",
            "raw_start": _RAW_START, "raw_end": _RAW_END,
        },
    },
    "sentences_fts": {
        "description": "SQLite FTS5 full-text index over sentences (text, evidence); used by search_evidence.",
        "columns": {
            "text": "Indexed normalized sentence text.", "evidence": "Indexed raw sentence text.",
            "sentences_fts": "FTS5 hidden column named after the table (MATCH target).",
            "rank": "FTS5 hidden column: bm25 relevance (lower is better).",
        },
        "hidden": True,
    },
    "sentences_fts_data": {
        "description": "FTS5 internal storage of the sentences index.",
        "columns": {"id": "FTS5 internal block id.", "block": "FTS5 internal data block."},
        "hidden": True,
    },
    "sentences_fts_idx": {
        "description": "FTS5 internal term index of the sentences index.",
        "columns": {"segid": "FTS5 segment id.", "term": "FTS5 term prefix.", "pgno": "FTS5 page number."},
        "hidden": True,
    },
    "sentences_fts_docsize": {
        "description": "FTS5 internal document sizes of the sentences index.",
        "columns": {"id": "Row id of the sentence.", "sz": "FTS5 token counts per column."},
        "hidden": True,
    },
    "sentences_fts_config": {
        "description": "FTS5 internal configuration of the sentences index.",
        "columns": {"k": "FTS5 configuration key.", "v": "FTS5 configuration value."},
        "hidden": True,
    },
    "metrics": {
        "description": "Figures of merit hostkb knows (schema/vocab.toml), with the unit every value is stored in.",
        "columns": {
            "name": "Metric name.", "unit": "Canonical unit of every value of this metric.",
            "better": "Whether higher or lower values are better.", "label": "Human-readable name.",
            "dimension": "Physical dimension of the unit.",
        },
    },
    "materials": {
        "description": "Materials named as host components or synthesis precursors, shared between papers.",
        "columns": {"id": _ID, "name": "Material name as written."},
    },
    "hosts": {
        "description": "Host designs (and controls, variants, cited hosts) each paper reports.",
        "columns": {
            "id": _ID, "document_id": _DOC, "name": "Host name the paper uses most, as written.",
            "kind": "host (the paper's design), variant, control (e.g. bare Cu foil) or cited (from other work).",
            "has_figures": "1 if the paper reports figures of merit for it, 0 if not, NULL if unknown.",
            "sentence_id": _SENT, "evidence": _EVIDENCE,
        },
    },
    "host_aliases": {
        "description": "Other names of a host in its paper (abbreviations, long forms).",
        "columns": {"host_id": "The host (hosts.id).", "alias": "Another name of the host."},
    },
    "host_components": {
        "description": "Materials a host is made of, in the order listed.",
        "columns": {"host_id": "The host (hosts.id).", "material_id": "The material (materials.id).",
                    "position": "Order in the list, 0-based."},
    },
    "synthesis_routes": {
        "description": "How a host was made: one route per host and paper; its steps are in synthesis_steps.",
        "columns": {"id": _ID, "document_id": _DOC, "host_id": "The host made (hosts.id).",
                    "evidence": "Raw text of the passage describing the route."},
    },
    "synthesis_steps": {
        "description": "Steps of a synthesis route, in order, with method and conditions.",
        "columns": {
            "id": _ID, "route_id": "The route (synthesis_routes.id).", "step_order": "Order of the step, 1-based.",
            "method": "Synthesis method (schema/vocab.toml), e.g. hydrothermal, annealing, electrodeposition.",
            "conditions": "Conditions as written.", "temperature_c": "Temperature of the step, in degrees Celsius.",
            "duration_h": "Duration of the step, in hours.", "atmosphere": "Atmosphere (Ar, N2, air, ...).",
            "sentence_id": _SENT, "evidence": _EVIDENCE,
        },
    },
    "step_precursors": {
        "description": "Precursor materials of a synthesis step, in the order listed.",
        "columns": {"step_id": "The step (synthesis_steps.id).", "material_id": "The material (materials.id).",
                    "position": "Order in the list, 0-based."},
    },
    "cell_tests": {
        "description": "Test conditions: one row per distinct set of conditions in a paper.",
        "columns": {
            "id": _ID, "document_id": _DOC, "cell_type": _CELL_TYPE, "current_density_ma_cm2": _CD,
            "areal_capacity_mah_cm2": _AC, "c_rate": _CR, "cycles": _CYCLES, "cathode": _CATHODE,
            "electrolyte": _ELECTROLYTE, "temperature_c": _TEMP,
        },
    },
    "measurements": {
        "description": "Figures of merit: one row per reported value, with its host, conditions and evidence.",
        "columns": {
            "id": _ID, "document_id": _DOC, "host_id": "The host measured (hosts.id).",
            "cell_test_id": "The test conditions (cell_tests.id).", "metric": _METRIC, "value": _VALUE,
            "unit": _UNIT, "qualifier": _QUALIFIER, "raw": "The quantity as written in the paper.",
            "sentence_id": _SENT,
            "span_start": "Start of the quantity in the sentence's normalized text (characters).",
            "span_end": "End (exclusive) of the quantity in the sentence's normalized text (characters).",
            "evidence": _EVIDENCE,
        },
    },
    "properties": {
        "description": "Measured characteristics of materials (surface area, conductivity, thickness, ...).",
        "columns": {
            "id": _ID, "document_id": _DOC, "material": "Host or component name, as written.",
            "property": "Property name (schema/vocab.toml), e.g. specific_surface_area.", "value": _VALUE,
            "unit": _UNIT, "qualifier": _QUALIFIER, "note": "Extra context (e.g. the measurement method).",
            "raw": "The quantity as written.", "sentence_id": _SENT, "evidence": _EVIDENCE,
        },
    },
    "figures": {
        "description": "One row per figure of merit with its host, test conditions, paper and evidence sentence: "
                       "the table for people who want one table.",
        "columns": {
            "measurement_id": "The figure (measurements.id).", "host": "Host name as written.",
            "host_kind": "host, variant, control or cited.", "metric": _METRIC,
            "metric_label": "Human-readable metric name.", "value": _VALUE, "unit": _UNIT,
            "qualifier": _QUALIFIER, "better": "Whether higher or lower values of the metric are better.",
            "cell_type": _CELL_TYPE, "current_density_ma_cm2": _CD, "areal_capacity_mah_cm2": _AC,
            "c_rate": _CR, "cycles": _CYCLES, "cathode": _CATHODE, "electrolyte": _ELECTROLYTE,
            "temperature_c": _TEMP, "raw": "The quantity as written.", "document": "File name of the paper.",
            "title": "Title of the paper.", "doi": "DOI of the paper.", "year": "Year of publication.",
            "journal": "Journal.", "evidence": _EVIDENCE, "page": _PAGE, "section": _SECTION,
            "sentence_id": _SENT, "host_id": "The host (hosts.id).", "document_id": _DOC,
            "authors": "Authors of the paper, a JSON list.",
            "paper": _PAPER,
            "best_first": "The value, negated when higher is better: sorted ascending, the best figures of a "
                          "metric come first (the default order).",
        },
    },
    "graph_nodes": {
        "description": "Nodes of the knowledge graph (extractor/graph.py): papers, hosts, materials, methods, "
                       "precursors, cell tests, cathodes, electrolytes, metrics, measurements.",
        "columns": {
            "id": "Stable readable node id, e.g. host:<document>:<name>, material:<name>, metric:<name>.",
            "type": "Node type: paper, host, material, method, precursor, cell_test, cathode, electrolyte, "
                    "metric or measurement.",
            "label": "What to print or draw for the node.",
            "attributes": "Every other attribute, a JSON object (sentence_id, evidence, value, unit, conditions, ...).",
            "document_id": "The paper the node comes from (documents.id); NULL for shared nodes (materials, metrics, ...).",
        },
        "hidden": True,  # the graph is for `hostkb graph` and `hostkb neighbours`; hosts and figures are the tables to browse
    },
    "graph_edges": {
        "description": "Edges of the knowledge graph: reports, has_component, made_by, uses_precursor, tested_in, "
                       "measured, of_metric, under, uses_cathode, uses_electrolyte, compared_with.",
        "columns": {
            "id": _ID, "source": "Node the edge starts from (graph_nodes.id).",
            "target": "Node the edge points to (graph_nodes.id).", "type": "Edge type (relation).",
            "attributes": "Every other attribute, a JSON object (sentence_id, document, step_order, ...).",
            "document_id": "The paper the edge comes from (documents.id).",
        },
        "hidden": True,
    },
    "ranking_base": {
        "description": "One row per figure of merit prepared for ranking (schema/ranking.sql): conditions, "
                       "paper, evidence and sort_value.",
        "columns": {
            "measurement_id": "The figure (measurements.id).", "metric": _METRIC,
            "metric_label": "Human-readable metric name.",
            "better": "Whether higher or lower values of the metric are better.",
            "host_id": "The host (hosts.id).", "host": "Host name as written.",
            "host_kind": "host, variant, control or cited.", "value": _VALUE, "unit": _UNIT,
            "qualifier": _QUALIFIER, "raw": "The quantity as written.", "cell_type": _CELL_TYPE,
            "current_density": _CD, "areal_capacity": _AC, "c_rate": _CR, "cycles": _CYCLES,
            "cathode": _CATHODE, "electrolyte": _ELECTROLYTE, "temperature": _TEMP, "document_id": _DOC,
            "document": "File name of the paper.", "title": "Title of the paper.", "doi": "DOI of the paper.",
            "year": "Year of publication.", "journal": "Journal.", "authors": "Authors, a JSON list.",
            "sentence_id": _SENT, "evidence": _EVIDENCE, "page": _PAGE,
            "sort_value": "The value signed so that smaller is better (value, or -value when higher is better), "
                          "in the unit of the unit column.",
        },
    },
    "rank_figures": {
        "description": "What the ranking query picks figures from (schema/indexes.sql): one narrow row per "
                       "figure, derived from measurements, cell_tests, hosts and documents and kept in step "
                       "with them by triggers.",
        "columns": _RANK_FIGURE_COLUMNS,
        "hidden": True,
    },
    "rank_figures_source": {
        "description": "The join that rank_figures is derived from (one row per figure).",
        "columns": _RANK_FIGURE_COLUMNS,
        "hidden": True,
    },
    "host_designs": {
        "description": "One row per host with its paper, aliases, components and number of figures.",
        "columns": {
            "host_id": "The host (hosts.id).", "host": "Host name as written.",
            "kind": "host, variant, control or cited.", "aliases": "Other names, comma separated.",
            "components": "Materials it is made of, comma separated, in order.",
            "n_figures": "Number of figures of merit reported for it (count).",
            "document": "File name of the paper.", "title": "Title of the paper.", "doi": "DOI of the paper.",
            "year": "Year of publication.", "document_id": _DOC, "paper": _PAPER,
        },
    },
    "papers": {
        "description": "One row per document with the short label a reader cites it by "
                       "(first author et al., year, journal).",
        "columns": {
            "document_id": _DOC, "paper": _PAPER, "document": "File name of the paper.",
            "title": "Title of the paper.", "doi": "DOI of the paper (a link).", "year": "Year of publication.",
            "journal": "Journal.", "authors": "Authors, a JSON list.",
        },
    },
    "synthesis": {
        "description": "One row per synthesis step with its host, precursors, conditions and paper.",
        "columns": {
            "step_id": "The step (synthesis_steps.id).", "host": "Host made.",
            "step_order": "Order of the step, 1-based.", "method": "Synthesis method.",
            "precursors": "Precursor materials, comma separated, in order.", "conditions": "Conditions as written.",
            "temperature_c": "Temperature of the step, in degrees Celsius.",
            "duration_h": "Duration of the step, in hours.", "atmosphere": "Atmosphere.",
            "evidence": _EVIDENCE, "document": "File name of the paper.",
            "route_id": "The route (synthesis_routes.id).", "host_id": "The host (hosts.id).",
            "document_id": _DOC,
        },
    },
}

# How each table is browsed: facets, labels of foreign keys, sort order.
BROWSING: dict[str, dict] = {
    "documents": {"label_column": "name", "facets": ["format", "year", "journal"], "sort": "name"},
    "hosts": {"label_column": "name", "facets": ["kind", "document_id"], "sort": "name"},
    "materials": {"label_column": "name", "sort": "name"},
    "metrics": {"label_column": "label"},
    "passages": {"facets": ["section", "role", "document_id"]},
    # _search escapes what is typed, as Datasette does (ZnO@NHC, Li||Cu); _searchmode=raw for FTS5 syntax
    "pdf_tables": {"label_column": "caption", "facets": ["document_id", "page"]},
    "table_cells": {"facets": ["table_id"], "sort": "row"},
    "sentences": {"facets": ["section", "role", "document_id"], "fts_table": "sentences_fts", "fts_pk": "id"},
    "measurements": {"facets": ["metric", "document_id", "qualifier"], "sort": "metric"},
    "cell_tests": {"facets": ["cell_type", "cathode", "document_id"]},
    "properties": {"facets": ["property", "document_id"]},
    "synthesis_steps": {"facets": ["method", "atmosphere"]},
    "figures": {
        "facets": ["metric", "cell_type", "cathode", "paper"],
        "sort": "best_first",  # best first once a metric is chosen (its facet)
        "sortable_columns": ["best_first", "host", "metric", "value", "cell_type", "current_density_ma_cm2",
                             "areal_capacity_mah_cm2", "c_rate", "cycles", "cathode", "temperature_c",
                             "document", "paper", "year", "page", "measurement_id"],
    },
    "host_designs": {"facets": ["kind", "paper"], "sort_desc": "n_figures"},
    "papers": {"label_column": "paper", "sort": "paper"},
    "synthesis": {"facets": ["method", "host", "document"]},
    "ingest_errors": {"facets": ["reason"]},
    "graph_nodes": {"label_column": "label", "facets": ["type", "document_id"]},
    "graph_edges": {"facets": ["type", "document_id"]},
}


# ---------------------------------------------------------------- canned queries

def _g(expr: str) -> str:
    """``expr`` printed with %g, or NULL when it is NULL (printf('%g', NULL) is '0')."""
    return f"CASE WHEN {expr} IS NOT NULL THEN printf('%g', {expr}) END"


def _shown(value: str, unit: str, qualifier: str) -> str:
    """A value as a person reads it: qualifier sign, number and unit ('>1200 h', '≈14 mV');
    NULL when the value is unknown."""
    return (f"CASE WHEN {value} IS NOT NULL THEN "
            f"CASE {qualifier} WHEN 'gt' THEN '>' WHEN 'lt' THEN '<' WHEN 'approx' THEN '≈' "
            f"WHEN 'up_to' THEN 'up to ' ELSE '' END || printf('%g', {value}) "
            f"|| coalesce(' ' || nullif({unit}, ''), '') END")


# Conditions of a figure as one readable string ("symmetric, 1 mA/cm2, 1 mAh/cm2"); a
# condition the paper does not state is left out, never shown as 0.
_CONDITIONS = """trim(
    coalesce({p}cell_type, '')
    || coalesce(', ' || """ + _g("{p}current_density_ma_cm2") + """ || ' mA/cm2', '')
    || coalesce(', ' || """ + _g("{p}areal_capacity_mah_cm2") + """ || ' mAh/cm2', '')
    || coalesce(', ' || """ + _g("{p}c_rate") + """ || ' C', '')
    || coalesce(', ' || """ + _g("{p}cycles") + """ || ' cycles', '')
    || coalesce(', ' || {p}cathode, '')
    || coalesce(', ' || {p}electrolyte, '')
    || coalesce(', ' || """ + _g("{p}temperature_c") + """ || ' degC', ''), ', ')"""


def _conditions(prefix: str = "") -> str:
    return _CONDITIONS.format(p=prefix)


def _surely_better(x: str, y: str) -> str:
    """SQL: figure ``x`` is better than ``y`` whatever their qualifiers leave open (a
    stated bound, '>1200 h' or 'up to 20 mV', is one end of a range)."""
    low = "CASE WHEN {p}.qualifier IN ('lt', 'up_to') THEN NULL ELSE {p}.value END"
    high = "CASE WHEN {p}.qualifier = 'gt' THEN NULL ELSE {p}.value END"
    return (f"(CASE WHEN {x}.better = 'lower' THEN ({high.format(p=x)}) < ({low.format(p=y)}) "
            f"ELSE ({low.format(p=x)}) > ({high.format(p=y)}) END)")


# The hosts a name means: hosts of that name or alias, case-insensitively, in any paper.
_TARGET = """SELECT h.id FROM hosts h WHERE lower(h.name) = lower(trim({p}))
  UNION SELECT a.host_id FROM host_aliases a WHERE lower(a.alias) = lower(trim({p}))"""

HOST_PROFILE_SQL = f"""
WITH target AS ({_TARGET.format(p=':host')}),
parts AS (
  SELECT 1 AS ord, 'paper' AS part, h.name AS host, d.title AS item, NULL AS value, NULL AS unit,
         NULL AS qualifier,
         trim(coalesce(d.journal, '') || coalesce(' ' || d.year, '') || '') AS details,
         d.name AS document, h.evidence AS evidence, h.sentence_id AS sentence_id, h.id AS host_id,
         d.id AS document_id, 0 AS n, d.doi AS doi
  FROM hosts h JOIN documents d ON d.id = h.document_id WHERE h.id IN target
  UNION ALL
  SELECT 2, 'alias', h.name, a.alias, NULL, NULL, NULL, NULL, d.name, NULL, NULL, h.id, d.id, 0, NULL
  FROM host_aliases a JOIN hosts h ON h.id = a.host_id JOIN documents d ON d.id = h.document_id
  WHERE h.id IN target
  UNION ALL
  SELECT 3, 'component', h.name, m.name, NULL, NULL, NULL, NULL, d.name, NULL, NULL, h.id, d.id, hc.position, NULL
  FROM host_components hc JOIN materials m ON m.id = hc.material_id JOIN hosts h ON h.id = hc.host_id
  JOIN documents d ON d.id = h.document_id WHERE h.id IN target
  UNION ALL
  SELECT 4, 'synthesis', h.name, 'step ' || st.step_order || ': ' || st.method, st.temperature_c,
         CASE WHEN st.temperature_c IS NOT NULL THEN 'degC' END, NULL,
         trim(coalesce(st.conditions, '') || coalesce(', ' || {_g('st.duration_h')} || ' h', '')
              || coalesce(', ' || st.atmosphere, ''), ', '),
         d.name, st.evidence, st.sentence_id, h.id, d.id, st.step_order, NULL
  FROM synthesis_steps st JOIN synthesis_routes r ON r.id = st.route_id JOIN hosts h ON h.id = r.host_id
  JOIN documents d ON d.id = r.document_id WHERE h.id IN target
  UNION ALL
  SELECT 5, 'figure', f.host, f.metric, f.value, f.unit, f.qualifier, {_conditions('f.')},
         f.document, f.evidence, f.sentence_id, f.host_id, f.document_id, f.measurement_id, NULL
  FROM figures f WHERE f.host_id IN target
  UNION ALL
  SELECT 6, 'property', h.name, p.property, p.value, p.unit, p.qualifier, p.note, d.name, p.evidence, p.sentence_id,
         h.id, d.id, p.id, NULL
  FROM properties p JOIN hosts h ON h.document_id = p.document_id AND lower(p.material) = lower(h.name)
  JOIN documents d ON d.id = p.document_id WHERE h.id IN target
)
SELECT part, host, item, {_shown('value', 'unit', 'qualifier')} AS shown, value, unit, qualifier, details,
       document, doi, evidence, sentence_id, host_id, document_id
FROM parts
ORDER BY ord, document, host, item, n
"""

COMPARE_SQL = f"""
WITH params AS (
  SELECT nullif(trim(:metric), '') AS metric,
         coalesce(CAST(nullif(trim(:tolerance), '') AS REAL), 0.05) AS tol
),
a AS (SELECT * FROM figures WHERE host_id IN ({_TARGET.format(p=':host_a')})),
b AS (SELECT * FROM figures WHERE host_id IN ({_TARGET.format(p=':host_b')}))
SELECT
  a.metric AS metric, a.unit AS unit, a.better AS better,
  a.host AS host_a, {_shown('a.value', 'a.unit', 'a.qualifier')} AS shown_a,
  b.host AS host_b, {_shown('b.value', 'b.unit', 'b.qualifier')} AS shown_b,
  a.value AS value_a, a.qualifier AS qualifier_a, b.value AS value_b, b.qualifier AS qualifier_b,
  CASE WHEN a.value = b.value AND a.qualifier IN ('eq', 'approx') AND b.qualifier IN ('eq', 'approx')
         THEN 'tie'
       WHEN {_surely_better('a', 'b')} THEN a.host
       WHEN {_surely_better('b', 'a')} THEN b.host
       ELSE 'undecided (bounds overlap)' END AS better_host,
  CASE WHEN a.cell_type IS b.cell_type AND a.current_density_ma_cm2 IS b.current_density_ma_cm2
        AND a.areal_capacity_mah_cm2 IS b.areal_capacity_mah_cm2 AND a.c_rate IS b.c_rate
        AND lower(a.cathode) IS lower(b.cathode) AND a.temperature_c IS b.temperature_c
       THEN 'same' ELSE 'comparable' END AS match,
  {_conditions('a.')} AS conditions_a,
  {_conditions('b.')} AS conditions_b,
  a.document AS document_a, a.evidence AS evidence_a, a.sentence_id AS sentence_id_a,
  b.document AS document_b, b.evidence AS evidence_b, b.sentence_id AS sentence_id_b,
  a.document_id AS document_id_a, b.document_id AS document_id_b,
  a.host_id AS host_id_a, b.host_id AS host_id_b
FROM a JOIN b ON a.metric = b.metric AND a.host_id != b.host_id, params p
WHERE (p.metric IS NULL OR a.metric = p.metric)
  AND a.cell_type IS b.cell_type
  AND (a.current_density_ma_cm2 IS NULL OR b.current_density_ma_cm2 IS NULL
       OR abs(a.current_density_ma_cm2 - b.current_density_ma_cm2)
          <= p.tol * max(a.current_density_ma_cm2, b.current_density_ma_cm2))
  AND (a.areal_capacity_mah_cm2 IS NULL OR b.areal_capacity_mah_cm2 IS NULL
       OR abs(a.areal_capacity_mah_cm2 - b.areal_capacity_mah_cm2)
          <= p.tol * max(a.areal_capacity_mah_cm2, b.areal_capacity_mah_cm2))
  AND (a.c_rate IS NULL OR b.c_rate IS NULL OR abs(a.c_rate - b.c_rate) <= p.tol * max(a.c_rate, b.c_rate))
  AND (a.cathode IS NULL OR b.cathode IS NULL OR lower(a.cathode) = lower(b.cathode))
  AND (a.temperature_c IS NULL OR b.temperature_c IS NULL
       OR abs(a.temperature_c - b.temperature_c) <= p.tol * max(abs(a.temperature_c), abs(b.temperature_c)))
ORDER BY a.metric, match DESC, a.cell_type, a.current_density_ma_cm2, a.value
"""

# The conditions a figure can be plotted against: parameter value -> label (with unit).
CONDITIONS = {
    "current_density": "Current density (mA/cm2)",
    "areal_capacity": "Areal capacity (mAh/cm2)",
    "cycles": "Cycles",
    "c_rate": "C-rate (C)",
    "temperature": "Temperature (degC)",
}

METRIC_VS_CONDITION_SQL = """
WITH p AS (SELECT nullif(trim(:metric), '') AS metric, nullif(trim(:condition), '') AS condition,
                  nullif(trim(:cell_type), '') AS cell_type),
figures_x AS (
  SELECT
    f.host AS host, f.metric AS metric, f.value AS value, f.unit AS unit, f.qualifier AS qualifier,
    p.condition AS condition,
    CASE p.condition WHEN 'current_density' THEN f.current_density_ma_cm2
                     WHEN 'areal_capacity' THEN f.areal_capacity_mah_cm2
                     WHEN 'cycles' THEN f.cycles WHEN 'c_rate' THEN f.c_rate
                     WHEN 'temperature' THEN f.temperature_c END AS x,
    f.cell_type AS cell_type,
    """ + _conditions("f.") + """ AS conditions,
    f.document AS document, f.year AS year, f.journal AS journal, f.authors AS authors, f.doi AS doi,
    f.evidence AS evidence, f.sentence_id AS sentence_id, f.host_id AS host_id, f.document_id AS document_id,
    -- a paper built twice (PDF and text) states each figure twice: one point
    coalesce(lower(nullif(f.doi, '')), f.document) AS paper_key
  FROM figures f, p
  WHERE f.metric = p.metric AND f.host_kind != 'cited'
    AND (p.cell_type IS NULL OR f.cell_type = p.cell_type)
),
points AS (
  SELECT *, row_number() OVER (PARTITION BY paper_key, host, value, qualifier, x, cell_type
                               ORDER BY document_id, sentence_id) AS nth
  FROM (SELECT * FROM figures_x WHERE x IS NOT NULL)
)
SELECT row_number() OVER (ORDER BY x, value, host) AS point, host, metric, value, unit, qualifier, condition, x,
       cell_type, conditions, document, year, journal, authors, doi, evidence, sentence_id, host_id, document_id
FROM points WHERE nth = 1
ORDER BY x, value, host
LIMIT 1000
"""

SEARCH_SQL = """
SELECT
  s.id AS sentence_id,
  snippet(sentences_fts, 1, '[', ']', ' ... ', 24) AS match,
  s.evidence AS evidence,
  d.name AS document, d.title AS title, s.page AS page, s.section AS section,
  (SELECT count(*) FROM measurements m WHERE m.sentence_id = s.id) AS n_figures,
  s.document_id AS document_id
FROM sentences_fts
JOIN sentences s ON s.id = sentences_fts.rowid
JOIN documents d ON d.id = s.document_id
WHERE trim(:q) != '' AND sentences_fts MATCH hostkb_fts_query(:q, :raw)
ORDER BY sentences_fts.rank
LIMIT 200
"""


def rank_sql() -> str:
    """The ranking query of ``hostkb rank``: ``extractor.rank.RANK_SQL`` (schema/ranking.sql),
    verbatim. It must be self-contained (the ``ranking_base`` view inlined as a common
    table expression), because an immutable database cannot have the view added."""
    from .rank import RANK_SQL  # lazily: only the catalog needs it here

    return RANK_SQL


def _params(sql: str) -> list[str]:
    """Named parameters of ``sql`` in order of first appearance."""
    return list(dict.fromkeys(re.findall(r"(?<![:\w]):(\w+)", re.sub(r"'[^']*'", "''", sql))))


def canned_queries() -> dict[str, dict]:
    """The catalog's canned queries (none writable), in Datasette's metadata format."""
    rank = rank_sql()
    return {
        "rank_hosts": {
            "title": "Rank host designs",
            "description": (
                "Each host design ranked by its best value of a metric under the chosen conditions "
                "(exactly the ranking of `hostkb rank`), with a dot plot whose axis spans the values. Choose a "
                "metric; leave other fields empty for 'any'. current_density in mA/cm2, areal_capacity in "
                "mAh/cm2, c_rate in C, temperature in degC (a paper that states none counts as 25 degC), "
                "within the relative tolerance (default 0.05); cathode and electrolyte: part of the name as "
                "written (LiFePO4, LiTFSI); min_cycles: only figures stated for at least that many cycles; "
                "include_cited: also figures papers quote from other work; top: first N rows. Empty cells "
                "are conditions the paper does not state; the qualifier column says whether a value is a "
                "bound (gt: more than)."
            ),
            "sql": rank,
            "hide_sql": True,  # long; "show" reveals it
            "params": _params(rank),
        },
        "host_profile": {
            "title": "Host profile",
            "description": ("Everything known about a host (name or alias, e.g. ZnO@NHC): papers, aliases, "
                            "components, synthesis steps, every figure with its conditions, properties."),
            "sql": HOST_PROFILE_SQL,
            "hide_sql": True,  # long; "show" reveals it
            "params": ["host"],
        },
        "compare_hosts": {
            "title": "Compare two hosts",
            "description": ("Figures of two hosts (names or aliases) side by side: same metric, same cell type "
                            "and numeric conditions within the relative tolerance (default 0.05, as in rank_hosts; a condition one "
                            "paper does not state does not exclude the pair). Optional metric."),
            "sql": COMPARE_SQL,
            "hide_sql": True,  # long; "show" reveals it
            "params": ["host_a", "host_b", "metric", "tolerance"],
        },
        "metric_vs_condition": {
            "title": "A metric against a condition",
            "description": ("Every figure of one metric against one condition of its test, across papers: a "
                            "scatter plot, each point labelled by host and paper and linked to its sentence. "
                            "condition: current_density, areal_capacity, cycles, c_rate or temperature; "
                            "cell_type: optional. Figures whose paper does not state the condition are left out."),
            "sql": METRIC_VS_CONDITION_SQL,
            "hide_sql": True,
            "params": ["metric", "condition", "cell_type"],
        },
        "search_evidence": {
            "title": "Search the evidence",
            "description": ('Full-text search over every sentence: words, names such as ZnO@NHC or Li||Cu and '
                            '"quoted phrases" as typed. raw: 1 to write q in SQLite FTS5 syntax (OR, NEAR, '
                            "prefix*). Click a sentence for its context and its figures."),
            "sql": SEARCH_SQL,
            "hide_sql": True,  # long; "show" reveals it
            "params": ["q", "raw"],
        },
    }


CANNED_QUERIES = ("rank_hosts", "host_profile", "compare_hosts", "metric_vs_condition", "search_evidence")


# ---------------------------------------------------------------- the ranking form

_NUMERIC_FIELDS = {"current_density": "mA/cm2", "areal_capacity": "mAh/cm2", "c_rate": "C",
                   "temperature": "degC", "min_cycles": "cycles", "tolerance": "relative",
                   "top": "rows", "include_cited": "0 or 1"}


def form_choices() -> dict[str, list[tuple[str, str]]]:
    """The choices of the catalog's query forms that schema/vocab.toml fixes: parameter ->
    [(value, label)], shown as select boxes (the empty value: any)."""
    from .vocab import vocabulary

    vocab = vocabulary()
    metrics = sorted(((m.name, f"{m.label} ({m.unit}, {m.better} is better)") for m in vocab.metrics.values()),
                     key=lambda c: c[1].lower())
    return {
        "metric": metrics,
        "cell_type": [("", "any")] + [(k, c.label) for k, c in vocab.cell_types.items()],
        "include_cited": [("", "no"), ("1", "yes")],
        "raw": [("", "no: words, names and \"phrases\" as typed"), ("1", "yes: SQLite FTS5 syntax")],
        "condition": [(k, label) for k, label in CONDITIONS.items()],
    }


def form_problems(args: dict[str, str]) -> list[str]:
    """What is wrong with the values of a ranking form (``args``: the query string), as
    messages a person can act on; empty when every value is usable. A value the ranking
    cannot use would otherwise silently rank nothing."""
    choices = form_choices()
    problems = []
    for name in ("metric", "cell_type", "condition"):
        value = (args.get(name) or "").strip()
        known = [v for v, _ in choices[name] if v]
        if value and value not in known:
            problems.append(f"unknown {name.replace('_', ' ')} {value!r}; choose one of: {', '.join(known)}")
    for name, unit in _NUMERIC_FIELDS.items():
        value = (args.get(name) or "").strip()
        if not value:
            continue
        try:
            number = float(value)
        except ValueError:
            problems.append(f"{name.replace('_', ' ')} must be a number ({unit}), not {value!r}")
            continue
        if number < 0 and name in ("tolerance", "min_cycles", "top"):
            problems.append(f"{name.replace('_', ' ')} must be 0 or more, not {value!r}")
    return problems


# ---------------------------------------------------------------- metadata


DATABASE_NAME = "hostkb"


def database_name(db_path: str | Path | None = None) -> str:
    """The name the catalog gives the database, whatever its file is called: "hostkb",
    the first part of every URL (http://127.0.0.1:8001/hostkb)."""
    return DATABASE_NAME


def _uri(db_path: Path) -> str:
    """The URI the catalog reads ``db_path`` by: read-only (``mode=ro``), which follows a
    build's writes through the write-ahead log; or, when this process cannot open the
    database that way (a WAL database in a folder it may not write, where SQLite cannot
    make the shared-memory file readers need), ``immutable=1``: the file as it is."""
    base = db_path.resolve().as_uri()
    try:
        conn = sqlite3.connect(base + "?mode=ro", uri=True)
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        finally:
            conn.close()
    except sqlite3.OperationalError:
        return base + "?immutable=1"
    return base + "?mode=ro"


def snapshot(db_path: str | Path, target: str | Path) -> None:
    """A consistent copy of the database at ``db_path`` in ``target`` (SQLite's backup
    API, in one step: one read transaction, so a build writing meanwhile is either all
    in or all out of the copy)."""
    source = sqlite3.connect(_uri(Path(db_path)), uri=True)
    try:
        dest = sqlite3.connect(target)
        try:
            source.backup(dest)
        finally:
            dest.close()
    finally:
        source.close()


def _inspect(db_path: str | Path) -> tuple[dict[str, list[str]], dict[str, int]]:
    """Tables and views with their columns, and a few counts, read without writing anything."""
    path = Path(db_path)
    if not path.is_file():
        raise DatabaseError(f"no database at {db_path}: run `hostkb build PATHS --db {db_path}` first")
    try:
        conn = sqlite3.connect(_uri(path), uri=True)
    except sqlite3.Error as exc:
        raise DatabaseError(f"cannot open database {db_path}: {exc}") from None
    try:
        names = [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite_%' "
            "ORDER BY rowid")]
        if "meta" not in names:
            raise DatabaseError(f"{db_path} is a SQLite database but not a hostkb one (no meta table)")
        app = conn.execute("SELECT value FROM meta WHERE key = 'application'").fetchone()
        if not app or app[0] != "hostkb":
            raise DatabaseError(f"{db_path} is a SQLite database but not a hostkb one "
                                f"(meta.application is {app[0] if app else None!r})")
        _check_schema_version(conn, db_path)
        columns = {n: [r[1] for r in conn.execute(f"PRAGMA table_xinfo([{n}])")] for n in names}
        counts = {}
        for key, sql in (("n_documents", "SELECT count(*) FROM documents"),
                         ("n_hosts", "SELECT count(*) FROM hosts WHERE kind != 'cited'"),
                         ("n_figures", "SELECT count(*) FROM measurements"),
                         ("n_sentences", "SELECT count(*) FROM sentences")):
            try:
                counts[key] = conn.execute(sql).fetchone()[0]
            except sqlite3.Error:
                counts[key] = 0
    except sqlite3.DatabaseError as exc:
        raise DatabaseError(f"{db_path} is not a usable SQLite database: {exc}") from None
    finally:
        conn.close()
    return columns, counts


def _check_schema_version(conn: sqlite3.Connection, db_path) -> None:
    """Refuse a database of another schema version, as ``store.open_db`` does."""
    from .vocab import SCHEMA_VERSION

    row = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    version = row[0] if row else None
    if version != SCHEMA_VERSION:
        raise DatabaseError(f"{db_path} has hostkb schema version {version!r}, this hostkb needs "
                            f"{SCHEMA_VERSION!r}: build into a new database file")


@lru_cache(maxsize=1)
def schema_comments() -> dict[str, dict]:
    """Descriptions written as comments in schema/*.sql: the comment lines just above a
    CREATE TABLE/VIEW, and a column's trailing ``-- comment``. They describe tables that
    the catalog's own TABLES do not (yet) know, e.g. ones added later."""
    text = "\n\n".join(p.read_text(encoding="utf-8") for p in sorted(schema_dir().glob("*.sql")))
    out: dict[str, dict] = {}
    pending: list[str] = []
    current: str | None = None
    for line in text.splitlines():
        stripped = line.strip()
        m = re.match(r"CREATE\s+(?:VIRTUAL\s+)?(?:TABLE|VIEW)\s+IF\s+NOT\s+EXISTS\s+\[?(\w+)\]?", stripped, re.I)
        if m:
            current = m.group(1)
            out[current] = {"description": " ".join(pending).strip(), "columns": {}}
            pending = []
            continue
        if stripped.startswith("--"):
            comment = stripped.lstrip("-").strip()
            if comment and not set(comment) <= set("-"):
                pending.append(comment)
            continue
        if not stripped:
            pending = []
        if current and "--" in stripped:
            col = re.match(r"\[?(\w+)\]?\s+[A-Z]", stripped)
            if col:
                out[current]["columns"][col.group(1)] = stripped.split("--", 1)[1].strip()
        if stripped.endswith(";"):
            current = None
    return out


def metadata(db_path: str | Path) -> dict:
    """Datasette metadata for the database at ``db_path``: title, description, source and
    licence; a description for every table, view and column present; facets, label
    columns, sort orders; the canned queries. Reads the database without changing it."""
    columns, counts = _inspect(db_path)
    name = database_name(db_path)
    comments = schema_comments()
    tables = {}
    for table, cols in columns.items():
        known = TABLES.get(table, {})
        fallback = comments.get(table, {})
        entry = {
            "description": known.get("description") or fallback.get("description") or "",
            "columns": {c: known.get("columns", {}).get(c) or fallback.get("columns", {}).get(c) or ""
                        for c in cols},
        }
        entry["columns"] = {c: d for c, d in entry["columns"].items() if d}
        if not entry["description"]:
            del entry["description"]
        if known.get("hidden"):
            entry["hidden"] = True
        browsing = dict(BROWSING.get(table, {}))
        if "sortable_columns" in browsing:
            browsing["sortable_columns"] = [c for c in browsing["sortable_columns"] if c in cols]
        for key in ("facets",):
            if key in browsing:
                browsing[key] = [c for c in browsing[key] if c in cols]
        entry.update(browsing)
        tables[table] = entry
    description_html = describe(name, counts)
    return {
        "title": TITLE,
        "description_html": description_html,
        "source": SOURCE,
        "license": LICENSE,
        "databases": {
            name: {
                "title": DATABASE_TITLE,
                "description_html": description_html,
                "source": SOURCE,
                "license": LICENSE,
                "tables": tables,
                "queries": canned_queries(),
            }
        },
    }


COUNTS_SQL = ("SELECT (SELECT count(*) FROM documents) AS n_documents, "
              "(SELECT count(*) FROM hosts WHERE kind != 'cited') AS n_hosts, "
              "(SELECT count(*) FROM measurements) AS n_figures, (SELECT count(*) FROM sentences) AS n_sentences")


def describe(name: str, counts: dict) -> str:
    """The catalog's description of database ``name`` holding ``counts`` (``COUNTS_SQL``)."""
    from datasette.utils import tilde_encode

    return DESCRIPTION_HTML.format(db="/" + tilde_encode(name), **counts)


def file_version(db_path: str | Path) -> tuple:
    """(size, mtime) of the database file and its write-ahead log: it changes when a
    build commits, so the catalog knows when its counts are to be read again."""
    version = []
    for path in (Path(db_path), Path(f"{db_path}-wal")):
        try:
            st = path.stat()
            version += [st.st_size, st.st_mtime_ns]
        except OSError:
            version += [None, None]
    return tuple(version)


# ---------------------------------------------------------------- app and server


def _bring_up_to_date(db_path: Path) -> None:
    """A database built by an earlier hostkb gets this one's schema before it is served
    (what opening it with ``store.open_db`` does: new tables, indexes and views, derived
    tables filled); the catalog's queries need them. A database that is up to date is
    only read."""
    from .store import open_db
    from .vocab import schema_fingerprint

    if not db_path.is_file():
        return
    try:
        # read-only, with the write-ahead log (a killed build's last documents are in it)
        conn = sqlite3.connect(_uri(db_path), uri=True)
        try:
            row = conn.execute("SELECT value FROM meta WHERE key = 'schema_fingerprint'").fetchone()
        finally:
            conn.close()
    except sqlite3.Error:
        return  # not a hostkb database: metadata() says so
    if row is None or row[0] != schema_fingerprint():
        open_db(db_path, create=False).close()


def _fix_not_found_pages() -> None:
    """Datasette 0.65's default error handler calls ``rich``'s ``print_exception()`` for
    every error page, also for a plain 404 raised outside an ``except`` block; rich 13+
    (installed with spaCy, through typer) then raises ValueError, and every "not found"
    page becomes a 500. Without rich the handler renders the page as it should (and
    still prints real tracebacks with ``traceback.print_exc()``)."""
    import datasette.handle_exception

    datasette.handle_exception.rich = None


def datasette_app(db_path: str | Path):
    """A ``datasette.app.Datasette`` serving ``db_path`` read-only (``mode=ro``), with the
    catalog's metadata, settings, templates and plugin."""
    from datasette.app import Datasette

    path = Path(db_path)
    _bring_up_to_date(path)
    meta = metadata(path)
    for needed in (TEMPLATE_DIR / "row.html", TEMPLATE_DIR / "query.html", PLUGINS_DIR / "hostkb_catalog.py"):
        if not needed.is_file():
            raise ServeError(f"the catalog's file {needed} is missing: hostkb was installed without its "
                             "package data; reinstall it (pip install .)")
    _fix_not_found_pages()
    ds = Datasette(metadata=meta, settings=SETTINGS, template_dir=str(TEMPLATE_DIR), plugins_dir=str(PLUGINS_DIR))
    # read-only connections only, named "hostkb" whatever the file is called
    ds.add_database(_read_only_database(ds, path.resolve()), name=database_name(path))
    return ds


def _read_only_database(ds, path: Path):
    """A Datasette ``Database`` for ``path`` that is live (``is_mutable``: counts are not
    cached, the file may change under it) but whose every connection, also one Datasette
    would open for writing, is read-only (``mode=ro``): SQLite refuses any write."""
    from datasette.database import Database

    uri = _uri(path)

    class ReadOnlyDatabase(Database):
        def connect(self, write=False):  # noqa: ARG002 - never a writable connection
            conn = sqlite3.connect(uri, uri=True, check_same_thread=False)
            self._all_file_connections.append(conn)
            return conn

    return ReadOnlyDatabase(ds, path=str(path), is_mutable=True)


def _check_port(host: str, port: int) -> None:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as sock:
        try:
            sock.bind((host, port))
        except OSError as exc:
            raise ServeError(f"cannot listen on {host}:{port} ({exc.strerror}): "
                             "choose another port with --port") from None


def url(db_path: str | Path, host: str = "127.0.0.1", port: int = 8001) -> str:
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}/{database_name(db_path)}"


def serve(db_path: str | Path, port: int = 8001, host: str = "127.0.0.1", *, echo=print) -> None:
    """Serve the catalog until interrupted; print its address first."""
    import uvicorn

    ds = datasette_app(db_path)
    _check_port(host, port)
    echo(f"hostkb: serving {db_path} read-only at {url(db_path, host, port)}  (Ctrl+C to stop)")
    uvicorn.run(ds.app(), host=host, port=port, log_level="warning", lifespan="off")

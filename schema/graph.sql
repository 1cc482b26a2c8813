-- hostkb knowledge graph: the networkx graph of extractor/graph.py, stored as two
-- tables so the catalog (Datasette) can show and query it.
--
-- Written by graph.save_graph(db, G), which replaces both tables' rows in one
-- transaction; `hostkb graph` refreshes them. Every statement is idempotent.
--
-- Node ids are stable and readable: paper:<document>, host:<document>:<name>,
-- material:<name>, method:<name>, precursor:<name>, metric:<name>,
-- cathode:<name>, electrolyte:<name>, cell_test:<document>:<n>,
-- measurement:<document>:<n> (n: order in the document).
-- attributes holds every other attribute as a JSON object (sentence_id, evidence,
-- value, unit, conditions, ...). Nodes of one document carry its document_id and go
-- with it (ON DELETE CASCADE), and their edges with them; shared nodes (materials,
-- methods, metrics, ...) have document_id NULL.

CREATE TABLE IF NOT EXISTS graph_nodes (
    id          TEXT PRIMARY KEY,
    type        TEXT NOT NULL,             -- paper, host, material, method, precursor, cell_test, cathode, electrolyte, metric, measurement
    label       TEXT NOT NULL,             -- what to print or draw
    attributes  TEXT NOT NULL DEFAULT '{}', -- JSON object
    document_id INTEGER REFERENCES documents(id) ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS graph_nodes_type ON graph_nodes(type);
CREATE INDEX IF NOT EXISTS graph_nodes_document ON graph_nodes(document_id);

CREATE TABLE IF NOT EXISTS graph_edges (
    id          INTEGER PRIMARY KEY,
    source      TEXT NOT NULL REFERENCES graph_nodes(id) ON DELETE CASCADE,
    target      TEXT NOT NULL REFERENCES graph_nodes(id) ON DELETE CASCADE,
    type        TEXT NOT NULL,             -- reports, has_component, made_by, uses_precursor, tested_in, measured, of_metric, under, uses_cathode, uses_electrolyte, compared_with
    attributes  TEXT NOT NULL DEFAULT '{}', -- JSON object (sentence_id, document, step_order, ...)
    document_id INTEGER REFERENCES documents(id) ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS graph_edges_source ON graph_edges(source, type);
CREATE INDEX IF NOT EXISTS graph_edges_target ON graph_edges(target, type);
CREATE INDEX IF NOT EXISTS graph_edges_type ON graph_edges(type);
CREATE INDEX IF NOT EXISTS graph_edges_document ON graph_edges(document_id);

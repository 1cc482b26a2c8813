-- hostkb database schema.
--
-- Applied by extractor/store.py (open_db) on every open: every statement is
-- idempotent (IF NOT EXISTS), so tables added here later (the knowledge graph's
-- node and edge tables, ...) appear in older databases of the same schema version.
-- An incompatible change bumps meta.schema_version (store.SCHEMA_VERSION).
--
-- Conventions:
--   * every row extracted from a document carries document_id and is deleted with
--     its document (ON DELETE CASCADE), so replacing a document is one DELETE;
--   * units live in column names (current_density_ma_cm2) or, for measurements and
--     properties, in a unit column holding a canonical unit key of schema/vocab.toml;
--   * offsets (raw_start/raw_end) index the loaded raw text of the document
--     (RawDocument.text); span_start/span_end index the sentence's normalized text;
--   * evidence is the raw text, white space collapsed, that states a fact.

-- ------------------------------------------------------------------ bookkeeping

CREATE TABLE IF NOT EXISTS meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- One row per successfully built source document. name (the file name) is the
-- document's identity: building a file of the same name replaces the old rows.
CREATE TABLE IF NOT EXISTS documents (
    id             INTEGER PRIMARY KEY,
    name           TEXT NOT NULL UNIQUE,   -- file name, as in the records' "doc"
    path           TEXT NOT NULL,          -- path it was built from
    format         TEXT NOT NULL,          -- pdf, txt, md, xml
    sha256         TEXT NOT NULL,          -- of the file's bytes; unchanged files are skipped
    title          TEXT,
    doi            TEXT,
    year           INTEGER,
    journal        TEXT,
    authors        TEXT,                   -- JSON list
    page_count     INTEGER,                -- NULL for text files
    n_passages     INTEGER NOT NULL,
    n_sentences    INTEGER NOT NULL,       -- equals the count of its sentences rows
    dropped        TEXT,                   -- JSON list of parts left out (references, ...)
    built_at       TEXT NOT NULL,          -- ISO 8601, UTC
    hostkb_version TEXT NOT NULL
);

-- Files that could not be built: one row per failure of the latest attempt.
CREATE TABLE IF NOT EXISTS ingest_errors (
    id     INTEGER PRIMARY KEY,
    path   TEXT NOT NULL,
    name   TEXT NOT NULL,
    reason TEXT NOT NULL,                  -- machine-readable code (LoadError.reason)
    detail TEXT,
    sha256 TEXT,
    at     TEXT NOT NULL                   -- ISO 8601, UTC
);
CREATE INDEX IF NOT EXISTS ingest_errors_name ON ingest_errors(name);

-- ------------------------------------------------------------------ text

CREATE TABLE IF NOT EXISTS passages (
    id          INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    idx         INTEGER NOT NULL,          -- Passage.index, order in the document
    section     TEXT NOT NULL,             -- title, abstract, introduction, experimental, results, conclusions, body, supporting
    role        TEXT NOT NULL,             -- paragraph, caption, heading
    page        INTEGER,                   -- 1-based; NULL for text files
    heading     TEXT,                      -- section heading as written
    text        TEXT NOT NULL,             -- normalized text
    raw_start   INTEGER NOT NULL,
    raw_end     INTEGER NOT NULL,
    UNIQUE (document_id, idx)
);

CREATE TABLE IF NOT EXISTS sentences (
    id          INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    passage_id  INTEGER NOT NULL REFERENCES passages(id) ON DELETE CASCADE,
    idx         INTEGER NOT NULL,          -- Sentence.index, 0-based position in the document
    section     TEXT NOT NULL,
    role        TEXT NOT NULL,
    page        INTEGER,
    text        TEXT NOT NULL,             -- normalized text (what the extractor reads)
    evidence    TEXT NOT NULL,             -- raw text, white space collapsed
    raw_start   INTEGER NOT NULL,
    raw_end     INTEGER NOT NULL,
    UNIQUE (document_id, idx)
);
CREATE INDEX IF NOT EXISTS sentences_passage ON sentences(passage_id);

-- Full-text search over sentences, kept in sync by triggers (the layout
-- sqlite-utils' enable_fts(create_triggers=True) makes, so table.search() works).
CREATE VIRTUAL TABLE IF NOT EXISTS sentences_fts USING FTS5 (
    [text], [evidence],
    content=[sentences]
);
CREATE TRIGGER IF NOT EXISTS [sentences_ai] AFTER INSERT ON [sentences] BEGIN
  INSERT INTO [sentences_fts] (rowid, [text], [evidence]) VALUES (new.rowid, new.[text], new.[evidence]);
END;
CREATE TRIGGER IF NOT EXISTS [sentences_ad] AFTER DELETE ON [sentences] BEGIN
  INSERT INTO [sentences_fts] ([sentences_fts], rowid, [text], [evidence]) VALUES('delete', old.rowid, old.[text], old.[evidence]);
END;
CREATE TRIGGER IF NOT EXISTS [sentences_au] AFTER UPDATE ON [sentences] BEGIN
  INSERT INTO [sentences_fts] ([sentences_fts], rowid, [text], [evidence]) VALUES('delete', old.rowid, old.[text], old.[evidence]);
  INSERT INTO [sentences_fts] (rowid, [text], [evidence]) VALUES (new.rowid, new.[text], new.[evidence]);
END;

-- Tables read from PDF pages (the region under a "Table N" caption), one row each;
-- their text is left out of the sentences. Positions are in PDF points from the
-- page's lower left corner.
CREATE TABLE IF NOT EXISTS pdf_tables (
    id          INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    idx         INTEGER NOT NULL,          -- order in the document, 0-based
    page        INTEGER NOT NULL,          -- 1-based
    caption     TEXT,                      -- the table's caption as read
    n_rows      INTEGER NOT NULL,
    n_cols      INTEGER NOT NULL,
    x0          REAL, y0 REAL, x1 REAL, y1 REAL,  -- the cells' bounding box
    UNIQUE (document_id, idx)
);

-- The cells of the PDF tables: row 0 is the header row as printed.
CREATE TABLE IF NOT EXISTS table_cells (
    table_id    INTEGER NOT NULL REFERENCES pdf_tables(id) ON DELETE CASCADE,
    row         INTEGER NOT NULL,          -- 0-based, top first
    col         INTEGER NOT NULL,          -- 0-based, left first
    text        TEXT NOT NULL,             -- the cell's text as read
    x0          REAL, y0 REAL, x1 REAL, y1 REAL,  -- the cell's box on its page
    PRIMARY KEY (table_id, row, col)
);

-- ------------------------------------------------------------------ vocabulary

-- Filled from schema/vocab.toml on every open.
CREATE TABLE IF NOT EXISTS metrics (
    name      TEXT PRIMARY KEY,
    unit      TEXT NOT NULL,               -- canonical unit key every value of the metric is in
    better    TEXT NOT NULL CHECK (better IN ('higher', 'lower')),
    label     TEXT NOT NULL,
    dimension TEXT
);

-- Materials are shared between documents (looked up by name).
CREATE TABLE IF NOT EXISTS materials (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE
);

-- ------------------------------------------------------------------ hosts

CREATE TABLE IF NOT EXISTS hosts (
    id          INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    name        TEXT NOT NULL,             -- the name the paper uses most, as written
    kind        TEXT NOT NULL CHECK (kind IN ('host', 'variant', 'control', 'cited')),
    has_figures INTEGER,                   -- 0/1; NULL when unknown
    sentence_id INTEGER REFERENCES sentences(id) ON DELETE SET NULL,
    evidence    TEXT,
    UNIQUE (document_id, name)
);
CREATE INDEX IF NOT EXISTS hosts_name ON hosts(name);
CREATE INDEX IF NOT EXISTS hosts_sentence ON hosts(sentence_id);

CREATE TABLE IF NOT EXISTS host_aliases (
    host_id INTEGER NOT NULL REFERENCES hosts(id) ON DELETE CASCADE,
    alias   TEXT NOT NULL,
    PRIMARY KEY (host_id, alias)
);
CREATE INDEX IF NOT EXISTS host_aliases_alias ON host_aliases(alias);

CREATE TABLE IF NOT EXISTS host_components (
    host_id     INTEGER NOT NULL REFERENCES hosts(id) ON DELETE CASCADE,
    material_id INTEGER NOT NULL REFERENCES materials(id),
    position    INTEGER NOT NULL,          -- order as listed
    PRIMARY KEY (host_id, material_id)
);
CREATE INDEX IF NOT EXISTS host_components_material ON host_components(material_id);

-- ------------------------------------------------------------------ synthesis

CREATE TABLE IF NOT EXISTS synthesis_routes (
    id          INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    host_id     INTEGER NOT NULL REFERENCES hosts(id) ON DELETE CASCADE,
    evidence    TEXT
);
CREATE INDEX IF NOT EXISTS synthesis_routes_host ON synthesis_routes(host_id);
CREATE INDEX IF NOT EXISTS synthesis_routes_document ON synthesis_routes(document_id);

CREATE TABLE IF NOT EXISTS synthesis_steps (
    id            INTEGER PRIMARY KEY,
    route_id      INTEGER NOT NULL REFERENCES synthesis_routes(id) ON DELETE CASCADE,
    step_order    INTEGER NOT NULL,
    method        TEXT NOT NULL,           -- a method of schema/vocab.toml
    conditions    TEXT,
    temperature_c REAL,
    duration_h    REAL,
    atmosphere    TEXT,
    sentence_id   INTEGER REFERENCES sentences(id) ON DELETE SET NULL,
    evidence      TEXT
);
CREATE INDEX IF NOT EXISTS synthesis_steps_route ON synthesis_steps(route_id);
CREATE INDEX IF NOT EXISTS synthesis_steps_method ON synthesis_steps(method);
CREATE INDEX IF NOT EXISTS synthesis_steps_sentence ON synthesis_steps(sentence_id);

CREATE TABLE IF NOT EXISTS step_precursors (
    step_id     INTEGER NOT NULL REFERENCES synthesis_steps(id) ON DELETE CASCADE,
    material_id INTEGER NOT NULL REFERENCES materials(id),
    position    INTEGER NOT NULL,
    PRIMARY KEY (step_id, material_id)
);
CREATE INDEX IF NOT EXISTS step_precursors_material ON step_precursors(material_id);

-- ------------------------------------------------------------------ figures

-- Test conditions, one row per distinct set of conditions in a document.
CREATE TABLE IF NOT EXISTS cell_tests (
    id                     INTEGER PRIMARY KEY,
    document_id            INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    cell_type              TEXT CHECK (cell_type IN ('symmetric', 'half', 'full', 'pouch')),
    current_density_ma_cm2 REAL,
    areal_capacity_mah_cm2 REAL,
    c_rate                 REAL,           -- C
    cycles                 REAL,
    cathode                TEXT,
    electrolyte            TEXT,
    temperature_c          REAL
);
CREATE INDEX IF NOT EXISTS cell_tests_document ON cell_tests(document_id);
CREATE INDEX IF NOT EXISTS cell_tests_conditions
    ON cell_tests(cell_type, current_density_ma_cm2, areal_capacity_mah_cm2);

-- One row per reported figure of merit.
CREATE TABLE IF NOT EXISTS measurements (
    id          INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    host_id     INTEGER NOT NULL REFERENCES hosts(id) ON DELETE CASCADE,
    cell_test_id INTEGER REFERENCES cell_tests(id) ON DELETE SET NULL,
    metric      TEXT NOT NULL REFERENCES metrics(name),
    value       REAL NOT NULL,             -- in unit
    unit        TEXT NOT NULL,             -- the metric's canonical unit key
    qualifier   TEXT NOT NULL CHECK (qualifier IN ('eq', 'approx', 'gt', 'lt', 'up_to')),
    raw         TEXT,                      -- the quantity as written
    sentence_id INTEGER REFERENCES sentences(id) ON DELETE SET NULL,
    span_start  INTEGER,                   -- span of the quantity in the sentence's normalized text
    span_end    INTEGER,
    evidence    TEXT                       -- raw text stating the figure (normally the sentence)
);
CREATE INDEX IF NOT EXISTS measurements_document ON measurements(document_id);
CREATE INDEX IF NOT EXISTS measurements_host ON measurements(host_id);
CREATE INDEX IF NOT EXISTS measurements_cell_test ON measurements(cell_test_id);
CREATE INDEX IF NOT EXISTS measurements_sentence ON measurements(sentence_id);
CREATE INDEX IF NOT EXISTS measurements_metric_value ON measurements(metric, value);

-- Measured characteristics of a material (not of a cell test).
CREATE TABLE IF NOT EXISTS properties (
    id          INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    material    TEXT NOT NULL,             -- host or component name, as written
    property    TEXT NOT NULL,             -- a property of schema/vocab.toml
    value       REAL NOT NULL,
    unit        TEXT,
    qualifier   TEXT NOT NULL DEFAULT 'eq' CHECK (qualifier IN ('eq', 'approx', 'gt', 'lt', 'up_to')),
    note        TEXT,
    raw         TEXT,
    sentence_id INTEGER REFERENCES sentences(id) ON DELETE SET NULL,
    evidence    TEXT
);
CREATE INDEX IF NOT EXISTS properties_document ON properties(document_id);
CREATE INDEX IF NOT EXISTS properties_property ON properties(property, material);
CREATE INDEX IF NOT EXISTS properties_sentence ON properties(sentence_id);

-- The knowledge graph's node and edge tables: schema/graph.sql; the ranking view: schema/ranking.sql.

-- ------------------------------------------------------------------ views

-- One row per document with the short label a reader cites it by: "Lindqvist et al.,
-- 2024, J. Demo" (first author's surname, "and" a second one or "et al." for more, year,
-- journal; the file name stands in for unknown authors). extractor.papers.paper_label
-- makes the same label in Python.
CREATE VIEW IF NOT EXISTS papers AS
WITH named AS (
    SELECT d.*,
        CASE WHEN json_valid(d.authors) THEN rtrim(trim(json_extract(d.authors, '$[0]')), '*† ') END AS first_author,
        CASE WHEN json_valid(d.authors) THEN rtrim(trim(json_extract(d.authors, '$[1]')), '*† ') END AS second_author,
        CASE WHEN json_valid(d.authors) THEN json_array_length(d.authors) ELSE 0 END AS n_authors
    FROM documents d
)
SELECT
    id AS document_id,
    CASE WHEN first_author <> '' THEN
        -- the surname: what follows the last space
        substr(first_author, length(rtrim(first_author, replace(first_author, ' ', ''))) + 1)
        || CASE WHEN n_authors > 2 THEN ' et al.'
                WHEN n_authors = 2 AND second_author <> '' THEN ' and '
                     || substr(second_author, length(rtrim(second_author, replace(second_author, ' ', ''))) + 1)
                ELSE '' END
    ELSE name END
    || coalesce(', ' || year, '') || coalesce(', ' || nullif(trim(journal), ''), '') AS paper,
    name AS document, title, doi, year, journal, authors
FROM named;

-- One row per figure, with its host, conditions, paper and evidence: the table
-- for people who want one table.
CREATE VIEW IF NOT EXISTS figures AS
SELECT
    m.id                      AS measurement_id,
    h.name                    AS host,
    h.kind                    AS host_kind,
    m.metric                  AS metric,
    mt.label                  AS metric_label,
    m.value                   AS value,
    m.unit                    AS unit,
    m.qualifier               AS qualifier,
    mt.better                 AS better,
    c.cell_type               AS cell_type,
    c.current_density_ma_cm2  AS current_density_ma_cm2,
    c.areal_capacity_mah_cm2  AS areal_capacity_mah_cm2,
    c.c_rate                  AS c_rate,
    c.cycles                  AS cycles,
    c.cathode                 AS cathode,
    c.electrolyte             AS electrolyte,
    c.temperature_c           AS temperature_c,
    m.raw                     AS raw,
    d.name                    AS document,
    d.title                   AS title,
    d.doi                     AS doi,
    d.year                    AS year,
    d.journal                 AS journal,
    COALESCE(NULLIF(m.evidence, ''), s.evidence) AS evidence,
    s.page                    AS page,
    s.section                 AS section,
    m.sentence_id             AS sentence_id,
    m.host_id                 AS host_id,
    m.document_id             AS document_id,
    d.authors                 AS authors,
    -- ascending order is best first within a metric (lower overpotential, higher CE)
    CASE mt.better WHEN 'lower' THEN m.value ELSE -m.value END AS best_first,
    p.paper                   AS paper
FROM measurements m
JOIN hosts h ON h.id = m.host_id
JOIN documents d ON d.id = m.document_id
JOIN papers p ON p.document_id = m.document_id
LEFT JOIN cell_tests c ON c.id = m.cell_test_id
LEFT JOIN metrics mt ON mt.name = m.metric
LEFT JOIN sentences s ON s.id = m.sentence_id;

-- One row per host with its paper, aliases and components (comma separated).
CREATE VIEW IF NOT EXISTS host_designs AS
SELECT
    h.id          AS host_id,
    h.name        AS host,
    h.kind        AS kind,
    (SELECT group_concat(a.alias, ', ') FROM host_aliases a WHERE a.host_id = h.id) AS aliases,
    (SELECT group_concat(name, ', ') FROM (
        SELECT mat.name AS name FROM host_components hc
        JOIN materials mat ON mat.id = hc.material_id
        WHERE hc.host_id = h.id ORDER BY hc.position)) AS components,
    (SELECT count(*) FROM measurements m WHERE m.host_id = h.id) AS n_figures,
    d.name        AS document,
    d.title       AS title,
    d.doi         AS doi,
    d.year        AS year,
    h.document_id AS document_id,
    p.paper       AS paper
FROM hosts h
JOIN documents d ON d.id = h.document_id
JOIN papers p ON p.document_id = h.document_id;

-- One row per synthesis step, with its host and precursors.
CREATE VIEW IF NOT EXISTS synthesis AS
SELECT
    st.id          AS step_id,
    h.name         AS host,
    st.step_order  AS step_order,
    st.method      AS method,
    (SELECT group_concat(name, ', ') FROM (
        SELECT mat.name AS name FROM step_precursors sp
        JOIN materials mat ON mat.id = sp.material_id
        WHERE sp.step_id = st.id ORDER BY sp.position)) AS precursors,
    st.conditions  AS conditions,
    st.temperature_c AS temperature_c,
    st.duration_h  AS duration_h,
    st.atmosphere  AS atmosphere,
    st.evidence    AS evidence,
    d.name         AS document,
    r.id           AS route_id,
    r.host_id      AS host_id,
    r.document_id  AS document_id
FROM synthesis_steps st
JOIN synthesis_routes r ON r.id = st.route_id
JOIN hosts h ON h.id = r.host_id
JOIN documents d ON d.id = r.document_id;

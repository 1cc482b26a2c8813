-- hostkb: what the catalog's queries need at scale (measured by benchmarks/bench_catalog.py).
--
-- Applied after schema.sql by store.open_db (idempotent). The ranking query
-- (extractor.rank.RANK_SQL, schema/ranking.sql) picks the figures it ranks from
-- rank_figures, below; its indexes serve the query's three ways. Measured numbers: see the
-- end of this file.

-- rank_figures: one narrow row per figure of merit, with everything the ranking filters
-- and groups on: its metric and value, the conditions of its cell test, its host's name
-- and kind, and its paper (the lower-cased DOI of its document when it has one, else its
-- title lower-cased without spaces and punctuation when it has a title of title length,
-- else the document id: the same paper built twice is one paper). It is derived data, a join of
-- measurements, cell_tests, hosts and documents (the view rank_figures_source) kept in
-- step by the triggers below: a figure's row is written with it, rewritten when it or
-- its host, cell test or document changes, and deleted with it. Ranking from it reads one
-- index range instead of four tables per figure.
CREATE TABLE IF NOT EXISTS rank_figures (
    measurement_id  INTEGER PRIMARY KEY,   -- measurements.id
    metric          TEXT NOT NULL,
    value           REAL NOT NULL,
    cell_type       TEXT,
    current_density REAL,                  -- mA/cm2
    areal_capacity  REAL,                  -- mAh/cm2
    c_rate          REAL,
    temperature     REAL,                  -- degC, NULL when the paper states none
    cathode         TEXT,                  -- lower-cased
    cycles          REAL,
    host            TEXT NOT NULL,         -- hosts.name
    host_kind       TEXT NOT NULL,         -- hosts.kind
    paper           NOT NULL,              -- lower(documents.doi) (text), or 'title:' and the normalized title, or documents.id when it has neither (integer); no type, so kept as given
    document        TEXT NOT NULL,         -- documents.name
    document_id     INTEGER NOT NULL
);

CREATE VIEW IF NOT EXISTS rank_figures_source AS
SELECT
    m.id                                              AS measurement_id,
    m.metric                                          AS metric,
    m.value                                           AS value,
    c.cell_type                                       AS cell_type,
    c.current_density_ma_cm2                          AS current_density,
    c.areal_capacity_mah_cm2                          AS areal_capacity,
    c.c_rate                                          AS c_rate,
    c.temperature_c                                   AS temperature,
    lower(c.cathode)                                  AS cathode,
    c.cycles                                          AS cycles,
    h.name                                            AS host,
    h.kind                                            AS host_kind,
    COALESCE(lower(NULLIF(d.doi, '')),
             CASE WHEN length(d.title) BETWEEN 20 AND 400 THEN 'title:' || lower(
                 replace(replace(replace(replace(replace(replace(replace(replace(replace(
                     d.title, ' ', ''), '-', ''), '‐', ''), '–', ''), ',', ''), '.', ''), ':', ''),
                     '''', ''), '"', '')) END,
             d.id)                                    AS paper,
    d.name                                            AS document,
    d.id                                              AS document_id
FROM measurements m
JOIN hosts h ON h.id = m.host_id
JOIN documents d ON d.id = m.document_id
LEFT JOIN cell_tests c ON c.id = m.cell_test_id;

CREATE TRIGGER IF NOT EXISTS rank_figures_measurement_added AFTER INSERT ON measurements BEGIN
    INSERT OR REPLACE INTO rank_figures SELECT * FROM rank_figures_source WHERE measurement_id = NEW.id;
END;

CREATE TRIGGER IF NOT EXISTS rank_figures_measurement_changed AFTER UPDATE ON measurements BEGIN
    DELETE FROM rank_figures WHERE measurement_id = OLD.id;
    INSERT OR REPLACE INTO rank_figures SELECT * FROM rank_figures_source WHERE measurement_id = NEW.id;
END;

CREATE TRIGGER IF NOT EXISTS rank_figures_measurement_removed AFTER DELETE ON measurements BEGIN
    DELETE FROM rank_figures WHERE measurement_id = OLD.id;
END;

CREATE TRIGGER IF NOT EXISTS rank_figures_host_changed AFTER UPDATE OF id, name, kind ON hosts BEGIN
    INSERT OR REPLACE INTO rank_figures SELECT * FROM rank_figures_source
    WHERE measurement_id IN (SELECT id FROM measurements WHERE host_id = NEW.id);
END;

CREATE TRIGGER IF NOT EXISTS rank_figures_cell_test_changed AFTER UPDATE ON cell_tests BEGIN
    INSERT OR REPLACE INTO rank_figures SELECT * FROM rank_figures_source
    WHERE measurement_id IN (SELECT id FROM measurements WHERE cell_test_id = NEW.id);
END;

CREATE TRIGGER IF NOT EXISTS rank_figures_document_changed AFTER UPDATE OF id, name, doi, title ON documents BEGIN
    INSERT OR REPLACE INTO rank_figures SELECT * FROM rank_figures_source
    WHERE measurement_id IN (SELECT id FROM measurements WHERE document_id = NEW.id);
END;

-- rank_figures_conditions: way "conditions" seeks (metric, cell type, current density
-- range) here and tests every other filter, and reads what it ranks on, from the index
-- alone; way "scan" reads one metric's figures from it.
CREATE INDEX IF NOT EXISTS rank_figures_conditions
    ON rank_figures(metric, cell_type, current_density, areal_capacity, c_rate, temperature, cathode,
                    host_kind, value, cycles, paper, host, document);

-- rank_figures_value: way "top" walks one metric's figures best first here.
CREATE INDEX IF NOT EXISTS rank_figures_value ON rank_figures(metric, value);

-- rank_figures_design: way "top" finds the other figures of a design (paper, host name).
CREATE INDEX IF NOT EXISTS rank_figures_design ON rank_figures(paper, host);

-- Indexes of earlier versions that rank_figures replaces (a database built by one is
-- brought up to date when it is opened).
DROP INDEX IF EXISTS measurements_rank;
DROP INDEX IF EXISTS cell_tests_rank;
DROP INDEX IF EXISTS documents_doi;

-- Measured by benchmarks/bench_catalog.py (2-core VM, p50 / p95 over 100 runs at 1 000 000
-- figures). Filtered ranking (metric + cell type + current density + areal capacity; up to
-- ~5 500 designs returned):
--   measurements_metric_value only (first version)                 ~1 280 ms at p95
--   + measurements_rank(metric, cell_test_id, ...)                     ~190 ms
--   + narrow-row query, cell_tests_rank, documents_doi, read tuning   40-50 / 95-99 ms
--   rank_figures (this file)                                         29-32 / 85-88 ms
--   + the whole file memory-mapped (store.READ_MMAP_BYTES)          ~24 / 68-70 ms
-- Picking the figures went from ~22 ms to ~3.5 ms for the largest answers; what is left is
-- ranking them (~17 ms) and reading, sorting and returning ~5 500 wide rows (~55 ms).
-- Top 20 of a metric: 3 500 ms -> 1 920 ms -> ~1 ms (walked best first).
-- Size: rank_figures and its indexes take ~260 MB at 1 M figures (the benchmark's database
-- grows 546 -> 810 MB, less the indexes it replaces; it stores few sentences, so in a real
-- build, where sentences and their full-text index dominate, the share is much smaller).

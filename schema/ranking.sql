-- hostkb ranking: the one definition of "rank host designs by a metric".
--
-- Two parts, read by extractor/rank.py:
--   1. the view ranking_base (one row per figure of merit, with its conditions, host,
--      paper and evidence, and sort_value: the value signed so that smaller is better);
--   2. the parameterized query after the line "-- query: rank". extractor.rank.RANK_SQL
--      is that query with the view's SELECT prefixed as a CTE named ranking_base, so it
--      runs on any hostkb database, with or without the view. rank(), `hostkb rank`, the
--      notebooks and the Datasette canned query all run RANK_SQL: they rank the same way.
--      Every row it returns is the ranking_base row of the chosen figure, with its rank.
--
-- Parameters of the query (NULL or '' means "any"; Datasette sends '' for empty fields):
--   :metric           a metric of schema/vocab.toml (required; an unknown one ranks nothing)
--   :cell_type        symmetric | half | full | pouch (exact)
--   :current_density  mA/cm2   } a figure matches when |x - wanted| <= tolerance * |wanted|
--   :areal_capacity   mAh/cm2  }
--   :c_rate           C        }
--   :temperature      degC     } a figure whose paper states no temperature counts as 25 °C
--   :cathode          case-insensitive substring of the cathode ("LiFePO4", "NCM")
--   :min_cycles       only figures stated for at least this many cycles (a figure without a
--                     cycle count does not match)
--   :electrolyte      case-insensitive substring of the electrolyte ("LiTFSI", "carbonate")
--   :tolerance        relative tolerance of the numeric filters (default 0.05, i.e. ±5 %)
--   :include_cited    1 to rank figures quoted from other papers too (default 0)
--   :top              keep the first N rows (default: all)
--
-- What is ranked:
--   * a design is a host name in one paper. A paper is identified by its DOI, compared
--     lower-cased, when its document has one, else by the document: the same paper built
--     twice (the PDF and its text version, which share a DOI) is one paper, and each of
--     its designs is ranked once;
--   * each design is represented by its best matching figure: smallest sort_value (the
--     metric's direction, metrics.better), then the most cycles (a figure without a cycle
--     count after those with one), then the smallest measurement id;
--   * the designs are ranked by sort_value, then cycles (more first, unknown last); ties
--     that remain share a rank (rank()). Rows are ordered by rank, document, host, and
--     :top keeps the first N of that order.
--
-- How the query runs fast (measured by benchmarks/bench_catalog.py; see schema/indexes.sql):
-- it never drags the wide columns (evidence, titles) through the ranking. It picks and
-- ranks figures on the narrow rows of rank_figures (a derived table kept in step with
-- measurements by triggers: value, conditions, host name, paper) and joins ranking_base
-- only for the rows it returns, in measurement id order (the tables are written one paper
-- at a time, so that order reads neighbouring pages). It takes one of these ways to the
-- matching figures, chosen from the parameters alone; all apply the same filters (CTE
-- matching), so they return the same rows:
--   conditions  :cell_type and :current_density given: the figures of the metric and
--               cell type in that current density range, with every other filter tested
--               in index rank_figures_conditions (a few thousand rows at 1 M figures);
--   top         :top given and no condition other than :cell_type: the figures of the
--               metric walked best first (index rank_figures_value), keeping each
--               design's best, and stopping after :top rows (a cell type that few figures
--               of the metric have makes the walk long);
--   scan        otherwise: every figure of the metric (index rank_figures_conditions),
--               filtered, then one best per design.
--   none        a cell type that no cell test has: nothing is read.
-- The query uses NOT MATERIALIZED (SQLite >= 3.35) so that the parameters are constants
-- to the query planner and each way is planned with its own index. The plans do not
-- depend on ANALYZE statistics (a hostkb build has none): the notes in matching and
-- leaders_lower say how; tests/test_rank.py checks the plan.

CREATE VIEW IF NOT EXISTS ranking_base AS
SELECT
    m.id                      AS measurement_id,
    m.metric                  AS metric,
    mt.label                  AS metric_label,
    mt.better                 AS better,
    h.id                      AS host_id,
    h.name                    AS host,
    h.kind                    AS host_kind,
    m.value                   AS value,
    m.unit                    AS unit,
    m.qualifier               AS qualifier,
    m.raw                     AS raw,
    c.cell_type               AS cell_type,
    c.current_density_ma_cm2  AS current_density,
    c.areal_capacity_mah_cm2  AS areal_capacity,
    c.c_rate                  AS c_rate,
    c.cycles                  AS cycles,
    c.cathode                 AS cathode,
    c.electrolyte             AS electrolyte,
    c.temperature_c           AS temperature,
    d.id                      AS document_id,
    d.name                    AS document,
    d.title                   AS title,
    d.doi                     AS doi,
    d.year                    AS year,
    d.journal                 AS journal,
    d.authors                 AS authors,
    m.sentence_id             AS sentence_id,
    COALESCE(NULLIF(m.evidence, ''), s.evidence) AS evidence,
    s.page                    AS page,
    CASE mt.better WHEN 'lower' THEN m.value ELSE -m.value END AS sort_value
FROM measurements m
JOIN hosts h ON h.id = m.host_id
JOIN documents d ON d.id = m.document_id
JOIN metrics mt ON mt.name = m.metric
LEFT JOIN cell_tests c ON c.id = m.cell_test_id
LEFT JOIN sentences s ON s.id = m.sentence_id;

-- query: rank
-- wanted: the parameters, typed ('' -> NULL). One row when :metric is a known metric,
-- none otherwise. Reading metrics by its primary key makes this a constant one-row
-- source that the planner folds into every use (NOT MATERIALIZED).
WITH wanted AS NOT MATERIALIZED (
    SELECT
        :metric                                            AS metric,
        mt.better                                          AS better,
        NULLIF(:cell_type, '')                             AS cell_type,
        CAST(NULLIF(:current_density, '') AS REAL)         AS current_density,
        CAST(NULLIF(:areal_capacity, '') AS REAL)          AS areal_capacity,
        CAST(NULLIF(:c_rate, '') AS REAL)                  AS c_rate,
        CAST(NULLIF(:temperature, '') AS REAL)             AS temperature,
        lower(NULLIF(:cathode, ''))                        AS cathode,
        CAST(NULLIF(:min_cycles, '') AS REAL)              AS min_cycles,
        lower(NULLIF(:electrolyte, ''))                    AS electrolyte,
        COALESCE(CAST(NULLIF(:tolerance, '') AS REAL), 0.05) AS tolerance,
        COALESCE(CAST(NULLIF(:include_cited, '') AS INTEGER), 0) AS include_cited,
        COALESCE(CAST(NULLIF(:top, '') AS INTEGER), -1)    AS top
    FROM metrics mt
    WHERE mt.name = :metric
),
-- route: the way to the matching figures (see the header), a constant; 'none' when no
-- cell test has the wanted cell type, so that nothing is read.
route AS NOT MATERIALIZED (
    SELECT
        w.*,
        CASE
            WHEN w.cell_type IS NOT NULL
                 AND NOT EXISTS (SELECT 1 FROM cell_tests ct WHERE ct.cell_type = w.cell_type)
                THEN 'none'
            WHEN w.cell_type IS NOT NULL AND w.current_density IS NOT NULL
                THEN 'conditions'
            WHEN w.top >= 0 AND w.current_density IS NULL AND w.areal_capacity IS NULL
                 AND w.c_rate IS NULL AND w.temperature IS NULL AND w.cathode IS NULL
                 AND w.min_cycles IS NULL AND w.electrolyte IS NULL
                THEN 'top'
            ELSE 'scan'
        END                                                AS path
    FROM wanted w
),
-- matching: every figure of the metric that meets the filters, as a narrow row from
-- rank_figures (schema/indexes.sql): its id, value and sort_value (the value signed so that
-- smaller is better), cycles, host name, document and paper (the lower-cased DOI, or the
-- document id when there is none). This is the one place the filters are written; it is
-- inlined (NOT MATERIALIZED) into each way below, which says how to seek:
--   * "+f.metric" keeps the metric filter from choosing an index by itself; a way that
--     seeks the figures by metric adds by_metric (the same test, usable by an index);
--   * in_index_range is a superset of the current density filter that an index can seek
--     (the exact filter stays in the WHERE clause; the range is 1e-6 wider, relative).
matching AS NOT MATERIALIZED (
    SELECT
        f.measurement_id                                   AS measurement_id,
        f.value                                            AS value,
        CASE w.better WHEN 'lower' THEN f.value ELSE -f.value END AS sort_value,
        f.cycles                                           AS cycles,
        f.host                                             AS host,
        f.document                                         AS document,
        f.paper                                            AS paper,
        w.path                                             AS path,
        w.better                                           AS better,
        f.metric = w.metric                                AS by_metric,
        f.cell_type = w.cell_type
          AND f.current_density
              BETWEEN w.current_density - 1.000001 * w.tolerance * abs(w.current_density)
                  AND w.current_density + 1.000001 * w.tolerance * abs(w.current_density)
                                                           AS in_index_range
    FROM route w
    JOIN rank_figures f ON +f.metric = w.metric
    WHERE (w.include_cited OR f.host_kind <> 'cited')
      AND (w.cell_type IS NULL OR f.cell_type = w.cell_type)
      AND (w.current_density IS NULL
           OR abs(f.current_density - w.current_density) <= w.tolerance * abs(w.current_density))
      AND (w.areal_capacity IS NULL
           OR abs(f.areal_capacity - w.areal_capacity) <= w.tolerance * abs(w.areal_capacity))
      AND (w.c_rate IS NULL
           OR abs(f.c_rate - w.c_rate) <= w.tolerance * abs(w.c_rate))
      AND (w.temperature IS NULL
           OR abs(COALESCE(f.temperature, 25.0) - w.temperature) <= w.tolerance * abs(w.temperature))
      AND (w.cathode IS NULL OR instr(f.cathode, w.cathode) > 0)
      AND (w.min_cycles IS NULL OR f.cycles >= w.min_cycles)
      -- the electrolyte is not in rank_figures (rarely filtered on): read from the cell test
      AND (w.electrolyte IS NULL OR EXISTS (
           SELECT 1 FROM measurements em JOIN cell_tests ec ON ec.id = em.cell_test_id
           WHERE em.id = f.measurement_id AND instr(lower(ec.electrolyte), w.electrolyte) > 0))
),
-- candidates: ways "conditions" (seek the cell tests in the current density range, then
-- their figures of the metric) and "scan" (every figure of the metric). Only one arm
-- reads anything: the path is a constant, tested before any row is read.
candidates AS (
    SELECT measurement_id, sort_value, cycles, host, paper
    FROM matching
    WHERE path = 'conditions' AND by_metric AND in_index_range
    UNION ALL
    SELECT measurement_id, sort_value, cycles, host, paper
    FROM matching
    WHERE path = 'scan' AND by_metric
),
-- best: each design's best figure among the candidates is the one with nth = 1.
best AS (
    SELECT measurement_id, sort_value, cycles,
           row_number() OVER (
               PARTITION BY paper, host
               ORDER BY sort_value, cycles DESC NULLS LAST, measurement_id
           ) AS nth
    FROM candidates
),
-- leaders_lower: way "top" for a metric where lower is better. The matching figures are
-- walked in value order, from index rank_figures_value (the always true "value >= -9e999"
-- lets the planner pick it even without ANALYZE statistics), so the walk stops after :top
-- rows. A figure is kept when no matching figure of the same design comes before it; the
-- design's figures are found by paper from index rank_figures_design ("+" on the host
-- name keeps the planner on that index).
leaders_lower AS (
    SELECT s.measurement_id, s.sort_value, s.cycles
    FROM matching s
    WHERE s.path = 'top' AND s.better = 'lower' AND s.by_metric AND s.value >= -9e999
      AND NOT EXISTS (
          SELECT 1 FROM matching b
          WHERE b.paper = s.paper AND +b.host = s.host
            AND (b.sort_value < s.sort_value
                 OR (b.sort_value = s.sort_value
                     AND (b.cycles > s.cycles
                          OR (b.cycles IS NOT NULL AND s.cycles IS NULL)
                          OR (b.cycles IS s.cycles AND b.measurement_id < s.measurement_id)))))
    ORDER BY s.value, s.cycles DESC NULLS LAST, s.document, s.host
    LIMIT COALESCE((SELECT top FROM wanted), 0)
),
-- leaders_higher: the same for a metric where higher is better (the index walked backwards).
leaders_higher AS (
    SELECT s.measurement_id, s.sort_value, s.cycles
    FROM matching s
    WHERE s.path = 'top' AND s.better = 'higher' AND s.by_metric AND s.value >= -9e999
      AND NOT EXISTS (
          SELECT 1 FROM matching b
          WHERE b.paper = s.paper AND +b.host = s.host
            AND (b.sort_value < s.sort_value
                 OR (b.sort_value = s.sort_value
                     AND (b.cycles > s.cycles
                          OR (b.cycles IS NOT NULL AND s.cycles IS NULL)
                          OR (b.cycles IS s.cycles AND b.measurement_id < s.measurement_id)))))
    ORDER BY s.value DESC, s.cycles DESC NULLS LAST, s.document, s.host
    LIMIT COALESCE((SELECT top FROM wanted), 0)
),
-- design_bests: one row per design, whichever way was taken.
design_bests AS (
    SELECT measurement_id, sort_value, cycles FROM best WHERE nth = 1
    UNION ALL
    SELECT * FROM leaders_lower
    UNION ALL
    SELECT * FROM leaders_higher
),
-- ranked: the rank of each design. Way "top" gives the first designs in the order of the
-- result, so their ranks are their ranks among all designs.
ranked AS (
    SELECT rank() OVER (ORDER BY sort_value, cycles DESC NULLS LAST) AS rank, measurement_id
    FROM design_bests
),
-- chosen: the rows that can be in the result (with :top, the first :top rows all have a
-- rank <= :top), in measurement id order, the order their details are read in (LIMIT -1
-- keeps the ORDER BY: SQLite may drop the ORDER BY of a subquery without one).
chosen AS MATERIALIZED (
    SELECT * FROM ranked
    WHERE rank <= (SELECT top FROM wanted) OR (SELECT top FROM wanted) < 0
    ORDER BY measurement_id
    LIMIT -1
)
-- The result: the ranking_base row of each chosen figure, with its rank; the first :top.
SELECT
    r.rank AS rank,
    b.host, b.host_kind, b.metric, b.value, b.unit, b.qualifier, b.raw,
    b.cell_type, b.current_density, b.areal_capacity, b.c_rate, b.cycles, b.cathode, b.electrolyte, b.temperature,
    b.document, b.title, b.doi, b.year, b.journal, b.authors, b.sentence_id, b.evidence, b.page, b.measurement_id, b.host_id, b.document_id
FROM chosen r
JOIN ranking_base b ON b.measurement_id = r.measurement_id
ORDER BY r.rank, b.document, b.host
LIMIT COALESCE((SELECT top FROM wanted), 0);

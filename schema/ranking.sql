-- hostkb ranking: the one definition of "rank host designs by a metric".
--
-- Two parts, read by extractor/rank.py:
--   1. the view ranking_base (one row per figure of merit, with its conditions, host,
--      paper and evidence, and sort_value: the value signed so that smaller is better);
--   2. the parameterized query after the line "-- query: rank". extractor.rank.RANK_SQL
--      is that query with the view's SELECT prefixed as a CTE named ranking_base, so it
--      runs on any hostkb database, with or without the view. rank(), `hostkb rank`, the
--      notebooks and the Datasette canned query all run RANK_SQL: they rank the same way.
--
-- Parameters of the query (NULL or '' means "any"; Datasette sends '' for empty fields):
--   :metric           a metric of schema/vocab.toml (required)
--   :cell_type        symmetric | half | full | pouch (exact)
--   :current_density  mA/cm2   } a figure matches when |x - wanted| <= tolerance * |wanted|
--   :areal_capacity   mAh/cm2  }
--   :c_rate           C        }
--   :temperature      degC     } a figure whose paper states no temperature counts as 25 °C
--   :cathode          case-insensitive substring of the cathode ("LiFePO4", "NCM")
--   :tolerance        relative tolerance of the numeric filters (default 0.05, i.e. ±5 %)
--   :include_cited    1 to rank figures quoted from other papers too (default 0)
--   :top              keep the first N rows (default: all)
--
-- One best figure per design (a design = host name + document), in the metric's
-- direction (metrics.better); ties go to the figure sustained for more cycles. Ties
-- that remain share a rank.

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
WITH wanted AS (
    SELECT
        :metric                                            AS metric,
        NULLIF(:cell_type, '')                             AS cell_type,
        CAST(NULLIF(:current_density, '') AS REAL)         AS current_density,
        CAST(NULLIF(:areal_capacity, '') AS REAL)          AS areal_capacity,
        CAST(NULLIF(:c_rate, '') AS REAL)                  AS c_rate,
        CAST(NULLIF(:temperature, '') AS REAL)             AS temperature,
        lower(NULLIF(:cathode, ''))                        AS cathode,
        COALESCE(CAST(NULLIF(:tolerance, '') AS REAL), 0.05) AS tolerance,
        COALESCE(CAST(NULLIF(:include_cited, '') AS INTEGER), 0) AS include_cited,
        COALESCE(CAST(NULLIF(:top, '') AS INTEGER), -1)    AS top
),
candidates AS (
    SELECT b.*
    FROM ranking_base b, wanted w
    WHERE b.metric = w.metric
      AND (w.include_cited OR b.host_kind <> 'cited')
      AND (w.cell_type IS NULL OR b.cell_type = w.cell_type)
      AND (w.current_density IS NULL
           OR abs(b.current_density - w.current_density) <= w.tolerance * abs(w.current_density))
      AND (w.areal_capacity IS NULL
           OR abs(b.areal_capacity - w.areal_capacity) <= w.tolerance * abs(w.areal_capacity))
      AND (w.c_rate IS NULL
           OR abs(b.c_rate - w.c_rate) <= w.tolerance * abs(w.c_rate))
      AND (w.temperature IS NULL
           OR abs(COALESCE(b.temperature, 25.0) - w.temperature) <= w.tolerance * abs(w.temperature))
      AND (w.cathode IS NULL OR instr(lower(b.cathode), w.cathode) > 0)
),
best AS (
    SELECT c.*,
           row_number() OVER (
               PARTITION BY c.document_id, c.host
               ORDER BY c.sort_value, c.cycles DESC NULLS LAST, c.measurement_id
           ) AS nth
    FROM candidates c
)
SELECT
    rank() OVER (ORDER BY sort_value, cycles DESC NULLS LAST) AS rank,
    host, host_kind, metric, value, unit, qualifier, raw,
    cell_type, current_density, areal_capacity, c_rate, cycles, cathode, electrolyte, temperature,
    document, title, doi, year, sentence_id, evidence, page, measurement_id, host_id, document_id
FROM best
WHERE nth = 1
ORDER BY rank, document, host
LIMIT (SELECT top FROM wanted);

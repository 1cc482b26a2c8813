-- hostkb: indexes for the catalog at scale (measured by benchmarks/bench_catalog.py).
--
-- To be applied after schema.sql by store.open_db (idempotent: IF NOT EXISTS).
-- The ranking query (extractor.rank.RANK_SQL, schema/ranking.sql) takes one of three ways
-- to the figures it ranks; these indexes serve them (with measurements_metric_value and
-- cell_tests_conditions of schema.sql). Measured numbers: see the end of this file.

-- measurements_rank: the figures of one metric with the ids of their cell test, host and
-- paper and their value, without reading the measurements table. Way "conditions" seeks
-- it by (metric, cell test) for each matching cell test; way "scan" reads a metric's
-- figures from it in cell-test order (so the cell_tests lookups are sequential).
CREATE INDEX IF NOT EXISTS measurements_rank
    ON measurements(metric, cell_test_id, host_id, document_id, value, sentence_id);

-- cell_tests_rank: way "conditions" seeks the cell tests of one cell type in a current
-- density range here, and tests the other conditions and reads the cycles from the index
-- alone. id comes right after the searched columns, so the matching cell tests come in
-- id order: their figures, hosts and papers are then read in (nearly) file order (with
-- cycles before id, reading them took 51 ms instead of 30 ms in the worst case at 1 M).
CREATE INDEX IF NOT EXISTS cell_tests_rank
    ON cell_tests(cell_type, current_density_ma_cm2, areal_capacity_mah_cm2, id,
                  cycles, c_rate, temperature_c, cathode);

-- documents_doi: the documents of one paper (same DOI, compared lower-cased), which the
-- ranking counts as one paper; way "top" looks them up for each design it keeps.
CREATE INDEX IF NOT EXISTS documents_doi ON documents(lower(doi));

-- Measured by benchmarks/bench_catalog.py (2-core VM, 40 runs, p50 / p95), before -> after
-- the ranking query was reworked (schema/ranking.sql) and cell_tests_rank and
-- documents_doi were added:
--                                      100 000 figures           1 000 000 figures
--   rank, metric + conditions     12 / 18 ms -> 4 / 9 ms    119 / 189 ms -> 46 / 93 ms
--   rank, metric only, top 20    170 / 275 ms -> 0.6 / 0.7   1 402 / 1 973 ms -> 0.7 / 1.0 ms
--   host profile (unchanged)       ~6-10 ms                  ~62 ms
-- At 1 M figures the filtered ranking returns ~1 500 rows at the median and up to ~4 700;
-- its time is then mostly reading those rows' details and handing them to Python. Without
-- cell_tests_rank it takes ~99 ms at p95, without measurements_rank ~110 ms. Size: 525 MB
-- -> 546 MB (+4 %, cell_tests_rank and documents_doi; measurements_rank was already there).

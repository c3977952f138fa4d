-- The deliveries known on the run date, ranked per source and unit (1 = latest).
-- AGDREF snapshots are complete: the latest of each department is the truth; the latest
-- GENESIS list of an establishment is the truth for it (PRI-01). Files extracted after
-- the run date are not yet known and are ignored, so that an --as-of run in the past
-- sees what the prefecture knew then.
CREATE OR REPLACE TEMP TABLE latest_files AS
SELECT file_kind, unit, file_name, extraction_date,
       row_number() OVER (PARTITION BY file_kind, unit
                          ORDER BY extraction_date DESC, file_name DESC) AS recency
FROM audit.files
WHERE status = 'LOADED' AND extraction_date <= getvariable('run_date');

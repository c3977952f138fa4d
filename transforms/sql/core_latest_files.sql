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
-- Staging keeps every AGDREF snapshot (a night adds one per department): the core steps
-- read only the rows extracted from the earliest of the latest snapshots on, which the
-- scans skip by their extraction dates (rows are stored in the order they arrived)
-- instead of reading every snapshot ever loaded and joining it to the files.
SET VARIABLE agdref_snapshots_from = (
    SELECT coalesce(min(extraction_date), DATE '9999-12-31') FROM latest_files
    WHERE recency = 1 AND file_kind LIKE 'agdref\_%' ESCAPE '\');

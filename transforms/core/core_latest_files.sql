-- reads: audit.files
-- builds: latest_files
-- The deliveries known on the run date, ranked per source and unit (1 = latest).
-- AGDREF snapshots are complete: the latest of each department is the truth; the latest
-- GENESIS list of an establishment is the truth for it (PRI-01). Files extracted after
-- the run date are not yet known and are ignored, so that an --as-of run in the past
-- sees what the prefecture knew then.
-- An UNCHANGED delivery (the same bytes as an earlier delivery, under a later date) is
-- that date's delivery, so it ranks by its own date (PRI-01: the latest list is the
-- latest date, even when its content is an earlier list's); its rows are those staged
-- under the file it repeats: rows_file_name, which the core steps join staging on.
-- RULES principle 1: an AGDREF extract that staged no row (every row quarantined, or
-- none), while another extract of its department and table known on the run date staged
-- rows, is a broken export, not the department's snapshot: the snapshot before it stays
-- the truth (`recency` ranks the usable deliveries; the ingest plan already refuses an
-- extract holding no row at all, transforms/ingest/inbox.py). It is still its unit's
-- newest delivery (`newest`): its quarantined rows hold the people they name (DQ-01).
CREATE OR REPLACE TEMP TABLE latest_files AS
WITH deliveries AS (
    SELECT d.file_kind, d.unit, d.file_name, d.extraction_date,
           coalesce(d.repeats_file_name, d.file_name) AS rows_file_name,
           coalesce(h.extraction_date, d.extraction_date) AS rows_extraction_date,
           coalesce(h.rows_staged, d.rows_staged, 0) AS rows_staged
    FROM audit.files d
    LEFT JOIN audit.files h ON h.file_name = d.repeats_file_name AND h.status = 'LOADED'
    WHERE d.status IN ('LOADED', 'UNCHANGED') AND d.extraction_date <= getvariable('run_date')
),
usable AS (
    SELECT *, NOT (file_kind LIKE 'agdref\_%' ESCAPE '\' AND rows_staged = 0
                   AND max(rows_staged) OVER (PARTITION BY file_kind, unit) > 0) AS usable
    FROM deliveries
)
SELECT file_kind, unit, file_name, extraction_date, rows_file_name, rows_extraction_date,
       CASE WHEN usable THEN row_number() OVER (
           PARTITION BY file_kind, unit, usable
           ORDER BY extraction_date DESC, file_name DESC) END AS recency,
       row_number() OVER (PARTITION BY file_kind, unit
                          ORDER BY extraction_date DESC, file_name DESC) = 1 AS newest
FROM usable;
-- Staging keeps every AGDREF snapshot (a night adds one per department): the core steps
-- read only the rows extracted from the earliest of the latest snapshots on (the rows of
-- an unchanged snapshot carry the date of the file they were staged from), which the
-- scans skip by their extraction dates (rows are stored in the order they arrived)
-- instead of reading every snapshot ever loaded and joining it to the files.
SET VARIABLE agdref_snapshots_from = (
    SELECT coalesce(min(rows_extraction_date), DATE '9999-12-31') FROM latest_files
    WHERE recency = 1 AND file_kind LIKE 'agdref\_%' ESCAPE '\');

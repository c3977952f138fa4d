-- reads: audit.files, audit.quarantine, latest_files
-- builds: core.quarantined_references
-- core.quarantined_references (RULES.md §5 SOURCE_ROW_QUARANTINED, DQ-01): whom each
-- quarantined row of a loaded file names (a well-formed AGDREF number, or one that lost
-- its leading zeros read back to 10 digits, the OFPRA number of a claim, a committal
-- number of its establishment, a measure id: audit.quarantine.names, read from the row
-- as delivered when it was quarantined, and kept by a purge), with the latest date on
-- which its file's rows were delivered (the file's, or a later UNCHANGED repeat's). Reads
-- audit.quarantine, audit.files, latest_files (core_latest_files.sql); the rules decide
-- whether a row is recent enough to matter (transforms/rules/verdicts.py, dq_01_quarantined).
CREATE OR REPLACE TABLE core.quarantined_references AS
WITH lines AS (
    SELECT q.file_name, q.line_number, f.system, f.file_kind, f.unit,
           -- the latest date its rows were delivered: a delivery of the same bytes
           -- (UNCHANGED) repeats them under its own date, which the listing rows carry
           (SELECT coalesce(max(l.extraction_date), f.extraction_date) FROM latest_files l
            WHERE l.rows_file_name = f.file_name) AS extraction_date,
           -- the latest delivery of the unit, or the file an UNCHANGED latest repeats
           -- (an extract that staged no row included: core_latest_files.sql `newest`)
           EXISTS (SELECT 1 FROM latest_files l
                   WHERE l.rows_file_name = f.file_name AND l.newest) AS is_latest,
           flatten(list(q.names)) AS names
    FROM audit.quarantine q
    JOIN audit.files f ON f.file_name = q.file_name AND f.run_id = q.run_id
                      AND f.status = 'LOADED'
    WHERE f.extraction_date <= getvariable('run_date')
    GROUP BY ALL
)
SELECT DISTINCT unnest(names) AS reference, system, file_kind, unit, extraction_date,
       is_latest, file_name || ':' || line_number AS source_row
FROM lines ORDER BY reference, source_row;
COMMENT ON TABLE core.quarantined_references IS 'Whom a quarantined source row names (AGDREF number, OFPRA number, committal number, measure id): the person waits, excluded with SOURCE_ROW_QUARANTINED, until the row is corrected (DQ-01).';
COMMENT ON COLUMN core.quarantined_references.reference IS 'agdref:<NUM_AGDREF>, telemofpra:<NUM_OFPRA>, genesis:<CODE_ETABLISSEMENT>:<NUM_ECROU> or measure:<ID_MESURE>';
COMMENT ON COLUMN core.quarantined_references.is_latest IS 'the file is the latest delivery of its kind and unit on the run date';

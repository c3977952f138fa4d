-- reads: audit.files, file_corrections, file_departments
-- builds: marts.data_quality
-- Data quality of every run: files by status, rows read, staged and quarantined.
CREATE OR REPLACE TABLE marts.data_quality AS
SELECT f.run_id, d.system, d.department, f.status, count(*) AS files,
       count(*) FILTER (WHERE EXISTS (
           SELECT 1 FROM file_corrections c WHERE c.run_id = f.run_id
           AND c.file_name = f.file_name AND c.sha256 IS NOT DISTINCT FROM f.sha256))
           AS corrections,
       sum(f.rows_read)::BIGINT AS rows_read, sum(f.rows_staged)::BIGINT AS rows_staged,
       sum(f.rows_quarantined)::BIGINT AS rows_quarantined
FROM audit.files f JOIN file_departments d USING (file_name)
GROUP BY ALL ORDER BY ALL;
COMMENT ON TABLE marts.data_quality IS 'Files received by the run that first saw them, by system, department and status, with row counts. Grain: run, system, department, status.';
COMMENT ON COLUMN marts.data_quality.run_id IS 'run that first saw the files (audit.runs)';
COMMENT ON COLUMN marts.data_quality.system IS 'telemofpra, genesis or agdref (the inbox folder), INCONNU when not known';
COMMENT ON COLUMN marts.data_quality.department IS 'department of the file (of the establishment for GENESIS); null when unknown';
COMMENT ON COLUMN marts.data_quality.status IS 'LOADED, UNCHANGED (same bytes as an earlier delivery under a later date: rows counted under that file), SKIPPED_DUPLICATE, SUPERSEDED or REJECTED';
COMMENT ON COLUMN marts.data_quality.files IS 'files';
COMMENT ON COLUMN marts.data_quality.corrections IS 'of them, corrections: files that replaced an earlier delivery (the file replaced is SUPERSEDED, under the run that first saw it)';
COMMENT ON COLUMN marts.data_quality.rows_read IS 'data rows read';
COMMENT ON COLUMN marts.data_quality.rows_staged IS 'rows staged';
COMMENT ON COLUMN marts.data_quality.rows_quarantined IS 'rows quarantined (a row failing several checks counts once)';

-- reads: audit.quarantine, file_departments
-- builds: marts.quarantine_reasons
-- Quarantined rows by the check they failed (the values stay in audit.quarantine).
CREATE OR REPLACE TABLE marts.quarantine_reasons AS
SELECT q.run_id, coalesce(d.system, 'INCONNU') AS system, d.department, q.column_name,
       q.check_name, count(DISTINCT (q.file_name, q.line_number)) AS rows_quarantined
FROM audit.quarantine q LEFT JOIN file_departments d USING (file_name)
GROUP BY ALL ORDER BY ALL;
COMMENT ON TABLE marts.quarantine_reasons IS 'Quarantined rows by failed check (values are left in audit.quarantine). Grain: run, system, department, column, check.';
COMMENT ON COLUMN marts.quarantine_reasons.run_id IS 'run that quarantined the rows';
COMMENT ON COLUMN marts.quarantine_reasons.system IS 'source system of the file';
COMMENT ON COLUMN marts.quarantine_reasons.department IS 'department of the file (of the establishment for GENESIS); null when unknown';
COMMENT ON COLUMN marts.quarantine_reasons.column_name IS 'column that failed (null for a whole-row check)';
COMMENT ON COLUMN marts.quarantine_reasons.check_name IS 'check that failed';
COMMENT ON COLUMN marts.quarantine_reasons.rows_quarantined IS 'rows';

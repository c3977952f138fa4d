-- reads: latest_files, staging.agdref_events
-- builds: core.measure_events
-- core.measure_events: one row per execution event of the latest EVENEMENTS snapshot of
-- each department, up to the run date.
CREATE OR REPLACE TABLE core.measure_events AS
SELECT e.measure_id, e.department, e.event_type, e.event_date, e.event_reason,
       f.file_name || ':' || e.line_number AS source_row, e.line_number
FROM staging.agdref_events e
JOIN latest_files f ON f.rows_file_name = e.file_name AND f.file_kind = 'agdref_evenements'
                   AND f.recency = 1
WHERE e.extraction_date >= getvariable('agdref_snapshots_from')
  AND e.event_date <= getvariable('run_date');
COMMENT ON TABLE core.measure_events IS 'One execution event of a removal measure (latest AGDREF snapshot, up to the run date).';

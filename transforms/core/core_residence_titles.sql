-- reads: latest_files, staging.agdref_titles
-- builds: core.residence_titles
-- core.residence_titles: residence documents and asylum attestations of the latest
-- AGDREF snapshot of each department.
CREATE OR REPLACE TABLE core.residence_titles AS
SELECT t.num_agdref, t.department, t.title_type, t.start_date, t.end_date, t.title_status,
       f.file_name || ':' || t.line_number AS source_row
FROM staging.agdref_titles t
JOIN latest_files f ON f.rows_file_name = t.file_name AND f.file_kind = 'agdref_titres'
                   AND f.recency = 1
WHERE t.extraction_date >= getvariable('agdref_snapshots_from');
COMMENT ON TABLE core.residence_titles IS 'One residence document or asylum attestation (ADA) in the latest AGDREF snapshot.';

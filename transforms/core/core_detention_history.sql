-- reads: audit.files, staging.detainees
-- builds: core.detention_history
-- core.detention_history: one row per committal ever seen on a GENESIS list extracted on
-- or before the run date (PRI-01: who was held where, from when, until which list last
-- showed them), read by EX-04 (a Dublin transfer gets 12 months when the person was held
-- at any time since the other State's acceptance). Every delivered list counts, an
-- UNCHANGED one with its own date and name (same bytes, same lines), its rows read from
-- the file it repeats.
CREATE OR REPLACE TABLE core.detention_history AS
WITH lists AS (
    SELECT file_name, extraction_date, coalesce(repeats_file_name, file_name) AS rows_file_name
    FROM audit.files
    WHERE file_kind = 'genesis' AND status IN ('LOADED', 'UNCHANGED')
      AND extraction_date <= getvariable('run_date')
), shown AS (
    SELECT 'genesis:' || d.establishment_code || ':' || d.committal_number AS record_key,
           d.establishment_code, d.department, d.committal_number, d.committal_date,
           l.extraction_date AS list_date, l.file_name || ':' || d.line_number AS source_row,
           (l.extraction_date, l.file_name, d.line_number) AS seen_order
    FROM staging.detainees d JOIN lists l ON l.rows_file_name = d.file_name
)
SELECT record_key,
       any_value(establishment_code) AS establishment_code,
       arg_max(department, seen_order) AS department,
       any_value(committal_number) AS committal_number,
       arg_max(committal_date, seen_order) AS committal_date,
       min(list_date) AS first_list_date,
       max(list_date) AS last_list_date,
       arg_min(source_row, seen_order) AS first_source_row,
       arg_max(source_row, seen_order) AS last_source_row
FROM shown
GROUP BY record_key
ORDER BY record_key;
COMMENT ON TABLE core.detention_history IS 'One committal ever seen on a GENESIS list extracted on or before the run date: where, from when, and the first and last lists that showed it (PRI-01, read by EX-04).';
COMMENT ON COLUMN core.detention_history.record_key IS 'genesis:<CODE_ETABLISSEMENT>:<NUM_ECROU> (as in core.person_links)';
COMMENT ON COLUMN core.detention_history.establishment_code IS 'GENESIS establishment';
COMMENT ON COLUMN core.detention_history.department IS 'department of the establishment (as on the last list that showed the committal)';
COMMENT ON COLUMN core.detention_history.committal_number IS 'committal number (NUM_ECROU), unique within the establishment';
COMMENT ON COLUMN core.detention_history.committal_date IS 'committal date (as on the last list that showed the committal)';
COMMENT ON COLUMN core.detention_history.first_list_date IS 'extraction date of the first GENESIS list that showed the committal';
COMMENT ON COLUMN core.detention_history.last_list_date IS 'extraction date of the last GENESIS list that showed the committal (an UNCHANGED list counts with its date): held at least until then';
COMMENT ON COLUMN core.detention_history.first_source_row IS '<file name>:<line number> of the committal on the first list';
COMMENT ON COLUMN core.detention_history.last_source_row IS '<file name>:<line number> of the committal on the last list';

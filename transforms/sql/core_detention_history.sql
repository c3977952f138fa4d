-- core.detention_history (PRI-01): every committal ever seen on a GENESIS list known on
-- the run date, from its first to its last list. Reads staging.detainees, audit.files.
CREATE OR REPLACE TABLE core.detention_history AS
SELECT 'genesis:' || d.establishment_code || ':' || d.committal_number AS record_key,
       d.establishment_code,
       arg_max(d.department, d.extraction_date) AS department,
       d.committal_number,
       min(d.committal_date) AS committal_date,
       min(d.extraction_date) AS first_list_date,
       max(d.extraction_date) AS last_list_date
FROM staging.detainees d
JOIN audit.files f ON f.file_name = d.file_name AND f.status = 'LOADED'
WHERE d.extraction_date <= getvariable('run_date')
GROUP BY ALL ORDER BY record_key;

-- reads: audit.files, staging.detainees
-- builds: file_departments
-- The department of a file: its unit, or its establishment's department for GENESIS.
CREATE OR REPLACE TEMP TABLE file_departments AS
SELECT f.file_name, coalesce(f.system, 'INCONNU') AS system,
       CASE WHEN f.system = 'genesis' THEN e.department ELSE f.unit END AS department
FROM audit.files f
LEFT JOIN (SELECT DISTINCT establishment_code, department FROM staging.detainees) e
       ON f.system = 'genesis' AND e.establishment_code = f.unit;

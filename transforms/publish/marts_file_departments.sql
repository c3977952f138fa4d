-- reads: audit.files, staging.detainees
-- builds: file_departments
-- The department of a file name: its unit, or its establishment's department for
-- GENESIS. One row per name: a correction shares its name with the file it replaces,
-- and the marts join the files on it (one row each would count every such file twice).
CREATE OR REPLACE TEMP TABLE file_departments AS
SELECT DISTINCT f.file_name, coalesce(f.system, 'INCONNU') AS system,
       CASE WHEN f.system = 'genesis' THEN e.department ELSE f.unit END AS department
FROM audit.files f
LEFT JOIN (SELECT establishment_code, min(department) AS department
           FROM staging.detainees GROUP BY establishment_code) e
       ON f.system = 'genesis' AND e.establishment_code = f.unit;

-- reads: core.persons, core.quarantined_references
-- builds: core.quarantined_identities
-- The AGDREF files a quarantined TélémOfpra or GENESIS row names by identity alone (DQ-01
-- read by RULES principle 1): a row that gives no number (`identity:<surname>|<given
-- names>|<birth date>` in core.quarantined_references, its numbers missing or malformed)
-- may still be the row that protects someone (a registered re-examination whose OFPRA
-- number was lost). It names every AGDREF file whose name skeletons agree (surname or
-- usual name, first given name) and, when the row's birth date is a whole date, whose
-- birth date is that date: the person waits for the corrected row, excluded with
-- SOURCE_ROW_QUARANTINED. A namesake may wait too: an exclusion, never an action.
CREATE OR REPLACE TABLE core.quarantined_identities AS
WITH named AS (
    SELECT q.*, string_split(substr(q.reference, length('identity:') + 1), '|') AS parts
    FROM core.quarantined_references q WHERE q.reference LIKE 'identity:%'
), forms AS (
    SELECT n.* EXCLUDE (parts, reference),
           name_skeleton(n.parts[1]) AS last_name_skeleton,
           first_name_skeleton(nullif(n.parts[2], '')) AS first_name_skeleton,
           try_strptime(n.parts[3], '%d/%m/%Y')::DATE AS birth_date
    FROM named n
), usable AS (
    SELECT * FROM forms
    WHERE length(last_name_skeleton) >= 2
      AND (first_name_skeleton IS NOT NULL OR birth_date IS NOT NULL)
), files AS (
    SELECT num_agdref, last_name_skeleton AS skeleton, first_name_skeleton, birth_date
    FROM core.persons
    UNION
    SELECT num_agdref, usual_name_skeleton, first_name_skeleton, birth_date
    FROM core.persons WHERE usual_name_skeleton IS NOT NULL
)
SELECT DISTINCT 'agdref:' || p.num_agdref AS reference, u.system, u.file_kind, u.unit,
       u.extraction_date, u.is_latest, u.source_row
FROM usable u JOIN files p ON p.skeleton = u.last_name_skeleton
WHERE (u.first_name_skeleton IS NULL OR u.first_name_skeleton = p.first_name_skeleton)
  AND (u.birth_date IS NULL OR u.birth_date = p.birth_date)
ORDER BY reference, source_row;
COMMENT ON TABLE core.quarantined_identities IS 'AGDREF files a quarantined TélémOfpra or GENESIS row without any number names by identity (name skeletons, birth date): the person waits, excluded with SOURCE_ROW_QUARANTINED, until the row is corrected (DQ-01, RULES principle 1).';
COMMENT ON COLUMN core.quarantined_identities.reference IS 'agdref:<NUM_AGDREF> of a file whose identity agrees with the quarantined row';
COMMENT ON COLUMN core.quarantined_identities.is_latest IS 'the quarantined row''s file is the latest delivery of its kind and unit on the run date';

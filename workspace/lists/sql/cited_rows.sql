-- reads: audit.files, staging.asylum_decisions, staging.detainees, staging.agdref_persons, staging.agdref_titles, staging.agdref_measures, staging.agdref_events, core.removal_measures, core.person_links
-- builds: nothing
-- Need to know for the rows a flag's page shows as delivered: each citation (file:line)
-- of $cited, the department of its row and whether the account may read it. A row of
-- the account's departments ($departments) may be read; a row of another department only
-- when the night ties it to the flag's person ($person): its record, or the AGDREF file
-- it belongs to, LINKED to that person (a file of the person managed elsewhere). A row
-- of another department tied to no one (a quarantined row naming the person by identity
-- only, a record in review) may be a namesake's: it is not shown. A row's department is
-- its staged row's; a row not staged (quarantined), its TélémOfpra or AGDREF file's, or
-- the department of its GENESIS establishment's staged rows (none known: not shown).
WITH cited AS (
    SELECT citation,
           regexp_extract(citation, '^(.*):([0-9]+)$', 1) AS file_name,
           TRY_CAST(regexp_extract(citation, '^(.*):([0-9]+)$', 2) AS INTEGER) AS line_number
    FROM unnest($cited::VARCHAR[]) AS c(citation)
),
stored AS (  -- an UNCHANGED delivery's rows are kept under the file it repeats
    SELECT c.citation, coalesce(f.repeats_file_name, c.file_name) AS file_name,
           c.line_number, f.system, f.unit
    FROM cited c
    LEFT JOIN audit.files f ON f.file_name = c.file_name
),
staged AS (
    SELECT file_name, line_number, department, 'telemofpra:' || num_ofpra AS record_key
    FROM staging.asylum_decisions
    UNION ALL
    SELECT file_name, line_number, department,
           'genesis:' || establishment_code || ':' || committal_number
    FROM staging.detainees
    UNION ALL
    SELECT file_name, line_number, department, 'agdref:' || num_agdref
    FROM staging.agdref_persons
    UNION ALL
    SELECT file_name, line_number, department, 'agdref:' || num_agdref
    FROM staging.agdref_titles
    UNION ALL
    SELECT file_name, line_number, department, 'agdref:' || num_agdref
    FROM staging.agdref_measures
    UNION ALL
    SELECT e.file_name, e.line_number, e.department, 'agdref:' || m.num_agdref
    FROM staging.agdref_events e
    LEFT JOIN core.removal_measures m ON m.measure_id = e.measure_id
),
establishments AS (
    SELECT establishment_code, min(department) AS department
    FROM staging.detainees
    GROUP BY establishment_code
),
read_as AS (
    SELECT s.citation, s.line_number IS NULL AS not_a_row,
           coalesce(r.department,
                    CASE WHEN s.system = 'genesis' THEN e.department ELSE s.unit END)
               AS department,
           EXISTS (SELECT 1 FROM core.person_links l
                   WHERE l.record_key = r.record_key AND l.person_key = $person
                     AND l.link_status = 'LINKED') AS tied
    FROM stored s
    LEFT JOIN staged r ON r.file_name = s.file_name AND r.line_number = s.line_number
    LEFT JOIN establishments e ON s.system = 'genesis' AND e.establishment_code = s.unit
)
SELECT citation, department,
       not_a_row OR tied OR coalesce(list_contains($departments, department), FALSE)
           AS readable
FROM read_as

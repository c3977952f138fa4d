-- core.persons: one row per AGDREF file in the latest snapshot of its department.
CREATE OR REPLACE TABLE core.persons AS
SELECT p.num_agdref AS person_key, p.num_agdref, p.department,
       p.last_name, p.first_names, p.usual_name, p.last_name_ascii, p.first_names_ascii,
       p.usual_name_ascii, p.sex, p.birth_year, p.birth_month, p.birth_day, p.birth_date,
       p.birth_date_is_placeholder, p.nationality, p.entry_date, p.french_family_link,
       p.file_status, p.extraction_date AS snapshot_date,
       name_skeleton(p.last_name_ascii) AS last_name_skeleton,
       name_skeleton(p.usual_name_ascii) AS usual_name_skeleton,
       first_name_skeleton(p.first_names_ascii) AS first_name_skeleton,
       p.file_name || ':' || p.line_number AS source_row
FROM staging.agdref_persons p
JOIN latest_files f ON f.file_name = p.file_name AND f.file_kind = 'agdref_personnes'
                   AND f.recency = 1
QUALIFY row_number() OVER (PARTITION BY p.num_agdref
                           ORDER BY p.extraction_date DESC, p.department, p.line_number) = 1;
COMMENT ON TABLE core.persons IS 'One AGDREF file (latest snapshot of its department). person_key is the AGDREF number until identity resolution merges duplicate files.';

-- reads: core.birth_towns, latest_files, staging.agdref_persons
-- builds: agdref_first_name_skeletons, agdref_name_skeletons, agdref_same_day_rows,
--         core.persons, latest_agdref_persons
-- core.persons: one row per AGDREF file in the latest snapshot of its department.
-- A row of an unchanged snapshot is that snapshot's: its date and name (same bytes, same
-- line), though it was staged from the file it repeats (core_latest_files.sql).
CREATE OR REPLACE TEMP VIEW latest_agdref_persons AS
SELECT p.* REPLACE (f.file_name AS file_name, f.extraction_date AS extraction_date)
FROM staging.agdref_persons p
JOIN latest_files f ON f.rows_file_name = p.file_name AND f.file_kind = 'agdref_personnes'
                   AND f.recency = 1
WHERE p.extraction_date >= getvariable('agdref_snapshots_from');
-- Name skeletons are computed once per distinct name (a national file repeats names by
-- the thousand, and the skeleton is a chain of regular expressions).
CREATE OR REPLACE TEMP TABLE agdref_name_skeletons AS
WITH names AS (
    SELECT last_name_ascii AS name FROM latest_agdref_persons
    UNION SELECT usual_name_ascii FROM latest_agdref_persons
)
SELECT name, name_skeleton(name) AS skeleton FROM names;
CREATE OR REPLACE TEMP TABLE agdref_first_name_skeletons AS
SELECT names, first_name_skeleton(names) AS skeleton
FROM (SELECT DISTINCT first_names_ascii AS names FROM latest_agdref_persons);

-- A file in the latest snapshots of two departments of the same date (it changed
-- department, one extract not yet aware): when the rows disagree about its holder (names,
-- sex, birth date, nationality, entry date, family link or status), which is true is
-- uncertain. Every row of that date is kept here, to be cited with the file's
-- (contradicting_rows); the rules exclude the person with IDENTITY_CONFLICT (principle 1).
CREATE OR REPLACE TEMP TABLE agdref_same_day_rows AS
WITH repeated AS (
    SELECT num_agdref FROM latest_agdref_persons GROUP BY num_agdref HAVING count(*) > 1
), newest AS (
    SELECT p.*, max(p.extraction_date) OVER (PARTITION BY p.num_agdref) AS newest_date
    FROM latest_agdref_persons p JOIN repeated USING (num_agdref)
)
SELECT num_agdref,
       list(file_name || ':' || line_number ORDER BY department, line_number) AS source_rows
FROM newest
WHERE extraction_date = newest_date
GROUP BY num_agdref
HAVING count(DISTINCT {'last': last_name_ascii, 'first': first_names_ascii,
                       'usual': usual_name_ascii, 'sex': sex, 'year': birth_year,
                       'month': birth_month, 'day': birth_day, 'nationality': nationality,
                       'entry': entry_date, 'family': french_family_link,
                       'status': file_status}) > 1;

CREATE OR REPLACE TABLE core.persons AS
SELECT p.num_agdref AS person_key, p.num_agdref, p.department,
       p.last_name, p.first_names, p.usual_name, p.last_name_ascii, p.first_names_ascii,
       p.usual_name_ascii, p.sex, p.birth_year, p.birth_month, p.birth_day, p.birth_date,
       p.birth_date_is_placeholder, p.nationality, p.entry_date, p.french_family_link,
       p.birth_place, town.birth_town,
       p.file_status, p.extraction_date AS snapshot_date,
       last_name.skeleton AS last_name_skeleton,
       usual_name.skeleton AS usual_name_skeleton,
       first_name.skeleton AS first_name_skeleton,
       p.file_name || ':' || p.line_number AS source_row,
       coalesce(list_filter(same_day.source_rows,
                            lambda r: r <> p.file_name || ':' || p.line_number),
                []::VARCHAR[]) AS contradicting_rows
FROM latest_agdref_persons p
LEFT JOIN agdref_same_day_rows same_day USING (num_agdref)
JOIN agdref_name_skeletons last_name ON last_name.name IS NOT DISTINCT FROM p.last_name_ascii
JOIN agdref_name_skeletons usual_name ON usual_name.name IS NOT DISTINCT FROM p.usual_name_ascii
JOIN agdref_first_name_skeletons first_name
  ON first_name.names IS NOT DISTINCT FROM p.first_names_ascii
-- the town of the place of birth (transforms/core/birth_places.py), NULL: none written
LEFT JOIN core.birth_towns town ON town.birth_place = p.birth_place
-- A file in the latest snapshots of two departments of the same date (it changed
-- department, one extract not yet aware): the row that protects is kept, a recorded
-- death, naturalisation or departure first, then the youngest birth date (OQ-03),
-- never the lower department code by chance (principle 1; README, "Left alone").
QUALIFY row_number() OVER (PARTITION BY p.num_agdref
                           ORDER BY p.extraction_date DESC,
                                    p.file_status IN ('DECEDE', 'NATURALISE', 'PARTI') DESC,
                                    p.birth_date DESC NULLS LAST, p.birth_year DESC NULLS LAST,
                                    p.department, p.line_number) = 1;
COMMENT ON TABLE core.persons IS 'One AGDREF file (latest snapshot of its department). person_key is the AGDREF number until identity resolution merges duplicate files.';

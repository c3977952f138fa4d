-- reads: core.persons, core.removal_measures, remembered_files, remembered_records,
--         source_identities
-- builds: agdref_identities, screened_identities
-- Every AGDREF file as identities_agree and the blocking read it (its names as written:
-- their name_forms are computed below, only for the files of the pairs to decide), its
-- digest, and whether it changed.
CREATE OR REPLACE TEMP TABLE agdref_identities AS
WITH files AS (
    SELECT num_agdref, source_row, sex, birth_year, birth_month, birth_day, birth_date,
           birth_date_is_placeholder, nationality, last_name_skeleton, usual_name_skeleton,
           first_name_skeleton, last_name_ascii, usual_name_ascii, first_names_ascii,
           hash(sex, birth_year, birth_month, birth_day, birth_date,
                birth_date_is_placeholder, nationality, last_name_skeleton,
                usual_name_skeleton, first_name_skeleton, last_name_ascii, usual_name_ascii,
                first_names_ascii) AS digest
    FROM core.persons
)
SELECT f.*, r.digest IS NULL AS changed
FROM files f LEFT JOIN remembered_files r
  ON r.num_agdref = f.num_agdref AND r.digest = f.digest;
-- The screened records, with their name_forms (and the numbers they gave, in the digest).
CREATE OR REPLACE TEMP TABLE screened_identities AS
WITH screened AS (
    SELECT system, record_key, numbers, sex, birth_year, birth_month, birth_day, birth_date,
           birth_date_is_placeholder, nationality, last_name_skeleton, first_name_skeleton,
           last_name_ascii, NULL::VARCHAR AS usual_name_ascii, first_names_ascii
    FROM source_identities
    UNION ALL
    SELECT 'agdref', 'agdref:' || p.num_agdref, [p.num_agdref], p.sex, p.birth_year,
           p.birth_month, p.birth_day, p.birth_date, p.birth_date_is_placeholder,
           p.nationality, p.last_name_skeleton, p.first_name_skeleton, p.last_name_ascii,
           p.usual_name_ascii, p.first_names_ascii
    FROM agdref_identities p
    WHERE p.num_agdref IN (SELECT num_agdref FROM core.removal_measures)
       OR p.num_agdref IN (SELECT unnest(numbers) FROM source_identities)
), digested AS (
    SELECT *, name_forms(last_name_ascii, usual_name_ascii, first_names_ascii) AS name_forms,
           hash(system, numbers, sex, birth_year, birth_month, birth_day, birth_date,
                birth_date_is_placeholder, nationality, last_name_skeleton,
                first_name_skeleton, last_name_ascii, usual_name_ascii,
                first_names_ascii) AS digest
    FROM screened
)
SELECT d.*, r.digest IS NULL AS changed
FROM digested d LEFT JOIN remembered_records r
  ON r.record_key = d.record_key AND r.digest = d.digest;

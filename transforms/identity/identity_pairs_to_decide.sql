-- reads: agdref_identities, core.persons, screened_identities
-- builds: files_to_decide, known_nationalities, pairs_to_decide, person_keys, screened_keys
-- Blocking: identities_agree is tested on the pairs of one equi-join key at a time, not
-- on every pair born the same year (billions at national scale). Every key holds the
-- nationality (an unknown nationality is expanded to every nationality, so that it
-- still meets any: identity_conflict lets it; and to '', which no nationality is, so that
-- two unknown nationalities meet even where none is known). Exact for the numbers given
-- and for complete real birth dates (identities_agree then needs the same date, or day and
-- month swapped: the record's date swapped meets the file's); when one
-- birth date is partial or a placeholder, the two must also share a name skeleton
-- (surname, usual name, first given name, or surname and given name swapped). On the
-- generator's department set, the pairs this leaves out were all strangers.
CREATE OR REPLACE TEMP TABLE known_nationalities AS
SELECT list(DISTINCT nationality) AS nationalities
FROM (SELECT nationality FROM core.persons UNION ALL SELECT nationality FROM screened_identities)
WHERE nationality IS NOT NULL;
CREATE OR REPLACE TEMP MACRO nationality_keys(nationality) AS
    CASE WHEN nationality IS NULL
         THEN (SELECT list_append(coalesce(nationalities, []), '') FROM known_nationalities)
         ELSE [nationality] END;
CREATE OR REPLACE TEMP TABLE screened_keys AS
SELECT record_key, system, changed, birth_date, birth_date_is_placeholder, birth_year,
       last_name_skeleton, first_name_skeleton,
       birth_date IS NULL OR birth_date_is_placeholder AS weak_birth,
       CASE WHEN NOT birth_date_is_placeholder AND birth_day <= 12 AND birth_day <> birth_month
            THEN make_date(birth_year, birth_day, birth_month) END AS birth_date_swapped,
       unnest(nationality_keys(nationality)) AS nationality_key
FROM screened_identities;
CREATE OR REPLACE TEMP TABLE person_keys AS
SELECT num_agdref, changed, birth_date, birth_date_is_placeholder, birth_year,
       last_name_skeleton, usual_name_skeleton, first_name_skeleton,
       birth_date IS NULL OR birth_date_is_placeholder AS weak_birth,
       unnest(nationality_keys(nationality)) AS nationality_key
FROM agdref_identities;
-- The pairs to decide: those of a key, with a changed side (the others are remembered).
-- Weak candidates are read only for GENESIS records (worklists.upcoming_releases, PRI-07):
-- searched for them alone (nationally, AGDREF files and asylum records would add
-- millions of weak pairs no rule reads). A weak pair shares the birth year, the
-- nationality and a name key: the record's surname against the file's surname, usual
-- name or first given name (swapped), or the two first given names; and one of the two
-- birth dates is weak. The pairs are found here on the keys alone, and the records' and
-- files' identities read after: given the record and the file at once, the optimiser
-- joins them on the birth year first (minutes nationally).
CREATE OR REPLACE TEMP TABLE pairs_to_decide AS
WITH given_numbers AS (
    SELECT record_key, changed, unnest(numbers) AS num_agdref FROM screened_identities
), record_keys AS (
    SELECT record_key, changed, birth_year, nationality_key, weak_birth,
           unnest(['surname', 'given']) AS part,
           unnest([last_name_skeleton, first_name_skeleton]) AS skeleton
    FROM screened_keys WHERE system = 'genesis'
), file_keys AS (
    SELECT num_agdref, changed, birth_year, nationality_key, weak_birth,
           unnest(['surname', 'surname', 'surname', 'given']) AS part,
           unnest([last_name_skeleton, usual_name_skeleton, first_name_skeleton,
                   first_name_skeleton]) AS skeleton
    FROM person_keys
)
SELECT s.record_key, p.num_agdref
FROM given_numbers s JOIN agdref_identities p USING (num_agdref)
WHERE s.changed OR p.changed
UNION
SELECT s.record_key, p.num_agdref
FROM screened_keys s JOIN person_keys p
  ON p.birth_date = s.birth_date AND p.nationality_key = s.nationality_key
 AND NOT s.birth_date_is_placeholder AND NOT p.birth_date_is_placeholder
 AND (s.changed OR p.changed)
UNION
SELECT s.record_key, p.num_agdref
FROM screened_keys s JOIN person_keys p
  ON p.birth_date = s.birth_date_swapped AND p.nationality_key = s.nationality_key
 AND NOT p.birth_date_is_placeholder AND (s.changed OR p.changed)
UNION
SELECT r.record_key, f.num_agdref
FROM record_keys r JOIN file_keys f USING (part, skeleton, birth_year, nationality_key)
WHERE (r.changed OR f.changed) AND (r.weak_birth OR f.weak_birth);
-- The files of those pairs, with their name_forms, each beside the record of its pair (read
-- here, before identities_agree, for the reason above).
CREATE OR REPLACE TEMP TABLE files_to_decide AS
WITH file_forms AS (
    SELECT p.* EXCLUDE (last_name_ascii, usual_name_ascii, first_names_ascii),
           name_forms(p.last_name_ascii, p.usual_name_ascii, p.first_names_ascii) AS name_forms
    FROM agdref_identities p
    WHERE p.num_agdref IN (SELECT num_agdref FROM pairs_to_decide)
)
SELECT d.record_key, p.* FROM pairs_to_decide d JOIN file_forms p USING (num_agdref);

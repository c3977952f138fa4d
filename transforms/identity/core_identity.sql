-- reads: core.persons, core.removal_measures, staging.asylum_decisions, staging.detainees
-- builds: agdref_identities, core.identity_candidates, core.identity_memory,
--         core.identity_memory_files, core.identity_memory_records, core.record_identities,
--         files_to_decide, identity_memory_usable, known_nationalities, pairs_to_decide,
--         person_keys, remembered_candidates, remembered_files, remembered_records,
--         screened_identities, screened_keys, source_identities
-- Identity agreement between a source record and an AGDREF file (docs/contracts.md §2).
-- Agreement is a deterministic test on ASCII names (tolerant to transliteration and to
-- surname / given name swaps), birth date parts (a 01/01 placeholder and unknown parts
-- are no evidence either way), sex and nationality (a known difference disagrees).
CREATE OR REPLACE TEMP MACRO compact_name(s) AS regexp_replace(coalesce(s, ''), '[^A-Z]', '', 'g');
CREATE OR REPLACE TEMP MACRO name_tokens(s) AS
    list_filter(string_split_regex(coalesce(s, ''), '[^A-Z]+'), lambda t: t <> '');
-- Each name as names_agree compares it, letters only (compact) and its words (tokens):
-- computed once per record and per file (agdref_identities, screened_identities), not once
-- per pair (the national pairs are millions: cleaning and splitting the two names again
-- for each pair was most of this step's time).
CREATE OR REPLACE TEMP MACRO name_forms(last_name, usual_name, first_names) AS {
    'last_compact': compact_name(last_name), 'last_tokens': name_tokens(last_name),
    'usual_compact': compact_name(usual_name), 'usual_tokens': name_tokens(usual_name),
    'first_compact': compact_name(first_names), 'first_tokens': name_tokens(first_names)};
-- The best similarity of a word of one name to a word of the other; two one-word names are
-- their compact forms (computed without the lambdas, which cost most).
CREATE OR REPLACE TEMP MACRO token_similarity(a_compact, a_tokens, b_compact, b_tokens) AS
    CASE WHEN len(a_tokens) = 1 AND len(b_tokens) = 1
         THEN jaro_winkler_similarity(a_compact, b_compact)
         ELSE coalesce(list_max(list_transform(a_tokens, lambda x:
                  list_max(list_transform(b_tokens, lambda y: jaro_winkler_similarity(x, y))))), 0)
    END;
CREATE OR REPLACE TEMP MACRO surnames_agree(a_compact, a_tokens, b_compact, b_tokens) AS
    a_compact <> '' AND b_compact <> ''
    AND (jaro_winkler_similarity(a_compact, b_compact) >= 0.75
         OR token_similarity(a_compact, a_tokens, b_compact, b_tokens) >= 0.85);
CREATE OR REPLACE TEMP MACRO given_names_agree(a_compact, a_tokens, b_compact, b_tokens) AS
    a_compact <> '' AND b_compact <> ''
    AND (jaro_winkler_similarity(a_compact, b_compact) >= 0.85
         OR token_similarity(a_compact, a_tokens, b_compact, b_tokens) >= 0.8);
-- s, p: the name forms (name_forms) of a source record (or a screened file) and of an
-- AGDREF file.
CREATE OR REPLACE TEMP MACRO names_agree(s, p) AS
    ((surnames_agree(s.last_compact, s.last_tokens, p.last_compact, p.last_tokens)
      OR surnames_agree(s.last_compact, s.last_tokens, p.usual_compact, p.usual_tokens))
     AND given_names_agree(s.first_compact, s.first_tokens, p.first_compact, p.first_tokens))
    OR (token_similarity(s.last_compact, s.last_tokens, p.first_compact, p.first_tokens) >= 0.85
        AND token_similarity(s.first_compact, s.first_tokens, p.last_compact, p.last_tokens)
            >= 0.85);
-- The same names written otherwise (core_name_keys.sql), surnames of 3 letters or more.
CREATE OR REPLACE TEMP MACRO skeletons_agree(s, p) AS
    length(s.last_name_skeleton) >= 3 AND length(s.first_name_skeleton) >= 2
    AND ((s.last_name_skeleton IN (p.last_name_skeleton, p.usual_name_skeleton)
          AND s.first_name_skeleton = p.first_name_skeleton)
         OR (s.last_name_skeleton = p.first_name_skeleton
             AND s.first_name_skeleton = p.last_name_skeleton));
CREATE OR REPLACE TEMP MACRO part_agrees(a, b, placeholder_a, placeholder_b) AS
    a IS NULL OR b IS NULL OR placeholder_a OR placeholder_b OR a = b;
-- A known sex, nationality or birth year that differs (also read by core_person_links.sql).
CREATE OR REPLACE TEMP MACRO identity_conflict(s, p) AS
    (s.sex IS NOT NULL AND p.sex IS NOT NULL AND s.sex <> p.sex)
    OR (s.nationality IS NOT NULL AND p.nationality IS NOT NULL
        AND s.nationality <> p.nationality)
    OR (s.birth_year IS NOT NULL AND p.birth_year IS NOT NULL AND s.birth_year <> p.birth_year);
-- s, p: a record and a file as table aliases, s_names, p_names: their name_forms columns.
-- The forms are passed as columns because a table alias passed to a macro is a struct of
-- the whole row, which the lambdas of token_similarity would build again for every pair.
CREATE OR REPLACE TEMP MACRO identities_agree(s, p, s_names, p_names) AS
    s.birth_year = p.birth_year
    AND part_agrees(s.birth_month, p.birth_month, s.birth_date_is_placeholder,
                    p.birth_date_is_placeholder)
    AND part_agrees(s.birth_day, p.birth_day, s.birth_date_is_placeholder,
                    p.birth_date_is_placeholder)
    AND NOT identity_conflict(s, p)
    AND (names_agree(s_names, p_names) OR skeletons_agree(s, p));

-- One identity per source person record: the latest row that carried it (with, for a
-- TélémOfpra record, the date its claim was introduced at OFPRA), and every well-formed
-- AGDREF number any of its rows gave.
CREATE OR REPLACE TEMP TABLE source_identities AS
WITH rows AS (
    SELECT 'telemofpra' AS system, 'telemofpra:' || num_ofpra AS record_key, num_agdref,
           last_name_ascii, first_names_ascii, sex, birth_year, birth_month, birth_day,
           birth_date, birth_date_is_placeholder, nationality, department, claim_date,
           extraction_date, file_name, line_number
    FROM staging.asylum_decisions WHERE extraction_date <= getvariable('run_date')
    UNION ALL
    SELECT 'genesis', 'genesis:' || establishment_code || ':' || committal_number,
           num_agdref, last_name_ascii, first_names_ascii, sex, birth_year, birth_month,
           birth_day, birth_date, birth_date_is_placeholder, nationality, department,
           NULL::DATE, extraction_date, file_name, line_number
    FROM staging.detainees WHERE extraction_date <= getvariable('run_date')
), numbers AS (
    SELECT record_key, list(DISTINCT num_agdref ORDER BY num_agdref)
                           FILTER (WHERE num_agdref IS NOT NULL) AS numbers
    FROM rows GROUP BY record_key
)
SELECT r.* EXCLUDE (num_agdref, extraction_date, file_name, line_number),
       name_skeleton(r.last_name_ascii) AS last_name_skeleton,
       first_name_skeleton(r.first_names_ascii) AS first_name_skeleton,
       r.file_name || ':' || r.line_number AS source_row,
       coalesce(n.numbers, []::VARCHAR[]) AS numbers
FROM rows r JOIN numbers n USING (record_key)
QUALIFY row_number() OVER (PARTITION BY r.record_key
                           ORDER BY r.extraction_date DESC, r.file_name DESC,
                                    r.line_number DESC) = 1;

-- What the rules read of a source record's identity (names stay in staging).
CREATE OR REPLACE TABLE core.record_identities AS
SELECT record_key, system, sex, birth_year, birth_month, birth_day, birth_date_is_placeholder,
       nationality, department, source_row
FROM source_identities ORDER BY record_key;
COMMENT ON TABLE core.record_identities IS 'Birth date parts, sex and nationality of each TélémOfpra and GENESIS person record, from its latest row.';

-- Every AGDREF file whose identity agrees with a record: through the number the record
-- gave (NUMBER, which may link) or through identity alone (IDENTITY, used only to find
-- protections, never to act). Identity alone is IDENTITY when both birth dates are
-- complete and real, IDENTITY_WEAK when one is a year, a month or a 01/01 placeholder:
-- common names then match strangers by the hundred at department scale, so weak
-- candidates are searched, and read, only for a detainee who cannot be linked (PRI-07),
-- until probabilistic linkage weighs them. AGDREF files under a measure, and files a source
-- record gave the number of, are screened against the other files too: a person may hold
-- two files, and the second may carry the protection.
--
-- Whether a record and a file are candidates depends on those two rows alone (the blocking
-- below included), so a pair of a record and a file that both read as on the previous
-- build was decided then: the memory (core.identity_memory*) keeps a 64-bit digest of
-- every screened record and AGDREF file as compared here, and this build decides again only
-- the pairs where one side is new or changed (`changed`); the others keep the previous
-- core.identity_candidates. The memory is used only when it was made by this very file
-- and DuckDB version (identity_memory_key, set by transforms/core.py); otherwise every
-- row is `changed` and every pair is decided.
CREATE TABLE IF NOT EXISTS core.identity_memory (memory_key VARCHAR);
CREATE TABLE IF NOT EXISTS core.identity_memory_files (num_agdref VARCHAR, digest UBIGINT);
CREATE TABLE IF NOT EXISTS core.identity_memory_records (record_key VARCHAR, digest UBIGINT);
CREATE TABLE IF NOT EXISTS core.identity_candidates (
    record_key VARCHAR, system VARCHAR, num_agdref VARCHAR, evidence VARCHAR,
    source_row VARCHAR);
CREATE OR REPLACE TEMP TABLE identity_memory_usable AS
SELECT count(*) = 1 AND coalesce(bool_and(memory_key = getvariable('identity_memory_key')),
                                 false) AS usable
FROM core.identity_memory;
CREATE OR REPLACE TEMP VIEW remembered_files AS
SELECT num_agdref, digest FROM core.identity_memory_files
WHERE (SELECT usable FROM identity_memory_usable);
CREATE OR REPLACE TEMP VIEW remembered_records AS
SELECT record_key, digest FROM core.identity_memory_records
WHERE (SELECT usable FROM identity_memory_usable);

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

-- Blocking: identities_agree is tested on the pairs of one equi-join key at a time, not
-- on every pair born the same year (billions at national scale). Every key holds the
-- nationality (an unknown nationality is expanded to every nationality, so that it
-- still meets any: identity_conflict lets it; and to '', which no nationality is, so that
-- two unknown nationalities meet even where none is known). Exact for the numbers given
-- and for complete real birth dates (identities_agree then needs the same date); when one
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
CREATE OR REPLACE TEMP MACRO candidate_evidence(s, p) AS
    CASE WHEN list_contains(s.numbers, p.num_agdref) THEN 'NUMBER'
         WHEN s.birth_date IS NOT NULL AND p.birth_date IS NOT NULL
              AND NOT s.birth_date_is_placeholder AND NOT p.birth_date_is_placeholder
             THEN 'IDENTITY'
         ELSE 'IDENTITY_WEAK' END;

-- The previous build's pairs of a record and a file that both read as then (read before
-- core.identity_candidates is replaced).
CREATE OR REPLACE TEMP TABLE remembered_candidates AS
SELECT m.record_key, s.system, m.num_agdref, m.evidence, p.source_row
FROM core.identity_candidates m
JOIN screened_identities s ON s.record_key = m.record_key AND NOT s.changed
JOIN agdref_identities p ON p.num_agdref = m.num_agdref AND NOT p.changed;

-- Tonight's pairs decided, and the remembered ones (none is among tonight's: each of those
-- has a changed side).
CREATE OR REPLACE TABLE core.identity_candidates AS
SELECT s.record_key, s.system, p.num_agdref, candidate_evidence(s, p) AS evidence,
       p.source_row
FROM files_to_decide p JOIN screened_identities s USING (record_key)
WHERE identities_agree(s, p, s.name_forms, p.name_forms)
UNION ALL
SELECT * FROM remembered_candidates
ORDER BY record_key, num_agdref;
COMMENT ON TABLE core.identity_candidates IS 'AGDREF files whose identity agrees with a source record: NUMBER (the record gave that number), IDENTITY (agreement alone, complete birth dates) or IDENTITY_WEAK (partial or placeholder birth date; GENESIS records only). Identity evidence is used to find protections, never to act.';

-- Tonight's memory, for the next build.
CREATE OR REPLACE TABLE core.identity_memory_files AS
SELECT num_agdref, digest FROM agdref_identities;
COMMENT ON TABLE core.identity_memory_files IS 'One row per AGDREF file as the last build of core.identity_candidates compared it: the next build decides again the pairs of a file whose digest changed.';
COMMENT ON COLUMN core.identity_memory_files.digest IS '64-bit hash of what identities_agree and the blocking read of the file (core_identity.sql).';
CREATE OR REPLACE TABLE core.identity_memory_records AS
SELECT record_key, digest FROM screened_identities;
COMMENT ON TABLE core.identity_memory_records IS 'One row per record screened by the last build of core.identity_candidates (TélémOfpra and GENESIS records, AGDREF files under a measure or whose number a record gave): the next build decides again the pairs of a record whose digest changed.';
COMMENT ON COLUMN core.identity_memory_records.digest IS '64-bit hash of what identities_agree and the blocking read of the record, its numbers given included (core_identity.sql).';
CREATE OR REPLACE TABLE core.identity_memory AS
SELECT getvariable('identity_memory_key') AS memory_key;
COMMENT ON TABLE core.identity_memory IS 'What made the memory of core.identity_candidates: the next build uses it only when made by the same core_identity.sql and DuckDB version.';
COMMENT ON COLUMN core.identity_memory.memory_key IS 'SHA-256 of core_identity.sql, the memory format and the DuckDB version (transforms/core.py identity_memory_key).';

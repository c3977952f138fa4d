-- reads: core.persons, core.residence_titles, source_identities, staging.detainees
-- builds: nothing (a query: the rows it returns)
-- The names Splink compares (transforms/linkage.py), one row per way a person is
-- written: a TélémOfpra or GENESIS record's latest identity and every GENESIS alias
-- (written "SURNAME Given"), the record with surname and first given name swapped, with
-- a compound surname read back whole, an AGDREF file under its surname and under its
-- usual name. The given names after the
-- first are the record's or the file's, the same on each of its rows.
-- The department: of the list (TélémOfpra domicile, GENESIS establishment) or managing
-- the AGDREF file. An AGDREF file has its rows once for each asylum attestation (ADA) it
-- holds, to be compared with the date a TélémOfpra claim was introduced.
-- Birth dates: a 01/01 placeholder keeps only its year (weak evidence), unknown parts
-- stay NULL; a complete date also comes with day and month swapped, to block on. Read after core_record_identities.sql (temp table source_identities).
WITH aliases AS (
    SELECT DISTINCT 'genesis:' || establishment_code || ':' || committal_number AS record_key,
           unnest(aliases_ascii) AS alias
    FROM staging.detainees WHERE extraction_date <= getvariable('run_date')
), names AS (
    SELECT 'source' AS dataset, record_key, 0 AS variant, last_name_ascii AS surname,
           first_names_ascii AS given_names
    FROM source_identities
    UNION ALL
    -- surname and given name swapped: a common slip between systems
    SELECT 'source', record_key, -1, first_given_name(first_names_ascii),
           last_name_ascii
    FROM source_identities WHERE first_names_ascii IS NOT NULL
    UNION ALL
    -- a compound surname given as the given names (BEN SALAH): the surname is all of
    -- them, compared as a whole, and the given names are the surname's words
    SELECT 'source', record_key, -2, first_names_ascii, last_name_ascii
    FROM source_identities WHERE first_names_ascii LIKE '% %'
    UNION ALL
    -- a compound surname split between the surname and the given names: its second word
    -- given first (BEN / SALAH MOHAMED), or its first word given last (SALAH / MOHAMED
    -- BEN). A guess, not a spelling: left out of the term frequencies
    -- (splink_pass.as_written), and a pair only such a reading brings to the link
    -- threshold goes to an agent (core_person_links.sql, SURNAME_SPLIT)
    SELECT 'source', record_key, -3, last_name_ascii || ' ' || first_given_name(first_names_ascii),
           other_given_names(first_names_ascii)
    FROM source_identities WHERE first_names_ascii LIKE '% %' AND last_name_ascii IS NOT NULL
    UNION ALL
    SELECT 'source', record_key, -4,
           regexp_extract(first_names_ascii, '(\S+)$', 1) || ' ' || last_name_ascii,
           trim(regexp_replace(first_names_ascii, '\s*\S+$', ''))
    FROM source_identities WHERE first_names_ascii LIKE '% %' AND last_name_ascii IS NOT NULL
    UNION ALL
    SELECT 'source', a.record_key,
           row_number() OVER (PARTITION BY a.record_key ORDER BY a.alias),
           nullif(trim(regexp_replace(a.alias, '\s*\S+$', '')), ''),
           regexp_extract(a.alias, '(\S+)$', 1)
    FROM aliases a SEMI JOIN source_identities s USING (record_key)
    WHERE a.alias LIKE '% %'
    UNION ALL
    SELECT 'agdref', 'agdref:' || num_agdref, 0, last_name_ascii, first_names_ascii
    FROM core.persons
    UNION ALL
    SELECT 'agdref', 'agdref:' || num_agdref, 1, usual_name_ascii, first_names_ascii
    FROM core.persons WHERE usual_name_ascii IS NOT NULL AND usual_name_ascii <> last_name_ascii
), surnames AS (  -- name keys once per distinct name (core_persons.sql says why)
    SELECT surname, nullif(compact_name(surname), '') AS compact,
           nullif(name_skeleton(surname), '') AS skeleton
    FROM (SELECT DISTINCT surname FROM names)
), given AS (
    SELECT given_names,
           nullif(compact_name(first_given_name(given_names)), '')
               AS first_compact,
           nullif(first_name_skeleton(given_names), '') AS first_skeleton,
           compact_name(given_names) <> '' AS known
    FROM (SELECT DISTINCT given_names FROM names)
), attestations AS (  -- asylum attestations of each file, the latest first
    SELECT num_agdref, start_date,
           row_number() OVER (PARTITION BY num_agdref ORDER BY start_date DESC) AS attestation
    FROM (SELECT DISTINCT num_agdref, start_date FROM core.residence_titles
          WHERE title_type = 'ADA' AND start_date IS NOT NULL)
), identities AS (
    SELECT record_key, 0 AS attestation, numbers[1] AS number_given, sex, birth_year,
           birth_month, birth_day, birth_date, birth_date_is_placeholder, nationality,
           department, first_names_ascii, claim_date AS claim_introduced,
           NULL::DATE AS attestation_start, birth_town, NULL::DATE AS entry_date
    FROM source_identities
    UNION ALL
    SELECT 'agdref:' || p.num_agdref, coalesce(a.attestation, 0), p.num_agdref, p.sex,
           p.birth_year, p.birth_month, p.birth_day, p.birth_date,
           p.birth_date_is_placeholder, p.nationality, p.department, p.first_names_ascii,
           NULL, a.start_date, p.birth_town, p.entry_date
    FROM core.persons p LEFT JOIN attestations a USING (num_agdref)
), towns AS (  -- the town's skeleton once per town, as for names
    SELECT birth_town, name_skeleton(birth_town) AS skeleton
    FROM (SELECT DISTINCT birth_town FROM identities WHERE birth_town IS NOT NULL)
), other_given AS (  -- the given names after the first, whichever way the name is written
    SELECT first_names_ascii,
           nullif(compact_name(other_given_names(first_names_ascii)), '') AS other_compact,
           nullif(name_skeleton(other_given_names(first_names_ascii)), '') AS other_skeleton
    FROM (SELECT first_names_ascii FROM identities
          UNION SELECT given_names FROM names WHERE variant IN (-2, -3, -4))
)
SELECT n.dataset, n.record_key || '~' || n.variant || '~' || i.attestation AS unique_id,
       n.record_key,
       s.compact AS surname, g.first_compact AS given_name, s.skeleton AS surname_skeleton,
       g.first_skeleton AS given_skeleton,
       o.other_compact AS other_given_names, o.other_skeleton AS other_given_skeleton,
       i.birth_year,
       CASE WHEN NOT i.birth_date_is_placeholder THEN i.birth_month END AS birth_month,
       CASE WHEN NOT i.birth_date_is_placeholder THEN i.birth_day END AS birth_day,
       CASE WHEN NOT i.birth_date_is_placeholder THEN i.birth_date END AS birth_date,
       -- the complete date with day and month swapped, where they can swap (a blocking key)
       CASE WHEN NOT i.birth_date_is_placeholder AND i.birth_day <= 12
                 AND i.birth_day <> i.birth_month
            THEN make_date(i.birth_year, i.birth_day, i.birth_month) END AS birth_date_swapped,
       i.sex, i.nationality,
       -- a record without a birth year, and every file: both name skeletons and the
       -- nationality, hashed, a blocking key (comparisons.UNDATED_KEYS: every other
       -- needs a year; a collision only scores one pair more)
       CASE WHEN (n.dataset = 'agdref' OR i.birth_year IS NULL) AND s.skeleton IS NOT NULL
                 AND g.first_skeleton IS NOT NULL AND i.nationality IS NOT NULL
            THEN hash(s.skeleton, g.first_skeleton, i.nationality)
       END AS undated_key,
       -- where the list came from (domicile, establishment) or which prefecture manages the file
       i.department,
       -- a TélémOfpra record: when its claim reached OFPRA; an AGDREF file: when one of its
       -- asylum attestations started, a row for each (the best-scoring row of a pair counts)
       i.claim_introduced, i.attestation_start,
       -- the town of birth (GENESIS and AGDREF; transforms/core/birth_places.py) and its
       -- skeleton, which folds transliterations (TBILISSI and TBILISI give TBLS); the
       -- declared date of entry into France (AGDREF only)
       i.birth_town, t.skeleton AS birth_town_skeleton, i.entry_date,
       -- the number a row carries, on its own spelling and latest attestation only: what
       -- trains m (linkage.py)
       CASE WHEN n.variant = 0 AND i.attestation <= 1 THEN i.number_given END AS number_given
FROM names n JOIN identities i USING (record_key)
JOIN surnames s ON s.surname IS NOT DISTINCT FROM n.surname
JOIN given g ON g.given_names IS NOT DISTINCT FROM n.given_names
-- for a compound surname given as given names (variant -2), the other given names are
-- the words of the surname after its first
JOIN other_given o ON o.first_names_ascii IS NOT DISTINCT FROM
    CASE WHEN n.variant IN (-2, -3, -4) THEN n.given_names ELSE i.first_names_ascii END
LEFT JOIN towns t ON t.birth_town = i.birth_town
WHERE s.compact IS NOT NULL OR g.known
ORDER BY n.dataset, unique_id

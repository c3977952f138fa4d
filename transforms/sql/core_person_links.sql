-- core.person_links (CONTRACTS.md §2): a source record is LINKED to an AGDREF file only
-- when it gave that file's number and the identities agree; a number that points to
-- someone else is not used. Two verified numbers are ambiguous (REVIEW, never acted on).
DELETE FROM core.person_links;
INSERT INTO core.person_links BY NAME
WITH verified AS (
    SELECT record_key, list(num_agdref ORDER BY num_agdref) AS numbers
    FROM core.identity_candidates
    WHERE evidence = 'NUMBER' AND system <> 'agdref'
    GROUP BY record_key
)
SELECT s.record_key, s.system,
       CASE WHEN len(v.numbers) = 1 THEN v.numbers[1] ELSE s.record_key END AS person_key,
       NULL::DOUBLE AS match_probability,
       CASE WHEN len(v.numbers) = 1 THEN 'LINKED'
            WHEN len(v.numbers) > 1 THEN 'REVIEW' ELSE 'UNLINKED' END AS link_status,
       CASE WHEN len(v.numbers) = 1 THEN 'NUMBER_VERIFIED'
            WHEN len(v.numbers) > 1 THEN 'SEVERAL_NUMBERS_VERIFIED'
            WHEN len(s.numbers) > 0 THEN 'NUMBER_NOT_VERIFIED'
            ELSE 'NO_NUMBER' END AS link_rule
FROM source_identities s LEFT JOIN verified v USING (record_key)
UNION ALL
SELECT 'agdref:' || num_agdref, 'agdref', num_agdref, NULL, 'LINKED', 'AGDREF_FILE'
FROM core.persons;

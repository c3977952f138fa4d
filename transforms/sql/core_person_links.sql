-- core.person_links (CONTRACTS.md §2): a source record is LINKED to an AGDREF file only
-- when it gave that file's number and the identities agree, or when an agent confirmed
-- the pair (audit.link_decisions); a number that points to someone else is not used, nor
-- a pair an agent rejected. Two candidate files are ambiguous (REVIEW, never acted on).
-- The latest decision of an agent on each pair (also read by core_link_review.sql).
CREATE OR REPLACE TEMP TABLE link_decisions AS
SELECT record_key, num_agdref, decision FROM audit.link_decisions
QUALIFY row_number() OVER (PARTITION BY record_key, num_agdref
                           ORDER BY decided_at DESC, decision) = 1;

DELETE FROM core.person_links;
INSERT INTO core.person_links BY NAME
WITH confirmed AS (
    SELECT d.record_key, list(d.num_agdref ORDER BY d.num_agdref) AS numbers
    FROM link_decisions d JOIN core.persons p USING (num_agdref)
    WHERE d.decision = 'CONFIRMED'
    GROUP BY d.record_key
), verified AS (
    SELECT c.record_key, list(c.num_agdref ORDER BY c.num_agdref) AS numbers
    FROM core.identity_candidates c
    ANTI JOIN (SELECT record_key, num_agdref FROM link_decisions WHERE decision = 'REJECTED') r
        USING (record_key, num_agdref)
    WHERE c.evidence = 'NUMBER' AND c.system <> 'agdref'
    GROUP BY c.record_key
), rejected AS (
    SELECT DISTINCT record_key FROM link_decisions WHERE decision = 'REJECTED'
)
SELECT s.record_key, s.system,
       CASE WHEN len(cf.numbers) = 1 THEN cf.numbers[1]
            WHEN cf.numbers IS NULL AND len(v.numbers) = 1 THEN v.numbers[1]
            ELSE s.record_key END AS person_key,
       NULL::DOUBLE AS match_probability,
       CASE WHEN len(cf.numbers) = 1 THEN 'LINKED'
            WHEN len(cf.numbers) > 1 THEN 'REVIEW'
            WHEN len(v.numbers) = 1 THEN 'LINKED'
            WHEN len(v.numbers) > 1 THEN 'REVIEW' ELSE 'UNLINKED' END AS link_status,
       CASE WHEN len(cf.numbers) = 1 THEN 'AGENT_CONFIRMED'
            WHEN len(cf.numbers) > 1 THEN 'AGENT_CONFIRMED_SEVERAL'
            WHEN len(v.numbers) = 1 THEN 'NUMBER_VERIFIED'
            WHEN len(v.numbers) > 1 THEN 'SEVERAL_NUMBERS_VERIFIED'
            WHEN rj.record_key IS NOT NULL THEN 'AGENT_REJECTED'
            WHEN len(s.numbers) > 0 THEN 'NUMBER_NOT_VERIFIED'
            ELSE 'NO_NUMBER' END AS link_rule
FROM source_identities s
LEFT JOIN verified v USING (record_key)
LEFT JOIN confirmed cf USING (record_key)
LEFT JOIN rejected rj USING (record_key)
UNION ALL
SELECT 'agdref:' || num_agdref, 'agdref', num_agdref, NULL, 'LINKED', 'AGDREF_FILE'
FROM core.persons;

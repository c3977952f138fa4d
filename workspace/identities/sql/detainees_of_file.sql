-- reads: core.detentions, core.link_review, core.person_links, core.persons
-- For a pair of a detainee held now (on an establishment's latest list), the other
-- detainees held now tied to the person of the pair's AGDREF file (any of its files,
-- merged ones included), or in review as ANOTHER_DETAINEE with that person's file as
-- their best pair (core_person_links.sql: one person is not held in two places): where
-- each is held, for the agent who must tell which one is the file's person. Need to
-- know: the record, its establishment and its pair only in the account's departments;
-- beyond them, the department alone.
WITH file_person AS (
    SELECT person_key FROM core.persons WHERE num_agdref = $file
), person_files AS (
    SELECT num_agdref FROM core.persons WHERE person_key IN (SELECT person_key FROM file_person)
), best_pairs AS (  -- each record's best candidate in review
    SELECT record_key, num_agdref, link_rule FROM core.link_review
    WHERE system = 'genesis'
    QUALIFY row_number() OVER (PARTITION BY record_key
                               ORDER BY match_weight DESC NULLS LAST, num_agdref) = 1
), others AS (
    SELECT record_key, NULL AS num_agdref FROM core.person_links
    WHERE system = 'genesis' AND link_status = 'LINKED'
      AND person_key IN (SELECT person_key FROM file_person)
    UNION
    SELECT record_key, num_agdref FROM best_pairs
    WHERE link_rule = 'ANOTHER_DETAINEE' AND num_agdref IN (SELECT num_agdref FROM person_files)
), held AS (
    SELECT d.*, o.num_agdref AS pair_file, list_contains($departments, d.department) AS ours
    FROM core.detentions d JOIN others o USING (record_key)
    WHERE d.record_key <> $record
      AND EXISTS (SELECT 1 FROM core.detentions WHERE record_key = $record)
)
SELECT h.department,
       CASE WHEN ours THEN h.record_key END AS record_key,
       CASE WHEN ours THEN h.establishment_code END AS establishment_code,
       CASE WHEN ours THEN h.establishment_name END AS establishment_name,
       CASE WHEN ours THEN l.link_status END AS link_status,
       CASE WHEN ours THEN l.link_rule END AS link_rule,
       CASE WHEN ours AND pair_file IS NOT NULL
            THEN 'IDP-' || left(sha256(h.record_key || '|' || pair_file), 16) END AS pair_id
FROM held h JOIN core.person_links l USING (record_key)
ORDER BY h.department, h.establishment_code, h.record_key

-- reads: core.detentions, core.link_review, core.person_links, core.persons
-- The detainees on an establishment's latest list, other than the pair's record, tied
-- to the person of the pair's AGDREF file or in review against that file as
-- ANOTHER_DETAINEE (core_person_links.sql: one person is not held in two places): where
-- each is held, for the agent who must tell which one is the file's person. The page
-- names the establishment and the pair of a detainee of the account's departments only.
WITH file_person AS (
    SELECT person_key FROM core.persons WHERE num_agdref = $file
), others AS (
    SELECT record_key FROM core.person_links
    WHERE system = 'genesis' AND link_status = 'LINKED'
      AND person_key IN (SELECT person_key FROM file_person)
    UNION
    SELECT record_key FROM core.link_review
    WHERE num_agdref = $file AND link_rule = 'ANOTHER_DETAINEE'
)
SELECT d.record_key, d.department, d.establishment_code, d.establishment_name,
       l.link_status, l.link_rule,
       CASE WHEN r.record_key IS NOT NULL
            THEN 'IDP-' || left(sha256(r.record_key || '|' || r.num_agdref), 16)
       END AS pair_id
FROM core.detentions d
JOIN others USING (record_key)
JOIN core.person_links l USING (record_key)
LEFT JOIN core.link_review r ON r.record_key = d.record_key AND r.num_agdref = $file
WHERE d.record_key <> $record
ORDER BY d.department, d.establishment_code, d.record_key

-- reads: core.link_review
-- The pairs to decide, in the account's departments, that concern one person of a flag:
-- its record (a detainee not tied to a file: genesis:<establishment>:<committal>) or its
-- AGDREF file (a file the model merged with another, awaiting an agent). A flag's page
-- links to them: the flag waits for that identity.
SELECT 'IDP-' || left(sha256(record_key || '|' || num_agdref), 16) AS pair_id, record_key,
       num_agdref, evidence, decision
FROM core.link_review
WHERE list_contains($departments, department)
  AND (record_key = $person OR record_key = 'agdref:' || $person OR num_agdref = $person)
ORDER BY decision IS NOT NULL, match_probability DESC NULLS LAST, record_key, num_agdref

-- reads: core.link_review
-- The pairs to decide in the account's departments (a pair belongs to its record's
-- department): undecided first, the likeliest first. `pair_id` names a pair in the
-- workspace's addresses, which the request log keeps: never a person's number.
SELECT 'IDP-' || left(sha256(record_key || '|' || num_agdref), 16) AS pair_id, record_key, system, department, num_agdref, evidence, link_status,
       link_rule, match_probability, decision
FROM core.link_review
WHERE list_contains($departments, department)
ORDER BY decision IS NOT NULL, match_probability DESC NULLS LAST, record_key, num_agdref
LIMIT $limit

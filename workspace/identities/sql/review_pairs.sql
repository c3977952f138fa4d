-- reads: core.link_review
-- The pairs to decide in the account's departments (a pair belongs to its record's
-- department): undecided first, the likeliest first.
SELECT record_key, system, department, num_agdref, evidence, link_status,
       match_probability, decision
FROM core.link_review
WHERE list_contains($departments, department)
ORDER BY decision IS NOT NULL, match_probability DESC NULLS LAST, record_key, num_agdref
LIMIT $limit

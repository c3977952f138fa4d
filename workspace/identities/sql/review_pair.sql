-- reads: core.link_review
-- One pair by its pair_id (review_pairs.sql), if it belongs to one of the account's
-- departments.
SELECT 'IDP-' || left(sha256(record_key || '|' || num_agdref), 16) AS pair_id, *
FROM core.link_review
WHERE 'IDP-' || left(sha256(record_key || '|' || num_agdref), 16) = $pair
  AND list_contains($departments, department)

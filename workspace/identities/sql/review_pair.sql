-- reads: core.link_review
-- One pair, if it belongs to one of the account's departments.
SELECT *
FROM core.link_review
WHERE record_key = $record AND num_agdref = $file
  AND list_contains($departments, department)

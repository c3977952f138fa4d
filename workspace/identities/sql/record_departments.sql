-- reads: core.record_identities
-- The department of each of the source records named (the records of the confirmed pairs
-- a manager's confirmation overrode), so that a page names a record beyond the account's
-- departments by its department alone.
SELECT record_key, min(department) AS department
FROM core.record_identities
WHERE list_contains($records, record_key)
GROUP BY record_key

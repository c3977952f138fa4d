-- reads: decisions_identitydecision, accounts_account (the workspace's operational database)
-- builds: nothing (audit.link_decisions gains the rows it does not hold yet)
-- Every identity decision, in the order recorded: audit.link_decisions keeps them all and
-- core_person_links.sql honours the latest on each pair.
-- Portable SQL: SQLite and PostgreSQL run it as is.
SELECT d.record_key, d.num_agdref, d.decision, a.username AS decided_by, d.decided_at,
       d.overridden_pair
FROM decisions_identitydecision AS d
JOIN accounts_account AS a ON a.id = d.decided_by_id
ORDER BY d.decided_at, d.id

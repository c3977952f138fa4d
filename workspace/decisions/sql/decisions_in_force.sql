-- reads: decisions_decisionevent, accounts_account (the workspace's operational database)
-- builds: nothing (core.agent_decisions is written from these rows)
-- The decisions in force: for an examination on another ground the latest event about
-- the person (opened, not closed since); for the answer to a prison the latest on the flag.
-- Only those kinds are ranked: a later comment, take or assignment changes neither.
-- Portable SQL: SQLite and PostgreSQL run it as is.
WITH ranked AS (
    SELECT e.id, e.kind, e.worklist, e.flag_id, e.person_key, a.username AS decided_by,
           e.decided_at, e.effective_date,
           ROW_NUMBER() OVER (
               PARTITION BY CASE WHEN e.kind = 'PRISON_ANSWER' THEN 'flag:' || e.flag_id
                                 ELSE 'person:' || e.person_key END
               ORDER BY e.decided_at DESC, e.id DESC) AS recency
    FROM decisions_decisionevent AS e
    JOIN accounts_account AS a ON a.id = e.decided_by_id
    WHERE e.kind IN ('OTHER_GROUND_UNDER_EXAMINATION', 'OTHER_GROUND_CLOSED', 'PRISON_ANSWER')
)
SELECT id, kind, worklist, flag_id, person_key, decided_by, decided_at, effective_date
FROM ranked
WHERE recency = 1 AND kind IN ('OTHER_GROUND_UNDER_EXAMINATION', 'PRISON_ANSWER')
ORDER BY id

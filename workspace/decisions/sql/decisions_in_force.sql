-- reads: decisions_decisionevent, accounts_account (the workspace's operational database)
-- builds: nothing (core.agent_decisions is written from these rows)
-- The decisions in force, each the latest of its kind of fact:
--   an examination on another ground: the latest event about the person in each
--   department (opened, not closed since), which the rules honour (OQ-02): a unit closes
--   its own examination, never another department's, which it cannot see;
--   a flag's outcome: the latest answer to a prison (PRI-05, which the rules honour), OQTF
--   taken, next step or "non poursuivi" recorded on the flag, in each department;
--   a flag's outcome withdrawn (recorded by mistake) leaves none;
--   a flag's holder: the latest take or assignment, unless released or unassigned since,
--   or the holder's account disabled since (its flags are to be handled again),
--   in each department (a flag that moved to another department's list is that unit's
--   to handle: its pages show only its own department's decisions).
-- A comment changes none of these. Only the events in effect by the night's date count
-- (:as_of; 9999-12-31 for every event): a night run for an earlier date (--as-of) sees an
-- examination closed after it still open. Portable SQL: SQLite and PostgreSQL run it as
-- is (the placeholder written for each, workspace.decisions.in_force).
WITH ranked AS (
    SELECT e.id, e.kind, e.worklist, e.flag_id, e.person_key, e.department,
           a.username AS decided_by,
           CASE WHEN e.kind = 'TAKEN' THEN a.username
                WHEN e.kind = 'ASSIGNED' THEN t.username END AS assignee,
           CASE WHEN e.kind = 'TAKEN' THEN a.is_active
                WHEN e.kind = 'ASSIGNED' THEN t.is_active END AS holder_active,
           e.decided_at, e.effective_date,
           ROW_NUMBER() OVER (
               PARTITION BY CASE
                   WHEN e.kind IN ('OTHER_GROUND_UNDER_EXAMINATION', 'OTHER_GROUND_CLOSED')
                       THEN 'person:' || e.person_key || ':' || e.department
                   WHEN e.kind IN ('TAKEN', 'ASSIGNED', 'RELEASED', 'UNASSIGNED')
                       THEN 'holder:' || e.flag_id || ':' || e.department
                   ELSE 'outcome:' || e.flag_id || ':' || e.department END
               ORDER BY e.decided_at DESC, e.id DESC) AS recency
    FROM decisions_decisionevent AS e
    JOIN accounts_account AS a ON a.id = e.decided_by_id
    LEFT JOIN accounts_account AS t ON t.id = e.assigned_to_id
    WHERE e.kind <> 'COMMENT'
      AND e.effective_date <= :as_of
)
SELECT id, kind, worklist, flag_id, person_key, department, decided_by, assignee,
       decided_at, effective_date
FROM ranked
WHERE recency = 1
  AND kind NOT IN ('OTHER_GROUND_CLOSED', 'RELEASED', 'UNASSIGNED', 'OUTCOME_WITHDRAWN')
  AND (holder_active IS NULL OR holder_active = TRUE)
ORDER BY id

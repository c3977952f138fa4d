-- reads: worklists.flag_history_intervals, worklists.flag_history_runs
-- builds: nothing (a query: the rows it returns)
-- Every flag of $worklist the runs before $run_date listed, with the latest of those runs
-- that listed it (NEW or OPEN). A flag whose situation goes on under another person key
-- (a duplicate file with a lower number merged with the person's) keeps its id, even
-- after nights off the list (an examination on another ground, a quarantined row:
-- transforms/rules/flags.py, carried_flag_id). Runs after $run_date are never read (a
-- replay of a past date gives the same ids).
WITH previous AS (
    SELECT max(run_date) AS run_date FROM worklists.flag_history_runs
    WHERE run_date < $run_date
)
SELECT i.flag_id, max(least(i.last_run_date, p.run_date)) AS last_listed
FROM worklists.flag_history_intervals i, previous p
WHERE i.worklist = $worklist AND i.status <> 'RESOLVED' AND i.first_run_date <= p.run_date
GROUP BY i.flag_id
ORDER BY i.flag_id

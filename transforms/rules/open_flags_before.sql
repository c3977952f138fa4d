-- reads: worklists.flag_history_intervals, worklists.flag_history_runs
-- builds: nothing (a query: the rows it returns)
-- The flags of $worklist open (NEW or OPEN) on the latest run before $run_date, as
-- flag_history_read.sql reads that run. A flag whose situation goes on tonight under
-- another person key (a duplicate file with a lower number merged with the person's)
-- keeps its id (transforms/rules/flags.py, carried_flag_id); runs after $run_date are
-- never read (a replay of a past date gives the same ids).
WITH previous AS (
    SELECT max(run_date) AS run_date FROM worklists.flag_history_runs
    WHERE run_date < $run_date
)
SELECT i.flag_id
FROM worklists.flag_history_intervals i
JOIN previous p ON p.run_date BETWEEN i.first_run_date AND i.last_run_date
WHERE i.worklist = $worklist AND i.status <> 'RESOLVED'
ORDER BY i.flag_id

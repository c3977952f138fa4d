-- reads: worklists.flag_history_intervals, worklists.flag_history_runs
-- builds: nothing (a query: the rows it returns)
-- The rows of worklists.flag_history a run as of $run_date reads (transforms.flags): those
-- of the latest earlier run (which flags were open), and every NEW row before the run
-- (when each flag's current episode began). No other row is ever needed, and runs after
-- $run_date are never read (a replay of a past date gives the same answer). The latest
-- earlier run's rows also give the department, person and number of a flag that leaves
-- its list tonight (RESOLVED). Read from the stretches the view is made of
-- (transforms/warehouse/flag_intervals.py): a NEW row is the first run of a NEW stretch,
-- the latest earlier run's rows are the stretches covering it.
WITH previous AS (
    SELECT max(run_date) AS run_date FROM worklists.flag_history_runs
    WHERE run_date < $run_date
)
SELECT i.flag_id, i.worklist, p.run_date,
       CASE WHEN p.run_date = i.first_run_date THEN i.status ELSE 'OPEN' END AS status,
       i.department, i.person_key, i.num_agdref
FROM worklists.flag_history_intervals i
JOIN previous p ON p.run_date BETWEEN i.first_run_date AND i.last_run_date
UNION ALL
SELECT i.flag_id, i.worklist, i.first_run_date, i.status,
       i.department, i.person_key, i.num_agdref
FROM worklists.flag_history_intervals i, previous p
WHERE i.status = 'NEW' AND i.first_run_date < p.run_date

-- reads: worklists.flag_history
-- builds: nothing (a query: the rows it returns)
-- The rows of worklists.flag_history a run as of $run_date reads (transforms.flags): those
-- of the latest earlier run (which flags were open), and every NEW row before the run
-- (when each flag's current episode began). The history grows by every listed flag every
-- night; no other row is ever needed, and runs after $run_date are never read (a replay
-- of a past date gives the same answer). The latest earlier run's rows also give the
-- department, person and number of a flag that leaves its list tonight (RESOLVED).
SELECT flag_id, worklist, run_date, status, department, person_key, num_agdref
FROM worklists.flag_history
WHERE run_date < $run_date
  AND (status = 'NEW'
       OR run_date = (SELECT max(run_date) FROM worklists.flag_history
                      WHERE run_date < $run_date))

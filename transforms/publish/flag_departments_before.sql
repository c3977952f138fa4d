-- reads: worklists.flag_history, worklists.flag_history_runs
-- builds: nothing (a query: the rows it returns)
-- The department of each flag on its list the night before $run_date (the latest earlier
-- run): a flag listed tonight under another department arrived in that department's
-- folder tonight, which shows it as new (export.py, new_tonight).
WITH previous AS (
    SELECT max(run_date) AS run_date FROM worklists.flag_history_runs WHERE run_date < $run_date
)
SELECT h.flag_id, h.worklist, h.department AS department_before
FROM worklists.flag_history h JOIN previous p ON h.run_date = p.run_date
WHERE h.status <> 'RESOLVED'

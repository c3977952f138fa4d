-- reads: worklists.flag_history_runs
-- builds: nothing
-- The date of the latest night the published warehouse holds, even one without any flag.
SELECT max(run_date) AS run_date FROM worklists.flag_history_runs

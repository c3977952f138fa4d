-- reads: audit.runs, worklists.flag_history_runs
-- builds: nothing
-- The night the published lists are of: the as-of date of the latest successful run (a
-- night replayed for an earlier date included); in a warehouse without runs, the latest
-- night of the flag history, even one without any flag (queries.LAST_NIGHT).
SELECT coalesce((SELECT arg_max(as_of_date, started_at) FROM audit.runs
                 WHERE status = 'SUCCEEDED'),
                (SELECT max(run_date) FROM worklists.flag_history_runs)) AS run_date

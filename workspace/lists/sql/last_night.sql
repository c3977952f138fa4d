-- reads: worklists.flag_history
-- builds: nothing
-- The date of the latest night the published warehouse holds.
SELECT max(run_date) AS run_date FROM worklists.flag_history

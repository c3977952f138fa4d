-- reads: worklists.flag_history
-- builds: nothing
-- A flag's status night by night (called once the flag itself was found in the
-- account's departments).
SELECT run_date, status
FROM worklists.flag_history
WHERE flag_id = $flag
ORDER BY run_date

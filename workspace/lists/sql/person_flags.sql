-- reads: worklists.rejected_without_oqtf, worklists.upcoming_releases, worklists.unexecuted_measures, worklists.legal_alerts
-- builds: nothing
-- The flags and alerts of one person in the account's departments (need to know: the
-- department filter is part of every branch).
SELECT 'rejected_without_oqtf' AS worklist, flag_id AS key, department, first_seen_date
FROM worklists.rejected_without_oqtf
WHERE person_key = $person AND list_contains($departments, department)
UNION ALL
SELECT 'upcoming_releases', flag_id, department, first_seen_date
FROM worklists.upcoming_releases
WHERE person_key = $person AND list_contains($departments, department)
UNION ALL
SELECT 'unexecuted_measures', flag_id, department, first_seen_date
FROM worklists.unexecuted_measures
WHERE person_key = $person AND list_contains($departments, department)
UNION ALL
SELECT 'legal_alerts', alert_id, department, first_seen_date
FROM worklists.legal_alerts
WHERE person_key = $person AND list_contains($departments, department)
ORDER BY worklist, key

-- reads: worklists.rejected_without_oqtf, worklists.upcoming_releases, worklists.unexecuted_measures, worklists.legal_alerts
-- builds: nothing
-- Rows per list and department (aggregates, no person), in the departments given:
-- $departments, or every department when $every (an analyst's national view).
WITH counts AS (
    SELECT 'rejected_without_oqtf' AS worklist, department, count(*) AS flags
    FROM worklists.rejected_without_oqtf GROUP BY department
    UNION ALL
    SELECT 'upcoming_releases', department, count(*) FROM worklists.upcoming_releases
    GROUP BY department
    UNION ALL
    SELECT 'unexecuted_measures', department, count(*) FROM worklists.unexecuted_measures
    GROUP BY department
    UNION ALL
    SELECT 'legal_alerts', department, count(*) FROM worklists.legal_alerts GROUP BY department
)
SELECT * FROM counts
WHERE $every OR list_contains($departments, department)
ORDER BY worklist, department

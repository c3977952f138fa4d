-- reads: worklists.rejected_without_oqtf, worklists.upcoming_releases, worklists.unexecuted_measures, worklists.legal_alerts, worklists.flag_history, core.link_review
-- builds: nothing
-- What the home page counts in the account's departments: each list's rows, those new
-- tonight, those past their date (the OQTF's 15 days), and the identity pairs to decide.
WITH night AS (SELECT max(run_date) AS run_date FROM worklists.flag_history)
SELECT 'rejected_without_oqtf' AS worklist, count(*) AS rows,
       count(*) FILTER (WHERE first_seen_date = (SELECT run_date FROM night)) AS new,
       count(*) FILTER (WHERE days_overdue > 0) AS overdue
FROM worklists.rejected_without_oqtf WHERE list_contains($departments, department)
UNION ALL
SELECT 'upcoming_releases', count(*),
       count(*) FILTER (WHERE first_seen_date = (SELECT run_date FROM night)), NULL
FROM worklists.upcoming_releases WHERE list_contains($departments, department)
UNION ALL
SELECT 'unexecuted_measures', count(*),
       count(*) FILTER (WHERE first_seen_date = (SELECT run_date FROM night)), NULL
FROM worklists.unexecuted_measures WHERE list_contains($departments, department)
UNION ALL
SELECT 'legal_alerts', count(*),
       count(*) FILTER (WHERE first_seen_date = (SELECT run_date FROM night)), NULL
FROM worklists.legal_alerts WHERE list_contains($departments, department)
UNION ALL
SELECT 'identities', count(*) FILTER (WHERE decision IS NULL), NULL, NULL
FROM core.link_review WHERE list_contains($departments, department)

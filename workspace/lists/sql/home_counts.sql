-- reads: worklists.rejected_without_oqtf, worklists.upcoming_releases, worklists.unexecuted_measures, worklists.legal_alerts, worklists.flag_history, core.link_review
-- builds: nothing
-- What the home page counts in the account's departments: each list's rows, those new
-- tonight, those past their date (the OQTF's 15 days), and the identity pairs to decide:
-- undecided last night and not decided in the workspace since ($decided: record|file).
-- A list without a row in them has no row here.
WITH listed AS (
    SELECT 'rejected_without_oqtf' AS worklist, department, first_seen_date, days_overdue
    FROM worklists.rejected_without_oqtf
    UNION ALL
    SELECT 'upcoming_releases', department, first_seen_date, NULL
    FROM worklists.upcoming_releases
    UNION ALL
    SELECT 'unexecuted_measures', department, first_seen_date, NULL
    FROM worklists.unexecuted_measures
    UNION ALL
    SELECT 'legal_alerts', department, first_seen_date, NULL FROM worklists.legal_alerts
)
SELECT worklist, count(*) AS rows,
       count(*) FILTER (WHERE first_seen_date = (SELECT max(run_date)
                                                 FROM worklists.flag_history)) AS new,
       CASE WHEN worklist = 'rejected_without_oqtf'
            THEN count(*) FILTER (WHERE days_overdue > 0) END AS overdue
FROM listed WHERE list_contains($departments, department)
GROUP BY worklist
UNION ALL
SELECT 'identities',
       count(*) FILTER (WHERE decision IS NULL
                          AND NOT list_contains($decided, record_key || '|' || num_agdref)),
       NULL, NULL
FROM core.link_review WHERE list_contains($departments, department)

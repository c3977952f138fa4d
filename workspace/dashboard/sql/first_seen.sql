-- reads: worklists.rejected_without_oqtf, worklists.upcoming_releases, worklists.unexecuted_measures, worklists.legal_alerts, worklists.flag_history
-- builds: nothing
-- The night each flag asked for was first seen: the earlier of its first_seen_date on
-- tonight's lists (in the account's departments) and its first night in
-- worklists.flag_history (the only trace of a flag resolved since). The flags asked
-- for are those the account's departments handled (read from the operational database
-- under the same departments).
WITH asked AS (
    SELECT DISTINCT unnest($flags::VARCHAR[]) AS flag_id
),
listed AS (
    SELECT flag_id, first_seen_date FROM worklists.rejected_without_oqtf
    WHERE list_contains($departments, department)
    UNION ALL
    SELECT flag_id, first_seen_date FROM worklists.upcoming_releases
    WHERE list_contains($departments, department)
    UNION ALL
    SELECT flag_id, first_seen_date FROM worklists.unexecuted_measures
    WHERE list_contains($departments, department)
    UNION ALL
    SELECT alert_id, first_seen_date FROM worklists.legal_alerts
    WHERE list_contains($departments, department)
),
history AS (
    SELECT flag_id, min(run_date) AS first_night
    FROM worklists.flag_history
    WHERE list_contains($flags::VARCHAR[], flag_id)
    GROUP BY flag_id
)
SELECT asked.flag_id, least(min(listed.first_seen_date), min(history.first_night))
FROM asked
LEFT JOIN listed USING (flag_id)
LEFT JOIN history USING (flag_id)
GROUP BY asked.flag_id
ORDER BY asked.flag_id

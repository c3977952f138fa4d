-- reads: core.asylum_outcomes, worklists.rejected_without_oqtf
-- builds: marts.overdue_backlog
-- Overdue backlog: rejected_without_oqtf by time past the 15-day deadline.
CREATE OR REPLACE TABLE marts.overdue_backlog AS
SELECT w.department, coalesce(o.nationality, 'INCONNUE') AS nationality,
       CASE WHEN w.days_overdue = 0 THEN '0' WHEN w.days_overdue <= 30 THEN '1-30'
            WHEN w.days_overdue <= 90 THEN '31-90' WHEN w.days_overdue <= 365 THEN '91-365'
            ELSE '366+' END AS days_overdue_band,
       count(*) AS persons,
       count(*) FILTER (WHERE list_contains(w.markers, 'INDIVIDUAL_ASSESSMENT'))
           AS to_assess_first
FROM worklists.rejected_without_oqtf w
LEFT JOIN core.asylum_outcomes o USING (person_key)
GROUP BY ALL ORDER BY ALL;
COMMENT ON TABLE marts.overdue_backlog IS 'Persons on rejected_without_oqtf by days past the OQTF deadline. Grain: department, nationality, band.';
COMMENT ON COLUMN marts.overdue_backlog.department IS 'department whose prefecture must act';
COMMENT ON COLUMN marts.overdue_backlog.days_overdue_band IS 'days past the due date: 0 (not yet due), 1-30, 31-90, 91-365, 366+';
COMMENT ON COLUMN marts.overdue_backlog.persons IS 'persons listed';
COMMENT ON COLUMN marts.overdue_backlog.to_assess_first IS 'of them, with marker INDIVIDUAL_ASSESSMENT (OQ-04)';

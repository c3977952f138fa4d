-- reads: worklists.upcoming_releases
-- builds: marts.upcoming_releases
-- Upcoming releases by week and situation, with release-date changes.
CREATE OR REPLACE TABLE marts.upcoming_releases AS
-- A detainee without a release date (a remand prisoner whose identity is to confirm,
-- PRI-09) is counted under 'sans date', one whose release date has passed (listed to
-- identify whatever the date, PRI-09) under 'date passée', never in a week to come.
SELECT department,
       CASE WHEN release_date IS NULL THEN 'sans date'
            WHEN release_date < getvariable('run_date') THEN 'date passée'
            ELSE strftime(release_date, '%G-W%V') END AS release_week,
       situation,
       count(*) AS detainees,
       count(*) FILTER (WHERE release_date_change_days < 0) AS release_brought_forward,
       count(*) FILTER (WHERE release_date_change_days > 0) AS release_postponed
FROM worklists.upcoming_releases
GROUP BY ALL ORDER BY ALL;
COMMENT ON TABLE marts.upcoming_releases IS 'Detainees on upcoming_releases by ISO week of release and situation. Grain: department, week, situation.';
COMMENT ON COLUMN marts.upcoming_releases.department IS 'department of the establishment';
COMMENT ON COLUMN marts.upcoming_releases.release_week IS 'ISO week (YYYY-Www) of the expected release, or ''sans date'' (remand prisoner, PRI-09), or ''date passée'' (release date before the run date, PRI-09)';
COMMENT ON COLUMN marts.upcoming_releases.situation IS 'ENFORCEABLE_MEASURE, MEASURE_TO_EXAMINE or IDENTITY_TO_CONFIRM';
COMMENT ON COLUMN marts.upcoming_releases.detainees IS 'detainees listed';
COMMENT ON COLUMN marts.upcoming_releases.release_brought_forward IS 'of them, release date earlier than on the previous list';
COMMENT ON COLUMN marts.upcoming_releases.release_postponed IS 'of them, release date later than on the previous list';

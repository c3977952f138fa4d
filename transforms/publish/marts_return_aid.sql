-- reads: events_for_marts
-- builds: marts.return_aid
-- Return aid proposed.
CREATE OR REPLACE TABLE marts.return_aid AS
SELECT department, strftime(event_date, '%G-W%V') AS iso_week, nationality, measure_type,
       count(*) AS proposed
FROM events_for_marts WHERE event_type = 'AIDE_RETOUR_PROPOSEE'
GROUP BY ALL ORDER BY ALL;
COMMENT ON TABLE marts.return_aid IS 'Return aid proposals (AIDE_RETOUR_PROPOSEE) by ISO week. Grain: department, week, nationality, measure type.';
COMMENT ON COLUMN marts.return_aid.department IS 'department of the AGDREF snapshot';
COMMENT ON COLUMN marts.return_aid.iso_week IS 'ISO week (YYYY-Www) of the proposal';
COMMENT ON COLUMN marts.return_aid.measure_type IS 'type of the measure the aid was proposed under';
COMMENT ON COLUMN marts.return_aid.proposed IS 'proposals recorded';

-- reads: events_for_marts
-- builds: marts.consular_passes
-- Consular passes (laissez-passer): requests, grants, refusals.
CREATE OR REPLACE TABLE marts.consular_passes AS
SELECT department, strftime(event_date, '%G-W%V') AS iso_week, nationality,
       count(*) FILTER (WHERE event_type = 'DEMANDE_LAISSEZ_PASSER') AS requested,
       count(*) FILTER (WHERE event_type = 'LAISSEZ_PASSER_OBTENU') AS granted,
       count(*) FILTER (WHERE event_type = 'LAISSEZ_PASSER_REFUSE') AS refused
FROM events_for_marts
WHERE event_type IN ('DEMANDE_LAISSEZ_PASSER', 'LAISSEZ_PASSER_OBTENU', 'LAISSEZ_PASSER_REFUSE')
GROUP BY ALL ORDER BY ALL;
COMMENT ON TABLE marts.consular_passes IS 'Consular pass (laissez-passer) requests, grants and refusals by ISO week of the event. Grain: department, week, nationality.';
COMMENT ON COLUMN marts.consular_passes.department IS 'department of the AGDREF snapshot';
COMMENT ON COLUMN marts.consular_passes.iso_week IS 'ISO week (YYYY-Www) of the event';
COMMENT ON COLUMN marts.consular_passes.nationality IS 'ISO 3166-1 alpha-3: the consulate asked';
COMMENT ON COLUMN marts.consular_passes.requested IS 'DEMANDE_LAISSEZ_PASSER events';
COMMENT ON COLUMN marts.consular_passes.granted IS 'LAISSEZ_PASSER_OBTENU events';
COMMENT ON COLUMN marts.consular_passes.refused IS 'LAISSEZ_PASSER_REFUSE events';

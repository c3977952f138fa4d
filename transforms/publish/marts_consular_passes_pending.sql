-- reads: events_for_marts
-- builds: marts.consular_passes_pending
-- Consular passes asked for and still unanswered on the run date, by how long they have
-- waited: a measure's latest request with no grant or refusal recorded on or after it.
CREATE OR REPLACE TABLE marts.consular_passes_pending AS
WITH requests AS (
    SELECT measure_id, department, nationality, max(event_date) AS requested_on
    FROM events_for_marts WHERE event_type = 'DEMANDE_LAISSEZ_PASSER'
    GROUP BY ALL
), pending AS (
    SELECT r.*, (getvariable('run_date') - r.requested_on)::INTEGER AS days_waiting
    FROM requests r
    WHERE NOT EXISTS (
        SELECT 1 FROM events_for_marts a
        WHERE a.measure_id = r.measure_id
          AND a.event_type IN ('LAISSEZ_PASSER_OBTENU', 'LAISSEZ_PASSER_REFUSE')
          AND a.event_date >= r.requested_on)
)
SELECT department, nationality,
       CASE WHEN days_waiting <= 30 THEN '0-30' WHEN days_waiting <= 90 THEN '31-90'
            WHEN days_waiting <= 180 THEN '91-180' ELSE '181+' END AS waiting_band,
       count(*) AS pending, max(days_waiting) AS oldest_days
FROM pending
GROUP BY ALL ORDER BY ALL;
COMMENT ON TABLE marts.consular_passes_pending IS 'Consular pass requests unanswered on the run date (no grant or refusal recorded on or after the latest request of the measure), by days waiting. Grain: department, nationality, waiting band.';
COMMENT ON COLUMN marts.consular_passes_pending.department IS 'department of the AGDREF snapshot';
COMMENT ON COLUMN marts.consular_passes_pending.nationality IS 'ISO 3166-1 alpha-3: the consulate asked';
COMMENT ON COLUMN marts.consular_passes_pending.waiting_band IS 'days since the request: 0-30, 31-90, 91-180, 181+';
COMMENT ON COLUMN marts.consular_passes_pending.pending IS 'requests unanswered';
COMMENT ON COLUMN marts.consular_passes_pending.oldest_days IS 'days the oldest of them has waited';

-- reads: core.persons, core.removal_measures, events_for_marts
-- builds: marts.handovers_quarterly
-- Handovers to other States (remises, Dublin transfers) by quarter of decision and
-- destination State, as the statistics of the 1995 Schengen circular ask: decided,
-- executed, not executed, and why attempts failed.
CREATE OR REPLACE TABLE marts.handovers_quarterly AS
WITH failures AS (
    SELECT measure_id, count(*) AS failures,
           list(DISTINCT coalesce(reason, 'non précisé')) AS reasons
    FROM events_for_marts WHERE event_type = 'ECHEC_ELOIGNEMENT'
    GROUP BY measure_id
)
SELECT year(m.decision_date) || '-Q' || quarter(m.decision_date) AS quarter, m.department,
       coalesce(p.nationality, 'INCONNUE') AS nationality,
       coalesce(m.member_state, 'INCONNU') AS member_state, m.measure_type,
       count(*) AS measures,
       count(*) FILTER (WHERE m.departure_date IS NOT NULL OR m.measure_status = 'EXECUTEE')
           AS executed,
       count(*) FILTER (WHERE m.departure_date IS NULL AND m.measure_status <> 'EXECUTEE')
           AS not_executed,
       coalesce(sum(f.failures), 0)::BIGINT AS failed_attempts,
       coalesce(list_sort(list_distinct(flatten(
           list(f.reasons) FILTER (WHERE f.reasons IS NOT NULL)))), []::VARCHAR[])
           AS failure_reasons
FROM core.removal_measures m
LEFT JOIN core.persons p ON p.num_agdref = m.num_agdref
LEFT JOIN failures f USING (measure_id)
WHERE m.measure_type IN ('REMISE', 'TRANSFERT_DUBLIN')
GROUP BY ALL ORDER BY ALL;
COMMENT ON TABLE marts.handovers_quarterly IS 'Handovers to another State (remise, Dublin transfer) by quarter of decision and destination State, executed or not, with failure reasons. Grain: quarter, department, nationality, destination State, measure type.';
COMMENT ON COLUMN marts.handovers_quarterly.member_state IS 'State the person is handed over to (AGDREF ETAT_MEMBRE, ISO 3166-1 alpha-3); INCONNU when not given (extracts made before the column existed)';
COMMENT ON COLUMN marts.handovers_quarterly.quarter IS 'quarter (YYYY-Qn) of the decision';
COMMENT ON COLUMN marts.handovers_quarterly.department IS 'managing department';
COMMENT ON COLUMN marts.handovers_quarterly.measure_type IS 'REMISE or TRANSFERT_DUBLIN';
COMMENT ON COLUMN marts.handovers_quarterly.measures IS 'measures decided in the quarter';
COMMENT ON COLUMN marts.handovers_quarterly.executed IS 'of them, executed (departure recorded or status EXECUTEE)';
COMMENT ON COLUMN marts.handovers_quarterly.not_executed IS 'of them, not executed';
COMMENT ON COLUMN marts.handovers_quarterly.failed_attempts IS 'ECHEC_ELOIGNEMENT events on these measures';
COMMENT ON COLUMN marts.handovers_quarterly.failure_reasons IS 'distinct failure reasons (''autre'' for rare texts)';

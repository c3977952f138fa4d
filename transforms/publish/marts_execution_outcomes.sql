-- reads: events_for_marts
-- builds: marts.execution_outcomes
-- Execution outcomes: forced removals, recorded voluntary departures, failures by reason.
CREATE OR REPLACE TABLE marts.execution_outcomes AS
SELECT department, strftime(event_date, '%G-W%V') AS iso_week, nationality, measure_type,
       CASE event_type WHEN 'ELOIGNEMENT_EXECUTE' THEN 'FORCED_REMOVAL'
                       WHEN 'DEPART_VOLONTAIRE_CONSTATE' THEN 'VOLUNTARY_DEPARTURE'
                       ELSE 'FAILURE' END AS outcome,
       CASE WHEN event_type = 'ECHEC_ELOIGNEMENT' THEN coalesce(reason, 'non précisé') END
           AS failure_reason,
       count(*) AS events
FROM events_for_marts
WHERE event_type IN ('ELOIGNEMENT_EXECUTE', 'DEPART_VOLONTAIRE_CONSTATE', 'ECHEC_ELOIGNEMENT')
GROUP BY ALL ORDER BY ALL;
COMMENT ON TABLE marts.execution_outcomes IS 'Execution outcomes of removal measures by ISO week of the event. Grain: department, week, nationality, measure type, outcome, failure reason.';
COMMENT ON COLUMN marts.execution_outcomes.department IS 'department of the AGDREF snapshot';
COMMENT ON COLUMN marts.execution_outcomes.iso_week IS 'ISO week (YYYY-Www) of the event';
COMMENT ON COLUMN marts.execution_outcomes.measure_type IS 'type of the measure executed or attempted';
COMMENT ON COLUMN marts.execution_outcomes.outcome IS 'FORCED_REMOVAL (ELOIGNEMENT_EXECUTE), VOLUNTARY_DEPARTURE (DEPART_VOLONTAIRE_CONSTATE) or FAILURE (ECHEC_ELOIGNEMENT)';
COMMENT ON COLUMN marts.execution_outcomes.failure_reason IS 'reason of a failure, lower case; ''autre'' when fewer than 5 events share the text';
COMMENT ON COLUMN marts.execution_outcomes.events IS 'events';

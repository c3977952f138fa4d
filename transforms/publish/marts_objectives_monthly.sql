-- reads: events_for_marts, rejections_followed
-- builds: marts.objectives_monthly
-- The indicators that objectives are set for (the 2009 mission letter's "tableau de bord
-- global et synthétique"), by calendar month, up to the run date: the dashboard sets each
-- against its target month by month and year to date. A rejection counts in the month of
-- its knowledge date once its 15 days are over (OQ-02), from the day after its due date:
-- until then, the due date included, it cannot yet be late.
CREATE OR REPLACE TABLE marts.objectives_monthly AS
WITH rejected AS (
    SELECT department, knowledge_date, oqtf_date FROM rejections_followed
    WHERE knowledge_date + 15 < getvariable('run_date')
), indicators AS (
    SELECT r.department, strftime(r.knowledge_date, '%Y-%m') AS month,
           'OQTF_WITHIN_15_DAYS' AS indicator,
           count(*) FILTER (WHERE r.oqtf_date <= r.knowledge_date + 15) AS achieved,
           count(*) AS base
    FROM rejected r
    GROUP BY ALL
    UNION ALL
    SELECT department, strftime(event_date, '%Y-%m'),
           CASE event_type WHEN 'ELOIGNEMENT_EXECUTE' THEN 'REMOVALS_EXECUTED'
                           ELSE 'CONSULAR_PASSES_OBTAINED' END,
           count(*), NULL
    FROM events_for_marts
    WHERE event_type IN ('ELOIGNEMENT_EXECUTE', 'LAISSEZ_PASSER_OBTENU')
      AND event_date <= getvariable('run_date')
    GROUP BY ALL
)
SELECT department, month, indicator, achieved::BIGINT AS achieved, base::BIGINT AS base
FROM indicators ORDER BY ALL;
COMMENT ON TABLE marts.objectives_monthly IS 'The indicators objectives are set for, by calendar month up to the run date. Grain: department, month, indicator.';
COMMENT ON COLUMN marts.objectives_monthly.department IS 'department: domicile (rejections), managing department (events)';
COMMENT ON COLUMN marts.objectives_monthly.month IS 'calendar month (YYYY-MM): of the knowledge date for rejections, of the event otherwise';
COMMENT ON COLUMN marts.objectives_monthly.indicator IS 'OQTF_WITHIN_15_DAYS (share of final rejections followed by an OQTF L. 611-1 4° within 15 days of the knowledge date), REMOVALS_EXECUTED (ELOIGNEMENT_EXECUTE events), CONSULAR_PASSES_OBTAINED (LAISSEZ_PASSER_OBTENU events)';
COMMENT ON COLUMN marts.objectives_monthly.achieved IS 'OQTF_WITHIN_15_DAYS: rejections followed by such an OQTF in time; otherwise the events counted';
COMMENT ON COLUMN marts.objectives_monthly.base IS 'OQTF_WITHIN_15_DAYS: final rejections whose 15 days are over by the run date; null for counts';

-- reads: core.measure_events, core.persons, core.removal_measures
-- builds: events_for_marts
-- Events with their reason: free text is kept only when at least 5 events share it, so
-- that a mart never carries a rare text that could point to one person. An event counts
-- for its measure's department (the managing department of its file,
-- core_removal_measures.sql), the snapshot's when the measure is not known.
CREATE OR REPLACE TEMP TABLE events_for_marts AS
SELECT e.measure_id, coalesce(m.department, e.department) AS department, e.event_type, e.event_date, m.measure_type,
       coalesce(p.nationality, 'INCONNUE') AS nationality,
       CASE WHEN e.event_reason IS NULL THEN NULL
            WHEN count(*) OVER (PARTITION BY lower(trim(e.event_reason))) >= 5
                THEN lower(trim(e.event_reason))
            ELSE 'autre' END AS reason
FROM core.measure_events e
LEFT JOIN core.removal_measures m USING (measure_id)
LEFT JOIN core.persons p ON p.num_agdref = m.num_agdref;

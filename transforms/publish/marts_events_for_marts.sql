-- reads: core.measure_events, core.persons, core.removal_measures
-- builds: events_for_marts
-- Events with their reason: free text is kept only when at least 5 events share it, so
-- that a mart never carries a rare text that could point to one person. An event counts
-- for its measure's department (the managing department of its file,
-- core_removal_measures.sql), the snapshot's when the measure is not known. A measure in
-- the latest snapshots of two departments (core.measure_events keeps both, for the
-- rules) has its events counted once: the n-th occurrence of one event (type, date,
-- reason) in any department's snapshot is one event, as the measure is one measure.
CREATE OR REPLACE TEMP TABLE events_for_marts AS
WITH numbered AS (
    SELECT e.*, row_number() OVER (
               PARTITION BY e.measure_id, e.department, e.event_type, e.event_date,
                            e.event_reason ORDER BY e.line_number) AS occurrence
    FROM core.measure_events e
), events AS (
    SELECT * FROM numbered
    QUALIFY row_number() OVER (
        PARTITION BY measure_id, event_type, event_date, event_reason, occurrence
        ORDER BY department) = 1
)
SELECT e.measure_id, coalesce(m.department, e.department) AS department, e.event_type,
       e.event_date, m.measure_type, coalesce(p.nationality, 'INCONNUE') AS nationality,
       CASE WHEN e.event_reason IS NULL THEN NULL
            WHEN count(*) OVER (PARTITION BY lower(trim(e.event_reason))) >= 5
                THEN lower(trim(e.event_reason))
            ELSE 'autre' END AS reason
FROM events e
LEFT JOIN core.removal_measures m USING (measure_id)
LEFT JOIN core.persons p ON p.num_agdref = m.num_agdref;

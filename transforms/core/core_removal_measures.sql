-- reads: core.measure_events, core.persons, latest_files, staging.agdref_measures
-- builds: core.removal_measures
-- core.removal_measures: one row per measure of the latest AGDREF snapshot of each
-- department, with its execution events (core.measure_events) summarised. Its department
-- is the managing department of its file (DEPT_GESTION, docs/contracts.md §2: "the
-- department whose prefecture must act"), the snapshot's when the file is not known.
CREATE OR REPLACE TABLE core.removal_measures AS
WITH measures AS (
    SELECT m.* REPLACE (f.extraction_date AS extraction_date),
           f.file_name || ':' || m.line_number AS source_row
    FROM staging.agdref_measures m
    JOIN latest_files f ON f.rows_file_name = m.file_name AND f.file_kind = 'agdref_mesures'
                       AND f.recency = 1
    WHERE m.extraction_date >= getvariable('agdref_snapshots_from')
    -- a measure in the latest snapshots of two departments of the same date: the row
    -- that protects is kept (closed, then challenged or its challenge unknown: EX-02,
    -- OQ-06), never the lower department code by chance (principle 1)
    QUALIFY row_number() OVER (PARTITION BY m.measure_id
                               ORDER BY f.extraction_date DESC,
                                        m.measure_status IN ('ANNULEE', 'ABROGEE', 'RETIREE',
                                                             'EXECUTEE') DESC,
                                        coalesce(m.appeal_status, 'EN_COURS') = 'EN_COURS'
                                            DESC,
                                        m.department, m.line_number) = 1
), summary AS (
    SELECT measure_id,
           arg_max(event_type, (event_date, line_number)) AS last_event_type,
           max(event_date) AS last_event_date,
           min(event_date) FILTER (WHERE event_type IN ('ELOIGNEMENT_EXECUTE',
                                                       'DEPART_VOLONTAIRE_CONSTATE'))
               AS departure_date,
           list(source_row ORDER BY event_date, line_number) AS event_rows
    FROM core.measure_events GROUP BY measure_id
), abscondings AS (  -- EX-04: an absconding is the person's, whichever of their file's
    -- measures AGDREF recorded it on
    SELECT e.measure_id, m.num_agdref, e.event_date, e.source_row
    FROM core.measure_events e JOIN measures m USING (measure_id)
    WHERE e.event_type = 'FUITE'
), absconded AS (  -- a transfer's: the abscondings of its file since the acceptance
    SELECT m.measure_id, min(a.event_date) AS absconded_on,
           list(a.source_row ORDER BY a.event_date, a.source_row)
               FILTER (WHERE a.measure_id <> m.measure_id) AS other_rows
    FROM measures m JOIN abscondings a
      ON a.num_agdref = m.num_agdref AND a.event_date >= m.member_state_acceptance_date
    WHERE m.measure_type = 'TRANSFERT_DUBLIN'
    GROUP BY m.measure_id
)
SELECT m.measure_id, m.num_agdref, m.num_agdref AS person_key,
       coalesce(p.department, m.department) AS department, m.measure_type,
       m.measure_basis, m.decision_date, m.notification_date, m.departure_period_days,
       m.notification_situation, m.reentry_ban_years, m.member_state_acceptance_date,
       m.appeal_status, m.measure_status, m.member_state, s.last_event_type, s.last_event_date,
       s.departure_date,
       -- EX-04: an absconding (on any measure of the file) extends a transfer's deadline
       -- from the acceptance on; its rows are cited with the transfer's own events
       x.measure_id IS NOT NULL AS absconded, x.absconded_on,
       m.source_row,
       coalesce(s.event_rows, []::VARCHAR[]) || coalesce(x.other_rows, []::VARCHAR[])
           AS event_rows
FROM measures m LEFT JOIN summary s USING (measure_id)
LEFT JOIN absconded x USING (measure_id)
LEFT JOIN core.persons p ON p.num_agdref = m.num_agdref;
COMMENT ON TABLE core.removal_measures IS 'One removal measure (latest AGDREF snapshot) with its execution events summarised.';

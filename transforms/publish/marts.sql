-- Indicators for managers and analysts (marts): aggregates only, never a person.
-- Rebuilt each run from core, worklists and audit, as of getvariable('run_date').
-- Each indicator is defined here once; tests/test_marts.py checks each on a tiny inbox.
-- Columns without a COMMENT here are described from schemas/glossary.py.

-- Final rejections received and the OQTF L. 611-1 4° that followed (OQ-01, OQ-02).
CREATE OR REPLACE TABLE marts.rejections_oqtf AS
WITH rejected AS (
    SELECT person_key, department, coalesce(nationality, 'INCONNUE') AS nationality,
           rtr_end_date, knowledge_date
    FROM core.asylum_outcomes WHERE effect = 'ENDED'
), first_oqtf AS (
    SELECT r.person_key, min(m.decision_date) AS oqtf_date
    FROM rejected r
    JOIN core.removal_measures m ON m.person_key = r.person_key
    WHERE m.measure_type = 'OQTF' AND m.measure_basis = 'L611-1-4'
      AND m.decision_date >= r.rtr_end_date
    GROUP BY r.person_key
)
SELECT r.department, strftime(r.knowledge_date, '%G-W%V') AS iso_week, r.nationality,
       count(*) AS final_rejections,
       count(o.oqtf_date) AS oqtf_issued,
       count(*) FILTER (WHERE o.oqtf_date <= r.knowledge_date + 15) AS oqtf_within_deadline,
       round(count(o.oqtf_date) / count(*), 4) AS share_issued,
       round(count(*) FILTER (WHERE o.oqtf_date <= r.knowledge_date + 15) / count(*), 4)
           AS share_within_deadline,
       median(o.oqtf_date - r.knowledge_date) AS median_delay_days
FROM rejected r LEFT JOIN first_oqtf o USING (person_key)
GROUP BY ALL ORDER BY ALL;
COMMENT ON TABLE marts.rejections_oqtf IS 'Final rejections received (right to remain ended, by ISO week of the knowledge date) and the OQTF on basis L. 611-1 4° issued after them. Grain: department, ISO week, nationality.';
COMMENT ON COLUMN marts.rejections_oqtf.department IS 'domicile department of the deciding TélémOfpra record';
COMMENT ON COLUMN marts.rejections_oqtf.iso_week IS 'ISO week (YYYY-Www) of the knowledge date: when the end of the right to remain was first proven by a list';
COMMENT ON COLUMN marts.rejections_oqtf.final_rejections IS 'persons whose right to remain ended (core.asylum_outcomes.effect = ENDED)';
COMMENT ON COLUMN marts.rejections_oqtf.oqtf_issued IS 'of them, persons with an OQTF on basis L611-1-4 decided on or after the end of the right to remain (linked persons only)';
COMMENT ON COLUMN marts.rejections_oqtf.oqtf_within_deadline IS 'of them, OQTF decided at most 15 days after the knowledge date (OQ-02)';
COMMENT ON COLUMN marts.rejections_oqtf.share_issued IS 'oqtf_issued / final_rejections';
COMMENT ON COLUMN marts.rejections_oqtf.share_within_deadline IS 'oqtf_within_deadline / final_rejections';
COMMENT ON COLUMN marts.rejections_oqtf.median_delay_days IS 'median days from knowledge date to the first such OQTF (null when none)';

-- Overdue backlog: rejected_without_oqtf by time past the 15-day deadline.
CREATE OR REPLACE TABLE marts.overdue_backlog AS
SELECT w.department, coalesce(o.nationality, 'INCONNUE') AS nationality,
       CASE WHEN w.days_overdue = 0 THEN '0' WHEN w.days_overdue <= 30 THEN '1-30'
            WHEN w.days_overdue <= 90 THEN '31-90' WHEN w.days_overdue <= 365 THEN '91-365'
            ELSE '366+' END AS days_overdue_band,
       count(*) AS persons,
       count(*) FILTER (WHERE list_contains(w.markers, 'INDIVIDUAL_ASSESSMENT'))
           AS to_assess_first
FROM worklists.rejected_without_oqtf w
LEFT JOIN core.asylum_outcomes o USING (person_key)
GROUP BY ALL ORDER BY ALL;
COMMENT ON TABLE marts.overdue_backlog IS 'Persons on rejected_without_oqtf by days past the OQTF deadline. Grain: department, nationality, band.';
COMMENT ON COLUMN marts.overdue_backlog.department IS 'department whose prefecture must act';
COMMENT ON COLUMN marts.overdue_backlog.days_overdue_band IS 'days past the due date: 0 (not yet due), 1-30, 31-90, 91-365, 366+';
COMMENT ON COLUMN marts.overdue_backlog.persons IS 'persons listed';
COMMENT ON COLUMN marts.overdue_backlog.to_assess_first IS 'of them, with marker INDIVIDUAL_ASSESSMENT (OQ-04)';

-- Unexecuted measures by age and coercibility.
CREATE OR REPLACE TABLE marts.unexecuted_measures AS
SELECT department, measure_type,
       CASE WHEN days_since_enforceable <= 90 THEN '0-90'
            WHEN days_since_enforceable <= 365 THEN '91-365'
            WHEN days_since_enforceable <= 1095 THEN '366-1095' ELSE '1096+' END AS age_band,
       is_coercible, in_detention, count(*) AS measures
FROM worklists.unexecuted_measures
GROUP BY ALL ORDER BY ALL;
COMMENT ON TABLE marts.unexecuted_measures IS 'Measures on unexecuted_measures by age since enforceable and coercibility. Grain: department, type, age band, coercible, in detention.';
COMMENT ON COLUMN marts.unexecuted_measures.department IS 'managing department';
COMMENT ON COLUMN marts.unexecuted_measures.measure_type IS 'OQTF, APE, AME, ITF, REMISE, TRANSFERT_DUBLIN';
COMMENT ON COLUMN marts.unexecuted_measures.age_band IS 'days since enforceable: 0-90, 91-365, 366-1095, 1096+';
COMMENT ON COLUMN marts.unexecuted_measures.is_coercible IS 'house arrest or retention still possible (OQ-08)';
COMMENT ON COLUMN marts.unexecuted_measures.in_detention IS 'person on the latest list of an establishment';
COMMENT ON COLUMN marts.unexecuted_measures.measures IS 'measures listed';

-- Events with their reason: free text is kept only when at least 5 events share it, so
-- that a mart never carries a rare text that could point to one person.
CREATE OR REPLACE TEMP TABLE events_for_marts AS
SELECT e.measure_id, e.department, e.event_type, e.event_date, m.measure_type,
       coalesce(p.nationality, 'INCONNUE') AS nationality,
       CASE WHEN e.event_reason IS NULL THEN NULL
            WHEN count(*) OVER (PARTITION BY lower(trim(e.event_reason))) >= 5
                THEN lower(trim(e.event_reason))
            ELSE 'autre' END AS reason
FROM core.measure_events e
LEFT JOIN core.removal_measures m USING (measure_id)
LEFT JOIN core.persons p ON p.num_agdref = m.num_agdref;

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

-- Upcoming releases by week and situation, with release-date changes.
CREATE OR REPLACE TABLE marts.upcoming_releases AS
-- A detainee without a release date (a remand prisoner whose identity is to confirm,
-- PRI-09) is counted under 'sans date'.
SELECT department, coalesce(strftime(release_date, '%G-W%V'), 'sans date') AS release_week,
       situation,
       count(*) AS detainees,
       count(*) FILTER (WHERE release_date_change_days < 0) AS release_brought_forward,
       count(*) FILTER (WHERE release_date_change_days > 0) AS release_postponed
FROM worklists.upcoming_releases
GROUP BY ALL ORDER BY ALL;
COMMENT ON TABLE marts.upcoming_releases IS 'Detainees on upcoming_releases by ISO week of release and situation. Grain: department, week, situation.';
COMMENT ON COLUMN marts.upcoming_releases.department IS 'department of the establishment';
COMMENT ON COLUMN marts.upcoming_releases.release_week IS 'ISO week (YYYY-Www) of the expected release, or ''sans date'' (remand prisoner, PRI-09)';
COMMENT ON COLUMN marts.upcoming_releases.situation IS 'ENFORCEABLE_MEASURE, MEASURE_TO_EXAMINE or IDENTITY_TO_CONFIRM';
COMMENT ON COLUMN marts.upcoming_releases.detainees IS 'detainees listed';
COMMENT ON COLUMN marts.upcoming_releases.release_brought_forward IS 'of them, release date earlier than on the previous list';
COMMENT ON COLUMN marts.upcoming_releases.release_postponed IS 'of them, release date later than on the previous list';

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

-- Data quality of every run: files by status, rows read, staged and quarantined.
-- The department of a file: its unit, or its establishment's department for GENESIS.
CREATE OR REPLACE TEMP TABLE file_departments AS
SELECT f.file_name, coalesce(f.system, 'INCONNU') AS system,
       CASE WHEN f.system = 'genesis' THEN e.department ELSE f.unit END AS department
FROM audit.files f
LEFT JOIN (SELECT DISTINCT establishment_code, department FROM staging.detainees) e
       ON f.system = 'genesis' AND e.establishment_code = f.unit;

CREATE OR REPLACE TABLE marts.data_quality AS
SELECT f.run_id, d.system, d.department, f.status, count(*) AS files,
       sum(f.rows_read)::BIGINT AS rows_read, sum(f.rows_staged)::BIGINT AS rows_staged,
       sum(f.rows_quarantined)::BIGINT AS rows_quarantined
FROM audit.files f JOIN file_departments d USING (file_name)
GROUP BY ALL ORDER BY ALL;
COMMENT ON TABLE marts.data_quality IS 'Files received by the run that first saw them, by system, department and status, with row counts. Grain: run, system, department, status.';
COMMENT ON COLUMN marts.data_quality.run_id IS 'run that first saw the files (audit.runs)';
COMMENT ON COLUMN marts.data_quality.system IS 'telemofpra, genesis or agdref (the inbox folder), INCONNU when not known';
COMMENT ON COLUMN marts.data_quality.department IS 'department of the file (of the establishment for GENESIS); null when unknown';
COMMENT ON COLUMN marts.data_quality.status IS 'LOADED, UNCHANGED (same bytes as an earlier delivery under a later date: rows counted under that file), SKIPPED_DUPLICATE, SUPERSEDED or REJECTED';
COMMENT ON COLUMN marts.data_quality.files IS 'files';
COMMENT ON COLUMN marts.data_quality.rows_read IS 'data rows read';
COMMENT ON COLUMN marts.data_quality.rows_staged IS 'rows staged';
COMMENT ON COLUMN marts.data_quality.rows_quarantined IS 'rows quarantined (a row failing several checks counts once)';

CREATE OR REPLACE TABLE marts.quarantine_reasons AS
SELECT q.run_id, coalesce(d.system, 'INCONNU') AS system, d.department, q.column_name,
       q.check_name, count(DISTINCT (q.file_name, q.line_number)) AS rows_quarantined
FROM audit.quarantine q LEFT JOIN file_departments d USING (file_name)
GROUP BY ALL ORDER BY ALL;
COMMENT ON TABLE marts.quarantine_reasons IS 'Quarantined rows by failed check (values are left in audit.quarantine). Grain: run, system, department, column, check.';
COMMENT ON COLUMN marts.quarantine_reasons.run_id IS 'run that quarantined the rows';
COMMENT ON COLUMN marts.quarantine_reasons.system IS 'source system of the file';
COMMENT ON COLUMN marts.quarantine_reasons.department IS 'department of the file (of the establishment for GENESIS); null when unknown';
COMMENT ON COLUMN marts.quarantine_reasons.column_name IS 'column that failed (null for a whole-row check)';
COMMENT ON COLUMN marts.quarantine_reasons.check_name IS 'check that failed';
COMMENT ON COLUMN marts.quarantine_reasons.rows_quarantined IS 'rows';

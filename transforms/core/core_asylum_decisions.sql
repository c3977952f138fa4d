-- reads: latest_files, staging.asylum_decisions
-- builds: core.asylum_decisions
-- core.asylum_decisions: one row per decision, however many weekly lists repeated it.
-- Facts come from the latest list that showed the decision; the knowledge dates from the
-- first list that showed it (OQ-02: a repeat in a later list does not move them); the
-- last list that showed it tells which domicile is the latest (RULES.md, "Boundaries").
CREATE OR REPLACE TABLE core.asylum_decisions AS
WITH rows AS (
    SELECT d.*, 'telemofpra:' || d.num_ofpra AS record_key,
           d.file_name || ':' || d.line_number AS source_row
    FROM staging.asylum_decisions d
    WHERE d.extraction_date <= getvariable('run_date')
), keyed AS (
    -- A registered request not yet decided (outcome and decision_date null, RTR-08) is
    -- keyed by a literal REGISTERED part and its introduction date, never by concat_ws
    -- skipping its nulls: the key stays apart from every decision's and the same
    -- across the weekly lists that repeat the request.
    SELECT *, CASE WHEN outcome IS NULL AND decision_date IS NULL
                   THEN concat_ws('|', num_ofpra, deciding_body, 'REGISTERED', claim_type,
                                  coalesce(strftime(claim_date, '%Y-%m-%d'), 'UNDATED'))
                   ELSE concat_ws('|', num_ofpra, deciding_body, decision_date, outcome,
                                  claim_type) END AS decision_key
    FROM rows
), firsts AS (
    SELECT decision_key,
           min(extraction_date) AS first_list_date,
           max(extraction_date) AS last_list_date,
           min(extraction_date) FILTER (WHERE notification_date IS NOT NULL)
               AS first_notified_list_date,
           min(extraction_date) FILTER (WHERE final_date IS NOT NULL)
               AS first_final_list_date,
           list(source_row ORDER BY extraction_date, file_name, line_number) AS source_rows,
           arg_min(file_name, (extraction_date, file_name)) AS first_file_name,
           bool_and(outcome IS NULL AND decision_date IS NULL AND claim_date IS NULL)
               AS undated_request
    FROM keyed GROUP BY decision_key
), previous AS (
    -- A request registered without its introduction date (RTR-07, RTR-08) was registered
    -- after the latest list of its department that did not show it yet: the list before
    -- the first that showed it.
    SELECT f.decision_key, max(l.extraction_date) AS previous_list_date
    FROM firsts f
    JOIN (SELECT DISTINCT rows_file_name, unit FROM latest_files
          WHERE file_kind = 'telemofpra') first_list ON first_list.rows_file_name = f.first_file_name
    JOIN latest_files l ON l.file_kind = 'telemofpra' AND l.unit = first_list.unit
                       AND l.extraction_date < f.first_list_date
    WHERE f.undated_request
    GROUP BY f.decision_key
)
SELECT k.decision_key, k.record_key, k.num_ofpra, k.department, k.claim_type, k.procedure,
       k.claim_date, k.deciding_body, k.outcome, k.decision_basis, k.decision_date,
       k.cnda_mode, k.notification_date, k.final_date, f.first_list_date,
       f.first_notified_list_date, f.first_final_list_date, f.last_list_date, f.source_rows,
       p.previous_list_date
FROM keyed k JOIN firsts f USING (decision_key) LEFT JOIN previous p USING (decision_key)
QUALIFY row_number() OVER (PARTITION BY k.decision_key
                           ORDER BY k.extraction_date DESC, k.file_name DESC,
                                    k.line_number DESC) = 1;
COMMENT ON TABLE core.asylum_decisions IS 'One OFPRA or CNDA decision, with the date of the first TélémOfpra list that showed it (knowledge date, OQ-02); or one re-examination or reopening request registered and not yet decided (outcome and decision_date null, RTR-08).';

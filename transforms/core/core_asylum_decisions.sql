-- reads: latest_files, staging.asylum_decisions
-- builds: core.asylum_decisions
-- core.asylum_decisions: one row per decision, however many weekly lists repeated it.
-- Facts come from the latest list that showed the decision; the knowledge dates from the
-- first list that showed it as it now reads (OQ-02: a repeat in a later list does not
-- move them, a correction of its notification or final date does; a correction of its
-- decision date alone does not: the lists before it proved the same decision, and are
-- cited with it); the last list that showed it tells which domicile is the latest
-- (RULES.md, "Boundaries").
-- A later list may correct a decision: one body does not decide one OFPRA file twice on
-- one day, nor one claim (one introduction date) twice. A version that a later list gives
-- otherwise (another outcome, basis, claim type or decision date) is superseded and no
-- longer acts; a grant is never superseded (RTR-10, principle 1: a protection is not
-- dropped on a doubt).
CREATE OR REPLACE TABLE core.asylum_decisions AS
WITH rows AS (
    -- every delivery of a list, an UNCHANGED one with its own date and name (the same
    -- bytes, the same lines: that date's list), its rows read from the file it repeats
    SELECT d.* REPLACE (f.file_name AS file_name, f.extraction_date AS extraction_date),
           'telemofpra:' || d.num_ofpra AS record_key,
           f.file_name || ':' || d.line_number AS source_row
    FROM staging.asylum_decisions d
    JOIN latest_files f ON f.rows_file_name = d.file_name AND f.file_kind = 'telemofpra'
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
 ), latest AS (
    -- each decision as it now reads: its row of the latest list that showed it
    SELECT * FROM keyed
    QUALIFY row_number() OVER (PARTITION BY decision_key
                               ORDER BY extraction_date DESC, file_name DESC,
                                        line_number DESC) = 1
), versions AS MATERIALIZED (
    SELECT l.decision_key, l.num_ofpra, l.deciding_body, l.decision_date, l.claim_date,
           l.claim_type, l.outcome, l.decision_basis, l.extraction_date AS last_list_date,
           min(k.extraction_date) AS first_list_date
    FROM latest l JOIN keyed k USING (decision_key)
    WHERE l.decision_date IS NOT NULL
    GROUP BY ALL
), corrections AS (
    -- a decision a later list gives otherwise (a), and the version giving it (b): the
    -- same body, the same OFPRA file and the same decision date, or the same dated claim
    -- (one introduction date is one claim, which a body decides once: a correction of its
    -- outcome, type and date at once is still a correction)
    SELECT a.decision_key, b.decision_key AS corrected_by
    FROM versions a JOIN versions b
      ON b.num_ofpra = a.num_ofpra AND b.deciding_body = a.deciding_body
     AND b.last_list_date > a.last_list_date
     AND (b.decision_date = a.decision_date OR b.claim_date = a.claim_date)
    -- transforms/rules/rights.GRANT_OUTCOMES
    WHERE a.outcome NOT IN ('REFUGIE', 'PROTECTION_SUBSIDIAIRE', 'APATRIDE',
                            'ANNULATION_REFUGIE', 'ANNULATION_PROTECTION_SUBSIDIAIRE')
), superseded AS (
    SELECT DISTINCT decision_key FROM corrections
), corrected AS (
    -- each version superseded, and the decision that now reads in its place (the latest
    -- of those correcting it that no list corrects in turn); `same_reading`: only its
    -- date was corrected (the same outcome, basis and claim type): the same decision as
    -- OQ-02 reads it, proved by the lists that showed it before the correction too
    SELECT c.decision_key, arg_max(b.decision_key, b.last_list_date) AS corrected_by,
           arg_max(a.outcome = b.outcome AND a.claim_type IS NOT DISTINCT FROM b.claim_type
                   AND a.decision_basis IS NOT DISTINCT FROM b.decision_basis,
                   b.last_list_date) AS same_reading,
           min(a.first_list_date) AS first_list_date
    FROM corrections c
    JOIN versions a ON a.decision_key = c.decision_key
    JOIN versions b ON b.decision_key = c.corrected_by
    WHERE c.corrected_by NOT IN (SELECT decision_key FROM superseded)
    GROUP BY c.decision_key
), read_as AS (
    -- every row, under the decision it reads as now: its own, or the one correcting
    -- only its date
    SELECT k.*, CASE WHEN c.same_reading THEN c.corrected_by ELSE k.decision_key END
                    AS read_key
    FROM keyed k LEFT JOIN corrected c USING (decision_key)
), firsts AS (
    SELECT k.read_key AS decision_key,
           min(k.extraction_date) AS first_list_date,
           max(k.extraction_date) AS last_list_date,
           -- the last list that gave another notification or final date than now
           max(k.extraction_date) FILTER (
               WHERE k.notification_date IS DISTINCT FROM l.notification_date)
               AS notification_given_otherwise,
           max(k.extraction_date) FILTER (WHERE k.final_date IS DISTINCT FROM l.final_date)
               AS final_given_otherwise,
           max(k.extraction_date) FILTER (WHERE k.cnda_mode IS DISTINCT FROM l.cnda_mode)
               AS mode_given_otherwise,
           list(k.source_row ORDER BY k.extraction_date, k.file_name, k.line_number)
               AS source_rows,
           arg_min(k.file_name, (k.extraction_date, k.file_name)) AS first_file_name,
           bool_and(k.outcome IS NULL AND k.decision_date IS NULL AND k.claim_date IS NULL)
               AS undated_request
    FROM read_as k JOIN latest l ON l.decision_key = k.read_key
    GROUP BY k.read_key
), proven AS (
    -- OQ-02: a notification or final date, or a CNDA decision's mode (which says whether
    -- its reading or signature ends the right to remain, RTR-04, RTR-05), proves the
    -- decision from the first list that gave it as it now reads, after the last list that
    -- gave another (a correction) or none
    SELECT k.read_key AS decision_key,
           min(k.extraction_date) FILTER (
               WHERE k.notification_date IS NOT NULL
                 AND k.extraction_date > coalesce(f.notification_given_otherwise,
                                                  DATE '0001-01-01'))
               AS first_notified_list_date,
           min(k.extraction_date) FILTER (
               WHERE k.final_date IS NOT NULL
                 AND k.extraction_date > coalesce(f.final_given_otherwise, DATE '0001-01-01'))
               AS first_final_list_date,
           min(k.extraction_date) FILTER (
               WHERE k.cnda_mode IS NOT NULL
                 AND k.extraction_date > coalesce(f.mode_given_otherwise, DATE '0001-01-01'))
               AS first_moded_list_date
    FROM read_as k JOIN firsts f ON f.decision_key = k.read_key
    GROUP BY k.read_key
), corrects AS (
    -- the versions each decision corrects, whatever fields changed, the first shown first:
    -- its flag goes on under the id a version had (transforms/rules/rejected.py)
    SELECT corrected_by AS decision_key,
           list(decision_key ORDER BY first_list_date, decision_key) AS corrected_keys
    FROM corrected GROUP BY corrected_by
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
       first_notified_list_date, first_final_list_date, first_moded_list_date,
       f.last_list_date, f.source_rows,
       p.previous_list_date, coalesce(c.corrected_keys, []) AS corrected_keys
FROM latest k JOIN firsts f USING (decision_key) JOIN proven USING (decision_key)
LEFT JOIN previous p USING (decision_key)
LEFT JOIN corrects c USING (decision_key)
WHERE k.decision_key NOT IN (SELECT decision_key FROM superseded);
COMMENT ON TABLE core.asylum_decisions IS 'One OFPRA or CNDA decision, with the date of the first TélémOfpra list that showed it (knowledge date, OQ-02); or one re-examination or reopening request registered and not yet decided (outcome and decision_date null, RTR-08).';

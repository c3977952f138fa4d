-- reads: core.asylum_outcomes, core.removal_measures
-- builds: marts.rejections_oqtf, rejections_followed
-- Final rejections received and the OQTF L. 611-1 4° that followed (OQ-01, OQ-02).
-- rejections_followed (one row per person whose right to remain ended, with the first
-- such OQTF) is read again by marts_objectives_monthly.sql.
CREATE OR REPLACE TEMP TABLE rejections_followed AS
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
SELECT r.*, o.oqtf_date FROM rejected r LEFT JOIN first_oqtf o USING (person_key);
CREATE OR REPLACE TABLE marts.rejections_oqtf AS
SELECT r.department, strftime(r.knowledge_date, '%G-W%V') AS iso_week, r.nationality,
       count(*) AS final_rejections,
       count(r.oqtf_date) AS oqtf_issued,
       count(*) FILTER (WHERE r.oqtf_date <= r.knowledge_date + 15) AS oqtf_within_deadline,
       round(count(r.oqtf_date) / count(*), 4) AS share_issued,
       round(count(*) FILTER (WHERE r.oqtf_date <= r.knowledge_date + 15) / count(*), 4)
           AS share_within_deadline,
       median(r.oqtf_date - r.knowledge_date) AS median_delay_days
FROM rejections_followed r
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

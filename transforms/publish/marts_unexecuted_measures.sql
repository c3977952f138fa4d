-- reads: worklists.unexecuted_measures
-- builds: marts.unexecuted_measures
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

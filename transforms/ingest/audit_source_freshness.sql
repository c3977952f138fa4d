-- reads: audit.files
-- builds: audit.source_freshness
-- audit.source_freshness: one row per source unit for this run (PRI-01): how old the
-- latest delivery of each TélémOfpra department, GENESIS establishment and AGDREF
-- department and table is on the run date, and whether it is late (more days old than
-- the source's setting, bound as late_after_<system>). An UNCHANGED delivery is a
-- delivery of its date (an unchanged list sent on time is not late); files extracted
-- after the run date are not yet known. Rerunning the step for a run replaces its rows.
DELETE FROM audit.source_freshness WHERE run_id = getvariable('run_id');
INSERT INTO audit.source_freshness BY NAME
WITH latest AS (
    SELECT system, file_kind, unit, max(extraction_date) AS latest_file_date
    FROM audit.files
    WHERE status IN ('LOADED', 'UNCHANGED') AND extraction_date <= getvariable('run_date')
      AND system IS NOT NULL AND unit IS NOT NULL
    GROUP BY system, file_kind, unit
), aged AS (
    SELECT *, (getvariable('run_date') - latest_file_date)::INTEGER AS days_old,
           CASE system WHEN 'genesis' THEN getvariable('late_after_genesis')
                       WHEN 'telemofpra' THEN getvariable('late_after_telemofpra')
                       WHEN 'agdref' THEN getvariable('late_after_agdref')
           END::INTEGER AS late_after_days
    FROM latest
)
-- An AGDREF unit is a department and a table (CONTRACTS §2): named as in the file name.
SELECT getvariable('run_id') AS run_id, system, file_kind,
       CASE WHEN system = 'agdref'
            THEN upper(replace(file_kind, 'agdref_', '')) || '_' || unit ELSE unit END AS unit,
       latest_file_date,
       days_old, late_after_days, days_old > late_after_days AS is_late
FROM aged
ORDER BY system, file_kind, unit;

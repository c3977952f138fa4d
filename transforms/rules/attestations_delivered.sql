-- reads: audit.files, core.identity_candidates, core.measure_events, core.person_links,
--        core.quarantined_references, core.removal_measures, rule_files,
--        staging.agdref_titles
-- builds: nothing (a query: the rows it returns)
-- PRI-07: the asylum attestations (ADA) AGDREF showed around each consular pass
-- request's day, for the files a request may be about: the file under the requested
-- measure (or held back with its quarantined row), every file of its person, and the
-- files whose identity agrees with those (what verdicts.candidate_files reads, and more).
-- For each request day and department, two AGDREF extracts: the one delivered on that
-- day (the latest by then), and the first after it (a request older than every extract
-- kept). An attestation one of them shows valid on the request's day (alerts.py) proves
-- the person held it then, whatever a later extract says (withdrawn, ended, corrected).
-- Only those extracts are read, not every delivery kept: nights stay as long as the
-- history grows (only a request older than the oldest delivery kept reads the first).
-- Deliveries after the run date are not read (a night as of an earlier date).
WITH seeds AS (
    SELECT m.num_agdref
    FROM core.measure_events e JOIN core.removal_measures m USING (measure_id)
    WHERE e.event_type = 'DEMANDE_LAISSEZ_PASSER'
    UNION
    SELECT substr(reference, length('agdref:') + 1) FROM core.quarantined_references
    WHERE reference LIKE 'agdref:%' AND file_kind = 'agdref_mesures' AND is_latest
),
of_persons AS (
    SELECT num_agdref FROM seeds
    UNION
    SELECT substr(o.record_key, length('agdref:') + 1)
    FROM core.person_links s JOIN core.person_links o USING (person_key)
    WHERE s.record_key IN (SELECT 'agdref:' || num_agdref FROM seeds)
      AND o.record_key LIKE 'agdref:%'
),
searched AS (
    SELECT num_agdref FROM of_persons
    UNION
    SELECT num_agdref FROM core.identity_candidates
    WHERE record_key IN (SELECT 'agdref:' || num_agdref FROM of_persons)
),
delivered AS (
    SELECT unit, file_name, extraction_date,
           coalesce(repeats_file_name, file_name) AS rows_file_name
    FROM audit.files
    WHERE file_kind = 'agdref_titres' AND status IN ('LOADED', 'UNCHANGED')
      AND extraction_date <= getvariable('run_date')
),
requested AS (  -- each request day, for each department that delivered titles
    SELECT DISTINCT e.event_date AS request_date, u.unit
    FROM core.measure_events e, (SELECT DISTINCT unit FROM delivered) u
    WHERE e.event_type = 'DEMANDE_LAISSEZ_PASSER'
),
extracts AS (
    SELECT r.request_date, d.file_name, d.rows_file_name
    FROM requested r ASOF JOIN delivered d
      ON d.unit = r.unit AND r.request_date >= d.extraction_date
    UNION
    SELECT r.request_date, d.file_name, d.rows_file_name
    FROM requested r ASOF JOIN delivered d
      ON d.unit = r.unit AND r.request_date < d.extraction_date
)
SELECT x.request_date, t.num_agdref, t.department, t.title_type, t.start_date, t.end_date,
       t.title_status, x.file_name || ':' || t.line_number AS source_row
FROM extracts x JOIN staging.agdref_titles t ON t.file_name = x.rows_file_name
WHERE t.title_type = 'ADA'
  AND t.num_agdref IN (SELECT num_agdref FROM searched)
  AND t.num_agdref IN (SELECT num_agdref FROM rule_files)
  AND t.extraction_date >= (SELECT min(extraction_date) FROM delivered
                            WHERE file_name IN (SELECT rows_file_name FROM extracts))
ORDER BY t.num_agdref, x.request_date, source_row

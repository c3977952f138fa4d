-- reads: audit.files, core.identity_candidates, core.measure_events, core.person_links,
--        core.quarantined_references, core.removal_measures, rule_files,
--        staging.agdref_titles
-- builds: nothing (a query: the rows it returns)
-- PRI-07: the asylum attestations (ADA) that earlier AGDREF deliveries held and the
-- latest delivery of their department no longer holds as they were (withdrawn, ended,
-- corrected), for the files a consular pass request may be about: the file under the
-- requested measure (or held back with its quarantined row), every file of its person,
-- and the files whose identity agrees with those (what verdicts.candidate_files reads,
-- and more). Each version comes with `valid_to`, the extraction date of its department's
-- first delivery after the last one holding it, and its row in that last delivery: on a
-- request's day before valid_to, AGDREF showed it (transforms/rules/alerts.py). What the
-- person held on that day stays proven when AGDREF later withdraws it.
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
           coalesce(repeats_file_name, file_name) AS rows_file_name,
           row_number() OVER (PARTITION BY unit ORDER BY extraction_date, file_name)
               AS delivery
    FROM audit.files
    WHERE file_kind = 'agdref_titres' AND status IN ('LOADED', 'UNCHANGED')
),
last_held AS (
    SELECT d.unit, d.delivery, d.file_name, t.line_number, t.num_agdref, t.department,
           t.title_type, t.start_date, t.end_date, t.title_status
    FROM staging.agdref_titles t JOIN delivered d ON d.rows_file_name = t.file_name
    WHERE t.title_type = 'ADA'
      AND t.num_agdref IN (SELECT num_agdref FROM searched)
      AND t.num_agdref IN (SELECT num_agdref FROM rule_files)
    QUALIFY row_number() OVER (
        PARTITION BY d.unit, t.num_agdref, t.department, t.title_type, t.start_date,
                     t.end_date, t.title_status
        ORDER BY d.delivery DESC, t.line_number) = 1
)
SELECT h.num_agdref, h.department, h.title_type, h.start_date, h.end_date, h.title_status,
       h.file_name || ':' || h.line_number AS source_row, n.extraction_date AS valid_to
FROM last_held h
JOIN delivered n ON n.unit = h.unit AND n.delivery = h.delivery + 1
ORDER BY h.num_agdref, source_row

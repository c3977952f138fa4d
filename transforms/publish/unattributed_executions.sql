-- reads: audit.files, audit.quarantine, raw.agdref_evenements
-- builds: nothing (a query: the rows it returns)
-- Execution events that name no measure: rows of the latest EVENEMENTS snapshot of each
-- department whose type says the measure was carried out (ELOIGNEMENT_EXECUTE,
-- DEPART_VOLONTAIRE_CONSTATE) but whose ID_MESURE was quarantined (empty or malformed).
-- No datum in such a row says which measure or person it concerns, so DQ-01 holds no one
-- (holding every measure it might concern would empty the list: 949 of 2,301 on one
-- generated department); README.txt names the rows so that a unit checks AGDREF before
-- acting on a measure of the list, and has them corrected. An UNCHANGED snapshot holds the
-- rows of the file it repeats (the same bytes). A correction bears the name of the file it
-- replaces: the rows and the quarantine read are those of the bytes and the run that
-- loaded them, never those of the version replaced.
WITH latest AS (
    SELECT unit AS department, coalesce(repeats_file_name, file_name) AS rows_file_name,
           sha256
    FROM audit.files
    WHERE file_kind = 'agdref_evenements' AND status IN ('LOADED', 'UNCHANGED')
      AND extraction_date <= $run_date
    QUALIFY row_number() OVER (PARTITION BY unit
                               ORDER BY extraction_date DESC, file_name DESC) = 1
)
SELECT DISTINCT l.department, r.file_name || ':' || r.line_number AS source_row,
       r.file_name, r.line_number, r.TYPE_EVENEMENT AS event_type,
       r.DATE_EVENEMENT AS event_date_as_delivered
FROM latest l
JOIN audit.files loaded ON loaded.file_name = l.rows_file_name AND loaded.sha256 = l.sha256
                       AND loaded.status = 'LOADED'
JOIN raw.agdref_evenements r ON r.file_name = l.rows_file_name AND r.file_sha256 = l.sha256
JOIN audit.quarantine q ON q.file_name = r.file_name AND q.line_number = r.line_number
                       AND q.run_id = loaded.run_id AND q.column_name = 'ID_MESURE'
WHERE r.TYPE_EVENEMENT IN ('ELOIGNEMENT_EXECUTE', 'DEPART_VOLONTAIRE_CONSTATE')
ORDER BY l.department, r.file_name, r.line_number

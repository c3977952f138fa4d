-- core.quarantined_references (RULES.md §5 SOURCE_ROW_QUARANTINED, DQ-01): whom each
-- quarantined row of a loaded file names, read from the row as delivered (raw). A row
-- names a person by a well-formed AGDREF number, by the OFPRA number of a claim, by a
-- committal number of its establishment, or (AGDREF MESURES and EVENEMENTS) by a measure
-- id. Reads audit.quarantine, audit.files, raw.*, latest_files (core_latest_files.sql);
-- the rules decide whether a row is recent enough to matter (transforms/worklists.py).
CREATE OR REPLACE TABLE core.quarantined_references AS
WITH lines AS (
    SELECT DISTINCT q.file_name, q.line_number, f.system, f.file_kind, f.unit,
           f.extraction_date, f.sha256,
           -- the latest delivery of the unit, or the file an UNCHANGED latest repeats
           EXISTS (SELECT 1 FROM latest_files l
                   WHERE l.rows_file_name = f.file_name AND l.recency = 1) AS is_latest
    FROM audit.quarantine q
    JOIN audit.files f ON f.file_name = q.file_name AND f.run_id = q.run_id
                      AND f.status = 'LOADED'
    WHERE f.extraction_date <= getvariable('run_date')
), named AS (
    SELECT l.*, r.NUM_AGDREF AS number, 'telemofpra:' || r.NUM_OFPRA AS record_key,
           NULL AS measure_id
    FROM lines l JOIN raw.telemofpra r
      ON r.file_name = l.file_name AND r.line_number = l.line_number
     AND r.file_sha256 = l.sha256
    UNION ALL
    SELECT l.*, r.NUM_AGDREF, 'genesis:' || l.unit || ':' || r.NUM_ECROU, NULL
    FROM lines l JOIN raw.genesis r
      ON r.file_name = l.file_name AND r.line_number = l.line_number
     AND r.file_sha256 = l.sha256
    UNION ALL
    SELECT l.*, r.NUM_AGDREF, NULL, NULL
    FROM lines l JOIN raw.agdref_personnes r
      ON r.file_name = l.file_name AND r.line_number = l.line_number
     AND r.file_sha256 = l.sha256
    UNION ALL
    SELECT l.*, r.NUM_AGDREF, NULL, NULL
    FROM lines l JOIN raw.agdref_titres r
      ON r.file_name = l.file_name AND r.line_number = l.line_number
     AND r.file_sha256 = l.sha256
    UNION ALL
    SELECT l.*, r.NUM_AGDREF, NULL, r.ID_MESURE
    FROM lines l JOIN raw.agdref_mesures r
      ON r.file_name = l.file_name AND r.line_number = l.line_number
     AND r.file_sha256 = l.sha256
    UNION ALL
    SELECT l.*, NULL, NULL, r.ID_MESURE
    FROM lines l JOIN raw.agdref_evenements r
      ON r.file_name = l.file_name AND r.line_number = l.line_number
     AND r.file_sha256 = l.sha256
), refs AS (
    SELECT *, 'agdref:' || regexp_replace(number, '\s', '', 'g') AS reference FROM named
    WHERE regexp_full_match(regexp_replace(number, '\s', '', 'g'), '[0-9]{10}')
    UNION ALL
    SELECT *, record_key FROM named
    WHERE record_key IS NOT NULL
    UNION ALL
    SELECT *, 'measure:' || measure_id FROM named WHERE measure_id IS NOT NULL
)
SELECT DISTINCT reference, system, file_kind, unit, extraction_date, is_latest,
       file_name || ':' || line_number AS source_row
FROM refs ORDER BY reference, source_row;
COMMENT ON TABLE core.quarantined_references IS 'Whom a quarantined source row names (AGDREF number, OFPRA number, committal number, measure id): the person waits, excluded with SOURCE_ROW_QUARANTINED, until the row is corrected (DQ-01).';
COMMENT ON COLUMN core.quarantined_references.reference IS 'agdref:<NUM_AGDREF>, telemofpra:<NUM_OFPRA>, genesis:<CODE_ETABLISSEMENT>:<NUM_ECROU> or measure:<ID_MESURE>';
COMMENT ON COLUMN core.quarantined_references.is_latest IS 'the file is the latest delivery of its kind and unit on the run date';

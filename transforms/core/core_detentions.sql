-- reads: latest_files, staging.detainees
-- builds: core.detentions
-- core.detentions: one row per detainee on the latest list of each establishment
-- (PRI-01), with the release date of the previous list for the change in days (none
-- when that list had the detainee on remand: the date GENESIS gives a PREVENU is no
-- release date, PRI-02, releases.planned_release). The
-- latest list is the latest date: an UNCHANGED list counts with its own date and name
-- (same bytes, same lines), its rows read from the file it repeats.
CREATE OR REPLACE TABLE core.detentions AS
WITH listed AS (
    SELECT d.*, f.recency, f.extraction_date AS list_date,
           'genesis:' || d.establishment_code || ':' || d.committal_number AS record_key,
           f.file_name || ':' || d.line_number AS source_row
    FROM staging.detainees d
    JOIN latest_files f ON f.rows_file_name = d.file_name AND f.file_kind = 'genesis'
                       AND f.recency <= 2
)
SELECT cur.record_key, cur.establishment_code, cur.establishment_name, cur.department,
       cur.committal_number, cur.committal_date, cur.penal_category, cur.sentence_days,
       cur.release_date, cur.itf, cur.birth_year, cur.birth_month, cur.birth_day,
       cur.birth_date_is_placeholder, cur.nationality, cur.list_date,
       CASE WHEN prev.penal_category IS DISTINCT FROM 'PREVENU' THEN prev.release_date END
           AS previous_release_date, cur.source_row
FROM listed cur
LEFT JOIN listed prev ON prev.recency = 2 AND prev.record_key = cur.record_key
WHERE cur.recency = 1
QUALIFY row_number() OVER (PARTITION BY cur.record_key ORDER BY cur.line_number) = 1;
COMMENT ON TABLE core.detentions IS 'One foreign detainee on the latest GENESIS list of an establishment (PRI-01).';

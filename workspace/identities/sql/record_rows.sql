-- reads: staging.asylum_decisions, staging.detainees, staging.agdref_persons
-- The deliveries of one record as staged, latest first: a TélémOfpra record by its
-- OFPRA number, a GENESIS one by establishment and committal number, an AGDREF file
-- (agdref:<number>) by its number (the snapshots where it changed).
-- The place of birth (GENESIS, AGDREF) and the date of entry (AGDREF) are compared too
-- (issue 33 item 3): shown beside the rest, empty where a source has none.
WITH deliveries AS (
    SELECT 'telemofpra:' || num_ofpra AS record_key, file_name, line_number,
           extraction_date, last_name, first_names, sex, birth_year, birth_month, birth_day,
           birth_date, NULL::VARCHAR AS birth_place, nationality, NULL::DATE AS entry_date,
           department, num_agdref_as_delivered AS num_agdref
    FROM staging.asylum_decisions
    UNION ALL
    SELECT 'genesis:' || establishment_code || ':' || committal_number, file_name,
           line_number, extraction_date, last_name, first_names, sex, birth_year,
           birth_month, birth_day, birth_date, birth_place, nationality, NULL::DATE,
           department, num_agdref_as_delivered
    FROM staging.detainees
    UNION ALL
    SELECT 'agdref:' || num_agdref, file_name, line_number, extraction_date, last_name,
           first_names, sex, birth_year, birth_month, birth_day, birth_date, birth_place,
           nationality, entry_date, department, num_agdref
    FROM staging.agdref_persons
)
SELECT * EXCLUDE (record_key)
FROM deliveries
WHERE record_key = $record
ORDER BY extraction_date DESC, file_name, line_number
LIMIT $limit

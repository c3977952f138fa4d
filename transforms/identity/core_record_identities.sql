-- reads: core.birth_towns, staging.asylum_decisions, staging.detainees
-- builds: core.record_identities, source_identities
-- One identity per source person record: the latest row that carried it (with, for a
-- TélémOfpra record, the date its claim was introduced at OFPRA), and every well-formed
-- AGDREF number any of its rows gave, or that a number which lost its leading zeros was
-- (`123456789`, `123456789.0` read by a spreadsheet as a number: CONTRACTS §1.3 "leading
-- zeros matter"; `1234567890.0` too), verified against the identity as any number given is (the same reading
-- as a quarantined row's, transforms/ingest/standardise.py `_zeros_lost`).
-- every space, the no-break ones French spreadsheets put between thousands included
CREATE OR REPLACE TEMP MACRO as_written(number) AS
    regexp_replace(regexp_replace(number, '[\s\pZ]', '', 'g'), '\.0+$', '');
CREATE OR REPLACE TEMP MACRO number_given(num_agdref, as_delivered) AS coalesce(
    num_agdref, CASE WHEN regexp_full_match(as_written(as_delivered), '\d{1,10}')
                     THEN lpad(as_written(as_delivered), 10, '0') END);
CREATE OR REPLACE TEMP TABLE source_identities AS
WITH rows AS (
    SELECT 'telemofpra' AS system, 'telemofpra:' || num_ofpra AS record_key,
           number_given(num_agdref, num_agdref_as_delivered) AS num_agdref,
           last_name_ascii, first_names_ascii, sex, birth_year, birth_month, birth_day,
           birth_date, birth_date_is_placeholder, nationality, department, claim_date,
           NULL::VARCHAR AS birth_place, extraction_date, file_name, line_number
    FROM staging.asylum_decisions WHERE extraction_date <= getvariable('run_date')
    UNION ALL
    SELECT 'genesis', 'genesis:' || establishment_code || ':' || committal_number,
           number_given(num_agdref, num_agdref_as_delivered), last_name_ascii,
           first_names_ascii, sex, birth_year, birth_month, birth_day, birth_date,
           birth_date_is_placeholder, nationality, department, NULL::DATE, birth_place,
           extraction_date, file_name, line_number
    FROM staging.detainees WHERE extraction_date <= getvariable('run_date')
), numbers AS (
    SELECT record_key, list(DISTINCT num_agdref ORDER BY num_agdref)
                           FILTER (WHERE num_agdref IS NOT NULL) AS numbers
    FROM rows GROUP BY record_key
)
SELECT r.* EXCLUDE (num_agdref, extraction_date, file_name, line_number),
       -- the town of the place of birth (GENESIS only; transforms/core/birth_places.py)
       t.birth_town,
       name_skeleton(r.last_name_ascii) AS last_name_skeleton,
       first_name_skeleton(r.first_names_ascii) AS first_name_skeleton,
       r.file_name || ':' || r.line_number AS source_row,
       coalesce(n.numbers, []::VARCHAR[]) AS numbers
FROM rows r JOIN numbers n USING (record_key)
LEFT JOIN core.birth_towns t ON t.birth_place = r.birth_place
QUALIFY row_number() OVER (PARTITION BY r.record_key
                           ORDER BY r.extraction_date DESC, r.file_name DESC,
                                    r.line_number DESC) = 1;

-- What the rules read of a source record's identity (names stay in staging).
CREATE OR REPLACE TABLE core.record_identities AS
SELECT record_key, system, sex, birth_year, birth_month, birth_day, birth_date_is_placeholder,
       nationality, department, source_row, numbers
FROM source_identities ORDER BY record_key;
COMMENT ON TABLE core.record_identities IS 'Birth date parts, sex and nationality of each TélémOfpra and GENESIS person record, from its latest row, and every well-formed AGDREF number its rows gave (numbers).';

-- reads: agdref_identities, files_to_decide, screened_identities
-- builds: core.identity_candidates, remembered_candidates
-- Every AGDREF file whose identity agrees with a record: through the number the record
-- gave (NUMBER, which may link) or through identity alone (IDENTITY, used only to find
-- protections, never to act). Identity alone is IDENTITY when both birth dates are
-- complete and real, IDENTITY_WEAK when one is a year, a month or a 01/01 placeholder:
-- common names then match strangers by the hundred at department scale, so weak
-- candidates are searched, and read, only for a detainee who cannot be linked (PRI-07).
-- AGDREF files under a measure, and files a source record gave the number of, are
-- screened against the other files too: a person may hold two files, and the second may
-- carry the protection (identity_screened.sql).
--
-- The previous build's pairs of a record and a file that both read as then (read before
-- core.identity_candidates is replaced).
CREATE OR REPLACE TEMP TABLE remembered_candidates AS
SELECT m.record_key, s.system, m.num_agdref, m.evidence, p.source_row
FROM core.identity_candidates m
JOIN screened_identities s ON s.record_key = m.record_key AND NOT s.changed
JOIN agdref_identities p ON p.num_agdref = m.num_agdref AND NOT p.changed;

-- Tonight's pairs decided, and the remembered ones (none is among tonight's: each of those
-- has a changed side).
CREATE OR REPLACE TABLE core.identity_candidates AS
SELECT s.record_key, s.system, p.num_agdref, candidate_evidence(s, p) AS evidence,
       p.source_row
FROM files_to_decide p JOIN screened_identities s USING (record_key)
WHERE identities_agree(s, p, s.name_forms, p.name_forms)
   OR number_agrees(s, p, s.name_forms, p.name_forms)
UNION ALL
SELECT * FROM remembered_candidates
ORDER BY record_key, num_agdref;
COMMENT ON TABLE core.identity_candidates IS 'AGDREF files whose identity agrees with a source record: NUMBER (the record gave that number), IDENTITY (agreement alone, complete birth dates) or IDENTITY_WEAK (partial or placeholder birth date; GENESIS records only). Identity evidence is used to find protections, never to act.';

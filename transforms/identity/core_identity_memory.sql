-- reads: agdref_identities, screened_identities
-- builds: core.identity_memory, core.identity_memory_files, core.identity_memory_records
-- Tonight's memory, for the next build.
CREATE OR REPLACE TABLE core.identity_memory_files AS
SELECT num_agdref, digest FROM agdref_identities;
COMMENT ON TABLE core.identity_memory_files IS 'One row per AGDREF file as the last build of core.identity_candidates compared it: the next build decides again the pairs of a file whose digest changed.';
COMMENT ON COLUMN core.identity_memory_files.digest IS '64-bit hash of what identities_agree and the blocking read of the file (identity_screened.sql).';
CREATE OR REPLACE TABLE core.identity_memory_records AS
SELECT record_key, digest FROM screened_identities;
COMMENT ON TABLE core.identity_memory_records IS 'One row per record screened by the last build of core.identity_candidates (TélémOfpra and GENESIS records, AGDREF files under a measure or whose number a record gave): the next build decides again the pairs of a record whose digest changed.';
COMMENT ON COLUMN core.identity_memory_records.digest IS '64-bit hash of what identities_agree and the blocking read of the record, its numbers given included (identity_screened.sql).';
CREATE OR REPLACE TABLE core.identity_memory AS
SELECT getvariable('identity_memory_key') AS memory_key;
COMMENT ON TABLE core.identity_memory IS 'What made the memory of core.identity_candidates: the next build uses it only when made by the same SQL files (identity/build.py CANDIDATE_STEPS) and DuckDB version.';
COMMENT ON COLUMN core.identity_memory.memory_key IS 'SHA-256 of the SQL files deciding the candidates, the memory format and the DuckDB version (transforms/identity/build.py identity_memory_key).';

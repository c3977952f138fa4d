-- reads: nothing
-- builds: core.identity_candidates, core.identity_memory, core.identity_memory_files,
--         core.identity_memory_records, identity_memory_usable, remembered_files,
--         remembered_records
-- The memory of core.identity_candidates, read before tonight's build replaces it.
-- Whether a record and a file are candidates depends on those two rows alone (the blocking
-- of identity_pairs_to_decide.sql included), so a pair of a record and a file that both read as on the previous
-- build was decided then: the memory (core.identity_memory*) keeps a 64-bit digest of
-- every screened record and AGDREF file as compared by identities_agree, and this build decides again only
-- the pairs where one side is new or changed (`changed`); the others keep the previous
-- core.identity_candidates. The memory is used only when it was made by the very SQL files
-- that decide the candidates and the same DuckDB version (identity_memory_key, set by
-- transforms/identity/build.py); otherwise every
-- row is `changed` and every pair is decided.
CREATE TABLE IF NOT EXISTS core.identity_memory (memory_key VARCHAR);
CREATE TABLE IF NOT EXISTS core.identity_memory_files (num_agdref VARCHAR, digest UBIGINT);
CREATE TABLE IF NOT EXISTS core.identity_memory_records (record_key VARCHAR, digest UBIGINT);
CREATE TABLE IF NOT EXISTS core.identity_candidates (
    record_key VARCHAR, system VARCHAR, num_agdref VARCHAR, evidence VARCHAR,
    source_row VARCHAR);
CREATE OR REPLACE TEMP TABLE identity_memory_usable AS
SELECT count(*) = 1 AND coalesce(bool_and(memory_key = getvariable('identity_memory_key')),
                                 false) AS usable
FROM core.identity_memory;
CREATE OR REPLACE TEMP VIEW remembered_files AS
SELECT num_agdref, digest FROM core.identity_memory_files
WHERE (SELECT usable FROM identity_memory_usable);
CREATE OR REPLACE TEMP VIEW remembered_records AS
SELECT record_key, digest FROM core.identity_memory_records
WHERE (SELECT usable FROM identity_memory_usable);

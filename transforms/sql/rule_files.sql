-- The AGDREF files a worklist rule can reach (transforms/worklists.load_facts): files
-- under a measure, files a record may be (identity candidates), files a record is linked
-- to, and every other file of the same person (merged duplicates).
CREATE OR REPLACE TEMP TABLE rule_files AS
WITH reached AS (
    SELECT num_agdref FROM core.removal_measures
    UNION SELECT num_agdref FROM core.identity_candidates
    UNION SELECT person_key FROM core.person_links WHERE system <> 'agdref'
)
SELECT num_agdref FROM core.persons
WHERE person_key IN (SELECT p.person_key FROM core.persons p JOIN reached USING (num_agdref));

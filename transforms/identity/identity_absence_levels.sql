-- reads: core.identity_candidates, core.persons, core.residence_titles, source_identities
-- builds: nothing (a query: the rows it returns)
-- Tonight's pairs of a source record and the AGDREF file whose number it gave, when their
-- identities agree (evidence NUMBER, core_identity_candidates.sql): one person each. For
-- each comparison level that reads missing data as evidence against (absence.py), how
-- many of those pairs the level concerns and how many fall in it: its m tonight. The
-- levels are those of comparisons.py, on the names and titles linkage_records.sql reads.
WITH verified AS (
    SELECT s.claim_date,
           nullif(compact_name(other_given_names(s.first_names_ascii)), '') AS record_others,
           nullif(compact_name(other_given_names(p.first_names_ascii)), '') AS file_others,
           p.num_agdref IN (SELECT num_agdref FROM core.residence_titles
                            WHERE title_type = 'ADA' AND start_date IS NOT NULL) AS has_ada
    FROM core.identity_candidates c
    JOIN source_identities s USING (record_key)
    JOIN core.persons p USING (num_agdref)
    WHERE c.evidence = 'NUMBER' AND c.system <> 'agdref'
)
SELECT getvariable('run_date')::DATE AS run_date, 'asylum_claim' AS comparison, 'the file holds no ADA' AS level,
       count(*) FILTER (WHERE claim_date IS NOT NULL) AS verified_pairs,
       count(*) FILTER (WHERE claim_date IS NOT NULL AND NOT has_ada) AS pairs_at_level
FROM verified
UNION ALL
SELECT getvariable('run_date')::DATE, 'other_given_names', 'only one has other given names', count(*),
       count(*) FILTER (WHERE (record_others IS NULL) <> (file_others IS NULL))
FROM verified
ORDER BY comparison;

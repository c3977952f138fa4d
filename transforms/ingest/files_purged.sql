-- reads: audit.purges, audit.files
-- builds: nothing (a query: the rows it returns)
-- The files whose rows as delivered `purge` removed (transforms/warehouse/purge.py): older
-- than the latest cutoff of their system's purges, and repeated by no delivery within it
-- (an UNCHANGED delivery's rows are stored under the file it repeats, and kept with it).
WITH cutoffs AS (
    SELECT system, max(as_of_date - retention_days) AS cutoff
    FROM audit.purges GROUP BY system
)
SELECT f.file_name
FROM audit.files f JOIN cutoffs c USING (system)
WHERE f.extraction_date < c.cutoff
  AND NOT EXISTS (SELECT 1 FROM audit.files g
                  WHERE g.repeats_file_name = f.file_name AND g.extraction_date >= c.cutoff)

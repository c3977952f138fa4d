-- reads: audit.files
-- builds: nothing (a query: the rows it returns)
-- The files whose rows as delivered a purge removes, given each system's cutoff
-- ($cutoffs: system and first extraction date kept): older than their system's cutoff,
-- and repeated by no delivery within it (an UNCHANGED delivery's rows are stored under
-- the file it repeats, and kept with it). transforms/warehouse/purge.py removes them;
-- transforms/ingest/inbox.py reads, with the cutoffs of the purges done, which files hold
-- no rows as delivered any more.
WITH cutoffs AS (
    SELECT unnest($cutoffs::STRUCT(system VARCHAR, cutoff DATE)[], recursive := true)
)
SELECT f.file_name
FROM audit.files f JOIN cutoffs c USING (system)
WHERE f.extraction_date < c.cutoff
  AND NOT EXISTS (SELECT 1 FROM audit.files g
                  WHERE g.repeats_file_name = f.file_name AND g.extraction_date >= c.cutoff)
ORDER BY f.file_name

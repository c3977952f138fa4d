-- reads: audit.files, audit.runs
-- builds: file_corrections
-- The corrections among the files received, one row per file (its run, name and
-- checksum): a file loaded (or loaded and replaced since) that replaced an earlier
-- delivery, often under its name (told apart by checksum), that earlier delivery first
-- seen by a run started no later (a file corrected twice: its first version is no
-- correction of the second, which also names it; runs unknown to audit.runs are taken in
-- either order). Read by the console's count of a night (transforms/ingest/received.py)
-- and by marts.data_quality.
CREATE OR REPLACE TEMP VIEW file_corrections AS
SELECT f.run_id, f.file_name, f.sha256
FROM audit.files f
WHERE f.status IN ('LOADED', 'SUPERSEDED') AND EXISTS (
    SELECT 1 FROM audit.files earlier
    WHERE earlier.status = 'SUPERSEDED' AND earlier.superseded_by = f.file_name
      AND earlier.sha256 IS DISTINCT FROM f.sha256
      AND coalesce((SELECT started_at FROM audit.runs WHERE run_id = earlier.run_id)
                   <= (SELECT started_at FROM audit.runs WHERE run_id = f.run_id),
                   true));

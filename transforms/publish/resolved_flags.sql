-- reads: worklists.flag_history, worklists.exclusions
-- builds: nothing (a query: the rows it returns)
-- The flags that left their list on $run_date (resolus_<YYYYMMDD>.csv), and why: the
-- exclusion that now keeps the candidate off the list (its reason, rules and facts), or
-- NO_LONGER_CANDIDATE when the rules no longer examine the case at all (a detainee absent
-- from the establishment's latest list, a decision or measure withdrawn by its source).
-- The rejected list holds one row per person under the decision that ended their right
-- to remain: when a later decision (a re-examination registered, a grant) keeps them off
-- it, their exclusion has that decision's candidate id, and is the flag's reason too.
-- A flag still listed but under another department tonight (a domicile or a managing
-- department changed) left the list of its department of last night:
-- MOVED_TO_ANOTHER_DEPARTMENT, in that department's file.
-- The department, person and number are those of the flag's last night on the list; a
-- history written before they were kept falls back on the exclusion's.
WITH person_exclusions AS (
    SELECT * FROM worklists.exclusions WHERE worklist = 'rejected_without_oqtf'
    QUALIFY row_number() OVER (PARTITION BY person_key ORDER BY candidate_id) = 1
), previous AS (
    SELECT max(run_date) AS run_date FROM worklists.flag_history WHERE run_date < $run_date
), moved AS (
    SELECT t.flag_id, t.worklist, y.department, y.person_key, y.num_agdref
    FROM worklists.flag_history t
    JOIN worklists.flag_history y USING (flag_id, worklist)
    JOIN previous p ON y.run_date = p.run_date
    WHERE t.run_date = $run_date AND t.status <> 'RESOLVED' AND y.status <> 'RESOLVED'
      AND t.department IS DISTINCT FROM y.department
)
SELECT h.flag_id,
       h.worklist,
       coalesce(h.department, x.department, o.department) AS department,
       coalesce(h.person_key, x.person_key, o.person_key) AS person_key,
       coalesce(h.num_agdref, x.num_agdref, o.num_agdref) AS num_agdref,
       coalesce(x.reason_code, o.reason_code, 'NO_LONGER_CANDIDATE') AS resolution,
       coalesce(x.rule_ids, o.rule_ids, []::VARCHAR[]) AS rule_ids,
       coalesce(x.source_rows, o.source_rows, []::VARCHAR[]) AS source_rows
FROM worklists.flag_history AS h
LEFT JOIN worklists.exclusions AS x
  ON x.candidate_id = h.flag_id AND x.worklist = h.worklist
LEFT JOIN person_exclusions AS o
  ON x.candidate_id IS NULL AND h.worklist = o.worklist AND o.person_key = h.person_key
WHERE h.run_date = $run_date AND h.status = 'RESOLVED'
UNION ALL
SELECT flag_id, worklist, department, person_key, num_agdref,
       'MOVED_TO_ANOTHER_DEPARTMENT', []::VARCHAR[], []::VARCHAR[]
FROM moved
ORDER BY worklist, flag_id

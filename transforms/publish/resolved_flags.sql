-- reads: worklists.flag_history, worklists.exclusions
-- builds: nothing (a query: the rows it returns)
-- The flags that left their list on $run_date (resolus_<YYYYMMDD>.csv), and why: the
-- exclusion that now keeps the candidate off the list (its reason, rules and facts), or
-- NO_LONGER_CANDIDATE when the rules no longer examine the case at all (a detainee absent
-- from the establishment's latest list, a decision or measure withdrawn by its source).
-- The department, person and number are those of the flag's last night on the list; a
-- history written before they were kept falls back on the exclusion's.
SELECT h.flag_id,
       h.worklist,
       coalesce(h.department, x.department) AS department,
       coalesce(h.person_key, x.person_key) AS person_key,
       coalesce(h.num_agdref, x.num_agdref) AS num_agdref,
       coalesce(x.reason_code, 'NO_LONGER_CANDIDATE') AS resolution,
       coalesce(x.rule_ids, []::VARCHAR[]) AS rule_ids,
       coalesce(x.source_rows, []::VARCHAR[]) AS source_rows
FROM worklists.flag_history AS h
LEFT JOIN worklists.exclusions AS x
  ON x.candidate_id = h.flag_id AND x.worklist = h.worklist
WHERE h.run_date = $run_date AND h.status = 'RESOLVED'
ORDER BY h.worklist, h.flag_id

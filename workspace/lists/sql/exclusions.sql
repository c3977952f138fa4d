-- reads: worklists.exclusions
-- builds: nothing
-- The candidates the night did not list, in the account's departments only, narrowed to
-- one list and one reason when asked (empty: any); queries.exclusions_sql adds the
-- number condition (number_match.sql) when a number is searched.
SELECT worklist, candidate_id, num_agdref, department, measure_id, reason_code,
       other_reasons, rule_ids
FROM worklists.exclusions
WHERE list_contains($departments, department)
  AND ($worklist = '' OR worklist = $worklist)
  AND ($reason = '' OR reason_code = $reason)
